"""Attacks on the build itself, each on a real build read back with pypdf:
markup in the template catalog, PDFs a changed source has made stale, a
full disk, clinic-folder files, odd file names, an import too large to be a
leaflet, a time limit swallowed inside drawing, Ctrl-C, and write errors
that named the temporary file."""

from __future__ import annotations

import errno
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import clinic, po_entry
from leafpress import output
from leafpress.printing import render
from leafpress.settings.project import load_project
from test_attacks import assert_inert, link_uris, text_of

UI_PO = "locales/nl/LC_MESSAGES/ui.po"
NL_PO = "locales/nl/LC_MESSAGES/blood-test.po"
LEAFLET = "leaflets/blood-test.md"


def set_ui(root: Path, msgid: str, text: str) -> int:
    """Set the Dutch template-catalog msgstr of ``msgid``; return its line."""
    from leafpress.translation import pofile
    from leafpress.translation.extract import serialise

    path = root / UI_PO
    catalog = pofile.read(path.read_bytes(), "nl")
    catalog[msgid].string = text
    path.write_bytes(serialise(catalog))
    return po_entry(path, msgid)


# 1. The template catalog is text -------------------------------------------------

#: Markup that would hide the page's text, add a link and attach a file, if
#: the template catalog were HTML.
STYLE_ATTACK = ('<style>* { color: #fff !important; } .about::after { content: '
                '"Bel ons"; }</style><a href="javascript:alert()">Over deze folder'
                '</a><link rel="attachment" href="file:///etc/passwd">')


def test_markup_in_a_template_translation_is_only_text(project, cli):
    set_ui(project, "About this leaflet", STYLE_ATTACK)
    run = cli(project, "build", "-l", "nl", "--variant", "standard")
    pdf = project / "build/pdf/nl/blood-test.pdf"
    if run.code != 0:  # refused by a catalog check, with its line
        assert re.search(rf"{UI_PO}:\d+: ", run.err), run.err
        assert not pdf.exists()
        return
    html = (project / "build/html/nl/blood-test.html").read_text(encoding="utf-8")
    assert html.count("<style>") == 1, "only the template's own style element"
    assert "&lt;style&gt;" in html
    assert '<a href="javascript' not in html and 'rel="attachment"' not in html
    assert_inert(pdf)
    assert not [uri for uri in link_uris(pdf) if "javascript" in uri]
    text = " ".join(text_of(pdf).split())
    assert "<style>" in text, "the markup is printed as the characters it is"


def test_a_template_translation_with_a_number_in_its_markup_is_refused(project,
                                                                        cli):
    line = set_ui(project, "About this leaflet",
                  '<style>.about::after { content: "Bel 0900 666 6666"; }</style>'
                  "Over deze folder")
    run = cli(project, "build", "-l", "nl", "--variant", "standard")
    assert run.code == 1
    assert f"{UI_PO}:{line}: contacts: the translation adds 09006666666" in run.err
    assert not (project / "build/pdf/nl/blood-test.pdf").exists()


def test_the_template_catalog_cannot_end_a_css_string(project, cli):
    """Margin boxes take translated text into CSS strings: a quote, a
    backslash or ``</style>`` in ``ui.po`` stays inside the string."""
    set_ui(project, "Version %(version)s",
           'Versie %(version)s"; } body { display: none } x { content: "\\')
    run = cli(project, "build", "-l", "nl", "--variant", "standard")
    assert run.code == 0, run.err
    html = (project / "build/html/nl/blood-test.html").read_text(encoding="utf-8")
    assert "body { display: none }" not in html.split("</style>")[0].replace(
        '\\22 ; } body { display: none }', "")
    text = text_of(project / "build/pdf/nl/blood-test.pdf")
    assert "Doet het pijn?" in text


# 8. Nothing stale stays in build/pdf/ --------------------------------------------

def test_a_build_of_one_language_withdraws_what_a_source_change_made_stale(
        project, cli):
    assert cli(project, "build", "--variant", "standard").code == 0
    dutch = project / "build/pdf/nl/blood-test.pdf"
    assert dutch.is_file()
    leaflet = project / LEAFLET
    text = leaflet.read_text(encoding="utf-8")
    numbers = re.findall(r"\b\d+\b", text.split("---", 2)[2])
    assert numbers, "the fixture leaflet has a number in its text"
    leaflet.write_text(text.replace("2 days", "3 days"), encoding="utf-8")
    assert "3 days" in leaflet.read_text(encoding="utf-8")
    run = cli(project, "build", "-l", "en", "--variant", "standard")
    assert run.code == 0, run.err
    assert not dutch.exists(), "the Dutch PDF still says 2 days"
    assert (project / "build/withdrawn/nl/blood-test.pdf").is_file()
    assert re.search(r"withdrew build/pdf/nl/blood-test\.pdf, which the current "
                     r"sources can no longer print: .*blood-test\.po: missing",
                     run.err), run.err
    assert "3 days" in text_of(project / "build/pdf/en/blood-test.pdf")


def test_a_full_disk_is_a_placed_error_and_withdraws_what_cannot_be_renewed(
        project, cli, monkeypatch):
    assert cli(project, "build", "--variant", "standard").code == 0
    leaflet = project / LEAFLET
    leaflet.write_text(leaflet.read_text(encoding="utf-8").replace(
        "2 days", "3 days"), encoding="utf-8")
    real = output.write_atomic

    def full(path, data, durable=False):
        if path.suffix == ".pdf" and "/pdf/en/" in path.as_posix():
            raise output.naming(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)),
                                path)
        return real(path, data, durable)

    monkeypatch.setattr("leafpress.pipeline.build.write_atomic", full)
    run = cli(project, "build", "--variant", "standard")
    assert run.code == 1
    assert "Traceback" not in run.err
    assert ("build/pdf/en/blood-test.pdf: cannot write: No space left on device; "
            "the disk is full: free some space and run the build again") in run.err
    assert not (project / "build/pdf/en/blood-test.pdf").exists()
    assert not (project / "build/pdf/nl/blood-test.pdf").exists(), "stale too"
    assert (project / "build/withdrawn/en/blood-test.pdf").is_file()
    assert not list((project / "build").rglob(".leafpress-*")), "no temporary files"


def test_a_write_error_names_the_file_not_its_temporary(tmp_path, monkeypatch):
    target = tmp_path / "out" / "x.pdf"

    def refuse(source, destination):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(source))

    monkeypatch.setattr(output.os, "replace", refuse)
    with pytest.raises(OSError) as raised:
        output.write_atomic(target, b"%PDF-")
    assert raised.value.filename == str(target)
    assert raised.value.errno == errno.EROFS
    assert list((tmp_path / "out").iterdir()) == []


# 9. Send only what a document uses ------------------------------------------------

def test_only_the_files_a_document_uses_are_sent(project, tmp_path):
    folder = clinic(project)
    (folder / "notes.txt").write_text("private: not for the printer")
    secret = tmp_path / "secret.txt"
    secret.write_text("outside the project")
    (folder / "images/link.svg").symlink_to(secret)
    files = render.assets(load_project(project, folder))
    names = {Path(path).name for path in files}
    assert "logo.svg" in names and "leaflet.css" in names
    assert not {"notes.txt", "link.svg", "secret.txt", "clinic.toml"} & names
    assert all(b"outside the project" not in data for data in files.values())


def test_a_logo_that_links_outside_the_clinic_folder_is_refused(project, cli,
                                                                 tmp_path):
    folder = clinic(project)
    outside = tmp_path / "outside.svg"
    outside.write_bytes((folder / "images/logo.svg").read_bytes())
    (folder / "images/logo.svg").unlink()
    (folder / "images/logo.svg").symlink_to(outside)
    run = cli(project, "--clinic", str(folder), "build", "-l", "en")
    assert run.code == 1
    assert "logo 'images/logo.svg' is outside" in run.err
    assert "Traceback" not in run.err


def test_a_template_file_that_links_outside_is_refused(project, cli, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("outside the project")
    (project / "templates/images/extra.svg").symlink_to(secret)
    run = cli(project, "build", "-l", "en")
    assert run.code == 1
    assert ("templates/images/extra.svg: a link to a file outside templates: copy "
            "the file into the folder instead") in run.err
    assert not list((project / "build/pdf").rglob("*.pdf"))


def test_an_oversized_image_is_refused_before_any_worker_gets_it(project, cli):
    big = project / "templates/images/huge.svg"
    with open(big, "wb") as file:
        file.truncate((render.ASSET_LIMIT_MB + 1) * 2**20)
    run = cli(project, "build", "-l", "en")
    assert run.code == 1
    assert "templates/images/huge.svg: 9 MB is more than a leaflet's images" in run.err


# 10. Odd file names -----------------------------------------------------------------

@pytest.mark.parametrize("name", ["locales/nl/LC_MESSAGES/x y.po",
                                  "locales/nl/LC_MESSAGES/a:b.po",
                                  "leaflets/a b.md", "leaflets/Blood_Test.md"])
def test_an_odd_file_name_is_refused_by_name_and_the_rest_prints(project, cli,
                                                                  name):
    source = LEAFLET if name.endswith(".md") else NL_PO
    (project / name).write_bytes((project / source).read_bytes())
    run = cli(project, "build", "--variant", "standard")
    assert run.code == 1
    assert f"{name}: not a leaflet's or catalog's name, so it is left out" in run.err
    assert (project / "build/pdf/en/blood-test.pdf").is_file()
    assert (project / "build/pdf/nl/blood-test.pdf").is_file()
    deps = cli(project, "deps")
    assert deps.code == 0 and " " not in "".join(
        line.split(":", 1)[0] for line in deps.out.splitlines() if ":" in line
        and not line.startswith("LEAFPRESS_"))


# 11. Smaller ---------------------------------------------------------------------

def test_an_import_too_large_for_a_leaflet_writes_nothing(project, cli, tmp_path):
    article = tmp_path / "article.txt"
    paragraph = "Rest your arm for a day after the injection. " * 40
    article.write_text("Knee injection\n\n" + "\n\n".join([paragraph] * 700),
                       encoding="utf-8")
    before = sorted(path.name for path in (project / "leaflets").iterdir())
    run = cli(project, "import", str(article))
    assert run.code == 1
    assert "not written: the imported text is" in run.err
    assert sorted(path.name for path in (project / "leaflets").iterdir()) == before


def test_the_time_limit_is_not_swallowed_by_a_catch_all():
    """WeasyPrint's SVG drawing catches every Exception; the time limit must
    stop it all the same."""
    started = time.monotonic()
    with pytest.raises(render.TooSlow):
        with render.time_limit(1):
            while time.monotonic() - started < 20:
                try:
                    time.sleep(0.05)
                except Exception:  # noqa: S110 - what a drawing loop does
                    pass
    assert time.monotonic() - started < 3


@pytest.mark.parametrize("delay", [0.4, 1.5])
def test_ctrl_c_early_in_a_build_prints_no_traceback(project, delay):
    process = subprocess.Popen(
        [sys.executable, "-m", "leafpress", "-C", str(project), "build"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True)
    time.sleep(delay)
    os.killpg(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=120)
    assert "Traceback" not in err + out, err
    assert process.returncode in (0, 1, 130), (process.returncode, err)
    if process.returncode == 130:
        assert "interrupted" in err


def test_a_clinic_folder_with_another_emergency_number_is_warned_about(project,
                                                                        cli):
    folder = clinic(project)
    with open(folder / "clinic.toml", "a", encoding="utf-8") as settings:
        settings.write('\n[countries.NL]\nemergency-phone = "113"\n'
                       'out-of-hours-phone = "0900 555 0199"\n')
    run = cli(project, "--clinic", str(folder), "build", "-l", "en",
              "--variant", "standard")
    assert ("clinics/other/clinic.toml: [countries.NL] emergency-phone '113' is "
            "not an emergency number of NL (112): every leaflet prints it as the "
            "number to call in an emergency; check it") in run.err, run.err
    lint = cli(project, "--clinic", str(folder), "lint")
    assert "emergency-phone '113' is not an emergency number of NL" in lint.err
    plain = cli(project, "build", "-l", "en", "--variant", "standard")
    assert "is not an emergency number" not in plain.err
