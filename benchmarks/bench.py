"""Benchmark: leafpress against the naive pipeline, on a generated project.

Run with ``make bench`` (or ``python benchmarks/bench.py --help``). It
generates a project of two-page leaflets in three languages (English, Dutch
and German, the translations made mechanically so that every check passes),
then measures, on the same HTML:

(a) naive: one ``weasyprint`` command per document, as parallel as the
    machine allows (``xargs -P <cores>``);
(b) a full ``leafpress build`` (compile, render, verify);
(c) a no-op rebuild: ``make`` with nothing changed;
(d) a rebuild after one ``.po`` changed (``make``), and how many PDFs it made;
(e) the ideal: the warm single-process render time of every document divided
    by the number of cores.

and prints a table: seconds, documents per second, peak memory per render
worker, and the ratios (b)/(a) and (e)/(b).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent

WORDS = ("muscle back pain needle doctor nurse rest walk cold pack skin arm leg "
         "sleep water day week hour clinic phone help knee plaster bruise sore "
         "gentle heavy lifting sport move stretch breathe warm medicine dose "
         "appointment question answer treatment exercise posture chair desk").split()
PSEUDO = {"nl": str.maketrans("aeiou", "eioua"), "de": str.maketrans("aeiou", "ouaei")}


def sentence(rng: random.Random, words: int) -> str:
    chosen = [rng.choice(WORDS) for _ in range(words)]
    return " ".join(chosen).capitalize() + "."


def leaflet(slug: str, rng: random.Random) -> str:
    """A plausible two-page leaflet: sections, paragraphs, a list, a table."""
    number = slug.split("-")[-1]
    lines = ["---", f"slug: {slug}", f"title: Leaflet {number} on back care",
             "summary: What to expect, the risks and your other options.",
             "version: 1.0.0", "published: 2026-11-01", "review-by: 2029-11-01",
             "organisation: Benchmark Clinic", "authors: [A. Author]",
             "clinical-reviewer: Dr. B. Reviewer", "sources: [\"A source (2026)\"]",
             "max-pages: 3", "paper: A4", "---"]
    for section in range(5):
        lines += ["", f"## Section {section + 1} about {rng.choice(WORDS)}", ""]
        lines.append(" ".join(sentence(rng, rng.randint(6, 12)) for _ in range(5)))
        lines.append("")
        lines += [f"- {sentence(rng, rng.randint(4, 9))}" for _ in range(3)]
    # the sections every procedure leaflet needs (see leafpress lint)
    lines += ["", "## Risks and side effects {#risks}", "",
              "| What | How often [1] |", "|---|---|",
              "| Soreness | Common: up to 1 in 10 |", "| Bruise | Rare: 1 in 1,000 |",
              "", "## Other options {#alternatives}", "",
              "You do not have to have this treatment. Doing nothing is a choice too.",
              "", "## When to get help {#get-help}", "",
              "Call {emergency_phone} if you find it hard to breathe.", "",
              "## Contact {#contact}", "",
              "Call {clinic_phone} if the pain gets worse.", ""]
    return "\n".join(lines)


#: Dutch and German write 1.000 and 2,5 where English writes 1,000 and 2.5.
SEPARATORS = str.maketrans({",": ".", ".": ","})


def pseudo(text: str, lang: str) -> str:
    """A mechanical 'translation': vowels swapped in words, while placeholders,
    markup and link targets stay as they are, and numbers are written the
    way the language writes them."""
    parts = re.split(r"(\{[a-z_]+\}|%\([a-z_]+\)s|\]\([^)]*\)|\d[\d.,:]*\d|\d)",
                     text)
    return "".join((part.translate(SEPARATORS) if part[:1].isdigit() else part)
                   if index % 2 else part.translate(PSEUDO[lang])
                   for index, part in enumerate(parts))


def run(command: list[str], cwd: Path, **kwargs) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True, **kwargs)
    return time.perf_counter() - started


def generate(root: Path, count: int, langs: list[str],
             variants: list[str] = ("standard",)) -> None:
    from leafpress.translation.extract import serialise
    from leafpress.translation.pofile import fields, read

    if root.exists():
        shutil.rmtree(root)
    (root / "leaflets").mkdir(parents=True)
    for name in ("templates", "Makefile", "scripts", "pyproject.toml",
                 "requirements.txt"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, root / name)
    shutil.copy2(REPO / "README.md", root / "README.md")
    (root / "src").symlink_to(REPO / "src")
    (root / "leafpress.toml").write_text(f"""
[project]
source-language = "en"
languages = {langs!r}
country = "NL"
paper = "A4"
[print]
variants = {list(variants)!r}
# pseudo-translations: no review records to ask for
[review]
require = []
[organisation]
name = "Benchmark Clinic"
[contact]
phone = "030 000 0000"
email = "bench@clinic.example"
[countries.NL]
emergency-phone = "112"
out-of-hours-phone = "0900 000 0000"
""".replace("'", '"'), encoding="utf-8")
    rng = random.Random(1)
    for number in range(count):
        slug = f"leaflet-{number:04d}"
        (root / "leaflets" / f"{slug}.md").write_text(leaflet(slug, rng),
                                                      encoding="utf-8")
    leafpress = str(VENV_BIN / "leafpress")
    subprocess.run([leafpress, "-q", "extract"], cwd=root, check=True)
    subprocess.run([leafpress, "-q", "update"], cwd=root, check=True)
    for path in sorted((root / "locales").glob("*/LC_MESSAGES/*.po")):
        lang = path.parent.parent.name
        catalog = read(path.read_bytes(), lang)
        for message in catalog:
            if message.id:
                message.string = pseudo(message.id, lang)
        fields(catalog)["Last-Translator"] = "Benchmark <bench@clinic.example>"
        path.write_bytes(serialise(catalog))
    subprocess.run([leafpress, "-q", "update"], cwd=root, check=True)
    # make runs leafpress from the project's .venv: point it at this one.
    bin_dir = root / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "leafpress").symlink_to(VENV_BIN / "leafpress")
    (root / ".venv" / ".leafpress-setup").touch()


def naive(root: Path, cores: int) -> tuple[float, int]:
    """One weasyprint command per document of build/html/, cores at a time."""
    out = root / "naive"
    out.mkdir(exist_ok=True)
    documents = sorted((root / "build" / "html").rglob("*.html"))
    listing = "\n".join(str(path) for path in documents)
    command = (f"xargs -P {cores} -I{{}} sh -c '{VENV_BIN / 'weasyprint'} -q "
               f"--pdf-variant pdf/ua-1 -u {root / 'templates'}/ \"$1\" "
               f"{out}/$(echo \"$1\" | tr / _).pdf' _ {{}}")
    started = time.perf_counter()
    subprocess.run(command, shell=True, input=listing, text=True, check=True,
                   capture_output=True)
    return time.perf_counter() - started, len(documents)


def ideal(root: Path, cores: int) -> float:
    """Warm single-process render time of every document, divided by cores."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    base = (root / "templates").as_uri() + "/"
    documents = sorted((root / "build" / "html").rglob("*.html"))
    HTML(filename=documents[0], base_url=base).write_pdf(font_config=fonts)  # warm
    started = time.perf_counter()
    for path in documents:
        HTML(filename=path, base_url=base).write_pdf(font_config=fonts, cache={},
                                                     pdf_variant="pdf/ua-1")
    return (time.perf_counter() - started) / cores


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--leaflets", type=int, default=100)
    parser.add_argument("--languages", default="en,nl,de")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--workdir", type=Path, default=REPO / "build" / "bench")
    parser.add_argument("--skip-naive", action="store_true",
                        help="leave out (a), the slowest part (for memory runs)")
    args = parser.parse_args()
    langs = args.languages.split(",")
    root = args.workdir.resolve() / "project"
    cores = args.jobs

    print(f"generating {args.leaflets} leaflets in {', '.join(langs)} ...", flush=True)
    generate(root, args.leaflets, langs)

    from leafpress.pipeline.build import build
    from leafpress.pipeline.snapshot import Snapshot
    from leafpress.settings.project import load_project

    print("(b) leafpress build ...", flush=True)
    project = load_project(root)
    started = time.perf_counter()
    report = build(Snapshot(project), jobs=cores)
    full = time.perf_counter() - started
    documents = len(report.built)
    if report.failed:
        for outcome in report.failed[:5]:
            print(outcome.target, *outcome.problems[:3], sep="\n  ")
        return 1
    make = ["make", "--no-print-directory", f"JOBS={cores}"]
    run(make, root)  # let make record its state (catalog stamp, dependencies)

    print("(c) no-op make ...", flush=True)
    noop = run(make, root)

    print("(d) one changed .po ...", flush=True)
    from leafpress.translation.extract import serialise
    from leafpress.translation.pofile import read

    po = root / "locales" / "nl" / "LC_MESSAGES" / "leaflet-0000.po"
    catalog = read(po.read_bytes(), "nl")
    edited = next(message for message in catalog if message.id and not message.context)
    edited.string = edited.string + " Nu"
    po.write_bytes(serialise(catalog))
    pdfs = (root / "build" / "pdf").rglob("*.pdf")
    before = {path: path.stat().st_mtime_ns for path in pdfs}
    one = run(make, root)
    rebuilt = [path for path in before if path.stat().st_mtime_ns != before[path]]

    naive_seconds, naive_documents = float("nan"), 0
    if not args.skip_naive:
        print("(a) naive: one weasyprint per document ...", flush=True)
        naive_seconds, naive_documents = naive(root, cores)

    print("(e) ideal: warm single process / cores ...", flush=True)
    ideal_seconds = ideal(root, cores)

    def row(name, seconds, count, memory=""):
        rate = f"{count / seconds:8.1f}" if count else "       -"
        print(f"{name:<38} {seconds:9.2f} {rate} {memory:>12}")

    print()
    print(f"{documents} documents ({args.leaflets} leaflets x {len(langs)} "
          f"languages), {cores} cores")
    print(f"{'':<38} {'seconds':>9} {'docs/s':>8} {'peak MB/wkr':>12}")
    row("(a) naive, weasyprint per document", naive_seconds, naive_documents)
    row("(b) leafpress build", full, documents, f"{report.peak_rss_mb:.0f}")
    row("(c) no-op make", noop, 0)
    row(f"(d) one .po changed ({len(rebuilt)} PDF rebuilt)", one, len(rebuilt))
    row("(e) ideal (warm render / cores)", ideal_seconds, documents)
    print()
    tenth = max(1, len(report.memory) // 10)
    first, last = report.memory[:tenth], report.memory[-tenth:]
    print(f"worker memory: peak {report.peak_rss_mb:.0f} MB; first tenth of the "
          f"documents {max(first):.0f} MB, last tenth {max(last):.0f} MB "
          "(target < 200 MB and flat; workers are recycled every 250 documents)")
    print(f"(b)/(a) speed-up over naive: {naive_seconds / full:.1f}x (target >= 5x)")
    print(f"(e)/(b) share of the ideal:  {ideal_seconds / full:.0%} (target >= 80%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
