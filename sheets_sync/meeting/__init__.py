"""What staff receive about their meeting: the 15-minute agenda (view model, chain notes, rendering
with Jinja2 and inlined CSS), the input reminder, the follow-up, the calendar invite, the mail
transports, and each team chat (`chat/`)."""

from __future__ import annotations

from .chain import chain_note
from .invite import MeetingInvite, event_uid, invite_ics
from .mail import build_message, deliver, deliver_for, render_to_file
from .render import RenderedAgenda, builtin_templates_dir, render_agenda
from .view import AgendaView, build_view

__all__ = [
    "AgendaView",
    "MeetingInvite",
    "RenderedAgenda",
    "build_message",
    "build_view",
    "builtin_templates_dir",
    "chain_note",
    "deliver",
    "deliver_for",
    "event_uid",
    "invite_ics",
    "render_agenda",
    "render_to_file",
]
