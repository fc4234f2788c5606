"""Reading leaflet sources: blocks, lines, sections, and every refusal with
its ``path:line: message``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import RESOURCES
from leafpress.errors import ContentError, Problem
from leafpress.sources.leaflet import read_leaflet, read_leaflets

FIXTURE = RESOURCES / "project" / "leaflets" / "blood-test.md"
BROKEN = RESOURCES / "broken" / "leaflets"
NAMES = ("clinic_name", "clinic_phone", "clinic_email", "emergency_phone",
         "out_of_hours_phone")

#: Front matter with one field per line, so that each field's line is known.
FIELDS = {
    "slug": "flu-jab",
    "title": "Your flu jab",
    "summary": "Why and when you get it.",
    "version": '"1.0.0"',
    "published": "2026-10-01",
    "review-by": "2028-10-01",
    "organisation": "Test Clinic",
    "authors": "[Nursing team]",
    "clinical-reviewer": "Dr. A. Bakker",
    "sources": "[Thuisarts.nl]",
    "max-pages": "2",
}
FIELD_LINE = {key: number for number, key in enumerate(FIELDS, start=2)}
BODY_LINE = len(FIELDS) + 3  # '---', the fields, '---'


def leaflet_text(body: str = "Some text.\n", **changes: str | None) -> str:
    """A leaflet with the standard front matter; ``review_by="..."`` replaces
    a field (underscores for hyphens), ``None`` drops it, new names are added
    after the last field."""
    fields = dict(FIELDS)
    for key, value in changes.items():
        key = key.replace("_", "-")
        if value is None:
            del fields[key]
        else:
            fields[key] = value
    front = "".join(f"{key}: {value}\n" for key, value in fields.items())
    return f"---\n{front}---\n{body}"


def write(folder: Path, text: str | bytes, slug: str = "flu-jab") -> Path:
    path = folder / "leaflets" / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)
    return path


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the first line that contains ``needle``."""
    for number, line in enumerate(text.split("\n"), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in the text")


def problems_of(path: Path) -> list[Problem]:
    with pytest.raises(ContentError) as caught:
        read_leaflet(path, NAMES, path.parent.parent)
    problems = list(caught.value.problems)
    assert problems, "a ContentError must say where"
    assert str(caught.value) == "\n".join(map(str, problems))
    return problems


def the_problem(path: Path, line: int | None, *phrases: str) -> Problem:
    """The one problem reading ``path`` gives: at ``line``, in the
    ``leaflets/<file>:<line>: <message>`` shape, saying every phrase."""
    problems = problems_of(path)
    assert len(problems) == 1, problems
    problem = problems[0]
    shown = f"leaflets/{path.name}"
    assert problem.path == shown
    assert problem.line == line, problem
    if line is None:
        assert str(problem) == f"{shown}: {problem.message}"
    else:
        assert str(problem) == f"{shown}:{line}: {problem.message}"
    for phrase in phrases:
        assert phrase in problem.message, problem
    return problem


def shape(leaflet) -> list[tuple]:
    return [(block.kind, block.line, block.section, block.level, block.text)
            for block in leaflet.blocks]


# The fixture leaflet -------------------------------------------------------

def test_fixture_leaflet_blocks_kinds_lines_and_sections():
    leaflet = read_leaflet(FIXTURE, NAMES)
    before, during, help_ = "Before the test", "During the test", "When to get help"
    assert [(kind, line, section, level) for kind, line, section, level, _text
            in shape(leaflet)] == [
        ("heading", 17, None, 2),
        ("paragraph", 19, before, None),
        ("paragraph", 21, before, None),
        ("list item", 23, before, None),
        ("list item", 24, before, None),
        ("heading", 26, None, 2),
        ("paragraph", 28, during, None),
        ("table cell", 30, during, None),
        ("table cell", 30, during, None),
        ("table cell", 32, during, None),
        ("table cell", 32, during, None),
        ("table cell", 33, during, None),
        ("table cell", 33, during, None),
        ("heading", 35, None, 2),
        ("paragraph", 37, help_, None),
        ("question", 39, help_, None),
        ("answer", 40, help_, None),
        ("question", 42, help_, None),
        ("answer", 43, help_, None),
    ]
    texts = [block.text for block in leaflet.blocks]
    assert texts[1] == ("You can eat and drink as usual. Some tests need you to "
                        "**fast for 8 hours**: we tell you if so.")
    assert texts[7:9] == ["What", "How long"]
    assert texts[-1] == ("Yes, unless you felt faint. Read more at "
                         "[Thuisarts](https://www.thuisarts.nl).")


def test_fixture_leaflet_meta_and_title_and_summary_messages():
    leaflet = read_leaflet(FIXTURE, NAMES)
    meta = leaflet.meta
    assert (meta.slug, meta.version, meta.max_pages, meta.paper) == (
        "blood-test", "1.2.0", 2, "A4")
    assert str(meta.published) == "2026-10-01"
    assert meta.authors == ("Laboratory team, Test Clinic",)
    assert leaflet.body_line == 17
    title, summary, first = leaflet.messages[:3]
    assert (title.msgid, title.context, title.line) == (
        "Having a blood test", "title", 3)
    assert (summary.msgid, summary.context, summary.line) == (
        "What happens when a nurse takes some of your blood.", "summary", 4)
    assert (first.msgid, first.context, first.comment) == (
        "Before the test", None, "heading, level 2")
    assert leaflet.messages[3].comment == "paragraph, in section “Before the test”"
    assert len(leaflet.messages) == len(leaflet.blocks) + 2


def test_fixture_leaflet_placeholders_are_collected():
    leaflet = read_leaflet(FIXTURE, NAMES)
    with_placeholders = [message for message in leaflet.messages
                         if message.placeholders]
    assert len(with_placeholders) == 1
    assert with_placeholders[0].line == 37
    assert with_placeholders[0].placeholders == ("clinic_phone", "emergency_phone")


# Blocks of written leaflets ----------------------------------------------

def test_nested_list_items_level_3_heading_and_soft_wraps(tmp_path):
    body = ("## Aftercare\n"
            "\n"
            "- Rest your arm\n"
            "  - for a day,\n"
            "    longer if it hurts\n"
            "- Drink water\n"
            "\n"
            "### At home\n"
            "\n"
            "Keep the plaster on\n"
            "until the evening.\n")
    text = leaflet_text(body)
    leaflet = read_leaflet(write(tmp_path, text), NAMES, tmp_path)
    assert shape(leaflet) == [
        ("heading", line_of(text, "## Aftercare"), None, 2, "Aftercare"),
        ("list item", line_of(text, "Rest your arm"), "Aftercare", None,
         "Rest your arm"),
        ("list item", line_of(text, "for a day"), "Aftercare", None,
         "for a day, longer if it hurts"),
        ("list item", line_of(text, "Drink water"), "Aftercare", None,
         "Drink water"),
        ("heading", line_of(text, "### At home"), "Aftercare", 3, "At home"),
        ("paragraph", line_of(text, "Keep the plaster"), "Aftercare", None,
         "Keep the plaster on until the evening."),
    ]
    assert leaflet.messages[6].comment == "heading, level 3, in section “Aftercare”"


def test_a_soft_wrapped_paragraph_is_one_msgid_a_hard_break_stays(tmp_path):
    text = leaflet_text("Wrapped\n   across three\nlines.\n\nHard  \nbreak.\n")
    leaflet = read_leaflet(write(tmp_path, text), NAMES, tmp_path)
    assert [block.text for block in leaflet.blocks] == [
        "Wrapped across three lines.", "Hard\\\nbreak."]
    assert [block.line for block in leaflet.blocks] == [BODY_LINE, BODY_LINE + 4]


def test_placeholders_in_order_without_repeats(tmp_path):
    text = leaflet_text("Call {clinic_phone}, or {emergency_phone}, or "
                        "{clinic_phone} again.\n",
                        title="Call {clinic_name}")
    leaflet = read_leaflet(write(tmp_path, text), NAMES, tmp_path)
    assert leaflet.messages[0].placeholders == ("clinic_name",)
    assert leaflet.messages[-1].placeholders == ("clinic_phone", "emergency_phone")


def test_bom_and_crlf_give_the_same_leaflet_as_the_clean_file(tmp_path):
    clean = FIXTURE.read_bytes()
    assert b"\r" not in clean and not clean.startswith(b"\xef\xbb\xbf")
    expected = read_leaflet(FIXTURE, NAMES)
    for variant, data in {
        "bom": b"\xef\xbb\xbf" + clean,
        "crlf": clean.replace(b"\n", b"\r\n"),
        "bom-crlf": b"\xef\xbb\xbf" + clean.replace(b"\n", b"\r\n"),
    }.items():
        path = write(tmp_path / variant, data, slug="blood-test")
        leaflet = read_leaflet(path, NAMES, tmp_path / variant)
        assert leaflet.blocks == expected.blocks, variant
        assert leaflet.messages == expected.messages, variant
        assert leaflet.meta == expected.meta, variant


def test_read_leaflets_keeps_the_good_and_reports_the_bad(tmp_path):
    good = write(tmp_path, leaflet_text())
    shutil.copy(BROKEN / "bad-front-matter.md", tmp_path / "leaflets")
    bad = tmp_path / "leaflets" / "bad-front-matter.md"
    leaflets, problems = read_leaflets([bad, good], NAMES, tmp_path)
    assert [leaflet.slug for leaflet in leaflets] == ["flu-jab"]
    assert [(problem.path, problem.line) for problem in problems] == [
        ("leaflets/bad-front-matter.md", 7)]


# Broken fixtures: every problem, with its line ---------------------------

def test_broken_front_matter_fixture_reports_the_yaml_line():
    problem = the_problem(BROKEN / "bad-front-matter.md", 7, "not valid YAML")
    assert "mapping values are not allowed" in problem.message


def test_broken_body_fixture_reports_every_problem_at_its_line():
    problems = problems_of(BROKEN / "bad-body.md")
    assert all(str(problem).startswith(f"leaflets/bad-body.md:{problem.line}: ")
               for problem in problems)
    expected = [
        (15, "level-1 heading"),
        (19, "heading level 4 follows level 2"),
        (21, "raw HTML is not allowed in a leaflet: '<b>'"),
        (21, "raw HTML is not allowed in a leaflet: '</b>'"),
        (23, "raw HTML is not allowed"),
        (25, "code blocks are not allowed"),
        (27, "link target 'form.html' is not allowed"),
        (27, "unknown placeholder {unknown_phone}"),
    ]
    assert len(problems) == len(expected), problems
    for line, phrase in expected:
        assert any(problem.line == line and phrase in problem.message
                   for problem in problems), (line, phrase, problems)


# One test per refusal ----------------------------------------------------

def test_not_utf8_reports_the_line_of_the_bad_byte(tmp_path):
    text = leaflet_text("First paragraph.\n\nCaf\xe9 au lait.\n")
    path = write(tmp_path, text.encode("latin-1"))
    the_problem(path, line_of(text, "Caf"), "not valid UTF-8", "0xe9", "column 4")


def test_missing_front_matter(tmp_path):
    path = write(tmp_path, "## Before the test\n\nSome text.\n")
    the_problem(path, 1, "starts with front matter")


def test_unclosed_front_matter(tmp_path):
    text = leaflet_text().replace("---\nSome", "Some")
    the_problem(write(tmp_path, text), 1, "front matter is not closed")


def test_invalid_yaml_reports_its_line(tmp_path):
    text = leaflet_text(organisation="Test Clinic: laboratory")
    the_problem(write(tmp_path, text), FIELD_LINE["organisation"],
                "front matter is not valid YAML")


def test_front_matter_that_is_not_fields(tmp_path):
    path = write(tmp_path, "---\n- a list\n---\nSome text.\n")
    the_problem(path, 2, "front matter must be fields")


def test_unknown_field_reports_its_line(tmp_path):
    text = leaflet_text(colour="blue")
    the_problem(write(tmp_path, text), line_of(text, "colour:"),
                "unknown field 'colour'")


def test_missing_required_field(tmp_path):
    text = leaflet_text(clinical_reviewer=None)
    the_problem(write(tmp_path, text), 1, "missing field 'clinical-reviewer'")


@pytest.mark.parametrize(("field", "value", "phrase"), [
    ("version", "1.0", "version must be a version such as"),
    ("max-pages", "two", "max-pages must be a whole number of pages"),
    ("max-pages", "0", "max-pages must be a whole number of pages"),
    ("authors", "Nursing team", "authors must be a list of non-empty texts"),
    ("published", "1 October 2026", "published must be a date written YYYY-MM-DD"),
    ("review-by", "2028-10-01 09:00:00", "review-by must be a date"),
    ("title", '""', "title must be non-empty text"),
    ("slug", "Flu_Jab", "slug must be lower-case words"),
    ("paper", "A3", "paper must be one of A4, A5, Letter"),
])
def test_wrong_type_reports_the_field_line(tmp_path, field, value, phrase):
    text = leaflet_text(**{field: value})
    problem = the_problem(write(tmp_path, text), line_of(text, f"{field}:"), phrase)
    assert problem.line == FIELD_LINE.get(field, len(FIELDS) + 2)


def test_version_as_float_quotes_the_value(tmp_path):
    problem = the_problem(write(tmp_path, leaflet_text(version="1.0")),
                          FIELD_LINE["version"], "(quote it)")
    assert problem.message.endswith("not 1.0")


def test_slug_must_match_the_file_name(tmp_path):
    path = write(tmp_path, leaflet_text(slug="flu-vaccine"))
    the_problem(path, FIELD_LINE["slug"], "slug 'flu-vaccine'",
                "file name 'flu-jab.md'")


@pytest.mark.parametrize("review_by", ["2026-10-01", "2025-10-01"])
def test_review_by_must_come_after_published(tmp_path, review_by):
    path = write(tmp_path, leaflet_text(review_by=review_by))
    the_problem(path, FIELD_LINE["review-by"], "review-by must come after published")


def test_review_by_at_most_three_years_after_published(tmp_path):
    fine = write(tmp_path / "fine", leaflet_text(review_by="2029-10-01"))
    assert read_leaflet(fine, NAMES).meta.review_by.year == 2029
    late = write(tmp_path / "late", leaflet_text(review_by="2029-10-02"))
    the_problem(late, FIELD_LINE["review-by"], "at most 3 years after published")


def test_published_on_29_february_is_checked_not_a_crash(tmp_path):
    fine = write(tmp_path / "fine", leaflet_text(published="2028-02-29",
                                                 review_by="2031-02-28"))
    assert str(read_leaflet(fine, NAMES).meta.published) == "2028-02-29"
    late = write(tmp_path / "late", leaflet_text(published="2028-02-29",
                                                 review_by="2031-03-02"))
    the_problem(late, FIELD_LINE["review-by"], "at most 3 years after published")


def test_level_1_heading_in_body(tmp_path):
    text = leaflet_text("# Your flu jab\n\nSome text.\n")
    the_problem(write(tmp_path, text), BODY_LINE, "level-1 heading is not allowed")


def test_skipped_heading_level(tmp_path):
    text = leaflet_text("## Before\n\nText.\n\n#### Details\n\nMore.\n")
    the_problem(write(tmp_path, text), line_of(text, "#### Details"),
                "heading level 4 follows level 2")


def test_first_heading_may_not_skip_to_level_3(tmp_path):
    text = leaflet_text("### Details\n\nMore.\n")
    the_problem(write(tmp_path, text), BODY_LINE, "heading level 3 follows level 1")


def test_raw_html_block(tmp_path):
    text = leaflet_text("Text.\n\n<div class=\"box\">\nBoxed\n</div>\n")
    the_problem(write(tmp_path, text), line_of(text, "<div"),
                "raw HTML is not allowed in a leaflet; use Markdown")


def test_inline_html(tmp_path):
    text = leaflet_text("Text.\n\nPress <kbd>here</kbd>.\n")
    problems = problems_of(write(tmp_path, text))
    assert [str(problem) for problem in problems] == [
        f"leaflets/flu-jab.md:{line_of(text, '<kbd>')}: raw HTML is not allowed "
        f"in a leaflet: {tag!r}" for tag in ("<kbd>", "</kbd>")]


@pytest.mark.parametrize("body", ["Text.\n\n    indented code\n",
                                  "Text.\n\n```\nfenced code\n```\n"])
def test_code_block(tmp_path, body):
    text = leaflet_text(body)
    the_problem(write(tmp_path, text), BODY_LINE + 2, "code blocks are not allowed")


def test_relative_link_is_refused(tmp_path):
    text = leaflet_text("Read [the form](form.html).\n")
    the_problem(write(tmp_path, text), BODY_LINE,
                "link target 'form.html' is not allowed")


@pytest.mark.parametrize("link", ["[click](https://example.org)",
                                  "[mail](mailto:info@example.org)",
                                  "[call](tel:+31301112222)"])
def test_allowed_links(tmp_path, link):
    leaflet = read_leaflet(write(tmp_path, leaflet_text(f"See {link}.\n")), NAMES)
    assert leaflet.blocks[0].text == f"See {link}."


@pytest.mark.parametrize("link", ["[click](javascript:alert(1))",
                                  "<javascript:alert(1)>"])
def test_javascript_link_is_refused(tmp_path, link):
    text = leaflet_text(f"Text.\n\nSee {link} here.\n")
    the_problem(write(tmp_path, text), BODY_LINE + 2, "javascript:", "not allowed")


def test_image_without_alt_text(tmp_path):
    text = leaflet_text("See ![](arm.png).\n")
    the_problem(write(tmp_path, text), BODY_LINE, "an image needs alt text")


def test_unknown_placeholder(tmp_path):
    text = leaflet_text("Text.\n\nCall {clinic_fax}.\n")
    the_problem(write(tmp_path, text), BODY_LINE + 2,
                "unknown placeholder {clinic_fax}", "known: clinic_email")


def test_unknown_placeholder_in_the_title(tmp_path):
    text = leaflet_text(title="Call {clinic_fax}")
    the_problem(write(tmp_path, text), FIELD_LINE["title"],
                "unknown placeholder {clinic_fax}")


@pytest.mark.parametrize("body", ["", "\n\n   \n"])
def test_empty_body(tmp_path, body):
    the_problem(write(tmp_path, leaflet_text(body)), BODY_LINE,
                "no text after the front matter")


def test_empty_file(tmp_path):
    the_problem(write(tmp_path, ""), 1, "the leaflet is empty")


def test_front_matter_and_body_problems_are_reported_together(tmp_path):
    text = leaflet_text("# Title again\n", colour="blue")
    problems = problems_of(write(tmp_path, text))
    assert [problem.line for problem in problems] == [
        line_of(text, "colour:"), line_of(text, "# Title again")]
    assert "unknown field" in problems[0].message
    assert "level-1 heading" in problems[1].message


def test_unreadable_file_has_no_line(tmp_path):
    path = tmp_path / "leaflets" / "missing.md"
    the_problem(path, None, "cannot read")
