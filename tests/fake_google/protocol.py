"""Request and response value objects passed between the HTTP layer and the API handlers."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from .errors import bad_request


@dataclass
class Request:
    """One parsed HTTP request; ``caller`` is the authenticated e-mail (set by the server)."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes = b""
    caller: str | None = None

    @property
    def segments(self) -> list[str]:
        """The raw (still URL-encoded) path segments, without the leading empty one."""
        return self.path.split("/")[1:]

    def param(self, name: str, default: str | None = None) -> str | None:
        """The first value of query parameter ``name``."""
        values = self.query.get(name)
        return values[0] if values else default

    def flag(self, name: str, default: bool = False) -> bool:
        """A boolean query parameter (``true``/``True``/``1``)."""
        value = self.param(name)
        if value is None:
            return default
        return value.strip().lower() in ("true", "1", "yes")

    def json(self) -> Any:
        """The body parsed as JSON (``{}`` when empty); 400 like Google when it is not JSON."""
        if not self.body.strip():
            return {}
        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise bad_request(f"Invalid JSON payload received. {exc}") from exc

    def json_object(self) -> dict[str, Any]:
        """The body as a JSON object; 400 when it is another JSON type."""
        data = self.json()
        if not isinstance(data, dict):
            raise bad_request("Invalid JSON payload received. Expected an object.")
        return data


@dataclass
class Response:
    """An HTTP answer: status, body bytes, content type and extra headers."""

    status: int
    body: bytes = b""
    content_type: str = "application/json; charset=UTF-8"
    headers: dict[str, str] = field(default_factory=dict)


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A JSON answer encoded as UTF-8 (non-ASCII kept as is, like Google; compact, because
    ``indent`` would switch ``json`` to its slow pure-Python encoder)."""
    body = json.dumps(data, ensure_ascii=False).encode("utf-8")
    return Response(status, body, headers=dict(headers or {}))


def empty_response(status: int = 204) -> Response:
    """An answer without a body (Drive's DELETE)."""
    return Response(status, b"", content_type="text/html")


def decode_segment(segment: str) -> str:
    """URL-decode one path segment."""
    return unquote(segment)
