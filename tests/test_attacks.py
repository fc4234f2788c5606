"""Attacks through untrusted text, each on a real build read back with pypdf.

Translations (and, where it matters, the English sources) try to attach a
local file, reach the network, run script or style, run template code, add
dangerous links, escape the project with a slug or an image path. Then the
build is killed halfway (atomic outputs), and broken sources sit beside good
ones (keep going). Whether a build prints or refuses, the safety facts are
checked on what it leaves behind.
"""

from __future__ import annotations

import os
import random
import re
import signal
import socket
import string
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

from conftest import RESOURCES, po_entry

NL_PO = "locales/nl/LC_MESSAGES/blood-test.po"
LEAFLET = "leaflets/blood-test.md"
#: The message every attack goes into, and its Dutch translation.
MSGID = "Tell the nurse if you:"
DUTCH = "Zeg het tegen de verpleegkundige als u:"
#: The line of MSGID in the English leaflet.
MSGID_LINE = 21


# --- helpers ---------------------------------------------------------------


def set_dutch(root: Path, text: str, msgid: str = MSGID) -> int:
    """Set the Dutch msgstr of ``msgid`` (properly escaped, through leafpress's
    own reader and writer); return the line of its msgstr."""
    from leafpress.translation import pofile
    from leafpress.translation.extract import serialise

    path = root / NL_PO
    catalog = pofile.read(path.read_bytes(), "nl")
    catalog[msgid].string = text
    path.write_bytes(serialise(catalog))
    return po_entry(path, msgid)


def set_english(root: Path, text: str) -> None:
    """Replace the line of MSGID in the English leaflet with ``text``."""
    path = root / LEAFLET
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[MSGID_LINE - 1] == MSGID
    lines[MSGID_LINE - 1] = text
    path.write_text("\n".join(lines), encoding="utf-8")


def squash(text: str) -> str:
    """Text with whitespace and hyphenation dropped, to compare runs of text
    that the layout may have broken over lines."""
    return re.sub(r"[\s\u2010\u00ad]+", "", text)


def text_of(pdf: Path) -> str:
    return " ".join(page.extract_text() for page in PdfReader(pdf, strict=True).pages)


def objects(pdf: Path):
    """Every dictionary and stream reachable from the trailer of ``pdf``
    (resolved, each once)."""
    reader = PdfReader(pdf, strict=True)
    seen: set[int] = set()
    todo = [reader.trailer]
    while todo:
        item = todo.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            yield item
            todo.extend(value for name, value in item.items() if name != "/Parent")
        elif isinstance(item, ArrayObject):
            todo.extend(item)


def streams_data(pdf: Path) -> list[bytes]:
    """The decoded data of every stream in ``pdf``."""
    return [item.get_data() for item in objects(pdf) if isinstance(item, StreamObject)]


ACTIVE_KEYS = {"/JavaScript", "/JS", "/OpenAction", "/Launch", "/EmbeddedFiles",
               "/EmbeddedFile", "/RichMedia", "/SubmitForm", "/ImportData"}


def assert_inert(pdf: Path) -> None:
    """No script, no automatic action, no attached file, no image, and every
    link an ``https``/``http``/``mailto``/``tel`` address."""
    reader = PdfReader(pdf, strict=True)
    names = reader.trailer["/Root"].get("/Names")
    assert names is None or "/EmbeddedFiles" not in names.get_object()
    assert "/OpenAction" not in reader.trailer["/Root"]
    raw = pdf.read_bytes()
    for key in ("/JavaScript", "/JS ", "/JS(", "/JS<", "/OpenAction",
                "/EmbeddedFiles", "/Launch"):
        assert key.encode() not in raw, key
    for item in objects(pdf):
        found = ACTIVE_KEYS & set(item.keys())
        assert not found, f"{pdf.name}: {found} in {item}"
        assert item.get("/Subtype") != "/Image", f"{pdf.name}: an image"
        assert item.get("/Type") != "/Filespec", f"{pdf.name}: a file spec"
        if "/URI" in item:
            uri = str(item["/URI"]).strip().lower()
            assert uri.startswith(("https:", "http:", "mailto:", "tel:")), uri
            assert "javascript" not in uri and "127.0.0.1" not in uri, uri


def link_uris(pdf: Path) -> list[str]:
    """The /URI of every link annotation's /A action."""
    uris = []
    for page in PdfReader(pdf, strict=True).pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            action = annotation.get("/A")
            if action is not None and "/URI" in action.get_object():
                uris.append(str(action.get_object()["/URI"]))
    return uris


def test_the_checker_sees_script_attachments_and_bad_links(tmp_path):
    """``assert_inert`` is not blind: a PDF with each threat fails it."""
    from pypdf import PdfWriter
    from pypdf.annotations import Link
    from pypdf.generic import NameObject, TextStringObject

    def made(change) -> Path:
        writer = PdfWriter()
        writer.add_blank_page(200, 200)
        change(writer)
        path = tmp_path / f"{uuid.uuid4().hex}.pdf"
        with open(path, "wb") as file:
            writer.write(file)
        return path

    assert_inert(made(lambda writer: None))
    for change in (
        lambda writer: writer.root_object.update({
            NameObject("/OpenAction"): DictionaryObject({
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.alert(1);")})}),
        lambda writer: writer.add_attachment("secret.txt", b"secret"),
        lambda writer: writer.add_annotation(0, Link(rect=(0, 0, 50, 50),
                                                     url="javascript:alert(1)")),
        lambda writer: writer.add_annotation(0, Link(rect=(0, 0, 50, 50),
                                                     url="file:///etc/passwd")),
    ):
        with pytest.raises(AssertionError):
            assert_inert(made(change))


def everything_under(folder: Path) -> dict[str, bytes]:
    if not folder.exists():
        return {}
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def pdfs(root: Path) -> list[Path]:
    return sorted((root / "build" / "pdf").rglob("*.pdf"))


def refused_then_drafted(project: Path, cli, line: int) -> Path:
    """The build refuses the HTML in the Dutch msgstr at ``line``; a draft
    (which prints catalogs as they are) prints it, and is returned."""
    run = cli(project, "build", "-l", "nl")
    assert run.code == 1
    assert message_line(run.err, f"{NL_PO}:{line}: ").startswith(
        f"{NL_PO}:{line}: html: the translation adds HTML (")
    assert pdfs(project) == []
    run = cli(project, "build", "-l", "nl", "--draft", "--variant", "standard")
    assert run.code == 0, run.err
    return project / "build/draft/nl/blood-test.pdf"


def message_line(err: str, start: str) -> str:
    """The one line of ``err`` that starts with ``start``."""
    lines = [line for line in err.splitlines() if line.startswith(start)]
    assert lines, f"no line starting {start!r} in:\n{err}"
    return lines[0]


class Listener:
    """A TCP server on 127.0.0.1 that counts the connections it accepts."""

    def __init__(self):
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(8)
        self.socket.settimeout(0.1)
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        deadline = time.monotonic() + 120  # bounded, whatever happens
        while not self._stop.is_set() and time.monotonic() < deadline:
            try:
                connection, _ = self.socket.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            connection.close()

    def __enter__(self) -> Listener:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(5)
        self.socket.close()


@pytest.fixture
def listener():
    with Listener() as server:
        yield server


# --- 1. a translation attaches a local file --------------------------------


@pytest.fixture
def digitless(tmp_path):
    """``tmp_path`` by a name without digits (the number check would refuse
    a translation that adds the digits of a pytest folder)."""
    name = "".join(random.choices(string.ascii_lowercase, k=16))
    link = Path("/tmp") / f"leafpress-attack-{name}"
    link.symlink_to(tmp_path, target_is_directory=True)
    yield link
    link.unlink()


def test_a_translation_cannot_attach_a_local_file(project, cli, tmp_path,
                                                  digitless):
    marker = f"SECRET-{uuid.uuid4().hex}"
    (tmp_path / "secret.txt").write_text(f"{marker}\n", encoding="utf-8")
    secret = digitless / "secret.txt"
    assert secret.read_text(encoding="utf-8") == f"{marker}\n"
    attack = f'<link rel=attachment href="{secret.as_uri()}">'
    line = set_dutch(project, f"{DUTCH} {attack}")

    pdf = refused_then_drafted(project, cli, line)
    assert_inert(pdf)
    text = squash(text_of(pdf))
    assert squash(DUTCH) in text
    assert squash(attack) in text  # shown as text, never followed
    for name, data in everything_under(project / "build").items():
        assert marker.encode() not in data, name
    assert not any(marker.encode() in data for data in streams_data(pdf))


# --- 2. a translation reaches for the network ------------------------------


def test_a_translation_img_tag_never_reaches_the_network(project, cli, listener):
    url = f"http://127.0.0.1:{listener.port}/x"
    line = set_dutch(project, f'{DUTCH} <img src="{url}">')

    run = cli(project, "build", "-l", "nl")

    time.sleep(0.2)
    assert listener.connections == 0
    # The checks refuse the new URL before anything is printed.
    assert run.code == 1
    assert (f"{NL_PO}:{line}: contacts: the translation adds {url} (URLs must match "
            "the source)") in run.err.splitlines()
    assert f"{NL_PO}:{line}: html: the translation adds HTML (<img>)" in run.err
    assert pdfs(project) == []


def test_a_translation_markdown_image_never_reaches_the_network(project, cli,
                                                                 listener):
    url = f"http://127.0.0.1:{listener.port}/y"
    line = set_dutch(project, f"{DUTCH} ![x]({url})")

    run = cli(project, "build", "-l", "nl")

    time.sleep(0.2)
    assert listener.connections == 0
    assert run.code == 1
    assert f"{NL_PO}:{line}: markup: the translation adds image" in run.err
    assert f"{NL_PO}:{line}: links: the translation adds {url}" in run.err
    assert pdfs(project) == []


def test_an_english_image_on_the_network_is_refused_by_the_sandbox(project, cli,
                                                                   listener):
    """Past every check (an image in the source is allowed): the renderer's
    fetcher is what refuses it."""
    url = f"http://127.0.0.1:{listener.port}/z"
    set_english(project, f"{MSGID} ![a photo]({url})")

    run = cli(project, "build", "-l", "en")

    time.sleep(0.2)
    assert listener.connections == 0
    assert run.code == 1
    assert (f"build/html/en/blood-test.html: refused to fetch {url}"
            in run.err.splitlines())
    assert pdfs(project) == []
    rejected = project / "build/rejected/en/blood-test.pdf"
    if rejected.exists():
        assert_inert(rejected)


# --- 3. style and script in a translation ----------------------------------


@pytest.mark.parametrize("attack", [
    "<style>body{display:none}</style><script>alert(document.title)</script>",
])
def test_style_and_script_in_a_translation_are_only_text(project, cli, attack):
    line = set_dutch(project, f"{DUTCH} {attack}")

    # Refused by the catalog check, and printed only as text in a draft.
    pdf = refused_then_drafted(project, cli, line)
    assert_inert(pdf)
    text = squash(text_of(pdf))
    assert squash(DUTCH) in text  # the style was not applied
    assert squash("Tijdens de test") in text
    assert squash(attack) in text  # literally, as text
    html = (project / "build/html/nl/blood-test.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "<style>body{display:none}" not in html


def test_script_with_a_number_in_a_translation_is_refused_with_its_line(project,
                                                                        cli):
    line = set_dutch(project, f"{DUTCH} <script>alert(1)</script>")

    run = cli(project, "build", "-l", "nl")

    assert run.code == 1
    assert (f"{NL_PO}:{line}: numbers: the translation adds 1 (numbers and units "
            "must match the source)") in run.err.splitlines()
    assert f"{NL_PO}:{line}: html: the translation adds HTML (" in run.err
    assert pdfs(project) == []


# --- 4. template code in a translation and in the source -------------------


def test_template_arithmetic_in_a_translation_is_refused_with_its_line(project,
                                                                       cli):
    """``{{ 7*7 }}`` adds two numbers: the number check refuses it."""
    line = set_dutch(project, f"{DUTCH} {{{{ 7*7 }}}}")

    run = cli(project, "build", "-l", "nl")

    assert run.code == 1
    assert message_line(run.err, f"{NL_PO}:{line}: ") == (
        f"{NL_PO}:{line}: numbers: the translation adds 7, 7 (numbers and units "
        "must match the source)")
    assert pdfs(project) == []
    html = project / "build/html/nl/blood-test.html"
    assert not html.exists() or "49" not in html.read_text(encoding="utf-8")


@pytest.mark.parametrize("attack", [
    '{% include "leaflet.html" %}',
    "{{ cycler.next() }} {{ self }}",
    "{{ settings.organisation }}",
])
def test_template_code_in_a_translation_is_printed_literally(project, cli, attack):
    set_dutch(project, f"{DUTCH} {attack}")

    run = cli(project, "build", "-l", "nl")

    assert run.code == 0, run.err
    pdf = project / "build/pdf/nl/blood-test.pdf"
    assert_inert(pdf)
    text = text_of(pdf)
    assert squash(f"{DUTCH} {attack}") in squash(text)
    assert len(PdfReader(pdf).pages) == 1  # the template was not included again


def test_template_code_in_the_english_source_is_printed_literally(project, cli):
    attack = '{{ 7*7 }} {% include "leaflet.html" %}'
    set_english(project, f"{MSGID} {attack}")

    run = cli(project, "build", "-l", "en")

    assert run.code == 0, run.err
    pdf = project / "build/pdf/en/blood-test.pdf"
    assert_inert(pdf)
    text = text_of(pdf)
    assert squash(f"{MSGID} {attack}") in squash(text)
    assert "49" not in text
    assert len(PdfReader(pdf).pages) == 1


# --- 5. javascript: links ---------------------------------------------------


def test_a_javascript_link_in_a_translation_is_no_link(project, cli):
    set_dutch(project, f"{DUTCH} [x](javascript:alert(1))")

    run = cli(project, "build", "-l", "nl")

    assert run.code == 0, run.err
    pdf = project / "build/pdf/nl/blood-test.pdf"
    assert_inert(pdf)
    uris = link_uris(pdf)
    assert uris  # the Thuisarts link is still a link
    assert not any("javascript" in uri.lower() for uri in uris), uris
    assert squash(DUTCH) in squash(text_of(pdf))


def test_a_javascript_link_in_the_english_source_is_refused_by_ingest(project,
                                                                      cli):
    set_english(project, f"{MSGID} [x](javascript:alert(1))")

    run = cli(project, "build")

    assert run.code == 1
    assert (f"{LEAFLET}:{MSGID_LINE}: link target 'javascript:alert(1)' is not "
            "allowed") in run.err
    assert message_line(run.err, f"{LEAFLET}:{MSGID_LINE}: ").startswith(
        f"{LEAFLET}:{MSGID_LINE}: link target 'javascript:alert(1)' is not allowed")
    assert pdfs(project) == []


# --- 6. a slug that climbs out of the project ------------------------------


def outside(tmp_path: Path, project: Path) -> set[str]:
    """Every file under ``tmp_path`` that is not in the project."""
    return {path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("*")
            if path.is_file() and not path.is_relative_to(project)}


def test_a_slug_argument_that_climbs_out_is_a_usage_error(project, cli, tmp_path):
    before = outside(tmp_path, project)

    run = cli(project, "build", "../../x")

    assert run.code == 2
    assert "no leaflet '../../x' in leaflets/" in run.err
    assert outside(tmp_path, project) == before
    assert not list(tmp_path.rglob("x*"))
    assert pdfs(project) == []


def test_a_front_matter_slug_that_climbs_out_is_refused_with_its_line(project,
                                                                      cli,
                                                                      tmp_path):
    path = project / LEAFLET
    path.write_text(path.read_text(encoding="utf-8").replace(
        "slug: blood-test", "slug: ../../x"), encoding="utf-8")
    before = outside(tmp_path, project)

    run = cli(project, "build")

    assert run.code == 1
    assert message_line(run.err, f"{LEAFLET}:2: ").startswith(
        f"{LEAFLET}:2: slug must be lower-case words joined by hyphens")
    assert "'../../x'" in run.err
    assert "Traceback" not in run.err
    assert outside(tmp_path, project) == before
    assert not list(tmp_path.rglob("x*"))
    assert pdfs(project) == []


# --- 7. file: and data: links in a translation -----------------------------


def test_file_and_data_links_in_a_translation_are_no_links(project, cli):
    links = ("[x](file:///etc/passwd) [y](data:text/html,hi) "
             "[z](FILE:///etc/passwd) [w](Data:text/html,hi)")
    set_dutch(project, f"{DUTCH} {links}")

    run = cli(project, "build", "-l", "nl")

    assert run.code == 0, run.err
    pdf = project / "build/pdf/nl/blood-test.pdf"
    assert_inert(pdf)
    uris = link_uris(pdf)
    assert uris == ["https://www.thuisarts.nl"]
    assert squash(DUTCH) in squash(text_of(pdf))


# --- 8. image paths that escape templates/ ---------------------------------


@pytest.mark.parametrize("image", ["../leafpress.toml", "../../etc/passwd"])
def test_an_image_path_escaping_the_templates_is_refused(project, cli, tmp_path,
                                                         image):
    marker = f"ESCAPED-{uuid.uuid4().hex}"
    with open(project / "leafpress.toml", "a", encoding="utf-8") as settings:
        settings.write(f"# {marker}\n")
    escaped = (project / "templates" / image).resolve()
    if not escaped.exists():  # make the escape reach a real file
        escaped.parent.mkdir(parents=True, exist_ok=True)
        escaped.write_text(f"{marker}\n", encoding="utf-8")
    set_english(project, f"{MSGID} ![x]({image})")

    run = cli(project, "build", "-l", "en")

    assert run.code == 1
    assert (f"build/html/en/blood-test.html: refused to fetch {escaped.as_uri()}"
            in run.err.splitlines())
    assert pdfs(project) == []
    for name, data in everything_under(project / "build").items():
        assert marker.encode() not in data, name
    rejected = project / "build/rejected/en/blood-test.pdf"
    if rejected.exists():
        assert_inert(rejected)
        assert not any(marker.encode() in data for data in streams_data(rejected))


def test_an_img_tag_escaping_the_templates_in_a_translation_is_only_text(project,
                                                                         cli):
    marker = f"ESCAPED-{uuid.uuid4().hex}"
    with open(project / "leafpress.toml", "a", encoding="utf-8") as settings:
        settings.write(f"# {marker}\n")
    attack = '<img src="../leafpress.toml">'
    line = set_dutch(project, f"{DUTCH} {attack}")

    pdf = refused_then_drafted(project, cli, line)
    assert_inert(pdf)
    assert squash(attack) in squash(text_of(pdf))
    for name, data in everything_under(project / "build").items():
        assert marker.encode() not in data, name
    assert not any(marker.encode() in data for data in streams_data(pdf))


def test_a_markdown_image_escaping_the_templates_in_a_translation_is_refused(
        project, cli):
    line = set_dutch(project, f"{DUTCH} ![x](../../etc/passwd)")

    run = cli(project, "build", "-l", "nl")

    assert run.code == 1
    assert f"{NL_PO}:{line}: markup: the translation adds image" in run.err
    assert f"{NL_PO}:{line}: links: the translation adds ../../etc/passwd" in run.err
    assert pdfs(project) == []


# --- 9. a build killed halfway ----------------------------------------------


def all_variants(root: Path) -> Path:
    settings = root / "leafpress.toml"
    text = settings.read_text(encoding="utf-8")
    assert 'variants = ["standard"]' in text
    settings.write_text(text.replace('variants = ["standard"]',
                                     'variants = ["standard", "large", "booklet"]'),
                        encoding="utf-8")
    return root


def opens_strictly(pdf: Path) -> bool:
    data = pdf.read_bytes()
    try:
        reader = PdfReader(pdf, strict=True)
        return (data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
                and len(reader.pages) >= 1)
    except Exception:
        return False


def test_a_killed_build_leaves_old_or_complete_pdfs_and_the_next_cleans_up(
        project, cli):
    root = all_variants(project)
    run = cli(root, "build")
    assert run.code == 0, run.err
    old = {pdf.relative_to(root).as_posix(): pdf.read_bytes() for pdf in pdfs(root)}
    assert len(old) == 8  # 2 languages x (clear, large, A5, booklet)
    set_dutch(root, "Vertel de verpleegkundige als u:")

    for delay in (0.3, 0.8, 1.2, 1.35, 1.5, 1.65):
        process = subprocess.Popen(
            [sys.executable, "-m", "leafpress", "-C", str(root), "build"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)
        time.sleep(delay)
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:  # it finished first
            pass
        process.wait(10)
        left = sorted((root / "build" / "pdf").rglob("*"))
        for path in left:
            if path.is_dir():
                continue
            name = path.relative_to(root).as_posix()
            if path.name.startswith(".leafpress-"):
                assert not path.name.endswith(".pdf"), name  # litter, never a PDF
                continue
            assert path.suffix == ".pdf", name
            assert path.read_bytes() == old.get(name) or opens_strictly(path), (
                f"after a kill at {delay} s: {name} is neither the old PDF nor a "
                "complete new one")
        assert {path.relative_to(root).as_posix() for path in pdfs(root)} == set(old)

    # Litter as a killed build leaves it: the next build must remove it.
    for folder in ("build/pdf/nl", "build/html/nl", "build"):
        (root / folder / ".leafpress-planted.pdf.tmp").write_bytes(b"%PDF-1.7 half")
    run = cli(root, "build")
    assert run.code == 0, run.err
    assert not [path for path in (root / "build").rglob(".leafpress-*")]
    assert {path.relative_to(root).as_posix() for path in pdfs(root)} == set(old)
    for pdf in pdfs(root):
        assert opens_strictly(pdf), pdf
    assert "Vertel de verpleegkundige" in text_of(root / "build/pdf/nl/blood-test.pdf")
    assert cli(root, "check").code == 0


# --- 10. broken sources beside good ones -------------------------------------


def test_a_broken_leaflet_and_catalog_do_not_stop_the_good_ones(project, cli):
    # a second good leaflet, with its Dutch catalog
    source = (project / LEAFLET).read_text(encoding="utf-8")
    (project / "leaflets/second.md").write_text(
        source.replace("slug: blood-test", "slug: second"), encoding="utf-8")
    (project / "locales/nl/LC_MESSAGES/second.po").write_bytes(
        (project / NL_PO).read_bytes())
    # a leaflet whose YAML does not parse, a Dutch catalog with a syntax error
    broken = RESOURCES / "broken"
    (project / "leaflets/bad-front-matter.md").write_bytes(
        (broken / "leaflets/bad-front-matter.md").read_bytes())
    (project / NL_PO).write_bytes((broken / NL_PO).read_bytes())

    run = cli(project, "build")

    assert run.code == 1
    assert "Traceback" not in run.err
    printed = {pdf.relative_to(project / "build/pdf").as_posix()
               for pdf in pdfs(project)}
    assert printed == {"en/blood-test.pdf", "en/second.pdf", "nl/second.pdf"}
    for pdf in pdfs(project):
        assert opens_strictly(pdf)
    assert re.search(r"^leaflets/bad-front-matter\.md:\d+: ", run.err, re.M), run.err
    assert f"{NL_PO}:31: broken catalog: " in run.err
    assert re.search(r"^3 printed, 3 not printed \(files\) in [\d.]+ s$",
                     run.err, re.M), run.err
    assert re.search(r"^  bad-front-matter \(en, nl; 2 files\): ", run.err, re.M)
    assert re.search(r"^  nl/blood-test \(1 file\): broken catalog at "
                     rf"{NL_PO}:31$", run.err, re.M), run.err
