"""Time .docx redlining: ours against python-redlines (Docxodus), on a 40- and a 1,000-clause policy.

    PYTHONPATH=cli python bench/bench_redline.py [--runs N] [--keep DIR]

For each size it writes an original and an amended policy as .docx (realistic policy
sentences; about 10% of clauses edited -- words swapped, a sentence rewritten, an occasional
clause dropped or added) and times, best of N after one warm-up:

  redline, in-process    the paragraphs of both .docx already read: pair them, diff each pair
                         word by word and write the .docx redline (python-redlines' in-process
                         figure likewise starts from two files it has not parsed, so this
                         is the narrower measure; the next two lines are the wider ones)
  ours, in-process       read both .docx with python-docx, pair paragraphs, diff, write redline
  compare, in-process    `compare(A, B)` + `to_docx` -- everything `redline compare` does but
                         interpreter start and imports (reading, segmenting, aligning clauses)
  ours, whole process    the same in a fresh `python -c` (interpreter + imports included)
  redline CLI            `redline compare A.docx --against B.docx --format docx -o out.docx`
                         (the `redline` executable if on PATH, else the same entry point via
                         `python -c`, else it says it skipped)
  python-redlines        DocxodusEngine.run_redline in-process (it runs a .NET binary), and
                         as a whole `python -c` process; skipped with a clear line if the
                         package or its engine cannot be used here
                         (pip install "python-redlines[docxodus]")

Every figure is the best of N wall-clock times, with the CPU time of that run next to it
(process time in-process; user+sys of the child for whole processes). On a busy machine
wall time suffers and CPU time much less; ratios are of wall times measured in one run.
Child processes get a private bytecode cache (PYTHONPYCACHEPREFIX, written during the
warm-up) even when PYTHONDONTWRITEBYTECODE is set, as an installed package has .pyc files.

Prints figures and ratios; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "cli") not in sys.path:
    sys.path.insert(0, str(ROOT / "cli"))

import docx  # noqa: E402

from policy_redline.redline import Redline, RedlineParagraph, pair_paragraphs  # noqa: E402
from policy_redline.writers.docx_redline import redline_to_docx  # noqa: E402

TITLES = (
    "PURPOSE AND SCOPE", "POLICY", "DEFINITIONS", "IMMIGRATION INQUIRIES PROHIBITED", "DETENTIONS",
    "ARREST NOTIFICATION TO IMMIGRATION AND CUSTOMS ENFORCEMENT", "ICE REQUEST FOR ASSISTANCE",
    "INFORMATION SHARING", "U VISA AND T VISA NONIMMIGRANT STATUS", "TRAINING", "RECORDS",
)

SENTENCES = (
    "An officer who has a reasonable suspicion that an individual already lawfully contacted or detained has committed a criminal violation of federal immigration law may detain the person for a reasonable period of time in order to contact federal immigration officials.",
    "Officers should not attempt to determine the immigration status of crime victims and witnesses or take enforcement action against them absent exigent circumstances or reasonable cause to believe that a crime victim or witness is involved in violating criminal laws.",
    "If a specific request is made by ICE or any other federal agency, this department will provide available support services, such as traffic control or peacekeeping efforts.",
    "Generally, an officer will not need to notify ICE when booking arrestees at the jail.",
    "Members of this department will not participate in ICE organized sweeps to locate and detain undocumented immigrants.",
    "It is the policy of this department that all members make personal and professional commitments to equal enforcement of the law and equal service to the public.",
    "The disposition of each contact, including a failure to detain the person, shall be reasonable and justified by the facts known to the officer at the time.",
    "Nothing in this policy is intended to restrict officers from exchanging legitimate law enforcement information with any other federal, state or local government entity.",
    "Members shall complete department-approved training on this policy within ninety days of its adoption and annually thereafter.",
    "The Records Supervisor shall ensure that requests for information from federal immigration authorities are logged and reviewed by the Chief of Police.",
)

EDITS = (
    ("may detain", "shall not detain"),
    ("will provide available support services", "will not provide support services"),
    ("federal immigration law", "federal civil immigration law"),
    ("Generally, an officer will not need to", "An officer shall not"),
    ("ICE organized sweeps", "ICE operations or sweeps"),
    ("should not attempt", "shall not attempt"),
    ("within ninety days", "within thirty days"),
)

NEW_CLAUSE = (
    "No officer shall arrest or detain a person solely on the basis of a civil immigration detainer, "
    "consistent with Lunn v. Commonwealth, 477 Mass. 517 (2017)."
)


def build_pair(n_clauses: int, seed: int = 11) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(style, text) paragraphs of an original and an amended policy with ~10% clauses edited."""
    rnd = random.Random(seed)
    original: list[tuple[str, str]] = []
    amended: list[tuple[str, str]] = []
    for k in range(n_clauses):
        number = f"{413 + k // 20}.{k % 20 + 1}"
        heading = ("Heading 2", f"{number} {TITLES[k % len(TITLES)]}")
        body = [("Normal", " ".join(rnd.sample(SENTENCES, rnd.randint(2, 3)))) for _ in range(rnd.randint(1, 2))]
        original.append(heading)
        original.extend(body)
        roll = rnd.random()
        if roll < 0.01:  # clause dropped
            continue
        amended.append(heading)
        if roll < 0.10:  # clause edited
            new_body = []
            for style, text in body:
                for old, new in rnd.sample(EDITS, 3):
                    text = text.replace(old, new)
                new_body.append((style, text))
            if roll < 0.03:
                new_body.append(("Normal", NEW_CLAUSE))
            amended.extend(new_body)
        else:
            amended.extend(body)
    return original, amended


def write_docx(paragraphs: list[tuple[str, str]], path: Path) -> None:
    d = docx.Document()
    for style, text in paragraphs:
        d.add_paragraph(text, style=style)
    d.save(str(path))


def _read(path: Path) -> list[tuple[str, str, int]]:
    """(text, kind, level) per paragraph.  Style names are resolved from style ids through one
    table per document: python-docx's `paragraph.style` scans every style per call."""
    document = docx.Document(str(path))
    names = {s.style_id: s.name for s in document.styles}
    out = []
    for p in document.paragraphs:
        ppr = p._p.pPr
        style_id = ppr.style if ppr is not None else None
        style = names.get(style_id, "") if style_id else ""
        if style.startswith("Heading"):
            level = int(style.split()[-1]) if style.split()[-1].isdigit() else 1
            out.append((p.text, "heading", level))
        elif style.startswith("List"):
            out.append((p.text, "list_item", 0))
        else:
            out.append((p.text, "paragraph", 0))
    return out


def ours(original: Path, amended: Path, out: Path) -> int:
    """The in-process pipeline; returns the number of changed paragraphs."""
    a, b = _read(original), _read(amended)
    paras = []
    for i, j in pair_paragraphs([t for t, _, _ in a], [t for t, _, _ in b]):
        src = a[i] if i is not None else b[j]
        paras.append(
            RedlineParagraph(
                a[i][0] if i is not None else "",
                b[j][0] if j is not None else "",
                kind=src[1],
                level=src[2],
            )
        )
    out.write_bytes(redline_to_docx(Redline(title=original.stem, paragraphs=tuple(paras))))
    return sum(p.changed for p in paras)


def best_of(fn, runs: int) -> tuple[float, float]:
    """(best wall time, CPU time of that run): this process's and its children's."""
    fn()  # warm-up
    times = []
    for _ in range(runs):
        c0, k0 = time.process_time(), _children_cpu()
        start = time.perf_counter()
        fn()
        wall = time.perf_counter() - start
        times.append((wall, time.process_time() - c0 + _children_cpu() - k0))
    return min(times)


def _children_cpu() -> float:
    import resource

    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def redline_only(a: list[tuple[str, str, int]], b: list[tuple[str, str, int]], title: str) -> bytes:
    """Pair already-read paragraphs, diff them and write the .docx redline."""
    paras = []
    for i, j in pair_paragraphs([t for t, _, _ in a], [t for t, _, _ in b]):
        src = a[i] if i is not None else b[j]
        paras.append(RedlineParagraph(a[i][0] if i is not None else "", b[j][0] if j is not None else "",
                                      kind=src[1], level=src[2]))
    return redline_to_docx(Redline(title=title, paragraphs=tuple(paras)))


def compare_in_process(a: Path, b: Path) -> bytes:
    from policy_redline.compare import compare, to_docx

    return to_docx(compare(str(a), str(b)))


def run_process(cmd: list[str], env: dict[str, str] | None = None) -> None:
    subprocess.run(cmd, check=True, capture_output=True, env=env, timeout=900)


OURS_SCRIPT = """
import sys
from pathlib import Path
sys.path.insert(0, {bench!r})
from bench_redline import ours
ours(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
"""

PYREDLINES_SCRIPT = """
import sys
from pathlib import Path
from python_redlines import DocxodusEngine
out, _, _ = DocxodusEngine().run_redline("bench", sys.argv[1], sys.argv[2])
Path(sys.argv[3]).write_bytes(out)
"""


def fmt(t: tuple[float, float] | None) -> str:
    return "   skipped" if t is None else f"{t[0] * 1000:9.1f} ms wall {t[1] * 1000:9.1f} ms CPU"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="keep the generated .docx files in this folder")
    args = parser.parse_args()

    env = dict(os.environ, PYTHONPATH=str(ROOT / "cli") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    pycache = tempfile.TemporaryDirectory()
    env["PYTHONPYCACHEPREFIX"] = pycache.name
    redline_cli = shutil.which("redline") or (
        str(Path(sys.executable).parent / "redline") if (Path(sys.executable).parent / "redline").exists() else None
    )

    engine = None
    engine_note = ""
    try:
        from python_redlines import DocxodusEngine

        engine = DocxodusEngine()
    except Exception as exc:  # ImportError, missing binary, extraction failure
        engine_note = f"python-redlines unavailable ({type(exc).__name__}: {exc}); timing ours only"

    print(f"python {sys.version.split()[0]}, best of {args.runs} after one warm-up; {os.cpu_count()} CPUs, "
          f"load average {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if engine_note:
        print(engine_note)
    cli_cmd: list[str] | None = [redline_cli] if redline_cli else None
    if not redline_cli:
        try:
            import policy_redline.cli  # noqa: F401
        except Exception:
            print("redline CLI: not on PATH and policy_redline.cli not importable -- skipped")
        else:
            cli_cmd = [sys.executable, "-c", "import sys; from policy_redline.cli import main; main()"]
            print("redline CLI: not on PATH -- timing the same entry point as "
                  "`python -c 'from policy_redline.cli import main; main()'` instead")

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = args.keep or Path(tmp_name)
        tmp.mkdir(parents=True, exist_ok=True)
        for n in (40, 1000):
            orig_paras, amend_paras = build_pair(n)
            a, b = tmp / f"policy-{n}-original.docx", tmp / f"policy-{n}-amended.docx"
            write_docx(orig_paras, a)
            write_docx(amend_paras, b)
            out = tmp / f"redline-{n}.docx"
            changed = ours(a, b, out)
            words = sum(len(t.split()) for _, t in orig_paras)
            print(f"\n== {n} clauses: {len(orig_paras)} -> {len(amend_paras)} paragraphs, {words} words, "
                  f"{changed} paragraphs changed")

            pa, pb = _read(a), _read(b)
            t_redline = best_of(lambda: redline_only(pa, pb, a.stem), args.runs)
            t_ours = best_of(lambda: ours(a, b, out), args.runs)
            t_compare = best_of(lambda: compare_in_process(a, b), args.runs)
            script = OURS_SCRIPT.format(bench=str(ROOT / "bench"))
            t_ours_proc = best_of(lambda: run_process([sys.executable, "-c", script, str(a), str(b), str(out)], env), args.runs)
            t_cli = None
            if cli_cmd:
                cli_out = tmp / f"redline-cli-{n}.docx"
                try:
                    def run_cli() -> None:
                        cli_out.unlink(missing_ok=True)  # the CLI will not overwrite without --force
                        run_process([*cli_cmd, "compare", str(a), "--against", str(b),
                                     "--format", "docx", "-o", str(cli_out)], env)

                    t_cli = best_of(run_cli, args.runs)
                except subprocess.CalledProcessError as exc:
                    print(f"redline CLI failed (exit {exc.returncode}): {exc.stderr.decode(errors='replace').strip()[:300]}")
            t_pr = t_pr_proc = None
            if engine is not None:
                pr_out = tmp / f"python-redlines-{n}.docx"
                try:
                    t_pr = best_of(lambda: pr_out.write_bytes(engine.run_redline("bench", str(a), str(b))[0]), args.runs)
                    t_pr_proc = best_of(
                        lambda: run_process([sys.executable, "-c", PYREDLINES_SCRIPT, str(a), str(b), str(pr_out)]), args.runs
                    )
                except Exception as exc:
                    print(f"python-redlines failed here ({type(exc).__name__}: {str(exc)[:300]})")

            print(f"redline, in-process         {fmt(t_redline)}   (pair + diff + write, paragraphs already read)")
            print(f"ours, in-process            {fmt(t_ours)}   (read both .docx + the above)")
            print(f"compare, in-process         {fmt(t_compare)}   (compare() + to_docx: read, segment, align, diff, write)")
            print(f"ours, whole process         {fmt(t_ours_proc)}")
            print(f"redline CLI, whole process  {fmt(t_cli)}")
            print(f"python-redlines, in-process {fmt(t_pr)}")
            print(f"python-redlines, process    {fmt(t_pr_proc)}")
            if t_pr:
                print(f"ratio python-redlines / ours, in-process:   {t_pr[0] / t_ours[0]:6.1f}x wall")
                print(f"ratio python-redlines / compare, in-process: {t_pr[0] / t_compare[0]:6.1f}x wall")
            if t_pr_proc:
                print(f"ratio python-redlines / ours, whole process: {t_pr_proc[0] / t_ours_proc[0]:6.1f}x wall, "
                      f"{t_pr_proc[1] / t_ours_proc[1]:.1f}x CPU")
                if t_cli:
                    print(f"ratio python-redlines / redline CLI:         {t_pr_proc[0] / t_cli[0]:6.1f}x wall, "
                          f"{t_pr_proc[1] / t_cli[1]:.1f}x CPU")


if __name__ == "__main__":
    main()
