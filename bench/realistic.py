"""Realistic policies of any size for the benchmarks: distinct sentences drawn from the
development corpus (tests/corpus/) and the bundled models, not a few sentences repeated.

    policy_pair(n_clauses, seed) -> (original, amended)   # lists of (number, heading, body)

A repeated sentence hides the cost of comparing every sentence with every other (equal
texts are scored once), so each sentence of a generated policy is used once. The pool is
every sentence of the corpus and the models, deduplicated; past it, sentences are made by
joining the first half of one pool sentence to the second half of another (still distinct,
still policy vocabulary). The amended side edits about 10 % of the clauses as a town's next
version would: a few words changed, a sentence rewritten or added, an occasional clause
dropped.
"""

from __future__ import annotations

import functools
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "cli") not in sys.path:
    sys.path.insert(0, str(ROOT / "cli"))

TITLES = (
    "PURPOSE AND SCOPE", "POLICY", "DEFINITIONS", "IMMIGRATION INQUIRIES PROHIBITED", "DETENTIONS",
    "ARREST NOTIFICATION TO IMMIGRATION AND CUSTOMS ENFORCEMENT", "ICE REQUEST FOR ASSISTANCE",
    "INFORMATION SHARING", "U VISA AND T VISA NONIMMIGRANT STATUS", "TRAINING", "RECORDS",
)

EDITS = (
    ("may", "shall not"), ("shall", "may"), ("federal immigration", "federal civil immigration"),
    ("officer", "member"), ("Department", "Police Department"), ("will", "shall"), ("not", "never"),
)


@functools.lru_cache(maxsize=1)
def sentence_pool() -> tuple[str, ...]:
    """Every distinct sentence (6 to 40 words) of the corpus and the models, in file order."""
    from policy_redline.segment import clause_sentences

    texts: list[str] = []
    for path in sorted((ROOT / "tests" / "corpus").glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        texts.append(raw.split("\n\n", 1)[1] if "\n\n" in raw else raw)  # past the header lines
    for path in sorted((ROOT / "models").glob("*.md")):
        if path.name.lower() not in ("readme.md", "rubric.md", "provisions.md"):  # data, not policies
            texts.append(path.read_text(encoding="utf-8"))
    seen: set[str] = set()
    out: list[str] = []
    for text in texts:
        # paragraphs (their lines are often wrapped), and lines (a list item per line)
        for line in [" ".join(p.split()) for p in text.split("\n\n")] + [x.strip() for x in text.split("\n")]:
            if not line or line.startswith(("|", "#")):
                continue
            for s in clause_sentences(line):
                s = " ".join(s.split())
                words = len(s.split())
                key = re.sub(r"\W+", " ", s.lower()).strip()
                if 6 <= words <= 40 and key not in seen and re.search(r"[a-z]{3}", s):
                    seen.add(key)
                    out.append(s)
    return tuple(out)


def _sentences(rnd: random.Random):
    """Distinct sentences: the pool shuffled, then spliced pairs of pool sentences."""
    pool = list(sentence_pool())
    rnd.shuffle(pool)
    yield from pool
    seen: set[str] = set(pool)
    while True:
        a, b = rnd.choice(pool).split(), rnd.choice(pool).split()
        s = " ".join(a[: len(a) // 2] + b[len(b) // 2:])
        if s not in seen:
            seen.add(s)
            yield s


def policy_pair(n_clauses: int, seed: int = 11) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    """(number, heading, body) clauses of an original policy and its amended version."""
    rnd = random.Random(seed)
    source = _sentences(random.Random(seed + 1))
    original: list[tuple[str, str, str]] = []
    amended: list[tuple[str, str, str]] = []
    for k in range(n_clauses):
        number = f"{413 + k // 20}.{k % 20 + 1}"
        heading = TITLES[k % len(TITLES)]
        body = " ".join(next(source) for _ in range(rnd.randint(1, 2)))
        original.append((number, heading, body))
        roll = rnd.random()
        if roll < 0.01:  # clause dropped
            continue
        if roll < 0.10:  # clause edited
            new = body
            for old, repl in rnd.sample(EDITS, 2):
                new = new.replace(f" {old} ", f" {repl} ", 1)
            if roll < 0.03:
                new += " " + next(source)
            amended.append((number, heading, new))
        else:
            amended.append((number, heading, body))
    return original, amended


def as_text(clauses: list[tuple[str, str, str]]) -> str:
    """One numbered paragraph per clause, "413.4 Text ..." (a reader takes at most 5,000
    paragraphs, so a 5,000-clause policy cannot spend a second one on a heading, and a
    heading repeated in every clause's text would be the repeated sentence this avoids)."""
    return "".join(f"{n} {b}\n\n" for n, _, b in clauses)


def write_docx(clauses: list[tuple[str, str, str]], path: Path) -> None:
    import docx

    d = docx.Document()
    for number, heading, body in clauses:
        d.add_paragraph(f"{number} {body}")
    d.save(str(path))


def run_measured(cmd: list[str], env: dict[str, str] | None = None, timeout: float = 900) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak resident MB) of one child process, from its own
    resource usage (`os.wait4`), not the maximum over every child so far."""
    import os
    import subprocess
    import time

    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    if proc.returncode != 0:
        raise subprocess.CalledProcessError(proc.returncode, cmd, stderr=err)
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024
