"""The locked setup: ``requirements.txt`` pins every package make and make
test install, with hashes and no index address; it satisfies
``pyproject.toml``; the environment holds exactly it; ``leafpress versions``
names what the output depends on."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from conftest import REPO

LOCK = REPO / "requirements.txt"


def load_script():
    spec = importlib.util.spec_from_file_location("lock", REPO / "scripts/lock.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


lock = load_script()


def entries() -> dict[str, tuple[str, list[str]]]:
    """name -> (version, hashes) of every locked package."""
    text = LOCK.read_text(encoding="utf-8").replace("\\\n", " ")
    found = {}
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = re.match(r"^(\S+)==(\S+)\s+(.*)$", line)
        assert match, f"not pinned with ==: {line!r}"
        found[lock.canonical(match[1])] = (match[2],
                                           re.findall(r"--hash=sha256:([0-9a-f]{64})",
                                                      match[3]))
    return found


def test_every_package_is_pinned_with_its_hashes():
    found = entries()
    assert len(found) > 20
    for name, (version, hashes) in found.items():
        assert hashes, f"{name}=={version} has no sha256 hash"


def test_the_lock_names_no_index_or_download_address():
    for path in (LOCK, REPO / "Makefile", REPO / "pyproject.toml",
                 REPO / "scripts/lock.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"--(extra-)?index-url|--find-links|https?://\S*(pypi|"
                             r"simple)", text), path


def test_the_lock_satisfies_pyproject():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    wanted = [*project["project"]["dependencies"],
              *project["build-system"]["requires"]]
    for extra in project["project"]["optional-dependencies"].values():
        wanted += extra
    found = entries()
    for text in wanted:
        requirement = Requirement(text)
        name = lock.canonical(requirement.name)
        assert name in found, f"{name} is not locked"
        assert requirement.specifier.contains(found[name][0], prereleases=True), (
            f"{name}=={found[name][0]} does not satisfy {requirement}")


def test_the_lock_holds_babel_2_19_or_newer():
    """Babel 2.19 fixed CLDR's Arabic plural forms; an older lock would bring
    the wrong rule back."""
    version = tuple(int(part) for part in entries()["babel"][0].split(".")[:2])
    assert version >= (2, 19)


@pytest.mark.skipif(Path(sys.prefix).resolve() != (REPO / ".venv").resolve(),
                    reason="only the repository's own .venv is locked "
                    "(make test-latest runs the suite elsewhere)")
def test_the_environment_holds_exactly_the_lock():
    assert lock.differences(lock.locked(LOCK), lock.installed()) == []
    assert metadata.version("babel") == entries()["babel"][0]


def test_lock_diff_names_what_differs_from_the_lock(tmp_path):
    older = tmp_path / "requirements.txt"
    installed = metadata.version("babel")
    text = LOCK.read_text(encoding="utf-8")
    older.write_text(re.sub(r"(?m)^babel==\S+", "babel==2.18.0", text),
                     encoding="utf-8")
    run = subprocess.run([sys.executable, str(REPO / "scripts/lock.py"), "diff",
                          str(older)], capture_output=True, text=True, check=True)
    assert f"  babel 2.18.0 -> {installed}\n" in run.stdout


def test_leafpress_versions_names_the_libraries(project, cli):
    run = cli(project, "versions")
    assert run.code == 0
    found = dict(line.split(" ", 1) for line in run.out.splitlines())
    for name in ("babel", "weasyprint", "pypdf", "pyphen"):
        assert found[name] == metadata.version(name)
    assert found["leafpress"].startswith("0.")
    target = project / "build/versions"
    assert cli(project, "versions", "--write", str(target)).code == 0
    written = target.stat().st_mtime_ns
    assert target.read_text(encoding="utf-8") == run.out
    assert cli(project, "versions", "--write", str(target)).code == 0
    assert target.stat().st_mtime_ns == written, "unchanged: not written again"
