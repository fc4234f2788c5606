"""The lint rules: their names and levels, the ``[lint]`` settings, findings.

Used by every lint module and by the settings, the pipeline, the report and
the CLI. In: a rule name and the settings (``[lint]`` of ``leafpress.toml``).
Out: the level a rule reports at, and :class:`Finding`, one rule a leaflet
breaks at one place.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from leafpress.errors import Problem

BLOCKING, WARNING, OFF = "blocking", "warning", "off"
LEVELS = (BLOCKING, WARNING, OFF)

#: Every rule: its default level and what it asks of a leaflet.
RULES: dict[str, tuple[str, str]] = {
    "front-matter": (BLOCKING, "the front matter says what the leaflet is, for "
                     "whom and from which sources"),
    "required-section": (BLOCKING, "every section the leaflet type needs is there "
                         "and says what it must"),
    "risk-frequency": (BLOCKING, "every risk says how often it happens"),
    "no-treatment": (BLOCKING, "the alternatives include having no treatment"),
    "review-overdue": (BLOCKING, "the review-by date has not passed"),
    "review-due": (WARNING, "the review-by date is not near"),
    "todo": (BLOCKING, "no TODO note is left in the text"),
    "reference": (BLOCKING, "every reference marker [n] points to a source"),
    "unsourced-figure": (BLOCKING, "percentages and 'x in y' figures carry a "
                         "reference marker"),
    "unsourced-cure": (BLOCKING, "a claim that the treatment cures carries a "
                       "reference marker"),
    "guarantee": (BLOCKING, "no promises: proven, guaranteed, painless, safe and "
                  "effective, few or no side effects, risk-free, miracle, 100% "
                  "safe"),
    "superlative": (WARNING, "no advertising superlatives: best, leading, "
                    "world-class"),
    "call-to-action": (WARNING, "no sales calls to action: book now, don't wait"),
    "price": (WARNING, "no prices or offers"),
    "emergency-number": (BLOCKING, "emergency numbers are those of the configured "
                         "country, filled in from leafpress.toml"),
    "typed-contact": (BLOCKING, "no phone number or e-mail address typed into the "
                      "text: placeholders fill them in from leafpress.toml"),
    "reading-ease": (WARNING, "the language's reading-ease score reaches its "
                     "target"),
    "sentence-average": (WARNING, "sentences are short on average"),
    "sentence-length": (WARNING, "no sentence is too long"),
}

#: The sections each type of leaflet must have (``type:`` in the front
#: matter; ``procedure`` when it has none).
REQUIRED_SECTIONS = {
    "procedure": ("risks", "alternatives", "get-help", "contact"),
    "aftercare": ("get-help", "contact"),
    "information": ("get-help", "contact"),
}
DEFAULT_TYPE = "procedure"


@dataclass(frozen=True)
class LintSettings:
    """``[lint]`` of ``leafpress.toml``."""

    levels: Mapping[str, str] = field(default_factory=dict)
    reading_ease_min: float = 60.0
    sentence_average_max: float = 15.0
    sentence_max: int = 25
    review_warning_days: int = 90
    required_sections: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: dict(REQUIRED_SECTIONS))
    #: The country whose emergency numbers the leaflets print, its numbers,
    #: and every other number known as some country's emergency number.
    country: str = "NL"
    own_numbers: frozenset[str] = frozenset({"112"})
    foreign_numbers: Mapping[str, str] = field(default_factory=dict)

    def level(self, rule: str) -> str:
        return self.levels.get(rule, RULES[rule][0])


# --- findings ---------------------------------------------------------------

@dataclass(frozen=True)
class Finding:
    """One rule that a leaflet breaks, at one place."""

    rule: str
    level: str
    path: str
    line: int | None
    message: str

    @property
    def blocking(self) -> bool:
        return self.level == BLOCKING

    def problem(self) -> Problem:
        rule = self.rule if self.blocking else f"{self.rule} (warning)"
        return Problem(self.path, self.line, f"{rule}: {self.message}",
                       warning=not self.blocking)


class Findings(list):
    """Findings, each at the level the settings give its rule (a rule that
    is ``off`` is never added)."""

    def __init__(self, settings: LintSettings):
        super().__init__()
        self.settings = settings

    def add(self, rule: str, path: str, line: int | None, message: str) -> None:
        level = self.settings.level(rule)
        if level != OFF:
            self.append(Finding(rule, level, path, line, message))


def short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return f"“{text if len(text) <= limit else text[:limit - 1] + '…'}”"


def any_of(*alternatives: str) -> re.Pattern[str]:
    """One pattern that finds any of ``alternatives``, ignoring case: the
    word lists of the rules are made of these."""
    return re.compile("|".join(alternatives), re.IGNORECASE)
