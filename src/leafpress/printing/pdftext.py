"""Text runs of a PDF page as a reader sees them, read fast.

Called by :mod:`leafpress.printing.verify`. In: a page that pypdf has opened (pypdf
parses the file, finds the content streams and fonts, and decompresses
them). Out: every piece of text with its position and size, as
:func:`pypdf.PageObject.extract_text` with a visitor would give it, in about
a tenth of the time (pypdf parses every operand of the content stream into
Python objects, while only the text, the matrices, the colours and the
shapes matter here), and with what decides whether a reader can see it:
where it ends (from the font's glyph widths), the colour and opacity it is
painted in, its render mode, the clip in effect, the colours drawn beneath
it (filled shapes over white paper) and whether anything opaque is drawn
over it afterwards.

Form XObjects are followed (their matrix, bounding box and transparency
group); images, shadings and pattern fills are areas of a colour that
cannot be told. Fonts are decoded through their ``/ToUnicode`` maps. A font
without one raises :class:`Unsupported`; ``runs(page, decode=False)`` then
still gives everything but the text, which the caller takes from pypdf
(see :func:`leafpress.verify.pypdf_runs`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

#: A literal string, with one level of nested parentheses.
_LITERAL = rb"\((?:\\.|[^\\()]|\((?:\\.|[^\\()])*\))*\)"

_TOKEN = re.compile(rb"""
    (?P<dict><<|>>)
  | \[(?P<tj>(?:[^\[\]()]|""" + _LITERAL + rb""")*)\]\s*TJ\b
  | <(?P<hex>[0-9A-Fa-f\s]*)>
  | \((?P<lit>(?:\\.|[^\\()]|\((?:\\.|[^\\()])*\))*)\)
  | (?P<open>\[) | (?P<close>\])
  | (?P<name>/[^\s/\[\]()<>{}%]*)
  | (?P<num>[-+]?(?:\d+\.?\d*|\.\d+))
  | (?P<inline>\bBI\b(?s:.*?)\bID\s(?s:.*?)\sEI\b)
  | (?P<op>[A-Za-z'"*]+)
  | (?P<skip>%[^\r\n]*|\s+)
""", re.VERBOSE)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
#: The strings and numbers of a ``TJ`` array.
_TJ_ITEM = re.compile(rb"<(?P<hex>[0-9A-Fa-f\s]*)>"
                      rb"|\((?P<lit>(?:\\.|[^\\()]|\((?:\\.|[^\\()])*\))*)\)"
                      rb"|(?P<num>[-+]?(?:\d+\.?\d*|\.\d+))")
_TJ_STRING = re.compile(rb"<[^>]*>|" + _LITERAL)
_TJ_HEX = re.compile(rb"<([0-9A-Fa-f]*)>")

#: An sRGB colour, each channel from 0 to 1.
Colour = tuple[float, float, float]
#: An upright rectangle in page space: left, bottom, right, top (points).
Box = tuple[float, float, float, float]
WHITE: Colour = (1.0, 1.0, 1.0)
BLACK: Colour = (0.0, 0.0, 0.0)
#: The glyph box of a run, in ems from the baseline: a conservative
#: stand-in for the font's ascent and descent.
DESCENT, ASCENT = -0.2, 0.8
#: Where the colour beneath a run is looked at: these fractions of its
#: length, at this height (in ems, the middle of a lower-case letter).
SAMPLES, SAMPLE_HEIGHT = (0.1, 0.5, 0.9), 0.3
#: A shape drawn over text with at least this opacity hides it.
COVERING_ALPHA = 0.5
#: A stroke hides text only when it is at least this wide (in ems of the
#: text): underlines and struck-through lines are thinner.
COVERING_STROKE = 0.25
#: Form XObjects inside form XObjects deeper than this are not followed.
MAX_DEPTH = 12


class Unsupported(Exception):
    """The page needs a full PDF reader."""


@dataclass(frozen=True)
class Run:
    """A piece of text as drawn, and what a reader's eye needs to see it.

    ``x``, ``y``: where it starts on its baseline (points from the bottom
    left of the page); ``end``: where its baseline ends (x), after the
    advance of every glyph; ``box``: the area its glyphs cover. ``size``:
    the font size as drawn (points, measured across the line); ``size_x``:
    along the line (smaller when the text is squeezed). ``colour``: what it
    is painted in (the stroke colour for stroke-only text), ``None`` for a
    pattern, a colour space this reader does not know, a soft mask or a
    blend mode; ``alpha``: its opacity, groups included; ``mode``: the text
    render mode (3: invisible, 7: clip only). ``clip``: the bounding box of
    the clip in effect (``None``: none). ``backgrounds``: the colours beneath
    it where it is sampled (fills drawn before it over white paper; ``None``
    where an image, shading or pattern is beneath). ``covered``: something
    opaque is drawn over it afterwards.
    """

    text: str
    x: float
    y: float
    size: float
    end: float
    box: Box
    size_x: float
    colour: Colour | None
    alpha: float
    mode: int
    clip: Box | None
    backgrounds: tuple[Colour | None, ...]
    covered: bool


def _multiply(a, b):
    return (a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5])


_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
#: Hebrew, Arabic, Syriac, Thaana, N'Ko and their presentation forms.
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def logical(glyphs: list[str]) -> str:
    """The text of a run of glyphs. Right-to-left glyphs are drawn in visual
    order: they are put back in reading order glyph by glyph (a ligature
    keeps its letters in order), then words in a left-to-right script inside
    the run are turned back."""
    text = "".join(glyphs)
    if not _RTL.search(text):
        return text
    return re.sub(r"\w+", _unturn, "".join(reversed(glyphs)))


def _unturn(word: re.Match) -> str:
    return word[0] if _RTL.search(word[0]) else word[0][::-1]


#: Parsed ToUnicode maps by their bytes (never by object identity: a worker
#: reads many PDFs, and Python reuses the ids of freed objects).
_CMAP_CACHE: dict[tuple[bytes, bool], tuple[int, dict[bytes, str]]] = {}
_CMAP_CACHE_SIZE = 256


def _hex(text: str) -> bytes:
    try:
        return bytes.fromhex(text)
    except ValueError:  # an odd number of digits: the last is followed by 0
        digits = re.sub(r"\s", "", text)
        return bytes.fromhex(digits + "0" * (len(digits) % 2))


def _to_unicode(font) -> tuple[int, dict[bytes, str]]:
    """The code length and code -> text map of a font's ToUnicode CMap."""
    stream = font.get("/ToUnicode")
    if stream is None:
        raise Unsupported("a font without /ToUnicode")
    raw = stream.get_object().get_data()
    key = (raw, font.get("/Subtype") == "/Type0")
    if key in _CMAP_CACHE:
        return _CMAP_CACHE[key]
    if len(_CMAP_CACHE) >= _CMAP_CACHE_SIZE:
        _CMAP_CACHE.clear()
    data = raw.decode("latin-1")
    spaces = re.findall(r"begincodespacerange(.*?)endcodespacerange", data, re.S)
    ranges = re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", " ".join(spaces))
    width = len(ranges[0][0]) // 2 if ranges else (
        2 if font.get("/Subtype") == "/Type0" else 1)
    mapping: dict[bytes, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for code, text in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            mapping[_hex(code)] = _hex(text).decode("utf-16-be", "replace")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for start, end, target in re.findall(
                r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])",
                block):
            first, last = int(start, 16), int(end, 16)
            if target.startswith("["):
                texts = re.findall(r"<([0-9A-Fa-f]*)>", target)
                for offset, text in enumerate(texts):
                    code = (first + offset).to_bytes(width, "big")
                    mapping[code] = _hex(text).decode("utf-16-be", "replace")
            else:
                base = _hex(target[1:-1])
                for offset in range(last - first + 1):
                    value = (int.from_bytes(base, "big") + offset).to_bytes(len(base),
                                                                             "big")
                    code = (first + offset).to_bytes(width, "big")
                    mapping[code] = value.decode("utf-16-be", "replace")
    _CMAP_CACHE[key] = (width, mapping)
    return width, mapping


@dataclass(frozen=True)
class _Font:
    """What drawing text with a font needs: the code length, the code ->
    text map (``None`` when not decoding), the advance of each code in text
    space units per point of font size, and the advance of any other code."""

    code_length: int
    mapping: dict[bytes, str] | None
    widths: dict[bytes, float]
    default: float


def _number(value, default: float = 0.0) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def _font(entry, decode: bool) -> _Font:
    """Read a font resource: its ToUnicode map and its glyph widths (``/W``
    of a CID font, ``/Widths`` of a simple font; a Type 3 font's widths are
    in glyph space, scaled by its ``/FontMatrix``)."""
    font = entry.get_object()
    subtype = font.get("/Subtype")
    mapping = None
    if decode:
        length, mapping = _to_unicode(font)
    else:
        length = 2 if subtype == "/Type0" else 1
    widths: dict[bytes, float] = {}
    if subtype == "/Type0":
        descendant = font["/DescendantFonts"][0].get_object()
        default = _number(descendant.get("/DW"), 1000.0) / 1000
        identity = str(font.get("/Encoding")) in ("/Identity-H", "/Identity-V")
        items = descendant.get("/W")
        items = ([item.get_object() for item in items.get_object()]
                 if items is not None and identity else [])
        index = 0
        while index + 1 < len(items):
            first, following = int(items[index]), items[index + 1]
            if isinstance(following, list):
                for offset, value in enumerate(following):
                    widths[(first + offset).to_bytes(length, "big")] = (
                        float(value) / 1000)
                index += 2
            elif index + 2 < len(items):
                value = float(items[index + 2]) / 1000
                for code in range(first, int(following) + 1):
                    widths[code.to_bytes(length, "big")] = value
                index += 3
            else:
                break
        return _Font(length, mapping, widths, default)
    scale = 1 / 1000
    if subtype == "/Type3":
        scale = _number(font.get("/FontMatrix", [0.001])[0], 0.001)
    descriptor = font.get("/FontDescriptor")
    missing = _number(descriptor.get_object().get("/MissingWidth")) if descriptor else 0
    default = (missing or 500.0) * scale
    first = int(_number(font.get("/FirstChar")))
    values = font.get("/Widths")
    for offset, value in enumerate(values.get_object() if values is not None else ()):
        if 0 <= first + offset < 256:
            widths[bytes((first + offset,))] = float(value) * scale
    return _Font(1, mapping, widths, default)


def _tj_items(body: bytes) -> tuple[list[bytes], float]:
    """The strings of a ``TJ`` array and the sum of its numbers."""
    adjust = sum(map(float, _TJ_STRING.sub(b" ", body).split()))
    if b"(" not in body:  # hex strings only, as WeasyPrint writes them
        pieces = _TJ_HEX.findall(body)
        if not any(len(piece) % 2 for piece in pieces):
            return [bytes.fromhex(b"".join(pieces).decode("latin-1"))], adjust
    strings = [_hex(item["hex"].decode("latin-1")) if item["hex"] is not None
               else _literal(item["lit"])
               for item in _TJ_ITEM.finditer(body) if item["num"] is None]
    return strings, adjust


def _literal(body: bytes) -> bytes:
    if b"\\" not in body:
        return body
    out = bytearray()
    index = 0
    while index < len(body):
        char = body[index:index + 1]
        if char == b"\\" and index + 1 < len(body):
            following = body[index + 1:index + 2]
            octal = re.match(rb"[0-7]{1,3}", body[index + 1:index + 4])
            if octal:
                out.append(int(octal[0], 8) & 0xFF)
                index += 1 + len(octal[0])
                continue
            out += _ESCAPES.get(following, following)
            index += 2
            continue
        out += char
        index += 1
    return bytes(out)


# --- colour ----------------------------------------------------------------

#: A colour space as this reader knows it: its kind (``gray``, ``rgb``,
#: ``cmyk``, ``lab``, ``pattern`` or ``other``) and, for Lab, its white point.
Space = tuple[str, tuple[float, ...]]
_DEVICE: dict[str, Space] = {
    "/DeviceGray": ("gray", ()), "/G": ("gray", ()), "/CalGray": ("gray", ()),
    "/DeviceRGB": ("rgb", ()), "/RGB": ("rgb", ()), "/CalRGB": ("rgb", ()),
    "/DeviceCMYK": ("cmyk", ()), "/CMYK": ("cmyk", ()),
    "/Pattern": ("pattern", ()),
}
_ICC = {1: ("gray", ()), 3: ("rgb", ()), 4: ("cmyk", ())}


def _space(name, resources) -> Space:
    """The colour space called ``name`` on a page (or form) with these
    resources: a device space, or one of ``/ColorSpace``."""
    if isinstance(name, str) and name in _DEVICE:
        return _DEVICE[name]
    spaces = resources.get("/ColorSpace")
    spaces = spaces.get_object() if spaces is not None else {}
    entry = spaces.get(name) if isinstance(name, str) else None
    if entry is None:
        return ("other", ())
    entry = entry.get_object()
    if not isinstance(entry, list):
        return _DEVICE.get(str(entry), ("other", ()))
    family = str(entry[0])
    if family in _DEVICE:
        return _DEVICE[family]
    if family == "/ICCBased" and len(entry) > 1:
        return _ICC.get(int(_number(entry[1].get_object().get("/N"))), ("other", ()))
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


def _colour(space: Space, operands: list) -> Colour | None:
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


def _initial(space: Space) -> Colour | None:
    return None if space[0] in ("pattern", "other") else BLACK


# --- geometry --------------------------------------------------------------


def _apply(matrix, x: float, y: float) -> tuple[float, float]:
    return (x * matrix[0] + y * matrix[2] + matrix[4],
            x * matrix[1] + y * matrix[3] + matrix[5])


def _bounds(points) -> Box:
    xs = [point[0] for point in points]
    ys = [point[1] for point in points]
    return (min(xs), min(ys), max(xs), max(ys))


def _intersect(first: Box | None, second: Box) -> Box:
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
class _Paint:
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


def _beneath(paints: list[_Paint], x: float, y: float) -> Colour | None:
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


# --- the interpreter -------------------------------------------------------


class _State:
    """The graphics state that matters here (saved by ``q``, restored by
    ``Q``)."""

    __slots__ = ("ctm", "clip", "fill_space", "fill", "stroke_space", "stroke",
                 "fill_alpha", "stroke_alpha", "group", "opaque", "line_width",
                 "font", "size", "char_spacing", "word_spacing", "scale",
                 "leading", "rise", "mode")

    def __init__(self):
        self.ctm = _IDENTITY
        self.clip: Box | None = None
        self.fill_space: Space = ("gray", ())
        self.fill: Colour | None = BLACK
        self.stroke_space: Space = ("gray", ())
        self.stroke: Colour | None = BLACK
        self.fill_alpha = self.stroke_alpha = self.group = 1.0
        #: False under a soft mask or a blend mode other than Normal.
        self.opaque = True
        self.line_width = 1.0
        self.font: _Font | None = None
        self.size = 0.0
        self.char_spacing = self.word_spacing = self.leading = self.rise = 0.0
        self.scale = 1.0
        self.mode = 0

    def copy(self) -> _State:
        other = _State.__new__(_State)
        for name in _State.__slots__:
            setattr(other, name, getattr(self, name))
        return other


@dataclass
class _Shown:
    """A run being read: the run without ``covered``, where it was sampled
    and how many shapes had been painted before it."""

    run: Run
    samples: tuple[tuple[float, float], ...]
    painted: int


class _Reader:
    """Reads one page: its content streams and the forms they draw."""

    def __init__(self, decode: bool):
        self.decode = decode
        self.state = _State()
        self.stack: list[_State] = []
        self.paints: list[_Paint] = []
        self.shown: list[_Shown] = []
        self.fonts: dict[tuple[int, str], _Font] = {}
        self.forms: list[int] = []

    def runs(self) -> list[Run]:
        found = []
        for shown in self.shown:
            run = shown.run
            covered = any(self._covers(paint, shown, run.size)
                          for paint in self.paints[shown.painted:])
            found.append(replace(run, covered=True) if covered else run)
        return found

    @staticmethod
    def _covers(paint: _Paint, shown: _Shown, size: float) -> bool:
        if paint.alpha < COVERING_ALPHA:
            return False
        if paint.reach and 2 * paint.reach < COVERING_STROKE * size:
            return False
        return any(paint.contains(x, y) for x, y in shown.samples)

    # The content stream, token by token.

    def read(self, data: bytes, resources, depth: int = 0) -> None:
        state = self.state
        operands: list = []
        array: list | None = None
        tm = line = _IDENTITY
        path: list[list[tuple[float, float]]] = []
        clipping: bool | None = None  # W: False, W*: True
        for match in _TOKEN.finditer(data):
            kind = match.lastgroup
            if kind == "skip" or kind == "dict":
                continue
            value = match[kind]
            if kind == "tj":
                strings, adjust = _tj_items(value)
                tm = self._show(self.state, tm, strings, adjust)
                operands = []
                continue
            if kind == "num":
                item = float(value)
            elif kind == "hex":
                item = _hex(value.decode("latin-1"))
            elif kind == "lit":
                item = _literal(value)
            elif kind == "name":
                item = value.decode("latin-1")
            elif kind == "open":
                array = []
                continue
            elif kind == "close":
                operands.append(array or [])
                array = None
                continue
            elif kind == "inline":  # an inline image: an area of unknown colour
                state = self.state
                self._image(state, state.fill if b"/IM true" in value else None)
                operands = []
                continue
            else:
                op = value
                state = self.state
                if op == b"q":
                    self.stack.append(state.copy())
                elif op == b"Q":
                    self.state = state = self.stack.pop() if self.stack else _State()
                elif op == b"cm" and len(operands) >= 6:
                    state.ctm = _multiply(tuple(operands[-6:]), state.ctm)
                elif op == b"BT":
                    tm = line = _IDENTITY
                elif op == b"Tm" and len(operands) >= 6:
                    tm = line = tuple(operands[-6:])
                elif op in (b"Td", b"TD") and len(operands) >= 2:
                    if op == b"TD":
                        state.leading = -operands[-1]
                    tm = line = _multiply((1, 0, 0, 1, operands[-2], operands[-1]),
                                          line)
                elif op == b"T*":
                    tm = line = _multiply((1, 0, 0, 1, 0, -state.leading), line)
                elif op == b"Tf" and len(operands) >= 2:
                    state.font = self._font(resources, operands[-2])
                    state.size = float(operands[-1])
                elif op == b"TJ" and operands and isinstance(operands[-1], list):
                    items = operands[-1]
                    tm = self._show(state, tm, [item for item in items
                                                if isinstance(item, bytes)],
                                    sum(item for item in items
                                        if isinstance(item, float)))
                elif op == b"Tj" and operands and isinstance(operands[-1], bytes):
                    tm = self._show(state, tm, [operands[-1]], 0.0)
                elif op in (b"'", b'"') and operands:
                    if op == b'"' and len(operands) >= 3:
                        state.word_spacing, state.char_spacing = operands[-3:-1]
                    tm = line = _multiply((1, 0, 0, 1, 0, -state.leading), line)
                    if isinstance(operands[-1], bytes):
                        tm = self._show(state, tm, [operands[-1]], 0.0)
                elif op == b"Tc" and operands:
                    state.char_spacing = operands[-1]
                elif op == b"Tw" and operands:
                    state.word_spacing = operands[-1]
                elif op == b"Tz" and operands:
                    state.scale = operands[-1] / 100
                elif op == b"TL" and operands:
                    state.leading = operands[-1]
                elif op == b"Ts" and operands:
                    state.rise = operands[-1]
                elif op == b"Tr" and operands:
                    state.mode = int(operands[-1])
                elif op in (b"g", b"rg", b"k", b"G", b"RG", b"K"):
                    space = _DEVICE[{b"g": "/DeviceGray", b"rg": "/DeviceRGB",
                                     b"k": "/DeviceCMYK"}[op.lower()]]
                    if op.islower():
                        state.fill_space, state.fill = space, _colour(space, operands)
                    else:
                        state.stroke_space = space
                        state.stroke = _colour(space, operands)
                elif op in (b"cs", b"CS") and operands:
                    space = _space(operands[-1], resources)
                    if op == b"cs":
                        state.fill_space, state.fill = space, _initial(space)
                    else:
                        state.stroke_space, state.stroke = space, _initial(space)
                elif op in (b"sc", b"scn"):
                    state.fill = _colour(state.fill_space, operands)
                elif op in (b"SC", b"SCN"):
                    state.stroke = _colour(state.stroke_space, operands)
                elif op == b"gs" and operands:
                    self._graphics_state(state, resources, operands[-1])
                elif op == b"w" and operands:
                    state.line_width = operands[-1]
                elif op == b"m" and len(operands) >= 2:
                    path.append([_apply(state.ctm, *operands[-2:])])
                elif op in (b"l", b"c", b"v", b"y") and len(operands) >= 2:
                    if not path:
                        path.append([])
                    path[-1].extend(_apply(state.ctm, *operands[index:index + 2])
                                    for index in range(0, len(operands) - 1, 2))
                elif op == b"re" and len(operands) >= 4:
                    x, y, width, height = operands[-4:]
                    corner = _apply(state.ctm, x, y)
                    path.append([corner, _apply(state.ctm, x + width, y),
                                 _apply(state.ctm, x + width, y + height),
                                 _apply(state.ctm, x, y + height), corner])
                elif op == b"h" and path and path[-1]:
                    path[-1].append(path[-1][0])
                elif op in (b"W", b"W*"):
                    clipping = op == b"W*"
                elif op in (b"n", b"f", b"F", b"f*", b"S", b"s", b"B", b"B*", b"b",
                            b"b*"):
                    self._paint(state, op, path)
                    if clipping is not None:
                        points = [point for points in path for point in points]
                        state.clip = _intersect(state.clip, _bounds(points) if points
                                                else (0.0, 0.0, 0.0, 0.0))
                    path, clipping = [], None
                elif op == b"sh":
                    self._shading(state)
                elif op == b"Do" and operands:
                    self._draw(state, resources, operands[-1], depth)
                operands = []
                continue
            if array is not None:
                array.append(item)
            else:
                operands.append(item)

    # Operators that need more than a line.

    def _font(self, resources, name) -> _Font:
        key = (id(resources), name)
        if key not in self.fonts:
            fonts = resources.get("/Font")
            entry = fonts.get_object().get(name) if fonts is not None else None
            if entry is None:
                raise Unsupported(f"unknown font {name}")
            self.fonts[key] = _font(entry, self.decode)
        return self.fonts[key]

    def _show(self, state: _State, tm, strings: list[bytes], adjust: float) -> tuple:
        """Record a run of text (``adjust``: the sum of the numbers of a
        ``TJ`` array); return the text matrix after it."""
        font = state.font
        if font is None:
            raise Unsupported("text before a font")
        length, mapping, widths, default = (font.code_length, font.mapping,
                                            font.widths, font.default)
        size, scale = state.size, state.scale
        codes = [string[index:index + length] for string in strings
                 for index in range(0, len(string) - length + 1, length)]
        glyphs = ([mapping.get(code, "") for code in codes] if mapping is not None
                  else [])
        get = widths.get
        advance = (sum([get(code, default) for code in codes]) * size
                   + state.char_spacing * len(codes) - adjust / 1000 * size)
        if length == 1 and state.word_spacing:
            advance += state.word_spacing * codes.count(b" ")
        advance *= scale
        matrix = _multiply(tm, state.ctm)
        rise = state.rise
        corners = [_apply(matrix, along, rise + height * size)
                   for along in (0.0, advance) for height in (DESCENT, ASCENT)]
        samples = tuple(_apply(matrix, part * advance, rise + SAMPLE_HEIGHT * size)
                        for part in SAMPLES)
        stroke_only = state.mode in (1, 5)
        colour = state.stroke if stroke_only else state.fill
        alpha = (state.stroke_alpha if stroke_only else state.fill_alpha) * state.group
        backgrounds = tuple(dict.fromkeys(_beneath(self.paints, x, y)
                                          for x, y in samples))
        run = Run(logical(glyphs), matrix[4], matrix[5],
                  size * math.hypot(matrix[2], matrix[3]),
                  _apply(matrix, advance, 0.0)[0], _bounds(corners),
                  size * abs(scale) * math.hypot(matrix[0], matrix[1]),
                  colour if state.opaque else None, alpha, state.mode, state.clip,
                  backgrounds, False)
        self.shown.append(_Shown(run, samples, len(self.paints)))
        return (tm[0], tm[1], tm[2], tm[3], tm[4] + advance * tm[0],
                tm[5] + advance * tm[1])

    def _graphics_state(self, state: _State, resources, name) -> None:
        states = resources.get("/ExtGState")
        entry = states.get_object().get(name) if states is not None else None
        if entry is None:
            return
        entry = entry.get_object()
        if "/ca" in entry:
            state.fill_alpha = _number(entry["/ca"], 1.0)
        if "/CA" in entry:
            state.stroke_alpha = _number(entry["/CA"], 1.0)
        mask = entry.get("/SMask")
        blend = entry.get("/BM")
        if mask is not None or blend is not None:
            blend = blend.get_object() if blend is not None else None
            if isinstance(blend, list):
                blend = blend[0] if blend else None
            state.opaque = (mask is None or str(mask) == "/None") and (
                blend is None or str(blend) in ("/Normal", "/Compatible"))

    def _paint(self, state: _State, op: bytes, path) -> None:
        polygons = tuple(tuple(points) for points in path if points)
        if not polygons:
            return
        bounds = _bounds([point for points in polygons for point in points])
        if op in (b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"):
            simple = (len(polygons) == 1 and len(polygons[0]) == 5
                      and polygons[0][0] == polygons[0][4]
                      and len({x for x, _y in polygons[0]}) <= 2
                      and len({y for _x, y in polygons[0]}) <= 2)
            self.paints.append(_Paint(bounds, None if simple else polygons,
                                      op in (b"f*", b"B*", b"b*"),
                                      state.fill if state.opaque else None,
                                      state.fill_alpha * state.group, state.clip))
        if op in (b"S", b"s", b"B", b"B*", b"b", b"b*"):
            closed = op in (b"s", b"b", b"b*")
            lines = tuple(points + ((points[0],) if closed else ())
                          for points in polygons)
            ctm = state.ctm
            scale = math.sqrt(abs(ctm[0] * ctm[3] - ctm[1] * ctm[2]))
            reach = state.line_width * scale / 2
            if reach > 0:
                self.paints.append(_Paint(
                    (bounds[0] - reach, bounds[1] - reach, bounds[2] + reach,
                     bounds[3] + reach), lines, False,
                    state.stroke if state.opaque else None,
                    state.stroke_alpha * state.group, state.clip, reach))

    def _image(self, state: _State, colour: Colour | None) -> None:
        corners = [_apply(state.ctm, x, y) for x in (0.0, 1.0) for y in (0.0, 1.0)]
        ordered = (corners[0], corners[2], corners[3], corners[1])
        self.paints.append(_Paint(_bounds(corners), (ordered,), False, colour,
                                  state.fill_alpha * state.group, state.clip))

    def _shading(self, state: _State) -> None:
        clip = state.clip or (-1e9, -1e9, 1e9, 1e9)
        self.paints.append(_Paint(clip, None, False, None,
                                  state.fill_alpha * state.group, state.clip))

    def _draw(self, state: _State, resources, name, depth: int) -> None:
        """``Do``: an image is an area of unknown colour (a stencil mask is
        painted in the fill colour); a form is read in place."""
        xobjects = resources.get("/XObject")
        xobjects = xobjects.get_object() if xobjects is not None else {}
        reference = xobjects.raw_get(name) if name in xobjects else None
        if reference is None:
            raise Unsupported(f"unknown XObject {name}")
        xobject = reference.get_object()
        subtype = xobject.get("/Subtype")
        if subtype == "/Image":
            self._image(state, state.fill if xobject.get("/ImageMask") else None)
            return
        if subtype != "/Form":
            return
        key = getattr(reference, "idnum", None) or id(xobject)
        if depth >= MAX_DEPTH or key in self.forms:
            raise Unsupported("form XObjects nested too deep or in a cycle")
        saved, depth_of_stack = state.copy(), len(self.stack)
        matrix = tuple(_number(value) for value in xobject.get("/Matrix", _IDENTITY))
        state.ctm = _multiply(matrix, state.ctm)
        box = xobject.get("/BBox")
        if box is not None:
            x0, y0, x1, y1 = (_number(value) for value in box)
            state.clip = _intersect(state.clip, _bounds(
                [_apply(state.ctm, x, y) for x in (x0, x1) for y in (y0, y1)]))
        group = xobject.get("/Group")
        if group is not None and group.get_object().get("/S") == "/Transparency":
            # A transparency group is painted with the alpha in effect; inside
            # it, alpha, soft mask and blend mode start afresh.
            state.group *= state.fill_alpha
            state.fill_alpha = state.stroke_alpha = 1.0
            state.opaque = True
        own = xobject.get("/Resources")
        self.forms.append(key)
        try:
            self.read(xobject.get_data(), own.get_object() if own is not None
                      else resources, depth + 1)
        finally:
            self.forms.pop()
            del self.stack[depth_of_stack:]
            self.state = saved


def runs(page, decode: bool = True) -> list[Run]:
    """Every piece of text of a page, in the order it is drawn, with its
    position, size, extent, colour and what lies beneath and above it.

    ``decode=False`` reads every run but leaves its text empty (for a page
    with a font that has no ``/ToUnicode`` map: the caller reads the text
    with pypdf). Raises :class:`Unsupported` for a page this reader cannot
    follow.
    """
    resources = page.get("/Resources")
    resources = resources.get_object() if resources is not None else {}
    # The raw streams, decoded but not parsed (pypdf's get_contents() would
    # parse every operand into objects, which is what this module avoids).
    contents = page.get("/Contents")
    if contents is None:
        return []
    contents = contents.get_object()
    streams = contents if isinstance(contents, list) else [contents]
    data = b"\n".join(stream.get_object().get_data() for stream in streams)
    reader = _Reader(decode)
    try:
        reader.read(data, resources)
    except (TypeError, ValueError, IndexError, AttributeError, KeyError) as error:
        raise Unsupported(f"a content stream this reader cannot follow: {error}"
                          ) from error
    return reader.runs()
