"""Plural rules follow CLDR and survive a change of Babel's tables: the rule
leafpress writes behaves as CLDR's, the repository's catalogs agree with it
for every number from 0 to 1000, an outdated rule is an error that names the
numbers and the fix, and ``update`` repairs it, turning fuzzy exactly the
plural entries whose text for some number changes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

import cldr
from conftest import REPO
from leafpress.translation import plurals, pofile, wrapping
from leafpress.translation.catalogs import check_header, read_catalog

#: Babel 2.18's Arabic rule: 11-99 and 100-102 swapped (CLDR: 11-99 "many",
#: form 4; 100-102 "other", form 5).
ARABIC_2_18 = ("nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && "
               "n%100<=10 ? 3 : n%100>=0 && n%100<=2 ? 4 : 5);")
#: Babel 2.18's Turkish rule: one form for every number.
TURKISH_2_18 = "nplurals=1; plural=0;"


@pytest.mark.parametrize("lang", sorted(cldr.RULES))
def test_the_rule_leafpress_writes_behaves_as_cldrs(lang):
    rule = plurals.rule_for(lang)
    count, forms = cldr.gettext_forms(rule.header)
    assert forms == cldr.forms(lang)
    assert count == max(forms) + 1 or count == len(cldr.RULES[lang]) + 1


@pytest.mark.parametrize("po", sorted((REPO / "locales").glob("*/LC_MESSAGES/*.po")),
                         ids=lambda path: f"{path.parts[-3]}/{path.name}")
def test_every_committed_catalog_follows_cldr_from_0_to_1000(po):
    lang = po.parts[-3]
    header = pofile.fields(read_catalog(po, po.name, lang))["Plural-Forms"]
    count, forms = cldr.gettext_forms(header)
    assert forms == cldr.forms(lang), [n for n, (a, b) in enumerate(
        zip(forms, cldr.forms(lang), strict=True)) if a != b][:10]


def test_arabic_forms_for_the_numbers_that_changed():
    rule = plurals.rule_for("ar")
    assert [rule.forms[n] for n in (0, 1, 2, 3, 10, 11, 99, 100, 101, 102, 103, 111)
            ] == [0, 1, 2, 3, 3, 4, 4, 5, 5, 5, 3, 4]


@pytest.mark.parametrize(("lang", "header"), [("ar", ARABIC_2_18),
                                              ("tr", TURKISH_2_18)])
def test_an_older_babels_rule_does_not_follow_cldr(lang, header):
    assert not plurals.follows_cldr(plurals.parse(header), lang)
    assert plurals.outdated(header, lang)


def test_the_check_names_the_numbers_and_the_fix():
    catalog = Catalog(locale="ar", fuzzy=False)
    pofile.fields(catalog)["Plural-Forms"] = ARABIC_2_18
    (problem,) = check_header(catalog, "ar/ui.po", "ar")
    assert problem.line == 1
    assert problem.message.startswith("plural-forms: the header says ")
    assert "the numbers 11–102, 111–202, " in problem.message
    assert "run `leafpress update`" in problem.message


def test_layout_does_not_matter_only_behaviour():
    spaced = plurals.rule_for("nl").header
    assert plurals.outdated("nplurals=2;plural=n!=1;", "nl") is None
    assert plurals.outdated(spaced.replace(" ", ""), "nl") is None
    assert plurals.outdated("nplurals=2; plural=(n > 1);", "nl") == (
        "the numbers 0 get a different form")
    assert plurals.outdated("nplurals=x; plural=0;", "nl") == (
        "it is not a valid plural rule")


def plural_catalog(header: str, forms: list[tuple[str, ...]]) -> Catalog:
    catalog = Catalog(locale="ar")
    pofile.fields(catalog)["Plural-Forms"] = header
    for index, strings in enumerate(forms):
        catalog.add((f"{index} day", f"{index} days"), strings)
    catalog.add("Plain text", "نص")
    return catalog


def test_repair_turns_fuzzy_only_entries_whose_text_changes():
    distinct = tuple(f"form {i}" for i in range(6))
    same = ("a", "b", "c", "d", "e", "e")  # forms 4 and 5 alike: no change
    catalog = plural_catalog(ARABIC_2_18, [distinct, same, ("",) * 6])
    changed = plurals.repair(catalog, "ar")
    assert [message.id[0] for message in changed] == ["0 day"]
    assert pofile.fields(catalog)["Plural-Forms"] == plurals.rule_for("ar").header
    assert catalog.get("0 day").fuzzy and catalog.get("0 day").string == distinct
    assert not catalog.get("1 day").fuzzy
    assert not catalog.get("2 day").fuzzy  # untranslated stays untranslated
    assert not catalog.get("Plain text").fuzzy


def test_repair_gives_each_plural_entry_the_rules_number_of_forms():
    catalog = Catalog(locale="tr")
    pofile.fields(catalog)["Plural-Forms"] = TURKISH_2_18
    catalog.add(("{n} day", "{n} days"), ("{n} gün",))
    (changed,) = plurals.repair(catalog, "tr")
    assert changed.string == ("{n} gün", "")
    assert changed.fuzzy


# update repairs a catalog on the disk ---------------------------------------------

UI_PLURAL = '''
#: templates/leaflet.html:1
msgid "{n} page"
msgid_plural "{n} pages"
msgstr[0] ""
msgstr[1] ""
'''


def add_plural(path: Path, strings: list[str] | None) -> None:
    entry = UI_PLURAL
    if strings is not None:
        entry = entry.split("msgstr[0]")[0] + "".join(
            f'msgstr[{i}] "{text}"\n' for i, text in enumerate(strings))
    path.write_text(path.read_text(encoding="utf-8") + entry, encoding="utf-8")


def header_field(name: str, value: str) -> str:
    """The lines of a header field as a catalog has them (wrapped at 79
    columns, as GNU gettext wraps it)."""
    lines = wrapping.quoted("msgstr", f"-\n{name}: {value}\n")[2:]
    return "".join(line + "\n" for line in lines)


def test_update_repairs_an_old_arabic_catalog_and_changes_nothing_else(project, cli):
    assert cli(project, "init-locale", "ar").code == 0
    pot = project / "locales/ui.pot"
    po = project / "locales/ar/LC_MESSAGES/ui.po"
    add_plural(pot, None)
    assert cli(project, "update").code == 0
    text = po.read_text(encoding="utf-8")
    current = plurals.rule_for("ar").header
    assert header_field("Plural-Forms", current) in text
    strings = [f"{i} صفحات" for i in range(6)]
    text = text.replace('msgstr[0] ""\nmsgstr[1] ""\nmsgstr[2] ""\nmsgstr[3] ""\n'
                        'msgstr[4] ""\nmsgstr[5] ""\n',
                        "".join(f'msgstr[{i}] "{s}"\n' for i, s in enumerate(strings)))
    old = text.replace(header_field("Plural-Forms", current),
                       header_field("Plural-Forms", ARABIC_2_18))
    po.write_text(old, encoding="utf-8")

    run = cli(project, "status", "--format", "json")
    (row,) = [row for row in json.loads(run.out)
              if row["language"] == "ar" and row["catalog"] != "ui"]
    assert any("plural-forms" in problem and "run `leafpress update`" in problem
               for problem in row["problems"])

    run = cli(project, "update")
    assert run.code == 0, run
    assert "locales/ar/LC_MESSAGES/ui.po:1: plural-forms: rewrote" in run.err
    assert "1 plural entry became fuzzy" in run.err
    assert "picks another text for some numbers" in run.err
    repaired = po.read_text(encoding="utf-8")
    # The header line and one fuzzy flag: nothing else changed.
    expected = old.replace(header_field("Plural-Forms", ARABIC_2_18),
                           header_field("Plural-Forms", current)).replace(
        '#, python-brace-format\nmsgid "{n} page"',
        '#, fuzzy, python-brace-format\nmsgid "{n} page"')
    assert repaired == expected
    assert cli(project, "update").code == 0
    assert po.read_text(encoding="utf-8") == repaired, "a second update is a no-op"
