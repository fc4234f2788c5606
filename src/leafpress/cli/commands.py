"""One function per command: call the pipeline with the run's snapshot, and
turn what it returns into log lines, tables and an exit code.

Called by :func:`leafpress.cli.main`. In: a
:class:`~leafpress.pipeline.snapshot.Snapshot` and the parsed arguments.
Out: the exit code (0 all good, 1 a problem in the content, a catalog or a
PDF); what was done goes to the ``leafpress`` logger, tables to stdout.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

from leafpress import versions
from leafpress.cli import report_problems
from leafpress.errors import Problem, UsageError, by_rule
from leafpress.output import write_atomic
from leafpress.pipeline import (
    build,
    check,
    deps,
    extract,
    importing,
    lint,
    memory,
    report,
    review,
    status,
    update,
    xliff,
)
from leafpress.pipeline.snapshot import Snapshot
from leafpress.quality.rules import Finding
from leafpress.review.state import ReviewState

LOGGER = logging.getLogger("leafpress")



def _withdrawn(project, moved) -> None:
    for was, now, why in moved:
        LOGGER.warning("withdrew %s, which the current sources can no longer "
                       "print: %s (moved to %s)", project.show(was), why,
                       project.show(now))


def _cmd_extract(snapshot: Snapshot, args) -> int:
    project = snapshot.project
    changed, problems, moved = extract.run_extract(snapshot)
    for path in changed:
        LOGGER.info("wrote %s", project.show(path))
    if not changed:
        LOGGER.info("templates are up to date")
    _withdrawn(project, moved)
    if args.problems_later:
        return 0
    report_problems(problems)
    return 1 if problems else 0


def _cmd_update(snapshot: Snapshot, args) -> int:
    project = snapshot.project
    report = update.run_update(snapshot, args.lang)
    for path in report.written:
        LOGGER.info("updated %s", project.show(path))
    for problem, change in report.changes:
        (LOGGER.info if change.carries_forward else LOGGER.warning)("%s", problem)
    for problem in report.plurals:
        LOGGER.warning("%s", problem)
    for path, filled in report.filled.items():
        if filled.total:
            LOGGER.info("%s: %s", project.show(path), filled.describe())
    _withdrawn(project, report.withdrawn)
    if not report.written and not report.problems:
        LOGGER.info("catalogs are up to date")
    if args.problems_later:
        return 0
    report_problems(report.problems)
    return 1 if report.problems else 0


def _cmd_build(snapshot: Snapshot, args) -> int:
    project = snapshot.project
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be 1 or more")
    result = build.build(snapshot, args.lang, args.slugs, args.jobs, args.draft,
                         args.targets_from, args.variant, args.scheduler)
    report_problems(list(dict.fromkeys(result.warnings)))
    reported: set[Problem] = set()
    for outcome in result.failed:
        report_problems([problem for problem in outcome.problems
                         if problem not in reported])
        reported.update(outcome.problems)
    report_problems(result.problems)
    for outcome in result.outcomes:
        for path in outcome.withdrawn:
            LOGGER.warning("withdrew %s: %s (moved to %s)", _was(project, path),
                           outcome.note or "it could not be printed from its current "
                           "sources", project.show(path))
    _withdrawn(project, result.stale)
    _summary(project, result)
    if not args.draft:
        with result.stages.time("report"):
            written = report.write_report(snapshot, {
                path: count for outcome in result.built
                for path, count in outcome.counts.items()})
        LOGGER.info("report: %s", project.show(written))
    _timings(project, result, args.timings)
    return 0 if result.ok else 1


def _timings(project, result, show: bool) -> None:
    """Keep where the build's time went in ``build/timings.json``; print it
    as a table when asked."""
    stages = result.stages.ordered()
    record = {"seconds": round(result.seconds, 3), "workers": result.workers,
              "documents": len(result.memory),
              "stages": {name: round(seconds, 3) for name, seconds in stages}}
    if result.memory:  # each worker's peak, in the order the documents came back
        tenth = max(1, len(result.memory) // 10)
        record["memory_mb"] = {"peak": round(result.peak_rss_mb),
                               "first_tenth": round(max(result.memory[:tenth])),
                               "last_tenth": round(max(result.memory[-tenth:]))}
    path = project.build / "timings.json"
    try:
        write_atomic(path, json.dumps(record, indent=1).encode())
    except OSError as error:
        LOGGER.warning("%s: not written: %s", project.show(path), error.strerror)
    if not show:
        return
    sys.stdout.write(
        f"{len(result.memory)} documents, {result.workers} worker"
        f"{'s' * (result.workers != 1)}, {result.seconds:.2f} s\n"
        f"{'stage':<12} {'seconds':>9}  (the workers' stages summed over documents)\n"
        + "".join(f"{name:<12} {seconds:9.2f}\n" for name, seconds in stages))


def _why(outcome) -> str:
    """Why a target was not printed, in one line: its note, or each rule it
    broke with its places."""
    if outcome.status == "skipped":
        return outcome.note
    return "; ".join(
        f"{rule} at {', '.join(dict.fromkeys(map(_place, problems)))}"
        for rule, problems in by_rule(outcome.problems).items()) or "failed"


def _place(problem: Problem) -> str:
    if problem.line:
        return f"{problem.path}:{problem.line}"
    return f"{problem.path} ({problem.where})" if problem.where else problem.path


#: The printed leaflets the summary names one by one, at most.
SUMMARY_NAMES = 12


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
        if len(printed) <= SUMMARY_NAMES:
            LOGGER.info("printed %d file%s: %s", total, "s" * (total != 1), ", ".join(
                f"{name} ({count})" for name, count in printed.items()))
        else:  # a whole batch: per language (the progress lines name each file)
            by_lang: dict[str, int] = {}
            for name, count in printed.items():
                lang = name.partition("/")[0]
                by_lang[lang] = by_lang.get(lang, 0) + count
            LOGGER.info("printed %d files of %d leaflets: %s", total,
                        len({name.partition("/")[2] for name in printed}),
                        ", ".join(f"{lang} ({count})"
                                  for lang, count in by_lang.items()))
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


def _cmd_check(snapshot: Snapshot, args) -> int:
    result = check.check(snapshot, args.pdfs)
    report_problems(result.warnings)
    report_problems(result.problems)
    LOGGER.info("%d PDF%s checked, %d problem%s", len(result.checked),
                "s" * (len(result.checked) != 1), len(result.problems),
                "s" * (len(result.problems) != 1))
    return 1 if result.problems else 0


def _cmd_status(snapshot: Snapshot, args) -> int:
    rows, problems = status.status(snapshot)
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
                    "review": _review_json(row.review),
                    "problems": [str(problem) for problem in row.problems]}
                   for row in rows], out, indent=2)
        out.write("\n")
    else:
        width = max([len(row.slug) for row in rows] + [8])
        shown = {"printable": "yes", "blocked": "NO", "being translated": "not yet",
                 "draft": "draft", "waiting for review": "review"}
        against = {}
        for row in rows:
            against[row] = row.translated_version or "-"
            if row.translated_hash and row.translated_hash != row.current_hash:
                against[row] += " (source changed since)"
        wide = max([len(text) for text in against.values()] + [18])
        signed = {row: _signed(row.review) for row in rows}
        side = max([len(text) for text in signed.values()] + [10])
        out.write(f"{'leaflet':<{width}}  lang  translated (words)  fuzzy (words)  "
                  f"untranslated (words)  revised  {'signed off':<{side}}  printable  "
                  f"{'translated against':<{wide}}  why not printed\n")
        for row in rows:
            c = row.counts
            out.write((f"{row.slug:<{width}}  {row.lang:<4}  "
                       f"{f'{c.translated} ({c.translated_words})':>18}  "
                       f"{f'{c.fuzzy} ({c.fuzzy_words})':>13}  "
                       f"{f'{c.untranslated} ({c.untranslated_words})':>20}  "
                       f"{_revised(row.review):>7}  {signed[row]:<{side}}  "
                       f"{shown[row.state]:<9}  {against[row]:<{wide}}  "
                       f"{row.reason}").rstrip() + "\n")
    report_problems(problems)
    if args.verbose:
        report_problems(list(dict.fromkeys(problem for row in rows
                                   for problem in row.problems)))
    blocked = problems or any(not row.printable for row in rows)
    return 1 if args.strict and blocked else 0


def _revised(review: ReviewState | None) -> str:
    """Messages revised of those printed ("-" where there is no review)."""
    return f"{review.revised}/{len(review.messages)}" if review else "-"


def _signed(review: ReviewState | None) -> str:
    """The sign-off of the text as it is, "void" when the text changed since
    the last one, "no" when there is none."""
    if review is None:
        return "-"
    if review.sign_off is not None:
        return str(review.sign_off.date)
    return "void" if review.last_sign_off else "no"


def _review_json(review: ReviewState | None) -> dict | None:
    if review is None:
        return None
    sign = review.sign_off or review.last_sign_off
    return {"required": list(review.required), "messages": len(review.messages),
            "revised": review.revised,
            "not_revised": [message.place for message in review.unrevised],
            "signed_off": None if sign is None else {
                "by": sign.by, "date": sign.date.isoformat(), "version": sign.version,
                "current": review.sign_off is not None},
            "ready": review.ready, "missing": review.missing}


def _cmd_lint(snapshot: Snapshot, args) -> int:
    result = lint.run_lint(snapshot, args.lang, args.slugs)
    report_problems(list(snapshot.settings.warnings))
    report_problems(result.problems)
    seen: set[Finding] = set()
    for entry in result.entries:
        report_problems([finding.problem() for finding in entry.findings
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


def _lint_json(entry: lint.LintEntry) -> dict:
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


def _cmd_report(snapshot: Snapshot, args) -> int:
    path = report.write_report(snapshot)
    LOGGER.info("wrote %s", snapshot.project.show(path))
    return 0


def _cmd_deps(snapshot: Snapshot, args) -> int:
    rules, waiting = deps.make_rules(snapshot)
    sys.stdout.write(rules)
    if args.waiting is not None:
        write_atomic(args.waiting, "".join(f"leafpress: {line}\n"
                                           for line in waiting).encode())
    return 0


def _cmd_versions(snapshot: Snapshot, args) -> int:
    project = snapshot.project
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


def _cmd_import(snapshot: Snapshot, args) -> int:
    project = snapshot.project
    target, notes, todo = importing.import_leaflet(project, args.source, args.output,
                                                   args.format, args.force)
    for note in notes:
        LOGGER.warning("%s: %s", args.source, note)
    LOGGER.info("wrote %s, a draft: fill in %s and have it reviewed, then remove "
                "'status: draft'", project.show(target), ", ".join(todo) or "nothing")
    return 0


def _cmd_init_locale(snapshot: Snapshot, args) -> int:
    snapshot, report = update.init_locale(snapshot, args.lang)
    project = snapshot.project
    lang = project.settings.languages[-1]
    for path in report.written:
        LOGGER.info("created %s", project.show(path))
    LOGGER.info("added %s to leafpress.toml; translators can start on %s", lang,
                project.show(project.locales / lang / "LC_MESSAGES"))
    report_problems(report.problems)
    return 1 if report.problems else 0


def _cmd_review(snapshot: Snapshot, args) -> int:
    written, problems = review.run_review(snapshot, args.lang, args.slugs,
                                          pdf=not args.no_pdf)
    for path in written:
        LOGGER.info("wrote %s", snapshot.project.show(path))
    report_problems(problems)
    return 1 if problems else 0


def _cmd_sign(snapshot: Snapshot, args) -> int:
    project = snapshot.project
    result = review.sign(snapshot, args.lang, args.role, args.by, args.slugs,
                         args.message, args.line)
    report_problems(result.warnings)
    for slug, count in result.done:
        if args.role == "clinician":
            LOGGER.info("%s/%s: signed off by %s", args.lang, slug, args.by)
        elif count:
            LOGGER.info("%s/%s: %d message%s revised by %s", args.lang, slug, count,
                        "s" * (count != 1), args.by)
        else:
            LOGGER.info("%s/%s: nothing new to revise", args.lang, slug)
    for path in result.files:
        LOGGER.info("wrote %s", project.show(path))
    return 0


def _cmd_xliff(snapshot: Snapshot, args) -> int:
    project = snapshot.project
    if args.action == "export":
        result = xliff.export_xliff(snapshot, args.lang, args.slugs or None,
                                    args.output, ui=not args.no_ui)
        report_problems(result.problems)
        LOGGER.info("wrote %s: %d messages from %d catalogs", project.show(
            result.output), sum(result.units.values()), len(result.units))
        return 1 if any(not problem.warning for problem in result.problems) else 0
    result = xliff.import_xliff(snapshot, args.file)
    report_problems(result.problems)
    for po, count in result.changed.items():
        LOGGER.info("%s: %d message%s changed", po, count, "s" * (count != 1))
    if not result.changed:
        LOGGER.info("no translation changed")
    _withdrawn(project, result.withdrawn)
    return 1 if result.refused else 0


def _cmd_memory(snapshot: Snapshot, args) -> int:
    project = snapshot.project
    if args.action == "export":
        result = memory.export_memory(snapshot, args.lang, args.output)
        report_problems(result.problems)
        LOGGER.info("wrote %s (%d units)", project.show(result.path), result.units)
        return 1 if any(not problem.warning for problem in result.problems) else 0
    result = memory.import_memory(snapshot, args.file)
    for lang, count in result.added.items():
        LOGGER.info("added %d unit%s to %s", count, "s" * (count != 1),
                    project.show(project.locales / lang / "memory.tmx"))
    LOGGER.info("%d already known, %d skipped (no pair of the source language "
                "and a language of the project)", result.known, result.skipped)
    return 0


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
    "review": _cmd_review,
    "sign": _cmd_sign,
    "xliff": _cmd_xliff,
    "memory": _cmd_memory,
    "versions": _cmd_versions,
}
