"""The batch: every stage strung together for ``build``, ``check``,
``extract``, ``update`` and ``status``.

Called by the CLI. In: a :class:`~leafpress.config.Project` and what to do.
Out: report objects the CLI turns into output and an exit code. Nothing here
prints; progress goes to the ``leafpress`` logger.

A problem in one leaflet or catalog never stops the others: each target (one
leaflet in one language) fails or succeeds on its own, and a target that
fails withdraws its old PDF from ``build/pdf/`` so that nobody prints a copy
that no longer matches its sources.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Iterable
from concurrent.futures import as_completed
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog

from . import catalogs, extract, pofile, render, verify
from .catalogs import Counts, Translator, Wanted
from .config import CONFIG_NAME, Project, add_language, load_project
from .errors import ContentError, Problem, UsageError
from .ingest import SLUG_RE, read_leaflet, read_leaflets
from .model import Document, Leaflet
from .output import commit, remove_litter, temporary_path, write_atomic

LOGGER = logging.getLogger("leafpress")


@dataclass(frozen=True)
class Target:
    """One leaflet in one language."""

    slug: str
    lang: str

    def __str__(self) -> str:
        return f"{self.lang}/{self.slug}"


@dataclass
class Outcome:
    """What happened to one target."""

    target: Target
    status: str = "pending"  # built | failed
    problems: list[Problem] = field(default_factory=list)
    output: Path | None = None
    pages: int = 0
    withdrawn: Path | None = None


@dataclass
class BuildReport:
    """The result of a build: one outcome per target, plus timings."""

    outcomes: list[Outcome]
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    peak_rss_mb: float = 0.0

    @property
    def failed(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.status == "failed"]

    @property
    def built(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.status == "built"]

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


_PDF_RE = re.compile(r"(?:^|/)build/pdf/([^/]+)/([a-z0-9-]+)\.pdf$")
_MO_RE = re.compile(r"(?:^|/)build/mo/([^/]+)/LC_MESSAGES/([a-z0-9-]+)\.mo$")


def read_target_list(path: Path) -> tuple[set[Target], set[tuple[str, str]]]:
    """Read the list of stale files that make writes (one path per line)."""
    targets: set[Target] = set()
    compiled: set[tuple[str, str]] = set()
    try:
        lines = path.read_text(encoding="utf-8").split()
    except FileNotFoundError:
        return targets, compiled
    for line in lines:
        if match := _PDF_RE.search(line):
            targets.add(Target(match[2], match[1]))
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


def withdraw(project: Project, outcome: Outcome) -> None:
    """Move a PDF that can no longer be rebuilt out of ``build/pdf/``."""
    pdf = project.pdf_path(outcome.target.lang, outcome.target.slug)
    if pdf.exists():
        target = project.withdrawn_path(outcome.target.lang, outcome.target.slug)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(pdf, target)
        outcome.withdrawn = target


def _fail(outcomes: dict[Target, Outcome], targets: Iterable[Target],
          problems: list[Problem]) -> None:
    for target in targets:
        outcome = outcomes[target]
        outcome.status = "failed"
        outcome.problems.extend(problems)


def _source_text(msgid: str, context: str | None = None) -> str:
    """The source language needs no catalog: every message is itself."""
    return msgid


def _translators(project: Project, lang: str, leaflets: list[Leaflet],
                 outcomes: dict[Target, Outcome], draft: bool,
                 warnings: list[Problem],
                 ) -> tuple[Translator | None, dict[str, Translator]]:
    """Compile the catalogs of one language (for a draft: read the ``.po``
    files as they are) and return the template and leaflet translators.
    A catalog that does not compile fails the targets that need it."""
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
        mo, found = catalogs.compile_catalog(project, lang, domain, wanted)
        warnings.extend(found)
        return Translator.load(mo, project.show(mo))

    try:
        ui = compiled("ui", ui_messages(project))
    except ContentError as error:
        _fail(outcomes, [Target(leaflet.slug, lang) for leaflet in leaflets],
              list(error.problems))
        return None, {}
    result = {}
    for leaflet in leaflets:
        try:
            result[leaflet.slug] = compiled(leaflet.slug,
                                            wanted_messages(leaflet, project))
        except ContentError as error:
            _fail(outcomes, [Target(leaflet.slug, lang)], list(error.problems))
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
        try:
            problems.extend(catalogs.compile_catalog(project, lang, domain, wanted)[1])
        except ContentError as error:
            problems.extend(error.problems)
    return problems


def _compose_all(project: Project, langs: list[str], leaflets: list[Leaflet],
                 outcomes: dict[Target, Outcome], draft: bool,
                 warnings: list[Problem]) -> list[tuple[Document, Leaflet, Outcome]]:
    """Compose the HTML of every target still standing and keep it beside
    the PDF-to-be in ``build/html/``."""
    documents = []
    for lang in langs:
        wanted = [leaflet for leaflet in leaflets
                  if Target(leaflet.slug, lang) in outcomes]
        if not wanted:
            continue
        ui, translators = _translators(project, lang, wanted, outcomes, draft,
                                       warnings)
        for leaflet in wanted:
            outcome = outcomes[Target(leaflet.slug, lang)]
            if outcome.status == "failed":
                continue
            translate = translators.get(leaflet.slug, _source_text)
            try:
                document = render.compose(leaflet, lang, project, translate, ui,
                                          draft=draft)
            except ContentError as error:
                _fail(outcomes, [outcome.target], list(error.problems))
                continue
            write_atomic(project.html_path(lang, leaflet.slug),
                         document.html.encode("utf-8"))
            documents.append((document, leaflet, outcome))
    return documents


def build(project: Project, langs: Iterable[str] | None = None,
          slugs: Iterable[str] | None = None, jobs: int | None = None,
          draft: bool = False, target_list: Path | None = None) -> BuildReport:
    """Compile, render and verify; one target's failure never stops another.

    ``target_list`` (written by make) limits the work to the stale files it
    names. ``draft`` prints missing translations in the source language with
    a DRAFT mark on every page, into ``build/draft/`` only.
    """
    started = time.perf_counter()
    langs = select_languages(project, langs)
    paths = select_leaflets(project, slugs)
    listed_pdfs, listed_mos = (read_target_list(target_list) if target_list
                               else (None, set()))
    if listed_pdfs is not None:
        stems = ({target.slug for target in listed_pdfs}
                 | {domain for _lang, domain in listed_mos})
        paths = [path for path in paths if path.stem in stems]
    remove_litter(project.build)

    outcomes = {Target(path.stem, lang): Outcome(Target(path.stem, lang))
                for path in paths for lang in langs
                if listed_pdfs is None or Target(path.stem, lang) in listed_pdfs}
    leaflets: list[Leaflet] = []
    for path in paths:
        try:
            leaflets.append(read_leaflet(path, project.settings.placeholders,
                                         project.root))
        except ContentError as error:
            _fail(outcomes, [t for t in outcomes if t.slug == path.stem],
                  list(error.problems))
    found = _compile_listed(project, listed_mos, leaflets, outcomes)
    warnings = [problem for problem in found if problem.warning]
    documents = _compose_all(project, langs, leaflets, outcomes, draft, warnings)
    report = BuildReport(list(outcomes.values()),
                         problems=[problem for problem in found if not problem.warning],
                         warnings=warnings)
    if documents:
        _render_all(project, documents, jobs, draft, report)
    if not draft:
        for outcome in report.failed:
            withdraw(project, outcome)
    report.seconds = time.perf_counter() - started
    return report


def _render_all(project: Project, documents: list[tuple[Document, Leaflet, Outcome]],
                jobs: int | None, draft: bool, report: BuildReport) -> None:
    jobs = min(jobs or os.cpu_count() or 1, len(documents))
    total = len(documents)
    LOGGER.info("printing %d PDF%s with %d worker%s", total, "s" * (total != 1),
                jobs, "s" * (jobs != 1))
    with render.RenderPool(jobs) as pool:
        futures = {}
        for document, leaflet, outcome in documents:
            final = (project.draft_path if draft else project.pdf_path)(
                document.lang, document.slug)
            temporary = temporary_path(final)
            task = render.task_for(document, project, temporary,
                                   render.source_date_epoch(leaflet.meta.published))
            futures[pool.submit(task)] = (document, outcome, temporary, final)
        for done, future in enumerate(as_completed(futures), start=1):
            document, outcome, temporary, final = futures[future]
            result = future.result()
            report.peak_rss_mb = max(report.peak_rss_mb, result.peak_rss_mb)
            problems = _render_problems(project, document, result)
            shown = project.show(final)
            pages = 0
            if not problems:
                verdict = verify.verify(temporary, shown, document)
                problems, pages = list(verdict.problems), verdict.pages
            if problems:
                if temporary.exists() and temporary.stat().st_size:
                    rejected = project.rejected_path(document.lang, document.slug)
                    rejected.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(temporary, rejected)
                    problems.append(Problem(shown, None, "not printed; the rejected "
                                            f"copy is {project.show(rejected)}"))
                temporary.unlink(missing_ok=True)
                outcome.status = "failed"
                outcome.problems.extend(problems)
                LOGGER.info("[%d/%d] failed  %s", done, total, shown)
                continue
            commit(temporary, final)
            outcome.status = "built"
            outcome.output = final
            outcome.pages = pages
            LOGGER.info("[%d/%d] printed %s (%d page%s)", done, total, shown,
                        outcome.pages, "s" * (outcome.pages != 1))


def _render_problems(project: Project, document: Document,
                     result: render.RenderResult) -> list[Problem]:
    html = project.show(project.html_path(document.lang, document.slug))
    problems = [Problem(html, None, f"refused to fetch {url}")
                for url in result.refused]
    problems += [Problem(html, None, f"WeasyPrint: {message}")
                 for message in result.complaints
                 if not any(url in message for url in result.refused)]
    if result.error:
        problems.append(Problem(html, None, f"rendering failed: {result.error}"))
    return problems


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
        lang, slug = path.parent.name, path.stem
        if lang not in settings.languages or not SLUG_RE.match(slug):
            problems.append(Problem(shown, None, "not a leaflet PDF (expected "
                                    "build/pdf/<lang>/<slug>.pdf)"))
            continue
        if not path.is_file():
            problems.append(Problem(shown, None, "no such PDF"))
            continue
        try:
            leaflet = read_leaflet(project.leaflets / f"{slug}.md",
                                   settings.placeholders, project.root)
            if lang == settings.source_language:
                translate, ui = _source_text, None
            else:
                if lang not in ui_cache:
                    ui_cache[lang] = _current(project, lang, "ui", ui_messages(project),
                                              warnings)
                ui = ui_cache[lang]
                translate = _current(project, lang, slug,
                                     wanted_messages(leaflet, project), warnings)
            document = render.compose(leaflet, lang, project, translate, ui)
        except ContentError as error:
            problems.extend(error.problems)
            continue
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


def run_extract(project: Project) -> tuple[list[Path], list[Problem]]:
    """Write every ``.pot``; leaflets with problems are reported, not written."""
    leaflets, problems = read_leaflets(project.leaflet_paths(),
                                       project.settings.placeholders, project.root)
    return extract.extract(project, leaflets), problems


def run_update(project: Project, langs: Iterable[str] | None = None
               ) -> catalogs.UpdateReport:
    """Merge the templates into the catalogs of the target languages, then
    withdraw every PDF whose catalogs can no longer print it."""
    chosen = [lang for lang in select_languages(project, langs)
              if lang != project.settings.source_language]
    domains = ["ui"] + [path.stem for path in project.leaflet_paths()]
    report = catalogs.update(project, domains, chosen)
    rows, _problems = status(project, chosen)
    for row in rows:
        if not row.printable:
            outcome = Outcome(Target(row.slug, row.lang))
            withdraw(project, outcome)
            if outcome.withdrawn:
                report.withdrawn.append(outcome.withdrawn)
    return report


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
    """One leaflet in one language: how far its translation is."""

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


def status(project: Project, langs: Iterable[str] | None = None
           ) -> tuple[list[StatusRow], list[Problem]]:
    """Translation matrix: leaflet x language, with translated, fuzzy and
    untranslated messages and words, and whether the PDF can be printed
    (every catalog rule passes, for the leaflet and the templates)."""
    settings = project.settings
    langs = list(langs) if langs is not None else list(settings.target_languages)
    leaflets, problems = read_leaflets(project.leaflet_paths(), settings.placeholders,
                                       project.root)
    ui_problems = {lang: _catalog_problems(project, lang, "ui", ui_messages(project))[1]
                   for lang in langs}
    rows = []
    for leaflet in leaflets:
        wanted = wanted_messages(leaflet, project)
        current = catalogs.source_hash((item.msgid, item.context) for item in wanted)
        for lang in langs:
            catalog, found = _catalog_problems(project, lang, leaflet.slug, wanted)
            blocking = [problem for problem in found + ui_problems[lang]
                        if not problem.warning]
            header = pofile.fields(catalog) if catalog is not None else {}
            rows.append(StatusRow(
                leaflet.slug, lang, leaflet.meta.version,
                catalogs.count(catalog, wanted), not blocking, tuple(found),
                header.get(catalogs.SOURCE_VERSION), header.get(catalogs.SOURCE_HASH),
                current))
    return rows, problems


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
