"""Questions and answers in HTML, for ``leafpress import``.

Called by :class:`~leafpress.sources.html_blocks.HtmlBlocks` for the
elements that hold them. In: a Rank Math or Yoast FAQ block, a ``<details>``
element or a definition list (``<dl>``). Out: question-and-answer blocks
when the terms read as questions, else paragraphs; each is counted for the
notes.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from leafpress.sources.blocks import (
    BREAK,
    QA,
    QUESTION_END_RE,
    Block,
    Image,
    Para,
    plain_text,
)
from leafpress.sources.html_tree import classes_of, local
from leafpress.sources.inline import inline_ok

if TYPE_CHECKING:
    from leafpress.sources.html_blocks import HtmlBlocks


FAQ_BLOCK_CLASSES = frozenset({"wp-block-rank-math-faq-block", "rank-math-block",
                               "schema-faq", "wp-block-yoast-faq-block"})
FAQ_ITEM_CLASSES = frozenset({"rank-math-faq-item", "rank-math-list-item",
                              "schema-faq-section"})
QUESTION_CLASSES = frozenset({"rank-math-question", "schema-faq-question"})
ANSWER_CLASSES = frozenset({"rank-math-answer", "schema-faq-answer"})


def definitions(html: HtmlBlocks, element: ET.Element) -> list[Block]:
    pairs: list[tuple[list[str], list[str]]] = []
    images: list[Image] = []
    for child in element:
        tag = local(child)
        if html.skip(child) or tag not in ("dt", "dd", "div"):
            continue
        parts = [child] if tag != "div" else [
            grandchild for grandchild in child
            if local(grandchild) in ("dt", "dd")]
        for part in parts:
            span, part_images = html.line(part)
            images.extend(part_images)
            text = html.writer.inline(span, bold=local(part) == "dd")
            if local(part) == "dt":
                if not pairs or pairs[-1][1]:
                    pairs.append(([], []))
                pairs[-1][0].append(text)
            elif pairs:
                pairs[-1][1].append(text)
            else:
                pairs.append(([], [text]))
    out: list[Block] = []
    questions = all(QUESTION_END_RE.search(" ".join(terms))
                    for terms, _ in pairs if terms)
    for terms, answers in pairs:
        term = " / ".join(filter(None, terms)).replace(BREAK, " ")
        answer = " ".join(filter(None, answers))
        if questions and term and answer:
            out.append(QA(term, answer))
            html.faq["a definition list (<dl>)"] += 1
        elif term and answer:
            out.append(Para(f"**{term}**: {answer}"
                            if inline_ok(f"**{term}**", 1, term.count("](")
                                         ) else f"{term}: {answer}"))
        elif term or answer:
            out.append(Para(term or answer))
    return [*out, *images]


def details(html: HtmlBlocks, element: ET.Element) -> list[Block]:
    summary = next((child for child in element if local(child) == "summary"),
                   None)
    if summary is None:
        return html.blocks(element)
    span, images = html.line(summary)
    question = html.writer.inline(span, bold=False).replace(BREAK, " ")
    answer, answer_images = answer_text(html, element, skip=(summary,))
    if question and answer and QUESTION_END_RE.search(plain_text(span)):
        html.faq["a <details> block"] += 1
        return [QA(question, answer), *images, *answer_images]
    blocks: list[Block] = [Para(f"**{question}**")] if question else []
    return [*blocks, *images, *html.blocks(element, skip=(summary,))]


def answer_text(html: HtmlBlocks, element: ET.Element,
                skip: tuple[ET.Element, ...] = ()) -> tuple[str, list[Image]]:
    texts: list[str] = []
    images: list[Image] = []
    for block in html.blocks(element, skip):
        if isinstance(block, Image):
            images.append(block)
        else:
            texts.append(html.flatten(block, "an answer"))
    return " ".join(text for text in texts if text), images


def faq_block(html: HtmlBlocks, element: ET.Element, classes: set[str]
              ) -> list[Block] | None:
    """A Rank Math or Yoast FAQ block: its questions and answers."""
    order: dict[int, int] = {}
    questions: list[ET.Element] = []
    answers: list[ET.Element] = []
    ends: dict[int, int] = {}
    stack: list[tuple[ET.Element, bool]] = [(element, False)]
    while stack:
        node, done = stack.pop()
        if done:
            ends[id(node)] = len(order)
            continue
        order[id(node)] = len(order)
        stack.append((node, True))
        if node is not element:
            node_classes = classes_of(node)
            if node_classes & QUESTION_CLASSES:
                questions.append(node)
                continue
            if node_classes & ANSWER_CLASSES:
                answers.append(node)
                continue
        for child in reversed(node):
            if isinstance(child.tag, str) and not html.skipped(child):
                stack.append((child, False))
    if not questions:
        return None
    plugin = ("Yoast" if any("yoast" in name or "schema-faq" in name
                             for name in classes) else "Rank Math")
    out: list[Block] = []
    for number, question_element in enumerate(questions):
        low = order[id(question_element)]
        high = (order[id(questions[number + 1])] if number + 1 < len(questions)
                else len(order))
        answer_element = next((answer for answer in answers
                               if low < order[id(answer)] < high), None)
        span, images = html.line(question_element)
        question = html.writer.inline(span, bold=False).replace(BREAK, " ")
        answer, answer_images = (answer_text(html, answer_element)
                                 if answer_element is not None else ("", []))
        if question and answer:
            out.append(QA(question, answer))
            html.faq[f"the {plugin} FAQ block"] += 1
        elif question or answer:
            out.append(Para(question or answer))
        out.extend(images)
        out.extend(answer_images)
    return out
