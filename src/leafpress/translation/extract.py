"""Extract translatable text: leaflets and templates to gettext templates.

Called by ``leafpress extract`` (and by the ``babel.extractors`` entry point).
In: :class:`~leafpress.model.Leaflet` objects and the Jinja2 templates. Out:
``locales/<slug>.pot`` per leaflet and ``locales/ui.pot`` for the template
strings, with ``#:`` references, ``#.`` comments and document order. A file
whose messages did not change is not rewritten, so extracting unchanged
sources changes no byte.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import io
import os
from collections.abc import Iterator, Mapping
from pathlib import Path

import babel
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.extract import extract as extract_messages

from leafpress.errors import display_path
from leafpress.model import Leaflet
from leafpress.output import write_atomic
from leafpress.settings.project import Project
from leafpress.sources.leaflet import parse_leaflet
from leafpress.translation import layout, wrapping

UI_DOMAIN = "ui"
JINJA_EXTRACTOR = "jinja2.ext:babel_extract"
TRANSLATOR_TAGS = ("Translators:",)


def creation_date() -> datetime.datetime:
    """Now, or ``SOURCE_DATE_EPOCH`` when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC)
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0)


def leaflet_template(leaflet: Leaflet, project: Project) -> Catalog:
    """The ``.pot`` catalog of one leaflet: every message in document order."""
    meta = leaflet.meta
    catalog = Catalog(
        domain=meta.slug,
        header_comment=(
            f"# Translation template for the leaflet “{meta.title}”.\n"
            f"# Source: {display_path(leaflet.path, project.root)}, "
            f"version {meta.version}.\n"
            "# Made by `leafpress extract`: edit the leaflet, not this file."),
        project=meta.slug,
        version=meta.version,
        copyright_holder=meta.organisation,
        msgid_bugs_address=project.settings.catalog_email,
        creation_date=creation_date(),
        charset="utf-8",
    )
    source = display_path(leaflet.path, project.root)
    for message in leaflet.messages:
        flags = ("python-brace-format",) if message.placeholders else ()
        existing = catalog.get(message.msgid, message.context)
        if existing is not None:
            existing.locations.append((source, message.line))
            if message.comment not in existing.auto_comments:
                existing.auto_comments.append(message.comment)
            continue
        catalog.add(message.msgid, locations=[(source, message.line)], flags=flags,
                    auto_comments=[message.comment], context=message.context)
    return catalog


def ui_template(project: Project, sources: Mapping[str, str] | None = None
                ) -> Catalog:
    """The ``ui.pot`` catalog: every string in the templates, via Jinja2
    (``sources``: the HTML templates' text by name, as one run read them;
    by default, the files of the templates folder)."""
    catalog = Catalog(
        domain=UI_DOMAIN,
        header_comment=(
            "# Translation template for the words the leaflet templates print\n"
            "# around every leaflet (headers, footers, “about this leaflet”).\n"
            "# Made by `leafpress extract`: edit templates/, not this file."),
        project="leafpress templates",
        version=None,
        msgid_bugs_address=project.settings.catalog_email,
        creation_date=creation_date(),
        charset="utf-8",
    )
    method_map = [("**.html", JINJA_EXTRACTOR)]
    options_map = {"**.html": {"extensions": "jinja2.ext.i18n", "newstyle_gettext":
                               "true", "trimmed": "true"}}
    if sources is None:
        extracted = extract_from_dir(str(project.templates), method_map, options_map,
                                     comment_tags=TRANSLATOR_TAGS,
                                     strip_comment_tags=True)
    else:
        extracted = _extract_sources(sources, options_map["**.html"])
    for filename, lineno, message, comments, context in extracted:
        path = display_path(project.templates / filename, project.root)
        catalog.add(message, locations=[(path, lineno)], auto_comments=comments,
                    context=context)
    return catalog


def _walk_order(name: str) -> tuple:
    """Where ``extract_from_dir`` meets a file: a folder's own files (by
    name) before its sub-folders."""
    *folders, file = name.split("/")
    return (*((1, folder) for folder in folders), (0, file))


def _extract_sources(sources: Mapping[str, str], options: dict
                     ) -> Iterator[tuple[str, int, str, list[str], str | None]]:
    """What ``extract_from_dir`` finds in the templates folder, from the
    templates' text instead of their files."""
    for name in sorted(sources, key=_walk_order):
        for lineno, message, comments, context in extract_messages(
                JINJA_EXTRACTOR, io.BytesIO(sources[name].encode("utf-8")),
                DEFAULT_KEYWORDS, TRANSLATOR_TAGS, options, strip_comment_tags=True):
            yield name, lineno, message, comments, context


def babel_extract(fileobj, keywords, comment_tags, options):
    """Babel extraction method for leaflets, registered as the
    ``babel.extractors`` entry point ``leafpress``, so that ``pybabel extract
    -F babel.cfg`` finds the same messages as ``leafpress extract``.

    Yields ``(line, function, message, comments)``; the title and summary
    carry their context through ``pgettext``. A leaflet with problems raises
    :class:`~leafpress.errors.ContentError` naming them.
    """
    name = getattr(fileobj, "name", "leaflet.md")
    path = Path(name if isinstance(name, str) else "leaflet.md")
    leaflet = parse_leaflet(fileobj.read(), path, str(path), placeholders=None)
    for message in leaflet.messages:
        if message.context:
            yield (message.line, "pgettext", (message.context, message.msgid),
                   [message.comment])
        else:
            yield message.line, "gettext", message.msgid, [message.comment]


def serialise(catalog: Catalog) -> bytes:
    """A catalog in leafpress's one layout (see :mod:`leafpress.translation.layout`)."""
    return layout.write(catalog)


@functools.cache
def layout_version() -> str:
    """What :func:`serialise` writes depends on: Babel's version and the
    code of the layout (a hash of its modules)."""
    digest = hashlib.sha256(babel.__version__.encode())
    for module in (layout, wrapping):
        digest.update(Path(module.__file__).read_bytes())
    digest.update(Path(__file__).read_bytes())
    return digest.hexdigest()[:16]


def _without_dates(data: bytes) -> bytes:
    return b"\n".join(line for line in data.split(b"\n")
                      if not line.startswith((b'"POT-Creation-Date:',
                                              b'"PO-Revision-Date:')))


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write ``data`` unless the file already says the same, dates aside."""
    try:
        if _without_dates(path.read_bytes()) == _without_dates(data):
            return False
    except FileNotFoundError:
        pass
    write_atomic(path, data, durable=True)
    return True


def templates_for(project: Project, leaflets: list[Leaflet], ui: Catalog
                  ) -> Iterator[tuple[Path, Catalog]]:
    """Every template the project has: ``ui.pot`` (``ui``, from
    :func:`ui_template`), then one per leaflet."""
    yield project.pot_path(UI_DOMAIN), ui
    for leaflet in leaflets:
        yield project.pot_path(leaflet.slug), leaflet_template(leaflet, project)


def extract(project: Project, leaflets: list[Leaflet], ui: Catalog) -> list[Path]:
    """Write every ``.pot`` (``ui``: the templates' messages, from
    :func:`ui_template`); return the ones that changed."""
    changed = []
    for path, catalog in templates_for(project, leaflets, ui):
        if write_if_changed(path, serialise(catalog)):
            changed.append(path)
    return changed
