"""Contacts: whom a reader of a leaflet calls, as placeholders.

Called by :mod:`leafpress.settings.project`, which reads ``[departments.<name>]`` of
``leafpress.toml`` (or of a clinic folder's ``clinic.toml``) with
:func:`read_departments`; by :mod:`leafpress.sources.leaflet`, which checks a
leaflet's ``department:`` and the department placeholders it uses against
them; and by render and lint, which fill a leaflet's placeholders with
:meth:`Placeholders.values`. In: TOML tables. Out: :class:`Placeholders`:
the clinic's own values (``{clinic_phone}``...) and, per department, its
name, phone, e-mail and opening hours.

A department's contact is data, like the clinic's: it is never translated.
Its name is one text for every language (a proper name) or one per
language; its opening hours are days and times, written out in each
language by Babel: CLDR's day names, time ranges ("08:30–17:00") and lists
("Monday–Thursday 08:30–17:00 and Friday 08:30–12:00").
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from babel import Locale
from babel.dates import format_interval
from babel.lists import format_list

from leafpress.errors import Problem
from leafpress.model import SLUG_RE
from leafpress.text import facts

#: The placeholders a leaflet that names its department may use.
DEPARTMENT_PLACEHOLDERS = ("department_name", "department_phone",
                           "department_email", "department_hours")
#: What a ``[departments.<name>]`` table holds; ``hours`` may be left out.
DEPARTMENT_KEYS = ("name", "phone", "email", "hours")
HOURS_KEYS = ("days", "opens", "closes")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

_TIME_RE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)\Z")
_DAYS_RE = re.compile(rf"^({'|'.join(DAYS)})(?:-({'|'.join(DAYS)}))?\Z")
#: A phone number as a patient dials it: digits, spaces and + - ( ) /.
_PHONE_RE = re.compile(r"^\+?[\d(][\d ()/-]*\d\Z")

#: Where a key is written: (table, key or ``None`` for the table) -> line.
Locate = Callable[[str, str | None], int | None]


@dataclass(frozen=True)
class Hours:
    """A department is open from ``opens`` to ``closes`` on the days from
    ``first`` to ``last`` (0 is Monday)."""

    first: int
    last: int
    opens: datetime.time
    closes: datetime.time

    def format(self, locale: Locale) -> str:
        """"Monday–Friday 08:30–17:00" in the words of ``locale``."""
        names = locale.days["format"]["wide"]
        days = names[self.first]
        if self.last != self.first:
            days = (locale.interval_formats.get(None) or "{0}–{1}").format(
                days, names[self.last])
        return f"{days} {format_interval(self.opens, self.closes, 'Hm', locale=locale)}"


@dataclass(frozen=True)
class Department:
    """``[departments.<key>]``: its name in every configured language, the
    phone number and e-mail address a reader uses, and its opening hours."""

    key: str
    names: dict[str, str]
    phone: str
    email: str
    hours: tuple[Hours, ...] = ()

    def hours_in(self, locale: Locale) -> str:
        """The opening hours as a reader of ``locale`` reads them."""
        return format_list([hours.format(locale) for hours in self.hours],
                           locale=locale)


@dataclass(frozen=True)
class Contact:
    """Whom a leaflet's reader contacts: its department, or the clinic."""

    name: str
    phone: str
    email: str
    hours: str | None = None


@dataclass(frozen=True)
class Placeholders(Mapping[str, str]):
    """The values of the placeholders. As a mapping: the clinic's own
    (``{clinic_phone}``, ``{emergency_phone}``...), the same for every
    leaflet; :meth:`values` adds a leaflet's department."""

    clinic: dict[str, str]
    departments: dict[str, Department] = field(default_factory=dict)
    #: The file that sets the departments, as messages name it.
    origin: str = "leafpress.toml"

    def __getitem__(self, name: str) -> str:
        return self.clinic[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.clinic)

    def __len__(self) -> int:
        return len(self.clinic)

    @property
    def names(self) -> frozenset[str]:
        """Every placeholder a leaflet may write (the department ones only
        when it names its department)."""
        return frozenset(self.clinic) | frozenset(DEPARTMENT_PLACEHOLDERS)

    def unknown(self, department: str) -> str:
        """Why ``department:`` naming ``department`` is refused."""
        if not self.departments:
            return (f"department {department!r} is not set: {self.origin} has no "
                    f"[departments.<name>] tables; add [departments.{department}] "
                    "with its name, phone, email and hours")
        return (f"department {department!r} is not in {self.origin} (departments: "
                f"{', '.join(sorted(self.departments))})")

    def contact(self, department: str | None, lang: str, locale: Locale) -> Contact:
        """The contact of a leaflet that names ``department`` (``None``:
        the clinic's), in ``lang``; ``locale`` writes the hours."""
        if department is None:
            return Contact(self.clinic["clinic_name"], self.clinic["clinic_phone"],
                           self.clinic["clinic_email"])
        found = self.departments[department]
        return Contact(found.names[lang], found.phone, found.email,
                       found.hours_in(locale) if found.hours else None)

    def values(self, department: str | None, lang: str, locale: Locale
               ) -> dict[str, str]:
        """Every placeholder's value in a leaflet that names ``department``
        (``None``: none), printed in ``lang``; ``locale`` writes the hours
        (see :func:`leafpress.printing.compose.date_locale`)."""
        values = dict(self.clinic)
        if department is not None:
            contact = self.contact(department, lang, locale)
            values.update(department_name=contact.name,
                          department_phone=contact.phone,
                          department_email=contact.email)
            if contact.hours is not None:
                values["department_hours"] = contact.hours
        return values


def read_departments(table: object, languages: tuple[str, ...], shown: str,
                     locate: Locate, problems: list[Problem]
                     ) -> dict[str, Department]:
    """``[departments]``: each ``[departments.<name>]`` validated; every
    problem goes to ``problems`` as ``shown:line: message``."""
    if not isinstance(table, dict):
        problems.append(Problem(shown, locate("departments", None),
                                "[departments] must be tables "
                                "[departments.<name>], one per department"))
        return {}
    departments = {}
    for key, value in table.items():
        where = f"departments.{key}"

        def problem(message: str, name: str | None = None, where: str = where
                    ) -> None:
            line = locate(where, name) if name else None
            problems.append(Problem(shown, line or locate(where, None),
                                    f"[{where}] {message}"))

        if not SLUG_RE.match(key):
            problem("a department's name is lower-case words joined by hyphens "
                    "(e.g. pain-clinic): leaflets name it in their front matter")
            continue
        if not isinstance(value, dict):
            problems.append(Problem(shown, locate("departments", key),
                                    f"[{where}] must be a table: name, phone, "
                                    "email and hours"))
            continue
        for name in value:
            if name not in DEPARTMENT_KEYS:
                problem(f"{name}: no such setting (settings: "
                        f"{', '.join(DEPARTMENT_KEYS)})", name)
        count = len(problems)
        names = _names(value.get("name"), languages, problem)
        phone = value.get("phone")
        if phone is None:
            problem("phone is required: the number a reader of the department's "
                    "leaflets calls")
        elif not isinstance(phone, str) or not _PHONE_RE.match(phone.strip()):
            problem(f"phone must be a phone number written with digits, spaces "
                    f"and + - ( ) /, not {_shown(phone)}", "phone")
        email = value.get("email")
        if email is None:
            problem("email is required: the address a reader of the "
                    "department's leaflets writes to")
        elif not isinstance(email, str) or not facts.EMAIL_RE.fullmatch(
                email.strip()):
            problem(f"email must be an e-mail address, not {_shown(email)}",
                    "email")
        hours = _hours(value.get("hours", []), problem)
        if len(problems) == count:
            departments[key] = Department(key, names, phone.strip(), email.strip(),
                                          hours)
    return departments


def _shown(value: object) -> str:
    """A setting's value as a message quotes it (cut short)."""
    text = repr(value)
    return text if len(text) <= 60 else text[:58] + "…" + text[-1]


def _names(value: object, languages: tuple[str, ...],
           problem: Callable[..., None]) -> dict[str, str]:
    """``name``: one text for every language, or a table with a text by
    language (a language it leaves out gets the first configured language's
    name)."""
    if value is None:
        problem("name is required: the department's name as readers see it "
                '(name = "Pain clinic", or one per language: name = { en = '
                '"Pain clinic", nl = "Pijnpoli" })')
        return {}
    if isinstance(value, str):
        if not value.strip():
            problem("name must be non-empty text", "name")
            return {}
        value = dict.fromkeys(languages, value)
    if not isinstance(value, dict):
        problem(f"name must be text, or a table of texts by language, not "
                f"{_shown(value)}", "name")
        return {}
    for lang, text in value.items():
        if lang not in languages:
            problem(f"name: {lang!r} is not one of [project] languages "
                    f"({', '.join(languages)})", "name")
        elif not isinstance(text, str) or not text.strip():
            problem(f"name in {lang!r} must be non-empty text, not "
                    f"{_shown(text)}", "name")
    names = {lang: str(text).strip() for lang, text in value.items()
             if isinstance(text, str) and text.strip()}
    # A language added later (init-locale) prints the name of the first
    # language that has one until it gets its own: a name, not a sentence.
    fallback = next((names[lang] for lang in languages if lang in names), None)
    if fallback is not None:
        for lang in languages:
            names.setdefault(lang, fallback)
    return names


def _hours(value: object, problem: Callable[..., None]) -> tuple[Hours, ...]:
    """``hours``: a list of ``{ days = "mon-fri", opens = "08:30", closes =
    "17:00" }``; no day may have two entries whose times overlap."""
    example = ('hours = [{ days = "mon-fri", opens = "08:30", closes = "17:00" }]')
    if not isinstance(value, list) or not all(isinstance(item, dict)
                                              for item in value):
        problem(f"hours must be a list of days and times: {example}", "hours")
        return ()
    result = []
    for number, item in enumerate(value, start=1):
        what = f"hours, entry {number},"
        wrong = [key for key in item if key not in HOURS_KEYS]
        if wrong:
            problem(f"{what} {wrong[0]}: no such setting (settings: "
                    f"{', '.join(HOURS_KEYS)})", "hours")
            continue
        days = item.get("days")
        match = _DAYS_RE.match(days.strip()) if isinstance(days, str) else None
        if match is None:
            problem(f"{what} days must be a day or a range of days written "
                    f"{DAYS[0]} to {DAYS[-1]} (\"mon-fri\", \"sat\"), not "
                    f"{_shown(days)}", "hours")
            continue
        first = DAYS.index(match[1])
        last = DAYS.index(match[2] or match[1])
        if last < first:
            problem(f"{what} days {days!r} runs backwards: write the days from "
                    "Monday to Sunday, one entry per range", "hours")
            continue
        times = []
        for key in ("opens", "closes"):
            text = item.get(key)
            found = _TIME_RE.match(text.strip()) if isinstance(text, str) else None
            if found is None:
                problem(f"{what} {key} must be a time written HH:MM (\"08:30\"), "
                        f"not {_shown(text)}", "hours")
                break
            times.append(datetime.time(int(found[1]), int(found[2])))
        else:
            opens, closes = times
            if closes <= opens:
                problem(f"{what} closes ({item['closes']}) must be after opens "
                        f"({item['opens']})", "hours")
                continue
            clash = next((other for other in result
                          if other.first <= last and first <= other.last
                          and other.opens < closes and opens < other.closes), None)
            if clash is not None:
                problem(f"{what} overlaps entry {result.index(clash) + 1}: a day "
                        "has its opening hours once", "hours")
                continue
            result.append(Hours(first, last, opens, closes))
    return tuple(result)
