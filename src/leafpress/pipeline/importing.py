"""``leafpress import``: a web page or article as a draft leaflet.

Called by the CLI. In: the file to import (a WordPress export, an HTML page
or plain text) and where the leaflet goes. Out: ``leaflets/<slug>.md``,
written only when it reads as a leaflet, with the importer's notes and the
front-matter fields still to fill in.
"""

from __future__ import annotations

import re
from pathlib import Path

from leafpress.errors import ContentError, Problem, UsageError
from leafpress.model import SLUG_RE
from leafpress.output import write_atomic
from leafpress.settings.project import Project
from leafpress.sources.leaflet import MAX_BYTES, parse_leaflet


def import_leaflet(project: Project, source: Path, output: Path | None = None,
                   fmt: str | None = None, force: bool = False
                   ) -> tuple[Path, tuple[str, ...], tuple[str, ...]]:
    """Import a web page or article as a draft leaflet (``leaflets/<slug>.md``
    or ``output``); return where it went, the importer's notes and the
    fields still to fill in."""
    from leafpress.sources import importer  # its HTML parser loads only here

    try:
        data = source.read_bytes()
    except OSError as error:
        raise UsageError(f"cannot read {source}: {error.strerror}") from None
    imported = importer.import_source(data, source.name, fmt)
    text, slug = imported.text, imported.slug
    target = output or project.leaflets / f"{slug}.md"
    if target.stem != slug:
        if not SLUG_RE.match(target.stem):
            raise UsageError(f"{target.name}: a leaflet file name is its slug: "
                             "lower-case words joined by hyphens, ending in .md")
        text = re.sub(r"(?m)^slug: .*$", f"slug: {target.stem}", text, count=1)
    if target.exists() and not force:
        raise UsageError(f"{project.show(target)} exists; use --force to replace it "
                         "or -o to write elsewhere")
    data = text.encode("utf-8")
    shown = project.show(target)
    if len(data) > MAX_BYTES:
        raise ContentError([Problem(shown, None, f"not written: the imported text is "
                                    f"{len(data) / 1e6:.1f} MB, and a leaflet is at "
                                    f"most {MAX_BYTES // 1_000_000} MB: import the "
                                    "one article the leaflet is about")])
    # Checked before it is written: an import never leaves a broken leaflet.
    leaflet = parse_leaflet(data, target, shown, None)
    write_atomic(target, data, durable=True)
    return target, imported.notes, leaflet.meta.todo
