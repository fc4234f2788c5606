"""Values: the parts of a text a reader copies or acts on, which a line of
print must never break.

Called by :mod:`leafpress.printing.compose` (each value is set in a span that a line
cannot break or hyphenate, which in right-to-left text also keeps it
left-to-right) and by :mod:`leafpress.printing.verify` (a value broken across two
lines of a printed page is a problem). In: a text and its language. Out:
:class:`Value` spans, in order, none overlapping.

The readers are those of :mod:`leafpress.text.facts`, in the language's own
conventions (Unicode CLDR, through Babel): e-mail addresses, web addresses
(``https://…``, ``www.…``), phone numbers; dates as Babel writes them in
the language (``1 november 2029``, ``November 1, 2029``, ``1. November
2029``); and numbers with what belongs to them: a sign and a unit (``−38
°C``, ``2,5 ml``, ``5 mg/kg``, or CLDR's name of a unit: ``15 minuten``,
``2 dagen``), a frequency (``1 in 100``, ``1 op de 10.000``, ``100'de 1``)
and a range (``10 to 15 minutes``, ``10-15``, ``8:30 tot 17:00 uur``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from babel import Locale
from babel.numbers import format_decimal
from babel.units import UnknownUnitError, format_unit

from leafpress.text import facts

EMAIL, WEB, PHONE, DATE = "e-mail address", "web address", "phone number", "date"
FREQUENCY, RANGE, NUMBER = "frequency", "range", "number"

#: A web address without its scheme: ``www.thuisarts.nl/rugpijn``.
WWW_RE = re.compile(r"\bwww\.[\w-]+(?:\.[\w-]+)+"
                    r"(?:/[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'\"])?")
#: A web address longer than this (characters) may break after one of its
#: own slashes, and only there: it may not fit on a line of large print or
#: in a table cell. Anything shorter, and every other value, stays whole.
LONG_WEB_ADDRESS = 40
#: The words between the two numbers of a range, by language (a dash, with
#: or without spaces, in every language): ``10 to 15``, ``10 tot 15``.
RANGES = {"en": r"to|until", "nl": r"tot(?:\s+en\s+met)?|à", "de": r"bis",
          "fr": r"à", "tr": r"ila", "ar": r"إلى|الى|حتى", "fa": r"تا",
          "pl": r"do", "uk": r"до"}
#: CLDR units whose names follow a number as words: ``15 minutes``,
#: ``15 minuten``, ``15 دقيقة`` (symbols such as ``mg`` and ``°C`` are read
#: by :attr:`leafpress.text.facts.Conventions.pattern`).
UNIT_NAMES = ("duration-second", "duration-minute", "duration-hour", "duration-day",
              "duration-week", "duration-month", "duration-year",
              "mass-microgram", "mass-milligram", "mass-gram", "mass-kilogram",
              "volume-milliliter", "volume-liter", "length-millimeter",
              "length-centimeter", "length-meter", "temperature-celsius",
              "concentr-percent")
#: Dates as written in most languages, besides the language's own forms.
COMMON_DATES = ("d MMMM y", "MMMM d, y", "d MMMM", "MMMM d", "MMMM y",
                "d MMM y", "MMM d, y")
#: Letters of the right-to-left scripts (Hebrew, Arabic, Syriac, Thaana,
#: N'Ko and their presentation forms).
RTL_RE = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


@dataclass(frozen=True)
class Value:
    """A value in a text: ``text[start:end]``, what kind it is, and where
    its numbers are (each ``(start, end)`` in the same text)."""

    start: int
    end: int
    kind: str
    text: str
    numbers: tuple[tuple[int, int], ...] = ()

    @property
    def rtl(self) -> bool:
        """Whether the value has right-to-left words (an Arabic frequency or
        date): then it is not one left-to-right piece, only its numbers are."""
        return bool(RTL_RE.search(self.text))


@dataclass(frozen=True)
class Readers:
    """The patterns of one language."""

    dates: re.Pattern[str]
    #: What joins the two numbers of a range.
    between: re.Pattern[str]
    #: A unit's name after a number: ``minutes``.
    unit: re.Pattern[str]


def _date_regex(pattern: str, months: str) -> str | None:
    """A CLDR date pattern (``d MMMM y``) as a regular expression; ``None``
    for one with a weekday, an era or a time."""
    out = []
    for match in re.finditer(r"'([^']*)'|([A-Za-z])\2*|(\s+)|(.)", pattern):
        quoted, letter, space, other = match.groups()
        token = match[0]
        if quoted is not None:
            out.append(re.escape(quoted) if quoted else "'")
        elif letter in ("d",):
            out.append(r"\d{1,2}")
        elif letter in ("M", "L"):
            out.append(rf"(?:{months})\.?" if len(token) >= 3 else r"\d{1,2}")
        elif letter == "y":
            out.append(r"\d{2}" if len(token) == 2 else r"\d{4}")
        elif letter:
            return None
        elif space:
            out.append(r"\s+")
        else:
            out.append(re.escape(other) + (r"\s*" if other in ",." else ""))
    return "".join(out)


@cache
def readers(lang: str) -> Readers:
    """The date, range and unit patterns of a language (Babel's data, read
    once)."""
    locale = Locale.parse(lang)
    names = {name for context in ("format", "stand-alone")
             for width in ("wide", "abbreviated")
             for name in locale.months[context][width].values()}
    months = "|".join(re.escape(name.rstrip(".")) for name in
                      sorted(names, key=len, reverse=True))
    patterns = {locale.date_formats[length].pattern for length in ("long", "medium")}
    patterns |= {locale.datetime_skeletons[skeleton].pattern for skeleton in (
        "yMMMMd", "yMMMd", "MMMMd", "MMMd", "yMMMM", "yMMM")
        if skeleton in locale.datetime_skeletons}
    regexes = {regex for pattern in (*patterns, *COMMON_DATES)
               if (regex := _date_regex(pattern, months))}
    dates = re.compile(r"(?<!\w)(?:" + "|".join(sorted(regexes, key=len, reverse=True))
                       + r")(?!\w)", re.IGNORECASE)
    words = RANGES.get(locale.language)
    between = re.compile(r"\s*[-–—]\s*" + (rf"|\s+(?:{words})\s+" if words else ""),
                         re.IGNORECASE)
    units = set()
    for unit in UNIT_NAMES:
        for length in ("long", "short"):
            for number in (0, 1, 2, 3, 5, 11, 15, 100, 1.5):
                try:
                    written = format_unit(number, unit, length=length, locale=locale)
                except UnknownUnitError:
                    break
                shown = format_decimal(number, locale=locale)
                if shown in written:
                    name = written.replace(shown, "", 1).strip()
                    if len(name) > 1 and any(char.isalpha() for char in name):
                        units.add(name)
    unit = re.compile(r"[^\S\r\n]*(?:" + "|".join(
        re.escape(name).replace(r"\ ", r"\s+")
        for name in sorted(units, key=len, reverse=True)) + r")(?!\w)",
        re.IGNORECASE)
    return Readers(dates, between, unit)


def _bare(match: re.Match[str]) -> bool:
    return not (match["unit"] or match["sign"] or match["before"] or match["after"])


def find(text: str, lang: str) -> tuple[Value, ...]:
    """Every value of ``text``, read in ``lang``: web and e-mail addresses
    first, then phone numbers, dates and numbers (a number inside an address
    or a date is part of it)."""
    found: list[Value] = []

    def free(start: int, end: int) -> bool:
        return all(end <= value.start or start >= value.end for value in found)

    for kind, pattern in ((WEB, facts.URL_RE), (WEB, WWW_RE), (EMAIL, facts.EMAIL_RE),
                          (PHONE, facts.PHONE_RE), (DATE, readers(lang).dates)):
        for match in pattern.finditer(text):
            if free(*match.span()):
                found.append(Value(*match.span(), kind, match[0]))
    conv, read = facts.conventions(lang), readers(lang)
    tokens = [match for match in conv.pattern.finditer(text) if free(*match.span())]
    index = 0
    while index < len(tokens):
        first = last = tokens[index]
        kind = NUMBER
        if index + 1 < len(tokens):
            second = tokens[index + 1]
            if (_bare(first) and _bare(second)
                    and conv.frequency.fullmatch(text, first.end(), second.start())):
                kind, last = FREQUENCY, second
            elif read.between.fullmatch(text, first.end(), second.start()):
                kind, last = RANGE, second
        end = last.end()
        if kind != FREQUENCY and not last["unit"]:
            name = read.unit.match(text, end)
            end = name.end() if name else end
        numbers = ((first.span(), last.span()) if last is not first
                   else (first.span(),))
        found.append(Value(first.start(), end, kind, text[first.start():end], numbers))
        index += 2 if last is not first else 1
    return tuple(sorted(found, key=lambda value: value.start))


def breaks(value: Value) -> tuple[int, ...]:
    """Where a line may break inside a value (offsets in its text): after
    the slashes of a long web address, nowhere else."""
    if value.kind != WEB or len(value.text) <= LONG_WEB_ADDRESS:
        return ()
    scheme = value.text.find("://")
    skip = scheme + 3 if scheme >= 0 else 0
    return tuple(match.end() for match in re.finditer(r"/+", value.text)
                 if match.start() >= skip and match.end() < len(value.text))
