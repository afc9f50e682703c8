"""Time alignment: a 200-clause policy against every bundled model (in-process), and one
policy against another version of itself at 40, 200, 1,000 and 5,000 clauses (the whole
`redline compare A --against B` command).

    PYTHONPATH=cli python bench/bench_align.py [--runs N] [--sizes 40 200 1000 5000] [--pair-runs N]

The 200-clause policy: the Lexipol template's clauses repeated with edits (renamed
department, a local sentence added, a sentence dropped, character noise) and interleaved
with local clauses. One warm-up run (it also loads and caches the models), then the best of N.

The policy pairs (bench/realistic.py): distinct sentences drawn from the corpus and the
models, about 10 % of clauses edited. Each size is run as a new process, `--format docx`
(the redline alone) and `--format md` (which also recognises the template against every
bundled model for the headline), with wall time, CPU time and peak memory of that process
(the best CPU time of --pair-runs runs, 3 unless given; the bundled models read from a cache
folder of this run, filled by one warm-up command first); then the growth from 1,000 to 5,000
clauses. Then, for the largest pair, the stages of the command this package's reading and
normalising does, in this process (the best CPU time of 5): reading the two files, segmenting
them, naming their departments, and normalising the amended policy's sentences. Prints
figures; asserts nothing.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "cli") not in sys.path:
    sys.path.insert(0, str(ROOT / "cli"))

from policy_redline.align import align, best_matches, boilerplate  # noqa: E402
from policy_redline.models import load_models, template  # noqa: E402
from policy_redline.segment import Clause, clause_sentences  # noqa: E402

LOCAL = (
    "Officers shall complete the daily activity log before the end of each shift and submit it to the shift supervisor.",
    "The Chief of Police may issue general orders that supplement this policy where local conditions require.",
    "All department vehicles shall be inspected at the start of each tour and defects reported to the fleet manager.",
    "Members shall wear the approved uniform and display their badge and name plate while on duty.",
    "Evidence shall be logged into the property room within the same shift in which it is collected.",
)


def build_policy(n: int = 200, seed: int = 7) -> list[Clause]:
    rnd = random.Random(seed)
    tmpl = template().clauses
    clauses: list[Clause] = []
    for k in range(n):
        if k % 3 == 2:
            text = " ".join(rnd.sample(LOCAL, 3))
        else:
            mc = tmpl[k % len(tmpl)]
            sentences = list(clause_sentences(mc.text))
            if len(sentences) > 2 and rnd.random() < 0.5:
                del sentences[rnd.randrange(len(sentences))]
            if rnd.random() < 0.5:
                sentences.insert(rnd.randrange(len(sentences) + 1), rnd.choice(LOCAL))
            text = " ".join(sentences).replace("the Department", "the Springfield Police Department")
            if rnd.random() < 0.3:
                chars = list(text)
                for _ in range(max(1, len(chars) // 80)):
                    i = rnd.randrange(len(chars))
                    if chars[i].isalpha():
                        chars[i] = rnd.choice("aeiourstln")
                text = "".join(chars)
        clauses.append(Clause(f"{k // 10 + 1}.{k % 10 + 1}", "", text, 0, 0, clause_sentences(text)))
    return clauses


def main(argv: list[str]) -> int:
    runs = int(argv[argv.index("--runs") + 1]) if "--runs" in argv else 20
    sizes = [40, 200, 1000, 5000]
    if "--sizes" in argv:
        at = argv.index("--sizes") + 1
        sizes = []
        while at < len(argv) and argv[at].isdigit():
            sizes.append(int(argv[at]))
            at += 1
    clauses = build_policy()
    models = load_models()
    tmpl = template()

    from policy_redline.normalize import normalize

    def once() -> None:
        per_model = align(clauses, models, ("Springfield",))
        best_matches(per_model)
        boilerplate(clauses, per_model[tmpl.id], tmpl)

    import policy_redline.align as align_module

    def first_time() -> None:
        """Forget the policy's normal forms, as a new process would."""
        getattr(normalize, "cache_clear", lambda: None)()
        if hasattr(align_module, "_LAST_BATCH"):
            align_module._LAST_BATCH = ((), {})  # the last batch `_normalize_many` keeps for a second version

    once()  # warm-up: model parsing, caches, imports
    times, cpu = [], []
    for _ in range(runs):
        first_time()  # a policy seen for the first time
        c0, t0 = time.process_time(), time.perf_counter()
        once()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    from policy_redline.align import _normalize_many

    sentences = [s for c in clauses for s in c.sentences]
    norm = []
    for _ in range(runs):
        first_time()
        t0 = time.process_time()
        _normalize_many(sentences, ("Springfield",))
        norm.append(time.process_time() - t0)
    words = sum(c.words for c in clauses)
    msentences = sum(len(mc.sentences) for m in models for mc in m.clauses)
    print(f"{len(clauses)} clauses ({words} words, {sum(len(c.sentences) for c in clauses)} sentences) "
          f"x {len(models)} models ({sum(len(m.clauses) for m in models)} clauses, {msentences} sentences)")
    print(f"align + best_matches + boilerplate: best {min(times) * 1000:.1f} ms, median {sorted(times)[len(times) // 2] * 1000:.1f} ms over {runs} runs "
          f"(CPU time: best {min(cpu) * 1000:.1f} ms; wall time suffers when the machine is busy)")
    print(f"  of which normalize.normalize of the policy's sentences: best CPU {min(norm) * 1000:.1f} ms")
    pair_runs = int(argv[argv.index("--pair-runs") + 1]) if "--pair-runs" in argv else 3
    policy_against_policy(sizes, pair_runs)
    return 0


def policy_against_policy(sizes: list[int], runs: int = 3) -> None:
    """`redline compare AMENDED --against ORIGINAL` as a whole process, per size: the run of
    least CPU time of `runs`."""
    import os
    import subprocess
    import tempfile

    sys.path.insert(0, str(ROOT / "bench"))
    from realistic import as_text, policy_pair, run_measured

    env = dict(os.environ, PYTHONPATH=str(ROOT / "cli") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    print(f"\npolicy against policy, whole process (load average {', '.join(f'{x:.1f}' for x in os.getloadavg())}):")
    results: dict[tuple[int, str], tuple[float, float, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        env["POLICY_REDLINE_CACHE"] = str(Path(tmp) / "cache")
        warm = Path(tmp) / "warm.txt"
        warm.write_text(as_text(policy_pair(40)[0]), encoding="utf-8")
        run_measured([sys.executable, "-m", "policy_redline", "compare", str(warm), "--format", "md",
                      "-o", str(Path(tmp) / "warm.md")], env)  # parses and prepares the models once
        for n in sizes:
            original, amended = policy_pair(n)
            a, b = Path(tmp) / f"original-{n}.txt", Path(tmp) / f"amended-{n}.txt"
            a.write_text(as_text(original), encoding="utf-8")
            b.write_text(as_text(amended), encoding="utf-8")
            words = sum(len(body.split()) for _, _, body in original)
            for fmt in ("docx", "md"):
                out = Path(tmp) / f"compare-{n}.{fmt}"
                cmd = [sys.executable, "-m", "policy_redline", "compare", str(b), "--against", str(a),
                       "--format", fmt, "-o", str(out), "--force"]
                try:
                    results[(n, fmt)] = min((run_measured(cmd, env) for _ in range(runs)), key=lambda r: r[1])
                except subprocess.CalledProcessError as exc:
                    print(f"  {n:5d} clauses --format {fmt}: failed ({exc.stderr.strip()[:200]})")
                    continue
                wall, cpu, peak = results[(n, fmt)]
                print(f"  {n:5d} clauses ({words:,} words) --format {fmt:4s}: {wall:6.2f} s wall {cpu:6.2f} s CPU "
                      f"{peak:6.0f} MB peak")
        if sizes:
            stages(a, b)
    for fmt in ("docx", "md"):
        if (1000, fmt) in results and (5000, fmt) in results:
            print(f"  growth 1,000 -> 5,000 clauses (--format {fmt}): {results[(5000, fmt)][1] / results[(1000, fmt)][1]:.1f}x CPU, "
                  f"{results[(5000, fmt)][0] / results[(1000, fmt)][0]:.1f}x wall")


def stages(original: Path, amended: Path, runs: int = 5) -> None:
    """CPU time of the reading stages of `compare AMENDED --against ORIGINAL`, in process."""
    import policy_redline.align as align_module
    from policy_redline.ingest import read_policy
    from policy_redline.normalize import guess_department, normalize, town_of
    from policy_redline.segment import segment

    def best(f):
        times = []
        for _ in range(runs):
            t0 = time.process_time()
            out = f()
            times.append(time.process_time() - t0)
        return min(times) * 1000, out

    t_read, docs = best(lambda: [read_policy(amended), read_policy(original)])
    t_seg, clauses = best(lambda: [segment(d) for d in docs])
    t_dept, departments = best(lambda: [guess_department(d.text) for d in docs])
    towns = tuple(dict.fromkeys(town_of(d) for d in departments if d))
    sentences = [s for c in clauses[0] for s in c.sentences]

    def normalise():
        normalize.cache_clear()
        align_module._LAST_BATCH = ((), {})
        return align_module._normalize_many(sentences, towns)

    t_norm, _ = best(normalise)
    print(f"  stages at {len(clauses[0])} clauses, both files (CPU, best of {runs}): read {t_read:.0f} ms, "
          f"segment {t_seg:.0f} ms, departments {t_dept:.0f} ms; normalise the amended policy's "
          f"{len(sentences):,} sentences {t_norm:.0f} ms")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
