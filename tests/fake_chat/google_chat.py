"""Google Chat incoming webhook: POST JSON `text` to /v1/spaces/<space>/messages?key=…&token=…;
`requestId` makes one message per id (a repeated id answers with the message already made)."""

from __future__ import annotations

from typing import Any

from .base import Answer, FakeChat, Request, content_type, require

SPACE = "AAAAsakura"
KEY = "AIzaSyGchatKeyXXXXXXXXXXXXXXXX"
TOKEN = "gchatT0kenXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"


class FakeGoogleChat(FakeChat):
    def __init__(self) -> None:
        super().__init__()
        self.messages: dict[str, dict[str, Any]] = {}  # by requestId, in arrival order

    @property
    def webhook(self) -> str:
        return f"{self.url}/v1/spaces/{SPACE}/messages?key={KEY}&token={TOKEN}"

    def handle(self, request: Request) -> Answer:
        require(request.method == "POST", "method", 405)
        require(request.path == f"/v1/spaces/{SPACE}/messages", "NOT_FOUND", 404)
        require(request.param("key") == KEY and request.param("token") == TOKEN, "auth", 401)
        require(content_type(request) == "application/json", "INVALID_ARGUMENT")
        require(len(request.body) <= 32_000, "message too large")
        body = request.json()
        require(isinstance(body.get("text"), str) and 0 < len(body["text"]) <= 4096, "text")
        request_id = request.param("requestId")
        require(request_id is not None and request_id != "", "this fake wants a requestId")
        assert request_id is not None
        if request_id not in self.messages:
            name = f"spaces/{SPACE}/messages/m{len(self.messages) + 1}"
            self.messages[request_id] = {"name": name, "text": body["text"]}
        return Answer(200, self.messages[request_id])
