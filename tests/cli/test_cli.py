"""The command line, run in-process: help, usage errors and their exit codes,
``status`` and ``deps``. Nothing here renders a PDF."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import po_entry

PO = "locales/nl/LC_MESSAGES/blood-test.po"
MESSAGES = 21  # title, summary and 19 blocks of the fixture leaflet
WORDS = 136  # the words of those messages, markup and link targets left out


def empty_msgstr(root: Path, msgid_start: str) -> int:
    """Empty the translation of a single-line entry; return its line."""
    path = root / PO
    line = po_entry(path, msgid_start)
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[line - 1] = 'msgstr ""'
    path.write_text("\n".join(lines), encoding="utf-8")
    return line


def status_json(root: Path, cli) -> list[dict]:
    """The leaflets' rows of ``status --format json`` (not ``ui.po``'s)."""
    run = cli(root, "status", "--format", "json")
    assert run.code == 0, run
    return [row for row in json.loads(run.out) if row["catalog"] != "ui"]


# Help ----------------------------------------------------------------------

def test_help_describes_the_tool_and_lists_every_command(project, cli):
    run = cli(project, "--help")
    assert run.code == 0
    assert run.out.startswith("usage: leafpress")
    assert "Print patient leaflets in every language" in run.out
    for command in ("extract", "update", "build", "check", "status", "deps"):
        assert command in run.out
    assert "exit status: 0 all good" in run.out


@pytest.mark.parametrize(("command", "purpose"), [
    ("extract", "Write locales/<slug>.pot for every leaflet"),
    ("update", "Merge locales/*.pot into locales/<lang>/LC_MESSAGES/*.po"),
    ("build", "print build/pdf/<lang>/<slug>.pdf"),
    ("check", "Read PDFs back with pypdf"),
    ("status", "how many messages are translated, fuzzy and untranslated"),
    ("deps", "as make rules"),
])
def test_each_command_has_help_that_says_what_it_does(project, cli, command,
                                                      purpose):
    run = cli(project, command, "--help")
    assert run.code == 0
    assert run.out.startswith(f"usage: leafpress {command}")
    assert purpose in " ".join(run.out.split())


def test_version(project, cli):
    run = cli(project, "--version")
    assert run.code == 0 and run.out.startswith("leafpress ")


# Usage errors exit 2 ---------------------------------------------------------

def test_unknown_command_exits_2(project, cli):
    run = cli(project, "print")
    assert run.code == 2
    assert "invalid choice: 'print'" in run.err


def test_missing_command_exits_2(project, cli):
    run = cli(project)
    assert run.code == 2
    assert "required: COMMAND" in run.err


@pytest.mark.parametrize("args", [("extract", "--nope"),
                                  ("status", "--format", "xml"),
                                  ("build", "--jobs", "many")])
def test_bad_option_exits_2(project, cli, args):
    run = cli(project, *args)
    assert run.code == 2
    assert "error:" in run.err and args[-1] in run.err


def test_zero_jobs_is_a_usage_error(project, cli):
    run = cli(project, "build", "--jobs", "0")
    assert run.code == 2
    assert "--jobs must be 1 or more" in run.err
    assert not (project / "build" / "pdf").exists()


@pytest.mark.parametrize("command", [("build",), ("update",)])
def test_unknown_language_exits_2_naming_the_configured_ones(project, cli, command):
    run = cli(project, *command, "-l", "xx")
    assert run.code == 2
    assert "language xx is not configured in leafpress.toml (languages: en, nl)" \
        in run.err
    assert not (project / "build" / "pdf").exists()


def test_unknown_slug_exits_2(project, cli):
    run = cli(project, "build", "no-such-leaflet")
    assert run.code == 2
    assert "no leaflet 'no-such-leaflet' in leaflets/" in run.err
    assert not (project / "build" / "pdf").exists()


def test_slug_that_is_a_path_exits_2(project, cli):
    run = cli(project, "build", "../leafpress")
    assert run.code == 2
    assert "no leaflet '../leafpress'" in run.err


def test_missing_settings_exit_1_naming_the_file(tmp_path, cli):
    run = cli(tmp_path)
    assert run.code == 2  # no command: a usage error comes first
    run = cli(tmp_path, "status")
    assert run.code == 1
    settings = (tmp_path / "leafpress.toml").resolve()
    assert f"{settings}: project settings not found" in run.err
    assert "Traceback" not in run.err


def test_broken_settings_exit_1_with_the_line(project, cli):
    settings = project / "leafpress.toml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        'country = "NL"', 'country = NL'), encoding="utf-8")
    run = cli(project, "status")
    assert run.code == 1
    assert "leafpress.toml:5: " in run.err


# status ---------------------------------------------------------------------

def test_status_prints_the_matrix(project, cli):
    run = cli(project, "status")
    assert run.code == 0
    header, row, *rest = run.out.splitlines()
    assert header.split() == ["leaflet", "lang", "translated", "(words)", "fuzzy",
                              "(words)", "untranslated", "(words)", "revised",
                              "signed", "off", "printable", "translated", "against",
                              "why", "not", "printed"]
    # the fixture asks for no review records ([review] require = [])
    printed = status_json(project, cli)[0]["review"]["messages"]
    assert row.split() == ["blood-test", "nl", str(MESSAGES), f"({WORDS})", "0",
                           "(0)", "0", "(0)", f"0/{printed}", "no", "yes", "1.2.0"]
    (ui,) = rest  # the template catalog has a row of its own
    assert re.split(r"\s{2,}", ui.strip())[:2] == ["ui.po (templates)", "nl"]
    assert re.split(r"\s{2,}", ui.strip())[-2:] == ["yes", "-"]


def test_status_names_a_missing_template_catalog_and_survives_a_closed_pipe(
        project):
    (project / "locales/nl/LC_MESSAGES/ui.po").unlink()
    run = subprocess.run(f"{sys.executable} -m leafpress -C {project} status "
                         "--format json | head -c 10", shell=True,
                         capture_output=True, text=True, check=False)
    assert "Traceback" not in run.stderr and "BrokenPipe" not in run.stderr
    whole = subprocess.run([sys.executable, "-m", "leafpress", "-C", str(project),
                            "status", "--format", "json"], capture_output=True,
                           text=True, check=True)
    rows = json.loads(whole.stdout)
    (ui,) = [row for row in rows if row["catalog"] == "ui"]
    assert ui["leaflet"] is None and ui["state"] == "being translated"
    assert ui["reason"].startswith("no catalog yet (locales/nl/LC_MESSAGES/ui.po)")
    (leaflet,) = [row for row in rows if row["catalog"] == "blood-test"]
    assert "ui.po" in leaflet["reason"]


def test_status_json_counts(project, cli):
    (row,) = status_json(project, cli)
    assert row["translated_against"].pop("hash").startswith("sha256:")
    review = row.pop("review")
    assert review["messages"] > MESSAGES and review["revised"] == 0
    assert (review["required"], review["ready"], review["signed_off"]) == (
        [], True, None)
    assert row == {
        "leaflet": "blood-test", "catalog": "blood-test", "language": "nl",
        "source_version": "1.2.0",
        "translated": MESSAGES, "fuzzy": 0, "untranslated": 0,
        "words": {"translated": WORDS, "fuzzy": 0, "untranslated": 0},
        "printable": True,
        "state": "printable",
        "reason": "",
        "translated_against": {"version": "1.2.0", "current": True},
        "problems": []}


def test_status_counts_emptied_and_fuzzy_messages(project, cli):
    line = empty_msgstr(project, "Before the test")
    po = project / PO
    po.write_text(po.read_text(encoding="utf-8").replace(
        'msgid "Does it hurt?"', '#, fuzzy\nmsgid "Does it hurt?"'), encoding="utf-8")
    (row,) = status_json(project, cli)
    assert (row["translated"], row["fuzzy"], row["untranslated"]) == (
        MESSAGES - 2, 1, 1)
    assert row["words"] == {"translated": WORDS - 6, "fuzzy": 3, "untranslated": 3}
    assert row["printable"] is False
    fuzzy = po_entry(po, "Does it hurt?")
    assert row["problems"] == [
        f"{PO}:{line}: untranslated: “Before the test”",
        f"{PO}:{fuzzy}: fuzzy: “Does it hurt?” needs review; check the translation "
        "and remove the fuzzy flag"]


def test_status_strict_exits_0_when_everything_can_be_printed(project, cli):
    assert cli(project, "status", "--strict").code == 0


def test_status_strict_exits_1_when_a_msgstr_is_emptied(project, cli):
    line = empty_msgstr(project, "Tell the nurse if you:")
    assert cli(project, "status").code == 0, "without --strict it only reports"
    run = cli(project, "-v", "status", "--strict")
    assert run.code == 1
    cells = re.split(r"\s{2,}", run.out.splitlines()[1].strip())
    assert cells[-3:] == ["NO", "1.2.0", "blood-test.po: untranslated"]
    assert f"{PO}:{line}: untranslated: “Tell the nurse if you:”" in run.err


def test_status_strict_exits_1_for_a_broken_leaflet(project, cli):
    leaflet = project / "leaflets" / "blood-test.md"
    leaflet.write_text(leaflet.read_text(encoding="utf-8").replace(
        "## During the test", "# During the test"), encoding="utf-8")
    run = cli(project, "status", "--strict")
    assert run.code == 1
    assert "leaflets/blood-test.md:26: a level-1 heading is not allowed" in run.err


# deps -----------------------------------------------------------------------

def make_rules(text: str) -> tuple[dict[str, set[str]], dict[str, list[str]]]:
    """Rules (target -> prerequisites) and variables of make's syntax."""
    rules: dict[str, set[str]] = {}
    variables: dict[str, list[str]] = {}
    for line in text.splitlines():
        if " := " in line:
            name, _, value = line.partition(" := ")
            variables[name] = value.split()
        else:
            target, colon, prerequisites = line.partition(": ")
            assert colon, f"not a make rule: {line!r}"
            rules.setdefault(target, set()).update(prerequisites.split())
    return rules, variables


def reachable(rules: dict[str, set[str]], target: str) -> set[str]:
    """Every file ``target`` depends on, directly or through other rules."""
    seen: set[str] = set()
    todo = [target]
    while todo:
        for prerequisite in rules.get(todo.pop(), ()):
            if prerequisite not in seen:
                seen.add(prerequisite)
                todo.append(prerequisite)
    return seen


def test_deps_prints_make_rules(project, cli):
    run = cli(project, "deps")
    assert run.code == 0
    rules, variables = make_rules(run.out)
    assert variables["LEAFPRESS_PDFS"] == ["build/pdf/en/blood-test.pdf",
                                           "build/pdf/nl/blood-test.pdf"]
    assert "build/pdf/nl/blood-test.pdf" in rules
    dutch = reachable(rules, "build/pdf/nl/blood-test.pdf")
    assert {"leaflets/blood-test.md", PO, "locales/nl/LC_MESSAGES/ui.po"} <= dutch
    english = reachable(rules, "build/pdf/en/blood-test.pdf")
    assert "leaflets/blood-test.md" in english
    assert not any(name.startswith("locales/") for name in english)


def test_deps_follows_the_leaflets(project, cli):
    leaflets = project / "leaflets"
    (leaflets / "flu-jab.md").write_text(
        (leaflets / "blood-test.md").read_text(encoding="utf-8").replace(
            "slug: blood-test", "slug: flu-jab"), encoding="utf-8")
    rules, variables = make_rules(cli(project, "deps").out)
    assert "leaflets/flu-jab.md" in rules["build/pdf/en/flu-jab.pdf"]
    # No Dutch catalog yet: no Dutch target until translators have one.
    assert "build/pdf/nl/flu-jab.pdf" not in variables["LEAFPRESS_PDFS"]
    shutil.copy(project / "locales/nl/LC_MESSAGES/blood-test.po",
                project / "locales/nl/LC_MESSAGES/flu-jab.po")
    rules, variables = make_rules(cli(project, "deps").out)
    assert "build/pdf/nl/flu-jab.pdf" in variables["LEAFPRESS_PDFS"]
    assert "locales/nl/LC_MESSAGES/flu-jab.po" in rules["build/pdf/nl/flu-jab.pdf"]
