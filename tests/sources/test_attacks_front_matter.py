"""Attacks through a leaflet's front matter, and through the limits in
``leafpress.toml``.

Impossible dates, years past 9999, 5000-digit page counts, YAML alias bombs,
tags, deep nesting, duplicate and non-text keys, values of the wrong type:
each is a ``leaflets/<slug>.md:<line>: message`` that says how to fix it, an
exit code, no traceback, and one bad leaflet stops only itself in every
command (extract, update, deps, status, lint, report, build, check) and in
make.
"""

from __future__ import annotations

import re
import shutil
import time
import tracemalloc
from pathlib import Path

import pytest

from conftest import RESOURCES
from leafpress.errors import ContentError
from leafpress.sources.front_matter import QUOTE_MAX
from leafpress.sources.leaflet import read_leaflet

GOOD = "leaflets/blood-test.md"
BAD = "leaflets/broken.md"
FIXTURE = (RESOURCES / "project" / GOOD).read_text(encoding="utf-8")
SOURCES = "sources:\n  - Thuisarts.nl, Bloed prikken.\n"
#: A "billion laughs": 9 aliases on each of 30 levels, 9**30 strings once
#: expanded (the red team's reached 312 MB of error message at 9 levels).
BOMB = "sources: &a0 [laugh]\n" + "".join(
    f"z{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 9)}]\n"
    for level in range(1, 30))


def line_of(text: str, needle: str) -> int:
    for number, line in enumerate(text.split("\n"), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in the text")


def broken(old: str, new: str, slug: str = "broken") -> str:
    """The fixture leaflet as ``slug``, with ``old`` replaced by ``new``."""
    assert old in FIXTURE, old
    return FIXTURE.replace("slug: blood-test", f"slug: {slug}").replace(old, new, 1)


def add(project: Path, text: str, slug: str = "broken") -> Path:
    path = project / "leaflets" / f"{slug}.md"
    path.write_text(text, encoding="utf-8")
    return path


def clean(run) -> None:
    """No traceback, and no line of output that repeats a huge value."""
    output = run.out + run.err
    assert "Traceback" not in output, output
    problems = re.findall(r"(?m)^\S+:\d+: .*$", output)
    assert all(len(problem) < 400 for problem in problems), "a message repeats a value"


# --- every case: its message, its line, and the other leaflet goes on ---------

#: (id, what to replace, with what, the line it is on, what the message says)
CASES = [
    ("30-february", "review-by: 2028-10-01", "review-by: 2027-02-30", 7,
     "review-by: 2027-02-30 is not a date: February 2027 has 28 days; write "
     "YYYY-MM-DD"),
    ("29-february-not-leap", "published: 2026-10-01", "published: 2027-02-29", 6,
     "published: 2027-02-29 is not a date: February 2027 has 28 days"),
    ("month-13", "published: 2026-10-01", "published: 2026-13-01", 6,
     "published: 2026-13-01 is not a date: there is no month 13"),
    ("year-9999", "review-by: 2028-10-01", "review-by: 9999-12-31", 7,
     "review-by: 9999-12-31 is out of range: a leaflet's dates are in the years "
     "1990 to 2100; check the year"),
    ("published-9999", "published: 2026-10-01", "published: 9999-12-31", 6,
     "published: 9999-12-31 is out of range"),
    ("year-0", "published: 2026-10-01", "published: 0000-01-01", 6,
     "published: 0000-01-01 is out of range"),
    ("date-and-time", "published: 2026-10-01", "published: 2026-10-01T09:00:00Z",
     6, "published must be a date written YYYY-MM-DD, not 2026-10-01T09:00:00Z "
     "(a date and a time: leave the time out)"),
    ("date-as-a-list", "published: 2026-10-01", "published: [2026-10-01]", 6,
     "published must be a date written YYYY-MM-DD, not a list"),
    ("5000-digit-max-pages", "max-pages: 2", "max-pages: " + "9" * 5000, 14,
     "max-pages must be a whole number of pages, from 1 to 100, not 99999"),
    ("max-pages-101", "max-pages: 2", "max-pages: 101", 14,
     "max-pages must be a whole number of pages, from 1 to 100, not 101"),
    ("negative-max-pages", "max-pages: 2", "max-pages: -3", 14,
     "max-pages must be a whole number of pages, from 1 to 100, not -3"),
    ("hexadecimal-max-pages", "max-pages: 2", "max-pages: 0x10", 14,
     "max-pages must be a whole number of pages, from 1 to 100, not 0x10"),
    ("infinite-max-pages", "max-pages: 2", "max-pages: .inf", 14,
     "max-pages must be a whole number of pages, from 1 to 100, not .inf"),
    ("yes-as-max-pages", "max-pages: 2", "max-pages: yes", 14,
     "max-pages must be a whole number of pages, from 1 to 100, not yes"),
    ("variant-max-pages", "max-pages: 2", "max-pages: 2\nmax-pages-large: 2.5",
     15, "max-pages-large must be a whole number of pages, from 1 to 100, not 2.5"),
    ("alias-bomb", SOURCES, BOMB, 12,
     "YAML anchors and aliases ('&name', '*name') are not allowed in front "
     "matter: write each value out"),
    ("one-alias", SOURCES, "sources: &s\n  - Thuisarts.nl\nsummary: *s\n", 12,
     "YAML anchors and aliases"),
    ("duplicate-key", "paper: A4", "paper: A4\ntitle: Another title", 16,
     "title is given twice, on lines 3 and 16: keep one"),
    ("number-as-key", "paper: A4", "paper: A4\n1: one", 16,
     "a field name is a word such as title, not 1"),
    ("list-as-key", "paper: A4", "paper: A4\n? [a, b]\n: c", 16,
     "a field name is a word such as title, not a list"),
    ("deep-nesting", "paper: A4", "paper: A4\nnotes: " + "[" * 50_000
     + "]" * 50_000, 16, "front matter is nested more than 4 levels deep"),
    ("python-tag", "title: Having a blood test",
     "title: !!python/object/apply:os.system [echo]", 3,
     "YAML tags such as '!!python/object/apply:os.system' are not allowed"),
    ("title-as-a-list", "title: Having a blood test", "title: [Having, a test]",
     3, "title must be non-empty text, not a list"),
    ("title-as-a-number", "title: Having a blood test", "title: 2024", 3,
     "title must be non-empty text, not 2024 (YAML reads it as a number: put "
     "it in quotes if it is text)"),
    ("title-as-yes-no", "title: Having a blood test", "title: no", 3,
     "title must be non-empty text, not no (YAML reads it as a yes/no"),
    ("empty-title", "title: Having a blood test", "title:", 3,
     "title is empty: write non-empty text"),
    ("huge-title", "title: Having a blood test", "title: " + "A" * 200_000, 3,
     "title is 200,000 characters long; at most 1,000: shorten it"),
    ("sources-as-text", SOURCES, "sources: Thuisarts.nl\n", 12,
     "sources must be a list of non-empty texts, each on its own line starting "
     "with '- ', not 'Thuisarts.nl'"),
    ("source-as-a-number", SOURCES, "sources:\n  - 42\n", 13,
     "sources, entry 1, must be non-empty text, not 42"),
    ("status-as-yes-no", "paper: A4", "paper: A4\nstatus: yes", 16,
     "status must be draft (or no status field once approved), not yes"),
    ("a-nul-character", "title: Having a blood test", "title: Having\0a test", 3,
     "front matter has a character YAML does not allow (U+0000): remove it"),
    ("an-escaped-nul", "title: Having a blood test", 'title: "Having\\0 a test"',
     3, "title holds a character that cannot be printed (U+0000, after 'Having'): "
     "remove it"),
    ("a-lone-surrogate", SOURCES, 'sources:\n  - "Thuisarts \\ud800"\n', 13,
     "sources, entry 1, holds a character that cannot be printed (U+D800"),
]


@pytest.mark.parametrize(("old", "new", "line", "message"),
                         [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_bad_front_matter_is_a_placed_problem_and_the_other_leaflet_goes_on(
        project, cli, old, new, line, message):
    add(project, broken(old, new))
    (project / "locales/blood-test.pot").unlink()
    run = cli(project, "extract")
    assert run.code == 1
    assert f"{BAD}:{line}: {message}" in run.err, run.err
    clean(run)
    assert (project / "locales/blood-test.pot").is_file()
    assert not (project / "locales/broken.pot").exists()


def test_a_quoted_value_in_a_message_is_cut_to_80_characters(project, cli):
    add(project, broken(SOURCES, "sources: " + "x" * 5000 + "\n"))
    run = cli(project, "extract")
    assert run.code == 1
    quoted = re.search(r"not ('x+…')$", run.err, re.M)
    assert quoted and len(quoted[1]) == QUOTE_MAX, run.err
    clean(run)


def test_an_alias_bomb_is_refused_at_once_in_little_memory(project):
    path = add(project, broken(SOURCES, BOMB))
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(ContentError) as caught:
            read_leaflet(path, None, project)
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 1.0
    assert peak < 5_000_000
    assert len(str(caught.value)) < 200
    assert [problem.line for problem in caught.value.problems] == [12]


def test_a_field_given_three_times_names_every_repeat(project, cli):
    add(project, broken("paper: A4", "paper: A4\npaper: A5\npaper: Letter"))
    run = cli(project, "extract")
    assert run.code == 1
    assert f"{BAD}:16: paper is given twice, on lines 15 and 16: keep one" in run.err
    assert f"{BAD}:17: paper is given twice, on lines 15 and 17: keep one" in run.err


@pytest.mark.parametrize(("old", "new"), [
    ("published: 2026-10-01", "published: '2026-10-01'"),
    ("published: 2026-10-01", 'published: "2026-10-01"'),
    ("max-pages: 2", 'max-pages: "2"'),
    ("title: Having a blood test", 'title: "Having a blood test"'),
], ids=["single-quoted-date", "double-quoted-date", "quoted-page-count",
        "quoted-title"])
def test_a_quoted_date_or_number_means_the_same(project, old, new):
    fixture = project / GOOD
    expected = read_leaflet(fixture, None, project).meta
    fixture.write_text(FIXTURE.replace(old, new, 1), encoding="utf-8")
    assert read_leaflet(fixture, None, project).meta == expected


def test_several_problems_are_reported_together(project, cli):
    add(project, broken("review-by: 2028-10-01", "review-by: 2027-02-30\n"
                        "colour: blue\ntitle: Again").replace(
        "max-pages: 2", "max-pages: 0"))
    run = cli(project, "extract")
    assert run.code == 1
    for line, phrase in [(8, "unknown field 'colour'"),
                         (9, "title is given twice, on lines 3 and 9"),
                         (7, "February 2027 has 28 days"),
                         (16, "max-pages must be a whole number")]:
        assert re.search(rf"^{BAD}:{line}: .*{re.escape(phrase)}", run.err,
                         re.M), run.err


# --- one bad leaflet stops only itself, in every command --------------------

FEBRUARY = f"{BAD}:7: review-by: 2027-02-30 is not a date"


@pytest.fixture
def with_bad(project) -> Path:
    """The project with a second leaflet whose review date does not exist."""
    add(project, broken("review-by: 2028-10-01", "review-by: 2027-02-30"))
    return project


def test_update_reports_the_bad_leaflet_and_updates_the_others(with_bad, cli):
    dutch = with_bad / "locales/nl/LC_MESSAGES/blood-test.po"
    dutch.unlink()
    run = cli(with_bad, "update")
    assert run.code == 1
    assert FEBRUARY in run.err
    assert "broken.pot" not in run.err  # not "catalog not found"
    clean(run)
    assert dutch.is_file()
    assert not (with_bad / "locales/nl/LC_MESSAGES/broken.po").exists()


def test_deps_keeps_every_rule_and_the_bad_leaflets_fail_in_the_build(with_bad,
                                                                        cli):
    run = cli(with_bad, "deps")
    assert run.code == 0
    clean(run)
    assert "build/pdf/en/blood-test.pdf: leaflets/blood-test.md" in run.out
    assert "build/pdf/nl/blood-test.pdf: leaflets/blood-test.md" in run.out
    # the bad leaflet's PDF is out of date as long as the leaflet is there,
    # so make asks the build, which names the problem and fails
    assert "build/pdf/en/broken.pdf: leaflets/broken.md" in run.out


def test_status_lists_the_others_and_names_the_bad_one(with_bad, cli):
    run = cli(with_bad, "status", "--strict")
    assert run.code == 1
    assert FEBRUARY in run.err
    assert re.search(r"^blood-test +nl ", run.out, re.M), run.out
    clean(run)


def test_lint_lints_the_others_and_names_the_bad_one(with_bad, cli):
    run = cli(with_bad, "lint")
    assert run.code == 1
    assert FEBRUARY in run.err
    assert re.search(r"^blood-test +en ", run.out, re.M), run.out
    clean(run)


def test_report_shows_the_others_and_the_problem(with_bad, cli):
    run = cli(with_bad, "report")
    assert run.code == 0
    clean(run)
    report = (with_bad / "build/report.html").read_text(encoding="utf-8")
    assert 'data-leaflet="blood-test" data-lang="nl"' in report
    assert "review-by: 2027-02-30 is not a date" in report


def test_build_prints_the_others_and_check_names_a_leaflet_broken_since(
        project, cli):
    """One build with every kind of bad leaflet beside a good one."""
    for number, (_id, old, new, _line, _message) in enumerate(CASES):
        add(project, broken(old, new, f"broken-{number}"), f"broken-{number}")
    run = cli(project, "build", "-l", "en")
    assert run.code == 1
    for number, (_id, _old, _new, line, message) in enumerate(CASES):
        assert f"leaflets/broken-{number}.md:{line}: {message}" in run.err
    clean(run)
    pdf = project / "build/pdf/en/blood-test.pdf"
    assert pdf.is_file()
    # the printed leaflet's front matter breaks after the build
    (project / GOOD).write_text(FIXTURE.replace("max-pages: 2", "max-pages: 0x10"),
                                encoding="utf-8")
    run = cli(project, "check", str(pdf))
    assert run.code == 1
    assert f"{GOOD}:14: max-pages must be a whole number of pages" in run.err
    clean(run)


# --- the limits in leafpress.toml --------------------------------------------


@pytest.mark.parametrize(("setting", "message"), [
    ("time-limit = -5", "[print] time-limit must be a whole number from 1 to 3600 "
                        "(seconds per document), not -5"),
    ("time-limit = 0", "[print] time-limit must be a whole number from 1 to 3600"),
    ("time-limit = true", "[print] time-limit must be a whole number from 1 to "
                          "3600 (seconds per document), not true"),
    ("time-limit = 1e9", "[print] time-limit must be a whole number from 1 to 3600 "
                         "(seconds per document), not 1000000000.0"),
    ("memory-limit = -1", "[print] memory-limit must be a whole number from 1 to "
                          "65536 (megabytes per render worker), not -1"),
    ("memory-limit = 99999999999999999999", "[print] memory-limit must be a "
                                            "whole number from 1 to 65536"),
    ("memory-limit = " + "9" * 5000, "a number thousands of digits long; no "
                                     "setting needs one: shorten it"),
], ids=["negative-time", "zero-time", "boolean-time", "float-time",
        "negative-memory", "huge-memory", "5000-digit-memory"])
def test_print_limits_are_positive_and_bounded(project, cli, setting, message):
    settings = project / "leafpress.toml"
    text = settings.read_text(encoding="utf-8").replace("[print]\n",
                                                        f"[print]\n{setting}\n")
    settings.write_text(text, encoding="utf-8")
    run = cli(project, "status")
    assert run.code == 1
    line = line_of(text, setting[:20])
    assert f"leafpress.toml:{line}: {message}" in run.err, run.err
    clean(run)


def test_lint_numbers_are_bounded(project, cli):
    settings = project / "leafpress.toml"
    text = settings.read_text(encoding="utf-8") + (
        "\n[lint]\nsentence-max = 1e400\nreview-warning-days = -1\n")
    settings.write_text(text, encoding="utf-8")
    run = cli(project, "lint")
    assert run.code == 1
    assert (f"leafpress.toml:{line_of(text, 'sentence-max')}: [lint] sentence-max "
            "must be a number from 0 to 1000, not inf") in run.err, run.err
    assert (f"leafpress.toml:{line_of(text, 'review-warning-days')}: [lint] "
            "review-warning-days must be a number from 0 to 3650, not -1") in run.err
    clean(run)


# --- make ---------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_fails_naming_the_bad_leaflet_and_prints_every_good_one(tmp_path):
    from conftest import copy_repo, expected_pdfs, make, pdfs

    root = copy_repo(tmp_path / "repo")
    good = (root / "leaflets/trigger-point-aftercare.md").read_text(encoding="utf-8")
    bad = re.sub(r"(?m)^review-by: .*$", "review-by: 2027-02-30", good.replace(
        "slug: trigger-point-aftercare", "slug: broken"))
    (root / "leaflets/broken.md").write_text(bad, encoding="utf-8")
    line = line_of(bad, "review-by:")
    result = make(root)
    assert result.returncode != 0
    assert (f"leaflets/broken.md:{line}: review-by: 2027-02-30 is not a date: "
            "February 2027 has 28 days") in result.stderr, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert set(pdfs(root)) == expected_pdfs()
    again = make(root)
    assert again.returncode != 0, "the bad leaflet stays out of date until fixed"
    assert set(pdfs(root)) == expected_pdfs()
