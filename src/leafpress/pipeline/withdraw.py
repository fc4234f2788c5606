"""Withdrawing PDFs: nobody prints a copy its current sources no longer make.

Called by ``build``, ``extract`` and ``update``. In: a
:class:`~leafpress.pipeline.snapshot.Snapshot` and the targets the caller has
just decided. Out: PDFs moved from ``build/pdf/`` to ``build/withdrawn/``
(a rename, which needs no disk space), each with the reason.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from pathlib import Path

from leafpress.errors import ContentError
from leafpress.model import Leaflet
from leafpress.pipeline.snapshot import Snapshot
from leafpress.pipeline.status import status_row
from leafpress.pipeline.targets import Target, target_of
from leafpress.quality import glossary
from leafpress.review import records
from leafpress.settings.project import CONFIG_NAME, Project


def withdraw_file(project: Project, pdf: Path) -> Path:
    """Move one PDF from ``build/pdf/`` to the same place under
    ``build/withdrawn/``; return where."""
    moved = project.build / "withdrawn" / pdf.relative_to(project.build / "pdf")
    moved.parent.mkdir(parents=True, exist_ok=True)
    os.replace(pdf, moved)
    return moved


def _newest(paths: Iterable[Path]) -> int:
    times = []
    for path in paths:
        try:
            times.append(path.stat().st_mtime_ns)
        except OSError:
            times.append(time.time_ns())  # gone: as new as can be
    return max(times, default=0)


def _why_stale(snapshot: Snapshot, leaflet: Leaflet | ContentError | None, lang: str
               ) -> str | None:
    """Why the PDFs of a leaflet in a language can no longer be printed from
    the current sources, or ``None`` if they can."""
    if leaflet is None:
        return "its leaflet is gone"
    if isinstance(leaflet, ContentError):
        return f"its leaflet has problems ({leaflet.problems[0]})"
    if leaflet.meta.draft:
        return "its leaflet is a draft again"
    blocking = [finding for finding in snapshot.lint_about(leaflet)
                if finding.blocking]
    if blocking:
        return str(blocking[0].problem())
    settings = snapshot.settings
    if lang not in settings.languages:
        return f"{lang} is no longer in leafpress.toml"
    if lang == settings.source_language:
        return None
    row = status_row(snapshot, leaflet, lang)
    if row.printable:
        return None
    problems = [problem for problem in row.problems if not problem.warning]
    return str(problems[0]) if problems else row.reason


def withdraw_stale(snapshot: Snapshot, spared: Iterable[Target] = (),
                   overdue: bool = True) -> list[tuple[Path, Path, str]]:
    """Withdraw every PDF in ``build/pdf/`` that its current sources can no
    longer print (a changed source its catalog does not have yet, a fuzzy
    entry, a broken catalog, a leaflet past its review date), whichever
    command changed them. Only PDFs older than one of their inputs are
    looked at; ``spared`` are targets the caller has just decided.
    ``overdue=False`` leaves out the leaflets past their review date whose
    files did not change (make lists those as stale on every run, so a build
    of make's list has decided them already) and so reads no leaflet that
    did not change. Returns
    (where it was, where it is now, why) for each file moved."""
    project = snapshot.project
    spared = {(target.slug, target.lang) for target in spared}
    folder = project.build / "pdf"
    found: dict[tuple[str, str], list[Path]] = {}
    for pdf in sorted(folder.glob("*/*.pdf")) if folder.is_dir() else ():
        target = target_of(pdf.relative_to(project.build))
        if target is not None and (target.slug, target.lang) not in spared:
            found.setdefault((target.slug, target.lang), []).append(pdf)
    settings = project.settings
    moved = []
    for (slug, lang), pdfs in found.items():
        path = project.leaflets / f"{slug}.md"
        inputs = [path, project.root / CONFIG_NAME]
        if settings.clinic is not None:
            inputs.append(settings.clinic / "clinic.toml")
        if lang != settings.source_language:
            catalogs = [project.po_path(lang, slug), project.po_path(lang, "ui")]
            terms = project.locales / lang / glossary.NAME
            inputs += catalogs + [path for path in [*map(records.path_for, catalogs),
                                                    terms] if path.exists()]
        changed = _newest(inputs) > min(pdf.stat().st_mtime_ns for pdf in pdfs)
        if not changed and not overdue:
            continue
        leaflet: Leaflet | ContentError | None = None
        if path.exists():
            try:
                leaflet = snapshot.leaflet(path)
            except ContentError as error:
                leaflet = error
        if not changed and not (isinstance(leaflet, Leaflet)
                                and leaflet.meta.review_by < snapshot.today):
            continue
        why = _why_stale(snapshot, leaflet, lang)
        if why is None:
            continue
        moved += [(pdf, withdraw_file(project, pdf), why) for pdf in pdfs]
    return moved
