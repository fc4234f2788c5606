"""``leafpress check``: verify built PDFs against the current sources and
catalogs.

Called by the CLI. In: a :class:`~leafpress.pipeline.snapshot.Snapshot` and
the PDFs to check (every PDF in ``build/pdf/`` by default). Out: a
:class:`CheckReport`: each PDF is composed again from its sources and read
back, and every difference is a problem at its place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from leafpress.errors import ContentError, Problem
from leafpress.model import BOOKLET_SUFFIX
from leafpress.pipeline.snapshot import Snapshot, source_text
from leafpress.pipeline.targets import target_of
from leafpress.printing import compose, verify
from leafpress.translation.catalogs import Translator, Wanted


@dataclass
class CheckReport:
    checked: list[Path]
    problems: list[Problem]
    warnings: list[Problem] = field(default_factory=list)


def check(snapshot: Snapshot, pdfs: Iterable[Path] | None = None) -> CheckReport:
    """Verify built PDFs against the current sources and catalogs."""
    project = snapshot.project
    settings = project.settings
    paths = list(pdfs) if pdfs else sorted((project.build / "pdf").glob("*/*.pdf"))
    problems: list[Problem] = []
    warnings: list[Problem] = []
    for path in paths:
        shown = project.show(path)
        target = target_of(path.resolve().relative_to(path.resolve().parent.parent
                                                      .parent))
        if target is None or target.lang not in settings.languages:
            problems.append(Problem(shown, None, "not a leaflet PDF (expected "
                                    "pdf/<lang>/<slug>[.large|.a5|.booklet].pdf)"))
            continue
        if not path.is_file():
            problems.append(Problem(shown, None, "no such PDF"))
            continue
        lang = target.lang
        try:
            leaflet = snapshot.leaflet(project.leaflets / f"{target.slug}.md")
            approval = None
            if lang == settings.source_language:
                translate, ui = source_text, None
            else:
                ui = _current(snapshot, lang, "ui", snapshot.ui_wanted(), warnings)
                translate = _current(snapshot, lang, target.slug,
                                     snapshot.wanted(leaflet), warnings)
                review = snapshot.review(leaflet, lang)
                if not review.ready:
                    raise ContentError([Problem(shown, None, review.note)])
                if review.sign_off is not None:
                    approval = (review.sign_off.by, review.sign_off.date)
            document = compose.compose(leaflet, lang, project, translate, ui,
                                       variant=target.variant,
                                       env=snapshot.environment(), approval=approval)
        except ContentError as error:
            problems.extend(error.problems)
            continue
        if path.name.endswith(BOOKLET_SUFFIX + ".pdf"):
            reading = project.pdf_path(lang, target.slug, target.variant.suffix)
            problems.extend(verify.verify_booklet(path, shown, reading, document))
        else:
            problems.extend(verify.verify(path, shown, document).problems)
    return CheckReport(paths, problems, list(dict.fromkeys(warnings)))


def _current(snapshot: Snapshot, lang: str, domain: str, wanted: list[Wanted],
             warnings: list[Problem]) -> Translator:
    """The translator of a ``.po`` as it is now, after every catalog check."""
    found = snapshot.checked(lang, domain, wanted)
    warnings.extend(problem for problem in found if problem.warning)
    errors = [problem for problem in found if not problem.warning]
    if errors:
        raise ContentError(errors)
    return snapshot.translator(lang, domain)
