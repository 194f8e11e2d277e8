"""The consultant's many clients: sync-all and how each run ended, the watch loop and its status,
the portfolio and its weekly digest."""
