"""Clause alignment and boilerplate detection, measured on the evaluation set (tests/eval/):
edited copies of the Lexipol template with gold alignments, and negative controls.

The floors are the issue's: F1 >= 0.95 overall, boilerplate-share absolute error <= 0.05 on
every edited copy, share <= 0.05 on every negative control. `bench/eval_alignment.py`
prints the same figures per edit type.
"""

from __future__ import annotations

import pytest

from policy_redline.align import Match, align, align_model, best_matches, boilerplate
from policy_redline.document import Block, Document
from policy_redline.models import load_models, template
from policy_redline.segment import Clause, clause_sentences, segment
from tests.eval.generate import EDITS, all_cases, edited_case
from tests.eval.score import prf, run_case, summarise


@pytest.fixture(scope="module")
def summary():
    return summarise([run_case(c) for c in all_cases()])


def test_overall_f1_floor(summary) -> None:
    p, r, f = summary.overall
    assert f >= 0.95, summary.per_edit


@pytest.mark.parametrize("edit", EDITS)
def test_each_edit_type_aligns(summary, edit: str) -> None:
    p, r, f, err = summary.per_edit[edit]
    assert f >= 0.9, (edit, p, r, f)


def test_share_error_on_edited_copies(summary) -> None:
    bad = [(r.case.name, round(r.share, 3), round(r.case.share, 3)) for r in summary.results
           if not r.case.negative and abs(r.share - r.case.share) > 0.05]
    assert not bad


def test_negative_controls(summary) -> None:
    assert set(summary.negatives) == {"model-policy", "bedford", "vehicle-pursuit", "body-worn-cameras"}
    for name, share in summary.negatives.items():
        assert share <= 0.05, (name, share)


def test_evaluation_set_is_deterministic() -> None:
    a, b = edited_case("combined", 2), edited_case("combined", 2)
    assert a.document == b.document and a.gold == b.gold and a.share == b.share


def test_scoring_counts_pairs() -> None:
    assert prf(9, 1, 0) == (0.9, 1.0, pytest.approx(2 * 0.9 / 1.9))


# --- behaviours, one at a time -------------------------------------------------------------------


def _clause(number: str, text: str) -> Clause:
    return Clause(number, "", text, 0, 0, clause_sentences(text))


def _t(number: str) -> str:
    return next(mc.text for mc in template().clauses if mc.number == number)


@pytest.mark.parametrize("name", ["the Chicopee Police Department", "this department", "the Department", "the Town of Agawam Police Department"])
def test_department_names_are_the_same_words(name: str) -> None:
    text = _t("413.1").replace("the Department", name)
    m = align_model([_clause("415.1", text)], template(), ("Chicopee",))[0]
    assert (m.model_clause, m.kind) == ("413.1", "verbatim")


def test_merge_names_both_template_clauses() -> None:
    m = align_model([_clause("1", _t("413.1") + "\n" + _t("413.2"))], template())[0]
    assert m.kind != "none" and {m.model_clause, *m.also} == {"413.1", "413.2"}
    assert m.coverage == pytest.approx(1.0)


def test_split_points_both_halves_at_one_clause() -> None:
    paras = _t("413.4").split("\n")
    ms = align_model([_clause("4", "\n".join(paras[:2])), _clause("4.9", "\n".join(paras[2:]))], template())
    assert [(m.model_clause, m.kind != "none") for m in ms] == [("413.4", True), ("413.4", True)]


def test_template_sentence_inside_a_longer_local_paragraph() -> None:
    sentence = _t("413.6.1").split(". ")[0] + "."
    local = ("Officers of the Springfield Police Department shall always remember that, as the Chief has told the "
             "City Council in writing, " + sentence[0].lower() + sentence[1:-1] + ", and they shall log each such case.")
    m = align_model([_clause("9", local + " The shift commander reviews the log weekly.")], template())[0]
    assert m.model_clause == "413.6.1" and m.kind == "partial"
    assert 0.3 < m.coverage < 1.0


def test_unrelated_clause_is_none() -> None:
    text = "Officers shall inspect the cruiser at the start of each shift and report defects to the fleet manager."
    assert align_model([_clause("1", text)], template())[0].kind == "none"


def test_share_counts_only_template_sentences() -> None:
    local = "Interpreters shall be requested through the language line whenever a person has limited English proficiency."
    clauses = [_clause("1", _t("413.3") + " " + local)]
    ms = align_model(clauses, template())
    bp = boilerplate(clauses, ms, template())
    template_words = len(_t("413.3").split())
    assert bp.share == pytest.approx(template_words / (template_words + len(local.split())), abs=0.01)


def test_align_matches_align_model_and_best_matches() -> None:
    doc = edited_case("combined", 3).document
    clauses = segment(doc)
    models = load_models()
    per = align(clauses, models, ("Agawam",))
    for m in models:
        assert per[m.id] == align_model(clauses, m, ("Agawam",))
    best = best_matches(per)
    assert len(best) == len(clauses) and all(isinstance(b, Match) for b in best)


def test_empty_inputs() -> None:
    assert align_model([], template()) == []
    assert align([], load_models()) == {m.id: [] for m in load_models()}
    doc = Document("<x>", "", (Block("§§§ odd separator text §§ here."),))
    clauses = segment(doc)
    assert len(align_model(clauses, template())) == len(clauses)
