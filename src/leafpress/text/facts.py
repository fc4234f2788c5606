"""The facts in a text that a translation must carry over unchanged.

Used by :mod:`leafpress.quality.checks` (does a translation keep them?) and
:mod:`leafpress.translation.changes` (did an edit of the source change them?). In: a
source or translated message and its language. Out: :class:`Facts`:
placeholders, inline markup, link targets, URLs, e-mail addresses, phone
numbers, and the numbers as a reader of that language reads them.

A number is read only in the conventions of its text's own language (Unicode
CLDR, through Babel, cached per language): that language's decimal and group
symbols, its digits (ASCII 0-9, and those of the language's default and
native numbering systems, such as ٠-٩ in Arabic) and its minus and plus
signs. ``2,5 ml`` is 2.5 ml in Dutch and not a number in English; ``1.000``
is a thousand in Dutch and one in English; ``17:00`` and ``17.00`` are a time
of day. With each number come its sign (``-38``, ``−38``, ``+5``), a
multiplier (``8x``, ``x2``, ``2×``, ``×2``), its unit (``mg``, ``mg/kg``,
``ml/h``, ``mg per kg``) and, for a frequency (``1 in 10``, ``1 op de
10``), which number is the numerator and which the denominator
(:data:`FREQUENCIES`). Every digit of the text belongs to some number. A
number its language cannot read (a digit of another script, digits of two
scripts, ``2.5`` in Dutch) has a :attr:`Number.problem` instead of a value.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache

from babel import Locale
from babel.units import format_compound_unit, format_unit

from leafpress.text import markup

URL_RE = re.compile(r"\b(?:https?|ftp)://[^\s<>()\[\]]+[^\s<>()\[\].,;:!?'\"]")
EMAIL_RE = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
PHONE_RE = re.compile(
    r"(?<![\w+])(?:\+\d{1,3}[\s-]?(?:\(0\))?[\s-]?\d{1,4}(?:[\s-]?\d{2,4}){2,4}"
    r"|0\d{1,3}[\s-]\d{2,4}(?:[\s-]?\d{2,4}){1,3}|0\d{9})(?![\w])")
#: A number with a simple unit, as :func:`leafpress.printing.visibility.values_visible`
#: looks for it around the leaflet's text. (The check, and the values that
#: :mod:`leafpress.text.values` keeps whole in print, read numbers with the
#: fuller, per-language :attr:`Conventions.pattern`.)
NUMBER_RE = re.compile(
    r"(?<![\w.,:\u066b\u066c])(\d+(?:[.,:\u066b\u066c]\d+)*)(?:\s?(mg|mcg|µg|μg|g|"
    r"kg|ml|mL|l|L|mmol/l|mmol/L|mm|cm|m|°C|%|IU|E|cc))?(?![\w])")

#: The zero of each CLDR numbering system whose digits are Unicode decimal
#: digits (``numberingSystems.xml``, type "numeric"); Babel names a
#: language's systems but has no digits for them.
DIGIT_ZEROS = {
    "latn": "0", "arab": "\u0660", "arabext": "\u06f0", "nkoo": "\u07c0",
    "deva": "\u0966", "beng": "\u09e6", "guru": "\u0a66", "gujr": "\u0ae6",
    "orya": "\u0b66", "tamldec": "\u0be6", "telu": "\u0c66", "knda": "\u0ce6",
    "mlym": "\u0d66", "thai": "\u0e50", "laoo": "\u0ed0", "tibt": "\u0f20",
    "mymr": "\u1040", "khmr": "\u17e0", "mong": "\u1810", "olck": "\u1c50",
    "vaii": "\ua620", "mtei": "\uabf0", "fullwide": "\uff10",
    "cakm": "\U00011136", "hmnp": "\U0001e140", "adlm": "\U0001e950"}

#: Unit symbols as written -> as compared. Words ("minutes", "gram",
#: "dag") are not units: they are the translator's, and the reviewer's.
UNITS = {"mg": "mg", "mcg": "µg", "µg": "µg", "μg": "µg", "ng": "ng", "g": "g",
         "kg": "kg", "ml": "ml", "mL": "ml", "cc": "ml", "µl": "µl", "μl": "µl",
         "dl": "dl", "cl": "cl", "l": "l", "L": "l", "mmol": "mmol", "µmol": "µmol",
         "mol": "mol", "mm": "mm", "cm": "cm", "m": "m", "°C": "°C", "ºC": "°C",
         "℃": "°C", "°F": "°F", "°": "°", "%": "%", "٪": "%", "‰": "‰",
         "IU": "IU", "IE": "IU", "E": "IU", "kcal": "kcal"}
#: What may follow a slash or "per" in a compound unit (ml/h, mg/kg/min).
DIVISOR_UNITS = {**UNITS, "h": "h", "min": "min", "s": "s", "d": "d"}
#: Rates, as each language writes them (CLDR's "per" forms and unit names:
#: ``/uur``, ``per uur``, ``/u``, ``/dag`` in Dutch) -> as compared.
RATES = {"duration-hour": "h", "duration-minute": "min", "duration-second": "s",
         "duration-day": "d", "duration-week": "wk"}
#: How a language writes a frequency "x in y": (the words between numerator
#: and denominator, the words between denominator and numerator, how to
#: advise writing it). en: 1 in 10, 1 in every 10, 1 out of 10; nl: 1 op de
#: 10, 1 op 10, 1 op elke 10, 1 van de 10; de: 1 von 10, 1 auf 10, 1 von je
#: 10; tr (denominator first): 10'da 1, 100'de 1, 10 kişide / kişiden /
#: kişinin / hastada / hastadan / hastanın / kullanıcıda … 1; ar: 1 من 10,
#: 1 من كل 10, 1 في 10, 1 من بين 10. Every language reads 1/10.
FREQUENCIES = {
    "en": (r"\s+(?:in|out\s+of)(?:\s+every)?\s+", None, "{n} in {d}"),
    "nl": (r"\s+(?:op(?:\s+de|\s+elke)?|van\s+(?:de|elke))\s+", None, "{n} op de {d}"),
    "de": (r"\s+(?:von|auf)(?:\s+je)?\s+", None, "{n} von {d}"),
    "tr": (None, r"['’](?:da|de|ta|te)\s+|\s+(?:kişide|kişiden|kişinin|hastada|"
           r"hastadan|hastanın|kullanıcıda|kullanıcıdan|kullanıcının)\s+",
           "{d} kişiden {n}"),
    "ar": (r"\s+(?:من|في)\s+(?:(?:كل|بين)\s+)?", None, "{n} من كل {d}"),
}
MINUS = frozenset("-\u2212\u2013\u2012\ufe63\uff0d")
PLUS = frozenset("+\uff0b")
#: Group symbols that are spaces: a reader does not tell them apart.
SPACES = frozenset("\u00a0\u202f\u2009")
SEPARATORS = ".,:'’\u066b\u066c" + "".join(sorted(SPACES))


def _unit_alternatives(units) -> str:
    written = sorted((unit for unit in units if not unit.startswith(("°", "º"))),
                     key=len, reverse=True)
    return "|".join([r"[°º]\s?[CF]", *map(re.escape, written), "°"])


FIRST_UNIT_RE = re.compile(_unit_alternatives(UNITS))


def _script(digit: str) -> str:
    """The name of a digit's script: ``Bengali``, ``Arabic-Indic``, ``Latin``."""
    script = unicodedata.name(digit, "").rpartition("DIGIT ")[0].strip()
    return script.title() or "Latin"


def _form(text: str) -> str:
    """A unit as written, for comparing: visible characters, one space."""
    return re.sub(r"\s+", " ", _visible(text)).strip().replace("º", "°")


def _zero(digit: str) -> str:
    return chr(ord(digit) - unicodedata.decimal(digit))


def _ascii(run: str) -> str:
    return "".join(str(unicodedata.decimal(char)) if char.isdecimal() else char
                   for char in run)


def _visible(text: str) -> str:
    """The text without invisible format characters (bidi marks, zero-width
    spaces, soft hyphens): a reader does not see them inside a number."""
    return "".join(char for char in text if unicodedata.category(char) != "Cf")


@dataclass(frozen=True, eq=False)
class Conventions:
    """How one language writes numbers (CLDR, through Babel)."""

    lang: str
    #: The language's English name, for messages: ``Dutch``.
    name: str
    #: The zero of each digit set the language uses, ASCII first.
    zeros: tuple[str, ...]
    #: (decimal, group) of each of its numbering systems, Latin first.
    symbols: tuple[tuple[str, str], ...]
    #: Digits in the last group and in the groups before it (3, 3; Hindi 3, 2).
    grouping: tuple[int, int]
    #: Its minus sign with Latin digits, for advice.
    minus: str
    #: A number with its sign, multiplier and unit.
    pattern: re.Pattern[str]
    #: One step of a compound unit after the first unit: ``/kg``, ``per kg``
    #: (group ``divisor``), ``/uur``, ``per uur`` (group ``rate``).
    divisor: re.Pattern[str]
    #: The rates of :data:`RATES` as this language writes them.
    rates: dict[str, str]
    #: The text between the two numbers of a frequency: group ``nd`` when
    #: the numerator comes first, ``dn`` when the denominator does.
    frequency: re.Pattern[str]
    frequency_form: str

    @property
    def digits(self) -> str:
        return " or ".join(f"{zero}–{chr(ord(zero) + 9)}" for zero in self.zeros)

    def example(self) -> str:
        decimal, group = self.symbols[0]
        return (f"in {self.name}, two and a half is 2{decimal}5, ten thousand "
                f"10{group}000")


def _numbering(locale: Locale) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...],
                                        str]:
    """The digits (their zeros), (decimal, group) symbols and signs of the
    Latin, default and native numbering systems of a locale."""
    systems = ["latn"]
    for system in (locale.default_numbering_system,
                   locale.other_numbering_systems.get("native")):
        if system in DIGIT_ZEROS and system not in systems:
            systems.append(system)
    symbols: list[tuple[str, str]] = []
    signs = set(MINUS | PLUS | {"±"})
    for system in systems:
        data = locale.number_symbols.get(system)
        if not data or data.get("decimal") is None:  # Babel: same as Latin
            data = locale.number_symbols["latn"]
        if (data["decimal"], data["group"]) not in symbols:
            symbols.append((data["decimal"], data["group"]))
        signs |= {_visible(data.get("minusSign") or "-"),
                  _visible(data.get("plusSign") or "+")}
    return (tuple(DIGIT_ZEROS[system] for system in systems), tuple(symbols),
            "".join(sorted(signs)))


def _divisor(locale: Locale) -> tuple[re.Pattern[str], dict[str, str]]:
    """How a locale writes the second part of a compound unit: its word for
    "per" and its rates (CLDR's per-unit forms and unit names)."""
    per = re.fullmatch(r"N\s+(.+?)\s+D", format_compound_unit(
        "N", denominator_value="D", length="long", locale=locale))
    rates = {}
    for unit, symbol in RATES.items():
        for length in ("long", "short", "narrow"):
            name = _form(format_unit(1, unit, length=length, locale=locale)
                         .replace("1", "", 1))
            for form in (_form(format_compound_unit(7, denominator_unit=unit,
                                                    length=length, locale=locale)
                               .removeprefix("7")), f"/{name}"):
                # Dutch writes a minute "/m": here that stays a metre.
                if DIVISOR_UNITS.get(form.removeprefix("/"), symbol) == symbol:
                    rates[form] = symbol
    rate = "|".join((r"\s*/\s*" if form.startswith("/") else r"\s+")
                    + re.escape(form.removeprefix("/")).replace(r"\ ", r"\s+")
                    for form in sorted(rates, key=len, reverse=True))
    pattern = re.compile(
        (f"(?P<rate>{rate})|" if rate else "")
        + r"(?:\s*/\s*" + (rf"|\s+{re.escape(per[1])}\s+" if per else "")
        + f")(?P<divisor>{_unit_alternatives(DIVISOR_UNITS)})")
    return pattern, rates


def _token(signs: str, divisor: re.Pattern[str]) -> re.Pattern[str]:
    """A number: a sign, a multiplier, digits with separators, a
    multiplier, a unit. Every decimal digit of a text is in one."""
    space = r"[^\S\r\n]*"
    separator = f"[{re.escape(SEPARATORS)}]"
    return re.compile(
        rf"(?:(?<![\w.,\u066b\u066c])(?P<sign>[{re.escape(signs)}])"
        rf"(?=[.,\u066b]?\d))?"
        rf"(?:(?<!\w)(?P<before>[xX×]){space}(?=[.,\u066b]?\d))?"
        rf"(?P<run>(?:(?<![\w.,\u066b\u066c])[.,\u066b](?=\d))?\d+"
        rf"(?:{separator}\d+)*)"
        rf"(?:{space}(?P<after>[xX×])(?![^\W\d_]))?"
        rf"(?:{space}(?P<unit>(?:{_unit_alternatives(UNITS)})"
        rf"(?:{divisor.pattern})*)(?!\w))?")


@cache
def conventions(lang: str) -> Conventions:
    """The number conventions of a language (Babel's data, read once)."""
    locale = Locale.parse(lang)
    zeros, symbols, signs = _numbering(locale)
    pattern = locale.decimal_formats.get(None)
    divisor, rates = _divisor(locale)
    numerator_first, denominator_first, form = FREQUENCIES.get(
        locale.language, (None, None, "{n}/{d}"))
    frequency = "(?P<nd>/" + (f"|{numerator_first}" if numerator_first else "") + ")"
    if denominator_first:
        frequency += f"|(?P<dn>{denominator_first})"
    return Conventions(
        lang, locale.english_name or lang, zeros, symbols,
        pattern.grouping if pattern else (3, 3),
        _visible(locale.number_symbols["latn"].get("minusSign") or "-"),
        _token(signs, divisor), divisor, rates, re.compile(frequency, re.IGNORECASE),
        form)


def _value(text: str, decimal: str, group: str, grouping: tuple[int, int]
           ) -> str | None:
    """The value of a number written with these symbols (``2.5``,
    ``1000``), or None when it is not a way to write a number with them."""
    if group in SPACES:
        text = "".join(group if char in SPACES else char for char in text)
    whole, point, fraction = text.partition(decimal)
    if (point and not fraction.isdigit()) or (not whole and not point):
        return None
    groups = whole.split(group) if whole else ["0"]
    last, earlier = grouping
    if len(groups) > 1 and (not 1 <= len(groups[0]) <= earlier
                            or len(groups[-1]) != last
                            or any(len(part) != earlier for part in groups[1:-1])):
        return None
    digits = "".join(groups)
    if not digits.isdigit():
        return None
    fraction = fraction.rstrip("0")
    return f"{int(digits)}.{fraction}" if fraction else str(int(digits))


def _values(run: str, conv: Conventions, plain: bool) -> set[str]:
    """Every value the characters of ``run`` (any digits) have in ``conv``:
    one number, and for a plain ``17:00`` or ``17.00`` a time of day."""
    text = _ascii(run)
    values = {value for decimal, group in conv.symbols
              if (value := _value(text, decimal, group, conv.grouping)) is not None}
    time = re.fullmatch(r"(\d{1,2})[:.](\d{2})", text)
    if plain and time and int(time[1]) <= 24 and int(time[2]) <= 59:
        values.add(f"{int(time[1])}:{time[2]}")
    return values


@dataclass(frozen=True)
class Number:
    """One number as a reader reads it."""

    #: As written: ``−38 °C``, ``8x``, ``1 op de 10``.
    text: str
    #: What it stands for: ``2.5``, ``1000``, ``17:00``, ``1 in 10``.
    readings: frozenset[str]
    #: ``mg``, ``mg/kg``, ``°C``: compared as written after :data:`UNITS`.
    unit: str | None = None
    #: ``-``, ``+`` or ``±``.
    sign: str = ""
    #: A multiplier: ``8x``, ``x2``, ``2×``.
    times: bool = False
    #: A frequency's numerator and denominator.
    parts: tuple[Number, ...] = ()
    #: Digits and separators as written, to reread them in another language.
    runs: tuple[str, ...] = ()
    #: Why the language cannot read it, to follow “the number” in a
    #: sentence (``, which is not a number in Dutch (…)``); the number then
    #: has no readings.
    problem: str | None = None

    @property
    def bare(self) -> bool:
        """A number alone: no sign, multiplier, unit, or second number."""
        return not (self.unit or self.sign or self.times or self.parts)

    @property
    def shape(self) -> tuple:
        """What must match besides the value: unit, sign, multiplier, and
        whether it is a frequency."""
        return self.unit, self.sign, self.times, bool(self.parts)

    def same(self, other: Number) -> bool:
        if self.shape != other.shape:
            return False
        if self.problem or other.problem:  # unreadable: the same as written
            return bool(self.problem and other.problem) and self.runs == other.runs
        return bool(self.readings & other.readings)

    def reading(self) -> str:
        """What the number says, in one line: ``2500 ml``, ``-38 °C``."""
        value = " or ".join(sorted(self.readings))
        return (f"{self.sign}{value}{'×' if self.times else ''}"
                f"{' ' + self.unit if self.unit else ''}")

    def __str__(self) -> str:
        return self.text


def _number(match: re.Match[str], conv: Conventions) -> Number:
    run, unit, sign = match["run"], match["unit"], match["sign"] or ""
    if unit:
        first = FIRST_UNIT_RE.match(unit)
        unit = "/".join([UNITS[_form(first[0]).replace(" ", "")], *(
            conv.rates[_form(step["rate"]).replace("/ ", "/")] if step["rate"]
            else DIVISOR_UNITS[_form(step["divisor"]).replace(" ", "")]
            for step in conv.divisor.finditer(unit, first.end()))])
    sign = "±" if sign == "±" else "+" if sign in PLUS else "-" if sign else ""
    times = bool(match["before"] or match["after"])
    text = match[0].strip()
    zeros = {_zero(char) for char in run if char.isdecimal()}
    if len(zeros) > 1:
        scripts = " and ".join(sorted(_script(zero) for zero in zeros))
        problem = f" with digits of two scripts ({scripts}) in one number"
    elif (zero := zeros.pop()) not in conv.zeros:
        problem = (f" in {_script(zero)} digits, which {conv.name} does not use "
                   f"({conv.name} numbers are written with {conv.digits})")
    else:
        values = _values(run, conv, not (unit or sign or times))
        numbers = sorted(value for value in values if ":" not in value)
        if len(numbers) > 1:
            problem = f", which can be read as {' or '.join(numbers)} in {conv.name}"
        elif not values:
            problem = f", which is not a number in {conv.name} ({conv.example()})"
        else:
            return Number(text, frozenset(values), unit, sign, times, runs=(run,))
    return Number(text, frozenset(), unit, sign, times, runs=(run,), problem=problem)


def _frequency(text: str, first: tuple[re.Match[str], Number],
               second: tuple[re.Match[str], Number], conv: Conventions
               ) -> Number | None:
    """Two numbers that make a frequency (``1 in 10``), or None."""
    (before, a), (after, b) = first, second
    if a.problem or b.problem or not (a.bare and b.bare):
        return None
    between = conv.frequency.fullmatch(text, before.end(), after.start())
    if between is None:
        return None
    numerator, denominator = (a, b) if between.lastgroup == "nd" else (b, a)
    readings = frozenset(f"{n} in {d}" for n in numerator.readings
                         for d in denominator.readings if ":" not in n + d)
    if not readings:
        return None
    return Number(text[before.start():after.end()].strip(), readings,
                  parts=(numerator, denominator),
                  runs=numerator.runs + denominator.runs)


def read_numbers(text: str, lang: str) -> tuple[Number, ...]:
    """Every number of a text, read in ``lang``'s conventions, in order."""
    conv = conventions(lang)
    text = _visible(text)
    tokens = [(match, _number(match, conv)) for match in conv.pattern.finditer(text)]
    numbers: list[Number] = []
    position = 0
    while position < len(tokens):
        frequency = position + 1 < len(tokens) and _frequency(
            text, tokens[position], tokens[position + 1], conv)
        if frequency:
            numbers.append(frequency)
            position += 2
        else:
            numbers.append(tokens[position][1])
            position += 1
    return tuple(numbers)


def read_as(number: Number, lang: str) -> frozenset[str]:
    """What a reader used to ``lang`` takes the characters of a number for,
    whatever its digits' script: explains a misreading (``2.500`` is 2.5 in
    English)."""
    conv = conventions(lang)
    if number.parts:
        numerators, denominators = (_values(part.runs[0], conv, False)
                                    for part in number.parts)
        return frozenset(f"{n} in {d}" for n in numerators for d in denominators)
    return frozenset(_values(number.runs[0], conv, number.bare))


def spell(number: Number, lang: str) -> str:
    """How ``lang`` writes what ``number`` says, with ASCII digits: the
    advice in a finding (``2,5 ml``, ``1 op de 1.000``)."""
    conv = conventions(lang)
    if number.parts:
        numerator, denominator = (spell(part, lang) for part in number.parts)
        return conv.frequency_form.format(n=numerator, d=denominator)
    value = min(number.readings, key=lambda reading: (":" in reading, reading))
    if ":" not in value:
        decimal, group = conv.symbols[0]
        whole, _, fraction = value.partition(".")
        grouped = not _ascii(number.runs[0]).isdigit() if number.runs else False
        if len(whole) > 4 or len(whole) == 4 and grouped:
            last, earlier = conv.grouping
            groups, whole = [whole[-last:]], whole[:-last]
            while whole:
                groups.insert(0, whole[-earlier:])
                whole = whole[:-earlier]
            whole = group.join(groups)
        value = f"{whole}{decimal}{fraction}" if fraction else whole
    sign = conv.minus if number.sign == "-" else number.sign
    return (f"{sign}{value}{'×' if number.times else ''}"
            f"{' ' + number.unit if number.unit else ''}")


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
def facts(text: str, lang: str = "en") -> Facts:
    """Take the facts out of one message written in ``lang``; its numbers
    are read in that language's conventions only."""
    kinds, links = _markup(text)
    rest = re.sub(r"\]\([^)]*\)", "]", text)  # link targets are counted above
    urls = Counter(URL_RE.findall(rest))
    rest = URL_RE.sub(" ", rest)
    emails = Counter(email.lower() for email in EMAIL_RE.findall(rest))
    rest = EMAIL_RE.sub(" ", rest)
    rest = markup.PLACEHOLDER_RE.sub(" ", rest)
    phones = Counter(re.sub(r"\D", "", phone) for phone in PHONE_RE.findall(rest))
    rest = PHONE_RE.sub(" ", rest)
    return Facts(Counter(markup.PLACEHOLDER_RE.findall(text)), kinds, links, urls,
                 emails, phones, read_numbers(rest, lang))


def unmatched_numbers(source: tuple[Number, ...] | list[Number],
                      target: tuple[Number, ...] | list[Number]
                      ) -> tuple[list[Number], list[Number]]:
    """Numbers of the source with no equal in the target, and the reverse.

    A frequency equals a frequency with the same numerator and denominator,
    or, when the other side does not write it as a frequency, two numbers
    next to each other there, numerator first (``1 person in 10``).
    """
    left, right = list(range(len(source))), list(range(len(target)))
    for index in list(left):
        match = next((other for other in right if source[index].same(target[other])),
                     None)
        if match is not None:
            left.remove(index)
            right.remove(match)
    for these, free, those, other_free in ((source, left, target, right),
                                           (target, right, source, left)):
        for index in [index for index in free if these[index].parts]:
            numerator, denominator = these[index].parts
            match = next((other for other in other_free if other + 1 in other_free
                          and numerator.same(those[other])
                          and denominator.same(those[other + 1])), None)
            if match is not None:
                free.remove(index)
                other_free.remove(match)
                other_free.remove(match + 1)
    return [source[index] for index in left], [target[index] for index in right]


def describe(counter: Counter) -> str:
    return ", ".join(f"{item} ×{count}" if count > 1 else str(item)
                     for item, count in sorted(counter.items()))
