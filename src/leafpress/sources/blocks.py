"""What the readers of ``leafpress import`` hand the writer.

Used by every reader (:mod:`~leafpress.sources.html_reader`,
:mod:`~leafpress.sources.wordpress_reader`,
:mod:`~leafpress.sources.text_reader`) and by
:mod:`~leafpress.sources.writer`. In: the text a reader takes from its
source, cleaned here (:func:`clean`, :func:`collapse`). Out: the blocks of a
body (headings, paragraphs, images, lists, tables, questions and answers),
inline :class:`Span` trees, what a reader found besides the blocks
(:class:`Source`), and :class:`ImportProblem` for a source that cannot be
read at all.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from leafpress.errors import ContentError

BREAK = "\x00"  # a hard line break inside inline Markdown, until it is written
_BAD_CHARS_RE = re.compile(
    r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\xad\ud800-\udfff\ufffe\uffff]")
WS_RE = re.compile(r"[ \t\n\r\f\u2028\u2029]+")
QUESTION_END_RE = re.compile(r"\?[\s\"'”’»)]*$")


class ImportProblem(ContentError):
    """The source cannot be read at all (not UTF-8, not JSON, not a post)."""


# -- the text of a source ----------------------------------------------------


def clean(text: str) -> str:
    """Drop control characters, soft hyphens, lone surrogates and
    non-characters."""
    return _BAD_CHARS_RE.sub("", text)


def collapse(text: str) -> str:
    return WS_RE.sub(" ", text).strip()


def short(text: str, limit: int = 60) -> str:
    text = collapse(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


def iso_date(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.date.fromisoformat(value.strip()[:10]).isoformat()
    except ValueError:
        return None


# -- the blocks of a body ----------------------------------------------------


@dataclass
class Heading:
    level: int  # in the source; 0 for the added FAQ section heading
    text: str  # inline Markdown
    plain: str
    out: int = 2  # written level


@dataclass
class Para:
    text: str


@dataclass
class Image:
    name: str  # escaped
    alt: str  # escaped
    caption: str = ""  # inline Markdown

    def markdown(self) -> str:
        text = f"**TODO image:** {self.name}"
        details = []
        if self.alt:
            details.append(f'alt: "{self.alt}"')
        if self.caption:
            details.append(f'caption: "{self.caption.replace(BREAK, " ")}"')
        return f"{text} ({'; '.join(details)})" if details else text


@dataclass
class List:
    ordered: bool
    start: int
    items: list[Item] = field(default_factory=list)


@dataclass
class Item:
    text: str
    children: list[List] = field(default_factory=list)


@dataclass
class Table:
    rows: list[list[str]]


@dataclass
class QA:
    question: str
    answer: str


Block = Heading | Para | Image | List | Table | QA


@dataclass
class Span:
    """Inline content: text (with BREAK for ``<br>``), bold runs and links."""

    kind: str = "root"  # root, bold, link
    url: str = ""
    children: list[str | Span] = field(default_factory=list)


def plain_text(span: Span) -> str:
    parts: list[str] = []
    stack: list[str | Span] = [span]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            parts.append(item.replace(BREAK, " "))
        else:
            stack.extend(reversed(item.children))
    return "".join(parts)


@dataclass
class Source:
    """What a reader found besides the blocks."""

    fmt: str
    title: str = ""
    slug: str = ""
    summary: str = ""
    summary_from: str = ""
    link: str | None = None
    published: str | None = None
    modified: str | None = None
