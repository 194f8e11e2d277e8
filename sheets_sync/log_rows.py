"""The Log tab's rows read back: what earlier runs did and sent, in either language."""

from __future__ import annotations

from .log_words import log_key
from .parse import cell_text, parse_integer
from .tabs import RawTab
from .workbook import LogEntry


def read_log(raw: RawTab) -> list[LogEntry]:
    """Every filled row under the header: when, what, result, cycle, details (the words are
    read back to their keys, whichever language wrote them)."""
    entries: list[LogEntry] = []
    for line in raw.rows[1:]:
        texts = [cell_text(cell.value) for cell in line] + [""] * 5
        if not any(texts[:5]):
            continue
        number = parse_integer(line[3].value) if len(line) > 3 else None
        cycle = number if isinstance(number, int) else None
        what, result = log_key(texts[1]), log_key(texts[2])  # stored in either language
        entries.append(LogEntry(texts[0], what, result, cycle, texts[4]))
    return entries
