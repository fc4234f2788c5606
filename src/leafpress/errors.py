"""Problems and the one error family the command line catches.

Every stage reports what is wrong with the input as :class:`Problem` objects
that carry a place (``path:line: message``). A stage that cannot go on raises a
:class:`LeafpressError` holding all the problems it found, never just the
first. The CLI catches only this family; any other exception is a bug and
keeps its traceback.
"""

from __future__ import annotations

import errno
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input, at one place.

    ``line`` is a 1-based line number in ``path``, or ``None`` when the
    problem concerns the whole file. ``where`` replaces the line for places
    that are not lines (``page 2`` of a PDF). A ``warning`` is reported but
    does not stop anything.
    """

    path: str
    line: int | None
    message: str
    where: str | None = None
    warning: bool = False

    def __str__(self) -> str:
        if self.line is not None:
            return f"{self.path}:{self.line}: {self.message}"
        if self.where is not None:
            return f"{self.path}: {self.where}: {self.message}"
        return f"{self.path}: {self.message}"

    @property
    def rule(self) -> str | None:
        """The rule the problem names: the few words before the first colon
        of its message (``fuzzy``, ``numbers``, ``plural-forms``), if any."""
        rule = self.message.split(":", 1)[0].strip()
        if ":" in self.message and _RULE_RE.fullmatch(rule) and len(rule.split()) <= 6:
            return rule
        return None


_RULE_RE = re.compile(r"[A-Za-z][A-Za-z -]{1,40}")
#: What :func:`by_rule` calls a problem that names no rule.
NO_RULE = "failed its checks"


def by_rule(problems: Iterable[Problem]) -> dict[str, list[Problem]]:
    """The blocking problems grouped by the rule each names, in the order
    the rules first appear (for one-line summaries of why nothing printed)."""
    rules: dict[str, list[Problem]] = {}
    for problem in problems:
        if not problem.warning:
            rules.setdefault(problem.rule or NO_RULE, []).append(problem)
    return rules


def display_path(path: Path | str, root: Path | None = None) -> str:
    """Return ``path`` relative to ``root`` (or the working folder) when it
    lies inside it, so that messages stay short and clickable."""
    path = Path(path)
    for base in (root, Path.cwd()):
        if base is None:
            continue
        # Most paths are made from the project's folder: no need to ask the
        # file system (a path with ".." in it is resolved first).
        if path.is_absolute() and ".." not in path.parts:
            for folder in (base, _resolved(base)):
                if path.is_relative_to(folder):
                    return str(path.relative_to(folder))
        try:
            return str(path.resolve().relative_to(_resolved(base)))
        except ValueError:
            continue
    return str(path)


@functools.lru_cache(maxsize=32)
def _resolved(folder: Path) -> Path:
    return folder.resolve()


class LeafpressError(Exception):
    """An error caused by the input, shown to the user without a traceback.

    ``exit_code`` is what the command exits with: 1 for a problem in the
    content, a catalog or a PDF; 2 for a usage error.
    """

    exit_code = 1

    def __init__(self, problems: Iterable[Problem] | str):
        if isinstance(problems, str):
            self.problems: tuple[Problem, ...] = ()
            message = problems
        else:
            self.problems = tuple(problems)
            message = "\n".join(str(problem) for problem in self.problems)
        super().__init__(message)


class ContentError(LeafpressError):
    """A leaflet, catalog, template or PDF is wrong; ``problems`` says where."""


class UsageError(LeafpressError):
    """The command was called wrongly (unknown language, leaflet, option)."""

    exit_code = 2


def write_problem(error: OSError, shown: str) -> Problem:
    """A file that could not be written, as a placed problem that says what
    to do (a full disk, a read-only folder)."""
    advice = {
        errno.ENOSPC: "the disk is full: free some space and run the build again",
        errno.EDQUOT: "the disk quota is used up: free some space and run the "
        "build again",
        errno.EROFS: "the folder is on a read-only disk: choose another build "
        "folder (--build-dir)",
        errno.EACCES: "no permission to write there: fix the folder's permissions "
        "or choose another build folder (--build-dir)",
        errno.EPERM: "no permission to write there: fix the folder's permissions "
        "or choose another build folder (--build-dir)",
    }.get(error.errno or 0, "check the disk and the folder's permissions")
    return Problem(shown, None, f"cannot write: {error.strerror or error}; {advice}")
