"""Project settings: ``leafpress.toml`` and the folders around it.

Called first by every command. In: the project folder. Out: a
:class:`Project` with the validated :class:`Settings`. Country data such as
emergency numbers lives here, never in a catalog: an English leaflet from a
Dutch clinic says 112, not 999.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError

from leafpress.errors import ContentError, Problem, display_path
from leafpress.model import PAPERS, SLUG_RE, VARIANTS, Paper, Variant
from leafpress.quality.checks import CheckSettings
from leafpress.quality.rules import LEVELS, REQUIRED_SECTIONS, RULES, LintSettings
from leafpress.quality.typed_contacts import EMERGENCY_NUMBERS, WELL_KNOWN_NUMBERS
from leafpress.settings.contacts import Placeholders, read_departments
from leafpress.settings.review import ReviewPolicy, read_review

CONFIG_NAME = "leafpress.toml"


@dataclass(frozen=True)
class Branding:
    """How a clinic's leaflets look: colours (checked for contrast) and logo."""

    text: str = "#1a1a1a"
    background: str = "#ffffff"
    accent: str = "#0b4f8a"
    logo: Path | None = None
    logo_alt: str | None = None


@dataclass(frozen=True)
class Settings:
    """The validated contents of ``leafpress.toml`` (and of the clinic folder
    it names, whose ``clinic.toml`` overrides the clinic's own tables)."""

    source_language: str
    languages: tuple[str, ...]
    country: str
    paper: Paper
    organisation: str
    website: str | None
    phone: str
    email: str
    emergency_phone: str
    out_of_hours_phone: str
    #: The placeholders' values: the clinic's, and each department's.
    placeholders: Placeholders = field(default_factory=lambda: Placeholders({}))
    checks: CheckSettings = field(default_factory=CheckSettings)
    lint: LintSettings = field(default_factory=LintSettings)
    variants: tuple[Variant, ...] = (VARIANTS["standard"],)
    branding: Branding = field(default_factory=Branding)
    #: The clinic folder (logo and other images may live there).
    clinic: Path | None = None
    #: The address for questions about the source text, in every catalog:
    #: the project's own contact, whichever clinic prints.
    catalog_email: str = ""
    #: Limits per document: seconds for a render, megabytes for a worker.
    time_limit: int = 120
    memory_limit: int = 2048
    #: Automatic hyphenation of running text (``[print] hyphenate``), off
    #: by default as clear-print guidance asks; values never hyphenate.
    hyphenate: bool = False
    #: What each language needs before it prints (``[review]``).
    review: ReviewPolicy = field(default_factory=ReviewPolicy)
    #: What is odd but not wrong in the settings, reported by every build.
    warnings: tuple[Problem, ...] = ()

    @property
    def target_languages(self) -> tuple[str, ...]:
        """The languages that need catalogs (all but the source language)."""
        return tuple(lang for lang in self.languages if lang != self.source_language)


@dataclass(frozen=True)
class Project:
    """Where everything is. ``build`` holds every generated file."""

    root: Path
    settings: Settings
    build_dir: Path | None = None

    @property
    def leaflets(self) -> Path:
        return self.root / "leaflets"

    @property
    def locales(self) -> Path:
        return self.root / "locales"

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def build(self) -> Path:
        return self.build_dir or self.root / "build"

    @property
    def asset_roots(self) -> tuple[Path, ...]:
        """The only folders a render may read files from."""
        clinic = self.settings.clinic
        return (self.templates,) + ((clinic,) if clinic else ())

    def leaflet_paths(self) -> list[Path]:
        """The leaflets, ``leaflets/<slug>.md`` (see :meth:`misnamed`)."""
        return [path for path in sorted(self.leaflets.glob("*.md"))
                if SLUG_RE.match(path.stem)]

    def misnamed(self) -> list[Path]:
        """Leaflets, templates and catalogs whose file name is not a slug
        (``ui`` for the template catalog): they are left out of every build
        and make rule, and reported."""
        found = [path for path in sorted(self.leaflets.glob("*.md"))
                 if not SLUG_RE.match(path.stem)]
        found += [path for path in sorted(self.locales.glob("*.pot"))
                  if path.stem != "ui" and not SLUG_RE.match(path.stem)]
        found += [path for path in sorted(self.locales.glob("*/LC_MESSAGES/*.po"))
                  if path.stem != "ui" and not SLUG_RE.match(path.stem)]
        return found

    def pot_path(self, domain: str) -> Path:
        return self.locales / f"{domain}.pot"

    def po_path(self, lang: str, domain: str) -> Path:
        return self.locales / lang / "LC_MESSAGES" / f"{domain}.po"

    def thumbnail_path(self, lang: str, slug: str) -> Path:
        """The report's picture of a leaflet's first page in ``lang``."""
        return self.build / "report" / lang / f"{slug}.jpg"

    def mo_path(self, lang: str, domain: str) -> Path:
        return self.build / "mo" / lang / "LC_MESSAGES" / f"{domain}.mo"

    def output(self, kind: str, lang: str, slug: str, suffix: str = "",
               extension: str = ".pdf") -> Path:
        """``build/<kind>/<lang>/<slug><suffix><extension>``: ``kind`` is
        pdf, html, draft, rejected, withdrawn or review (the review sheets)."""
        return self.build / kind / lang / f"{slug}{suffix}{extension}"

    def pdf_path(self, lang: str, slug: str, suffix: str = "") -> Path:
        return self.output("pdf", lang, slug, suffix)

    def html_path(self, lang: str, slug: str, suffix: str = "") -> Path:
        return self.output("html", lang, slug, suffix, ".html")

    def show(self, path: Path) -> str:
        """A path as messages show it: relative to the project."""
        return display_path(path, self.root)


def _get(table: dict[str, Any], key: str, kind: type, where: str, problems: list,
         path: str, default: Any = ...) -> Any:
    value = table.get(key, default)
    if value is ...:
        problems.append(Problem(path, None, f"[{where}] {key} is required"))
        return None
    if value is not None and not isinstance(value, kind):
        problems.append(Problem(path, None,
                                f"[{where}] {key} must be {kind.__name__}, "
                                f"not {type(value).__name__}"))
        return None
    return value


def _check_language(code: str, path: str, problems: list) -> None:
    try:
        Locale.parse(code)
    except (ValueError, UnknownLocaleError):
        problems.append(Problem(path, None, f"unknown language code {code!r}"))


def _read_toml(path: Path, missing: str) -> dict:
    shown = display_path(path)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ContentError([Problem(shown, None, missing)]) from None
    except UnicodeDecodeError as error:
        raise ContentError([Problem(shown, None, f"not UTF-8: {error}")]) from None
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"at line (\d+)", str(error))
        raise ContentError([Problem(shown, int(match[1]) if match else None,
                                    str(error))]) from None
    except ValueError:  # an integer too long for Python to convert
        text = path.read_text(encoding="utf-8")
        match = re.search(r"[0-9_]{100,}", text)
        line = text.count("\n", 0, match.start()) + 1 if match else None
        raise ContentError([Problem(shown, line, "a number thousands of digits "
                                    "long; no setting needs one: shorten it")]
                           ) from None


#: The tables a clinic folder's ``clinic.toml`` may set for its clinic.
#: ``[departments]`` is the clinic's alone: those of ``leafpress.toml`` are
#: never used for a clinic folder (another clinic's department would print
#: its phone number).
CLINIC_TABLES = ("organisation", "contact", "countries", "branding", "departments")

CLINIC_NAME = "clinic.toml"


def _with_clinic(data: dict, clinic: Path, problems: list[Problem]
                 ) -> tuple[dict, dict]:
    """``leafpress.toml`` with the clinic folder's tables laid over it, and
    what the clinic folder set."""
    path = clinic / CLINIC_NAME
    overrides = _read_toml(path, f"no {CLINIC_NAME} in the clinic folder")
    merged = dict(data)
    merged.pop("departments", None)
    for key, value in overrides.items():
        if key == "project" and isinstance(value, dict) and set(value) <= {"country"}:
            merged["project"] = {**data.get("project", {}), **value}
        elif key == "departments":
            merged[key] = value
        elif key in CLINIC_TABLES and isinstance(value, dict):
            merged[key] = {**data.get(key, {}), **value}
        else:
            problems.append(Problem(display_path(path), None, f"[{key}] cannot be "
                                    f"set by a clinic (only {', '.join(CLINIC_TABLES)} "
                                    "and [project] country)"))
    return merged, overrides


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two ``#rrggbb`` colours."""
    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
                  for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


MIN_CONTRAST = 4.5
_COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")


def _branding(table: dict, organisation: dict, base: Path, shown: str,
              problems: list[Problem]) -> Branding:
    colours = {}
    for key in ("text", "background", "accent"):
        value = _get(table, key, str, "branding", problems, shown,
                     getattr(Branding, key))
        if value is not None and not _COLOUR_RE.match(value):
            problems.append(Problem(shown, None, f"[branding] {key} must be a colour "
                                    f"written #rrggbb, not {value!r}"))
            value = None
        colours[key] = (value or getattr(Branding, key)).lower()
    for key in ("text", "accent"):
        ratio = contrast(colours[key], colours["background"])
        if ratio < MIN_CONTRAST:
            problems.append(Problem(shown, None, f"[branding] {key} {colours[key]} on "
                                    f"{colours['background']} has a contrast of "
                                    f"{ratio:.2f}:1, below {MIN_CONTRAST}:1"))
    logo = _get(organisation, "logo", str, "organisation", problems, shown, None)
    logo_alt = _get(organisation, "logo-alt", str, "organisation", problems, shown,
                    None)
    logo_path = None
    if logo:
        logo_path = (base / logo).resolve()
        if not logo_alt or not logo_alt.strip():
            problems.append(Problem(shown, None, "[organisation] logo needs "
                                    "logo-alt: the text a screen reader says"))
        if not logo_path.is_relative_to(base.resolve()):
            problems.append(Problem(shown, None, f"[organisation] logo {logo!r} is "
                                    f"outside {display_path(base)} (or a link to a "
                                    "file outside it): copy the image into the "
                                    "folder"))
            logo_path = None
        elif not logo_path.is_file():
            problems.append(Problem(shown, None, f"[organisation] logo {logo!r} not "
                                    f"found in {display_path(base)}"))
    return Branding(logo=logo_path, logo_alt=logo_alt, **colours)


#: ``[print]`` limits: (default, smallest, largest, unit). A render of a
#: leaflet takes seconds, so an hour per document only ever lets a hung
#: layout tie up a worker (and ``signal.alarm`` takes no more than an
#: unsigned int); past 64 GB a memory cap no longer protects the machine.
PRINT_LIMITS = {
    "time-limit": (120, 1, 3600, "seconds per document"),
    "memory-limit": (2048, 1, 65536, "megabytes per render worker"),
}
#: ``[lint]`` numbers: the largest each may be (the smallest is 0). Flesch
#: scores end near 120; leaflets are reviewed at least every 3 years, so a
#: review warning ten years ahead would already warn about every leaflet.
LINT_LIMITS = {"reading-ease-min": 120, "sentence-average-max": 100,
               "sentence-max": 1000, "review-warning-days": 3650}


def _key_line(path: Path, table: str, key: str | None) -> int | None:
    """The line of ``key = ...`` under ``[table]`` in a TOML file (of the
    line ``[table]`` when ``key`` is ``None``), for a message; ``None`` when
    it is written another way (dotted, inline)."""
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        return None
    current = None
    header = re.compile(r"^\[\s*([^\]\[]+?)\s*\]")
    wanted = re.compile(rf"""^["']?{re.escape(key or '')}["']?\s*=""")
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if text.startswith("["):
            match = header.match(text)
            current = match[1].replace('"', "") if match else None
            if key is None and current == table:
                return number
        elif key is not None and current == table and wanted.match(text):
            return number
    return None


def _limit(table: dict, key: str, path: Path, problems: list[Problem]) -> int:
    """A ``[print]`` limit: a whole number within :data:`PRINT_LIMITS`."""
    default, low, high, unit = PRINT_LIMITS[key]
    value = table.get(key, default)
    if (isinstance(value, bool) or not isinstance(value, int)
            or not low <= value <= high):
        shown = (str(value).lower() if isinstance(value, bool)
                 else str(value) if isinstance(value, int | float) else repr(value))
        problems.append(Problem(display_path(path), _key_line(path, "print", key),
                                f"[print] {key} must be a whole number from {low} "
                                f"to {high} ({unit}), not {shown[:40]}"))
        return default
    return value


def load_settings(path: Path, clinic: Path | None = None) -> Settings:
    """Read and validate ``leafpress.toml`` (with a clinic folder's
    ``clinic.toml`` over it: the one given, or the one it names); raise
    :class:`ContentError`."""
    shown = display_path(path)
    data = _read_toml(path, "project settings not found (is this a leafpress "
                      "project?)")
    problems: list[Problem] = []
    named = data.get("project", {}).get("clinic") if isinstance(
        data.get("project"), dict) else None
    if clinic is None and isinstance(named, str):
        clinic = path.parent / named
    own_contact = data.get("contact") if isinstance(data.get("contact"), dict) else {}
    overrides: dict = {}
    if clinic is not None:
        clinic = clinic.resolve()
        data, overrides = _with_clinic(data, clinic, problems)
    project = _get(data, "project", dict, "project", problems, shown) or {}
    organisation = _get(data, "organisation", dict, "organisation", problems,
                        shown) or {}
    contact = _get(data, "contact", dict, "contact", problems, shown) or {}
    countries = _get(data, "countries", dict, "countries", problems, shown) or {}

    source = _get(project, "source-language", str, "project", problems, shown, "en")
    languages = _get(project, "languages", list, "project", problems, shown) or []
    country = _get(project, "country", str, "project", problems, shown)
    paper_name = _get(project, "paper", str, "project", problems, shown, "A4")
    for lang in [source, *languages]:
        if isinstance(lang, str):
            _check_language(lang, shown, problems)
        else:
            problems.append(Problem(shown, None, f"language {lang!r} must be text"))
    if source not in languages:
        problems.append(Problem(shown, None, f"[project] languages must include "
                                f"the source language {source!r}"))
    if len(set(languages)) != len(languages):
        problems.append(Problem(shown, None, "[project] languages lists a "
                                "language twice"))
    if paper_name not in PAPERS:
        problems.append(Problem(shown, None, f"[project] paper {paper_name!r} is "
                                f"not one of {', '.join(PAPERS)}"))
    name = _get(organisation, "name", str, "organisation", problems, shown)
    website = _get(organisation, "website", str, "organisation", problems, shown,
                   None)
    phone = _get(contact, "phone", str, "contact", problems, shown)
    email = _get(contact, "email", str, "contact", problems, shown)
    local = countries.get(country) if isinstance(country, str) else None
    if not isinstance(local, dict):
        problems.append(Problem(shown, None, f"[countries.{country}] is missing: "
                                "emergency numbers come from configuration"))
        local = {}
    emergency = _get(local, "emergency-phone", str, f"countries.{country}",
                     problems, shown)
    out_of_hours = _get(local, "out-of-hours-phone", str, f"countries.{country}",
                        problems, shown)
    printing = _get(data, "print", dict, "print", problems, shown, {}) or {}
    variant_names = _get(printing, "variants", list, "print", problems, shown,
                         ["standard", "large", "booklet"]) or []
    for variant in variant_names:
        if variant not in VARIANTS:
            problems.append(Problem(shown, None, f"[print] variants: {variant!r} is "
                                    f"not one of {', '.join(VARIANTS)}"))
    time_limit = _limit(printing, "time-limit", path, problems)
    memory_limit = _limit(printing, "memory-limit", path, problems)
    hyphenate = _get(printing, "hyphenate", bool, "print", problems, shown, False)
    branding = _branding(
        _get(data, "branding", dict, "branding", problems, shown, {}) or {},
        organisation, clinic or path.parent / "templates", shown, problems)
    lint = _lint_settings(_get(data, "lint", dict, "lint", problems, shown, {}) or {},
                          countries, country, shown, problems, path)
    rules = _get(data, "checks", dict, "checks", problems, shown, {}) or {}
    same = _get(rules, "same-as-source", list, "checks", problems, shown, [])
    localised = _get(rules, "localised-links", list, "checks", problems, shown, [])
    review = read_review(data.get("review"), tuple(languages), source, shown,
                         problems)
    departments_file = clinic / CLINIC_NAME if clinic is not None else path
    departments = read_departments(
        data.get("departments", {}), tuple(languages), display_path(departments_file),
        lambda table, key: _key_line(departments_file, table, key), problems)
    if problems:
        raise ContentError(problems)
    warnings = []
    known = EMERGENCY_NUMBERS.get(country)
    if known and "".join(emergency.split()) not in known:
        countries_set = overrides.get("countries")
        by_clinic = clinic is not None and isinstance(countries_set, dict) and \
            isinstance(countries_set.get(country), dict)
        warnings.append(Problem(
            display_path(clinic / CLINIC_NAME) if by_clinic else shown, None,
            f"[countries.{country}] emergency-phone {emergency!r} is not an "
            f"emergency number of {country} ({', '.join(sorted(known))}): every "
            "leaflet prints it as the number to call in an emergency; check it",
            warning=True))
    placeholders = Placeholders({
        "clinic_name": name,
        "clinic_phone": phone,
        "clinic_email": email,
        "emergency_phone": emergency,
        "out_of_hours_phone": out_of_hours,
    }, departments, display_path(departments_file, path.parent))
    return Settings(
        source_language=source,
        languages=tuple(languages),
        country=country,
        paper=PAPERS[paper_name],
        organisation=name,
        website=website,
        phone=phone,
        email=email,
        emergency_phone=emergency,
        out_of_hours_phone=out_of_hours,
        placeholders=placeholders,
        checks=CheckSettings(frozenset(map(str, same or ())),
                             tuple(map(str, localised or ())), source),
        lint=lint,
        variants=tuple(VARIANTS[variant] for variant in dict.fromkeys(variant_names)),
        branding=branding,
        clinic=clinic,
        catalog_email=str(own_contact.get("email") or email),
        time_limit=time_limit,
        memory_limit=memory_limit,
        hyphenate=bool(hyphenate),
        review=review,
        warnings=tuple(warnings),
    )


def _lint_settings(table: dict, countries: dict, country: Any, shown: str,
                   problems: list[Problem], path: Path | None = None
                   ) -> LintSettings:
    """``[lint]``: rule levels, readability targets, required sections; and
    the emergency numbers of every configured country."""
    levels = _get(table, "rules", dict, "lint", problems, shown, {}) or {}
    for rule, level in levels.items():
        if rule not in RULES:
            problems.append(Problem(shown, None, f"[lint.rules] {rule}: no such rule "
                                    f"(rules: {', '.join(RULES)})"))
        elif level not in LEVELS:
            problems.append(Problem(shown, None, f"[lint.rules] {rule} must be one "
                                    f"of {', '.join(LEVELS)}, not {level!r}"))
    sections = _get(table, "required-sections", dict, "lint", problems, shown,
                    None)
    required = dict(REQUIRED_SECTIONS)
    if sections is not None:
        for kind, names in sections.items():
            if not isinstance(names, list) or not all(
                    isinstance(name, str) for name in names):
                problems.append(Problem(shown, None, f"[lint.required-sections] "
                                        f"{kind} must be a list of section names"))
                continue
            required[kind] = tuple(names)
    defaults = LintSettings()
    numbers = {key: getattr(defaults, key.replace("-", "_"))
               for key in ("reading-ease-min", "sentence-average-max",
                           "sentence-max", "review-warning-days")}
    for key in table:
        if key not in (*numbers, "rules", "required-sections"):
            problems.append(Problem(shown, None, f"[lint] {key}: no such setting "
                                    f"(settings: {', '.join(numbers)}, rules, "
                                    "required-sections)"))
    for key, default in numbers.items():
        value = table.get(key, default)
        high = LINT_LIMITS[key]
        if (isinstance(value, bool) or not isinstance(value, int | float)
                or not 0 <= value <= high):  # also refuses nan and inf
            line = _key_line(path, "lint", key) if path else None
            problems.append(Problem(shown, line, f"[lint] {key} must be a "
                                    f"number from 0 to {high}, not "
                                    f"{repr(value)[:40]}"))
            value = default
        numbers[key] = value
    own: set[str] = set()
    foreign = dict(WELL_KNOWN_NUMBERS)
    for name, table_ in countries.items():
        if not isinstance(table_, dict):
            continue
        for key in ("emergency-phone", "out-of-hours-phone"):
            number = str(table_.get(key, "")).replace(" ", "")
            if number:
                if name == country:
                    own.add(number)
                else:
                    foreign.setdefault(number, name)
    for number in own:
        foreign.pop(number, None)
    return LintSettings(
        levels={str(rule): str(level) for rule, level in levels.items()},
        reading_ease_min=float(numbers["reading-ease-min"]),
        sentence_average_max=float(numbers["sentence-average-max"]),
        sentence_max=int(numbers["sentence-max"]),
        review_warning_days=int(numbers["review-warning-days"]),
        required_sections=required,
        country=str(country), own_numbers=frozenset(own), foreign_numbers=foreign)


_LANGUAGES_RE = re.compile(r"^(languages\s*=\s*\[)([^\]]*)(\])", re.M)


def add_language(path: Path, lang: str) -> None:
    """Add ``lang`` to ``languages`` in ``leafpress.toml``, keeping the rest
    of the file (comments included) as it is."""
    text = path.read_text(encoding="utf-8")
    match = _LANGUAGES_RE.search(text)
    if match is None:
        raise ContentError([Problem(display_path(path), None, "cannot find the "
                                    "line 'languages = [...]' under [project]; add "
                                    f'"{lang}" there by hand')])
    items = match[2]
    body = items.rstrip()
    if not body.strip():
        addition = f'"{lang}"'
    elif body.endswith(","):
        addition = f' "{lang}",'
    else:
        addition = f', "{lang}"'
    updated = (text[:match.start(2)] + body + addition + items[len(body):]
               + text[match.end(2):])
    try:
        tomllib.loads(updated)  # never write a file that no longer parses
    except tomllib.TOMLDecodeError:
        raise ContentError([Problem(display_path(path), None, "cannot add the "
                                    "language to 'languages = [...]'; add "
                                    f'"{lang}" there by hand')]) from None
    from leafpress.output import write_atomic

    write_atomic(path, updated.encode("utf-8"), durable=True)


def load_project(root: Path | str = ".", clinic: Path | str | None = None,
                 build: Path | str | None = None) -> Project:
    """Find ``leafpress.toml`` in ``root`` and load the project, for a clinic
    folder other than the one it names, and into another build folder."""
    root = Path(root).resolve()
    settings = load_settings(root / CONFIG_NAME,
                             Path(clinic) if clinic is not None else None)
    return Project(root=root, settings=settings,
                   build_dir=Path(build).resolve() if build is not None else None)
