"""Lint: the quality gates a leaflet passes before it is printed.

Called by ``leafpress lint``, by every build (a blocking finding stops the
leaflet in that language, as a broken catalog does) and by the build report.
In: a :class:`~leafpress.model.Leaflet`, the project settings and, for each
language, its translated text. Out: named findings, readability scores and
the hardest sentences of each section.

A leaflet that is hard to read, sells instead of informs, hides its risks or
is past its review date does harm, so each of these has a rule. Every rule
has a name and a level (``blocking``, ``warning`` or ``off``) that
``[lint.rules]`` in ``leafpress.toml`` can change:

- about the leaflet (checked once, on the source): ``front-matter``,
  ``required-section``, ``risk-frequency``, ``no-treatment``,
  ``review-overdue``, ``review-due``, ``todo``, ``reference``;
- about the text in each language: ``unsourced-figure``, ``unsourced-cure``,
  ``guarantee``, ``superlative``, ``call-to-action``, ``price`` (English and
  Dutch), ``emergency-number``, ``typed-contact``, ``reading-ease``,
  ``sentence-average`` and ``sentence-length`` (every language).

Sections are found by their level-2 heading: by a ``{#name}`` after it
(``## Risks and side effects {#risks}``), or else by the words of the heading
in English or Dutch. A figure (a percentage, an "x in y" figure) or a claim
that the treatment cures is sourced by a reference marker ``[n]`` that points
to the n-th entry of the leaflet's ``sources``: in the same sentence, in the
header of its table column, or in the last sentence of the paragraph that
leads into its list or table. Every claim is its own finding: a sentence with
a percentage, a promise and a superlative has three.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from leafpress.errors import Problem
from leafpress.model import Leaflet
from leafpress.quality import readability
from leafpress.text import markup

BLOCKING, WARNING, OFF = "blocking", "warning", "off"
LEVELS = (BLOCKING, WARNING, OFF)

#: Every rule: its default level and what it asks of a leaflet.
RULES: dict[str, tuple[str, str]] = {
    "front-matter": (BLOCKING, "the front matter says what the leaflet is, for "
                     "whom and from which sources"),
    "required-section": (BLOCKING, "every section the leaflet type needs is there "
                         "and says what it must"),
    "risk-frequency": (BLOCKING, "every risk says how often it happens"),
    "no-treatment": (BLOCKING, "the alternatives include having no treatment"),
    "review-overdue": (BLOCKING, "the review-by date has not passed"),
    "review-due": (WARNING, "the review-by date is not near"),
    "todo": (BLOCKING, "no TODO note is left in the text"),
    "reference": (BLOCKING, "every reference marker [n] points to a source"),
    "unsourced-figure": (BLOCKING, "percentages and 'x in y' figures carry a "
                         "reference marker"),
    "unsourced-cure": (BLOCKING, "a claim that the treatment cures carries a "
                       "reference marker"),
    "guarantee": (BLOCKING, "no promises: proven, guaranteed, painless, safe and "
                  "effective, few or no side effects, risk-free, miracle, 100% "
                  "safe"),
    "superlative": (WARNING, "no advertising superlatives: best, leading, "
                    "world-class"),
    "call-to-action": (WARNING, "no sales calls to action: book now, don't wait"),
    "price": (WARNING, "no prices or offers"),
    "emergency-number": (BLOCKING, "emergency numbers are those of the configured "
                         "country, filled in from leafpress.toml"),
    "typed-contact": (BLOCKING, "no phone number or e-mail address typed into the "
                      "text: placeholders fill them in from leafpress.toml"),
    "reading-ease": (WARNING, "the language's reading-ease score reaches its "
                     "target"),
    "sentence-average": (WARNING, "sentences are short on average"),
    "sentence-length": (WARNING, "no sentence is too long"),
}

#: The sections each type of leaflet must have (``type:`` in the front
#: matter; ``procedure`` when it has none).
REQUIRED_SECTIONS = {
    "procedure": ("risks", "alternatives", "get-help", "contact"),
    "aftercare": ("get-help", "contact"),
    "information": ("get-help", "contact"),
}
DEFAULT_TYPE = "procedure"
SECTION_NAMES = {
    "risks": "risks and side effects",
    "alternatives": "alternatives (other options, including no treatment)",
    "get-help": "when to get help",
    "contact": "contact details",
}
SECTION_EXAMPLES = {
    "risks": "## Risks and side effects {#risks}",
    "alternatives": "## Other options {#alternatives}",
    "get-help": "## When to get help straight away {#get-help}",
    "contact": "## Contact {#contact}",
}


@dataclass(frozen=True)
class LintSettings:
    """``[lint]`` of ``leafpress.toml``."""

    levels: Mapping[str, str] = field(default_factory=dict)
    reading_ease_min: float = 60.0
    sentence_average_max: float = 15.0
    sentence_max: int = 25
    review_warning_days: int = 90
    required_sections: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: dict(REQUIRED_SECTIONS))
    #: The country whose emergency numbers the leaflets print, its numbers,
    #: and every other number known as some country's emergency number.
    country: str = "NL"
    own_numbers: frozenset[str] = frozenset({"112"})
    foreign_numbers: Mapping[str, str] = field(default_factory=dict)

    def level(self, rule: str) -> str:
        return self.levels.get(rule, RULES[rule][0])


#: Emergency and urgent-care numbers a leaflet might carry by mistake, with
#: their country (the configured [countries] add to and override these).
WELL_KNOWN_NUMBERS = {
    "112": "the EU", "911": "the US and Canada", "999": "the UK",
    "000": "Australia", "111": "the UK (NHS) and New Zealand", "119": "Japan",
    "110": "Germany (police)", "1733": "Belgium", "144": "Switzerland and Austria",
    "116117": "Germany",
}
#: The emergency numbers of countries whose clinics print with leafpress
#: (ISO 3166 code: numbers). A configured emergency-phone that is not among
#: its country's is reported on every build.
EMERGENCY_NUMBERS = {
    **dict.fromkeys(("NL", "DK", "ES", "FI", "GR", "IT", "NO", "PL", "PT", "SE",
                     "CZ", "HU", "RO", "BG", "HR", "SI", "SK", "EE", "LV", "LT",
                     "CY", "MT", "TR", "UA"), frozenset({"112"})),
    "BE": frozenset({"112", "100", "101"}), "DE": frozenset({"112", "110"}),
    "FR": frozenset({"112", "15", "17", "18"}), "LU": frozenset({"112", "113"}),
    "AT": frozenset({"112", "144", "133", "122"}),
    "CH": frozenset({"112", "144", "117", "118"}),
    "GB": frozenset({"999", "112"}), "IE": frozenset({"112", "999"}),
    "US": frozenset({"911"}), "CA": frozenset({"911"}),
    "AU": frozenset({"000", "112"}), "NZ": frozenset({"111"}),
}


# --- what the text says -----------------------------------------------------

def _words(*alternatives: str) -> re.Pattern[str]:
    return re.compile("|".join(alternatives), re.IGNORECASE)


_PERCENT = (r"\d+(?:[.,]\d+)?\s?(?:%|procent\b|per ?cent\b|percent\b)"
            # a strength ("1% hydrocortisone cream") is not a claim
            r"(?!\s*(?:\w+\s+)?(?:cream|gel|ointment|solution|lotion|crème|creme|"
            r"zalf|oplossing)\b)")
FIGURE = {
    "en": _words(_PERCENT, r"\b\d[\d.,]*\s+(?:in|out\s+of)\s+(?:every\s+)?\d[\d.,]*"),
    "nl": _words(_PERCENT, r"\b\d[\d.,]*\s+(?:op|van|uit)\s+(?:de\s+|elke\s+)?"
                 r"\d[\d.,]*"),
}
#: Promises that medicines and advertising rules name: that the effect is
#: guaranteed or comes without side effects (EU Directive 2001/83/EC, art.
#: 90(b)), "safe and effective", no risk, miracles, success rates.
GUARANTEE = {
    "en": _words(r"\bguarantee[ds]?\b", r"\bproven\b", r"\bpainless(?:ly)?\b",
                 r"\bpain[- ]free\b",
                 # "no side effects", "few side effects"; not "a few side effects"
                 r"(?<!\ba )\b(?:no|few|very few|hardly any|minimal|zero) "
                 r"(?:side[- ]effects?|adverse (?:effects|reactions))\b",
                 r"\b(?:without|free (?:of|from)) (?:any )?side[- ]effects\b",
                 r"\bside[- ]effect[- ]free\b",
                 r"\bsafe,? (?:and )?effective\b", r"\beffective,? (?:and )?safe\b",
                 r"\b100\s?% (?:safe|effective|success)", r"\bcompletely safe\b",
                 r"\bperfectly safe\b", r"\brisk[- ]free\b", r"\bno risks?\b",
                 r"\bwithout (?:any )?risks?\b", r"\bsuccess rate\b",
                 r"\balways works\b", r"\bnever fails\b", r"\bpermanent relief\b",
                 r"\bmiracles?\b", r"\bmiraculous(?:ly)?\b",
                 r"\bwonder (?:drug|cure|treatment)s?\b"),
    "nl": _words(r"\bgegarandeerd", r"\bgarantie", r"\bbewezen\b", r"\bpijnlo(?:os|ze)",
                 r"\bpijnvrij",
                 r"\b(?:geen|weinig|nauwelijks|amper|(?:vrijwel|bijna) geen) "
                 r"bijwerkingen\b", r"\bzonder (?:enige )?bijwerkingen\b",
                 r"\bveilig,? (?:en )?(?:effectief|doeltreffend|werkzaam)\b",
                 r"\b(?:effectief|doeltreffend|werkzaam),? (?:en )?veilig\b",
                 r"\b100\s?% (?:veilig|effectief|succes)", r"\b(?:volkomen|helemaal|"
                 r"volledig) veilig\b", r"\bzonder (?:enig |enige )?risico",
                 r"\brisicolo(?:os|ze)", r"\bgeen risico", r"\bslagingspercentage",
                 r"\bsucces ?percentage", r"\bwerkt altijd\b",
                 r"\bwonder(?:en|middel(?:en|tje)?|kuur|behandeling|baarlijke?)?\b"),
}
#: Claims that the treatment cures: allowed only with a marker [n] that
#: points to a source (see :func:`_sourced`), and never when denied.
CURE = {
    "en": _words(r"\bcur(?:es?|ed|ing|ative)\b",
                 r"\b(?:eliminat(?:es?|ed|ing)|get(?:s|ting)? rid of) "
                 r"(?:\w+ ){0,2}pain\b"),
    "nl": _words(r"\bgene(?:est|zen|zing|zingen|esbaar)\b",
                 r"\b(?:neemt|nemen) (?:\w+ ){0,2}pijn (?:\w+ )?weg\b"),
}
#: In Dutch, "genezen" is also what a wound does: a cure word in a clause
#: about the skin is about healing, not a claim.
HEALING = {
    "nl": _words(r"\b(?:prik)?(?:wond|plek|plekje|huid|snee|sneetje|litteken|blaar|"
                 r"korst)(?:je|en)?\b"),
}
#: Words that turn a guarantee around ("not proven", "niet bewezen").
NEGATION = _words(r"\b(?:not|no|never|cannot|can't|isn't|aren't|hasn't|haven't|"
                  r"won't|niet|nooit|geen|kan niet|kunnen niet)\b")
SUPERLATIVE = {
    "en": _words(r"\bbest\b(?! (?:to|thing|way)\b)", r"\bfinest\b",
                 r"\b(?:market|industry)[- ]leading\b", r"\bleading (?:clinic|expert|"
                 r"specialist|provider|centre|center|hospital|treatment)s?\b",
                 r"\bworld[- ]class\b", r"\bstate[- ]of[- ]the[- ]art\b",
                 r"\bcutting[- ]edge\b", r"\brevolutionary\b", r"\bmost advanced\b",
                 r"\bunrivall?ed\b", r"\bexcellent results\b",
                 r"\bamazing\b", r"\bunique\b"),
    "nl": _words(r"(?<!het )\bbeste\b", r"\btoonaangevend", r"\bvooraanstaand",
                 r"\brevolutionair", r"\bstate[- ]of[- ]the[- ]art\b",
                 r"\bgeavanceerdste\b", r"\btopkwaliteit",
                 r"\buitstekende resultaten", r"\bunieke?\b"),
}
#: Advice that uses a superlative word without selling: "for the best
#: results", "at best", "het beste kunt u". A superlative inside one is not
#: flagged.
ADVICE = {
    "en": _words(r"\b(?:for|to get|to have|get|gives? you) (?:the )?best "
                 r"(?:results?|effects?)\b", r"\bat (?:its )?best\b",
                 r"\b(?:do|try) (?:your|their|our) best\b",
                 r"\bas best (?:you|they|we) can\b", r"\bbest before\b"),
    "nl": _words(r"\b(?:voor|om) (?:het|de|een zo) beste? (?:resultaat|resultaten|"
                 r"effect)\b", r"\b(?:uw|je|zijn|ons) best doen\b"),
}
CALL_TO_ACTION = {
    "en": _words(r"\b(?:book|schedule|reserve)\s+(?:now|today|online)\b",
                 r"\b(?:call|contact us)\s+(?:now|today)\s+(?:to|for)\b",
                 r"\bdon'?t wait\b", r"\bdo not wait any longer\b", r"\bact now\b",
                 r"\blimited (?:time|offer|places)\b", r"\bsign up\b",
                 r"\border now\b", r"\bfree consultation\b",
                 r"\bmake an appointment today\b"),
    "nl": _words(r"\b(?:boek|plan|reserveer)\s+(?:nu|vandaag|direct|online)\b",
                 r"\bmaak (?:nu|vandaag)(?: nog)? een afspraak",
                 r"\bwacht niet langer\b",
                 r"\bbel (?:nu|vandaag)(?: nog)? (?:voor|om)\b",
                 r"\bgratis (?:consult|intake|kennismaking)", r"\bbestel nu\b",
                 r"\bschrijf (?:je|u) (?:nu )?in\b", r"\bop=op\b"),
}
PRICE = {
    "en": _words(r"[€$£]\s?\d", r"\b\d+(?:[.,]\d+)?\s?(?:euros?|EUR|dollars?|"
                 r"pounds?)\b", r"\bfree of charge\b", r"\bdiscount",
                 r"\bspecial offer"),
    "nl": _words(r"€\s?\d", r"\b\d+(?:[.,]\d+)?\s?(?:euro|EUR)\b", r"\bkorting",
                 r"\baanbieding", r"\bgratis\b"),
}
FREQUENCY = {
    "en": _words(_PERCENT, r"\b\d[\d.,]*\s+(?:in|out\s+of)\s+(?:every\s+)?\d",
                 r"\b(?:very |un)?common\b", r"\b(?:very )?rare(?:ly)?\b",
                 r"\boften\b", r"\bseldom\b", r"\boccasionally\b", r"\bmost people\b",
                 r"\bfrequency (?:is )?not known\b"),
    "nl": _words(_PERCENT, r"\b\d[\d.,]*\s+(?:op|van|uit)\s+(?:de\s+|elke\s+)?\d",
                 r"\b(?:zeer |heel )?vaak\b", r"\bsoms\b",
                 r"\b(?:zeer |heel )?zelden\b",
                 r"\bregelmatig\b", r"\b(?:veel|weinig) voorkomend",
                 r"\bde meeste mensen\b", r"\bniet bekend hoe vaak\b"),
}
NO_TREATMENT = {
    "en": _words(r"\bdo(?:ing)? nothing\b", r"\bno treatment\b",
                 r"\b(?:do not|don't) have to\b", r"\bwait and see\b",
                 r"\bwatchful waiting\b", r"\bsay no\b", r"\bdecide not to\b",
                 r"\bnot to have\b"),
    "nl": _words(r"\bniets (?:te )?doen\b", r"\bgeen behandeling\b", r"\bafwachten\b",
                 r"\bhoeft (?:deze|de|het|dit|geen)\b", r"\bnee (?:te )?zeggen\b",
                 r"\bniet (?:te )?laten\b", r"\bkunt ook kiezen om niet\b"),
}
#: A table header that names the column of frequencies.
FREQUENCY_HEADER = {
    "en": _words(r"\bhow (?:often|common|likely)\b", r"\bfrequen", r"\bchance\b",
                 r"\blikelihood\b"),
    "nl": _words(r"\bhoe (?:vaak|vaak komt|groot|waarschijnlijk)\b", r"\bfrequentie",
                 r"\bkans\b"),
}
#: Level-2 headings that name a section, for leaflets without ``{#name}``.
SECTION_WORDS = {
    "en": {
        "risks": _words(r"\brisks?\b(?![- ]free)", r"side[- ]effects?",
                        r"complications?"),
        "alternatives": _words(r"alternatives?", r"\bother (?:options|choices|"
                               r"treatments)\b", r"\byour choices\b"),
        "get-help": _words(r"\bget(?:ting)? help\b", r"\bwhen to (?:call|contact|"
                           r"phone|seek)\b", r"\burgent\b", r"\bemergenc",
                           r"\bwarning signs?\b"),
        "contact": _words(r"\bcontact\b", r"\bquestions\??$"),
    },
    "nl": {
        "risks": _words(r"\brisico", r"bijwerking", r"complicatie"),
        "alternatives": _words(r"alternatie", r"\bandere (?:mogelijkhe|keuze|"
                               r"behandeling|opties)", r"\bwat kunt u (?:nog )?meer"),
        "get-help": _words(r"\bwanneer (?:bellen|contact|hulp)", r"\bdirect bellen",
                           r"\bspoed", r"\bhulp\b", r"\balarmsignalen"),
        "contact": _words(r"\bcontact", r"\bvragen\??$"),
    },
}
#: A number someone is told to call: "call 999", "bel 112".
CALL_NUMBER = re.compile(
    r"(?i)\b(?:call|phone|ring|dial|bel(?:t|len)?|kies|telefoon(?:nummer)?|"
    r"nummer|tel\.?)\b\W{0,3}(?:[^\W\d]+\W{1,3}){0,3}?\+?(\d(?:[\d ]*\d)?)")
#: A typed e-mail address, and a web address (whose digits are no phone
#: number).
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}\b")
WEB_ADDRESS = re.compile(r"(?i)\b(?:https?://|www\.)\S+")
_GAP = r"(?:[ \u00a0\u202f]?[-./\u2013][ \u00a0\u202f]?|[ \u00a0\u202f])"
#: A run of digits that could be a phone number: groups of digits joined by
#: a space, hyphen, dot or slash, an area code in brackets, a leading +
#: ("+31 (0)30 123 4567", "030-1234567", "(030) 123 4567"). Not inside a
#: word, a decimal or a longer number: :func:`_phone` decides.
DIGIT_RUN = re.compile(
    rf"(?<![\w.,/+\-\u2013])(?:\+[ \u00a0]?)?(?:\(\d+\)|\d+)"
    rf"(?:(?:{_GAP}|(?<=\)))(?:\(\d+\)|\d+))*(?![\w]|[.,]\d)")
_DATE = re.compile(r"\d{1,2}([-./])\d{1,2}\1\d{2,4}|\d{4}([-./])\d{1,2}\2\d{1,2}")
_TIMES = re.compile(r"\d{1,2}[.:]\d{2}\s*[-\u2013]\s*\d{1,2}[.:]\d{2}")
_NORTH_AMERICAN = re.compile(r"\(?[2-9]\d\d\)?(?:[ .-]|(?<=\)) ?)\d{3}[ .-]\d{4}")
#: Words before a number that make it a reference, not a phone number.
REFERENCE_WORDS = re.compile(
    r"(?i)\b(?:ref(?:erence|erentie)?|kenmerk|isbn|issn|doi|pmid|pmcid|kvk|big|"
    r"agb|iban|bsn|version|versie|lot|batch|artikel)\b\W*"
    r"(?:(?:nr|no|number|nummer|code)\b\W*)?$")
MARKER = re.compile(r"\[(\d{1,3})\]")
TODO_NOTE = re.compile(r"\bTODO\b")


# --- findings ---------------------------------------------------------------

@dataclass(frozen=True)
class Finding:
    """One rule that a leaflet breaks, at one place."""

    rule: str
    level: str
    path: str
    line: int | None
    message: str

    @property
    def blocking(self) -> bool:
        return self.level == BLOCKING

    def problem(self) -> Problem:
        rule = self.rule if self.blocking else f"{self.rule} (warning)"
        return Problem(self.path, self.line, f"{rule}: {self.message}",
                       warning=not self.blocking)


class Findings(list):
    """Findings, each at the level the settings give its rule (a rule that
    is ``off`` is never added)."""

    def __init__(self, settings: LintSettings):
        super().__init__()
        self.settings = settings

    def add(self, rule: str, path: str, line: int | None, message: str) -> None:
        level = self.settings.level(rule)
        if level != OFF:
            self.append(Finding(rule, level, path, line, message))


def short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return f"“{text if len(text) <= limit else text[:limit - 1] + '…'}”"


# --- the leaflet as units of text -------------------------------------------

@dataclass(frozen=True)
class Unit:
    """One block of a leaflet in one language, as a reader sees it."""

    kind: str
    #: Plain text as printed (markup dropped, placeholders filled).
    text: str
    #: The Markdown it comes from (placeholders not filled).
    raw: str
    path: str
    line: int | None
    #: The section key (``risks``...) and the printed heading it sits under.
    section: str | None
    heading: str
    #: The list or table it belongs to, its row and column in a table, and
    #: the paragraph that leads into that list or table.
    group: int | None = None
    row: int | None = None
    column: int | None = None
    header: bool = False
    lead: Unit | None = None


#: Looks up the text of one message in a language: ``(msgid, context)``.
Translate = Callable[[str, "str | None"], str]
#: Where a message of a language lives: ``(msgid, context, source line)`` ->
#: ``(path, line)``.
Place = Callable[[str, "str | None", int], "tuple[str, int | None]"]


def section_key(heading: str, anchor: str | None, lang: str) -> str | None:
    """Which required section a level-2 heading starts, if any."""
    if anchor:
        return anchor
    for key, pattern in SECTION_WORDS.get(readability.family(lang), {}).items():
        if pattern.search(heading):
            return key
    return None


def units(leaflet: Leaflet, source_lang: str, values: Mapping[str, str],
          translate: Translate, place: Place) -> list[Unit]:
    """Every block of ``leaflet`` in one language, with its place and its
    section (recognised on the source), list or table, row and column."""
    result: list[Unit] = []
    tokens = markup.parser().parse(leaflet.body)
    blocks = iter(leaflet.blocks)
    stack: list[str] = []
    group = row = column = None
    groups = 0
    section = heading = None
    header = False
    last_paragraph: Unit | None = None
    lead: Unit | None = None
    previous_closed = ""
    for token in tokens:
        if token.type in ("table_open", "bullet_list_open", "ordered_list_open",
                          "dl_open") and group is None:
            groups += 1
            group, row, column = groups, -1, -1
            lead = last_paragraph if previous_closed == "paragraph_close" else None
        elif token.type in ("table_close", "bullet_list_close", "ordered_list_close",
                            "dl_close") and not any(
                item in stack[:-1] for item in ("table_open", "bullet_list_open",
                                                "ordered_list_open", "dl_open")):
            group = row = column = lead = None
        elif token.type == "thead_open":
            header = True
        elif token.type == "thead_close":
            header = False
        elif token.type == "tr_open":
            row, column = (row or 0) + 1, -1
        elif token.type in ("th_open", "td_open"):
            column = (column or 0) + 1
        if token.nesting == 1:
            stack.append(token.type)
        elif token.nesting == -1:
            if stack:
                stack.pop()
            if not stack:
                previous_closed = token.type
        if token.type != "inline" or not markup.normalise(token.content):
            continue
        block = next(blocks)
        raw = translate(block.text, None)
        text = _plain(raw, values)
        path, line = place(block.text, None, block.line)
        if block.kind == "heading" and block.level == 2:
            section = section_key(block.text, block.anchor, source_lang)
            heading = text
        kind = "header cell" if header and block.kind == "table cell" else block.kind
        unit = Unit(kind, text, raw, path, line, section, heading or "",
                    group, row, column, header, lead)
        result.append(unit)
        if block.kind == "paragraph" and group is None:
            last_paragraph = unit
    return result


def _plain(raw: str, values: Mapping[str, str]) -> str:
    """Inline Markdown as the reader sees it."""
    return markup.plain_text(markup.parse_inline(raw), dict(values))


def front_units(leaflet: Leaflet, values: Mapping[str, str], translate: Translate,
                place: Place) -> list[Unit]:
    """The title and the summary, in one language."""
    meta = leaflet.meta
    result = []
    for kind, text, line in (("title", meta.title, meta.title_line),
                             ("summary", meta.summary, meta.summary_line or 1)):
        if text:
            raw = translate(text, kind)
            path, where = place(text, kind, line)
            result.append(Unit(kind, _plain(raw, values), raw, path, where, None,
                               ""))
    return result


# --- rules about the leaflet ------------------------------------------------

def lint_leaflet(leaflet: Leaflet, shown: str, settings: LintSettings,
                 source_lang: str, today: datetime.date) -> list[Finding]:
    """The rules checked once per leaflet, on its source text."""
    findings = Findings(settings)
    meta = leaflet.meta
    values: dict[str, str] = {}

    def same(msgid: str, context: str | None) -> str:
        return msgid

    def here(msgid: str, context: str | None, line: int) -> tuple[str, int]:
        return shown, line

    source = units(leaflet, source_lang, values, same, here)
    _front_matter(leaflet, shown, findings)
    if "review-by" not in meta.todo:  # a draft's TODO date is no date at all
        _review(meta.review_by, shown, findings, settings, today)
    required = settings.required_sections.get(meta.type or DEFAULT_TYPE, ())
    _sections(source, required, shown, leaflet.body_line, source_lang, findings)
    for unit in front_units(leaflet, values, same, here) + source:
        if TODO_NOTE.search(unit.raw):
            findings.add("todo", unit.path, unit.line, f"a TODO note is left in the "
                         f"text: {short(unit.text)}")
        for match in MARKER.finditer(unit.raw):
            number = int(match[1])
            if not 1 <= number <= len(meta.sources):
                findings.add("reference", unit.path, unit.line, f"[{number}] points "
                             f"to no source: the front matter lists "
                             f"{len(meta.sources)} (sources: 1 to "
                             f"{len(meta.sources)})")
    return list(findings)


def _front_matter(leaflet: Leaflet, shown: str, findings: Findings) -> None:
    meta = leaflet.meta
    types = findings.settings.required_sections
    if not meta.summary:
        findings.add("front-matter", shown, 1, "no summary: add 'summary:', one or "
                     "two sentences on whom the leaflet is for and what it explains")
    if (meta.type or DEFAULT_TYPE) not in types:
        findings.add("front-matter", shown, 1, f"type {meta.type!r} is not a "
                     f"leaflet type of [lint.required-sections] "
                     f"({', '.join(types)})")
    if meta.clinical_reviewer in meta.authors:
        findings.add("front-matter", shown, 1, f"{meta.clinical_reviewer} is both "
                     "author and clinical reviewer: the review needs a second person")
    if any(TODO_NOTE.search(item) for item in (meta.title, *meta.authors,
                                               meta.clinical_reviewer, *meta.sources)):
        findings.add("front-matter", shown, 1, "a field still says TODO")


def _review(review_by: datetime.date, shown: str, findings: Findings,
            settings: LintSettings, today: datetime.date) -> None:
    if review_by < today:
        days = (today - review_by).days
        findings.add("review-overdue", shown, 1, f"review-by {review_by} has passed "
                     f"({days} day{'s' * (days != 1)} ago): the clinical reviewer "
                     "must review the leaflet and set a new review-by date before "
                     "it is printed again")
    elif (review_by - today).days <= settings.review_warning_days:
        days = (review_by - today).days
        findings.add("review-due", shown, 1, f"review-by {review_by} is in {days} "
                     f"day{'s' * (days != 1)}: plan the review now")


def _sections(source: list[Unit], required: tuple[str, ...], shown: str,
              body_line: int, lang: str, findings: Findings) -> None:
    present: dict[str, list[Unit]] = {}
    headings: dict[str, Unit] = {}
    for unit in source:
        if unit.section is None:
            continue
        if unit.kind == "heading" and unit.section not in headings:
            headings[unit.section] = unit
        elif unit.kind != "heading":
            present.setdefault(unit.section, []).append(unit)
    for key in required:
        name = SECTION_NAMES.get(key, key)
        if key not in headings:
            how = (f"add it, e.g. '{SECTION_EXAMPLES[key]}'" if key in SECTION_EXAMPLES
                   else f"add a level-2 heading ending in {{#{key}}}")
            findings.add("required-section", shown, body_line, f"no section on "
                         f"{name}: {how} (or mark its heading with {{#{key}}})")
            continue
        heading = headings[key]
        content = present.get(key, [])
        if not content:
            findings.add("required-section", heading.path, heading.line,
                         f"the section on {name} is empty")
            continue
        text = " ".join(unit.raw for unit in content)
        if key == "risks":
            _risk_frequencies(content, lang, findings)
        elif key == "alternatives":
            pattern = NO_TREATMENT.get(readability.family(lang))
            if pattern is not None and not pattern.search(text):
                findings.add("no-treatment", heading.path, heading.line,
                             "the alternatives do not mention having no treatment "
                             "(doing nothing, or waiting to see): say that it is a "
                             "choice too")
        elif key == "get-help" and not re.search(
                r"\{(?:emergency|out_of_hours|clinic|department)_phone\}|\d{3}",
                text):
            findings.add("required-section", heading.path, heading.line,
                         f"the section on {name} gives no number to call: use "
                         "{emergency_phone}, {out_of_hours_phone}, {clinic_phone} "
                         "or {department_phone}")
        elif key == "contact" and not re.search(
                r"\{(?:clinic|department)_(?:phone|email)\}|@|\d{3}", text):
            findings.add("required-section", heading.path, heading.line,
                         "the contact section gives no phone number or e-mail "
                         "address: use {clinic_phone} or {clinic_email} (or "
                         "{department_phone} or {department_email})")


def _risk_frequencies(content: list[Unit], lang: str, findings: Findings) -> None:
    """Every row of a risk table, or item of a risk list, says how often.

    A table row says it in its own cells: in the cell of the frequency
    column when a header names one ("How often", "Hoe vaak"), else in any
    of its cells; the paragraph before a table never stands in for its rows.
    A list item may leave it to the last sentence of the paragraph that leads
    into the list ("Rare (up to 1 in 1,000):")."""
    base = readability.family(lang)
    pattern = FREQUENCY.get(base)
    if pattern is None:
        return
    rows: dict[tuple[int, int], list[Unit]] = {}
    columns: dict[int, Unit] = {}
    items: list[Unit] = []
    for unit in content:
        if unit.kind == "table cell" and unit.group is not None:
            rows.setdefault((unit.group, unit.row or 0), []).append(unit)
        elif (unit.kind == "header cell" and unit.group is not None
              and unit.column is not None and unit.group not in columns
              and FREQUENCY_HEADER[base].search(unit.text)):
            columns[unit.group] = unit
        elif unit.kind == "list item":
            items.append(unit)
    if not rows and not items:
        if not any(pattern.search(unit.text) for unit in content):
            first = content[0]
            findings.add("risk-frequency", first.path, first.line, "the risks do "
                         "not say how often they happen: give each one, e.g. "
                         "'common: up to 1 in 10'")
        return
    example = "(e.g. 'rare: up to 1 in 1,000')"
    for (group, _row), cells in rows.items():
        header = columns.get(group)
        if header is None:
            if not any(pattern.search(cell.text) for cell in cells):
                findings.add("risk-frequency", cells[0].path, cells[0].line,
                             f"{short(cells[0].text)} does not say how often it "
                             f"happens {example}")
            continue
        cell = next((cell for cell in cells if cell.column == header.column), None)
        name = next((cell for cell in cells if cell.column != header.column),
                    cells[0])
        if cell is None:
            findings.add("risk-frequency", name.path, name.line,
                         f"{short(name.text)} does not say how often it happens: "
                         f"its {short(header.text)} cell is empty {example}; the "
                         "text before the table does not count for its rows")
        elif not pattern.search(cell.text):
            findings.add("risk-frequency", name.path, name.line,
                         f"{short(name.text)} does not say how often it happens: "
                         f"its {short(header.text)} cell says {short(cell.text)} "
                         f"{example}")
    for item in items:
        if item.lead is not None:
            lead = (readability.split_sentences(item.lead.text, lang)
                    or [item.lead.text])
            if pattern.search(lead[-1]):
                continue  # "Rare (up to 1 in 1,000):" before the list
        if not pattern.search(item.text):
            findings.add("risk-frequency", item.path, item.line,
                         f"{short(item.text)} does not say how often it happens "
                         f"{example}")


# --- rules about the text in one language -----------------------------------

@dataclass(frozen=True)
class Hard:
    """A sentence that is hard to read, and where it is."""

    sentence: readability.Sentence
    path: str
    line: int | None


@dataclass
class LanguageLint:
    """Lint of one leaflet in one language."""

    slug: str
    lang: str
    scores: readability.Scores
    findings: list[Finding]
    #: The printed heading of each section, with its hardest sentences.
    hardest: list[tuple[str, list[Hard]]]


#: How many of the hardest sentences of each section the report names.
HARDEST_PER_SECTION = 3
READ_KINDS = ("paragraph", "list item", "table cell", "question", "answer",
              "summary")


def lint_language(leaflet: Leaflet, lang: str, settings: LintSettings,
                  source_lang: str, values: Mapping[str, str], translate: Translate,
                  place: Place) -> LanguageLint:
    """Readability, claims and emergency numbers of ``leaflet`` in ``lang``.
    ``translate`` must know every message (see :func:`units`)."""
    findings = Findings(settings)
    text = (front_units(leaflet, values, translate, place)
            + units(leaflet, source_lang, values, translate, place))
    measured: list[tuple[Unit, readability.Sentence]] = []
    for unit in text:
        if unit.kind in READ_KINDS:
            for sentence in readability.split_sentences(unit.text, lang):
                measured_sentence = readability.measure_sentence(sentence, lang)
                if measured_sentence.words:
                    measured.append((unit, measured_sentence))
    scores = readability.Scores.total(lang, [sentence for _unit, sentence in measured])
    _readability(scores, measured, leaflet, lang, settings, findings, place)
    _claims(text, lang, len(leaflet.meta.sources), findings)
    reported = _emergency_numbers(text, settings, findings)
    _typed_contacts(text, values, settings, reported, findings)
    return LanguageLint(leaflet.slug, lang, scores, list(findings),
                        _hardest(measured))


def _readability(scores: readability.Scores,
                 measured: list[tuple[Unit, readability.Sentence]],
                 leaflet: Leaflet, lang: str, settings: LintSettings,
                 findings: Findings, place: Place) -> None:
    path, _line = place(leaflet.meta.title, "title", leaflet.meta.title_line)
    if scores.sentences == 0:
        return
    if (ease := scores.ease) is not None and ease[1] < settings.reading_ease_min:
        findings.add("reading-ease", path, None, f"{ease[0]} is {ease[1]:.0f}, "
                     f"below the target of {settings.reading_ease_min:.0f}: use "
                     "shorter sentences and shorter words")
    if scores.average_sentence > settings.sentence_average_max:
        findings.add("sentence-average", path, None, f"sentences have "
                     f"{scores.average_sentence:.1f} words on average, more than "
                     f"the target of {settings.sentence_average_max:g}")
    for unit, sentence in measured:
        if sentence.words > settings.sentence_max:
            findings.add("sentence-length", unit.path, unit.line, f"a sentence of "
                         f"{sentence.words} words (at most {settings.sentence_max}): "
                         f"{short(sentence.text)}")


def _hardest(measured: list[tuple[Unit, readability.Sentence]]
             ) -> list[tuple[str, list[Hard]]]:
    sections: dict[str, list[Hard]] = {}
    for unit, sentence in measured:
        sections.setdefault(unit.heading, []).append(
            Hard(sentence, unit.path, unit.line))
    return [(heading, sorted(hards, key=lambda hard: -hard.sentence.difficulty)
             [:HARDEST_PER_SECTION]) for heading, hards in sections.items()]


def _sourced(sentence: str, unit: Unit, headers: dict[tuple[int, int], Unit],
             sources: int, lang: str) -> bool:
    def marked(text: str) -> bool:
        return any(1 <= int(match[1]) <= sources for match in MARKER.finditer(text))

    if marked(sentence):
        return True
    if unit.group is not None and unit.column is not None:
        header = headers.get((unit.group, unit.column))
        if header is not None and marked(header.raw):
            return True
    if unit.lead is not None:
        lead = readability.split_sentences(unit.lead.text, lang) or [unit.lead.text]
        return marked(lead[-1])
    return False


#: The rules about words of the text, in the order their findings are named.
CLAIMS = (("guarantee", GUARANTEE), ("unsourced-cure", CURE),
          ("superlative", SUPERLATIVE), ("call-to-action", CALL_TO_ACTION),
          ("price", PRICE))


def _claims(text: list[Unit], lang: str, sources: int, findings: Findings) -> None:
    """Every claim of every sentence is its own finding: each unsourced
    figure, promise, unsourced cure, superlative, call to action and price
    (the same phrase is named once per sentence)."""
    base = readability.family(lang)
    if base not in FIGURE:
        return
    headers = {(unit.group, unit.column): unit for unit in text
               if unit.header and unit.group is not None and unit.column is not None}
    for unit in text:
        # a marker [n] reads the same in the printed text as in the source
        for plain in readability.split_sentences(unit.text, lang) or [unit.text]:
            named: set[tuple[str, str]] = set()
            sourced = _sourced(plain, unit, headers, sources, lang)
            for rule, phrase, message in _sentence_claims(plain, base, sourced):
                key = (rule, " ".join(phrase.lower().split()))
                if key not in named:
                    named.add(key)
                    findings.add(rule, unit.path, unit.line, message)


def _sentence_claims(sentence: str, lang: str, sourced: bool
                     ) -> Iterator[tuple[str, str, str]]:
    """``(rule, phrase, message)`` of each claim in one sentence, in order."""
    if not sourced:
        for match in FIGURE[lang].finditer(sentence):
            yield ("unsourced-figure", match[0], f"{short(match[0])} has no source: "
                   "add a marker such as [1] for the first entry of 'sources', or "
                   f"leave the figure out: {short(sentence)}")
    for rule, patterns in CLAIMS:
        for match in patterns[lang].finditer(sentence):
            if _claimed(rule, sentence, match, lang, sourced):
                yield (rule, match[0], f"{short(match[0])} {_WHY[rule]}: "
                       f"{short(sentence)}")


def _claimed(rule: str, sentence: str, match: re.Match[str], lang: str,
             sourced: bool) -> bool:
    """Whether a phrase that a claim rule found is a claim in its sentence."""
    if rule == "guarantee":
        return not _denied(sentence, match, lang)
    if rule == "unsourced-cure":
        # a question ("Will it cure my pain?") claims nothing; its answer may
        healing = HEALING.get(lang)
        return not (sourced or sentence.rstrip().endswith(("?", "\u061f"))
                    or _denied(sentence, match, lang, after=True)
                    or (healing is not None
                        and healing.search(_clause(sentence, match))))
    if rule == "superlative":
        return not any(advice.start() <= match.start() and match.end() <= advice.end()
                       for advice in ADVICE[lang].finditer(sentence))
    return True


def _clause(sentence: str, match: re.Match[str]) -> str:
    """The clause of a sentence that holds a match: between commas, colons,
    semicolons."""
    before = re.split(r"[,;:]", sentence[:match.start()])[-1]
    after = re.split(r"[,;:]", sentence[match.end():])[0]
    return before + match[0] + after


def _denied(sentence: str, match: re.Match[str], lang: str = "en",
            after: bool = False) -> bool:
    """A promise denied in its own clause ("there is no guarantee", "it has
    not been proven"): a negation in the few words before it, after the last
    comma. A promise that is itself a negation ("no side effects") never is.
    With ``after``, a Dutch verb is also denied by "niet" or "nooit" later in
    its clause ("het geneest de pijn niet")."""
    if NEGATION.search(match[0]):
        return False
    before = re.split(r"[,;:]", sentence[max(0, match.start() - 30):match.start()])
    if NEGATION.search(before[-1]):
        return True
    if after and lang == "nl":
        rest = re.split(r"[,;:]|\b(?:en|maar|of|want|als|wanneer|dat|omdat)\b",
                        sentence[match.end():match.end() + 40], flags=re.I)[0]
        return bool(re.search(r"\b(?:niet|nooit)\b", rest, re.I))
    return False


_WHY = {
    "guarantee": "promises more than a patient leaflet may",
    "unsourced-cure": "claims a cure without a source: add a marker such as [1] "
                      "for the source that shows it, or leave the claim out",
    "superlative": "is advertising, not information",
    "call-to-action": "sells instead of informing",
    "price": "is a price or an offer",
}


def _emergency_numbers(text: list[Unit], settings: LintSettings,
                       findings: Findings) -> set[tuple[int, str]]:
    """Emergency numbers typed into the text; returns ``(unit index,
    number)`` of each one reported."""
    reported: set[tuple[int, str]] = set()
    for index, unit in enumerate(text):
        for match in CALL_NUMBER.finditer(unit.raw):
            joined, first = match[1].replace(" ", ""), match[1].split(" ")[0]
            number = first if (joined not in settings.own_numbers
                               and joined not in settings.foreign_numbers) else joined
            if number in settings.own_numbers:
                reported.add((index, number))
                findings.add("emergency-number", unit.path, unit.line,
                             f"{number} is written into the text: write "
                             "{emergency_phone} or {out_of_hours_phone}, so that "
                             "the number comes from leafpress.toml")
            elif number in settings.foreign_numbers:
                reported.add((index, number))
                findings.add("emergency-number", unit.path, unit.line,
                             f"{number} is an emergency or out-of-hours number of "
                             f"{settings.foreign_numbers[number]}, not of "
                             f"{settings.country} (the configured country): write "
                             "{emergency_phone}")
    return reported


def _typed_contacts(text: list[Unit], values: Mapping[str, str],
                    settings: LintSettings, emergency: set[tuple[int, str]],
                    findings: Findings) -> None:
    """A phone number or e-mail address typed into the text, where a
    placeholder belongs. A number the ``emergency-number`` rule reported is
    not reported again."""
    # a leaflet's department before the clinic, when both have the number
    names = sorted(values, key=lambda name: not name.startswith("department_"))
    phones = {name: _digits(values[name]) for name in names
              if name.endswith("_phone") and _digits(values[name])}
    emails: dict[str, str] = {}
    for name in names:
        if name.endswith("_email") and values[name]:
            emails.setdefault(values[name].strip().lower(), name)
    for index, unit in enumerate(text):
        seen: set[str] = set()
        for match in EMAIL.finditer(unit.raw):
            address = match[0]
            if address.lower() in seen:
                continue
            seen.add(address.lower())
            known = emails.get(address.lower())
            how = (f"write {{{known}}}, which leafpress.toml fills in" if known else
                   "write {clinic_email}, or {department_email} for a "
                   "department's, and set the address in leafpress.toml")
            findings.add("typed-contact", unit.path, unit.line,
                         f"the e-mail address {short(address)} is typed into the "
                         f"text: {how}")
        rest = EMAIL.sub(" ", WEB_ADDRESS.sub(" ", unit.raw))
        for match in DIGIT_RUN.finditer(rest):
            number = match[0]
            digits = _digits(number)
            if (digits in seen or not _phone(number)
                    or REFERENCE_WORDS.search(rest[max(0, match.start() - 30):
                                                   match.start()])):
                continue
            seen.add(digits)
            if ((index, digits) in emergency
                    and settings.level("emergency-number") != OFF):
                continue
            known = next((name for name, configured in phones.items()
                          if _same_number(digits, configured)), None)
            how = (f"write {{{known}}}, which leafpress.toml fills in" if known else
                   "write the placeholder for it: {clinic_phone}, "
                   "{department_phone} for a department, {out_of_hours_phone} "
                   "for the out-of-hours GP service; and set the number in "
                   "leafpress.toml")
            findings.add("typed-contact", unit.path, unit.line,
                         f"the phone number {short(number)} is typed into the "
                         f"text: {how}")


def _digits(text: str) -> str:
    """The digits of a text, as ASCII (Arabic-Indic digits too)."""
    return "".join(str(int(char)) for char in text if char.isdecimal())


def _phone(number: str) -> bool:
    """Whether a run of digits is a phone number: 8 to 15 digits after a +
    or a leading 0 (a trunk or international prefix), or a North American
    "555-123-4567"; never a date ("01-02-2026"), a time range
    ("08.30-17.00") or a row of single digits ("0 1 2 3 4 5")."""
    digits = _digits(number)
    groups = re.findall(r"\d+", number)
    if (_DATE.fullmatch(number) or _TIMES.search(number)
            or sum(len(group) == 1 for group in groups) > 2):
        return False
    if number.startswith("+") or digits.startswith("0"):
        return 8 <= len(digits) <= 15
    return bool(_NORTH_AMERICAN.fullmatch(number))


def _same_number(typed: str, configured: str) -> bool:
    """The same number, written nationally or internationally ("+31 30 ..."
    and "030 ...": the last nine digits agree)."""
    if len(typed) >= 9 and len(configured) >= 9:
        return typed[-9:] == configured[-9:]
    return typed == configured
