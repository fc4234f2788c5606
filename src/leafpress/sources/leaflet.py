"""Read leaflet sources: ``leaflets/<slug>.md`` to :class:`~leafpress.model.Leaflet`.

Called by extract, build, check, lint, status, the report and the make
rules. In: a Markdown file with YAML front matter. Out: validated metadata
(read by :mod:`leafpress.sources.front_matter`), the translatable blocks
with their lines, and the messages a catalog needs. Every problem is
collected and raised together as :class:`~leafpress.errors.ContentError`
with ``path:line: message``; no content, however broken, raises anything
else, so one bad leaflet stops only itself.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from leafpress.errors import ContentError, Problem, display_path
from leafpress.model import Block, Leaflet, Message, Meta
from leafpress.settings.contacts import DEPARTMENT_PLACEHOLDERS, Placeholders
from leafpress.sources.front_matter import (
    check_meta,
    compose,
    quoted,
    short,
    split_front_matter,
)
from leafpress.text import markup

#: Deeper lists are refused (and the Markdown parser stops at 20 levels of
#: nesting, which would lose text).
MAX_LIST_DEPTH = 6
#: A patient leaflet is a few pages; anything this big is a mistake, and would
#: tie up a print run.
MAX_BYTES = 1_000_000


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
                                        f"leaflet: {quoted(child.content)}"))
            elif child.type == "image" and not child.children:
                problems.append(Problem(shown, line, "an image needs alt text: "
                                        "![what it shows](file)"))
            elif child.type == "link_open":
                href = str(child.attrs.get("href", ""))
                if not href.lower().startswith(markup.ALLOWED_LINK_SCHEMES):
                    problems.append(Problem(shown, line, f"link target "
                                            f"{quoted(href)} is not allowed: use "
                                            "https://, mailto: or tel:"))
        for name in markup.placeholders(text):
            if names is not None and name not in names:
                problems.append(Problem(shown, line, f"unknown placeholder "
                                        f"{{{short(name)}}}; known: "
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


def _department_problems(meta: Meta, blocks: list[Block], shown: str,
                         known: Placeholders | None) -> list[Problem]:
    """A department placeholder needs the leaflet's ``department:`` (and
    ``{department_hours}`` a department with opening hours)."""
    problems = []
    texts = [(meta.title, meta.title_line), (meta.summary or "", meta.summary_line)]
    texts += [(block.text, block.line) for block in blocks]
    department = (known.departments.get(meta.department or "")
                  if known is not None else None)
    for text, line in texts:
        for name in markup.placeholders(text):
            if name not in DEPARTMENT_PLACEHOLDERS:
                continue
            if meta.department is None:
                listed = (f" (departments: {', '.join(sorted(known.departments))})"
                          if known is not None and known.departments else "")
                problems.append(Problem(shown, line, f"{{{name}}} needs the "
                                        "leaflet's department: add 'department: "
                                        f"<name>' to the front matter{listed}"))
            elif (name == "department_hours" and department is not None
                  and not department.hours):
                problems.append(Problem(shown, line, f"{{{name}}}: department "
                                        f"{meta.department!r} has no opening hours "
                                        f"in {known.origin}: add hours = "
                                        '[{ days = "mon-fri", opens = "08:30", '
                                        'closes = "17:00" }]'))
    return problems


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
    know the project's settings). The project's
    :class:`~leafpress.settings.contacts.Placeholders` also check ``department:``."""
    text = decode(path, data, shown)
    if not text.strip():
        raise ContentError([Problem(shown, 1, "the leaflet is empty")])
    front, body, body_line = split_front_matter(text, shown)
    problems: list[Problem] = []
    known = placeholders if isinstance(placeholders, Placeholders) else None
    names = known.names if known is not None else placeholders
    meta = check_meta(compose(front, shown), path, shown, problems, known)
    tokens = markup.parser(report=True).parse(body)
    blocks = _check_body(tokens, body_line, shown, names, problems)
    if meta is not None:
        for name, line in ((meta.title, meta.title_line),
                           (meta.summary or "", meta.summary_line)):
            for placeholder in markup.placeholders(name):
                if names is not None and placeholder not in names:
                    problems.append(Problem(shown, line, f"unknown placeholder "
                                            f"{{{short(placeholder)}}}"))
        if names is not None:
            problems += _department_problems(meta, blocks, shown, known)
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
