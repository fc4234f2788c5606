"""``leafpress update`` and ``leafpress init-locale``: the templates merged
into every catalog, and a new language added.

Called by the CLI. In: a :class:`~leafpress.pipeline.snapshot.Snapshot` and
the languages. Out: an :class:`~leafpress.translation.update.UpdateReport`:
the ``.po`` files written, the source changes each met, the plural rules
rewritten, and the PDFs the new catalogs can no longer print, withdrawn
(judged from a new snapshot, taken after the catalogs were written).
"""

from __future__ import annotations

from collections.abc import Iterable

from babel import Locale, UnknownLocaleError

from leafpress.errors import UsageError
from leafpress.pipeline.snapshot import Snapshot
from leafpress.pipeline.targets import select_languages
from leafpress.pipeline.withdraw import withdraw_stale
from leafpress.settings.project import CONFIG_NAME, add_language, load_project
from leafpress.translation.update import UpdateReport, update_catalogs


def run_update(snapshot: Snapshot, langs: Iterable[str] | None = None
               ) -> UpdateReport:
    """Merge the templates into the catalogs of the target languages, then
    withdraw every PDF whose catalogs can no longer print it. A leaflet with
    problems is reported and its catalogs are left as they are."""
    project = snapshot.project
    chosen = [lang for lang in select_languages(project, langs)
              if lang != project.settings.source_language]
    leaflets, problems = snapshot.leaflets(project.leaflet_paths())
    domains = ["ui"] + [leaflet.slug for leaflet in leaflets]
    report = update_catalogs(project, domains, chosen)
    report.problems[:0] = problems
    report.withdrawn.extend(withdraw_stale(Snapshot(project, snapshot.today)))
    return report


def init_locale(snapshot: Snapshot, lang: str) -> tuple[Snapshot, UpdateReport]:
    """Add a language: put it in ``leafpress.toml`` and create its catalogs
    (with Babel's Language and Plural-Forms headers) from the templates."""
    project = snapshot.project
    try:
        locale = Locale.parse(lang.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        raise UsageError(f"{lang!r} is not a language Babel knows (use a code "
                         "such as tr, ar, pl, uk, ti, fa_AF)") from None
    lang = str(locale)
    if lang in project.settings.languages:
        raise UsageError(f"{lang} is already in leafpress.toml")
    missing = [project.show(project.pot_path(domain)) for domain in
               ["ui"] + [path.stem for path in project.leaflet_paths()]
               if not project.pot_path(domain).exists()]
    if missing:
        raise UsageError(f"no template {', '.join(missing)}; run `leafpress extract`")
    add_language(project.root / CONFIG_NAME, lang)
    snapshot = Snapshot(load_project(project.root), snapshot.today)
    return snapshot, run_update(snapshot, [lang])
