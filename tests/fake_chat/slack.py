"""Slack incoming webhook: POST JSON to /services/T…/B…/<secret>; `text` always, optional
`blocks` (header ≤ 150, section text ≤ 3,000, button text ≤ 75); answers `ok`."""

from __future__ import annotations

from typing import Any

from .base import Answer, FakeChat, Request, content_type, require

SECRET_PATH = "/services/T0000SAKURA/B0000SAKURA/s1ackS3cretXXXXXXXXXXXX"


class FakeSlack(FakeChat):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[dict[str, Any]] = []

    @property
    def webhook(self) -> str:
        return self.url + SECRET_PATH

    def handle(self, request: Request) -> Answer:
        require(request.method == "POST", "method", 405)
        require(request.path == SECRET_PATH, "no_service", 404)
        require(content_type(request) == "application/json", "invalid_payload")
        body = request.json()
        require(isinstance(body.get("text"), str) and body["text"].strip() != "", "no_text")
        for block in body.get("blocks", []):
            _check_block(block)
        self.messages.append(body)
        return Answer(200, "ok")


def _check_block(block: dict[str, Any]) -> None:
    kind = block.get("type")
    if kind == "header":
        text = block["text"]
        require(text["type"] == "plain_text" and 0 < len(text["text"]) <= 150, "invalid_blocks")
    elif kind == "section":
        require(0 < len(block["text"]["text"]) <= 3000, "invalid_blocks")
    elif kind == "actions":
        for element in block["elements"]:
            require(element["type"] == "button", "invalid_blocks")
            require(len(element["text"]["text"]) <= 75, "invalid_blocks")
            require(element["url"].startswith(("https://", "http://")), "invalid_blocks")
    else:
        require(False, "invalid_blocks")
