"""``leafpress deps``: the Makefile's view of the project.

Called by the CLI when make starts (``build/leafpress.mk``). In: a
:class:`~leafpress.pipeline.snapshot.Snapshot`. Out: make rules (each PDF on
its leaflet, catalogs and clinic settings; each ``.mo`` on its ``.po``) and
the lines that say why a draft or a leaflet still being translated is not
printed.
"""

from __future__ import annotations

import re

from leafpress.errors import ContentError
from leafpress.pipeline.snapshot import Snapshot
from leafpress.pipeline.status import status_row
from leafpress.pipeline.targets import Target, draft_note, files_of
from leafpress.quality import glossary
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
    settings = project.settings
    ui_wanted = snapshot.ui_wanted()
    ui_waiting = {lang: snapshot.in_translation(lang, "ui", ui_wanted)
                  for lang in settings.target_languages}
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
    for path in project.leaflet_paths():
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
            continue
        for lang in settings.languages:
            prerequisites = [project.show(path), *clinic] + ["FORCE"] * overdue
            if lang != settings.source_language:
                note = None
                if ui_waiting[lang]:
                    note = f"the templates (ui.po) are {ui_waiting[lang]}"
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
                outputs = [output for variant in settings.variants
                           for output in Target(slug, lang, variant).outputs(project)]
                if (row is not None and row.waiting_for_review
                        and not any(output.exists() for output in outputs)):
                    # a printed copy has its rule: the build withdraws it
                    waiting.append(f"{lang}/{slug} ({files_of(project, slug, lang)} "
                                   f"files): not printed yet, {row.reason}")
                    continue
            for variant in settings.variants:
                for output in Target(slug, lang, variant).outputs(project):
                    pdfs.append(project.show(output))
                    rules.append(f"{pdfs[-1]}: {' '.join(prerequisites)}")
    rules += [f"{mo}: {po}" for mo, po in mos.items()]
    rules.append(f"LEAFPRESS_PDFS := {' '.join(pdfs)}")
    rules.append(f"LEAFPRESS_MOS := {' '.join(mos)}")
    return "\n".join(rules) + "\n", waiting
