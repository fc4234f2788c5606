"""What kind of change an edit of the source made to one message.

Called by ``leafpress update`` (may an old translation be carried forward?)
and by the catalog checks (what must the translator look at?). In: the old
and the new source text. Out: a :class:`Change`:

- ``layout``: only whitespace, line wrapping or quote style changed; the old
  translation is still right and is carried forward as current;
- ``critical``: a number, dose, unit, frequency, date, time, phone number,
  e-mail address, URL, link or placeholder changed; the old translation
  would print a wrong fact;
- ``wording``: anything else; the old translation may no longer say the same.

Only ``layout`` changes keep a translation current; the others make it fuzzy,
and a fuzzy entry is never printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from leafpress.text.facts import describe, facts, unmatched_numbers

QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'",
                        "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"',
                        "«": '"', "»": '"'})


def layout_key(text: str) -> str:
    """The text with whitespace and quote style folded away."""
    return re.sub(r"\s+", " ", text.translate(QUOTES)).strip()


@dataclass(frozen=True)
class Change:
    kind: str  # layout | critical | wording
    detail: str = ""

    @property
    def carries_forward(self) -> bool:
        return self.kind == "layout"


def classify(old: str, new: str, lang: str = "en") -> Change:
    """Classify the edit from ``old`` to ``new`` source text (in ``lang``)."""
    if layout_key(old) == layout_key(new):
        return Change("layout", "only whitespace or quotes changed")
    before, after = facts(old, lang), facts(new, lang)
    differences = []
    removed, added = unmatched_numbers(before.numbers, after.numbers)
    if removed or added:
        differences.append(
            f"numbers {', '.join(map(str, removed)) or '-'} → "
            f"{', '.join(map(str, added)) or '-'}")
    for name in ("placeholders", "phones", "emails", "urls", "links"):
        old_items, new_items = getattr(before, name), getattr(after, name)
        if old_items != new_items:
            differences.append(f"{name} {describe(old_items - new_items) or '-'} → "
                               f"{describe(new_items - old_items) or '-'}")
    if differences:
        return Change("critical", "; ".join(differences))
    return Change("wording", "the wording changed")
