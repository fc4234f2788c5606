"""Compose and render: HTML from leaflets and catalogs, PDF in the sandbox."""

from __future__ import annotations

import dataclasses
import socket
import threading
from pathlib import Path

import pytest

from leafpress.errors import ContentError
from leafpress.printing import compose, render
from leafpress.settings.project import load_project
from leafpress.sources.leaflet import read_leaflet


def composed(root: Path, translate=None, lang="nl"):
    project = load_project(root)
    leaflet = read_leaflet(root / "leaflets/blood-test.md",
                           project.settings.placeholders, root)
    translate = translate or (lambda msgid, context=None: msgid)
    return compose.compose(leaflet, lang, project, translate, None)


def test_html_has_language_direction_title_and_metadata(project):
    document = composed(project, lang="en")
    html = document.html
    assert '<html lang="en" dir="ltr">' in html
    assert "<title>Having a blood test</title>" in html
    assert '<meta name="author" content="Test Clinic, laboratory">' in html
    assert '<meta name="dcterms.created" content="2026-10-01">' in html
    assert html.count("<h1>") == 1
    assert ('<strong>fast for <span class="nobreak" dir="ltr">8 hours</span>'
            '</strong>') in html
    assert "<dt>Does it hurt?</dt>" in html
    assert '<th>What</th>' in html


def test_translated_markup_is_text_never_html(project):
    def hostile(msgid, context=None):
        return ('<script>alert(1)</script> <link rel=attachment href="file:///etc/passwd">'
                ' {{ 7*7 }} {% include "x" %} [x](javascript:alert(1)) **ok**')

    html = composed(project, hostile).html
    body = html[html.index("<main>"):html.index("</main>")]
    assert "<script" not in body
    assert "<link" not in body
    assert "&lt;script&gt;" in body
    assert "{{ 7*7 }}" in body and "49" not in body
    assert 'href="javascript:' not in body
    assert "<strong>ok</strong>" in body


def test_placeholder_values_are_escaped_and_kept_left_to_right(project):
    toml = project / "leafpress.toml"
    toml.write_text(toml.read_text().replace('"030 111 2222"', '"<b>030</b> 111"'))
    html = composed(project, lang="en").html
    assert ('<span class="value" dir="ltr">&lt;b&gt;030&lt;/b&gt; 111</span>'
            in html)


def test_missing_translation_is_an_error_not_english(project):
    def partial(msgid, context=None):
        if msgid.startswith("The nurse"):
            raise KeyError(msgid)
        return msgid

    with pytest.raises(ContentError) as error:
        composed(project, partial)
    assert str(error.value.problems[0]).startswith(
        "leaflets/blood-test.md:28: no translation into nl")


def test_template_with_an_undefined_name_fails_with_its_line(project):
    template = project / "templates/leaflet.html"
    lines = template.read_text().split("\n")
    lines.insert(40, "{{ no_such_thing }}")
    template.write_text("\n".join(lines))
    with pytest.raises(ContentError) as error:
        composed(project, lang="en")
    assert "'no_such_thing' is undefined" in str(error.value)
    assert "templates/leaflet.html" in str(error.value)


def test_template_syntax_error_names_file_and_line(project):
    template = project / "templates/leaflet.html"
    lines = template.read_text().split("\n")
    lines.insert(40, "{% if %}")
    template.write_text("\n".join(lines))
    with pytest.raises(ContentError) as error:
        composed(project, lang="en")
    assert str(error.value.problems[0]).startswith("templates/leaflet.html:41: ")


@pytest.mark.parametrize("text", ['a"b', "a\\b", "</style><script>", "x\ny"])
def test_css_string_cannot_break_out(text):
    quoted = compose.css_string(text)
    inner = quoted[1:-1]
    assert quoted.startswith('"') and quoted.endswith('"')
    assert '"' not in inner and "<" not in inner and "\n" not in inner


def test_css_counter_keeps_translated_word_order():
    assert (compose.css_counter("Pagina {page} van {pages}")
            == '"Pagina " counter(page) " van " counter(pages)')
    assert (compose.css_counter("{page}/{pages}")
            == 'counter(page) "/" counter(pages)')


def test_date_locale_follows_the_country():
    assert str(compose.date_locale("en", "NL")) == "en_NL"
    assert str(compose.date_locale("nl", "XX")) == "nl"


class Listener:
    """A local TCP listener that records every connection made to it."""

    def __init__(self):
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen()
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while self.running:
            try:
                connection, _ = self.server.accept()
            except OSError:
                continue
            self.connections += 1
            connection.close()

    def close(self):
        self.running = False
        self.thread.join()
        self.server.close()


def test_sandbox_serves_templates_and_refuses_everything_else(project, tmp_path):
    from leafpress.printing.sandbox import SandboxFetcher

    secret = tmp_path / "secret.txt"
    secret.write_text("top secret")
    listener = Listener()
    try:
        fetcher = SandboxFetcher([project / "templates"])
        css = (project / "templates/leaflet.css").resolve().as_uri()
        assert b"clear print" in fetcher.fetch(css).read()
        assert fetcher.fetch("data:text/plain,hello").read() == b"hello"
        for url in (secret.as_uri(), f"http://127.0.0.1:{listener.port}/x",
                    f"https://127.0.0.1:{listener.port}/x", "ftp://127.0.0.1/x",
                    (project / "templates/../leafpress.toml").as_uri()):
            with pytest.raises(ValueError):
                fetcher.fetch(url)
        assert len(fetcher.refused) == 5
    finally:
        listener.close()
    assert listener.connections == 0


def test_render_fails_on_a_refused_fetch_and_weasyprint_warnings(project, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret")
    document = composed(project, lang="en")
    html = document.html.replace(
        "</main>", f'<img src="{secret.as_uri()}" alt="x"><p style="colr: red">'
        "\U0001FAE8</p></main>")
    document = dataclasses.replace(document, html=html)
    result = render.render_pdf(render.task_for(document, load_project(project), 0))
    problems = [str(problem) for problem in result.problems]
    assert f"build/html/en/blood-test.html: refused to fetch {secret.as_uri()}" in (
        problems)
    assert b"top secret" not in result.pdf
    assert any("WeasyPrint: Ignored `colr: red`" in problem for problem in problems)
    assert any("no font has the character U+1FAE8" in problem
               for problem in problems)
    assert result.pages == 0, "a PDF with problems is not verified as good"


def plain_pdf(document, task) -> bytes:
    """The PDF WeasyPrint makes reading the document's stylesheets itself."""
    from weasyprint import HTML

    from leafpress.printing import sandbox

    fetcher = sandbox.SandboxFetcher([Path(root) for root in task.roots],
                                     task.assets)
    return HTML(string=document.html, base_url=task.base_url,
                url_fetcher=fetcher).write_pdf(
        font_config=render._FONT_CONFIG, pdf_variant="pdf/ua-1",
        pdf_identifier=task.identifier, cache={})


def test_a_worker_parses_a_linked_stylesheet_once_and_prints_the_same(project):
    """Stylesheets taken out of the document and given to WeasyPrint parsed
    (the linked one once per worker) print the same PDF, byte for byte."""
    settings = load_project(project)
    render._SHEETS.clear()
    documents = [composed(project, lang="en"), composed(project, lang="nl")]
    tasks = [render.task_for(document, settings, 0) for document in documents]
    results = [render.render_pdf(task) for task in tasks]
    assert [result.problems for result in results] == [(), ()]
    assert list(render._SHEETS) == [
        (project / "templates" / "leaflet.css").resolve().as_uri()]
    for document, task, result in zip(documents, tasks, results, strict=True):
        assert result.pdf == plain_pdf(document, task)


def test_what_weasyprint_says_of_a_stylesheet_fails_every_document_using_it(
        project):
    css = project / "templates" / "leaflet.css"
    css.write_text(css.read_text() + "\nbody { colr: red; }\n")
    settings = load_project(project)
    render._SHEETS.clear()
    for lang in ("en", "nl"):  # the second finds the stylesheet parsed
        result = render.render_pdf(render.task_for(composed(project, lang=lang),
                                                   settings, 0))
        assert any("WeasyPrint: Ignored `colr: red`" in str(problem)
                   for problem in result.problems), lang


def test_changed_template_files_are_parsed_again(project):
    settings = load_project(project)
    first = render.task_for(composed(project, lang="en"), settings, 0)
    render.render_pdf(first)
    before, _said, _refused = next(iter(render._SHEETS.values()))
    css = project / "templates" / "leaflet.css"
    css.write_text(css.read_text() + "\nh1 { color: #000000; }\n")
    task = render.task_for(composed(project, lang="en"), load_project(project), 0)
    assert task.assets_key != first.assets_key
    render.render_pdf(task)
    after, _said, _refused = next(iter(render._SHEETS.values()))
    assert after is not before and len(render._SHEETS) == 1


def test_a_stylesheet_for_another_medium_is_left_to_weasyprint(project):
    """A ``media`` attribute: the document keeps its stylesheets, and
    WeasyPrint reads them as it would (screen-only rules do not print)."""
    document = composed(project, lang="en")
    html = document.html.replace(
        "</head>", '<style media="screen">h1 { color: #ff0000; }</style></head>')
    document = dataclasses.replace(document, html=html)
    task = render.task_for(document, load_project(project), 0)
    from weasyprint import HTML

    from leafpress.printing import sandbox

    parsed = HTML(string=document.html, base_url=task.base_url)
    fetcher = sandbox.SandboxFetcher([], {})
    assert render.stylesheets(parsed, task.assets_key, fetcher,
                              sandbox.Complaints()) is None
    assert len([element for element in parsed.etree_element.iter()
                if element.tag in ("style", "link")]) == 3
    result = render.render_pdf(task)
    assert result.problems == ()
