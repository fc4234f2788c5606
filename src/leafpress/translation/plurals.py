"""Plural rules: the ``Plural-Forms`` header each catalog must carry.

Called by :mod:`leafpress.translation.catalogs` (the header check) and
:mod:`leafpress.translation.update` (new catalogs and the repair). In: a
language code, a header read by :func:`pofile.plural_forms
<leafpress.translation.pofile.plural_forms>`. Out: the rule leafpress writes
for the language, whether a header behaves like it, the numbers that would
get another form, and the repair of a catalog whose rule is outdated.

The rule of a language is Babel's (GNU gettext's layout), taken only when it
agrees with CLDR's plural categories; otherwise the rule derived from CLDR
itself. Babel's tables have changed between releases (2.19 swapped the
Arabic forms for 11-99 and 100-102, and gave Turkish two forms), so nothing
here trusts one release's table: rules are compared by what they do, the
form each picks for every number from 0 to 1000, never by their text.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.plural import to_gettext

from leafpress.translation import pofile

#: The numbers on which two rules are compared.
NUMBERS = range(1001)
#: CLDR's categories, in the order gettext numbers their forms.
CATEGORIES = ("zero", "one", "two", "few", "many", "other")


@dataclass(frozen=True)
class Rule:
    """A ``Plural-Forms`` value and what it does."""

    header: str
    count: int
    #: The form picked for each number of :data:`NUMBERS`.
    forms: tuple[int, ...]

    def differs(self, other: Rule) -> list[int]:
        """The numbers for which the two rules pick different forms."""
        return [n for n, (mine, theirs) in enumerate(zip(self.forms, other.forms,
                                                         strict=True))
                if mine != theirs]

    def behaves_like(self, other: Rule) -> bool:
        return self.count == other.count and self.forms == other.forms


@cache
def parse(header: str) -> Rule | None:
    """The rule of a ``Plural-Forms`` value; ``None`` if it is not one."""
    found = pofile.plural_forms(header)
    if not found or not 0 < found[0] <= 6:
        return None
    count, expression = found
    try:
        function = gettext.c2py(expression)
        forms = tuple(function(n) for n in NUMBERS)
    except (ValueError, SyntaxError, RecursionError, ZeroDivisionError):
        return None
    if any(not 0 <= form < count for form in forms):
        return None
    return Rule(header.strip(), count, forms)


def follows_cldr(rule: Rule, lang: str) -> bool:
    """Whether ``rule`` gives each CLDR category of ``lang`` its own form, in
    CLDR's order (zero, one, two, few, many, other), for every number of
    :data:`NUMBERS`."""
    category = Locale.parse(lang).plural_form
    form_of: dict[str, int] = {}
    for n, form in zip(NUMBERS, rule.forms, strict=True):
        if form_of.setdefault(category(n), form) != form:
            return False
    ordered = [form_of[name] for name in CATEGORIES if name in form_of]
    return ordered == sorted(set(ordered))


@cache
def rule_for(lang: str) -> Rule:
    """The rule leafpress writes for ``lang``: Babel's, if it follows CLDR,
    else the one derived from CLDR's categories."""
    babel_rule = parse(Catalog(locale=lang).plural_forms)
    if babel_rule is not None and follows_cldr(babel_rule, lang):
        return babel_rule
    derived = parse(to_gettext(Locale.parse(lang).plural_form) + ";")
    assert derived is not None, lang  # Babel derives a valid rule from CLDR
    return derived


def numbers(found: Iterable[int], limit: int = 6) -> str:
    """Numbers as ranges: ``11–99, 100–102, 111–199, …``."""
    spans: list[list[int]] = []
    for n in found:
        if spans and spans[-1][1] == n - 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    shown = [f"{a}–{b}" if b > a else str(a) for a, b in spans[:limit]]
    return ", ".join(shown) + (", …" if len(spans) > limit else "")


def outdated(header: str, lang: str) -> str | None:
    """Why a ``Plural-Forms`` value is not the rule for ``lang``, or ``None``
    when it behaves like it."""
    current = rule_for(lang)
    found = parse(header)
    if found is None:
        return "it is not a valid plural rule"
    if found.behaves_like(current):
        return None
    differing = found.differs(current)
    if differing:
        return f"the numbers {numbers(differing)} get a different form"
    return f"it has {found.count} forms, not {current.count}"


def repair(catalog: Catalog, lang: str) -> list[Message]:
    """Give a catalog the current rule for ``lang``, in place: the header is
    rewritten, each plural entry gets as many forms as the rule has, and an
    entry whose text for some number changes becomes fuzzy. Returns those
    entries; nothing else changes."""
    header = pofile.fields(catalog)
    old = parse(header.get("Plural-Forms", ""))
    current = rule_for(lang)
    header["Plural-Forms"] = current.header
    changed = []
    for message in catalog:
        if not isinstance(message.id, (list, tuple)):
            continue
        strings = list(message.string) if isinstance(message.string,
                                                     (list, tuple)) else []
        resized = (strings + [""] * current.count)[:current.count]
        message.string = tuple(resized)
        if not any(strings):
            continue
        before = [strings[min(form, len(strings) - 1)] if old else None
                  for form in (old.forms if old else current.forms)]
        after = [resized[form] for form in current.forms]
        if before != after and not message.fuzzy:
            message.flags.add("fuzzy")
            changed.append(message)
    return changed
