"""Score clause alignment against the gold answers of the evaluation set.

A clause's prediction is the set {model_clause} + `also` of its template match (empty when
the kind is `none`). Scoring is over (clause, template clause) pairs, so a merged clause
must name both template clauses it covers to get full recall:

    precision = correct pairs / predicted pairs, recall = correct pairs / gold pairs.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from policy_redline.align import align_model, boilerplate
from policy_redline.models import get_model, template
from policy_redline.normalize import guess_department, town_of
from policy_redline.segment import segment

from .generate import Case


@dataclass
class Result:
    case: Case
    predicted: dict[str, frozenset[str]]
    share: float
    tp: int
    fp: int
    fn: int
    missing: tuple[str, ...]  # gold clauses the segmenter did not produce


def run_case(case: Case) -> Result:
    tmpl = get_model(case.template) if case.template else template()
    clauses = segment(case.document)
    dept = guess_department(case.document.text)
    towns = (town_of(dept),) if dept else ()
    matches = align_model(clauses, tmpl, towns)
    bp = boilerplate(clauses, matches, tmpl)
    predicted = {
        m.clause: frozenset((m.model_clause, *m.also)) if m.kind != "none" else frozenset() for m in matches
    }
    tp = fp = fn = 0
    for number, pred in predicted.items():
        gold = case.gold.get(number, frozenset())
        tp += len(pred & gold)
        fp += len(pred - gold)
    for number, gold in case.gold.items():
        fn += len(gold - predicted.get(number, frozenset()))
    missing = tuple(n for n in case.gold if n not in predicted)
    return Result(case, predicted, bp.share, tp, fp, fn, missing)


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


@dataclass
class Summary:
    per_edit: dict[str, tuple[float, float, float, float]]  # edit -> P, R, F1, max share error
    overall: tuple[float, float, float]
    share_error_mean: float
    share_error_max: float
    negatives: dict[str, float]  # name -> share
    negative_false_matches: dict[str, int]
    results: list[Result]


def summarise(results: list[Result]) -> Summary:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    errors: dict[str, list[float]] = defaultdict(list)
    total = [0, 0, 0]
    negatives, neg_fp = {}, {}
    for r in results:
        if r.case.negative:
            negatives[r.case.name] = r.share
            neg_fp[r.case.name] = r.fp
            continue
        c = counts[r.case.edit]
        for k, v in enumerate((r.tp, r.fp, r.fn)):
            c[k] += v
            total[k] += v
        errors[r.case.edit].append(abs(r.share - r.case.share))
    per_edit = {e: (*prf(*c), max(errors[e])) for e, c in counts.items()}
    all_errors = [x for v in errors.values() for x in v]
    return Summary(
        per_edit,
        prf(*total),
        sum(all_errors) / len(all_errors) if all_errors else 0.0,
        max(all_errors) if all_errors else 0.0,
        negatives,
        neg_fp,
        results,
    )
