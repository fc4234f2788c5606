"""The clinic's terminology: ``locales/<lang>/glossary.csv``, checked on every
translated message.

Called by :mod:`leafpress.translation.catalogs` (every catalog check) and the
review sheet. In: the glossary of one language, a CSV file with the columns
``source,target,rule,note``, and one message with its translation. Out:
:class:`Finding` objects (rule ``glossary``, critical), and the terms that
apply to a message. The rules:

- ``required``: where the source uses ``source``, the translation uses
  ``target`` (``trigger point`` → ``triggerpoint``);
- ``forbidden``: the translation never uses ``target`` (``spuitje`` where the
  clinic says ``prik``); ``source`` may be empty;
- ``keep``: where the source uses ``source``, the translation keeps it as
  written (a name such as ``lidocaine``; ``target`` may say how it is
  written in this language, else it is ``source``).

A term matches as a whole word, whatever its case, with the endings of its
plural and diminutive: in Dutch ``-s``, ``-'s``, ``-en`` (with its doubled
consonant), ``-n``, ``-je``, ``-jes``, ``-tje``, ``-tjes``, ``-etje`` and
``-etjes`` (so ``spuitje`` also finds ``spuitjes``, ``prik`` finds
``prikken``); in English ``-s``,
``-es`` and ``-'s``; in other languages the word as written. A term of
several words matches with any spacing between them, the endings on its
last word. A ``keep`` term is compared as written, case included.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cache

from leafpress.errors import ContentError, Problem
from leafpress.quality.checks import CRITICAL, Finding

NAME = "glossary.csv"
RULES = ("required", "forbidden", "keep")
COLUMNS = ("source", "target", "rule", "note")
#: The largest glossary read (a clinic's terms, not a dictionary).
MAX_BYTES = 2_000_000
CONSONANTS = set("bcdfgklmnprstvz")
ENDINGS = {
    "nl": ("s", "'s", "en", "n", "je", "jes", "tje", "tjes", "etje", "etjes"),
    "en": ("s", "es", "'s"),
}


@dataclass(frozen=True)
class Term:
    """One line of the glossary."""

    source: str
    target: str
    rule: str
    note: str
    #: Where it is: ``locales/nl/glossary.csv:5``.
    place: str


@cache
def _pattern(term: str, lang: str, exact: bool = False) -> re.Pattern[str]:
    words = term.split()
    endings = () if exact else ENDINGS.get(lang.split("_")[0], ())
    if endings and lang.startswith("nl") and words[-1][-1:].lower() in CONSONANTS:
        endings = (*endings, words[-1][-1] + "en")  # prik → prikken
    body = r"\s+".join(map(re.escape, words))
    suffix = f"(?:{'|'.join(map(re.escape, endings))})?" if endings else ""
    flags = 0 if exact else re.IGNORECASE
    return re.compile(rf"(?<![\w-]){body}{suffix}(?![\w-])", flags)


def uses(text: str, term: str, lang: str, exact: bool = False) -> bool:
    """Whether ``text`` uses ``term`` (see the module docstring)."""
    return bool(term.strip()) and bool(_pattern(term.strip(), lang, exact)
                                       .search(text))


def read(data: bytes, shown: str) -> tuple[Term, ...]:
    """The terms of a glossary file; every line that is not a term is a
    :class:`ContentError` at its line."""
    if len(data) > MAX_BYTES:
        raise ContentError([Problem(shown, None, f"the glossary is larger than "
                                    f"{MAX_BYTES // 1_000_000} MB")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ContentError([Problem(shown, None, "the glossary must be UTF-8 text "
                                    "(save it as CSV UTF-8)")]) from None
    rows = csv.reader(io.StringIO(text, newline=""))
    problems: list[Problem] = []
    terms: list[Term] = []
    header = next(rows, None)
    if header is None or [cell.strip().lower() for cell in header[:4]] != list(COLUMNS):
        raise ContentError([Problem(shown, 1, "the first line must be the columns "
                                    f"{','.join(COLUMNS)}")])
    for row in rows:
        line = rows.line_num
        if not any(cell.strip() for cell in row):
            continue
        cells = [cell.strip() for cell in row] + [""] * (4 - len(row))
        source, target, rule, note = cells[:4]
        if rule not in RULES:
            problems.append(Problem(shown, line, f"rule {rule!r} is not one of "
                                    f"{', '.join(RULES)}"))
            continue
        if rule == "forbidden" and not target:
            problems.append(Problem(shown, line, "a forbidden term needs the word "
                                    "not to use in the target column"))
            continue
        if rule in ("required", "keep") and not source:
            problems.append(Problem(shown, line, f"a {rule} term needs its source "
                                    "term"))
            continue
        if rule == "required" and not target:
            problems.append(Problem(shown, line, "a required term needs its "
                                    "translation in the target column"))
            continue
        terms.append(Term(source, target or source, rule, note, f"{shown}:{line}"))
    if problems:
        raise ContentError(problems)
    return tuple(terms)


def applying(terms: tuple[Term, ...], source: str, source_lang: str
             ) -> list[Term]:
    """The terms that apply to a message: those its source uses, and every
    forbidden term."""
    return [term for term in terms
            if term.rule == "forbidden" or uses(source, term.source, source_lang,
                                                exact=term.rule == "keep")]


def check(terms: tuple[Term, ...], source: str, target: str, source_lang: str,
          lang: str) -> list[Finding]:
    """Every way a translation departs from the glossary (critical)."""
    found = []
    for term in applying(terms, source, source_lang):
        note = f": {term.note}" if term.note else ""
        if term.rule == "required" and not uses(target, term.target, lang):
            found.append(Finding("glossary", CRITICAL,
                                 f"the source says “{term.source}”; the clinic's "
                                 f"term is “{term.target}” ({term.place}{note})"))
        elif term.rule == "forbidden" and uses(target, term.target, lang):
            found.append(Finding("glossary", CRITICAL,
                                 f"“{term.target}” is not to be used "
                                 f"({term.place}{note})"))
        elif term.rule == "keep" and not uses(target, term.target, lang, exact=True):
            found.append(Finding("glossary", CRITICAL,
                                 f"“{term.target}” stays as written in the "
                                 f"translation ({term.place}{note})"))
    return found


def kept(terms: tuple[Term, ...]) -> frozenset[str]:
    """The texts the glossary keeps as written: a translation that is one of
    them may be the source again."""
    return frozenset(term.source for term in terms if term.rule == "keep")
