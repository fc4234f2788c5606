"""A run of text as :mod:`leafpress.printing.pdftext` reads it off a PDF page.

Made by pdftext (and :func:`leafpress.printing.readback.pypdf_runs`), read by
the checks of :mod:`leafpress.printing.verify`. :class:`Run` is one piece of
text with where and how it is drawn (in :data:`Box` and :data:`Colour`);
:class:`Unsupported` is raised for a page that pdftext cannot follow.
"""

from __future__ import annotations

from dataclasses import dataclass

#: An sRGB colour, each channel from 0 to 1.
Colour = tuple[float, float, float]
#: An upright rectangle in page space: left, bottom, right, top (points).
Box = tuple[float, float, float, float]


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
