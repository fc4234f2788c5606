"""Batch builds: one process renders the stale set, progress, Dask."""

from __future__ import annotations

import io
import logging
import subprocess

import pytest

from conftest import copy_repo, make_project
from leafpress.cli import ProgressBar
from leafpress.pipeline.build import build
from leafpress.pipeline.snapshot import Snapshot
from leafpress.settings.project import load_project


def test_make_starts_one_leafpress_build_for_the_whole_stale_set(tmp_path):
    root = copy_repo(tmp_path / "repo")
    real = (root / ".venv/bin/leafpress").resolve()
    (root / ".venv/bin/leafpress").unlink()
    log = tmp_path / "calls.log"
    wrapper = root / ".venv/bin/leafpress"
    wrapper.write_text(f'#!/bin/sh\necho "$@" >> {log}\nexec {real} "$@"\n')
    wrapper.chmod(0o755)
    result = subprocess.run(["make", "-j2"], cwd=root, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stderr
    builds = [line for line in log.read_text().splitlines()
              if line.split()[:1] == ["build"]]
    assert len(builds) == 1, builds
    assert "--targets-from build/.stale" in builds[0]
    printed = sorted((root / "build/pdf").rglob("*.pdf"))
    assert len(printed) >= 12


def test_progress_bar_on_a_terminal():
    stream = io.StringIO()
    bar = ProgressBar(stream)
    for done in (1, 2, 3):
        record = logging.LogRecord("leafpress.progress", logging.INFO, __file__, 1,
                                   "[%d/3] printed build/pdf/nl/x.pdf", (done,), None)
        record.done, record.total = done, 3
        bar.emit(record)
    drawn = stream.getvalue()
    drawing = "[" + "#" * 10 + "." * 20 + "]"
    assert f"{drawing}    1/3  printed build/pdf/nl/x.pdf" in drawn
    assert "   3/3" in drawn
    assert drawn.endswith("\r"), "the bar is cleared at the end"


def test_progress_is_plain_lines_when_not_a_terminal(project, cli):
    run = cli(project, "build", "-l", "en")
    assert run.code == 0, run.err
    assert "[1/1] printed build/pdf/en/blood-test.pdf (1 page)" in run.err
    assert "\r" not in run.err


@pytest.mark.parametrize("jobs", ["0", "-1"])
def test_jobs_must_be_positive(project, cli, jobs):
    run = cli(project, "build", "--jobs", jobs)
    assert run.code == 2
    assert "--jobs must be 1 or more" in run.err


def test_one_worker_builds_the_same_bytes_as_two(tmp_path):
    root = make_project(tmp_path)
    project = load_project(root, build=root / "one")
    assert build(Snapshot(project), jobs=1).ok
    project = load_project(root, build=root / "two")
    assert build(Snapshot(project), jobs=2).ok
    for pdf in sorted((root / "one/pdf").rglob("*.pdf")):
        twin = root / "two" / pdf.relative_to(root / "one")
        assert pdf.read_bytes() == twin.read_bytes(), pdf


distributed = pytest.importorskip("distributed")


def test_a_dask_cluster_prints_the_same_bytes(tmp_path):
    root = make_project(tmp_path)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        project = load_project(root, build=root / "dask")
        report = build(Snapshot(project), scheduler=cluster.scheduler_address)
    assert report.ok, [str(problem) for outcome in report.failed
                       for problem in outcome.problems]
    local = load_project(root, build=root / "local")
    assert build(Snapshot(local)).ok
    made = sorted((root / "dask/pdf").rglob("*.pdf"))
    assert [path.name for path in made] == ["blood-test.pdf", "blood-test.pdf"]
    for pdf in made:
        twin = root / "local" / pdf.relative_to(root / "dask")
        assert pdf.read_bytes() == twin.read_bytes(), pdf


def test_an_unreachable_scheduler_is_a_usage_error(project, cli):
    run = cli(project, "build", "--scheduler", "tcp://127.0.0.1:9")
    assert run.code == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in run.err


def test_workers_are_recycled_and_report_their_memory(tmp_path):
    root = make_project(tmp_path)
    report = build(Snapshot(load_project(root)))
    assert report.ok
    assert len(report.memory) == 2
    assert all(0 < megabytes < 400 for megabytes in report.memory)


def test_a_render_past_its_time_limit_is_stopped_and_reported(project, cli):
    settings = project / "leafpress.toml"
    settings.write_text(settings.read_text().replace(
        '[print]\n', '[print]\ntime-limit = 1\n'))
    leaflet = project / "leaflets/blood-test.md"
    text = leaflet.read_text().replace("max-pages: 2", "max-pages: 100")
    filler = "\n".join(f"- Point {n}: " + "a long line of words " * 12
                       for n in range(3000))
    leaflet.write_text(text + "\n## More\n\n" + filler + "\n")
    run = cli(project, "build", "-l", "en")
    assert run.code == 1
    assert ("build/html/en/blood-test.html: rendering took more than 1 s and was "
            "stopped") in run.err
    assert not (project / "build/pdf/en/blood-test.pdf").exists()


def test_workers_are_replaced_without_losing_a_document(project):
    from leafpress.printing import compose, render
    from leafpress.sources.leaflet import read_leaflet

    loaded = load_project(project)
    leaflet = read_leaflet(project / "leaflets/blood-test.md",
                           loaded.settings.placeholders, project)
    document = compose.compose(leaflet, "en", loaded,
                               lambda msgid, context=None: msgid, None)
    with render.RenderPool(2, tasks_per_worker=2) as pool:
        futures = [pool.submit(render.task_for(document, loaded, 0))
                   for _ in range(9)]
        results = [future.result(timeout=120) for future in futures]
        assert len(pool._retired) == 2
    assert all(result.pdf and not result.problems for result in results)
    assert len({result.pdf for result in results}) == 1, "the same bytes every time"


def test_a_build_says_where_its_time_went(project, cli):
    """build/timings.json after every build; --timings prints it: every stage
    of the main process and of the workers that ran, with plausible times."""
    import json

    result = cli(project, "build", "--timings", "--jobs", "1")
    assert result.code == 0, result.err
    record = json.loads((project / "build/timings.json").read_text())
    stages = record["stages"]
    assert record["documents"] == 2 and record["workers"] == 1
    assert {"catalogs", "lint", "compose", "render", "verify", "thumbnail", "write",
            "report", "start-up", "idle"} <= set(stages)
    assert all(seconds >= 0 for seconds in stages.values())
    # the worker's stages are part of the time it took, which the build waited for
    assert stages["render"] + stages["verify"] < record["seconds"]
    assert stages["render"] > stages["write"]
    lines = result.out.splitlines()
    assert lines[0].startswith("2 documents, 1 worker, ")
    assert [line.split()[0] for line in lines[2:]] == list(stages)


def test_the_workers_make_the_reports_thumbnails(project):
    """Each leaflet's first variant comes back with a picture of its first
    page, written beside the report before the report is written."""
    report = build(Snapshot(load_project(project)), jobs=1)
    assert report.ok and not (project / "build/report.html").exists()
    for lang in ("en", "nl"):
        picture = project / "build/report" / lang / "blood-test.jpg"
        assert picture.read_bytes().startswith(b"\xff\xd8\xff")
        assert picture.stat().st_mtime_ns >= (
            project / "build/pdf" / lang / "blood-test.pdf").stat().st_mtime_ns
    assert report.stages["thumbnail"] > 0


def test_a_workers_memory_is_its_own(project):
    """A worker is forked from the main process before it starts Python
    again: what it reports is what it held itself, not the main process's
    size at that moment."""
    ballast = bytearray(600 * 2**20)
    for index in range(0, len(ballast), 4096):
        ballast[index] = 1
    report = build(Snapshot(load_project(project)), jobs=1)
    assert report.ok and report.memory
    assert all(0 < megabytes < 400 for megabytes in report.memory), report.memory
    del ballast
