"""The follow-up as a mail: subject, plain text and HTML (CSS inlined) from the built-in templates
or the client's own copies, and its short form for a team chat."""

from __future__ import annotations

from ..config import Config
from ..words.core import Phrase
from ..words.lang import speaking
from .chat_view import follow_up_chat
from .follow_up import FollowUpView
from .render import RenderedAgenda, environment, inline_css, one_line, render_template


def render_follow_up(view: FollowUpView, config: Config) -> RenderedAgenda:
    """決まったこと or 記入のお願い, rendered; what stops it (a broken client template) is said in
    the client's language."""
    with speaking(config.language):
        env = environment(config)
        text = render_template(env, "follow_up.txt.j2", view, config)
        page = render_template(env, "follow_up.html.j2", view, config)
        html = inline_css(page, Phrase("error.css_of_follow_up", {"file": config.path}))
    return RenderedAgenda(
        subject=one_line(view.subject),
        text=text,
        html=html,
        images={},
        cycle=view.cycle,
        chat=follow_up_chat(view),
    )
