"""Small text-free trend pictures (PNG) of one KPI's values across cycles, drawn with Pillow."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Final, Literal

from PIL import Image, ImageDraw

from ..core.summary_kpis import spread

Tone = Literal["good", "bad", "neutral"]

WIDTH: Final = 120  # CSS pixels, as the HTML shows it
HEIGHT: Final = 36
SCALE: Final = 2  # drawn at 2× so it stays sharp on high-density screens
_PAD: Final = 5  # CSS pixels kept clear around the line, so the end dot is not cut
_COLOURS: Final[dict[Tone, tuple[int, int, int]]] = {
    "good": (46, 125, 50),  # green
    "bad": (138, 90, 68),  # brown: worth a look, never a red verdict
    "neutral": (97, 97, 97),  # grey
}
_BASELINE: Final = (224, 224, 224)
_BACKGROUND: Final = (255, 255, 255)  # opaque: a transparent picture vanishes in dark mode


def trend_png(values: Sequence[float], tone: Tone = "neutral") -> bytes | None:
    """A polyline of the values with the last point marked; None for fewer than two values."""
    if len(values) < 2:
        return None
    width, height, pad = WIDTH * SCALE, HEIGHT * SCALE, _PAD * SCALE
    image = Image.new("RGB", (width, height), _BACKGROUND)
    draw = ImageDraw.Draw(image)
    step = (width - 2 * pad) / (len(values) - 1)
    places = spread(values)  # 0..1, safe for any magnitude (no overflow into NaN pixels)
    points = [
        (pad + index * step, height - pad - place * (height - 2 * pad))
        for index, place in enumerate(places)
    ]
    draw.line([(pad, height - pad / 2), (width - pad, height - pad / 2)], _BASELINE, SCALE)
    colour = _COLOURS[tone]
    draw.line(points, fill=colour, width=2 * SCALE, joint="curve")
    for x, v in points[:-1]:
        radius = 1.5 * SCALE
        draw.ellipse((x - radius, v - radius, x + radius, v + radius), fill=colour)
    x, v = points[-1]
    radius = 3.5 * SCALE
    draw.ellipse((x - radius, v - radius, x + radius, v + radius), fill=colour,
                 outline=_BACKGROUND, width=SCALE)  # fmt: skip
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
