"""CLDR's plural rules, as the Unicode CLDR publishes them (``plurals.xml``,
cardinal rules, integer part), for the languages a Dutch clinic serves most.

The tests compare plural rules with these by behaviour, never with the
tables of one Babel release: Babel 2.19 changed its Arabic and Turkish
rules, and a test that spelled out the old table broke on every new machine.
"""

from __future__ import annotations

from babel.plural import PluralRule

#: The rules of each language, in CLDR's rule syntax ("other" is the rest).
RULES = {
    "ar": {"zero": "n = 0", "one": "n = 1", "two": "n = 2",
           "few": "n % 100 = 3..10", "many": "n % 100 = 11..99"},
    "nl": {"one": "i = 1 and v = 0"},
    "en": {"one": "i = 1 and v = 0"},
    "tr": {"one": "n = 1"},
    "pl": {"one": "i = 1 and v = 0",
           "few": "v = 0 and i % 10 = 2..4 and i % 100 != 12..14",
           "many": "v = 0 and i != 1 and i % 10 = 0..1 or v = 0 and i % 10 = 5..9 "
                   "or v = 0 and i % 100 = 12..14"},
    "uk": {"one": "v = 0 and i % 10 = 1 and i % 100 != 11",
           "few": "v = 0 and i % 10 = 2..4 and i % 100 != 12..14",
           "many": "v = 0 and i % 10 = 0 or v = 0 and i % 10 = 5..9 "
                   "or v = 0 and i % 100 = 11..14"},
    "ti": {"one": "n = 0..1"},
    "fa": {"one": "i = 0 or n = 1"},
    "so": {"one": "n = 1"},
    "ro": {"one": "i = 1 and v = 0",
           "few": "v != 0 or n = 0 or n != 1 and n % 100 = 1..19"},
    "zh": {},
}

ORDER = ("zero", "one", "two", "few", "many", "other")


def forms(lang: str, numbers=range(1001)) -> list[int]:
    """The gettext form CLDR gives each number: the categories that occur,
    numbered in CLDR's order."""
    rule = PluralRule(RULES[lang])
    categories = [rule(n) for n in numbers]
    used = [name for name in ORDER if name in categories]
    return [used.index(name) for name in categories]


def gettext_forms(header: str, numbers=range(1001)) -> tuple[int, list[int]]:
    """What a ``Plural-Forms`` value does: its count, and the form it picks
    for each number."""
    import gettext
    import re

    match = re.search(r"nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*([^;]+)", header)
    assert match, header
    function = gettext.c2py(match[2])
    return int(match[1]), [function(n) for n in numbers]
