"""The code keeps a readable shape: no module of the package over 500 lines (the word catalogs
are TOML, not modules), no function of the package over 60 lines, and imports at the top of
every module — the package's, the tests' and the benchmarks' — except a few that load a heavy
dependency only when it is needed, each listed here and explained by a comment beside it."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import sheets_sync

REPO = Path(sheets_sync.__file__).parent.parent
PACKAGE = REPO / "sheets_sync"
MOST_LINES_IN_A_MODULE = 500
MOST_LINES_IN_A_FUNCTION = 60  # from its `def` to its last line, docstring included

# Imports made inside a function, by file and the module imported: why each waits until then.
LATE_IMPORTS: dict[tuple[str, str], str] = {
    ("sheets_sync/backends/kinds.py", ".google_kind"): (
        "gspread, google-auth and requests (~0.1 s) only for a config that names a Google sheet"
    ),
    ("sheets_sync/backends/kinds.py", ".xlsx_kind"): (
        "openpyxl's reader and writer (~0.1 s) only for a config that names an .xlsx file"
    ),
}


def _modules(*folders: str) -> list[Path]:
    return sorted(path for folder in folders for path in (REPO / folder).rglob("*.py"))


def _functions(tree: ast.AST) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def late_imports(source: str) -> Iterator[tuple[int, str]]:
    """Each import inside a function: its line and the module it names (with its dots)."""
    for function in _functions(ast.parse(source)):
        for node in ast.walk(function):
            if isinstance(node, ast.ImportFrom):
                yield node.lineno, "." * node.level + (node.module or "")
            elif isinstance(node, ast.Import):
                yield from ((node.lineno, alias.name) for alias in node.names)


def _name(path: Path) -> str:
    return str(path.relative_to(REPO))


@pytest.mark.parametrize("path", _modules("sheets_sync"), ids=_name)
def test_no_module_is_over_500_lines(path: Path) -> None:
    """A module past 500 lines holds more than one job: split it by meaning."""
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MOST_LINES_IN_A_MODULE, f"{_name(path)}: {lines} lines"


@pytest.mark.parametrize("path", _modules("sheets_sync"), ids=_name)
def test_no_function_is_over_60_lines(path: Path) -> None:
    """A function past 60 lines does several things: give each its own name."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    long = [
        f"{function.name} (line {function.lineno}): {size} lines"
        for function in _functions(tree)
        if (size := (function.end_lineno or function.lineno) - function.lineno + 1)
        > MOST_LINES_IN_A_FUNCTION
    ]
    assert long == []


@pytest.mark.parametrize("path", _modules("sheets_sync", "tests", "bench", "docs"), ids=_name)
def test_imports_are_at_the_top_unless_listed_with_a_reason(path: Path) -> None:
    """An import inside a function hides what a module depends on (and can hide a circle):
    only the listed ones may, each with a comment on the line before it or on its own line."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    for line, module in late_imports(source):
        assert (_name(path), module) in LATE_IMPORTS, f"{_name(path)}:{line}: imports {module}"
        said = lines[line - 1] + lines[line - 2]
        assert "#" in said, f"{_name(path)}:{line}: no comment says why {module} waits"


def test_every_listed_late_import_is_still_there() -> None:
    """The list only shrinks: an entry whose import moved to the top goes with it."""
    found = {
        (_name(path), module)
        for path in _modules("sheets_sync")
        for _, module in late_imports(path.read_text(encoding="utf-8"))
    }
    assert set(LATE_IMPORTS) <= found


def test_the_gates_see_a_long_function_and_a_late_import() -> None:
    """The checks themselves, on made-up code."""
    body = "\n".join(f"    x{n} = {n}" for n in range(MOST_LINES_IN_A_FUNCTION))
    (function,) = _functions(ast.parse(f"def f() -> None:\n{body}\n"))
    assert (function.end_lineno or 0) - function.lineno + 1 > MOST_LINES_IN_A_FUNCTION
    source = "import os\n\ndef f() -> None:\n    from .x import y\n    import json\n"
    assert list(late_imports(source)) == [(4, ".x"), (5, "json")]
