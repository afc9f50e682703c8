"""The short cuts taken for speed give what the long way gives, on real policies: the
template share found without a closest clause for unmatched clauses, and the normal forms
of a policy normalised right after another that shares most of its sentences."""

from __future__ import annotations

from pathlib import Path

import pytest

from policy_redline.align import Aligner, _normalize_many, recognise
from policy_redline.compare import recognised
from policy_redline.ingest import read_policy
from policy_redline.models import templates
from policy_redline.normalize import normalize
from policy_redline.segment import segment

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"

POLICIES = [
    CORPUS / "benton-county-wa_413-immigration-violations.txt",  # built from Lexipol
    CORPUS / "csu-slo_428-immigration-violations.txt",
    CORPUS / "ar-washington-county-sheriff_287g-moa-2009.txt",  # a 287(g) agreement
    CORPUS / "boston-ma_trust-act-2014.txt",  # an ordinance of its own words
    ROOT / "policies" / "chicopee-413.docx",
    ROOT / "policies" / "bedford.pdf",
]


@pytest.mark.parametrize("path", POLICIES, ids=lambda p: p.name)
def test_template_share_without_closest_clauses_is_the_same(path: Path) -> None:
    # The long way, as `analyze` takes it: every edition aligned whole, closest clauses and all.
    clauses = segment(read_policy(path))
    full = Aligner(clauses, ("Springfield",))
    share = recognise(clauses, {m.id: full.matches(m) for m in templates()}, templates(), full)
    assert recognised(clauses, Aligner(clauses, ("Springfield",))) == share
    assert recognised(clauses, full) == share  # with the full aligner's results at hand


def test_a_second_version_normalises_as_if_alone() -> None:
    """Decatur's two versions share most sentences: the second is normalised from the
    first's forms where they are the same, and every form is `normalize`'s own."""
    first, second = (
        [s for c in segment(read_policy(CORPUS / name)) for s in c.sentences]
        for name in ("decatur-al_426-immigration-procedures-sept2019.txt", "decatur-al_426-immigration-procedures-final.txt")
    )
    assert set(first) & set(second)
    towns = ("Decatur",)
    assert _normalize_many(first, towns) == [normalize(s, towns) for s in first]
    assert _normalize_many(second, towns) == [normalize(s, towns) for s in second]
    assert _normalize_many(second, ()) == [normalize(s) for s in second]  # other towns: nothing reused


def test_an_aligner_of_some_clauses_matches_as_a_new_one() -> None:
    """The editions of a family are aligned with the clauses the family matches, their normal
    forms taken from the whole policy's: the same matches as aligning those clauses alone."""
    from policy_redline.models import load_models

    clauses = segment(read_policy(CORPUS / "csu-slo_428-immigration-violations.txt"))
    rows = list(range(0, len(clauses), 2))
    assert len(rows) >= 3
    whole = Aligner(clauses, ("San Luis Obispo",))
    for model in load_models():
        alone = Aligner([clauses[i] for i in rows], ("San Luis Obispo",)).matches(model)
        assert whole.subset(rows).matches(model) == alone
        unclosest = Aligner(clauses, ("San Luis Obispo",), closest=False)
        assert unclosest.subset(rows).matches(model) == [
            m if m.kind != "none" else type(m)(m.clause, m.model, "", 0.0, "none") for m in alone]
