"""``/_emulator/...`` control endpoints: health, request log, faults, tokens and seeding."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from . import seed
from .errors import ApiError, bad_request
from .faults import fault_from_json
from .protocol import Request, Response, empty_response, json_response

if TYPE_CHECKING:
    from .app import App


def handle(app: App, req: Request) -> Response:
    """Route a control request (never logged, never faulted, no auth)."""
    parts = [unquote(s) for s in req.segments[1:]]
    method = req.method
    if parts == ["health"] and method == "GET":
        return json_response({"status": "ok"})
    if parts == ["requests"]:
        if method == "GET":
            return json_response(app.log.entries(req.param("kind")))
        if method == "DELETE":
            app.log.clear()
            return empty_response(204)
    if parts == ["faults"]:
        if method == "GET":
            return json_response(app.faults.list())
        if method == "POST":
            body = req.json()
            items = body if isinstance(body, list) else [body]
            try:
                faults = [fault_from_json(item) for item in items]
            except (TypeError, ValueError) as exc:
                raise bad_request(str(exc)) from exc
            for fault in faults:
                app.faults.add(fault)
            return json_response(app.faults.list())
        if method == "DELETE":
            app.faults.clear()
            return empty_response(204)
    if parts == ["tokens"] and method == "DELETE":
        app.tokens.revoke_all()
        return empty_response(204)
    if parts == ["spreadsheets"] and method == "POST":
        return json_response(_seed(app, req.json_object()))
    if len(parts) == 4 and parts[0] == "spreadsheets" and parts[2] == "values" and method == "GET":
        try:
            rows = seed.values(
                app.store, parts[1], parts[3], req.param("render") or "UNFORMATTED_VALUE"
            )
        except KeyError as exc:
            raise ApiError(404, str(exc)) from exc
        return json_response({"values": rows})
    raise ApiError(404, f"No emulator control endpoint {method} {req.path}")


def _seed(app: App, body: dict[str, Any]) -> dict[str, Any]:
    """``POST /_emulator/spreadsheets`` ``{"title", "sheets": {title: rows}, "shared_with"}``."""
    shared = body.get("shared_with")
    try:
        spreadsheet_id = seed.create_spreadsheet(
            app.store,
            str(body.get("title") or "Untitled spreadsheet"),
            body.get("sheets") or None,
            shared_with=set(shared) if shared is not None else None,
            value_input_option=str(body.get("value_input_option") or "USER_ENTERED"),
            spreadsheet_id=body.get("spreadsheet_id"),
        )
    except ValueError as exc:
        raise bad_request(str(exc)) from exc
    return {"spreadsheetId": spreadsheet_id}
