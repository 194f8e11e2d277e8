"""Google field masks (``a,b.c,d(e,f/g)``): parsing, projecting responses and masked updates."""

from __future__ import annotations

import copy
import re
from typing import Any

# A parsed mask: each key maps to a sub-mask, or to None for "the whole subtree".
Mask = dict[str, "Mask | None"]

_TOKEN = re.compile(r"\s*([A-Za-z0-9_@*]+|[.,/()])")


class MaskError(ValueError):
    """The field mask text is malformed."""


def _tokens(text: str) -> list[str]:
    """Split mask text into names and punctuation."""
    out: list[str] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            raise MaskError(f"unexpected character in field mask at {pos}: {text!r}")
        out.append(m.group(1))
        pos = m.end()
    return out


def _add(mask: Mask, path: list[str], sub: Mask | None) -> None:
    """Merge ``path`` (ending in ``sub``) into ``mask``; a whole subtree wins over a partial."""
    node = mask
    for i, name in enumerate(path):
        last = i == len(path) - 1
        if name in node and node[name] is None:
            return
        if last:
            if sub is None or name not in node:
                node[name] = sub
            else:
                existing = node[name]
                assert existing is not None
                for key, value in sub.items():
                    _add(existing, [key], value)
            return
        child = node.get(name)
        if child is None:
            child = {}
            node[name] = child
        node = child


def parse_mask(text: str) -> Mask:
    """Parse ``text`` (e.g. ``sheets(properties(title),data/rowData)``) into a nested dict."""
    tokens = _tokens(text)
    pos = 0

    def parse_list() -> Mask:
        nonlocal pos
        result: Mask = {}
        while True:
            path: list[str] = []
            while True:
                if pos >= len(tokens) or tokens[pos] in ".,/()":
                    raise MaskError(f"expected a field name in {text!r}")
                path.append(tokens[pos])
                pos += 1
                if pos < len(tokens) and tokens[pos] in "./":
                    pos += 1
                    continue
                break
            sub: Mask | None = None
            if pos < len(tokens) and tokens[pos] == "(":
                pos += 1
                sub = parse_list()
                if pos >= len(tokens) or tokens[pos] != ")":
                    raise MaskError(f"unbalanced parentheses in {text!r}")
                pos += 1
            _add(result, path, sub)
            if pos < len(tokens) and tokens[pos] == ",":
                pos += 1
                continue
            return result

    if not tokens:
        return {}
    mask = parse_list()
    if pos != len(tokens):
        raise MaskError(f"unexpected {tokens[pos]!r} in field mask {text!r}")
    return mask


def project(data: Any, mask: Mask | None) -> Any:
    """Keep only the masked fields of a JSON-like value (lists are projected element-wise)."""
    if mask is None or "*" in mask:
        return data
    if isinstance(data, list):
        return [project(item, mask) for item in data]
    if isinstance(data, dict):
        return {key: project(data[key], sub) for key, sub in mask.items() if key in data}
    return data


def mentions(mask: Mask | None, *path: str) -> bool:
    """True when ``mask`` selects anything at or below ``path`` (None selects everything)."""
    node = mask
    for name in path:
        if node is None or "*" in node:
            return True
        if name not in node:
            return False
        node = node[name]
    return True


def _without_nulls(value: Any) -> Any:
    """A deep copy without JSON nulls; an object left empty by that counts as null too."""
    if isinstance(value, dict):
        kept = {k: _without_nulls(v) for k, v in value.items()}
        kept = {k: v for k, v in kept.items() if v is not None}
        return None if value and not kept else kept
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return copy.deepcopy(value)


def masked_update(target: dict[str, Any], source: dict[str, Any], mask: Mask | None) -> None:
    """Apply an update request: each masked field is copied from ``source`` or, if absent there,
    cleared in ``target`` (Google's semantics for ``fields`` in update requests)."""
    if mask is None or "*" in mask:
        for key in list(target):
            if key not in source:
                del target[key]
        for key, value in source.items():
            cleaned = _without_nulls(value)
            if cleaned is None:
                target.pop(key, None)
            else:
                target[key] = cleaned
        return
    for key, sub in mask.items():
        if sub is None:
            value = _without_nulls(source.get(key))
            if value is None:
                target.pop(key, None)
            else:
                target[key] = value
            continue
        src_child = source.get(key)
        if not isinstance(src_child, dict):
            src_child = {}
        tgt_child = target.get(key)
        if not isinstance(tgt_child, dict):
            tgt_child = {}
        masked_update(tgt_child, src_child, sub)
        if tgt_child:
            target[key] = tgt_child
        else:
            target.pop(key, None)
