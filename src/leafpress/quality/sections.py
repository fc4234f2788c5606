"""Sections: the sections a leaflet's type needs, and how often each risk happens.

Called by :func:`leafpress.quality.lint.lint_leaflet` for the rules
``required-section``, ``risk-frequency`` and ``no-treatment``, on the
source text. In: the units of text of a leaflet and the sections its type
needs (:data:`~leafpress.quality.rules.REQUIRED_SECTIONS`). Out: a finding
for each section that is missing, empty or leaves out what it must say.
"""

from __future__ import annotations

import re

from leafpress.quality import readability
from leafpress.quality.claims import PERCENT
from leafpress.quality.leaflet_text import Unit
from leafpress.quality.rules import Findings, any_of, short

#: How findings name each section, and a heading that starts it.
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
FREQUENCY = {
    "en": any_of(PERCENT, r"\b\d[\d.,]*\s+(?:in|out\s+of)\s+(?:every\s+)?\d",
                 r"\b(?:very |un)?common\b", r"\b(?:very )?rare(?:ly)?\b",
                 r"\boften\b", r"\bseldom\b", r"\boccasionally\b", r"\bmost people\b",
                 r"\bfrequency (?:is )?not known\b"),
    "nl": any_of(PERCENT, r"\b\d[\d.,]*\s+(?:op|van|uit)\s+(?:de\s+|elke\s+)?\d",
                 r"\b(?:zeer |heel )?vaak\b", r"\bsoms\b",
                 r"\b(?:zeer |heel )?zelden\b",
                 r"\bregelmatig\b", r"\b(?:veel|weinig) voorkomend",
                 r"\bde meeste mensen\b", r"\bniet bekend hoe vaak\b"),
}
NO_TREATMENT = {
    "en": any_of(r"\bdo(?:ing)? nothing\b", r"\bno treatment\b",
                 r"\b(?:do not|don't) have to\b", r"\bwait and see\b",
                 r"\bwatchful waiting\b", r"\bsay no\b", r"\bdecide not to\b",
                 r"\bnot to have\b"),
    "nl": any_of(r"\bniets (?:te )?doen\b", r"\bgeen behandeling\b", r"\bafwachten\b",
                 r"\bhoeft (?:deze|de|het|dit|geen)\b", r"\bnee (?:te )?zeggen\b",
                 r"\bniet (?:te )?laten\b", r"\bkunt ook kiezen om niet\b"),
}
#: A table header that names the column of frequencies.
FREQUENCY_HEADER = {
    "en": any_of(r"\bhow (?:often|common|likely)\b", r"\bfrequen", r"\bchance\b",
                 r"\blikelihood\b"),
    "nl": any_of(r"\bhoe (?:vaak|vaak komt|groot|waarschijnlijk)\b", r"\bfrequentie",
                 r"\bkans\b"),
}


def lint_sections(source: list[Unit], required: tuple[str, ...], shown: str,
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
