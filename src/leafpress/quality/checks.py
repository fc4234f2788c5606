"""Checks on every translation: one rule per function, all findings kept.

Called when catalogs are compiled (every build) and by ``leafpress check``.
In: a source message and its translation, and the project's
:class:`CheckSettings`. Out: :class:`Finding` objects, each naming its rule;
the CLI shows them as ``po-path:line: rule: message``. Critical findings
block the leaflet in that language; warnings are reported and printed
anyway. The rules are listed in :data:`RULES`, in the order they run.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from leafpress.text.facts import (
    Facts,
    Number,
    conventions,
    describe,
    facts,
    read_as,
    spell,
    unmatched_numbers,
)

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
    #: The language it is written in (how its numbers read).
    lang: str = "en"


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
    """Numbers say the same to a reader of each language (critical).

    Each side is read only in its own language's conventions (``2.5 ml`` is
    ``2,5 ml`` in Dutch, and ``2.5`` is not a Dutch number). Values, signs,
    multipliers and units must match, and a frequency's numerator and
    denominator as a pair. A number the translation's language cannot read
    (a digit of another script, digits of two scripts, a wrong separator)
    is refused, and so is one a reader takes for another value than the
    source's (``2.500 ml`` in Dutch); the finding says how to write it.
    """
    name = conventions(target.lang).name
    unreadable = [number for number in target.facts.numbers if number.problem]
    missing, extra = unmatched_numbers(
        source.facts.numbers, [number for number in target.facts.numbers
                               if not number.problem])
    for number in unreadable:
        meant = _meant(number, missing, source.lang)
        advice = f"; write {spell(meant, target.lang)}" if meant else ""
        yield Finding("numbers", CRITICAL,
                      f"the translation writes “{number}”{number.problem}{advice}")
    for number in list(extra):
        meant = _meant(number, missing, source.lang)
        if meant:
            extra.remove(number)
            yield Finding("numbers", CRITICAL,
                          f"the translation reads “{number}” as {number.reading()} "
                          f"in {name}, the source says {meant}; write "
                          f"{spell(meant, target.lang)}")
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"drops {', '.join(map(str, missing))}")
        if extra:
            parts.append(f"adds {', '.join(map(str, extra))}")
        parts.extend(f"the source's “{number}” is not a number in "
                     f"{conventions(source.lang).name}" for number in missing
                     if number.problem)
        if not any(number.parts for number in extra):
            parts.extend(f"in {name} write “{number}” as {spell(number, target.lang)}"
                         for number in missing if number.parts)
        yield Finding("numbers", CRITICAL, f"the translation {'; '.join(parts)} "
                      "(numbers and units must match the source)")


def _meant(number: Number, missing: list[Number], source_lang: str) -> Number | None:
    """The source number that ``number`` was meant to be: one that its
    characters stand for in the source language (``2.500 ml`` in Dutch for
    ``2.5 ml``), or, for a frequency, the same numbers in the other order.
    Taken out of ``missing``."""
    looks = read_as(number, source_lang)
    swapped = frozenset(" in ".join(reversed(reading.split(" in ")))
                        for reading in number.readings) if number.parts else frozenset()
    for candidate in missing:
        if (candidate.problem is None and candidate.shape == number.shape
                and candidate.readings & (looks | swapped)):
            missing.remove(candidate)
            return candidate
    return None


#: An HTML tag as a browser reads one (``<`` right before the name), or a
#: comment.
_TAG_RE = re.compile(r"<(/?)([A-Za-z][\w:-]*)(?:[\s/][^<>]*)?>|<!--|<!\[CDATA\[")


def _tags(text: str) -> Counter:
    return Counter("<!--" if match[0].startswith("<!") else
                   f"<{match[1]}{match[2].lower()}>"
                   for match in _TAG_RE.finditer(text))


def html(source: Side, target: Side,
         settings: CheckSettings) -> Iterator[Finding]:
    """No HTML tag the source does not have (critical). Leaflet text and
    template translations are text: a ``<style>``, ``<script>`` or ``<a>`` in
    a translation would print as its characters, so it can only be a mistake
    or an attack."""
    extra = _tags(target.text) - _tags(source.text)
    if extra:
        yield Finding("html", CRITICAL, f"the translation adds HTML "
                      f"({describe(extra)}); leafpress prints text, not HTML: "
                      "remove the tags")


def contacts(source: Side, target: Side,
             settings: CheckSettings) -> Iterator[Finding]:
    """Phone numbers, e-mail addresses and URLs are the same (critical)."""
    before, after = source.facts, target.facts
    yield from _differ("contacts", "phone numbers", before.phones, after.phones)
    yield from _differ("contacts", "e-mail addresses", before.emails, after.emails)
    yield from _differ("contacts", "URLs", before.urls, after.urls)


#: What a reader does not read as words: placeholders, link targets, markup.
_PLACES = re.compile(r"\{[^{}]*\}|%\([^)]*\)[sd]|\]\([^)]*\)|<[^>]*>|https?://\S+")


def same_as_source(source: Side, target: Side,
                   settings: CheckSettings) -> Iterator[Finding]:
    """A translation that is the source again would print the source
    language, so it stops the leaflet (critical), unless the text is allowed
    to stay (a name, listed under ``[checks] same-as-source``) or has no
    letters outside its placeholders and link targets, or only words the
    allowed list (or the glossary's ``keep`` terms) names."""
    source, target = source.text, target.text
    # the words a reader reads: not placeholders, link targets or markup
    words = re.findall(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", _PLACES.sub(" ", source))
    allowed = {text.casefold() for text in settings.same_allowed}
    if (target.strip() == source.strip() and words
            and source.strip().casefold() not in allowed
            and not all(word.casefold() in allowed for word in words)):
        yield Finding("same-as-source", CRITICAL, "the translation is the source "
                      "text again, so the leaflet would print it untranslated; "
                      "translate it, or list it under [checks] same-as-source in "
                      "leafpress.toml if it stays as written")


#: What ends a sentence, by kind, in the scripts leafpress prints: a
#: translation may end in its own script's mark of the same kind.
END_MARKS = {
    ".": "full stop", "。": "full stop", "।": "full stop", "۔": "full stop",
    "?": "question mark", "؟": "question mark", "？": "question mark",
    ";": "semicolon", "؛": "semicolon",
    "!": "exclamation mark", "！": "exclamation mark",
    ":": "colon", "：": "colon", "…": "ellipsis",
}
_CLOSING = "\"'”’»)]》」"


def _end(text: str) -> str | None:
    """The kind of mark a text ends with (closing quotes and brackets aside)."""
    text = text.rstrip().rstrip(_CLOSING).rstrip()
    if text.endswith("..."):
        return "ellipsis"
    return END_MARKS.get(text[-1:]) if text else None


def end_punctuation(source: Side, target: Side,
                    settings: CheckSettings) -> Iterator[Finding]:
    """The translation ends as the source does: a full stop, a question
    mark, a colon (warning: a dropped full stop is often a cut sentence). A
    heading without punctuation may become a question (“What to expect” as
    “Wat kunt u verwachten?”), as plain-language guides advise."""
    before, after = _end(source.text), _end(target.text)
    if before is None and after == "question mark":
        return
    if before != after and any(char.isalpha() for char in target.text):
        yield Finding("end-punctuation", WARNING,
                      f"the source ends with {before or 'no punctuation'}, the "
                      f"translation with {after or 'no punctuation'}; check that "
                      "the sentence is complete")


_DOUBLED = re.compile(r"(?<!\w)([^\W\d_]+)(\s+\1)+(?!\w)", re.IGNORECASE)


def doubled_word(source: Side, target: Side,
                 settings: CheckSettings) -> Iterator[Finding]:
    """A word written twice in a row (“de de”), unless the source has it
    twice too (warning: some languages double a word on purpose)."""
    if _DOUBLED.search(source.text):
        return
    doubled = {match[0].casefold() for match in _DOUBLED.finditer(target.text)}
    for text in sorted(doubled):
        yield Finding("doubled-word", WARNING, f"“{text}” has a word twice in a row")


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
    html,
    links,
    numbers,
    contacts,
    same_as_source,
    end_punctuation,
    doubled_word,
    whitespace,
)


def check(source: str, target: str, settings: CheckSettings,
          source_lang: str = "en", target_lang: str = "en") -> list[Finding]:
    """Run every rule on one translated message. Each side's numbers are
    read only as its own language writes them (``2.5 ml`` in English,
    ``2,5 ml`` in Dutch)."""
    pair = (Side(source, facts(source, source_lang), source_lang),
            Side(target, facts(target, target_lang), target_lang))
    return [finding for rule in RULES for finding in rule(*pair, settings)]
