"""leafpress import: WordPress posts, saved pages and plain text to drafts.

Every draft must parse as leaflet Markdown with nothing but text in it (no raw
HTML, code blocks or level-1 headings, no skipped heading level), and keep the
structure of its source: headings, nested list items, table cells, questions
and answers. The real samples under ``/work/shared/seeds`` are compared with
what an independent reading of them expects.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

import conftest
from conftest import SEEDS
from leafpress.errors import ContentError
from leafpress.sources.blocks import ImportProblem
from leafpress.sources.importer import detect, import_source
from leafpress.sources.leaflet import read_leaflet
from leafpress.sources.writer import FAQ_SECTION, Imported, estimated_pages
from leafpress.text import markup

RESOURCES = conftest.RESOURCES / "import"
TODO_FIELDS = ("published", "review-by", "organisation", "authors",
               "clinical-reviewer", "sources")


@dataclass
class Body:
    """What a reader finds in a draft's body."""

    headings: list[tuple[int, str]] = field(default_factory=list)
    items: list[tuple[int, str]] = field(default_factory=list)  # (depth, text)
    cells: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)  # plain -> Markdown
    text: str = ""  # all plain text, one block per line


def split(text: str) -> tuple[dict, str]:
    assert text.startswith("---\n") and text.endswith("\n")
    front, body = text[4:].split("\n---\n", 1)
    return yaml.safe_load(front), body


def read_body(body: str) -> Body:
    """Parse ``body`` as leaflet Markdown and check that it is only text."""
    tokens = markup.parser(report=True).parse(body)
    found = Body()
    depth = 0
    depths: dict[int, int] = {}
    previous = 1
    for token in tokens:
        assert token.type not in ("html_block", "fence", "code_block"), token
        if token.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif token.type == "heading_open":
            level = int(token.tag[1])
            assert 2 <= level <= previous + 1, f"h{level} after h{previous}"
            previous = level
        elif token.type == "inline":
            depths[id(token)] = depth
            for child in token.children or []:
                assert child.type not in ("html_inline", "image", "em_open",
                                          "code_inline"), child
                if child.type == "link_open":
                    href = str(child.attrs["href"])
                    assert href.startswith(markup.ALLOWED_LINK_SCHEMES), href
                    found.links.append(href)
    lines = []
    for site, _text in markup.translatable(tokens):
        plain = re.sub(r"[ \t\n]+", " ",
                       markup.plain_text(site.token.children or [])).strip()
        found.sources[plain] = site.token.content
        lines.append(plain)
        if site.kind == "heading":
            found.headings.append((site.level or 0, plain))
        elif site.kind == "list item":
            found.items.append((depths[id(site.token)], plain))
        elif site.kind == "table cell":
            found.cells.append(plain)
        elif site.kind == "question":
            found.questions.append(plain)
        elif site.kind == "answer":
            found.answers.append(plain)
        else:
            found.paragraphs.append(plain)
    found.text = "\n".join(lines)
    # Nothing is left unparsed (markdown-it stops at its nesting limit).
    covered = max((token.map[1] for token in tokens if token.map and not token.level),
                  default=0)
    assert covered >= len(body.rstrip("\n").split("\n")) or not body.strip()
    return found


def check_draft(imported: Imported, tmp_path: Path, fmt: str) -> tuple[dict, Body]:
    """The front matter, the body, and the whole file read as a draft."""
    assert isinstance(imported, Imported)
    assert imported.text.endswith("\n") and not imported.text.endswith("\n\n\n")
    front, body = split(imported.text)
    assert front["slug"] == imported.slug
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", imported.slug)
    assert isinstance(front["title"], str) and front["title"].strip()
    assert front["status"] == "draft"
    assert front["version"] == "0.1.0"
    for key in TODO_FIELDS:
        assert front[key] in ("TODO", ["TODO"]), key
    assert front["paper"] == "A4"
    assert front["max-pages"] == estimated_pages(body) >= 2
    assert front["imported-from"]["format"] == fmt
    assert isinstance(front["imported-from"]["source"], str)
    assert "{" not in imported.text and "}" not in imported.text
    assert all(isinstance(note, str) and "\n" not in note for note in imported.notes)
    assert any("fill in the front matter" in note for note in imported.notes)
    found = read_body(body)
    path = tmp_path / "leaflets" / f"{imported.slug}.md"
    path.parent.mkdir(exist_ok=True)
    path.write_text(imported.text, encoding="utf-8")
    leaflet = read_leaflet(path, placeholders=None)
    assert leaflet.meta.draft
    assert set(TODO_FIELDS) <= set(leaflet.meta.todo)
    return front, found


def load(name: str, fmt: str | None = None) -> Imported:
    return import_source((RESOURCES / name).read_bytes(), name, fmt)


def has_note(imported: Imported, *words: str) -> bool:
    return any(all(word in note for word in words) for note in imported.notes)


# -- detection ---------------------------------------------------------------


@pytest.mark.parametrize(("name", "fmt"), [
    ("rank-math.json", "wordpress"), ("yoast-nl.json", "wordpress"),
    ("empty.json", "wordpress"), ("broken.json", "wordpress"),
    ("clinic-page.html", "html"), ("article.txt", "text"),
])
def test_detect_fixtures(name, fmt):
    assert detect((RESOURCES / name).read_bytes(), name) == fmt


def test_detect_by_shape_not_name():
    assert detect(b'\xef\xbb\xbf  {"content": {}}', "post.txt") == "wordpress"
    assert detect(b'[{"content": {"rendered": ""}}]', "posts") == "wordpress"
    assert detect(b"[Draft] Knee pain\n\nText.", "knee.txt") == "text"
    assert detect(b"\n  <div><p>Hi</p></div>", "snippet") == "html"
    assert detect(b"Title\n\nSome <b>bold</b> words.", "x.txt") == "text"
    assert detect(b"Title", "page.htm") == "html"


# -- the fixtures --------------------------------------------------------------


def test_saved_page(tmp_path):
    imported = load("clinic-page.html")
    front, body = check_draft(imported, tmp_path, "html")
    assert front["title"] == "Knee injections"
    assert front["summary"] == ("What happens when you have a steroid injection in "
                                "your knee. How to prepare, and what to do "
                                "afterwards.")
    assert front["imported-from"] == {
        "source": "clinic-page.html", "format": "html",
        "link": "https://clinic.example/patients/knee-injections/",
        "published": "2025-05-02", "modified": "2025-06-10"}
    # The <h1> is the title; the <h4> right under an <h2> becomes ###.
    assert body.headings == [
        (2, "Before the injection"), (3, "What to bring"), (2, "The injection"),
        (2, "After the injection"), (2, "Frequently asked questions"),
        (2, "Contact")]
    assert body.items == [
        (1, "Your medicines and your allergy card"), (2, "Blood thinners"),
        (3, "warfarin"), (3, "apixaban (Eliquis)"), (2, "Painkillers"),
        (1, "A friend to take you home")]
    # <br> in an item is a hard break, never lost.
    assert body.sources["apixaban (Eliquis)"] == "apixaban\\\n(Eliquis)"
    assert body.sources["Your medicines and your allergy card"] == (
        "Your medicines\\\nand your **allergy card**")
    assert body.cells == ["When", "What you do", "Day 1", "Rest | keep the knee up",
                          "Day 2 and 3", "Walk gently"]
    assert body.sources["Walk gently"] == "Walk **gently**"
    assert body.questions == ["Will it hurt?", "Can I drive home?"]
    assert body.answers == ["You feel a short prick. The pain fades quickly.",
                            "No. Ask someone to take you home."]
    assert body.links == ["tel:+31301234567", "mailto:knee@clinic.example",
                          "https://clinic.example/patients/aftercare/",
                          "https://clinic.example/contact/"]
    assert "Print this page to take it with you." in body.paragraphs
    assert ("Bring your (appointment_card) and *all* your medicines. Read our "
            "aftercare leaflet too.") in body.paragraphs
    assert ("The doctor uses 1 ml of medicine. Don’t drive for 24\xa0hours… If your "
            "temperature is < 38 °C you can go home.") in body.paragraphs
    assert ("A steroid injection can ease the pain in your knee for weeks & "
            "sometimes months.") in body.paragraphs
    assert "Unclosed bold and both italic text, then stray end tags." in body.text
    assert ("TODO image: knee-injection.jpg (alt: \"A nurse gives a knee "
            "injection\"; caption: \"The injection takes about a minute.\")"
            ) in body.paragraphs
    for gone in ("dataLayer", "document.write", "tracking", "youtube", "Related",
                 "Hip injections", "Lindenhof", "Send", "Your e-mail", "icon",
                 "color", "Home"):
        assert gone not in body.text, gone
    for words in (("dropped 1 <script> element",), ("dropped 1 <style> element",),
                  ("dropped 1 <iframe> element",), ("dropped 1 <form> element",),
                  ("dropped 1 <svg> element",), ("dropped 1 <aside> element",),
                  ("dropped 1 <noscript> element",), ("dropped 1 tracking pixel",),
                  ("javascript:", "Print this page"),
                  ("image knee-injection.jpg needs a licence check",
                   "A nurse gives a knee injection"),
                  ("{appointment_card}",), ("renumbered 1 heading", "h4 → ###"),
                  ("dropped the <h1>",), ("question headings",)):
        assert has_note(imported, *words), words


def test_rank_math_post(tmp_path):
    imported = load("rank-math.json")
    front, body = check_draft(imported, tmp_path, "wordpress")
    assert imported.slug == "shoulder-injection"
    assert front["title"] == "Steroid injection in the shoulder – what to expect"
    # No excerpt: the Rank Math description, trimmed to two sentences.
    assert front["summary"] == ("How a steroid injection in your shoulder works. "
                                "What to do before and after it.")
    assert front["imported-from"] == {
        "source": "rank-math.json", "format": "wordpress",
        "link": "https://clinic.example/en/shoulder-injection/",
        "published": "2025-03-04", "modified": "2025-04-05"}
    assert body.headings == [(2, "How it works"), (3, "What you need"),
                             (3, "Costs"), (2, FAQ_SECTION)]
    assert body.items == [
        (1, "A list of your medicines with the doses"), (2, "Blood thinners"),
        (3, "warfarin"), (3, "apixaban (Eliquis)"), (2, "Insulin"),
        (1, "Loose clothes")]
    assert body.cells == ["Treatment", "Price | insured", "Injection", "€ 80 | yes",
                          "Ultrasound guidance", "€ 40 | no"]
    assert body.questions == ["Does the injection hurt?", "When does it work?"]
    assert body.answers == [
        "It stings for a moment. The pain fades within a minute.",
        "After a few days. Sometimes after two weeks."]
    answer = "It stings for a moment. The pain fades within a minute."
    assert body.sources[answer] == (
        "It stings for a moment.\\\nThe pain fades **within a minute**.")
    assert body.links == [
        "https://clinic.example/en/contact/",
        "https://clinic.example/en/shoulder-injection/leaflets/aftercare.pdf"]
    paragraph = ("The medicine calms the inflammation. Bring your (insurance_card). "
                 "Do *not* eat 2 hours before: it's [optional] & fine.")
    assert paragraph in body.paragraphs
    assert body.sources[paragraph].startswith("The medicine **calms** the")
    assert "TODO image: shoulder.webp (alt: \"Where the needle goes\")" in body.text
    for gone in ("_paq", "margin", "youtube", "Send", "wp:", "pixel"):
        assert gone not in imported.text, gone
    for words in (("removed 6 WordPress block comments",),
                  ("dropped 1 <script> element",), ("dropped 1 <style> element",),
                  ("dropped 1 <iframe> element",), ("dropped 1 <form> element",),
                  ("dropped 1 tracking pixel",), ("javascript:", "guidance"),
                  ("Rank Math", "2 questions"), ("image shoulder.webp",),
                  ("rank_math_description",), ("{insurance_card}",),
                  ("added the section heading",)):
        assert has_note(imported, *words), words


def test_dutch_yoast_post(tmp_path):
    imported = load("yoast-nl.json")
    front, body = check_draft(imported, tmp_path, "wordpress")
    assert front["title"] == "Injectie in de knie: wat u moet weten"
    assert front["summary"] == ("Alles over de injectie in uw knie. Wat u vooraf "
                                "moet doen en wat u daarna kunt verwachten.")
    # A section heading that is a question stays a heading; under the FAQ
    # heading, the Yoast block and a plain question heading become questions.
    assert body.headings == [(2, "Wat is een injectie?"), (2, "Na de behandeling"),
                             (2, "Veelgestelde vragen"), (2, "Contact")]
    assert body.questions == ["Mag ik daarna autorijden?", "Doet het pijn?",
                              "Hoe lang werkt de injectie?"]
    assert body.answers == [
        "Nee, laat u ophalen.",
        "U voelt een korte prik. Daarna kan de knie een dag gevoelig zijn.",
        "Meestal enkele weken tot maanden."]
    assert body.cells == ["Dag", "Wat", "1", "Rust – geen sport", "2 tot 7",
                          "Rustig opbouwen"]
    assert body.items == [(1, "Koel de knie met ijs."),
                          (1, "Neem zo nodig paracetamol.")]
    assert ("Een injectie met ‘corticosteroïden’ remt de ontsteking… U krijgt de "
            "prik van de orthopeed.") in body.paragraphs
    assert body.links == ["tel:0301234567", "mailto:knie@kliniek.example"]
    assert FAQ_SECTION not in imported.text
    assert has_note(imported, "Yoast", "2 questions")
    assert has_note(imported, "language 'nl'")


def test_empty_post(tmp_path):
    imported = load("empty.json")
    front, body = check_draft(imported, tmp_path, "wordpress")
    assert has_note(imported, "the post has no content")
    assert has_note(imported, "no title")
    assert body.headings == [] and body.items == []
    assert body.paragraphs == ["TODO: the source had no text; write the leaflet "
                               "here."]
    assert front["imported-from"]["published"] == "2025-02-01"


def test_plain_text_article(tmp_path):
    imported = load("article.txt")
    front, body = check_draft(imported, tmp_path, "text")
    assert front["title"] == "Physiotherapy after a knee replacement"
    assert "summary" not in front
    assert body.headings == [(2, "What to bring"), (2, "Exercises at home"),
                             (2, FAQ_SECTION)]
    assert body.items == [
        (1, "Comfortable clothes"), (1, "Your walking aids"), (2, "crutches"),
        (2, "a frame, if you have one"), (3, "with wheels"),
        (1, "Your (exercise_sheet) and *this* leaflet"),
        (1, "Knee bends: sit on a chair and bend your knee as far as you can. "
            "Hold for 5 seconds."),
        (1, "Straight leg raises: lie on your back and lift your leg.")]
    assert body.questions == ["How long will it take?", "Can I shower?"]
    assert body.answers == ["Most people walk without crutches after 6 weeks.",
                            "Yes, once the wound is dry. Keep the plaster on."]
    assert body.paragraphs == [
        "You will start exercising on the day after your operation. This leaflet "
        "explains what to expect.",
        "Call us on 030 123 4567 if your knee is hot, red or swollen."]
    assert has_note(imported, "{exercise_sheet}")


# -- errors ------------------------------------------------------------------


def test_json_that_does_not_parse():
    with pytest.raises(ImportProblem) as caught:
        load("broken.json")
    assert isinstance(caught.value, ContentError)
    (problem,) = caught.value.problems
    assert (problem.path, problem.line) == ("broken.json", 3)
    assert str(problem).startswith("broken.json:3: not valid JSON")


@pytest.mark.parametrize(("data", "missing"), [
    ((RESOURCES / "not-a-post.json").read_bytes(), "no content"),
    (b'{"content": {"protected": true}}', "content.rendered"),
    (b'[1, 2]', "not a WordPress post"),
    (b'"just a string"', "not a WordPress post"),
    (b"[" * 100_000, "not valid JSON"),
    (b"{" + b"1" * 10_000, "not valid JSON"),
])
def test_json_that_is_not_a_post(data, missing):
    with pytest.raises(ImportProblem) as caught:
        import_source(data, "post.json")
    assert missing in str(caught.value)
    assert caught.value.problems[0].path == "post.json"


def test_bytes_that_are_not_utf8():
    data = "Title\n\nA line\nCaf\u00e9 ".encode() + b"\xff\xfe and more\n"
    for fmt in ("text", "html", "wordpress"):
        with pytest.raises(ImportProblem) as caught:
            import_source(data, "old.txt", fmt)
        (problem,) = caught.value.problems
        assert problem.line == 4 and "not valid UTF-8: byte 0xff" in problem.message


def test_unknown_format():
    with pytest.raises(ImportProblem, match="unknown format 'pdf'"):
        import_source(b"x", "x.pdf", "pdf")


def test_list_of_posts_takes_the_first(tmp_path):
    posts = [{"title": {"rendered": "First"}, "content": {"rendered": "<p>One.</p>"}},
             {"title": {"rendered": "Second"}, "content": {"rendered": "<p>2</p>"}}]
    imported = import_source(json.dumps(posts).encode(), "posts.json")
    front, body = check_draft(imported, tmp_path, "wordpress")
    assert front["title"] == "First" and body.paragraphs == ["One."]
    assert has_note(imported, "2 posts")


def test_format_override(tmp_path):
    imported = import_source(b"<p>Hello <b>there</b></p>\n\nSecond line.", "x.html",
                             "text")
    front, body = check_draft(imported, tmp_path, "text")
    title = markup.plain_text(markup.parse_inline(front["title"]))
    assert title == "<p>Hello <b>there</b></p>"
    assert body.paragraphs == ["Second line."]


# -- HTML details --------------------------------------------------------------


def post(html: str, title: str = "A post", **fields) -> bytes:
    return json.dumps({"title": {"rendered": title}, "content": {"rendered": html},
                       **fields}).encode()


def test_heading_levels_are_normalised(tmp_path):
    html = ("<h4>Intro</h4><p>a</p><h2>One</h2><h5>Deep</h5><p>b</p><h3>Two</h3>"
            "<h6>Six</h6><h2>Three</h2><h1>Not the title</h1><h3>Under</h3>")
    imported = import_source(post(html), "p.json")
    _front, body = check_draft(imported, tmp_path, "wordpress")
    assert body.headings == [(2, "Intro"), (2, "One"), (3, "Deep"), (3, "Two"),
                             (4, "Six"), (2, "Three"), (2, "Not the title"),
                             (3, "Under")]
    assert has_note(imported, "renumbered")


def test_consecutive_lists_stay_apart(tmp_path):
    html = ("<ul><li>a</li></ul><ul><li>b</li></ul><ol><li>c</li></ol>"
            "<ol start='4'><li>d<ol start='3'><li>e</li></ol></li></ol>")
    imported = import_source(post(html), "p.json")
    _front, body = check_draft(imported, tmp_path, "wordpress")
    tokens = markup.parser(report=True).parse(split(imported.text)[1])
    opened = [t.type for t in tokens if t.type.endswith("list_open")]
    assert opened == ["bullet_list_open", "bullet_list_open", "ordered_list_open",
                      "ordered_list_open", "ordered_list_open"]
    assert body.items == [(1, "a"), (1, "b"), (1, "c"), (1, "d"), (2, "e")]
    starts = [t.attrs.get("start") for t in tokens if t.type == "ordered_list_open"]
    assert starts == [None, 4, 3]


def test_text_that_looks_like_markdown_stays_text(tmp_path):
    lines = ["# not a heading", "- not an item", "1. not a list", "> not a quote",
             ": not an answer", "---", "===", "    not code", "```", "~~~",
             "<b>not html</b>", "&amp; stays", "[not](a link)", "![no](image)",
             "*not em* _not em_ __init__ snake_case_name", "a | b", "`tick`",
             "\\ backslash \\", "+ plus", "2) second", "**not bold**"]
    html = "".join(f"<p>{line.replace('&', '&amp;').replace('<', '&lt;')}</p>"
                   for line in lines)
    html += "<p>" + "<br>".join(line.replace("&", "&amp;").replace("<", "&lt;")
                                for line in lines) + "</p>"
    html += "<h2>ends with # ##</h2><ul><li>- item<br>1. break</li></ul>"
    html += "<table><tr><td>a \\| b</td><td>c\\</td></tr><tr><td>1</td></tr></table>"
    imported = import_source(post(html), "p.json")
    _front, body = check_draft(imported, tmp_path, "wordpress")
    expected = [" ".join(line.split()) for line in lines]
    assert body.paragraphs[: len(lines)] == expected
    assert body.paragraphs[len(lines)] == " ".join(expected)
    assert body.headings == [(2, "ends with # ##")]
    assert body.items == [(1, "- item 1. break")]
    assert body.cells == ["a \\| b", "c\\", "1"]


def test_bold_that_markdown_cannot_mark_is_dropped_not_broken(tmp_path):
    html = ('<p>Note:<b>"quoted"</b>text and <b>fine</b> and <i> </i>x'
            '<b></b><strong>a</strong><strong>b</strong></p>')
    imported = import_source(post(html), "p.json")
    _front, body = check_draft(imported, tmp_path, "wordpress")
    assert body.paragraphs == ['Note:"quoted"text and fine and xab']


def test_links(tmp_path):
    html = ('<p><a href="/a">one</a> <a href="https://x.example/a b(c)|d">two</a> '
            '<a href="#top">three</a> <a href="JaVaScRiPt:alert(1)">four</a> '
            '<a href="java&#x09;script:alert(1)">five</a> '
            '<a href="data:text/html,<script>alert(1)</script>">six</a> '
            '<a href="ftp://x.example/f">seven</a> <a href="//cdn.example/x">eight</a> '
            '<a href="http://[bad">nine</a> <a href="mailto:a@b.example">ten</a> '
            '<a href="https://x.example/"><img src="logo.png" alt="Logo"></a></p>')
    imported = import_source(post(html, link="https://clinic.example/en/post/"),
                             "p.json")
    _front, body = check_draft(imported, tmp_path, "wordpress")
    assert body.links == ["https://clinic.example/a",
                          "https://x.example/a%20b%28c%29%7Cd",
                          "https://cdn.example/x", "mailto:a@b.example"]
    assert body.paragraphs[0] == ("one two three four five six seven eight nine "
                                  "ten")
    assert sum("dropped the link" in note for note in imported.notes) == 6
    relative = import_source(post('<p><a href="/a">one</a></p>'), "p.json")
    assert read_body(split(relative.text)[1]).links == []
    assert has_note(relative, "relative link", "address is unknown")


def test_images(tmp_path):
    html = ('<p>Look: <img src="https://x.example/up/2024/01/scan-300x200.png?v=2" '
            'alt="A {scan}"> then text.</p>'
            '<img src="data:image/png;base64,AAAA" data-src="/lazy/real_photo.jpg">'
            '<img src="https://x.example/beacon.gif">'
            '<img src="https://x.example/t.gif" width="1" height="1">'
            '<ul><li>item <img src="in-list.png" alt=""></li></ul>')
    imported = import_source(post(html), "p.json")
    _front, body = check_draft(imported, tmp_path, "wordpress")
    assert body.paragraphs == ["Look: then text.",
                               'TODO image: scan.png (alt: "A (scan)")',
                               "TODO image: real_photo.jpg",
                               "TODO image: in-list.png"]
    assert body.items == [(1, "item")]
    assert has_note(imported, "dropped 2 tracking pixels")
    assert has_note(imported, "image scan.png needs a licence check", "A {scan}")
    assert has_note(imported, "image in-list.png", "alt text")


def test_faq_blocks_without_their_container(tmp_path):
    html = ('<h2>Care</h2><p>Text.</p>'
            '<div class="schema-faq-section"><strong class="schema-faq-question">'
            'Why?</strong> <p class="schema-faq-answer">Because.</p></div>'
            '<details><summary>How long?</summary><p>A day.</p><ul><li>or two'
            '</li></ul></details>'
            '<dl><dt>Lidocaine</dt><dd>A local anaesthetic.</dd></dl>')
    imported = import_source(post(html), "p.json")
    _front, body = check_draft(imported, tmp_path, "wordpress")
    assert body.headings == [(2, "Care"), (2, FAQ_SECTION)]
    assert body.questions == ["Why?", "How long?"]
    assert body.answers == ["Because.", "A day. or two"]
    assert body.paragraphs[-1] == "Lidocaine: A local anaesthetic."


def test_deep_nesting_does_not_crash(tmp_path):
    html = "<div>" * 5000 + "<p>deep <b>text</b></p><script>x()</script>" + \
        "</div>" * 5000 + "<ul>" * 300 + "<li>item" + "</ul>" * 300
    imported = import_source(post(html), "p.json")
    _front, body = check_draft(imported, tmp_path, "wordpress")
    assert "deep text" in body.text and "item" in body.text
    assert "x()" not in body.text
    assert max(depth for depth, _text in body.items) == 6
    assert has_note(imported, "deeply nested")
    assert has_note(imported, "nested deeper than 6 levels")


# -- hostile input -------------------------------------------------------------

SCRIPTS = [
    "<script>alert(1)</script><p>ok</p>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT><p>ok</p>",
    "<svg onload=alert(1)><script>alert(2)</script></svg><p>ok</p>",
    "<iframe src=\"javascript:alert(1)\"></iframe><p>ok</p>",
    "<p>text<!-- <script>alert(1)</script> --></p>",
    "<style>@import 'x'; body{background:url(javascript:alert(1))}</style><p>ok</p>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<textarea><script>alert(1)</script></textarea><p>ok</p>",
    "<title><script>alert(1)</script></title><p>ok</p>",
    "<object data=\"javascript:alert(1)\"></object><embed src=x.swf><p>ok</p>",
    "<template><script>alert(1)</script></template><p>ok</p>",
    "<form><button formaction=javascript:alert(1)>x</button></form><p>ok</p>",
    "<p style=\"background:url(javascript:alert(1))\" onclick=\"alert(1)\">ok</p>",
    "<a href=\"javascript:alert(1)\">ok</a>",
    "<img src=x onerror=alert(1)//><p>ok</p>",
    "<table><tr><td><script>alert(1)</script>ok</td></tr></table>",
    "<ul><li><noscript><script>alert(1)</script></noscript>ok</ul>",
    "<h2><script>alert(1)</script>ok</h2>",
]
MARKUP = [
    "<scr<script>ipt>alert(1)</script>",
    "<![CDATA[<script>alert(1)</script>]]><p>ok</p>",
    "<<script>alert(1)//<</script>",
    "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>",
    "<p>&lt;img src=x onerror=alert(1)&gt;</p>",
    "</p><p><div></li></ul></table><b><i><u>x</b></i>",
    "<p>`code` ```fence``` <span>&#96;&#96;&#96;</span></p>",
    "\x00<p>\x01nul\ud800</p>\x85\u2028",
]


@pytest.mark.parametrize("snippet", SCRIPTS + MARKUP)
@pytest.mark.parametrize("fmt", ["wordpress", "html", "text"])
def test_hostile_snippets(snippet, fmt, tmp_path):
    if fmt == "wordpress":
        data = post(snippet)
    elif fmt == "html":
        data = f"<!DOCTYPE html><title>Page</title><body>{snippet}".encode(
            "utf-8", "surrogatepass")
    else:
        data = f"Title\n\n{snippet}\n".encode("utf-8", "surrogatepass")
    try:
        imported = import_source(data, "hostile", fmt)
    except ImportProblem:
        assert fmt != "wordpress"  # only for the lone surrogate
        return
    _front, body = check_draft(imported, tmp_path, fmt)
    if fmt != "text" and snippet in SCRIPTS:
        assert "alert" not in imported.text and "evil" not in imported.text
        assert "onerror" not in imported.text and "onload" not in imported.text


# -- the seeds -----------------------------------------------------------------


class Collector(HTMLParser):
    """An independent reading of a post: headings, FAQ questions, list items,
    images, scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[str] = []
        self.questions: list[str] = []
        self.items: list[str] = []
        self.images: list[str] = []
        self.elements: list[str] = []
        self.open: list[tuple[str, str, list[str]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append(tag)
        attributes = dict(attrs)
        if tag == "img":
            self.images.append(attributes.get("src") or "")
        classes = (attributes.get("class") or "").split()
        if tag in ("h2", "h3", "h4", "h5", "h6", "li"):
            kind = ("question" if {"rank-math-question", "schema-faq-question"}
                    & set(classes) else "heading" if tag != "li" else "item")
            self.open.append((tag, kind, []))

    def handle_endtag(self, tag):
        if self.open and self.open[-1][0] == tag:
            _tag, kind, parts = self.open.pop()
            text = " ".join("".join(parts).split())
            {"question": self.questions, "heading": self.headings,
             "item": self.items}[kind].append(text)

    def handle_data(self, data):
        for _tag, _kind, parts in self.open:
            parts.append(data)


def seed(name: str) -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"no seeds in {SEEDS}")
    matches = sorted(SEEDS.glob(f"{name}*"))
    if not matches:
        pytest.skip(f"no seed {name}")
    return matches[0]


def test_seed_wordpress_post(tmp_path):
    path = seed("004_")
    data = path.read_bytes()
    assert detect(data, path.name) == "wordpress"
    post_json = json.loads(data)
    source = Collector()
    source.feed(post_json["content"]["rendered"])
    imported = import_source(data, path.name)
    front, body = check_draft(imported, tmp_path, "wordpress")
    assert front["title"] == " ".join(
        post_json["title"]["rendered"].replace("&#8217;", "’").split())
    assert imported.slug == post_json["slug"]
    assert front["imported-from"]["link"] == post_json["link"]
    assert front["imported-from"]["published"] == post_json["date"][:10]
    assert front["summary"] and len(front["summary"]) < 300
    # One for one: headings (the FAQ ones become questions), list items, FAQ.
    assert [text for _level, text in body.headings] == source.headings
    assert [text for _depth, text in body.items] == source.items
    assert body.questions == source.questions and len(source.questions) >= 5
    assert len(body.answers) == len(body.questions)
    assert all(answer for answer in body.answers)
    # Nothing of the HTML is left; every image is a TODO with a note.
    assert "script" in source.elements or "img" in source.elements
    for tag in ("<script", "<iframe", "<img", "<figure", "<div", "<p>"):
        assert tag not in imported.text
    todos = [p for p in body.paragraphs if p.startswith("TODO image: ")]
    assert len(todos) == len(source.images) >= 1
    for src in source.images:
        name = re.sub(r"-\d+x\d+(?=\.\w+$)", "", src.rsplit("/", 1)[-1])
        assert any(todo.startswith(f"TODO image: {name} ") for todo in todos)
        assert has_note(imported, f"image {name} needs a licence check")
    assert body.links == ["https://pubmed.ncbi.nlm.nih.gov/2528826/"]


def test_seed_plain_text(tmp_path):
    path = seed("000_")
    data = path.read_bytes()
    assert detect(data, path.name) == "text"
    lines = data.decode("utf-8").splitlines()
    item = re.compile(r"^\s*(?:\d+\.|[-*])\s+(.*)$")

    def alone(index: int) -> bool:
        return (not lines[index - 1].strip()
                and (index + 1 == len(lines) or not lines[index + 1].strip()))

    headings = [line.strip() for index, line in enumerate(lines)
                if index > 0 and line.strip() and alone(index) and len(line) < 80
                and not line.rstrip().endswith((".", "!", ":"))
                and not item.match(line) and not line.startswith(("Q:", "A:"))]
    items = [item.match(line)[1] for line in lines if item.match(line)]
    questions = [line[2:].strip() for line in lines if line.startswith("Q:")]
    answers = [line[2:].strip() for line in lines if line.startswith("A:")]
    imported = import_source(data, path.name)
    front, body = check_draft(imported, tmp_path, "text")
    assert front["title"] == lines[0].strip()
    assert [text for _level, text in body.headings if text != FAQ_SECTION] == headings
    assert len(headings) >= 4
    assert body.items == [(1, text) for text in items] and len(items) >= 5
    assert body.questions == questions and len(questions) >= 2
    assert body.answers == answers
    # The questions are not under an FAQ heading: they get one.
    assert body.headings[-1] == (2, FAQ_SECTION)


# -- any input -----------------------------------------------------------------

PIECES = st.sampled_from([
    "<p>", "</p>", "<b>", "</b>", "<i>", "<ul>", "<ol start=9>", "<li>", "</li>",
    "</ul>", "<br>", "<h1>", "<h2>", "<h4>", "</h4>", "<table>", "<tr>", "<th>",
    "<td>", "</table>", "<a href='/x'>", "<a href='javascript:x'>", "</a>",
    "<img src=a.png alt=A>", "<script>s()</script>", "<!-- wp:x -->", "<dl>",
    "<dt>", "<dd>", "<details><summary>Q?", "<div class='rank-math-block'>",
    "<h3 class='rank-math-question'>", "<div class='rank-math-answer'>", "</div>",
    "<pre>", "<blockquote>", "<h2>FAQ</h2>", "<h3>Why?</h3>", "\n", " ", "\n\n",
    "Q: ", "A: ", "- ", "1. ", "  ", "#", "*", "_", "[", "]", "|", "{x}", ":", "&amp;",
    "&#8217;", "`", "\\", "~", "=", "-", "+", "text", "Word.", "?", "\xa0", "é",
])


@settings(max_examples=300, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(pieces=st.lists(st.one_of(PIECES, st.text(max_size=5)), max_size=40),
       fmt=st.sampled_from(["wordpress", "html", "text", None]))
def test_any_input_gives_a_draft_or_an_import_problem(pieces, fmt, tmp_path):
    markup_text = "".join(pieces)
    data = (post(markup_text) if fmt == "wordpress"
            else markup_text.encode("utf-8", "surrogatepass"))
    try:
        imported = import_source(data, "fuzz.txt", fmt)
    except ImportProblem:
        return
    check_draft(imported, tmp_path, fmt or detect(data, "fuzz.txt"))


@pytest.mark.parametrize(("slug", "title", "expected"), [
    ("0\n", "T", "0"),
    ("%d9%85%d8%b1%d8%ad%d8%a8%d8%a7", "Über die Knie-Injektion!",
     "uber-die-knie-injektion"),
    ("Knee_Injection", "x", "knee-injection"),
    ("", "", "p"),
    ("", "مرحبا", "p"),
])
def test_slug_is_always_valid(slug, title, expected, tmp_path):
    imported = import_source(post("<p>x</p>", title=title, slug=slug), "p.json")
    assert imported.slug == expected
    check_draft(imported, tmp_path, "wordpress")


FILLED_IN = {"status: draft\n": "", "published: TODO": "published: 2026-11-01",
             "review-by: TODO": "review-by: 2029-11-01",
             "organisation: TODO": "organisation: Test Clinic",
             "authors: [TODO]": "authors: [A. Author]",
             "clinical-reviewer: TODO": "clinical-reviewer: Dr. R. Reviewer",
             "sources: [TODO]": 'sources: ["A source"]'}


@pytest.mark.skipif(not SEEDS.is_dir(), reason="no seeds folder")
def test_each_seed_is_refused_by_the_quality_gates_and_prints_as_a_draft(
        project, cli):
    seeds = sorted(SEEDS.iterdir())
    assert seeds
    for seed in seeds:
        assert cli(project, "-q", "import", str(seed)).code == 0
    drafts = sorted((project / "leaflets").glob("*.md"))
    drafts = [path for path in drafts if path.name != "blood-test.md"]
    assert len(drafts) == len(seeds)
    slugs = []
    for draft in drafts:
        text = draft.read_text(encoding="utf-8")
        for todo, value in FILLED_IN.items():
            assert todo in text, (draft, todo)
            text = text.replace(todo, value)
        draft.write_text(text, encoding="utf-8")
        slugs.append(draft.stem)
    # The seeds are web pages written to sell: the quality gates refuse them.
    run = cli(project, "build", "-l", "en", *slugs)
    assert run.code == 1
    assert "unsourced-figure: “95%” has no source" in run.err
    assert "guarantee: “proven” promises more" in run.err
    assert not (project / "build/pdf/en").exists()
    # A review copy prints all the same, with the findings as warnings.
    run = cli(project, "build", "--draft", "-l", "en", *slugs)
    assert run.code == 0, run.err
    for slug in slugs:
        pdf = project / "build/draft/en" / f"{slug}.pdf"
        assert PdfReader(pdf, strict=True).trailer["/Root"]["/Lang"] == "en"
