"""The facts in a text that a translation must carry over unchanged.

Used by :mod:`leafpress.checks` (does a translation keep them?) and
:mod:`leafpress.changes` (did an edit of the source change them?). In: a
source or translated message. Out: :class:`Facts`: placeholders, inline
markup, link targets, URLs, e-mail addresses, phone numbers, and numbers with
their units, each in a form where equal means equal to a patient (``2.5 ml``
and ``2,5 ml``, ``1,000`` and ``1.000``, ``17:00`` and ``17.00`` are the same).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

from babel import Locale, UnknownLocaleError

from . import markup

URL_RE = re.compile(r"\b(?:https?|ftp)://[^\s<>()\[\]]+[^\s<>()\[\].,;:!?'\"]")
EMAIL_RE = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
PHONE_RE = re.compile(
    r"(?<![\w+])(?:\+\d{1,3}[\s-]?(?:\(0\))?[\s-]?\d{1,4}(?:[\s-]?\d{2,4}){2,4}"
    r"|0\d{1,3}[\s-]\d{2,4}(?:[\s-]?\d{2,4}){1,3}|0\d{9})(?![\w])")
#: A number: digits, possibly grouped or with a decimal part (Latin or
#: Arabic separators), with or without a unit right after it.
NUMBER_RE = re.compile(
    r"(?<![\w.,:\u066b\u066c])(\d+(?:[.,:\u066b\u066c]\d+)*)(?:\s?(mg|mcg|µg|μg|g|"
    r"kg|ml|mL|l|L|mmol/l|mmol/L|mm|cm|m|°C|%|IU|E|cc))?(?![\w])")
UNITS = {"mcg": "µg", "μg": "µg", "mL": "ml", "L": "l", "mmol/L": "mmol/l",
         "cc": "ml", "E": "IU"}
ARABIC_SEPARATORS = str.maketrans({"\u066b": ".", "\u066c": ","})


@cache
def separators(lang: str) -> tuple[str, str]:
    """The decimal and grouping separators of a language (Babel's data)."""
    try:
        symbols = Locale.parse(lang).number_symbols
        symbols = symbols.get("latn", symbols)
        return symbols["decimal"], symbols["group"]
    except (ValueError, UnknownLocaleError, KeyError):
        return ".", ","


def _reading(text: str, decimal: str, group: str) -> str | None:
    """The value of a number written with these separators, or None when it
    is not a valid way to write a number with them."""
    whole, _, fraction = text.partition(decimal)
    if decimal in fraction or (fraction and group in fraction):
        return None
    groups = whole.split(group)
    if len(groups) > 1 and (not 1 <= len(groups[0]) <= 3
                            or any(len(part) != 3 for part in groups[1:])):
        return None
    digits = "".join(groups)
    if not digits.isdigit() or (fraction and not fraction.isdigit()):
        return None
    fraction = fraction.rstrip("0")
    return f"{int(digits)}.{fraction}" if fraction else str(int(digits))


def number_readings(text: str, langs: tuple[str, ...] = ("en",)) -> frozenset[str]:
    """Every value a written number may stand for in the given languages'
    conventions (``1,000`` is a thousand in English, one in Dutch), and the
    time of day for ``17:00`` or ``17.00``."""
    text = text.translate(ARABIC_SEPARATORS)
    readings = set()
    for lang in langs:
        value = _reading(text, *separators(lang))
        if value is not None:
            readings.add(value)
    time = re.fullmatch(r"(\d{1,2})[:.](\d{2})", text)
    if time:
        readings.add(f"{int(time[1])}:{time[2]}")
    return frozenset(readings or {text})


@dataclass(frozen=True)
class Number:
    text: str
    unit: str | None
    readings: frozenset[str]

    def same(self, other: Number) -> bool:
        return self.unit == other.unit and bool(self.readings & other.readings)

    def __str__(self) -> str:
        return f"{self.text} {self.unit}" if self.unit else self.text


@dataclass(frozen=True)
class Facts:
    """What must survive translation, as comparable values."""

    placeholders: Counter
    markup: Counter
    links: Counter
    urls: Counter
    emails: Counter
    phones: Counter
    numbers: tuple[Number, ...]


def _markup(text: str) -> tuple[Counter, Counter]:
    kinds: Counter = Counter()
    links: Counter = Counter()
    for child in markup.parse_inline(text):
        if child.type in ("strong_open", "em_open", "link_open", "image",
                          "code_inline", "hardbreak"):
            kinds[child.type.removesuffix("_open")] += 1
        if child.type == "link_open":
            links[str(child.attrs.get("href", ""))] += 1
        elif child.type == "image":
            links[str(child.attrs.get("src", ""))] += 1
    return kinds, links


@cache
def facts(text: str, langs: tuple[str, ...] = ("en",)) -> Facts:
    """Take the facts out of one message; numbers are read in the
    conventions of ``langs`` (the source language, and for a translation its
    own language too)."""
    kinds, links = _markup(text)
    rest = re.sub(r"\]\([^)]*\)", "]", text)  # link targets are counted above
    urls = Counter(URL_RE.findall(rest))
    rest = URL_RE.sub(" ", rest)
    emails = Counter(email.lower() for email in EMAIL_RE.findall(rest))
    rest = EMAIL_RE.sub(" ", rest)
    rest = markup.PLACEHOLDER_RE.sub(" ", rest)
    phones = Counter(re.sub(r"\D", "", phone) for phone in PHONE_RE.findall(rest))
    rest = PHONE_RE.sub(" ", rest)
    numbers = tuple(Number(match[1], UNITS.get(match[2], match[2]),
                           number_readings(match[1], langs))
                    for match in NUMBER_RE.finditer(rest))
    return Facts(Counter(markup.PLACEHOLDER_RE.findall(text)), kinds, links, urls,
                 emails, phones, numbers)


def unmatched_numbers(source: tuple[Number, ...], target: tuple[Number, ...]
                      ) -> tuple[list[Number], list[Number]]:
    """Numbers of the source with no equal in the target, and the reverse."""
    left = list(target)
    missing = []
    for number in source:
        match = next((other for other in left if number.same(other)), None)
        if match is None:
            missing.append(number)
        else:
            left.remove(match)
    return missing, left


def describe(counter: Counter) -> str:
    return ", ".join(f"{item} ×{count}" if count > 1 else str(item)
                     for item, count in sorted(counter.items()))
