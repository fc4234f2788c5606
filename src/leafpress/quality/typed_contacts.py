"""Typed contacts: phone numbers and e-mail addresses written into the text.

Called by :func:`leafpress.quality.lint.lint_language` for the rules
``emergency-number`` and ``typed-contact``, and by
:mod:`leafpress.settings.project` for the emergency numbers of each country.
In: the units of text of a leaflet in one language, the placeholder values
and the settings. Out: a finding for each number or address that a
placeholder filled in from ``leafpress.toml`` should give instead.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from leafpress.quality.leaflet_text import Unit
from leafpress.quality.rules import OFF, Findings, LintSettings, short

#: Emergency and urgent-care numbers a leaflet might carry by mistake, with
#: their country (the configured [countries] add to and override these).
WELL_KNOWN_NUMBERS = {
    "112": "the EU", "911": "the US and Canada", "999": "the UK",
    "000": "Australia", "111": "the UK (NHS) and New Zealand", "119": "Japan",
    "110": "Germany (police)", "1733": "Belgium", "144": "Switzerland and Austria",
    "116117": "Germany",
}
#: The emergency numbers of countries whose clinics print with leafpress
#: (ISO 3166 code: numbers). A configured emergency-phone that is not among
#: its country's is reported on every build.
EMERGENCY_NUMBERS = {
    **dict.fromkeys(("NL", "DK", "ES", "FI", "GR", "IT", "NO", "PL", "PT", "SE",
                     "CZ", "HU", "RO", "BG", "HR", "SI", "SK", "EE", "LV", "LT",
                     "CY", "MT", "TR", "UA"), frozenset({"112"})),
    "BE": frozenset({"112", "100", "101"}), "DE": frozenset({"112", "110"}),
    "FR": frozenset({"112", "15", "17", "18"}), "LU": frozenset({"112", "113"}),
    "AT": frozenset({"112", "144", "133", "122"}),
    "CH": frozenset({"112", "144", "117", "118"}),
    "GB": frozenset({"999", "112"}), "IE": frozenset({"112", "999"}),
    "US": frozenset({"911"}), "CA": frozenset({"911"}),
    "AU": frozenset({"000", "112"}), "NZ": frozenset({"111"}),
}

#: A number someone is told to call: "call 999", "bel 112".
CALL_NUMBER = re.compile(
    r"(?i)\b(?:call|phone|ring|dial|bel(?:t|len)?|kies|telefoon(?:nummer)?|"
    r"nummer|tel\.?)\b\W{0,3}(?:[^\W\d]+\W{1,3}){0,3}?\+?(\d(?:[\d ]*\d)?)")
#: A typed e-mail address, and a web address (whose digits are no phone
#: number).
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}\b")
WEB_ADDRESS = re.compile(r"(?i)\b(?:https?://|www\.)\S+")
_GAP = r"(?:[ \u00a0\u202f]?[-./\u2013][ \u00a0\u202f]?|[ \u00a0\u202f])"
#: A run of digits that could be a phone number: groups of digits joined by
#: a space, hyphen, dot or slash, an area code in brackets, a leading +
#: ("+31 (0)30 123 4567", "030-1234567", "(030) 123 4567"). Not inside a
#: word, a decimal or a longer number: :func:`_phone` decides.
DIGIT_RUN = re.compile(
    rf"(?<![\w.,/+\-\u2013])(?:\+[ \u00a0]?)?(?:\(\d+\)|\d+)"
    rf"(?:(?:{_GAP}|(?<=\)))(?:\(\d+\)|\d+))*(?![\w]|[.,]\d)")
_DATE = re.compile(r"\d{1,2}([-./])\d{1,2}\1\d{2,4}|\d{4}([-./])\d{1,2}\2\d{1,2}")
_TIMES = re.compile(r"\d{1,2}[.:]\d{2}\s*[-\u2013]\s*\d{1,2}[.:]\d{2}")
_NORTH_AMERICAN = re.compile(r"\(?[2-9]\d\d\)?(?:[ .-]|(?<=\)) ?)\d{3}[ .-]\d{4}")
#: Words before a number that make it a reference, not a phone number.
REFERENCE_WORDS = re.compile(
    r"(?i)\b(?:ref(?:erence|erentie)?|kenmerk|isbn|issn|doi|pmid|pmcid|kvk|big|"
    r"agb|iban|bsn|version|versie|lot|batch|artikel)\b\W*"
    r"(?:(?:nr|no|number|nummer|code)\b\W*)?$")


def lint_emergency_numbers(text: list[Unit], settings: LintSettings,
                           findings: Findings) -> set[tuple[int, str]]:
    """Emergency numbers typed into the text; returns ``(unit index,
    number)`` of each one reported."""
    reported: set[tuple[int, str]] = set()
    for index, unit in enumerate(text):
        for match in CALL_NUMBER.finditer(unit.raw):
            joined, first = match[1].replace(" ", ""), match[1].split(" ")[0]
            number = first if (joined not in settings.own_numbers
                               and joined not in settings.foreign_numbers) else joined
            if number in settings.own_numbers:
                reported.add((index, number))
                findings.add("emergency-number", unit.path, unit.line,
                             f"{number} is written into the text: write "
                             "{emergency_phone} or {out_of_hours_phone}, so that "
                             "the number comes from leafpress.toml")
            elif number in settings.foreign_numbers:
                reported.add((index, number))
                findings.add("emergency-number", unit.path, unit.line,
                             f"{number} is an emergency or out-of-hours number of "
                             f"{settings.foreign_numbers[number]}, not of "
                             f"{settings.country} (the configured country): write "
                             "{emergency_phone}")
    return reported


def lint_typed_contacts(text: list[Unit], values: Mapping[str, str],
                        settings: LintSettings, emergency: set[tuple[int, str]],
                        findings: Findings) -> None:
    """A phone number or e-mail address typed into the text, where a
    placeholder belongs. A number the ``emergency-number`` rule reported is
    not reported again."""
    # a leaflet's department before the clinic, when both have the number
    names = sorted(values, key=lambda name: not name.startswith("department_"))
    phones = {name: _digits(values[name]) for name in names
              if name.endswith("_phone") and _digits(values[name])}
    emails: dict[str, str] = {}
    for name in names:
        if name.endswith("_email") and values[name]:
            emails.setdefault(values[name].strip().lower(), name)
    for index, unit in enumerate(text):
        seen: set[str] = set()
        for match in EMAIL.finditer(unit.raw):
            address = match[0]
            if address.lower() in seen:
                continue
            seen.add(address.lower())
            known = emails.get(address.lower())
            how = (f"write {{{known}}}, which leafpress.toml fills in" if known else
                   "write {clinic_email}, or {department_email} for a "
                   "department's, and set the address in leafpress.toml")
            findings.add("typed-contact", unit.path, unit.line,
                         f"the e-mail address {short(address)} is typed into the "
                         f"text: {how}")
        rest = EMAIL.sub(" ", WEB_ADDRESS.sub(" ", unit.raw))
        for match in DIGIT_RUN.finditer(rest):
            number = match[0]
            digits = _digits(number)
            if (digits in seen or not _phone(number)
                    or REFERENCE_WORDS.search(rest[max(0, match.start() - 30):
                                                   match.start()])):
                continue
            seen.add(digits)
            if ((index, digits) in emergency
                    and settings.level("emergency-number") != OFF):
                continue
            known = next((name for name, configured in phones.items()
                          if _same_number(digits, configured)), None)
            how = (f"write {{{known}}}, which leafpress.toml fills in" if known else
                   "write the placeholder for it: {clinic_phone}, "
                   "{department_phone} for a department, {out_of_hours_phone} "
                   "for the out-of-hours GP service; and set the number in "
                   "leafpress.toml")
            findings.add("typed-contact", unit.path, unit.line,
                         f"the phone number {short(number)} is typed into the "
                         f"text: {how}")


def _digits(text: str) -> str:
    """The digits of a text, as ASCII (Arabic-Indic digits too)."""
    return "".join(str(int(char)) for char in text if char.isdecimal())


def _phone(number: str) -> bool:
    """Whether a run of digits is a phone number: 8 to 15 digits after a +
    or a leading 0 (a trunk or international prefix), or a North American
    "555-123-4567"; never a date ("01-02-2026"), a time range
    ("08.30-17.00") or a row of single digits ("0 1 2 3 4 5")."""
    digits = _digits(number)
    groups = re.findall(r"\d+", number)
    if (_DATE.fullmatch(number) or _TIMES.search(number)
            or sum(len(group) == 1 for group in groups) > 2):
        return False
    if number.startswith("+") or digits.startswith("0"):
        return 8 <= len(digits) <= 15
    return bool(_NORTH_AMERICAN.fullmatch(number))


def _same_number(typed: str, configured: str) -> bool:
    """The same number, written nationally or internationally ("+31 30 ..."
    and "030 ...": the last nine digits agree)."""
    if len(typed) >= 9 and len(configured) >= 9:
        return typed[-9:] == configured[-9:]
    return typed == configured
