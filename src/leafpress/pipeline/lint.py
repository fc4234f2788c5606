"""``leafpress lint``: the quality gates of every leaflet in every language.

Called by the CLI, and by the build and the report, which share the lint of
one snapshot. In: a :class:`~leafpress.pipeline.snapshot.Snapshot` and the
languages and leaflets asked for. Out: a :class:`LintReport` with one
:class:`LintEntry` per leaflet and language.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from leafpress.errors import Problem
from leafpress.model import Leaflet
from leafpress.pipeline.snapshot import Snapshot
from leafpress.pipeline.targets import select_languages, select_leaflets
from leafpress.quality import lint
from leafpress.quality.rules import Finding


@dataclass
class LintEntry:
    """The quality gates of one leaflet in one language."""

    slug: str
    lang: str
    leaflet: Leaflet
    #: Findings about the leaflet itself (the same in every language), then
    #: those about its text in this language.
    findings: list[Finding]
    language: lint.LanguageLint | None = None
    #: Why the text in this language was not read (still being translated).
    note: str | None = None

    @property
    def blocking(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.blocking]

    @property
    def warnings(self) -> list[Finding]:
        return [finding for finding in self.findings if not finding.blocking]


@dataclass
class LintReport:
    entries: list[LintEntry]
    #: Leaflets that could not be read at all.
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems and not any(entry.blocking for entry in self.entries)


def lint_problems(findings: Iterable[Finding], draft: bool
                  ) -> tuple[list[Problem], list[Problem]]:
    """(blocking, warnings); in a draft every finding is a warning."""
    blocking, warnings = [], []
    for finding in findings:
        problem = finding.problem()
        if finding.blocking and not draft:
            blocking.append(problem)
        else:
            warnings.append(Problem(problem.path, problem.line, problem.message,
                                    warning=True))
    return blocking, warnings


def run_lint(snapshot: Snapshot, langs: Iterable[str] | None = None,
             slugs: Iterable[str] | None = None) -> LintReport:
    """Lint every leaflet (or those named) in every language (or those
    named). A translation is read from its ``.po`` as it is now, without
    fuzzy entries; one not completely translated is linted once it is."""
    project = snapshot.project
    langs = select_languages(project, langs)
    leaflets, problems = snapshot.leaflets(select_leaflets(project, slugs))
    entries = [lint_entry(snapshot, leaflet, lang)
               for leaflet in leaflets for lang in langs]
    return LintReport(entries, problems)


def lint_entry(snapshot: Snapshot, leaflet: Leaflet, lang: str) -> LintEntry:
    """Lint one leaflet in one language."""
    entry = LintEntry(leaflet.slug, lang, leaflet, list(snapshot.lint_about(leaflet)))
    if lang != snapshot.settings.source_language:
        found = snapshot.catalog(lang, leaflet.slug)
        if not found.exists:
            entry.note = "no catalog yet"
            return entry
        if found.catalog is None:
            entry.note = f"the catalog has errors: {found.problems[0]}"
            return entry
    try:
        entry.language = snapshot.lint_language(leaflet, lang)
    except KeyError:
        counts = snapshot.counts(lang, leaflet.slug, snapshot.wanted(leaflet))
        total = counts.translated + counts.fuzzy + counts.untranslated
        entry.note = (f"not completely translated ({counts.translated} of {total} "
                      "messages done)")
        return entry
    entry.findings.extend(entry.language.findings)
    return entry
