"""Property-based tests: what must hold for any text, not just our examples."""

from __future__ import annotations

import string
import subprocess

from babel.messages.catalog import Catalog
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import make_project, same_gettext_layout
from leafpress.printing import compose, render
from leafpress.settings.project import load_project
from leafpress.sources.leaflet import parse_leaflet
from leafpress.translation import layout, pofile
from leafpress.translation.catalogs import Translator

# Text as translators type it: letters of several scripts, digits, quotes,
# backslashes, tabs and line breaks.
TEXT = st.text(alphabet=st.sampled_from(
    string.ascii_letters + string.digits + " .,;:!?'\"\\-()%&\t\néëçşğı–…€ÄÖßжыйإلى"),
    min_size=1, max_size=120)


@given(st.lists(st.tuples(TEXT, TEXT, st.sampled_from([None, "title", "summary"]),
                          st.booleans()), min_size=1, max_size=8,
                unique_by=lambda entry: (entry[0], entry[2])))
@settings(max_examples=150, deadline=None)
# previous text with the same line twice in a row (Babel's reader drops one)
@example([("\n\n", "x", None, True)])
def test_a_catalog_reads_back_as_it_was_written(entries):
    catalog = Catalog(locale="nl", fuzzy=False)
    for msgid, msgstr, context, fuzzy in entries:
        catalog.add(msgid, msgstr, locations=[("leaflets/x.md", 3)], context=context,
                    flags=["fuzzy"] if fuzzy else [], auto_comments=["paragraph"],
                    previous_id=[msgid + " (old)"] if fuzzy else [])
    data = layout.write(catalog)
    again = pofile.read(data, "nl")
    assert [(m.id, m.string, m.context, m.fuzzy, list(m.previous_id or []))
            for m in again if m.id] == [
        (m.id, m.string, m.context, m.fuzzy, list(m.previous_id or []))
        for m in catalog if m.id]
    assert layout.write(again) == data, "one layout: writing twice gives the same bytes"


# Text for the layout: long, with every kind of place a line may or may not
# break (spaces, hyphens, slashes, full stops, ideographs, Arabic vowel
# signs, escapes, placeholders).
LONG_TEXT = st.text(alphabet=st.sampled_from(
    string.ascii_letters[:12] + " " * 8 + ".,-/:;%{}()\"\\\t\n" + "إلىالمريضَّ"
    + "医院药品。" + "\u00a0\u200b"), min_size=0, max_size=200)


@same_gettext_layout
@given(st.lists(st.tuples(LONG_TEXT, LONG_TEXT, st.sampled_from(
    [None, "title"]), st.sampled_from([[], ["fuzzy"], ["python-format"],
                                       ["python-brace-format"], ["no-wrap"]])),
    min_size=1, max_size=6))
@settings(max_examples=60, deadline=None)
def test_msgcat_changes_no_byte_of_a_catalog_leafpress_writes(entries):
    """GNU gettext's layout: msgcat reads and writes the catalog as it is."""
    catalog = Catalog(locale="ar", fuzzy=False)
    for msgid, msgstr, context, flags in entries:
        if msgid:
            catalog.add(msgid, msgstr, locations=[("leaflets/x.md", 3)],
                        context=context, flags=flags,
                        previous_id=[msgstr] if "fuzzy" in flags else [])
    data = layout.write(catalog)
    result = subprocess.run(["msgcat", "--force-po", "-"], input=data,
                            capture_output=True)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout == data


WORD = st.text(alphabet=st.sampled_from(string.ascii_letters + "éëçş"), min_size=1,
               max_size=12)
SENTENCE = st.lists(WORD, min_size=1, max_size=12).map(
    lambda words: " ".join(words).capitalize() + ".")
BLOCK = st.one_of(
    SENTENCE.map(lambda text: text),
    st.lists(SENTENCE, min_size=1, max_size=4).map(
        lambda items: "\n".join(f"- {item}" for item in items)),
    st.tuples(SENTENCE, SENTENCE).map(lambda pair: f"{pair[0][:-1]}?\n: {pair[1]}"),
    st.tuples(WORD, WORD).map(lambda cells: f"| {cells[0]} |\n|---|\n| {cells[1]} |"),
)
BODY = st.lists(st.tuples(WORD, st.lists(BLOCK, min_size=1, max_size=3)),
                min_size=1, max_size=3)

FRONT = """---
slug: blood-test
title: Having a blood test
version: 1.0.0
published: 2026-10-01
review-by: 2028-10-01
organisation: Test Clinic
authors: [A. Author]
clinical-reviewer: Dr. B. Reviewer
sources: [A source]
max-pages: 4
---
"""


def test_any_leaflet_text_comes_back_out_of_its_pdf(tmp_path_factory):
    """Segment a leaflet, translate it with an identity catalog, render it and
    read the PDF back: every block's text is there, in order."""
    root = make_project(tmp_path_factory.mktemp("property"))
    project = load_project(root)
    render._start_worker()

    @given(BODY)
    @settings(max_examples=12, deadline=None,
              suppress_health_check=[HealthCheck.too_slow])
    def round_trip(sections):
        body = "\n\n".join(f"## {title.capitalize()}\n\n" + "\n\n".join(blocks)
                           for title, blocks in sections)
        leaflet = parse_leaflet((FRONT + body + "\n").encode(),
                                root / "leaflets/blood-test.md", "blood-test.md",
                                project.settings.placeholders)
        texts = [block.text for block in leaflet.blocks]
        assert texts, body
        identity = Translator(None, draft=True)  # every message is itself
        document = compose.compose(leaflet, "nl", project, identity, identity)
        result = render.render_pdf(render.task_for(document, project, 0))
        assert result.pdf and not result.problems, [str(p) for p in result.problems]

    round_trip()
