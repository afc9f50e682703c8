"""Align a policy's clauses with the clauses of model policies and templates.

Departments rarely paste the Lexipol template untouched: they rename the department,
renumber (413, 415, 428), reorder, merge and split paragraphs and add local sentences. So
alignment works at two grains at once, in explainable passes:

1. sentences: every policy sentence is scored against every model sentence (one
   `rapidfuzz.process.cdist` matrix, not Python loops) on the normal form of
   `normalize.normalize`; a sentence also counts as matched when a model sentence sits
   inside it nearly verbatim (a template sentence inside a longer local sentence);
2. clauses: from the sentence matches, how much of the policy clause is model text and how
   much of the model clause the policy kept, plus the similarity of the whole clauses.

A clause that covers two template clauses (a merge) names the second in `also`; two
clauses that split one template clause both point at it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Literal

import numpy as np
from rapidfuzz import fuzz, process

from .models import Model, ModelClause
from .normalize import normalize
from .segment import Clause

Kind = Literal["verbatim", "near", "partial", "none"]
KIND_RANK = {"verbatim": 3, "near": 2, "partial": 1, "none": 0}

#: Two sentences are the same sentence, edited, at or above this `fuzz.ratio`.
SENTENCE_MATCH = 80.0
#: A model sentence of at least this many characters found inside a longer policy sentence
#: with `fuzz.partial_ratio` at or above CONTAINED_MATCH counts as contained in it.
CONTAINED_MIN_CHARS = 40
CONTAINED_MATCH = 90.0
#: Whole-clause similarity for the two strongest kinds.
VERBATIM = 97.0
NEAR = 85.0
#: Share of both clauses covered by matched sentences for `near` when the wording moved.
NEAR_COVERAGE = 0.8
#: A `partial` match needs at least this many words of model text in the clause.
PARTIAL_MIN_WORDS = 6


@dataclass(frozen=True)
class Match:
    """The best model clause for one policy clause, and how it matches."""

    clause: str
    model: str
    model_clause: str
    score: float
    kind: Kind
    coverage: float = 0.0  # share of the policy clause's words that are model text
    model_coverage: float = 0.0  # share of the model clause's words the policy kept
    also: tuple[str, ...] = ()  # further model clauses this clause also covers (a merge)

    @property
    def ref(self) -> str:
        return f"{self.model}:{self.model_clause}" if self.model_clause else ""

    @property
    def matched(self) -> bool:
        return self.kind != "none"


@dataclass
class _Side:
    """Sentences of a set of clauses, flattened, with which clause each belongs to."""

    texts: list[str]
    owner: list[int]
    words: list[int]

    @classmethod
    def of(cls, clause_sentences: Iterable[tuple[str, ...]], towns: tuple[str, ...]) -> "_Side":
        texts, owner, words = [], [], []
        for i, sentences in enumerate(clause_sentences):
            for s in sentences:
                n = normalize(s, towns)
                if not n:
                    continue
                texts.append(n)
                owner.append(i)
                words.append(len(n.split()))
        return cls(texts, owner, words)


def _sentence_matches(policy: _Side, model: _Side) -> np.ndarray:
    """Boolean matrix: policy sentence i matches model sentence j."""
    if not policy.texts or not model.texts:
        return np.zeros((len(policy.texts), len(model.texts)), dtype=bool)
    ratio = process.cdist(policy.texts, model.texts, scorer=fuzz.ratio, score_cutoff=SENTENCE_MATCH, dtype=np.float32)
    matched = ratio >= SENTENCE_MATCH
    # Containment: only where the policy sentence is clearly longer than the model sentence.
    plen = np.array([len(t) for t in policy.texts])
    mlen = np.array([len(t) for t in model.texts])
    longer = (plen[:, None] > mlen[None, :] * 1.3) & (mlen[None, :] >= CONTAINED_MIN_CHARS)
    rows = np.where(longer.any(axis=1))[0]
    if len(rows):
        cols = np.where(longer[rows].any(axis=0))[0]
        part = process.cdist(
            [policy.texts[i] for i in rows],
            [model.texts[j] for j in cols],
            scorer=fuzz.partial_ratio,
            score_cutoff=CONTAINED_MATCH,
            dtype=np.float32,
        )
        contained = (part >= CONTAINED_MATCH) & longer[np.ix_(rows, cols)]
        matched[np.ix_(rows, cols)] |= contained
    return matched


def align_model(clauses: list[Clause], model: Model, towns: tuple[str, ...] = ()) -> list[Match]:
    """One `Match` per policy clause: its best clause of `model`."""
    if not clauses:
        return []
    mclauses = model.clauses
    pol = _Side.of((c.sentences for c in clauses), towns)
    mod = _Side.of((m.sentences for m in mclauses), towns)
    sent = _sentence_matches(pol, mod)

    n_p, n_m = len(clauses), len(mclauses)
    # Words of policy clause i (resp. model clause j) in sentences matched across the pair.
    p_cov = np.zeros((n_p, n_m))
    m_cov = np.zeros((n_p, n_m))
    pi, mj = np.nonzero(sent)
    seen_p: set[tuple[int, int]] = set()
    seen_m: set[tuple[int, int]] = set()
    for a, b in zip(pi.tolist(), mj.tolist()):
        ci, cj = pol.owner[a], mod.owner[b]
        if (a, cj) not in seen_p:
            seen_p.add((a, cj))
            # A contained model sentence covers only its own length of a longer sentence.
            p_cov[ci, cj] += min(pol.words[a], mod.words[b]) if pol.words[a] > mod.words[b] * 1.3 else pol.words[a]
        if (b, ci) not in seen_m:
            seen_m.add((b, ci))
            m_cov[ci, cj] += mod.words[b]
    p_words = np.zeros(n_p)
    m_words = np.zeros(n_m)
    for k, o in enumerate(pol.owner):
        p_words[o] += pol.words[k]
    for k, o in enumerate(mod.owner):
        m_words[o] += mod.words[k]
    p_frac = np.divide(p_cov, p_words[:, None], out=np.zeros_like(p_cov), where=p_words[:, None] > 0).clip(0, 1)
    m_frac = np.divide(m_cov, m_words[None, :], out=np.zeros_like(m_cov), where=m_words[None, :] > 0).clip(0, 1)

    whole = process.cdist(
        [normalize(c.text, towns) for c in clauses],
        [normalize(m.text, towns) for m in mclauses],
        scorer=fuzz.ratio,
        dtype=np.float32,
    )
    both = np.sqrt(p_frac * m_frac) * 100.0
    score = np.maximum(whole, both)

    out: list[Match] = []
    for i, clause in enumerate(clauses):
        kinds = [_kind(float(whole[i, j]), float(p_frac[i, j]), float(m_frac[i, j]), float(p_cov[i, j])) for j in range(n_m)]
        order = sorted(range(n_m), key=lambda j: (-KIND_RANK[kinds[j]], -float(score[i, j]), j))
        best = order[0]
        kind = kinds[best]
        if kind == "none":
            out.append(Match(clause.number, model.id, _ref(mclauses[best]), round(float(score[i, best]), 1), "none"))
            continue
        also = tuple(
            _ref(mclauses[j]) for j in order[1:] if kinds[j] != "none" and m_frac[i, j] >= 0.5
        )
        out.append(
            Match(
                clause=clause.number,
                model=model.id,
                model_clause=_ref(mclauses[best]),
                score=round(float(score[i, best]), 1),
                kind=kind,
                coverage=round(float(p_frac[i, best]), 3),
                model_coverage=round(float(m_frac[i, best]), 3),
                also=also,
            )
        )
    return out


def _kind(whole: float, p_frac: float, m_frac: float, p_words: float) -> Kind:
    if whole >= VERBATIM:
        return "verbatim"
    if whole >= NEAR or (p_frac >= NEAR_COVERAGE and m_frac >= NEAR_COVERAGE):
        return "near"
    if p_words >= PARTIAL_MIN_WORDS and (p_frac > 0 or m_frac > 0):
        return "partial"
    return "none"


def _ref(mc: ModelClause) -> str:
    return mc.number or mc.heading


def best_matches(per_model: dict[str, list[Match]]) -> list[Match]:
    """For each policy clause, its best match over all models (ties go to the model listed first)."""
    ids = list(per_model)
    if not ids:
        return []
    out = []
    for i in range(len(per_model[ids[0]])):
        candidates = [per_model[m][i] for m in ids]
        out.append(max(candidates, key=lambda m: (KIND_RANK[m.kind], m.score)))
    return out


def align(clauses: list[Clause], models: Iterable[Model], towns: tuple[str, ...] = ()) -> dict[str, list[Match]]:
    """Every clause against every model: `{model id: [Match per clause]}`."""
    return {m.id: align_model(clauses, m, towns) for m in models}


# --- boilerplate -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Boilerplate:
    """How much of a policy is a template's text.

    `share` counts the words of clauses matched verbatim or near to the template, and of
    the matched sentences inside clauses that only partly follow it.
    """

    template: str | None
    share: float
    clauses: tuple[str, ...]
    dropped: tuple[str, ...]  # template clauses the policy has nothing for


#: Below this share a policy is not said to be built from a template at all.
TEMPLATE_MIN_SHARE = 0.10


def boilerplate(clauses: list[Clause], matches: list[Match], template: Model) -> Boilerplate:
    total = sum(c.words for c in clauses)
    if not total:
        return Boilerplate(None, 0.0, (), tuple(_ref(m) for m in template.clauses))
    words = 0.0
    used: set[str] = set()
    listed: list[str] = []
    for clause, m in zip(clauses, matches):
        if m.kind in ("verbatim", "near"):
            words += clause.words
        elif m.kind == "partial":
            words += clause.words * m.coverage
        else:
            continue
        listed.append(clause.number)
        used.add(m.model_clause)
        used.update(m.also)
    share = round(min(1.0, words / total), 3)
    dropped = tuple(_ref(mc) for mc in template.clauses if _ref(mc) not in used)
    if share < TEMPLATE_MIN_SHARE:
        return Boilerplate(None, share, tuple(listed), ())
    return Boilerplate(template.id, share, tuple(listed), dropped)
