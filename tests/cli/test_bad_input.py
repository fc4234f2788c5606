"""A catalogue of bad input: each answered by a clear `path:line: message`,
the right exit code, no traceback, and the other leaflets still printed."""

from __future__ import annotations

import re

from conftest import po_entry
from leafpress.translation import plurals


def built(project, name: str = "blood-test", lang: str = "en") -> bool:
    return (project / "build/pdf" / lang / f"{name}.pdf").is_file()


def add_good_leaflet(project) -> None:
    source = (project / "leaflets/blood-test.md").read_text(encoding="utf-8")
    (project / "leaflets/second.md").write_text(
        source.replace("slug: blood-test", "slug: second"), encoding="utf-8")


def test_lists_nested_too_deep_are_refused_with_their_line(project, cli):
    leaflet = project / "leaflets/blood-test.md"
    text = leaflet.read_text(encoding="utf-8")
    nested = "\n".join("  " * depth + f"- level {depth}" for depth in range(9))
    lines = text.count("\n")
    leaflet.write_text(text + "\n## Deep\n\n" + nested + "\n", encoding="utf-8")
    run = cli(project, "build", "-l", "en")
    assert run.code == 1
    assert (f"leaflets/blood-test.md:{lines + 10}: lists are nested more than 6 "
            "levels deep") in run.err, run.err
    assert "Traceback" not in run.err


def test_a_huge_leaflet_is_refused_and_the_others_print(project, cli):
    add_good_leaflet(project)
    leaflet = project / "leaflets/blood-test.md"
    leaflet.write_text(leaflet.read_text(encoding="utf-8")
                       + "\nWords and more words.\n" * 250_000, encoding="utf-8")
    run = cli(project, "build", "-l", "en")
    assert run.code == 1
    assert "leaflets/blood-test.md: the file is 5.8 MB; a leaflet is at most 1 MB" in (
        run.err)
    assert built(project, "second")


def test_duplicate_catalog_entries_are_refused(project, cli):
    po = project / "locales/nl/LC_MESSAGES/blood-test.po"
    text = po.read_text(encoding="utf-8")
    first = po_entry(po, "Does it hurt?") - 1
    po.write_text(text + '\nmsgid "Does it hurt?"\nmsgstr "Doet het zeer?"\n',
                  encoding="utf-8")
    duplicate = text.count("\n") + 2
    run = cli(project, "build", "-l", "nl")
    assert run.code == 1
    assert (f"locales/nl/LC_MESSAGES/blood-test.po:{duplicate}: duplicate: “Does it "
            f"hurt?” is already at line {first}") in run.err, run.err


def test_a_catalog_that_is_not_utf8_by_its_header_is_refused(project, cli):
    po = project / "locales/nl/LC_MESSAGES/blood-test.po"
    po.write_text(po.read_text(encoding="utf-8").replace(
        "charset=UTF-8", "charset=ISO-8859-1"), encoding="utf-8")
    run = cli(project, "build", "-l", "nl")
    assert run.code == 1
    assert ("locales/nl/LC_MESSAGES/blood-test.po:1: charset: the header says "
            "charset=iso-8859-1; leafpress catalogs are UTF-8") in run.err, run.err
    assert not built(project, lang="nl")


def test_catalogs_for_an_unconfigured_language_are_reported(project, cli):
    (project / "locales/fr/LC_MESSAGES").mkdir(parents=True)
    run = cli(project, "build", "-l", "en")
    assert run.code == 1
    assert ("locales/fr: catalogs for 'fr', which leafpress.toml does not list in "
            "[project] languages") in run.err
    assert built(project)


def test_a_build_folder_that_cannot_be_written_is_a_clear_error(project, cli):
    (project / "build").write_text("not a folder")
    run = cli(project, "build", "-l", "en")
    assert run.code == 1
    assert "cannot write" in run.err and "build" in run.err
    assert "Traceback" not in run.err


def test_a_missing_template_is_a_clear_error(project, cli):
    (project / "templates/leaflet.html").unlink()
    run = cli(project, "build", "-l", "en")
    assert run.code == 1
    assert "leaflet.html" in run.err and "Traceback" not in run.err
    assert not built(project)


def test_an_unknown_front_matter_field_and_a_wrong_type_are_both_reported(project,
                                                                         cli):
    leaflet = project / "leaflets/blood-test.md"
    leaflet.write_text(leaflet.read_text(encoding="utf-8").replace(
        "max-pages: 2", "max-pages: two\ncolour: blue"), encoding="utf-8")
    run = cli(project, "build", "-l", "en")
    assert run.code == 1
    assert "leaflets/blood-test.md:14: max-pages must be a whole number" in run.err
    assert "leaflets/blood-test.md:15: unknown field 'colour'" in run.err


def test_wrong_plural_forms_are_refused(project, cli):
    po = project / "locales/nl/LC_MESSAGES/blood-test.po"
    po.write_text(re.sub(r'(?m)^"Plural-Forms: .*$',
                         r'"Plural-Forms: nplurals=3; plural=(n > 2 ? 2 : n);\\n"',
                         po.read_text(encoding="utf-8")), encoding="utf-8")
    run = cli(project, "build", "-l", "nl")
    assert run.code == 1
    assert ("locales/nl/LC_MESSAGES/blood-test.po:1: plural-forms: the header says "
            "'nplurals=3; plural=(n > 2 ? 2 : n);'; for nl it is "
            f"{plurals.rule_for('nl').header!r}: the numbers 0–1000 get a different "
            "form; run `leafpress update`") in run.err, run.err


def test_a_missing_image_is_reported_by_name(project, cli):
    leaflet = project / "leaflets/blood-test.md"
    leaflet.write_text(leaflet.read_text(encoding="utf-8")
                       + "\n![The arm band](images/arm-band.png)\n", encoding="utf-8")
    run = cli(project, "build", "-l", "en")
    assert run.code == 1
    assert "refused to fetch" in run.err and "images/arm-band.png (no such file)" in (
        run.err)
    assert not built(project)


def test_a_worker_that_dies_is_a_reported_failure_not_a_crash(project, cli):
    settings = project / "leafpress.toml"
    settings.write_text(settings.read_text().replace(
        "[print]\n", "[print]\nmemory-limit = 60\n"))
    run = cli(project, "build", "-l", "en")
    assert run.code == 1
    assert ("build/html/en/blood-test.html: the render worker died (out of memory "
            "under [print] memory-limit, or a crash)") in run.err
    assert "Traceback" not in run.err
