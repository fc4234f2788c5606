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

from .checks import CheckSettings
from .errors import ContentError, Problem, display_path
from .model import PAPERS, Paper

CONFIG_NAME = "leafpress.toml"


@dataclass(frozen=True)
class Settings:
    """The validated contents of ``leafpress.toml``."""

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
    placeholders: dict[str, str] = field(default_factory=dict)
    checks: CheckSettings = field(default_factory=CheckSettings)

    @property
    def target_languages(self) -> tuple[str, ...]:
        """The languages that need catalogs (all but the source language)."""
        return tuple(lang for lang in self.languages if lang != self.source_language)


@dataclass(frozen=True)
class Project:
    """Where everything is. ``build`` holds every generated file."""

    root: Path
    settings: Settings

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
        return self.root / "build"

    def leaflet_paths(self) -> list[Path]:
        return sorted(self.leaflets.glob("*.md"))

    def pot_path(self, domain: str) -> Path:
        return self.locales / f"{domain}.pot"

    def po_path(self, lang: str, domain: str) -> Path:
        return self.locales / lang / "LC_MESSAGES" / f"{domain}.po"

    def mo_path(self, lang: str, domain: str) -> Path:
        return self.build / "mo" / lang / "LC_MESSAGES" / f"{domain}.mo"

    def pdf_path(self, lang: str, slug: str) -> Path:
        return self.build / "pdf" / lang / f"{slug}.pdf"

    def html_path(self, lang: str, slug: str) -> Path:
        return self.build / "html" / lang / f"{slug}.html"

    def draft_path(self, lang: str, slug: str) -> Path:
        return self.build / "draft" / lang / f"{slug}.pdf"

    def rejected_path(self, lang: str, slug: str) -> Path:
        return self.build / "rejected" / lang / f"{slug}.pdf"

    def withdrawn_path(self, lang: str, slug: str) -> Path:
        return self.build / "withdrawn" / lang / f"{slug}.pdf"

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


def load_settings(path: Path) -> Settings:
    """Read and validate ``leafpress.toml``; raise :class:`ContentError`."""
    shown = display_path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ContentError([Problem(shown, None, "project settings not found "
                                    "(is this a leafpress project?)")]) from None
    except UnicodeDecodeError as error:
        raise ContentError([Problem(shown, None, f"not UTF-8: {error}")]) from None
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"at line (\d+)", str(error))
        raise ContentError([Problem(shown, int(match[1]) if match else None,
                                    str(error))]) from None
    problems: list[Problem] = []
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
    rules = _get(data, "checks", dict, "checks", problems, shown, {}) or {}
    same = _get(rules, "same-as-source", list, "checks", problems, shown, [])
    localised = _get(rules, "localised-links", list, "checks", problems, shown, [])
    if problems:
        raise ContentError(problems)
    placeholders = {
        "clinic_name": name,
        "clinic_phone": phone,
        "clinic_email": email,
        "emergency_phone": emergency,
        "out_of_hours_phone": out_of_hours,
    }
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
    )


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
    from .output import write_atomic

    write_atomic(path, updated.encode("utf-8"))


def load_project(root: Path | str = ".") -> Project:
    """Find ``leafpress.toml`` in ``root`` and load the project."""
    root = Path(root).resolve()
    return Project(root=root, settings=load_settings(root / CONFIG_NAME))
