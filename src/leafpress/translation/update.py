"""Update: merge each ``.pot`` template into the translators' ``.po`` files.

Called by ``leafpress update`` and ``init-locale``. In: the templates
``locales/<domain>.pot`` and the ``.po`` file of each language. Out: merged
``.po`` files (a new one for a language that has none), each with the current
plural rule of its language, and an :class:`UpdateReport`. New messages are
filled in from the translation memory of their language (the other catalogs
as they were before the update, and the imported ``memory.tmx``; see
:mod:`leafpress.translation.memory`).

A catalog that cannot be read completely is never written over, and the
bytes about to be written are checked against the bytes that were read: every
translation and the Language and Plural-Forms headers are still there, or the
file is left as it was (:func:`losses`).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog, Message

from leafpress.errors import ContentError, Problem
from leafpress.settings.project import Project
from leafpress.translation import memory, plurals, pofile
from leafpress.translation.catalogs import (
    SOURCE_HASH,
    SOURCE_VERSION,
    Wanted,
    describe_change,
    empty,
    message_lines,
    parse_catalog,
    read_catalog,
    singular,
    source_hash,
)
from leafpress.translation.changes import Change, classify, layout_key
from leafpress.translation.extract import creation_date, serialise, write_if_changed
from leafpress.translation.pofile import short

#: Flags that describe the msgid (set by extraction), not the translation.
FORMAT_FLAGS = ("python-format", "python-brace-format")


def _untranslated(string: str | tuple[str, ...] | None) -> bool:
    """Whether a msgstr (every form of a plural msgstr) is empty."""
    if isinstance(string, (list, tuple)):
        return not any(string)
    return not string


def new_catalog(template: Catalog, lang: str, domain: str) -> Catalog:
    """A fresh, empty catalog for ``lang`` with Babel's Language and
    Plural-Forms headers."""
    locale = Locale.parse(lang)
    what = "the leaflet templates" if domain == "ui" else f"the leaflet {domain}"
    catalog = Catalog(
        locale=locale,
        domain=domain,
        header_comment=(
            f"# {locale.english_name} translation of {what}.\n"
            "# Translate every msgstr; keep {placeholders} and **markup** as they\n"
            "# are. Update with `leafpress update`; do not edit the msgid lines."),
        project=template.project,
        version=template.version,
        msgid_bugs_address=template.msgid_bugs_address,
        creation_date=template.creation_date,
        revision_date=creation_date(),
        language_team=f"{locale.english_name} <{template.msgid_bugs_address}>",
        charset="utf-8",
        fuzzy=False,
    )
    pofile.fields(catalog)["Plural-Forms"] = plurals.rule_for(lang).header
    return catalog


def _reshaped(string: str | tuple[str, ...], msgid: str | tuple[str, ...]
              ) -> str | tuple[str, ...]:
    """A msgstr for a message that is plural or not (as ``msgid``): a
    singular becomes ``msgstr[0]``, ``msgstr[0]`` the singular."""
    plural = isinstance(msgid, (list, tuple))
    if isinstance(string, (list, tuple)):
        return tuple(string) if plural else (string[0] if string else "")
    return (string,) if plural else string


@dataclass(frozen=True)
class Merged:
    """What a merge did to one message whose source changed."""

    msgid: str
    context: str | None
    previous: str
    change: Change


def merge(catalog: Catalog, template: Catalog) -> tuple[Catalog, list[Merged]]:
    """Merge a template into a catalog; return the new catalog and the
    changes it met.

    A message whose source is unchanged keeps its translation, flags and
    comments. A changed source finds its old entry by layout (only
    whitespace or quotes changed: carried forward as current) or by
    similarity (fuzzy, with the previous msgid kept for the translator). An
    obsolete (``#~``) translation of the same source comes back as it was
    (as ``msgmerge`` does); one whose msgid is the same but became plural,
    singular or got another msgid_plural comes back fuzzy. The rest is new
    and empty; old translations no longer used become obsolete.
    """
    old = {(message.id, message.context): message for message in catalog
           if message.id}
    retired = {(message.id, message.context): message
               for message in catalog.obsolete.values()
               if message.id and not _untranslated(message.string)}
    by_singular = {(singular(message.id), message.context): message
                   for message in [*retired.values(), *old.values()]
                   if not _untranslated(message.string)}
    by_layout = {(layout_key(message.id), message.context): message
                 for message in old.values()
                 if message.string and isinstance(message.id, str)}
    merged = Catalog(locale=catalog.locale, domain=catalog.domain,
                     header_comment=catalog._header_comment, fuzzy=catalog.fuzzy,
                     charset="utf-8")
    header = dict(pofile.fields(catalog))
    if catalog.locale and "Language" not in header:  # a file without a header
        header["Language"] = str(catalog.locale)
    for name in ("Project-Id-Version", "Report-Msgid-Bugs-To", "POT-Creation-Date"):
        if name in pofile.fields(template):
            header[name] = pofile.fields(template)[name]
    merged.leafpress_fields = header
    used: set[tuple[str, str | None]] = set()
    changes: list[Merged] = []
    candidates = {message.id: message for message in old.values()
                  if message.string and isinstance(message.id, str)}
    for source in template:
        if not source.id:
            continue
        key = (source.id, source.context)
        message = Message(source.id, "", locations=list(source.locations),
                          flags=set(source.flags) - {"fuzzy"},
                          auto_comments=list(source.auto_comments),
                          context=source.context)
        previous = old.get(key) or retired.get(key)
        if previous is None:
            previous = by_singular.get((singular(source.id), source.context))
            if previous is not None:
                message.flags.add("fuzzy")
                message.previous_id = (list(previous.id) if isinstance(
                    previous.id, (list, tuple)) else [previous.id])
        if previous is None and isinstance(source.id, str):
            previous = by_layout.get((layout_key(source.id), source.context))
            if previous is not None and previous.id in candidates:
                changes.append(Merged(source.id, source.context, previous.id,
                                      classify(previous.id, source.id)))
            else:
                free = [msgid for msgid in candidates
                        if (msgid, source.context) in old
                        and (msgid, source.context) not in used
                        and template.get(msgid, source.context) is None]
                close = difflib.get_close_matches(source.id, free, n=1, cutoff=0.6)
                if close:
                    previous = old[close[0], source.context]
                    change = classify(previous.id, source.id)
                    changes.append(Merged(source.id, source.context, previous.id,
                                          change))
                    message.flags.add("fuzzy")
                    message.previous_id = [previous.id]
                    message.previous_context = previous.context
        if previous is not None:
            used.add((previous.id, previous.context))
            message.string = _reshaped(previous.string, source.id)
            message.user_comments = list(previous.user_comments)
            message.flags |= set(previous.flags) - set(FORMAT_FLAGS)
            if previous.fuzzy and previous.previous_id and not message.previous_id:
                message.previous_id = previous.previous_id
                message.previous_context = getattr(previous, "previous_context", None)
        merged[source.id] = message
    # Translations no longer used, and those already obsolete, stay as ``#~``
    # entries for reference (as msgmerge keeps them).
    obsolete = {key: message for key, message in old.items()
                if key not in used and message.string}
    for message in catalog.obsolete.values():
        key = (message.id, message.context)
        if key not in used and merged.get(*key) is None:
            obsolete.setdefault(key, message)
    for key, message in obsolete.items():
        merged.obsolete[key if message.context else message.id] = message
    return merged, changes


def bind(catalog: Catalog, version: str | None, wanted: Iterable[Wanted]) -> None:
    """Record the source version and hash a catalog is completely translated
    against, when it is; leave the last record otherwise."""
    if any(message.fuzzy or empty(message.string) for message in catalog
           if message.id):
        return
    header = pofile.fields(catalog)
    if version:
        header[SOURCE_VERSION] = version
    header[SOURCE_HASH] = source_hash((item.msgid, item.context) for item in wanted)


def update_catalogs(project: Project, domains: Iterable[str],
                    langs: Iterable[str]) -> UpdateReport:
    """Merge each ``locales/<domain>.pot`` into every ``.po``, creating the
    missing ones, and give each the current plural rule of its language
    (:func:`plurals.repair`). A ``.po`` that cannot be read completely is
    reported and left untouched, and so is one whose merge would lose a
    translation or a header it had (:func:`losses`).

    Before a catalog is written, its messages without a translation are
    filled in from the memory of its language (:func:`memory.fill`), read
    once for every language before any catalog is written."""
    report = UpdateReport()
    langs = list(langs)
    settings = project.settings
    memories: dict[str, memory.Memory] = {}
    for lang in langs:
        memories[lang], problems = memory.for_language(project, lang)
        report.problems.extend(problems)
    for domain in domains:
        pot = project.pot_path(domain)
        try:
            template = read_catalog(pot, project.show(pot))
        except ContentError as error:
            report.problems.extend(error.problems)
            continue
        wanted = [Wanted(message.id, message.context, "") for message in template
                  if message.id]
        for lang in langs:
            path = project.po_path(lang, domain)
            shown = project.show(path)
            try:
                before: bytes | None = path.read_bytes()
            except FileNotFoundError:
                before = None
            if before is not None:
                try:
                    catalog = parse_catalog(before, shown, lang)
                except ContentError as error:
                    report.problems.extend(error.problems)
                    continue
            else:
                catalog = new_catalog(template, lang, domain)
            catalog, changes = merge(catalog, template)
            filled = memory.fill(catalog, memories[lang], path.name, settings.checks,
                                 settings.source_language, lang)
            rule = pofile.fields(catalog).get("Plural-Forms", "")
            repaired: list[Message] = []
            rewritten: list[Problem] = []
            if why := plurals.outdated(rule, lang):
                repaired = plurals.repair(catalog, lang)
                rewritten.append(Problem(
                    shown, 1, f"plural-forms: rewrote {rule!r} as "
                    f"{plurals.rule_for(lang).header!r} ({why}); " + (
                        f"{len(repaired)} plural "
                        f"entr{'y' if len(repaired) == 1 else 'ies'} became fuzzy"
                        if repaired else "no translated plural entry changed"),
                    warning=True))
            bind(catalog, template.version if domain != "ui" else None, wanted)
            data = serialise(catalog)
            if before is not None:
                lost = losses(shown, before, data, changes,
                              plurals.rule_for(lang) if why else None)
                if lost:
                    report.problems.extend(lost)
                    continue
            report.plurals.extend(rewritten)
            if filled:
                report.filled[path] = filled
            if write_if_changed(path, data):
                report.written.append(path)
            if not changes and not repaired:
                continue
            lines = message_lines(parse_catalog(data, shown, lang), data)
            for merged in changes:
                text = describe_change(merged.previous, merged.msgid, merged.change)
                report.changes.append((Problem(
                    shown, lines.get((merged.context, merged.msgid)), text),
                    merged.change))
            for message in repaired:
                report.plurals.append(Problem(
                    shown, lines.get((message.context, message.id)),
                    f"fuzzy: the plural rule changed, so {short(message.id[0])} "
                    "picks another text for some numbers; review each msgstr[n] "
                    "and remove the fuzzy flag", warning=True))
    return report


def losses(shown: str, before: bytes, after: bytes, changes: Iterable[Merged],
           rule: plurals.Rule | None = None) -> list[Problem]:
    """What ``update`` would lose by writing ``after`` over ``before``: its
    last look, on the bytes themselves, read by :func:`pofile.entries`.

    Every translated entry of ``before`` (a msgid and msgctxt with a msgstr,
    obsolete ones too) must be in ``after`` with the same msgstr, active or
    obsolete, or under the new source the merge moved it to (``changes``);
    the header's ``Language`` and ``Plural-Forms`` must be kept (with
    ``rule``: ``Plural-Forms`` is that rule, and plural forms are as
    :func:`plurals.repair` resized them). One exception, as ``msgmerge``
    makes it: an entry whose source is no longer plural keeps its
    ``msgstr[0]`` (fuzzy, its old ``msgid_plural`` shown as ``#|``). Each
    loss is a problem at its line.
    """
    found = pofile.entries(before)
    try:
        written = pofile.entries(after)
    except pofile.PoSyntaxError as error:
        line, message = error.problems[0]
        return [Problem(shown, None, "not updated: the merged catalog would not read "
                        f"back (its line {line}: {message}); the file is left as it "
                        "was (this is a bug in leafpress: please report it)")]
    kept = {(entry.key, entry.translated) for entry in written}
    singular = {entry.key for entry in written if entry.plural is None}
    moved = {(item.context, item.previous): (item.context, item.msgid)
             for item in changes}
    problems = []
    for entry in found:
        forms = entry.translated
        if entry.header or not forms:
            continue
        if rule is not None and entry.plural is not None:
            forms = tuple(entry.strings[:rule.count])
            while forms and not forms[-1]:
                forms = forms[:-1]
        if entry.plural is not None and entry.key in singular:
            forms = forms[:1]
        if (entry.key, forms) not in kept and (
                moved.get(entry.key, entry.key), forms) not in kept:
            problems.append(Problem(shown, entry.string_lines[0], "not updated: the "
                                    "merged catalog would lose the translation of "
                                    f"{short(entry.msgid)}; the file is left as it "
                                    "was (this is a bug in leafpress: please report "
                                    "it)"))
    old, new = pofile.header(found), pofile.header(written)
    for name in ("Language", "Plural-Forms"):
        want = rule.header if rule is not None and name == "Plural-Forms" else (
            old.get(name))
        if want is not None and new.get(name) != want:
            problems.append(Problem(shown, 1, f"not updated: the merged catalog would "
                                    f"have {name}: {new.get(name, '(none)')} instead "
                                    f"of {want}; the file is left as it was (this is "
                                    "a bug in leafpress: please report it)"))
    return problems


@dataclass
class UpdateReport:
    """What ``update`` did: files written, problems, the source changes it met
    (each with its place in the ``.po``), the plural rules it rewrote (with
    the entries that became fuzzy), and PDFs it withdrew."""

    written: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    changes: list[tuple[Problem, Change]] = field(default_factory=list)
    plurals: list[Problem] = field(default_factory=list)
    #: (where it was, where it is now, why) of each PDF withdrawn.
    withdrawn: list[tuple[Path, Path, str]] = field(default_factory=list)
    #: What the translation memory filled in, for each catalog written.
    filled: dict[Path, memory.Filled] = field(default_factory=dict)

    def memory_filled(self) -> memory.Filled:
        """What the memory filled in, over every catalog (its
        :meth:`~leafpress.translation.memory.Filled.describe` is the line
        ``filled 12 messages from memory (9 exact, 3 fuzzy)``)."""
        return sum(self.filled.values(), memory.Filled())
