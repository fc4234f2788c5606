"""Compose: a leaflet and its catalogs, in one language, as HTML.

Called by the build pipeline. In: a :class:`~leafpress.model.Leaflet`, a
language, the compiled catalogs (through
:class:`~leafpress.translation.catalogs.Translator`) and the Jinja2 templates.
Out: a :class:`~leafpress.model.Document` (its HTML and the text the PDF must
show), which :mod:`leafpress.printing.render` prints to PDF.

The templates run with ``StrictUndefined``, autoescape and new-style gettext.
Leaflet text is Markdown parsed without raw HTML; placeholder values come from
``leafpress.toml`` and are escaped. The values a reader copies or acts on
(:mod:`leafpress.text.values`), in the leaflet's text and the template's, are set
in spans that a line cannot break or hyphenate.
"""

from __future__ import annotations

import datetime
import itertools
import os
import re
from collections.abc import Callable, Iterator, Mapping
from html import unescape
from pathlib import Path

import pyphen
from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from jinja2 import (
    Environment,
    FileSystemLoader,
    FunctionLoader,
    StrictUndefined,
    TemplateError,
)
from markdown_it.token import Token
from markupsafe import Markup, escape

from leafpress.errors import ContentError, Problem
from leafpress.model import (
    PAPERS,
    VARIANTS,
    Document,
    ExpectedText,
    Leaflet,
    Variant,
)
from leafpress.printing import accessibility
from leafpress.quality import leaflet_text
from leafpress.settings.project import Project
from leafpress.text import markup
from leafpress.text.values import RTL_RE, Value, breaks
from leafpress.text.values import find as find_values

TEMPLATE = "leaflet.html"
Translate = Callable[[str, str | None], str]


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string that cannot end the string or the
    ``<style>`` element it sits in (and holds no brace that a reader of the
    stylesheet could mistake for the end of a rule)."""
    out = []
    for char in text:
        if char in '"\\<>&{}' or ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\{ord(char):x} ")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def css_counter(template: str) -> Markup:
    """``Page {page} of {pages}`` as CSS ``content`` with page counters."""
    parts = []
    rest = _text_of(template)
    while rest:
        positions = [(rest.find(key), key) for key in ("{page}", "{pages}")
                     if key in rest]
        if not positions:
            parts.append(css_string(rest))
            break
        index, key = min(positions)
        if index:
            parts.append(css_string(rest[:index]))
        parts.append("counter(page)" if key == "{page}" else "counter(pages)")
        rest = rest[index + len(key):]
    return Markup(" ".join(parts) or '""')


def _span(html: str) -> Token:
    token = Token("html_inline", "", 0)
    token.content = html
    return token


def _direction(text: str) -> str:
    """`` dir="ltr"`` for a value without right-to-left words: in Arabic
    text it is a left-to-right isolate, or a line shows "C° 38" and reversed
    phone groups."""
    return "" if RTL_RE.search(text) else ' dir="ltr"'


def value_html(value: Value) -> str:
    """A value (:mod:`leafpress.text.values`) as HTML that a line cannot break or
    hyphenate (``class="nobreak"``, see ``leaflet.css``). A long web address
    is whole between its slashes and may break after them (``class="parts"``,
    see :func:`leafpress.text.values.breaks`); a value with right-to-left words
    (``1 من 10``, a date in Arabic) keeps the writing direction and isolates
    only its numbers, each left-to-right."""
    text = value.text
    cuts = breaks(value)
    if cuts:
        parts = [text[start:end] for start, end in zip((0, *cuts), (*cuts, len(text)),
                                                       strict=True)]
        return ('<span class="parts" dir="ltr">' + "".join(
            f'<span class="nobreak">{escape(part)}</span>' for part in parts)
            + "</span>")
    if not value.rtl:
        return f'<span class="nobreak" dir="ltr">{escape(text)}</span>'
    out, position = [], 0
    for start, end in value.numbers:
        start, end = start - value.start, end - value.start
        out += [str(escape(text[position:start])),
                f'<span dir="ltr">{escape(text[start:end])}</span>']
        position = end
    return f'<span class="nobreak">{"".join(out)}{escape(text[position:])}</span>'


def _marked(text: str, lang: str) -> list[Token]:
    """Text as tokens, each of its values (read in ``lang``) in its span; a
    number of digits alone (``112``, ``2008``) cannot break and reads the
    same in either direction, so it stays text."""
    tokens: list[Token] = []
    position = 0
    for value in find_values(text, lang):
        if value.text.isdigit():
            continue
        if value.start > position:
            tokens.append(_text(text[position:value.start]))
        tokens.append(_span(value_html(value)))
        position = value.end
    if position < len(text):
        tokens.append(_text(text[position:]))
    return tokens


def _split(text: str, values: dict[str, str], lang: str) -> list[Token]:
    """Split a text token at placeholders, filled with their escaped values
    (bold, ``class="value"``), and at the values of the text between them
    (:func:`value_html`): none of them can break across lines."""
    tokens: list[Token] = []
    position = 0
    for match in markup.PLACEHOLDER_RE.finditer(text):
        if match[1] not in values:
            continue  # left as it is written
        tokens += _marked(text[position:match.start()], lang)
        filled = values[match[1]]
        tokens.append(_span(f'<span class="value"{_direction(filled)}>'
                            f"{escape(filled)}</span>"))
        position = match.end()
    return tokens + _marked(text[position:], lang)


#: A tag of the HTML, and a span that marks a value (its text is whole).
_TAG_RE = re.compile(r"(<[^>]*>)")
_MARKED_RE = re.compile(r'<span\b[^>]*\bclass="(?:value|nobreak|parts)"')


def mark_template_values(html: str, lang: str) -> str:
    """Mark the values of the text the template prints around the leaflet's
    own (the dates, the e-mail address for feedback, the sources) as those of
    the leaflet are (:func:`value_html`): each text between two tags of the
    body, outside the spans that already mark a value (and outside a style
    or script)."""
    body = html.find("<body")
    if body < 0:
        return html
    out = [html[:body]]
    inside = 0  # spans open since a marked one opened
    raw = None  # the end tag of a style or script being passed
    for index, piece in enumerate(_TAG_RE.split(html[body:])):
        if index % 2:
            if raw:
                raw = None if piece.lower().startswith(raw) else raw
            elif inside:
                inside += piece.startswith("<span") - piece.startswith("</span")
            elif _MARKED_RE.match(piece):
                inside = 1
            elif (tag := re.match(r"<(style|script)\b", piece, re.I)) is not None:
                raw = f"</{tag[1].lower()}"
        elif not (inside or raw) and piece.strip():
            text = unescape(piece)
            if any(not value.text.isdigit() for value in find_values(text, lang)):
                piece = "".join(token.content if token.type == "html_inline"
                                else str(escape(token.content))
                                for token in _marked(text, lang))
        out.append(piece)
    return "".join(out)


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def inline(text: str, values: dict[str, str], lang: str = "en"
           ) -> tuple[list[Token], str]:
    """Parse translated inline Markdown; fill placeholders and mark values
    (read in ``lang``, see :func:`_split`); return the tokens and the plain
    text a reader will see."""
    children = markup.parse_inline(text)
    filled: list[Token] = []
    for child in children:
        if child.type == "text":
            filled.extend(_split(child.content, values, lang))
        else:
            filled.append(child)
    return filled, markup.plain_text(children, values)


def render_inline(text: str, values: dict[str, str], lang: str = "en"
                  ) -> tuple[Markup, str]:
    children, plain = inline(text, values, lang)
    md = markup.parser()
    return Markup(md.renderer.renderInline(children, md.options, {})), plain


def template_sources(templates: Path, files: Mapping[str, bytes]) -> dict[str, str]:
    """The HTML templates among ``files`` (the bytes of every file of the
    templates folder, by resolved path: :func:`render.assets`), by their
    name in the folder; :class:`ContentError` for one that is not UTF-8."""
    folder = templates.resolve()
    found = {}
    for name, data in files.items():
        path = Path(name)
        if path.suffix == ".html" and path.is_relative_to(folder):
            try:
                found[path.relative_to(folder).as_posix()] = data.decode("utf-8")
            except UnicodeDecodeError as error:
                raise ContentError([Problem(str(path), None, "a template must be "
                                            f"UTF-8 text: {error.reason}")]) from None
    return found


def environment(templates: Path, sources: Mapping[str, str] | None = None
                ) -> Environment:
    """The Jinja2 environment of the templates: ``sources`` (their text by
    name, as one run read them: :func:`template_sources`), or the files of
    the ``templates`` folder."""
    def load(name: str) -> tuple[str, str, Callable[[], bool]] | None:
        if sources is None or name not in sources:
            return None
        return sources[name], str(templates / name), lambda: True

    env = Environment(
        loader=FileSystemLoader(templates) if sources is None else FunctionLoader(load),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        keep_trailing_newline=True,
    )
    env.globals["css_string"] = lambda text: Markup(css_string(_text_of(text)))
    env.globals["css_counter"] = css_counter
    return env



def _text_of(value) -> str:
    """The text a reader sees of a template value: escaped HTML (a translated
    string) is turned back into its characters, for CSS strings."""
    return value.unescape() if isinstance(value, Markup) else str(value)


def _install(env: Environment, ui: Translate | None) -> None:
    """Install the template catalog. Its translations are text, never HTML:
    Jinja's new-style gettext marks what the catalog returns as safe, so each
    translation is escaped first (a ``<style>`` or a link in ``ui.po`` shows
    as the characters it is made of, and cannot style, hide or add
    anything)."""
    if ui is None:
        env.install_null_translations(newstyle=True)
        return

    def text(function):
        return lambda *args: str(escape(function(*args)))

    env.install_gettext_callables(
        gettext=text(ui.gettext), ngettext=text(ui.ngettext), newstyle=True,
        pgettext=text(ui.pgettext), npgettext=text(ui.npgettext))


def compose(leaflet: Leaflet, lang: str, project: Project, translate: Translate,
            ui: Translate | None, draft: bool = False,
            variant: Variant = VARIANTS["standard"], env: Environment | None = None,
            approval: tuple[str, datetime.date] | None = None
            ) -> Document:
    """Lay out one leaflet in one language and print variant as HTML.

    ``translate(msgid, context)`` must raise :class:`KeyError` for a message
    it does not have; ``ui`` is the template catalog (``None`` for the source
    language). ``env`` is the run's :func:`environment` (by default, one
    over the templates folder). ``approval`` is who signed off the
    translation, and when (printed in "About this leaflet"). The HTML is
    checked for accessibility before it is returned (see
    :mod:`leafpress.printing.accessibility`). Raises :class:`ContentError`.
    """
    settings = project.settings
    meta = leaflet.meta
    shown = project.show(leaflet.path)
    dates = date_locale(lang, settings.country)
    values = settings.placeholders.values(meta.department, lang, dates)
    problems: list[Problem] = []
    expected: list[ExpectedText] = []

    def lookup(msgid: str, context: str | None, line: int) -> str:
        try:
            return translate(msgid, context)
        except KeyError:
            problems.append(Problem(shown, line, f"no translation into {lang} for "
                                    f"“{msgid[:50]}”"))
            return msgid

    title_text = lookup(meta.title, "title", meta.title_line)
    title_html, title_plain = render_inline(title_text, values, lang)
    expected.append(ExpectedText("title", title_plain, f"{shown}:{meta.title_line}",
                                 markup.fill(meta.title, values)))
    summary_html = None
    if meta.summary:
        summary_html, summary_plain = render_inline(
            lookup(meta.summary, "summary", meta.summary_line or 1), values, lang)
        expected.append(ExpectedText("summary", summary_plain,
                                     f"{shown}:{meta.summary_line}",
                                     markup.fill(meta.summary, values)))

    md = markup.parser()
    tokens = md.parse(leaflet.body)
    sections: list[str] = []
    keys: dict[int, str | None] = {}
    for (site, _text), block in zip(markup.translatable(tokens), leaflet.blocks,
                                    strict=True):
        children, plain = inline(lookup(block.text, None, block.line), values, lang)
        site.token.children = children
        if block.kind == "heading" and block.level == 2:
            sections.append(plain)
            keys[id(site.token)] = leaflet_text.section_key(block.text, block.anchor,
                                                            settings.source_language)
        source_plain = markup.plain_text(markup.parse_inline(block.text), values)
        expected.append(ExpectedText(block.kind, plain, f"{shown}:{block.line}",
                                     source_plain))
    if problems:
        raise ContentError(problems)
    contact: list[Token] = []
    if variant.cover:  # a booklet's back page takes the closing contact section
        tokens, contact = back_page_section(tokens, keys)
    numbers = itertools.count(1)
    body_html, contact_html = (
        Markup(md.renderer.render(keep_together(part, keys, numbers), md.options, {}))
        for part in (tokens, contact))

    locale = Locale.parse(lang)
    # clear print: no hyphenation unless [print] hyphenate asks for it (and
    # pyphen has a dictionary for the language)
    hyphenate = settings.hyphenate and bool(pyphen.language_fallback(lang))
    env = env if env is not None else environment(project.templates)
    _install(env, ui)
    paper = PAPERS[variant.paper or meta.paper or settings.paper.name]
    branding = settings.branding
    try:
        html = env.get_template(TEMPLATE).render(
            lang=lang,
            dir=locale.text_direction,
            title=title_html,
            title_text=title_plain,
            summary=summary_html,
            body=body_html,
            contact=contact_html or None,
            meta=meta,
            settings=settings,
            paper=paper,
            variant=variant,
            branding=branding,
            source_dir=Locale.parse(settings.source_language).text_direction,
            # relative to the templates, so that the HTML (and the PDF's
            # identifier, derived from it) is the same in every checkout
            logo=(Path(os.path.relpath(branding.logo, project.templates.resolve()))
                  .as_posix() if branding.logo else None),
            hyphens="auto" if hyphenate else "manual",
            # A draft's dates may still be TODO: never print a stand-in date.
            published=("TODO" if "published" in meta.todo
                       else format_date(meta.published, "long", locale=dates)),
            review_by=("TODO" if "review-by" in meta.todo
                       else format_date(meta.review_by, "long", locale=dates)),
            draft=draft,
            translation_of=None if lang == settings.source_language else {
                "language": Locale.parse(settings.source_language)
                .get_display_name(locale),
                "version": meta.version},
            approved=None if approval is None else {
                "name": approval[0].replace(" ", "\u00a0"),  # never split a name
                "date": format_date(approval[1], "long", locale=dates)},
            keywords=", ".join(dict.fromkeys(sections)),
            # whom the reader contacts: the leaflet's department, or the clinic
            contact_details=settings.placeholders.contact(meta.department, lang,
                                                          dates),
        )
    except KeyError as error:
        raise ContentError([Problem(project.show(project.po_path(lang, "ui")), None,
                                    f"template string {error} is not translated; "
                                    "run `leafpress extract` and `leafpress update`")]
                           ) from None
    except TemplateError as error:
        line = getattr(error, "lineno", None)
        name = getattr(error, "filename", None) or str(project.templates / TEMPLATE)
        raise ContentError([Problem(project.show(Path(name)), line,
                                    f"template error: {error.message}")]) from None
    document = Document(slug=meta.slug, lang=lang, title=title_plain,
                        html=mark_template_values(html, lang),
                        paper=paper, max_pages=leaflet.max_pages(variant),
                        expected=tuple(expected), variant=variant,
                        direction=locale.text_direction, draft=draft,
                        hyphenate=hyphenate)
    problems = accessibility.check(document, project.show(
        project.html_path(lang, meta.slug, variant.suffix)))
    if problems:
        raise ContentError(problems)
    return document


#: A list of at most this many items stays on one page with the paragraph
#: that leads into it ("Call 112 straight away if:"), where they fit.
SHORT_LIST = 5
#: Sections (:func:`leafpress.quality.leaflet_text.section_key`) kept on one page,
#: or on one spread of a booklet, where they fit.
KEPT_SECTIONS = ("get-help",)


def _html_block(html: str) -> Token:
    token = Token("html_block", "", 0)
    token.content = html + "\n"
    return token


def _top_level(tokens: list[Token]) -> list[tuple[int, int]]:
    """The ``(start, end)`` token range of every top-level block."""
    blocks, start = [], 0
    for index, token in enumerate(tokens):
        if token.level != 0:
            continue
        if token.nesting == 1:
            start = index
        else:
            blocks.append((index if token.nesting == 0 else start, index + 1))
    return blocks


def _section_key(tokens: list[Token], start: int, keys: dict[int, str | None]
                 ) -> str | None:
    """The section key of a level-2 heading opening at ``start`` (else None)."""
    if tokens[start].type != "heading_open" or tokens[start].tag != "h2":
        return None
    return keys.get(id(tokens[start + 1]))


def back_page_section(tokens: list[Token], keys: dict[int, str | None]
                      ) -> tuple[list[Token], list[Token]]:
    """The body split before its last level-2 section when that is the
    contact section (for a booklet's back page); else the body and nothing."""
    starts = [start for start, _end in _top_level(tokens)
              if tokens[start].type == "heading_open" and tokens[start].tag == "h2"]
    if starts and _section_key(tokens, starts[-1], keys) == "contact":
        return tokens[:starts[-1]], tokens[starts[-1]:]
    return tokens, []


def keep_together(tokens: list[Token], keys: dict[int, str | None],
                  numbers: Iterator[int]) -> list[Token]:
    """Wrap what a page break should not split in elements the stylesheet
    keeps whole where they fit (``class="keep"``): a list of at most
    :data:`SHORT_LIST` items with the paragraph before it, and each section
    of :data:`KEPT_SECTIONS` (``keys``: the section key of each level-2
    heading, by the ``id`` of its inline token). A paragraph that leads into
    a longer list stays with its first item (``class="lead-in"``). Each
    wrapper is numbered (``data-keep``) for
    :func:`~leafpress.printing.render.booklet_layout`, which keeps it on one
    spread of a booklet."""
    blocks = _top_level(tokens)
    wrappers: list[tuple[int, int, str]] = []  # (start, end, tag)
    kept = None
    for index, (start, _end) in enumerate(blocks):
        if tokens[start].type == "heading_open" and tokens[start].tag == "h2":
            if kept is not None:
                wrappers.append((kept, start, "section"))
            kept = start if _section_key(tokens, start, keys) in KEPT_SECTIONS else None
        if (tokens[start].type == "paragraph_open" and index + 1 < len(blocks)
                and tokens[blocks[index + 1][0]].type in ("bullet_list_open",
                                                          "ordered_list_open")):
            following_start, following_end = blocks[index + 1]
            items = sum(1 for token in tokens[following_start:following_end]
                        if token.type == "list_item_open" and token.level == 1)
            if items <= SHORT_LIST:
                wrappers.append((start, following_end, "div"))
            else:
                tokens[start].attrJoin("class", "lead-in")
    if kept is not None:
        wrappers.append((kept, len(tokens), "section"))
    wrapped: list[Token] = []
    for index, token in enumerate([*tokens, None]):
        # inner wrappers close first and open last
        wrapped += [_html_block(f"</{tag}>") for start, end, tag in
                    sorted(wrappers, key=lambda wrapper: -wrapper[0]) if end == index]
        wrapped += [_html_block(f'<{tag} class="keep" data-keep="{next(numbers)}">')
                    for start, end, tag in sorted(wrappers, key=lambda wrapper: (
                        wrapper[0], -wrapper[1])) if start == index]
        if token is not None:
            wrapped.append(token)
    return wrapped


def date_locale(lang: str, country: str) -> Locale:
    """The locale dates are written in: the language as used in the clinic's
    country when Babel knows that (``en_NL`` writes 1 November 2029), else
    the language alone."""
    try:
        return Locale.parse(f"{lang}_{country}")
    except (ValueError, UnknownLocaleError):
        return Locale.parse(lang)
