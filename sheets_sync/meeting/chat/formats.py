"""A `ChatView` in each chat's own format, within each service's documented size limit.

The view's parts are plain text (no markup character survives `chat_view.plain`), so each format
adds only its own structure around them: Slack's Block Kit, Google Chat's `*bold*` and
`<url|label>`, a Teams Adaptive Card of text runs (never parsed as Markdown), Chatwork's
`[info][title]…[/title]…[/info]`, LINE WORKS' plain text. When a message would not fit, the last
lines give way first; the title and the sheet's link always stay.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any, Final

from ..chat_view import ChatView

# The services' limits, as their documentation gives them (see docs/chats.md).
SLACK_HEADER: Final = 150  # header block: plain_text, 150 characters
SLACK_SECTION: Final = 3000  # section block text: 3,000 characters
SLACK_BUTTON: Final = 75  # button text: 75 characters
GOOGLE_CHAT_TEXT: Final = 4000  # characters (the whole message: 32,000 bytes)
GOOGLE_CHAT_BYTES: Final = 32_000
TEAMS_BYTES: Final = 27_000  # the webhook takes 28 KB; the envelope is counted in
CHATWORK_BODY: Final = 4000  # characters; Chatwork documents none, so the message stays short
LINE_WORKS_TEXT: Final = 2000  # content.text: 2,000 characters
ELLIPSIS: Final = "…"


def fitted(view: ChatView, fits: Callable[[ChatView], bool]) -> ChatView:
    """`view` as it is when it fits, else with its last lines left out (the last one kept is
    marked …) until it does; a title too long alone is cut as well."""
    if fits(view):
        return view
    lines = list(view.lines)
    while lines:
        lines.pop()
        shorter = ChatView(view.title, (*lines, ELLIPSIS), view.link, view.task)
        if fits(shorter):
            return shorter
    title = view.title
    while len(title) > 1:
        title = title[: len(title) * 3 // 4]
        cut = ChatView(title + ELLIPSIS, (), view.link, view.task)
        if fits(cut):
            return cut
    return ChatView(ELLIPSIS, (), view.link, view.task)


def _cut(text: str, most: int) -> str:
    return text if len(text) <= most else text[: most - 1] + ELLIPSIS


# -- Slack: incoming webhook, Block Kit -------------------------------------------------------
def slack(view: ChatView) -> dict[str, Any]:
    """`text` (the notification's words, mrkdwn-escaped) and `blocks`: a header, the lines as a
    plain_text section, the sheet as a button."""
    view = fitted(view, lambda v: len("\n".join(v.lines)) <= SLACK_SECTION)
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": _plain(_cut(view.title, SLACK_HEADER))},
    ]
    if view.lines:
        blocks.append({"type": "section", "text": _plain("\n".join(view.lines))})
    if view.link is not None:
        button = {
            "type": "button",
            "text": _plain(_cut(view.link.label, SLACK_BUTTON)),
            "url": view.link.url,
        }
        blocks.append({"type": "actions", "elements": [button]})
    fallback = _slack_escape(_cut("\n".join((view.title, *view.lines)), SLACK_SECTION))
    return {"text": fallback, "blocks": blocks}


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": False}


def _slack_escape(text: str) -> str:
    """Slack's three control characters, as its message formatting says to escape them."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# -- Google Chat: incoming webhook, text --------------------------------------------------------
def google_chat(view: ChatView) -> dict[str, Any]:
    """`text`: the title in bold, the lines, the sheet as `<url|label>`."""

    def render(v: ChatView) -> str:
        parts = [f"*{v.title}*", *v.lines]
        if v.link is not None:
            parts.append(f"<{v.link.url}|{v.link.label}>")
        return "\n".join(parts)

    def fits(v: ChatView) -> bool:
        text = render(v)
        return len(text) <= GOOGLE_CHAT_TEXT and len(text.encode()) <= GOOGLE_CHAT_BYTES

    return {"text": render(fitted(view, fits))}


# -- Microsoft Teams: Workflows webhook, an Adaptive Card ---------------------------------------
ADAPTIVE_CARD: Final = "application/vnd.microsoft.card.adaptive"


def teams(view: ChatView) -> dict[str, Any]:
    """A message with one Adaptive Card: text runs (Markdown is not read in a TextRun), the
    sheet as an Action.OpenUrl button."""

    def card(v: ChatView) -> dict[str, Any]:
        body: list[dict[str, Any]] = [_rich(v.title, weight="Bolder", size="Medium")]
        body.extend(_rich(line) for line in v.lines)
        content: dict[str, Any] = {
            "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
            "type": "AdaptiveCard",
            "version": "1.4",
            "body": body,
        }
        if v.link is not None:
            content["actions"] = [
                {"type": "Action.OpenUrl", "title": v.link.label, "url": v.link.url}
            ]
        attachment = {"contentType": ADAPTIVE_CARD, "contentUrl": None, "content": content}
        return {"type": "message", "attachments": [attachment]}

    def fits(v: ChatView) -> bool:
        return len(json.dumps(card(v), ensure_ascii=False).encode()) <= TEAMS_BYTES

    return card(fitted(view, fits))


def _rich(text: str, **style: str) -> dict[str, Any]:
    run = {"type": "TextRun", "text": text, **style}
    return {"type": "RichTextBlock", "inlines": [run]}


# -- Chatwork: API v2, message notation ---------------------------------------------------------
def chatwork(view: ChatView) -> str:
    """The message `body`: `[info][title]…[/title]` with the lines and the sheet's address."""

    def render(v: ChatView) -> str:
        parts = list(v.lines)
        if v.link is not None:
            parts += [v.link.label, v.link.url]
        return f"[info][title]{v.title}[/title]" + "\n".join(parts) + "[/info]"

    return render(fitted(view, lambda v: len(render(v)) <= CHATWORK_BODY))


def chatwork_task(step: str) -> str:
    """A task's `body`: the step, cut to one screen (the message above it has the context)."""
    return _cut(step, 500)


# -- LINE WORKS: API 2.0, a text message ------------------------------------------------------
def line_works(view: ChatView) -> dict[str, Any]:
    """`content` of type text: the title, the lines, the sheet's address (LINE WORKS makes it a
    link)."""

    def render(v: ChatView) -> str:
        parts: Sequence[str] = [v.title, *v.lines]
        if v.link is not None:
            parts = [*parts, v.link.label, v.link.url]
        return "\n".join(parts)

    text = render(fitted(view, lambda v: len(render(v)) <= LINE_WORKS_TEXT))
    return {"content": {"type": "text", "text": text}}
