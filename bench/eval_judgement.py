"""How often the seven answers agree with a careful reading of real policies.

Over the labelled corpus in `tests/corpus/` (see `bench/corpus.py`), prints: agreement over
every labelled verdict, over red and green labels only, and per question; wrong colours (red
where the reading is green or the reverse, or any colour where the reading is silent); the
share of answers that are `unclear`; and every miss with the label's quote beside the tool's
evidence, so each disagreement can be read and argued with.

    .venv/bin/python bench/eval_judgement.py [--quiet] [FOLDER]

FOLDER defaults to tests/corpus (the development corpus the judge was tuned on);
tests/heldout holds texts gathered and labelled after the judge was written, and never
used to tune it.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import QUESTIONS, document, load  # noqa: E402

from policy_redline.analysis import analyze_document  # noqa: E402
from policy_redline.errors import InputError  # noqa: E402


def main(argv: list[str]) -> int:
    quiet = "--quiet" in argv
    folders = [a for a in argv if not a.startswith("--")]
    texts = load(Path(folders[0]).resolve()) if folders else load()
    labelled = [t for t in texts if t.verdicts]
    total = agree = 0
    colour_total = colour_agree = 0
    wrong_colour = 0
    unclear = 0
    answers = 0
    per_q: dict[str, list[int]] = {q: [0, 0] for q in QUESTIONS}
    misses = []
    confusion: Counter[tuple[str, str]] = Counter()
    refused: list[str] = []
    for t in texts:
        try:
            doc = document(t)
        except InputError as exc:
            # what a user sees: a one-line error; a labelled verdict it costs is a miss
            refused.append(f"{t.name}: {exc.reason}")
            for q, want in t.verdicts.items():
                total += 1
                per_q[q][1] += 1
                misses.append((t.name, q, want, "refused", t.quotes.get(q, ""), exc.reason))
            continue
        card = analyze_document(doc).scorecard
        for f in card.findings:
            answers += 1
            unclear += f.verdict == "unclear"
        for q, want in t.verdicts.items():
            got = card.verdict(q)
            total += 1
            per_q[q][1] += 1
            confusion[(want, got)] += 1
            ok = got == want
            agree += ok
            per_q[q][0] += ok
            if want in ("red", "green"):
                colour_total += 1
                colour_agree += ok
            if got in ("red", "green") and got != want and want in ("red", "green", "silent"):
                wrong_colour += 1
            if not ok:
                ev = card.finding(q).evidence
                misses.append((t.name, q, want, got, t.quotes.get(q, ""), ev[0].text if ev else ""))
    print(f"corpus: {len(texts)} texts, {len(labelled)} with labels, {total} labelled verdicts")
    for line in refused:
        print(f"refused (the one-line error a user sees): {line}")
    if total:
        print(f"agreement, all labelled verdicts: {agree}/{total} = {agree / total:.3f}")
    if colour_total:
        print(f"agreement, red and green labels:  {colour_agree}/{colour_total} = {colour_agree / colour_total:.3f}")
    if total:
        print(f"wrong colours: {wrong_colour}/{total} = {wrong_colour / total:.3f}")
    if answers:
        print(f"unclear answers: {unclear}/{answers} = {unclear / answers:.3f} (all seven answers of every text)")
    print("per question:")
    for q in QUESTIONS:
        a, n = per_q[q]
        print(f"  {q:16s} {a:3d}/{n:<3d} {a / n if n else float('nan'):.3f}")
    print("label -> tool:", ", ".join(f"{w}->{g}: {n}" for (w, g), n in sorted(confusion.items())))
    if not quiet and misses:
        print(f"\nmisses ({len(misses)}):")
        for name, q, want, got, quote, ev in misses:
            print(f"- {name} {q}: label {want}, tool {got}")
            if quote:
                print(f"    label: {quote[:300]}")
            if ev:
                print(f"    tool:  {ev[:300]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
