"""``leafpress report`` (and the end of every build): ``build/report.html``.

Called by the CLI. In: a :class:`~leafpress.pipeline.snapshot.Snapshot`:
after a build, the same one, so that the lint and the translation states the
build worked out are shown, not worked out again. Out: the report page (see
:mod:`leafpress.report`). A row whose leaflet, catalogs, settings and date
are as they were in the last report is taken from ``build/report/rows.json``
instead of being worked out again, and a leaflet whose rows, PDFs,
thumbnails and review sheets are all as they were keeps its section of the
page (``build/report/sections/<slug>.html``).
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path

from leafpress import versions
from leafpress.errors import ContentError, Problem
from leafpress.model import Leaflet
from leafpress.output import write_atomic
from leafpress.pipeline.lint import lint_entry
from leafpress.pipeline.snapshot import Snapshot
from leafpress.pipeline.status import status_row
from leafpress.pipeline.targets import outputs_of, stray_files
from leafpress.report import page, pdfs, rows
from leafpress.report.rows import Checked
from leafpress.review import records
from leafpress.review.state import ReviewState
from leafpress.settings.project import CONFIG_NAME, Project


def _checked(snapshot: Snapshot, leaflet: Leaflet, lang: str) -> Checked:
    """What the lint and the translation status say of one leaflet in one
    language."""
    entry = lint_entry(snapshot, leaflet, lang)
    status = None
    if lang != snapshot.settings.source_language:
        row = status_row(snapshot, leaflet, lang)
        status = {"note": row.note, "printable": row.printable,
                  "problems": [str(problem) for problem in row.problems
                               if not problem.warning],
                  "counts": asdict(row.counts),
                  "translated_version": row.translated_version,
                  "review": _review(row.review, row.waiting_for_review)}
    language = entry.language
    return Checked(rows.meta_of(leaflet), entry.findings,
                   language.scores if language else None,
                   language.hardest if language else [], entry.note, status)


def _review(review: ReviewState | None, waiting: bool) -> dict | None:
    """What the report says of a translation's review."""
    if review is None:
        return None
    sign = review.sign_off
    parts = [f"{review.revised} of {len(review.messages)} messages revised",
             f"signed off by {sign.by} on {sign.date}" if sign else
             "signed off text since changed" if review.last_sign_off else
             "not signed off"]
    return {"waiting": waiting, "note": review.note if waiting else None,
            "summary": "; ".join(parts)}


def _inputs(project: Project, today: datetime.date) -> list:
    """What every row depends on: the date, the settings, and the versions
    of leafpress, its libraries and fonts."""
    settings = project.settings
    return [today.isoformat(), pdfs.stamp(project.root / CONFIG_NAME),
            pdfs.stamp(settings.clinic / "clinic.toml") if settings.clinic else None,
            versions.fingerprint(), str(project.build_dir)]


def collect(snapshot: Snapshot, printed: Mapping[Path, int] | None = None
            ) -> tuple[list[page.Section], list[Problem]]:
    """Everything the report shows; ``printed``: the page count of each PDF
    the build just wrote (so that it is not read again)."""
    project, today = snapshot.project, snapshot.today
    settings = project.settings
    cache = pdfs.PageCache(project.build / page.FOLDER)
    for path, count in (printed or {}).items():
        cache.known(path, project.show(path), count)
    rows_path = project.build / page.FOLDER / "rows.json"
    try:
        kept = json.loads(rows_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        kept = {}
    kept_rows = kept.get("rows", {}) if isinstance(kept, dict) else {}
    kept_sections = kept.get("sections", {}) if isinstance(kept, dict) else {}
    common = _inputs(project, today)
    fresh: dict[str, dict] = {}
    fresh_sections: dict[str, dict] = {}
    problems: list[Problem] = []
    found: dict[str, page.Section] = {}
    made: list[tuple[str, page.Entry, dict[str, str]]] = []
    slugs = []
    for path in project.leaflet_paths():
        slug = path.stem
        keys = {lang: hashlib.sha256(json.dumps([common, pdfs.stamp(path), *(
            pdfs.stamp(file) for po in (project.po_path(lang, slug),
                                        project.po_path(lang, "ui"))
            for file in (po, records.path_for(po)))]).encode()).hexdigest()
            for lang in settings.languages}
        if (section := _kept_section(project, slug, keys, kept_rows,
                                     kept_sections.get(slug))) is not None:
            slugs.append(slug)
            found[slug] = section
            fresh_sections[slug] = kept_sections[slug]
            fresh.update({f"{lang}/{slug}": kept_rows[f"{lang}/{slug}"]
                          for lang in keys})
            continue
        checked: dict[str, Checked] = {}
        for lang, key in keys.items():
            if kept_rows.get(f"{lang}/{slug}", {}).get("key") == key:
                fresh[f"{lang}/{slug}"] = kept_rows[f"{lang}/{slug}"]
                checked[lang] = Checked.from_json(kept_rows[f"{lang}/{slug}"]["row"])
        if len(checked) < len(keys):
            try:
                leaflet = snapshot.leaflet(path)
            except ContentError as error:
                problems.extend(error.problems)
                continue
            for lang in keys:
                if lang not in checked:
                    checked[lang] = _checked(snapshot, leaflet, lang)
        for lang, key in keys.items():
            if f"{lang}/{slug}" not in fresh:
                fresh[f"{lang}/{slug}"] = {"key": key,
                                           "row": checked[lang].to_json()}
        slugs.append(slug)
        made.append((slug, rows.entry(project, slug, checked, _outputs(project, slug),
                                      cache, today), keys))
    cache.thumbnails()
    cache.save()
    for slug, entry, keys in made:  # their thumbnails are there now
        html = page.section(project, entry)
        found[slug] = page.Section.of(entry, html)
        try:
            write_atomic(_section_path(project, slug), html.encode("utf-8"))
        except OSError:
            continue  # made again next time
        fresh_sections[slug] = {"key": _section_key(project, slug, keys),
                                "section": {**found[slug].to_json(), "html": None}}
    write_atomic(rows_path, json.dumps({"rows": fresh, "sections": fresh_sections},
                                       sort_keys=True).encode())
    return [found[slug] for slug in slugs if slug in found], (
        problems + stray_files(project))


def _outputs(project: Project, slug: str) -> dict[str, list[Path]]:
    """Every PDF of a leaflet, by language."""
    return {lang: outputs_of(project, slug, lang)
            for lang in project.settings.languages}


def _section_path(project: Project, slug: str) -> Path:
    return project.build / page.FOLDER / "sections" / f"{slug}.html"


def _section_key(project: Project, slug: str, keys: dict[str, str]) -> str:
    """What a leaflet's section shows besides its rows (``keys``): its PDFs,
    their thumbnails and review sheets."""
    files = [file for lang, pdfs_of in _outputs(project, slug).items()
             for file in [*pdfs_of, project.thumbnail_path(lang, slug),
                          project.output("review", lang, slug, extension=".html")]]
    return hashlib.sha256(json.dumps([keys, [pdfs.stamp(file) for file in files]])
                          .encode()).hexdigest()


def _kept_section(project: Project, slug: str, keys: dict[str, str],
                  kept_rows: dict, kept: dict | None) -> page.Section | None:
    """The section of the last report, when nothing it shows changed."""
    if not isinstance(kept, dict) or kept.get("key") != _section_key(project, slug,
                                                                     keys):
        return None
    if any(kept_rows.get(f"{lang}/{slug}", {}).get("key") != key
           for lang, key in keys.items()):
        return None
    try:
        html = _section_path(project, slug).read_text(encoding="utf-8")
        return page.Section(**{**kept["section"], "html": html})
    except (OSError, TypeError, KeyError):
        return None


def write_report(snapshot: Snapshot, printed: Mapping[Path, int] | None = None
                 ) -> Path:
    """Write ``build/report.html``; return its path (``printed``: see
    :func:`collect`)."""
    sections, problems = collect(snapshot, printed)
    path = snapshot.project.build / page.REPORT_NAME
    write_atomic(path, page.render(snapshot.project, sections, problems,
                                   snapshot.today).encode("utf-8"))
    return path
