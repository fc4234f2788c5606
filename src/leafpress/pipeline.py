"""The batch: every stage strung together for ``build``, ``check``,
``extract``, ``update``, ``init-locale`` and ``status``.

Called by the CLI. In: a :class:`~leafpress.settings.project.Project` and what to do.
Out: report objects the CLI turns into output and an exit code. Nothing here
prints; progress goes to the ``leafpress`` logger.

A target is one leaflet in one language in one print variant. A problem in
one target never stops the others: each fails or succeeds on its own, and a
target that fails withdraws its old PDFs from ``build/pdf/`` so that nobody
prints a copy that no longer matches its sources. A language whose catalog
has never been completely translated is not yet printed, and says so; one
that was complete and is no longer is an error.
"""

from __future__ import annotations

import datetime
import logging
import os
import re
import time
from collections.abc import Iterable, Iterator
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog

from leafpress.errors import ContentError, Problem, UsageError, write_problem
from leafpress.model import (
    BOOKLET_SUFFIX,
    SLUG_RE,
    VARIANTS,
    Document,
    Leaflet,
    Variant,
)
from leafpress.output import remove_litter, write_atomic
from leafpress.printing import render, verify
from leafpress.quality import lint
from leafpress.settings.project import CONFIG_NAME, Project, add_language, load_project
from leafpress.sources.leaflet import (
    MAX_BYTES,
    parse_leaflet,
    read_leaflet,
    read_leaflets,
)
from leafpress.translation import catalogs, extract, pofile
from leafpress.translation.catalogs import Counts, Translator, Wanted

LOGGER = logging.getLogger("leafpress")
#: One record per document printed, with ``done`` and ``total``: the CLI
#: shows a progress bar on a terminal and plain lines elsewhere.
PROGRESS = logging.getLogger("leafpress.progress")


@dataclass(frozen=True)
class Target:
    """One leaflet in one language in one print variant."""

    slug: str
    lang: str
    variant: Variant = VARIANTS["standard"]

    def __str__(self) -> str:
        suffix = self.variant.suffix
        if self.variant.name == "booklet":
            suffix = BOOKLET_SUFFIX
        return f"{self.lang}/{self.slug}{suffix}"

    def outputs(self, project: Project) -> list[Path]:
        """The files this target puts in ``build/pdf/``."""
        paths = [project.pdf_path(self.lang, self.slug, self.variant.suffix)]
        if self.variant.name == "booklet":
            paths.append(project.pdf_path(self.lang, self.slug, BOOKLET_SUFFIX))
        return paths


@dataclass
class Outcome:
    """What happened to one target."""

    target: Target
    status: str = "pending"  # built | failed | skipped
    problems: list[Problem] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    pages: int = 0
    withdrawn: list[Path] = field(default_factory=list)
    note: str = ""
    #: False for a target make did not list, looked at only to say why it
    #: is not printed (a draft, a leaflet being translated): never printed.
    listed: bool = True


@dataclass
class BuildReport:
    """The result of a build: one outcome per target, plus timings."""

    outcomes: list[Outcome]
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    peak_rss_mb: float = 0.0
    #: The peak memory of the worker that made each document, in order.
    memory: list[float] = field(default_factory=list)
    #: Files make found up to date (when it passed a list of stale files).
    up_to_date: int = 0
    #: PDFs of other targets that the current sources can no longer print,
    #: withdrawn: (where each was, where it is now, why).
    stale: list[tuple[Path, Path, str]] = field(default_factory=list)

    def having(self, status: str) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.status == status]

    @property
    def failed(self) -> list[Outcome]:
        return self.having("failed")

    @property
    def built(self) -> list[Outcome]:
        return self.having("built")

    @property
    def skipped(self) -> list[Outcome]:
        return self.having("skipped")

    @property
    def ok(self) -> bool:
        return not self.failed and not self.problems


def select_languages(project: Project, langs: Iterable[str] | None) -> list[str]:
    configured = project.settings.languages
    chosen = list(dict.fromkeys(langs)) if langs else list(configured)
    unknown = [lang for lang in chosen if lang not in configured]
    if unknown:
        raise UsageError(f"language {', '.join(unknown)} is not configured in "
                         f"leafpress.toml (languages: {', '.join(configured)})")
    return chosen


def select_leaflets(project: Project, slugs: Iterable[str] | None) -> list[Path]:
    if not slugs:
        return project.leaflet_paths()
    paths = []
    for slug in dict.fromkeys(slugs):
        path = project.leaflets / f"{slug}.md"
        if not SLUG_RE.match(slug) or not path.is_file():
            folder = project.show(project.leaflets)
            raise UsageError(f"no leaflet {slug!r} in {folder}/")
        paths.append(path)
    return paths


def select_variants(project: Project, names: Iterable[str] | None) -> list[Variant]:
    configured = project.settings.variants
    if not names:
        return list(configured)
    chosen = []
    for name in dict.fromkeys(names):
        if name not in VARIANTS:
            raise UsageError(f"no print variant {name!r} (variants: "
                             f"{', '.join(VARIANTS)})")
        chosen.append(VARIANTS[name])
    return chosen


_SUFFIXES = {variant.suffix: variant for variant in VARIANTS.values()}
_SUFFIXES[BOOKLET_SUFFIX] = VARIANTS["booklet"]
_PDF_RE = re.compile(r"(?:^|/)pdf/([^/]+)/([a-z0-9-]+)((?:\.[a-z0-9]+)?)\.pdf$")
_MO_RE = re.compile(r"(?:^|/)mo/([^/]+)/LC_MESSAGES/([a-z0-9-]+)\.mo$")


def target_of(path: Path | str) -> Target | None:
    """The target a file in ``build/pdf/`` belongs to, if any."""
    match = _PDF_RE.search(str(path))
    if match is None or match[3] not in _SUFFIXES:
        return None
    return Target(match[2], match[1], _SUFFIXES[match[3]])


def read_target_list(path: Path) -> tuple[set[Target], set[tuple[str, str]]]:
    """Read the list of stale files that make writes (one path per line)."""
    targets: set[Target] = set()
    compiled: set[tuple[str, str]] = set()
    try:
        lines = path.read_text(encoding="utf-8").split()
    except FileNotFoundError:
        return targets, compiled
    for line in lines:
        if (target := target_of(line)) is not None:
            targets.add(target)
        elif match := _MO_RE.search(line):
            compiled.add((match[1], match[2]))
        else:
            raise UsageError(f"{path}: cannot build {line!r}")
    return targets, compiled


def wanted_messages(leaflet: Leaflet, project: Project) -> list[Wanted]:
    origin = project.show(leaflet.path)
    return [Wanted(message.msgid, message.context, f"{origin}:{message.line}")
            for message in leaflet.messages]


def ui_messages(project: Project) -> list[Wanted]:
    catalog = extract.ui_template(project)
    return [Wanted(message.id, message.context,
                   ":".join(map(str, message.locations[0])) if message.locations
                   else "templates")
            for message in catalog if message.id]


def _withdraw_file(project: Project, pdf: Path) -> Path:
    """Move one PDF from ``build/pdf/`` to the same place under
    ``build/withdrawn/`` (a rename: it needs no disk space); return where."""
    moved = project.build / "withdrawn" / pdf.relative_to(project.build / "pdf")
    moved.parent.mkdir(parents=True, exist_ok=True)
    os.replace(pdf, moved)
    return moved


def withdraw(project: Project, outcome: Outcome) -> None:
    """Move the PDFs of a target that can no longer be rebuilt out of
    ``build/pdf/`` into ``build/withdrawn/``."""
    for pdf in outcome.target.outputs(project):
        if pdf.exists():
            outcome.withdrawn.append(_withdraw_file(project, pdf))


def _newest(paths: Iterable[Path]) -> int:
    times = []
    for path in paths:
        try:
            times.append(path.stat().st_mtime_ns)
        except OSError:
            times.append(time.time_ns())  # gone: as new as can be
    return max(times, default=0)


def _why_stale(project: Project, leaflet: Leaflet | ContentError | None, lang: str,
               ui: UiStatus, today: datetime.date) -> str | None:
    """Why the PDFs of a leaflet in a language can no longer be printed from
    the current sources, or ``None`` if they can."""
    if leaflet is None:
        return "its leaflet is gone"
    if isinstance(leaflet, ContentError):
        return f"its leaflet has problems ({leaflet.problems[0]})"
    if leaflet.meta.draft:
        return "its leaflet is a draft again"
    blocking, _warned = _lint_problems(lint_leaflet(project, leaflet, today), False)
    if blocking:
        return str(blocking[0])
    if lang not in project.settings.languages:
        return f"{lang} is no longer in leafpress.toml"
    if lang == project.settings.source_language:
        return None
    row = status_row(project, leaflet, lang, ui)
    if row.printable:
        return None
    blocking = [problem for problem in row.problems if not problem.warning]
    return str(blocking[0]) if blocking else row.reason


def withdraw_stale(project: Project, spared: Iterable[Target] = (),
                   today: datetime.date | None = None
                   ) -> list[tuple[Path, Path, str]]:
    """Withdraw every PDF in ``build/pdf/`` that its current sources can no
    longer print (a changed source its catalog does not have yet, a fuzzy
    entry, a broken catalog, a leaflet past its review date), whichever
    command changed them. Only PDFs older than one of their inputs are
    looked at; ``spared`` are targets the caller has just decided. Returns
    (where it was, where it is now, why) for each file moved."""
    today = today or datetime.date.today()
    spared = {(target.slug, target.lang) for target in spared}
    folder = project.build / "pdf"
    found: dict[tuple[str, str], list[Path]] = {}
    for pdf in sorted(folder.glob("*/*.pdf")) if folder.is_dir() else ():
        target = target_of(pdf.relative_to(project.build))
        if target is not None and (target.slug, target.lang) not in spared:
            found.setdefault((target.slug, target.lang), []).append(pdf)
    settings = project.root / CONFIG_NAME
    ui = UiStatus(project)
    leaflets: dict[str, Leaflet | ContentError | None] = {}
    moved = []
    for (slug, lang), pdfs in found.items():
        path = project.leaflets / f"{slug}.md"
        if slug not in leaflets:
            try:
                leaflets[slug] = read_leaflet(path, project.settings.placeholders,
                                              project.root) if path.exists() else None
            except ContentError as error:
                leaflets[slug] = error
        leaflet = leaflets[slug]
        inputs = [path, settings]
        if project.settings.clinic is not None:
            inputs.append(project.settings.clinic / "clinic.toml")
        if lang != project.settings.source_language:
            inputs += [project.po_path(lang, slug), project.po_path(lang, "ui")]
        changed = _newest(inputs) > min(pdf.stat().st_mtime_ns for pdf in pdfs)
        overdue = isinstance(leaflet, Leaflet) and leaflet.meta.review_by < today
        if not changed and not overdue:
            continue
        why = _why_stale(project, leaflet, lang, ui, today)
        if why is None:
            continue
        moved += [(pdf, _withdraw_file(project, pdf), why) for pdf in pdfs]
    return moved


def _fail(outcomes: dict[Target, Outcome], targets: Iterable[Target],
          problems: list[Problem]) -> None:
    for target in targets:
        outcome = outcomes[target]
        if outcome.status != "skipped":
            outcome.status = "failed"
            outcome.problems.extend(problems)


def _skip(outcomes: dict[Target, Outcome], targets: Iterable[Target], note: str
          ) -> None:
    for target in targets:
        outcomes[target].status = "skipped"
        outcomes[target].note = note


def stray_files(project: Project) -> list[Problem]:
    """Files no build uses, which is likely a mistake: catalog folders for
    languages ``leafpress.toml`` does not list, and leaflets and catalogs
    whose file name is not a slug (make cannot name them either)."""
    problems = [Problem(project.show(path), None, "not a leaflet's or catalog's "
                        "name, so it is left out: name it after the leaflet's slug "
                        "(lower-case words joined by hyphens, no spaces or colons)")
                for path in project.misnamed()]
    configured = set(project.settings.languages)
    if project.locales.is_dir():
        for folder in sorted(project.locales.iterdir()):
            if folder.is_dir() and folder.name not in configured:
                problems.append(Problem(
                    project.show(folder), None, f"catalogs for {folder.name!r}, which "
                    "leafpress.toml does not list in [project] languages: add it "
                    f"(leafpress init-locale {folder.name}) or remove the folder"))
    return problems


def draft_note(leaflet: Leaflet) -> str:
    """Why a draft does not print, and what to do: a state, not an error."""
    todo = leaflet.meta.todo
    what = (f"fill in {', '.join(todo)}, then remove 'status: draft'" if todo else
            "remove 'status: draft' once the clinical reviewer has approved it")
    return (f"a draft, not printed: {what} (`leafpress build --draft` prints a "
            "review copy)")


def _source_text(msgid: str, context: str | None = None) -> str:
    """The source language needs no catalog: every message is itself."""
    return msgid


def source_place(project: Project, leaflet: Leaflet) -> lint.Place:
    """Where a message of the source language is: its line in the leaflet."""
    shown = project.show(leaflet.path)
    return lambda msgid, context, line: (shown, line)


def catalog_place(project: Project, lang: str, leaflet: Leaflet,
                  catalog: Catalog | None = None) -> lint.Place:
    """Where a message of a translation is: the line of its msgstr."""
    path = project.po_path(lang, leaflet.slug)
    shown = project.show(path)
    try:
        if catalog is None:
            catalog = catalogs.read_catalog(path, shown, lang)
        lines = catalogs.message_lines(catalog, path)
    except (ContentError, OSError):
        lines = {}
    return lambda msgid, context, line: (shown, lines.get((context, msgid)))


def lint_leaflet(project: Project, leaflet: Leaflet,
                 today: datetime.date | None = None) -> list[lint.Finding]:
    settings = project.settings
    return lint.lint_leaflet(leaflet, project.show(leaflet.path), settings.lint,
                             settings.source_language,
                             today or datetime.date.today())


def lint_language(project: Project, leaflet: Leaflet, lang: str,
                  translate: lint.Translate, place: lint.Place | None = None
                  ) -> lint.LanguageLint:
    settings = project.settings
    if place is None:
        place = (source_place(project, leaflet) if lang == settings.source_language
                 else catalog_place(project, lang, leaflet))
    values = settings.placeholders.values(  # the leaflet's own department
        leaflet.meta.department, lang, render.date_locale(lang, settings.country))
    return lint.lint_language(leaflet, lang, settings.lint, settings.source_language,
                              values, translate, place)


def _lint_problems(findings: Iterable[lint.Finding], draft: bool
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


def in_translation(project: Project, lang: str, domain: str,
                   wanted: list[Wanted]) -> str | None:
    """Why a catalog is not yet to be printed: it does not exist, or it has
    never been completely translated (no source version recorded) and is not
    complete now. ``None`` when it is to be printed (or refused)."""
    path = project.po_path(lang, domain)
    if not path.exists():
        return f"no catalog yet ({project.show(path)})"
    try:
        catalog = catalogs.read_catalog(path, project.show(path), lang)
    except ContentError:
        return None  # a broken catalog is an error, reported by the build
    if catalogs.SOURCE_HASH in pofile.fields(catalog):
        return None
    counts = catalogs.count(catalog, wanted)
    total = counts.translated + counts.fuzzy + counts.untranslated
    if counts.translated == total:
        return None
    return f"being translated ({counts.translated} of {total} messages done)"


def _translators(project: Project, lang: str, leaflets: list[Leaflet],
                 targets: dict[str, list[Target]], outcomes: dict[Target, Outcome],
                 draft: bool, warnings: list[Problem],
                 ) -> tuple[Translator | None, dict[str, Translator]]:
    """Compile the catalogs of one language (for a draft: read the ``.po``
    files as they are) and return the template and leaflet translators. A
    catalog never yet complete skips its targets; one that does not compile
    fails them."""
    if lang == project.settings.source_language:
        return None, {}
    if draft:
        def read(domain: str) -> Translator:
            path = project.po_path(lang, domain)
            try:
                return Translator(catalogs.read_catalog(path, project.show(path), lang),
                                  draft=True)
            except ContentError:
                return Translator(None, draft=True)
        return read("ui"), {leaflet.slug: read(leaflet.slug) for leaflet in leaflets}

    def compiled(domain: str, wanted: list[Wanted]) -> Translator:
        try:
            mo, found = catalogs.compile_catalog(project, lang, domain, wanted)
        except OSError as error:
            mo = project.mo_path(lang, domain)
            raise ContentError([write_problem(error, project.show(mo))]) from None
        warnings.extend(found)
        return Translator.load(mo, project.show(mo))

    everything = [target for leaflet in leaflets for target in targets[leaflet.slug]]
    ui_wanted = ui_messages(project)
    if note := in_translation(project, lang, "ui", ui_wanted):
        _skip(outcomes, everything, f"the templates (ui.po) are {note}")
        return None, {}
    try:
        ui = compiled("ui", ui_wanted)
    except ContentError as error:
        _fail(outcomes, everything, list(error.problems))
        return None, {}
    result = {}
    for leaflet in leaflets:
        wanted = wanted_messages(leaflet, project)
        if note := in_translation(project, lang, leaflet.slug, wanted):
            _skip(outcomes, targets[leaflet.slug], f"the leaflet is {note}")
            continue
        try:
            result[leaflet.slug] = compiled(leaflet.slug, wanted)
        except ContentError as error:
            _fail(outcomes, targets[leaflet.slug], list(error.problems))
    return ui, result


def _compile_listed(project: Project, listed: set[tuple[str, str]],
                    leaflets: list[Leaflet], outcomes: dict[Target, Outcome]
                    ) -> list[Problem]:
    """Compile the ``.mo`` files make listed that no PDF of this run needs
    (a PDF compiles its own catalogs on the way)."""
    problems: list[Problem] = []
    by_slug = {leaflet.slug: leaflet for leaflet in leaflets}
    for lang, domain in sorted(listed):
        if any(target.lang == lang and domain in ("ui", target.slug)
               for target in outcomes):
            continue
        if domain != "ui" and domain not in by_slug:
            continue
        wanted = (ui_messages(project) if domain == "ui"
                  else wanted_messages(by_slug[domain], project))
        if in_translation(project, lang, domain, wanted):
            continue
        try:
            problems.extend(catalogs.compile_catalog(project, lang, domain, wanted)[1])
        except ContentError as error:
            problems.extend(error.problems)
    return problems


@dataclass
class Job:
    """One document on its way to ``build/pdf/``."""

    document: Document
    leaflet: Leaflet
    outcome: Outcome


def _compose_all(project: Project, langs: list[str], leaflets: list[Leaflet],
                 outcomes: dict[Target, Outcome], draft: bool,
                 warnings: list[Problem]) -> Iterator[Job]:
    """Compose the HTML of every target still standing, keep it beside the
    PDF-to-be in ``build/html/``, and hand it on at once (so that the
    workers print while the rest is still being composed)."""
    for lang in langs:
        targets = {leaflet.slug: [target for target in outcomes if target.lang == lang
                                  and target.slug == leaflet.slug]
                   for leaflet in leaflets}
        wanted = [leaflet for leaflet in leaflets if targets[leaflet.slug]]
        if not wanted:
            continue
        ui, translators = _translators(project, lang, wanted, targets, outcomes,
                                       draft, warnings)
        for leaflet in wanted:
            translate = translators.get(leaflet.slug, _source_text)
            mine = [target for target in targets[leaflet.slug]
                    if outcomes[target].status == "pending"]
            if not mine:
                continue
            try:
                linted = lint_language(project, leaflet, lang, translate)
            except KeyError:
                linted = None  # a missing message: compose names it
            if linted is not None:
                blocking, warned = _lint_problems(linted.findings, draft)
                warnings.extend(warned)
                if blocking:
                    _fail(outcomes, mine, blocking)
                    continue
            for target in mine:
                outcome = outcomes[target]
                if not outcome.listed:
                    continue
                try:
                    document = render.compose(leaflet, lang, project, translate, ui,
                                              draft=draft, variant=target.variant)
                except ContentError as error:
                    _fail(outcomes, [target], list(error.problems))
                    continue
                html = project.html_path(lang, leaflet.slug, target.variant.suffix)
                try:
                    write_atomic(html, document.html.encode("utf-8"))
                except OSError as error:
                    _fail(outcomes, [target],
                          [write_problem(error, project.show(html))])
                    continue
                yield Job(document, leaflet, outcome)


def build(project: Project, langs: Iterable[str] | None = None,
          slugs: Iterable[str] | None = None, jobs: int | None = None,
          draft: bool = False, target_list: Path | None = None,
          variants: Iterable[str] | None = None,
          scheduler: str | None = None) -> BuildReport:
    """Compile, render and verify; one target's failure never stops another.

    ``target_list`` (written by make) limits the work to the stale files it
    names. ``draft`` prints missing translations in the source language with
    a DRAFT mark on every page, into ``build/draft/`` only.
    """
    started = time.perf_counter()
    langs = select_languages(project, langs)
    paths = select_leaflets(project, slugs)
    chosen = select_variants(project, variants)
    listed_pdfs, listed_mos = (read_target_list(target_list) if target_list
                               else (None, set()))
    unlisted: set[Target] = set()
    all_paths = paths
    if listed_pdfs is not None:
        # What make has no rule for and is not there (a draft, a leaflet still
        # being translated) is looked at too, so that the run says why.
        unlisted = {
            target for path in all_paths for lang in langs for variant in chosen
            for target in [Target(path.stem, lang, variant)]
            if target not in listed_pdfs
            and not all(output.exists() for output in target.outputs(project))}
        listed_pdfs = listed_pdfs | unlisted
        stems = ({target.slug for target in listed_pdfs}
                 | {domain for _lang, domain in listed_mos})
        paths = [path for path in paths if path.stem in stems]
    remove_litter(project.build)

    outcomes = {}
    for path in paths:
        for lang in langs:
            for variant in chosen:
                target = Target(path.stem, lang, variant)
                if listed_pdfs is None or target in listed_pdfs:
                    outcomes[target] = Outcome(target,
                                               listed=target not in unlisted)
    leaflets: list[Leaflet] = []
    lint_warnings: list[Problem] = []
    for path in paths:
        mine = [target for target in outcomes if target.slug == path.stem]
        try:
            leaflet = read_leaflet(path, project.settings.placeholders, project.root)
        except ContentError as error:
            _fail(outcomes, mine, list(error.problems))
            continue
        if leaflet.meta.draft and not draft:
            _skip(outcomes, mine, draft_note(leaflet))
            for target in mine:  # printed before it became a draft again
                withdraw(project, outcomes[target])
            continue
        blocking, warned = _lint_problems(lint_leaflet(project, leaflet), draft)
        lint_warnings.extend(warned)
        if blocking:
            # say everything that stops it at once, its text included
            found = lint_language(project, leaflet, project.settings.source_language,
                                  _source_text).findings
            more, warned = _lint_problems(found, draft)
            lint_warnings.extend(warned)
            _fail(outcomes, mine, blocking + more)
            continue
        leaflets.append(leaflet)
    found = _compile_listed(project, listed_mos, leaflets, outcomes)
    found += lint_warnings
    found += stray_files(project)
    found += project.settings.warnings
    warnings = [problem for problem in found if problem.warning]
    report = BuildReport(list(outcomes.values()),
                         problems=[problem for problem in found if not problem.warning],
                         warnings=warnings)
    if listed_pdfs is not None:  # what make did not list, and is there
        report.up_to_date = sum(
            len(target.outputs(project))
            for path in all_paths for lang in langs for variant in chosen
            for target in [Target(path.stem, lang, variant)]
            if target not in outcomes
            and all(output.exists() for output in target.outputs(project)))
    pending = sum(1 for outcome in outcomes.values()
                  if outcome.status == "pending" and outcome.listed)
    if pending:
        queue = _compose_all(project, langs, leaflets, outcomes, draft, warnings)
        _render_all(project, queue, min(jobs or os.cpu_count() or 1, pending), draft,
                    report, scheduler)
    # What make did not list is reported only when it waits (see Outcome).
    report.outcomes = [outcome for outcome in report.outcomes
                       if outcome.listed or outcome.status == "skipped"]
    if not draft:
        for outcome in report.failed:
            withdraw(project, outcome)
        report.stale = withdraw_stale(project, outcomes)
    report.seconds = time.perf_counter() - started
    return report


def _render_all(project: Project, queue: Iterator[Job], workers: int, draft: bool,
                report: BuildReport, scheduler: str | None = None) -> None:
    """Render and verify every job in the worker pool (or on a Dask cluster)
    as soon as it is composed; put each result in place as it arrives."""
    pool = (render.DaskPool(scheduler) if scheduler else
            render.RenderPool(workers, memory_mb=project.settings.memory_limit))
    files = render.assets(project)
    with pool:
        futures = {}
        for job in queue:
            epoch = render.source_date_epoch(job.leaflet.meta.published)
            task = render.task_for(job.document, project, epoch, draft, files)
            futures[pool.submit(task)] = job
        total = len(futures)
        if scheduler:
            LOGGER.info("printing %d document%s on the Dask cluster at %s", total,
                        "s" * (total != 1), scheduler)
        elif total:
            LOGGER.info("printing %d document%s with %d worker%s", total,
                        "s" * (total != 1), workers, "s" * (workers != 1))
        for done, future in enumerate(pool.as_completed(futures), start=1):
            job = futures[future]
            try:
                result = future.result()
            except BrokenProcessPool as error:
                html = project.show(project.html_path(
                    job.document.lang, job.document.slug, job.document.variant.suffix))
                result = render.RenderResult(None, None, (Problem(
                    html, None, "the render worker died (out of memory under [print] "
                    f"memory-limit, or a crash): {error}"),), 0, 0.0, 0.0)
            report.peak_rss_mb = max(report.peak_rss_mb, result.peak_rss_mb)
            report.memory.append(result.peak_rss_mb)
            made = _finish(project, job, result, draft)
            outcome = job.outcome
            PROGRESS.info("[%d/%d] %s %s%s", done, total,
                          "printed" if outcome.status == "built" else "failed ",
                          ", ".join(project.show(path) for path in made)
                          or str(outcome.target),
                          f" ({outcome.pages} page{'s' * (outcome.pages != 1)})"
                          if outcome.status == "built" else "",
                          extra={"done": done, "total": total})


def _finish(project: Project, job: Job, result: render.RenderResult, draft: bool
            ) -> list[Path]:
    """Write what the worker verified to its place (through a temporary file
    and a rename); keep what failed aside in ``build/rejected/``."""
    document, outcome = job.document, job.outcome
    kind = "draft" if draft else "pdf"
    files = [(result.pdf, project.output(kind, document.lang, document.slug,
                                         document.variant.suffix))]
    if document.variant.name == "booklet":
        files.append((result.booklet, project.output(kind, document.lang,
                                                     document.slug, BOOKLET_SUFFIX)))
    if result.problems or result.pdf is None:
        problems = list(result.problems)
        for data, intended in files:
            if data:
                rejected = project.output("rejected", document.lang, document.slug,
                                          intended.name.removeprefix(document.slug)
                                          .removesuffix(".pdf"))
                try:
                    write_atomic(rejected, data)
                except OSError as error:
                    problems.append(write_problem(error, project.show(rejected)))
                    continue
                problems.append(Problem(project.show(intended), None,
                                        "not printed; the rejected copy is "
                                        f"{project.show(rejected)}"))
        outcome.status = "failed"
        outcome.problems.extend(problems)
        return []
    written = []
    for data, intended in files:
        try:
            write_atomic(intended, data)
        except OSError as error:
            # what this target already wrote is withdrawn with the rest
            outcome.status = "failed"
            outcome.problems.append(write_problem(error, project.show(intended)))
            return written
        written.append(intended)
    outcome.status = "built"
    outcome.pages = result.pages
    outcome.outputs = written
    return written


@dataclass
class CheckReport:
    checked: list[Path]
    problems: list[Problem]
    warnings: list[Problem] = field(default_factory=list)


def check(project: Project, pdfs: Iterable[Path] | None = None) -> CheckReport:
    """Verify built PDFs against the current sources and catalogs."""
    settings = project.settings
    paths = list(pdfs) if pdfs else sorted((project.build / "pdf").glob("*/*.pdf"))
    problems: list[Problem] = []
    warnings: list[Problem] = []
    ui_cache: dict[str, Translator | None] = {}
    for path in paths:
        shown = project.show(path)
        target = target_of(path.resolve().relative_to(path.resolve().parent.parent
                                                      .parent))
        if target is None or target.lang not in settings.languages:
            problems.append(Problem(shown, None, "not a leaflet PDF (expected "
                                    "pdf/<lang>/<slug>[.large|.a5|.booklet].pdf)"))
            continue
        if not path.is_file():
            problems.append(Problem(shown, None, "no such PDF"))
            continue
        lang = target.lang
        try:
            leaflet = read_leaflet(project.leaflets / f"{target.slug}.md",
                                   settings.placeholders, project.root)
            if lang == settings.source_language:
                translate, ui = _source_text, None
            else:
                if lang not in ui_cache:
                    ui_cache[lang] = _current(project, lang, "ui", ui_messages(project),
                                              warnings)
                ui = ui_cache[lang]
                translate = _current(project, lang, target.slug,
                                     wanted_messages(leaflet, project), warnings)
            document = render.compose(leaflet, lang, project, translate, ui,
                                      variant=target.variant)
        except ContentError as error:
            problems.extend(error.problems)
            continue
        if path.name.endswith(BOOKLET_SUFFIX + ".pdf"):
            reading = project.pdf_path(lang, target.slug, target.variant.suffix)
            problems.extend(verify.verify_booklet(path, shown, reading, document))
        else:
            problems.extend(verify.verify(path, shown, document).problems)
    return CheckReport(paths, problems, list(dict.fromkeys(warnings)))


def _current(project: Project, lang: str, domain: str, wanted: list[Wanted],
             warnings: list[Problem]) -> Translator:
    """The translator of a ``.po`` as it is now, after every catalog check."""
    path = project.po_path(lang, domain)
    shown = project.show(path)
    catalog = catalogs.read_catalog(path, shown, lang)
    found = catalogs.check_catalog(catalog, path, shown, lang, wanted,
                                   project.settings.checks)
    warnings.extend(problem for problem in found if problem.warning)
    errors = [problem for problem in found if not problem.warning]
    if errors:
        raise ContentError(errors)
    return Translator(catalog)


def run_extract(project: Project
                ) -> tuple[list[Path], list[Problem], list[tuple[Path, Path, str]]]:
    """Write every ``.pot``; leaflets with problems are reported, not written.
    Then withdraw the PDFs that the changed leaflets made stale."""
    leaflets, problems = read_leaflets(project.leaflet_paths(),
                                       project.settings.placeholders, project.root)
    return extract.extract(project, leaflets), problems, withdraw_stale(project)


def run_update(project: Project, langs: Iterable[str] | None = None
               ) -> catalogs.UpdateReport:
    """Merge the templates into the catalogs of the target languages, then
    withdraw every PDF whose catalogs can no longer print it. A leaflet with
    problems is reported and its catalogs are left as they are."""
    chosen = [lang for lang in select_languages(project, langs)
              if lang != project.settings.source_language]
    leaflets, problems = read_leaflets(project.leaflet_paths(),
                                       project.settings.placeholders, project.root)
    domains = ["ui"] + [leaflet.slug for leaflet in leaflets]
    report = catalogs.update(project, domains, chosen)
    report.problems[:0] = problems
    report.withdrawn.extend(withdraw_stale(project))
    return report


def files_of(project: Project, slug: str, lang: str) -> int:
    """How many files a leaflet prints in a language (every variant)."""
    return sum(len(Target(slug, lang, variant).outputs(project))
               for variant in project.settings.variants)


def make_rules(project: Project) -> tuple[str, list[str]]:
    """The Makefile's view of the project: each PDF depends on its leaflet and
    catalogs directly (make compares the times of real files, and a ``.mo``
    is rewritten only by the build itself); each ``.mo`` on its ``.po``. The
    PDFs of a leaflet past its review date are always out of date, so that
    the build withdraws them. A draft, and a leaflet still waiting for its
    first complete translation, have no target until they change: they are
    returned as the lines that say why they are not printed, which make
    shows when everything else is up to date."""
    settings = project.settings
    ui_wanted = ui_messages(project)
    ui_waiting = {lang: in_translation(project, lang, "ui", ui_wanted)
                  for lang in settings.target_languages}
    rules: list[str] = []
    pdfs: list[str] = []
    mos: dict[str, str] = {}
    waiting: list[str] = []
    # A clinic folder's settings (contacts, departments, logo) are in every PDF.
    clinic = ([project.show(settings.clinic / "clinic.toml")]
              if settings.clinic is not None else [])
    if settings.branding.logo is not None:
        clinic.append(project.show(settings.branding.logo))
    clinic = [name for name in clinic if re.fullmatch(r"[A-Za-z0-9._/@+-]+", name)]
    for path in project.leaflet_paths():
        slug = path.stem
        try:
            leaflet = read_leaflet(path, settings.placeholders, project.root)
            wanted = wanted_messages(leaflet, project)
            overdue = leaflet.meta.review_by < datetime.date.today()
        except ContentError:
            leaflet, wanted, overdue = None, None, False  # the build reports it
        if leaflet is not None and leaflet.meta.draft:
            files = sum(files_of(project, slug, lang) for lang in settings.languages)
            waiting.append(f"{slug} ({files} files): {draft_note(leaflet)}")
            continue
        for lang in settings.languages:
            prerequisites = [project.show(path), *clinic] + ["FORCE"] * overdue
            if lang != settings.source_language:
                note = None
                if ui_waiting[lang]:
                    note = f"the templates (ui.po) are {ui_waiting[lang]}"
                elif wanted is not None:
                    note = in_translation(project, lang, slug, wanted)
                    note = f"the leaflet is {note}" if note else None
                if note:
                    waiting.append(f"{lang}/{slug} ({files_of(project, slug, lang)} "
                                   f"files): not printed yet, {note}")
                    continue
                for domain in ("ui", slug):
                    po = project.po_path(lang, domain)
                    if po.exists():
                        prerequisites.append(project.show(po))
                        mos[project.show(project.mo_path(lang, domain))] = \
                            project.show(po)
            for variant in settings.variants:
                for output in Target(slug, lang, variant).outputs(project):
                    pdfs.append(project.show(output))
                    rules.append(f"{pdfs[-1]}: {' '.join(prerequisites)}")
    rules += [f"{mo}: {po}" for mo, po in mos.items()]
    rules.append(f"LEAFPRESS_PDFS := {' '.join(pdfs)}")
    rules.append(f"LEAFPRESS_MOS := {' '.join(mos)}")
    return "\n".join(rules) + "\n", waiting


def import_leaflet(project: Project, source: Path, output: Path | None = None,
                   fmt: str | None = None, force: bool = False
                   ) -> tuple[Path, tuple[str, ...], tuple[str, ...]]:
    """Import a web page or article as a draft leaflet (``leaflets/<slug>.md``
    or ``output``); return where it went, the importer's notes and the
    fields still to fill in."""
    from leafpress.sources import importer

    try:
        data = source.read_bytes()
    except OSError as error:
        raise UsageError(f"cannot read {source}: {error.strerror}") from None
    imported = importer.import_source(data, source.name, fmt)
    text, slug = imported.text, imported.slug
    target = output or project.leaflets / f"{slug}.md"
    if target.stem != slug:
        if not SLUG_RE.match(target.stem):
            raise UsageError(f"{target.name}: a leaflet file name is its slug: "
                             "lower-case words joined by hyphens, ending in .md")
        text = re.sub(r"(?m)^slug: .*$", f"slug: {target.stem}", text, count=1)
    if target.exists() and not force:
        raise UsageError(f"{project.show(target)} exists; use --force to replace it "
                         "or -o to write elsewhere")
    data = text.encode("utf-8")
    shown = project.show(target)
    if len(data) > MAX_BYTES:
        raise ContentError([Problem(shown, None, f"not written: the imported text is "
                                    f"{len(data) / 1e6:.1f} MB, and a leaflet is at "
                                    f"most {MAX_BYTES // 1_000_000} MB: import the "
                                    "one article the leaflet is about")])
    # Checked before it is written: an import never leaves a broken leaflet.
    leaflet = parse_leaflet(data, target, shown, None)
    write_atomic(target, data, durable=True)
    return target, imported.notes, leaflet.meta.todo


def init_locale(project: Project, lang: str) -> tuple[Project, catalogs.UpdateReport]:
    """Add a language: put it in ``leafpress.toml`` and create its catalogs
    (with Babel's Language and Plural-Forms headers) from the templates."""
    try:
        locale = Locale.parse(lang.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        raise UsageError(f"{lang!r} is not a language Babel knows (use a code "
                         "such as tr, ar, pl, uk, ti, fa_AF)") from None
    lang = str(locale)
    if lang in project.settings.languages:
        raise UsageError(f"{lang} is already in leafpress.toml")
    missing = [project.show(project.pot_path(domain)) for domain in
               ["ui"] + [path.stem for path in project.leaflet_paths()]
               if not project.pot_path(domain).exists()]
    if missing:
        raise UsageError(f"no template {', '.join(missing)}; run `leafpress extract`")
    add_language(project.root / CONFIG_NAME, lang)
    project = load_project(project.root)
    return project, run_update(project, [lang])


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

    @property
    def catalog(self) -> str:
        return "ui" if self.kind == "templates" else self.slug

    @property
    def state(self) -> str:
        """printable, draft, being translated, or blocked."""
        if self.printable:
            return "printable"
        if self.draft:
            return "draft"
        return "being translated" if self.note else "blocked"

    @property
    def reason(self) -> str:
        """Why it does not print, in a few words (empty when it does): the
        note, or each catalog with the rules it breaks."""
        if self.printable:
            return ""
        if self.note:
            return self.note
        rules: dict[str, dict[str, int]] = {}
        for problem in self.problems:
            if not problem.warning:
                rule = problem.message.split(":", 1)[0]
                counts = rules.setdefault(Path(problem.path).name, {})
                counts[rule] = counts.get(rule, 0) + 1
        parts = [f"{name}: " + ", ".join(f"{count} {rule}" if count > 1 else rule
                                         for rule, count in counts.items())
                 for name, counts in rules.items()]
        if any("plural-forms" in counts for counts in rules.values()):
            parts.append("run `leafpress update`")
        return "; ".join(parts)


def status(project: Project, langs: Iterable[str] | None = None
           ) -> tuple[list[StatusRow], list[Problem]]:
    """Translation matrix: leaflet x language, with translated, fuzzy and
    untranslated messages and words, and whether the PDF can be printed
    (every catalog rule passes, for the leaflet and the templates)."""
    settings = project.settings
    langs = list(langs) if langs is not None else list(settings.target_languages)
    leaflets, problems = read_leaflets(project.leaflet_paths(), settings.placeholders,
                                       project.root)
    ui = UiStatus(project)
    rows = [status_row(project, leaflet, lang, ui)
            for leaflet in leaflets for lang in langs]
    rows += [ui_row(project, lang, ui) for lang in langs]
    return rows, problems + stray_files(project)


def ui_row(project: Project, lang: str, ui: UiStatus) -> StatusRow:
    """How far the template catalog (``ui.po``) of one language is: every
    leaflet of the language waits for it."""
    problems, note = ui(lang)
    path = project.po_path(lang, "ui")
    catalog = None
    if path.exists():
        try:
            catalog = catalogs.read_catalog(path, project.show(path), lang)
        except ContentError:
            catalog = None
    header = pofile.fields(catalog) if catalog is not None else {}
    blocking = [problem for problem in problems if not problem.warning]
    current = catalogs.source_hash((item.msgid, item.context) for item in ui.wanted)
    return StatusRow("ui.po (templates)", lang, "-", catalogs.count(catalog, ui.wanted),
                     not blocking and not note, tuple(problems), None,
                     header.get(catalogs.SOURCE_HASH), current, note,
                     kind="templates")


class UiStatus:
    """The template catalog of each language: its problems and whether it
    is still being translated (read once per language, when first asked)."""

    def __init__(self, project: Project):
        self.project = project
        self.wanted = ui_messages(project)
        self.known: dict[str, tuple[list[Problem], str | None]] = {}

    def __call__(self, lang: str) -> tuple[list[Problem], str | None]:
        if lang not in self.known:
            self.known[lang] = (
                _catalog_problems(self.project, lang, "ui", self.wanted)[1],
                in_translation(self.project, lang, "ui", self.wanted))
        return self.known[lang]


def status_row(project: Project, leaflet: Leaflet, lang: str, ui: UiStatus
               ) -> StatusRow:
    """How far the translation of one leaflet into one language is."""
    wanted = wanted_messages(leaflet, project)
    current = catalogs.source_hash((item.msgid, item.context) for item in wanted)
    ui_problems, ui_note = ui(lang)
    catalog, found = _catalog_problems(project, lang, leaflet.slug, wanted)
    blocking = [problem for problem in found + ui_problems if not problem.warning]
    header = pofile.fields(catalog) if catalog is not None else {}
    note = in_translation(project, lang, leaflet.slug, wanted)
    if ui_note and not note:
        note = f"the templates (ui.po) are {ui_note}"
    if leaflet.meta.draft:
        note = draft_note(leaflet)
    return StatusRow(
        leaflet.slug, lang, leaflet.meta.version, catalogs.count(catalog, wanted),
        not blocking and not leaflet.meta.draft, tuple(found + ui_problems),
        header.get(catalogs.SOURCE_VERSION), header.get(catalogs.SOURCE_HASH),
        current, note, draft=leaflet.meta.draft)


def _catalog_problems(project: Project, lang: str, domain: str, wanted: list[Wanted]
                      ) -> tuple[Catalog | None, list[Problem]]:
    path = project.po_path(lang, domain)
    shown = project.show(path)
    try:
        catalog = catalogs.read_catalog(path, shown, lang)
    except ContentError as error:
        return None, list(error.problems)
    return catalog, catalogs.check_catalog(catalog, path, shown, lang, wanted,
                                           project.settings.checks)


@dataclass
class LintEntry:
    """The quality gates of one leaflet in one language."""

    slug: str
    lang: str
    leaflet: Leaflet
    #: Findings about the leaflet itself (the same in every language), then
    #: those about its text in this language.
    findings: list[lint.Finding]
    language: lint.LanguageLint | None = None
    #: Why the text in this language was not read (still being translated).
    note: str | None = None

    @property
    def blocking(self) -> list[lint.Finding]:
        return [finding for finding in self.findings if finding.blocking]

    @property
    def warnings(self) -> list[lint.Finding]:
        return [finding for finding in self.findings if not finding.blocking]


@dataclass
class LintReport:
    entries: list[LintEntry]
    #: Leaflets that could not be read at all.
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems and not any(entry.blocking for entry in self.entries)


def run_lint(project: Project, langs: Iterable[str] | None = None,
             slugs: Iterable[str] | None = None,
             today: datetime.date | None = None) -> LintReport:
    """Lint every leaflet (or those named) in every language (or those
    named). A translation is read from its ``.po`` as it is now, without
    fuzzy entries; one not completely translated is linted once it is."""
    settings = project.settings
    langs = select_languages(project, langs)
    paths = select_leaflets(project, slugs)
    leaflets, problems = read_leaflets(paths, settings.placeholders, project.root)
    entries = []
    for leaflet in leaflets:
        about = lint_leaflet(project, leaflet, today)
        entries += [lint_entry(project, leaflet, lang, about) for lang in langs]
    return LintReport(entries, problems)


def lint_entry(project: Project, leaflet: Leaflet, lang: str,
               about: list[lint.Finding]) -> LintEntry:
    """Lint one leaflet in one language; ``about`` are the findings of
    :func:`lint_leaflet`."""
    entry = LintEntry(leaflet.slug, lang, leaflet, list(about))
    if lang == project.settings.source_language:
        translate: lint.Translate = _source_text
        place = source_place(project, leaflet)
        catalog = None
    else:
        path = project.po_path(lang, leaflet.slug)
        if not path.exists():
            entry.note = "no catalog yet"
            return entry
        try:
            catalog = catalogs.read_catalog(path, project.show(path), lang)
        except ContentError as error:
            entry.note = f"the catalog has errors: {error.problems[0]}"
            return entry
        translate = Translator(catalog)
        place = catalog_place(project, lang, leaflet, catalog)
    try:
        entry.language = lint_language(project, leaflet, lang, translate, place)
    except KeyError:
        counts = catalogs.count(catalog, wanted_messages(leaflet, project))
        total = counts.translated + counts.fuzzy + counts.untranslated
        entry.note = (f"not completely translated ({counts.translated} of {total} "
                      "messages done)")
        return entry
    entry.findings.extend(entry.language.findings)
    return entry
