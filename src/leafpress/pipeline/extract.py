"""``leafpress extract``: every leaflet and the templates into their
translation templates (``locales/*.pot``).

Called by the CLI. In: a :class:`~leafpress.pipeline.snapshot.Snapshot`.
Out: the ``.pot`` files written, the problems of leaflets that could not be
read (their templates are left as they are), and the PDFs the changed
leaflets made stale, withdrawn.
"""

from __future__ import annotations

from pathlib import Path

from leafpress.errors import Problem
from leafpress.pipeline.snapshot import Snapshot
from leafpress.pipeline.withdraw import withdraw_stale
from leafpress.translation import extract


def run_extract(snapshot: Snapshot
                ) -> tuple[list[Path], list[Problem], list[tuple[Path, Path, str]]]:
    """Write every ``.pot``; leaflets with problems are reported, not written.
    Then withdraw the PDFs that the changed leaflets made stale."""
    project = snapshot.project
    leaflets, problems = snapshot.leaflets(project.leaflet_paths())
    written = extract.extract(project, leaflets, snapshot.ui_template())
    return written, problems, withdraw_stale(snapshot)
