"""The portfolio as HTML, plain text and CSV, through the agenda's Jinja environment and inliner.

A consultant overrides any portfolio template by a file of the same name in the folder that
portfolio.toml's `templates_dir` names (relative to the configs folder), as a client does for
its agenda.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ...errors import ConfigError
from ...meeting.render import inline_css, template_environment
from ...words.core import Phrase
from .view import CSV_COLUMNS, PortfolioView


def render_html(view: PortfolioView, templates: Path | None = None) -> str:
    """The page (a <style> block; use `inline_css` before mailing it)."""
    return _render(f"portfolio.{view.lang}.html.j2", view, templates)


def render_text(view: PortfolioView, templates: Path | None = None) -> str:
    return _render(f"portfolio.{view.lang}.txt.j2", view, templates)


def render_mail_html(view: PortfolioView, templates: Path | None = None) -> str:
    """The page with its styles on each element, so Gmail and Outlook keep them."""
    return inline_css(render_html(view, templates), Phrase("consultant.portfolio_css"))


def render_csv(view: PortfolioView) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(row.csv_values() for row in view.rows)
    return buffer.getvalue()


def _render(name: str, view: PortfolioView, templates: Path | None) -> str:
    try:
        return template_environment(templates).get_template(name).render(view=view)
    except Exception as error:  # a consultant's own template may fail in any way
        where = templates or Phrase("consultant.builtin_templates")
        reason = getattr(error, "message", None) or str(error) or type(error).__name__
        raise ConfigError(
            "portfolio_template_failed", name=name, where=where, reason=reason
        ) from None
