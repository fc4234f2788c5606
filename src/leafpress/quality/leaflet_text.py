"""A leaflet as units of text: its blocks as a reader sees them in one language.

Called by :mod:`leafpress.quality.lint` (every rule reads these units) and
by :mod:`leafpress.printing.render` (:func:`section_key`). In: a
:class:`~leafpress.model.Leaflet`, the placeholder values and how to look up
and place each message in a language. Out: a :class:`Unit` per block, with
its place, its required section, and its list or table, row and column.

Sections are found by their level-2 heading: by a ``{#name}`` after it
(``## Risks and side effects {#risks}``), or else by the words of the heading
in English or Dutch.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from leafpress.model import Leaflet
from leafpress.quality import readability
from leafpress.quality.rules import any_of
from leafpress.text import markup

#: Level-2 headings that name a section, for leaflets without ``{#name}``.
SECTION_WORDS = {
    "en": {
        "risks": any_of(r"\brisks?\b(?![- ]free)", r"side[- ]effects?",
                        r"complications?"),
        "alternatives": any_of(r"alternatives?", r"\bother (?:options|choices|"
                               r"treatments)\b", r"\byour choices\b"),
        "get-help": any_of(r"\bget(?:ting)? help\b", r"\bwhen to (?:call|contact|"
                           r"phone|seek)\b", r"\burgent\b", r"\bemergenc",
                           r"\bwarning signs?\b"),
        "contact": any_of(r"\bcontact\b", r"\bquestions\??$"),
    },
    "nl": {
        "risks": any_of(r"\brisico", r"bijwerking", r"complicatie"),
        "alternatives": any_of(r"alternatie", r"\bandere (?:mogelijkhe|keuze|"
                               r"behandeling|opties)", r"\bwat kunt u (?:nog )?meer"),
        "get-help": any_of(r"\bwanneer (?:bellen|contact|hulp)", r"\bdirect bellen",
                           r"\bspoed", r"\bhulp\b", r"\balarmsignalen"),
        "contact": any_of(r"\bcontact", r"\bvragen\??$"),
    },
}


@dataclass(frozen=True)
class Unit:
    """One block of a leaflet in one language, as a reader sees it."""

    kind: str
    #: Plain text as printed (markup dropped, placeholders filled).
    text: str
    #: The Markdown it comes from (placeholders not filled).
    raw: str
    path: str
    line: int | None
    #: The section key (``risks``...) and the printed heading it sits under.
    section: str | None
    heading: str
    #: The list or table it belongs to, its row and column in a table, and
    #: the paragraph that leads into that list or table.
    group: int | None = None
    row: int | None = None
    column: int | None = None
    header: bool = False
    lead: Unit | None = None


#: Looks up the text of one message in a language: ``(msgid, context)``.
Translate = Callable[[str, "str | None"], str]
#: Where a message of a language lives: ``(msgid, context, source line)`` ->
#: ``(path, line)``.
Place = Callable[[str, "str | None", int], "tuple[str, int | None]"]


def section_key(heading: str, anchor: str | None, lang: str) -> str | None:
    """Which required section a level-2 heading starts, if any."""
    if anchor:
        return anchor
    for key, pattern in SECTION_WORDS.get(readability.family(lang), {}).items():
        if pattern.search(heading):
            return key
    return None


def units(leaflet: Leaflet, source_lang: str, values: Mapping[str, str],
          translate: Translate, place: Place) -> list[Unit]:
    """Every block of ``leaflet`` in one language, with its place and its
    section (recognised on the source), list or table, row and column."""
    result: list[Unit] = []
    tokens = markup.parser().parse(leaflet.body)
    blocks = iter(leaflet.blocks)
    stack: list[str] = []
    group = row = column = None
    groups = 0
    section = heading = None
    header = False
    last_paragraph: Unit | None = None
    lead: Unit | None = None
    previous_closed = ""
    for token in tokens:
        if token.type in ("table_open", "bullet_list_open", "ordered_list_open",
                          "dl_open") and group is None:
            groups += 1
            group, row, column = groups, -1, -1
            lead = last_paragraph if previous_closed == "paragraph_close" else None
        elif token.type in ("table_close", "bullet_list_close", "ordered_list_close",
                            "dl_close") and not any(
                item in stack[:-1] for item in ("table_open", "bullet_list_open",
                                                "ordered_list_open", "dl_open")):
            group = row = column = lead = None
        elif token.type == "thead_open":
            header = True
        elif token.type == "thead_close":
            header = False
        elif token.type == "tr_open":
            row, column = (row or 0) + 1, -1
        elif token.type in ("th_open", "td_open"):
            column = (column or 0) + 1
        if token.nesting == 1:
            stack.append(token.type)
        elif token.nesting == -1:
            if stack:
                stack.pop()
            if not stack:
                previous_closed = token.type
        if token.type != "inline" or not markup.normalise(token.content):
            continue
        block = next(blocks)
        raw = translate(block.text, None)
        text = _plain(raw, values)
        path, line = place(block.text, None, block.line)
        if block.kind == "heading" and block.level == 2:
            section = section_key(block.text, block.anchor, source_lang)
            heading = text
        kind = "header cell" if header and block.kind == "table cell" else block.kind
        unit = Unit(kind, text, raw, path, line, section, heading or "",
                    group, row, column, header, lead)
        result.append(unit)
        if block.kind == "paragraph" and group is None:
            last_paragraph = unit
    return result


def _plain(raw: str, values: Mapping[str, str]) -> str:
    """Inline Markdown as the reader sees it."""
    return markup.plain_text(markup.parse_inline(raw), dict(values))


def front_units(leaflet: Leaflet, values: Mapping[str, str], translate: Translate,
                place: Place) -> list[Unit]:
    """The title and the summary, in one language."""
    meta = leaflet.meta
    result = []
    for kind, text, line in (("title", meta.title, meta.title_line),
                             ("summary", meta.summary, meta.summary_line or 1)):
        if text:
            raw = translate(text, kind)
            path, where = place(text, kind, line)
            result.append(Unit(kind, _plain(raw, values), raw, path, where, None,
                               ""))
    return result
