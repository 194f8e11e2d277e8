"""Helpers that know nothing of sheets-sync: files, pacing, secrets kept out of logs, terminal
widths, time zones, mail addresses, the collector pause. They import nothing of the package."""
