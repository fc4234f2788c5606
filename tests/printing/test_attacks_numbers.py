"""Numbers that a check reads one way and a patient another (red team).

A translation's numbers are read only as its own language writes them (CLDR,
through Babel): digits of another script, separators of another language,
and the sign, multiplier, unit and frequency around a number are all part of
what the ``numbers`` rule compares. One test per class of attack, with the
legitimate forms that must keep passing next to it, then the same attack on
a real build.
"""

from __future__ import annotations

import time

import pytest

from conftest import set_msgstr
from leafpress.quality import checks
from leafpress.quality.checks import CRITICAL, CheckSettings, Finding
from leafpress.text.facts import conventions, facts, read_numbers
from leafpress.translation.changes import Change, classify

PO = "locales/nl/LC_MESSAGES/blood-test.po"
MUST_MATCH = " (numbers and units must match the source)"


def numbers(source: str, target: str, lang: str = "nl") -> list[str]:
    """The messages of the ``numbers`` findings on one translation (every
    finding of that rule is critical)."""
    findings = [finding for finding in checks.check(source, target, CheckSettings(),
                                                    "en", lang)
                if finding.rule == "numbers"]
    assert all(finding.severity == CRITICAL for finding in findings)
    return [finding.message for finding in findings]


def legitimate(cases):
    return pytest.mark.parametrize(("source", "target", "lang"), [
        pytest.param(*case, id=f"{case[2]}: {case[1]}") for case in cases])


# 1. Digits that are not the digits they look like ---------------------------

@pytest.mark.parametrize(("source", "target", "lang", "expected"), [
    pytest.param("Take 4 tablets a day.", "Neem ৪ tabletten per dag.", "nl",
                 "the translation writes “৪” in Bengali digits, which Dutch does not "
                 "use (Dutch numbers are written with 0–9); write 4",
                 id="bengali four reads as an eight"),
    pytest.param("Take 500 mg.", "Neem 5٠0 mg.", "nl",
                 "the translation writes “5٠0 mg” with digits of two scripts "
                 "(Arabic-Indic and Latin) in one number; write 500 mg",
                 id="arabic-indic zero in a latin number, dutch"),
    pytest.param("Take 500 mg.", "خذوا 5٠0 mg.", "ar",
                 "the translation writes “5٠0 mg” with digits of two scripts "
                 "(Arabic-Indic and Latin) in one number; write 500 mg",
                 id="arabic-indic zero in a latin number, arabic"),
    pytest.param("Take 4 tablets.", "خذوا ۴ أقراص.", "ar",
                 "the translation writes “۴” in Extended Arabic-Indic digits, which "
                 "Arabic does not use (Arabic numbers are written with 0–9 or ٠–٩); "
                 "write 4", id="persian four in arabic"),
    pytest.param("Take 5 ml.", "Neem ５ ml.", "nl",
                 "the translation writes “５ ml” in Fullwidth digits, which Dutch does "
                 "not use (Dutch numbers are written with 0–9); write 5 ml",
                 id="fullwidth five"),
    pytest.param("Take 5 ml.", "Neem 𝟓 ml.", "nl",
                 "the translation writes “𝟓 ml” in Mathematical Bold digits, which "
                 "Dutch does not use (Dutch numbers are written with 0–9); write 5 ml",
                 id="mathematical bold five"),
])
def test_a_digit_of_another_script_is_refused(source, target, lang, expected):
    assert numbers(source, target, lang) == [expected]


@legitimate([
    ("Take 500 mg at 17:00.", "خذوا ٥٠٠ mg الساعة ١٧:٠٠.", "ar"),
    ("Take 2.5 ml.", "خذوا ٢٫٥ ml.", "ar"),
    ("Take 2.5 ml.", "خذوا 2.5 ml.", "ar"),
    ("About 10,000 people.", "حوالي ١٠٬٠٠٠ شخص.", "ar"),
    ("Take 2.5 ml.", "۲٫۵ ml بخورید.", "fa"),
    ("Take 500 mg.", "५०० mg लें।", "hi"),
    ("About 100,000 people.", "लगभग 1,00,000 लोग।", "hi"),
])
def test_the_digits_of_the_languages_own_numbering_systems_pass(source, target,
                                                               lang):
    assert numbers(source, target, lang) == []


def test_an_invisible_character_inside_a_number_is_read_as_printed():
    # A zero-width space or a bidi mark is not printed: 5​00 is 500 on paper.
    assert numbers("Take 500 mg.", "Neem 5\u200b00 mg.") == []
    assert numbers("Take 50 mg.", "Neem 5\u200b00 mg.") == [
        f"the translation drops 50 mg; adds 500 mg{MUST_MATCH}"]


# 2. Separators read in the wrong language ------------------------------------

@pytest.mark.parametrize(("source", "target", "expected"), [
    pytest.param("Take 2.5 ml.", "Neem 2.500 ml.",
                 "the translation reads “2.500 ml” as 2500 ml in Dutch, the source "
                 "says 2.5 ml; write 2,5 ml", id="2.500 ml is 2500 ml in Dutch"),
    pytest.param("Rare: up to 1 in 1,000", "Zelden: tot 1 op de 1,000",
                 "the translation reads “1 op de 1,000” as 1 in 1 in Dutch, the "
                 "source says 1 in 1,000; write 1 op de 1.000",
                 id="1 op de 1,000 is 1 in 1 in Dutch"),
    pytest.param("Take 1,000 mg.", "Neem 1,000 mg.",
                 "the translation reads “1,000 mg” as 1 mg in Dutch, the source says "
                 "1,000 mg; write 1.000 mg", id="1,000 mg is 1 mg in Dutch"),
    pytest.param("Take 2.5 ml.", "Neem 2.5 ml.",
                 "the translation writes “2.5 ml”, which is not a number in Dutch (in "
                 "Dutch, two and a half is 2,5, ten thousand 10.000); write 2,5 ml",
                 id="2.5 is not a Dutch number"),
    pytest.param("About 10,000 people.", "Ongeveer 10,000 mensen.",
                 "the translation reads “10,000” as 10 in Dutch, the source says "
                 "10,000; write 10.000", id="10,000 is 10 in Dutch"),
])
def test_a_number_is_read_only_in_the_translations_language(source, target,
                                                            expected):
    assert numbers(source, target) == [expected]


@legitimate([
    ("Take 2.5 ml.", "Neem 2,5 ml.", "nl"),
    ("About 1,000 people.", "Ongeveer 1.000 mensen.", "nl"),
    ("About 1,000 people.", "Ongeveer 1000 mensen.", "nl"),
    ("Very rare: fewer than 1 in 10,000", "Zeer zelden: minder dan 1 op de 10.000",
     "nl"),
    ("Come at 17:00.", "Kom om 17.00 uur.", "nl"),
    ("Come at 8:30.", "Kom om 8:30 uur.", "nl"),
    ("Take 0.5 ml.", "Neem 0,50 ml.", "nl"),
    ("Take 2.5 ml.", "Nehmen Sie 2,5 ml.", "de"),
    ("About 10,000 people.", "Około 10\u00a0000 osób.", "pl"),
])
def test_a_number_written_as_the_language_writes_it_passes(source, target, lang):
    assert numbers(source, target, lang) == []


def test_the_source_is_read_only_in_the_source_language():
    # “2,5” is not an English number: the translation cannot be checked
    # against it, and the finding says whose text is wrong.
    assert numbers("Take 2,5 ml.", "Neem 2,5 ml.") == [
        "the translation drops 2,5 ml; adds 2,5 ml; the source's “2,5 ml” is not a "
        f"number in English{MUST_MATCH}"]


# 3. Number forms the check did not see ----------------------------------------

@pytest.mark.parametrize(("source", "target", "expected"), [
    pytest.param("Take 500 mg.", "Neem 500 mg, 8x.", "adds 8x", id="8x added"),
    pytest.param("Take 2 tablets.", "Neem 2 tabletten x2.", "adds x2", id="x2 added"),
    pytest.param("Take 2 tablets.", "Neem 2× tabletten.", "drops 2; adds 2×",
                 id="2× for 2"),
    pytest.param("Take 2 tablets.", "Neem ×2 tabletten.", "drops 2; adds ×2",
                 id="×2 for 2"),
    pytest.param("Take 5 mg.", "Neem 5 mg/kg.", "drops 5 mg; adds 5 mg/kg",
                 id="mg/kg for mg"),
    pytest.param("Take 5 mg per kg.", "Neem 5 mg.", "drops 5 mg per kg; adds 5 mg",
                 id="per kg dropped"),
    pytest.param("Give 5 mg/ml.", "Geef 5 mg/l.", "drops 5 mg/ml; adds 5 mg/l",
                 id="mg/l for mg/ml"),
    pytest.param("Give 10 ml/h.", "Geef 10 ml/min.", "drops 10 ml/h; adds 10 ml/min",
                 id="ml/min for ml/h"),
    pytest.param("A fever above 38 °C.", "Koorts boven −38 °C.",
                 "drops 38 °C; adds −38 °C", id="minus sign added"),
    pytest.param("A fever above 38 °C.", "Koorts boven -38 °C.",
                 "drops 38 °C; adds -38 °C", id="hyphen-minus added"),
    pytest.param("A fever above 38 °C.", "Koorts boven +38 °C.",
                 "drops 38 °C; adds +38 °C", id="plus sign added"),
    pytest.param("Keep it at -20 °C.", "Bewaar het bij 20 °C.",
                 "drops -20 °C; adds 20 °C", id="minus sign dropped"),
])
def test_a_sign_multiplier_or_unit_is_part_of_the_number(source, target, expected):
    assert numbers(source, target) == [f"the translation {expected}{MUST_MATCH}"]


@legitimate([
    ("Take 500 mg twice (2x).", "Neem 2 × per dag 500 mg.", "nl"),
    ("Take 500 mg (2 x 250 mg).", "Neem 500 mg (2× 250 mg).", "nl"),
    ("Give 5 mg per kg.", "Geef 5 mg/kg.", "nl"),
    ("Give 10 ml/h.", "Geef 10 ml per uur.", "nl"),
    ("Give 10 ml per hour.", "Geef 10 ml/uur.", "nl"),
    ("Give 5 mg/kg/day.", "Geef 5 mg/kg/dag.", "nl"),
    ("Give 5 mg/kg/day.", "Geben Sie 5 mg/kg pro Tag.", "de"),
    ("Give 5 mg/kg.", "5 mg لكل kg.", "ar"),
    ("Keep it at −20 °C.", "Bewaar het bij -20 °C.", "nl"),
    ("Keep it at -20 °C.", "احفظوه على \u200e-20 °C.", "ar"),
    ("Keep it below 25°C.", "Bewaar het onder 25 °C.", "nl"),
    ("Wait 10-15 minutes.", "Wacht 10-15 minuten.", "nl"),
    ("Take 500mg.", "Neem 500 mg.", "nl"),
])
def test_the_same_sign_multiplier_and_unit_pass(source, target, lang):
    assert numbers(source, target, lang) == []


@pytest.mark.parametrize(("source", "target", "lang", "expected"), [
    pytest.param("Common: up to 1 in 10", "Vaak: tot 10 op de 1", "nl",
                 "the translation reads “10 op de 1” as 10 in 1 in Dutch, the source "
                 "says 1 in 10; write 1 op de 10", id="10 op de 1"),
    pytest.param("Common: up to 1 in 10", "Häufig: bis zu 10 von 1", "de",
                 "the translation reads “10 von 1” as 10 in 1 in German, the source "
                 "says 1 in 10; write 1 von 10", id="10 von 1"),
    pytest.param("Common: up to 1 in 10", "Yaygın: 1 hastanın 10'unu etkileyebilir",
                 "tr", "the translation reads “1 hastanın 10” as 10 in 1 in Turkish, "
                 "the source says 1 in 10; write 10 kişiden 1", id="tr 1 hastanın 10"),
    pytest.param("Common: up to 1 in 10", "شائع: حتى 10 من كل 1", "ar",
                 "the translation reads “10 من كل 1” as 10 in 1 in Arabic, the source "
                 "says 1 in 10; write 1 من كل 10", id="ar 10 من كل 1"),
    pytest.param("Uncommon: up to 1 in 100", "Soms: tot 1 op de 10", "nl",
                 f"the translation drops 1 in 100; adds 1 op de 10{MUST_MATCH}",
                 id="1 in 100 made 1 in 10"),
    pytest.param("Common: up to 1 in 10", "Vaak: 10 mensen, 1 van hen", "nl",
                 "the translation drops 1 in 10; adds 10, 1; in Dutch write “1 in 10” "
                 f"as 1 op de 10{MUST_MATCH}", id="frequency as two numbers reversed"),
])
def test_a_frequency_is_compared_as_a_pair(source, target, lang, expected):
    assert numbers(source, target, lang) == [expected]


@legitimate([
    ("Common: up to 1 in 10", "Vaak: tot 1 op de 10", "nl"),
    ("Common: up to 1 in 10", "Vaak: bij 1 op 10 mensen", "nl"),
    ("Common: up to 1 in 10", "Vaak: 1 van de 10 mensen", "nl"),
    ("Common: up to 1 in 10", "Vaak: tot 1/10", "nl"),
    ("Common: may affect 1 person in 10", "Vaak: tot 1 op de 10", "nl"),
    ("Common: up to 1 in 10", "Häufig: bis zu 1 von 10 Behandelten", "de"),
    ("Common: up to 1 in 10", "Yaygın: 10 hastanın 1'ini etkileyebilir", "tr"),
    ("Common: up to 1 in 10", "Yaygın: 10'da 1", "tr"),
    ("Rare: up to 1 in 1,000", "Seyrek: 1.000 kişide 1", "tr"),
    ("Common: up to 1 in 10", "شائع: حتى 1 من كل 10 أشخاص", "ar"),
    ("Common: up to 1 in 10", "شائع: حتى ١ من كل ١٠ أشخاص", "ar"),
    ("Common: up to 1 in 10", "Często: do 1 na 10 osób", "pl"),
])
def test_a_frequency_in_the_languages_own_form_passes(source, target, lang):
    assert numbers(source, target, lang) == []


# What a change of the source is (changes.py uses the same reading) ------------

@pytest.mark.parametrize(("old", "new", "expected"), [
    ("Take 500 mg every 8 hours.", "Take 250 mg every 12 hours.",
     "numbers 500 mg, 8 → 250 mg, 12"),
    ("Give 5 mg/kg.", "Give 5 mg.", "numbers 5 mg/kg → 5 mg"),
    ("Take 2 tablets.", "Take 2x tablets.", "numbers 2 → 2x"),
    ("Keep it at 20 °C.", "Keep it at −20 °C.", "numbers 20 °C → −20 °C"),
    ("Common: up to 1 in 10", "Common: up to 1 in 100", "numbers 1 in 10 → 1 in 100"),
])
def test_a_changed_number_form_in_the_source_is_critical(old, new, expected):
    assert classify(old, new) == Change("critical", expected)


def test_a_number_written_the_same_way_again_is_no_change():
    assert classify("About 1,000 people, 1 in 10.",
                    "About  1,000 people,\n1 in 10.").kind == "layout"
    assert classify("About 1,000 people.", "Roughly 1,000 people.").kind == "wording"


# Speed: these checks run on every message of every build ----------------------

def test_the_conventions_are_read_once_per_language():
    assert conventions("nl") is conventions("nl")
    assert facts("Neem 2,5 ml.", "nl") is facts("Neem 2,5 ml.", "nl")
    texts = [f"Neem {n},5 ml om {n % 24}.00 uur, 1 op de {n}.000; {n}x per dag, "
             f"−{n} °C, {n} mg/kg." for n in range(2000)]
    start = time.perf_counter()
    for text in texts:
        read_numbers(text, "nl")
    assert time.perf_counter() - start < 2.0


# The same attacks on a real build ------------------------------------------------

DAYS = "1 to 3 days"


@pytest.mark.parametrize(("msgstr", "message"), [
    pytest.param("1 tot ৩ dagen",
                 "the translation writes “৩” in Bengali digits, which Dutch does not "
                 "use (Dutch numbers are written with 0–9); write 3",
                 id="bengali three"),
    pytest.param("1 tot 3.000 dagen",
                 "the translation reads “3.000” as 3000 in Dutch, the source says 3; "
                 "write 3", id="3.000 is 3000 in Dutch"),
    pytest.param("1 tot 3 dagen, 2x", f"the translation adds 2x{MUST_MATCH}",
                 id="multiplier added"),
    pytest.param("1 tot −3 dagen", f"the translation drops 3; adds −3{MUST_MATCH}",
                 id="sign added"),
])
def test_a_planted_number_stops_the_dutch_build_at_its_line(project, cli, msgstr,
                                                           message):
    """Each of these printed before: the check read ৩ as 3, read 3.000 in
    English too, did not see 2x, and dropped the sign."""
    line = set_msgstr(project / PO, DAYS, msgstr)

    run = cli(project, "build", "-l", "nl")

    assert run.code == 1
    reported = [text for text in run.err.splitlines() if text.startswith(f"{PO}:")]
    assert reported == [f"{PO}:{line}: numbers: {message}"]
    assert "0 printed, 1 not printed (files)" in run.err
    assert "  nl/blood-test (1 file): " in run.err
    pdfs = project / "build/pdf/nl"
    assert not pdfs.exists() or not any(pdfs.glob("*.pdf"))


def test_the_dutch_translation_written_the_dutch_way_still_prints(project, cli):
    set_msgstr(project / PO, DAYS, "1 tot 3 dagen")
    run = cli(project, "build", "-l", "nl")
    assert run.code == 0, run
    assert (project / "build/pdf/nl/blood-test.pdf").is_file()


def test_a_finding_keeps_its_shape():
    assert checks.check("Take 2.5 ml.", "Neem 2.500 ml.", CheckSettings(), "en",
                        "nl") == [
        Finding("numbers", CRITICAL, "the translation reads “2.500 ml” as 2500 ml "
                "in Dutch, the source says 2.5 ml; write 2,5 ml")]
