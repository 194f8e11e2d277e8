"""Following the keys a module looks up, to tell a key written out where it is chosen from one
built at run time (`f"summary.{key}"`, `"consultant.outcome." + outcome`).

A key is written out when it is a literal, one of a few literals (`"a" if x else "b"`, `a or b`),
a loop over literals, a module's dict of literal keys (`_STATE_WORDS[state]`, `.get(…)`), a
name bound only to such things, or a parameter of a helper whose own callers pass one (the
helper is then followed like `say`). Anything else is `Built`, unless its module allows that
expression (a typed code, named in tests/test_words.py with why).
"""

from __future__ import annotations

import ast
from typing import TypeGuard

# Calls that look a key up, and where their key is: say(key, lang), Phrase(key, fields) …
KEY_TAKERS: dict[str, tuple[int, str]] = {
    "say": (0, "key"),
    "tell": (0, "key"),
    "template": (0, "key"),
    "Phrase": (0, "key"),
}

Function = ast.FunctionDef | ast.AsyncFunctionDef


class Built(Exception):
    """A key expression made at run time (not a literal, nor from a table of literals)."""


Comprehension = ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp


class Module:
    """One source file: its tree, the function and comprehension each node sits in, and the
    key expressions it may use that are not written out (`allowed`, as `ast.unparse` writes
    them)."""

    def __init__(self, path: str, source: str, allowed: frozenset[str] = frozenset()) -> None:
        self.path = path
        self.allowed = allowed
        self.tree = ast.parse(source, path)
        self.function: dict[int, Function | None] = {}
        self.comprehension: dict[int, Comprehension | None] = {}
        self._enclose(self.tree, None, None)

    def _enclose(
        self, node: ast.AST, function: Function | None, comprehension: Comprehension | None
    ) -> None:
        for child in ast.iter_child_nodes(node):
            self.function[id(child)] = function
            self.comprehension[id(child)] = comprehension
            inner = child if isinstance(child, Function) else function
            around = None if isinstance(child, Function) else comprehension
            self._enclose(child, inner, child if isinstance(child, Comprehension) else around)

    def table(self, name: str) -> dict[str, str] | None:
        """A module-level dict written out with literal strings as values (a typed table of
        keys), as {its key as written: its value}; None for anything else."""
        for node in self.tree.body:
            target = node.targets[0] if isinstance(node, ast.Assign) else None
            target = node.target if isinstance(node, ast.AnnAssign) else target
            value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
            if not (isinstance(target, ast.Name) and target.id == name):
                continue
            if isinstance(value, ast.Dict) and all(is_text(v) for v in value.values):
                pairs = zip(value.keys, value.values, strict=True)
                return {ast.unparse(k): str(v.value) for k, v in pairs if k and is_text(v)}
        return None


def is_text(node: ast.expr) -> TypeGuard[ast.Constant]:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def called_name(call: ast.Call) -> str:
    if isinstance(call.func, ast.Name):
        return call.func.id
    return call.func.attr if isinstance(call.func, ast.Attribute) else ""


def _parameters(function: Function) -> list[str]:
    args = function.args
    names = [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]
    return names[1:] if names[:1] in (["self"], ["cls"]) else names


def _binds(target: ast.expr, name: str) -> bool:
    if isinstance(target, ast.Name):
        return target.id == name
    return isinstance(target, ast.Tuple) and any(_binds(t, name) for t in target.elts)


def _bindings(module: Module, scope: Function | None, name: str) -> list[tuple[ast.AST, ast.expr]]:
    """Where `scope` (None: the module's top level) binds `name`: (binding, what it takes)."""
    found: list[tuple[ast.AST, ast.expr]] = []
    for node in ast.walk(scope if scope is not None else module.tree):
        if scope is None and module.function.get(id(node)) is not None:
            continue
        targets: list[ast.expr] = [node.target] if isinstance(node, ast.AnnAssign) else []
        targets = node.targets if isinstance(node, ast.Assign) else targets
        value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
        if value is not None and any(_binds(t, name) for t in targets):
            found.append((node, value))
        elif isinstance(node, ast.For) and _binds(node.target, name):
            found.append((node, node.iter))
    return found


def _loop_bindings(module: Module, node: ast.Name) -> list[tuple[ast.AST, ast.expr]]:
    """Where the comprehensions around `node` bind it (their names stay inside them)."""
    around = module.comprehension.get(id(node))
    while around is not None:
        found = [(g, g.iter) for g in around.generators if _binds(g.target, node.id)]
        if found:
            return list(found)
        around = module.comprehension.get(id(around))
    return []


def _items(node: ast.expr, module: Module, scope: Function | None) -> list[ast.expr]:
    """What a loop runs over, written out: a tuple or list, a name for one, or a table's
    `.items()` / `.values()`."""
    if isinstance(node, ast.Tuple | ast.List):
        return list(node.elts)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        table = _table_named(node.func.value, module)
        if table is not None and node.func.attr == "values":
            return [ast.Constant(v) for v in table.values()]
        if table is not None and node.func.attr == "items":
            return [ast.Tuple([ast.Constant(k), ast.Constant(v)]) for k, v in table.items()]
    if isinstance(node, ast.Name):
        for where in (scope, None):
            values = [value for _, value in _bindings(module, where, node.id)]
            if values and all(isinstance(v, ast.Tuple | ast.List) for v in values):
                return [i for v in values if isinstance(v, ast.Tuple | ast.List) for i in v.elts]
    raise Built(ast.unparse(node))


def _table_named(node: ast.expr, module: Module) -> dict[str, str] | None:
    return module.table(node.id) if isinstance(node, ast.Name) else None


def resolve(
    node: ast.expr, module: Module, forwarded: set[str], seen: frozenset[int] = frozenset()
) -> set[str]:
    """Every key `node` can be (None, "no key", left out), or `Built`. A parameter of the
    enclosing function goes into `forwarded`: the function's callers are then followed."""
    if isinstance(node, ast.Constant) and node.value is None:
        return set()
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return resolve(node.body, module, forwarded, seen) | resolve(
            node.orelse, module, forwarded, seen
        )
    if isinstance(node, ast.BoolOp):
        return set().union(*(resolve(value, module, forwarded, seen) for value in node.values))
    if ast.unparse(node) in module.allowed:
        return set()
    if isinstance(node, ast.Subscript) and (table := _table_named(node.value, module)):
        return set(table.values())
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "get"
        and (table := _table_named(node.func.value, module))
    ):
        return set(table.values())
    if isinstance(node, ast.Name):
        return _resolve_name(node, module, forwarded, seen)
    raise Built(ast.unparse(node))


def _resolve_name(
    node: ast.Name, module: Module, forwarded: set[str], seen: frozenset[int]
) -> set[str]:
    scope = module.function.get(id(node))
    if scope is not None and node.id in _parameters(scope):
        forwarded.add(node.id)
        return set()
    found = (
        _loop_bindings(module, node)
        or (_bindings(module, scope, node.id) if scope else [])
        or _bindings(module, None, node.id)
    )
    if not found:
        raise Built(ast.unparse(node))
    keys: set[str] = set()
    for binding, value in found:
        if id(binding) in seen:
            continue  # `key = "a" if x else key`: its other bindings say what it can be
        seen = seen | {id(binding)}
        if isinstance(binding, ast.Assign | ast.AnnAssign):
            keys |= resolve(value, module, forwarded, seen)
            continue
        assert isinstance(binding, ast.For | ast.comprehension)
        target = binding.target
        for item in _items(value, module, scope):
            if isinstance(target, ast.Tuple) and isinstance(item, ast.Tuple):
                item = item.elts[next(i for i, t in enumerate(target.elts) if _binds(t, node.id))]
            keys |= resolve(item, module, forwarded, seen)
    return keys


def _argument(call: ast.Call, at: int, name: str) -> ast.expr | None:
    if len(call.args) > at and not any(isinstance(a, ast.Starred) for a in call.args[: at + 1]):
        return call.args[at]
    return next((k.value for k in call.keywords if k.arg == name), None)


def scan(module: Module) -> tuple[set[str], list[str]]:
    """The keys a module names, and where it builds one at run time. A helper that passes its
    parameter on to a lookup (`_say(key)` → `say(key, …)`) is followed to its own callers."""
    takers = {name: {where} for name, where in KEY_TAKERS.items()}
    named: set[str] = set()
    built: list[str] = []
    done: set[tuple[int, int]] = set()
    calls = [node for node in ast.walk(module.tree) if isinstance(node, ast.Call)]
    changed = True
    while changed:
        changed = False
        for call in calls:
            for at, name in tuple(takers.get(called_name(call), ())):
                key = _argument(call, at, name)
                if key is None or (id(call), at) in done:
                    continue
                done.add((id(call), at))
                forwarded: set[str] = set()
                try:
                    named |= resolve(key, module, forwarded)
                except Built as error:
                    built.append(f"{module.path}:{call.lineno}: {error}")
                scope = module.function.get(id(call))
                for parameter in forwarded:
                    assert scope is not None
                    where = (_parameters(scope).index(parameter), parameter)
                    changed = changed or where not in takers.get(scope.name, set())
                    takers.setdefault(scope.name, set()).add(where)
    return named, built
