"""Property: whatever shape the package has (where the relationships prefix is declared,
`<sheet>` self-closing or not, part names in capitals, print areas scoped to sheets, sheet
order, how many generated tabs are missing), a sync either writes a package that passes the
strict check, keeps every print area on its sheet and opens in openpyxl, or refuses with
the file byte for byte as it was."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree
from xml.sax.saxutils import quoteattr

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from sheets_sync.backends.xlsx_verify import verify
from sheets_sync.config import load_config
from sheets_sync.errors import SheetAccessError
from sheets_sync.run.sync import RunOptions, run
from tests.support.packages import MAIN_NS, REL_NS, local_names, parts, rename_part, write_parts
from tests.support.workbooks import BASELINE_TODAY, baseline, config_file, write_xlsx

GENERATED = ("サマリー", "チェック", "ログ")
BOOK, RELS, TYPES = "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml"
RID = f"{{{REL_NS}}}id"


@dataclass(frozen=True)
class Shape:
    namespace: str  # where xmlns:r is declared: "root", "sheets" or "each"
    prefixed: bool  # workbook.xml's elements written `<x:sheet>` (no default namespace)
    open_tags: bool  # `<sheet …></sheet>` instead of `<sheet …/>`
    capitals: frozenset[int]  # positions of sheets whose part name is capitalised
    order: tuple[int, ...]  # a permutation of the sheets kept
    missing: frozenset[str]  # generated tabs left out
    print_areas: frozenset[int]  # positions (after ordering) with a print area


@st.composite
def shapes(draw: st.DrawFn) -> Shape:
    missing = draw(st.frozensets(st.sampled_from(GENERATED)))
    kept = 7 - len(missing)  # four input tabs and the generated ones still there
    return Shape(
        namespace=draw(st.sampled_from(["root", "sheets", "each"])),
        prefixed=draw(st.booleans()),
        open_tags=draw(st.booleans()),
        capitals=draw(st.frozensets(st.integers(0, kept - 1))),
        order=tuple(draw(st.permutations(range(kept)))),
        missing=missing,
        print_areas=draw(st.frozensets(st.integers(0, kept - 1))),
    )


@pytest.fixture(scope="module")
def synced_once(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The sample workbook after one sync: input tabs and the three generated ones, ours."""
    folder = tmp_path_factory.mktemp("shapes")
    write_xlsx(folder / "book.xlsx", baseline())
    run(load_config(config_file(folder)), RunOptions(as_of=BASELINE_TODAY, no_agenda=True))
    return parts(folder / "book.xlsx")


def _sheets(content: dict[str, bytes]) -> list[tuple[str, str, str]]:
    """(title, r:id, part) of each sheet, in order."""
    rels = ElementTree.fromstring(content[RELS])
    targets = {r.get("Id", ""): "xl/" + r.get("Target", "").removeprefix("/xl/") for r in rels}
    book = ElementTree.fromstring(content[BOOK])
    return [
        (s.get("name", ""), s.get(RID, ""), targets[s.get(RID, "")])
        for s in book.iter(f"{{{MAIN_NS}}}sheet")
    ]


def _drop(content: dict[str, bytes], part: str, rel_id: str) -> None:
    del content[part]
    rels = ElementTree.fromstring(content[RELS])
    for rel in [r for r in rels if r.get("Id") == rel_id]:
        rels.remove(rel)
    content[RELS] = ElementTree.tostring(rels)  # written `<ns0:Relationships …>`, as some do
    types = content[TYPES].decode().replace(f'<Override PartName="/{part}"', "<Override x=''", 1)
    content[TYPES] = _without_blank_override(types).encode()


def _without_blank_override(types: str) -> str:
    start = types.find("<Override x=''")
    return types if start < 0 else types[:start] + types[types.index("/>", start) + 2 :]


def _workbook_xml(shape: Shape, sheets: list[tuple[str, str, str]]) -> bytes:
    """workbook.xml written the way `shape` says."""
    declare = f' xmlns:r="{REL_NS}"'
    x = "x:" if shape.prefixed else ""
    elements = []
    for index, (title, rel_id, _) in enumerate(sheets):
        own = declare if shape.namespace == "each" else ""
        attrs = f'{own} name={quoteattr(title)} sheetId="{index + 1}" r:id={quoteattr(rel_id)}'
        elements.append(
            f"<{x}sheet{attrs}></{x}sheet>" if shape.open_tags else f"<{x}sheet{attrs}/>"
        )
    names = "".join(
        f'<{x}definedName name="_xlnm.Print_Area" localSheetId="{i}">'
        f"{quoteattr(sheets[i][0])[1:-1]}!$A$1:$B$2</{x}definedName>"
        for i in sorted(shape.print_areas)
        if i < len(sheets)
    )
    main = f'xmlns:x="{MAIN_NS}"' if shape.prefixed else f'xmlns="{MAIN_NS}"'
    on_sheets = declare if shape.namespace == "sheets" else ""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"<{x}workbook {main}{declare if shape.namespace == 'root' else ''}>"
        f'<{x}workbookPr/><{x}bookViews><{x}workbookView activeTab="0"/></{x}bookViews>'
        f"<{x}sheets{on_sheets}>{''.join(elements)}</{x}sheets>"
        + (f"<{x}definedNames>{names}</{x}definedNames>" if names else "")
        + f'<{x}calcPr calcId="124519" fullCalcOnLoad="1"/></{x}workbook>'
    ).encode("utf-8")


def build(shape: Shape, base: dict[str, bytes], path: Path) -> Path:
    content = dict(base)
    sheets = _sheets(content)
    for _title, rel_id, part in [s for s in sheets if s[0] in shape.missing]:
        _drop(content, part, rel_id)
    kept = [s for s in sheets if s[0] not in shape.missing]
    ordered = [kept[i] for i in shape.order]
    content[BOOK] = _workbook_xml(shape, ordered)
    write_parts(path, content)
    for index in sorted(shape.capitals):
        part = ordered[index][2]
        folder, name = part.rsplit("/", 1)
        rename_part(path, part, f"{folder}/{name.capitalize()}")
    return path


@settings(max_examples=30)
@given(shape=shapes())
def test_every_package_shape_syncs_soundly_or_is_refused_untouched(
    synced_once: dict[str, bytes], shape: Shape
) -> None:
    """A written package passes the strict check, keeps each print area on its sheet (by
    title) and opens in openpyxl; or the sync refused and the file is as it was (never for
    failing the strict check: each shape is a sound package, so that would be a writer bug)."""
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        workbook = build(shape, synced_once, folder / "book.xlsx")
        assert verify(workbook) == []  # the shape itself is a sound package
        before_bytes, before_names = workbook.read_bytes(), local_names(workbook)
        try:
            run(load_config(config_file(folder)), RunOptions(as_of=BASELINE_TODAY, no_agenda=True))
        except SheetAccessError as refused:
            assert workbook.read_bytes() == before_bytes
            # every shape here is a sound package: the strict check refusing one is a writer bug
            assert refused.key != "workbook_not_verified", str(refused)
            return
        assert verify(workbook) == []
        assert local_names(workbook) == before_names
        assert set(GENERATED) <= set(load_workbook(workbook).sheetnames)
