"""The 15-minute meeting agenda: view model, rendering (Jinja2 + inlined CSS) and delivery."""

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
