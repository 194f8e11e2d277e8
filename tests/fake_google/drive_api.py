"""Drive API v3 endpoints (files, copy, permissions, comments, export, the change feed) plus
v2 CSV import.

Like the real Drive, a file that is not shared with the caller answers 404 "File not found"
(Sheets answers 403 for the same file). Every change — a Sheets write, a rename, a share — bumps
the file's ``version``, sets ``lastModifyingUser`` (``me`` when it is the caller) and shows in
``changes.list`` from a page token taken before it.
"""

from __future__ import annotations

import copy
import csv
import io
import re
from typing import Any
from urllib.parse import unquote

from .errors import ApiError, drive_error_body, drive_not_found
from .fieldmask import MaskError, parse_mask, project
from .protocol import Request, Response, empty_response, json_response
from .store import (
    SPREADSHEET_MIME,
    DriveFile,
    Store,
    new_numeric_id,
    new_sheet,
    now_rfc3339,
    permission_id,
)
from .values_api import write_values
from .views import read_values

DEFAULT_FILE_FIELDS = "kind,id,name,mimeType"
DEFAULT_LIST_FIELDS = "kind,incompleteSearch,files(kind,id,name,mimeType)"
DEFAULT_PERMISSION_FIELDS = "kind,id,type,role"
DEFAULT_CHANGE_FIELDS = (
    "kind,nextPageToken,newStartPageToken,"
    "changes(kind,removed,fileId,time,changeType,type,file(kind,id,name,mimeType))"
)
CHANGES_PAGE_SIZE = 100
CHANGES_MAX_PAGE_SIZE = 1000
ROLES = ("owner", "organizer", "fileOrganizer", "writer", "commenter", "reader")
TYPES = ("user", "group", "domain", "anyone")


def _drive_error(code: int, message: str, reason: str) -> ApiError:
    """A Drive-shaped error."""
    return ApiError(code, body=drive_error_body(code, message, reason))


def _project(req: Request, data: dict[str, Any], default: str) -> dict[str, Any]:
    """Apply the ``fields`` query parameter (or Drive's default selection)."""
    text = req.param("fields") or default
    try:
        mask = parse_mask(text)
    except MaskError as exc:
        raise _drive_error(400, f"Invalid field selection {text}", "invalidParameter") from exc
    result = project(data, mask)
    assert isinstance(result, dict)
    return result


def file_json(drive_file: DriveFile, caller: str | None) -> dict[str, Any]:
    """The full Drive ``File`` resource."""
    out: dict[str, Any] = {
        "kind": "drive#file",
        "id": drive_file.file_id,
        "name": drive_file.name,
        "mimeType": drive_file.mime_type,
        "starred": False,
        "trashed": drive_file.trashed,
        "parents": list(drive_file.parents) or ["0AEmulatorRootFolder"],
        "webViewLink": _web_link(drive_file),
        "createdTime": drive_file.created,
        "modifiedTime": drive_file.modified,
        "version": str(drive_file.version),
        "lastModifyingUser": _user(drive_file.modified_by, caller),
        "owners": [
            {
                "kind": "drive#user",
                "displayName": drive_file.owner.split("@", 1)[0],
                "me": drive_file.owner == caller,
                "permissionId": permission_id(drive_file.owner),
                "emailAddress": drive_file.owner,
            }
        ],
        "shared": len(drive_file.permissions) > 1,
        "capabilities": {"canEdit": True, "canCopy": True, "canShare": True},
    }
    return out


def _user(email: str, caller: str | None) -> dict[str, Any]:
    """A Drive ``User`` (``me`` is true when it is the caller)."""
    return {
        "kind": "drive#user",
        "displayName": email.split("@", 1)[0],
        "me": email == caller,
        "permissionId": permission_id(email),
        "emailAddress": email,
    }


def _web_link(drive_file: DriveFile) -> str:
    """The browser link Drive reports."""
    if drive_file.mime_type == SPREADSHEET_MIME:
        return f"https://docs.google.com/spreadsheets/d/{drive_file.file_id}/edit?usp=drivesdk"
    return f"https://drive.google.com/drive/folders/{drive_file.file_id}"


def _open(store: Store, raw_id: str, caller: str | None) -> DriveFile:
    """A file the caller can see, or Drive's 404."""
    file_id = unquote(raw_id)
    found = store.get(file_id)
    if found is None or not found.can_access(caller):
        raise drive_not_found(file_id)
    return found


_Q_MIME = re.compile(r"mimeType\s*(!=|=)\s*['\"]([^'\"]*)['\"]")
_Q_NAME = re.compile(r"name\s*(=|contains)\s*['\"]([^'\"]*)['\"]")
_Q_PARENT = re.compile(r"['\"]([^'\"]+)['\"]\s+in\s+parents|parents\s+in\s+['\"]([^'\"]+)['\"]")
_Q_TRASHED = re.compile(r"trashed\s*=\s*(true|false)")


def _matches(drive_file: DriveFile, query: str) -> bool:
    """Apply the supported parts of a Drive ``q`` (mimeType, name, parents, trashed)."""
    for op, value in _Q_MIME.findall(query):
        if (drive_file.mime_type == value) != (op == "="):
            return False
    for op, value in _Q_NAME.findall(query):
        name = drive_file.name
        if (op == "=" and name != value) or (op == "contains" and value not in name):
            return False
    for quoted_a, quoted_b in _Q_PARENT.findall(query):
        if (quoted_a or quoted_b) not in drive_file.parents:
            return False
    return all((flag == "true") == drive_file.trashed for flag in _Q_TRASHED.findall(query))


def handle(store: Store, req: Request) -> Response:
    """Route ``/drive/v3/files...`` and ``/upload/drive/...`` requests."""
    segments = req.segments
    with store.acting(req.caller):
        if segments[:3] == ["drive", "v3", "changes"]:
            return _changes(store, req, segments[3:])
        if segments[0] == "upload":
            return _upload(store, req, segments[1:])
        rest = segments[3:]  # after drive / v3 / files
        if not rest or rest == [""]:
            if req.method == "GET":
                return _list(store, req)
            if req.method == "POST":
                return _create(store, req)
        elif len(rest) == 1:
            drive_file = _open(store, rest[0], req.caller)
            if req.method == "GET":
                return json_response(
                    _project(req, file_json(drive_file, req.caller), DEFAULT_FILE_FIELDS)
                )
            if req.method == "DELETE":
                store.forget(drive_file)
                return empty_response(204)
            if req.method == "PATCH":
                return _patch(drive_file, req)
        elif len(rest) == 2:
            drive_file = _open(store, rest[0], req.caller)
            action = rest[1]
            if action == "copy" and req.method == "POST":
                body = req.json_object()
                name = body.get("name") or f"Copy of {drive_file.name}"
                clone = store.copy_file(drive_file, str(name), req.caller or "")
                if body.get("parents"):
                    clone.parents = [str(p) for p in body["parents"]]
                return json_response(
                    _project(req, file_json(clone, req.caller), DEFAULT_FILE_FIELDS)
                )
            if action == "permissions":
                answer = _permissions(drive_file, req)
                if req.method != "GET":
                    _metadata_changed(store, drive_file)
                return answer
            if action == "comments":
                return _comments(drive_file, req)
            if action == "export" and req.method == "GET":
                return _export(drive_file, req)
        elif len(rest) == 3 and rest[1] == "permissions":
            drive_file = _open(store, rest[0], req.caller)
            answer = _permission(drive_file, unquote(rest[2]), req)
            if req.method != "GET":
                _metadata_changed(store, drive_file)
            return answer
    raise _drive_error(404, f"Method not found: {req.method} {req.path}", "notFound")


def _metadata_changed(store: Store, drive_file: DriveFile) -> None:
    """Sharing is a change in the feed and a new version, but not a modification (modifiedTime
    and lastModifyingUser stay)."""
    drive_file.version += 1
    store.changes.record(drive_file.file_id, now_rfc3339())


def _changes(store: Store, req: Request, rest: list[str]) -> Response:
    """``changes.getStartPageToken`` and ``changes.list`` for the caller's files.

    A page token is the number of the first change it covers; each file appears once, with
    its state now (Drive keeps only a file's latest change). A file the caller cannot open is
    left out; a deleted one is ``removed`` (unless ``includeRemoved=false``).
    """
    if req.method != "GET":
        raise _drive_error(405, "Method not allowed", "methodNotAllowed")
    if rest == ["startPageToken"]:
        start_data = {"kind": "drive#startPageToken", "startPageToken": str(store.changes.next_id)}
        return json_response(_project(req, start_data, "kind,startPageToken"))
    if rest not in ([], [""]):
        raise _drive_error(404, f"Method not found: GET {req.path}", "notFound")
    token = req.param("pageToken")
    if not token:
        raise _drive_error(400, "The pageToken parameter is required.", "required")
    try:
        start = int(token)
        size = int(req.param("pageSize") or CHANGES_PAGE_SIZE)
    except ValueError as exc:
        raise _drive_error(400, f"Invalid Value: {token}", "invalid") from exc
    if start < 1 or size < 1:
        raise _drive_error(400, f"Invalid Value: {token}", "invalid")
    size = min(size, CHANGES_MAX_PAGE_SIZE)
    include_removed = req.flag("includeRemoved", True)
    changes: list[dict[str, Any]] = []
    next_token: str | None = None
    for change_id, file_id, when in store.changes.since(start):
        drive_file = store.files.get(file_id)
        entry: dict[str, Any] = {
            "kind": "drive#change",
            "changeType": "file",
            "type": "file",
            "time": when,
            "fileId": file_id,
        }
        if drive_file is None:
            if not include_removed:
                continue
            entry["removed"] = True
        elif not drive_file.can_access(req.caller):
            continue
        else:
            entry["removed"] = False
            entry["file"] = file_json(drive_file, req.caller)
        if len(changes) == size:
            next_token = str(change_id)
            break
        changes.append(entry)
    data: dict[str, Any] = {"kind": "drive#changeList", "changes": changes}
    if next_token is not None:
        data["nextPageToken"] = next_token
    else:
        data["newStartPageToken"] = str(store.changes.next_id)
    return json_response(_project(req, data, DEFAULT_CHANGE_FIELDS))


def _list(store: Store, req: Request) -> Response:
    """``files.list`` (no paging: everything visible to the caller, oldest first)."""
    query = req.param("q") or ""
    files = [
        file_json(f, req.caller)
        for f in store.files.values()
        if f.can_access(req.caller)
        and _matches(f, query)
        and (not f.trashed or _Q_TRASHED.search(query))
    ]
    data = {"kind": "drive#fileList", "incompleteSearch": False, "files": files}
    return json_response(_project(req, data, DEFAULT_LIST_FIELDS))


def _create(store: Store, req: Request) -> Response:
    """``files.create`` without media: spreadsheets get a blank ``Sheet1``."""
    body = req.json_object()
    mime = str(body.get("mimeType") or "application/octet-stream")
    name = str(body.get("name") or "Untitled")
    if mime == SPREADSHEET_MIME:
        drive_file = store.add_spreadsheet(
            name if body.get("name") else "Untitled spreadsheet", req.caller or ""
        )
    else:
        drive_file = store.add_plain_file(name, mime, req.caller or "")
    if body.get("parents"):
        drive_file.parents = [str(p) for p in body["parents"]]
    return json_response(_project(req, file_json(drive_file, req.caller), DEFAULT_FILE_FIELDS))


def _patch(drive_file: DriveFile, req: Request) -> Response:
    """``files.update`` (metadata only): rename, move between parents, trash."""
    body = req.json_object()
    if body.get("name"):
        drive_file.name = str(body["name"])
    if "trashed" in body:
        drive_file.trashed = bool(body["trashed"])
    add = [p for p in (req.param("addParents") or "").split(",") if p]
    remove = [p for p in (req.param("removeParents") or "").split(",") if p]
    drive_file.parents = [p for p in drive_file.parents if p not in remove] + add
    drive_file.touch()
    return json_response(_project(req, file_json(drive_file, req.caller), DEFAULT_FILE_FIELDS))


def _permissions(drive_file: DriveFile, req: Request) -> Response:
    """``permissions.list`` and ``permissions.create`` (sharing opens the file to the grantee)."""
    if req.method == "GET":
        data = {
            "kind": "drive#permissionList",
            "permissions": copy.deepcopy(drive_file.permissions),
        }
        return json_response(
            _project(req, data, "kind,permissions(" + DEFAULT_PERMISSION_FIELDS + ")")
        )
    if req.method != "POST":
        raise _drive_error(405, "Method not allowed", "methodNotAllowed")
    body = req.json_object()
    role, ptype = body.get("role"), body.get("type")
    if role not in ROLES:
        raise _drive_error(400, "The permission role field is required.", "required")
    if ptype not in TYPES:
        raise _drive_error(400, "The permission type field is required.", "required")
    permission: dict[str, Any] = {"kind": "drive#permission", "type": ptype, "role": role}
    if ptype in ("user", "group"):
        email = body.get("emailAddress")
        if not email:
            raise _drive_error(400, "The permission emailAddress field is required.", "required")
        permission.update(
            {
                "id": permission_id(str(email)),
                "emailAddress": str(email),
                "displayName": str(email).split("@", 1)[0],
            }
        )
        if drive_file.shared_with is not None:
            drive_file.shared_with.add(str(email))
    elif ptype == "domain":
        permission.update({"id": "domain-" + permission_id(str(body.get("domain")))})
        permission["domain"] = str(body.get("domain"))
    else:
        permission["id"] = "anyoneWithLink" if body.get("withLink") else "anyone"
        drive_file.shared_with = None
    permission.update({"deleted": False, "pendingOwner": False})
    drive_file.permissions = [p for p in drive_file.permissions if p["id"] != permission["id"]]
    drive_file.permissions.append(permission)
    return json_response(_project(req, permission, DEFAULT_PERMISSION_FIELDS))


def _permission(drive_file: DriveFile, perm_id: str, req: Request) -> Response:
    """``permissions.get`` and ``permissions.delete``."""
    found = next((p for p in drive_file.permissions if p["id"] == perm_id), None)
    if found is None:
        raise _drive_error(404, f"Permission not found: {perm_id}.", "notFound")
    if req.method == "GET":
        return json_response(_project(req, copy.deepcopy(found), DEFAULT_PERMISSION_FIELDS))
    if req.method == "DELETE":
        if found["role"] == "owner":
            raise _drive_error(403, "The owner of a file cannot be removed.", "cannotRemoveOwner")
        drive_file.permissions.remove(found)
        email = found.get("emailAddress")
        if drive_file.shared_with is not None and email:
            drive_file.shared_with.discard(str(email))
        return empty_response(204)
    raise _drive_error(405, "Method not allowed", "methodNotAllowed")


def _comments(drive_file: DriveFile, req: Request) -> Response:
    """``comments.list`` / ``comments.create`` (stored, never shown in cells)."""
    if req.method == "GET":
        return json_response(
            _project(req, {"comments": copy.deepcopy(drive_file.comments)}, "comments")
        )
    body = req.json_object()
    comment = {
        "kind": "drive#comment",
        "id": f"AAAA{len(drive_file.comments) + 1:08d}",
        "content": str(body.get("content", "")),
        "createdTime": now_rfc3339(),
    }
    if body.get("anchor"):
        comment["anchor"] = body["anchor"]
    drive_file.comments.append(comment)
    return json_response(_project(req, comment, "kind,id,content,createdTime"))


def _export(drive_file: DriveFile, req: Request) -> Response:
    """``files.export`` to CSV/TSV: the first sheet's formatted values."""
    mime = req.param("mimeType") or ""
    spreadsheet = drive_file.spreadsheet
    delimiter = {"text/csv": ",", "text/tab-separated-values": "\t"}.get(mime)
    if spreadsheet is None or delimiter is None:
        raise _drive_error(
            400, f"Export to {mime!r} is not supported by the emulator", "badRequest"
        )
    sheet = spreadsheet.sheets[0]
    rows = read_values(sheet, (0, 0, sheet.row_count, sheet.column_count))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerows(rows)
    text = buffer.getvalue().removesuffix("\r\n")
    return Response(200, text.encode("utf-8"), content_type=mime)


def _upload(store: Store, req: Request, rest: list[str]) -> Response:
    """``PUT /upload/drive/v2/files/{id}`` with CSV (gspread's ``import_csv``)."""
    if len(rest) == 4 and rest[:3] == ["drive", "v2", "files"] and req.method == "PUT":
        drive_file = _open(store, rest[3], req.caller)
        spreadsheet = drive_file.spreadsheet
        if spreadsheet is None:
            raise _drive_error(400, "Only spreadsheets can be imported into", "badRequest")
        text = req.body.decode("utf-8-sig")
        rows = [list(row) for row in csv.reader(io.StringIO(text))]
        # Like Drive, the import leaves one fresh sheet named after the file.
        first = new_sheet(new_numeric_id(), spreadsheet.title)
        spreadsheet.sheets = [first]
        write_values(first, 0, 0, rows, "USER_ENTERED")
        drive_file.touch()
        return json_response(
            {
                "kind": "drive#file",
                "id": drive_file.file_id,
                "title": drive_file.name,
                "mimeType": drive_file.mime_type,
            }
        )
    raise ApiError(501, "Media uploads other than CSV import are not emulated", "NOT_IMPLEMENTED")
