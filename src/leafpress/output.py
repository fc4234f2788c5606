"""Writing files so that nobody ever sees half of one.

Every file leafpress makes is written to a temporary name in the same folder
and renamed into place, so that a reader (a printer queue, make, a second
build) sees either the old complete file or the new complete one. A write
that fails (a full disk, a read-only folder) raises :class:`OSError` naming
the file that was to be written, never the temporary one, and leaves no
temporary file behind.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

TEMP_PREFIX = ".leafpress-"


def naming(error: OSError, path: Path) -> OSError:
    """The same error, about ``path`` (the file the user knows)."""
    return type(error)(error.errno, error.strerror or str(error), str(path))


def temporary_path(path: Path) -> Path:
    """A fresh temporary file beside ``path`` (created empty)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=TEMP_PREFIX,
                                        suffix=path.suffix + ".tmp", dir=path.parent)
    except OSError as error:
        raise naming(error, path) from None
    os.close(handle)
    return Path(name)


def commit(temporary: Path, path: Path) -> None:
    """Move a finished temporary file into place, atomically."""
    try:
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise naming(error, path) from None


def write_atomic(path: Path, data: bytes, durable: bool = False) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    A killed process leaves the old file or the new one either way;
    ``durable`` also survives a power cut (``fsync``), for the sources
    leafpress rewrites (catalogs, settings), not for what it can make again.
    """
    temporary = temporary_path(path)
    try:
        with open(temporary, "wb") as file:
            file.write(data)
            if durable:
                file.flush()
                os.fsync(file.fileno())
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise naming(error, path) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    commit(temporary, path)


def remove_litter(folder: Path) -> list[Path]:
    """Delete temporary files left behind by a build that was killed."""
    removed = []
    if folder.is_dir():
        for path in folder.rglob(TEMP_PREFIX + "*"):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed
