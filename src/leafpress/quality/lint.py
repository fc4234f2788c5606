"""Lint: the quality gates a leaflet passes before it is printed.

Called by ``leafpress lint``, by every build (a blocking finding stops the
leaflet in that language, as a broken catalog does) and by the build report.
In: a :class:`~leafpress.model.Leaflet`, the project settings and, for each
language, its translated text. Out: named findings, readability scores and
the hardest sentences of each section.

A leaflet that is hard to read, sells instead of informs, hides its risks or
is past its review date does harm, so each of these has a rule. Every rule
has a name and a level (``blocking``, ``warning`` or ``off``) that
``[lint.rules]`` in ``leafpress.toml`` can change:

- about the leaflet (checked once, on the source): ``front-matter``,
  ``required-section``, ``risk-frequency``, ``no-treatment``,
  ``review-overdue``, ``review-due``, ``todo``, ``reference``;
- about the text in each language: ``unsourced-figure``, ``unsourced-cure``,
  ``guarantee``, ``superlative``, ``call-to-action``, ``price`` (English and
  Dutch), ``emergency-number``, ``typed-contact``, ``reading-ease``,
  ``sentence-average`` and ``sentence-length`` (every language).

This module runs the rules and holds the ones about the front matter, the
review date, TODO notes, reference markers and readability. The others sit
beside it: :mod:`~leafpress.quality.sections`, :mod:`~leafpress.quality.claims`
and :mod:`~leafpress.quality.typed_contacts`; :mod:`~leafpress.quality.rules`
has the table of rules and their settings, and
:mod:`~leafpress.quality.leaflet_text` the units of text every rule reads.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass

from leafpress.model import Leaflet
from leafpress.quality import readability
from leafpress.quality.claims import MARKER, lint_claims
from leafpress.quality.leaflet_text import Place, Translate, Unit, front_units, units
from leafpress.quality.rules import DEFAULT_TYPE, Finding, Findings, LintSettings, short
from leafpress.quality.sections import lint_sections
from leafpress.quality.typed_contacts import (
    lint_emergency_numbers,
    lint_typed_contacts,
)

TODO_NOTE = re.compile(r"\bTODO\b")


# --- rules about the leaflet ------------------------------------------------

def lint_leaflet(leaflet: Leaflet, shown: str, settings: LintSettings,
                 source_lang: str, today: datetime.date) -> list[Finding]:
    """The rules checked once per leaflet, on its source text."""
    findings = Findings(settings)
    meta = leaflet.meta
    values: dict[str, str] = {}

    def same(msgid: str, context: str | None) -> str:
        return msgid

    def here(msgid: str, context: str | None, line: int) -> tuple[str, int]:
        return shown, line

    source = units(leaflet, source_lang, values, same, here)
    _front_matter(leaflet, shown, findings)
    if "review-by" not in meta.todo:  # a draft's TODO date is no date at all
        _review(meta.review_by, shown, findings, settings, today)
    required = settings.required_sections.get(meta.type or DEFAULT_TYPE, ())
    lint_sections(source, required, shown, leaflet.body_line, source_lang, findings)
    for unit in front_units(leaflet, values, same, here) + source:
        if TODO_NOTE.search(unit.raw):
            findings.add("todo", unit.path, unit.line, f"a TODO note is left in the "
                         f"text: {short(unit.text)}")
        for match in MARKER.finditer(unit.raw):
            number = int(match[1])
            if not 1 <= number <= len(meta.sources):
                findings.add("reference", unit.path, unit.line, f"[{number}] points "
                             f"to no source: the front matter lists "
                             f"{len(meta.sources)} (sources: 1 to "
                             f"{len(meta.sources)})")
    return list(findings)


def _front_matter(leaflet: Leaflet, shown: str, findings: Findings) -> None:
    meta = leaflet.meta
    types = findings.settings.required_sections
    if not meta.summary:
        findings.add("front-matter", shown, 1, "no summary: add 'summary:', one or "
                     "two sentences on whom the leaflet is for and what it explains")
    if (meta.type or DEFAULT_TYPE) not in types:
        findings.add("front-matter", shown, 1, f"type {meta.type!r} is not a "
                     f"leaflet type of [lint.required-sections] "
                     f"({', '.join(types)})")
    if meta.clinical_reviewer in meta.authors:
        findings.add("front-matter", shown, 1, f"{meta.clinical_reviewer} is both "
                     "author and clinical reviewer: the review needs a second person")
    if any(TODO_NOTE.search(item) for item in (meta.title, *meta.authors,
                                               meta.clinical_reviewer, *meta.sources)):
        findings.add("front-matter", shown, 1, "a field still says TODO")


def _review(review_by: datetime.date, shown: str, findings: Findings,
            settings: LintSettings, today: datetime.date) -> None:
    if review_by < today:
        days = (today - review_by).days
        findings.add("review-overdue", shown, 1, f"review-by {review_by} has passed "
                     f"({days} day{'s' * (days != 1)} ago): the clinical reviewer "
                     "must review the leaflet and set a new review-by date before "
                     "it is printed again")
    elif (review_by - today).days <= settings.review_warning_days:
        days = (review_by - today).days
        findings.add("review-due", shown, 1, f"review-by {review_by} is in {days} "
                     f"day{'s' * (days != 1)}: plan the review now")


# --- rules about the text in one language -----------------------------------

@dataclass(frozen=True)
class Hard:
    """A sentence that is hard to read, and where it is."""

    sentence: readability.Sentence
    path: str
    line: int | None


@dataclass
class LanguageLint:
    """Lint of one leaflet in one language."""

    slug: str
    lang: str
    scores: readability.Scores
    findings: list[Finding]
    #: The printed heading of each section, with its hardest sentences.
    hardest: list[tuple[str, list[Hard]]]


#: How many of the hardest sentences of each section the report names.
HARDEST_PER_SECTION = 3
READ_KINDS = ("paragraph", "list item", "table cell", "question", "answer",
              "summary")


def lint_language(leaflet: Leaflet, lang: str, settings: LintSettings,
                  source_lang: str, values: Mapping[str, str], translate: Translate,
                  place: Place) -> LanguageLint:
    """Readability, claims and emergency numbers of ``leaflet`` in ``lang``.
    ``translate`` must know every message
    (see :func:`~leafpress.quality.leaflet_text.units`)."""
    findings = Findings(settings)
    text = (front_units(leaflet, values, translate, place)
            + units(leaflet, source_lang, values, translate, place))
    measured: list[tuple[Unit, readability.Sentence]] = []
    for unit in text:
        if unit.kind in READ_KINDS:
            for sentence in readability.split_sentences(unit.text, lang):
                measured_sentence = readability.measure_sentence(sentence, lang)
                if measured_sentence.words:
                    measured.append((unit, measured_sentence))
    scores = readability.Scores.total(lang, [sentence for _unit, sentence in measured])
    _readability(scores, measured, leaflet, lang, settings, findings, place)
    lint_claims(text, lang, len(leaflet.meta.sources), findings)
    reported = lint_emergency_numbers(text, settings, findings)
    lint_typed_contacts(text, values, settings, reported, findings)
    return LanguageLint(leaflet.slug, lang, scores, list(findings),
                        _hardest(measured))


def _readability(scores: readability.Scores,
                 measured: list[tuple[Unit, readability.Sentence]],
                 leaflet: Leaflet, lang: str, settings: LintSettings,
                 findings: Findings, place: Place) -> None:
    path, _line = place(leaflet.meta.title, "title", leaflet.meta.title_line)
    if scores.sentences == 0:
        return
    if (ease := scores.ease) is not None and ease[1] < settings.reading_ease_min:
        findings.add("reading-ease", path, None, f"{ease[0]} is {ease[1]:.0f}, "
                     f"below the target of {settings.reading_ease_min:.0f}: use "
                     "shorter sentences and shorter words")
    if scores.average_sentence > settings.sentence_average_max:
        findings.add("sentence-average", path, None, f"sentences have "
                     f"{scores.average_sentence:.1f} words on average, more than "
                     f"the target of {settings.sentence_average_max:g}")
    for unit, sentence in measured:
        if sentence.words > settings.sentence_max:
            findings.add("sentence-length", unit.path, unit.line, f"a sentence of "
                         f"{sentence.words} words (at most {settings.sentence_max}): "
                         f"{short(sentence.text)}")


def _hardest(measured: list[tuple[Unit, readability.Sentence]]
             ) -> list[tuple[str, list[Hard]]]:
    sections: dict[str, list[Hard]] = {}
    for unit, sentence in measured:
        sections.setdefault(unit.heading, []).append(
            Hard(sentence, unit.path, unit.line))
    return [(heading, sorted(hards, key=lambda hard: -hard.sentence.difficulty)
             [:HARDEST_PER_SECTION]) for heading, hards in sections.items()]
