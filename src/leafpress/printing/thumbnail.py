"""A PDF's first page as a small JPEG picture, for the report.

Called by the render workers right after a PDF passes verification (so the
report's thumbnails are made in the pool, beside the printing) and by the
report for a PDF that has none yet. In: the PDF's bytes. Out: JPEG bytes,
made by poppler's ``pdftoppm`` (read from stdin, written to stdout), or
``None`` when poppler is missing or fails. (JPEG, not PNG: poppler takes
twice as long to compress the PNG as to draw the page.)
"""

from __future__ import annotations

import shutil
import subprocess

#: How wide the report shows a thumbnail, in CSS pixels (made at twice that).
WIDTH = 160


def first_page(pdf: bytes, timeout: int = 60) -> bytes | None:
    tool = shutil.which("pdftoppm")
    if tool is None:
        return None
    try:
        done = subprocess.run(
            [tool, "-jpeg", "-jpegopt", "quality=85", "-singlefile", "-f", "1",
             "-l", "1", "-scale-to-x", str(WIDTH * 2), "-scale-to-y", "-1", "-"],
            input=pdf, capture_output=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0 or not done.stdout.startswith(b"\xff\xd8\xff"):
        return None
    return done.stdout
