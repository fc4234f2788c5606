"""Claims: what a leaflet's text promises, sells or states without a source.

Called by :func:`leafpress.quality.lint.lint_language` for the rules
``unsourced-figure``, ``unsourced-cure``, ``guarantee``, ``superlative``,
``call-to-action`` and ``price`` (English and Dutch). In: the units of text
of a leaflet in one language and how many sources it lists. Out: a finding
for every claim of every sentence: a sentence with a percentage, a promise
and a superlative has three.

A figure (a percentage, an "x in y" figure) or a claim that the treatment
cures is sourced by a reference marker ``[n]`` that points to the n-th entry
of the leaflet's ``sources``: in the same sentence, in the header of its
table column, or in the last sentence of the paragraph that leads into its
list or table.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from leafpress.quality import readability
from leafpress.quality.leaflet_text import Unit
from leafpress.quality.rules import Findings, any_of, short

#: A percentage: a figure in a claim, or a frequency of a risk.
PERCENT = (r"\d+(?:[.,]\d+)?\s?(?:%|procent\b|per ?cent\b|percent\b)"
           # a strength ("1% hydrocortisone cream") is not a claim
           r"(?!\s*(?:\w+\s+)?(?:cream|gel|ointment|solution|lotion|crème|creme|"
           r"zalf|oplossing)\b)")
FIGURE = {
    "en": any_of(PERCENT, r"\b\d[\d.,]*\s+(?:in|out\s+of)\s+(?:every\s+)?\d[\d.,]*"),
    "nl": any_of(PERCENT, r"\b\d[\d.,]*\s+(?:op|van|uit)\s+(?:de\s+|elke\s+)?"
                 r"\d[\d.,]*"),
}
#: Promises that medicines and advertising rules name: that the effect is
#: guaranteed or comes without side effects (EU Directive 2001/83/EC, art.
#: 90(b)), "safe and effective", no risk, miracles, success rates.
GUARANTEE = {
    "en": any_of(r"\bguarantee[ds]?\b", r"\bproven\b", r"\bpainless(?:ly)?\b",
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
    "nl": any_of(r"\bgegarandeerd", r"\bgarantie", r"\bbewezen\b", r"\bpijnlo(?:os|ze)",
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
    "en": any_of(r"\bcur(?:es?|ed|ing|ative)\b",
                 r"\b(?:eliminat(?:es?|ed|ing)|get(?:s|ting)? rid of) "
                 r"(?:\w+ ){0,2}pain\b"),
    "nl": any_of(r"\bgene(?:est|zen|zing|zingen|esbaar)\b",
                 r"\b(?:neemt|nemen) (?:\w+ ){0,2}pijn (?:\w+ )?weg\b"),
}
#: In Dutch, "genezen" is also what a wound does: a cure word in a clause
#: about the skin is about healing, not a claim.
HEALING = {
    "nl": any_of(r"\b(?:prik)?(?:wond|plek|plekje|huid|snee|sneetje|litteken|blaar|"
                 r"korst)(?:je|en)?\b"),
}
#: Words that turn a guarantee around ("not proven", "niet bewezen").
NEGATION = any_of(r"\b(?:not|no|never|cannot|can't|isn't|aren't|hasn't|haven't|"
                  r"won't|niet|nooit|geen|kan niet|kunnen niet)\b")
SUPERLATIVE = {
    "en": any_of(r"\bbest\b(?! (?:to|thing|way)\b)", r"\bfinest\b",
                 r"\b(?:market|industry)[- ]leading\b", r"\bleading (?:clinic|expert|"
                 r"specialist|provider|centre|center|hospital|treatment)s?\b",
                 r"\bworld[- ]class\b", r"\bstate[- ]of[- ]the[- ]art\b",
                 r"\bcutting[- ]edge\b", r"\brevolutionary\b", r"\bmost advanced\b",
                 r"\bunrivall?ed\b", r"\bexcellent results\b",
                 r"\bamazing\b", r"\bunique\b"),
    "nl": any_of(r"(?<!het )\bbeste\b", r"\btoonaangevend", r"\bvooraanstaand",
                 r"\brevolutionair", r"\bstate[- ]of[- ]the[- ]art\b",
                 r"\bgeavanceerdste\b", r"\btopkwaliteit",
                 r"\buitstekende resultaten", r"\bunieke?\b"),
}
#: Advice that uses a superlative word without selling: "for the best
#: results", "at best", "het beste kunt u". A superlative inside one is not
#: flagged.
ADVICE = {
    "en": any_of(r"\b(?:for|to get|to have|get|gives? you) (?:the )?best "
                 r"(?:results?|effects?)\b", r"\bat (?:its )?best\b",
                 r"\b(?:do|try) (?:your|their|our) best\b",
                 r"\bas best (?:you|they|we) can\b", r"\bbest before\b"),
    "nl": any_of(r"\b(?:voor|om) (?:het|de|een zo) beste? (?:resultaat|resultaten|"
                 r"effect)\b", r"\b(?:uw|je|zijn|ons) best doen\b"),
}
CALL_TO_ACTION = {
    "en": any_of(r"\b(?:book|schedule|reserve)\s+(?:now|today|online)\b",
                 r"\b(?:call|contact us)\s+(?:now|today)\s+(?:to|for)\b",
                 r"\bdon'?t wait\b", r"\bdo not wait any longer\b", r"\bact now\b",
                 r"\blimited (?:time|offer|places)\b", r"\bsign up\b",
                 r"\border now\b", r"\bfree consultation\b",
                 r"\bmake an appointment today\b"),
    "nl": any_of(r"\b(?:boek|plan|reserveer)\s+(?:nu|vandaag|direct|online)\b",
                 r"\bmaak (?:nu|vandaag)(?: nog)? een afspraak",
                 r"\bwacht niet langer\b",
                 r"\bbel (?:nu|vandaag)(?: nog)? (?:voor|om)\b",
                 r"\bgratis (?:consult|intake|kennismaking)", r"\bbestel nu\b",
                 r"\bschrijf (?:je|u) (?:nu )?in\b", r"\bop=op\b"),
}
PRICE = {
    "en": any_of(r"[€$£]\s?\d", r"\b\d+(?:[.,]\d+)?\s?(?:euros?|EUR|dollars?|"
                 r"pounds?)\b", r"\bfree of charge\b", r"\bdiscount",
                 r"\bspecial offer"),
    "nl": any_of(r"€\s?\d", r"\b\d+(?:[.,]\d+)?\s?(?:euro|EUR)\b", r"\bkorting",
                 r"\baanbieding", r"\bgratis\b"),
}
#: A reference marker ``[n]``: the n-th entry of the leaflet's sources.
MARKER = re.compile(r"\[(\d{1,3})\]")


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


def lint_claims(text: list[Unit], lang: str, sources: int, findings: Findings) -> None:
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
