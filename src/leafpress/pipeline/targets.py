"""What a run prints: its targets, chosen from the command line or from the
list of stale files make writes, and the files each one puts in ``build/``.

Called by every command of :mod:`leafpress.pipeline`. In: the project and the
names on the command line. Out: :class:`Target` objects (one leaflet in one
language in one print variant) and the problems of files no build uses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from leafpress.errors import Problem, UsageError
from leafpress.model import BOOKLET_SUFFIX, SLUG_RE, VARIANTS, Leaflet, Variant
from leafpress.settings.project import Project


@dataclass(frozen=True)
class Target:
    """One leaflet in one language in one print variant."""

    slug: str
    lang: str
    variant: Variant = VARIANTS["standard"]

    def __str__(self) -> str:
        suffix = self.variant.suffix
        if self.variant.name == "booklet":
            suffix = BOOKLET_SUFFIX
        return f"{self.lang}/{self.slug}{suffix}"

    def outputs(self, project: Project) -> list[Path]:
        """The files this target puts in ``build/pdf/``."""
        paths = [project.pdf_path(self.lang, self.slug, self.variant.suffix)]
        if self.variant.name == "booklet":
            paths.append(project.pdf_path(self.lang, self.slug, BOOKLET_SUFFIX))
        return paths


def select_languages(project: Project, langs: Iterable[str] | None) -> list[str]:
    configured = project.settings.languages
    chosen = list(dict.fromkeys(langs)) if langs else list(configured)
    unknown = [lang for lang in chosen if lang not in configured]
    if unknown:
        raise UsageError(f"language {', '.join(unknown)} is not configured in "
                         f"leafpress.toml (languages: {', '.join(configured)})")
    return chosen


def target_language(project: Project, lang: str, purpose: str) -> str:
    """A language the leaflets are translated into (not the source), or a
    :class:`UsageError` that says what the command is for."""
    [lang] = select_languages(project, [lang])
    if lang == project.settings.source_language:
        raise UsageError(f"{lang} is the source language: {purpose}")
    return lang


def select_leaflets(project: Project, slugs: Iterable[str] | None) -> list[Path]:
    if not slugs:
        return project.leaflet_paths()
    paths = []
    for slug in dict.fromkeys(slugs):
        path = project.leaflets / f"{slug}.md"
        if not SLUG_RE.match(slug) or not path.is_file():
            folder = project.show(project.leaflets)
            raise UsageError(f"no leaflet {slug!r} in {folder}/")
        paths.append(path)
    return paths


def select_variants(project: Project, names: Iterable[str] | None) -> list[Variant]:
    configured = project.settings.variants
    if not names:
        return list(configured)
    chosen = []
    for name in dict.fromkeys(names):
        if name not in VARIANTS:
            raise UsageError(f"no print variant {name!r} (variants: "
                             f"{', '.join(VARIANTS)})")
        chosen.append(VARIANTS[name])
    return chosen


_SUFFIXES = {variant.suffix: variant for variant in VARIANTS.values()}
_SUFFIXES[BOOKLET_SUFFIX] = VARIANTS["booklet"]
_PDF_RE = re.compile(r"(?:^|/)pdf/([^/]+)/([a-z0-9-]+)((?:\.[a-z0-9]+)?)\.pdf$")
_MO_RE = re.compile(r"(?:^|/)mo/([^/]+)/LC_MESSAGES/([a-z0-9-]+)\.mo$")


def target_of(path: Path | str) -> Target | None:
    """The target a file in ``build/pdf/`` belongs to, if any."""
    match = _PDF_RE.search(str(path))
    if match is None or match[3] not in _SUFFIXES:
        return None
    return Target(match[2], match[1], _SUFFIXES[match[3]])


def read_target_list(path: Path) -> tuple[set[Target], set[tuple[str, str]]]:
    """Read the list of stale files that make writes (one path per line)."""
    targets: set[Target] = set()
    compiled: set[tuple[str, str]] = set()
    try:
        lines = path.read_text(encoding="utf-8").split()
    except FileNotFoundError:
        return targets, compiled
    for line in lines:
        if (target := target_of(line)) is not None:
            targets.add(target)
        elif match := _MO_RE.search(line):
            compiled.add((match[1], match[2]))
        else:
            raise UsageError(f"{path}: cannot build {line!r}")
    return targets, compiled


def outputs_of(project: Project, slug: str, lang: str) -> list[Path]:
    """The files a leaflet prints in a language, every variant in turn."""
    return [output for variant in project.settings.variants
            for output in Target(slug, lang, variant).outputs(project)]


def files_of(project: Project, slug: str, lang: str) -> int:
    """How many files a leaflet prints in a language (every variant)."""
    return len(outputs_of(project, slug, lang))


def stray_files(project: Project) -> list[Problem]:
    """Files no build uses, which is likely a mistake: catalog folders for
    languages ``leafpress.toml`` does not list, and leaflets and catalogs
    whose file name is not a slug (make cannot name them either)."""
    problems = [Problem(project.show(path), None, "not a leaflet's or catalog's "
                        "name, so it is left out: name it after the leaflet's slug "
                        "(lower-case words joined by hyphens, no spaces or colons)")
                for path in project.misnamed()]
    configured = set(project.settings.languages)
    if project.locales.is_dir():
        for folder in sorted(project.locales.iterdir()):
            if folder.is_dir() and folder.name not in configured:
                problems.append(Problem(
                    project.show(folder), None, f"catalogs for {folder.name!r}, which "
                    "leafpress.toml does not list in [project] languages: add it "
                    f"(leafpress init-locale {folder.name}) or remove the folder"))
    return problems


def draft_note(leaflet: Leaflet) -> str:
    """Why a draft does not print, and what to do: a state, not an error."""
    todo = leaflet.meta.todo
    what = (f"fill in {', '.join(todo)}, then remove 'status: draft'" if todo else
            "remove 'status: draft' once the clinical reviewer has approved it")
    return (f"a draft, not printed: {what} (`leafpress build --draft` prints a "
            "review copy)")


