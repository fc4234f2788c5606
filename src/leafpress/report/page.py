"""The build report: ``build/report.html``, for whoever answers for the
leaflets (a clinic manager, the clinician who owns the content).

Called by ``leafpress build`` (at the end of every run) and ``leafpress
report``. In: the project, the lint of each leaflet in each language
(:func:`pipeline.lint_entry`), its translation status
(:func:`pipeline.status_row`) and the PDFs in ``build/pdf/``.
Out: one self-describing HTML page with, per leaflet and language, whether it
is printed, its page counts, a thumbnail of its first page, its readability
scores, its lint findings with the hardest sentences of each section, how far
its translation is, and its review dates.

The page has no script and loads nothing from the network: thumbnails are
PNG files in ``build/report/``, made with poppler's ``pdftoppm``. Page counts
and thumbnails are cached by the PDF's size and modification time, and each
row by its inputs, so that a report over a thousand PDFs is quick to redo.
Every cache is keyed on :func:`versions.fingerprint` too: a new release of a
library or font redoes it.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from importlib.resources import files
from pathlib import Path

from babel import Locale
from jinja2 import Environment, StrictUndefined
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from leafpress import pipeline, versions
from leafpress.errors import ContentError, Problem
from leafpress.output import write_atomic
from leafpress.quality import lint, readability
from leafpress.settings.project import CONFIG_NAME, Project
from leafpress.sources.leaflet import read_leaflet

REPORT_NAME = "report.html"
FOLDER = "report"
THUMBNAIL_WIDTH = 160


@dataclass
class Printed:
    """One PDF of a leaflet in a language: which variant, pages, where (and
    the link to it from the report)."""

    variant: str
    path: str
    pages: int | None
    href: str = ""


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
    #: A draft, and the front-matter fields it leaves as TODO (its dates
    #: are then shown as TODO, never as a stand-in date).
    draft: bool = False
    todo: tuple[str, ...] = ()


def _cache(project: Project) -> tuple[Path, dict, bool]:
    """The page counts of the last report, and whether they (and the
    thumbnails) were made with the same versions of leafpress, its libraries
    and fonts; if not, the cache starts empty."""
    path = project.build / FOLDER / "pages.json"
    try:
        cache = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        cache = {}
    fingerprint = versions.fingerprint()
    same = isinstance(cache, dict) and cache.get("versions") == fingerprint
    if not same:
        cache = {"versions": fingerprint}
    return path, cache, same


def _pages(path: Path, cache: dict, key: str) -> int | None:
    stamp = _stamp(path)[1:]
    cached = cache.get(key)
    if cached and cached[:2] == stamp:
        return cached[2]
    try:
        pages = len(PdfReader(path).pages)
    except (PyPdfError, OSError, ValueError):
        pages = None
    cache[key] = [*stamp, pages]
    return pages


def _thumbnail(pdf: Path, png: Path, again: bool = False) -> bool:
    """The first page of ``pdf`` as a small PNG (redone when the PDF is newer,
    or ``again``)."""
    if not again and png.exists() and png.stat().st_mtime_ns >= pdf.stat().st_mtime_ns:
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


@dataclass
class Checked:
    """What the lint and the translation status say of one leaflet in one
    language: the part of a row that is kept between runs (as JSON)."""

    meta: dict
    findings: list[lint.Finding]
    scores: readability.Scores | None
    hardest: list[tuple[str, list[lint.Hard]]]
    note: str | None
    #: The translation's state (None for the source language).
    status: dict | None

    def to_json(self) -> dict:
        return {
            "meta": self.meta,
            "findings": [asdict(finding) for finding in self.findings],
            "scores": asdict(self.scores) if self.scores else None,
            "hardest": [[heading, [[asdict(hard.sentence), hard.path, hard.line]
                                   for hard in hards]]
                        for heading, hards in self.hardest],
            "note": self.note, "status": self.status}

    @classmethod
    def from_json(cls, data: dict) -> Checked:
        return cls(
            data["meta"], [lint.Finding(**item) for item in data["findings"]],
            readability.Scores(**data["scores"]) if data["scores"] else None,
            [(heading, [lint.Hard(readability.Sentence(**sentence), path, line)
                        for sentence, path, line in hards])
             for heading, hards in data["hardest"]],
            data["note"], data["status"])


def _meta(leaflet) -> dict:
    meta = leaflet.meta
    return {"title": meta.title, "version": meta.version,
            "type": meta.type or lint.DEFAULT_TYPE,
            "published": meta.published.isoformat(),
            "review_by": meta.review_by.isoformat(), "authors": list(meta.authors),
            "clinical_reviewer": meta.clinical_reviewer,
            "sources": list(meta.sources), "draft": meta.draft,
            "todo": list(meta.todo)}


def _check(project: Project, leaflet, lang: str, about: list[lint.Finding],
           ui: pipeline.UiStatus) -> Checked:
    entry = pipeline.lint_entry(project, leaflet, lang, about)
    status = None
    if lang != project.settings.source_language:
        row = pipeline.status_row(project, leaflet, lang, ui)
        status = {"note": row.note, "printable": row.printable,
                  "problems": [str(problem) for problem in row.problems
                               if not problem.warning],
                  "counts": asdict(row.counts),
                  "translated_version": row.translated_version}
    language = entry.language
    return Checked(_meta(leaflet), entry.findings,
                   language.scores if language else None,
                   language.hardest if language else [], entry.note, status)


def _stamp(path: Path) -> list:
    try:
        stat = path.stat()
    except OSError:
        return [str(path), None]
    return [str(path), stat.st_mtime_ns, stat.st_size]


def _inputs(project: Project, today: datetime.date) -> list:
    """What every row depends on: the date, the settings, and the versions
    of leafpress, its libraries and fonts."""
    settings = project.settings
    return [today.isoformat(), _stamp(project.root / CONFIG_NAME),
            _stamp(settings.clinic / "clinic.toml") if settings.clinic else None,
            versions.fingerprint(), str(project.build_dir)]


def _state(checked: Checked, blocking: list[lint.Finding], pdfs: list[Printed]
           ) -> tuple[str, list[str]]:
    """printed, not printed (with the reasons), being translated or not
    built."""
    reasons = [str(finding.problem()) for finding in blocking]
    status = checked.status
    if status is not None and status["note"]:
        return "being translated", [status["note"]]
    if status is not None and not status["printable"]:
        reasons += status["problems"]
    if checked.meta["draft"]:
        reasons.insert(0, "a draft: not printed until it is approved")
    if reasons:
        return "not printed", reasons
    missing = [pdf.path for pdf in pdfs if pdf.pages is None]
    if missing:
        return "not built", [f"{path} is missing: run make" for path in missing]
    return "printed", []


def collect(project: Project, today: datetime.date | None = None
            ) -> tuple[list[Entry], list[Problem]]:
    """Everything the report shows. A row whose leaflet, catalogs, settings
    and date are as they were in the last report is taken from
    ``build/report/rows.json`` instead of being linted again."""
    today = today or datetime.date.today()
    settings = project.settings
    cache_path, cache, same = _cache(project)
    rows_path = project.build / FOLDER / "rows.json"
    try:
        kept = json.loads(rows_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        kept = {}
    common = _inputs(project, today)
    ui = pipeline.UiStatus(project)
    fresh: dict[str, dict] = {}
    problems: list[Problem] = []
    entries: list[Entry] = []
    thumbnails: list[tuple[Path, Path, Row]] = []
    for path in project.leaflet_paths():
        slug = path.stem
        keys = {lang: hashlib.sha256(json.dumps([common, _stamp(path), _stamp(
            project.po_path(lang, slug)), _stamp(project.po_path(lang, "ui"))])
            .encode()).hexdigest() for lang in settings.languages}
        checked: dict[str, Checked] = {}
        for lang, key in keys.items():
            if kept.get(f"{lang}/{slug}", {}).get("key") == key:
                checked[lang] = Checked.from_json(kept[f"{lang}/{slug}"]["row"])
        if len(checked) < len(keys):
            try:
                leaflet = read_leaflet(path, settings.placeholders, project.root)
            except ContentError as error:
                problems.extend(error.problems)
                continue
            about = pipeline.lint_leaflet(project, leaflet, today)
            for lang in keys:
                if lang not in checked:
                    checked[lang] = _check(project, leaflet, lang, about, ui)
        for lang, key in keys.items():
            fresh[f"{lang}/{slug}"] = {"key": key, "row": checked[lang].to_json()}
        meta = checked[settings.source_language].meta
        review_by = datetime.date.fromisoformat(meta["review_by"])
        entry = Entry(slug, meta["title"], meta["version"], meta["type"],
                      datetime.date.fromisoformat(meta["published"]), review_by,
                      (review_by - today).days, tuple(meta["authors"]),
                      meta["clinical_reviewer"], tuple(meta["sources"]),
                      draft=meta["draft"], todo=tuple(meta.get("todo", ())))
        entries.append(entry)
        for lang in settings.languages:
            row = _row(project, slug, lang, checked[lang], cache)
            entry.rows.append(row)
            first = next((project.root / pdf.path for pdf in row.pdfs if pdf.pages),
                         None)
            if first is not None:
                png = project.build / FOLDER / lang / f"{slug}.png"
                thumbnails.append((first, png, row))
    with ThreadPoolExecutor(max_workers=4) as pool:
        made = list(pool.map(lambda job: _thumbnail(job[0], job[1], not same),
                             thumbnails))
    for (_pdf, png, row), ok in zip(thumbnails, made, strict=True):
        if ok:
            row.thumbnail = png.relative_to(project.build).as_posix()
    write_atomic(cache_path, json.dumps(cache, indent=0, sort_keys=True).encode())
    write_atomic(rows_path, json.dumps(fresh, sort_keys=True).encode())
    return entries, problems + pipeline.stray_files(project)


def _row(project: Project, slug: str, lang: str, checked: Checked, cache: dict
         ) -> Row:
    settings = project.settings
    pdfs = []
    for variant in settings.variants:
        for path in pipeline.Target(slug, lang, variant).outputs(project):
            shown = project.show(path)
            pages = _pages(path, cache, shown) if path.exists() else None
            pdfs.append(Printed(path.name.removeprefix(slug).removesuffix(".pdf")
                                .lstrip(".") or "standard", shown, pages,
                                path.relative_to(project.build).as_posix()))
    blocking = [finding for finding in checked.findings if finding.blocking]
    warnings = [finding for finding in checked.findings if not finding.blocking]
    state, reasons = _state(checked, blocking, pdfs)
    status = checked.status
    if status is None:
        translation = "source text"
    else:
        counts = status["counts"]
        translation = (f"{counts['translated']} translated, {counts['fuzzy']} "
                       f"fuzzy, {counts['untranslated']} untranslated")
        if status["translated_version"]:
            translation += ("; translated against version "
                            f"{status['translated_version']}")
    name = Locale.parse(lang).get_display_name(Locale.parse(settings.source_language))
    return Row(slug, lang, name or lang, state, reasons, pdfs, None, checked.scores,
               blocking, warnings, checked.hardest, translation, checked.note)


def render(project: Project, entries: list[Entry], problems: list[Problem],
           today: datetime.date) -> str:
    env = Environment(autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    template = env.from_string(files(__package__).joinpath("report.html")
                               .read_text(encoding="utf-8"))
    drafts = [entry for entry in entries if entry.draft]
    entries = [entry for entry in entries if not entry.draft]
    rows = [row for entry in entries for row in entry.rows]
    waiting = [(entry, row) for entry in entries for row in entry.rows
               if row.state != "printed"]
    return template.render(
        project=project.settings.organisation, today=today, entries=entries,
        drafts=drafts, waiting=waiting,
        problems=[str(problem) for problem in problems],
        totals={
            "leaflets": len(entries),
            "drafts": len(drafts),
            "rows": len(rows),
            "printed": sum(row.state == "printed" for row in rows),
            "not_printed": sum(row.state in ("not printed", "not built")
                               for row in rows),
            "translating": sum(row.state == "being translated" for row in rows),
            "blocking": sum(len(row.blocking) for row in rows),
            "warnings": sum(len(row.warnings) for row in rows),
            "pdfs": sum(1 for row in rows for pdf in row.pdfs if pdf.pages),
        },
        targets=project.settings.lint, thumbnail_width=THUMBNAIL_WIDTH)


def write_report(project: Project, today: datetime.date | None = None) -> Path:
    """Write ``build/report.html``; return its path."""
    today = today or datetime.date.today()
    entries, problems = collect(project, today)
    path = project.build / REPORT_NAME
    write_atomic(path, render(project, entries, problems, today).encode("utf-8"))
    return path
