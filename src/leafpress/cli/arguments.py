"""The command line's arguments: one sub-command per pipeline command.

Called by :func:`leafpress.cli.main`. In: ``argv``. Out: the parsed
arguments (``--help`` text included: what each command does, for whom).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from leafpress import __version__
from leafpress.quality.rules import RULES

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


def parser() -> argparse.ArgumentParser:
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
    build.add_argument("--timings", action="store_true",
                       help="then print the seconds each stage took, the main "
                       "process's and the workers' (every build keeps them in "
                       "build/timings.json)")
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
        "are translated, fuzzy and untranslated, how many are revised and "
        "whether the translation is signed off, and whether it can be printed.")
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
                                     in RULES.items()))
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

    reviewing = commands.add_parser(
        "review", formatter_class=_Formatter, parents=[common],
        help="write the bilingual review sheet of a translation",
        description="Write build/review/LANG/SLUG.html (and .pdf, for review on "
        "paper): the source and the translation side by side, message by "
        "message with its po:line, every number, dose, unit, phone number and "
        "link marked, what changed since the last sign-off (with the text "
        "then), a checklist and a space for signatures.")
    reviewing.add_argument("slugs", nargs="*", metavar="SLUG",
                           help="leaflets to review (default: all)")
    reviewing.add_argument("-l", "--lang", required=True, metavar="LANG",
                           help="the translation to review")
    reviewing.add_argument("--no-pdf", action="store_true",
                           help="write the HTML sheet only")

    signing = commands.add_parser(
        "sign", formatter_class=_Formatter, parents=[common],
        help="record a revision (--as reviser) or a sign-off (--as clinician)",
        description="Record that a second linguist revised a translation (every "
        "message, or those named), or that the clinician signed it off, in "
        "locales/LANG/LC_MESSAGES/SLUG.review.toml. Each record is bound to the "
        "exact text it approves: a changed source or translation voids it, and "
        "a PDF whose review is void is withdrawn. What [review] require in "
        "leafpress.toml asks for must be on record before a translation "
        "prints.",
        epilog="A reviser who is the catalog's Last-Translator is refused: a "
        "revision is a check by another person (ISO 17100).")
    signing.add_argument("slugs", nargs="+", metavar="SLUG", help="leaflets to sign")
    signing.add_argument("-l", "--lang", required=True, metavar="LANG",
                         help="the translation")
    signing.add_argument("--as", dest="role", required=True,
                         choices=("reviser", "clinician"), help="who signs")
    signing.add_argument("--by", required=True, metavar="NAME",
                         help="the person's name, as the record keeps it")
    signing.add_argument("--message", action="append", default=[], metavar="MSGID",
                         help="revise only this message (its source text; "
                         "repeatable)")
    signing.add_argument("--line", action="append", default=[], type=int,
                         metavar="N", help="revise only the message at line N of "
                         "the leaflet's .po (repeatable)")

    exchange = commands.add_parser(
        "xliff", formatter_class=_Formatter, parents=[common],
        help="exchange catalogs with an agency as XLIFF 1.2",
        description="Export a language's catalogs as one XLIFF 1.2 file for a "
        "CAT tool (Trados, memoQ, Phrase), or import the file it sends back. "
        "msgctxt, the notes and the source lines travel with each segment; "
        "placeholders and link targets are locked inline codes; fuzzy is "
        "needs-review. An import merges only what passes every translation "
        "check, and names each refused segment with its line.")
    xliff = exchange.add_subparsers(dest="action", metavar="ACTION", required=True)
    xliff_export = xliff.add_parser("export", formatter_class=_Formatter,
                                    parents=[common], help="catalogs -> XLIFF")
    xliff_export.add_argument("slugs", nargs="*", metavar="SLUG",
                              help="leaflets to export (default: all)")
    xliff_export.add_argument("-l", "--lang", required=True, metavar="LANG")
    xliff_export.add_argument("-o", "--output", required=True, type=Path,
                              metavar="FILE", help="the .xlf file to write")
    xliff_export.add_argument("--no-ui", action="store_true",
                              help="leave out ui.po (the words around every "
                              "leaflet)")
    xliff_import = xliff.add_parser("import", formatter_class=_Formatter,
                                    parents=[common], help="XLIFF -> catalogs")
    xliff_import.add_argument("file", type=Path, metavar="FILE",
                              help="the .xlf file an agency sent back")

    remembering = commands.add_parser(
        "memory", formatter_class=_Formatter, parents=[common],
        help="translation memory as TMX 1.4b",
        description="Export a language's translation memory (every translated "
        "message of its catalogs) as TMX 1.4b, or import an agency's memory "
        "into locales/<lang>/memory.tmx. `leafpress update` fills new messages "
        "from the catalogs of the same language (an exact match that keeps its "
        "numbers, placeholders and markup as translated, anything else as "
        "fuzzy); an imported memory is only ever a fuzzy suggestion.")
    memory = remembering.add_subparsers(dest="action", metavar="ACTION",
                                        required=True)
    memory_export = memory.add_parser("export", formatter_class=_Formatter,
                                      parents=[common], help="catalogs -> TMX")
    memory_export.add_argument("-l", "--lang", required=True, metavar="LANG")
    memory_export.add_argument("-o", "--output", required=True, type=Path,
                               metavar="FILE", help="the .tmx file to write")
    memory_import = memory.add_parser("import", formatter_class=_Formatter,
                                      parents=[common], help="TMX -> memory.tmx")
    memory_import.add_argument("file", type=Path, metavar="FILE",
                               help="the .tmx file to add")

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
