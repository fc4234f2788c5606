"""One read of the project per run: the snapshot every command plans from.

Called by each command of :mod:`leafpress.pipeline`. In: a
:class:`~leafpress.settings.project.Project` (its settings already read) and
today's date. Out: each leaflet, catalog and template file read at most once,
when it is first asked for, and what is decided from them decided once: the
checks of a catalog, whether it is still being translated, the lint of a
leaflet and of its text in each language. The stages take what they need from
here (compile, lint, compose, the report, the status rows and the summary),
so that nothing is read or worked out twice in one run.

A command that writes a leaflet or a catalog (``update``, ``init-locale``)
takes a new snapshot after writing.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog
from jinja2 import Environment

from leafpress.errors import ContentError, Problem
from leafpress.model import Leaflet
from leafpress.output import write_atomic
from leafpress.printing import compose, render
from leafpress.quality import glossary, lint
from leafpress.quality.leaflet_text import Place, Translate
from leafpress.quality.rules import Finding
from leafpress.review import records
from leafpress.review.records import Records
from leafpress.review.state import Message, ReviewState, review_state
from leafpress.settings.project import Project
from leafpress.sources.leaflet import read_leaflet
from leafpress.translation import catalogs, extract, pofile
from leafpress.translation.catalogs import Counts, Translator, Wanted

#: Whether each catalog (by its bytes' hash) is in gettext's layout.
LAYOUTS = "layouts.json"


@dataclass(frozen=True)
class CatalogFile:
    """One ``.po`` file as it was read: its catalog, or why it could not be
    read, and the line of each message's msgstr (for precise messages)."""

    lang: str
    domain: str
    path: Path
    shown: str
    exists: bool
    catalog: Catalog | None = None
    #: Why it could not be read (a missing file, a syntax error).
    problems: tuple[Problem, ...] = ()
    lines: dict[tuple, int] = field(default_factory=dict)
    #: The file's bytes as read.
    data: bytes = b""


def _joined(text: str | tuple[str, ...] | list[str] | None) -> str:
    """A message's text as one string (the forms of a plural joined)."""
    if isinstance(text, (list, tuple)):
        return "\x1f".join(text)
    return text or ""


def source_text(msgid: str, context: str | None = None) -> str:
    """The source language needs no catalog: every message is itself."""
    return msgid


class Snapshot:
    """The project as one run sees it (see the module docstring)."""

    def __init__(self, project: Project, today: datetime.date | None = None):
        self.project = project
        self.settings = project.settings
        self.today = today or datetime.date.today()
        self._leaflets: dict[Path, Leaflet | ContentError] = {}
        self._wanted: dict[str, list[Wanted]] = {}
        self._catalogs: dict[tuple[str, str], CatalogFile] = {}
        self._checked: dict[tuple[str, str], list[Problem]] = {}
        self._glossaries: dict[str, tuple[glossary.Term, ...] | ContentError] = {}
        self._waiting: dict[tuple[str, str], str | None] = {}
        self._counts: dict[tuple[str, str], Counts] = {}
        self._translators: dict[tuple[str, str], Translator] = {}
        self._ui: Catalog | None = None
        self._ui_wanted: list[Wanted] | None = None
        self._assets: dict[str, bytes] | ContentError | None = None
        self._env: Environment | None = None
        self._records: dict[tuple[str, str], Records | ContentError] = {}
        self._reviews: dict[tuple[str, str], ReviewState] = {}
        self._about: dict[str, list[Finding]] = {}
        self._language: dict[tuple[str, str], lint.LanguageLint | KeyError] = {}
        self._layouts: dict[str, bool] | None = None

    # -- leaflets ---------------------------------------------------------

    def leaflet(self, path: Path) -> Leaflet:
        """The leaflet in ``path``; raises the :class:`ContentError` of a
        leaflet with problems (every time it is asked for, read once)."""
        path = Path(os.path.abspath(path))
        if path not in self._leaflets:
            try:
                self._leaflets[path] = read_leaflet(path, self.settings.placeholders,
                                                    self.project.root)
            except ContentError as error:
                self._leaflets[path] = error
        found = self._leaflets[path]
        if isinstance(found, ContentError):
            raise found
        return found

    def leaflets(self, paths: Iterable[Path]) -> tuple[list[Leaflet], list[Problem]]:
        """The leaflets that can be read, and the problems of the others."""
        found, problems = [], []
        for path in paths:
            try:
                found.append(self.leaflet(path))
            except ContentError as error:
                problems.extend(error.problems)
        return found, problems

    def wanted(self, leaflet: Leaflet) -> list[Wanted]:
        """The messages a leaflet uses, each with its place in the source."""
        if leaflet.slug not in self._wanted:
            origin = self.project.show(leaflet.path)
            self._wanted[leaflet.slug] = [
                Wanted(message.msgid, message.context, f"{origin}:{message.line}")
                for message in leaflet.messages]
        return self._wanted[leaflet.slug]

    # -- templates ------------------------------------------------------

    def assets(self) -> dict[str, bytes]:
        """Every file of the templates folder and the clinic's logo, by
        resolved path (:func:`render.assets`); raises its
        :class:`ContentError` (every time it is asked for, read once)."""
        if self._assets is None:
            try:
                self._assets = render.assets(self.project)
            except ContentError as error:
                self._assets = error
        if isinstance(self._assets, ContentError):
            raise self._assets
        return self._assets

    def _sources(self) -> dict[str, str] | None:
        """The HTML templates' text by name (``None``: the folder could not
        be read as a whole; composing then reads it, and printing reports
        why)."""
        try:
            return compose.template_sources(self.project.templates, self.assets())
        except ContentError:
            return None

    def environment(self) -> Environment:
        """The Jinja2 environment every document of the run is composed in."""
        if self._env is None:
            self._env = compose.environment(self.project.templates, self._sources())
        return self._env

    def ui_template(self) -> Catalog:
        """The messages of the templates (what ``ui.pot`` holds)."""
        if self._ui is None:
            self._ui = extract.ui_template(self.project, self._sources())
        return self._ui

    def ui_wanted(self) -> list[Wanted]:
        """The messages the templates use, each with its place."""
        if self._ui_wanted is None:
            self._ui_wanted = [
                Wanted(message.id, message.context,
                       ":".join(map(str, message.locations[0]))
                       if message.locations else "templates")
                for message in self.ui_template() if message.id]
        return self._ui_wanted

    # -- catalogs ---------------------------------------------------------

    def catalog(self, lang: str, domain: str) -> CatalogFile:
        """``locales/<lang>/LC_MESSAGES/<domain>.po``, read once."""
        key = (lang, domain)
        if key not in self._catalogs:
            path = self.project.po_path(lang, domain)
            shown = self.project.show(path)
            try:
                data = path.read_bytes()
            except FileNotFoundError:
                self._catalogs[key] = CatalogFile(
                    lang, domain, path, shown, False, None,
                    (Problem(shown, None, "catalog not found; run `leafpress update` "
                             "to create it"),))
                return self._catalogs[key]
            try:
                catalog = catalogs.parse_catalog(data, shown, lang)
            except ContentError as error:
                self._catalogs[key] = CatalogFile(lang, domain, path, shown, True, None,
                                                  error.problems, data=data)
            else:
                self._catalogs[key] = CatalogFile(
                    lang, domain, path, shown, True, catalog,
                    lines=catalogs.message_lines(catalog, data), data=data)
        return self._catalogs[key]

    def layout_note(self, lang: str, domain: str) -> Problem | None:
        """A warning when a catalog was saved in another layout than
        gettext's (by another tool): ``update`` writes it again."""
        found = self.catalog(lang, domain)
        if found.catalog is None or self._in_layout(found):
            return None
        return Problem(found.shown, None, "layout: saved in another layout than "
                       "gettext's (msgcat's); `leafpress update` writes it again, "
                       "with no translation changed", warning=True)

    def _in_layout(self, found: CatalogFile) -> bool:
        """Whether writing the catalog gives its bytes back; remembered in
        ``build/layouts.json`` by the bytes' hash (writing a large catalog
        takes a while), for the code that writes it (the layout's version)."""
        path = self.project.build / LAYOUTS
        if self._layouts is None:
            try:
                kept = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                kept = {}
            same = isinstance(kept, dict) and kept.get("layout") == (
                extract.layout_version())
            self._layouts = kept.get("same", {}) if same else {}
        digest = hashlib.sha256(found.data).hexdigest()
        if digest not in self._layouts:
            self._layouts[digest] = extract.serialise(found.catalog) == found.data
            try:
                write_atomic(path, json.dumps({"layout": extract.layout_version(),
                                               "same": self._layouts}).encode())
            except OSError:
                pass  # worked out again next time
        return self._layouts[digest]

    def checked(self, lang: str, domain: str, wanted: list[Wanted]) -> list[Problem]:
        """Every problem of a catalog for the messages its source uses now:
        what stops it (errors) and what does not (warnings)."""
        key = (lang, domain)
        if key not in self._checked:
            found = self.catalog(lang, domain)
            try:
                terms = self.glossary(lang)
            except ContentError as error:  # no catalog of it prints till fixed
                terms, broken = (), list(error.problems)
            else:
                broken = []
            if found.catalog is None:
                self._checked[key] = list(found.problems)
            else:
                self._checked[key] = broken + catalogs.check_catalog(
                    found.catalog, found.lines, found.shown, lang, wanted,
                    self.settings.checks, terms)
        return self._checked[key]

    def glossary(self, lang: str) -> tuple[glossary.Term, ...]:
        """The terms of ``locales/<lang>/glossary.csv`` (none without one),
        read once; raises the :class:`ContentError` of a broken glossary."""
        if lang not in self._glossaries:
            path = self.project.locales / lang / glossary.NAME
            try:
                self._glossaries[lang] = glossary.read(path.read_bytes(),
                                                       self.project.show(path))
            except FileNotFoundError:
                self._glossaries[lang] = ()
            except ContentError as error:
                self._glossaries[lang] = error
        found = self._glossaries[lang]
        if isinstance(found, ContentError):
            raise found
        return found

    def in_translation(self, lang: str, domain: str, wanted: list[Wanted]
                       ) -> str | None:
        """Why a catalog is not yet to be printed: it does not exist, or it
        has never been completely translated (no source version recorded)
        and is not complete now. ``None`` when it is to be printed (or
        refused: a broken catalog is an error, reported by the build)."""
        key = (lang, domain)
        if key not in self._waiting:
            self._waiting[key] = self._in_translation(lang, domain, wanted)
        return self._waiting[key]

    def _in_translation(self, lang: str, domain: str, wanted: list[Wanted]
                        ) -> str | None:
        found = self.catalog(lang, domain)
        if not found.exists:
            return f"no catalog yet ({found.shown})"
        if found.catalog is None:
            return None
        if catalogs.SOURCE_HASH in pofile.fields(found.catalog):
            return None
        counts = self.counts(lang, domain, wanted)
        total = counts.translated + counts.fuzzy + counts.untranslated
        if counts.translated == total:
            return None
        return f"being translated ({counts.translated} of {total} messages done)"

    def counts(self, lang: str, domain: str, wanted: list[Wanted]) -> Counts:
        """How many of the messages its source uses a catalog has translated,
        fuzzy and untranslated (and their words)."""
        key = (lang, domain)
        if key not in self._counts:
            self._counts[key] = catalogs.count(self.catalog(lang, domain).catalog,
                                               wanted)
        return self._counts[key]

    def translator(self, lang: str, domain: str) -> Translator:
        """The translations of a catalog that reads (never a fallback)."""
        key = (lang, domain)
        if key not in self._translators:
            self._translators[key] = Translator(self.catalog(lang, domain).catalog)
        return self._translators[key]

    # -- review ---------------------------------------------------------

    def records(self, lang: str, domain: str) -> Records:
        """The review records beside a catalog (read once); raises the
        :class:`ContentError` of a records file that cannot be read."""
        key = (lang, domain)
        if key not in self._records:
            path = records.path_for(self.project.po_path(lang, domain))
            try:
                self._records[key] = records.read(path, self.project.show(path))
            except ContentError as error:
                self._records[key] = error
        found = self._records[key]
        if isinstance(found, ContentError):
            raise found
        return found

    def printed_messages(self, leaflet: Leaflet, lang: str) -> list[Message]:
        """Every message the leaflet prints in ``lang``: its own catalog's,
        then the templates', each with its translation and ``po:line`` (an
        untranslated or fuzzy one with no translation)."""
        found = []
        for domain, wanted in ((leaflet.slug, self.wanted(leaflet)),
                               ("ui", self.ui_wanted())):
            file = self.catalog(lang, domain)
            for item in wanted:
                message = (file.catalog.get(item.msgid, item.context)
                           if file.catalog is not None else None)
                translation = ("" if message is None or message.fuzzy
                               else _joined(message.string))
                line = (file.lines.get((message.context, message.id))
                        if message is not None else None)
                found.append(Message(domain, item.context, _joined(item.msgid),
                                     translation, file.shown, line))
        return list(dict.fromkeys(found))  # a text used twice is one message

    def _readable(self, lang: str, domains: list[str]) -> list[Records]:
        """The records of other catalogs that can be read (a broken one is
        reported with its own leaflet)."""
        found = []
        for domain in domains:
            try:
                found.append(self.records(lang, domain))
            except ContentError:
                continue
        return found

    def review(self, leaflet: Leaflet, lang: str) -> ReviewState:
        """How far the review of a leaflet in a language is, against the
        policy; raises the :class:`ContentError` of a broken records file."""
        key = (leaflet.slug, lang)
        if key not in self._reviews:
            folder = self.project.locales / lang / "LC_MESSAGES"
            elsewhere = sorted(path.name.removesuffix(records.SUFFIX) for path in
                               folder.glob(f"*{records.SUFFIX}")) if folder.is_dir() \
                else []
            self._reviews[key] = review_state(
                self.settings.review.required(lang),
                self.printed_messages(leaflet, lang),
                {domain: self.records(lang, domain) for domain in (leaflet.slug, "ui")},
                leaflet.slug,
                self._readable(lang, [domain for domain in elsewhere
                                      if domain not in (leaflet.slug, "ui")]))
        return self._reviews[key]

    # -- quality gates ----------------------------------------------------

    def lint_about(self, leaflet: Leaflet) -> list[Finding]:
        """The findings about a leaflet itself (the same in every language)."""
        if leaflet.slug not in self._about:
            settings = self.settings
            self._about[leaflet.slug] = lint.lint_leaflet(
                leaflet, self.project.show(leaflet.path), settings.lint,
                settings.source_language, self.today)
        return self._about[leaflet.slug]

    def place(self, leaflet: Leaflet, lang: str) -> Place:
        """Where a message is: its line in the leaflet (source language) or
        the line of its msgstr in the catalog."""
        if lang == self.settings.source_language:
            shown = self.project.show(leaflet.path)
            return lambda msgid, context, line: (shown, line)
        found = self.catalog(lang, leaflet.slug)
        lines, shown = found.lines, found.shown
        return lambda msgid, context, line: (shown, lines.get((context, msgid)))

    def lint_language(self, leaflet: Leaflet, lang: str,
                      translate: Translate | None = None) -> lint.LanguageLint:
        """The lint of a leaflet's text in a language, with its catalog's
        translations (or ``translate``, e.g. a draft's, which is not kept).
        Raises :class:`KeyError` for a message that is not translated."""
        if translate is not None:
            return self._lint_language(leaflet, lang, translate)
        key = (leaflet.slug, lang)
        if key not in self._language:
            translate = (source_text if lang == self.settings.source_language
                         else self.translator(lang, leaflet.slug))
            try:
                self._language[key] = self._lint_language(leaflet, lang, translate)
            except KeyError as error:
                self._language[key] = error
        found = self._language[key]
        if isinstance(found, KeyError):
            raise found
        return found

    def _lint_language(self, leaflet: Leaflet, lang: str, translate: Translate
                       ) -> lint.LanguageLint:
        settings = self.settings
        values = settings.placeholders.values(  # the leaflet's own department
            leaflet.meta.department, lang, compose.date_locale(lang, settings.country))
        return lint.lint_language(leaflet, lang, settings.lint,
                                  settings.source_language, values, translate,
                                  self.place(leaflet, lang))
