"""The ``leafpress`` command line: parse arguments, set up logging, take one
snapshot of the project, call one pipeline command with it, turn its report
into output and an exit code.

Exit codes: 0 all good; 1 a problem in the content, a catalog or a PDF (each
reported as ``path:line: message``); 2 a usage error.

- ``arguments``: the sub-commands and their options;
- ``commands``: one function per command, and how its result is shown.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import sys
from collections.abc import Sequence

from leafpress.cli.arguments import parser
from leafpress.errors import LeafpressError, Problem, UsageError

LOGGER = logging.getLogger("leafpress")


def report_problems(problems: Sequence[Problem]) -> None:
    """Log each problem: a warning as a warning, anything else as an error."""
    for problem in problems:
        (LOGGER.warning if problem.warning else LOGGER.error)("%s", problem)


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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (importable for tests)."""
    arguments = parser()
    try:
        args = arguments.parse_args(argv)
    except SystemExit as exit:
        return int(exit.code or 0)
    _setup_logging(args.verbose, args.quiet)
    try:
        # the pipeline loads here, where an interrupt is an ordinary exit
        from leafpress.cli.commands import COMMANDS
        from leafpress.pipeline.snapshot import Snapshot
        from leafpress.settings.project import load_project

        project = load_project(args.project, args.clinic, args.build_dir)
        return COMMANDS[args.command](Snapshot(project), args)
    except BrokenPipeError:
        # `leafpress status | head`: the reader has all it wanted
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except UsageError as error:
        LOGGER.error("leafpress %s: %s", args.command, error)
        return error.exit_code
    except LeafpressError as error:
        report_problems(error.problems) if error.problems else LOGGER.error("%s", error)
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


def run() -> None:
    """The ``leafpress`` program: :func:`main`, then exit with its code. Once
    the run is over, an interrupt has nothing left to stop, so it no longer
    turns the exit into a traceback or a death by signal."""
    code = main()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.exit(code)
