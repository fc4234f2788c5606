"""One read of the project per run: every command reads each leaflet,
catalog, template and setting at most once (Python's audit events name every
file a run opens), and a build and the report it writes share what was
worked out (the lint of a leaflet is done once)."""

from __future__ import annotations

import shutil
import sys
from collections import Counter
from pathlib import Path

import pytest

from conftest import copy_repo_project
from leafpress.quality import lint

#: The files opened while a recording is on (see ``opened``).
_RECORDING: list[Counter] = []


def _audit(event: str, args: tuple) -> None:
    if event == "open" and _RECORDING and isinstance(args[0], (str, Path)):
        mode = args[1] if isinstance(args[1], str) else "r"
        if "r" in mode and "+" not in mode:
            _RECORDING[-1][str(Path(args[0]).resolve())] += 1


sys.addaudithook(_audit)  # once per test process; it records only when asked


def opened(root: Path, run) -> Counter:
    """The files of the project ``root`` that ``run()`` opened to read, and
    how often (its own build folder aside)."""
    _RECORDING.append(Counter())
    try:
        run()
    finally:
        found = _RECORDING.pop()
    root = root.resolve()
    return Counter({Path(name).relative_to(root).as_posix(): count
                    for name, count in found.items()
                    if Path(name).is_relative_to(root)
                    and not Path(name).is_relative_to(root / "build")})


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    return copy_repo_project(tmp_path_factory.mktemp("snapshot") / "repo")


SOURCES = (".md", ".po", ".toml", ".html", ".css")


@pytest.mark.parametrize("command", [
    ("build",), ("build", "--lang", "en", "--lang", "nl"), ("status",), ("lint",),
    ("report",), ("deps",), ("check",)])
def test_a_command_reads_each_source_once(repo, cli, command):
    counts = opened(repo, lambda: cli(repo, *command))
    sources = {name: count for name, count in counts.items()
               if name.endswith(SOURCES)}
    assert sources, counts
    assert {name: count for name, count in sources.items() if count > 1} == {}
    if command[0] in ("build", "status", "lint"):  # every leaflet and catalog
        assert {"locales/nl/LC_MESSAGES/trigger-point-injections.po",
                "leaflets/trigger-point-aftercare.md"} <= set(sources)
    if command[0] in ("build", "status"):
        assert "locales/nl/LC_MESSAGES/ui.po" in sources


def test_the_report_of_a_build_reuses_its_lint(repo, cli, monkeypatch):
    shutil.rmtree(repo / "build", ignore_errors=True)
    linted: Counter = Counter()
    real = lint.lint_leaflet
    monkeypatch.setattr(lint, "lint_leaflet", lambda leaflet, *args, **kw: (
        linted.update([leaflet.slug]) or real(leaflet, *args, **kw)))
    assert cli(repo, "build").code == 0
    assert (repo / "build/report.html").exists()
    assert linted and set(linted.values()) == {1}, linted


def test_make_rules_read_again_only_the_leaflet_whose_files_changed(repo, cli):
    """``leafpress deps`` keeps each leaflet's rules in build/deps.json: with
    nothing changed it reads no leaflet and no catalog; after a translator
    saved one .po, only that leaflet and its catalogs."""
    first = cli(repo, "deps")
    assert first.code == 0
    sources = (".md", ".po")

    def read():
        counts = opened(repo, lambda: cli(repo, "deps"))
        return sorted(name for name in counts if name.endswith(sources))

    assert read() == []
    po = repo / "locales/nl/LC_MESSAGES/trigger-point-aftercare.po"
    po.write_bytes(po.read_bytes())  # saved again: a new time
    changed = read()
    assert "leaflets/trigger-point-aftercare.md" in changed
    assert not [name for name in changed if "trigger-point-injections" in name]
    assert read() == []
    assert cli(repo, "deps").out == first.out
