"""Render: composed HTML to PDF, in worker processes.

Called by the build pipeline. In: a :class:`~leafpress.model.Document` made by
:func:`leafpress.printing.compose.compose`, wrapped in a :class:`RenderTask`
with the files it may read and its time limit. Out: a :class:`RenderResult`,
the PDF (and, for a booklet, the imposed PDF) verified by
:mod:`leafpress.printing.verify`, or the problems that stop it.

Workers are long-lived local processes (:class:`RenderPool`) or a Dask cluster
(:class:`DaskPool`). WeasyPrint is imported only inside the workers, each of
which keeps one ``FontConfiguration``; every warning it logs fails the render
(see :mod:`leafpress.printing.sandbox`).
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
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from leafpress.errors import ContentError, Problem, UsageError
from leafpress.model import BOOKLET_SUFFIX, Document
from leafpress.settings.project import Project
from leafpress.timing import Stages

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
    #: Make the report's thumbnail of its first page too.
    thumbnail: bool = False
    #: A digest of ``assets`` (:func:`assets_key`): a worker keeps what it
    #: parsed of them while it stays the same.
    assets_key: str = ""


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
    #: Seconds per stage (render, verify, impose, ...): see :mod:`leafpress.timing`.
    stages: dict[str, float] = field(default_factory=dict)
    #: The first page as a small picture (JPEG), when the task asked for it.
    thumbnail: bytes | None = None
    #: The sides of the imposed booklet.
    booklet_pages: int = 0


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
             files: dict[str, bytes] | None = None, files_key: str | None = None
             ) -> RenderTask:
    """The task that prints ``document`` to its place in ``build/``
    (``files``: :func:`assets`, read once per batch, and ``files_key`` its
    :func:`assets_key`)."""
    files = files if files is not None else assets(project)
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
        assets=files,
        assets_key=files_key or assets_key(files),
        seconds=project.settings.time_limit,
        shown=project.show(project.output(kind, document.lang, document.slug,
                                          document.variant.suffix)),
        html_shown=project.show(project.html_path(document.lang, document.slug,
                                                  document.variant.suffix)),
        booklet_shown=booklet,
        # the report shows the first variant's first page
        thumbnail=(not draft
                   and document.variant.name == project.settings.variants[0].name),
    )


_FONT_CONFIG = None
#: What a worker keeps from one document to the next, for the same template
#: files (:attr:`RenderTask.assets_key`): each linked stylesheet parsed once
#: (with its compiled selectors), and WeasyPrint's image cache.
_ASSETS_KEY: str | None = None
_SHEETS: dict[str, tuple[object, list[str], list[str]]] = {}
_IMAGES: dict = {}


def assets_key(files: dict[str, bytes]) -> str:
    """A digest of the files a render may read (:func:`assets`)."""
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.encode() + b"\0" + hashlib.sha256(files[path]).digest())
    return digest.hexdigest()


def _remove(parent, element) -> None:
    """Take ``element`` out of the tree, keeping the text after it."""
    if element.tail:
        index = list(parent).index(element)
        if index:
            before = parent[index - 1]
            before.tail = (before.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def stylesheets(html, key: str, fetcher, complaints) -> list | None:
    """Take the document's stylesheets (``<link rel="stylesheet">`` and
    ``<style>``, in their order) out of its tree and return them parsed,
    to be given to WeasyPrint as the only stylesheets: the cascade is the
    same as with the document's own, and a linked stylesheet is parsed once
    per worker (for the same template files, ``key``; what WeasyPrint said
    of it, and the fetches it refused, are said again for each document that
    uses it). ``None``, with the tree as it was, for a document with one
    WeasyPrint would treat another way (a ``media`` or ``type`` attribute,
    an alternate stylesheet, a link that does not load): WeasyPrint then
    reads them itself."""
    from weasyprint import CSS
    from weasyprint.html import parse_url

    global _ASSETS_KEY
    if key != _ASSETS_KEY:
        _SHEETS.clear()
        _IMAGES.clear()
        _ASSETS_KEY = key
    root = html.etree_element
    parents = {child: parent for parent in root.iter() for child in parent}
    found = []
    for element in root.iter():
        if element.tag not in ("style", "link"):
            continue
        rel = element.get("rel", "").lower().split()
        if element.tag == "link" and "stylesheet" not in rel:
            continue
        if (element.get("media") is not None or element.get("type") is not None
                or "alternate" in rel or element not in parents):
            return None
        found.append(element)
    sheets = []
    for element in found:
        if element.tag == "style":
            sheets.append(CSS(string=element.text or "", base_url=html.base_url,
                              url_fetcher=fetcher, font_config=_FONT_CONFIG))
            continue
        url = parse_url(element.get("href"), html.base_url)
        if url is None:
            return None
        if url in _SHEETS:  # what parsing it said, it says for this document too
            sheet, said, refused = _SHEETS[url]
            complaints.messages.extend(said)
            fetcher.refused.extend(refused)
        else:
            said, refused = len(complaints.messages), len(fetcher.refused)
            try:
                sheet = CSS(url=url, url_fetcher=fetcher, font_config=_FONT_CONFIG,
                            _check_mime_type=True)
            except Exception:  # WeasyPrint reads it itself, and says what is wrong
                return None
            _SHEETS[url] = (sheet, complaints.messages[said:],
                            fetcher.refused[refused:])
        sheets.append(sheet)
    for element in found:
        _remove(parents[element], element)
    return sheets


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


#: How many times a booklet is laid out again, at most.
BOOKLET_PASSES = 4
#: When the back page cannot hold "About this leaflet" too, that section
#: ends the inside pages instead. (The rules of these passes are a user
#: stylesheet, which needs ``!important`` to override the template's.)
ABOUT_INSIDE = ".booklet .about { page: auto !important; }"


def turned(laid_out) -> dict[str, str]:
    """The kept groups (``data-keep``, see
    :func:`~leafpress.printing.compose.keep_together`) of a laid out booklet
    that a page turn splits, and how to put each on one spread.
    The pages of a booklet face each other in pairs, 2 and 3, 4 and 5...
    (page 1 is the cover, in either writing direction): a group on two pages
    that starts on an odd page is split by the turn. A group that starts at
    the top of that page (it did not fit below the text before it) may start
    below the text of the even page before instead (``break-inside: auto``);
    one that starts below other text starts on the next page instead."""
    found: dict[str, tuple[int, int, bool]] = {}
    for number, page in enumerate(laid_out.pages, start=1):
        top = page._page_box.content_box_y()
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            keep = element.get("data-keep") if element is not None else None
            if keep is None:
                continue
            first, _last, below = found.get(keep, (number, number,
                                                   box.position_y > top + 1))
            found[keep] = (first, number, below)
    return {keep: "break-before: page" if below else "break-inside: auto"
            for keep, (first, last, below) in found.items()
            if first % 2 == 1 and last == first + 1 and (below or first > 1)}


def booklet_layout(html, laid_out, options: dict):
    """Lay a booklet out again, a few times at most: with "About this
    leaflet" inside when the back page cannot hold it (the back page, named
    ``back`` in the stylesheet, is one page), and until every kept group
    that fits on a spread is on one (see :func:`turned`)."""
    from weasyprint import CSS

    rules: list[str] = []
    moved: set[str] = set()
    for _ in range(BOOKLET_PASSES):
        added = []
        backs = sum(page._page_box.page_type.name == "back" for page in laid_out.pages)
        if backs > 1 and ABOUT_INSIDE not in rules:
            added.append(ABOUT_INSIDE)
        else:
            for keep, fix in sorted(turned(laid_out).items(), key=lambda item: int(
                    item[0])):
                if keep not in moved:
                    moved.add(keep)
                    added.append(f'[data-keep="{keep}"] {{ {fix} !important; }}')
        if not added:
            break
        rules += added
        laid_out = html.render(font_config=_FONT_CONFIG, **{
            **options, "stylesheets": [*options.get("stylesheets", ()),
                                       CSS(string="\n".join(rules))]})
    return laid_out


def reading_direction(_document, pdf) -> None:
    """A WeasyPrint finisher for right-to-left documents: viewers show the
    pages side by side from right to left, and a booklet printed from the
    file is bound on the right (``/ViewerPreferences /Direction /R2L``)."""
    import pydyf

    preferences = pdf.catalog.get("ViewerPreferences") or pydyf.Dictionary()
    preferences["Direction"] = "/R2L"
    pdf.catalog["ViewerPreferences"] = preferences


def _ready() -> float:
    """A task that does nothing: it makes the pool start its workers, and
    says when this one was ready."""
    return time.time()


def peak_rss_mb() -> float:
    """The most memory this process has held, in MB: Linux's ``VmHWM``. (The
    ``ru_maxrss`` of a worker started by ``spawn`` counts the main process
    it was forked from, before ``exec``; ``VmHWM`` starts again at ``exec``.)"""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def render_pdf(task: RenderTask) -> RenderResult:
    """Print one document and check it (inside a worker): WeasyPrint's
    complaints and refused fetches are problems; then the PDF is read back
    (:func:`leafpress.printing.verify.verify`) and, for a booklet, imposed and checked
    too. Nothing is written here."""
    from weasyprint import HTML

    from leafpress.printing import impose, sandbox, thumbnail, verify

    if _FONT_CONFIG is None:
        _start_worker()
    started = time.perf_counter()
    stages = Stages()
    document = task.document
    complaints = sandbox.listen()
    fetcher = sandbox.SandboxFetcher([Path(root) for root in task.roots], task.assets)
    os.environ["SOURCE_DATE_EPOCH"] = str(task.epoch)
    problems: list[Problem] = []
    pdf = booklet = None
    pages = 0
    try:
        with time_limit(task.seconds), stages.time("render"):
            html = HTML(string=document.html, base_url=task.base_url,
                        url_fetcher=fetcher)
            sheets = stylesheets(html, task.assets_key, fetcher, complaints)
            options = {"pdf_variant": "pdf/ua-1", "pdf_identifier": task.identifier,
                       "cache": _IMAGES if sheets is not None else {},
                       "stylesheets": sheets or []}
            laid_out = html.render(font_config=_FONT_CONFIG, **options)
            if document.variant.cover:
                laid_out = booklet_layout(html, laid_out, options)
            pdf = laid_out.write_pdf(
                finisher=reading_direction if document.direction == "rtl" else None,
                **options)
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
        with stages.time("verify"):
            verdict = verify.verify(pdf, task.shown, document, fast=True)
        problems, pages = list(verdict.problems), verdict.pages
    if pdf is not None and not problems and task.booklet_shown:
        # imposed from the PDF as verification read it: no second reading
        with stages.time("impose"):
            booklet = impose.booklet(verdict.reading.reader, document)
            problems = verify.verify_booklet(booklet, task.booklet_shown,
                                             verdict.reading, document)
    picture = None
    if pdf is not None and not problems and task.thumbnail:
        with stages.time("thumbnail"):
            picture = thumbnail.first_page(pdf)
    peak = peak_rss_mb()
    return RenderResult(pdf, booklet, tuple(problems), pages,
                        time.perf_counter() - started, peak, stages, picture,
                        impose.padded(pages) // 2 if booklet else 0)


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
        #: When the pool was made (``time.perf_counter()``).
        self.started = time.perf_counter()
        self.batch = self.jobs * max(1, tasks_per_worker)
        self.memory_mb = memory_mb
        self._retired: list[ProcessPoolExecutor] = []
        #: When each set of workers was started, and the futures that say
        #: when each of its workers was ready.
        self._starts: list[tuple[float, list[Future[float]]]] = []
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
            self._starts.append((time.time(), [executor.submit(_ready)
                                               for _ in range(self.jobs)]))
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

    @property
    def workers(self) -> int:
        return self.jobs

    def startup(self) -> float:
        """Seconds the workers took to start, summed (those started so far)."""
        return sum(future.result() - started for started, futures in self._starts
                   for future in futures if future.done() and not future.exception())

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
        self.address = address
        self.started = time.perf_counter()
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

    @property
    def workers(self) -> int:
        return len(self.client.scheduler_info().get("workers", {})) or 1

    def startup(self) -> float:
        return 0.0  # the cluster's workers were started before

    def __enter__(self) -> DaskPool:
        return self

    def __exit__(self, *exc) -> None:
        self.client.close()
