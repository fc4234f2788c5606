"""Benchmark: what the print room runs, against WeasyPrint alone.

Run with ``make bench`` (or ``python benchmarks/bench.py --help``). It
generates a project of two-page leaflets in three languages (English, Dutch
and German, the translations made mechanically so that every check passes)
printed in every variant (clear print, large print, the A5 copy and its
booklet), then measures:

(b) a full ``make`` from a fresh build folder: catalogs, every variant,
    verification and the report, with where its time went (the stages that
    ``build/timings.json`` records);
(c) a no-op ``make``;
(d) ``make`` after one ``.po`` changed, and how many PDFs it printed;
(a) naive: one ``weasyprint`` command per document of the same HTML, as
    parallel as the machine allows (``xargs -P <cores>``);
(e) the ideal: the warm single-process render time of the same HTML (plain
    WeasyPrint, PDF/UA), divided by the cores;

then (c) and (d) again on a second project of about 1,000 documents, with
the peak memory of each render worker over them. ``--profile`` prints a
profile of the slowest stage of (b).
"""

from __future__ import annotations

import argparse
import json
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


def make(root: Path, cores: int) -> tuple[float, dict]:
    """Run make; its seconds and the build's record (``build/timings.json``)."""
    record = root / "build" / "timings.json"
    record.unlink(missing_ok=True)
    seconds = run(["make", "--no-print-directory", f"JOBS={cores}"], root)
    try:
        return seconds, json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return seconds, {}


def edit_one_po(root: Path) -> None:
    """Change one translation of one catalog, as a translator would."""
    from leafpress.translation.extract import serialise
    from leafpress.translation.pofile import read

    po = root / "locales" / "nl" / "LC_MESSAGES" / "leaflet-0000.po"
    catalog = read(po.read_bytes(), "nl")
    edited = next(message for message in catalog if message.id and not message.context)
    edited.string = edited.string + " Nu"
    po.write_bytes(serialise(catalog))


def incremental(root: Path, cores: int) -> dict:
    """(c) and (d) on a project already printed: seconds, PDFs rebuilt, the
    render time of those, and the workers' memory of the full build."""
    noop, _ = make(root, cores)
    pdfs = list((root / "build" / "pdf").rglob("*.pdf"))
    before = {path: path.stat().st_mtime_ns for path in pdfs}
    edit_one_po(root)
    one, record = make(root, cores)
    rebuilt = [path for path in before if path.stat().st_mtime_ns != before[path]]
    stages = record.get("stages", {})
    return {"noop": noop, "one": one, "rebuilt": len(rebuilt),
            "render": sum(stages.get(name, 0.0) for name in
                          ("render", "verify", "impose", "thumbnail"))}


def breakdown(record: dict, wall: float) -> None:
    stages = record.get("stages", {})
    workers = record.get("workers") or 1
    build = record.get("seconds", 0.0) + stages.get("report", 0.0)
    print(f"\nwhere (b)'s {wall:.2f} s went ({workers} workers; a worker's stage in "
          "CPU seconds summed over documents, and its share of the wall time):")
    print(f"  {'make: versions, extract, update, deps':<38} {wall - build:8.2f}")
    for name, seconds in stages.items():
        share = (f"{seconds / workers:8.2f} of wall" if name in WORKER_STAGES
                 else "")
        print(f"  {name:<38} {seconds:8.2f} {share}")


#: The stages that run in the render workers (see leafpress.timing).
WORKER_STAGES = ("start-up", "render", "verify", "impose", "thumbnail", "idle")


def profile(root: Path, stage: str, cores: int, sample: int = 30) -> None:
    """A profile of one stage: the workers' stages on a sample of documents
    in this process; the main process's stages over a whole build."""
    import cProfile
    import pstats

    from leafpress.pipeline.build import build
    from leafpress.pipeline.snapshot import Snapshot
    from leafpress.settings.project import load_project

    profiler = cProfile.Profile()
    print(f"\nprofile of {stage}:", flush=True)
    if stage in WORKER_STAGES:
        from leafpress.printing import render

        project = load_project(root)
        tasks = []

        class Collect:  # a pool that keeps the tasks instead of printing them
            workers, started = 1, time.perf_counter()

            def submit(self, task):
                tasks.append(task)
                return None

            def as_completed(self, futures):
                return iter(())

            def startup(self):
                return 0.0

        from leafpress.pipeline import build as building

        original = building._pool

        def collecting(*args):
            from contextlib import nullcontext
            return nullcontext(Collect())

        building._pool = collecting
        try:
            build(Snapshot(project), jobs=1)
        finally:
            building._pool = original
        render._start_worker()
        render.render_pdf(tasks[0])  # warm
        profiler.enable()
        for task in tasks[:sample]:
            render.render_pdf(task)
        profiler.disable()
    else:
        shutil.rmtree(root / "build" / "pdf", ignore_errors=True)
        project = load_project(root)
        profiler.enable()
        build(Snapshot(project), jobs=cores)
        profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--leaflets", type=int, default=34,
                        help="leaflets of (b) to (e), each in every language and "
                        "variant (default 34: 306 documents)")
    parser.add_argument("--scale-leaflets", type=int, default=334,
                        help="leaflets of the second project, printed in clear "
                        "print only (default 334: 1,002 documents; 0 leaves it out)")
    parser.add_argument("--languages", default="en,nl,de")
    parser.add_argument("--variants", default="standard,large,booklet")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--workdir", type=Path, default=REPO / "build" / "bench")
    parser.add_argument("--skip-naive", action="store_true",
                        help="leave out (a), the slowest part")
    parser.add_argument("--profile", action="store_true",
                        help="then print a profile of the slowest stage of (b)")
    args = parser.parse_args()
    langs = args.languages.split(",")
    variants = args.variants.split(",")
    root = args.workdir.resolve() / "project"
    cores = args.jobs

    print(f"generating {args.leaflets} leaflets in {', '.join(langs)}, printed as "
          f"{', '.join(variants)} ...", flush=True)
    generate(root, args.leaflets, langs, variants)
    print("(b) full make ...", flush=True)
    full, record = make(root, cores)
    documents = record.get("documents", 0)
    if not documents:
        print("the build printed nothing: see make's output in", root)
        return 1
    files = sum(1 for _ in (root / "build" / "pdf").rglob("*.pdf"))
    print("(c) no-op make, (d) one changed .po ...", flush=True)
    small = incremental(root, cores)
    naive_seconds = float("nan")
    if not args.skip_naive:
        print("(a) naive: one weasyprint per document ...", flush=True)
        naive_seconds, _ = naive(root, cores)
    print("(e) ideal: warm single process / cores ...", flush=True)
    ideal_seconds = ideal(root, cores)

    large = None
    if args.scale_leaflets:
        scale = args.workdir.resolve() / "scale"
        print(f"generating {args.scale_leaflets} leaflets for the incremental runs "
              "...", flush=True)
        generate(scale, args.scale_leaflets, langs, ["standard"])
        print("    full make ...", flush=True)
        large_full, large_record = make(scale, cores)
        large = {**incremental(scale, cores), "full": large_full,
                 "documents": large_record.get("documents", 0),
                 "memory": large_record.get("memory_mb", {})}

    def row(name, seconds, count=0):
        rate = f"{count / seconds:8.1f}" if count and seconds == seconds else "       -"
        print(f"{name:<44} {seconds:9.2f} {rate}")

    print()
    print(f"{documents} documents, {files} PDF files ({args.leaflets} leaflets x "
          f"{len(langs)} languages x {', '.join(variants)}), {cores} cores")
    print(f"{'':<44} {'seconds':>9} {'docs/s':>8}")
    row("(a) naive, weasyprint per document", naive_seconds, documents)
    row("(b) leafpress: full make, report included", full, documents)
    row("(c) no-op make", small["noop"])
    row(f"(d) one .po changed ({small['rebuilt']} PDF printed)", small["one"])
    row("(e) ideal (plain WeasyPrint, warm / cores)", ideal_seconds, documents)
    breakdown(record, full)
    print()
    print(f"(e)/(b) share of the ideal:  {ideal_seconds / full:.0%} (target >= 90%)")
    if naive_seconds == naive_seconds:  # not NaN: (a) was measured
        print(f"(a)/(b) speed-up over naive: {naive_seconds / full:.1f}x "
              "(target >= 6x)")
    if large:
        print(f"\nat {large['documents']} documents (full make {large['full']:.1f} s):")
        print(f"  no-op make                 {large['noop']:6.2f} s (target < 0.5 s)")
        print(f"  one .po changed            {large['one']:6.2f} s, {large['rebuilt']} "
              f"PDF printed, its render {large['render']:.2f} s (target < 2 s + "
              "render)")
        memory = large["memory"]
        if memory:
            print(f"  worker memory: peak {memory['peak']:.0f} MB; first tenth of the "
                  f"documents {memory['first_tenth']:.0f} MB, last tenth "
                  f"{memory['last_tenth']:.0f} MB (target < 200 MB, flat)")
    if args.profile:
        stages = {name: seconds for name, seconds in record.get("stages", {}).items()
                  if name not in ("idle", "start-up")}
        profile(root, max(stages, key=stages.get), cores)
    return 0


if __name__ == "__main__":
    sys.exit(main())
