"""The clinic's terminology (``locales/<lang>/glossary.csv``): required,
forbidden and kept terms, found whatever their case and with their Dutch
and English endings, each breach refused at its ``po:line``."""

from __future__ import annotations

import pytest

from conftest import po_entry
from leafpress.errors import ContentError
from leafpress.quality import glossary

PO = "locales/nl/LC_MESSAGES/blood-test.po"
CSV = """source,target,rule,note
,spuitje,forbidden,zeg prik
blood test,bloedtest,required,
Thuisarts,,keep,a website's name
"""


def terms(text: str = CSV) -> tuple[glossary.Term, ...]:
    return glossary.read(text.encode(), "locales/nl/glossary.csv")


def rules(source: str, target: str) -> list[str]:
    return [finding.message for finding in
            glossary.check(terms(), source, target, "en", "nl")]


@pytest.mark.parametrize(("text", "term", "lang", "found"), [
    ("Dan krijgt u een spuitje.", "spuitje", "nl", True),
    ("Twee Spuitjes per dag.", "spuitje", "nl", True),  # case and plural
    ("De prikken doen geen pijn.", "prik", "nl", True),
    ("Een prikje.", "prik", "nl", True),
    ("Een inspuiting.", "spuit", "nl", False),  # a whole word only
    ("Trigger  points hurt.", "trigger point", "en", True),  # spacing, plural
    ("Lidocaine", "lidocaine", "nl", True),
])
def test_a_term_is_found_as_a_word_with_its_endings(text, term, lang, found):
    assert glossary.uses(text, term, lang) is found


def test_each_rule_refuses_its_breach():
    assert rules("Before the blood test", "Voor de bloedtest") == []
    assert rules("Before the blood test", "Voor het bloedonderzoek") == [
        "the source says “blood test”; the clinic's term is “bloedtest” "
        "(locales/nl/glossary.csv:3)"]
    assert rules("It hurts a little.", "Het spuitje doet wat pijn.") == [
        "“spuitje” is not to be used (locales/nl/glossary.csv:2: zeg prik)"]
    assert rules("See Thuisarts.", "Zie thuisarts.nl.") == [
        "“Thuisarts” stays as written in the translation "
        "(locales/nl/glossary.csv:4: a website's name)"]
    assert rules("See Thuisarts.", "Zie Thuisarts.") == []


@pytest.mark.parametrize(("text", "line", "message"), [
    ("term,translation\n", 1, "the first line must be the columns"),
    ("source,target,rule,note\nx,y,preferred,\n", 2, "rule 'preferred' is not one"),
    ("source,target,rule,note\n\nx,,forbidden,\n", 3, "forbidden term needs"),
    ("source,target,rule,note\n,y,required,\n", 2, "required term needs its source"),
])
def test_a_broken_glossary_is_refused_at_its_line(text, line, message):
    with pytest.raises(ContentError) as caught:
        terms(text)
    [problem] = caught.value.problems
    assert problem.line == line and message in problem.message, problem


def test_the_build_refuses_a_breach_at_its_po_line_and_a_kept_name(project, cli):
    (project / "locales/nl/glossary.csv").write_text(
        "source,target,rule,note\n,bloed laten prikken,forbidden,zeg bloedafname\n"
        "Before the test,,keep,\n", encoding="utf-8")
    run = cli(project, "build", "-l", "nl")
    assert run.code == 1
    title = po_entry(project / PO, "Having a blood test")
    assert (f"{PO}:{title}: glossary: “bloed laten prikken” is not to be used "
            "(locales/nl/glossary.csv:2: zeg bloedafname)") in run.err, run.err
    before = po_entry(project / PO, "Before the test")
    assert f"{PO}:{before}: glossary: “Before the test” stays as written" in run.err
    assert not (project / "build/pdf/nl/blood-test.pdf").exists()


def test_a_kept_term_may_be_the_source_again(project, cli):
    (project / "locales/nl/glossary.csv").write_text(
        "source,target,rule,note\nDuring the test,,keep,\n", encoding="utf-8")
    po = project / PO
    po.write_text(po.read_text(encoding="utf-8").replace(
        'msgstr "Tijdens de test"', 'msgstr "During the test"'), encoding="utf-8")
    run = cli(project, "build", "-l", "nl")
    assert run.code == 0, run.err
    assert "same-as-source" not in run.err


def test_a_broken_glossary_stops_its_language(project, cli):
    (project / "locales/nl/glossary.csv").write_text("source,target,rule,note\n"
                                                     "a,b,c,\n", encoding="utf-8")
    run = cli(project, "build", "-l", "nl")
    assert run.code == 1
    assert "locales/nl/glossary.csv:2: rule 'c' is not one of" in run.err, run.err
