"""What the report shows of each PDF: its page count and a thumbnail of its
first page.

Called by :mod:`leafpress.pipeline.report`. In: the PDFs in ``build/pdf/``.
Out: page counts, cached in ``build/report/pages.json`` by each PDF's size
and modification time, and JPEG thumbnails in ``build/report/`` (the render
workers make those of the PDFs they print, see
:mod:`leafpress.printing.thumbnail`; the rest are made here). Both are kept
only while the versions of leafpress, its libraries and fonts stay the same
(:func:`versions.fingerprint`).
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from leafpress import versions
from leafpress.output import write_atomic
from leafpress.printing import thumbnail

THUMBNAIL_WIDTH = thumbnail.WIDTH


def stamp(path: Path) -> list:
    """A file's path, modification time and size (``None`` when it is gone)."""
    try:
        stat = path.stat()
    except OSError:
        return [str(path), None]
    return [str(path), stat.st_mtime_ns, stat.st_size]


class PageCache:
    """The page counts of the last report, and the thumbnails to make."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.path = folder / "pages.json"
        try:
            cache = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            cache = {}
        fingerprint = versions.fingerprint()
        #: Made with the same versions: the thumbnails are good too.
        self.same = isinstance(cache, dict) and cache.get("versions") == fingerprint
        self.counts: dict = cache if self.same else {"versions": fingerprint}
        self.wanted: list[tuple[Path, Path, object]] = []

    def pages(self, path: Path, key: str) -> int | None:
        """How many pages the PDF has (``None``: not a readable PDF)."""
        found = stamp(path)[1:]
        cached = self.counts.get(key)
        if cached and cached[:2] == found:
            return cached[2]
        try:
            pages = len(PdfReader(path).pages)
        except (PyPdfError, OSError, ValueError):
            pages = None
        self.counts[key] = [*found, pages]
        return pages

    def known(self, path: Path, key: str, pages: int) -> None:
        """``path`` has ``pages`` pages (the build just wrote it)."""
        self.counts[key] = [*stamp(path)[1:], pages]

    def thumbnail(self, pdf: Path, picture: Path, row) -> None:
        """Make ``picture`` (JPEG) from the first page of ``pdf`` (in
        :meth:`thumbnails`) and set ``row.thumbnail`` to it once it is there."""
        self.wanted.append((pdf, picture, row))

    def thumbnails(self) -> None:
        with ThreadPoolExecutor(max_workers=4) as pool:
            made = list(pool.map(lambda job: _thumbnail(
                job[0], job[1], not self.same and self._before_versions(job[1])),
                self.wanted))
        for (_pdf, picture, row), ok in zip(self.wanted, made, strict=True):
            if ok:
                row.thumbnail = picture.relative_to(self.folder.parent).as_posix()

    def _before_versions(self, picture: Path) -> bool:
        """Made before the versions last changed (``build/versions``, which
        make rewrites only then; without it, every thumbnail is)? A PDF
        printed since has its thumbnail made by the render worker."""
        record = self.folder.parent / "versions"
        try:
            return picture.stat().st_mtime_ns < record.stat().st_mtime_ns
        except OSError:
            return True

    def save(self) -> None:
        write_atomic(self.path, json.dumps(self.counts, indent=0,
                                           sort_keys=True).encode())


def _thumbnail(pdf: Path, picture: Path, again: bool = False) -> bool:
    """The first page of ``pdf`` as a small picture (redone when the PDF is newer,
    or ``again``)."""
    if (not again and picture.exists()
            and picture.stat().st_mtime_ns >= pdf.stat().st_mtime_ns):
        return True
    try:
        made = thumbnail.first_page(pdf.read_bytes())
    except OSError:
        return False
    if made is None:
        return False
    write_atomic(picture, made)
    return True
