"""What leafpress's output depends on beyond the project's own files.

Called by the report (its cached rows, page counts and thumbnails are keyed
on it) and by ``leafpress versions``, which keeps ``build/versions`` for
make: every PDF, every ``.mo`` and the catalog update depend on that file,
so that a new release of a library rebuilds what it could change. In: the
installed Python distributions and, where dpkg is, the system packages of
the fonts and the text engine. Out: a mapping from name to version and a
short fingerprint of it.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from functools import cache
from importlib import metadata
from pathlib import Path

from leafpress import __version__
from leafpress.output import write_atomic

#: The libraries whose release can change a catalog, a lint finding or a PDF.
LIBRARIES = ("babel", "weasyprint", "pydyf", "fonttools", "tinycss2", "cssselect2",
             "tinyhtml5", "pypdf", "pyphen", "jinja2", "markdown-it-py",
             "mdit-py-plugins", "pyyaml")
#: The Debian packages of the fonts, the text engine and the thumbnails.
SYSTEM = ("fonts-noto-core", "fonts-dejavu-core", "fontconfig", "libfontconfig1",
          "libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz0b",
          "libharfbuzz-subset0", "poppler-utils")


def _code() -> str:
    """leafpress's version and a hash of its own files (the version number
    alone does not change with every edit)."""
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".html", ".css"):
            digest.update(path.relative_to(package).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return f"{__version__}+{digest.hexdigest()[:12]}"


def _system() -> dict[str, str]:
    tool = shutil.which("dpkg-query")
    if tool is None:
        return {}
    found = subprocess.run([tool, "-W", "-f", "${Package} ${Version}\n", *SYSTEM],
                           capture_output=True, text=True, check=False, timeout=60)
    return dict(line.split(" ", 1) for line in found.stdout.splitlines()
                if " " in line and line.split(" ", 1)[1])


@cache
def versions() -> dict[str, str]:
    """Every version the output depends on, by name (system packages as
    ``deb:<name>``)."""
    found = {"leafpress": _code()}
    for name in LIBRARIES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "-"
    found.update({f"deb:{name}": version for name, version in _system().items()})
    return found


def describe() -> str:
    """One ``name version`` line each, as ``build/versions`` holds them."""
    return "".join(f"{name} {version}\n" for name, version in versions().items())


def fingerprint() -> str:
    """A short hash of :func:`versions`: equal only if every version is."""
    return "sha256:" + hashlib.sha256(describe().encode()).hexdigest()[:16]


def write(path: Path) -> list[str] | None:
    """Write :func:`describe` to ``path`` when it differs from what is
    there (so that make sees a new time only on a change). Returns ``None``
    when nothing changed, else what did (``name old -> new``; empty for a
    new file)."""
    text = describe()
    try:
        before = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        before = None
    if before == text:
        return None
    write_atomic(path, text.encode())
    if before is None:
        return []
    old = dict(line.split(" ", 1) for line in before.splitlines() if " " in line)
    return [f"{name} {old.get(name, '-')} -> {version}"
            for name, version in versions().items() if old.get(name) != version]
