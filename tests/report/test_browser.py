"""tests/browser.py: headless Chromium opens a local page and reports its
errors, so that report tests can check a page loads without any."""

from __future__ import annotations

import base64
import os
import struct
import tempfile
import zlib
from pathlib import Path

import pytest

from browser import BrowserError, JavaScriptError, open_page

#: Every picture shows: loaded, and not the broken-image icon.
IMAGES_SHOWN = "[...document.images].every(i => i.complete && i.naturalWidth > 0)"


def png(width: int, height: int) -> bytes:
    """A small green PNG picture."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    rows = b"".join(b"\0" + b"\x00\xa0\x40" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


def page(folder: Path, *body: str) -> Path:
    """An HTML file in ``folder``; ``body`` starts on line 5."""
    path = folder / "page.html"
    path.write_text("\n".join((
        "<!doctype html>",
        '<html lang="en">',
        '<meta charset="utf-8">',
        "<title>Test page</title>",
        *body,
    )), encoding="utf-8")
    return path


def test_clean_page_loads_without_errors(tmp_path):
    (tmp_path / "pictures").mkdir()
    (tmp_path / "pictures" / "leaf.png").write_bytes(png(3, 2))
    inline = base64.b64encode(png(2, 2)).decode()
    path = page(
        tmp_path,
        "<style>td { padding: 2px }</style>",
        "<table><tr><td>nl</td><td>Knie</td></tr>",
        "<tr><td>ar</td><td>الركبة</td></tr></table>",
        '<p id="status">Alle folders gedrukt</p>',
        '<img src="pictures/leaf.png" alt="leaf">',
        f'<img src="data:image/png;base64,{inline}" alt="dot">',
    )
    with open_page(path) as opened:
        assert opened.url == path.as_uri()
        assert opened.errors == []
        assert opened.evaluate("document.querySelectorAll('tr').length") == 2
        assert opened.evaluate(
            "document.getElementById('status').textContent") == "Alle folders gedrukt"
        assert opened.evaluate(
            "[...document.querySelectorAll('td')].map(td => td.textContent)"
        ) == ["nl", "Knie", "ar", "الركبة"]
        assert opened.evaluate(
            "[...document.images].map(i => [i.naturalWidth, i.naturalHeight])"
        ) == [[3, 2], [2, 2]]
        assert opened.evaluate(IMAGES_SHOWN) is True
        assert opened.evaluate("Promise.resolve(6 * 7)") == 42
        picture = opened.screenshot()
        assert picture.startswith(b"\x89PNG\r\n\x1a\n")
        width, height = struct.unpack(">II", picture[16:24])
        assert width == 1280 and 500 < height <= 1024
        assert opened.errors == []


def test_missing_picture_is_reported(tmp_path):
    path = page(tmp_path, '<p>Knee</p><img src="pictures/missing%20leaf.png">')
    with open_page(path) as opened:
        assert len(opened.errors) == 1, opened.errors
        assert "pictures/missing leaf.png" in opened.errors[0]
        assert "ERR_FILE_NOT_FOUND" in opened.errors[0]
        assert opened.evaluate(IMAGES_SHOWN) is False


def test_missing_stylesheet_is_reported(tmp_path):
    path = page(tmp_path, '<link rel="stylesheet" href="report.css"><p>Knee</p>')
    with open_page(path) as opened:
        assert len(opened.errors) == 1, opened.errors
        assert f"Stylesheet {(tmp_path / 'report.css').as_uri()}" in opened.errors[0]


def test_uncaught_exception_is_reported(tmp_path):
    path = page(tmp_path, "<p>Knee</p>",
                "<script>throw new Error('no leaflet for nl')</script>")
    with open_page(path) as opened:
        assert opened.errors == [
            f"Uncaught Error: no leaflet for nl ({path.as_uri()}:6)"]


def test_rejected_promise_is_reported(tmp_path):
    path = page(tmp_path, "<script>Promise.reject(new Error('late'))</script>")
    with open_page(path) as opened:
        assert len(opened.errors) == 1, opened.errors
        assert "Uncaught (in promise) Error: late" in opened.errors[0]


def test_console_errors_are_reported(tmp_path):
    path = page(tmp_path, "<script>",
                "console.log('fine'); console.warn('fine too');",
                "console.error('x');",
                "console.assert(1 + 1 === 3, 'arithmetic');",
                "</script>")
    with open_page(path) as opened:
        assert opened.errors == [f"console.error: x ({path.as_uri()}:7)",
                                 f"console.assert: arithmetic ({path.as_uri()}:8)"]
        # Errors keep being collected while the page is open.
        opened.evaluate("console.error('later', 2)")
        assert opened.errors[2:] == ["console.error: later 2"]


def test_blocked_request_is_reported(tmp_path):
    """A page opened from a file may not fetch other files."""
    (tmp_path / "data.json").write_text("{}", encoding="utf-8")
    path = page(tmp_path, "<script>fetch('data.json').catch(() => {})</script>")
    with open_page(path) as opened:
        assert any("data.json" in error and "CORS" in error
                   for error in opened.errors), opened.errors


def test_dialog_does_not_block_the_page(tmp_path):
    path = page(tmp_path, "<script>alert('hello')</script><p>Knee</p>")
    with open_page(path) as opened:
        assert opened.errors == ["JavaScript alert dialog: hello"]
        assert opened.evaluate("document.querySelector('p').textContent") == "Knee"


def test_evaluate_raises_what_the_page_throws(tmp_path):
    with open_page(page(tmp_path, "<p>Knee</p>")) as opened:
        with pytest.raises(JavaScriptError, match="leaflets is not defined"):
            opened.evaluate("leaflets.length")
        with pytest.raises(JavaScriptError, match="Uncaught"):
            opened.evaluate("Promise.reject(new Error('no'))")
        assert opened.errors == []


def test_hung_page_times_out_and_browser_is_cleaned_up(tmp_path, monkeypatch):
    temporary = tmp_path / "temporary"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    path = page(tmp_path, "<script>for (;;) {}</script>")
    with pytest.raises(BrowserError, match="timed out waiting for"):
        with open_page(path, timeout=1):
            pass
    assert list(temporary.iterdir()) == []
    assert browser_processes(temporary) == []


def test_browser_is_cleaned_up_after_an_exception(tmp_path, monkeypatch):
    temporary = tmp_path / "temporary"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    with pytest.raises(KeyError):
        with open_page(page(tmp_path, "<p>Knee</p>")) as opened:
            assert browser_processes(temporary) != []
            raise KeyError("a test failed")
    assert list(temporary.iterdir()) == []
    assert browser_processes(temporary) == []
    with pytest.raises(BrowserError, match="closed"):
        opened.evaluate("1")


def test_missing_browser_fails_with_the_fix(tmp_path, monkeypatch):
    path = page(tmp_path, "<p>Knee</p>")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(BrowserError, match="run `make test`"):
        with open_page(path):
            pass


def test_missing_file_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        with open_page(tmp_path / "report.html"):
            pass


def browser_processes(folder: Path) -> list[int]:
    """The running processes whose command line names ``folder``."""
    marker = os.fsencode(folder)
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            if marker in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except OSError:
            pass
    return found
