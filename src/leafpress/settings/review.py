"""The review policy: ``[review]`` in ``leafpress.toml``.

Called by :mod:`leafpress.settings.project`. In: the ``[review]`` table:
``require``, a list of ``"revised"`` (a second linguist revised every
message) and ``"signed-off"`` (the clinician approved the text as printed),
and a ``[review.<lang>]`` table per language that asks for something else.
Out: a :class:`ReviewPolicy`. Without a ``[review]`` table both are required
(fail closed); ``require = []`` asks for neither, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from leafpress.errors import Problem

REVISED = "revised"
SIGNED_OFF = "signed-off"
KINDS = (REVISED, SIGNED_OFF)


@dataclass(frozen=True)
class ReviewPolicy:
    """What each language needs before it prints."""

    require: tuple[str, ...] = KINDS
    #: Languages that need something else than ``require``.
    languages: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def required(self, lang: str) -> tuple[str, ...]:
        return self.languages.get(lang, self.require)


def _kinds(value: Any, where: str, shown: str, problems: list[Problem]
           ) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        problems.append(Problem(shown, None, f"[{where}] require must be a list such "
                                f"as {list(KINDS)} (or [] for no review records)"))
        return KINDS
    unknown = [item for item in value if item not in KINDS]
    if unknown:
        problems.append(Problem(shown, None, f"[{where}] require: {unknown[0]!r} is "
                                f"not one of {', '.join(KINDS)}"))
        return KINDS
    return tuple(kind for kind in KINDS if kind in value)


def read_review(table: Any, languages: tuple[str, ...], source: str, shown: str,
                problems: list[Problem]) -> ReviewPolicy:
    """The policy in ``[review]`` (``table``: ``None`` when there is none)."""
    if table is None:
        return ReviewPolicy()
    if not isinstance(table, dict):
        problems.append(Problem(shown, None, "[review] must be a table"))
        return ReviewPolicy()
    require = _kinds(table.get("require", list(KINDS)), "review", shown, problems)
    per_language = {}
    for key, value in table.items():
        if key == "require":
            continue
        if key not in languages or key == source or not isinstance(value, dict):
            problems.append(Problem(shown, None, f"[review] {key}: not a setting; "
                                    "use require, or a [review.<lang>] table for a "
                                    "target language in [project] languages"))
            continue
        extra = [name for name in value if name != "require"]
        if extra:
            problems.append(Problem(shown, None, f"[review.{key}] {extra[0]}: not a "
                                    "setting (only require)"))
        per_language[key] = _kinds(value.get("require", list(require)),
                                   f"review.{key}", shown, problems)
    return ReviewPolicy(require, per_language)
