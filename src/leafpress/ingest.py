"""Read leaflet sources: ``leaflets/<slug>.md`` to :class:`~leafpress.model.Leaflet`.

Called by extract, build and check. In: a Markdown file with YAML front
matter. Out: validated metadata, the translatable blocks with their lines, and
the messages a catalog needs. Every problem is collected and raised together
as :class:`~leafpress.errors.ContentError` with ``path:line: message``.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Collection
from pathlib import Path
from typing import Any

import yaml

from . import markup
from .errors import ContentError, Problem, display_path
from .model import PAPERS, Block, Leaflet, Message, Meta

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")
VERSION_RE = re.compile(r"^\d+\.\d+(?:\.\d+)?\Z")
MAX_REVIEW_YEARS = 3
#: Deeper lists are refused (and the Markdown parser stops at 20 levels of
#: nesting, which would lose text).
MAX_LIST_DEPTH = 6
#: A patient leaflet is a few pages; anything this big is a mistake, and would
#: tie up a print run.
MAX_BYTES = 1_000_000

#: Front-matter schema: field -> (type check, required, what it should be).
FIELDS: dict[str, tuple[str, bool]] = {
    "slug": ("slug", True),
    "title": ("text", True),
    "summary": ("text", False),
    "version": ("version", True),
    "published": ("date", True),
    "review-by": ("date", True),
    "organisation": ("text", True),
    "authors": ("text list", True),
    "clinical-reviewer": ("text", True),
    "sources": ("text list", True),
    "max-pages": ("page count", True),
    "max-pages-large": ("page count", False),
    "max-pages-booklet": ("page count", False),
    "paper": ("paper", False),
    "type": ("type", False),
    "status": ("status", False),
    "imported-from": ("origin", False),
}
#: What a draft may leave to be filled in (written ``TODO``).
DRAFT_FIELDS = ("version", "published", "review-by", "organisation", "authors",
                "clinical-reviewer", "sources", "summary")
TODO = "TODO"
_STAND_IN = {"text": TODO, "text list": [TODO], "date": datetime.date(1970, 1, 1),
             "version": "0.0.0"}

_DESCRIBE = {
    "slug": "lower-case words joined by hyphens, e.g. knee-injection",
    "text": "non-empty text",
    "version": 'a version such as "1.0.0" (quote it)',
    "date": "a date written YYYY-MM-DD",
    "text list": "a list of non-empty texts",
    "page count": "a whole number of pages, 1 or more",
    "paper": f"one of {', '.join(PAPERS)}",
    "type": "a leaflet type such as procedure or aftercare (see [lint] in "
            "leafpress.toml)",
    "status": "draft (or no status field once approved)",
    "origin": "a mapping (source, format, link, published, modified)",
}


def _valid(kind: str, value: Any) -> bool:
    if kind == "slug":
        return isinstance(value, str) and bool(SLUG_RE.match(value))
    if kind == "text":
        return isinstance(value, str) and bool(value.strip())
    if kind == "version":
        return isinstance(value, str) and bool(VERSION_RE.match(value))
    if kind == "date":
        return isinstance(value, datetime.date) and not isinstance(
            value, datetime.datetime)
    if kind == "text list":
        return (isinstance(value, list) and bool(value)
                and all(isinstance(item, str) and item.strip() for item in value))
    if kind == "page count":
        return isinstance(value, int) and not isinstance(value, bool) and value >= 1
    if kind == "paper":
        return value in PAPERS
    if kind == "type":
        return isinstance(value, str) and bool(SLUG_RE.match(value))
    if kind == "status":
        return value == "draft"
    if kind == "origin":
        return isinstance(value, dict) and all(isinstance(key, str) for key in value)
    raise AssertionError(kind)


def decode(path: Path, data: bytes, shown: str) -> str:
    """Decode UTF-8 strictly (a leading byte-order mark is dropped) and
    normalise line endings; a bad byte is a ``path:line`` problem."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise ContentError([Problem(
            shown, line, f"not valid UTF-8: byte 0x{data[error.start]:02x} at "
            f"column {column}; save the file as UTF-8")]) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _split_front_matter(text: str, shown: str) -> tuple[str, str, int]:
    """Return (front matter, body, first body line)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise ContentError([Problem(shown, 1, "a leaflet starts with front matter: "
                                    "a line '---', the fields, and '---' again")])
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() in ("---", "..."):
            return "\n".join(lines[1:number - 1]), "\n".join(lines[number:]), number + 1
    raise ContentError([Problem(shown, 1, "front matter is not closed: add a line "
                                "'---' after the last field")])


def _parse_front_matter(source: str, shown: str) -> tuple[dict, dict[str, int]]:
    """YAML to a dict, and the line of each top-level key."""
    try:
        loader = yaml.SafeLoader(source)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 2 if mark else 1
        raise ContentError([Problem(shown, line, f"front matter is not valid YAML: "
                                    f"{error.problem or error}")]) from None
    except yaml.YAMLError as error:
        raise ContentError([Problem(shown, 2, f"front matter is not valid YAML: "
                                    f"{error}")]) from None
    if not isinstance(data, dict):
        raise ContentError([Problem(shown, 2, "front matter must be fields written "
                                    "'name: value'")])
    lines = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, _value in node.value:
            lines[str(key_node.value)] = key_node.start_mark.line + 2
    return data, lines


def _years_after(date: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` later (28 February for 29 February)."""
    try:
        return date.replace(year=date.year + years)
    except ValueError:
        return date.replace(year=date.year + years, day=28)


def _is_todo(value) -> bool:
    return value == TODO or value == [TODO]


def _check_meta(data: dict, lines: dict[str, int], path: Path, shown: str,
                problems: list[Problem]) -> Meta | None:
    todo: list[str] = []
    if data.get("status") == "draft":
        # A draft may leave fields to fill in; stand-ins let it be extracted
        # and printed as a DRAFT for review, never as a leaflet.
        for key in DRAFT_FIELDS:
            if key in data and _is_todo(data[key]):
                todo.append(key)
                data = {**data, key: _STAND_IN[FIELDS[key][0]]}
    for key in data:
        if key not in FIELDS:
            known = ", ".join(FIELDS)
            problems.append(Problem(shown, lines.get(str(key), 2),
                                    f"unknown field {key!r} (known fields: {known})"))
    for key, (kind, required) in FIELDS.items():
        if key not in data:
            if required:
                problems.append(Problem(shown, 1, f"missing field {key!r}: "
                                        f"{_DESCRIBE[kind]}"))
            continue
        if not _valid(kind, data[key]):
            problems.append(Problem(shown, lines.get(key, 2),
                                    f"{key} must be {_DESCRIBE[kind]}, "
                                    f"not {data[key]!r}"))
    if problems:
        return None
    if data["slug"] != path.stem:
        problems.append(Problem(shown, lines["slug"],
                                f"slug {data['slug']!r} does not match the file "
                                f"name {path.name!r}"))
    published, review_by = data["published"], data["review-by"]
    if {"published", "review-by"} & set(todo):
        pass
    elif review_by <= published:
        problems.append(Problem(shown, lines["review-by"],
                                "review-by must come after published"))
    elif review_by > _years_after(published, MAX_REVIEW_YEARS):
        problems.append(Problem(shown, lines["review-by"],
                                f"review-by must be at most {MAX_REVIEW_YEARS} "
                                "years after published"))
    if problems:
        return None
    return Meta(
        slug=data["slug"],
        title=data["title"].strip(),
        version=data["version"],
        published=published,
        review_by=review_by,
        organisation=data["organisation"].strip(),
        authors=tuple(item.strip() for item in data["authors"]),
        clinical_reviewer=data["clinical-reviewer"].strip(),
        sources=tuple(item.strip() for item in data["sources"]),
        max_pages=data["max-pages"],
        paper=data.get("paper"),
        type=data.get("type"),
        max_pages_variant=tuple((name, data[f"max-pages-{name}"])
                                for name in ("large", "booklet")
                                if f"max-pages-{name}" in data),
        summary=(data["summary"].strip() if "summary" in data
                 and "summary" not in todo else None),
        title_line=lines["title"],
        summary_line=lines.get("summary"),
        draft=data.get("status") == "draft",
        todo=tuple(todo),
    )


def _comment(kind: str, section: str | None, level: int | None) -> str:
    what = f"heading, level {level}" if kind == "heading" else kind
    return f"{what}, in section “{section}”" if section else what


def _check_body(tokens, body_line: int, shown: str, names: Collection[str] | None,
                problems: list[Problem]) -> list[Block]:
    blocks: list[Block] = []
    for token in tokens:
        line = body_line + token.map[0] if token.map else body_line
        if token.type == "html_block":
            problems.append(Problem(shown, line, "raw HTML is not allowed in a "
                                    "leaflet; use Markdown"))
        elif token.type in ("fence", "code_block"):
            problems.append(Problem(shown, line, "code blocks are not allowed in a "
                                    "leaflet (check the indentation)"))
    depth = 0
    for token in tokens:
        if token.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
            if depth == MAX_LIST_DEPTH + 1:
                problems.append(Problem(shown, body_line + token.map[0],
                                        f"lists are nested more than {MAX_LIST_DEPTH} "
                                        "levels deep; a leaflet needs at most 2 or 3"))
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
    previous_level = 1
    for site in markup.walk(tokens):
        token = site.token
        line = body_line + token.map[0]
        text = markup.normalise(token.content)
        if site.kind == "heading":
            if site.level == 1:
                problems.append(Problem(shown, line, "a level-1 heading is not "
                                        "allowed: the title is the only one; start "
                                        "sections with '##'"))
            elif site.level > previous_level + 1:
                problems.append(Problem(shown, line, f"heading level {site.level} "
                                        f"follows level {previous_level}: do not "
                                        "skip a level"))
            previous_level = site.level
        if not text:
            continue
        for child in token.children or []:
            if child.type == "html_inline":
                problems.append(Problem(shown, line, f"raw HTML is not allowed in a "
                                        f"leaflet: {child.content!r}"))
            elif child.type == "image" and not child.children:
                problems.append(Problem(shown, line, "an image needs alt text: "
                                        "![what it shows](file)"))
            elif child.type == "link_open":
                href = str(child.attrs.get("href", ""))
                if not href.lower().startswith(markup.ALLOWED_LINK_SCHEMES):
                    problems.append(Problem(shown, line, f"link target {href!r} is "
                                            "not allowed: use https://, mailto: or "
                                            "tel:"))
        for name in markup.placeholders(text):
            if names is not None and name not in names:
                problems.append(Problem(shown, line, f"unknown placeholder "
                                        f"{{{name}}}; known: "
                                        f"{', '.join(sorted(names))}"))
        blocks.append(Block(site.kind, text, line, site.section, site.level,
                            site.anchor))
    return blocks


def _messages(meta: Meta, blocks: list[Block]) -> tuple[Message, ...]:
    messages = [Message(meta.title, "title", meta.title_line, "leaflet title",
                        markup.placeholders(meta.title))]
    if meta.summary:
        messages.append(Message(meta.summary, "summary", meta.summary_line or 1,
                                "summary under the title",
                                markup.placeholders(meta.summary)))
    for block in blocks:
        messages.append(Message(block.text, None, block.line,
                                _comment(block.kind, block.section, block.level),
                                markup.placeholders(block.text)))
    return tuple(messages)


def read_leaflet(path: Path, placeholders: Collection[str] | None = (),
                 root: Path | None = None) -> Leaflet:
    """Read, validate and segment one leaflet; raise ContentError on problems."""
    shown = display_path(path, root)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ContentError([Problem(shown, None, f"cannot read: "
                                    f"{error.strerror}")]) from None
    if len(data) > MAX_BYTES:
        size = len(data) / 1e6
        raise ContentError([Problem(shown, None, f"the file is {size:.1f} MB; a "
                                    f"leaflet is at most {MAX_BYTES // 1_000_000} MB "
                                    "(a patient leaflet is a few pages)")])
    return parse_leaflet(data, path, shown, placeholders)


def parse_leaflet(data: bytes, path: Path, shown: str,
                  placeholders: Collection[str] | None = ()) -> Leaflet:
    """Validate and segment the bytes of a leaflet file. ``placeholders`` are
    the names allowed in ``{...}``; ``None`` allows any (pybabel does not
    know the project's settings)."""
    text = decode(path, data, shown)
    if not text.strip():
        raise ContentError([Problem(shown, 1, "the leaflet is empty")])
    front, body, body_line = _split_front_matter(text, shown)
    fields, lines = _parse_front_matter(front, shown)
    problems: list[Problem] = []
    meta = _check_meta(fields, lines, path, shown, problems)
    tokens = markup.parser(report=True).parse(body)
    blocks = _check_body(tokens, body_line, shown, placeholders, problems)
    if meta is not None:
        for name, line in ((meta.title, meta.title_line),
                           (meta.summary or "", meta.summary_line)):
            for placeholder in markup.placeholders(name):
                if placeholders is not None and placeholder not in placeholders:
                    problems.append(Problem(shown, line, f"unknown placeholder "
                                            f"{{{placeholder}}}"))
    if not blocks and meta is not None:
        problems.append(Problem(shown, body_line, "the leaflet has no text after "
                                "the front matter"))
    if problems or meta is None:
        raise ContentError(problems)
    return Leaflet(path=path, meta=meta, body=body, body_line=body_line,
                   blocks=tuple(blocks), messages=_messages(meta, blocks))


def read_leaflets(paths: list[Path], placeholders: Collection[str],
                  root: Path | None = None) -> tuple[list[Leaflet], list[Problem]]:
    """Read every leaflet; return the good ones and all problems of the bad.
    Two files that claim one slug are both refused."""
    leaflets: list[Leaflet] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            leaflets.append(read_leaflet(path, placeholders, root))
        except ContentError as error:
            problems.extend(error.problems)
    return leaflets, problems
