"""Chatwork API v2: POST /v2/rooms/<room>/messages (form `body`) and /v2/rooms/<room>/tasks
(form `body`, `to_ids`, `limit`, `limit_type`), each with the `X-ChatWorkToken` header."""

from __future__ import annotations

from .base import Answer, FakeChat, Request, content_type, require

ROOM = "123456789"
TOKEN = "cwT0kenXXXXXXXXXXXXXXXXXXXXXXXXX"


class FakeChatwork(FakeChat):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []
        self.tasks: list[dict[str, str]] = []
        self.tasks_down = False  # the tasks endpoint answers 500 (messages still work)

    @property
    def base(self) -> str:
        return f"{self.url}/v2"

    def handle(self, request: Request) -> Answer:
        require(request.method == "POST", "method", 405)
        require(request.headers.get("x-chatworktoken") == TOKEN, "Invalid API token", 401)
        require(content_type(request) == "application/x-www-form-urlencoded", "form expected")
        form = request.form()
        if request.path == f"/v2/rooms/{ROOM}/messages":
            require(form.get("body", "").strip() != "", "body is required")
            self.messages.append(form["body"])
            return Answer(200, {"message_id": str(len(self.messages))})
        if request.path == f"/v2/rooms/{ROOM}/tasks":
            require(not self.tasks_down, "tasks are down", 500)
            require(form.get("body", "").strip() != "", "body is required")
            ids = form.get("to_ids", "").split(",")
            require(all(i.strip().isdigit() for i in ids), "to_ids")
            require(form.get("limit", "0").isdigit(), "limit")
            require(form.get("limit_type", "time") in ("none", "date", "time"), "limit_type")
            self.tasks.append(form)
            return Answer(200, {"task_ids": [len(self.tasks)]})
        require(False, "Not Found", 404)
        raise AssertionError("unreachable")
