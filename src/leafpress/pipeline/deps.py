"""``leafpress deps``: the Makefile's view of the project.

Called by the CLI when make starts (``build/leafpress.mk``). In: a
:class:`~leafpress.pipeline.snapshot.Snapshot`. Out: make rules (each PDF on
its leaflet, catalogs and clinic settings; each ``.mo`` on its ``.po``) and
the lines that say why a draft or a leaflet still being translated is not
printed.

Make asks again whenever a leaflet, catalog or review record changed, so each
leaflet's rules are kept in ``build/deps.json`` with the size and time of
every file they were made from: only the leaflets whose files (or the
settings, templates, date or versions) changed are read again.
"""

from __future__ import annotations

import hashlib
import json
import re

from leafpress import versions
from leafpress.errors import ContentError
from leafpress.output import write_atomic
from leafpress.pipeline.snapshot import Snapshot
from leafpress.pipeline.status import status_row
from leafpress.pipeline.targets import draft_note, files_of, outputs_of
from leafpress.quality import glossary
from leafpress.report.pdfs import stamp
from leafpress.review import records


def make_rules(snapshot: Snapshot) -> tuple[str, list[str]]:
    """The Makefile's view of the project: each PDF depends on its leaflet and
    catalogs directly (make compares the times of real files, and a ``.mo``
    is rewritten only by the build itself); each ``.mo`` on its ``.po``. The
    PDFs of a leaflet past its review date are always out of date, so that
    the build withdraws them. A draft, and a leaflet still waiting for its
    first complete translation, have no target until they change: they are
    returned as the lines that say why they are not printed, which make
    shows when everything else is up to date."""
    project = snapshot.project
    cache_path = project.build / CACHE
    try:
        kept = json.loads(cache_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        kept = {}
    kept = kept if isinstance(kept, dict) else {}
    common = _common(snapshot)
    fresh: dict[str, dict] = {}
    rules: list[str] = []
    pdfs: list[str] = []
    mos: dict[str, str] = {}
    waiting: list[str] = []
    for path in project.leaflet_paths():
        key = _key(snapshot, path, common)
        found = kept.get(path.stem)
        if not (isinstance(found, dict) and found.get("key") == key):
            found = {"key": key, **_leaflet_rules(snapshot, path)}
        fresh[path.stem] = found
        rules += found["rules"]
        pdfs += found["pdfs"]
        mos.update(found["mos"])
        waiting += found["waiting"]
    try:
        write_atomic(cache_path, json.dumps(fresh).encode())
    except OSError:
        pass  # only the next run is slower
    rules += [f"{mo}: {po}" for mo, po in mos.items()]
    rules.append(f"LEAFPRESS_PDFS := {' '.join(pdfs)}")
    rules.append(f"LEAFPRESS_MOS := {' '.join(mos)}")
    return "\n".join(rules) + "\n", waiting


#: Each leaflet's rules, with the stamp of the files they were made from.
CACHE = "deps.json"


def _common(snapshot: Snapshot) -> str:
    """What every leaflet's rules depend on: the settings (their file and
    a clinic's), the HTML templates, each language's ``ui.po`` and its review,
    the date, the versions and where the build goes."""
    project = snapshot.project
    settings = project.settings
    files = [project.root / "leafpress.toml"]
    if settings.clinic is not None:
        files.append(settings.clinic / "clinic.toml")
    if project.templates.is_dir():  # the text of the templates (not their style)
        files += sorted(project.templates.rglob("*.html"))
    for lang in settings.target_languages:
        po = project.po_path(lang, "ui")
        files += [po, records.path_for(po)]
    return json.dumps([snapshot.today.isoformat(), versions.fingerprint(),
                       str(project.build_dir),
                       [stamp(file) for file in files]])


def _key(snapshot: Snapshot, path, common: str) -> str:
    """A leaflet's key: ``common`` and the stamps of its own files (the
    leaflet, each language's catalog, review record and glossary, and, where
    a review is asked for, whether its PDFs are there)."""
    project = snapshot.project
    slug = path.stem
    files = [path]
    for lang in project.settings.target_languages:
        po = project.po_path(lang, slug)
        files += [po, records.path_for(po), project.locales / lang / glossary.NAME]
    # (a language that asks for a review has a rule for a printed copy, to
    # withdraw it, and none for one that waits: there, what is printed counts)
    outputs = [output.exists() for lang in project.settings.languages
               if project.settings.review.required(lang)
               for output in outputs_of(project, slug, lang)]
    return hashlib.sha256(json.dumps(
        [common, [stamp(file) for file in files], outputs]).encode()).hexdigest()


def _leaflet_rules(snapshot: Snapshot, path) -> dict:
    """One leaflet's part of :func:`make_rules`: its rules, PDFs, ``.mo``
    files (by their ``.po``) and the lines that say why it waits."""
    project = snapshot.project
    settings = project.settings
    ui_wanted = snapshot.ui_wanted()
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
    slug = path.stem
    try:
        leaflet = snapshot.leaflet(path)
        wanted = snapshot.wanted(leaflet)
        overdue = leaflet.meta.review_by < snapshot.today
    except ContentError:
        leaflet, wanted, overdue = None, None, False  # the build reports it
    if leaflet is not None and leaflet.meta.draft:
        files = sum(files_of(project, slug, lang) for lang in settings.languages)
        waiting.append(f"{slug} ({files} files): {draft_note(leaflet)}")
        return {"rules": rules, "pdfs": pdfs, "mos": mos, "waiting": waiting}
    for lang in settings.languages:
        prerequisites = [project.show(path), *clinic] + ["FORCE"] * overdue
        if lang != settings.source_language:
            note = None
            if ui_waiting := snapshot.in_translation(lang, "ui", ui_wanted):
                note = f"the templates (ui.po) are {ui_waiting}"
            elif wanted is not None:
                note = snapshot.in_translation(lang, slug, wanted)
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
                if (review := records.path_for(po)).exists():
                    prerequisites.append(project.show(review))
            if (terms := project.locales / lang / glossary.NAME).exists():
                prerequisites.append(project.show(terms))
            # (only a language that asks for a review can wait for one)
            row = (status_row(snapshot, leaflet, lang)
                   if leaflet and settings.review.required(lang) else None)
            if (row is not None and row.waiting_for_review
                    and not any(output.exists()
                                for output in outputs_of(project, slug, lang))):
                # a printed copy has its rule: the build withdraws it
                waiting.append(f"{lang}/{slug} ({files_of(project, slug, lang)} "
                               f"files): not printed yet, {row.reason}")
                continue
        for output in outputs_of(project, slug, lang):
            pdfs.append(project.show(output))
            rules.append(f"{pdfs[-1]}: {' '.join(prerequisites)}")
    return {"rules": rules, "pdfs": pdfs, "mos": mos, "waiting": waiting}
