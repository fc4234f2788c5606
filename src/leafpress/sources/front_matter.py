"""Read the front matter of a leaflet: YAML fields to a validated :class:`Meta`.

Called by :mod:`leafpress.sources.leaflet` for every leaflet it reads. In:
the text of the leaflet file. Out: its front matter and body
(:func:`split_front_matter`), then :class:`~leafpress.model.Meta`, or
``path:line: message`` problems for the leaflet's reader to report;
:func:`quoted` cuts any value a message repeats.

Front matter is untrusted. It is composed into YAML nodes and never
constructed by PyYAML: anchors and aliases (``&a``, ``*a``) and tags
(``!!python/...``) are refused before anything is expanded, nesting and the
number of values are bounded, and each field is read from its node by the
schema in :data:`FIELDS`, with the line of the node. Dates are real calendar
dates within :data:`MIN_YEAR`..:data:`MAX_YEAR`, page limits are
1..:data:`MAX_PAGES`, texts and lists are bounded, a field given twice is
refused with both lines, and every value quoted in a message is cut to
:data:`QUOTE_MAX` characters.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from leafpress.errors import ContentError, Problem
from leafpress.model import PAPERS, SLUG_RE, Meta
from leafpress.settings.contacts import Placeholders

#: A version has two or three parts of at most four digits ("1.0.0").
VERSION_RE = re.compile(r"^\d{1,4}\.\d{1,4}(?:\.\d{1,4})?\Z")
MAX_REVIEW_YEARS = 3

#: The years a ``published`` or ``review-by`` date may fall in. A leaflet is
#: reviewed at most 3 years after it is published, so a date before 1990
#: can only be a typing error (0202, 1026); 2100 is past the review date of
#: any leaflet written now, and keeps every date the pipeline works out
#: (review dates, warnings, PDF dates) far from the year 9999 where Python's
#: dates end.
MIN_YEAR, MAX_YEAR = 1990, 2100
#: The largest ``max-pages`` (and ``max-pages-<variant>``): a patient leaflet
#: is a few pages and large print doubles it, so 100 pages is a typing
#: error; the bound also keeps the verifier's page loop short.
MAX_PAGES = 100
#: The longest text a field (or one entry of a list) may hold, in
#: characters: a summary is one or two sentences, a source one reference.
MAX_TEXT = 1000
#: The longest value under ``imported-from`` (a web address can be long).
MAX_ORIGIN_TEXT = 4000
#: The most entries a list field (``authors``, ``sources``) may have.
MAX_ITEMS = 100
#: Front matter holds fields, lists and (``imported-from``) one level of
#: named values: anything nested deeper than this is refused while it is
#: read, before it can exhaust Python's stack.
MAX_DEPTH = 4
#: The most values (fields, list entries, names) front matter may have: a
#: leaflet needs about 30; the bound stops a pathological file early.
MAX_NODES = 2000
#: A value quoted in a message is cut to this many characters.
QUOTE_MAX = 80

#: Front-matter schema: field -> (kind of value, required).
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
    "department": ("department", False),
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
    "text list": "a list of non-empty texts, each on its own line starting "
                 "with '- '",
    "page count": f"a whole number of pages, from 1 to {MAX_PAGES}",
    "paper": f"one of {', '.join(PAPERS)}",
    "type": "a leaflet type such as procedure or aftercare (see [lint] in "
            "leafpress.toml)",
    "department": "the name of a department of [departments] in leafpress.toml, "
                  "e.g. pain-clinic",
    "status": "draft (or no status field once approved)",
    "origin": "named values (source, format, link, published, modified), "
              "each written 'name: value' on its own line, indented",
}
_MONTHS = ("January", "February", "March", "April", "May", "June", "July",
           "August", "September", "October", "November", "December")
_DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})\Z")
#: Characters a double-quoted YAML string can write as an escape ("\0",
#: "\e", "\ud800") but no leaflet text may hold: control characters
#: other than tab and line feed, lone surrogates (which cannot even be
#: written to a file) and non-characters.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

_TAG = "tag:yaml.org,2002:"
#: What YAML makes of an unquoted value, in the words a message uses.
_IMPLICIT = {f"{_TAG}null": "nothing", f"{_TAG}bool": "yes/no",
             f"{_TAG}int": "number", f"{_TAG}float": "number",
             f"{_TAG}timestamp": "date"}


def quoted(text: str, limit: int = QUOTE_MAX) -> str:
    """``text`` quoted for a message (as ``repr`` does), cut to ``limit``
    characters with an ellipsis: a message never repeats a huge value."""
    shown = repr(text)
    if len(shown) <= limit:
        return shown
    return shown[:limit - 2] + "…" + shown[-1]


def short(text: str, limit: int = QUOTE_MAX) -> str:
    """An unquoted value (a number, a date) cut to ``limit`` characters."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


def split_front_matter(text: str, shown: str) -> tuple[str, str, int]:
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


# -- YAML to nodes -----------------------------------------------------------


class _Refused(Exception):
    """Front matter the composer will not read further; ``line`` is 0-based
    within the front matter."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line, self.message = line, message


class _Composer(yaml.SafeLoader):
    """PyYAML's reader, scanner, parser and composer, and nothing more: the
    result is a node tree (every node knows its line), never Python values.

    Each node is looked at before it is composed, so an anchor, an alias or
    an explicit tag stops the document at once (a "billion laughs" never
    expands), and so do too many values or too deep a nesting (the composer
    recurses once per level)."""

    def __init__(self, source: str):
        super().__init__(source)
        self.depth = 0
        self.count = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        event = self.peek_event()
        line = event.start_mark.line
        if isinstance(event, yaml.AliasEvent) or event.anchor is not None:
            raise _Refused(line, "YAML anchors and aliases ('&name', '*name') are "
                           "not allowed in front matter: write each value out")
        tag = getattr(event, "tag", None)
        if tag not in (None, "!"):
            written = f"!!{tag[len(_TAG):]}" if tag.startswith(_TAG) else tag
            raise _Refused(line, f"YAML tags such as {quoted(written)} are not "
                           "allowed in front matter: remove it")
        self.count += 1
        if self.count > MAX_NODES:
            raise _Refused(line, f"front matter has more than {MAX_NODES} values; "
                           "a leaflet needs a few dozen")
        if not isinstance(event, yaml.CollectionStartEvent):
            return super().compose_node(parent, index)
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _Refused(line, f"front matter is nested more than {MAX_DEPTH} "
                           "levels deep: a field holds text, a date, a number or "
                           "a list of texts")
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


#: What a nurse can do about YAML's most common complaints.
_YAML_ADVICE = {
    "mapping values are not allowed here": (
        ": a value with a colon in it (such as 'title: Knee: after the "
        "injection') must be put in quotes: title: \"Knee: after the injection\""),
    "found character '\t' that cannot start any token": (
        ": a tab: indent with spaces"),
}


def compose(source: str, shown: str) -> yaml.MappingNode:
    """Front matter to its top-level mapping node; any YAML problem, or
    front matter that is not fields, is a :class:`ContentError`."""
    loader = None
    try:
        loader = _Composer(source)  # the reader checks every character here
        node = loader.get_single_node()
    except _Refused as refused:
        raise ContentError([Problem(shown, refused.line + 2,
                                    refused.message)]) from None
    except yaml.reader.ReaderError as error:
        line = source[:error.position].count("\n") + 2
        character = (f"U+{error.character:04X}" if isinstance(error.character, int)
                     else quoted(str(error.character)))
        raise ContentError([Problem(shown, line, f"front matter has a character "
                                    f"YAML does not allow ({character}): remove "
                                    "it")]) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 2 if mark else 2
        problem = str(error.problem or error)
        advice = _YAML_ADVICE.get(problem, "")
        raise ContentError([Problem(shown, line, "front matter is not valid YAML: "
                                    f"{short(problem, 200)}{advice}")]
                           ) from None
    except yaml.YAMLError as error:
        raise ContentError([Problem(shown, 2, "front matter is not valid YAML: "
                                    f"{short(str(error), 200)}")]) from None
    finally:
        if loader is not None:
            loader.dispose()
    if not isinstance(node, yaml.MappingNode):
        raise ContentError([Problem(shown, 2, "front matter must be fields written "
                                    "'name: value'")])
    return node


def _line(node: yaml.Node) -> int:
    """The line of a node in the leaflet file (front matter starts on 2)."""
    return node.start_mark.line + 2


def _what(node: yaml.Node) -> str:
    """What YAML read: ``text``, ``number``, ``yes/no``, ``date``,
    ``nothing``, ``list`` or ``mapping``."""
    if isinstance(node, yaml.SequenceNode):
        return "list"
    if isinstance(node, yaml.MappingNode):
        return "mapping"
    return _IMPLICIT.get(node.tag, "text")


def _shown(node: yaml.Node) -> str:
    """A value as a message shows it: text quoted and cut, a number or a
    date as written, a list or mapping by what it is."""
    what = _what(node)
    if what == "list":
        return "an empty list" if not node.value else "a list"
    if what == "mapping":
        return "named values"
    if what == "nothing":
        return "nothing"
    if what == "text":
        return quoted(node.value)
    return short(node.value)


class _Wrong(Exception):
    """A field's value is wrong: the message, and the line of the node."""

    def __init__(self, node: yaml.Node, message: str):
        super().__init__(message)
        self.line, self.message = _line(node), message


def _must(key: str, kind: str, node: yaml.Node, why: str = "") -> _Wrong:
    return _Wrong(node, f"{key} must be {_DESCRIBE[kind]}, not {_shown(node)}{why}")


def _fields(root: yaml.MappingNode, shown: str, problems: list[Problem]
            ) -> tuple[dict[str, yaml.Node], dict[str, int]]:
    """The top-level fields by name, and the line of each name. A name that
    is not text, a field given twice and an unknown field are problems (the
    first of two is kept, so that the rest is still checked)."""
    nodes: dict[str, yaml.Node] = {}
    lines: dict[str, int] = {}
    for key, value in root.value:
        if not isinstance(key, yaml.ScalarNode) or _what(key) != "text":
            problems.append(Problem(shown, _line(key), "a field name is a word "
                                    f"such as title, not {_shown(key)}"))
            continue
        name = key.value
        if name in nodes:
            problems.append(Problem(shown, _line(key), f"{short(name)} is given "
                                    f"twice, on lines {lines[name]} and "
                                    f"{_line(key)}: keep one"))
            continue
        if name not in FIELDS:
            problems.append(Problem(shown, _line(key), f"unknown field "
                                    f"{quoted(name)} (known fields: "
                                    f"{', '.join(FIELDS)})"))
        nodes[name], lines[name] = value, _line(key)
    return nodes, lines


# -- nodes to values, one reader per kind of field ---------------------------


def _text(key: str, node: yaml.Node, kind: str = "text",
          limit: int = MAX_TEXT) -> str:
    """Non-empty text of at most ``limit`` characters. A value YAML reads as
    a number, a yes/no or a date is refused (quoting makes it text)."""
    what = _what(node)
    if what == "nothing":
        raise _Wrong(node, f"{key} is empty: write {_DESCRIBE[kind]}")
    if what in ("number", "yes/no", "date"):
        raise _must(key, kind, node, f" (YAML reads it as a {what}: put it in "
                    "quotes if it is text)")
    if what != "text" or not node.value.strip():
        raise _must(key, kind, node)
    if len(node.value) > limit:
        raise _Wrong(node, f"{key} is {len(node.value):,} characters long; at "
                     f"most {limit:,}: shorten it")
    _printable(key, node)
    return node.value


def _printable(key: str, node: yaml.ScalarNode) -> None:
    if bad := _UNPRINTABLE.search(node.value):
        raise _Wrong(node, f"{key} holds a character that cannot be printed "
                     f"(U+{ord(bad[0]):04X}, after "
                     f"{quoted(node.value[:bad.start()][-20:])}): remove it")


def _read_text(key: str, node: yaml.Node) -> str:
    return _text(key, node).strip()


def _read_text_list(key: str, node: yaml.Node) -> list[str]:
    if _what(node) != "list" or not node.value:
        raise _must(key, "text list", node)
    if len(node.value) > MAX_ITEMS:
        raise _Wrong(node, f"{key} has {len(node.value)} entries; at most "
                     f"{MAX_ITEMS}")
    return [_text(f"{key}, entry {number},", item).strip()
            for number, item in enumerate(node.value, start=1)]


def _read_slug(key: str, node: yaml.Node) -> str:
    value = _text(key, node, "slug")
    if not SLUG_RE.match(value):
        raise _must(key, "slug", node)
    return value


def _read_version(key: str, node: yaml.Node) -> str:
    if _what(node) == "number":  # 1.10 would be 1.1
        raise _must(key, "version", node)
    value = _text(key, node, "version")
    if not VERSION_RE.match(value):
        raise _must(key, "version", node)
    return value


def _read_date(key: str, node: yaml.Node) -> datetime.date:
    """A real date, YYYY-MM-DD, quoted or not, in MIN_YEAR..MAX_YEAR. Read
    from the text as written: PyYAML would crash on 2027-02-30."""
    what = _what(node)
    match = _DATE_RE.match(node.value.strip()) if what in ("date", "text") else None
    if match is None:
        why = (" (a date and a time: leave the time out)" if what == "date"
               else "")
        raise _must(key, "date", node, why)
    written = short(node.value.strip())
    year, month, day = map(int, match.groups())
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _Wrong(node, f"{key}: {written} is out of range: a leaflet's dates "
                     f"are in the years {MIN_YEAR} to {MAX_YEAR}; check the year")
    if not 1 <= month <= 12:
        raise _Wrong(node, f"{key}: {written} is not a date: there is no month "
                     f"{month}; write YYYY-MM-DD")
    last = (datetime.date(year + month // 12, month % 12 + 1, 1)
            - datetime.timedelta(days=1)).day
    if not 1 <= day <= last:
        raise _Wrong(node, f"{key}: {written} is not a date: {_MONTHS[month - 1]} "
                     f"{year} has {last} days; write YYYY-MM-DD")
    return datetime.date(year, month, day)


def _read_page_count(key: str, node: yaml.Node) -> int:
    """A whole number from 1 to MAX_PAGES, read from its digits (quoted or
    not): never a YAML octal, hexadecimal or sexagesimal, and never a
    5000-digit number that Python refuses to convert."""
    value = node.value.strip() if isinstance(node, yaml.ScalarNode) else ""
    if (_what(node) not in ("number", "text") or not value.isascii()
            or not value.isdigit() or len(value) > 3
            or not 1 <= int(value) <= MAX_PAGES):
        raise _must(key, "page count", node)
    return int(value)


def _read_paper(key: str, node: yaml.Node) -> str:
    if _what(node) != "text" or node.value not in PAPERS:
        raise _must(key, "paper", node)
    return node.value


def _read_type(key: str, node: yaml.Node) -> str:
    value = _text(key, node, "type", limit=40)
    if not SLUG_RE.match(value):
        raise _must(key, "type", node)
    return value


def _read_department(key: str, node: yaml.Node) -> str:
    value = _text(key, node, "department", limit=60)
    if not SLUG_RE.match(value):
        raise _must(key, "department", node)
    return value


def _read_status(key: str, node: yaml.Node) -> str:
    if _what(node) != "text" or node.value != "draft":
        raise _must(key, "status", node)
    return node.value


def _read_origin(key: str, node: yaml.Node) -> dict[str, str]:
    """Where an imported leaflet came from: names and texts, kept as text."""
    if _what(node) != "mapping":
        raise _must(key, "origin", node)
    origin: dict[str, str] = {}
    lines: dict[str, int] = {}
    for name, value in node.value:
        if _what(name) != "text":
            raise _Wrong(name, f"{key}: a name is a word such as source, not "
                         f"{_shown(name)}")
        if name.value in origin:
            raise _Wrong(name, f"{key}: {short(name.value)} is given twice, on "
                         f"lines {lines[name.value]} and {_line(name)}: keep one")
        lines[name.value] = _line(name)
        if not isinstance(value, yaml.ScalarNode) or _what(value) == "nothing":
            raise _Wrong(value, f"{key}: {short(name.value)} must be text, not "
                         f"{_shown(value)}")
        if len(value.value) > MAX_ORIGIN_TEXT:
            raise _Wrong(value, f"{key}: {short(name.value)} is "
                         f"{len(value.value):,} characters long; at most "
                         f"{MAX_ORIGIN_TEXT:,}")
        _printable(f"{key}: {short(name.value)}", value)
        origin[name.value] = value.value
    return origin


_READERS: dict[str, Callable[[str, yaml.Node], Any]] = {
    "slug": _read_slug, "text": _read_text, "version": _read_version,
    "date": _read_date, "text list": _read_text_list,
    "page count": _read_page_count, "paper": _read_paper, "type": _read_type,
    "department": _read_department, "status": _read_status,
    "origin": _read_origin,
}


def _years_after(date: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` later (28 February for 29 February)."""
    try:
        return date.replace(year=date.year + years)
    except ValueError:
        return date.replace(year=date.year + years, day=28)


def _is_todo(node: yaml.Node) -> bool:
    """``TODO`` or ``[TODO]``: a field a draft leaves to be filled in."""
    if isinstance(node, yaml.SequenceNode) and len(node.value) == 1:
        node = node.value[0]
    return (isinstance(node, yaml.ScalarNode) and _what(node) == "text"
            and node.value == TODO)


def check_meta(root: yaml.MappingNode, path: Path, shown: str,
               problems: list[Problem], known: Placeholders | None = None
               ) -> Meta | None:
    """The validated metadata of the fields in ``root``, or None when they
    have problems (added to ``problems``)."""
    nodes, lines = _fields(root, shown, problems)
    status = nodes.get("status")
    draft = (isinstance(status, yaml.ScalarNode) and _what(status) == "text"
             and status.value == "draft")
    data: dict[str, Any] = {}
    todo: list[str] = []
    for key, (kind, required) in FIELDS.items():
        if key not in nodes:
            if required:
                problems.append(Problem(shown, 1, f"missing field {key!r}: "
                                        f"{_DESCRIBE[kind]}"))
            continue
        if draft and key in DRAFT_FIELDS and _is_todo(nodes[key]):
            # A draft may leave fields to fill in; stand-ins let it be
            # extracted and printed as a DRAFT for review, never as a leaflet.
            todo.append(key)
            data[key] = _STAND_IN[kind]
            continue
        try:
            data[key] = _READERS[kind](key, nodes[key])
        except _Wrong as wrong:
            problems.append(Problem(shown, wrong.line, wrong.message))
    if problems:
        return None
    department = data.get("department")
    if (known is not None and department is not None
            and department not in known.departments):
        problems.append(Problem(shown, lines["department"],
                                known.unknown(department)))
    if data["slug"] != path.stem:
        problems.append(Problem(shown, lines["slug"],
                                f"slug {quoted(data['slug'])} does not match the "
                                f"file name {quoted(path.name)}"))
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
        title=data["title"],
        version=data["version"],
        published=published,
        review_by=review_by,
        organisation=data["organisation"],
        authors=tuple(data["authors"]),
        clinical_reviewer=data["clinical-reviewer"],
        sources=tuple(data["sources"]),
        max_pages=data["max-pages"],
        paper=data.get("paper"),
        type=data.get("type"),
        department=department,
        max_pages_variant=tuple((name, data[f"max-pages-{name}"])
                                for name in ("large", "booklet")
                                if f"max-pages-{name}" in data),
        summary=(data["summary"] if "summary" in data
                 and "summary" not in todo else None),
        title_line=lines["title"],
        summary_line=lines.get("summary"),
        draft=draft,
        todo=tuple(todo),
    )
