"""sheets-sync: two-week learning cycles from a spreadsheet."""

__version__ = "0.1.0"
