"""Shared fixtures: small leafpress projects in temporary folders.

``tests/resources/project`` is a tiny, complete project (one leaflet, English
and Dutch). Tests get a private copy with the repository's real templates,
so the real templates are what is tested.
"""

from __future__ import annotations

import contextlib
import io
import logging
import math
import shutil
import subprocess
import sys
from dataclasses import dataclass
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


def set_msgstr(path: Path, msgid_start: str, msgstr: str,
               line: int | None = None) -> int:
    """Put a one-line msgstr into the entry whose msgid starts with the text
    (or whose msgstr is at ``line``); return its msgstr line."""
    line = line or po_entry(path, msgid_start)
    lines = path.read_text(encoding="utf-8").split("\n")
    end = line
    while lines[end].startswith('"'):
        end += 1
    lines[line - 1:end] = [f'msgstr "{msgstr}"']
    path.write_text("\n".join(lines), encoding="utf-8")
    return line


def tool(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, **kwargs)


#: The repository's own project: what a copy of it needs to build.
REPO_PROJECT = ("leafpress.toml", "leaflets", "locales", "templates")
#: The repository's leaflets that are not printed yet in a language: their
#: catalog has never been complete ("being translated", `status`: "not yet").
BEING_TRANSLATED = {("ar", "trigger-point-injections")}
#: The files each printed leaflet and language puts in build/pdf/<lang>/:
#: clear print, large print, the A5 reading copy and its booklet.
PDF_SUFFIXES = (".pdf", ".large.pdf", ".a5.pdf", ".booklet.pdf")


def copy_repo_project(target: Path, *extra: str) -> Path:
    """Copy the repository's project (and ``extra`` files or folders, such as
    ``clinics``) into the new folder ``target``."""
    target.mkdir(parents=True)
    for name in (*REPO_PROJECT, *extra):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, target / name,
                            ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target / name)
    return target


def repo_pdfs() -> set[str]:
    """``<lang>/<file>`` of every PDF a full build of the repository prints."""
    from leafpress.settings.project import load_project

    settings = load_project(REPO).settings
    return {f"{lang}/{path.stem}{suffix}"
            for path in (REPO / "leaflets").glob("*.md")
            for lang in settings.languages
            if (lang, path.stem) not in BEING_TRANSLATED
            for suffix in PDF_SUFFIXES}


def run_leafpress(*args: str) -> tuple[int, str]:
    """Run ``leafpress`` in-process where the ``cli`` fixture cannot be used
    (module and session fixtures): the exit code and everything it logged."""
    log = io.StringIO()
    with contextlib.redirect_stderr(log), contextlib.redirect_stdout(log):
        code = main(list(args))
    logging.getLogger("leafpress").handlers.clear()
    return code, log.getvalue()


@dataclass(frozen=True)
class Built:
    """A project that was built once: where, its exit code and its log."""

    root: Path
    code: int
    log: str


@pytest.fixture(scope="session")
def repo_build(tmp_path_factory) -> Built:
    """A copy of this repository built once with its own settings (every
    language and print variant), shared by the tests that only read it."""
    root = copy_repo_project(tmp_path_factory.mktemp("repo") / "repo")
    code, log = run_leafpress("-C", str(root), "build")
    return Built(root, code, log)


#: The seed articles that ``leafpress import`` is tried on (beside the
#: repository, when they are there).
SEEDS = REPO.parent / "shared" / "seeds"


#: What make needs besides the project itself.
MAKE_FILES = ("Makefile", "pyproject.toml", "requirements.txt", "README.md", "scripts",
              "src")

def copy_repo(target: Path) -> Path:
    """Copy what make needs, with a stand-in for the virtual environment: a
    ``.venv/bin/leafpress`` that is this environment's, and a setup stamp
    newer than every copied file, so make never installs anything from the
    copy (which would repoint this environment's editable install)."""
    copy_repo_project(target, *MAKE_FILES)
    bin = target / ".venv" / "bin"
    bin.mkdir(parents=True)
    (bin / "leafpress").symlink_to(Path(sys.executable).parent / "leafpress")
    (target / ".venv" / ".leafpress-setup").touch()
    return target


def make(root: Path, *args: str, env: dict | None = None
         ) -> subprocess.CompletedProcess:
    return subprocess.run(["make", *args], cwd=root, env=env,
                          capture_output=True, text=True, timeout=600)


def pdfs(root: Path) -> dict[str, int]:
    return {str(path.relative_to(root)): path.stat().st_mtime_ns
            for path in sorted((root / "build/pdf").rglob("*.pdf"))}


def outputs(root: Path, folders=("pdf", "html", "mo")) -> dict[str, int]:
    """Every file in these folders of build/, with its time."""
    return {str(path.relative_to(root)): path.stat().st_mtime_ns
            for folder in folders
            for path in sorted((root / "build" / folder).rglob("*")) if path.is_file()}


def expected_pdfs() -> set[str]:
    """Every variant of every leaflet in every language, except those whose
    catalog is still being translated."""
    return {f"build/pdf/{name}" for name in repo_pdfs()}


def clinic(project: Path, name: str = "other") -> Path:
    """A clinic folder in ``project`` with its own name and logo."""
    folder = project / "clinics" / name
    (folder / "images").mkdir(parents=True)
    logo = (project / "templates/images/lindenhof-logo.svg").read_bytes()
    (folder / "images/logo.svg").write_bytes(logo)
    (folder / "clinic.toml").write_text(
        '[organisation]\nname = "Other Clinic"\nlogo = "images/logo.svg"\n'
        'logo-alt = "Other Clinic"\n', encoding="utf-8")
    return folder


def gettext_version() -> str | None:
    """The version of the installed GNU gettext tools (``msgcat``), if any."""
    if shutil.which("msgcat") is None or shutil.which("msgfmt") is None:
        return None
    first = subprocess.run(["msgcat", "--version"], capture_output=True, text=True,
                           check=False).stdout.split("\n", 1)[0]
    return first.rsplit(" ", 1)[-1] or None


#: The gettext whose layout leafpress writes (translation/wrapping.py):
#: msgcat of another release may break lines elsewhere (gettext 0.23 uses a
#: newer libunistring), so comparisons with msgcat run on this one only.
GETTEXT_LAYOUT = "0.21"
same_gettext_layout = pytest.mark.skipif(
    (gettext_version() or "").rsplit(".", 1)[0] != GETTEXT_LAYOUT
    and gettext_version() != GETTEXT_LAYOUT,
    reason=f"needs GNU gettext {GETTEXT_LAYOUT} (the layout leafpress writes); "
    f"found {gettext_version()}")


# --- text as drawn, read with pypdf ---------------------------------------


@dataclass(frozen=True)
class Drawn:
    """A piece of text as a page draws it: its origin (points from the
    bottom left) and its size, moved and scaled by the text matrix and the
    drawing matrix."""

    text: str
    x: float
    y: float
    size: float


def _times(a, b) -> tuple[float, ...]:
    """The matrix ``a`` then ``b`` (PDF order: a point times a times b)."""
    return (a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5])


def drawn(page) -> list[Drawn]:
    """Every piece of text of a pypdf page, read with pypdf's own visitor
    (not leafpress's reader, which the tests check).

    pypdf reads a Form XObject (a booklet side draws each A5 page as one)
    with a drawing matrix that starts afresh, so the matrix in effect at its
    ``Do`` is kept here and applied to the text inside (the form's own
    /Matrix is not)."""
    found = []
    outer = [(1.0, 0.0, 0.0, 1.0, 0.0, 0.0)]  # where each open form is drawn
    entering = []  # a Do whose form has not started yet

    def before(operator, operands, cm, tm):
        if entering:  # the first operator inside the form
            outer.append(entering.pop())
        if operator == b"Do":
            entering.append(_times(cm, outer[-1]))

    def after(operator, operands, cm, tm):
        if operator == b"Do":
            if entering:  # an image, or an empty form
                entering.pop()
            else:
                outer.pop()

    def visit(text, cm, tm, font, size):
        if text:
            matrix = _times(tm, _times(cm, outer[-1]))
            found.append(Drawn(text, matrix[4], matrix[5],
                               size * math.hypot(matrix[2], matrix[3])))

    page.extract_text(visitor_operand_before=before, visitor_operand_after=after,
                      visitor_text=visit)
    return found
