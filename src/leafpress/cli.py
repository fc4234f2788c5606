"""The ``leafpress`` command line: parse arguments, set up logging, call one
pipeline function, turn its report into output and an exit code.

Exit codes: 0 all good; 1 a problem in the content, a catalog or a PDF (each
reported as ``path:line: message``); 2 a usage error.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from leafpress import __version__, pipeline, versions
from leafpress.errors import LeafpressError, Problem, UsageError
from leafpress.output import write_atomic
from leafpress.quality import lint
from leafpress.report import page as report_module
from leafpress.settings.project import load_project

LOGGER = logging.getLogger("leafpress")

DESCRIPTION = """\
Print patient leaflets in every language the clinic serves.

Leaflets are Markdown files in leaflets/. Their text goes into gettext
templates in locales/ (extract), translators fill in the .po files in
locales/<lang>/LC_MESSAGES/ (update creates and merges them), and build
prints build/pdf/<lang>/<slug>.pdf for every leaflet and language, then reads
each PDF back to prove it. A leaflet never prints with a missing, empty or
fuzzy translation.
"""

EPILOG = """\
exit status: 0 all good; 1 a problem in a leaflet, catalog, template or PDF
(each reported as path:line: message); 2 a usage error.

The usual round: edit leaflets/*.md, then `leafpress extract`,
`leafpress update`, translate, `make` (or `leafpress build`).
"""


class _Formatter(argparse.RawDescriptionHelpFormatter):
    pass


def _add_common(parser: argparse.ArgumentParser) -> None:
    """Options that work before and after the command name."""
    parser.add_argument("-C", "--project", type=Path, default=argparse.SUPPRESS,
                        metavar="DIR", help="the project folder (default: here)")
    parser.add_argument("--clinic", type=Path, default=argparse.SUPPRESS,
                        metavar="DIR", help="print for the clinic in this folder "
                        "(its clinic.toml: name, logo, colours, contacts)")
    parser.add_argument("--build-dir", type=Path, default=argparse.SUPPRESS,
                        metavar="DIR", help="where generated files go (default: "
                        "build/)")
    parser.add_argument("-v", "--verbose", action="count", default=argparse.SUPPRESS,
                        help="say more (repeat for debugging output)")
    parser.add_argument("-q", "--quiet", action="store_true",
                        default=argparse.SUPPRESS, help="report only problems")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="leafpress", description=DESCRIPTION,
                                     epilog=EPILOG, formatter_class=_Formatter)
    parser.add_argument("--version", action="version",
                        version=f"leafpress {__version__}")
    parser.set_defaults(project=Path("."), verbose=0, quiet=False, clinic=None,
                        build_dir=None)
    _add_common(parser)
    common = argparse.ArgumentParser(add_help=False)
    _add_common(common)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    extracting = commands.add_parser(
        "extract", formatter_class=_Formatter, parents=[common],
        help="leaflets and templates -> locales/*.pot",
        description="Write locales/<slug>.pot for every leaflet and locales/ui.pot "
        "for the template strings. Unchanged sources change no byte.")
    later = ("leave the problems to the build that follows, which lists each "
             "once (the Makefile does this)")
    extracting.add_argument("--problems-later", action="store_true", help=later)

    update = commands.add_parser(
        "update", formatter_class=_Formatter, parents=[common],
        help="merge the .pot templates into every .po, creating missing ones",
        description="Merge locales/*.pot into locales/<lang>/LC_MESSAGES/*.po for "
        "every configured language (or those given), creating missing catalogs "
        "with Language and Plural-Forms headers. Changed source text becomes "
        "fuzzy and will not print until a translator has reviewed it.")
    update.add_argument("-l", "--lang", action="append", metavar="L",
                        help="only this language (repeatable)")
    update.add_argument("--problems-later", action="store_true", help=later)

    build = commands.add_parser(
        "build", formatter_class=_Formatter, parents=[common],
        help="compile catalogs, print PDFs and verify them",
        description="Compile the catalogs, print build/pdf/<lang>/<slug>.pdf and "
        "read every PDF back to verify it. One broken leaflet or catalog never "
        "stops the others; the run ends with a summary. A PDF that can no longer "
        "be built from its current sources is moved to build/withdrawn/.")
    build.add_argument("slugs", nargs="*", metavar="SLUG",
                       help="only these leaflets (default: all)")
    build.add_argument("-l", "--lang", action="append", metavar="L",
                       help="only this language (repeatable)")
    build.add_argument("-j", "--jobs", type=int, default=None, metavar="N",
                       help="render workers (default: the number of cores)")
    build.add_argument("--variant", action="append", metavar="V",
                       choices=("standard", "large", "booklet"),
                       help="only this print variant: standard, large or booklet "
                       "(repeatable; default: [print] variants in leafpress.toml)")
    build.add_argument("--scheduler", metavar="ADDRESS",
                       help="render on a Dask distributed cluster (e.g. "
                       "tcp://printhost:8786) instead of local worker processes; "
                       "needs leafpress[distributed]")
    build.add_argument("--draft", action="store_true",
                       help="print untranslated text in the source language, "
                       "with DRAFT on every page, into build/draft/ (never "
                       "build/pdf/)")
    build.add_argument("--targets-from", type=Path, metavar="FILE",
                       help="build only the stale files listed in FILE (one path "
                       "per line; written by the Makefile)")

    check = commands.add_parser(
        "check", formatter_class=_Formatter, parents=[common],
        help="verify built PDFs against their sources and catalogs",
        description="Read PDFs back with pypdf and check page count and size, "
        "title, language, embedded fonts, and that every translated block is "
        "there in reading order with no untranslated source left.")
    check.add_argument("pdfs", nargs="*", type=Path, metavar="PDF",
                       help="PDFs to check (default: every PDF in build/pdf/)")

    status = commands.add_parser(
        "status", formatter_class=_Formatter, parents=[common],
        help="translation matrix: leaflet x language",
        description="Show, for every leaflet and language, how many messages "
        "are translated, fuzzy and untranslated, and whether it can be printed.")
    status.add_argument("--format", choices=("table", "json"), default="table")
    status.add_argument("--strict", action="store_true",
                        help="exit 1 when any leaflet cannot be printed")

    importing = commands.add_parser(
        "import", formatter_class=_Formatter, parents=[common],
        help="turn a web page or article into a draft leaflet",
        description="Turn a WordPress REST post (JSON), a saved HTML page or a "
        "plain-text article into a draft leaflet in leaflets/<slug>.md: clean "
        "Markdown, questions and answers from FAQ blocks, images as TODO notes, "
        "scripts, styles, frames, forms and tracking removed. The report on "
        "stderr says what was dropped or needs a person's attention. A draft "
        "never prints until its TODO fields are filled in and 'status: draft' is "
        "removed.")
    importing.add_argument("source", type=Path, metavar="SOURCE",
                           help="a .json, .html or .txt file")
    importing.add_argument("-o", "--output", type=Path, metavar="FILE",
                           help="where to write the leaflet (default: "
                           "leaflets/<slug>.md)")
    importing.add_argument("--format", choices=("wordpress", "html", "text"),
                           help="the source's format (default: detected)")
    importing.add_argument("--force", action="store_true",
                           help="replace an existing leaflet file")

    init = commands.add_parser(
        "init-locale", formatter_class=_Formatter, parents=[common],
        help="add a language: its catalogs, and leafpress.toml",
        description="Add LANG to leafpress.toml and create its catalogs "
        "(locales/LANG/LC_MESSAGES/*.po) from the templates, with Babel's "
        "Language and Plural-Forms headers, ready for translators.")
    init.add_argument("lang", metavar="LANG", help="a language code, e.g. tr, ar, pl")

    linting = commands.add_parser(
        "lint", formatter_class=_Formatter, parents=[common],
        help="quality gates: readability, claims, required sections, review dates",
        description="Check every leaflet in every language against the quality "
        "gates that every build also applies: readability (Flesch Reading Ease "
        "in English, Flesch-Douma and Brouwer in Dutch, LIX in every language, "
        "sentence length, long words), unsourced figures, promises, superlatives, "
        "calls to action and prices, the sections a leaflet needs (risks with how "
        "often they happen, alternatives including no treatment, when to get "
        "help, contacts), review dates and emergency numbers. Findings are "
        "reported as path:line: rule: message; [lint.rules] in leafpress.toml "
        "makes each rule blocking, warning or off. A blocking finding stops the "
        "leaflet from printing.",
        epilog="rules: " + ", ".join(f"{name} ({level})" for name, (level, _what)
                                     in lint.RULES.items()))
    linting.add_argument("slugs", nargs="*", metavar="SLUG",
                         help="only these leaflets (default: all)")
    linting.add_argument("-l", "--lang", action="append", metavar="L",
                         help="only this language (repeatable)")
    linting.add_argument("--format", choices=("table", "json"), default="table")
    linting.add_argument("--hardest", action="store_true",
                         help="also list the hardest sentences of each section")

    commands.add_parser(
        "report", formatter_class=_Formatter, parents=[common],
        help="write build/report.html (every build also writes it)",
        description="Write build/report.html: for every leaflet and language, "
        "whether it is printed, its page counts and first page, readability, "
        "lint findings, translation status and review dates. Open it in a "
        "browser.")

    deps = commands.add_parser(
        "deps", formatter_class=_Formatter, parents=[common],
        help="print make rules for every PDF (used by the Makefile)",
        description="Print the file dependencies of every PDF and compiled "
        "catalog as make rules.")
    deps.add_argument("--waiting", type=Path, metavar="FILE",
                      help="also write to FILE why each draft and each leaflet "
                      "still being translated is not printed (make shows it "
                      "when everything else is up to date)")

    listing = commands.add_parser(
        "versions", formatter_class=_Formatter, parents=[common],
        help="the versions of leafpress, its libraries and fonts",
        description="Print the versions the output depends on: leafpress, the "
        "libraries that read catalogs and print PDFs, and (where dpkg is) the "
        "system packages of the fonts and the text engine. A change to any of "
        "them makes make print everything again.")
    listing.add_argument("--write", type=Path, metavar="FILE",
                          help="write them to FILE, only if they changed (the "
                          "Makefile keeps build/versions this way)")
    return parser


class ProgressBar(logging.Handler):
    """Draws ``leafpress.progress`` records as one bar on a terminal:
    ``[#######.......]  45/300  nl/knee.pdf``. Other records are printed above
    it by the main handler."""

    WIDTH = 30

    def __init__(self, stream):
        super().__init__(logging.INFO)
        self.stream = stream
        self.shown = False

    def emit(self, record: logging.LogRecord) -> None:
        done, total = getattr(record, "done", 0), getattr(record, "total", 0)
        if not total:
            return
        filled = self.WIDTH * done // total
        label = record.getMessage().split("] ", 1)[-1]
        bar = "#" * filled + "." * (self.WIDTH - filled)
        line = f"[{bar}] {done:>4}/{total}  {label}"
        columns = shutil.get_terminal_size().columns
        self.stream.write("\r" + line[: columns - 1].ljust(columns - 1))
        if done == total:
            self.stream.write("\r" + " " * (columns - 1) + "\r")
        self.stream.flush()


def _setup_logging(verbose: int, quiet: bool) -> None:
    level = logging.WARNING if quiet else logging.DEBUG if verbose else logging.INFO
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    LOGGER.handlers = [handler]
    LOGGER.setLevel(level)
    LOGGER.propagate = False
    progress = logging.getLogger("leafpress.progress")
    progress.handlers = []
    progress.propagate = True
    if sys.stderr.isatty() and not quiet and not verbose:
        progress.handlers = [ProgressBar(sys.stderr)]
        progress.propagate = False


def _report(problems: Sequence[Problem]) -> None:
    for problem in problems:
        (LOGGER.warning if problem.warning else LOGGER.error)("%s", problem)


def _withdrawn(project, moved) -> None:
    for was, now, why in moved:
        LOGGER.warning("withdrew %s, which the current sources can no longer "
                       "print: %s (moved to %s)", project.show(was), why,
                       project.show(now))


def _cmd_extract(project, args) -> int:
    changed, problems, moved = pipeline.run_extract(project)
    for path in changed:
        LOGGER.info("wrote %s", project.show(path))
    if not changed:
        LOGGER.info("templates are up to date")
    _withdrawn(project, moved)
    if args.problems_later:
        return 0
    _report(problems)
    return 1 if problems else 0


def _cmd_update(project, args) -> int:
    report = pipeline.run_update(project, args.lang)
    for path in report.written:
        LOGGER.info("updated %s", project.show(path))
    for problem, change in report.changes:
        (LOGGER.info if change.carries_forward else LOGGER.warning)("%s", problem)
    for problem in report.plurals:
        LOGGER.warning("%s", problem)
    _withdrawn(project, report.withdrawn)
    if not report.written and not report.problems:
        LOGGER.info("catalogs are up to date")
    if args.problems_later:
        return 0
    _report(report.problems)
    return 1 if report.problems else 0


def _cmd_build(project, args) -> int:
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be 1 or more")
    report = pipeline.build(project, args.lang, args.slugs, args.jobs, args.draft,
                            args.targets_from, args.variant, args.scheduler)
    _report(list(dict.fromkeys(report.warnings)))
    reported: set[Problem] = set()
    for outcome in report.failed:
        _report([problem for problem in outcome.problems if problem not in reported])
        reported.update(outcome.problems)
    _report(report.problems)
    for outcome in report.failed:
        for path in outcome.withdrawn:
            LOGGER.warning("withdrew %s: it could not be printed from its current "
                           "sources (moved to %s)", _was(project, path),
                           project.show(path))
    _withdrawn(project, report.stale)
    _summary(project, report)
    if not args.draft:
        LOGGER.info("report: %s", project.show(report_module.write_report(project)))
    return 0 if report.ok else 1


def _why(outcome) -> str:
    """Why a target was not printed, in one line: its note, or each place
    with the rules it broke."""
    if outcome.status == "skipped":
        return outcome.note
    places: dict[str, list[str]] = {}
    for problem in outcome.problems:
        if problem.warning:
            continue
        rule = problem.message.split(":", 1)[0].strip()
        if not re.fullmatch(r"[A-Za-z][A-Za-z -]{1,40}", rule) or len(
                rule.split()) > 6:
            rule = "failed its checks"
        where = (f"{problem.path}:{problem.line}" if problem.line else
                 f"{problem.path} ({problem.where})" if problem.where else problem.path)
        places.setdefault(rule, []).append(where)
    return "; ".join(f"{rule} at {', '.join(dict.fromkeys(where))}"
                     for rule, where in places.items()) or "failed"


def _summary(project, report) -> None:
    """One list in one unit (files): what was printed, what was up to date,
    and what was not printed, with the reason, per leaflet and language (a
    draft once, for all its languages)."""
    printed: dict[str, int] = {}
    missed: dict[tuple[str, str], list[str]] = {}
    files: dict[tuple[str, str], int] = {}
    for outcome in report.outcomes:
        target = outcome.target
        count = len(target.outputs(project))
        name = f"{target.lang}/{target.slug}"
        if outcome.status == "built":
            printed[name] = printed.get(name, 0) + count
            continue
        why = _why(outcome)
        key = (target.slug, why)
        missed.setdefault(key, [])
        if target.lang not in missed[key]:
            missed[key].append(target.lang)
        files[key] = files.get(key, 0) + count
    if printed:
        total = sum(printed.values())
        LOGGER.info("printed %d file%s: %s", total, "s" * (total != 1), ", ".join(
            f"{name} ({count})" for name, count in printed.items()))
    if missed:
        lines = [f"  {f'{langs[0]}/{slug}' if len(langs) == 1 else slug}"
                 f" ({'' if len(langs) == 1 else ', '.join(langs) + '; '}"
                 f"{files[slug, why]} file{'s' * (files[slug, why] != 1)}): {why}"
                 for (slug, why), langs in missed.items()]
        (LOGGER.error if report.failed else LOGGER.info)(
            "not printed, %d file%s:\n%s", sum(files.values()),
            "s" * (sum(files.values()) != 1), "\n".join(lines))
    parts = [f"{sum(printed.values())} printed"]
    if report.up_to_date:
        parts.append(f"{report.up_to_date} up to date")
    if missed:
        parts.append(f"{sum(files.values())} not printed")
    if not report.outcomes:
        LOGGER.info("nothing to print")
        return
    (LOGGER.error if report.failed else LOGGER.info)(
        "%s (files) in %.1f s", ", ".join(parts), report.seconds)


def _was(project, withdrawn: Path) -> str:
    """Where a withdrawn PDF was."""
    return project.show(project.build / "pdf" /
                        withdrawn.relative_to(project.build / "withdrawn"))


def _cmd_check(project, args) -> int:
    report = pipeline.check(project, args.pdfs)
    _report(report.warnings)
    _report(report.problems)
    LOGGER.info("%d PDF%s checked, %d problem%s", len(report.checked),
                "s" * (len(report.checked) != 1), len(report.problems),
                "s" * (len(report.problems) != 1))
    return 1 if report.problems else 0


def _cmd_status(project, args) -> int:
    rows, problems = pipeline.status(project)
    out = sys.stdout
    if args.format == "json":
        json.dump([{"leaflet": row.slug if row.kind == "leaflet" else None,
                    "catalog": row.catalog, "language": row.lang,
                    "source_version": row.version,
                    "translated": row.counts.translated, "fuzzy": row.counts.fuzzy,
                    "untranslated": row.counts.untranslated,
                    "words": {"translated": row.counts.translated_words,
                              "fuzzy": row.counts.fuzzy_words,
                              "untranslated": row.counts.untranslated_words},
                    "printable": row.printable,
                    "state": row.state,
                    "reason": row.reason,
                    "translated_against": {"version": row.translated_version,
                                           "hash": row.translated_hash,
                                           "current": row.translated_hash
                                           == row.current_hash},
                    "problems": [str(problem) for problem in row.problems]}
                   for row in rows], out, indent=2)
        out.write("\n")
    else:
        width = max([len(row.slug) for row in rows] + [8])
        shown = {"printable": "yes", "blocked": "NO", "being translated": "not yet",
                 "draft": "draft"}
        against = {}
        for row in rows:
            against[row] = row.translated_version or "-"
            if row.translated_hash and row.translated_hash != row.current_hash:
                against[row] += " (source changed since)"
        wide = max([len(text) for text in against.values()] + [18])
        out.write(f"{'leaflet':<{width}}  lang  translated (words)  fuzzy (words)  "
                  f"untranslated (words)  printable  {'translated against':<{wide}}"
                  "  why not printed\n")
        for row in rows:
            c = row.counts
            out.write((f"{row.slug:<{width}}  {row.lang:<4}  "
                       f"{f'{c.translated} ({c.translated_words})':>18}  "
                       f"{f'{c.fuzzy} ({c.fuzzy_words})':>13}  "
                       f"{f'{c.untranslated} ({c.untranslated_words})':>20}  "
                       f"{shown[row.state]:<9}  {against[row]:<{wide}}  "
                       f"{row.reason}").rstrip() + "\n")
    _report(problems)
    if args.verbose:
        _report(list(dict.fromkeys(problem for row in rows
                                   for problem in row.problems)))
    blocked = problems or any(not row.printable for row in rows)
    return 1 if args.strict and blocked else 0


def _cmd_lint(project, args) -> int:
    result = pipeline.run_lint(project, args.lang, args.slugs)
    _report(list(project.settings.warnings))
    _report(result.problems)
    seen: set[lint.Finding] = set()
    for entry in result.entries:
        _report([finding.problem() for finding in entry.findings
                 if finding not in seen])
        seen.update(entry.findings)
    out = sys.stdout
    if args.format == "json":
        json.dump([_lint_json(entry) for entry in result.entries], out, indent=2)
        out.write("\n")
    else:
        width = max([len(entry.slug) for entry in result.entries] + [8])
        out.write(f"{'leaflet':<{width}}  lang  {'reading ease':>20}  LIX  "
                  "words/sentence  longest  long words  blocking  warnings\n")
        for entry in result.entries:
            line = f"{entry.slug:<{width}}  {entry.lang:<4}  "
            if entry.language is None:
                line += f"{'-':>20}  (not read: {entry.note})"
            else:
                scores = entry.language.scores
                ease = (f"{_SHORT[scores.ease[0]]} {scores.ease[1]:.0f}"
                        if scores.ease else "-")
                line += (f"{ease:>20}  {scores.lix:>3.0f}  "
                         f"{scores.average_sentence:>14.1f}  {scores.longest:>7}  "
                         f"{scores.long_word_share:>10.0%}  "
                         f"{len(entry.blocking):>8}  {len(entry.warnings):>8}")
            out.write(line + "\n")
            if args.hardest and entry.language is not None:
                for heading, hards in entry.language.hardest:
                    out.write(f"    {heading or '(introduction)'}\n")
                    for hard in hards:
                        out.write(f"      {hard.sentence.words:>3} words  "
                                  f"{hard.sentence.text}\n")
    blocking = sum(1 for finding in seen if finding.blocking)
    LOGGER.info("%d leaflet%s in %d language%s: %d blocking finding%s, %d warning%s",
                len({entry.slug for entry in result.entries}),
                "s" * (len({entry.slug for entry in result.entries}) != 1),
                len({entry.lang for entry in result.entries}),
                "s" * (len({entry.lang for entry in result.entries}) != 1),
                blocking, "s" * (blocking != 1),
                len(seen) - blocking, "s" * (len(seen) - blocking != 1))
    return 0 if result.ok else 1


_SHORT = {"Flesch Reading Ease": "Flesch", "Flesch-Douma": "Flesch-Douma"}


def _lint_json(entry: pipeline.LintEntry) -> dict:
    language = entry.language
    return {
        "leaflet": entry.slug, "language": entry.lang, "note": entry.note,
        "scores": language.scores.as_dict() if language else None,
        "findings": [{"rule": finding.rule, "level": finding.level,
                      "path": finding.path, "line": finding.line,
                      "message": finding.message} for finding in entry.findings],
        "hardest": [{"section": heading,
                     "sentences": [{"text": hard.sentence.text,
                                    "words": hard.sentence.words,
                                    "path": hard.path, "line": hard.line}
                                   for hard in hards]}
                    for heading, hards in (language.hardest if language else [])],
    }


def _cmd_report(project, args) -> int:
    path = report_module.write_report(project)
    LOGGER.info("wrote %s", project.show(path))
    return 0


def _cmd_deps(project, args) -> int:
    rules, waiting = pipeline.make_rules(project)
    sys.stdout.write(rules)
    if args.waiting is not None:
        write_atomic(args.waiting, "".join(f"leafpress: {line}\n"
                                           for line in waiting).encode())
    return 0


def _cmd_versions(project, args) -> int:
    if args.write is None:
        sys.stdout.write(versions.describe())
        return 0
    changed = versions.write(args.write)
    if changed:
        LOGGER.warning("%s: new versions, so everything is printed again: %s",
                       project.show(args.write), "; ".join(changed))
    elif changed is not None:
        LOGGER.info("%s: recorded the versions of leafpress, its libraries and "
                    "fonts", project.show(args.write))
    return 0


def _cmd_import(project, args) -> int:
    target, notes, todo = pipeline.import_leaflet(project, args.source, args.output,
                                                  args.format, args.force)
    for note in notes:
        LOGGER.warning("%s: %s", args.source, note)
    LOGGER.info("wrote %s, a draft: fill in %s and have it reviewed, then remove "
                "'status: draft'", project.show(target), ", ".join(todo) or "nothing")
    return 0


def _cmd_init_locale(project, args) -> int:
    project, report = pipeline.init_locale(project, args.lang)
    lang = project.settings.languages[-1]
    for path in report.written:
        LOGGER.info("created %s", project.show(path))
    LOGGER.info("added %s to leafpress.toml; translators can start on %s", lang,
                project.show(project.locales / lang / "LC_MESSAGES"))
    _report(report.problems)
    return 1 if report.problems else 0


COMMANDS = {
    "extract": _cmd_extract,
    "update": _cmd_update,
    "build": _cmd_build,
    "check": _cmd_check,
    "status": _cmd_status,
    "import": _cmd_import,
    "init-locale": _cmd_init_locale,
    "lint": _cmd_lint,
    "report": _cmd_report,
    "deps": _cmd_deps,
    "versions": _cmd_versions,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (importable for tests)."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit:
        return int(exit.code or 0)
    _setup_logging(args.verbose, args.quiet)
    try:
        project = load_project(args.project, args.clinic, args.build_dir)
        return COMMANDS[args.command](project, args)
    except BrokenPipeError:
        # `leafpress status | head`: the reader has all it wanted
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except UsageError as error:
        LOGGER.error("leafpress %s: %s", args.command, error)
        return error.exit_code
    except LeafpressError as error:
        _report(error.problems) if error.problems else LOGGER.error("%s", error)
        return error.exit_code
    except KeyboardInterrupt:
        LOGGER.error("interrupted")
        return 130
    except OSError as error:
        if error.filename is None:
            raise
        # a folder leafpress cannot write to, a disk that is full, ...
        LOGGER.error("%s: cannot write: %s", error.filename, error.strerror)
        return 1
