"""The build report: ``build/report.html``, for whoever answers for the
leaflets (a clinic manager, the clinician who owns the content).

Called by ``leafpress build`` (at the end of every run) and ``leafpress
report``. In: the project, its lint results (:func:`pipeline.run_lint`), its
translation status (:func:`pipeline.status`) and the PDFs in ``build/pdf/``.
Out: one self-describing HTML page with, per leaflet and language, whether it
is printed, its page counts, a thumbnail of its first page, its readability
scores, its lint findings with the hardest sentences of each section, how far
its translation is, and its review dates.

The page has no script and loads nothing from the network: thumbnails are
PNG files in ``build/report/``, made with poppler's ``pdftoppm``. Page counts
and thumbnails are cached by the PDF's size and modification time, so that
a report over a thousand PDFs is quick to redo.
"""

from __future__ import annotations

import datetime
import json
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from babel import Locale
from jinja2 import Environment, StrictUndefined
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from . import lint, pipeline, readability
from .config import Project
from .errors import Problem
from .output import write_atomic

REPORT_NAME = "report.html"
FOLDER = "report"
THUMBNAIL_WIDTH = 160


@dataclass
class Printed:
    """One PDF of a leaflet in a language: which variant, pages, where."""

    variant: str
    path: str
    pages: int | None


@dataclass
class Row:
    """One leaflet in one language, as the report shows it."""

    slug: str
    lang: str
    language: str
    state: str
    reasons: list[str]
    pdfs: list[Printed]
    thumbnail: str | None
    scores: readability.Scores | None
    ease: tuple[str, float] | None
    blocking: list[lint.Finding]
    warnings: list[lint.Finding]
    hardest: list[tuple[str, list[lint.Hard]]]
    translation: str
    note: str | None = None


@dataclass
class Entry:
    """One leaflet: its front matter, review state and a row per language."""

    slug: str
    title: str
    version: str
    type: str
    published: datetime.date
    review_by: datetime.date
    review_days: int
    authors: tuple[str, ...]
    clinical_reviewer: str
    sources: tuple[str, ...]
    rows: list[Row] = field(default_factory=list)


def _cache(project: Project) -> tuple[Path, dict]:
    path = project.build / FOLDER / "pages.json"
    try:
        return path, json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return path, {}


def _pages(path: Path, cache: dict, key: str) -> int | None:
    stat = path.stat()
    stamp = [stat.st_mtime_ns, stat.st_size]
    cached = cache.get(key)
    if cached and cached[:2] == stamp:
        return cached[2]
    try:
        pages = len(PdfReader(path).pages)
    except (PyPdfError, OSError, ValueError):
        pages = None
    cache[key] = [*stamp, pages]
    return pages


def _thumbnail(pdf: Path, png: Path) -> bool:
    """The first page of ``pdf`` as a small PNG (redone when the PDF is newer)."""
    if png.exists() and png.stat().st_mtime_ns >= pdf.stat().st_mtime_ns:
        return True
    tool = shutil.which("pdftoppm")
    if tool is None:
        return False
    png.parent.mkdir(parents=True, exist_ok=True)
    partial = png.with_name(png.stem + ".partial")
    done = subprocess.run(
        [tool, "-png", "-singlefile", "-f", "1", "-l", "1", "-scale-to-x",
         str(THUMBNAIL_WIDTH * 2), "-scale-to-y", "-1", str(pdf), str(partial)],
        capture_output=True, timeout=60, check=False)
    made = partial.with_name(partial.name + ".png")
    if done.returncode != 0 or not made.exists():
        made.unlink(missing_ok=True)
        return False
    made.replace(png)
    return True


def _state(project: Project, entry: pipeline.LintEntry,
           status: pipeline.StatusRow | None, pdfs: list[Printed]
           ) -> tuple[str, list[str]]:
    """printed, not printed (with the reasons) or being translated."""
    reasons = [str(finding.problem()) for finding in entry.blocking]
    if status is not None and status.note:
        return "being translated", [status.note]
    if status is not None and not status.printable:
        reasons += [str(problem) for problem in status.problems if not problem.warning]
    if entry.leaflet.meta.draft:
        reasons.insert(0, "a draft: not printed until it is approved")
    if reasons:
        return "not printed", reasons
    missing = [pdf.path for pdf in pdfs if pdf.pages is None]
    if missing:
        return "not built", [f"{path} is missing: run make" for path in missing]
    return "printed", []


def collect(project: Project, today: datetime.date | None = None
            ) -> tuple[list[Entry], list[Problem]]:
    """Everything the report shows."""
    today = today or datetime.date.today()
    settings = project.settings
    linted = pipeline.run_lint(project, today=today)
    rows, status_problems = pipeline.status(project)
    status = {(row.slug, row.lang): row for row in rows}
    cache_path, cache = _cache(project)
    entries: dict[str, Entry] = {}
    thumbnails: list[tuple[Path, Path, Row]] = []
    for item in linted.entries:
        meta = item.leaflet.meta
        entry = entries.get(item.slug)
        if entry is None:
            entry = entries[item.slug] = Entry(
                item.slug, meta.title, meta.version, meta.type or lint.DEFAULT_TYPE,
                meta.published, meta.review_by, (meta.review_by - today).days,
                meta.authors, meta.clinical_reviewer, meta.sources)
        pdfs = []
        for variant in settings.variants:
            for path in pipeline.Target(item.slug, item.lang, variant).outputs(project):
                shown = project.show(path)
                pages = _pages(path, cache, shown) if path.exists() else None
                pdfs.append(Printed(path.name.removeprefix(item.slug).removesuffix(
                    ".pdf").lstrip(".") or "standard", shown, pages))
        row_status = status.get((item.slug, item.lang))
        state, reasons = _state(project, item, row_status, pdfs)
        language = item.language
        counts = row_status.counts if row_status else None
        translation = ("source text" if item.lang == settings.source_language else
                       f"{counts.translated} translated, {counts.fuzzy} fuzzy, "
                       f"{counts.untranslated} untranslated" if counts else "-")
        if row_status and row_status.translated_version:
            translation += ("; translated against version "
                            f"{row_status.translated_version}")
        row = Row(item.slug, item.lang, Locale.parse(item.lang).get_display_name(
            Locale.parse(settings.source_language)) or item.lang, state, reasons, pdfs,
            None, language.scores if language else None,
            language.scores.ease if language else None, item.blocking,
            item.warnings, language.hardest if language else [], translation,
            item.note)
        entry.rows.append(row)
        first = next((project.root / pdf.path for pdf in pdfs if pdf.pages), None)
        if first is not None:
            png = project.build / FOLDER / item.lang / f"{item.slug}.png"
            thumbnails.append((first, png, row))
    with ThreadPoolExecutor(max_workers=4) as pool:
        made = list(pool.map(lambda job: _thumbnail(job[0], job[1]), thumbnails))
    for (_pdf, png, row), ok in zip(thumbnails, made, strict=True):
        if ok:
            row.thumbnail = png.relative_to(project.build).as_posix()
    write_atomic(cache_path, json.dumps(cache, indent=0, sort_keys=True).encode())
    return list(entries.values()), linted.problems + status_problems


def render(project: Project, entries: list[Entry], problems: list[Problem],
           today: datetime.date) -> str:
    env = Environment(autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    template = env.from_string(files(__package__).joinpath("report.html")
                               .read_text(encoding="utf-8"))
    rows = [row for entry in entries for row in entry.rows]
    return template.render(
        project=project.settings.organisation, today=today, entries=entries,
        problems=[str(problem) for problem in problems],
        languages=project.settings.languages,
        totals={
            "leaflets": len(entries),
            "rows": len(rows),
            "printed": sum(row.state == "printed" for row in rows),
            "not_printed": sum(row.state in ("not printed", "not built")
                               for row in rows),
            "translating": sum(row.state == "being translated" for row in rows),
            "blocking": sum(len(row.blocking) for row in rows),
            "warnings": sum(len(row.warnings) for row in rows),
            "pdfs": sum(1 for row in rows for pdf in row.pdfs if pdf.pages),
        },
        review_warning=project.settings.lint.review_warning_days,
        targets=project.settings.lint)


def write_report(project: Project, today: datetime.date | None = None) -> Path:
    """Write ``build/report.html``; return its path."""
    today = today or datetime.date.today()
    entries, problems = collect(project, today)
    path = project.build / REPORT_NAME
    write_atomic(path, render(project, entries, problems, today).encode("utf-8"))
    return path
