"""Text runs of a PDF page as a reader sees them, read fast.

Called by :mod:`leafpress.printing.readback` (for :mod:`leafpress.printing.verify`).
In: a page that pypdf has opened (pypdf parses the file, finds the content
streams and fonts, and decompresses them). Out: every piece of text with its
position and size, as :func:`pypdf.PageObject.extract_text` with a visitor
would give it, in about a tenth of the time (pypdf parses every operand of the
content stream into Python objects, while only the text, the matrices, the
colours and the shapes matter here), and with what decides whether a reader
can see it: where it ends (from the font's glyph widths), the colour and
opacity it is painted in, its render mode, the clip in effect, the colours
drawn beneath it (filled shapes over white paper) and whether anything opaque
is drawn over it afterwards.

Form XObjects are followed (their matrix, bounding box and transparency
group); images, shadings and pattern fills are areas of a colour that
cannot be told. Fonts are decoded through their ``/ToUnicode`` maps. A font
without one raises :class:`~leafpress.printing.textrun.Unsupported`;
``runs(page, decode=False)`` then still gives everything but the text, which
the caller takes from pypdf (see :func:`leafpress.printing.readback.pypdf_runs`).

This module holds the interpreter of the content stream; the tokens are
:mod:`leafpress.printing.pdfsyntax`'s, the fonts
:mod:`leafpress.printing.pdffonts`' and the colours and shapes
:mod:`leafpress.printing.paint`'s.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from leafpress.printing.paint import (
    BLACK,
    DEVICE_SPACES,
    IDENTITY_MATRIX,
    PaintedShape,
    Space,
    bounding_box,
    colour_beneath,
    colour_space,
    initial_colour,
    intersect_boxes,
    multiply_matrices,
    srgb_colour,
    transform_point,
)
from leafpress.printing.pdffonts import FontInfo, read_font
from leafpress.printing.pdfsyntax import (
    TOKEN_RE,
    hex_bytes,
    literal_bytes,
    number_or,
    split_tj_array,
)
from leafpress.printing.textrun import Box, Colour, Run, Unsupported

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


# --- the interpreter -------------------------------------------------------


class _State:
    """The graphics state that matters here (saved by ``q``, restored by
    ``Q``)."""

    __slots__ = ("ctm", "clip", "fill_space", "fill", "stroke_space", "stroke",
                 "fill_alpha", "stroke_alpha", "group", "opaque", "line_width",
                 "font", "size", "char_spacing", "word_spacing", "scale",
                 "leading", "rise", "mode")

    def __init__(self):
        self.ctm = IDENTITY_MATRIX
        self.clip: Box | None = None
        self.fill_space: Space = ("gray", ())
        self.fill: Colour | None = BLACK
        self.stroke_space: Space = ("gray", ())
        self.stroke: Colour | None = BLACK
        self.fill_alpha = self.stroke_alpha = self.group = 1.0
        #: False under a soft mask or a blend mode other than Normal.
        self.opaque = True
        self.line_width = 1.0
        self.font: FontInfo | None = None
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
        self.paints: list[PaintedShape] = []
        self.shown: list[_Shown] = []
        self.fonts: dict[tuple[int, str], FontInfo] = {}
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
    def _covers(paint: PaintedShape, shown: _Shown, size: float) -> bool:
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
        tm = line = IDENTITY_MATRIX
        path: list[list[tuple[float, float]]] = []
        clipping: bool | None = None  # W: False, W*: True
        for match in TOKEN_RE.finditer(data):
            kind = match.lastgroup
            if kind == "skip" or kind == "dict":
                continue
            value = match[kind]
            if kind == "tj":
                strings, adjust = split_tj_array(value)
                tm = self._show(self.state, tm, strings, adjust)
                operands = []
                continue
            if kind == "num":
                item = float(value)
            elif kind == "hex":
                item = hex_bytes(value.decode("latin-1"))
            elif kind == "lit":
                item = literal_bytes(value)
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
                    state.ctm = multiply_matrices(tuple(operands[-6:]), state.ctm)
                elif op == b"BT":
                    tm = line = IDENTITY_MATRIX
                elif op == b"Tm" and len(operands) >= 6:
                    tm = line = tuple(operands[-6:])
                elif op in (b"Td", b"TD") and len(operands) >= 2:
                    if op == b"TD":
                        state.leading = -operands[-1]
                    tm = line = multiply_matrices(
                        (1, 0, 0, 1, operands[-2], operands[-1]), line)
                elif op == b"T*":
                    tm = line = multiply_matrices((1, 0, 0, 1, 0, -state.leading), line)
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
                    tm = line = multiply_matrices((1, 0, 0, 1, 0, -state.leading), line)
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
                    space = DEVICE_SPACES[{b"g": "/DeviceGray", b"rg": "/DeviceRGB",
                                           b"k": "/DeviceCMYK"}[op.lower()]]
                    if op.islower():
                        state.fill_space, state.fill = space, srgb_colour(
                            space, operands)
                    else:
                        state.stroke_space = space
                        state.stroke = srgb_colour(space, operands)
                elif op in (b"cs", b"CS") and operands:
                    space = colour_space(operands[-1], resources)
                    if op == b"cs":
                        state.fill_space, state.fill = space, initial_colour(space)
                    else:
                        state.stroke_space, state.stroke = space, initial_colour(space)
                elif op in (b"sc", b"scn"):
                    state.fill = srgb_colour(state.fill_space, operands)
                elif op in (b"SC", b"SCN"):
                    state.stroke = srgb_colour(state.stroke_space, operands)
                elif op == b"gs" and operands:
                    self._graphics_state(state, resources, operands[-1])
                elif op == b"w" and operands:
                    state.line_width = operands[-1]
                elif op == b"m" and len(operands) >= 2:
                    path.append([transform_point(state.ctm, *operands[-2:])])
                elif op in (b"l", b"c", b"v", b"y") and len(operands) >= 2:
                    if not path:
                        path.append([])
                    path[-1].extend(
                        transform_point(state.ctm, *operands[index:index + 2])
                        for index in range(0, len(operands) - 1, 2))
                elif op == b"re" and len(operands) >= 4:
                    x, y, width, height = operands[-4:]
                    corner = transform_point(state.ctm, x, y)
                    path.append([corner, transform_point(state.ctm, x + width, y),
                                 transform_point(state.ctm, x + width, y + height),
                                 transform_point(state.ctm, x, y + height), corner])
                elif op == b"h" and path and path[-1]:
                    path[-1].append(path[-1][0])
                elif op in (b"W", b"W*"):
                    clipping = op == b"W*"
                elif op in (b"n", b"f", b"F", b"f*", b"S", b"s", b"B", b"B*", b"b",
                            b"b*"):
                    self._paint(state, op, path)
                    if clipping is not None:
                        points = [point for points in path for point in points]
                        state.clip = intersect_boxes(
                            state.clip,
                            bounding_box(points) if points else (0.0, 0.0, 0.0, 0.0))
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

    def _font(self, resources, name) -> FontInfo:
        key = (id(resources), name)
        if key not in self.fonts:
            fonts = resources.get("/Font")
            entry = fonts.get_object().get(name) if fonts is not None else None
            if entry is None:
                raise Unsupported(f"unknown font {name}")
            self.fonts[key] = read_font(entry, self.decode)
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
        matrix = multiply_matrices(tm, state.ctm)
        rise = state.rise
        corners = [transform_point(matrix, along, rise + height * size)
                   for along in (0.0, advance) for height in (DESCENT, ASCENT)]
        samples = tuple(transform_point(matrix, part * advance,
                                        rise + SAMPLE_HEIGHT * size)
                        for part in SAMPLES)
        stroke_only = state.mode in (1, 5)
        colour = state.stroke if stroke_only else state.fill
        alpha = (state.stroke_alpha if stroke_only else state.fill_alpha) * state.group
        backgrounds = tuple(dict.fromkeys(colour_beneath(self.paints, x, y)
                                          for x, y in samples))
        run = Run(logical(glyphs), matrix[4], matrix[5],
                  size * math.hypot(matrix[2], matrix[3]),
                  transform_point(matrix, advance, 0.0)[0], bounding_box(corners),
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
            state.fill_alpha = number_or(entry["/ca"], 1.0)
        if "/CA" in entry:
            state.stroke_alpha = number_or(entry["/CA"], 1.0)
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
        bounds = bounding_box([point for points in polygons for point in points])
        if op in (b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"):
            simple = (len(polygons) == 1 and len(polygons[0]) == 5
                      and polygons[0][0] == polygons[0][4]
                      and len({x for x, _y in polygons[0]}) <= 2
                      and len({y for _x, y in polygons[0]}) <= 2)
            self.paints.append(PaintedShape(bounds, None if simple else polygons,
                                            op in (b"f*", b"B*", b"b*"),
                                            state.fill if state.opaque else None,
                                            state.fill_alpha * state.group,
                                            state.clip))
        if op in (b"S", b"s", b"B", b"B*", b"b", b"b*"):
            closed = op in (b"s", b"b", b"b*")
            lines = tuple(points + ((points[0],) if closed else ())
                          for points in polygons)
            ctm = state.ctm
            scale = math.sqrt(abs(ctm[0] * ctm[3] - ctm[1] * ctm[2]))
            reach = state.line_width * scale / 2
            if reach > 0:
                self.paints.append(PaintedShape(
                    (bounds[0] - reach, bounds[1] - reach, bounds[2] + reach,
                     bounds[3] + reach), lines, False,
                    state.stroke if state.opaque else None,
                    state.stroke_alpha * state.group, state.clip, reach))

    def _image(self, state: _State, colour: Colour | None) -> None:
        corners = [transform_point(state.ctm, x, y)
                   for x in (0.0, 1.0) for y in (0.0, 1.0)]
        ordered = (corners[0], corners[2], corners[3], corners[1])
        self.paints.append(PaintedShape(bounding_box(corners), (ordered,), False,
                                        colour, state.fill_alpha * state.group,
                                        state.clip))

    def _shading(self, state: _State) -> None:
        clip = state.clip or (-1e9, -1e9, 1e9, 1e9)
        self.paints.append(PaintedShape(clip, None, False, None,
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
        matrix = tuple(number_or(value)
                       for value in xobject.get("/Matrix", IDENTITY_MATRIX))
        state.ctm = multiply_matrices(matrix, state.ctm)
        box = xobject.get("/BBox")
        if box is not None:
            x0, y0, x1, y1 = (number_or(value) for value in box)
            state.clip = intersect_boxes(state.clip, bounding_box(
                [transform_point(state.ctm, x, y)
                 for x in (x0, x1) for y in (y0, y1)]))
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

