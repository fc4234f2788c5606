"""``leafpress memory export`` and ``leafpress memory import``: a language's
translations to and from TMX 1.4b, the file translation agencies and their
tools exchange.

Called by the CLI. In: a :class:`~leafpress.pipeline.snapshot.Snapshot`, and
a language and the file to write (export) or a TMX file (import). Out: an
:class:`ExportReport` (the file written, how many units, the catalogs that
could not be read) or an :class:`ImportReport` (how many units each
language gained).

Export writes one ``<tu>`` for each translated, non-fuzzy message of every
catalog of the language (the same pair once). Import keeps the units that
pair the project's source language with one of its languages and adds them
to ``locales/<lang>/memory.tmx``, which ``leafpress update`` offers as fuzzy
suggestions only (:mod:`leafpress.translation.memory`). Every file is read
in full before anything is written: a refused file changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from leafpress.errors import ContentError, Problem, UsageError
from leafpress.model import SLUG_RE
from leafpress.output import write_atomic
from leafpress.pipeline.snapshot import Snapshot
from leafpress.pipeline.targets import target_language
from leafpress.translation import memory
from leafpress.translation.memory import Unit


@dataclass
class ExportReport:
    """What ``memory export`` wrote."""

    path: Path
    #: How many ``<tu>`` it holds.
    units: int = 0
    #: Catalogs that could not be read (left out), and messages XML cannot
    #: hold (left out).
    problems: list[Problem] = field(default_factory=list)


@dataclass
class ImportReport:
    """What ``memory import`` did."""

    #: The units each language gained, by language.
    added: dict[str, int] = field(default_factory=dict)
    #: Units its memory already had (or the file repeats).
    known: int = 0
    #: ``<tu>`` elements that pair the source language with none of the
    #: project's languages (or have an empty side).
    skipped: int = 0
    #: The ``memory.tmx`` files written.
    written: list[Path] = field(default_factory=list)


def export_memory(snapshot: Snapshot, lang: str, output: Path) -> ExportReport:
    """Write every translated, non-fuzzy message of every catalog of ``lang``
    (``ui.po`` and each leaflet's) to ``output`` as TMX 1.4b."""
    project = snapshot.project
    lang = target_language(snapshot.project, lang,
                           "a memory is of a language the leaflets are translated into")
    report = ExportReport(output)
    units: list[Unit] = []
    folder = project.locales / lang / "LC_MESSAGES"
    for path in sorted(folder.glob("*.po")):
        if path.stem != "ui" and not SLUG_RE.match(path.stem):
            continue
        found = snapshot.catalog(lang, path.stem)
        if found.catalog is None:
            report.problems.extend(Problem(problem.path, problem.line, "not exported: "
                                           + problem.message)
                                   for problem in found.problems)
            continue
        for unit in memory.catalog_units(found.catalog, found.lines, path.name):
            if memory.writable(unit):
                units.append(unit)
            else:
                line = found.lines.get((unit.context, unit.source))
                report.problems.append(Problem(
                    found.shown, line, "not exported: the translation holds a control "
                    "character that XML cannot hold; delete it"))
    units = memory.unique(units)
    write_atomic(output, memory.write_tmx(units, snapshot.settings.source_language,
                                          lang))
    report.units = len(units)
    return report


def import_memory(snapshot: Snapshot, path: Path) -> ImportReport:
    """Add the units of a TMX file that pair the source language with one of
    the project's languages to ``locales/<lang>/memory.tmx`` (merged with what
    is there, each translation once). A file that is not well-formed TMX, has
    a DOCTYPE or is too large is refused at its line; nothing is written."""
    project = snapshot.project
    settings = snapshot.settings
    shown = project.show(path)
    try:
        data = memory.read_limited(path, shown)
    except FileNotFoundError:
        raise UsageError(f"{shown}: no such file") from None
    langs = list(settings.target_languages)
    found, skipped = memory.read_tmx(data, shown, settings.source_language, langs,
                                     path.name)
    report = ImportReport(skipped=skipped)
    merged: dict[str, list[Unit]] = {}
    for lang in langs:
        if not found[lang]:
            continue
        target = memory.memory_path(project, lang)
        try:
            existing = memory.read_limited(target, project.show(target))
        except FileNotFoundError:
            known: list[Unit] = []
        else:
            try:
                known = memory.read_tmx(existing, project.show(target),
                                        settings.source_language, [lang], memory.NAME,
                                        keep_origins=True)[0][lang]
            except ContentError as error:
                raise ContentError([Problem(problem.path, problem.line, "not imported: "
                                            "the memory there cannot be read: "
                                            + problem.message)
                                    for problem in error.problems]) from None
        keys = {unit.key for unit in known}
        new = memory.unique(unit for unit in found[lang] if unit.key not in keys)
        report.known += len(found[lang]) - len(new)
        report.added[lang] = len(new)
        if new:
            merged[lang] = memory.unique([*known, *new])
    for lang, units in merged.items():
        target = memory.memory_path(project, lang)
        write_atomic(target, memory.write_tmx(units, settings.source_language, lang),
                     durable=True)
        report.written.append(target)
    return report
