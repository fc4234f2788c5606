"""Inline Markdown that stays text, for ``leafpress import``.

Used by the readers and :mod:`~leafpress.sources.writer`. In: text and
inline :class:`~leafpress.sources.blocks.Span` trees from a source. Out:
inline Markdown in the leaflet dialect of :mod:`leafpress.text.markup`, with
every character that Markdown or a placeholder would read escaped, bold and
links checked by parsing them back, and a count of what had to change.
"""

from __future__ import annotations

import re
from collections import Counter

from leafpress.sources.blocks import BREAK, WS_RE, Span, collapse
from leafpress.text import markup

_ESCAPE_RE = re.compile(r"[\\`*\[\]<>|]|&(?=#?[A-Za-z0-9]+;)")
_UNDERSCORE_RE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
_ORDERED_START_RE = re.compile(r"^(\d{1,9})([.)])(?=[ \t]|$)")


class InlineWriter:
    """Escapes text so that it stays text, and keeps count of what it changed."""

    def __init__(self) -> None:
        self.braces = 0
        self.brace_examples: list[str] = []
        self.bold_dropped = 0
        self.links_unlinked = 0

    def escape(self, text: str) -> str:
        if "{" in text or "}" in text:
            self.braces += text.count("{") + text.count("}")
            if len(self.brace_examples) < 3:
                match = (re.search(r"\{[^{}]{0,40}\}", text)
                         or re.search(r"[^{}]{0,20}[{}][^{}]{0,20}", text))
                if match:
                    self.brace_examples.append(collapse(match[0]))
            text = text.replace("{", "(").replace("}", ")")
        text = _ESCAPE_RE.sub(lambda match: "\\" + match[0], text)
        return _UNDERSCORE_RE.sub(r"\\_", text)

    def plain(self, text: str) -> str:
        """One line of escaped text (titles, file names, alt text)."""
        return _escape_line_start(self.escape(collapse(text)))

    def inline(self, span: Span, bold: bool = True) -> str:
        """Inline Markdown for ``span``; BREAK marks hard line breaks.

        The result is parsed back: if a bold run or link cannot be written
        (CommonMark's flanking rules), it is written without bold, then
        without links, rather than as stray asterisks."""
        text = ""
        for attempt, (use_bold, use_links) in enumerate(
                ((bold, True), (False, True), (False, False))):
            counts = [0, 0]
            text = _tidy(self._render(span, not use_bold, use_links, counts))
            merged = text.count("****")
            text = text.replace("****", "")
            if inline_ok(text, counts[0] - merged, counts[1]):
                if attempt == 1:
                    self.bold_dropped += 1
                elif attempt == 2:
                    self.links_unlinked += 1
                return text
        return text

    def _render(self, span: Span, in_bold: bool, links: bool,
                counts: list[int]) -> str:
        parts: list[str] = []
        run: list[str] = []

        def flush() -> None:
            if run:
                parts.append(self.escape(WS_RE.sub(" ", "".join(run))))
                run.clear()

        for child in span.children:
            if isinstance(child, str):
                run.append(child)
                continue
            flush()
            inner = self._render(child, in_bold or child.kind == "bold", links,
                                 counts)
            if child.kind == "bold" and not in_bold:
                wrapped = _wrap(inner, "**", "**")
                counts[0] += wrapped is not inner
                parts.append(wrapped)
            elif child.kind == "link" and links:
                wrapped = _wrap(inner, "[", f"]({child.url})")
                counts[1] += wrapped is not inner
                parts.append(wrapped)
            elif child.kind == "link":
                parts.append(inner)
                url = child.url.replace("mailto:", "").replace("tel:", "")
                if inner.strip(" " + BREAK) and collapse(inner) != url:
                    parts.append(f" ({self.escape(url)})")
            else:
                parts.append(inner)
        flush()
        return "".join(parts)


def _wrap(inner: str, before: str, after: str) -> str:
    match = re.fullmatch(rf"([\s{BREAK}]*)(.*?)([\s{BREAK}]*)", inner, re.S)
    if not match or not match[2]:
        return inner
    return f"{match[1]}{before}{match[2]}{after}{match[3]}"


def _tidy(text: str) -> str:
    text = re.sub(rf" *{BREAK}[ {BREAK}]*", BREAK, text)
    text = re.sub(r" {2,}", " ", text)
    lines = (_escape_line_start(line.strip()) for line in text.split(BREAK))
    return BREAK.join(line for line in lines if line)


def _escape_line_start(line: str) -> str:
    """Keep a line of text from starting a heading, list, quote, definition,
    fence or thematic break."""
    if not line:
        return line
    first = line[0]
    if first in "#:~=":
        return "\\" + line
    if first in "-+" and (len(line) == 1 or line[1] in " \t"
                          or not line.strip("- \t")):
        return "\\" + line
    match = _ORDERED_START_RE.match(line)
    if match:
        return f"{match[1]}\\{line[len(match[1]):]}"
    return line


def inline_ok(text: str, bold: int, links: int) -> bool:
    tokens = markup.parser(report=True).parseInline(
        text.replace(BREAK, "\\\n"))
    children = tokens[0].children or [] if tokens else []
    kinds = Counter(child.type for child in children)
    return (kinds["strong_open"] == bold and kinds["link_open"] == links
            and not kinds["em_open"] and not kinds["html_inline"]
            and not kinds["image"] and not kinds["code_inline"])
