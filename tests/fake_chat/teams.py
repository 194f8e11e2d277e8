"""Teams Workflows webhook ("When a Teams webhook request is received"): POST JSON with
`type = message` and one Adaptive Card attachment, at most 28 KB; answers 202 Accepted."""

from __future__ import annotations

from typing import Any

from .base import Answer, FakeChat, Request, content_type, require

FLOW_PATH = "/workflows/5a1ec0ffee/triggers/manual/paths/invoke"
SIG = "teamsSigXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"


class FakeTeams(FakeChat):
    def __init__(self) -> None:
        super().__init__()
        self.cards: list[dict[str, Any]] = []

    @property
    def webhook(self) -> str:
        return f"{self.url}{FLOW_PATH}?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig={SIG}"

    def handle(self, request: Request) -> Answer:
        require(request.method == "POST", "method", 405)
        require(request.path == FLOW_PATH and request.param("sig") == SIG, "unauthorized", 401)
        require(content_type(request) == "application/json", "unsupported media type", 415)
        require(len(request.body) <= 28 * 1024, "RequestEntityTooLarge", 413)
        body = request.json()
        require(body.get("type") == "message", "type must be message")
        [attachment] = body["attachments"]
        require(attachment["contentType"] == "application/vnd.microsoft.card.adaptive", "card")
        card = attachment["content"]
        require(
            card["type"] == "AdaptiveCard" and card["version"] in ("1.2", "1.3", "1.4", "1.5"),
            "card",
        )
        require(isinstance(card["body"], list) and card["body"] != [], "card body")
        for action in card.get("actions", []):
            require(
                action["type"] == "Action.OpenUrl" and action["url"].startswith("http"), "action"
            )
        self.cards.append(card)
        return Answer(202, "")
