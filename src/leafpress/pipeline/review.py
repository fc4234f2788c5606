"""``leafpress review`` and ``leafpress sign``: the bilingual review sheet,
and the records of a revision or a sign-off.

Called by the CLI. In: a :class:`~leafpress.pipeline.snapshot.Snapshot`, a
target language, leaflets, and (for ``sign``) the role, the name and the
messages. Out: ``build/review/<lang>/<slug>.html`` and ``.pdf``; or new
records in ``locales/<lang>/LC_MESSAGES/<domain>.review.toml``, each bound
to the text it approves (see :mod:`leafpress.review`).

A reviser who is the catalog's last translator is refused (ISO 17100 asks
for another person); a clinician other than the leaflet's
``clinical-reviewer`` is a warning. Nothing is signed that could not print:
a catalog with a missing, fuzzy or failing message is refused with its
problems, and so is a sign-off of text not yet revised when the policy asks
for both.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale

from leafpress.errors import ContentError, Problem, UsageError
from leafpress.model import Leaflet
from leafpress.output import write_atomic
from leafpress.pipeline.snapshot import Snapshot
from leafpress.pipeline.targets import (
    select_leaflets,
    target_language,
)
from leafpress.review import records, sheet
from leafpress.review.records import Records, Revision, SignOff
from leafpress.review.state import Message
from leafpress.settings.review import REVISED
from leafpress.translation import pofile

ROLES = ("reviser", "clinician")


def sheet_path(snapshot: Snapshot, lang: str, slug: str, suffix: str) -> Path:
    return snapshot.project.output("review", lang, slug, extension=suffix)


def run_review(snapshot: Snapshot, lang: str, slugs: Iterable[str] | None,
               pdf: bool = True) -> tuple[list[Path], list[Problem]]:
    """Write the review sheet of each leaflet in ``lang`` (every leaflet
    when none is named); return the files written and the leaflets that
    could not be read."""
    lang = target_language(snapshot.project, lang,
                           "only a translation is revised and signed off")
    project = snapshot.project
    leaflets, problems = snapshot.leaflets(select_leaflets(project, slugs))
    written = []
    locale = Locale.parse(lang)
    try:
        terms = snapshot.glossary(lang)
    except ContentError as error:
        terms = ()
        problems.extend(error.problems)
    for leaflet in leaflets:
        state = snapshot.review(leaflet, lang)
        html = sheet.render(
            state, _records(snapshot, leaflet, lang), title=leaflet.meta.title,
            slug=leaflet.slug, version=leaflet.meta.version, lang=lang,
            language=locale.get_display_name(Locale.parse(
                snapshot.settings.source_language)) or lang,
            source_lang=snapshot.settings.source_language,
            direction=locale.text_direction, clinician=leaflet.meta.clinical_reviewer,
            today=snapshot.today, terms=terms)
        path = sheet_path(snapshot, lang, leaflet.slug, ".html")
        write_atomic(path, html.encode("utf-8"))
        written.append(path)
        if pdf:
            target = sheet_path(snapshot, lang, leaflet.slug, ".pdf")
            write_atomic(target, sheet.to_pdf(html, project.show(target)))
            written.append(target)
    return written, problems


def _records(snapshot: Snapshot, leaflet: Leaflet, lang: str) -> dict[str, Records]:
    return {domain: snapshot.records(lang, domain) for domain in (leaflet.slug, "ui")}


@dataclass
class Signed:
    """What ``sign`` recorded."""

    files: list[Path] = field(default_factory=list)
    #: (leaflet, how many messages revised) or (leaflet, 1) for a sign-off.
    done: list[tuple[str, int]] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def _name(value: str) -> str:
    """A person's name as a record keeps it: one line, trimmed."""
    name = " ".join(value.split())
    if not name or len(name) > records.MAX_NAME:
        raise UsageError(f"--by needs a person's name (at most {records.MAX_NAME} "
                         "characters)")
    return name


def _translator(snapshot: Snapshot, lang: str, domain: str) -> str:
    """The catalog's last translator, without an e-mail address."""
    catalog = snapshot.catalog(lang, domain).catalog
    found = pofile.fields(catalog).get("Last-Translator", "") if catalog else ""
    return re.sub(r"\s*<[^>]*>\s*$", "", found).strip()


def _chosen(snapshot: Snapshot, lang: str, messages: list[Message], ids: list[str],
            lines: list[int], leaflet: Leaflet) -> list[Message]:
    """The messages named by their source text or by a line of their entry
    in the leaflet's ``.po`` (all of them when none is named)."""
    if not ids and not lines:
        return messages
    chosen = []
    for msgid in ids:
        found = [message for message in messages if message.source == msgid]
        if not found:
            raise UsageError(f"{leaflet.slug}: no message {msgid!r} (give the source "
                             "text exactly, or --line with its line in the .po)")
        chosen += found
    catalog = snapshot.catalog(lang, leaflet.slug).catalog
    for line in lines:
        found = []
        for message in messages:
            entry = (catalog.get(message.source, message.context)
                     if catalog is not None and message.domain == leaflet.slug
                     else None)
            if entry is not None and message.line is not None and (
                    (entry.lineno or message.line) <= line <= message.line):
                found.append(message)
        if not found:
            raise UsageError(f"{leaflet.slug}: no message at line {line} of its .po "
                             "(give a line of its msgid or its msgstr)")
        chosen += found
    return list(dict.fromkeys(chosen))


def sign(snapshot: Snapshot, lang: str, role: str, by: str, slugs: Iterable[str],
         messages: Iterable[str] = (), lines: Iterable[int] = ()) -> Signed:
    """Record a revision (of every message each leaflet prints in ``lang``,
    or those named) or a sign-off, by ``by``, dated today."""
    if role not in ROLES:
        raise UsageError(f"--as must be one of {', '.join(ROLES)}")
    lang = target_language(snapshot.project, lang,
                           "only a translation is revised and signed off")
    by = _name(by)
    project = snapshot.project
    paths = select_leaflets(project, slugs)
    if not paths:
        raise UsageError("name the leaflets to sign (their slugs)")
    leaflets, problems = snapshot.leaflets(paths)
    if problems:
        raise ContentError(problems)
    messages, lines = list(messages), list(lines)
    if role == "clinician" and (messages or lines):
        raise UsageError("a sign-off covers the whole leaflet: --message and "
                         "--line are for a reviser")
    result = Signed()
    changed: dict[str, Records] = {}
    for leaflet in leaflets:
        blocking = [problem for domain, wanted in
                    ((leaflet.slug, snapshot.wanted(leaflet)),
                     ("ui", snapshot.ui_wanted()))
                    for problem in snapshot.checked(lang, domain, wanted)
                    if not problem.warning]
        if blocking:
            raise ContentError([*blocking, Problem(
                project.show(project.po_path(lang, leaflet.slug)), None,
                f"not signed: {lang}/{leaflet.slug} cannot print as it is; "
                "finish the translation first")])
        state = snapshot.review(leaflet, lang)
        if role == "reviser":
            count = _revise(snapshot, leaflet, lang, by,
                            _chosen(snapshot, lang, list(state.messages),
                                    list(messages), list(lines), leaflet), changed)
            result.done.append((leaflet.slug, count))
        else:
            if REVISED in state.required and state.unrevised:
                raise ContentError([Problem(
                    project.show(project.po_path(lang, leaflet.slug)), None,
                    f"not signed off: {state.missing[0]}; the reviser signs first "
                    f"(leafpress sign --lang {lang} --as reviser --by NAME "
                    f"{leaflet.slug})")])
            expected = " ".join(leaflet.meta.clinical_reviewer.split())
            # "Dr. A. Bakker, clinical chemist": the name, then the role
            if by.casefold() not in (expected.casefold(),
                                     expected.split(",")[0].strip().casefold()):
                result.warnings.append(Problem(
                    project.show(leaflet.path), None,
                    f"signed off by {by}, but the leaflet names {expected!r} as its "
                    "clinical-reviewer; check that this is the right person",
                    warning=True))
            own = changed.setdefault(leaflet.slug, snapshot.records(lang, leaflet.slug))
            own.signed_off.append(SignOff(
                by, snapshot.today, leaflet.meta.version, state.text_hash,
                tuple(message.hash for message in state.messages)))
            result.done.append((leaflet.slug, 1))
    for domain, found in changed.items():
        data = records.serialise(found, domain, lang)
        if not found.path.exists() or found.path.read_bytes() != data:
            write_atomic(found.path, data)
            result.files.append(found.path)
    return result


def _revise(snapshot: Snapshot, leaflet: Leaflet, lang: str, by: str,
            chosen: list[Message], changed: dict[str, Records]) -> int:
    """Add a revision record for each chosen message not yet revised as it
    is; refuse a reviser who is the catalog's last translator."""
    project = snapshot.project
    for domain in dict.fromkeys(message.domain for message in chosen):
        translator = _translator(snapshot, lang, domain)
        if translator and translator.casefold() == by.casefold():
            raise ContentError([Problem(
                project.show(project.po_path(lang, domain)), None,
                f"not revised: {by} is this catalog's last translator; a revision "
                "is a check by another person (ISO 17100)")])
    count = 0
    for message in chosen:
        found = changed.setdefault(message.domain,
                                   snapshot.records(lang, message.domain))
        if found.revision(message.context, message.source,
                          message.translation) is not None:
            continue
        found.revised.append(Revision(message.context, message.source,
                                      message.translation, message.hash, by,
                                      snapshot.today))
        count += 1
    return count
