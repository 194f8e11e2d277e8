"""The package's folders are layers, and imports only go down: each module imports its own layer,
the layers its row of the table names, and what those may import in turn (imports inside
functions too); no module lies outside every layer; no two modules import each other through
any chain. The table is docs/architecture.md's, and the page and this test agree."""

from __future__ import annotations

import ast
import re
import tomllib
from collections.abc import Iterator
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

import sheets_sync

PACKAGE = Path(sheets_sync.__file__).parent
PAGE = PACKAGE.parent / "docs" / "architecture.md"

# Each layer (a folder with "/", else a module at the package's top) and the layers it may
# import; a layer may also import all that those may, and its own modules. Bottom first.
LAYERS: dict[str, tuple[str, ...]] = {
    "util/": (),
    "words/": ("util/",),
    "errors.py": ("words/",),
    "config/": ("errors.py", "util/"),
    "sheet/": ("errors.py", "util/"),
    "core/": ("sheet/",),
    "backends/": ("config/", "sheet/"),
    "meeting/": ("config/", "core/"),
    "run/": ("backends/", "meeting/"),
    "consultant/": ("run/",),
    "api.py": ("consultant/",),
    "cli_shared.py": ("api.py",),
    "cli.py": ("cli_shared.py", "__init__.py"),
    "__main__.py": ("cli.py",),
    "docs.py": ("sheet/",),
    "__init__.py": (),
}


def may_import(layer: str) -> set[str]:
    """Every layer `layer` may import: the ones its row names, and theirs, all the way down."""
    allowed: set[str] = set()
    waiting = list(LAYERS[layer])
    while waiting:
        below = waiting.pop()
        if below not in allowed:
            allowed.add(below)
            waiting.extend(LAYERS[below])
    return allowed


def module_name(path: Path) -> str:
    """`sheets_sync.core.summary` for sheets_sync/core/summary.py (a package by its folder)."""
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> str | None:
    """The layer a sheets_sync module belongs to, or None when the table has none for it."""
    inside = module.split(".")[1:]
    if not inside:
        return "__init__.py"
    folder = len(inside) > 1 or (PACKAGE / inside[0]).is_dir()
    name = f"{inside[0]}/" if folder else f"{inside[0]}.py"
    return name if name in LAYERS else None


def imported(path: Path, tree: ast.AST) -> Iterator[tuple[int, str]]:
    """Each sheets_sync module a module imports, with the line: at the top or in a function,
    `from . import x` read as the module x when there is one."""
    here = module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "sheets_sync":
                    yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if target.split(".")[0] != "sheets_sync":
                continue
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                yield node.lineno, candidate if _exists(candidate) else target


def _exists(module: str) -> bool:
    where = PACKAGE.parent.joinpath(*module.split("."))
    return where.with_suffix(".py").is_file() or (where / "__init__.py").is_file()


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def upward_imports(path: Path, source: str) -> list[str]:
    """Each import of `source` (as if it were the module at `path`) that its layer may not make."""
    layer = layer_of(module_name(path))
    assert layer is not None, f"{path} lies outside every layer"
    allowed = may_import(layer) | {layer}
    return [
        f"{path.relative_to(PACKAGE)}:{line}: {layer} imports {target} ({layer_of(target)})"
        for line, target in imported(path, ast.parse(source))
        if layer_of(target) not in allowed
    ]


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_module_imports_only_its_own_layer_and_below(path: Path) -> None:
    """The table above, module by module."""
    assert upward_imports(path, path.read_text(encoding="utf-8")) == []


def test_every_module_lies_in_a_layer_and_every_layer_holds_one() -> None:
    """A new folder or top-level module needs its row (here and on the page) before it counts."""
    layers = {layer_of(module_name(path)) for path in modules()}
    assert None not in layers, [str(p) for p in modules() if layer_of(module_name(p)) is None]
    assert layers == set(LAYERS)


def test_no_module_reaches_itself_through_its_imports() -> None:
    """No circle of imports, however long, imports inside functions included."""
    graph = {
        module_name(path): {
            target for _, target in imported(path, ast.parse(path.read_text(encoding="utf-8")))
        }
        for path in modules()
    }
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as circle:
        pytest.fail(f"an import circle: {circle.args[1]}")


def _page_table() -> dict[str, tuple[str, ...]]:
    """The layers table of docs/architecture.md: each row's layer and what it may import."""
    rows: dict[str, tuple[str, ...]] = {}
    for line in PAGE.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and re.fullmatch(r"`[^`]+`", cells[0]):
            rows[cells[0].strip("`")] = tuple(re.findall(r"`([^`]+)`", cells[2]))
    return rows


def test_the_architecture_page_shows_the_same_table() -> None:
    """Every layer is on the page, in the same order, with the same layers below it."""
    assert _page_table() == LAYERS
    assert list(_page_table()) == list(LAYERS)


def test_the_gate_sees_an_upward_import_at_the_top_and_inside_a_function() -> None:
    """The check itself: core importing the run (at the top) and a backend importing the
    meeting (inside a function) are both caught; a backend importing the sheet is not."""
    core = PACKAGE / "core" / "compute.py"
    assert len(upward_imports(core, "from ..run.sync import run\n")) == 1
    backend = PACKAGE / "backends" / "google.py"
    inside = "def f() -> None:\n    from ..meeting import mail\n"
    assert len(upward_imports(backend, inside)) == 1
    assert upward_imports(backend, "from ..sheet import schema\n") == []


def test_every_folder_of_the_package_ships_in_the_wheel() -> None:
    """pyproject.toml lists each package folder, so an installed (non-editable) sheets-sync has
    every layer: a folder left off the list is missing only after `pip install .`."""
    pyproject = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(pyproject["tool"]["setuptools"]["packages"])
    folders = {module_name(init.parent / "__init__.py") for init in PACKAGE.rglob("__init__.py")}
    assert folders <= listed, sorted(folders - listed)
