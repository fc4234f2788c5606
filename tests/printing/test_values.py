"""Values stay whole in print: e-mail and web addresses, phone numbers,
numbers with their units, frequencies, ranges and dates are never broken
across lines or hyphenated, in any language; clear print hyphenates no
running text unless ``[print] hyphenate`` asks for it; and the verification
refuses a PDF where a value is broken or (with hyphenation off) a line ends
hyphenated.

Proved on real builds read back: leaflets whose paragraphs are set in a
column narrower than their values (a test stylesheet), the same with the
spans that keep values whole undone (the verification must refuse them), and
every PDF of the repository. Lines are read with poppler's ``pdftotext``, not
with :mod:`leafpress.printing.verify`, so that a mistake in the verifier cannot hide
the same mistake in the PDFs.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import REPO, run_leafpress
from leafpress.errors import ContentError
from leafpress.model import PAPERS, VARIANTS
from leafpress.printing import pdftext, readback
from leafpress.printing.compose import _marked, mark_template_values
from leafpress.printing.compose import compose as compose_leaflet
from leafpress.printing.html_text import html_text
from leafpress.printing.visibility import EDGE_SLACK
from leafpress.settings.project import load_project
from leafpress.sources.leaflet import read_leaflet
from leafpress.text import values

needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                     reason="needs poppler-utils (pdftotext)")

# --- reading lines back (poppler, independent of leafpress.printing.verify) --------


def pdf_lines(pdf: Path) -> list[str]:
    """The lines of a PDF as poppler's ``pdftotext`` reads them (in reading
    order, also for right-to-left text), without its bidi marks, in NFKC,
    spaces single."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    lines = []
    for line in text.split("\n"):
        line = "".join(char for char in unicodedata.normalize("NFKC", line)
                       if unicodedata.category(char) != "Cf")
        if line.strip():
            lines.append(" ".join(line.split()))
    return lines


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def numbers(text: str) -> set[str]:
    """The runs of digits of a text: what a right-to-left line holds
    whatever order and spacing a reader gives it (its words may come back
    with their ligatures taken apart in another order)."""
    return set(re.findall(r"\d+", text))


def broken(value: str, lines: list[str]) -> bool:
    """Whether a value is not whole on one line. Left-to-right values: every
    time the characters of the value appear in the text, they appear within
    one line. Right-to-left ones (``1 من 10``): some line holds all their
    numbers."""
    if values.RTL_RE.search(value):
        return not any(numbers(value) <= numbers(line) for line in lines)
    key = squeezed(value)
    everywhere = squeezed("".join(lines)).count(key)
    return everywhere == 0 or sum(squeezed(line).count(key) for line in lines) < (
        everywhere)


# --- a leaflet whose values do not fit its column --------------------------

SETTINGS = """[project]
source-language = "{lang}"
languages = ["{lang}"]
country = "NL"
paper = "A4"

[organisation]
name = "Test Clinic"

[contact]
phone = "030 111 2222"
email = "pijnpoli@lindenhof-clinic.example"

[countries.NL]
emergency-phone = "112"
out-of-hours-phone = "0900 333 4444"

[print]
variants = ["standard"]
{printing}

# Typed contacts and unsourced figures are lint's business, not print's.
[lint.rules]
typed-contact = "off"
unsourced-figure = "off"

[lint.required-sections]
procedure = ["get-help"]
"""

LEAFLET = """---
slug: values
title: Values
summary: Values in print.
version: 1.0.0
published: 2026-11-01
review-by: 2029-11-01
organisation: Test Clinic
authors:
  - Test team
clinical-reviewer: Dr. A. Bakker
sources:
  - Thuisarts.nl.
max-pages: 6
---
## Values {{#get-help}}

{body}
"""

#: A long web address: it may break after its slashes.
LONG_URL = "https://www.thuisarts.nl/lage-rugpijn/wat-kun-je-zelf-doen-bij-lage-rugpijn"

#: Per language: (paragraph, its value, how the verification names it, the
#: word before the value, alone on its line when the value is kept whole).
PARAGRAPHS = {
    "en": [
        ("Call 030 123 4567 today.", "030 123 4567", "a phone number", "Call"),
        ("Write to pijnpoli@lindenhof-clinic.example today.",
         "pijnpoli@lindenhof-clinic.example", "an e-mail address", "to"),
        ("Side effects: up to 1 in 100 people.", "1 in 100", "a frequency", "to"),
        ("Very rare: fewer than 1 in 10,000.", "1 in 10,000", "a frequency", "than"),
        ("Take 2.5 ml twice.", "2.5 ml", "a number with its unit", "Take"),
        ("Keep it at −38 °C or colder.", "−38 °C", "a number with its unit",
         "it at"),
        ("The dose is 5 mg/kg a day.", "5 mg/kg", "a number with its unit", "is"),
        ("Use a cold pack for 10 to 15 minutes.", "10 to 15 minutes", "a range",
         "for"),
        ("Rest for 10-15 minutes.", "10-15 minutes", "a range", "for"),
        ("Come back on 1 November 2029 please.", "1 November 2029", "a date", "on"),
        (f"Read {LONG_URL} today.", LONG_URL, "a web address", "Read"),
        ("Or call {clinic_phone} today.", "030 111 2222", "a phone number", "call"),
    ],
    "nl": [
        ("Bel 030 123 4567 vandaag.", "030 123 4567", "a phone number", "Bel"),
        ("Mail naar pijnpoli@lindenhof-clinic.example vandaag.",
         "pijnpoli@lindenhof-clinic.example", "an e-mail address", "naar"),
        ("Zeer zelden: minder dan 1 op de 10.000 mensen.", "1 op de 10.000",
         "a frequency", "dan"),
        ("Neem 2,5 ml per keer.", "2,5 ml", "a number with its unit", "Neem"),
        ("Leg 10 tot 15 minuten een coldpack op.", "10 tot 15 minuten", "a range",
         "Leg"),
        ("Bel van 8:30 tot 17:00 uur.", "8:30 tot 17:00 uur", "a range", "van"),
        ("Kom terug op 1 november 2029 graag.", "1 november 2029", "a date", "op"),
        ("Koorts boven 38 °C is niet goed.", "38 °C", "a number with its unit",
         "boven"),
    ],
    "ar": [
        ("اتصلوا بالرقم 030 123 4567 اليوم.", "030 123 4567", "a phone number",
         "بالرقم"),
        ("راسلونا عبر pijnpoli@lindenhof-clinic.example اليوم.",
         "pijnpoli@lindenhof-clinic.example", "an e-mail address", "عبر"),
        ("يصاب 1 من 10 أشخاص.", "1 من 10", "a frequency", "يصاب"),
        ("ضعوا كيس ثلج لمدة 10 إلى 15 دقيقة.", "10 إلى 15 دقيقة", "a range", "لمدة"),
        ("درجة الحرارة أعلى من 38 °C اليوم.", "38 °C", "a number with its unit", "من"),
        ("احفظوه في −38 °C دائما.", "−38 °C", "a number with its unit", "في"),
        ("الجرعة 5 mg/kg يوميا.", "5 mg/kg", "a number with its unit", "الجرعة"),
        ("عودوا في 1 نوفمبر 2029 من فضلكم.", "1 نوفمبر 2029", "a date", "في"),
    ],
}

#: Paragraphs of the leaflet narrower than any of its values.
NARROW = "\nmain p { width: 9mm; }\n"
#: What the spans that keep values whole do, undone: a value may break
#: wherever its characters allow, and hyphenate.
UNDONE = ("\n.value, .nobreak, .parts { white-space: normal !important;"
          " hyphens: auto !important; }\n")


def value_project(root: Path, lang: str, css: str = NARROW, printing: str = ""
                  ) -> Path:
    """A project in ``lang`` alone (no catalogs needed) with one leaflet,
    ``values``: a paragraph for each value of :data:`PARAGRAPHS`, set in a
    column narrower than the value (``css`` is added to the stylesheet)."""
    root.mkdir(parents=True)
    (root / "leafpress.toml").write_text(
        SETTINGS.format(lang=lang, printing=printing), encoding="utf-8")
    shutil.copytree(REPO / "templates", root / "templates")
    with open(root / "templates/leaflet.css", "a", encoding="utf-8") as file:
        file.write(css)
    (root / "leaflets").mkdir()
    (root / "locales").mkdir()
    body = "\n\n".join(paragraph for paragraph, *_ in PARAGRAPHS[lang])
    (root / "leaflets/values.md").write_text(LEAFLET.format(body=body),
                                             encoding="utf-8")
    return root


def line_of(root: Path, paragraph: str) -> int:
    lines = (root / "leaflets/values.md").read_text(encoding="utf-8").split("\n")
    return lines.index(paragraph) + 1


@pytest.fixture(scope="module")
def narrow(tmp_path_factory) -> dict[str, Path]:
    """The leaflet printed in each language: its PDF."""
    printed = {}
    for lang in PARAGRAPHS:
        root = value_project(tmp_path_factory.mktemp("narrow") / lang, lang)
        code, log = run_leafpress("-C", str(root), "build")
        assert code == 0, log
        printed[lang] = root / f"build/pdf/{lang}/values.pdf"
    return printed


@needs_pdftotext
@pytest.mark.parametrize("lang", list(PARAGRAPHS))
def test_each_kind_of_value_stays_whole_in_a_column_narrower_than_it(narrow, lang):
    lines = pdf_lines(narrow[lang])
    for _paragraph, value, _what, before in PARAGRAPHS[lang]:
        if value == LONG_URL:
            continue  # test_a_long_web_address_breaks_only_after_its_slashes
        # the column is narrower than the value: the line breaks before it
        assert before in lines, (value, lines)
        assert not broken(value, lines), (value, lines)
        assert any(squeezed(value) == squeezed(line.rstrip(".:"))
                   or values.RTL_RE.search(value) and numbers(value) <= numbers(line)
                   for line in lines), (value, lines)
    # and no word of the running text is hyphenated (clear print)
    text = "".join(page.extract_text() for page in PdfReader(narrow[lang]).pages)
    assert "\u2010" not in text


@needs_pdftotext
def test_a_long_web_address_breaks_only_after_its_slashes(narrow):
    lines = pdf_lines(narrow["en"])
    first = next(index for index, line in enumerate(lines)
                 if line.startswith("https://"))
    pieces: list[str] = []
    for line in lines[first:]:
        pieces.append(line)
        if LONG_URL in "".join(pieces):
            break
    assert "".join(pieces).startswith(LONG_URL), pieces
    assert len(pieces) > 1, "too long for the column: it breaks"
    assert all(piece.endswith("/") for piece in pieces[:-1]), pieces
    assert len(LONG_URL) > values.LONG_WEB_ADDRESS


@pytest.mark.parametrize("lang", list(PARAGRAPHS))
def test_the_verification_refuses_a_value_broken_across_lines(tmp_path, lang):
    # hyphenation on, so that only the values are refused
    root = value_project(tmp_path / lang, lang, NARROW + UNDONE,
                         printing="hyphenate = true")
    code, log = run_leafpress("-C", str(root), "build")
    assert code == 1, log
    assert (root / f"build/rejected/{lang}/values.pdf").is_file()
    assert not (root / f"build/pdf/{lang}/values.pdf").exists()
    found = re.findall(rf"^build/pdf/{lang}/values\.pdf: page \d+: “([^”]*)” is "
                       r"broken across lines: (an? [a-z -]+) must stay on one line "
                       r"\(([^)]*)\)$", log, re.M)
    for paragraph, value, what, _before in PARAGRAPHS[lang]:
        origin = f"paragraph from leaflets/values.md:{line_of(root, paragraph)}"
        shown = [quoted for quoted, kind, where in found
                 if (kind, where) == (what, origin)]
        assert shown, (value, log)
        # the value as printed, "/" where a line ends (and "-" where a word
        # was hyphenated there)
        assert "/" in shown[0]
        printed = re.sub(r"[-/\s]", "", shown[0])
        if printed.endswith("…"):  # a long value, shortened
            printed = printed[:-1]
        assert re.sub(r"[-/\s]", "", value).startswith(printed), (shown, value)
    assert "hyphenated at the end of a line" not in log


def test_the_issues_examples_are_refused_as_it_reports_them(tmp_path):
    """"pijn-/poli@…": a line ends in a hyphen inside an e-mail address."""
    root = value_project(tmp_path / "en", "en", NARROW + UNDONE,
                         printing="hyphenate = true")
    code, log = run_leafpress("-C", str(root), "build")
    assert code == 1
    line = line_of(root, PARAGRAPHS["en"][1][0])
    assert re.search(r"^build/pdf/en/values\.pdf: page \d+: “pijn-/poli@[^”]*” is "
                     r"broken across lines: an e-mail address must stay on one line "
                     rf"\(paragraph from leaflets/values\.md:{line}\)$", log, re.M), log
    assert "“1/in/100” is broken across lines: a frequency" in log, log


# --- hyphenation -----------------------------------------------------------


def compose(root: Path, lang: str = "en"):
    project = load_project(root)
    leaflet = read_leaflet(root / "leaflets/blood-test.md",
                           project.settings.placeholders, root)
    return compose_leaflet(leaflet, lang, project, lambda msgid, context=None: msgid,
                           None)


def hyphens(html: str) -> list[str]:
    return re.findall(r"^\s*hyphens: (\w+);", html, re.M)


def set_print(root: Path, line: str) -> None:
    toml = root / "leafpress.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace("[print]\n", f"[print]\n{line}\n", 1),
                    encoding="utf-8")


def test_hyphenation_is_off_unless_a_setting_asks_for_it(project):
    for lang in ("en", "nl", "ar"):
        document = compose(project, lang)
        assert hyphens(document.html) == ["manual"], lang
        assert not document.hyphenate
    set_print(project, "hyphenate = true")
    for lang, wanted in (("en", "auto"), ("nl", "auto"), ("ar", "manual")):
        # only where pyphen has a dictionary for the language
        document = compose(project, lang)
        assert hyphens(document.html) == [wanted], lang
        assert document.hyphenate == (wanted == "auto")


def test_hyphenate_must_be_true_or_false(project):
    set_print(project, 'hyphenate = "yes"')
    with pytest.raises(ContentError) as error:
        load_project(project)
    assert [problem.message for problem in error.value.problems] == [
        "[print] hyphenate must be bool, not str"]


def test_values_never_hyphenate_even_where_running_text_does(tmp_path):
    root = value_project(tmp_path / "en", "en", printing="hyphenate = true")
    code, log = run_leafpress("-C", str(root), "build")
    assert code == 0, log
    pdf = root / "build/pdf/en/values.pdf"
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "\u2010" in text, "running text is hyphenated"
    if shutil.which("pdftotext"):
        lines = pdf_lines(pdf)
        for _paragraph, value, _what, _before in PARAGRAPHS["en"]:
            if value != LONG_URL:
                assert not broken(value, lines), (value, lines)


def test_the_verification_refuses_a_hyphenated_line_end_when_hyphenation_is_off(
        tmp_path):
    root = value_project(tmp_path / "en", "en",
                         NARROW + "\nmain p { hyphens: auto !important; }\n")
    code, log = run_leafpress("-C", str(root), "build")
    assert code == 1, log
    assert re.search(r"^build/pdf/en/values\.pdf: page \d+: “[^”]*-/[^”]*” is "
                     r"hyphenated at the end of a line, and hyphenation is off "
                     r"\(\[print\] hyphenate\)$", log, re.M), log
    assert "broken across lines" not in log, "the values stay whole"


# --- reading values --------------------------------------------------------


@pytest.mark.parametrize(("lang", "text", "found"), [
    ("en", "Very rare: fewer than 1 in 10,000. Up to 1 in 100.",
     [("frequency", "1 in 10,000"), ("frequency", "1 in 100")]),
    ("nl", "Zeer zelden: minder dan 1 op de 10.000; soms: tot 1 op de 100.",
     [("frequency", "1 op de 10.000"), ("frequency", "1 op de 100")]),
    ("de", "Selten: 1 von 1.000.", [("frequency", "1 von 1.000")]),
    ("tr", "100 kişiden 1 ve 10'da 1.",
     [("frequency", "100 kişiden 1"), ("frequency", "10'da 1")]),
    ("ar", "1 من 10 أشخاص", [("frequency", "1 من 10")]),
    ("nl", "Neem 2,5 ml, niet 2.5 ml.",
     [("number", "2,5 ml"), ("number", "2.5 ml")]),
    ("en", "At −38 °C or 5 mg/kg or 250 mg every 8 hours.",
     [("number", "−38 °C"), ("number", "5 mg/kg"), ("number", "250 mg"),
      ("number", "8 hours")]),
    ("en", "For 10 to 15 minutes, or 10-15, from 8:30 to 17:00.",
     [("range", "10 to 15 minutes"), ("range", "10-15"), ("range", "8:30 to 17:00")]),
    ("nl", "Van 8:30 tot 17:00 uur, 20 tot 30 minuten.",
     [("range", "8:30 tot 17:00 uur"), ("range", "20 tot 30 minuten")]),
    ("ar", "لمدة 10 إلى 15 دقيقة.", [("range", "10 إلى 15 دقيقة")]),
    ("en", "Review on November 1, 2029 or 1 November 2029.",
     [("date", "November 1, 2029"), ("date", "1 November 2029")]),
    ("nl", "Herzien op 1 november 2029 (1 nov. 2029).",
     [("date", "1 november 2029"), ("date", "1 nov. 2029")]),
    ("de", "Am 1. November 2029.", [("date", "1. November 2029")]),
    ("ar", "في 1 نوفمبر 2029.", [("date", "1 نوفمبر 2029")]),
    ("en", "Call 030 123 4567 or +31 30 123 4567.",
     [("phone number", "030 123 4567"), ("phone number", "+31 30 123 4567")]),
    ("en", "Mail pijnpoli@lindenhof-clinic.example, see www.thuisarts.nl/rugpijn or "
     "https://example.org/a-b.",
     [("e-mail address", "pijnpoli@lindenhof-clinic.example"),
      ("web address", "www.thuisarts.nl/rugpijn"),
      ("web address", "https://example.org/a-b")]),
])
def test_values_are_read_in_the_languages_own_conventions(lang, text, found):
    assert [(value.kind, value.text) for value in values.find(text, lang)
            if not value.text.isdigit()] == found


def test_a_value_in_an_address_or_a_date_is_part_of_it():
    found = values.find("Mail info2029@clinic.example by 1 November 2029.", "en")
    assert [(value.kind, value.text) for value in found] == [
        ("e-mail address", "info2029@clinic.example"), ("date", "1 November 2029")]


# --- composing values --------------------------------------------------------


def html_of(text: str, lang: str) -> str:
    return "".join(token.content for token in _marked(text, lang))


def test_values_are_set_in_spans_that_cannot_break():
    assert html_of("up to 1 in 100 people", "en") == (
        'up to <span class="nobreak" dir="ltr">1 in 100</span> people')
    # a number of digits alone cannot break: it stays text
    assert html_of("call 112", "en") == "call 112"


def test_right_to_left_values_keep_their_direction_and_isolate_their_numbers():
    # an Arabic frequency reads right to left: only its numbers are isolated
    assert html_of("1 من 10 أشخاص", "ar") == (
        '<span class="nobreak"><span dir="ltr">1</span> من '
        '<span dir="ltr">10</span></span> أشخاص')
    # a value without Arabic words is one left-to-right isolate
    assert html_of("أعلى من −38 °C و 5 mg/kg", "ar") == (
        'أعلى من <span class="nobreak" dir="ltr">−38 °C</span> و '
        '<span class="nobreak" dir="ltr">5 mg/kg</span>')


def test_a_long_web_address_may_break_after_its_slashes_only():
    assert html_of(LONG_URL, "en") == (
        '<span class="parts" dir="ltr">'
        '<span class="nobreak">https://www.thuisarts.nl/</span>'
        '<span class="nobreak">lage-rugpijn/</span>'
        '<span class="nobreak">wat-kun-je-zelf-doen-bij-lage-rugpijn</span></span>')
    short = "https://www.thuisarts.nl/rugpijn"
    assert html_of(short, "en") == f'<span class="nobreak" dir="ltr">{short}</span>'


def test_the_templates_values_are_marked_too(project):
    html = compose(project, "en").html
    # the dates and the e-mail address for feedback, printed by the template
    assert '<span class="nobreak" dir="ltr">1 October 2026</span>' in html
    assert '<span class="nobreak" dir="ltr">1 October 2028</span>' in html
    assert ('<span class="nobreak" dir="ltr">info@test-clinic.example</span>'
            in html)
    # nothing in the head, and no value marked twice
    head = html[:html.index("<body")]
    assert 'class="nobreak"' not in head
    assert '<span class="nobreak" dir="ltr"><span' not in html
    # a placeholder is marked once, as before
    assert html.count('<span class="value" dir="ltr">030 111 2222</span>') == 1
    assert 'dir="ltr"><span class="value"' not in html


def test_marking_the_templates_values_is_idempotent(project):
    html = compose(project, "en").html
    assert mark_template_values(html, "en") == html


def test_marking_the_templates_values_leaves_styles_and_scripts_alone():
    html = ("<html><head><title>5 mg</title></head><body><style>@page { size: "
            "210mm 297mm }</style><p>2 mg/kg</p></body></html>")
    assert mark_template_values(html, "en") == html.replace(
        "<p>2 mg/kg</p>", '<p><span class="nobreak" dir="ltr">2 mg/kg</span></p>')


# --- the repository's leaflets ---------------------------------------------

#: Values that the repository's leaflets print, per language: the reading
#: must find them (and then every value it finds is checked).
REPO_VALUES = {
    "en": ("1 in 10", "1 in 100", "1 in 1,000", "1 in 10,000", "030 123 4567",
           "0900 123 4567", "pijnpoli@lindenhof-clinic.example", "10 to 15 minutes",
           "20 to 30 minutes", "38 °C", "1 November 2029", "8:30 to 17:00"),
    "nl": ("1 op de 10", "1 op de 100", "1 op de 1.000", "1 op de 10.000",
           "030 123 4567", "0900 123 4567", "pijnpoli@lindenhof-clinic.example",
           "10 tot 15 minuten", "20 tot 30 minuten", "38 °C", "1 november 2029",
           "8:30 tot 17:00 uur"),
    "ar": ("030 123 4567", "0900 123 4567", "pijnpoli@lindenhof-clinic.example",
           "38 °C", "10 إلى 15 دقيقة", "1 نوفمبر 2029"),
}


@needs_pdftotext
def test_no_pdf_of_the_repository_has_a_value_broken_or_a_word_hyphenated(
        repo_build):
    # the build verified every PDF (values_whole, no_hyphenation) ...
    assert repo_build.code == 0, repo_build.log
    pdfs = sorted((repo_build.root / "build/pdf").rglob("*.pdf"))
    assert {pdf.parent.name for pdf in pdfs} == set(REPO_VALUES)
    seen: dict[str, set[str]] = {lang: set() for lang in REPO_VALUES}
    # ... and poppler finds every value of every PDF whole on a line
    for pdf in pdfs:
        lang = pdf.parent.name
        name = pdf.name.replace(".booklet.pdf", ".a5.pdf")
        html = (repo_build.root / "build/html" / lang / name).with_suffix(".html")
        body = html_text(html.read_text(encoding="utf-8")).body
        lines = pdf_lines(pdf)
        for value in values.find(body, lang):
            if value.text.isdigit():
                continue
            seen[lang].add(value.text)
            assert not broken(value.text, lines), (pdf, value.text)
        assert not any("\u2010" in line or "\u00ad" in line for line in lines), pdf
        text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
        assert "\u2010" not in text, pdf
    for lang, wanted in REPO_VALUES.items():
        assert set(wanted) <= seen[lang], (lang, set(wanted) - seen[lang])


@needs_pdftotext
@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize("suffix", [".pdf", ".large.pdf", ".a5.pdf"])
def test_the_frequency_column_is_wide_enough(repo_build, lang, suffix):
    """Every frequency of the risk table is on one line and inside the
    page's margins: the column is as wide as its longest frequency."""
    assert repo_build.code == 0, repo_build.log
    pdf = repo_build.root / f"build/pdf/{lang}/trigger-point-injections{suffix}"
    frequencies = [value for value in REPO_VALUES[lang][:4]]
    lines = pdf_lines(pdf)
    for frequency in frequencies:
        assert not broken(frequency, lines), (frequency, suffix)
    variant = {".pdf": "standard", ".large.pdf": "large", ".a5.pdf": "booklet"}[suffix]
    paper = PAPERS[VARIANTS[variant].paper or "A4"]
    right = (paper.width - paper.margin_side) * readback.MM
    found = 0
    for page in PdfReader(pdf).pages:
        for run in pdftext.runs(page):
            if any(frequency in run.text for frequency in frequencies):
                found += 1
                assert run.end <= right + EDGE_SLACK, (run.text, run.end, right)
    assert found >= 10, "every row of the table"
