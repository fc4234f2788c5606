"""``leafpress build``: compile, lint, compose, print and verify, for every
target still standing.

Called by the CLI (and make, through it). In: a
:class:`~leafpress.pipeline.snapshot.Snapshot` and what to print. Out: a
:class:`BuildReport` with one :class:`Outcome` per target; the PDFs in
``build/pdf/`` (or ``build/draft/``), the HTML each was printed from in
``build/html/``, and the ``.mo`` files in ``build/mo/``.

A problem in one target never stops the others: each fails or succeeds on
its own, and a target that fails withdraws its old PDFs from ``build/pdf/``
so that nobody prints a copy that no longer matches its sources. A language
whose catalog has never been completely translated is not yet printed, and
says so; one that was complete and is no longer is an error.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterable, Iterator
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from leafpress.errors import ContentError, Problem, write_problem
from leafpress.model import BOOKLET_SUFFIX, Document, Leaflet
from leafpress.output import remove_litter, write_atomic
from leafpress.pipeline.lint import lint_problems
from leafpress.pipeline.snapshot import Snapshot, source_text
from leafpress.pipeline.status import ui_state
from leafpress.pipeline.targets import (
    Target,
    draft_note,
    read_target_list,
    select_languages,
    select_leaflets,
    select_variants,
    stray_files,
)
from leafpress.pipeline.withdraw import withdraw_file, withdraw_stale
from leafpress.printing import compose, render
from leafpress.settings.project import Project
from leafpress.timing import Stages
from leafpress.translation import catalogs
from leafpress.translation.catalogs import Translator, Wanted

LOGGER = logging.getLogger("leafpress")
#: One record per document printed, with ``done`` and ``total``: the CLI
#: shows a progress bar on a terminal and plain lines elsewhere.
PROGRESS = logging.getLogger("leafpress.progress")


@dataclass
class Outcome:
    """What happened to one target."""

    target: Target
    status: str = "pending"  # built | failed | skipped
    problems: list[Problem] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    pages: int = 0
    #: The pages of each file written.
    counts: dict[Path, int] = field(default_factory=dict)
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
    #: How many render workers printed.
    workers: int = 0
    #: Files make found up to date (when it passed a list of stale files).
    up_to_date: int = 0
    #: PDFs of other targets that the current sources can no longer print,
    #: withdrawn: (where each was, where it is now, why).
    stale: list[tuple[Path, Path, str]] = field(default_factory=list)
    #: Seconds per stage: the main process's own (catalogs, lint, compose,
    #: write) and the workers' (render, verify, impose, thumbnail) summed over
    #: documents, with the workers' start-up and idle time.
    stages: Stages = field(default_factory=Stages)

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


def withdraw(project: Project, outcome: Outcome) -> None:
    """Move the PDFs of a target that can no longer be rebuilt out of
    ``build/pdf/`` into ``build/withdrawn/``."""
    for pdf in outcome.target.outputs(project):
        if pdf.exists():
            outcome.withdrawn.append(withdraw_file(project, pdf))


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


def _compile(snapshot: Snapshot, lang: str, domain: str, wanted: list[Wanted]
             ) -> list[Problem]:
    """Write the ``.mo`` of a catalog whose checks pass; return the warnings
    (raises :class:`ContentError` with every problem that stops it)."""
    project = snapshot.project
    mo = project.mo_path(lang, domain)
    found = snapshot.checked(lang, domain, wanted)
    try:
        return catalogs.compile_catalog(snapshot.catalog(lang, domain).catalog,
                                        found, mo)
    except OSError as error:
        raise ContentError([write_problem(error, project.show(mo))]) from None
    except ContentError as error:  # what else to fix is said at the same time
        raise ContentError([*error.problems, *(problem for problem in found
                                               if problem.warning)]) from None


def _translators(snapshot: Snapshot, lang: str, leaflets: list[Leaflet],
                 targets: dict[str, list[Target]], outcomes: dict[Target, Outcome],
                 draft: bool, warnings: list[Problem], stages: Stages,
                 ) -> tuple[Translator | None, dict[str, Translator]]:
    """Compile the catalogs of one language (for a draft: take the ``.po``
    files as they are) and return the template and leaflet translators. A
    catalog never yet complete skips its targets; one that does not compile
    fails them."""
    project = snapshot.project
    if lang == project.settings.source_language:
        return None, {}
    if draft:
        def read(domain: str) -> Translator:
            return Translator(snapshot.catalog(lang, domain).catalog, draft=True)
        return read("ui"), {leaflet.slug: read(leaflet.slug) for leaflet in leaflets}

    def compiled(domain: str, wanted: list[Wanted]) -> Translator:
        with stages.time("catalogs"):
            warnings.extend(_compile(snapshot, lang, domain, wanted))
            if note := snapshot.layout_note(lang, domain):
                warnings.append(note)
            mo = project.mo_path(lang, domain)
            return Translator.load(mo, project.show(mo))

    everything = [target for leaflet in leaflets for target in targets[leaflet.slug]]
    _problems, note = ui_state(snapshot, lang)
    if note:
        _skip(outcomes, everything, f"the templates (ui.po) are {note}")
        return None, {}
    try:
        ui = compiled("ui", snapshot.ui_wanted())
    except ContentError as error:
        _fail(outcomes, everything, list(error.problems))
        return None, {}
    result = {}
    for leaflet in leaflets:
        wanted = snapshot.wanted(leaflet)
        if note := snapshot.in_translation(lang, leaflet.slug, wanted):
            _skip(outcomes, targets[leaflet.slug], f"the leaflet is {note}")
            continue
        try:
            result[leaflet.slug] = compiled(leaflet.slug, wanted)
        except ContentError as error:
            _fail(outcomes, targets[leaflet.slug], list(error.problems))
    return ui, result


def _compile_listed(snapshot: Snapshot, listed: set[tuple[str, str]],
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
        wanted = (snapshot.ui_wanted() if domain == "ui"
                  else snapshot.wanted(by_slug[domain]))
        if snapshot.in_translation(lang, domain, wanted):
            continue
        try:
            problems.extend(_compile(snapshot, lang, domain, wanted))
        except ContentError as error:
            problems.extend(error.problems)
    return problems


@dataclass
class Job:
    """One document on its way to ``build/pdf/``."""

    document: Document
    leaflet: Leaflet
    outcome: Outcome


def _compose_all(snapshot: Snapshot, langs: list[str], leaflets: list[Leaflet],
                 outcomes: dict[Target, Outcome], draft: bool,
                 warnings: list[Problem], stages: Stages) -> Iterator[Job]:
    """Compose the HTML of every target still standing, keep it beside the
    PDF-to-be in ``build/html/``, and hand it on at once (so that the
    workers print while the rest is still being composed)."""
    project = snapshot.project
    for lang in langs:
        targets = {leaflet.slug: [target for target in outcomes if target.lang == lang
                                  and target.slug == leaflet.slug]
                   for leaflet in leaflets}
        wanted = [leaflet for leaflet in leaflets if targets[leaflet.slug]]
        if not wanted:
            continue
        ui, translators = _translators(snapshot, lang, wanted, targets, outcomes,
                                       draft, warnings, stages)
        for leaflet in wanted:
            translate = translators.get(leaflet.slug, source_text)
            mine = [target for target in targets[leaflet.slug]
                    if outcomes[target].status == "pending"]
            if not mine:
                continue
            try:
                with stages.time("lint"):
                    linted = snapshot.lint_language(leaflet, lang,
                                                    translate if draft else None)
            except KeyError:
                linted = None  # a missing message: compose names it
            if linted is not None:
                blocking, warned = lint_problems(linted.findings, draft)
                warnings.extend(warned)
                if blocking:
                    _fail(outcomes, mine, blocking)
                    continue
            approval = None
            if not draft and lang != project.settings.source_language:
                try:
                    review = snapshot.review(leaflet, lang)
                except ContentError as error:
                    _fail(outcomes, mine, list(error.problems))
                    continue
                if not review.ready:
                    # printed before its text changed: no longer approved
                    _skip(outcomes, mine, review.note)
                    for target in mine:
                        withdraw(project, outcomes[target])
                    continue
                if review.sign_off is not None:
                    approval = (review.sign_off.by, review.sign_off.date)
            for target in mine:
                outcome = outcomes[target]
                if not outcome.listed:
                    continue
                try:
                    with stages.time("compose"):
                        document = compose.compose(
                            leaflet, lang, project, translate, ui, draft=draft,
                            variant=target.variant, env=snapshot.environment(),
                            approval=approval)
                except ContentError as error:
                    _fail(outcomes, [target], list(error.problems))
                    continue
                html = project.html_path(lang, leaflet.slug, target.variant.suffix)
                try:
                    with stages.time("write"):
                        write_atomic(html, document.html.encode("utf-8"))
                except OSError as error:
                    _fail(outcomes, [target],
                          [write_problem(error, project.show(html))])
                    continue
                yield Job(document, leaflet, outcome)


def build(snapshot: Snapshot, langs: Iterable[str] | None = None,
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
    project = snapshot.project
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
    listed = sum(1 for outcome in outcomes.values() if outcome.listed)
    with _pool(project, min(jobs or os.cpu_count() or 1, listed), scheduler,
               listed) as pool:
        return _build(snapshot, pool, started, langs, paths, all_paths, chosen,
                      outcomes, listed_pdfs, listed_mos, unlisted, draft)


@contextmanager
def _pool(project: Project, workers: int, scheduler: str | None, listed: int
          ) -> Iterator[render.RenderPool | render.DaskPool | None]:
    """The render workers, started now (importing WeasyPrint takes a moment)
    so that they are ready once the catalogs are compiled and the first
    document composed; none when nothing is listed to print."""
    if not listed:
        yield None
        return
    pool = (render.DaskPool(scheduler) if scheduler else
            render.RenderPool(workers, memory_mb=project.settings.memory_limit))
    with pool:
        yield pool


def _build(snapshot: Snapshot, pool, started: float, langs: list[str],
           paths: list[Path], all_paths: list[Path], chosen, outcomes,
           listed_pdfs, listed_mos, unlisted, draft: bool) -> BuildReport:
    project = snapshot.project
    leaflets: list[Leaflet] = []
    lint_warnings: list[Problem] = []
    stages = Stages()
    for path in paths:
        mine = [target for target in outcomes if target.slug == path.stem]
        try:
            leaflet = snapshot.leaflet(path)
        except ContentError as error:
            _fail(outcomes, mine, list(error.problems))
            continue
        if leaflet.meta.draft and not draft:
            _skip(outcomes, mine, draft_note(leaflet))
            for target in mine:  # printed before it became a draft again
                withdraw(project, outcomes[target])
            continue
        with stages.time("lint"):
            blocking, warned = lint_problems(snapshot.lint_about(leaflet), draft)
        lint_warnings.extend(warned)
        if blocking:
            # say everything that stops it at once, its text included
            with stages.time("lint"):
                found = snapshot.lint_language(
                    leaflet, project.settings.source_language).findings
            more, warned = lint_problems(found, draft)
            lint_warnings.extend(warned)
            _fail(outcomes, mine, blocking + more)
            continue
        leaflets.append(leaflet)
    with stages.time("catalogs"):
        found = _compile_listed(snapshot, listed_mos, leaflets, outcomes)
    found += lint_warnings
    found += stray_files(project)
    found += project.settings.warnings
    warnings = [problem for problem in found if problem.warning]
    report = BuildReport(list(outcomes.values()),
                         problems=[problem for problem in found if not problem.warning],
                         warnings=warnings, stages=stages)
    if listed_pdfs is not None:  # what make did not list, and is there
        report.up_to_date = sum(
            len(target.outputs(project))
            for path in all_paths for lang in langs for variant in chosen
            for target in [Target(path.stem, lang, variant)]
            if target not in outcomes
            and all(output.exists() for output in target.outputs(project)))
    pending = sum(1 for outcome in outcomes.values()
                  if outcome.status == "pending" and outcome.listed)
    if pending and pool is not None:
        queue = _compose_all(snapshot, langs, leaflets, outcomes, draft, warnings,
                             stages)
        _render_all(snapshot, queue, pool, draft, report)
    # What make did not list is reported only when it waits (see Outcome).
    report.outcomes = [outcome for outcome in report.outcomes
                       if outcome.listed or outcome.status == "skipped"]
    if not draft:
        for outcome in report.failed:
            withdraw(project, outcome)
        report.stale = withdraw_stale(snapshot, outcomes,
                                      overdue=listed_pdfs is None)
    report.seconds = time.perf_counter() - started
    return report


def _render_all(snapshot: Snapshot, queue: Iterator[Job], pool, draft: bool,
                report: BuildReport) -> None:
    """Render and verify every job in the worker pool (or on a Dask cluster)
    as soon as it is composed; put each result in place as it arrives."""
    project = snapshot.project
    files = snapshot.assets()
    key = render.assets_key(files)
    workers = report.workers = pool.workers
    busy = 0.0
    started = pool.started
    futures = {}
    for job in queue:
        epoch = render.source_date_epoch(job.leaflet.meta.published)
        task = render.task_for(job.document, project, epoch, draft, files, key)
        futures[pool.submit(task)] = job
    total = len(futures)
    if isinstance(pool, render.DaskPool):
        LOGGER.info("printing %d document%s on the Dask cluster at %s", total,
                    "s" * (total != 1), pool.address)
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
        report.stages.merge(result.stages)
        busy += result.seconds
        with report.stages.time("write"):
            made = _finish(project, job, result, draft)
        outcome = job.outcome
        PROGRESS.info("[%d/%d] %s %s%s", done, total,
                      "printed" if outcome.status == "built" else "failed ",
                      ", ".join(project.show(path) for path in made)
                      or str(outcome.target),
                      f" ({outcome.pages} page{'s' * (outcome.pages != 1)})"
                      if outcome.status == "built" else "",
                      extra={"done": done, "total": total})
    startup = pool.startup()
    # What the workers did not spend printing, starting or waiting to start.
    report.stages.add("start-up", startup)
    report.stages.add("idle", max(0.0, workers * (time.perf_counter() - started)
                                  - busy - startup))


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
    outcome.counts = dict(zip(written, (result.pages, result.booklet_pages),
                              strict=False))
    if result.thumbnail is not None:  # after its PDF: the report sees it is current
        try:
            write_atomic(project.thumbnail_path(document.lang, document.slug),
                         result.thumbnail)
        except OSError:
            pass  # the report makes it again
    return written
