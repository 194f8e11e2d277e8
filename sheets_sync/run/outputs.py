"""Files a command writes beside the workbook (--report, --out): never over a file not ours."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Final, Literal

from ..backends import local_file
from ..config import Config
from ..errors import UsageError
from ..meeting.mail import AGENDA_HEADER_PREFIX, AGENDA_MARKER
from ..words.core import Phrase

# A report is ours when it is a JSON object with the report's own top-level keys.
REPORT_KEYS: Final = frozenset({"client", "language", "generated_at", "checks", "agenda"})
_TAIL_BYTES: Final = 512
_HEAD_BYTES: Final = 64 * 1024

Kind = Literal["report", "agenda"]


def check_output(path: Path, kind: Kind, config: Config, option: str) -> None:
    """Refuse (exit 2, naming the file) to write onto the client's workbook or config, or onto
    any existing file that an earlier report or agenda did not write. Nothing is written here."""
    target = path.resolve()
    if target == config.path.resolve():
        raise UsageError("output_is_config", option=option, path=path)
    workbook = local_file(config)
    if workbook is not None and target == workbook.resolve():
        raise UsageError("output_is_workbook", option=option, path=path)
    if not path.exists():
        return
    if path.is_dir():
        raise UsageError("output_is_folder", option=option, path=path)
    if not path.is_file():  # /dev/full, a pipe, a socket: nothing a report or agenda can be
        raise UsageError("output_not_a_file", option=option, path=path)
    ours = _is_report(path) if kind == "report" else _is_agenda(path)
    if not ours:
        what = (
            Phrase("error.what_report_file")
            if kind == "report"
            else Phrase("error.what_agenda_file")
        )
        raise UsageError("output_not_ours", option=option, path=path, what=what)


def _is_report(path: Path) -> bool:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return False
    return isinstance(data, dict) and data.keys() >= REPORT_KEYS


def _is_agenda(path: Path) -> bool:
    try:
        with path.open("rb") as stream:
            head = stream.read(_HEAD_BYTES)
            size = stream.seek(0, 2)
            stream.seek(max(0, size - _TAIL_BYTES))
            tail = stream.read()
    except OSError:
        return False
    if path.suffix.lower() == ".eml":
        headers = head.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
        return any(line.lower().startswith(AGENDA_HEADER_PREFIX) for line in headers.splitlines())
    return AGENDA_MARKER.encode() in tail
