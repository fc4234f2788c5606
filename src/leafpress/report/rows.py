"""The rows of the report: one leaflet in one language, and what it says.

Called by :mod:`leafpress.pipeline.report`. In: what the lint and the
translation status found (:class:`Checked`, which is kept between runs as
JSON) and the PDFs of the leaflet. Out: the :class:`~leafpress.report.page.Row`
and :class:`~leafpress.report.page.Entry` objects the page shows: whether it
is printed (and if not, why), its pages, scores, findings and translation.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass
from pathlib import Path

from babel import Locale

from leafpress.model import Leaflet
from leafpress.quality import lint, readability
from leafpress.quality.rules import DEFAULT_TYPE, Finding
from leafpress.report.page import Entry, Printed, Row
from leafpress.report.pdfs import PageCache
from leafpress.settings.project import Project


@dataclass
class Checked:
    """What the lint and the translation status say of one leaflet in one
    language: the part of a row that is kept between runs (as JSON)."""

    meta: dict
    findings: list[Finding]
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
            data["meta"], [Finding(**item) for item in data["findings"]],
            readability.Scores(**data["scores"]) if data["scores"] else None,
            [(heading, [lint.Hard(readability.Sentence(**sentence), path, line)
                        for sentence, path, line in hards])
             for heading, hards in data["hardest"]],
            data["note"], data["status"])


def meta_of(leaflet: Leaflet) -> dict:
    """The front matter a report row shows (kept with the row as JSON)."""
    meta = leaflet.meta
    return {"title": meta.title, "version": meta.version,
            "type": meta.type or DEFAULT_TYPE,
            "published": meta.published.isoformat(),
            "review_by": meta.review_by.isoformat(), "authors": list(meta.authors),
            "clinical_reviewer": meta.clinical_reviewer,
            "sources": list(meta.sources), "draft": meta.draft,
            "todo": list(meta.todo)}



def _state(checked: Checked, blocking: list[Finding], pdfs: list[Printed]
           ) -> tuple[str, list[str]]:
    """printed, not printed (with the reasons), being translated or not
    built."""
    reasons = [str(finding.problem()) for finding in blocking]
    status = checked.status
    if status is not None and status["note"]:
        return "being translated", [status["note"]]
    review = (status or {}).get("review") or {}
    if review.get("waiting") and not checked.meta["draft"]:
        return "waiting for review", [review["note"]]
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


def row(project: Project, slug: str, lang: str, checked: Checked,
        outputs: list[Path], cache: PageCache) -> Row:
    """One leaflet in one language; ``outputs`` are its PDFs (every
    variant)."""
    settings = project.settings
    pdfs = []
    for path in outputs:
        shown = project.show(path)
        pages = cache.pages(path, shown) if path.exists() else None
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
        if status.get("review"):
            translation += f"; review: {status['review']['summary']}"
    sheet = project.output("review", lang, slug, extension=".html")
    name = Locale.parse(lang).get_display_name(Locale.parse(settings.source_language))
    return Row(slug, lang, name or lang, state, reasons, pdfs, None, checked.scores,
               blocking, warnings, checked.hardest, translation, checked.note,
               sheet.relative_to(project.build).as_posix() if status is not None
               and sheet.exists() else None)


def entry(project: Project, slug: str, checked: dict[str, Checked],
          outputs: dict[str, list[Path]], cache: PageCache, today: datetime.date
          ) -> Entry:
    """One leaflet with a row per language (``checked`` and ``outputs`` by
    language); the thumbnail of each row's first PDF is made later
    (:meth:`PageCache.thumbnails`)."""
    settings = project.settings
    meta = checked[settings.source_language].meta
    review_by = datetime.date.fromisoformat(meta["review_by"])
    found = Entry(slug, meta["title"], meta["version"], meta["type"],
                  datetime.date.fromisoformat(meta["published"]), review_by,
                  (review_by - today).days, tuple(meta["authors"]),
                  meta["clinical_reviewer"], tuple(meta["sources"]),
                  draft=meta["draft"], todo=tuple(meta.get("todo", ())))
    for lang in settings.languages:
        made = row(project, slug, lang, checked[lang], outputs[lang], cache)
        found.rows.append(made)
        first = next((project.root / pdf.path for pdf in made.pdfs if pdf.pages),
                     None)
        if first is not None:
            cache.thumbnail(first, project.thumbnail_path(lang, slug),
                            made)
    return found
