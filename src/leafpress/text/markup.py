"""The Markdown dialect of leaflets, shared by ingest and render.

CommonMark (markdown-it-py) plus pipe tables and definition lists (questions
and answers). :func:`walk` names every translatable inline run of a parsed
body, the same way for the English source (ingest) and for the translated
document (render), so that the two always line up one to one.

Translated text is untrusted: :func:`parse_inline` never lets raw HTML
through, and links may only point to ``https``, ``http``, ``mailto`` and
``tel``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin

#: ``{name}`` in leaflet text, filled in from ``leafpress.toml``.
PLACEHOLDER_RE = re.compile(r"\{([a-z][a-z0-9_]*)\}")
#: ``## Risks and side effects {#risks}``: a heading that names its section
#: (for :mod:`leafpress.quality.lint`); the name is not part of the translated text.
HEADING_ID_RE = re.compile(r"^(.*?)[ \t]*\{#([a-z][a-z0-9-]*)\}[ \t]*\Z", re.S)
ALLOWED_LINK_SCHEMES = ("https:", "http:", "mailto:", "tel:")

_CONTAINERS = {
    "heading_open": "heading",
    "th_open": "table cell",
    "td_open": "table cell",
    "dt_open": "question",
    "dd_open": "answer",
    "list_item_open": "list item",
}


def _validate_link(url: str) -> bool:
    url = url.strip().lower()
    if url.startswith(ALLOWED_LINK_SCHEMES):
        return True
    # Relative references (images under templates/) have no scheme at all.
    return ":" not in url.split("/", 1)[0] and not url.startswith("//")


@cache
def parser(report: bool = False) -> MarkdownIt:
    """The leaflet Markdown parser.

    ``report=True`` is for ingest: raw HTML and every link target show up as
    tokens so that they can be reported with their line. It is never used to
    render; the rendering parser drops raw HTML and refused links.
    """
    md = MarkdownIt("commonmark", {"html": report, "typographer": False})
    md.enable("table")
    md.use(deflist_plugin)
    md.validateLink = (lambda url: True) if report else _validate_link
    md.core.ruler.before("inline", "heading_ids", _heading_ids)
    return md


def _heading_ids(state) -> None:
    """Move a trailing ``{#name}`` of a heading into the heading's ``id``."""
    tokens = state.tokens
    for index, token in enumerate(tokens[:-1]):
        if token.type != "heading_open":
            continue
        match = HEADING_ID_RE.match(tokens[index + 1].content)
        if match:
            tokens[index + 1].content = match[1]
            token.attrSet("id", match[2])


@dataclass(frozen=True)
class InlineSite:
    """An inline token of a parsed body and what block it belongs to."""

    token: Token
    kind: str
    section: str | None
    level: int | None
    #: A heading's ``{#name}``, if it has one.
    anchor: str | None = None


def walk(tokens: list[Token]) -> Iterator[InlineSite]:
    """Yield every translatable inline token in document order."""
    stack: list[str] = []
    section: str | None = None
    level: int | None = None
    anchor: str | None = None
    for token in tokens:
        if token.nesting == 1:
            stack.append(token.type)
            if token.type == "heading_open":
                level = int(token.tag[1])
                anchor = token.attrGet("id")
        elif token.nesting == -1 and stack:
            stack.pop()
        if token.type != "inline":
            continue
        kind = "paragraph"
        for container in reversed(stack):
            if container in _CONTAINERS:
                kind = _CONTAINERS[container]
                break
        if kind == "heading":
            if level == 2:
                section = None
            yield InlineSite(token, kind, section, level,
                             str(anchor) if anchor else None)
            if level == 2:
                section = normalise(token.content)
        else:
            yield InlineSite(token, kind, section, None)


def translatable(tokens: list[Token]) -> Iterator[tuple[InlineSite, str]]:
    """Every inline site that holds text, with its message text."""
    for site in walk(tokens):
        text = normalise(site.token.content)
        if text:
            yield site, text


def normalise(content: str) -> str:
    """Fold soft line breaks and surrounding spaces to one space; keep hard
    breaks (two trailing spaces or a backslash) as ``\\`` + newline."""
    content = re.sub(r" {2,}\n", "\\\\\n", content)
    content = re.sub(r"(?<!\\)[ \t]*\n[ \t]*", " ", content)
    return content.strip()


def parse_inline(text: str) -> list[Token]:
    """Parse translated inline Markdown (no raw HTML) into child tokens."""
    tokens = parser().parseInline(text)
    return tokens[0].children or [] if tokens else []


def plain_text(children: list[Token], values: dict[str, str] | None = None) -> str:
    """The text a reader sees for inline tokens: markup dropped, placeholders
    filled, breaks as spaces."""
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(fill(child.content, values) if values is not None
                         else child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "html_inline":
            parts.append(child.content)
    return "".join(parts)


def fill(text: str, values: dict[str, str]) -> str:
    """Replace every ``{name}`` in ``text`` with its configured value."""
    return PLACEHOLDER_RE.sub(lambda match: values.get(match[1], match[0]), text)


def placeholders(text: str) -> tuple[str, ...]:
    """The placeholder names in ``text``, in order, without repeats."""
    return tuple(dict.fromkeys(PLACEHOLDER_RE.findall(text)))
