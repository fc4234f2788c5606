"""The make contract, on a copy of this repository: real file targets, a
second make does nothing, one changed catalog rebuilds one PDF, a broken
catalog fails the run and names its line while everything else builds."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

COPIED = ("Makefile", "pyproject.toml", "leafpress.toml", "README.md", "scripts",
          "src", "templates", "leaflets", "locales")

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def copy_repo(target: Path) -> Path:
    """Copy what make needs, with a stand-in for the virtual environment: a
    ``.venv/bin/leafpress`` that is this environment's, and a setup stamp
    newer than every copied file, so make never installs anything from the
    copy (which would repoint this environment's editable install)."""
    target.mkdir()
    for name in COPIED:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, target / name,
                            ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target / name)
    bin = target / ".venv" / "bin"
    bin.mkdir(parents=True)
    (bin / "leafpress").symlink_to(Path(sys.executable).parent / "leafpress")
    (target / ".venv" / ".leafpress-setup").touch()
    return target


def make(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["make", *args], cwd=root,
                          capture_output=True, text=True, timeout=600)


def pdfs(root: Path) -> dict[str, int]:
    return {str(path.relative_to(root)): path.stat().st_mtime_ns
            for path in sorted((root / "build/pdf").rglob("*.pdf"))}


def expected_pdfs() -> set[str]:
    slugs = [path.stem for path in (REPO / "leaflets").glob("*.md")]
    return {f"build/pdf/{lang}/{slug}.pdf" for lang in ("en", "nl") for slug in slugs}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = copy_repo(tmp_path_factory.mktemp("make") / "repo")
    result = make(root)
    assert result.returncode == 0, result.stderr
    return root


def test_make_builds_every_leaflet_in_every_language(built):
    assert set(pdfs(built)) == expected_pdfs()


def test_second_make_does_nothing(built):
    before = pdfs(built)
    result = make(built)
    assert result.returncode == 0, result.stderr
    assert "PDFs are up to date" in result.stdout
    assert pdfs(built) == before


def test_one_changed_catalog_rebuilds_only_its_pdf(built):
    po = built / "locales/nl/LC_MESSAGES/trigger-point-aftercare.po"
    lines = po.read_text(encoding="utf-8").split("\n")
    last = max(number for number, text in enumerate(lines)
               if text.startswith('msgstr "') and text != 'msgstr ""')
    lines[last] = lines[last].replace('msgstr "', 'msgstr "Let op: ', 1)
    po.write_text("\n".join(lines), encoding="utf-8")
    before = pdfs(built)
    result = make(built)
    assert result.returncode == 0, result.stderr
    after = pdfs(built)
    changed = {name for name in after if after[name] != before[name]}
    assert changed == {"build/pdf/nl/trigger-point-aftercare.pdf"}, result.stderr


def test_emptied_msgstr_fails_make_and_names_the_line(tmp_path):
    root = copy_repo(tmp_path / "repo")
    po = root / "locales/nl/LC_MESSAGES/trigger-point-injections.po"
    lines = po.read_text(encoding="utf-8").split("\n")
    line = next(number for number, text in enumerate(lines, start=1)
                if text.startswith("msgstr") and text != 'msgstr ""'
                and number > 20)
    end = line
    while end < len(lines) and lines[end].startswith('"'):
        end += 1
    lines[line - 1:end] = ['msgstr ""']
    po.write_text("\n".join(lines), encoding="utf-8")
    result = make(root, "-j2")
    assert result.returncode != 0
    assert re.search(rf"locales/nl/LC_MESSAGES/trigger-point-injections\.po:{line}: "
                     "untranslated", result.stderr), result.stderr
    built = set(pdfs(root))
    assert built == expected_pdfs() - {"build/pdf/nl/trigger-point-injections.pdf"}
    again = make(root)
    assert again.returncode != 0, "a failed PDF stays stale until it is fixed"


def test_clean_removes_build(built, tmp_path):
    root = copy_repo(tmp_path / "repo")
    (root / "build").mkdir()
    (root / "build/x").write_text("x")
    assert make(root, "clean").returncode == 0
    assert not (root / "build").exists()
    assert "test" in make(root, "help").stdout
