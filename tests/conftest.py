"""Shared fixtures: small leafpress projects in temporary folders.

``tests/resources/project`` is a tiny, complete project (one leaflet, English
and Dutch). Tests get a private copy with the repository's real templates,
so the real templates are what is tested.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from pathlib import Path

import pytest

from leafpress.cli import main

REPO = Path(__file__).resolve().parent.parent
RESOURCES = Path(__file__).resolve().parent / "resources"


def make_project(tmp_path: Path, name: str = "project") -> Path:
    """Copy a fixture project, the real templates and their Dutch catalog
    (``ui.po`` is part of the product) into ``tmp_path``."""
    root = tmp_path / name
    shutil.copytree(RESOURCES / "project", root)
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copy(REPO / "locales" / "ui.pot", root / "locales" / "ui.pot")
    shutil.copy(REPO / "locales" / "nl" / "LC_MESSAGES" / "ui.po",
                root / "locales" / "nl" / "LC_MESSAGES" / "ui.po")
    return root


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path)


class Run:
    """The result of running the CLI in-process."""

    def __init__(self, code: int, out: str, err: str):
        self.code, self.out, self.err = code, out, err

    def __repr__(self) -> str:
        return f"Run(code={self.code}, err={self.err!r})"


@pytest.fixture
def cli(capsys):
    """Run ``leafpress`` in-process: ``cli(root, "build", "-l", "nl")``."""

    def run(root: Path, *args: str) -> Run:
        code = main(["-C", str(root), *args])
        captured = capsys.readouterr()
        logging.getLogger("leafpress").handlers.clear()
        return Run(code, captured.out, captured.err)

    return run


def po_entry(path: Path, msgid_start: str) -> int:
    """The line of the msgstr of the entry whose msgid starts with the text
    (a wrapped msgid is joined first)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    for number, line in enumerate(lines, start=1):
        if not line.startswith("msgid "):
            continue
        text, following = line[len("msgid "):].strip('"'), number
        while following < len(lines) and lines[following].startswith('"'):
            text += lines[following].strip('"')
            following += 1
        if text.startswith(msgid_start):
            while not lines[following - 1].startswith("msgstr"):
                following += 1
            return following
    raise AssertionError(f"{msgid_start!r} not in {path}")


def tool(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, **kwargs)
