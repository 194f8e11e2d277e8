"""Google-shaped error answers (``{"error": {"code", "message", "status"}}``) as an exception."""

from __future__ import annotations

from typing import Any

STATUS_TEXT = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ABORTED",
    429: "RESOURCE_EXHAUSTED",
    499: "CANCELLED",
    500: "INTERNAL",
    501: "NOT_IMPLEMENTED",
    502: "UNAVAILABLE",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}

# The messages Google sends with these codes when nothing more specific applies.
DEFAULT_MESSAGES = {
    400: "Request contains an invalid argument.",
    401: (
        "Request is missing required authentication credential. Expected OAuth 2 access "
        "token, login cookie or other valid authentication credential. See "
        "https://developers.google.com/identity/sign-in/web/devconsole-project."
    ),
    403: "The caller does not have permission",
    404: "Requested entity was not found.",
    429: (
        "Quota exceeded for quota metric 'Write requests' and limit 'Write requests per "
        "minute per user' of service 'sheets.googleapis.com' for consumer "
        "'project_number:000000000000'."
    ),
    500: "Internal error encountered.",
    502: "Bad Gateway",
    503: "The service is currently unavailable.",
    504: "The request timed out. Please try again.",
}


def error_body(
    code: int,
    message: str | None = None,
    status: str | None = None,
    details: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The JSON body Google APIs send for an error (Sheets v4 / Cloud style)."""
    error: dict[str, Any] = {
        "code": code,
        "message": message if message is not None else DEFAULT_MESSAGES.get(code, "Error"),
        "status": status or STATUS_TEXT.get(code, "UNKNOWN"),
    }
    if details:
        error["details"] = details
    return {"error": error}


def drive_error_body(code: int, message: str, reason: str, location: str | None = None) -> Any:
    """The JSON body Drive v3 sends for an error (with the legacy ``errors`` list)."""
    item: dict[str, Any] = {"message": message, "domain": "global", "reason": reason}
    if location:
        item["location"] = location
        item["locationType"] = "parameter"
    return {"error": {"code": code, "message": message, "errors": [item]}}


class ApiError(Exception):
    """Raised by handlers; the server turns it into an HTTP answer with a Google error body."""

    def __init__(
        self,
        code: int,
        message: str | None = None,
        status: str | None = None,
        *,
        body: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.code = code
        self.body = body if body is not None else error_body(code, message, status)
        self.headers = headers or {}
        super().__init__(f"{code}: {message}")


def bad_request(message: str) -> ApiError:
    """400 INVALID_ARGUMENT with ``message``."""
    return ApiError(400, message)


def not_found() -> ApiError:
    """404 NOT_FOUND as Sheets sends it for an unknown spreadsheet."""
    return ApiError(404, DEFAULT_MESSAGES[404])


def permission_denied() -> ApiError:
    """403 PERMISSION_DENIED as Sheets sends it for a spreadsheet not shared with the caller."""
    return ApiError(403, DEFAULT_MESSAGES[403])


def drive_not_found(file_id: str) -> ApiError:
    """404 as Drive v3 sends it for a file that is unknown or not visible to the caller."""
    message = f"File not found: {file_id}."
    return ApiError(404, body=drive_error_body(404, message, "notFound", "fileId"))
