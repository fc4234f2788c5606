"""Render: a leaflet and its catalogs to HTML, and HTML to PDF.

Called by the build pipeline. In: a :class:`~leafpress.model.Leaflet`, a
language, the compiled catalogs (through :class:`~leafpress.catalogs.Translator`)
and the Jinja2 templates. Out: a :class:`~leafpress.model.Document` (its HTML
and the text the PDF must show), then a PDF written by WeasyPrint in a
long-lived worker process.

The templates run with ``StrictUndefined``, autoescape and new-style gettext.
Leaflet text is Markdown parsed without raw HTML; placeholder values come from
``leafpress.toml`` and are escaped. WeasyPrint is imported only inside the
workers, each of which keeps one ``FontConfiguration``; every warning it logs
fails the render (see :mod:`leafpress.sandbox`).
"""

from __future__ import annotations

import datetime
import hashlib
import multiprocessing
import os
import re
import resource
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyphen
from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError
from markdown_it.token import Token
from markupsafe import Markup, escape

from . import accessibility, facts, markup
from .config import Project
from .errors import ContentError, Problem, UsageError
from .model import (
    BOOKLET_SUFFIX,
    PAPERS,
    VARIANTS,
    Document,
    ExpectedText,
    Leaflet,
    Variant,
)

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


def _split(text: str, values: dict[str, str], rtl: bool) -> list[Token]:
    """Split a text token at placeholders (filled with their escaped values)
    and, in right-to-left text, at numbers with their units: both are kept
    left-to-right, or an Arabic line shows "C° 38" and reversed phone groups."""
    pattern = PLACEHOLDER_OR_NUMBER_RE if rtl else markup.PLACEHOLDER_RE
    tokens: list[Token] = []
    position = 0
    for match in pattern.finditer(text):
        if match.start() > position:
            tokens.append(_text(text[position:match.start()]))
        name = match.groupdict().get("name", match[1] if not rtl else None)
        if name is not None and name in values:
            tokens.append(_span(f'<span class="value" dir="ltr">'
                                f"{escape(values[name])}</span>"))
        elif name is not None:
            tokens.append(_text(match[0]))
        else:
            tokens.append(_span(f'<span dir="ltr">{escape(match[0])}</span>'))
        position = match.end()
    if position < len(text):
        tokens.append(_text(text[position:]))
    return tokens


PLACEHOLDER_OR_NUMBER_RE = re.compile(
    markup.PLACEHOLDER_RE.pattern.replace("(", "(?P<name>", 1) + "|"
    + facts.NUMBER_RE.pattern)


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def inline(text: str, values: dict[str, str], rtl: bool = False
           ) -> tuple[list[Token], str]:
    """Parse translated inline Markdown; fill placeholders; return the tokens
    and the plain text a reader will see."""
    children = markup.parse_inline(text)
    filled: list[Token] = []
    for child in children:
        if child.type == "text":
            filled.extend(_split(child.content, values, rtl))
        else:
            filled.append(child)
    return filled, markup.plain_text(children, values)


def render_inline(text: str, values: dict[str, str], rtl: bool = False
                  ) -> tuple[Markup, str]:
    children, plain = inline(text, values, rtl)
    md = markup.parser()
    return Markup(md.renderer.renderInline(children, md.options, {})), plain


@cache
def environment(templates: Path) -> Environment:
    env = Environment(
        loader=FileSystemLoader(templates),
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
            variant: Variant = VARIANTS["standard"]) -> Document:
    """Lay out one leaflet in one language and print variant as HTML.

    ``translate(msgid, context)`` must raise :class:`KeyError` for a message
    it does not have; ``ui`` is the template catalog (``None`` for the source
    language). The HTML is checked for accessibility before it is returned
    (see :mod:`leafpress.accessibility`). Raises :class:`ContentError`.
    """
    settings = project.settings
    meta = leaflet.meta
    shown = project.show(leaflet.path)
    values = settings.placeholders
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
    rtl = Locale.parse(lang).text_direction == "rtl"
    title_html, title_plain = render_inline(title_text, values, rtl)
    expected.append(ExpectedText("title", title_plain, f"{shown}:{meta.title_line}",
                                 markup.fill(meta.title, values)))
    summary_html = None
    if meta.summary:
        summary_html, summary_plain = render_inline(
            lookup(meta.summary, "summary", meta.summary_line or 1), values, rtl)
        expected.append(ExpectedText("summary", summary_plain,
                                     f"{shown}:{meta.summary_line}",
                                     markup.fill(meta.summary, values)))

    md = markup.parser()
    tokens = md.parse(leaflet.body)
    sections: list[str] = []
    for (site, _text), block in zip(markup.translatable(tokens), leaflet.blocks,
                                    strict=True):
        children, plain = inline(lookup(block.text, None, block.line), values, rtl)
        site.token.children = children
        if block.kind == "heading" and block.level == 2:
            sections.append(plain)
        source_plain = markup.plain_text(markup.parse_inline(block.text), values)
        expected.append(ExpectedText(block.kind, plain, f"{shown}:{block.line}",
                                     source_plain))
    body_html = Markup(md.renderer.render(tokens, md.options, {}))
    if problems:
        raise ContentError(problems)

    locale = Locale.parse(lang)
    dates = date_locale(lang, settings.country)
    env = environment(project.templates)
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
            hyphens="auto" if pyphen.language_fallback(lang) else "manual",
            published=format_date(meta.published, "long", locale=dates),
            review_by=format_date(meta.review_by, "long", locale=dates),
            draft=draft,
            translation_of=None if lang == settings.source_language else {
                "language": Locale.parse(settings.source_language)
                .get_display_name(locale),
                "version": meta.version},
            keywords=", ".join(dict.fromkeys(sections)),
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
    document = Document(slug=meta.slug, lang=lang, title=title_plain, html=html,
                        paper=paper, max_pages=leaflet.max_pages(variant),
                        expected=tuple(expected), variant=variant,
                        direction=locale.text_direction, draft=draft)
    problems = accessibility.check(document, project.show(
        project.html_path(lang, meta.slug, variant.suffix)))
    if problems:
        raise ContentError(problems)
    return document


_GLYPH_RE = re.compile(r'unsupported by fonts: "(.*)" \(U\+([0-9A-F]+)')


def explain(complaint: str, document: Document, html: str) -> Problem:
    """A WeasyPrint complaint as a problem; a missing glyph names the text
    (and its source line) that needs it."""
    match = _GLYPH_RE.search(complaint)
    if match:
        characters = match[1]
        for item in document.expected:
            if any(char in item.text for char in characters):
                return Problem(html, None, f"no font has the character U+{match[2]} "
                               f"('{characters}') in {item.kind} from {item.origin}: "
                               f"“{item.text[:60]}”")
        return Problem(html, None, f"no font has the character U+{match[2]} "
                       f"('{characters}')")
    return Problem(html, None, f"WeasyPrint: {complaint}")


def date_locale(lang: str, country: str) -> Locale:
    """The locale dates are written in: the language as used in the clinic's
    country when Babel knows that (``en_NL`` writes 1 November 2029), else
    the language alone."""
    try:
        return Locale.parse(f"{lang}_{country}")
    except (ValueError, UnknownLocaleError):
        return Locale.parse(lang)


def source_date_epoch(date: datetime.date) -> int:
    """A leaflet's publication date as a timestamp (reproducible PDFs)."""
    return int(datetime.datetime.combine(date, datetime.time(),
                                         datetime.UTC).timestamp())


@dataclass(frozen=True)
class RenderTask:
    """One PDF to print and check: what a worker needs, and nothing it does not."""

    document: Document
    base_url: str
    roots: tuple[str, ...]
    epoch: int
    identifier: bytes
    #: Every file under the roots, by absolute path: what the render may read.
    assets: dict[str, bytes]
    #: The time limit of the render, in seconds.
    seconds: int
    #: How messages show the PDF, its HTML and (for a booklet) the imposed PDF.
    shown: str
    html_shown: str
    booklet_shown: str | None = None


@dataclass(frozen=True)
class RenderResult:
    """What a worker sends back: the verified PDF (and booklet), or the
    problems that stop them (with the rejected PDF, to look at)."""

    pdf: bytes | None
    booklet: bytes | None
    problems: tuple[Problem, ...]
    pages: int
    seconds: float
    peak_rss_mb: float


#: The largest file a render may read (an image, a font), and all together.
ASSET_LIMIT_MB = 8
ASSETS_LIMIT_MB = 64


def assets(project: Project) -> dict[str, bytes]:
    """The files a render reads, by resolved path: those of ``templates/``
    (the stylesheet and the images and fonts it names) and the clinic's
    logo, nothing else of the clinic folder. A file that is a link to
    somewhere outside its folder, or larger than :data:`ASSET_LIMIT_MB`, is
    refused (:class:`ContentError`), so that no other file of the machine is
    ever read or sent to a worker or a cluster."""
    wanted: list[tuple[Path, Path]] = []
    templates = project.templates
    if templates.is_dir():
        wanted += [(templates, path) for path in sorted(templates.rglob("*"))
                   if path.is_file() and not path.name.startswith(".")]
    logo = project.settings.branding.logo
    if logo is not None:
        wanted.append((project.settings.clinic or templates, logo))
    found: dict[str, bytes] = {}
    problems: list[Problem] = []
    total = 0
    for root, path in wanted:
        real = path.resolve()
        if not real.is_relative_to(root.resolve()):
            problems.append(Problem(project.show(path), None, "a link to a file "
                                    f"outside {project.show(root)}: copy the file "
                                    "into the folder instead"))
            continue
        size = real.stat().st_size
        total += size
        if size > ASSET_LIMIT_MB * 2**20:
            problems.append(Problem(project.show(path), None, f"{size / 2**20:.0f} MB "
                                    f"is more than a leaflet's images and fonts may "
                                    f"be ({ASSET_LIMIT_MB} MB): make it smaller"))
            continue
        found[str(real)] = real.read_bytes()
    if total > ASSETS_LIMIT_MB * 2**20:
        problems.append(Problem(project.show(templates), None, f"the templates and "
                                f"logo are {total / 2**20:.0f} MB together, more than "
                                f"{ASSETS_LIMIT_MB} MB: remove what is not used"))
    if problems:
        raise ContentError(problems)
    return found


def task_for(document: Document, project: Project, epoch: int, draft: bool = False,
             files: dict[str, bytes] | None = None) -> RenderTask:
    """The task that prints ``document`` to its place in ``build/``
    (``files``: :func:`assets`, read once per batch)."""
    templates = project.templates.resolve()
    kind = "draft" if draft else "pdf"
    booklet = None
    if document.variant.name == "booklet":
        booklet = project.show(project.output(kind, document.lang, document.slug,
                                              BOOKLET_SUFFIX))
    return RenderTask(
        document=document,
        base_url=templates.as_uri() + "/",
        roots=tuple(str(root.resolve()) for root in project.asset_roots),
        epoch=epoch,
        identifier=hashlib.sha256(document.html.encode()).hexdigest()[:32].encode(),
        assets=files if files is not None else assets(project),
        seconds=project.settings.time_limit,
        shown=project.show(project.output(kind, document.lang, document.slug,
                                          document.variant.suffix)),
        html_shown=project.show(project.html_path(document.lang, document.slug,
                                                  document.variant.suffix)),
        booklet_shown=booklet,
    )


_FONT_CONFIG = None


def _start_worker(memory_mb: int = 0) -> None:
    """Worker start-up: cap the worker's memory, import WeasyPrint once and
    keep one font configuration."""
    global _FONT_CONFIG
    if memory_mb:
        limit = memory_mb * 1024 * 1024
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard == resource.RLIM_INFINITY or hard > limit:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    from weasyprint.text.fonts import FontConfiguration

    _FONT_CONFIG = FontConfiguration()


class TooSlow(BaseException):
    """A render ran past its time limit. Not an :class:`Exception`, so that
    the ``except Exception`` blocks inside WeasyPrint (its SVG drawing has
    some) cannot swallow it."""


@contextmanager
def time_limit(seconds: int):
    """Raise :class:`TooSlow` in this (worker) process after ``seconds``, and
    again every second after that until the block is left (in case some code
    catches even a :class:`BaseException`)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        signal.alarm(1)
        raise TooSlow

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _ready() -> None:
    """A task that does nothing: it makes the pool start its workers."""


def render_pdf(task: RenderTask) -> RenderResult:
    """Print one document and check it (inside a worker): WeasyPrint's
    complaints and refused fetches are problems; then the PDF is read back
    (:func:`leafpress.verify.verify`) and, for a booklet, imposed and checked
    too. Nothing is written here."""
    from weasyprint import HTML

    from . import impose, sandbox, verify

    if _FONT_CONFIG is None:
        _start_worker()
    started = time.perf_counter()
    document = task.document
    complaints = sandbox.listen()
    fetcher = sandbox.SandboxFetcher([Path(root) for root in task.roots], task.assets)
    os.environ["SOURCE_DATE_EPOCH"] = str(task.epoch)
    problems: list[Problem] = []
    pdf = booklet = None
    pages = 0
    try:
        with time_limit(task.seconds):
            pdf = HTML(string=document.html, base_url=task.base_url,
                       url_fetcher=fetcher).write_pdf(
                font_config=_FONT_CONFIG, pdf_variant="pdf/ua-1",
                pdf_identifier=task.identifier, cache={})
    except TooSlow:
        problems.append(Problem(task.html_shown, None, f"rendering took more than "
                                f"{task.seconds} s and was stopped (a layout that "
                                "never ends?); [print] time-limit in leafpress.toml"))
    except MemoryError:
        problems.append(Problem(task.html_shown, None, "rendering needed more memory "
                                "than the limit and was stopped; [print] "
                                "memory-limit in leafpress.toml"))
    except Exception as exception:  # reported as a problem of this document
        problems.append(Problem(task.html_shown, None, "rendering failed: "
                                f"{type(exception).__name__}: {exception}"))
    problems += [Problem(task.html_shown, None, f"refused to fetch {url}")
                 for url in fetcher.refused]
    problems += [explain(message, document, task.html_shown)
                 for message in complaints.messages
                 if not any(url in message for url in fetcher.refused)]
    if pdf is not None and not problems:
        verdict = verify.verify(pdf, task.shown, document)
        problems, pages = list(verdict.problems), verdict.pages
    if pdf is not None and not problems and task.booklet_shown:
        booklet = impose.booklet(pdf, document)
        problems = verify.verify_booklet(booklet, task.booklet_shown, pdf, document)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return RenderResult(pdf, booklet, tuple(problems), pages,
                        time.perf_counter() - started, peak)


class RenderPool:
    """A pool of long-lived render workers (processes, not threads: the work
    holds the GIL). Use as a context manager; ``submit`` returns a future of
    :class:`RenderResult`.

    Workers are replaced after about ``tasks_per_worker`` documents each, to
    keep memory flat: every ``jobs * tasks_per_worker`` tasks go to a fresh
    set of processes, and the old set ends once its tasks are done. (The
    executor's own ``max_tasks_per_child`` can hang Python 3.11 when a worker
    is replaced.)
    """

    def __init__(self, jobs: int, tasks_per_worker: int = 250, memory_mb: int = 0):
        self.jobs = max(1, jobs)
        self.batch = self.jobs * max(1, tasks_per_worker)
        self.memory_mb = memory_mb
        self._retired: list[ProcessPoolExecutor] = []
        self._executor = self._start()
        self._submitted = 0

    def _start(self) -> ProcessPoolExecutor:
        executor = ProcessPoolExecutor(
            max_workers=self.jobs,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(self.memory_mb,),
        )
        # Start the workers now (importing WeasyPrint takes a second), while
        # the main process compiles catalogs and composes the first pages.
        # They start with Ctrl-C ignored (a disposition that survives exec):
        # an interrupt is the main process's to handle, and a worker caught
        # in the middle of an import would only print a traceback.
        interrupt = signal.getsignal(signal.SIGINT)
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            for _ in range(self.jobs):
                executor.submit(_ready)
        finally:
            if threading.current_thread() is threading.main_thread():
                signal.signal(signal.SIGINT, interrupt)
        return executor

    def submit(self, task: RenderTask) -> Future[RenderResult]:
        if self._submitted and self._submitted % self.batch == 0:
            self._executor.shutdown(wait=False)  # its queued tasks still run
            self._retired.append(self._executor)
            self._executor = self._start()
        self._submitted += 1
        return self._executor.submit(render_pdf, task)

    def as_completed(self, futures):
        return as_completed(futures)

    def __enter__(self) -> RenderPool:
        return self

    def __exit__(self, *exc) -> None:
        for executor in [*self._retired, self._executor]:
            executor.shutdown(wait=True, cancel_futures=True)


class DaskPool:
    """Render on a Dask distributed cluster instead of local processes
    (``leafpress build --scheduler ADDRESS``; needs ``leafpress[distributed]``
    here and on every worker, with the same fonts). Tasks carry their HTML
    and assets and come back as verified bytes, so workers need no shared
    files."""

    def __init__(self, address: str):
        try:
            from distributed import Client
        except ImportError:
            raise UsageError("--scheduler needs Dask: pip install "
                             "'leafpress[distributed]'") from None
        try:
            self.client = Client(address, timeout="10s")
        except OSError as error:
            raise UsageError(f"cannot reach the Dask scheduler at {address}: "
                             f"{error}") from None

    def submit(self, task: RenderTask):
        return self.client.submit(render_pdf, task, pure=False)

    def as_completed(self, futures):
        from distributed import as_completed

        return as_completed(list(futures))

    def __enter__(self) -> DaskPool:
        return self

    def __exit__(self, *exc) -> None:
        self.client.close()
