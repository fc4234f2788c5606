"""The report page: ``build/report.html``, for whoever answers for the
leaflets (a clinic manager, the clinician who owns the content).

Called by :mod:`leafpress.pipeline.report`. In: one :class:`Entry` per
leaflet, with a :class:`Row` per language (see :mod:`leafpress.report.rows`).
Out: one self-describing HTML page with, per leaflet and language, whether it
is printed, its page counts, a thumbnail of its first page, its readability
scores, its lint findings with the hardest sentences of each section, how far
its translation is, and its review dates. The page has no script and loads
nothing from the network.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from importlib.resources import files

from jinja2 import Environment, StrictUndefined

from leafpress.errors import Problem
from leafpress.quality import lint, readability
from leafpress.quality.rules import Finding
from leafpress.report.pdfs import THUMBNAIL_WIDTH
from leafpress.settings.project import Project

REPORT_NAME = "report.html"
FOLDER = "report"


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
    blocking: list[Finding]
    warnings: list[Finding]
    hardest: list[tuple[str, list[lint.Hard]]]
    translation: str
    note: str | None = None
    #: The bilingual review sheet (``leafpress review``), if there is one.
    review_sheet: str | None = None


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
            "reviewing": sum(row.state == "waiting for review" for row in rows),
            "blocking": sum(len(row.blocking) for row in rows),
            "warnings": sum(len(row.warnings) for row in rows),
            "pdfs": sum(1 for row in rows for pdf in row.pdfs if pdf.pages),
        },
        targets=project.settings.lint, thumbnail_width=THUMBNAIL_WIDTH)
