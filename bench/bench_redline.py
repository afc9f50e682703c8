"""Time redlining as a user runs it: ours against python-redlines (Docxodus) on .docx pairs,
and against houfu's `redlines` on the same pairs as text, at 40, 200, 1,000 and 5,000 clauses.

    PYTHONPATH=cli python bench/bench_redline.py [--runs N] [--sizes 40 200 1000 5000] [--keep DIR]

Each pair is an original policy and its next version (bench/realistic.py: distinct sentences
drawn from the corpus and the models, about 10 % of clauses edited), written as .docx (one
paragraph per clause) and as text. For each size, whole processes, each the best of N
after one warm-up, measured in this run:

  redline compare (docx)   `redline compare AMENDED.docx --against ORIGINAL.docx --format docx
                           -o out.docx`: the original document with tracked changes
  python-redlines          DocxodusEngine().run_redline on the same two files (`python -c`)
  redline compare (md)     `redline compare AMENDED.txt --against ORIGINAL.txt --format md`:
                           clause-by-clause word diff in Markdown, the bundled models read
                           from the cache the warm-up filled (POLICY_REDLINE_CACHE, a folder of
                           this run); then once more with that cache emptied (a first run)
  redlines (houfu)         `Redlines(original, amended).output_markdown` on the same texts

Every figure is wall time with the CPU time (user + system) of that process next to it, and
its peak memory; ratios are theirs over ours. The competitors run in this interpreter when it
has them, else in /work/shared/bench-venv (pip install "python-redlines[docxodus]" redlines
there; never a dependency of this project), else their lines say they were skipped.
Child processes get a private bytecode cache (PYTHONPYCACHEPREFIX, written during the
warm-up) even when PYTHONDONTWRITEBYTECODE is set, as an installed package has .pyc files.

Prints figures and ratios; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
if str(ROOT / "cli") not in sys.path:
    sys.path.insert(0, str(ROOT / "cli"))

from realistic import as_text, policy_pair, run_measured, write_docx  # noqa: E402

BENCH_VENV = Path("/work/shared/bench-venv/bin/python")

PYREDLINES_SCRIPT = """
import sys
from pathlib import Path
from python_redlines import DocxodusEngine
out, _, _ = DocxodusEngine().run_redline("bench", sys.argv[1], sys.argv[2])
Path(sys.argv[3]).write_bytes(out)
"""

REDLINES_SCRIPT = """
import sys
from pathlib import Path
from redlines import Redlines
original = Path(sys.argv[1]).read_text(encoding="utf-8")
amended = Path(sys.argv[2]).read_text(encoding="utf-8")
Path(sys.argv[3]).write_text(Redlines(original, amended).output_markdown, encoding="utf-8")
"""


def _python_with(module: str) -> str | None:
    """An interpreter that can import `module`: this one, else the benchmark venv."""
    for python in (sys.executable, str(BENCH_VENV)):
        if Path(python).exists() and subprocess.run([python, "-c", f"import {module}"], capture_output=True).returncode == 0:
            return python
    return None


def best_of(cmd: list[str], runs: int, env: dict[str, str] | None, out: Path) -> tuple[float, float, float]:
    """(wall, CPU, peak MB) of the fastest of `runs` runs after one warm-up."""
    results = []
    for k in range(runs + 1):
        out.unlink(missing_ok=True)
        r = run_measured(cmd, env)
        if k:
            results.append(r)
    return min(results)


def fmt(t: tuple[float, float, float] | None) -> str:
    return "   skipped" if t is None else f"{t[0] * 1000:9.0f} ms wall {t[1] * 1000:8.0f} ms CPU {t[2]:5.0f} MB"


def ratio(theirs: tuple[float, float, float] | None, ours: tuple[float, float, float] | None) -> str:
    if theirs is None or ours is None:
        return "n/a"
    return f"{theirs[0] / ours[0]:.1f}x wall, {theirs[1] / ours[1]:.1f}x CPU"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="+", default=[40, 200, 1000, 5000])
    parser.add_argument("--keep", type=Path, help="keep the generated files in this folder")
    args = parser.parse_args()

    env = dict(os.environ, PYTHONPATH=str(ROOT / "cli") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    pycache = tempfile.TemporaryDirectory()
    env["PYTHONPYCACHEPREFIX"] = pycache.name
    # The models' cache (parsed models, prepared templates) in a folder of this run: the
    # warm-up fills it, as a user's first command does; the first-run line empties it.
    model_cache = tempfile.TemporaryDirectory()
    env["POLICY_REDLINE_CACHE"] = model_cache.name
    ours = [sys.executable, "-m", "policy_redline"]
    py_pr = _python_with("python_redlines")
    py_houfu = _python_with("redlines")

    print(f"python {sys.version.split()[0]}, best of {args.runs} after one warm-up; {os.cpu_count()} CPUs, "
          f"load average {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if py_pr is None:
        print("python-redlines: not installed here or in /work/shared/bench-venv -- skipped "
              '(pip install "python-redlines[docxodus]")')
    if py_houfu is None:
        print("redlines (houfu): not installed here or in /work/shared/bench-venv -- skipped (pip install redlines)")

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = args.keep or Path(tmp_name)
        tmp.mkdir(parents=True, exist_ok=True)
        for n in args.sizes:
            original, amended = policy_pair(n)
            a_docx, b_docx = tmp / f"original-{n}.docx", tmp / f"amended-{n}.docx"
            a_txt, b_txt = tmp / f"original-{n}.txt", tmp / f"amended-{n}.txt"
            write_docx(original, a_docx)
            write_docx(amended, b_docx)
            a_txt.write_text(as_text(original), encoding="utf-8")
            b_txt.write_text(as_text(amended), encoding="utf-8")
            words = sum(len(body.split()) for _, _, body in original)
            edited = sum(1 for x, y in zip(original, amended) if x != y)
            print(f"\n== {n} clauses, {words:,} words; the amended version has {len(amended)} clauses "
                  f"({edited}+ edited or shifted)")

            out = tmp / f"ours-{n}.docx"
            t_docx = best_of([*ours, "compare", str(b_docx), "--against", str(a_docx), "--format", "docx", "-o", str(out)],
                             args.runs, env, out)
            def theirs(name: str, python: str | None, script: str, a: Path, b: Path, out: Path):
                """Another tool's time on the same pair, or None when it is absent or fails."""
                if not python:
                    return None
                try:
                    return best_of([python, "-c", script, str(a), str(b), str(out)], args.runs, None, out)
                except subprocess.CalledProcessError as exc:
                    print(f"{name} failed ({exc.stderr.strip()[-300:]})")
                    return None

            t_pr = theirs("python-redlines", py_pr, PYREDLINES_SCRIPT, a_docx, b_docx, tmp / f"python-redlines-{n}.docx")
            out = tmp / f"ours-{n}.md"
            md_cmd = [*ours, "compare", str(b_txt), "--against", str(a_txt), "--format", "md", "-o", str(out)]
            t_md = best_of(md_cmd, args.runs, env, out)
            shutil.rmtree(model_cache.name, ignore_errors=True)
            out.unlink(missing_ok=True)
            t_md_first = run_measured(md_cmd, env)  # the models parsed and prepared, and cached
            t_houfu = theirs("redlines", py_houfu, REDLINES_SCRIPT, a_txt, b_txt, tmp / f"redlines-{n}.md")

            print(f"redline compare --format docx  {fmt(t_docx)}")
            print(f"python-redlines (Docxodus)     {fmt(t_pr)}   ratio {ratio(t_pr, t_docx)}")
            print(f"redline compare --format md    {fmt(t_md)}")
            print(f"  the same, models not cached  {fmt(t_md_first)}   (a first run, or after the models changed)")
            print(f"redlines (houfu), Markdown     {fmt(t_houfu)}   ratio {ratio(t_houfu, t_md)}")


if __name__ == "__main__":
    main()
