"""A plain-text article to a draft leaflet (``leafpress import``, format text).

Called by :func:`leafpress.sources.importer.import_source`. In: the text of
an article; its first line is the title. Out: an
:class:`~leafpress.sources.writer.Imported` draft whose headings, lists and
questions and answers are read from the shape of the lines (``#`` headings,
short lines alone, ``-`` and ``1.`` items, ``Q:`` and ``A:``), and notes.
"""

from __future__ import annotations

import re

from leafpress.sources.blocks import (
    QA,
    Block,
    Heading,
    Item,
    List,
    Para,
    Source,
    clean,
    collapse,
    plural,
)
from leafpress.sources.inline import InlineWriter
from leafpress.sources.writer import Imported, finish

_ITEM_RE = re.compile(r"^([ \t]*)(\d{1,9}[.)]|[-*•+‣◦▪–])[ \t]+(\S.*)$")
_Q_RE = re.compile(r"^(?:Q|Question|Vraag|Frage)\s*:\s*(.*)$", re.I)
_A_RE = re.compile(r"^(?:A|Answer|Antwoord|Antwort)\s*:\s*(.*)$", re.I)
_HASH_RE = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t#]*$")


def _text_blocks(lines: list[str], writer: InlineWriter, notes: list[str]
                 ) -> list[Block]:
    """Blocks of a plain-text article, read by the shape of its lines."""
    blocks: list[Block] = []
    para: list[str] = []
    para_alone = True  # the paragraph started after a blank line
    stack: list[tuple[int, List]] = []  # open lists: (marker indent, list)
    qa: list[list[str]] | None = None  # [question lines, answer lines]
    answering = False
    blank = True
    unanswered = 0

    def flush_para(alone_after: bool) -> None:
        nonlocal para
        if not para:
            return
        text = " ".join(para)
        if (len(para) == 1 and para_alone and alone_after and len(text) < 80
                and text[-1] not in ".!:;," and re.search(r"[^\W\d_]", text)):
            blocks.append(Heading(2, writer.plain(text), text))
        else:
            blocks.append(Para(writer.plain(text)))
        para = []

    def flush_qa() -> None:
        nonlocal qa, answering, unanswered
        if qa is not None:
            question, answer = " ".join(qa[0]), " ".join(qa[1])
            if question and answer:
                blocks.append(QA(writer.plain(question), writer.plain(answer)))
            elif question or answer:
                unanswered += 1
                blocks.append(Para(writer.plain(question or answer)))
        qa, answering = None, False

    for raw in lines:
        raw = raw.expandtabs(4).rstrip()
        stripped = raw.strip()
        indent = len(raw) - len(raw.lstrip())
        if not stripped:
            flush_para(True)
            if qa is not None and answering:
                flush_qa()
            blank = True
            continue
        question = _Q_RE.match(stripped)
        answer = _A_RE.match(stripped) if qa is not None and not answering else None
        item = _ITEM_RE.match(raw)
        hashes = _HASH_RE.match(stripped)
        if question:
            flush_para(False)
            flush_qa()
            stack.clear()
            qa = [[question[1]] if question[1] else [], []]
        elif answer:
            answering = True
            if answer[1]:
                qa[1].append(answer[1])  # type: ignore[index]
        elif qa is not None and not blank:
            qa[1 if answering else 0].append(stripped)
        elif hashes:
            flush_para(False)
            flush_qa()
            stack.clear()
            if hashes[2]:
                blocks.append(Heading(len(hashes[1]), writer.plain(hashes[2]),
                                      hashes[2]))
        elif item:
            flush_para(False)
            flush_qa()
            marker_indent = indent
            ordered = item[2][0].isdigit()
            while stack and marker_indent < stack[-1][0] - 1:
                stack.pop()
            new_item = Item(writer.plain(item[3]))
            if stack and marker_indent > stack[-1][0] + 1 and stack[-1][1].items:
                sub = List(ordered, int(item[2][:-1]) if ordered else 1, [new_item])
                stack[-1][1].items[-1].children.append(sub)
                stack.append((marker_indent, sub))
            elif stack and stack[-1][1].ordered == ordered:
                stack[-1][1].items.append(new_item)
            else:
                sub = List(ordered, int(item[2][:-1]) if ordered else 1, [new_item])
                if len(stack) > 1:
                    stack.pop()
                    stack[-1][1].items[-1].children.append(sub)
                else:
                    stack.clear()
                    blocks.append(sub)
                stack.append((marker_indent, sub))
        elif stack and (not blank or indent > stack[-1][0]):
            last = stack[-1][1].items[-1]
            last.text = f"{last.text} {writer.plain(stripped)}".strip()
        else:
            flush_qa()
            stack.clear()
            if not para:
                para_alone = blank
            para.append(stripped)
        blank = False
    flush_para(True)
    flush_qa()
    if unanswered:
        notes.append(f"{plural(unanswered, 'question')} without an answer (or "
                     "answer without a question) kept as paragraphs")
    return blocks


def import_text(text: str, name: str) -> Imported:
    lines = clean(text.replace("\f", "\n")).split("\n")
    notes: list[str] = []
    writer = InlineWriter()
    title = ""
    while lines and not title:
        title = collapse(lines.pop(0))
    title = re.sub(r"^#+\s*", "", title)
    blocks = _text_blocks(lines, writer, notes)
    if blocks:
        notes.append("read the text by the shape of its lines: check the headings, "
                     "lists and questions")
    return finish(Source("text", title=title), blocks, name, writer, notes,
                  "the text has nothing after its title line")
