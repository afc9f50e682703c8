"""Time and peak memory of `redline` on each hostile case (issue 17), as whole processes.

    .venv/bin/python bench/bench_hostile.py [--keep DIR] [--survey N]

Builds every case of tests/hostile_files.py at full size (a 20 MB single line, a .docx that
inflates to 190 MB of XML, a flate-bomb PDF that inflates to GBs, 50,000 nested <ul><li>, a
named pipe …), runs `redline analyze` on each and prints its exit status, seconds, peak
resident memory and the message; then the option cases (`--jobs 10000`, a 120 KB --town,
--date not-a-date); then, with --survey N (default 100), a survey of the hostile files beside
N generated good policies, and whether the good rows equal a survey without them.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "cli"))

import hostile_files as hf  # noqa: E402


def run(*args: str, cwd: Path = ROOT, timeout: float = 300) -> tuple[int, float, float, str, str]:
    env = dict(os.environ, NO_COLOR="1", PYTHONIOENCODING="utf-8")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT / "cli"), env.get("PYTHONPATH", "")) if p)
    return hf.measure([sys.executable, "-m", "policy_redline", *args], cwd=cwd, env=env, timeout=timeout)


def row(name: str, rc: int, seconds: float, peak: float, message: str) -> None:
    line = " ".join(message.split())
    print(f"{name:28} exit {rc:>3}  {seconds:6.2f} s  {peak:7.0f} MB  {line[:110]}")


def good_policies(folder: Path, n: int) -> None:
    """N good policies: the bundled examples and edited copies of them."""
    sources = [p for p in (ROOT / "policies").iterdir() if p.suffix in (".md", ".txt", ".docx", ".pdf")
               and p.name != "README.md"]
    for i in range(n):
        src = sources[i % len(sources)]
        dest = folder / f"good-{i:03d}{src.suffix}"
        if src.suffix in (".md", ".txt"):
            dest.write_text(src.read_text(encoding="utf-8") + f"\n\nRevision {i}.\n", encoding="utf-8")
        else:
            shutil.copyfile(src, dest)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--keep", type=Path, help="build the files here and keep them")
    ap.add_argument("--survey", type=int, default=100, help="good policies beside the hostile ones (0: no survey)")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-hostile-"))
    hostile = work / "hostile"
    if hostile.exists():
        shutil.rmtree(hostile)
    started = time.monotonic()
    names = hf.build_all(hostile)
    print(f"built {len(names)} cases in {time.monotonic() - started:.1f} s in {hostile}")
    print(f"{'case':28} {'':>8}  {'time':>8}  {'peak':>10}  message")
    for name in names:
        rc, s, peak, out, err = run("analyze", str(hostile / name))
        row(name, rc, s, peak, err.strip().splitlines()[-1] if err.strip() else out.strip().splitlines()[-1])
    fifo = hostile / "named-pipe.txt"
    good = ROOT / "policies" / "chicopee-413.md"
    if fifo.exists():
        rc, s, peak, out, err = run("compare", str(good), "--against", str(fifo))
        row("compare --against FIFO", rc, s, peak, err)
    # The largest input every budget accepts: 249,000 words of dense policy sentences, in
    # paragraphs. Its time is the judge's, not a reader's (the readers take well under 1 s).
    dense = work / "dense-249k-words.txt"
    sentence = hf.POLICY_SENTENCE.strip()
    per = len(sentence.split())
    paragraph = " ".join([sentence] * 10)
    dense.write_text("\n\n".join([paragraph] * (249_000 // (10 * per))), encoding="utf-8")
    rc, s, peak, out, err = run("analyze", str(dense))
    row(dense.name, rc, s, peak, err.strip().splitlines()[-1] if err.strip() else out.strip().splitlines()[-1])
    rc, s, peak, out, err = run("draft", str(good), "--town", "T" * 120_000)
    row("draft --town 120 KB", rc, s, peak, err.strip().splitlines()[-1])
    for cmd in (["draft", str(good)], ["compare", str(good)], ["onepager", str(good)],
                ["request", "--department", "X Police Department"]):
        rc, s, peak, out, err = run(*cmd, "--date", "not-a-date")
        row(f"{cmd[0]} --date not-a-date", rc, s, peak, err.strip().splitlines()[-1])

    if args.survey:
        folder = work / "survey"
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir()
        good_policies(folder, args.survey)
        rc, s, peak, clean, err = run("survey", str(folder), "--jobs", "10000")
        row(f"survey {args.survey} good", rc, s, peak, err.strip().splitlines()[-1])
        hf.build_all(folder / "hostile")
        (folder / "hostile" / "outside.md").symlink_to(good)
        rc, s, peak, mixed, err = run("survey", str(folder), "--jobs", "10000")
        row(f"survey + {len(names) + 1} hostile", rc, s, peak, err.strip().splitlines()[-1])
        a = list(csv.DictReader(io.StringIO(clean)))
        b = [r for r in csv.DictReader(io.StringIO(mixed)) if not r["file"].startswith("hostile/")]
        print(f"good rows identical with and without the hostile files: {a == b} ({len(a)} rows)")
        print("(a survey's peak is its largest single process; each worker may grow by at most "
              "--memory-limit MB, and --jobs is capped at four per core: "
              f"{4 * (os.cpu_count() or 1)} here)")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
