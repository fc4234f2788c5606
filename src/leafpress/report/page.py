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
import functools
from dataclasses import asdict, dataclass, field
from importlib.resources import files

from jinja2 import Environment, StrictUndefined
from markupsafe import Markup

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


@dataclass
class Section:
    """One leaflet as the page shows it: its section (HTML, made by
    :func:`section`) and what the top of the page counts and lists of it.
    Kept between runs as JSON while nothing it shows changed."""

    slug: str
    title: str
    html: str
    draft: bool
    #: For a draft: the fields it leaves as TODO, and its dates.
    todo: list[str]
    published: str
    review_by: str
    #: Per language: lang, state, its first reason and how many more, the
    #: findings and the PDFs printed.
    rows: list[dict]

    @classmethod
    def of(cls, entry: Entry, html: str) -> Section:
        return cls(entry.slug, entry.title, html, entry.draft, list(entry.todo),
                   entry.published.isoformat(), entry.review_by.isoformat(), [
                       {"lang": row.lang, "state": row.state,
                        "reason": row.reasons[0] if row.reasons else None,
                        "more": max(0, len(row.reasons) - 1),
                        "blocking": len(row.blocking), "warnings": len(row.warnings),
                        "pdfs": sum(1 for pdf in row.pdfs if pdf.pages)}
                       for row in entry.rows])

    def to_json(self) -> dict:
        return asdict(self)


@functools.cache
def _template(name: str = "report.html"):
    env = Environment(autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    return env.from_string(files(__package__).joinpath(name)
                           .read_text(encoding="utf-8"))


def section(project: Project, entry: Entry) -> str:
    """The HTML of one leaflet's section of the page (``section.html``)."""
    return str(_template("section.html").module.section(entry,
                                                         project.settings.lint))


def render(project: Project, sections: list[Section], problems: list[Problem],
           today: datetime.date) -> str:
    drafts = [found for found in sections if found.draft]
    sections = [found for found in sections if not found.draft]
    rows = [row for found in sections for row in found.rows]
    waiting = [(found, row) for found in sections for row in found.rows
               if row["state"] != "printed"]
    return _template().render(
        project=project.settings.organisation, today=today,
        sections=[Markup(found.html) for found in sections],
        drafts=drafts, waiting=waiting,
        problems=[str(problem) for problem in problems],
        totals={
            "leaflets": len(sections),
            "drafts": len(drafts),
            "rows": len(rows),
            "printed": sum(row["state"] == "printed" for row in rows),
            "not_printed": sum(row["state"] in ("not printed", "not built")
                               for row in rows),
            "translating": sum(row["state"] == "being translated" for row in rows),
            "reviewing": sum(row["state"] == "waiting for review" for row in rows),
            "blocking": sum(row["blocking"] for row in rows),
            "warnings": sum(row["warnings"] for row in rows),
            "pdfs": sum(row["pdfs"] for row in rows),
        },
        targets=project.settings.lint, thumbnail_width=THUMBNAIL_WIDTH)
