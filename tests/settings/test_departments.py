"""Department contacts: ``department:`` in front matter, ``[departments.<name>]``
in ``leafpress.toml`` (or a clinic folder's ``clinic.toml``), and the
``{department_*}`` placeholders, proved on real builds read back with pypdf."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel import Locale
from pypdf import PdfReader

from conftest import make_project, run_leafpress, set_msgstr
from leafpress.errors import ContentError
from leafpress.settings.project import load_project
from leafpress.sources.leaflet import read_leaflet

DEPARTMENTS = """
[departments.pain-clinic]
name = { en = "Pain clinic", nl = "Pijnpoli" }
phone = "030 555 1000"
email = "pain@test-clinic.example"
hours = [{ days = "mon-fri", opens = "08:30", closes = "17:00" }]

[departments.endoscopy]
name = "MDL-centrum"
phone = "030 555 2000"
email = "endoscopy@test-clinic.example"
hours = [
  { days = "mon-thu", opens = "08:00", closes = "16:30" },
  { days = "fri", opens = "08:00", closes = "12:00" },
]
"""

LEAFLET = """\
---
slug: {slug}
title: {title}
summary: Whom to call about your treatment.
version: 1.0.0
published: 2026-10-01
review-by: 2028-10-01
organisation: Test Clinic
authors:
  - Nursing team, Test Clinic
clinical-reviewer: Dr. A. Bakker
sources:
  - Thuisarts.nl, Lage rugpijn.
max-pages: 1
department: {department}
---
## When to get help

Call {{department_phone}} if the pain gets worse.
In an emergency, call {{emergency_phone}}.

## Contact

{{department_name}}: {{department_phone}}, {{department_hours}}.
E-mail: {{department_email}}.
"""

#: The Dutch catalog of either leaflet: msgid start -> msgstr.
DUTCH = {
    "Call {department_phone}": "Bel {department_phone} als de pijn erger wordt. "
                               "Bel bij nood {emergency_phone}.",
    "{department_name}": "{department_name}: {department_phone}, "
                         "{department_hours}. E-mail: {department_email}.",
    "When to get help": "Wanneer hulp vragen",
    "Contact": "Contact",
    "Whom to call": "Wie u belt over uw behandeling.",
}
TITLES = {"back-pain": ("Back pain treatment", "Behandeling van rugpijn"),
          "colonoscopy": ("Colonoscopy", "Darmonderzoek")}


def add_departments(root: Path, text: str = DEPARTMENTS) -> None:
    toml = root / "leafpress.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + text, encoding="utf-8")


def write_leaflet(root: Path, slug: str, department: str) -> Path:
    path = root / "leaflets" / f"{slug}.md"
    path.write_text(LEAFLET.format(slug=slug, title=TITLES[slug][0],
                                   department=department), encoding="utf-8")
    return path


def translate(root: Path, slug: str) -> None:
    """Give the leaflet a complete Dutch catalog (after extract and update)."""
    po = root / "locales/nl/LC_MESSAGES" / f"{slug}.po"
    set_msgstr(po, TITLES[slug][0], TITLES[slug][1])
    for start, text in DUTCH.items():
        set_msgstr(po, start, text)


def two_departments(root: Path) -> Path:
    """The fixture project with two leaflets in two departments, extracted
    and translated into Dutch."""
    add_departments(root)
    (root / "leaflets/blood-test.md").unlink()
    for stale in root.glob("locales/**/blood-test.po*"):
        stale.unlink()
    write_leaflet(root, "back-pain", "pain-clinic")
    write_leaflet(root, "colonoscopy", "endoscopy")
    assert run_leafpress("-C", str(root), "extract")[0] == 0
    assert run_leafpress("-C", str(root), "update")[0] == 0
    # "Contact" and "E-mail" are the same in Dutch: the glossary keeps them
    (root / "locales/nl/glossary.csv").write_text(
        "source,target,rule,note\nE-mail,,keep,the same in Dutch\n"
        "Contact,,keep,the same in Dutch\n", encoding="utf-8")
    for slug in TITLES:
        translate(root, slug)
    return root


def solid(text: str) -> str:
    """Text without its spaces and hyphenation: a line may break anywhere."""
    return re.sub(r"\s+", "", text.replace("\u2010\n", "").replace("\u2010", ""))


def pdf_text(pdf: Path) -> str:
    return solid(" ".join(page.extract_text()
                          for page in PdfReader(pdf, strict=True).pages))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = two_departments(make_project(tmp_path_factory.mktemp("departments")))
    code, log = run_leafpress("-C", str(root), "build")
    assert code == 0, log
    return root


EXPECTED = {
    ("back-pain", "en"): ("Pain clinic: 030 555 1000, Monday – Friday 08:30–17:00. "
                          "E-mail: pain@test-clinic.example."),
    ("back-pain", "nl"): ("Pijnpoli: 030 555 1000, maandag – vrijdag 08:30–17:00. "
                          "E-mail: pain@test-clinic.example."),
    ("colonoscopy", "en"): ("MDL-centrum: 030 555 2000, Monday – Thursday "
                            "08:00–16:30 and Friday 08:00–12:00. "
                            "E-mail: endoscopy@test-clinic.example."),
    ("colonoscopy", "nl"): ("MDL-centrum: 030 555 2000, maandag – donderdag "
                            "08:00–16:30 en vrijdag 08:00–12:00. "
                            "E-mail: endoscopy@test-clinic.example."),
}


@pytest.mark.parametrize(("slug", "lang"), sorted(EXPECTED))
def test_each_leaflet_prints_its_own_department(built, slug, lang):
    text = pdf_text(built / f"build/pdf/{lang}/{slug}.pdf")
    assert solid(EXPECTED[slug, lang]) in text
    call = {"en": "Call {} if the pain gets worse",
            "nl": "Bel {} als de pijn erger wordt"}[lang]
    phone, email = (("030 555 1000", "pain@test-clinic.example")
                    if slug == "back-pain"
                    else ("030 555 2000", "endoscopy@test-clinic.example"))
    assert solid(call.format(phone)) in text
    # "Tell us what you think of this leaflet" goes to the department too
    feedback = {"en": "Tell us what you think of this leaflet: {}.",
                "nl": "Laat het ons weten: {}."}[lang]
    assert solid(feedback.format(email)) in text
    # never the other department's, nor the clinic-wide contact
    for other in ("030 555 1000", "030 555 2000", "pain@test-clinic.example",
                  "endoscopy@test-clinic.example", "030 111 2222",
                  "info@test-clinic.example"):
        if other not in (phone, email):
            assert solid(other) not in text, other
    assert "{" not in text


def test_a_department_placeholder_is_filled_in_the_html_as_a_value(built):
    html = (built / "build/html/nl/back-pain.html").read_text(encoding="utf-8")
    assert '<span class="value" dir="ltr">030 555 1000</span>' in html
    assert "Pijnpoli" in html and "Pain clinic" not in html


def test_the_catalogs_keep_the_placeholders(built):
    po = (built / "locales/nl/LC_MESSAGES/colonoscopy.po").read_text(encoding="utf-8")
    assert "#, python-brace-format" in po
    assert "030 555" not in po and "endoscopy@" not in po


def test_check_passes_on_the_built_pdfs(built):
    code, log = run_leafpress("-C", str(built), "check")
    assert code == 0, log


# --- refused ------------------------------------------------------------------


def line_of(path: Path, text: str, after: str | None = None) -> int:
    """The first line that starts with ``text`` (after the line that starts
    with ``after``)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    start = line_of(path, after) if after else 0
    return next(number for number, line in enumerate(lines, start=1)
                if number > start and line.startswith(text))


def test_an_unknown_department_is_refused_with_its_line(project, cli):
    add_departments(project)
    leaflet = write_leaflet(project, "back-pain", "cardiology")
    run = cli(project, "build", "-l", "en")
    assert run.code == 1
    line = line_of(leaflet, "department:")
    assert (f"leaflets/back-pain.md:{line}: department 'cardiology' is not in "
            "leafpress.toml (departments: endoscopy, pain-clinic)") in run.err
    # the other leaflet still prints
    assert (project / "build/pdf/en/blood-test.pdf").is_file()


def test_a_department_placeholder_needs_a_department(project):
    add_departments(project)
    path = project / "leaflets/blood-test.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Call {clinic_phone}", "Call {department_phone}"),
                    encoding="utf-8")
    settings = load_project(project).settings
    with pytest.raises(ContentError) as error:
        read_leaflet(path, settings.placeholders, project)
    line = line_of(path, "Call {department_phone}")
    assert [str(problem) for problem in error.value.problems] == [
        f"leaflets/blood-test.md:{line}: {{department_phone}} needs the leaflet's "
        "department: add 'department: <name>' to the front matter (departments: "
        "endoscopy, pain-clinic)"]


def test_hours_need_a_department_with_hours(project):
    add_departments(project, """
[departments.lab]
name = "Lab"
phone = "030 555 3000"
email = "lab@test-clinic.example"
""")
    leaflet = write_leaflet(project, "back-pain", "lab")
    settings = load_project(project).settings
    with pytest.raises(ContentError) as error:
        read_leaflet(leaflet, settings.placeholders, project)
    line = line_of(leaflet, "{department_name}")
    assert [str(problem) for problem in error.value.problems] == [
        f"leaflets/back-pain.md:{line}: {{department_hours}}: department 'lab' has "
        "no opening hours in leafpress.toml: add hours = [{ days = \"mon-fri\", "
        "opens = \"08:30\", closes = \"17:00\" }]"]


def test_a_department_without_a_phone_is_a_placed_config_error(project, cli):
    add_departments(project, DEPARTMENTS.replace('phone = "030 555 2000"\n', ""))
    write_leaflet(project, "colonoscopy", "endoscopy")
    run = cli(project, "build", "-l", "en")
    assert run.code == 1
    line = line_of(project / "leafpress.toml", "[departments.endoscopy]")
    assert (f"leafpress.toml:{line}: [departments.endoscopy] phone is required: "
            "the number a reader of the department's leaflets calls") in run.err
    assert not (project / "build/pdf").exists()


HOURS = 'hours = [{ days = "mon-fri", opens = "08:30", closes = "17:00" }]'


@pytest.mark.parametrize(("old", "new", "key", "message"), [
    ('phone = "030 555 1000"', 'phone = "ask at the desk"', "phone",
     "phone must be a phone number written with digits, spaces and + - ( ) /, "
     "not 'ask at the desk'"),
    ('email = "pain@test-clinic.example"', 'email = "pain clinic"', "email",
     "email must be an e-mail address, not 'pain clinic'"),
    (', nl = "Pijnpoli" }', ', de = "Schmerzambulanz" }', "name",
     "name: 'de' is not one of [project] languages (en, nl)"),
    ('closes = "17:00"', 'closes = "08:00"', "hours",
     "hours, entry 1, closes (08:00) must be after opens (08:30)"),
    ('days = "mon-fri"', 'days = "fri-mon"', "hours",
     "hours, entry 1, days 'fri-mon' runs backwards: write the days from Monday "
     "to Sunday, one entry per range"),
    ('"17:00" }]', '"17:00" },\n  { days = "wed", opens = "12:00", closes = "18:00" }]',
     "hours", "hours, entry 2, overlaps entry 1: a day has its opening hours once"),
    ('phone = "030 555 1000"', 'phone = "030 555 1000"\nfax = "030 555 1001"', "fax",
     "fax: no such setting (settings: name, phone, email, hours)"),
])
def test_a_wrong_department_setting_is_placed(project, old, new, key, message):
    pain_clinic = DEPARTMENTS[:DEPARTMENTS.index("[departments.endoscopy]")]
    assert pain_clinic.count(old) == 1
    add_departments(project, pain_clinic.replace(old, new))
    with pytest.raises(ContentError) as error:
        load_project(project)
    line = line_of(project / "leafpress.toml", key + " =",
                   after="[departments.pain-clinic]")
    assert [str(problem).replace(str(project) + "/", "")
            for problem in error.value.problems] == [
        f"leafpress.toml:{line}: [departments.pain-clinic] {message}"]


def test_hours_are_written_in_each_language(project):
    add_departments(project)
    placeholders = load_project(project).settings.placeholders
    hours = {lang: placeholders.values("endoscopy", lang, Locale.parse(locale))[
        "department_hours"] for lang, locale in (("en", "en_GB"), ("nl", "nl_NL"))}
    hours["ar"] = placeholders.departments["endoscopy"].hours_in(Locale.parse("ar"))
    assert hours["en"] == ("Monday\u2009–\u2009Thursday 08:00–16:30 and "
                           "Friday 08:00–12:00")
    assert hours["nl"] == ("maandag\u2009–\u2009donderdag 08:00–16:30 en "
                           "vrijdag 08:00–12:00")
    assert hours["ar"].startswith("الاثنين – الخميس")
    # the clinic's own placeholders stay as they were
    assert placeholders.values(None, "nl", Locale.parse("nl")) == dict(placeholders)
    assert placeholders["clinic_phone"] == "030 111 2222"


# --- a clinic folder -----------------------------------------------------------


CLINIC = """
[organisation]
name = "Other Hospital"

[contact]
phone = "071 555 0100"
email = "info@other-hospital.example"

[departments.pain-clinic]
name = { en = "Pain team", nl = "Pijnteam" }
phone = "071 555 0199"
email = "pain@other-hospital.example"
hours = [{ days = "tue-thu", opens = "09:00", closes = "16:00" }]
"""


def test_a_clinic_folder_prints_its_own_department(tmp_path):
    root = two_departments(make_project(tmp_path))
    (root / "clinics/other").mkdir(parents=True)
    (root / "clinics/other/clinic.toml").write_text(CLINIC, encoding="utf-8")
    code, log = run_leafpress("-C", str(root), "--clinic", str(root / "clinics/other"),
                              "--build-dir", str(root / "build/other"), "build")
    assert code == 1, log
    for lang, expected in (
            ("en", "Pain team: 071 555 0199, Tuesday – Thursday 09:00–16:00. "
                   "E-mail: pain@other-hospital.example."),
            ("nl", "Pijnteam: 071 555 0199, dinsdag – donderdag 09:00–16:00. "
                   "E-mail: pain@other-hospital.example.")):
        text = pdf_text(root / f"build/other/pdf/{lang}/back-pain.pdf")
        assert solid(expected) in text
        assert solid("030 555 1000") not in text
        assert "pain@test-clinic.example" not in text
    # a department the clinic folder does not set is never taken from
    # leafpress.toml (it would print the other clinic's number)
    assert not (root / "build/other/pdf/en/colonoscopy.pdf").exists()
    line = line_of(root / "leaflets/colonoscopy.md", "department:")
    assert (f"leaflets/colonoscopy.md:{line}: department 'endoscopy' is not in "
            "clinics/other/clinic.toml (departments: pain-clinic)") in log


def test_a_language_without_its_own_department_name_prints_the_first(project):
    pain_clinic = DEPARTMENTS[:DEPARTMENTS.index("[departments.endoscopy]")]
    add_departments(project, pain_clinic.replace(', nl = "Pijnpoli" }', " }"))
    names = load_project(project).settings.placeholders.departments[
        "pain-clinic"].names
    assert names["nl"] == names["en"]
