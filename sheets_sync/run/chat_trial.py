"""`chat-test`: one short message to each chat channel (or one), so the consultant sees it
arrive during onboarding. Nothing is recorded: it is no agenda, and it can be sent any time."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from ..backends import web_link
from ..config import Config
from ..core.places import sheet_link
from ..core.sends import Channel
from ..errors import ChatError, UsageError
from ..meeting.chat.outlet import ChatOutlet, chat_outlets
from ..meeting.chat_view import ChatView, trial_message


@dataclass(frozen=True)
class TrialPost:
    """What happened on one channel: posted, or the error."""

    channel: Channel
    error: ChatError | None = None


def post_trial(config: Config, number: int | None = None) -> list[TrialPost]:
    """Post the test message to every channel, or to the `number`-th [[chat]] table only."""
    outlets = chat_outlets(config)
    if not outlets:
        raise UsageError("chat_none", path=config.path)
    if number is not None:
        if not 1 <= number <= len(outlets):
            raise UsageError("chat_no_such_channel", number=number, count=len(outlets))
        outlets = (outlets[number - 1],)
    view = trial_message(config, sheet_link(config.sheet.url, web_link(config)))
    return [_post(outlet, view) for outlet in outlets]


def _post(outlet: ChatOutlet, view: ChatView) -> TrialPost:
    try:
        # A fresh id each time: Google Chat would show a repeated test once otherwise.
        outlet.service().post(view, f"sheets-sync-test-{uuid.uuid4().hex}")
    except ChatError as error:
        return TrialPost(outlet.channel, error)
    return TrialPost(outlet.channel)
