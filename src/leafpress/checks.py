"""Checks on every translation: one rule per function, all findings kept.

Called when catalogs are compiled (every build) and by ``leafpress check``.
In: a source message and its translation, and the project's
:class:`CheckSettings`. Out: :class:`Finding` objects, each naming its rule;
the CLI shows them as ``po-path:line: rule: message``. Critical findings
block the leaflet in that language; warnings are reported and printed
anyway. The rules are listed in :data:`RULES`, in the order they run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from .facts import describe, facts, unmatched_numbers

CRITICAL = "critical"
WARNING = "warning"


@dataclass(frozen=True)
class CheckSettings:
    """From ``[checks]`` in ``leafpress.toml``."""

    #: Texts that may stay the same in a translation (names, brands).
    same_allowed: frozenset[str] = field(default_factory=frozenset)
    #: Link targets that a translation may replace by a localised page: a
    #: link may change when both old and new start with one of these.
    localised_links: tuple[str, ...] = ()


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    message: str


Rule = Callable[[str, str, CheckSettings], Iterator[Finding]]


def _differ(rule: str, what: str, source, target) -> Iterator[Finding]:
    if source != target:
        lost, extra = source - target, target - source
        parts = []
        if lost:
            parts.append(f"drops {describe(lost)}")
        if extra:
            parts.append(f"adds {describe(extra)}")
        yield Finding(rule, CRITICAL, f"the translation {'; '.join(parts)} "
                      f"({what} must match the source)")


def placeholders(source: str, target: str, settings: CheckSettings
                 ) -> Iterator[Finding]:
    """``{placeholders}`` are the same, as often (critical)."""
    yield from _differ("placeholders", "placeholders",
                       _braced(facts(source).placeholders),
                       _braced(facts(target).placeholders))


def _braced(counter):
    return type(counter)({f"{{{name}}}": count for name, count in counter.items()})


def markup(source: str, target: str, settings: CheckSettings) -> Iterator[Finding]:
    """Inline markup (bold, links, images, code, line breaks) is the same in
    kind and count (critical)."""
    yield from _differ("markup", "markup", facts(source).markup, facts(target).markup)


def links(source: str, target: str, settings: CheckSettings) -> Iterator[Finding]:
    """Link targets are the same, unless both are localised pages (critical)."""
    source_links, target_links = facts(source).links, facts(target).links
    prefixes = settings.localised_links
    if prefixes:
        def keep(counter):
            return type(counter)({link: count for link, count in counter.items()
                                  if not link.startswith(prefixes)})
        source_links, target_links = keep(source_links), keep(target_links)
    yield from _differ("links", "link targets", source_links, target_links)


def numbers(source: str, target: str, settings: CheckSettings) -> Iterator[Finding]:
    """Numbers and units are the same (``2.5 ml`` equals ``2,5 ml``) (critical)."""
    missing, extra = unmatched_numbers(facts(source).numbers, facts(target).numbers)
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"drops {', '.join(map(str, missing))}")
        if extra:
            parts.append(f"adds {', '.join(map(str, extra))}")
        yield Finding("numbers", CRITICAL, f"the translation {'; '.join(parts)} "
                      "(numbers and units must match the source)")


def contacts(source: str, target: str, settings: CheckSettings) -> Iterator[Finding]:
    """Phone numbers, e-mail addresses and URLs are the same (critical)."""
    before, after = facts(source), facts(target)
    yield from _differ("contacts", "phone numbers", before.phones, after.phones)
    yield from _differ("contacts", "e-mail addresses", before.emails, after.emails)
    yield from _differ("contacts", "URLs", before.urls, after.urls)


def same_as_source(source: str, target: str, settings: CheckSettings
                   ) -> Iterator[Finding]:
    """A translation that is the source again is flagged, unless the text is
    allowed to stay (a name) or has no words (warning)."""
    if (target.strip() == source.strip() and any(char.isalpha() for char in source)
            and source.strip() not in settings.same_allowed):
        yield Finding("same-as-source", WARNING, "the translation is the same as "
                      "the source; translate it, or list it under [checks] "
                      "same-as-source in leafpress.toml")


def whitespace(source: str, target: str, settings: CheckSettings
               ) -> Iterator[Finding]:
    """Leading and trailing whitespace and line breaks match (warning)."""
    if source[: len(source) - len(source.lstrip())] != \
            target[: len(target) - len(target.lstrip())] or \
            source[len(source.rstrip()):] != target[len(target.rstrip()):]:
        yield Finding("whitespace", WARNING, "leading or trailing whitespace differs "
                      "from the source")
    if source.count("\n") != target.count("\n"):
        yield Finding("whitespace", WARNING, f"{source.count(chr(10))} line break(s) "
                      f"in the source, {target.count(chr(10))} in the translation")


RULES: tuple[Rule, ...] = (
    placeholders,
    markup,
    links,
    numbers,
    contacts,
    same_as_source,
    whitespace,
)


def check(source: str, target: str, settings: CheckSettings) -> list[Finding]:
    """Run every rule on one translated message."""
    return [finding for rule in RULES for finding in rule(source, target, settings)]
