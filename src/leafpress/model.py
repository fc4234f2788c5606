"""The data that flows between the stages.

:mod:`leafpress.sources.leaflet` makes :class:`Leaflet` objects (front matter
in :class:`Meta`, translatable text in :class:`Block`);
:mod:`leafpress.translation.extract` turns their :class:`Message` list into
templates; :mod:`leafpress.printing.compose`
composes a :class:`Document` per leaflet and language, which
:mod:`leafpress.printing.verify` then checks the PDF against. All are frozen and
picklable, so that they can cross into worker processes.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

#: A leaflet's slug, which is also its file name and the name of its
#: catalogs: lower-case letters and digits, words joined by hyphens.
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")


@dataclass(frozen=True)
class Paper:
    """A page size and the margins the template prints within (millimetres).

    The header and footer sit in the top and bottom margins; the verifier
    uses the same numbers to tell running text from page furniture.
    """

    name: str
    width: float
    height: float
    margin_top: float = 20.0
    margin_bottom: float = 20.0
    margin_side: float = 18.0

    @property
    def css_size(self) -> str:
        return f"{self.width}mm {self.height}mm"


PAPERS = {
    "A4": Paper("A4", 210.0, 297.0),
    "A5": Paper("A5", 148.0, 210.0, 18.0, 18.0, 15.0),
    "Letter": Paper("Letter", 215.9, 279.4),
}


@dataclass(frozen=True)
class Variant:
    """A way of printing a leaflet: its type size, paper and file name.

    ``standard`` is clear print on the project's paper; ``large`` re-typesets
    the same text at 17 pt (large print is set, not enlarged), its running
    header and footer at 16 pt; ``booklet`` prints a tagged A5 reading copy
    (``<slug>.a5.pdf``) with a cover and a back page and imposes it on A4
    for folding (``<slug>.booklet.pdf``).
    """

    name: str
    suffix: str
    body_pt: float
    footer_pt: float
    paper: str | None
    #: The smallest running-text size verification accepts.
    min_body_pt: float
    #: The page limit is the leaflet's ``max-pages`` times this, unless the
    #: leaflet sets ``max-pages-<name>``.
    pages_factor: int
    #: Page 1 is a cover (title, clinic, logo) and the last page a back page
    #: (contact, version and dates), neither with a running header or
    #: footer; the page limit counts the pages between them.
    cover: bool = False


VARIANTS = {
    "standard": Variant("standard", "", 12.0, 9.5, None, 12.0, 1),
    "large": Variant("large", ".large", 17.0, 16.0, None, 16.0, 2),
    "booklet": Variant("booklet", ".a5", 12.0, 9.0, "A5", 12.0, 2, cover=True),
}
BOOKLET_SUFFIX = ".booklet"


@dataclass(frozen=True)
class Meta:
    """Front matter of a leaflet, validated (see :mod:`leafpress.sources.leaflet`)."""

    slug: str
    title: str
    version: str
    published: datetime.date
    review_by: datetime.date
    organisation: str
    authors: tuple[str, ...]
    clinical_reviewer: str
    sources: tuple[str, ...]
    max_pages: int
    paper: str | None = None
    #: The kind of leaflet (``procedure``, ``aftercare``...): which sections
    #: it must have (see :mod:`leafpress.quality.lint`). ``None``: a procedure.
    type: str | None = None
    #: The department whose contact the leaflet prints (``[departments.<name>]``
    #: in ``leafpress.toml``). ``None``: the clinic's.
    department: str | None = None
    #: Page limits of the other variants, when the leaflet sets them.
    max_pages_variant: tuple[tuple[str, int], ...] = ()
    summary: str | None = None
    title_line: int = 1
    summary_line: int | None = None
    #: A draft (``status: draft``) never prints as a leaflet; ``todo`` names
    #: the fields it still leaves to fill in.
    draft: bool = False
    todo: tuple[str, ...] = ()


@dataclass(frozen=True)
class Block:
    """One translatable unit of a leaflet body.

    ``text`` is the inline Markdown exactly as the author wrote it, with soft
    line breaks folded to spaces: it is the gettext ``msgid``. ``line`` is the
    1-based line in the leaflet file; ``section`` the text of the level-2
    heading it sits under; ``anchor`` a heading's ``{#name}``.
    """

    kind: str
    text: str
    line: int
    section: str | None = None
    level: int | None = None
    anchor: str | None = None


@dataclass(frozen=True)
class Message:
    """A message as it goes into a catalog: the block plus its context."""

    msgid: str
    context: str | None
    line: int
    comment: str
    placeholders: tuple[str, ...] = ()


@dataclass(frozen=True)
class Leaflet:
    """A parsed, valid leaflet source."""

    path: Path
    meta: Meta
    body: str
    body_line: int
    blocks: tuple[Block, ...]
    messages: tuple[Message, ...]

    @property
    def slug(self) -> str:
        return self.meta.slug

    def max_pages(self, variant: Variant) -> int:
        """The page limit of this leaflet in a variant."""
        return dict(self.meta.max_pages_variant).get(
            variant.name, self.meta.max_pages * variant.pages_factor)


@dataclass(frozen=True)
class ExpectedText:
    """Text that must appear in a PDF, and where it came from."""

    kind: str
    text: str
    origin: str
    source_text: str | None = None


@dataclass(frozen=True)
class Document:
    """A leaflet composed in one language: its HTML and what the PDF must show."""

    slug: str
    lang: str
    title: str
    html: str
    paper: Paper
    max_pages: int
    expected: tuple[ExpectedText, ...]
    draft: bool = False
    variant: Variant = VARIANTS["standard"]
    direction: str = "ltr"
    #: Whether running text may be hyphenated (``[print] hyphenate``):
    #: when not, verification refuses a hyphenated line end.
    hyphenate: bool = False
