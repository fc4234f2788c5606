"""Verify: each check on a real PDF, passing and failing."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from conftest import make_project
from leafpress.model import ExpectedText
from leafpress.printing import compose, readback, verify
from leafpress.settings.project import load_project
from leafpress.sources.leaflet import read_leaflet


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """The English fixture leaflet printed once: (pdf path, its document)."""
    from leafpress.cli import main

    root = make_project(tmp_path_factory.mktemp("verify"))
    assert main(["-C", str(root), "-q", "build", "-l", "en"]) == 0
    project = load_project(root)
    leaflet = read_leaflet(root / "leaflets/blood-test.md",
                           project.settings.placeholders, root)
    document = compose.compose(leaflet, "en", project,
                               lambda msgid, context=None: msgid, None)
    return root / "build/pdf/en/blood-test.pdf", document


def problems(pdf: Path, document) -> list[str]:
    """What verification says, read the way ``leafpress check`` reads and the
    way a worker reads the PDF it just printed: the same."""
    found = [str(problem) for problem in verify.verify(pdf, "x.pdf", document).problems]
    fast = verify.verify(pdf.read_bytes() if isinstance(pdf, Path) else pdf, "x.pdf",
                         document, fast=True)
    assert [str(problem) for problem in fast.problems] == found
    return found


def test_fold_joins_hyphenation_and_ligatures():
    assert readback.fold("pijnbehande\u2010\nling") == "pijnbehandeling"
    assert readback.fold("e\ufb03cient  office\u00a0hours") == "efficientofficehours"


def test_a_good_pdf_has_no_problems(printed):
    assert problems(*printed) == []


def test_page_limit(printed):
    pdf, document = printed
    too_long = dataclasses.replace(document, max_pages=0)
    assert "x.pdf: 1 pages, 1 over the limit of 0 (max-pages); shorten the text" in (
        problems(pdf, too_long))


def test_page_size(printed):
    pdf, document = printed
    a5 = dataclasses.replace(document, paper=dataclasses.replace(
        document.paper, name="A5", width=148.0, height=210.0))
    assert "x.pdf: page 1: page size 595x842 pt is not A5" in problems(pdf, a5)


def test_title_and_language(printed):
    pdf, document = printed
    other = dataclasses.replace(document, title="Bloed laten prikken", lang="nl")
    found = problems(pdf, other)
    assert ("x.pdf: /Title is 'Having a blood test', expected 'Bloed laten prikken'"
            in found)
    assert "x.pdf: /Lang is 'en', expected 'nl'" in found


def test_missing_and_out_of_order_text(printed):
    pdf, document = printed
    expected = list(document.expected)
    expected.insert(3, ExpectedText("paragraph", "Words that were never printed.",
                                    "leaflets/blood-test.md:99"))
    expected[5], expected[6] = expected[6], expected[5]
    found = problems(pdf, dataclasses.replace(document, expected=tuple(expected)))
    assert any(f.startswith("x.pdf: page 1: paragraph from leaflets/blood-test.md:99 "
                            "is missing") for f in found)
    assert any("out of reading order" in f for f in found)


def test_untranslated_source_text(printed):
    pdf, document = printed
    pretend = tuple(dataclasses.replace(item, text=item.text,
                                        source_text=item.text + " ")
                    if item.kind == "paragraph" else item
                    for item in document.expected)
    found = problems(pdf, dataclasses.replace(document, lang="en", expected=pretend))
    assert any("untranslated source text from leaflets/blood-test.md:" in f
               for f in found)


def test_draft_mark_required_on_every_page_of_a_draft(printed):
    pdf, document = printed
    found = problems(pdf, dataclasses.replace(document, draft=True))
    assert "x.pdf: page 1: draft without the DRAFT mark" in found


def test_header_and_footer_are_not_running_text(printed):
    pdf, document = printed
    read = readback.read_pdf(pdf, "x.pdf", document.paper)
    assert "Page 1 of 1" in read.reader.pages[0].extract_text()
    assert "Page1of1" not in read.folded
    assert "Havingabloodtest" in read.folded


def test_font_not_embedded(tmp_path, printed):
    writer = PdfWriter()
    page = writer.add_blank_page(595.28, 841.89)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"),
                             NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject({
        NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})
    stream = DecodedStreamObject()
    stream.set_data(b"BT /F1 12 Tf 72 400 Td (Hello) Tj ET")
    page[NameObject("/Contents")] = writer._add_object(stream)
    path = tmp_path / "plain.pdf"
    with open(path, "wb") as file:
        writer.write(file)
    _, document = printed
    assert "x.pdf: page 1: font /Helvetica is not embedded" in problems(path, document)


def test_damaged_pdf_is_reported_not_repaired(tmp_path, printed):
    pdf, document = printed
    broken = tmp_path / "broken.pdf"
    data = pdf.read_bytes()
    broken.write_bytes(data[: len(data) // 2])
    found = problems(broken, document)
    assert len(found) == 1 and found[0].startswith("x.pdf: cannot be read back:")
    not_pdf = tmp_path / "not.pdf"
    not_pdf.write_text("hello")
    assert problems(not_pdf, document)[0].startswith("x.pdf: cannot be read back:")


def test_the_fast_reader_agrees_with_pypdf_on_every_printed_pdf(repo_build):
    """pdftext reads text runs straight from the content stream; on every PDF
    the product prints (all languages and variants, read one after another
    in one process, as a worker does) it must give pypdf's text, and the same
    letters for right-to-left pages (which pypdf puts in another order)."""
    from pypdf import PdfReader

    from leafpress.printing import pdftext

    pdfs = sorted((repo_build.root / "build/pdf").rglob("*.pdf"))
    assert len(pdfs) >= 20
    for pdf in pdfs:
        for page in PdfReader(pdf, strict=True).pages:
            fast, slow = pdftext.runs(page), readback.pypdf_runs(page)
            if pdf.parent.name == "ar":  # the same letters, in another order
                assert sorted(readback.fold("".join(run.text for run in fast))) == (
                    sorted(readback.fold("".join(run.text for run in slow)))), pdf
                continue
            assert readback.fold("".join(run.text for run in fast)) == readback.fold(
                "".join(run.text for run in slow)), pdf
            assert [(round(run.y), round(run.size, 1)) for run in fast
                    if run.text.strip()] == [(round(run.y), round(run.size, 1))
                                             for run in slow if run.text.strip()], pdf


def _same(a, b) -> bool:
    """Equal pypdf objects of the same types, all the way down."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    if type(a) is not type(b):
        return False
    if isinstance(a, IndirectObject):
        return (a.idnum, a.generation) == (b.idnum, b.generation)
    if isinstance(a, DictionaryObject):
        return a.keys() == b.keys() and all(
            _same(dict.__getitem__(a, key), dict.__getitem__(b, key)) for key in a)
    if isinstance(a, ArrayObject):
        return len(a) == len(b) and all(
            _same(list.__getitem__(a, index), list.__getitem__(b, index))
            for index in range(len(a)))
    return a == b


def test_reading_the_object_streams_in_one_pass_gives_what_pypdf_reads(printed):
    """Every object WeasyPrint put in an object stream, read in one pass, is
    the object pypdf reads, of the same type: verification sees the same."""
    from leafpress.printing import pdfobjects

    data = printed[0].read_bytes()
    plain, fast = readback.open_pdf(data), readback.open_pdf(data)
    numbers = list(plain.xref_objStm)
    assert len(numbers) > 50  # the structure tree, the fonts, the pages
    assert pdfobjects.preload(fast) == len(numbers)
    assert all(_same(plain.get_object(number), fast.get_object(number))
               for number in numbers)


@pytest.mark.parametrize("text", [
    b"<< /Type /Page /Kids [ 1 0 R 2 0 R ] /Count 2 /Rotate -90 /UserUnit 1.5 >>",
    b"[ (a \\(nested\\) (pair) \\\\ \\n \\101\\102) <48656C6C6F> <FEFF00E9> () <> ]",
    b"<< /A true /B false /C null /D [ ] /E << >> /F .5 /G -.25 /H +3 >>",
    b"(\\351t\\351) [1 2 R/Name(x)<41>]",
    b"<< /Alt (Caf\\303\\251 \\(sp\\) ok) /Lang (nl-NL) >>\n 42",
])
def test_the_one_pass_reader_reads_each_syntax_as_pypdf_does(text):
    import io

    from pypdf.generic import read_object

    from leafpress.printing import pdfobjects

    reader = readback.open_pdf(printed_bytes())
    ours = pdfobjects._values(text, 0, reader)
    stream, theirs = io.BytesIO(text), []
    while True:
        rest = stream.read()
        stream.seek(-len(rest), 1)
        if not rest.strip():
            break
        while stream.read(1) in b" \n\r\t":
            pass
        stream.seek(-1, 1)
        theirs.append(read_object(stream, reader))
    assert len(ours) == len(theirs) and all(map(_same, ours, theirs))


@pytest.mark.parametrize("text", [
    b"/Name#20with#20spaces", b"(line\\\nend)", b"(\\777)", b"(\\7)", b"<< /A >>",
    b"[ 1 2", b"(open", b"stream",
])
def test_what_the_one_pass_reader_does_not_take_is_left_to_pypdf(text):
    from leafpress.printing import pdfobjects

    with pytest.raises(pdfobjects.Unsupported):
        pdfobjects._values(text, 0, None)


def printed_bytes() -> bytes:
    """A small PDF for a reader to hang references on."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(10, 10)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
