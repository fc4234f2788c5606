"""What a render may read: the URL fetcher, and WeasyPrint's complaints.

Imported only inside render workers (it imports WeasyPrint, which must be
loaded after the worker process starts). Leaflet text and translations are
untrusted: the fetcher serves ``data:`` URLs and files inside the allowed
folders (``templates/``), and refuses everything else, with no network, no
other local file and no redirect. Every refusal, and every warning or error
WeasyPrint logs while rendering (a missing glyph, a failed image, bad CSS),
is collected so that the render can be failed with a clear message.
"""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import URLFetcher
from weasyprint.urls import URLFetcherResponse


class SandboxFetcher(URLFetcher):
    """Serve ``data:`` URLs and the files under ``roots``; refuse and record
    the rest. With ``assets`` (path -> bytes, sent along with the task) files
    are served from there and the file system is never read, so that a
    render on another machine prints the same."""

    def __init__(self, roots: list[Path], assets: dict[str, bytes] | None = None):
        super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False,
                         timeout=1)
        self.roots = [root.resolve() for root in roots]
        self.assets = assets
        self.refused: list[str] = []

    def fetch(self, url: str, headers=None):
        parts = urlsplit(url)
        if parts.scheme == "data":
            return super().fetch(url, headers)
        if parts.scheme == "file" and parts.netloc in ("", "localhost"):
            path = Path(unquote(parts.path)).resolve()
            inside = any(path.is_relative_to(root) for root in self.roots)
            data = None
            if inside and self.assets is not None:
                data = self.assets.get(str(path))
            elif inside and path.is_file():
                data = path.read_bytes()
            if data is not None:
                kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, data, headers={"Content-Type": kind},
                                          status=200)
            if inside:
                self.refused.append(f"{url} (no such file)")
                raise ValueError(f"no such file: {path}")
        self.refused.append(url)
        raise ValueError(f"leafpress does not fetch {url!r}")


class Complaints(logging.Handler):
    """Collects WeasyPrint's warnings and errors during one render."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.messages.append(record.getMessage().strip().split("\n")[0])
        except Exception:  # a broken log call must not hide the render
            self.messages.append(str(record.msg))


def listen() -> Complaints:
    """Attach a fresh :class:`Complaints` to WeasyPrint's loggers."""
    handler = Complaints()
    for name in ("weasyprint", "weasyprint.progress"):
        logger = logging.getLogger(name)
        logger.handlers = [handler]
        logger.propagate = False
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    return handler
