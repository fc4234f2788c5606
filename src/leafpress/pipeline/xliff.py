"""``leafpress xliff export`` and ``leafpress xliff import``: catalogs to and
from translation agencies, as XLIFF 1.2.

Called by the CLI. In: a :class:`~leafpress.pipeline.snapshot.Snapshot` and
a language and leaflets (export), or an XLIFF file an agency sent back
(import). Out: one XLIFF 1.2 file with a ``<file>`` per catalog (the
leaflets' and ``ui.po``) and an :class:`ExportReport`; or the translations
merged into the ``.po`` files and an :class:`ImportReport` (messages changed
per catalog, the units refused, the PDFs withdrawn).

An import reads the file as untrusted (see
:mod:`leafpress.translation.xliff`), and every ``<file>`` must name a
catalog of this project in a configured language, or nothing is imported.
Each unit then passes every translation check of a build
(:mod:`leafpress.quality.checks` and the glossary) or is refused at its
line and left out; so is a unit whose source is no longer the catalog's
msgid. A translation whose state is ``translated``, ``final`` or
``signed-off`` clears the fuzzy flag; ``needs-review-*`` sets it, and so
does a new text in any other state; nothing else touches it. A catalog is
written only when a message changed, so that exporting and importing
unchanged text changes no byte. The review records of a changed message
no longer match its text, so it waits for revision again.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog, Message

from leafpress.errors import ContentError, Problem, UsageError, display_path
from leafpress.model import SLUG_RE
from leafpress.output import write_atomic
from leafpress.pipeline.snapshot import Snapshot
from leafpress.pipeline.targets import select_leaflets, target_language
from leafpress.pipeline.withdraw import withdraw_stale
from leafpress.quality import checks, glossary
from leafpress.translation import catalogs, pofile, xliff
from leafpress.translation.catalogs import Wanted, empty, singular
from leafpress.translation.extract import creation_date, serialise
from leafpress.translation.pofile import short
from leafpress.translation.update import bind

UI = "ui"
_ORIGINAL = re.compile(r"locales/([^/]+)/LC_MESSAGES/([^/]+)\.po\Z")


def _original(snapshot: Snapshot, lang: str, domain: str) -> str:
    """A catalog's path in the project, as ``<file original>`` names it."""
    project = snapshot.project
    return project.po_path(lang, domain).relative_to(project.root).as_posix()


# -- export -----------------------------------------------------------------


@dataclass
class ExportReport:
    """What an export wrote: the file, the messages of each catalog in it,
    and the problems (leaflets that could not be read, messages left out,
    catalogs behind their leaflet)."""

    output: Path
    units: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def export_xliff(snapshot: Snapshot, lang: str, slugs: Iterable[str] | None,
                 output: Path, ui: bool = True) -> ExportReport:
    """Write the catalogs of ``lang`` for the leaflets ``slugs`` (every
    leaflet when none is named), and ``ui.po`` unless ``ui`` is false, as
    one XLIFF 1.2 file. A catalog that is missing or cannot be read stops
    the export (:class:`ContentError`); nothing is written then."""
    project = snapshot.project
    lang = target_language(snapshot.project, lang,
                           "export a language the leaflets are translated into")
    output = Path(output)
    if output.resolve().is_relative_to(project.locales.resolve()):
        raise UsageError(f"{output}: write the XLIFF file outside "
                         f"{project.show(project.locales)}/, which holds the "
                         "catalogs")
    leaflets, problems = snapshot.leaflets(select_leaflets(project, slugs))
    parts: list[tuple[str, list[Wanted], str]] = []
    if ui:
        parts.append((UI, snapshot.ui_wanted(),
                      "The words the leaflet templates print around every leaflet "
                      "(headers, footers, “About this leaflet”)."))
    for leaflet in leaflets:
        meta = leaflet.meta
        parts.append((leaflet.slug, snapshot.wanted(leaflet),
                      f"The leaflet “{meta.title}”, version {meta.version} "
                      f"({project.show(leaflet.path)})."))
    advice = (" Keep every inline code (<ph>) and **bold** marker; write numbers "
              "as your language writes them, with the same values and units.")
    report = ExportReport(output, problems=problems)
    sections, broken = [], []
    source = snapshot.settings.source_language
    try:
        terms = snapshot.glossary(lang)
    except ContentError as error:
        terms = ()
        report.problems.extend(error.problems)
    for domain, wanted, note in parts:
        found = snapshot.catalog(lang, domain)
        if found.catalog is None:
            broken.extend(found.problems)
            continue
        catalog = found.catalog
        missing = [item for item in wanted
                   if catalog.get(item.msgid, item.context) is None]
        if missing:
            report.problems.append(Problem(
                found.shown, None, f"behind its source: {len(missing)} message"
                f"{'s' * (len(missing) != 1)} ({short(missing[0].msgid)}…) not in the "
                "catalog yet; run `leafpress update` and export again", warning=True))
        messages = [message for message in catalog if message.id]
        for message in messages:
            if not xliff.exportable(message):
                report.problems.append(Problem(
                    found.shown, found.lines.get((message.context, message.id)),
                    f"left out: {short(singular(message.id))} holds a control "
                    "character XML cannot hold", warning=True))
        report.units[found.shown] = sum(map(xliff.exportable, messages))
        sections.append(xliff.Section(_original(snapshot, lang, domain),
                                      _xml_language(source), _xml_language(lang),
                                      catalog, note + advice, terms=terms))
    if broken:
        raise ContentError(broken)
    write_atomic(output, xliff.write(sections))
    return report


def _xml_language(lang: str) -> str:
    """A leafpress language code as XML writes it (``fa_AF`` → ``fa-AF``)."""
    return lang.replace("_", "-")


# -- import -----------------------------------------------------------------


@dataclass
class ImportReport:
    """What an import did: the messages changed in each catalog, the
    catalogs written, the units refused (errors) and the warnings of the
    translation checks, and the PDFs withdrawn."""

    changed: dict[str, int] = field(default_factory=dict)
    written: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: (where it was, where it is now, why) of each PDF withdrawn.
    withdrawn: list[tuple[Path, Path, str]] = field(default_factory=list)

    @property
    def refused(self) -> list[Problem]:
        return [problem for problem in self.problems if not problem.warning]


def _same_language(given: str, lang: str) -> bool:
    """Whether an XML language code is ``lang``: the same, or ``lang`` with
    a region (``nl-NL`` for ``nl``)."""
    given_parts = given.replace("-", "_").lower().split("_")
    wanted = lang.replace("-", "_").lower().split("_")
    return given_parts == wanted or (len(wanted) == 1 and given_parts[0] == wanted[0])


@dataclass(frozen=True)
class _Target:
    """A ``<file>`` of the XLIFF and the catalog it goes to."""

    section: xliff.Section
    lang: str
    domain: str
    path: Path
    shown: str
    catalog: Catalog


def _resolve(snapshot: Snapshot, section: xliff.Section, shown: str
             ) -> _Target | Problem:
    """The catalog a ``<file>`` goes to, or why it is refused."""
    project, settings = snapshot.project, snapshot.settings
    original = section.original.replace("\\", "/")
    here = f"<file original={section.original!r}>"

    def refuse(why: str) -> Problem:
        return Problem(shown, section.line, f"refused: {here} {why}; nothing is "
                       "imported")

    match = _ORIGINAL.match(original)
    if not original:
        return Problem(shown, section.line, "refused: a <file> without original, so "
                       "leafpress cannot tell which catalog it is for; nothing is "
                       "imported")
    if match is None:
        return refuse("is not a catalog of this project (those are "
                      "locales/LANG/LC_MESSAGES/SLUG.po)")
    lang, domain = match[1], match[2]
    if lang not in settings.languages or lang == settings.source_language:
        return refuse(f"is for {lang!r}, which is not a language this project "
                      "translates into")
    if domain != UI and not (SLUG_RE.match(domain) and
                             (project.leaflets / f"{domain}.md").is_file()):
        return refuse(f"is for {domain!r}, which is not a leaflet of this project")
    if not _same_language(section.target_language, lang):
        return refuse(f"has target-language={section.target_language!r}, but the "
                      f"catalog is for {lang!r}")
    if not _same_language(section.source_language, settings.source_language):
        return refuse(f"has source-language={section.source_language!r}, but the "
                      f"leaflets are written in {settings.source_language!r}")
    path = project.po_path(lang, domain)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return refuse(f"names {project.show(path)}, which does not exist; run "
                      "`leafpress update`")
    try:
        catalog = catalogs.parse_catalog(data, project.show(path), lang)
    except ContentError as error:
        return refuse(f"names a catalog that cannot be read ({error.problems[0]})")
    try:
        snapshot.glossary(lang)  # every translation is checked against it
    except ContentError as error:
        return refuse(f"is for {lang!r}, whose glossary cannot be read "
                      f"({error.problems[0]})")
    return _Target(section, lang, domain, path, project.show(path), catalog)


def _fuzzy_after(fuzzy: bool, changed: bool, states: list[str | None]) -> bool:
    """Whether a message is fuzzy after the import: a state that says it is
    done clears the flag, one that asks for review sets it, and so does new
    text in any other state; otherwise it stays as it was."""
    if all(state in xliff.DONE for state in states):
        return False
    if any(state in xliff.REVIEW for state in states) or changed:
        return True
    return fuzzy


class _Catalog:
    """The merge of a ``<file>``'s units into its catalog."""

    def __init__(self, snapshot: Snapshot, target: _Target, shown: str,
                 problems: list[Problem]):
        self.snapshot, self.target, self.shown = snapshot, target, shown
        self.problems = problems
        settings = snapshot.settings
        self.terms = snapshot.glossary(target.lang)
        self.settings = dataclasses.replace(
            settings.checks, same_allowed=settings.checks.same_allowed
            | glossary.kept(self.terms))
        self.changed = 0

    def refuse(self, unit: xliff.Unit, why: str) -> None:
        self.problems.append(Problem(self.shown, unit.line, f"not imported: {why}"))

    def merge(self) -> int:
        """Merge every unit; return how many messages changed."""
        index = {xliff.unit_id(singular(message.id), message.context): message
                 for message in self.target.catalog if message.id}
        seen: dict[str, int] = {}
        plurals: dict[str, list[xliff.Unit]] = {}
        for unit in self.target.section.units:
            key = f"{unit.plural}[{unit.form}]" if unit.plural is not None else unit.id
            if unit.problem:
                self.refuse(unit, unit.problem)
            elif key in seen:
                self.refuse(unit, f"a second unit {key!r} (the first is at line "
                            f"{seen[key]}): keep one")
            elif unit.plural is not None:
                seen[key] = unit.line
                plurals.setdefault(unit.plural, []).append(unit)
            else:
                seen[key] = unit.line
                message = index.get(unit.id)
                if message is not None and isinstance(message.id, (list, tuple)):
                    self.refuse(unit, f"{short(message.id[0])} has plural forms in "
                                f"{self.target.shown} now; export it again")
                else:
                    self.message(message, [unit], unit)
        for gid, units in plurals.items():
            self.message(index.get(gid), sorted(units, key=lambda unit: unit.form),
                         units[0])
        return self.changed

    def message(self, message: Message | None, units: list[xliff.Unit],
                first: xliff.Unit) -> None:
        """Merge the units of one message (one, or one per plural form)."""
        if message is None:
            self.refuse(first, f"not a message of {self.target.shown} (its source "
                        "changed or it was removed since the export); export again "
                        "and translate the new text")
            return
        sources = [message.id] if isinstance(message.id, str) else list(message.id)
        plural = not isinstance(message.id, str)
        if not plural and first.plural is not None:
            self.refuse(first, f"{short(message.id)} has no plural forms in "
                        f"{self.target.shown} now; export it again")
            return
        strings = list(message.string) if isinstance(
            message.string, (list, tuple)) else [message.string or ""]
        if plural:
            count = max(pofile.nplurals(pofile.fields(self.target.catalog).get(
                "Plural-Forms", "")) or 2, len(strings))
            if [unit.form for unit in units] != list(range(count)):
                self.refuse(first, f"the plural forms of {short(sources[0])} must "
                            f"come as {count} units, [0] to [{count - 1}]; export "
                            "again")
                return
            sources = [sources[0]] + [sources[1]] * (count - 1)
        texts = []
        for unit, source in zip(units, sources, strict=True):
            known = xliff.codes(source)
            try:
                found = xliff.restore(unit.source or (), known)
                text = xliff.restore(unit.target or (), known)
            except xliff.InlineError as error:
                self.refuse(unit, str(error))
                return
            if unit.source is None or found != source:
                self.refuse(unit, f"its source is not the text of the catalog now "
                            f"({short(source)}); export again and translate the "
                            "new text")
                return
            texts.append(text)
        if not any(text.strip() for text in texts):
            return  # nothing translated: the catalog keeps what it has
        if not all(text.strip() for text in texts):
            self.refuse(first, f"every plural form of {short(sources[0])} must be "
                        "translated")
            return
        before = tuple(strings) if plural else message.string or ""
        after = tuple(texts) if plural else texts[0]
        changed = after != before
        fuzzy = _fuzzy_after(message.fuzzy, changed,
                             [unit.state for unit in units])
        if not changed and fuzzy == message.fuzzy:
            return
        if not self.passes(units, sources, texts):
            return
        message.string = after
        if fuzzy:
            message.flags.add("fuzzy")
        else:
            message.flags.discard("fuzzy")
            message.previous_id = []
            message.previous_context = None
        self.changed += 1

    def passes(self, units: list[xliff.Unit], sources: list[str],
               texts: list[str]) -> bool:
        """Run every translation check; a critical finding refuses the unit,
        a warning is reported."""
        source_lang = self.snapshot.settings.source_language
        lang = self.target.lang
        passed = True
        for unit, source, text in zip(units, sources, texts, strict=True):
            findings = checks.check(source, text, self.settings, source_lang, lang)
            findings += glossary.check(self.terms, source, text, source_lang, lang)
            for finding in findings:
                critical = finding.severity == checks.CRITICAL
                passed = passed and not critical
                self.problems.append(Problem(
                    self.shown, unit.line, f"{finding.rule}: {finding.message}"
                    + (f"; {short(source)} is not imported" if critical else ""),
                    warning=not critical))
        return passed


def _complete(catalog: Catalog, wanted: list[Wanted]) -> bool:
    """Whether a catalog translates every message its source uses now."""
    for item in wanted:
        message = catalog.get(item.msgid, item.context)
        if message is None or message.fuzzy or empty(message.string):
            return False
    return True


def _state(catalog: Catalog) -> dict[tuple, tuple]:
    """Every message's text and fuzzy flag, to compare a catalog with what
    its bytes read back as."""
    def text(string):
        return tuple(string) if isinstance(string, (list, tuple)) else string or ""
    found: dict[tuple, tuple] = {
        (message.context, singular(message.id)): (text(message.string), message.fuzzy)
        for message in catalog if message.id}
    found["obsolete"] = (len(catalog.obsolete),)
    return found


def _write(snapshot: Snapshot, target: _Target) -> bytes | Problem:
    """The catalog's new bytes, with the revision date (and, when it is now
    complete, its source version), checked by reading them back."""
    catalog = target.catalog
    fields = pofile.fields(catalog)
    fields["PO-Revision-Date"] = creation_date().strftime("%Y-%m-%d %H:%M%z")
    wanted: list[Wanted] | None = None
    version = None
    if target.domain == UI:
        wanted = snapshot.ui_wanted()
    else:
        try:
            leaflet = snapshot.leaflet(snapshot.project.leaflets
                                       / f"{target.domain}.md")
        except ContentError:
            pass  # a leaflet with problems: no record of a complete translation
        else:
            wanted, version = snapshot.wanted(leaflet), leaflet.meta.version
    if wanted is not None and _complete(catalog, wanted):
        bind(catalog, version, wanted)
    data = serialise(catalog)
    try:
        again = _state(catalogs.parse_catalog(data, target.shown, target.lang))
    except ContentError as error:
        again = {"problem": (str(error.problems[0]),)}
    if again != _state(catalog):
        return Problem(target.shown, None, "not imported: the merged catalog would "
                       "not read back as merged; the file is left as it was (this "
                       "is a bug in leafpress: please report it)")
    return data


def import_xliff(snapshot: Snapshot, path: Path) -> ImportReport:
    """Merge the translations of an XLIFF 1.2 file into the catalogs it came
    from. A file that cannot be read safely, or a ``<file>`` that is not a
    catalog of this project, raises :class:`ContentError` and nothing is
    imported; a unit that is refused is a problem at its line and left out
    (see the module docstring)."""
    project = snapshot.project
    path = Path(path)
    shown = display_path(path, project.root)
    try:
        with open(path, "rb") as file:  # no further than the limit
            data = file.read(xliff.MAX_BYTES + 1)
    except OSError as error:
        raise UsageError(f"cannot read {shown}: {error.strerror}") from None
    sections = xliff.read(data, shown)
    targets, refused = [], []
    originals: dict[Path, int] = {}
    for section in sections:
        found = _resolve(snapshot, section, shown)
        if isinstance(found, Problem):
            refused.append(found)
        elif found.path in originals:
            refused.append(Problem(shown, section.line, f"refused: a second <file> "
                                   f"for {found.shown} (the first is at line "
                                   f"{originals[found.path]}); nothing is imported"))
        else:
            originals[found.path] = section.line
            targets.append(found)
    if refused:
        raise ContentError(refused)
    if not targets:
        raise ContentError([Problem(shown, None, "refused: the file has no <file> "
                                    "element, so there is nothing to import")])
    report = ImportReport()
    for target in targets:
        changed = _Catalog(snapshot, target, shown, report.problems).merge()
        if not changed:
            continue
        written = _write(snapshot, target)
        if isinstance(written, Problem):
            report.problems.append(written)
            continue
        write_atomic(target.path, written, durable=True)
        report.changed[target.shown] = changed
        report.written.append(target.path)
    if report.written:
        report.withdrawn.extend(withdraw_stale(Snapshot(project, snapshot.today)))
    return report
