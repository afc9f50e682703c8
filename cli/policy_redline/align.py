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

import re
from dataclasses import dataclass, replace
from typing import Iterable, Literal

import numpy as np
from rapidfuzz import fuzz, process

from .models import Model, ModelClause
from .normalize import fold, normal_form_of_folded, normalize
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
    """`normalize` of each text: each distinct text once, all of them in one pass over the
    joined (already folded) texts when that is safe."""
    if not texts:
        return []
    distinct = list(dict.fromkeys(texts))
    folded = [fold(t) for t in distinct]
    normal: list[str] | None = None
    if not any("§§" in t for t in folded):
        # One regex pass over all texts; `normalize`'s memo cache is not involved, so one
        # policy's whole text does not sit in it.
        joined = normal_form_of_folded(_SEP.join(folded), towns)
        parts = [p.strip() for p in f" {joined} ".split(_SEP)]
        if len(parts) == len(distinct):
            normal = parts
    if normal is None:
        normal = [normalize(t, towns) for t in distinct]
    if len(distinct) == len(texts):
        return normal
    by_text = dict(zip(distinct, normal))
    return [by_text[t] for t in texts]


def _segments(keys: np.ndarray) -> np.ndarray:
    """Start of each run of equal values in a sorted array (for `reduceat`)."""
    return np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])


@dataclass
class _Side:
    """Sentences of a set of clauses, normalised, with the clause each belongs to, plus each
    clause's normal form and word counts.

    Scoring works on the *distinct* normal forms (`texts`): two sentences with the same
    normal form score the same against anything, so each pair of distinct texts is scored
    once. `uid` maps every (non-empty) sentence, in order, to its text."""

    texts: list[str]  # distinct normalised sentences (non-empty), in order of first use
    uid: np.ndarray  # text of each sentence
    owner: np.ndarray  # clause index of each sentence (non-decreasing)
    words: np.ndarray  # words in each sentence
    first: np.ndarray  # first sentence of each text
    text_words: np.ndarray  # words in each text
    text_chars: np.ndarray  # characters in each text
    text_sizes: np.ndarray  # distinct words in each text (float32)
    vocab: dict[str, int]  # the side's own words
    entries: tuple[np.ndarray, np.ndarray]  # (text, word id) of each distinct word, by text
    clause_entries: tuple[np.ndarray, np.ndarray]  # (clause, word id), by clause
    clause_sizes: np.ndarray  # distinct words per clause (float32)
    clause_texts: list[str]  # normalised clause texts
    clause_words: np.ndarray  # words of each clause (sum of its sentences)
    n_clauses: int

    @classmethod
    def of(cls, clause_sentences: list[tuple[str, ...]], towns: tuple[str, ...]) -> "_Side":
        flat = [s for sentences in clause_sentences for s in sentences]
        owners = [i for i, sentences in enumerate(clause_sentences) for _ in sentences]
        normal = _normalize_many(flat, towns)
        index: dict[str, int] = {}
        uid: list[int] = []
        owner: list[int] = []
        per_clause: list[list[str]] = [[] for _ in clause_sentences]
        for n, o in zip(normal, owners):
            if n:
                uid.append(index.setdefault(n, len(index)))
                owner.append(o)
                per_clause[o].append(n)
        texts = list(index)
        split = [t.split() for t in texts]
        vocab: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        for u, ws in enumerate(split):
            for w in dict.fromkeys(ws):
                rows.append(u)
                cols.append(vocab.setdefault(w, len(vocab)))
        rows_a = np.array(rows, dtype=np.int64)
        cols_a = np.array(cols, dtype=np.int64)
        uid_a = np.array(uid, dtype=np.int64)
        owner_a = np.array(owner, dtype=np.int64)
        text_words = np.array([len(w) for w in split], dtype=np.float64)
        words = text_words[uid_a]
        first = np.zeros(len(texts), dtype=np.int64)
        if len(uid_a):
            seen, at = np.unique(uid_a, return_index=True)
            first[seen] = at
        clause_words = np.zeros(len(clause_sentences))
        np.add.at(clause_words, owner_a, words)
        text_sizes = np.bincount(rows_a, minlength=len(texts)).astype(np.float32)
        # A clause's distinct words: the words of its distinct texts, deduplicated.
        n_vocab = max(len(vocab), 1)
        if len(rows_a):
            pairs = np.unique(owner_a * max(len(texts), 1) + uid_a)
            p_clause, p_text = pairs // max(len(texts), 1), pairs % max(len(texts), 1)
            starts = np.searchsorted(rows_a, np.arange(len(texts)))
            counts = text_sizes.astype(np.int64)
            n = counts[p_text]
            offsets = np.repeat(starts[p_text] - (np.cumsum(n) - n), n) + np.arange(int(n.sum()))
            keys = np.unique(np.repeat(p_clause, n) * n_vocab + cols_a[offsets])
            c_rows, c_cols = keys // n_vocab, keys % n_vocab
        else:
            c_rows = c_cols = np.zeros(0, dtype=np.int64)
        return cls(
            texts,
            uid_a,
            owner_a,
            words,
            first,
            text_words,
            np.array([len(t) for t in texts], dtype=np.float64),
            text_sizes,
            vocab,
            (rows_a, cols_a),
            (c_rows, c_cols),
            np.bincount(c_rows, minlength=len(clause_sentences)).astype(np.float32),
            [" ".join(p) for p in per_clause],
            clause_words,
            len(clause_sentences),
        )


@dataclass
class _ModelSide:
    side: _Side
    text_words_t: np.ndarray  # vocabulary x text, 0/1 (float32)
    clause_words_t: np.ndarray  # vocabulary x clause, 0/1


def _word_matrix(entries: tuple[np.ndarray, np.ndarray], n: int, n_vocab: int) -> np.ndarray:
    out = np.zeros((n_vocab, n), dtype=np.float32)
    rows, cols = entries
    out[cols, rows] = 1.0
    return out


#: Shared-word counts are summed from the model's word columns while that takes at most
#: this many cells; larger products go to a (BLAS) matrix product. Both are exact counts.
_GATHER_MAX = 4_000_000


def _shared(entries: tuple[np.ndarray, np.ndarray], lookup: np.ndarray, n_rows: int, words_t: np.ndarray) -> np.ndarray:
    """Distinct words each row (policy text or clause) has in common with each model column:
    rows are given by their (row, policy word id) entries, sorted by row; `lookup` maps a
    policy word id to the model's (-1: a word the model does not use)."""
    rows, cols = entries
    out = np.zeros((n_rows, words_t.shape[1]), dtype=np.float32)
    if not len(rows) or not words_t.shape[1]:
        return out
    mapped = lookup[cols]
    keep = mapped >= 0
    rows, mapped = rows[keep], mapped[keep]
    if not len(rows):
        return out
    if len(rows) * words_t.shape[1] <= _GATHER_MAX:
        # Sparse rows: add up the model's row for each word (no threads, no dense product).
        starts = _segments(rows)
        out[rows[starts]] = np.add.reduceat(words_t[mapped], starts, axis=0)
        return out
    dense = np.zeros((n_rows, words_t.shape[0]), dtype=np.float32)
    dense[rows, mapped] = 1.0
    return dense @ words_t


_MODEL_CACHE: dict[tuple[int, tuple[str, ...]], tuple[Model, _ModelSide]] = {}


def _model_side(model: Model, towns: tuple[str, ...]) -> _ModelSide:
    """The normalised model, computed once per model (and town) and kept."""
    key = (id(model), towns)
    hit = _MODEL_CACHE.get(key)
    if hit is not None and hit[0] is model:
        return hit[1]
    side = _Side.of([m.sentences for m in model.clauses], towns)
    prepared = _ModelSide(
        side,
        _word_matrix(side.entries, len(side.texts), len(side.vocab)),
        _word_matrix(side.clause_entries, side.n_clauses, len(side.vocab)),
    )
    if len(_MODEL_CACHE) > 64:
        _MODEL_CACHE.clear()
    _MODEL_CACHE[key] = (model, prepared)
    return prepared


def _policy_side(clauses: list[Clause], towns: tuple[str, ...]) -> _Side:
    return _Side.of([c.sentences for c in clauses], towns)


def _pair_scores(left: list[str], right: list[str], li: np.ndarray, rj: np.ndarray, scorer, cutoff: float) -> np.ndarray:
    """Exact scores of the candidate pairs (left[li[k]], right[rj[k]]) only."""
    return process.cpdist(
        [left[i] for i in li.tolist()], [right[j] for j in rj.tolist()], scorer=scorer, score_cutoff=cutoff, dtype=np.float32
    )


def _sentence_scores(pol: _Side, lookup: np.ndarray, mod: _ModelSide) -> tuple[np.ndarray, np.ndarray]:
    """Score matrix (distinct policy text x distinct model text; 0 = no match) and a matrix
    of which matches are containment (a model sentence inside a longer policy sentence)."""
    m = mod.side
    n_p, n_m = len(pol.texts), len(m.texts)
    score = np.zeros((n_p, n_m), dtype=np.float32)
    contained = np.zeros((n_p, n_m), dtype=bool)
    if not n_p or not n_m:
        return score, contained
    shared = _shared(pol.entries, lookup, n_p, mod.text_words_t)  # distinct words in common
    longest = np.maximum(pol.text_sizes[:, None], m.text_sizes[None, :])
    similar = shared >= CANDIDATE_SHARED * longest
    pi, mj = np.nonzero(similar)
    if len(pi):
        score[pi, mj] = _pair_scores(pol.texts, m.texts, pi, mj, fuzz.ratio, SENTENCE_MATCH)
    longer = (pol.text_chars[:, None] > m.text_chars[None, :] * 1.3) & (m.text_chars[None, :] >= CONTAINED_MIN_CHARS)
    # Containment is looked for only in sentences that matched nothing whole.
    unmatched = ~(score >= SENTENCE_MATCH).any(axis=1)
    inside = longer & (shared >= CONTAINED_SHARED * m.text_sizes[None, :]) & unmatched[:, None]
    pi, mj = np.nonzero(inside)
    if len(pi):
        r = _pair_scores(pol.texts, m.texts, pi, mj, fuzz.partial_ratio, CONTAINED_MATCH)
        hit = r >= CONTAINED_MATCH
        score[pi[hit], mj[hit]] = r[hit]
        contained[pi[hit], mj[hit]] = True
    return score, contained


def align_model(clauses: list[Clause], model: Model, towns: tuple[str, ...] = ()) -> list[Match]:
    """One `Match` per policy clause: its best clause of `model`."""
    if not clauses:
        return []
    return _align_prepared(clauses, _policy_side(clauses, towns), model, _model_side(model, towns))


def _align_prepared(clauses: list[Clause], pol: _Side, model: Model, mod: _ModelSide) -> list[Match]:
    mclauses = model.clauses
    m = mod.side
    n_p, n_m = len(clauses), len(mclauses)
    lookup = np.array([m.vocab.get(w, -1) for w in pol.vocab], dtype=np.int64)
    score, contained = _sentence_scores(pol, lookup, mod)  # distinct texts x distinct texts
    matched = score >= min(SENTENCE_MATCH, CONTAINED_MATCH)

    # Each policy sentence counts once, for the model sentence it matches best (the first
    # one, in model order, of those with the highest score); a contained model sentence
    # covers only its own length of the longer policy sentence.
    p_cov = np.zeros((n_p, n_m))
    any_cov = np.zeros(n_p)
    text_rows = matched.any(axis=1)
    rows = np.nonzero(text_rows[pol.uid])[0] if len(pol.uid) else np.zeros(0, dtype=np.int64)
    if len(rows):
        s = score[text_rows]
        first = np.where(s == s.max(axis=1)[:, None], m.first[None, :], len(m.uid)).min(axis=1)
        best_of_text = np.zeros(len(pol.texts), dtype=np.int64)
        best_of_text[text_rows] = first
        best = best_of_text[pol.uid[rows]]
        inside = contained[pol.uid[rows], m.uid[best]]
        whole_rows = rows[~inside]
        np.add.at(p_cov, (pol.owner[whole_rows], m.owner[best[~inside]]), pol.words[whole_rows])
        np.add.at(any_cov, pol.owner[whole_rows], pol.words[whole_rows])
        # A long policy sentence (PDF text that ran several template sentences or list items
        # together) covers the words of every template sentence found inside it, each for
        # its own clause, up to its own length.
        for r in rows[inside].tolist():
            t = pol.uid[r]
            js = np.flatnonzero(contained[t] & matched[t])
            words_j = m.text_words[js]
            kept = min(float(pol.words[r]), float(words_j.sum()))
            np.add.at(p_cov[pol.owner[r]], m.owner[m.first[js]], words_j * (kept / float(words_j.sum())))
            any_cov[pol.owner[r]] += kept
    # Words of model clause j kept by policy clause i: its sentences matched by any sentence of i.
    m_cov = np.zeros((n_p, n_m))
    if matched.any():
        n_t = len(pol.texts)
        pairs = np.unique(pol.owner * n_t + pol.uid)  # distinct (clause, text), by clause
        p_clause, p_text = pairs // n_t, pairs % n_t
        starts = _segments(p_clause)
        by_clause = np.zeros((n_p, len(m.texts)), dtype=bool)
        by_clause[p_clause[starts]] = np.logical_or.reduceat(matched[p_text], starts, axis=0)
        kept = by_clause[:, m.uid] * m.words  # policy clause x model sentence: words kept
        mstarts = _segments(m.owner)  # model sentences are in clause order
        m_cov[:, m.owner[mstarts]] = np.add.reduceat(kept, mstarts, axis=1)

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
    common = _shared(pol.clause_entries, lookup, n_p, mod.clause_words_t)
    dice = 200.0 * common / np.maximum(pol.clause_sizes[:, None] + m.clause_sizes[None, :], 1.0)
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
    aligner = Aligner(clauses, towns)
    return {m.id: aligner.matches(m) for m in models}


class Aligner:
    """One policy's clauses, normalised once, aligned against as many models as asked:
    `Aligner(clauses, towns).matches(model)` is `align_model(clauses, model, towns)`.
    Results are kept per model object for the life of the aligner (one policy, one set of
    towns), so asking twice for the same model costs nothing."""

    def __init__(self, clauses: list[Clause], towns: tuple[str, ...] = ()) -> None:
        self.clauses = list(clauses)
        self.towns = towns
        self._side: _Side | None = None
        self._done: dict[int, tuple[Model, list[Match]]] = {}

    def matches(self, model: Model) -> list[Match]:
        hit = self._done.get(id(model))
        if hit is not None and hit[0] is model:
            return list(hit[1])
        if not self.clauses:
            return []
        if self._side is None:
            self._side = _policy_side(self.clauses, self.towns)
        out = _align_prepared(self.clauses, self._side, model, _model_side(model, self.towns))
        self._done[id(model)] = (model, out)
        return list(out)


# --- boilerplate -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Boilerplate:
    """How much of a policy is a template's text.

    `share` counts the words of the template's sentences as the policy kept them: all of a
    clause that matches verbatim, and in every other matched clause the words of its
    sentences that match a template sentence (local sentences a department added to a
    template clause are not boilerplate). A section the manual marks "Agency Content" is
    the department's own, whatever it matches.

    `template` is the template family; `edition` the family's edition (a model id) closest to
    the policy, whose clauses `dropped`, `template_clauses` and `kept` count; `editions`
    names, for each matched policy clause, the edition whose clause it is closest to (a
    department can mix editions).
    """

    template: str | None
    share: float
    clauses: tuple[str, ...]
    dropped: tuple[str, ...]  # template clauses the policy has nothing for
    edition: str | None = None
    template_clauses: int = 0  # clauses of the closest edition
    kept: int = 0  # of those, how many the policy has
    editions: tuple[tuple[str, str], ...] = ()  # (policy clause, edition id)


#: Below this share a policy is not said to be built from a template at all.
TEMPLATE_MIN_SHARE = 0.10

_AGENCY_CONTENT = re.compile(r"^\W*agency\s+content\b", re.I)


def agency_content(clause: Clause) -> bool:
    """A section a Lexipol manual marks "Agency Content": the agency wrote it."""
    return bool(_AGENCY_CONTENT.match(clause.text)) or "agency content" in clause.heading.lower()


def boilerplate(clauses: list[Clause], matches: list[Match], template: Model) -> Boilerplate:
    """The share of one template (one edition) in the policy."""
    return recognise(clauses, {template.id: matches}, (template,))


def family_model(family: str, editions: Iterable[Model]) -> Model:
    """All editions of a family as one model, each clause named `edition|clause`: aligned
    with a policy, every policy sentence counts once, for the closest sentence of any edition
    (a clause can mix editions)."""
    eds = tuple(editions)
    key = (family, tuple(id(e) for e in eds))
    hit = _FAMILY_CACHE.get(key)
    if hit is not None:
        return hit
    clauses = tuple(
        replace(mc, model=family, number=f"{e.id}|{_ref(mc)}", maps_to=mc.key, answers=())
        for e in eds
        for mc in e.clauses
    )
    model = Model(id=family, kind="family", title=family, source="", date="", clauses=clauses, family=family)
    _FAMILY_CACHE[key] = model
    return model


_FAMILY_CACHE: dict[tuple, Model] = {}


def recognise(
    clauses: list[Clause],
    per_model: dict[str, list[Match]],
    templates: Iterable[Model],
    aligner: "Aligner | None" = None,
) -> Boilerplate:
    """The template family the policy is built from, and its closest edition.

    With an `aligner`, each family's editions are aligned as one model (`family_model`), so
    a clause that mixes two editions counts the words of both; without one, a clause counts
    for its best single edition. Each matched clause is attributed to the edition whose
    clause it is closest to (the stronger kind, then the higher score, then the closer whole
    text, then the family's reference edition first); the family whose text covers most of
    the policy's words wins, and within it the edition that covers most of them is the
    policy's edition. Clauses are compared across editions by their `Maps to` key, so a
    policy numbered 428 that keeps the California edition's victims-and-witnesses section
    has 413.3 of the Massachusetts one.
    """
    by_family: dict[str, list[Model]] = {}
    for t in templates:
        if t.id in per_model:
            by_family.setdefault(t.family or t.id, []).append(t)
    total = sum(c.words for c in clauses)
    if not by_family:
        return Boilerplate(None, 0.0, (), ())
    normal: dict[int, str] = {}
    ranked: list[tuple] = []
    for family in sorted(by_family):
        eds = sorted(by_family[family], key=lambda m: (m.id != family, m.id))
        union = aligner.matches(family_model(family, eds)) if aligner is not None and len(eds) > 1 else None
        chosen: dict[int, tuple[Model, Match]] = {}
        ed_words: dict[str, float] = {}
        sole: dict[str, float] = {}  # words of clauses only one edition is closest to
        ties: dict[int, dict[str, tuple[Model, Match]]] = {}  # clauses several editions share
        words = 0.0
        for i, clause in enumerate(clauses):
            if agency_content(clause):
                continue
            cands = [(k, ed, per_model[ed.id][i]) for k, ed in enumerate(eds) if i < len(per_model[ed.id])]
            cands = [c for c in cands if c[2].kind != "none"]
            coverage = union[i].coverage if union is not None and union[i].kind != "none" else 0.0
            if not cands:
                if coverage:
                    # Only the union matched (sentences of several editions): credit the edition named.
                    ed_id = union[i].model_clause.split("|", 1)[0]
                    ed = next(e for e in eds if e.id == ed_id)
                    m = replace(union[i], model=ed.id, model_clause=union[i].model_clause.split("|", 1)[1], also=())
                    cands = [(eds.index(ed), ed, m)]
                else:
                    continue
            top = max((clause.words * c[2].coverage, KIND_RANK[c[2].kind], c[2].score) for c in cands)
            tied = [c for c in cands if (clause.words * c[2].coverage, KIND_RANK[c[2].kind], c[2].score) == top]
            if len(tied) > 1:
                if i not in normal:
                    normal[i] = normalize(clause.text)
                by_ref = {(c[1].id): {_ref(mc): mc for mc in c[1].clauses} for c in tied}

                def closeness(c):
                    mc = by_ref[c[1].id].get(c[2].model_clause)
                    return fuzz.ratio(normal[i], normalize(mc.text)) if mc else 0.0

                scored = sorted(((closeness(c), c) for c in tied), key=lambda sc: (-sc[0], sc[1][0]))
                tied = [c for sc, c in scored if sc == scored[0][0]]
            _, ed, m = tied[0]
            chosen[i] = (ed, m)
            w = clause.words * max(m.coverage, coverage)
            words += w
            ed_words[ed.id] = ed_words.get(ed.id, 0.0) + w
            if len(tied) > 1:
                ties[i] = {c[1].id: (c[1], c[2]) for c in tied}
            else:
                sole[ed.id] = sole.get(ed.id, 0.0) + w
        ranked.append((words, family, eds, chosen, ed_words, sole, ties))
    # Most words first; ties go to the family listed first (by id).
    top_family = ranked[0]
    for r in ranked[1:]:
        if r[0] > top_family[0]:
            top_family = r
    words, family, eds, chosen, ed_words, sole, ties = top_family
    share = round(min(1.0, words / total), 3) if total else 0.0
    listed = tuple(clauses[i].number for i in sorted(chosen))
    if not total:
        return Boilerplate(None, 0.0, (), tuple(_ref(m) for m in eds[0].clauses))
    # "Agency Content" sections are the department's words, but a manual that marks them is
    # a template's manual: whether the policy is built from the template is asked of the
    # words the template could have supplied.
    licensed = total - sum(c.words for c in clauses if agency_content(c))
    if not chosen or (share < TEMPLATE_MIN_SHARE and (licensed <= 0 or words / licensed < TEMPLATE_MIN_SHARE or licensed == total)):
        return Boilerplate(None, share, listed, ())
    # The edition is decided by the clauses only it is closest to; a clause several editions
    # share word for word (the same sentences in Oregon's 412.1 and California's 428.1) then
    # counts for it.
    edition = max(eds, key=lambda e: (sole.get(e.id, 0.0), ed_words.get(e.id, 0.0), -eds.index(e)))
    for i, shared in ties.items():
        if edition.id in shared:
            chosen[i] = shared[edition.id]
    keys = {e.id: {_ref(mc): mc.key for mc in e.clauses} for e in eds}
    used: set[str] = set()
    for ed, m in chosen.values():
        for ref in (m.model_clause, *m.also):
            used.add(keys[ed.id].get(ref, ref))
    dropped = tuple(_ref(mc) for mc in edition.clauses if mc.key not in used)
    return Boilerplate(
        family,
        share,
        listed,
        dropped,
        edition=edition.id,
        template_clauses=len(edition.clauses),
        kept=len(edition.clauses) - len(dropped),
        editions=tuple((clauses[i].number, chosen[i][0].id) for i in sorted(chosen)),
    )
