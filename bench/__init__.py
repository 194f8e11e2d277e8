"""Benchmarks: sheets-sync beside the usual gspread ways (see bench/README.md)."""
