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

from .facts import Facts, describe, facts, unmatched_numbers

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
    #: The language of the sources (how their numbers are written).
    source_language: str = "en"

    def is_localised(self, link: str) -> bool:
        """Whether a link lies under one of the localised addresses (on a
        path boundary: ``https://a.nl`` covers ``https://a.nl/x``, not
        ``https://a.nl.example``)."""
        for prefix in self.localised_links:
            base = prefix.rstrip("/")
            if link == prefix or link == base or (
                    link.startswith(base) and link[len(base)] in "/?#"):
                return True
        return False


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    message: str


@dataclass(frozen=True)
class Side:
    """One side of a translation: its text and the facts in it."""

    text: str
    facts: Facts


Rule = Callable[[Side, Side, CheckSettings], Iterator[Finding]]


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


def placeholders(source: Side, target: Side,
                 settings: CheckSettings) -> Iterator[Finding]:
    """``{placeholders}`` are the same, as often (critical)."""
    yield from _differ("placeholders", "placeholders",
                       _braced(source.facts.placeholders),
                       _braced(target.facts.placeholders))


def _braced(counter):
    return type(counter)({f"{{{name}}}": count for name, count in counter.items()})


def markup(source: Side, target: Side,
           settings: CheckSettings) -> Iterator[Finding]:
    """Inline markup (bold, links, images, code, line breaks) is the same in
    kind and count (critical)."""
    yield from _differ("markup", "markup", source.facts.markup, target.facts.markup)


def links(source: Side, target: Side,
          settings: CheckSettings) -> Iterator[Finding]:
    """Link targets are the same, unless both are localised pages (critical)."""
    source_links, target_links = source.facts.links, target.facts.links
    if settings.localised_links:
        def keep(counter):
            return type(counter)({link: count for link, count in counter.items()
                                  if not settings.is_localised(link)})
        source_links, target_links = keep(source_links), keep(target_links)
    yield from _differ("links", "link targets", source_links, target_links)


def numbers(source: Side, target: Side,
            settings: CheckSettings) -> Iterator[Finding]:
    """Numbers and units are the same (``2.5 ml`` equals ``2,5 ml``) (critical)."""
    missing, extra = unmatched_numbers(source.facts.numbers, target.facts.numbers)
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"drops {', '.join(map(str, missing))}")
        if extra:
            parts.append(f"adds {', '.join(map(str, extra))}")
        yield Finding("numbers", CRITICAL, f"the translation {'; '.join(parts)} "
                      "(numbers and units must match the source)")


def contacts(source: Side, target: Side,
             settings: CheckSettings) -> Iterator[Finding]:
    """Phone numbers, e-mail addresses and URLs are the same (critical)."""
    before, after = source.facts, target.facts
    yield from _differ("contacts", "phone numbers", before.phones, after.phones)
    yield from _differ("contacts", "e-mail addresses", before.emails, after.emails)
    yield from _differ("contacts", "URLs", before.urls, after.urls)


def same_as_source(source: Side, target: Side,
                   settings: CheckSettings) -> Iterator[Finding]:
    """A translation that is the source again is flagged, unless the text is
    allowed to stay (a name) or has no words (warning)."""
    source, target = source.text, target.text
    if (target.strip() == source.strip() and any(char.isalpha() for char in source)
            and source.strip() not in settings.same_allowed):
        yield Finding("same-as-source", WARNING, "the translation is the same as "
                      "the source; translate it, or list it under [checks] "
                      "same-as-source in leafpress.toml")


def whitespace(source: Side, target: Side,
               settings: CheckSettings) -> Iterator[Finding]:
    """Leading and trailing whitespace and line breaks match (warning)."""
    source, target = source.text, target.text
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


def check(source: str, target: str, settings: CheckSettings,
          source_lang: str = "en", target_lang: str = "en") -> list[Finding]:
    """Run every rule on one translated message. Numbers in the source are
    read as its language writes them; in the translation, as either
    language does (``2.5 ml`` or ``2,5 ml`` in Dutch)."""
    pair = (Side(source, facts(source, (source_lang,))),
            Side(target, facts(target, (target_lang, source_lang))))
    return [finding for rule in RULES for finding in rule(*pair, settings)]
