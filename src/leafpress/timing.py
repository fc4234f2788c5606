"""Where a run's time goes: seconds per named stage.

Used by the build (catalogs, lint, compose, write, report in the main
process; render, verify, impose in the workers, summed over documents) and
shown by ``leafpress build --timings`` and ``make bench``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

#: The stages in the order the work flows; any other name goes after them.
ORDER = ("start-up", "catalogs", "lint", "compose", "render", "verify", "impose",
         "thumbnail", "write", "report", "idle")


class Stages(dict[str, float]):
    """Seconds per stage; the same name adds up."""

    @contextmanager
    def time(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.add(name, time.perf_counter() - started)

    def add(self, name: str, seconds: float) -> None:
        self[name] = self.get(name, 0.0) + seconds

    def merge(self, other: Mapping[str, float]) -> None:
        for name, seconds in other.items():
            self.add(name, seconds)

    def ordered(self) -> list[tuple[str, float]]:
        known = [(name, self[name]) for name in ORDER if name in self]
        return known + sorted((name, seconds) for name, seconds in self.items()
                              if name not in ORDER)
