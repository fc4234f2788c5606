"""The translators' workflow on real files: a safe ``update`` (layout edits
carried forward, changed facts made fuzzy and their PDFs withdrawn), the
translation rules, source binding, ``status``, ``init-locale``, the one
``.po`` layout that other tools' files come back to, and ``pybabel``.

Only the tests that need a PDF build one."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from pypdf import PdfReader

import cldr
from conftest import REPO, po_entry, set_msgstr, tool
from leafpress.quality import checks
from leafpress.quality.checks import CRITICAL, WARNING, CheckSettings, Finding
from leafpress.translation.catalogs import read_catalog
from leafpress.translation.changes import Change, classify

PO = "locales/nl/LC_MESSAGES/blood-test.po"
POT = "locales/blood-test.pot"
LEAFLET = "leaflets/blood-test.md"
PDF = "build/pdf/nl/blood-test.pdf"

EAT = ("You can eat and drink as usual. Some tests need you to **fast for 8 "
       "hours**: we tell you if so.")
EAT_NL = ("U mag gewoon eten en drinken. Voor sommige testen moet u **8 uur "
          "nuchter zijn**: dat zeggen we dan.")
NURSE = ("The nurse puts a band around your upper arm. You feel a short prick. It "
         "takes about 5 minutes.")
NURSE_NL = ("De verpleegkundige doet een band om uw bovenarm. U voelt een korte "
            "prik. Het duurt ongeveer 5 minuten.")
PRICK = "Most people feel only a short prick."
PRICK_NL = "De meeste mensen voelen alleen een korte prik."
SMALL_PRICK = "Most people feel only a small prick."
DOSE = "Take 500 mg every 8 hours."
DOSE_NL = "Neem 500 mg elke 8 uur."
NEW_DOSE = "Take 250 mg every 12 hours."
DOSE_CHANGED = ("fuzzy: a number, dose or contact detail changed (numbers 500 mg, 8 "
                "→ 250 mg, 12): was “Take 500 mg every 8 hours.”, now “Take 250 mg "
                "every 12 hours.”")
REVIEW = "; review the translation and remove the fuzzy flag"
MESSAGES, WORDS = 21, 136  # of the fixture leaflet


# Helpers -------------------------------------------------------------------

def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def add_paragraph(root: Path, text: str) -> None:
    """A new paragraph at the end of the section “Before the test”."""
    edit(root / LEAFLET, "\n## During the test", f"\n{text}\n\n## During the test")


def extract_and_update(root: Path, cli):
    assert cli(root, "extract").code == 0
    run = cli(root, "update")
    assert run.code == 0, run
    return run


def translate(root: Path, msgid_start: str, msgstr: str) -> int:
    """Put a one-line msgstr into the entry; return its msgstr line."""
    return set_msgstr(root / PO, msgid_start, msgstr)


def review(root: Path, msgid_start: str) -> None:
    """What a translator does with a reviewed fuzzy entry: drop the flag and
    the previous msgid."""
    po = root / PO
    entries = po.read_text(encoding="utf-8").split("\n\n")
    for number, entry in enumerate(entries):
        if f'\nmsgid "{msgid_start}' in entry:
            lines = [line for line in entry.split("\n") if not line.startswith("#|")]
            entries[number] = "\n".join(line for line in lines if line != "#, fuzzy")
    po.write_text("\n\n".join(entries), encoding="utf-8")


def entry(root: Path, msgid_start: str) -> str:
    """The block of the Dutch catalog that holds one msgid."""
    found = [block for block in (root / PO).read_text(encoding="utf-8").split("\n\n")
             if f'\nmsgid "{msgid_start}' in f"\n{block}"]
    assert len(found) == 1, msgid_start
    return found[0]


def dutch(root: Path) -> Catalog:
    return read_catalog(root / PO, PO, "nl")


def files(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes()
            for path in sorted((root / "locales").rglob("*.po*"))}


def assert_update_changes_nothing(root: Path, cli) -> None:
    before = files(root)
    run = cli(root, "update")
    assert run.code == 0 and "catalogs are up to date" in run.err, run
    assert files(root) == before


def status_json(root: Path, cli) -> list[dict]:
    """The leaflets' rows of ``status --format json`` (not ``ui.po``'s)."""
    run = cli(root, "status", "--format", "json")
    assert run.code == 0, run
    return [row for row in json.loads(run.out) if row["catalog"] != "ui"]


def header(root: Path) -> dict[str, str]:
    text = (root / PO).read_text(encoding="utf-8").split("\n\n")[0]
    return dict(re.findall(r'^"([\w-]+): (.*)\\n"$', text, re.M))


def pdf_text(pdf: Path) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(pdf, strict=True).pages)
    return re.sub(r"\s+", " ", text.replace("\u2010\n", "").replace("\u2010", ""))


# 1. A safe update ------------------------------------------------------------

def test_the_fixture_catalog_is_in_leafpress_layout(project, cli):
    before = (project / PO).read_bytes()
    extract_and_update(project, cli)
    assert (project / PO).read_bytes() == before


def test_whitespace_only_edit_keeps_the_translation_and_prints(project, cli):
    extract_and_update(project, cli)
    leaflet = project / LEAFLET
    edit(leaflet, "upper arm. You feel", "upper arm.\nYou feel")  # re-wrapped
    edit(leaflet, "as usual. Some tests", "as usual.  Some tests")  # two spaces
    run = extract_and_update(project, cli)
    catalog = dutch(project)
    # A soft line break is a space: that msgid did not change at all.
    rewrapped = catalog.get(NURSE)
    assert (rewrapped.string, rewrapped.fuzzy) == (NURSE_NL, False)
    assert rewrapped.locations == [(LEAFLET, 28)]
    # Two spaces stay in the msgid: its translation is carried forward.
    spaced = EAT.replace("as usual. Some", "as usual.  Some")
    assert catalog.get(EAT) is None
    carried = catalog.get(spaced)
    assert (carried.string, carried.fuzzy) == (EAT_NL, False)
    line = po_entry(project / PO, spaced[:40])
    assert (f"{PO}:{line}: carried forward: only whitespace or quotes changed in "
            "“You can eat and drink as usual. Some tests need you to **fa…”\n"
            ) in run.err
    text = (project / PO).read_text(encoding="utf-8")
    assert "fuzzy" not in run.err + text and "#~" not in text
    assert_update_changes_nothing(project, cli)
    build = cli(project, "build", "-l", "nl")
    assert build.code == 0, build
    assert "8 uur nuchter zijn" in pdf_text(project / PDF)


def test_quote_style_edit_is_carried_forward(project, cli):
    straight = "Don't forget your appointment card."
    curly = "Don’t forget your appointment card."
    add_paragraph(project, straight)
    extract_and_update(project, cli)
    translate(project, straight, "Vergeet uw afspraakkaart niet.")
    edit(project / LEAFLET, straight, curly)
    run = extract_and_update(project, cli)
    line = po_entry(project / PO, curly)
    assert (f"{PO}:{line}: carried forward: only whitespace or quotes changed in "
            f"“{curly}”\n") in run.err
    assert "fuzzy" not in run.err
    assert entry(project, curly).endswith(
        f'msgid "{curly}"\nmsgstr "Vergeet uw afspraakkaart niet."')
    assert dutch(project).get(straight) is None
    (row,) = status_json(project, cli)
    assert row["printable"] and row["translated_against"]["current"]
    assert_update_changes_nothing(project, cli)


def test_a_changed_dose_is_fuzzy_withdrawn_and_never_printed(project, cli):
    add_paragraph(project, DOSE)
    extract_and_update(project, cli)
    translate(project, DOSE, DOSE_NL)
    assert cli(project, "-q", "build", "-l", "nl").code == 0
    pdf = project / PDF
    printed = pdf.read_bytes()

    edit(project / LEAFLET, DOSE, NEW_DOSE)
    extracted = cli(project, "extract")
    assert extracted.code == 0
    # The source changed: its Dutch PDF is withdrawn at once.
    assert re.search(r"withdrew build/pdf/nl/blood-test\.pdf, which the current "
                     r"sources can no longer print: locales/nl/LC_MESSAGES/"
                     r"blood-test\.po: missing: .* \(moved to "
                     r"build/withdrawn/nl/blood-test\.pdf\)", extracted.err)
    run = cli(project, "update")
    assert run.code == 0
    assert entry(project, NEW_DOSE).endswith(
        f'#, fuzzy\n#| msgid "{DOSE}"\nmsgid "{NEW_DOSE}"\nmsgstr "{DOSE_NL}"')
    line = po_entry(project / PO, NEW_DOSE)
    assert f"{PO}:{line}: {DOSE_CHANGED}\n" in run.err
    assert not pdf.exists()
    assert (project / "build/withdrawn/nl/blood-test.pdf").read_bytes() == printed
    assert_update_changes_nothing(project, cli)

    build = cli(project, "build", "-l", "nl")
    assert build.code == 1
    assert f"{PO}:{line}: {DOSE_CHANGED}{REVIEW}\n" in build.err
    assert "0 printed, 1 not printed (files)" in build.err
    assert "  nl/blood-test (1 file): " in build.err
    assert not pdf.exists()
    english = cli(project, "build", "-l", "en")
    assert english.code == 0, english
    assert (project / "build/pdf/en/blood-test.pdf").is_file()

    # Flag and previous msgid dropped, the old dose left in: still refused.
    review(project, NEW_DOSE)
    assert entry(project, NEW_DOSE).endswith(f'msgid "{NEW_DOSE}"\nmsgstr "{DOSE_NL}"')
    line = po_entry(project / PO, NEW_DOSE)
    build = cli(project, "build", "-l", "nl")
    assert build.code == 1
    assert (f"{PO}:{line}: numbers: the translation drops 250 mg, 12; adds 500 mg, 8 "
            "(numbers and units must match the source)\n") in build.err
    assert not pdf.exists()


def test_a_changed_wording_is_fuzzy_with_the_previous_msgid(project, cli):
    extract_and_update(project, cli)
    edit(project / LEAFLET, PRICK, SMALL_PRICK)
    run = extract_and_update(project, cli)
    assert entry(project, SMALL_PRICK).endswith(
        f'#, fuzzy\n#| msgid "{PRICK}"\nmsgid "{SMALL_PRICK}"\nmsgstr "{PRICK_NL}"')
    line = po_entry(project / PO, SMALL_PRICK)
    changed = (f"{PO}:{line}: fuzzy: the source text changed: was “{PRICK}”, now "
               f"“{SMALL_PRICK}”")
    assert f"{changed}\n" in run.err
    assert_update_changes_nothing(project, cli)
    build = cli(project, "build", "-l", "nl")
    assert build.code == 1
    assert f"{changed}{REVIEW}\n" in build.err


# 2. The translation rules -------------------------------------------------------

def finding(rule: str, message: str) -> Finding:
    return Finding(rule, WARNING if rule in ("end-punctuation", "doubled-word",
                                             "whitespace") else CRITICAL, message)


SAME = ("the translation is the source text again, so the leaflet would print it "
        "untranslated; translate it, or list it under [checks] same-as-source in "
        "leafpress.toml if it stays as written")


THUISARTS = "Read more at [Thuisarts](https://www.thuisarts.nl)."
LOCAL = CheckSettings(localised_links=("https://www.thuisarts.nl",))

#: rule -> (source, translation, settings, every finding of every rule)
RULE_CASES = {
    "placeholders": [
        ("Call {clinic_phone} today.", "Bel vandaag {clinic_phone}.", None, []),
        ("Call {clinic_phone} or {emergency_phone}.", "Bel {clinic_phone}.", None,
         [finding("placeholders", "the translation drops {emergency_phone} "
                  "(placeholders must match the source)")]),
        ("Call {clinic_phone}.", "Bel {kliniek_telefoon}.", None,
         [finding("placeholders", "the translation drops {clinic_phone}; adds "
                  "{kliniek_telefoon} (placeholders must match the source)")]),
    ],
    "markup": [
        ("You **must** fast.", "U **moet** nuchter zijn.", None, []),
        ("You **must** fast.", "U moet nuchter zijn.", None,
         [finding("markup", "the translation drops strong (markup must match the "
                  "source)")]),
    ],
    "html": [
        ("Compare 3 < 4 and 5 > 2.", "Vergelijk 3 < 4 en 5 > 2.", None, []),
        ("About this leaflet", "<style>* { color: #fff }</style>Over deze folder",
         None, [finding("html", "the translation adds HTML (</style>, <style>); "
                        "leafpress prints text, not HTML: remove the tags")]),
        ("Call us.", 'Bel <a href="javascript:x()">ons</a>.', None,
         [finding("html", "the translation adds HTML (</a>, <a>); leafpress "
                  "prints text, not HTML: remove the tags")]),
    ],
    "links": [
        ("Read [this](https://a.example/x).", "Lees [dit](https://a.example/x).",
         None, []),
        ("Read [this](https://a.example/x).", "Lees [dit](https://b.example/x).",
         None, [finding("links", "the translation drops https://a.example/x; adds "
                        "https://b.example/x (link targets must match the source)")]),
        ("Read [this](https://a.example/x).", "Lees dit.", None,
         [finding("markup", "the translation drops link (markup must match the "
                  "source)"),
          finding("links", "the translation drops https://a.example/x (link "
                  "targets must match the source)")]),
        (THUISARTS, "Lees meer op [Thuisarts](https://www.thuisarts.nl/bloed-prikken).",
         LOCAL, []),
        (THUISARTS, "Lees meer op [Thuisarts](https://www.thuisarts.nl/bloed-prikken).",
         None, [finding("links", "the translation drops https://www.thuisarts.nl; "
                        "adds https://www.thuisarts.nl/bloed-prikken (link targets "
                        "must match the source)")]),
    ],
    "numbers": [
        ("Take 2.5 ml.", "Neem 2,5 ml.", None, []),
        ("About 1,000 people.", "Ongeveer 1.000 mensen.", None, []),
        ("Come at 8:30.", "Kom om 8.30 uur.", None, []),
        ("Take 500 mg.", "Neem 50 mg.", None,
         [finding("numbers", "the translation drops 500 mg; adds 50 mg (numbers "
                  "and units must match the source)")]),
        ("Take 500 mg.", "Neem 500 g.", None,
         [finding("numbers", "the translation drops 500 mg; adds 500 g (numbers "
                  "and units must match the source)")]),
    ],
    "contacts": [
        ("Call 030 111 2222 or mail info@test-clinic.example. See "
         "https://www.thuisarts.nl.", "Bel 030 111 2222 of mail "
         "info@test-clinic.example. Zie https://www.thuisarts.nl.", None, []),
        ("Call 030 111 2222.", "Bel 030 111 3333.", None,
         [finding("contacts", "the translation drops 0301112222; adds 0301113333 "
                  "(phone numbers must match the source)")]),
        ("Mail info@test-clinic.example.", "Mail info@kliniek.example.", None,
         [finding("contacts", "the translation drops info@test-clinic.example; adds "
                  "info@kliniek.example (e-mail addresses must match the source)")]),
        ("See https://a.example/x.", "Zie https://a.example/y.", None,
         [finding("contacts", "the translation drops https://a.example/x; adds "
                  "https://a.example/y (URLs must match the source)")]),
    ],
    "same-as-source": [
        ("Does it hurt?", "Doet het pijn?", None, []),
        ("Thuisarts", "Thuisarts", CheckSettings(same_allowed=frozenset({"Thuisarts"})),
         []),
        ("112", "112", None, []),  # no words: nothing to translate
        ("Does it hurt?", "Does it hurt?", None, [finding("same-as-source", SAME)]),
    ],
    "end-punctuation": [
        ("Call us.", "Bel ons.", None, []),
        ("Where is it?", "أين هو؟", None, []),  # its own script's question mark
        ("What to expect", "Wat kunt u verwachten?", None, []),  # a heading asks
        ("“Stop.”", "„Stop.”", None, []),  # closing quotes aside
        ("Call us.", "Bel ons", None,
         [finding("end-punctuation", "the source ends with full stop, the "
                  "translation with no punctuation; check that the sentence is "
                  "complete")]),
        ("Does it hurt?", "Het doet pijn.", None,
         [finding("end-punctuation", "the source ends with question mark, the "
                  "translation with full stop; check that the sentence is "
                  "complete")]),
    ],
    "doubled-word": [
        ("Take it.", "Neem het in.", None, []),
        ("Very very mild.", "Heel heel mild.", None, []),  # the source doubles too
        ("Take it.", "Neem het het in.", None,
         [finding("doubled-word", "“het het” has a word twice in a row")]),
    ],
    "whitespace": [
        ("Line one\\\nline two", "Regel een\\\nregel twee", None, []),
        ("Does it hurt?", " Doet het pijn?", None,
         [finding("whitespace", "leading or trailing whitespace differs from the "
                  "source")]),
        ("Does it hurt?", "Doet het pijn? ", None,
         [finding("whitespace", "leading or trailing whitespace differs from the "
                  "source")]),
        ("Line one\\\nline two", "Regel een regel twee", None,
         [finding("markup", "the translation drops hardbreak (markup must match "
                  "the source)"),
          finding("whitespace", "1 line break(s) in the source, 0 in the "
                  "translation")]),
    ],
}


def test_every_rule_has_a_passing_and_a_failing_case():
    names = [rule.__name__.replace("_", "-") for rule in checks.RULES]
    assert names == list(RULE_CASES)
    for name, cases in RULE_CASES.items():
        assert any(not expected for *_, expected in cases), name
        assert any(any(item.rule == name for item in expected)
                   for *_, expected in cases), name


@pytest.mark.parametrize(("source", "target", "settings", "expected"), [
    pytest.param(*case, id=f"{rule}-{number}")
    for rule, cases in RULE_CASES.items() for number, case in enumerate(cases)])
def test_rule(source, target, settings, expected):
    assert checks.check(source, target, settings or CheckSettings(), "en",
                        "nl") == expected


def test_numbers_rule_refuses_a_thousandfold_smaller_dose():
    assert checks.check("Take 1,000 mg.", "Neem 1 mg.", CheckSettings(), "en",
                        "nl") == [
        finding("numbers", "the translation drops 1,000 mg; adds 1 mg (numbers and "
                "units must match the source)")]


def test_a_localised_link_must_stay_on_its_site():
    findings = checks.check(THUISARTS, "Lees meer op [Thuisarts]"
                            "(https://www.thuisarts.nl.evil.example/).", LOCAL)
    assert [item.rule for item in findings] == ["links"]


@pytest.mark.parametrize(("msgid", "msgstr", "problems"), [
    pytest.param("Yes, unless you felt faint.", "Ja, behalve als u zich slap voelde. "
                 "Lees meer op Thuisarts.",
                 ["markup: the translation drops link (markup must match the "
                  "source)",
                  "links: the translation drops https://www.thuisarts.nl (link "
                  "targets must match the source)"], id="dropped-link"),
    pytest.param("1 to 3 days", "1 tot 4 dagen",
                 ["numbers: the translation drops 3; adds 4 (numbers and units "
                  "must match the source)"], id="changed-number"),
    pytest.param("Call {clinic_phone}", "Bel {clinic_phone} als uw arm na 2 dagen "
                 "nog dik is. Bel bij nood de alarmcentrale.",
                 ["placeholders: the translation drops {emergency_phone} "
                  "(placeholders must match the source)"], id="dropped-placeholder"),
])
def test_a_broken_rule_stops_the_build_at_its_line(project, cli, msgid, msgstr,
                                                   problems):
    line = translate(project, msgid, msgstr)
    run = cli(project, "build", "-l", "nl")
    assert run.code == 1
    reported = [line_ for line_ in run.err.splitlines() if line_.startswith(PO)]
    assert reported == [f"{PO}:{line}: {problem}" for problem in problems]
    assert "0 printed, 1 not printed (files)" in run.err
    assert "  nl/blood-test (1 file): " in run.err
    assert not (project / PDF).exists()


def test_same_as_source_stops_the_leaflet_and_can_be_allowed(project, cli):
    line = translate(project, "Does it hurt?", "Does it hurt?")
    problem = f"{PO}:{line}: same-as-source: {SAME}"
    run = cli(project, "build", "-l", "nl")
    assert run.code == 1, run
    assert f"{problem}\n" in run.err
    assert not (project / PDF).is_file()
    (row,) = status_json(project, cli)
    assert (row["printable"], row["problems"]) == (False, [problem])
    with open(project / "leafpress.toml", "a", encoding="utf-8") as file:
        file.write('\n[checks]\nsame-as-source = ["Does it hurt?"]\n')
    (row,) = status_json(project, cli)
    assert (row["printable"], row["problems"]) == (True, [])


def test_localised_links_let_a_link_to_that_site_change(project, cli):
    line = translate(project, "Yes, unless you felt faint.", "Ja, behalve als u zich "
                     "slap voelde. Lees meer op "
                     "[Thuisarts](https://www.thuisarts.nl/bloed-prikken).")
    (row,) = status_json(project, cli)
    assert row["printable"] is False
    assert row["problems"] == [
        f"{PO}:{line}: links: the translation drops https://www.thuisarts.nl; adds "
        "https://www.thuisarts.nl/bloed-prikken (link targets must match the "
        "source)"]
    with open(project / "leafpress.toml", "a", encoding="utf-8") as file:
        file.write('\n[checks]\nlocalised-links = ["https://www.thuisarts.nl"]\n')
    (row,) = status_json(project, cli)
    assert (row["printable"], row["problems"]) == (True, [])


def test_a_leading_space_is_a_whitespace_warning(project, cli):
    line = translate(project, "Does it hurt?", " Doet het pijn?")
    (row,) = status_json(project, cli)
    assert (row["printable"], row["problems"]) == (True, [
        f"{PO}:{line}: whitespace: leading or trailing whitespace differs from "
        "the source"])


# 3. What kind of change --------------------------------------------------------

@pytest.mark.parametrize(("old", "new", "expected"), [
    ("Take 2 tablets.", "Take  2\ntablets.", Change("layout", "only whitespace or "
                                                    "quotes changed")),
    ("Don't eat.", "Don’t eat.", Change("layout", "only whitespace or quotes "
                                        "changed")),
    ('Say "stop".', "Say “stop”.", Change("layout", "only whitespace or quotes "
                                          "changed")),
    (DOSE, NEW_DOSE, Change("critical", "numbers 500 mg, 8 → 250 mg, 12")),
    ("Take 500 mg.", "Take 500 g.", Change("critical", "numbers 500 mg → 500 g")),
    ("Take 2 tablets.", "Take two tablets.", Change("critical", "numbers 2 → -")),
    ("Call 030 111 2222.", "Call 030 111 3333.",
     Change("critical", "phones 0301112222 → 0301113333")),
    ("See https://a.example/x.", "See https://a.example/y.",
     Change("critical", "urls https://a.example/x → https://a.example/y")),
    (THUISARTS, "Read more at [Thuisarts](https://www.thuisarts.nl/bloed).",
     Change("critical", "links https://www.thuisarts.nl → "
            "https://www.thuisarts.nl/bloed")),
    ("Mail info@a.example.", "Mail info@b.example.",
     Change("critical", "emails info@a.example → info@b.example")),
    ("Call {clinic_phone}.", "Call {out_of_hours_phone}.",
     Change("critical", "placeholders clinic_phone → out_of_hours_phone")),
    (PRICK, SMALL_PRICK, Change("wording", "the wording changed")),
    ("Call 030 111 2222.", "Call 030-111-2222.", Change("wording",
                                                        "the wording changed")),
])
def test_classify(old, new, expected):
    change = classify(old, new)
    assert change == expected
    assert change.carries_forward is (expected.kind == "layout")


def test_classify_a_thousandfold_dose_as_critical():
    assert classify("Take 1 mg.", "Take 1,000 mg.").kind == "critical"


# 4. Source binding --------------------------------------------------------------

def test_a_complete_translation_is_bound_to_its_source(project, cli):
    po = project / PO
    po.write_text("".join(line for line in po.read_text(encoding="utf-8")
                          .splitlines(keepends=True)
                          if not line.startswith('"X-Leafpress-')), encoding="utf-8")
    (row,) = status_json(project, cli)
    assert row["translated_against"] == {"version": None, "hash": None,
                                         "current": False}

    extract_and_update(project, cli)
    fields = header(project)
    assert fields["X-Leafpress-Source-Version"] == "1.2.0"
    bound = fields["X-Leafpress-Source-Hash"]
    assert re.fullmatch(r"sha256:[0-9a-f]{16}", bound)
    assert list(fields)[-3:] == ["X-Generator", "X-Leafpress-Source-Version",
                                 "X-Leafpress-Source-Hash"]
    (row,) = status_json(project, cli)
    assert row["translated_against"] == {"version": "1.2.0", "hash": bound,
                                         "current": True}

    assert cli(project, "-q", "build", "-l", "nl").code == 0
    assert ("Deze folder is vertaald uit het origineel in het Engels, versie 1.2.0"
            in pdf_text(project / PDF))

    # The source changes; the translator has not been at it yet.
    edit(project / LEAFLET, "version: 1.2.0", "version: 1.3.0")
    edit(project / LEAFLET, PRICK, SMALL_PRICK)
    (row,) = status_json(project, cli)
    assert (row["source_version"], row["translated_against"]) == (
        "1.3.0", {"version": "1.2.0", "hash": bound, "current": False})
    extract_and_update(project, cli)
    fields = header(project)
    assert (fields["X-Leafpress-Source-Version"],
            fields["X-Leafpress-Source-Hash"]) == ("1.2.0", bound)
    (row,) = status_json(project, cli)
    assert row["translated_against"] == {"version": "1.2.0", "hash": bound,
                                         "current": False}
    table = cli(project, "status").out.splitlines()[1]
    assert re.split(r"\s{2,}", table.strip())[-3:] == [
        "NO", "1.2.0 (source changed since)", "blood-test.po: fuzzy"]

    # Reviewed and translated again: bound to the new source.
    translate(project, SMALL_PRICK, "De meeste mensen voelen alleen een kleine prik.")
    review(project, SMALL_PRICK)
    extract_and_update(project, cli)
    fields = header(project)
    assert fields["X-Leafpress-Source-Version"] == "1.3.0"
    assert fields["X-Leafpress-Source-Hash"] not in (bound, None)
    (row,) = status_json(project, cli)
    assert row["translated_against"] == {
        "version": "1.3.0", "hash": fields["X-Leafpress-Source-Hash"],
        "current": True}
    assert row["printable"]


# 5. status ----------------------------------------------------------------------

def test_status_counts_messages_and_words_by_state(project, cli):
    extract_and_update(project, cli)
    edit(project / LEAFLET, PRICK, SMALL_PRICK)  # 7 words, fuzzy after update
    extract_and_update(project, cli)
    empty = translate(project, "Does it hurt?", "")  # 3 words
    fuzzy = po_entry(project / PO, SMALL_PRICK)

    run = cli(project, "status", "--format", "json")
    (row,) = [row for row in json.loads(run.out) if row["catalog"] != "ui"]
    assert (row["translated"], row["fuzzy"], row["untranslated"]) == (
        MESSAGES - 2, 1, 1)
    assert row["words"] == {"translated": WORDS - 10, "fuzzy": 7, "untranslated": 3}
    assert row["printable"] is False
    assert row["problems"] == [
        f"{PO}:{empty}: untranslated: “Does it hurt?”",
        f"{PO}:{fuzzy}: fuzzy: the source text changed: was “{PRICK}”, now "
        f"“{SMALL_PRICK}”{REVIEW}"]
    table = cli(project, "status")
    assert table.code == 0
    assert re.split(r"\s{2,}", table.out.splitlines()[1].strip()) == [
        "blood-test", "nl", f"{MESSAGES - 2} ({WORDS - 10})", "1 (7)", "1 (3)",
        f"0/{row['review']['messages']}", "no", "NO",
        "1.2.0 (source changed since)", "blood-test.po: untranslated, fuzzy"]
    strict = cli(project, "status", "--strict")
    assert strict.code == 1

    translate(project, "Does it hurt?", "Doet het pijn?")
    translate(project, SMALL_PRICK, "De meeste mensen voelen alleen een kleine prik.")
    review(project, SMALL_PRICK)
    assert cli(project, "status", "--strict").code == 0
    (row,) = status_json(project, cli)
    assert (row["translated"], row["words"]["translated"], row["printable"]) == (
        MESSAGES, WORDS, True)


def test_status_strict_exits_1_when_the_template_catalog_blocks(project, cli):
    ui = project / "locales/nl/LC_MESSAGES/ui.po"
    edit(ui, '"Language: nl\\n"', '"Language: de\\n"')
    run = cli(project, "status", "--strict")
    assert run.code == 1
    assert re.split(r"\s{2,}", run.out.splitlines()[1].strip())[-3:] == [
        "NO", "1.2.0", "ui.po: language"]


# 6. init-locale -----------------------------------------------------------------

def test_init_locale_adds_a_language_and_its_catalogs(project, cli):
    settings = project / "leafpress.toml"
    before = settings.read_text(encoding="utf-8")
    run = cli(project, "init-locale", "tr")
    assert run.code == 0, run
    after = settings.read_text(encoding="utf-8")
    assert after == before.replace('languages = ["en", "nl"]',
                                   'languages = ["en", "nl", "tr"]')
    assert after.startswith("# A small project for the tests")
    assert tomllib.loads(after)["project"]["languages"] == ["en", "nl", "tr"]
    for domain in ("ui", "blood-test"):
        po = project / f"locales/tr/LC_MESSAGES/{domain}.po"
        assert f"created locales/tr/LC_MESSAGES/{domain}.po" in run.err
        text = po.read_text(encoding="utf-8")
        assert '"Language: tr\\n"' in text
        assert "#, fuzzy\nmsgid \"\"" not in text
        catalog = read_catalog(po, domain, "tr")
        # The rule behaves as CLDR's for Turkish: one form for 1, one for
        # every other number.
        count, forms = cldr.gettext_forms(catalog.plural_forms)
        assert forms == cldr.forms("tr")
        assert count == 2
        assert all(message.string == "" for message in catalog if message.id)
    rows = {row["language"]: row for row in status_json(project, cli)}
    assert (rows["tr"]["untranslated"], rows["tr"]["printable"]) == (MESSAGES, False)

    again = cli(project, "init-locale", "tr")
    assert again.code == 2
    assert "leafpress init-locale: tr is already in leafpress.toml" in again.err
    assert settings.read_text(encoding="utf-8") == after


def test_init_locale_with_a_trailing_comma_in_languages(project, cli):
    settings = project / "leafpress.toml"
    edit(settings, 'languages = ["en", "nl"]', 'languages = [\n    "en",\n    "nl",\n]')
    run = cli(project, "init-locale", "tr")
    assert run.code == 0, run
    languages = tomllib.loads(settings.read_text(encoding="utf-8"))["project"]
    assert languages["languages"] == ["en", "nl", "tr"]


def test_init_locale_refuses_an_unknown_language(project, cli):
    settings = (project / "leafpress.toml").read_bytes()
    run = cli(project, "init-locale", "xx-nonsense")
    assert run.code == 2
    assert "'xx-nonsense' is not a language Babel knows" in run.err
    assert (project / "leafpress.toml").read_bytes() == settings
    assert sorted(path.name for path in (project / "locales").iterdir()) == [
        "blood-test.pot", "nl", "ui.pot"]


def test_init_locale_arabic_has_cldrs_six_plural_forms(project, cli):
    assert cli(project, "init-locale", "ar").code == 0
    catalog = read_catalog(project / "locales/ar/LC_MESSAGES/ui.po", "ui", "ar")
    count, forms = cldr.gettext_forms(catalog.plural_forms)
    assert (count, forms) == (6, cldr.forms("ar"))


def test_init_locale_needs_the_templates(project, cli):
    (project / POT).unlink()
    run = cli(project, "init-locale", "tr")
    assert run.code == 2
    assert "no template locales/blood-test.pot; run `leafpress extract`" in run.err
    assert '"tr"' not in (project / "leafpress.toml").read_text(encoding="utf-8")


# 7. One layout, whichever tool wrote the file last --------------------------------

def gnu(*args: str):
    def run(po: Path, pot: Path) -> None:
        output = po.with_suffix(".tmp")
        command = [args[0], *args[1:], "-o", str(output), str(po)]
        if args[0] == "msgmerge":
            command.append(str(pot))
        result = tool(*command)
        assert result.returncode == 0, result.stderr
        output.replace(po)
    return run


def babel(po: Path, pot: Path) -> None:
    with open(po, "rb") as file:
        catalog = read_po(file)
    with open(po, "wb") as file:
        write_po(file, catalog, width=76)


ROUND_TRIPS = {
    "msgcat --no-wrap": gnu("msgcat", "--no-wrap"),
    "msgcat": gnu("msgcat"),
    "msgcat --width=60": gnu("msgcat", "--width=60"),
    "msgmerge": gnu("msgmerge", "--quiet"),
    "msgmerge --previous": gnu("msgmerge", "--quiet", "--previous"),
    "babel write_po": babel,
}
#: The tools that write GNU gettext's layout, leafpress's too: they change no
#: byte of a catalog leafpress wrote.
SAME_LAYOUT = {"msgcat", "msgmerge", "msgmerge --previous"}
KNOWN_DIFFERENCES = {
    ("fuzzy", "msgmerge"): "GNU msgmerge without --previous drops the previous "
    "msgids: the lines `#| msgid \"Having a blood test\"` and `#| msgid \"\"` / "
    "`#| \"Call {clinic_phone} if your arm is still swollen after 2 days. In an \"` "
    "/ `#| \"emergency, call {emergency_phone}.\"` are gone, and update cannot "
    "bring them back",
    ("fuzzy", "babel write_po"): "Babel's reader drops the header fields "
    "`X-Leafpress-Source-Version: 1.2.0` and `X-Leafpress-Source-Hash: sha256:…`; "
    "update records them only for a complete catalog, so while an entry is fuzzy "
    "the record of the last complete translation is lost",
}


def fuzzy_variant(root: Path, cli) -> None:
    """The fixture with two fuzzy entries (one with a context, one with a
    wrapped `#|` and the flags `fuzzy, python-brace-format`) and a
    translator comment."""
    edit(root / LEAFLET, "title: Having a blood test", "title: Having your blood test")
    edit(root / LEAFLET, "Call {clinic_phone} if", "Phone {clinic_phone} if")
    extract_and_update(root, cli)
    edit(root / PO, "#. paragraph, in section “When to get help”\n",
         "# checked by AB\n#. paragraph, in section “When to get help”\n")
    assert_update_changes_nothing(root, cli)
    text = (root / PO).read_text(encoding="utf-8")
    assert ('# checked by AB\n#. paragraph, in section “When to get help”\n'
            '#: leaflets/blood-test.md:37\n#, fuzzy, python-brace-format\n'
            '#| msgid ""\n#| "Call {clinic_phone} if') in text
    assert ('#, fuzzy\n#| msgctxt "title"\n#| msgid "Having a blood test"\n'
            'msgctxt "title"') in text


def kept(catalog: Catalog) -> list[tuple]:
    return [(message.context, message.id, message.string, sorted(message.flags),
             message.user_comments, message.previous_id) for message in catalog]


@pytest.mark.skipif(shutil.which("msgcat") is None or shutil.which("msgmerge") is None,
                    reason="needs GNU gettext")
@pytest.mark.parametrize(("variant", "name"), [
    pytest.param(variant, name, marks=[pytest.mark.xfail(
        strict=True, raises=AssertionError, reason=KNOWN_DIFFERENCES[variant, name])]
        if (variant, name) in KNOWN_DIFFERENCES else [])
    for variant in ("fixture", "fuzzy") for name in ROUND_TRIPS])
def test_update_brings_another_tools_file_back_byte_for_byte(project, cli, variant,
                                                              name):
    extract_and_update(project, cli)
    if variant == "fuzzy":
        fuzzy_variant(project, cli)
    po = project / PO
    original = po.read_bytes()
    before = kept(dutch(project))

    ROUND_TRIPS[name](po, project / POT)
    if name in SAME_LAYOUT:
        assert po.read_bytes() == original, f"{name} wrote another layout"
    else:
        assert po.read_bytes() != original, "the tool changed nothing"
    assert cli(project, "-q", "update").code == 0
    assert kept(dutch(project)) == before
    assert po.read_text(encoding="utf-8") == original.decode("utf-8")


# 8. pybabel finds what leafpress extract finds ----------------------------------------

def test_pybabel_extract_finds_the_same_messages(project, cli, tmp_path):
    shutil.copy(REPO / "babel.cfg", project / "babel.cfg")
    assert cli(project, "extract").code == 0
    output = tmp_path / "messages.pot"
    script = Path(sys.executable).with_name("pybabel")
    command = ([str(script)] if script.exists()
               else [sys.executable, "-m", "babel.messages.frontend"])
    result = subprocess.run([*command, "extract", "-F", "babel.cfg", "-o",
                             str(output), "."], cwd=project, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr

    def messages(path: Path, folder: str, comments: bool = True) -> set[tuple]:
        with open(path, "rb") as file:
            catalog = read_po(file)
        return {(message.context, message.id, tuple(message.locations))
                + ((tuple(message.auto_comments),) if comments else ())
                for message in catalog if message.id
                and all(name.startswith(folder) for name, _line in message.locations)}

    leaflet = messages(project / POT, "leaflets/")
    assert len(leaflet) == MESSAGES
    assert messages(output, "leaflets/") == leaflet
    # The templates' "Translators:" comments need pybabel's -c option, which
    # babel.cfg cannot set; the messages and places are the same.
    assert messages(output, "templates/", comments=False) == messages(
        project / "locales/ui.pot", "templates/", comments=False)
