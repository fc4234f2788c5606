"""Colour and geometry of a PDF page as :mod:`leafpress.printing.pdftext` sees it.

Called by pdftext while it reads a content stream. In: colour spaces and
operands, matrices, points and paths. Out: sRGB colours (device, ICC-based and
Lab colour spaces), transformed points, bounding boxes and clips, and the
shapes painted on the page (:class:`PaintedShape`) with the colour found beneath a
point of it over white paper (:func:`colour_beneath`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from leafpress.printing.pdfsyntax import number_or
from leafpress.printing.textrun import Box, Colour

WHITE: Colour = (1.0, 1.0, 1.0)
BLACK: Colour = (0.0, 0.0, 0.0)


def multiply_matrices(a, b):
    return (a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5])


IDENTITY_MATRIX = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


# --- colour ----------------------------------------------------------------

#: A colour space as this reader knows it: its kind (``gray``, ``rgb``,
#: ``cmyk``, ``lab``, ``pattern`` or ``other``) and, for Lab, its white point.
Space = tuple[str, tuple[float, ...]]
DEVICE_SPACES: dict[str, Space] = {
    "/DeviceGray": ("gray", ()), "/G": ("gray", ()), "/CalGray": ("gray", ()),
    "/DeviceRGB": ("rgb", ()), "/RGB": ("rgb", ()), "/CalRGB": ("rgb", ()),
    "/DeviceCMYK": ("cmyk", ()), "/CMYK": ("cmyk", ()),
    "/Pattern": ("pattern", ()),
}
_ICC = {1: ("gray", ()), 3: ("rgb", ()), 4: ("cmyk", ())}


def colour_space(name, resources) -> Space:
    """The colour space called ``name`` on a page (or form) with these
    resources: a device space, or one of ``/ColorSpace``."""
    if isinstance(name, str) and name in DEVICE_SPACES:
        return DEVICE_SPACES[name]
    spaces = resources.get("/ColorSpace")
    spaces = spaces.get_object() if spaces is not None else {}
    entry = spaces.get(name) if isinstance(name, str) else None
    if entry is None:
        return ("other", ())
    entry = entry.get_object()
    if not isinstance(entry, list):
        return DEVICE_SPACES.get(str(entry), ("other", ()))
    family = str(entry[0])
    if family in DEVICE_SPACES:
        return DEVICE_SPACES[family]
    if family == "/ICCBased" and len(entry) > 1:
        return _ICC.get(int(number_or(entry[1].get_object().get("/N"))), ("other", ()))
    if family == "/Lab" and len(entry) > 1:
        white = entry[1].get_object().get("/WhitePoint", [0.9505, 1.0, 1.089])
        return ("lab", tuple(float(value) for value in white))
    return ("other", ())


def _gamma(linear: float) -> float:
    linear = min(max(linear, 0.0), 1.0)
    if linear <= 0.0031308:
        return 12.92 * linear
    return 1.055 * linear ** (1 / 2.4) - 0.055


def _lab(lightness: float, a: float, b: float, white: tuple[float, ...]) -> Colour:
    """CIE L*a*b* (relative to ``white``) as sRGB, white mapped to white."""
    def inverse(t: float) -> float:
        return t ** 3 if t > 6 / 29 else 3 * (6 / 29) ** 2 * (t - 4 / 29)

    fy = (lightness + 16) / 116
    x = 0.95047 * inverse(fy + a / 500)  # adapted to D65 by scaling
    y = inverse(fy)
    z = 1.08883 * inverse(fy - b / 200)
    return (_gamma(3.2406 * x - 1.5372 * y - 0.4986 * z),
            _gamma(-0.9689 * x + 1.8758 * y + 0.0415 * z),
            _gamma(0.0557 * x - 0.2040 * y + 1.0570 * z))


def srgb_colour(space: Space, operands: list) -> Colour | None:
    """The sRGB colour of ``operands`` in ``space`` (``None``: a pattern or
    a space this reader does not convert)."""
    values = [value for value in operands if isinstance(value, float)]
    kind = space[0]
    if kind == "gray" and len(values) >= 1:
        gray = min(max(values[-1], 0.0), 1.0)
        return (gray, gray, gray)
    if kind == "rgb" and len(values) >= 3:
        return tuple(min(max(value, 0.0), 1.0) for value in values[-3:])
    if kind == "cmyk" and len(values) >= 4:
        c, m, y, k = (min(max(value, 0.0), 1.0) for value in values[-4:])
        return ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    if kind == "lab" and len(values) >= 3:
        return _lab(*values[-3:], space[1])
    return None


def initial_colour(space: Space) -> Colour | None:
    return None if space[0] in ("pattern", "other") else BLACK


# --- geometry --------------------------------------------------------------


def transform_point(matrix, x: float, y: float) -> tuple[float, float]:
    return (x * matrix[0] + y * matrix[2] + matrix[4],
            x * matrix[1] + y * matrix[3] + matrix[5])


def bounding_box(points) -> Box:
    xs = [point[0] for point in points]
    ys = [point[1] for point in points]
    return (min(xs), min(ys), max(xs), max(ys))


def intersect_boxes(first: Box | None, second: Box) -> Box:
    if first is None:
        return second
    return (max(first[0], second[0]), max(first[1], second[1]),
            min(first[2], second[2]), min(first[3], second[3]))


def _in_box(box: Box | None, x: float, y: float) -> bool:
    return box is None or (box[0] <= x <= box[2] and box[1] <= y <= box[3])


def _winding(polygons, x: float, y: float, even_odd: bool) -> bool:
    """Whether the point is inside the path (non-zero or even-odd rule);
    curves are taken as their control polygons."""
    winding = 0
    for points in polygons:
        count = len(points)
        for index in range(count):
            x1, y1 = points[index]
            x2, y2 = points[(index + 1) % count]
            if (y1 <= y < y2 or y2 <= y < y1) and (
                    x1 + (y - y1) * (x2 - x1) / (y2 - y1) > x):
                winding += 1 if y2 > y1 else -1
    return winding % 2 == 1 if even_odd else winding != 0


def _near(polygons, x: float, y: float, reach: float) -> bool:
    """Whether the point is within ``reach`` of a segment of the path."""
    for points in polygons:
        for index in range(len(points) - 1):
            (x1, y1), (x2, y2) = points[index], points[index + 1]
            dx, dy = x2 - x1, y2 - y1
            length = dx * dx + dy * dy
            t = 0.0 if not length else min(max(((x - x1) * dx + (y - y1) * dy)
                                               / length, 0.0), 1.0)
            if math.hypot(x - x1 - t * dx, y - y1 - t * dy) <= reach:
                return True
    return False


@dataclass(frozen=True)
class PaintedShape:
    """A shape painted on the page: a fill (``reach`` 0) or a stroke
    (``reach``: half its width), its colour (``None``: an image, shading or
    pattern) and opacity, and the clip it was painted through."""

    bounds: Box
    polygons: tuple | None  # None: the bounds are the shape
    even_odd: bool
    colour: Colour | None
    alpha: float
    clip: Box | None
    reach: float = 0.0

    def contains(self, x: float, y: float) -> bool:
        bounds = self.bounds
        if not (bounds[0] <= x <= bounds[2] and bounds[1] <= y <= bounds[3]):
            return False
        if not _in_box(self.clip, x, y):
            return False
        if self.reach:
            return _near(self.polygons, x, y, self.reach)
        return self.polygons is None or _winding(self.polygons, x, y, self.even_odd)


def colour_beneath(paints: list[PaintedShape], x: float, y: float) -> Colour | None:
    """The colour at a point after ``paints`` (fills only), over white paper."""
    colour: Colour | None = WHITE
    for paint in paints:
        if paint.reach or paint.alpha <= 0 or not paint.contains(x, y):
            continue
        if paint.colour is None:
            colour = None
        elif paint.alpha >= 0.999 or colour is None:
            colour = paint.colour if paint.alpha >= 0.999 else None
        else:
            colour = tuple(paint.alpha * new + (1 - paint.alpha) * old
                           for new, old in zip(paint.colour, colour, strict=True))
    return colour
