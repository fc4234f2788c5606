"""Lint: the quality gates a leaflet passes before it is printed.

Claims and their sources, promises, required sections, review dates,
emergency numbers, rule levels and readability (English and Dutch), through
``leafpress lint``, :func:`leafpress.pipeline.lint.run_lint` and the build. Only
the tests where printing is the point build a PDF."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import BEING_TRANSLATED, REPO, set_msgstr
from leafpress.pipeline.build import build
from leafpress.pipeline.lint import run_lint
from leafpress.pipeline.snapshot import Snapshot
from leafpress.quality import readability
from leafpress.quality.rules import Finding
from leafpress.settings.project import load_project

PO = "locales/nl/LC_MESSAGES/blood-test.po"
HELP = "## When to get help\n\nIn an emergency, call {emergency_phone}.\n"
ALL_SECTIONS = '["risks", "alternatives", "get-help", "contact"]'
RISKS = ("## Risks and side effects\n\n"
         "| Risk | How often [1] |\n"
         "|---|---|\n"
         "| A bruise | Common: up to 1 in 10 |\n"
         "| An infection | rare |\n")
ALTERNATIVES = ("## Other options\n\nYou can take tablets instead. You can also "
                "choose to have no treatment.\n")
CONTACT = "## Contact\n\nQuestions? Call {clinic_phone} or e-mail {clinic_email}.\n"
TODAY = datetime.date.today()


# Helpers -------------------------------------------------------------------

def with_fields(text: str, **fields: str | None) -> str:
    """A leaflet with front matter fields set (``review_by`` is review-by),
    added, or dropped (None)."""
    front, body = text.split("\n---\n", 1)
    lines = front.split("\n")
    for name, value in fields.items():
        key = name.replace("_", "-")
        found = [number for number, line in enumerate(lines)
                 if line.startswith(f"{key}:")]
        if value is None:
            del lines[found[0]]
        elif found:
            lines[found[0]] = f"{key}: {value}"
        else:
            lines.append(f"{key}: {value}")
    return "\n".join(lines) + "\n---\n" + body


def write_leaflet(root: Path, slug: str, body: str, **fields: str | None) -> str:
    """``leaflets/<slug>.md``: the fixture leaflet's front matter over
    ``body``; return the path as findings show it."""
    source = (root / "leaflets/blood-test.md").read_text(encoding="utf-8")
    front = source.split("\n---\n", 1)[0].replace("slug: blood-test", f"slug: {slug}")
    shown = f"leaflets/{slug}.md"
    (root / shown).write_text(with_fields(f"{front}\n---\n{body}", **fields),
                              encoding="utf-8")
    return shown


def set_fields(root: Path, shown: str, **fields: str | None) -> None:
    path = root / shown
    path.write_text(with_fields(path.read_text(encoding="utf-8"), **fields),
                    encoding="utf-8")


def line_of(root: Path, shown: str, text: str) -> int:
    """The one line of a file that holds ``text``."""
    lines = (root / shown).read_text(encoding="utf-8").split("\n")
    found = [number for number, line in enumerate(lines, start=1) if text in line]
    assert len(found) == 1, (text, found)
    return found[0]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def configure(root: Path, toml: str) -> None:
    """Add tables to leafpress.toml."""
    with (root / "leafpress.toml").open("a", encoding="utf-8") as file:
        file.write(f"\n{toml}\n")


def require(root: Path, sections: str) -> None:
    """Set the sections a procedure leaflet needs."""
    edit(root / "leafpress.toml", 'procedure = ["get-help"]', f"procedure = {sections}")


def findings(root: Path, slug: str, lang: str = "en") -> list[Finding]:
    """Every finding of one leaflet in one language, read as ``lint`` reads."""
    report = run_lint(Snapshot(load_project(root)), [lang], [slug])
    assert not report.problems, report.problems
    (entry,) = report.entries
    assert entry.language is not None, entry.note
    return entry.findings


def found(root: Path, slug: str, lang: str = "en") -> set[tuple[str, int | None]]:
    """(rule, line) of every finding."""
    return {(finding.rule, finding.line) for finding in findings(root, slug, lang)}


def of_rule(root: Path, slug: str, rule: str, lang: str = "en") -> list[Finding]:
    return [finding for finding in findings(root, slug, lang) if finding.rule == rule]


def pdf_text(pdf: Path) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(pdf, strict=True).pages)
    return re.sub(r"\s+", " ", text.replace("\u2010\n", "").replace("\u2010", ""))


def summary_counts(err: str) -> tuple[int, int]:
    """(blocking, warnings) from the last line ``lint`` logs."""
    match = re.search(r": (-?\d+) blocking findings?, (-?\d+) warnings?$", err.strip())
    assert match, err
    return int(match[1]), int(match[2])


CLAIMS = ("## What it does\n\n"
          "This treatment has an over 95% success rate.\n\n"
          "It is completely painless.\n\n" + HELP)


# 1. The acceptance checks ------------------------------------------------------

def test_unsourced_figure_and_promises_are_reported_at_their_lines(project, cli):
    shown = write_leaflet(project, "claims", CLAIMS)
    figure = line_of(project, shown, "95% success rate")
    painless = line_of(project, shown, "painless")
    assert figure != painless
    run = cli(project, "lint", "claims")
    assert run.code == 1
    reported = [line for line in run.err.splitlines() if line.startswith(shown)]
    assert len(reported) == 3, run.err
    assert reported[0].startswith(f"{shown}:{figure}: unsourced-figure: “95%” has no "
                                  "source: add a marker such as [1]")
    assert f"{shown}:{figure}: guarantee: “success rate” promises more" in run.err
    assert f"{shown}:{painless}: guarantee: “painless” promises more" in run.err
    assert re.search(r"^claims\s+en\s.*\s3\s+0$", run.out, re.M), run.out
    assert re.search(r"^claims\s+nl\s.*not read: no catalog yet", run.out, re.M)
    assert summary_counts(run.err) == (3, 0)


def test_unsourced_promises_stop_the_build(project, cli):
    shown = write_leaflet(project, "claims", CLAIMS)
    run = cli(project, "build", "-l", "en", "claims")
    assert run.code == 1
    assert not (project / "build/pdf/en/claims.pdf").exists()
    assert not list((project / "build").rglob("claims*.pdf"))
    figure = line_of(project, shown, "95% success rate")
    assert f"{shown}:{figure}: unsourced-figure: “95%”" in run.err
    assert f"{shown}:{figure}: guarantee: “success rate”" in run.err
    assert "guarantee: “painless”" in run.err
    assert re.search(r"(?m)^  en/claims \(1 files?\): ", run.err), run.err


def test_a_marker_that_points_to_a_source_sources_the_figure(project):
    write_leaflet(project, "sourced", "## What it does\n\nAbout 95% of people feel "
                  "better after a week [1].\n\n" + HELP)
    assert findings(project, "sourced") == []


@pytest.mark.parametrize("marker", ["[3]", "[0]", "[2]"])
def test_a_marker_without_its_source_is_a_reference_finding(project, marker):
    shown = write_leaflet(project, "wrong", "## What it does\n\nAbout 95% of people "
                          f"feel better after a week {marker}.\n\n" + HELP)
    line = line_of(project, shown, "95%")
    assert found(project, "wrong") == {("reference", line), ("unsourced-figure", line)}
    (reference,) = of_rule(project, "wrong", "reference")
    assert reference.message.startswith(f"{marker} points to no source: the front "
                                        "matter lists 1")
    assert reference.blocking


def test_a_marker_in_a_column_header_sources_that_column(project):
    shown = write_leaflet(project, "table", "## What happens\n\n"
                          "| Effect | How often [1] | Share of people |\n"
                          "|---|---|---|\n"
                          "| A bruise | 1 in 10 | 20% |\n"
                          "| Feeling faint | 1 in 100 | 1% |\n\n" + HELP)
    unsourced = of_rule(project, "table", "unsourced-figure")
    assert [(finding.line, finding.message.split(" has no source")[0])
            for finding in unsourced] == [
        (line_of(project, shown, "| 20% |"), "“20%”"),
        (line_of(project, shown, "| 1% |"), "“1%”")]
    assert found(project, "table") == {("unsourced-figure", finding.line)
                                       for finding in unsourced}


def test_a_marker_in_the_sentence_before_a_list_sources_its_items(project):
    items = "\n\n- 1 in 10 people get a bruise\n- 20% feel faint\n\n"
    write_leaflet(project, "lead", "## What happens\n\nThis is what happens. A large "
                  f"study found this [1].{items}" + HELP)
    assert findings(project, "lead") == []
    shown = write_leaflet(project, "early", "## What happens\n\nA large study found "
                          f"this [1]. This is what happens.{items}" + HELP)
    assert found(project, "early") == {
        ("unsourced-figure", line_of(project, shown, "1 in 10")),
        ("unsourced-figure", line_of(project, shown, "20%"))}
    # a heading between the paragraph and the list: it no longer leads into it
    write_leaflet(project, "apart", "## What happens\n\nA large study found this "
                  f"[1].\n\n## How often{items}" + HELP)
    assert [finding.rule for finding in findings(project, "apart")] == [
        "unsourced-figure", "unsourced-figure"]


def test_a_leaflet_past_its_review_date_is_withdrawn(project, cli):
    pdf = project / "build/pdf/en/blood-test.pdf"
    assert cli(project, "build", "-l", "en").code == 0
    printed = pdf.read_bytes()
    set_fields(project, "leaflets/blood-test.md", published="2020-01-01",
               review_by="2022-12-31")
    run = cli(project, "build", "-l", "en")
    assert run.code == 1
    days = (TODAY - datetime.date(2022, 12, 31)).days
    assert (f"leaflets/blood-test.md:1: review-overdue: review-by 2022-12-31 has "
            f"passed ({days} days ago)") in run.err
    assert not pdf.exists()
    withdrawn = project / "build/withdrawn/en/blood-test.pdf"
    assert withdrawn.read_bytes() == printed
    assert "withdrew build/pdf/en/blood-test.pdf" in run.err


def test_an_overdue_leaflet_is_reported_once_for_all_its_languages(project, cli):
    set_fields(project, "leaflets/blood-test.md", published="2020-01-01",
               review_by="2022-12-31")
    run = cli(project, "lint")
    assert run.code == 1
    assert run.err.count("review-overdue") == 1
    for lang in ("en", "nl"):
        assert re.search(rf"^blood-test\s+{lang}\s.*\s1\s+0$", run.out, re.M), run.out


def test_the_summary_counts_each_finding_once(project, cli):
    set_fields(project, "leaflets/blood-test.md", published="2020-01-01",
               review_by="2022-12-31")
    run = cli(project, "lint")
    assert summary_counts(run.err) == (1, 0)


def test_a_review_date_within_90_days_warns_and_prints(project, cli):
    review_by = TODAY + datetime.timedelta(days=30)
    set_fields(project, "leaflets/blood-test.md",
               published=str(TODAY - datetime.timedelta(days=300)),
               review_by=str(review_by))
    run = cli(project, "build", "-l", "en")
    assert run.code == 0, run.err
    assert (project / "build/pdf/en/blood-test.pdf").is_file()
    assert (f"leaflets/blood-test.md:1: review-due (warning): review-by {review_by} "
            "is in 30 days: plan the review now") in run.err


def test_review_warning_days_sets_the_window(project):
    set_fields(project, "leaflets/blood-test.md",
               published=str(TODAY - datetime.timedelta(days=300)),
               review_by=str(TODAY + datetime.timedelta(days=45)))
    (due,) = of_rule(project, "blood-test", "review-due")
    assert not due.blocking
    configure(project, "[lint]\nreview-warning-days = 30")
    assert of_rule(project, "blood-test", "review-due") == []
    edit(project / "leafpress.toml", "review-warning-days = 30",
         "review-warning-days = 60")
    assert [finding.message for finding in of_rule(project, "blood-test",
                                                   "review-due")] == [due.message]


# The Dutch text of the fixture catalog as a reader sees it: placeholders
# filled, markup dropped; headings, the title and table headers are not read.
DUTCH_READ = [
    "Wat er gebeurt als een verpleegkundige bloed bij u afneemt.",
    "U mag gewoon eten en drinken. Voor sommige testen moet u 8 uur nuchter zijn: "
    "dat zeggen we dan.",
    "Zeg het tegen de verpleegkundige als u:",
    "bloedverdunners gebruikt",
    "weleens bent flauwgevallen bij bloed prikken",
    "De verpleegkundige doet een band om uw bovenarm. U voelt een korte prik. Het "
    "duurt ongeveer 5 minuten.",
    "De prik", "Een paar seconden", "Wachten op de uitslag", "1 tot 3 dagen",
    "Bel 030 111 2222 als uw arm na 2 dagen nog dik is. Bel bij nood 112.",
    "Doet het pijn?", "De meeste mensen voelen alleen een korte prik.",
    "Mag ik daarna autorijden?", "Ja, behalve als u zich slap voelde. Lees meer op "
    "Thuisarts.",
]


def test_dutch_is_scored_with_dutch_formulas_and_syllables(project, cli):
    run = cli(project, "lint", "--format", "json")
    assert run.code == 0, run.err
    scores = {entry["language"]: entry["scores"] for entry in json.loads(run.out)}
    english, dutch = scores["en"], scores["nl"]
    assert english["flesch_reading_ease"] is not None
    assert english["flesch_douma"] is None and english["brouwer"] is None
    assert english["ease"]["formula"] == "Flesch Reading Ease"
    assert dutch["flesch_reading_ease"] is None
    assert dutch["flesch_douma"] is not None and dutch["brouwer"] is not None
    assert dutch["ease"]["formula"] == "Flesch-Douma"

    by_hand, _sentences = readability.measure(DUTCH_READ, "nl")
    assert (dutch["sentences"], dutch["words"], dutch["syllables"]) == (
        by_hand.sentences, by_hand.words, by_hand.syllables)
    assert dutch["flesch_douma"] == round(by_hand.flesch_douma, 1)
    assert dutch["brouwer"] == round(by_hand.brouwer, 1)
    assert dutch["lix"] == round(by_hand.lix, 1)
    # the same words counted by the English rules come to another total
    as_english, _sentences = readability.measure(DUTCH_READ, "en")
    assert as_english.words == by_hand.words
    assert as_english.syllables != dutch["syllables"]
    # ver-pleeg-kun-di-ge: five Dutch syllables, the English rules drop the e
    assert readability.count_syllables("verpleegkundige", "nl") == 5
    assert readability.count_syllables("verpleegkundige", "en") == 4

    linted = run_lint(Snapshot(load_project(project)), ["nl"]).entries[0].language
    assert linted.scores == by_hand


def test_a_dutch_claim_is_reported_at_its_msgstr_line(project, cli):
    po = project / PO
    figure = set_msgstr(po, "Most people feel only a short prick.",
                       "Meer dan 95% succes.")
    painless = set_msgstr(po, "Does it hurt?", "Is het pijnloos?")
    assert po.read_text(encoding="utf-8").split("\n")[figure - 1] == \
        'msgstr "Meer dan 95% succes."'
    run = cli(project, "lint", "-l", "nl")
    assert run.code == 1
    assert f"{PO}:{figure}: unsourced-figure: “95%” has no source" in run.err
    assert f"{PO}:{painless}: guarantee: “pijnloos” promises more" in run.err
    assert "leaflets/blood-test.md" not in run.err
    assert cli(project, "lint", "-l", "en").code == 0


def test_a_translation_keeps_a_figure_sourced_by_its_marker(project, cli):
    edit(project / "leaflets/blood-test.md", "It takes about 5 minutes.\n",
         "It takes about 5 minutes.\n\nAbout 1 in 10 people get a small bruise [1].\n")
    assert cli(project, "extract").code == 0
    assert cli(project, "update", "-l", "nl").code == 0
    po = project / PO
    line = set_msgstr(po, "About 1 in 10 people",
                     "Ongeveer 1 op de 10 mensen krijgt een blauwe plek [1].")
    run = cli(project, "lint")
    assert run.code == 0, run.err
    set_msgstr(po, "About 1 in 10 people",
              "Ongeveer 1 op de 10 mensen krijgt een blauwe plek.")
    run = cli(project, "lint")
    assert run.code == 1
    assert f"{PO}:{line}: unsourced-figure: “1 op de 10” has no source" in run.err
    assert "leaflets/blood-test.md" not in run.err


# 2. Required sections and front matter -----------------------------------------

def test_a_complete_procedure_leaflet_passes_and_prints(project, cli):
    """Its risks are found by {#risks} alone, which is neither translated
    nor printed."""
    require(project, ALL_SECTIONS)
    risks = RISKS.replace("## Risks and side effects",
                          "## What could go wrong {#risks}")
    write_leaflet(project, "knee", "\n".join([risks, ALTERNATIVES, HELP, CONTACT]))
    assert cli(project, "lint", "knee").code == 0
    assert cli(project, "extract").code == 0
    pot = (project / "locales/knee.pot").read_text(encoding="utf-8")
    assert 'msgid "What could go wrong"\n' in pot
    assert "{#" not in pot and "#risks" not in pot
    run = cli(project, "build", "-l", "en", "knee")
    assert run.code == 0, run.err
    text = pdf_text(project / "build/pdf/en/knee.pdf")
    assert "What could go wrong" in text
    assert "#risks" not in text and "{#" not in text
    html = (project / "build/html/en/knee.html").read_text(encoding="utf-8")
    assert "{#risks}" not in html


def test_a_heading_whose_words_name_no_section_needs_its_name(project):
    require(project, ALL_SECTIONS)
    risks = RISKS.replace("## Risks and side effects", "## What could go wrong")
    shown = write_leaflet(project, "knee", "\n".join([risks, ALTERNATIVES, HELP,
                                                      CONTACT]))
    (missing,) = findings(project, "knee")
    assert (missing.rule, missing.path, missing.line) == (
        "required-section", shown, line_of(project, shown, "## What could go wrong"))
    assert missing.message.startswith("no section on risks and side effects")
    assert "{#risks}" in missing.message


def test_a_missing_section_is_named(project):
    require(project, ALL_SECTIONS)
    write_leaflet(project, "knee", "\n".join([RISKS, ALTERNATIVES, HELP]))
    (missing,) = findings(project, "knee")
    assert missing.rule == "required-section" and missing.blocking
    assert missing.message.startswith("no section on contact details: add it, e.g. "
                                      "'## Contact {#contact}'")


def test_an_empty_section_is_reported_at_its_heading(project):
    require(project, ALL_SECTIONS)
    shown = write_leaflet(project, "knee", "\n".join([RISKS, "## Other options\n",
                                                      HELP, CONTACT]))
    (empty,) = findings(project, "knee")
    assert (empty.rule, empty.line) == ("required-section",
                                        line_of(project, shown, "## Other options"))
    assert empty.message == ("the section on alternatives (other options, including "
                             "no treatment) is empty")


@pytest.mark.parametrize("risks", [
    RISKS + "| Feeling faint | it can happen |\n",
    "## Side effects\n\n- A bruise: common\n- An infection: rare\n- Feeling faint\n",
])
def test_a_risk_without_its_frequency_is_named(project, risks):
    require(project, ALL_SECTIONS)
    shown = write_leaflet(project, "knee", "\n".join([risks, ALTERNATIVES, HELP,
                                                      CONTACT]))
    (finding,) = findings(project, "knee")
    assert (finding.rule, finding.line) == ("risk-frequency",
                                            line_of(project, shown, "Feeling faint"))
    assert finding.message.startswith("“Feeling faint” does not say how often")


def test_alternatives_must_include_no_treatment(project):
    require(project, ALL_SECTIONS)
    shown = write_leaflet(project, "knee", "\n".join([
        RISKS, "## Other options\n\nYou can take tablets instead.\n", HELP, CONTACT]))
    (finding,) = findings(project, "knee")
    assert (finding.rule, finding.line) == ("no-treatment",
                                            line_of(project, shown, "## Other options"))
    assert "no treatment" in finding.message


def test_an_aftercare_leaflet_needs_its_own_sections(project):
    edit(project / "leafpress.toml",
         '[lint.required-sections]\nprocedure = ["get-help"]\n', "")  # the defaults
    body = "## At home\n\nRest for a day.\n\n" + HELP + "\n" + CONTACT
    write_leaflet(project, "home", body, type="aftercare")
    assert findings(project, "home") == []
    write_leaflet(project, "home", body)  # a procedure
    messages = [finding.message for finding in findings(project, "home")]
    assert [message.split(":")[0] for message in messages] == [
        "no section on risks and side effects",
        "no section on alternatives (other options, including no treatment)"]


def test_an_unknown_type_is_a_front_matter_finding(project):
    write_leaflet(project, "odd", "## At home\n\nRest.\n\n" + HELP, type="leaflet")
    (finding,) = findings(project, "odd")
    assert (finding.rule, finding.line) == ("front-matter", 1)
    assert finding.message.startswith("type 'leaflet' is not a leaflet type")


def test_a_missing_summary_is_a_front_matter_finding(project):
    write_leaflet(project, "bare", "## At home\n\nRest.\n\n" + HELP, summary=None)
    (finding,) = findings(project, "bare")
    assert (finding.rule, finding.line) == ("front-matter", 1)
    assert finding.message.startswith("no summary")


# 3. Emergency numbers ----------------------------------------------------------

def emergency(root: Path, text: str) -> list[str]:
    """The emergency-number messages for one paragraph, each checked to be at
    its line."""
    shown = write_leaflet(root, "call", f"## Help\n\n{text}\n\n" + HELP)
    result = of_rule(root, "call", "emergency-number")
    assert {finding.line for finding in result} <= {line_of(root, shown, text)}
    return [finding.message for finding in result]


def test_a_foreign_emergency_number_is_flagged(project):
    assert emergency(project, "In an emergency, call 999.") == [
        "999 is an emergency or out-of-hours number of the UK, not of NL "
        "(the configured country): "
        "write {emergency_phone}"]


def test_the_own_emergency_number_written_out_is_flagged(project):
    (message,) = emergency(project, "In an emergency, call 112.")
    assert message.startswith("112 is written into the text: write {emergency_phone}")


def test_the_emergency_placeholder_is_fine(project):
    assert emergency(project, "Call {emergency_phone} or {out_of_hours_phone}.") == []


def test_in_a_british_project_999_is_its_own_and_112_is_foreign(project):
    edit(project / "leafpress.toml", 'country = "NL"', 'country = "GB"')
    configure(project, '[countries.GB]\nemergency-phone = "999"\n'
              'out-of-hours-phone = "111"')
    (message,) = emergency(project, "In an emergency, call 999.")
    assert message.startswith("999 is written into the text: write {emergency_phone}")
    (message,) = emergency(project, "Ring 111 at night.")
    assert message.startswith("111 is written into the text")
    # 112 is no number of [countries.GB]: it is flagged as the EU's
    assert emergency(project, "In an emergency, call 112.") == [
        "112 is an emergency or out-of-hours number of the EU, not of GB "
        "(the configured country): "
        "write {emergency_phone}"]
    assert emergency(project, "Call {emergency_phone}.") == []


# 4. Levels ---------------------------------------------------------------------

PAINLESS = "## What it is like\n\nIt is completely painless.\n\n" + HELP


def test_a_rule_made_a_warning_lets_the_leaflet_print(project, cli):
    configure(project, '[lint.rules]\nguarantee = "warning"')
    shown = write_leaflet(project, "calm", PAINLESS)
    run = cli(project, "build", "-l", "en", "calm")
    assert run.code == 0, run.err
    assert (project / "build/pdf/en/calm.pdf").is_file()
    line = line_of(project, shown, "painless")
    assert f"{shown}:{line}: guarantee (warning): “painless”" in run.err
    run = cli(project, "lint", "-l", "en", "calm")
    assert run.code == 0
    assert summary_counts(run.err) == (0, 1)


def test_a_rule_turned_off_says_nothing(project, cli):
    configure(project, '[lint.rules]\nguarantee = "off"')
    write_leaflet(project, "calm", PAINLESS)
    run = cli(project, "lint", "-l", "en", "calm")
    assert run.code == 0
    assert "guarantee" not in run.err and "painless" not in run.err
    assert summary_counts(run.err) == (0, 0)


@pytest.mark.parametrize(("setting", "message"), [
    ('guarantees = "warning"', "leafpress.toml: [lint.rules] guarantees: no such rule "
     "(rules: front-matter, "),
    ('guarantee = "silent"', "leafpress.toml: [lint.rules] guarantee must be one of "
     "blocking, warning, off, not 'silent'"),
])
def test_an_unknown_rule_or_level_is_an_error(project, cli, setting, message):
    configure(project, f"[lint.rules]\n{setting}")
    for command in ("lint", "build"):
        run = cli(project, command)
        assert run.code == 1
        assert message in run.err
    assert not (project / "build/pdf").exists()


def test_a_draft_build_prints_blocking_findings_as_warnings(project):
    write_leaflet(project, "claims", CLAIMS)
    report = build(Snapshot(load_project(project)), ["en"], ["claims"], draft=True)
    assert report.ok, report.failed
    assert (project / "build/draft/en/claims.pdf").is_file()
    assert not (project / "build/pdf/en/claims.pdf").exists()
    rules = sorted(problem.message.split(":")[0] for problem in report.warnings
                   if problem.path == "leaflets/claims.md")
    assert rules == ["guarantee", "guarantee", "unsourced-figure"]
    assert not report.problems


# 5. Readability ----------------------------------------------------------------

WORDS_26 = ("If you feel dizzy or sick after the test, sit down for a while, drink "
            "some water and tell the nurse, who will check on you.")
WORDS_25 = WORDS_26.replace("some water", "water")


def test_a_long_sentence_is_reported_at_its_line(project):
    shown = write_leaflet(project, "long", f"## After the test\n\n{WORDS_25}\n\n"
                          f"Rest.\n\n{WORDS_26}\n\n" + HELP)
    (long,) = of_rule(project, "long", "sentence-length")
    assert long.line == line_of(project, shown, "some water")
    assert not long.blocking
    assert long.message.startswith("a sentence of 26 words (at most 25): “If you")
    configure(project, "[lint]\nsentence-max = 40")
    assert of_rule(project, "long", "sentence-length") == []


def test_hardest_lists_the_hardest_sentences_of_each_section(project, cli):
    run = cli(project, "lint", "--hardest", "-l", "en")
    assert run.code == 0
    sections: dict[str, list[str]] = {}
    for line in run.out.splitlines():
        if re.match(r"^ {4}\S", line):
            sections[line.strip()] = []
        elif match := re.match(r"^ {6}\s*(\d+) words  (.*)$", line):
            sections[list(sections)[-1]].append(match[2])
    assert list(sections) == ["(introduction)", "Before the test", "During the test",
                              "When to get help"]
    assert sections["Before the test"][0] == ("Some tests need you to fast for 8 "
                                              "hours: we tell you if so.")
    assert "It takes about 5 minutes." in sections["During the test"]
    assert all(1 <= len(sentences) <= 3 for sentences in sections.values())


def test_json_has_scores_findings_and_hardest_sentences(project, cli):
    shown = write_leaflet(project, "claims", CLAIMS)
    run = cli(project, "lint", "--format", "json", "claims")
    assert run.code == 1
    entries = {entry["language"]: entry for entry in json.loads(run.out)}
    english = entries["en"]
    assert english["leaflet"] == "claims" and english["note"] is None
    figure = line_of(project, shown, "95%")
    assert english["findings"][0] == {
        "rule": "unsourced-figure", "level": "blocking", "path": shown,
        "line": figure, "message": english["findings"][0]["message"]}
    assert {(item["rule"], item["line"]) for item in english["findings"]} == {
        ("unsourced-figure", figure), ("guarantee", figure),
        ("guarantee", line_of(project, shown, "painless"))}
    assert english["scores"]["words"] > 0 and english["scores"]["ease"]
    assert [section["section"] for section in english["hardest"]] == [
        "", "What it does", "When to get help"]
    (sentences,) = [section["sentences"] for section in english["hardest"]
                    if section["section"] == "What it does"]
    assert sentences[0] == {"text": "This treatment has an over 95% success rate.",
                            "words": 8, "path": shown, "line": figure}
    dutch = entries["nl"]
    assert dutch["scores"] is None and dutch["note"] == "no catalog yet"


# 6. The repository's own leaflets ------------------------------------------------

def test_the_repositorys_own_leaflets_pass(cli):
    run = cli(REPO, "lint")
    assert run.code == 0, run.err
    blocking, _warnings = summary_counts(run.err)
    assert blocking == 0
    rows = {tuple(line.split()[:2]): line for line in run.out.splitlines()[1:]}
    languages = load_project(REPO).settings.languages
    slugs = sorted(path.stem for path in (REPO / "leaflets").glob("*.md"))
    assert set(rows) == {(slug, lang) for slug in slugs for lang in languages}
    for (slug, lang), row in rows.items():
        if (lang, slug) in BEING_TRANSLATED:
            assert "(not read: not completely translated" in row
        else:
            assert row.split()[-2] == "0", row  # blocking


# 7. What the rules must not flag -------------------------------------------------

@pytest.mark.parametrize("text", [
    "It is not a cure.",
    "It has not been proven to help.",
    "It is best to rest for a day.",
    "Walk a little every day, leading to less pain.",
    "Call the clinic within 15 minutes if it bleeds.",
    "Call the clinic between 8:30 and 17:00.",
    "Take 2.5 ml twice a day.",
    "Call if you took 11.2 ml or more.",
    "| Effect | How often [1] |\n|---|---|\n| A bruise | 1 in 10 people |",
])
def test_what_is_not_flagged(project, text):
    write_leaflet(project, "plain", f"## About it\n\n{text}\n\n" + HELP)
    assert findings(project, "plain") == []


# Bugs --------------------------------------------------------------------------

def test_a_promise_in_the_title_is_flagged(project):
    write_leaflet(project, "title", "## About it\n\nRest.\n\n" + HELP,
                  title="Painless blood tests at the best clinic")
    assert {finding.rule for finding in findings(project, "title")} >= {
        "guarantee", "superlative"}


def test_a_promise_in_a_subheading_of_a_section_is_flagged(project):
    shown = write_leaflet(project, "sub", "## Other options\n\n### A painless "
                          "choice\n\nYou can also have no treatment.\n\n" + HELP)
    assert ("guarantee", line_of(project, shown, "painless")) in found(project, "sub")


@pytest.mark.parametrize("text", [
    "We cannot guarantee that it will help.",
    "There is no guarantee that it will help.",
    "No treatment is completely safe.",
])
def test_a_denied_promise_is_not_flagged(project, text):
    write_leaflet(project, "honest", f"## About it\n\n{text}\n\n" + HELP)
    assert of_rule(project, "honest", "guarantee") == []


def test_a_negation_elsewhere_does_not_hide_a_promise(project):
    write_leaflet(project, "calm", "## About it\n\nDo not worry, it is painless.\n\n"
                  + HELP)
    assert [finding.rule for finding in findings(project, "calm")] == ["guarantee"]


def test_a_marker_sources_only_its_own_sentence_whatever_the_clinic_name(project):
    edit(project / "leafpress.toml", 'name = "Test Clinic"',
         'name = "St. Antonius Clinic"')
    shown = write_leaflet(project, "saint", "## About it\n\nThis is what a study "
                          "found [1]. At {clinic_name}, 95% of people go home the "
                          "same day.\n\n" + HELP)
    assert found(project, "saint") == {("unsourced-figure",
                                        line_of(project, shown, "95%"))}


# 8. Every claim is named ---------------------------------------------------------
# The sentences in quotes come from the two web articles on trigger point
# injections that leaflets are imported from (/work/shared/seeds).

CLAIM_RULES = ("unsourced-figure", "unsourced-cure", "guarantee", "superlative",
               "call-to-action", "price")


def claims(root: Path, text: str, lang: str = "en") -> list[tuple[str, str]]:
    """(rule, phrase) of every claim in one paragraph, each checked to be at
    its line."""
    shown = write_leaflet(root, "seed", f"## About it\n\n{text}\n\n" + HELP)
    line = line_of(root, shown, text.split("\n")[0])
    result = [finding for finding in findings(root, "seed", lang)
              if finding.rule in CLAIM_RULES]
    assert {finding.line for finding in result} <= {line}, result
    return [(finding.rule, re.match(r"“(.*?)”", finding.message)[1])
            for finding in result]


def test_two_claims_in_one_sentence_are_two_findings(project, cli):
    sentence = "This treatment is safe and effective, and it is completely painless."
    shown = write_leaflet(project, "claims", f"## About it\n\n{sentence}\n\n" + HELP)
    line = line_of(project, shown, sentence)
    run = cli(project, "lint", "-l", "en", "claims")
    assert run.code == 1
    assert [message for message in run.err.splitlines()
            if message.startswith(shown)] == [
        f"{shown}:{line}: guarantee: “safe and effective” promises more than a "
        f"patient leaflet may: “{sentence}”",
        f"{shown}:{line}: guarantee: “painless” promises more than a patient "
        f"leaflet may: “{sentence}”"]
    assert summary_counts(run.err) == (2, 0)


@pytest.mark.parametrize(("text", "expected"), [
    ("Studies show that these injections work well, with over 95% success rate.",
     [("unsourced-figure", "95%"), ("guarantee", "success rate")]),
    ("Discover why this proven treatment is the best choice for fast recovery.",
     [("guarantee", "proven"), ("superlative", "best")]),
    ("Research shows they are a safe and effective treatment.",
     [("guarantee", "safe and effective")]),
    ("Studies confirm that trigger point injections are effective for lower back "
     "pain. They have few side effects.", [("guarantee", "few side effects")]),
    ("Trigger point injections for lower back pain are a proven relief for many.",
     [("guarantee", "proven")]),
    ("Use trigger point injections lower back to eliminate stubborn pain.",
     [("unsourced-cure", "eliminate stubborn pain")]),
    ("Trigger Point Injections Lower Back: Best Results",
     [("superlative", "Best")]),
    # not from the seeds: what regulators name for patient information
    ("It is risk-free. It has no side effects. It works like a miracle.",
     [("guarantee", "risk-free"), ("guarantee", "no side effects"),
      ("guarantee", "miracle")]),
    ("The injection cures back pain.", [("unsourced-cure", "cures")]),
    ("A 100% safe, painless and proven treatment: book now.",
     [("unsourced-figure", "100%"), ("guarantee", "100% safe"),
      ("guarantee", "painless"), ("guarantee", "proven"),
      ("call-to-action", "book now")]),
])
def test_each_claim_of_a_seed_sentence_is_named(project, text, expected):
    assert claims(project, text) == expected


def test_the_same_phrase_twice_in_a_sentence_is_named_once(project):
    assert claims(project, "It is painless, truly painless.") == [
        ("guarantee", "painless")]


@pytest.mark.parametrize("text", [
    # advice, not advertising
    "It’s important to follow your doctor’s post-procedure advice for the best "
    "results.",
    "At best, the pain eases for a few weeks.",
    # seed sentences that inform
    "While safe, there are risks or side effects. These include temporary soreness, "
    "bruising, or infection.",
    "The injections help break the pain cycle by eliminating the trigger points.",
    "You may feel a slight pinch or pressure during the injection.",
    "Recent research shows that lower back pain affects about 619 million people "
    "globally.",
    # denied, sourced or not about the treatment
    "There is no cure for back pain. The injection does not cure back pain.",
    "Will the injection cure my back pain?",
    "No treatment is safe and effective for everyone.",
    "You may get a few side effects.",
    "Use trigger point injections lower back to eliminate stubborn pain [1].",
])
def test_what_informs_is_not_a_claim(project, text):
    assert claims(project, text) == []


def test_a_cure_is_sourced_like_a_figure(project):
    """In the sentence, in its column header or in the sentence leading into
    its list."""
    assert claims(project, "| Treatment | What it does [1] |\n|---|---|\n"
                  "| Injection | It cures the pain in some people |") == []
    assert claims(project, "A large study found this [1].\n\n"
                  "- The injection cures the pain in some people.") == []
    assert claims(project, "A marker that points to no source [2]: it cures.") == [
        ("unsourced-cure", "cures")]


@pytest.mark.parametrize(("text", "expected"), [
    ("Het is veilig en effectief, en het is helemaal pijnloos.",
     [("guarantee", "veilig en effectief"), ("guarantee", "pijnloos")]),
    ("Er zijn weinig bijwerkingen. Het is zonder risico.",
     [("guarantee", "weinig bijwerkingen"), ("guarantee", "zonder risico")]),
    ("Het is een wondermiddel.", [("guarantee", "wondermiddel")]),
    ("De prik geneest rugpijn.", [("unsourced-cure", "geneest")]),
    ("Dit geeft genezing in 95% van de gevallen.",
     [("unsourced-figure", "95%"), ("unsourced-cure", "genezing")]),
    ("Wij zijn de beste kliniek.", [("superlative", "beste")]),
    # not claims: denied, about the skin, sourced, advice
    ("Er is geen genezing. De prik geneest rugpijn niet.", []),
    ("Het is geen wondermiddel.", []),
    ("De wond geneest in een paar dagen.", []),
    ("De prik geneest rugpijn bij sommige mensen [1].", []),
    ("Voor het beste resultaat blijft u in beweging.", []),
])
def test_dutch_claims_are_named_at_their_msgstr_line(project, text, expected):
    line = set_msgstr(project / PO, "Most people feel only a short prick.", text)
    result = [finding for finding in findings(project, "blood-test", "nl")
              if finding.rule in CLAIM_RULES]
    assert {(finding.path, finding.line) for finding in result} <= {(PO, line)}
    assert [(finding.rule, re.match(r"“(.*?)”", finding.message)[1])
            for finding in result] == expected


def test_miracle_is_a_blocking_promise(project):
    assert claims(project, "A miracle cure for back pain.") == [
        ("guarantee", "miracle"), ("unsourced-cure", "cure")]
    (finding,) = of_rule(project, "seed", "guarantee")
    assert finding.blocking
    assert finding.message.startswith("“miracle” promises more")


# 9. Risk tables ------------------------------------------------------------------

def risks_leaflet(root: Path, risks: str) -> str:
    """A procedure leaflet with every section, and these risks."""
    if 'procedure = ["get-help"]' in (root / "leafpress.toml").read_text(
            encoding="utf-8"):
        require(root, ALL_SECTIONS)
    return write_leaflet(root, "risks", "\n".join([risks, ALTERNATIVES, HELP,
                                                   CONTACT]))


def test_a_lead_in_never_stands_in_for_an_empty_frequency_cell(project):
    shown = risks_leaflet(project, "## Risks and side effects\n\n"
                          "Most people have no problems.\n\n"
                          "| Side effect | How often [1] |\n"
                          "|---|---|\n"
                          "| A bruise | Common: up to 1 in 10 |\n"
                          "| An infection | |\n"
                          "| A rare allergic reaction | |\n")
    result = of_rule(project, "risks", "risk-frequency")
    assert [(finding.line, finding.message) for finding in result] == [
        (line_of(project, shown, "| An infection |"),
         "“An infection” does not say how often it happens: its “How often [1]” "
         "cell is empty (e.g. 'rare: up to 1 in 1,000'); the text before the "
         "table does not count for its rows"),
        (line_of(project, shown, "A rare allergic reaction"),
         "“A rare allergic reaction” does not say how often it happens: its "
         "“How often [1]” cell is empty (e.g. 'rare: up to 1 in 1,000'); the text "
         "before the table does not count for its rows")]
    assert all(finding.blocking for finding in result)


def test_a_frequency_cell_must_say_how_often(project):
    shown = risks_leaflet(project, RISKS + "| Feeling faint | see your doctor |\n")
    (finding,) = findings(project, "risks")
    assert (finding.rule, finding.line) == (
        "risk-frequency", line_of(project, shown, "Feeling faint"))
    assert finding.message.startswith("“Feeling faint” does not say how often it "
                                      "happens: its “How often [1]” cell says “see "
                                      "your doctor”")


def test_a_table_without_a_frequency_column_says_it_in_each_row(project):
    shown = risks_leaflet(project, "## Risks and side effects\n\n"
                          "Serious problems are rare.\n\n"
                          "| Side effect | What to do |\n|---|---|\n"
                          "| A bruise, in up to 1 in 10 people [1] | Nothing |\n"
                          "| An infection | Call us |\n")
    assert found(project, "risks") == {
        ("risk-frequency", line_of(project, shown, "An infection"))}


def test_the_last_sentence_before_a_list_may_say_how_often(project):
    risks_leaflet(project, "## Side effects\n\nThese are rare:\n\n"
                  "- An infection\n- An allergic reaction\n")
    assert findings(project, "risks") == []
    shown = risks_leaflet(project, "## Side effects\n\nMost people have no "
                          "problems. You may get:\n\n- A bruise\n- An infection\n")
    assert found(project, "risks") == {
        ("risk-frequency", line_of(project, shown, "A bruise")),
        ("risk-frequency", line_of(project, shown, "An infection"))}


# 10. Typed contact details -------------------------------------------------------

def typed(root: Path, text: str) -> list[str]:
    """The typed-contact messages for one paragraph, each checked to be at its
    line."""
    shown = write_leaflet(root, "typed", f"## Questions\n\n{text}\n\n" + HELP)
    result = of_rule(root, "typed", "typed-contact")
    assert {finding.line for finding in result} <= {line_of(root, shown, text)}
    assert all(finding.blocking for finding in result)
    return [finding.message for finding in result]


def test_a_typed_department_number_is_a_blocking_finding_at_its_line(project, cli):
    text = "Questions about your appointment? Call the pain clinic on 030 987 6543."
    shown = write_leaflet(project, "typed", f"## Questions\n\n{text}\n\n" + HELP)
    line = line_of(project, shown, "030 987 6543")
    run = cli(project, "build", "-l", "en", "typed")
    assert run.code == 1
    assert (f"{shown}:{line}: typed-contact: the phone number “030 987 6543” is "
            "typed into the text: write the placeholder for it: {clinic_phone}, "
            "{department_phone} for a department, {out_of_hours_phone} for the "
            "out-of-hours GP service; and set the number in leafpress.toml"
            ) in run.err
    assert not (project / "build/pdf/en/typed.pdf").exists()


@pytest.mark.parametrize(("text", "expected"), [
    ("Call the clinic on 030 111 2222.", ["“030 111 2222”", "{clinic_phone}"]),
    ("Call the clinic on +31 (0)30 111 2222.",
     ["“+31 (0)30 111 2222”", "{clinic_phone}"]),
    ("E-mail info@test-clinic.example.",
     ["e-mail address “info@test-clinic.example”", "{clinic_email}"]),
    ("E-mail pijn@ziekenhuis.example.", ["“pijn@ziekenhuis.example”",
                                         "{clinic_email}", "{department_email}"]),
    ("The GP service at night: 0900 333 4444.",
     ["“0900 333 4444”", "{out_of_hours_phone}"]),
    ("Mobile: 06-12345678.", ["“06-12345678”", "{department_phone}"]),
    ("[Call us](tel:+31309876543).", ["“+31309876543”"]),
    ("Call (030) 987 6543 or 030/1234567.", ["“(030) 987 6543”"]),
    ("Bel ٠٣٠ ٩٨٧ ٦٥٤٣.", ["“٠٣٠ ٩٨٧ ٦٥٤٣”"]),
    ("In the US, call (555) 123-4567.", ["“(555) 123-4567”"]),
])
def test_a_typed_phone_number_or_address_names_its_placeholder(project, text,
                                                                expected):
    (message, *others) = typed(project, text)
    assert all(part in message for part in expected), message
    assert len(others) == (1 if "030/1234567" in text else 0)


def test_a_number_typed_twice_in_a_paragraph_is_named_once(project):
    (message,) = typed(project, "Call (030) 987 6543, that is 030/9876543.")
    assert "“(030) 987 6543”" in message


def test_a_typed_number_and_address_in_a_dutch_translation(project, cli):
    po = project / PO
    line = set_msgstr(po, "Most people feel only a short prick.",
                      "Vragen? Bel de polikliniek op 030 987 6543 of mail naar "
                      "poli@ziekenhuis.example.")
    run = cli(project, "lint", "-l", "nl")
    assert run.code == 1
    reported = [message for message in run.err.splitlines()
                if "typed-contact" in message]
    assert [message.split(": the ")[0] for message in reported] == [
        f"{PO}:{line}: typed-contact", f"{PO}:{line}: typed-contact"]
    assert "e-mail address “poli@ziekenhuis.example” is typed" in reported[0]
    assert "phone number “030 987 6543” is typed" in reported[1]
    assert "leaflets/blood-test.md" not in run.err
    assert cli(project, "lint", "-l", "en").code == 0


def test_a_typed_emergency_number_is_named_once(project):
    shown = write_leaflet(project, "night", "## At night\n\nAt night, call "
                          "0900 333 4444.\n\n" + HELP)
    assert found(project, "night") == {
        ("emergency-number", line_of(project, shown, "0900 333 4444"))}


@pytest.mark.parametrize("text", [
    "Call {clinic_phone} or e-mail {clinic_email}.",
    "Take 500 mg every 8 hours, or 2.5 ml twice a day.",
    "Published on 01-02-2026 and 01.02.2026, review by 2029-11-01.",
    "We are open from 08.30-17.00 and from 8:30 to 17:00.",
    "Rate your pain: 0 1 2 3 4 5 6 7 8 9 10.",
    "Leaflet version 1.0.0, reference 0123 4567 89.",
    "Cochrane Database of Systematic Reviews 2008, Issue 3, CD001824.",
    "American Family Physician 2002;65(4):653-660, ISBN 0-19-852663-6.",
    "Read more at https://pubmed.ncbi.nlm.nih.gov/2528826/ (PMID 2528826).",
    "Fewer than 1 in 10,000 people, or 1 op de 10.000.",
    "Recent research shows that lower back pain affects about 619 million people "
    "globally.",
    "In 2008, 2012 and 1990-2000.",
])
def test_numbers_that_are_no_contact_details_are_not_flagged(project, text):
    assert typed(project, text) == []


def test_lint_help_lists_the_new_rules(project, cli):
    run = cli(project, "lint", "--help")
    assert run.code == 0
    text = " ".join(run.out.split())
    assert "typed-contact (blocking)" in text
    assert "unsourced-cure (blocking)" in text


def test_a_typed_department_number_names_the_department_placeholder(project):
    configure(project, '[departments.pain-clinic]\nname = "Pain clinic"\n'
              'phone = "030 111 2222"\nemail = "pain@test-clinic.example"')
    shown = write_leaflet(project, "dept", "## Questions\n\nCall 030 111 2222 or "
                          "e-mail pain@test-clinic.example.\n\n" + HELP,
                          department="pain-clinic")
    line = line_of(project, shown, "030 111 2222")
    assert [(finding.line, finding.message) for finding in
            of_rule(project, "dept", "typed-contact")] == [
        (line, "the e-mail address “pain@test-clinic.example” is typed into the "
               "text: write {department_email}, which leafpress.toml fills in"),
        (line, "the phone number “030 111 2222” is typed into the text: write "
               "{department_phone}, which leafpress.toml fills in")]


def test_department_placeholders_are_contact_details(project):
    """A leaflet of a department gives its number with {department_phone}:
    the sections on getting help and on contacts count it."""
    configure(project, '[departments.pain-clinic]\nname = "Pain clinic"\n'
              'phone = "030 555 1000"\nemail = "pain@test-clinic.example"')
    require(project, ALL_SECTIONS)
    write_leaflet(project, "dept", "\n".join([
        RISKS, ALTERNATIVES,
        "## When to get help\n\nCall {department_phone} if it gets worse.\n",
        "## Contact\n\nE-mail {department_email}.\n"]), department="pain-clinic")
    assert findings(project, "dept") == []
