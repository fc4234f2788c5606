"""``leafpress status``: how far each leaflet's translation into each language
is, and whether it prints.

Called by the CLI, and by the build (to withdraw what can no longer print),
``deps`` and the report, which share the rows of one snapshot. In: a
:class:`~leafpress.pipeline.snapshot.Snapshot`. Out: one :class:`StatusRow`
per leaflet and language, and one per language for its templates
(``ui.po``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from leafpress.errors import ContentError, Problem, by_rule
from leafpress.model import Leaflet
from leafpress.pipeline.snapshot import Snapshot
from leafpress.pipeline.targets import draft_note, stray_files
from leafpress.review.state import ReviewState
from leafpress.translation import catalogs, pofile
from leafpress.translation.catalogs import Counts


@dataclass(frozen=True)
class StatusRow:
    """One leaflet in one language, or the template catalog (``ui.po``) of
    a language: how far its translation is."""

    slug: str
    lang: str
    version: str
    counts: Counts
    printable: bool
    problems: tuple[Problem, ...] = ()
    #: The source version and hash the catalog was last completely
    #: translated against (None: never).
    translated_version: str | None = None
    translated_hash: str | None = None
    current_hash: str = ""
    #: Why it is not printed yet, when its translation was never complete
    #: (or it is a draft).
    note: str | None = None
    #: The leaflet is a draft (it never prints, whatever its translation).
    draft: bool = False
    #: "leaflet", or "templates" for the row of ``ui.po``.
    kind: str = "leaflet"
    #: How far its review is (a translated leaflet that is no draft).
    review: ReviewState | None = None

    @property
    def catalog(self) -> str:
        return "ui" if self.kind == "templates" else self.slug

    @property
    def state(self) -> str:
        """printable, draft, being translated, blocked, or waiting for
        review."""
        if self.printable:
            return "printable"
        if self.draft:
            return "draft"
        if self.note:
            return "being translated"
        if self.waiting_for_review:
            return "waiting for review"
        return "blocked"

    @property
    def waiting_for_review(self) -> bool:
        """Everything else would print; the review is what is missing."""
        return (self.review is not None and not self.review.ready
                and not any(not problem.warning for problem in self.problems))

    @property
    def reason(self) -> str:
        """Why it does not print, in a few words (empty when it does): the
        note, or each catalog with the rules it breaks."""
        if self.printable:
            return ""
        if self.note:
            return self.note
        if self.waiting_for_review:
            return self.review.note
        files: dict[str, list[Problem]] = {}
        for problem in self.problems:
            if not problem.warning:
                files.setdefault(Path(problem.path).name, []).append(problem)
        parts = [f"{name}: " + ", ".join(
                     f"{len(found)} {rule}" if len(found) > 1 else rule
                     for rule, found in by_rule(problems).items())
                 for name, problems in files.items()]
        if any(problem.rule == "plural-forms" for problem in self.problems):
            parts.append("run `leafpress update`")
        return "; ".join(parts)


def status(snapshot: Snapshot, langs: Iterable[str] | None = None
           ) -> tuple[list[StatusRow], list[Problem]]:
    """Translation matrix: leaflet x language, with translated, fuzzy and
    untranslated messages and words, and whether the PDF can be printed
    (every catalog rule passes, for the leaflet and the templates)."""
    project = snapshot.project
    langs = (list(langs) if langs is not None
             else list(project.settings.target_languages))
    leaflets, problems = snapshot.leaflets(project.leaflet_paths())
    rows = [status_row(snapshot, leaflet, lang)
            for leaflet in leaflets for lang in langs]
    rows += [ui_row(snapshot, lang) for lang in langs]
    return rows, problems + stray_files(project)


def ui_state(snapshot: Snapshot, lang: str) -> tuple[list[Problem], str | None]:
    """The problems of a language's template catalog, and why it is not yet
    printed (still being translated), if so."""
    wanted = snapshot.ui_wanted()
    return (snapshot.checked(lang, "ui", wanted),
            snapshot.in_translation(lang, "ui", wanted))


def ui_row(snapshot: Snapshot, lang: str) -> StatusRow:
    """How far the template catalog (``ui.po``) of one language is: every
    leaflet of the language waits for it."""
    problems, note = ui_state(snapshot, lang)
    catalog = snapshot.catalog(lang, "ui").catalog
    wanted = snapshot.ui_wanted()
    header = pofile.fields(catalog) if catalog is not None else {}
    blocking = [problem for problem in problems if not problem.warning]
    current = catalogs.source_hash((item.msgid, item.context) for item in wanted)
    return StatusRow("ui.po (templates)", lang, "-",
                     snapshot.counts(lang, "ui", wanted), not blocking and not note,
                     tuple(problems), None, header.get(catalogs.SOURCE_HASH),
                     current, note, kind="templates")


def status_row(snapshot: Snapshot, leaflet: Leaflet, lang: str) -> StatusRow:
    """How far the translation of one leaflet into one language is, and its
    review."""
    wanted = snapshot.wanted(leaflet)
    current = catalogs.source_hash((item.msgid, item.context) for item in wanted)
    ui_problems, ui_note = ui_state(snapshot, lang)
    found = snapshot.checked(lang, leaflet.slug, wanted)
    catalog = snapshot.catalog(lang, leaflet.slug).catalog
    header = pofile.fields(catalog) if catalog is not None else {}
    note = snapshot.in_translation(lang, leaflet.slug, wanted)
    if ui_note and not note:
        note = f"the templates (ui.po) are {ui_note}"
    review = None
    if leaflet.meta.draft:
        note = draft_note(leaflet)
    elif not note:
        try:
            review = snapshot.review(leaflet, lang)
        except ContentError as error:
            found = found + list(error.problems)
    blocking = [problem for problem in found + ui_problems if not problem.warning]
    return StatusRow(
        leaflet.slug, lang, leaflet.meta.version,
        snapshot.counts(lang, leaflet.slug, wanted),
        not blocking and not leaflet.meta.draft and not note
        and (review is None or review.ready), tuple(found + ui_problems),
        header.get(catalogs.SOURCE_VERSION), header.get(catalogs.SOURCE_HASH),
        current, note, draft=leaflet.meta.draft, review=review)
