"""The one ``.po`` layout, GNU gettext's: ``msgcat`` changes no byte of a
catalog or template leafpress wrote (the committed ones and those ``extract``
and ``update`` write), and ``update`` brings a catalog another tool saved in
its own layout back to it without changing what the catalog says.

``resources/layouts/blood-test.nl.76-columns.po`` is the fixture's Dutch
catalog as leafpress wrote it before it took GNU gettext's layout (76
columns, lines broken before the space)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po

from conftest import REPO, RESOURCES, same_gettext_layout, set_msgstr, tool
from leafpress.translation import layout, pofile

PO = "locales/nl/LC_MESSAGES/blood-test.po"
LEAFLET = "leaflets/blood-test.md"
FIXTURE_PO = RESOURCES / "project" / PO
OLD_LAYOUT = RESOURCES / "layouts" / "blood-test.nl.76-columns.po"


def catalog_files(root: Path) -> list[Path]:
    """Every template and catalog of a project."""
    return sorted([*root.glob("locales/*.pot"),
                   *root.glob("locales/*/LC_MESSAGES/*.po")])


COMMITTED = catalog_files(REPO)

needs_gettext = same_gettext_layout


# Helpers -------------------------------------------------------------------

def msgcat(path: Path) -> bytes:
    """What GNU msgcat writes for the file."""
    result = subprocess.run(["msgcat", str(path)], capture_output=True)
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout


def assert_gettext_layout(path: Path) -> None:
    assert msgcat(path) == path.read_bytes(), f"msgcat rewraps {path}"
    result = tool("msgfmt", "--check", "-o", "/dev/null", str(path))
    assert result.returncode == 0, result.stderr


def content(data: bytes, header: bool = True) -> list[tuple]:
    """What a catalog says: every entry, and (``header``) its header fields."""
    found = pofile.entries(data)
    entries = [(entry.context, entry.msgid, entry.plural, entry.strings,
                entry.obsolete) for entry in found if header or not entry.header]
    return entries + (sorted(pofile.header(found).items()) if header else [])


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def written(catalog: Catalog) -> str:
    return layout.write(catalog).decode("utf-8")


# The committed catalogs and those leafpress writes ---------------------------

@needs_gettext
@pytest.mark.parametrize("path", COMMITTED,
                         ids=lambda path: str(path.relative_to(REPO)))
def test_msgcat_changes_no_byte_of_a_committed_catalog(path):
    assert_gettext_layout(path)


@needs_gettext
def test_the_fixtures_catalogs_are_in_gettexts_layout():
    for path in catalog_files(RESOURCES / "project"):
        assert_gettext_layout(path)


@needs_gettext
def test_msgcat_changes_no_byte_of_what_extract_and_update_write(project, cli):
    """Long paragraphs, a URL, a placeholder, a fuzzy entry with its previous
    msgid, a msgstr with line breaks, Arabic and Chinese text, a new
    language with six plural forms."""
    edit(project / LEAFLET, "Call {clinic_phone} if your arm",
         "Phone {clinic_phone} straight away if your arm")
    edit(project / LEAFLET, "Does it hurt?\n", "Does it hurt? Will it leave a mark on "
         "my arm-or-hand that other people can see for a long time afterwards?\n")
    assert cli(project, "extract").code == 0
    assert cli(project, "init-locale", "ar").code == 0
    assert cli(project, "update").code == 0
    ar = project / "locales/ar/LC_MESSAGES/blood-test.po"
    set_msgstr(ar, "Having a blood test", "إجراء فحص الدم")
    set_msgstr(ar, "You can eat and drink", "يمكنكم الأكل والشرب كالمعتاد. بعض الفحوص "
               "تحتاج إلى **الصيام لمدة 8 ساعات**: سنخبركم بذلك إن كان ضروريًا.")
    set_msgstr(project / PO, "The nurse puts", "De verpleegkundige doet een band om "
               "uw bovenarm.\\nU voelt een korte prik.\\nHet duurt ongeveer 5 minuten.")
    set_msgstr(project / PO, "Does it hurt? Will",
               "检查会痛吗？会不会在我的手臂或手上留下别人很长时间都能看到的痕迹？"
               "大多数人只会感到短暂的刺痛，不会留下痕迹。")
    assert cli(project, "update").code == 0
    text = (project / PO).read_text(encoding="utf-8")
    assert "#, fuzzy, python-brace-format\n#| msgid \"\"\n" in text
    assert 'msgstr ""\n"De verpleegkundige doet een band om uw bovenarm.\\n"\n' in text
    for path in catalog_files(project):
        assert_gettext_layout(path)


# Another tool's layout comes back ---------------------------------------------

def babel_76(path: Path) -> None:
    """Babel's writer at 76 columns (lines broken before the space)."""
    with open(path, "rb") as file:
        catalog = read_po(file)
    with open(path, "wb") as file:
        write_po(file, catalog, width=76)


def gnu(*args: str):
    def run(path: Path) -> None:
        result = tool(*args, "-o", str(path), str(path))
        assert result.returncode == 0, result.stderr
    return run


LAYOUTS = {
    "leafpress 76 columns": lambda path: shutil.copy(OLD_LAYOUT, path),
    "babel write_po 76 columns": babel_76,
    "msgcat --width=60": gnu("msgcat", "--width=60"),
    "msgcat --no-wrap": gnu("msgcat", "--no-wrap"),
    "msgcat --width=200": gnu("msgcat", "--width=200"),
}


@needs_gettext
@pytest.mark.parametrize("name", LAYOUTS)
def test_update_rewrites_another_layout_and_changes_no_content(project, cli, name):
    po = project / PO
    before = po.read_bytes()
    LAYOUTS[name](po)
    assert po.read_bytes() != before, "the layout did not change"
    # Babel's reader drops leafpress's own header fields: the catalog is
    # complete, so update records them again.
    assert content(po.read_bytes(), header=not name.startswith("babel")) == content(
        before, header=not name.startswith("babel")), "only the layout changed"
    run = cli(project, "update")
    assert run.code == 0 and "Traceback" not in run.err, run
    assert po.read_bytes() == before == FIXTURE_PO.read_bytes()
    assert content(po.read_bytes()) == content(OLD_LAYOUT.read_bytes())
    assert_gettext_layout(po)


# The writer, line by line -------------------------------------------------------

def test_the_header_fields_come_in_a_fixed_order_leafpresss_after_gettexts():
    catalog = Catalog(locale="nl", project="x", version="1", fuzzy=False,
                      header_comment="# A comment.\n#")
    fields = pofile.fields(catalog)
    fields["X-Other"] = "yes"
    fields["X-Leafpress-Source-Hash"] = "sha256:0"
    fields["X-Leafpress-Source-Version"] = "1"
    header = written(catalog).split("\n\n")[0].split("\n")
    names = [line[1:].split(":")[0] for line in header if line.startswith('"')]
    assert header[:4] == ["# A comment.", "#", 'msgid ""', 'msgstr ""']
    assert names[-4:] == ["X-Generator", "X-Leafpress-Source-Version",
                          "X-Leafpress-Source-Hash", "X-Other"]
    assert names[:3] == ["Project-Id-Version", "Report-Msgid-Bugs-To",
                         "POT-Creation-Date"]


def test_references_share_lines_of_up_to_79_columns():
    catalog = Catalog(locale="nl", fuzzy=False)
    locations = [(f"leaflets/a-long-leaflet-name-{number}.md", number)
                 for number in range(1, 6)]
    locations += [("./leaflets/x.md", 2), ("leaflets/x.md", 2),
                  ("templates/base", None)]
    catalog.add("Text", "Tekst", locations=locations)
    lines = written(catalog).split("\n\n")[1].split("\n")
    assert lines[:4] == [
        "#: leaflets/a-long-leaflet-name-1.md:1 leaflets/a-long-leaflet-name-2.md:2",
        "#: leaflets/a-long-leaflet-name-3.md:3 leaflets/a-long-leaflet-name-4.md:4",
        "#: leaflets/a-long-leaflet-name-5.md:5 leaflets/x.md:2 templates/base",
        'msgid "Text"']


def test_flags_come_in_gettexts_order_and_unknown_ones_are_left_out():
    catalog = Catalog(locale="nl", fuzzy=False)
    catalog.add("{n}% of {total}", "{n}% van {total}",
                flags=["no-wrap", "python-brace-format", "fuzzy", "leafpress-own",
                       "python-format", "range: 1..9"])
    catalog.add("Plain", "Gewoon", flags=["no-c-format", "impossible-lisp-format",
                                          "wrap"])
    entries = written(catalog).split("\n\n")
    assert entries[1].split("\n")[0] == (
        "#, fuzzy, python-format, python-brace-format, range: 1..9, no-wrap")
    assert entries[2].split("\n")[0] == "#, no-c-format"


def test_fuzzy_is_written_only_on_a_translated_message():
    catalog = Catalog(locale="nl", fuzzy=False)
    for msgid, msgstr in (("Empty", ""), ("Done", "Klaar")):
        message = Message(msgid, msgstr, flags=["fuzzy"])
        message.previous_id = [f"Old {msgid}"]
        catalog[msgid] = message
    entries = written(catalog).split("\n\n")
    assert entries[1] == 'msgid "Empty"\nmsgstr ""'
    assert entries[2] == '#, fuzzy\n#| msgid "Old Done"\nmsgid "Done"\nmsgstr "Klaar"\n'


def test_obsolete_entries_keep_their_translation_and_fuzzy_flag_or_go():
    catalog = Catalog(locale="nl", fuzzy=False)
    catalog.add("Current", "Huidig")
    catalog.obsolete["Gone"] = Message("Gone", "Weg", flags=["fuzzy"],
                                       user_comments=["checked"])
    catalog.obsolete["Never translated"] = Message("Never translated", "")
    assert written(catalog).split("\n\n")[1:] == [
        'msgid "Current"\nmsgstr "Huidig"',
        '# checked\n#, fuzzy\n#~ msgid "Gone"\n#~ msgstr "Weg"\n']


def test_comments_are_one_line_each():
    catalog = Catalog(locale="nl", fuzzy=False)
    catalog.add("Text", "Tekst", user_comments=["  checked by AB  ", ""],
                auto_comments=["Translators: keep it short,\nit is a heading"])
    assert written(catalog).split("\n\n")[1].split("\n")[:4] == [
        "# checked by AB", "#", "#. Translators: keep it short,", "#. it is a heading"]


def test_the_build_names_a_catalog_saved_in_another_layout(project, cli):
    po = project / "locales/nl/LC_MESSAGES/blood-test.po"
    po.write_bytes((RESOURCES / "layouts/blood-test.nl.76-columns.po").read_bytes())
    run = cli(project, "build", "-l", "nl")
    assert run.code == 0, run.err
    assert ("locales/nl/LC_MESSAGES/blood-test.po: layout: saved in another layout "
            "than gettext's (msgcat's); `leafpress update` writes it again, with no "
            "translation changed") in run.err
    assert cli(project, "update").code == 0
    assert "layout:" not in cli(project, "build", "-l", "nl").err
