"""The bilingual review sheet: ``build/review/<lang>/<slug>.html`` (and a
PDF for review on paper).

Called by ``leafpress review``. In: a leaflet's :class:`ReviewState` in one
language (every message it prints, with its source, translation and
``po:line``) and the records of its catalogs. Out: one page that shows the
source and the translation side by side, message by message; marks what
changed since the last sign-off (with the text then, when it is on record),
and every number, dose, unit, phone number, e-mail address and link on both
sides; names the glossary's terms for each message; and ends with a
checklist and a space for signatures.

The page has no script and loads nothing: its text is untrusted and escaped,
and its PDF is printed with a URL fetcher that fetches nothing.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.resources import files

from jinja2 import Environment, StrictUndefined
from markupsafe import Markup, escape

from leafpress.errors import ContentError, Problem
from leafpress.quality import glossary
from leafpress.review.records import Records
from leafpress.review.state import Message, ReviewState
from leafpress.text import facts, markup

SHEET = "sheet.html"
#: The placeholders of the templates' messages (``%(email)s``).
PYTHON_FORMAT = re.compile(r"%\([A-Za-z_]+\)[sd]")


@dataclass(frozen=True)
class Row:
    """One message on the sheet."""

    number: int
    message: Message
    source: Markup
    translation: Markup
    revised: str
    changed: bool
    before: Markup | None
    #: The glossary's terms for this message, in words.
    terms: tuple[str, ...] = ()


def _spans(text: str, lang: str) -> list[tuple[int, int]]:
    """Where the facts a reviewer must compare are in ``text``: links,
    e-mail addresses, phone numbers, placeholders and numbers (with their
    units), as the text's own language reads them."""
    spans = [match.span() for pattern in (facts.URL_RE, facts.EMAIL_RE,
                                          facts.PHONE_RE, markup.PLACEHOLDER_RE)
             for match in pattern.finditer(text)]
    spans += [match.span(1) for match in re.finditer(r"\]\(([^)]*)\)", text)]
    spans += [match.span() for match in PYTHON_FORMAT.finditer(text)]
    start = 0
    for number in facts.read_numbers(text, lang):
        found = text.find(number.text, start)
        if found >= 0:
            spans.append((found, found + len(number.text)))
            start = found + len(number.text)
    merged: list[tuple[int, int]] = []
    for begin, end in sorted(spans):
        if merged and begin < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        elif end > begin:
            merged.append((begin, end))
    return merged


def marked(text: str, lang: str) -> Markup:
    """``text``, escaped, with every fact to compare in ``<mark>``."""
    out, at = [], 0
    for begin, end in _spans(text, lang):
        out += [escape(text[at:begin]), Markup("<mark>"), escape(text[begin:end]),
                Markup("</mark>")]
        at = end
    out.append(escape(text[at:]))
    return Markup("").join(out)


def _term(term: glossary.Term) -> str:
    if term.rule == "required":
        return f"“{term.source}” → “{term.target}”"
    if term.rule == "forbidden":
        return f"never “{term.target}”"
    return f"“{term.target}” as written"


def rows(state: ReviewState, records: Mapping[str, Records], source_lang: str,
         lang: str, terms: tuple[glossary.Term, ...] = ()) -> list[Row]:
    found = []
    for number, message in enumerate(state.messages, start=1):
        applying = tuple(_term(term) for term in glossary.applying(
            terms, message.source, source_lang) if term.rule != "forbidden"
            or glossary.uses(message.translation, term.target, lang))
        revision = records[message.domain].revision(message.context, message.source,
                                                    message.translation)
        changed, before = state.changed(message, records)
        found.append(Row(number, message, marked(message.source, source_lang),
                         marked(message.translation, lang),
                         f"{revision.by}, {revision.date}" if revision else "",
                         changed, marked(before, lang) if before else None,
                         applying))
    return found


def render(state: ReviewState, records: Mapping[str, Records], *, title: str,
           slug: str, version: str, lang: str, language: str, source_lang: str,
           direction: str, clinician: str, today: datetime.date,
           terms: tuple[glossary.Term, ...] = ()) -> str:
    """The sheet as HTML."""
    env = Environment(autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    template = env.from_string(files(__package__).joinpath(SHEET)
                               .read_text(encoding="utf-8"))
    return template.render(
        state=state, rows=rows(state, records, source_lang, lang, terms), title=title,
        slug=slug, version=version, lang=lang, language=language,
        source_lang=source_lang, direction=direction, clinician=clinician,
        today=today)


def _refuse(url: str, *args, **kwargs):
    raise ValueError(f"the review sheet loads nothing ({url[:60]})")


def to_pdf(html: str, shown: str) -> bytes:
    """The sheet printed for review on paper (nothing is fetched)."""
    from weasyprint import HTML

    try:
        return HTML(string=html, url_fetcher=_refuse).write_pdf()
    except Exception as error:  # WeasyPrint raises many kinds
        raise ContentError([Problem(shown, None, f"cannot print the review sheet: "
                                    f"{error}")]) from None
