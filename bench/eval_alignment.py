"""Clause-alignment precision, recall and F1 and boilerplate-share error on the evaluation set.

    PYTHONPATH=cli python bench/eval_alignment.py [--verbose]

The evaluation set (tests/eval/) is generated from the Lexipol template with gold answers:
renamed, renumbered, reordered, split, merged, locally extended, trimmed, PDF-wrapped and
OCR-noised copies, plus negative controls that share no clause with the template.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for extra in (ROOT, ROOT / "cli"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

from tests.eval.generate import all_cases  # noqa: E402
from tests.eval.score import run_case, summarise  # noqa: E402


def main(argv: list[str]) -> int:
    verbose = "--verbose" in argv or "-v" in argv
    results = [run_case(c) for c in all_cases()]
    s = summarise(results)
    print(f"{'edit':<10} {'P':>6} {'R':>6} {'F1':>6} {'share err (max)':>16}")
    for edit, (p, r, f, err) in s.per_edit.items():
        print(f"{edit:<10} {p:6.3f} {r:6.3f} {f:6.3f} {err:16.3f}")
    p, r, f = s.overall
    print(f"{'overall':<10} {p:6.3f} {r:6.3f} {f:6.3f} {s.share_error_max:16.3f}   (mean share error {s.share_error_mean:.3f})")
    print("negative controls (boilerplate share, false clause matches):")
    for name, share in s.negatives.items():
        print(f"  {name:<20} share {share:.3f}   false matches {s.negative_false_matches[name]}")
    if verbose:
        for res in results:
            bad = [
                (n, sorted(res.case.gold.get(n, ())), sorted(pred))
                for n, pred in res.predicted.items()
                if pred != res.case.gold.get(n, frozenset())
            ]
            if bad or res.missing or abs(res.share - res.case.share) > 0.03:
                print(f"- {res.case.name}: share {res.share:.3f} (true {res.case.share:.3f}); missing {list(res.missing)}")
                for n, g, pr in bad:
                    print(f"    {n}: gold {g} predicted {pr}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
