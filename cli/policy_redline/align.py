"""Align a policy's clauses with the clauses of model policies and templates.

Departments rarely paste the Lexipol template untouched: they rename the department,
renumber (413, 415, 428), reorder, merge and split paragraphs and add local sentences. So
alignment works at two grains at once, in explainable passes:

1. sentences: every policy sentence against every model sentence, as matrices. The words
   two sentences share come from one 0/1 matrix product (sentence x vocabulary); the pairs
   that share enough words are then scored exactly with `rapidfuzz.process.cpdist`
   (`fuzz.ratio` >= 80 on the normal form of `normalize.normalize`), and a model sentence
   also counts as matched when it sits nearly verbatim inside a longer policy sentence
   (`fuzz.partial_ratio` >= 90: a template sentence inside a longer local sentence). Each
   policy sentence counts once, for the model sentence it matches best;
2. clauses: from the sentence matches, how much of the policy clause is model text and how
   much of the model clause the policy kept, plus the similarity of the whole clauses
   (`fuzz.ratio`, computed where any sentence matched).

The model side (normal forms, vocabulary, vectors) is computed once per model and kept;
the policy side once per `align` call, for all models.

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


#: Sentences are normalised in one pass over the joined text; this separator survives
#: `normalize` (it keeps "§") and never occurs in policy text.
_SEP = " §§§ "
#: Candidate pairs for the exact scorers come from shared words: a model sentence is a
#: candidate for a policy sentence when they share this fraction of the longer one's words
#: (similar sentences) or of the model sentence's words (containment). OCR noise at 2 %
#: of characters leaves about 90 % of words intact, far above both.
CANDIDATE_SHARED = 0.5
CONTAINED_SHARED = 0.75
#: A clause also covers a second model clause (a merge) when it keeps half of that clause,
#: or at least this many words of it in whole matched sentences.
MERGE_MIN_WORDS = 8


def _normalize_many(texts: list[str], towns: tuple[str, ...]) -> list[str]:
    """`normalize` of each text, in one call over the joined texts when that is safe."""
    if not texts:
        return []
    if not any("§§" in t for t in texts):
        # The joined text never recurs: bypass any memo cache on `normalize`, so one policy's
        # whole text does not sit in it.
        joined = getattr(normalize, "__wrapped__", normalize)(_SEP.join(texts), towns)
        parts = [p.strip() for p in f" {joined} ".split(_SEP)]
        if len(parts) == len(texts):
            return parts
    return [normalize(t, towns) for t in texts]


@dataclass
class _Side:
    """Sentences of a set of clauses, normalised and flattened, with the clause each
    belongs to, plus each clause's normal form and word counts."""

    texts: list[str]  # normalised sentences (non-empty)
    owner: np.ndarray  # clause index of each sentence
    words: np.ndarray  # words in each sentence
    chars: np.ndarray  # characters in each sentence
    wordsets: list[frozenset[str]]  # distinct words of each sentence
    clause_texts: list[str]  # normalised clause texts
    clause_words: np.ndarray  # words of each clause (sum of its sentences)
    n_clauses: int

    @classmethod
    def of(cls, clause_sentences: list[tuple[str, ...]], towns: tuple[str, ...]) -> "_Side":
        flat = [s for sentences in clause_sentences for s in sentences]
        owners = [i for i, sentences in enumerate(clause_sentences) for _ in sentences]
        normal = _normalize_many(flat, towns)
        texts, owner = [], []
        per_clause: list[list[str]] = [[] for _ in clause_sentences]
        for n, o in zip(normal, owners):
            if n:
                texts.append(n)
                owner.append(o)
                per_clause[o].append(n)
        split = [t.split() for t in texts]
        words = np.array([len(w) for w in split], dtype=np.float64)
        owner_arr = np.array(owner, dtype=np.int64)
        clause_words = np.zeros(len(clause_sentences))
        np.add.at(clause_words, owner_arr, words)
        return cls(
            texts,
            owner_arr,
            words,
            np.array([len(t) for t in texts], dtype=np.float64),
            [frozenset(w) for w in split],
            [" ".join(p) for p in per_clause],
            clause_words,
            len(clause_sentences),
        )


@dataclass
class _ModelSide:
    side: _Side
    vocab: dict[str, int]
    vectors: np.ndarray  # sentence x vocabulary, 0/1 (float32 for BLAS)
    clause_vectors: np.ndarray  # clause x vocabulary
    sizes: np.ndarray  # distinct words per sentence
    clause_sizes: np.ndarray


def _vectors(sets: list[frozenset[str]], vocab: dict[str, int]) -> np.ndarray:
    out = np.zeros((len(sets), len(vocab)), dtype=np.float32)
    rows, cols = [], []
    for i, ws in enumerate(sets):
        for w in ws:
            k = vocab.get(w)
            if k is not None:
                rows.append(i)
                cols.append(k)
    out[rows, cols] = 1.0
    return out


_MODEL_CACHE: dict[tuple[int, tuple[str, ...]], tuple[Model, _ModelSide]] = {}


def _model_side(model: Model, towns: tuple[str, ...]) -> _ModelSide:
    """The normalised model, computed once per model (and town) and kept."""
    key = (id(model), towns)
    hit = _MODEL_CACHE.get(key)
    if hit is not None and hit[0] is model:
        return hit[1]
    side = _Side.of([m.sentences for m in model.clauses], towns)
    vocab: dict[str, int] = {}
    for ws in side.wordsets:
        for w in sorted(ws):
            vocab.setdefault(w, len(vocab))
    clause_sets = [frozenset().union(*(side.wordsets[k] for k in np.nonzero(side.owner == j)[0])) for j in range(side.n_clauses)]
    prepared = _ModelSide(
        side,
        vocab,
        _vectors(side.wordsets, vocab),
        _vectors(clause_sets, vocab),
        np.array([len(w) for w in side.wordsets], dtype=np.float32),
        np.array([len(w) for w in clause_sets], dtype=np.float32),
    )
    if len(_MODEL_CACHE) > 64:
        _MODEL_CACHE.clear()
    _MODEL_CACHE[key] = (model, prepared)
    return prepared


@dataclass
class _PolicySide:
    side: _Side
    words: list[str]  # the policy's own vocabulary
    sentence_entries: tuple[np.ndarray, np.ndarray]  # (sentence, word id) of each distinct word
    clause_entries: tuple[np.ndarray, np.ndarray]  # (clause, word id)
    clause_sizes: np.ndarray  # distinct words per clause

    def vectors(self, vocab: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
        """Sentence and clause 0/1 vectors over a model's vocabulary (words the model
        does not use are dropped: they cannot be shared)."""
        lookup = np.array([vocab.get(w, -1) for w in self.words], dtype=np.int64)
        out = []
        for (rows, cols), n in ((self.sentence_entries, len(self.side.texts)), (self.clause_entries, self.side.n_clauses)):
            mapped = lookup[cols] if len(cols) else cols
            keep = mapped >= 0
            v = np.zeros((n, len(vocab)), dtype=np.float32)
            v[rows[keep], mapped[keep]] = 1.0
            out.append(v)
        return out[0], out[1]


def _policy_side(clauses: list[Clause], towns: tuple[str, ...]) -> _PolicySide:
    side = _Side.of([c.sentences for c in clauses], towns)
    ids: dict[str, int] = {}
    s_rows, s_cols = [], []
    for i, ws in enumerate(side.wordsets):
        for w in ws:
            s_rows.append(i)
            s_cols.append(ids.setdefault(w, len(ids)))
    s_rows_a = np.array(s_rows, dtype=np.int64)
    s_cols_a = np.array(s_cols, dtype=np.int64)
    # A clause's distinct words: the distinct (clause, word) pairs of its sentences.
    pairs = np.unique(side.owner[s_rows_a] * max(len(ids), 1) + s_cols_a) if len(s_rows) else np.zeros(0, dtype=np.int64)
    c_rows, c_cols = pairs // max(len(ids), 1), pairs % max(len(ids), 1)
    sizes = np.bincount(c_rows, minlength=side.n_clauses).astype(np.float32)
    return _PolicySide(side, list(ids), (s_rows_a, s_cols_a), (c_rows, c_cols), sizes)


def _sentence_scores(pol: _Side, pvec: np.ndarray, mod: _ModelSide) -> tuple[np.ndarray, np.ndarray]:
    """Score matrix (policy sentence x model sentence; 0 = no match) and a matrix of which
    matches are containment (a model sentence inside a longer policy sentence)."""
    m = mod.side
    n_p, n_m = len(pol.texts), len(m.texts)
    score = np.zeros((n_p, n_m), dtype=np.float32)
    contained = np.zeros((n_p, n_m), dtype=bool)
    if not n_p or not n_m:
        return score, contained
    shared = pvec @ mod.vectors.T  # distinct words in common
    psize = np.array([len(w) for w in pol.wordsets], dtype=np.float32)
    longest = np.maximum(psize[:, None], mod.sizes[None, :])
    similar = shared >= CANDIDATE_SHARED * longest
    pi, mj = np.nonzero(similar)
    if len(pi):
        r = process.cpdist(
            [pol.texts[i] for i in pi.tolist()],
            [m.texts[j] for j in mj.tolist()],
            scorer=fuzz.ratio,
            score_cutoff=SENTENCE_MATCH,
            dtype=np.float32,
        )
        score[pi, mj] = r
    longer = (pol.chars[:, None] > m.chars[None, :] * 1.3) & (m.chars[None, :] >= CONTAINED_MIN_CHARS)
    # Containment is looked for only in sentences that matched nothing whole.
    unmatched = ~(score >= SENTENCE_MATCH).any(axis=1)
    inside = longer & (shared >= CONTAINED_SHARED * mod.sizes[None, :]) & unmatched[:, None]
    pi, mj = np.nonzero(inside)
    if len(pi):
        r = process.cpdist(
            [pol.texts[i] for i in pi.tolist()],
            [m.texts[j] for j in mj.tolist()],
            scorer=fuzz.partial_ratio,
            score_cutoff=CONTAINED_MATCH,
            dtype=np.float32,
        )
        hit = r >= CONTAINED_MATCH
        score[pi[hit], mj[hit]] = r[hit]
        contained[pi[hit], mj[hit]] = True
    return score, contained


def align_model(clauses: list[Clause], model: Model, towns: tuple[str, ...] = ()) -> list[Match]:
    """One `Match` per policy clause: its best clause of `model`."""
    if not clauses:
        return []
    return _align_prepared(clauses, _policy_side(clauses, towns), model, _model_side(model, towns))


def _align_prepared(clauses: list[Clause], policy: _PolicySide, model: Model, mod: _ModelSide) -> list[Match]:
    mclauses = model.clauses
    pol, m = policy.side, mod.side
    n_p, n_m = len(clauses), len(mclauses)
    pvec, cvec = policy.vectors(mod.vocab)
    score, contained = _sentence_scores(pol, pvec, mod)
    matched = score >= min(SENTENCE_MATCH, CONTAINED_MATCH)

    # Each policy sentence counts once, for the model sentence it matches best; a contained
    # model sentence covers only its own length of the longer policy sentence.
    p_cov = np.zeros((n_p, n_m))
    any_cov = np.zeros(n_p)
    rows = np.nonzero(matched.any(axis=1))[0]
    if len(rows):
        best = score[rows].argmax(axis=1)
        eff = np.where(contained[rows, best], np.minimum(pol.words[rows], m.words[best]), pol.words[rows])
        np.add.at(p_cov, (pol.owner[rows], m.owner[best]), eff)
        np.add.at(any_cov, pol.owner[rows], eff)
    # Words of model clause j kept by policy clause i: its sentences matched by any sentence of i.
    m_cov = np.zeros((n_p, n_m))
    if matched.any():
        by_clause = np.zeros((n_p, len(m.texts)), dtype=bool)
        pi, mj = np.nonzero(matched)
        by_clause[pol.owner[pi], mj] = True
        ci, sj = np.nonzero(by_clause)
        np.add.at(m_cov, (ci, m.owner[sj]), m.words[sj])

    p_words = pol.clause_words
    m_words = m.clause_words
    p_frac = np.divide(p_cov, p_words[:, None], out=np.zeros_like(p_cov), where=p_words[:, None] > 0).clip(0, 1)
    m_frac = np.divide(m_cov, m_words[None, :], out=np.zeros_like(m_cov), where=m_words[None, :] > 0).clip(0, 1)
    coverage = np.divide(any_cov, p_words, out=np.zeros_like(any_cov), where=p_words > 0).clip(0, 1)

    # Whole-clause similarity, exactly, where the sentences say the clauses could be the
    # same text (at least half of each side matched; `fuzz.ratio` >= 85 needs that); elsewhere
    # the share of distinct words in common (Dice) is the score shown for a clause with no match.
    whole = np.zeros((n_p, n_m), dtype=np.float32)
    ci, cj = np.nonzero(p_frac * m_frac >= 0.25)
    if len(ci):
        whole[ci, cj] = process.cpdist(
            [pol.clause_texts[i] for i in ci.tolist()],
            [m.clause_texts[j] for j in cj.tolist()],
            scorer=fuzz.ratio,
            dtype=np.float32,
        )
    dice = 200.0 * (cvec @ mod.clause_vectors.T) / np.maximum(policy.clause_sizes[:, None] + mod.clause_sizes[None, :], 1.0)
    both = np.sqrt(p_frac * m_frac) * 100.0
    total = np.maximum(np.maximum(whole, both), np.where((p_cov > 0) | (m_cov > 0), 0.0, dice))

    rank = np.zeros((n_p, n_m), dtype=np.int64)
    rank[(p_cov >= PARTIAL_MIN_WORDS) & ((p_frac > 0) | (m_frac > 0))] = 1
    rank[(whole >= NEAR) | ((p_frac >= NEAR_COVERAGE) & (m_frac >= NEAR_COVERAGE))] = 2
    rank[whole >= VERBATIM] = 3
    # Best model clause: highest kind, then highest score, then first in the model.
    key = rank * 1000.0 + total
    best = key.argmax(axis=1)
    names = ("none", "partial", "near", "verbatim")
    merges = (rank > 0) & ((m_frac >= 0.5) | (p_cov >= MERGE_MIN_WORDS))

    rows_m, cols_m = np.nonzero(merges)
    merged: dict[int, list[int]] = {}
    for i, j in zip(rows_m.tolist(), cols_m.tolist()):
        merged.setdefault(i, []).append(j)
    best_l = best.tolist()
    idx = np.arange(n_p)
    best_rank = rank[idx, best].tolist()
    best_total = np.round(total[idx, best].astype(np.float64), 1).tolist()
    best_mfrac = np.round(m_frac[idx, best], 3).tolist()
    cov = np.round(coverage, 3).tolist()
    refs = [_ref(mc) for mc in mclauses]

    out: list[Match] = []
    for i, clause in enumerate(clauses):
        b = best_l[i]
        kind = names[best_rank[i]]
        if kind == "none":
            out.append(Match(clause.number, model.id, refs[b], best_total[i], "none"))
            continue
        others = [j for j in merged.get(i, ()) if j != b]
        if len(others) > 1:
            others.sort(key=lambda j: (-float(key[i, j]), j))
        out.append(
            Match(
                clause=clause.number,
                model=model.id,
                model_clause=refs[b],
                score=best_total[i],
                kind=kind,  # type: ignore[arg-type]
                coverage=1.0 if kind == "verbatim" else cov[i],
                model_coverage=best_mfrac[i],
                also=tuple(refs[j] for j in others),
            )
        )
    return out


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
    models = list(models)
    if not clauses:
        return {m.id: [] for m in models}
    policy = _policy_side(clauses, towns)
    return {m.id: _align_prepared(clauses, policy, m, _model_side(m, towns)) for m in models}


# --- boilerplate -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Boilerplate:
    """How much of a policy is a template's text.

    `share` counts the words of the template's sentences as the policy kept them: all of a
    clause that matches verbatim, and in every other matched clause the words of its
    sentences that match a template sentence (local sentences a department added to a
    template clause are not boilerplate).
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
        if m.kind == "none":
            continue
        words += clause.words * m.coverage
        listed.append(clause.number)
        used.add(m.model_clause)
        used.update(m.also)
    share = round(min(1.0, words / total), 3)
    dropped = tuple(_ref(mc) for mc in template.clauses if _ref(mc) not in used)
    if share < TEMPLATE_MIN_SHARE:
        return Boilerplate(None, share, tuple(listed), ())
    return Boilerplate(template.id, share, tuple(listed), dropped)
