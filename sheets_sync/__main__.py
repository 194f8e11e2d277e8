"""`python -m sheets_sync` runs the command line."""

from .cli import main

main()
