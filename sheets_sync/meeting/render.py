"""Render the agenda with Jinja2: a client's own templates first, the built-in ones for the rest."""

from __future__ import annotations

import importlib.resources
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import Final

import css_inline
from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateNotFound,
    TemplateSyntaxError,
    select_autoescape,
)

from ..config import Config
from ..core.report import Report
from ..errors import ConfigError
from ..words.core import Phrase, Renderable
from ..words.lang import speaking
from .chat_view import ChatView, agenda_chat
from .images import trend_png
from .invite import MeetingInvite
from .view import build_view

MARKER: Final = "agenda.ja.html.j2"  # a built-in template that is always there
_CONTROL: Final = re.compile(r"\s*[\x00-\x1f\x7f-\x9f\u2028\u2029]+\s*")


@dataclass(frozen=True)
class RenderedAgenda:
    """One rendered agenda: subject, the two bodies and the trend pictures by Content-ID."""

    subject: str
    text: str
    html: str
    images: dict[str, bytes]
    cycle: int
    invite: MeetingInvite | None = None  # the meeting, for the calendar part
    chat: ChatView | None = None  # the short form a team chat shows (None: made from the text)


def builtin_templates_dir() -> Path:
    """The built-in templates: inside the installed package, else the source checkout's."""
    try:
        marker = importlib.resources.files("sheets_sync._templates").joinpath(MARKER)
        if isinstance(marker, Path) and marker.is_file():
            return marker.parent
    except (ImportError, TypeError, OSError):
        pass
    return Path(__file__).resolve().parents[2] / "templates"


def environment(config: Config) -> Environment:
    """The Jinja2 environment for a client: its templates_dir overrides any one template."""
    return template_environment(config.templates_path())


def template_environment(client_dir: Path | None) -> Environment:
    """Built-in templates, each overridable by a file of the same name in `client_dir`
    (the agenda's and the portfolio's environment alike)."""
    loaders = [FileSystemLoader(str(builtin_templates_dir()))]
    if client_dir is not None:
        loaders.insert(0, FileSystemLoader(str(client_dir)))
    return Environment(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        autoescape=select_autoescape(["html", "html.j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_agenda(report: Report, config: Config, *, cycle: int | None = None) -> RenderedAgenda:
    """The agenda for `cycle` (default: the review cycle) as subject, text, HTML and pictures;
    what stops it (no such cycle, a broken template) is said in the client's language."""
    with speaking(config.language):
        return _render_agenda(report, config, cycle)


def _render_agenda(report: Report, config: Config, cycle: int | None) -> RenderedAgenda:
    view = build_view(report, config, cycle=cycle)
    env = environment(config)
    lang = view.lang
    subject = one_line(render_template(env, f"subject.{lang}.txt.j2", view, config))
    text = render_template(env, f"agenda.{lang}.txt.j2", view, config)
    html = _inline_css(render_template(env, f"agenda.{lang}.html.j2", view, config), config)
    images: dict[str, bytes] = {}
    for row in view.kpis:
        if row.image_cid is not None:
            picture = trend_png(row.series, row.tone)
            if picture is not None:
                images[row.image_cid] = picture
    invite = MeetingInvite(
        cycle=view.cycle,
        day=date.fromisoformat(view.meeting_date),
        summary=subject,
        outline=tuple(section.heading for section in view.sections),
        sheet_url=view.sheet_url,
    )
    return RenderedAgenda(
        subject=subject,
        text=text,
        html=html,
        images=images,
        cycle=view.cycle,
        invite=invite,
        chat=agenda_chat(view, config),
    )


def one_line(text: str) -> str:
    """Collapse line breaks and control characters to single spaces (safe for a header)."""
    return _CONTROL.sub(" ", text).strip()


def render_template(env: Environment, name: str, view: object, config: Config) -> str:
    """One template of the client's environment with `view`; a template that fails in any way
    is a ConfigError naming the file (and line)."""
    try:
        return env.get_template(name).render(view=view)
    except Exception as error:  # a client's template may fail in any way; say which file
        where, reason = _describe(error, name, env)
        raise ConfigError("template_failed", file=config.path, where=where, reason=reason) from None


def _describe(error: Exception, name: str, env: Environment) -> tuple[object, object]:
    """Which template file (and line) failed, and why: words or the library's own text."""
    where: object
    if isinstance(error, TemplateSyntaxError) and error.filename:
        where = Phrase("error.template_line", {"file": error.filename, "line": error.lineno})
    else:
        where = _template_frame(error.__traceback__) or _source_of(env, name)
    if isinstance(error, TemplateNotFound):
        return where, Phrase("error.template_include_missing", {"name": error.name})
    return where, getattr(error, "message", None) or str(error) or type(error).__name__


def _template_frame(tb: TracebackType | None) -> Phrase | None:
    """The innermost template file (and line) in a traceback Jinja has rewritten."""
    found = None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2") or filename.endswith(".css"):
            found = Phrase("error.template_line", {"file": filename, "line": tb.tb_lineno})
        tb = tb.tb_next
    return found


def _source_of(env: Environment, name: str) -> str:
    loader = env.loader
    if isinstance(loader, ChoiceLoader):
        for candidate in loader.loaders:
            if isinstance(candidate, FileSystemLoader):
                for folder in candidate.searchpath:
                    path = Path(folder) / name
                    if path.is_file():
                        return str(path)
    return name


def _inline_css(html: str, config: Config) -> str:
    return inline_css(html, Phrase("error.css_of_agenda", {"file": config.path}))


def inline_css(html: str, whose: Renderable | str) -> str:
    """Styles moved onto each element, so Gmail and Outlook keep them; `whose` names the
    document in an error (`Phrase("error.css_of_agenda", …)`: "<file>: the agenda's")."""
    inliner = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)
    try:
        return str(inliner.inline(html))
    except ValueError as error:
        raise ConfigError("css_not_inlined", document=whose, reason=error) from None
