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

from . import markup

URL_RE = re.compile(r"\b(?:https?|ftp)://[^\s<>()\[\]]+[^\s<>()\[\].,;:!?'\"]")
EMAIL_RE = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
PHONE_RE = re.compile(
    r"(?<![\w+])(?:\+\d{1,3}[\s-]?(?:\(0\))?[\s-]?\d{1,4}(?:[\s-]?\d{2,4}){2,4}"
    r"|0\d{1,3}[\s-]\d{2,4}(?:[\s-]?\d{2,4}){1,3}|0\d{9})(?![\w])")
#: A number: digits, possibly grouped or with a decimal part, with or without
#: a unit right after it.
NUMBER_RE = re.compile(
    r"(?<![\w.,:])(\d+(?:[.,:]\d+)*)(?:\s?(mg|mcg|µg|μg|g|kg|ml|mL|l|L|mmol/l|"
    r"mmol/L|mm|cm|m|°C|%|IU|E|cc))?(?![\w])")
UNITS = {"mcg": "µg", "μg": "µg", "mL": "ml", "L": "l", "mmol/L": "mmol/l",
         "cc": "ml", "E": "IU"}


def number_readings(text: str) -> frozenset[str]:
    """Every value a written number may stand for: ``1,000`` is one thousand
    in English and one in Dutch; ``17.00`` may be a time."""
    readings = set()
    if text.isdigit():
        return frozenset({str(int(text))})
    parts = re.split(r"[.,:]", text)
    separators = re.findall(r"[.,:]", text)
    if ":" not in separators:
        # the last separator as a decimal point, the others as grouping
        whole, fraction = "".join(parts[:-1]), parts[-1]
        if len(parts) == 2 or all(len(part) == 3 for part in parts[1:-1]):
            readings.add(_decimal(whole, fraction))
        # every separator as grouping (thousands)
        if all(len(part) == 3 for part in parts[1:]):
            readings.add(str(int("".join(parts))))
    if len(parts) == 2 and len(parts[1]) == 2 and separators[0] in ":.":
        readings.add(f"{int(parts[0])}:{parts[1]}")  # a time of day
    return frozenset(readings or {text})


def _decimal(whole: str, fraction: str) -> str:
    fraction = fraction.rstrip("0")
    return f"{int(whole or '0')}.{fraction}" if fraction else str(int(whole or "0"))


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
def facts(text: str) -> Facts:
    """Take the facts out of one message."""
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
                           number_readings(match[1]))
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
