"""The dependency lock: install exactly it, or compare an environment with it.

    python scripts/lock.py install requirements.txt   (make, make test)
    python scripts/lock.py latest requirements.txt    (make test-latest)

Run with the Python of the environment to change or compare. ``install``
installs every locked package through pip, in hash-checking mode and with the
machine's own pip configuration, then leafpress itself (editable, without
build isolation: its build backend is locked too), removes anything the lock
does not name (pip aside), and fails unless the environment then holds
exactly the locked versions. ``latest`` installs the newest releases that
``pyproject.toml`` allows (the project with its test and distributed extras,
and its build backend), then lists where they differ from the lock, as
``name locked -> installed``.

Standard library only: it runs before anything is installed.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Installed, but never locked: the installer itself and the project.
UNLOCKED = {"pip", "leafpress"}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked(path: Path) -> dict[str, str]:
    """``name == version`` of every package in a pip-tools lock."""
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", line)
        if match:
            found[canonical(match[1])] = match[2]
    return found


def installed() -> dict[str, str]:
    listing = subprocess.run([sys.executable, "-m", "pip", "list", "--format=json",
                              "--disable-pip-version-check"],
                             capture_output=True, text=True, check=True).stdout
    return {canonical(item["name"]): item["version"] for item in json.loads(listing)}


#: What a new virtual environment brings with it (compared only if locked).
BOOTSTRAP = {"setuptools"}


def differences(lock: dict[str, str], have: dict[str, str],
                bootstrap: bool = False) -> list[str]:
    """``name locked -> installed`` for each difference; ``bootstrap``
    overlooks what a new environment brings that the lock does not name."""
    lines = []
    for name in sorted(set(lock) | set(have)):
        if name in UNLOCKED or (bootstrap and name in BOOTSTRAP and name not in lock):
            continue
        before, after = lock.get(name, "-"), have.get(name, "-")
        if before != after:
            lines.append(f"{name} {before} -> {after}")
    return lines


def pip(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check",
                    *args], check=True)


def install(path: Path) -> int:
    lock = locked(path)
    pip("install", "-qq", "--require-hashes", "--requirement", str(path))
    pip("install", "-qq", "--no-deps", "--no-build-isolation", "--editable",
        str(ROOT))
    extra = sorted(name for name in installed() if name not in lock | dict.fromkeys(
        UNLOCKED))
    if extra:
        pip("uninstall", "-qq", "--yes", *extra)
    wrong = differences(lock, installed())
    if wrong:
        sys.stderr.write(f"{sys.prefix} does not match {path.name}:\n"
                         + "".join(f"  {line}\n" for line in wrong))
        return 1
    sys.stderr.write(f"{Path(sys.prefix).name}: the {len(lock)} packages of "
                     f"{path.name}, exactly\n")
    return 0


def latest(path: Path) -> int:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    backend = project["build-system"]["requires"]
    pip("install", "-qq", "--upgrade", "--upgrade-strategy", "eager", "--editable",
        f"{ROOT}[test,distributed]", *backend)
    return diff(path)


def diff(path: Path) -> int:
    lines = differences(locked(path), installed(), bootstrap=True)
    if lines:
        sys.stdout.write(f"differs from {path.name} (locked -> installed):\n"
                         + "".join(f"  {line}\n" for line in lines))
    else:
        sys.stdout.write(f"{Path(sys.prefix).name} holds exactly the versions of "
                         f"{path.name}\n")
    return 0


if __name__ == "__main__":
    commands = {"install": install, "latest": latest, "diff": diff}
    if len(sys.argv) != 3 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    sys.exit(commands[sys.argv[1]](Path(sys.argv[2])))
