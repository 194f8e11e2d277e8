"""Colours as Google echoes them: float32 channels, zero channels left out, ``*Style`` twins."""

from __future__ import annotations

import struct
from typing import Any

from .fieldmask import Mask

_CHANNELS = ("red", "green", "blue", "alpha")
_TWINS = ("backgroundColor", "foregroundColor", "tabColor", "color")


def _channel(value: Any) -> Any:
    """A channel as Sheets stores it: 8 bits (truncated), shown as a float32 (8 digits)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    eight_bit = int(min(max(float(value), 0.0), 1.0) * 255 + 1e-6) / 255
    f32 = struct.unpack("f", struct.pack("f", eight_bit))[0]
    rounded = float(f"{f32:.8g}")
    return int(rounded) if rounded.is_integer() else rounded


def _is_color(value: Any) -> bool:
    """True for a ``Color`` object (only channel keys, numeric values)."""
    return (
        isinstance(value, dict)
        and bool(value)
        and all(k in _CHANNELS and isinstance(v, int | float) for k, v in value.items())
    )


def normalize(data: Any) -> Any:
    """A copy of ``data`` with every colour normalised and ``X``/``XStyle`` pairs completed."""
    if isinstance(data, list):
        return [normalize(item) for item in data]
    if not isinstance(data, dict):
        return data
    if _is_color(data):
        return {k: _channel(v) for k, v in data.items() if _channel(v) != 0}
    out = {key: normalize(value) for key, value in data.items()}
    for key in _TWINS:
        style = key + "Style"
        if isinstance(out.get(key), dict) and style not in out:
            out[style] = {"rgbColor": out[key]}
        elif isinstance(out.get(style), dict) and "rgbColor" in out[style] and key not in out:
            out[key] = out[style]["rgbColor"]
    return out


def drop_stale_twins(target: dict[str, Any], mask: Mask | None) -> None:
    """After a masked update, forget the twin (``X`` / ``XStyle``) the mask did not set, so the
    one that was set wins when the pair is rendered again."""
    if mask is None or "*" in mask:
        return
    for key in _TWINS:
        style = key + "Style"
        if key in mask and style not in mask:
            target.pop(style, None)
        elif style in mask and key not in mask:
            target.pop(key, None)
    for key, sub in mask.items():
        child = target.get(key)
        if sub is not None and isinstance(child, dict):
            drop_stale_twins(child, sub)
