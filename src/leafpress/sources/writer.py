"""Blocks to a draft leaflet file, the last step of ``leafpress import``.

Called by every reader through :func:`finish`. In: the blocks of a body and
the :class:`~leafpress.sources.blocks.Source` a reader found. Out:
:class:`Imported`: the draft's front matter (with ``TODO`` for what a person
must fill in) and Markdown body, headings renumbered and questions given a
section, and the notes on everything changed or left to check.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from urllib.parse import unquote

import yaml

from leafpress.model import SLUG_RE
from leafpress.sources.blocks import (
    BREAK,
    QA,
    QUESTION_END_RE,
    Block,
    Heading,
    Image,
    List,
    Para,
    Source,
    Table,
    clean,
    collapse,
    plural,
    short,
)
from leafpress.sources.inline import InlineWriter

FAQ_SECTION = "Questions people often ask"
#: How deep lists may nest (markdown-it stops parsing at 20 block levels).
MAX_LIST_DEPTH = 6
_FAQ_HEADING_RE = re.compile(
    r"\b(?:faqs?|q\s*&\s*a|frequently\s+asked|questions?\s+(?:and|&)\s+answers?|"
    r"common\s+questions|questions\s+people|your\s+questions|"
    r"veel\s*gestelde\s+vragen|vragen\s+en\s+antwoorden|"
    r"h[äa]ufig(?:e|\s+gestellte)\s+fragen|questions\s+fr[ée]quentes|"
    r"foire\s+aux\s+questions|preguntas\s+frecuentes)\b"
    r"|^\s*(?:questions|vragen|fragen)\s*\??\s*$", re.I)
_SENTENCE_END_RE = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+")
_MORE_RE = re.compile(r"\s*(?:\[(?:…|\.\.\.)\]|…|\.\.\.|(?:read|lees)\s+(?:more|meer)"
                      r"|continue\s+reading|verder\s+lezen)\s*$", re.I)


@dataclass(frozen=True)
class Imported:
    """A draft leaflet: the whole file and the report on it."""

    slug: str
    text: str
    notes: tuple[str, ...]


# -- arranging and writing the body ------------------------------------------


def _key(text: str) -> str:
    return collapse(text).casefold()


def _is_faq_heading(plain: str) -> bool:
    return bool(_FAQ_HEADING_RE.search(plain))


def _arrange(blocks: list[Block], title: str, notes: list[str]) -> list[Block]:
    """Drop the title's <h1>, turn question headings under an FAQ heading into
    questions and answers, give questions a section, number the headings."""
    kept: list[Block] = []
    for block in blocks:
        if (isinstance(block, Heading) and block.level == 1
                and _key(block.plain) == _key(title)):
            notes.append(f"dropped the <h1> {short(block.plain)!r}: it is the "
                         "title, in the front matter")
            continue
        kept.append(block)
    blocks = kept

    # Question headings under an FAQ heading, each followed by paragraphs.
    result: list[Block] = []
    zone: int | None = None
    converted = 0
    index = 0
    while index < len(blocks):
        block = blocks[index]
        index += 1
        if isinstance(block, Heading):
            if _is_faq_heading(block.plain):
                zone = block.level
            elif (zone is not None and block.level >= zone
                  and QUESTION_END_RE.search(block.plain)):
                end = index
                while end < len(blocks) and isinstance(blocks[end], Para | Image):
                    end += 1
                paras = [b for b in blocks[index:end] if isinstance(b, Para)]
                if paras and (end == len(blocks)
                              or isinstance(blocks[end], Heading | QA)):
                    result.append(QA(block.text.replace(BREAK, " "),
                                     " ".join(para.text for para in paras)))
                    result.extend(b for b in blocks[index:end]
                                  if isinstance(b, Image))
                    converted += 1
                    index = end
                    continue
                zone = None
            else:
                zone = None
        result.append(block)
    if converted:
        notes.append(f"turned {plural(converted, 'question heading')} under an "
                     "FAQ heading into questions and answers")

    # Questions need an FAQ section.
    levels = [block.level for block in result if isinstance(block, Heading)]
    top = min(levels, default=2)
    blocks, result = result, []
    last: Heading | None = None
    added = 0
    for block in blocks:
        if isinstance(block, QA) and (last is None or not _is_faq_heading(last.plain)):
            last = Heading(0, FAQ_SECTION, FAQ_SECTION)
            result.append(last)
            added += 1
        elif isinstance(block, Heading):
            last = block
        result.append(block)
    if added:
        notes.append(f"added the section heading {FAQ_SECTION!r} above the "
                     "questions and answers: check where it goes")

    # Levels: the highest becomes ##, and none is skipped.
    stack: list[tuple[int, int]] = []
    changed: list[str] = []
    for block in result:
        if not isinstance(block, Heading):
            continue
        level = block.level or top
        while stack and stack[-1][0] >= level:
            stack.pop()
        block.out = min(stack[-1][1] + 1 if stack else 2, 6)
        stack.append((level, block.out))
        if block.level and block.out != block.level:
            changed.append(f"{short(block.plain, 40)!r} h{block.level} → "
                           f"{'#' * block.out}")
    if changed:
        examples = "; ".join(changed[:3]) + ("; …" if len(changed) > 3 else "")
        notes.append(f"renumbered {plural(len(changed), 'heading')} so that "
                     f"sections start at ## and no level is skipped: {examples}")
    return result


def _list_lines(block: List, indent: str, alternate: bool) -> list[str]:
    lines: list[str] = []
    for number, item in enumerate(block.items, start=block.start):
        if block.ordered:
            marker = f"{min(number, 999_999_999)}{')' if alternate else '.'}"
        else:
            marker = "*" if alternate else "-"
        pad = indent + " " * (len(marker) + 1)
        text = item.text.replace(BREAK, "\\\n" + pad)
        lines.append(f"{indent}{marker} {text}" if text else f"{indent}{marker}")
        previous: List | None = None
        child_alternate = False
        for child in item.children:
            child_alternate = (previous is not None
                               and previous.ordered == child.ordered
                               and not child_alternate)
            if child.ordered and child.start != 1 and text:
                lines.append("")  # only a list starting at 1 can follow text
            lines.extend(_list_lines(child, pad, child_alternate))
            previous = child
    return lines


def _markdown(blocks: list[Block]) -> str:
    chunks: list[str] = []
    previous: Block | None = None
    alternate = False
    for block in blocks:
        if isinstance(block, Heading):
            text = re.sub(r"#(?=[#\s]*$)", r"\\#", block.text.replace(BREAK, " "))
            chunks.append(f"{'#' * block.out} {text}")
        elif isinstance(block, Para):
            chunks.append(block.text.replace(BREAK, "\\\n"))
        elif isinstance(block, Image):
            chunks.append(block.markdown())
        elif isinstance(block, List):
            alternate = (isinstance(previous, List)
                         and previous.ordered == block.ordered and not alternate)
            chunks.append("\n".join(_list_lines(block, "", alternate)))
        elif isinstance(block, Table):
            width = max(len(row) for row in block.rows)
            rows = [row + [""] * (width - len(row)) for row in block.rows]
            lines = ["| " + " | ".join(rows[0]) + " |",
                     "| " + " | ".join(["---"] * width) + " |"]
            lines.extend("| " + " | ".join(row) + " |" for row in rows[1:])
            chunks.append("\n".join(lines))
        elif isinstance(block, QA):
            answer = block.answer.replace(BREAK, "\\\n  ")
            chunks.append(f"{block.question.replace(BREAK, ' ')}\n: {answer}")
        previous = block
    return "\n\n".join(chunks) + "\n" if chunks else ""


# -- front matter ------------------------------------------------------------


def _yaml(value: str) -> str:
    return yaml.safe_dump(value, default_style='"', allow_unicode=True,
                          width=2**31).strip()


def _slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = ""
    for word in re.findall(r"[a-z0-9]+", text.lower()):
        if slug and len(slug) + len(word) + 1 > 60:
            break
        slug = f"{slug}-{word}" if slug else word[:60]
    return slug


def _summary(text: str) -> str:
    """One or two whole sentences of ``text``."""
    text = collapse(text)
    cut = False
    while True:
        shorter = _MORE_RE.sub("", text)
        if shorter == text:
            break
        text, cut = shorter, True
    sentences = [part for part in _SENTENCE_END_RE.split(text) if part.strip()]
    if cut and len(sentences) > 1 and not re.search(r"[.!?…][\"'”’)]*$",
                                                     sentences[-1]):
        sentences.pop()
    summary = " ".join(sentences[:2])
    if len(summary) > 300 and len(sentences) > 1:
        summary = sentences[0]
    if len(summary) > 300:
        summary = summary[:280].rsplit(" ", 1)[0] + "…"
    return summary.strip()


def finish(source: Source, blocks: list[Block], name: str, writer: InlineWriter,
           notes: list[str], empty: str | None) -> Imported:
    title = collapse(source.title)
    if not title:
        stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        title = collapse(re.sub(r"[-_]+", " ", stem)).capitalize() or "Untitled"
        notes.append(f"the source has no title; used {title!r}: write a real one")
    blocks = _arrange(blocks, title, notes)
    if not any(isinstance(block, Heading | Para | List | Table | QA)
               for block in blocks):
        notes.append(empty or "the source has no text")
        blocks.append(Para("**TODO:** the source had no text; write the "
                           "leaflet here."))
    flattened = sum(_cap_lists(block) for block in blocks if isinstance(block, List))
    if flattened:
        notes.append(f"wrote {plural(flattened, 'list item')} nested deeper than "
                     f"{MAX_LIST_DEPTH} levels into the item above them")
    body = _markdown(blocks)

    slug = source.slug
    if not SLUG_RE.match(slug):
        slug = _slugify(unquote(slug)) or _slugify(title) or _slugify(
            name.rsplit(".", 1)[0]) or "imported-leaflet"
        notes.append(f"made the slug {slug!r} from the "
                     f"{'source' if source.slug else 'title'}: check it")
    counted = Counter(type(block).__name__ for block in blocks)
    items = sum(_count_items(block) for block in blocks if isinstance(block, List))
    notes.insert(0, f"imported {name} as {source.fmt}: "
                 f"{plural(counted['Heading'], 'heading')}, "
                 f"{plural(counted['Para'], 'paragraph')}, "
                 f"{plural(items, 'list item')}, "
                 f"{plural(counted['Table'], 'table')}, "
                 f"{plural(counted['QA'], 'question')} and answers")
    if writer.braces:
        examples = ", ".join(repr(example) for example in writer.brace_examples)
        notes.append(f"replaced {plural(writer.braces, 'brace')} {{ }} with ( ) "
                     f"so that they are not read as placeholders ({examples}); "
                     "write {clinic_phone} and the like on purpose")
    if writer.bold_dropped:
        notes.append(f"wrote {plural(writer.bold_dropped, 'block')} without bold "
                     "that Markdown could not mark exactly: check the emphasis")
    if writer.links_unlinked:
        notes.append(f"wrote the links of {plural(writer.links_unlinked, 'block')} "
                     "as text with the address in brackets: check them")
    summary = ""
    if source.summary:
        summary = writer.plain(_summary(source.summary))
        if summary:
            notes.append(f"the summary comes from the {source.summary_from}, "
                         "trimmed to two sentences: check it")
    pages = estimated_pages(body)
    notes.append(f"max-pages is {pages}, estimated from the length of the text "
                 f"({len(body.split())} words): a patient leaflet is best kept "
                 "to 2 to 4 pages")
    lines = ["---", f"slug: {_yaml(slug)}", f"title: {_yaml(writer.plain(title))}"]
    if summary:
        lines.append(f"summary: {_yaml(summary)}")
    lines += ["status: draft", 'version: "0.1.0"', "published: TODO",
              "review-by: TODO", "organisation: TODO", "authors: [TODO]",
              "clinical-reviewer: TODO", "sources: [TODO]", f"max-pages: {pages}",
              "paper: A4", "imported-from:", f"  source: {_yaml(clean(name))}",
              f"  format: {source.fmt}"]
    if source.link:
        lines.append(f"  link: {_yaml(source.link)}")
    if source.published:
        lines.append(f"  published: {_yaml(source.published)}")
    if source.modified:
        lines.append(f"  modified: {_yaml(source.modified)}")
    lines.append("---")
    notes.append("fill in the front matter: published, review-by, organisation, "
                 "authors, clinical-reviewer and sources are TODO; check version, "
                 "max-pages and paper; remove 'status: draft' once a clinician "
                 "has reviewed the text")
    return Imported(slug, "\n".join(lines) + "\n" + body, tuple(notes))


#: About this many words fit on an A4 page of clear print (12 pt, line
#: height 1.4) with headings, lists and white space.
WORDS_PER_PAGE = 300


def estimated_pages(body: str) -> int:
    """A page limit for imported text: its length at clear print, plus a page
    for "about this leaflet" and room to edit."""
    return max(2, -(-len(body.split()) // WORDS_PER_PAGE) + 1)


def _cap_lists(block: List, depth: int = 1) -> int:
    """Write lists nested deeper than MAX_LIST_DEPTH into their parent item;
    return how many items were flattened."""
    flattened = 0
    for item in block.items:
        if depth < MAX_LIST_DEPTH:
            flattened += sum(_cap_lists(child, depth + 1) for child in item.children)
        elif item.children:
            texts = [item.text] if item.text else []
            stack = list(reversed(item.children))
            while stack:
                child = stack.pop()
                for grandchild in child.items:
                    flattened += 1
                    if grandchild.text:
                        texts.append(grandchild.text)
                for grandchild in reversed(child.items):
                    stack.extend(reversed(grandchild.children))
            item.text = "; ".join(texts)
            item.children = []
    return flattened


def _count_items(block: List) -> int:
    return sum(1 + sum(_count_items(child) for child in item.children)
               for item in block.items)
