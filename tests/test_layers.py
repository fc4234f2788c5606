"""The package's layers (``[tool.importlinter]`` in pyproject.toml): the
contract holds for the package as it is, and an import that breaks it makes
``lint-imports`` fail, naming the contract."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root / "src")}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("layers")
    shutil.copytree(REPO / "src", root / "src",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    shutil.copy(REPO / "pyproject.toml", root)
    return root


def test_the_package_keeps_its_contracts(package):
    done = lint_imports(package)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


@pytest.mark.parametrize(("module", "line", "contract"), [
    # a stage reaching up into the command line
    ("text/markup.py", "from leafpress.cli import main", "The pipeline's layers"),
    # two stages side by side that must not know each other
    ("printing/compose.py", "from leafpress.translation import catalogs",
     "The pipeline's layers"),
    # the orchestration reaching into a stage's internals
    ("pipeline/check.py", "from leafpress.printing import pdftext",
     "Printing and reading back"),
])
def test_a_forbidden_import_breaks_the_contract(package, tmp_path, module, line,
                                                contract):
    root = tmp_path / "copy"
    shutil.copytree(package, root)
    path = root / "src" / "leafpress" / module
    text = path.read_text(encoding="utf-8")
    head, sep, rest = text.partition("from __future__ import annotations\n")
    path.write_text(head + sep + line + "  # noqa\n" + rest, encoding="utf-8")
    done = lint_imports(root)
    assert done.returncode == 1, done.stdout + done.stderr
    broken = [row for row in done.stdout.splitlines() if row.endswith("BROKEN")]
    assert len(broken) == 1 and broken[0].startswith(contract), done.stdout
    assert "leafpress." + module.removesuffix(".py").replace("/", ".") in done.stdout
