"""Benchmark `redline survey`: policies per second at 100 and 1,000 policies.

    /tmp/venv/bin/python bench/bench_survey.py [--sizes 100 1000] [--jobs 2] [--keep DIR]

Generates a corpus with bench/make_corpus.py (seeded: the same files every run; the 100-policy
corpus is the first 100 files of the 1,000), then times, for each size:

* the library call `survey.survey(folder, jobs=N)` in this process, and
* the whole command `python -m policy_redline survey FOLDER --jobs N -o table.csv` as a new
  process (start-up, imports, model loading and writing the table included).

It prints seconds, CPU seconds, policies per second, the command's peak memory (its own
process and its largest worker), and the growth in time from the smallest to the largest
corpus (10x the policies should take about 10x the time). Targets (issue 16): 1,000 policies
at >= 100 policies/s with 2 processes on 2 cores; 10,000 with memory flat and <= 11x the
time of 1,000 (`--sizes 1000 10000 --no-library --ocr 0`; the library call keeps every row).
On a machine shared with other work, CPU / jobs is the fair figure.

Then scans (`--ocr N`, default 4; 0 skips; `--only-ocr` skips the text corpus): N image-only
PDFs made from the example policies as tests/scans.py makes them (200 dpi, every file
speckled differently, so no two share a cache entry), surveyed with an empty OCR cache
(pages per second read by Tesseract) and again with the cache filled (pages per second when
nothing is read again). Needs Tesseract and poppler (`apt-get install tesseract-ocr
tesseract-ocr-eng poppler-utils`).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "cli"))
sys.path.insert(0, str(ROOT / "bench"))

from make_corpus import make_corpus  # noqa: E402
from policy_redline.survey import survey  # noqa: E402

TARGET_SECONDS = 60.0
TARGET_SIZE = 1000


def _subset(src: Path, dst: Path, n: int) -> None:
    """The first `n` policies of `src` (in file order), hard-linked (copied if links fail)."""
    files = sorted(p for p in src.rglob("*") if p.is_file())[:n]
    for f in files:
        target = dst / f.relative_to(src)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(f, target)
        except OSError:
            shutil.copy2(f, target)


def _cpu(who: int) -> float:
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime


def _load() -> str:
    try:
        return " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


# `python -m policy_redline`, plus one line at exit with the peak resident memory of the
# command's own process and of its largest worker (the rows of a CSV or JSON table are
# written as they are done, so neither should grow with the number of policies).
_MEASURED = (
    "import atexit, resource, sys\n"
    "def _peak():\n"
    "    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
    "    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
    "    sys.stderr.write(f'peak memory: command {own:.0f} MB, largest worker {kids:.0f} MB\\n')\n"
    "atexit.register(_peak)\n"
    "sys.argv[0] = 'redline'\n"
    "from policy_redline.cli import main\n"
    "main()\n"
)


def _time_cli(folder: Path, jobs: int, out: Path) -> float:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "cli") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    cmd = [sys.executable, "-c", _MEASURED, "survey", str(folder), "--jobs", str(jobs), "-o", str(out), "--force"]
    t = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - t
    if proc.returncode != 0:
        sys.exit(f"redline survey failed ({proc.returncode}): {proc.stderr.strip()}")
    for line in proc.stderr.strip().splitlines()[-2:]:
        print(f"    {line}")
    return elapsed


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=413)
    ap.add_argument("--keep", help="generate the corpus here and keep it (reused when it exists)")
    ap.add_argument("--no-cli", action="store_true", help="time only the library call")
    ap.add_argument("--no-library", action="store_true", help="time only the command (the library call keeps "
                    "every row in memory: at 10,000 policies, time the command alone)")
    ap.add_argument("--ocr", type=int, default=4, metavar="N", help="also survey N scanned PDFs (0: none)")
    ap.add_argument("--only-ocr", action="store_true", help="survey only the scanned PDFs")
    args = ap.parse_args(argv)
    if args.only_ocr:
        bench_ocr(max(1, args.ocr), args.jobs)
        return
    sizes = sorted(set(args.sizes))

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="redline-bench-"))
    full = work / f"corpus-{sizes[-1]}"
    try:
        if not full.exists() or sum(1 for p in full.rglob("*") if p.is_file()) != sizes[-1]:
            shutil.rmtree(full, ignore_errors=True)
            t = time.perf_counter()
            make_corpus(full, sizes[-1], seed=args.seed)
            print(f"generated {sizes[-1]} policies in {time.perf_counter() - t:.1f} s ({full})")
        folders = {}
        for n in sizes:
            if n == sizes[-1]:
                folders[n] = full
            else:
                folders[n] = work / f"corpus-{n}"
                shutil.rmtree(folders[n], ignore_errors=True)
                _subset(full, folders[n], n)

        print(f"cpus: {os.cpu_count()}, jobs: {args.jobs}, python {sys.version.split()[0]}, load average {_load()}")
        print("(cpu = CPU seconds of this process and its workers; cpu / jobs is the wall time on an "
              "otherwise idle machine, the fair figure when other work shares the cores)")
        results = {}
        cpus: dict[int, float] = {}
        for n in sizes:
            print(f"{n} policies")
            lib = None
            if not args.no_library:
                c0 = _cpu(resource.RUSAGE_SELF) + _cpu(resource.RUSAGE_CHILDREN)
                t = time.perf_counter()
                result = survey(folders[n], jobs=args.jobs)
                lib = time.perf_counter() - t
                cpu = _cpu(resource.RUSAGE_SELF) + _cpu(resource.RUSAGE_CHILDREN) - c0
                print(f"    library: {lib:7.2f} s  {n / lib:6.1f} policies/s   cpu {cpu:7.2f} s "
                      f"({1000 * cpu / n:.0f} ms/policy; idle-machine estimate {cpu / args.jobs:.1f} s)   load {_load()}")
                print(f"    {result.summary}")
            cli = None
            if not args.no_cli:
                c0 = _cpu(resource.RUSAGE_CHILDREN)
                cli = _time_cli(folders[n], args.jobs, work / f"table-{n}.csv")
                cpu = _cpu(resource.RUSAGE_CHILDREN) - c0
                print(f"    command: {cli:7.2f} s  {n / cli:6.1f} policies/s   cpu {cpu:7.2f} s "
                      f"({1000 * cpu / n:.0f} ms/policy; idle-machine estimate {cpu / args.jobs:.1f} s, "
                      f"{n * args.jobs / cpu:.0f} policies/s)   load {_load()}")
                cpus[n] = cpu
            results[n] = (lib, cli)

        lo, hi = sizes[0], sizes[-1]
        if lo != hi:
            line = f"growth {lo} -> {hi} policies ({hi / lo:.0f}x):"
            if results[hi][0] is not None and results[lo][0] is not None:
                line += f" library {results[hi][0] / results[lo][0]:.1f}x"
            if results[hi][1] is not None:
                line += f" command {results[hi][1] / results[lo][1]:.1f}x (wall), {cpus[hi] / cpus[lo]:.1f}x (cpu)"
            print(line)
        if TARGET_SIZE in results:
            worst = max((x for x in results[TARGET_SIZE] if x is not None), default=0.0)
            verdict = "meets" if worst <= TARGET_SECONDS else "MISSES"
            print(f"target: {TARGET_SIZE} policies in <= {TARGET_SECONDS:.0f} s with {args.jobs} jobs: "
                  f"{verdict} ({worst:.1f} s)")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    if args.ocr:
        bench_ocr(args.ocr, args.jobs)


def bench_ocr(n: int, jobs: int) -> None:
    """Survey `n` scanned PDFs with a cold OCR cache, then a warm one; pages per second."""
    from policy_redline.readers import ocr

    if ocr.missing():
        print(f"scanned PDFs: skipped ({ocr.missing()} is not installed; {ocr.PACKAGES})")
        return
    sys.path.insert(0, str(ROOT / "tests"))
    from pypdf import PdfReader
    from scans import POLICIES, chicopee_pdf, scan

    work = Path(tempfile.mkdtemp(prefix="redline-bench-ocr-"))
    before = os.environ.get(ocr.CACHE_ENV)
    os.environ[ocr.CACHE_ENV] = str(work / "cache")
    try:
        folder, pages_dir = work / "scans", work / "pages"
        folder.mkdir()
        pages_dir.mkdir()
        sources = [POLICIES / "bedford.pdf", chicopee_pdf(pages_dir / "chicopee.pdf")]
        pages = 0
        for i in range(n):
            made = scan(sources[i % 2], folder / f"scan-{i:03d}.pdf", pages_dir, crooked={1: 0.5 + i % 3},
                        speckled=tuple(range(1, 10)), seed=i)
            pages += len(PdfReader(made).pages)
        print(f"{n} scanned PDFs, {pages} pages (200 dpi), jobs: {jobs}, load average {_load()}")
        for label in ("cold cache (OCR)", "warm cache"):
            c0 = _cpu(resource.RUSAGE_SELF) + _cpu(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            result = survey(folder, jobs=jobs)
            took = time.perf_counter() - t
            cpu = _cpu(resource.RUSAGE_SELF) + _cpu(resource.RUSAGE_CHILDREN) - c0
            unread = sum(1 for r in result.rows if r["class"] == "unreadable")
            print(f"    {label:17} {took:7.2f} s  {pages / took:6.2f} pages/s  cpu {cpu:7.2f} s "
                  f"({cpu / pages:.2f} s/page; idle-machine estimate {pages * jobs / max(cpu, 1e-9):.2f} pages/s)   "
                  f"load {_load()}   {result.summary}"
                  + (f"   ({unread} UNREADABLE)" if unread else ""))
    finally:
        if before is None:
            os.environ.pop(ocr.CACHE_ENV, None)
        else:
            os.environ[ocr.CACHE_ENV] = before
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
