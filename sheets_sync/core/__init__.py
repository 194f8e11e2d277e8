"""The pure core: clean records and checks, the method's rules, the KPI rule, the computed report,
the generated tabs' cells and what was sent. No I/O, no config, no backend."""
