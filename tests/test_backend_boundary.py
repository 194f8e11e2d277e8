"""No caller outside `backends/` knows which backend it has: it imports only the package's
surface (`sheets_sync.backends`), names no concrete backend class, reaches into no backend with
`getattr` or `isinstance`, and never branches on the kind a config names — config/ alone,
which defines `sheet.backend`, checks its own keys with it."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import sheets_sync

PACKAGE = Path(sheets_sync.__file__).parent
BACKENDS = PACKAGE / "backends"
CONCRETE = {"GoogleBackend", "XlsxBackend", "GoogleKind", "XlsxKind"}


def _imported_modules(path: Path, node: ast.ImportFrom) -> list[str]:
    """The sheets_sync modules an import statement names (package-relative, dotted)."""
    here = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)[:-1]
    if node.level:
        base = here[: len(here) - (node.level - 1)]
        target = ".".join([*base, *([node.module] if node.module else [])])
    else:
        target = node.module or ""
    return [target, *(f"{target}.{alias.name}" for alias in node.names)]


def _leaks(path: Path, tree: ast.AST) -> Iterator[str]:
    """Each place in a module outside backends/ that knows which backend it has."""
    for node in ast.walk(tree):
        where = f"{path.relative_to(PACKAGE)}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.ImportFrom):
            modules = {
                name.split(".")[2]
                for name in _imported_modules(path, node)
                if name.startswith("sheets_sync.backends.")
            }
            for module in sorted(m for m in modules if (BACKENDS / f"{m}.py").exists()):
                yield f"{where}: imports sheets_sync.backends.{module}"
        elif isinstance(node, ast.Name | ast.Attribute):
            named = node.id if isinstance(node, ast.Name) else node.attr
            if named in CONCRETE:
                yield f"{where}: names {named}"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args:
            first = ast.unparse(node.args[0])
            if node.func.id == "getattr" and "backend" in first:
                yield f"{where}: getattr({first}, …)"
            if node.func.id == "isinstance" and "Backend" in ast.unparse(node.args[-1]):
                yield f"{where}: isinstance on a backend"
        if isinstance(node, ast.Compare) and path.parent.name != "config":
            sides = [node.left, *node.comparators]
            if any(_names_the_backend(side) for side in sides):
                yield f"{where}: branches on {ast.unparse(node)}"


def _names_the_backend(node: ast.expr) -> bool:
    """`config.sheet.backend`, `backend.kind`: the kind of backend, as a value."""
    if not isinstance(node, ast.Attribute):
        return False
    return node.attr == "backend" or (node.attr == "kind" and "backend" in ast.unparse(node))


def _callers() -> Iterator[Path]:
    for path in sorted(PACKAGE.rglob("*.py")):
        if BACKENDS not in path.parents:
            yield path


@pytest.mark.parametrize("path", list(_callers()), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_caller_never_knows_which_backend_it_has(path: Path) -> None:
    """The rules above, module by module."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    assert list(_leaks(path, tree)) == []


def test_the_boundary_gate_sees_each_kind_of_leak() -> None:
    """The gate can fail: each way a caller used to know its backend is caught."""
    source = "\n".join(
        [
            "from .backends.google import GoogleBackend",
            "from .backends import open_backend",
            "if config.sheet.backend == 'google': pass",
            "requests = getattr(backend, 'http').api_requests",
            "ok = isinstance(found, XlsxBackend)",
        ]
    )
    leaks = list(_leaks(PACKAGE / "watch.py", ast.parse(source)))
    found = sorted(leak.split(": ", 1)[1].split(" ")[0] for leak in leaks)
    assert found == ["branches", "getattr(backend,", "imports", "isinstance", "names"]
