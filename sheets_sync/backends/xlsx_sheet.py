"""A generated tab as a worksheet part, and the few styles it needs appended to styles.xml.

Text is always an inline string (never a formula, never a shared string); only an OutCell
marked `formula` becomes one. Existing styles are never renumbered: ours are appended once and
found again on the next sync.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from xml.etree import ElementTree
from xml.sax.saxutils import escape, quoteattr

from openpyxl.styles.numbers import BUILTIN_FORMATS_REVERSE
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

from ..errors import SheetAccessError
from ..sheet.tabs import GeneratedTab, OutCell
from ..util.display import display_width
from .xlsx_xml import MAIN_NS, REL_NS

FONT_NAME = "Meiryo"
# name → (bold, italic, underline, size, colour, fill colour)
_LOOKS: dict[str, tuple[bool, bool, bool, int, str | None, str | None]] = {
    "": (False, False, False, 11, None, None),
    "title": (True, False, False, 16, None, None),
    "subtitle": (True, False, False, 12, "1F3864", None),
    "header": (True, False, False, 11, None, "DDE4EE"),
    "muted": (False, True, False, 11, "595959", None),
    "good": (True, False, False, 11, "1B6E20", None),
    "bad": (True, False, False, 11, "B00020", None),
    "neutral": (False, False, False, 11, "404040", None),
    "error": (False, False, False, 11, None, "FBE3E4"),
    "warning": (False, False, False, 11, None, "FFF4CE"),
    "ok": (False, False, False, 11, None, "E3F4E4"),
    "link": (False, False, True, 11, "0563C1", None),
    "spark": (False, False, False, 12, "1F3864", None),
}
_ALIGN = {
    "center": '<alignment horizontal="center" vertical="top" wrapText="1"/>',
    "wrap": '<alignment vertical="top" wrapText="1"/>',
    "top": '<alignment vertical="top"/>',
    "header": '<alignment vertical="center" wrapText="1"/>',
    # A row of single lines sits on the bottom, so its numbers and text share one baseline:
    # LibreOffice draws digits and Japanese in two fonts of different heights, and "top"
    # would lift the numbers. A row with wrapped text keeps "top", where reading starts.
    "center_line": '<alignment horizontal="center" vertical="bottom" wrapText="1"/>',
    "wrap_line": '<alignment vertical="bottom" wrapText="1"/>',
    "top_line": '<alignment vertical="bottom"/>',
}
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Text that looks like one of Excel's `_xHHHH_` escapes: its underscore is itself escaped
# (`_x005F_`), or Excel would show the character instead of the text.
_LOOKS_ESCAPED = re.compile("_(?=x[0-9A-Fa-f]{4}_)")
_OWNER_PREFIX = "SheetsSync"  # our sheets' codeName: SheetsSyncSummary, SheetsSyncChecks …


def code_name(key: str) -> str:
    """The ownership marker of a generated tab: a codeName no staff sheet carries."""
    return _OWNER_PREFIX + "".join(part.capitalize() for part in key.split("_"))


# The marker, optionally numbered: the sync numbers its own when a renamed old Log keeps
# `SheetsSyncLog` (codeNames must be unique), and Excel numbers a copy's (`SheetsSyncSummary1`).
# A marked copy is still never written: writing also needs the exact generated title.
_MARKER = re.compile(_OWNER_PREFIX + r"(Summary|Checks|Log)[0-9]*")


def marked_key(code: str | None) -> str | None:
    """The generated tab (`summary`, `checks`, `log`) whose marker this codeName is, if any."""
    match = _MARKER.fullmatch(code or "")
    return match.group(1).lower() if match else None


@dataclass(frozen=True)
class _Look:
    style: str
    number_format: str | None
    align: str


def _font(style: str) -> str:
    bold, italic, underline, size, colour, _ = _LOOKS.get(style, _LOOKS[""])
    return (
        "<font>"
        + ("<b/>" if bold else "")
        + ("<i/>" if italic else "")
        + ('<u val="single"/>' if underline else "")
        + f'<sz val="{size}"/>'
        + (f'<color rgb="FF{colour}"/>' if colour else "")
        + f'<name val="{FONT_NAME}"/><family val="2"/></font>'
    )


def _fill(colour: str) -> str:
    return (
        f'<fill><patternFill patternType="solid"><fgColor rgb="FF{colour}"/>'
        '<bgColor indexed="64"/></patternFill></fill>'
    )


def _shape(element: ElementTree.Element) -> tuple[object, ...]:
    return (
        element.tag.split("}")[-1],
        tuple(sorted(element.attrib.items())),
        tuple(_shape(child) for child in element),
    )


def _parse(snippet: str) -> ElementTree.Element:
    return ElementTree.fromstring(re.sub(r"^<(\w+)", rf'<\1 xmlns="{MAIN_NS}"', snippet))


class StyleBook:
    """styles.xml plus our appended fonts, fills, number formats and cell formats."""

    def __init__(self, xml: bytes) -> None:
        self.text = xml.decode("utf-8")
        self.root = ElementTree.fromstring(xml)
        prefix = re.search(r"<(\w+:)?styleSheet\b", self.text)
        self.prefix = prefix.group(1) or "" if prefix else ""
        self._new: dict[str, list[str]] = {"numFmts": [], "fonts": [], "fills": [], "cellXfs": []}
        self._known: dict[str, list[tuple[object, ...]]] = {
            tag: [_shape(child) for child in self._section(tag)] for tag in self._new
        }
        self._formats = {
            child.get("formatCode", ""): int(child.get("numFmtId", "0"))
            for child in self._section("numFmts")
        }
        self._looks: dict[_Look, int] = {}

    def _section(self, tag: str) -> list[ElementTree.Element]:
        found = self.root.find(f"{{{MAIN_NS}}}{tag}")
        return list(found) if found is not None else []

    def _index(self, tag: str, snippet: str) -> int:
        shape = _shape(_parse(snippet))
        known = self._known[tag]
        if shape in known:
            return known.index(shape)
        known.append(shape)
        self._new[tag].append(snippet)
        return len(known) - 1

    def _number_format(self, code: str | None) -> int:
        if not code:
            return 0
        if code in BUILTIN_FORMATS_REVERSE:
            return int(BUILTIN_FORMATS_REVERSE[code])
        if code not in self._formats:
            self._formats[code] = max([163, *self._formats.values()]) + 1
            self._new["numFmts"].append(
                f'<numFmt numFmtId="{self._formats[code]}" formatCode={quoteattr(code)}/>'
            )
        return self._formats[code]

    def xf(self, style: str, number_format: str | None, align: str) -> int:
        """The cell format index for one look, appended the first time it is used."""
        look = _Look(style, number_format, align)
        if look in self._looks:
            return self._looks[look]
        font = self._index("fonts", _font(style))
        fill_colour = _LOOKS.get(style, _LOOKS[""])[5]
        fill = self._index("fills", _fill(fill_colour)) if fill_colour else 0
        number = self._number_format(number_format)
        snippet = (
            f'<xf numFmtId="{number}" fontId="{font}" fillId="{fill}" borderId="0" xfId="0" '
            'applyNumberFormat="1" applyFont="1" applyFill="1" applyAlignment="1">'
            f"{_ALIGN[align]}</xf>"
        )
        index = self._index("cellXfs", snippet)
        self._looks[look] = index
        return index

    def changed(self) -> bytes | None:
        """styles.xml with our additions, or None when everything we use was already there."""
        if not any(self._new.values()):
            return None
        text = self.text
        for tag in ("numFmts", "fonts", "fills", "cellXfs"):
            if self._new[tag]:
                text = self._append(text, tag, self._new[tag])
        return text.encode("utf-8")

    def _append(self, text: str, tag: str, items: list[str]) -> str:
        p = self.prefix
        body = "".join(_prefixed(item, p) for item in items)
        start = re.search(rf"<{p}{tag}\b([^>]*?)(/?)>", text)
        total = len(self._section(tag)) + len(items)
        if start is None:
            if tag != "numFmts":
                raise SheetAccessError("styles_no_list", tag=tag)
            root = re.search(rf"<{p}styleSheet\b[^>]*>", text)
            assert root is not None
            return text[: root.end()] + f'<{p}numFmts count="{total}">{body}</{p}numFmts>' + (
                text[root.end() :])  # fmt: skip
        attrs = re.sub(r'\s*\bcount="\d*"', "", start.group(1))
        opening = f'<{p}{tag}{attrs} count="{total}">'
        if start.group(2):
            return text[: start.start()] + opening + body + f"</{p}{tag}>" + text[start.end() :]
        close = text.index(f"</{p}{tag}>", start.end())
        return text[: start.start()] + opening + text[start.end() : close] + body + text[close:]


def _prefixed(snippet: str, prefix: str) -> str:
    if not prefix:
        return snippet
    return re.sub(r"<(/?)(\w)", rf"<\1{prefix}\2", snippet)


def _clean(value: str) -> str:
    return _ILLEGAL_XML.sub("", value)


def _text(value: str) -> str:
    return escape(_LOOKS_ESCAPED.sub("_x005F_", _clean(value)))


def _cell(ref: str, out: OutCell, xf: int) -> str:
    value = out.value
    head = f'<c r="{ref}" s="{xf}"'
    if value is None or value == "":
        return head + "/>"
    if isinstance(value, str):
        if out.formula:
            return head + f"><f>{escape(_clean(value.removeprefix('=')))}</f></c>"
        return head + f' t="inlineStr"><is><t xml:space="preserve">{_text(value)}</t></is></c>'
    if isinstance(value, bool):
        return head + f' t="b"><v>{int(value)}</v></c>'
    if isinstance(value, datetime | date):
        plain = value.replace(tzinfo=None) if isinstance(value, datetime) else value
        return head + f"><v>{to_excel(plain)}</v></c>"
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return head + f' t="inlineStr"><is><t>{value}</t></is></c>'
        return head + f"><v>{value!r}</v></c>"
    return head + f' t="inlineStr"><is><t xml:space="preserve">{_text(str(value))}</t></is></c>'


def _number_format(out: OutCell) -> str | None:
    if out.number_format:
        return out.number_format
    if isinstance(out.value, datetime):
        return "yyyy-mm-dd h:mm:ss"
    if isinstance(out.value, date):
        return "yyyy-mm-dd"
    return None


def _align(out: OutCell, wrap: bool) -> str:
    value = out.value
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if number or out.centered or out.style == "header":
        return "center"
    return "wrap" if wrap and isinstance(value, str) else "top"


_DEFAULT_HEIGHT = 15  # points: one line of 11-point text
_DEFAULT_WIDTH = 9  # characters: a column without a width
_MAX_HEIGHT = 409  # Excel's limit


def _column_width(tab: GeneratedTab, column: int) -> float:
    return tab.widths[column - 1] if column <= len(tab.widths) else _DEFAULT_WIDTH


def _lines(out: OutCell, width: float, wrapped: bool) -> int:
    """How many lines a cell's text takes, estimated from the column width when it wraps."""
    if not isinstance(out.value, str) or not out.value:
        return 1
    parts = out.value.split("\n")
    if not wrapped:
        return len(parts)
    room = max(int(width), 1)
    return sum(max(1, math.ceil(display_width(part) / room)) for part in parts)


def _line_height(style: str) -> float:
    size = _LOOKS.get(style, _LOOKS[""])[3]
    return round(_DEFAULT_HEIGHT * max(size, 11) / 11, 1)


# Printing: landscape on the smaller of A4 and Letter (Letter is narrower, A4 shorter), inside
# the margins of _MARGINS (inches); a column of width w is w * 7 + 5 pixels (Calibri 11's
# digit, Excel's unit) at 96 dpi, i.e. 0.75 points a pixel.
_MARGINS = (
    '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
)
_PRINT_WIDTH = (11.0 - 2 * 0.7) * 72
_PRINT_HEIGHT = (8.27 - 2 * 0.75) * 72
# A tab that fits one page at this scale or more prints on one page (a Summary with a few
# cycles: 11-point text at 6.6 points); a longer one prints one page wide and as many pages
# tall as it needs, at the larger scale.
_SMALLEST_ONE_PAGE_SCALE = 0.6


def _page_setup(tab: GeneratedTab, height: float) -> str:
    """Landscape and one page wide; also one page tall when that keeps the text readable."""
    width = sum((w * 7 + 5) * 0.75 for w in tab.widths) or _PRINT_WIDTH
    one_page = min(1.0, _PRINT_WIDTH / width, _PRINT_HEIGHT / max(height, 1.0))
    tall = 1 if one_page >= _SMALLEST_ONE_PAGE_SCALE else 0
    return f'<pageSetup orientation="landscape" fitToWidth="1" fitToHeight="{tall}"/>'


def _row_xml(
    tab: GeneratedTab, r: int, spans: dict[tuple[int, int], float], styles: StyleBook
) -> tuple[list[str], list[str], float | None, int]:
    """One row's cells, its hyperlinks, the height it gets (None: the default) and its last
    column."""
    line = tab.rows[r - 1] if r <= len(tab.rows) else []
    wrap = sum(1 for out in line if out.value not in (None, "")) > 1
    placed: list[tuple[int, OutCell, str, str]] = []
    fitted: float = _DEFAULT_HEIGHT
    one_line = True
    for c, out in enumerate(line, start=1):
        if out.value is None and out.style is None:
            continue
        style = "link" if out.link else (out.style or "")
        align = _align(out, wrap)
        lines = _lines(out, spans.get((r, c)) or _column_width(tab, c), align != "top")
        fitted = max(fitted, min(_MAX_HEIGHT, _line_height(style) * lines))
        one_line = one_line and lines == 1
        placed.append((c, out, style, align))
    cells: list[str] = []
    links: list[str] = []
    for c, out, style, align in placed:
        ref = f"{get_column_letter(c)}{r}"
        look = f"{align}_line" if one_line else align
        cells.append(_cell(ref, out, styles.xf(style, _number_format(out), look)))
        if out.link:
            display = f" display={quoteattr(_clean(str(out.value)))}" if out.value else ""
            links.append(f'<hyperlink ref="{ref}" location={quoteattr(out.link)}{display}/>')
    # Neither Excel nor LibreOffice sizes rows when it opens a file: a tall title or
    # wrapped text gets the height it needs here, unless the tab sets one.
    height = tab.row_heights.get(r) or (fitted if fitted > _DEFAULT_HEIGHT else None)
    return cells, links, height, max((c for c, *_ in placed), default=1)


def generated_sheet_xml(tab: GeneratedTab, styles: StyleBook, code: str | None = None) -> bytes:
    """The whole worksheet part of a generated tab, marked as ours by its codeName (`code`,
    one the workbook does not hold yet; by default the plain marker)."""
    rows: list[str] = []
    links: list[str] = []
    max_column = 1
    last_row = max([len(tab.rows), *tab.row_heights.keys()]) if tab.rows or tab.row_heights else 0
    spans = {  # a merged cell wraps across all its columns
        (r1, c1): sum(_column_width(tab, c) for c in range(c1, c2 + 1))
        for r1, c1, _r2, c2 in tab.merges
    }
    total_height = 0.0
    for r in range(1, last_row + 1):
        cells, row_links, height, column = _row_xml(tab, r, spans, styles)
        links.extend(row_links)
        max_column = max(max_column, column)
        total_height += height or _DEFAULT_HEIGHT
        size = f' ht="{height}" customHeight="1"' if height else ""
        if cells or size:
            rows.append(f'<row r="{r}"{size}>' + "".join(cells) + "</row>")
    last = f"{get_column_letter(max_column)}{max(last_row, 1)}"
    view = "" if tab.key != "summary" else ' showGridLines="0"'
    pane = ""
    if tab.frozen_rows:
        top = f"A{tab.frozen_rows + 1}"
        pane = (
            f'<pane ySplit="{tab.frozen_rows}" topLeftCell="{top}" activePane="bottomLeft" '
            f'state="frozen"/><selection pane="bottomLeft" activeCell="{top}" sqref="{top}"/>'
        )
    columns = "".join(
        f'<col min="{c}" max="{c}" width="{width}" customWidth="1"/>'
        for c, width in enumerate(tab.widths, start=1)
    )
    merges = "".join(
        f'<mergeCell ref="{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}"/>'
        for r1, c1, r2, c2 in tab.merges
    )
    parts = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
        f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">',
        f'<sheetPr codeName="{code or code_name(tab.key)}"><tabColor rgb="FF1F3864"/>'
        '<pageSetUpPr fitToPage="1"/></sheetPr>',
        f'<dimension ref="A1:{last}"/>',
        f'<sheetViews><sheetView workbookViewId="0"{view}>{pane}</sheetView></sheetViews>',
        '<sheetFormatPr defaultRowHeight="15"/>',
        f"<cols>{columns}</cols>" if columns else "",
        "<sheetData>" + "".join(rows) + "</sheetData>",
        # Like Google's warning-only protection: no password, the sync owns the tab.
        '<sheetProtection sheet="1" objects="1" scenarios="1"/>',
        f'<mergeCells count="{len(tab.merges)}">{merges}</mergeCells>' if merges else "",
        f"<hyperlinks>{''.join(links)}</hyperlinks>" if links else "",
        _MARGINS,
        _page_setup(tab, total_height),
        "</worksheet>",
    ]
    return "".join(parts).encode("utf-8")


def header_cell_xml(ref: str, text: str, styles: StyleBook, prefix: str) -> str:
    """One header cell as the template styles it (bold on a pale fill), as an inline string."""
    cell = _cell(ref, OutCell(text, "header"), styles.xf("header", None, "header"))
    return _prefixed(cell, prefix)
