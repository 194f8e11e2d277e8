"""The README's promises: its workbook reference is the schema's, and it shows the two commands."""

from __future__ import annotations

from pathlib import Path

from sheets_sync.docs import reference

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_reference_is_generated_from_the_schema() -> None:
    """Headers and choices are written once (in schema.py); the README holds the generated copy."""
    assert reference() in README.read_text(encoding="utf-8")


def test_readme_shows_the_demo_and_test_commands() -> None:
    """The two set-up commands a newcomer runs are there, demo first."""
    text = README.read_text(encoding="utf-8")
    assert text.index("sheets-sync demo") < text.index("python -m pytest")
