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

import math
import re
from array import array
from collections import Counter
from itertools import chain
from dataclasses import dataclass, field, replace
from typing import Iterable, Literal

from rapidfuzz import fuzz

from .models import Model, ModelClause
from .normalize import fold, normal_form_of_folded, normalize
from .segment import Clause

Kind = Literal["verbatim", "near", "partial", "none"]
KIND_RANK = {"verbatim": 3, "near": 2, "partial": 1, "none": 0}

#: Two sentences are the same sentence, edited, at or above this `fuzz.ratio`.
SENTENCE_MATCH = 80.0
#: Two long sentences (both at least LONG_SENTENCE_CHARS, some 35 words) are the same
#: sentence at or above this lower ratio: the longer the texts, the less two unrelated
#: sentences can score by chance, while a template's slots (the signatory agency's name and
#: style, a statute cited in another form) still cost a few points each. A 287(g) preamble
#: naming "the Massachusetts Department of Correction (DOC), an agency within the Executive
#: Office of Public Safety" where another names "the Barnstable County Sheriff's Office,
#: hereinafter … (LEA)" scores 78.
LONG_SENTENCE_CHARS = 220
LONG_SENTENCE_MATCH = 75.0


def _sentence_cutoff(a_chars: int, b_chars: int) -> float:
    return LONG_SENTENCE_MATCH if min(a_chars, b_chars) >= LONG_SENTENCE_CHARS else SENTENCE_MATCH


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
    joined (already folded) texts when that is safe. The texts of the previous call with
    the same towns are not normalised again: comparing two versions of a policy normalises
    one right after the other, and most of their sentences are the same."""
    global _LAST_BATCH
    if not texts:
        return []
    distinct = list(dict.fromkeys(texts))
    last_towns, last = _LAST_BATCH
    if last_towns != towns:
        last = {}
    todo = [t for t in distinct if t not in last] if last else distinct
    folded = [fold(t) for t in todo]
    normal: list[str] | None = None
    if not folded:
        normal = []
    elif not any("§§" in t for t in folded):
        # One regex pass over all texts; `normalize`'s memo cache is not involved, so one
        # policy's whole text does not sit in it.
        joined = normal_form_of_folded(_SEP.join(folded), towns)
        parts = [p.strip() for p in f" {joined} ".split(_SEP)]
        if len(parts) == len(todo):
            normal = parts
    if normal is None:
        normal = [normalize(t, towns) for t in todo]
    by_text = dict(zip(todo, normal))
    if len(todo) < len(distinct):
        by_text.update((t, last[t]) for t in distinct if t not in by_text)
    _LAST_BATCH = (towns, by_text)
    if len(todo) == len(texts):
        return normal
    return [by_text[t] for t in texts]


#: The towns and normal forms of `_normalize_many`'s last call: one call's texts only (each
#: call replaces them), so no policy stays in memory past the next one.
_LAST_BATCH: tuple[tuple[str, ...], dict[str, str]] = ((), {})


def _f32(values: list[float]) -> list[float]:
    """Each value rounded to single precision, as the scores have always been kept (ties
    between two scores are decided on these values)."""
    return array("f", values).tolist()


def _np_round(x: float, digits: int) -> float:
    """numpy's `round` (scale, round half to even, unscale), which the shown scores use."""
    f = 10.0 ** digits
    return round(x * f) / f


@dataclass
class _Side:
    """Sentences of a set of clauses, normalised, with the clause each belongs to, plus each
    clause's normal form and word counts.

    Scoring works on the *distinct* normal forms (`texts`): two sentences with the same
    normal form score the same against anything, so each pair of distinct texts is scored
    once. `uid` maps every (non-empty) sentence, in order, to its text."""

    texts: list[str]  # distinct normalised sentences (non-empty), in order of first use
    uid: list[int]  # text of each sentence
    owner: list[int]  # clause index of each sentence (non-decreasing)
    words: list[float]  # words in each sentence
    first: list[int]  # first sentence of each text
    sentences_of: list[list[int]]  # sentences of each text
    text_words: list[float]  # words in each text
    text_chars: list[float]  # characters in each text
    word_sets: list[frozenset[str]]  # distinct words of each text
    clause_sets: list[frozenset[str]]  # distinct words of each clause
    clause_texts: list[str]  # normalised clause texts
    clause_words: list[float]  # words of each clause (sum of its sentences)
    clause_of_texts: list[list[int]]  # distinct texts of each clause, in order of use
    n_clauses: int

    @classmethod
    def of(cls, clause_sentences: list[tuple[str, ...]], towns: tuple[str, ...]) -> "_Side":
        flat = [s for sentences in clause_sentences for s in sentences]
        owners = [i for i, sentences in enumerate(clause_sentences) for _ in sentences]
        return cls.of_normal(_normalize_many(flat, towns), owners, len(clause_sentences))

    def subset(self, rows: list[int]) -> "_Side":
        """The side of these clauses (positions, in order) alone: their sentences' normal
        forms are this side's, not made again."""
        at = {i: k for k, i in enumerate(rows)}
        kept = [(self.texts[u], at[o]) for u, o in zip(self.uid, self.owner) if o in at]
        return _Side.of_normal([n for n, _ in kept], [o for _, o in kept], len(rows))

    @classmethod
    def of_normal(cls, normal: list[str], owners: list[int], n_clauses: int) -> "_Side":
        """The side of sentences already normalised (`owners`: the clause of each)."""
        index: dict[str, int] = {}
        uid: list[int] = []
        owner: list[int] = []
        per_clause: list[list[str]] = [[] for _ in range(n_clauses)]
        for n, o in zip(normal, owners):
            if n:
                uid.append(index.setdefault(n, len(index)))
                owner.append(o)
                per_clause[o].append(n)
        texts = list(index)
        split = [t.split() for t in texts]
        word_sets = [frozenset(ws) for ws in split]
        text_words = [float(len(ws)) for ws in split]
        first = [0] * len(texts)
        sentences_of: list[list[int]] = [[] for _ in texts]
        for r in range(len(uid) - 1, -1, -1):
            first[uid[r]] = r
        for r, u in enumerate(uid):
            sentences_of[u].append(r)
        words = [text_words[u] for u in uid]
        n = n_clauses
        clause_words = [0.0] * n
        clause_of_texts: list[dict[int, None]] = [{} for _ in range(n)]
        for r, (u, o) in enumerate(zip(uid, owner)):
            clause_words[o] += words[r]
            clause_of_texts[o][u] = None
        clause_sets = [frozenset().union(*(word_sets[u] for u in ts)) for ts in clause_of_texts]
        return cls(texts, uid, owner, words, first, sentences_of, text_words, [float(len(t)) for t in texts],
                   word_sets, clause_sets, [" ".join(p) for p in per_clause], clause_words,
                   [list(ts) for ts in clause_of_texts], n)


@dataclass
class _ModelSide:
    """A model's side with the indexes that find candidate pairs without looking at every
    pair. Two sentences can only be similar (half of the longer one's distinct words
    shared) if they share a word among the rarest half of each; a model sentence can only
    sit inside a policy sentence (three quarters of its words shared) if the policy
    sentence has one of its rarest quarter (prefix filtering, with the model's own word
    frequencies as the order). Words are numbered in that order, and a text's or clause's
    words are also kept as a bit set (an int), so counting shared words is one `&`."""

    side: _Side
    rank: dict[str, int]  # word -> position in the rare-first order
    sketched: bool  # a large side: candidates from sketches (see EXACT_TEXTS)
    text_bits: list[int]  # words of each model text, as bits by rank
    clause_bits: list[int]  # words of each model clause, as bits by rank
    similar_index: dict[int, list[int]]  # word rank -> model texts with it among their rarest half
    sketch_index: dict[int, list[int]]  # word rank -> model texts with it among their SKETCH_WORDS rarest
    contained_index: dict[int, list[int]]  # word rank -> model texts (>= 40 chars) with it in their rarest quarter
    # policy text -> its matches and containments (`_sentence_scores`): a survey meets the
    # same template sentences in policy after policy, and a text's row depends on nothing
    # but the text and this model
    rows: dict[str, tuple[dict[int, float], frozenset[int]]] = field(default_factory=dict)
    dice_rows: dict[frozenset[str], list[float]] = field(default_factory=dict)  # `_dice`, likewise
    vocab: frozenset[str] = frozenset()  # the words of `rank`: a sentence's known words are one `&`
    similar_keys: frozenset[int] = frozenset()  # the ranks `similar_index` holds
    contained_words: frozenset[str] = frozenset()  # the words `contained_index` holds


#: Up to this many distinct sentences on the model side, candidate pairs are found exactly:
#: every pair the word-share test admits shares a word among the rarest half of each
#: (prefix filtering). Past it (another policy of hundreds of clauses), half of a sentence's
#: words include words thousands of sentences use, and looking them up costs the square of
#: the length; so one side of each lookup is cut to the SKETCH_WORDS rarest words: a
#: policy sentence's rarest half against each model sentence's rarest few, and its rarest
#: few against each model sentence's rarest half. A pair is missed only when each sentence
#: has that many rarer words the other lacks, which an edited copy of a sentence does not;
#: and a candidate must be hit twice (two shared words, or one in both sketches).
EXACT_TEXTS = 1000
SKETCH_WORDS = 4


def _prefix(n: int, need: int) -> int:
    """How many of the rarest of `n` words must include a shared one when `need` are shared."""
    return n - need + 1


def _bits(ranks) -> int:
    """Distinct word ranks as one int, a bit each (or-ed in place: summing the powers made
    a new int of the whole width at each step, twice the time for a policy's 20,000 words)."""
    out = 0
    for r in ranks:
        out |= 1 << r
    return out


def _towns_in(model: Model, towns: tuple[str, ...]) -> tuple[str, ...]:
    """The towns that change the model's normal form: those its text names. A survey meets
    a new town with every policy, and a model that never names it normalises the same
    without it, so the model side is computed once per run, not once per town. Another
    policy, read for one comparison (a model not read from the models folder), is aligned
    with one set of towns: it keeps them all, which normalises it the same, without reading
    the whole of it once more to find them."""
    if not towns or not model.digest:
        return towns
    hit = _MODEL_TEXT.get(id(model))
    if hit is None or hit[0] is not model:
        hit = (model, fold("\n".join(s for mc in model.clauses for s in mc.sentences)), {})
        _MODEL_TEXT[id(model)] = hit
    text, named = hit[1], hit[2]
    out = []
    for t in towns:
        if not t:
            continue
        found = named.get(t)
        if found is None:
            # " the department " and " the town " are what normalising writes in: a town
            # that would match those is kept, so the short cut never changes a normal form.
            found = re.search(rf"\b{re.escape(t)}\b", f"{text} the department the town ") is not None
            if len(named) > 4096:
                named.clear()
            named[t] = found
        if found:
            out.append(t)
    return tuple(out)


_MODEL_TEXT: dict[int, tuple[Model, str, dict[str, bool]]] = {}


def _model_side(model: Model, towns: tuple[str, ...]) -> _ModelSide:
    """The normalised model and its indexes, computed once per model (and the towns it
    names) and kept; a bundled model's, for no town, is also kept on disk (`cache`)."""
    towns = _towns_in(model, towns)
    key = (id(model), towns)
    hit = _MODEL_CACHE.get(key)
    if hit is not None and hit[0] is model:
        return hit[1]
    prepared = None
    stored = None
    if not towns and model.digest:
        from . import cache

        stored = cache.name_for("side", model.kind, model.id, model.path)
        disk_key = cache.code_digest("align", "normalize") + model.digest
        data = cache.read("sides", stored, disk_key)
        if data is not None:
            try:
                prepared = _side_from(data, len(model.clauses))
            except (TypeError, ValueError, IndexError, KeyError):
                prepared = None
    if prepared is None:
        prepared = _prepare(model, towns)
        if stored is not None:
            cache.write("sides", stored, disk_key, _side_data(prepared))
    if len(_MODEL_CACHE) > 64:
        _MODEL_CACHE.clear()
    _MODEL_CACHE[key] = (model, prepared)
    return prepared


def _prepare(model: Model, towns: tuple[str, ...]) -> _ModelSide:
    side = _Side.of([m.sentences for m in model.clauses], towns)
    df = Counter(chain.from_iterable(side.word_sets))
    rank = {w: k for k, w in enumerate(sorted(df, key=lambda w: (df[w], w)))}
    sketched = len(side.texts) > EXACT_TEXTS
    similar: dict[int, list[int]] = {}
    sketch: dict[int, list[int]] = {}
    contained: dict[int, list[int]] = {}
    text_bits: list[int] = []
    for u, ws in enumerate(side.word_sets):
        ordered = sorted(map(rank.__getitem__, ws))
        text_bits.append(_bits(ordered))
        n = len(ordered)
        half = _prefix(n, (n + 1) // 2)
        for r in ordered[:half]:
            similar.setdefault(r, []).append(u)
        if sketched:
            for r in ordered[: min(half, SKETCH_WORDS)]:
                sketch.setdefault(r, []).append(u)
        if side.text_chars[u] >= CONTAINED_MIN_CHARS:
            for r in ordered[: min(_prefix(n, (3 * n + 3) // 4), SKETCH_WORDS if sketched else n)]:
                contained.setdefault(r, []).append(u)
    clause_bits = [_bits(map(rank.__getitem__, ws)) for ws in side.clause_sets]
    return _indexed(side, rank, sketched, text_bits, clause_bits, similar, sketch, contained)


def _indexed(side: _Side, rank: dict[str, int], sketched: bool, text_bits: list[int], clause_bits: list[int],
             similar: dict[int, list[int]], sketch: dict[int, list[int]], contained: dict[int, list[int]]) -> _ModelSide:
    return _ModelSide(side, rank, sketched, text_bits, clause_bits, similar, sketch, contained, vocab=frozenset(rank),
                      similar_keys=frozenset(similar), contained_words=frozenset(w for w, r in rank.items() if r in contained))


def _side_data(p: _ModelSide) -> tuple:
    """A prepared model as plain data for the cache on disk. Each word is written once, as
    the word order's own string, and referred to after (marshal keeps one copy of an object
    it meets twice): reading back makes each word once, not once per set it is in."""
    s = p.side
    word = {w: w for w in p.rank}
    word_sets = [frozenset(map(word.__getitem__, ws)) for ws in s.word_sets]
    clause_sets = [frozenset(map(word.__getitem__, ws)) for ws in s.clause_sets]
    return (s.texts, s.uid, s.owner, s.words, s.first, s.sentences_of, s.text_words, s.text_chars, word_sets,
            clause_sets, s.clause_texts, s.clause_words, s.clause_of_texts, s.n_clauses,
            p.rank, p.sketched, p.text_bits, p.clause_bits, p.similar_index, p.sketch_index, p.contained_index)


def _side_from(data: object, n_clauses: int) -> _ModelSide:
    """`_side_data` read back: every value of the type it was written as and every position
    inside its list, or TypeError / ValueError (then the model is prepared afresh)."""
    from .cache import shaped

    if type(data) is not tuple or len(data) != 21:
        raise TypeError("not a prepared model")
    (texts, uid, owner, words, first, sentences_of, text_words, text_chars, word_sets, clause_sets, clause_texts,
     clause_words, clause_of_texts, n, rank, sketched, text_bits, clause_bits, similar, sketch, contained) = data
    n_texts, n_rows = len(shaped(texts, list, str)), len(shaped(uid, list, int))
    if n != n_clauses or type(sketched) is not bool or type(rank) is not dict:
        raise ValueError("another model")
    for values, kind, size in ((owner, int, n_rows), (words, float, n_rows), (first, int, n_texts),
                               (text_words, float, n_texts), (text_chars, float, n_texts), (word_sets, frozenset, n_texts),
                               (text_bits, int, n_texts), (clause_sets, frozenset, n), (clause_texts, str, n),
                               (clause_words, float, n), (clause_bits, int, n)):
        if len(shaped(values, list, kind)) != size:
            raise ValueError("lists of different lengths")
    for lists, size, bound in ((sentences_of, n_texts, n_rows), (clause_of_texts, n, n_texts)):
        if len(shaped(lists, list, list)) != size or not _in_range(list(chain.from_iterable(lists)), bound):
            raise ValueError("a position out of range")
    if not (_in_range(uid, n_texts) and _in_range(first, n_rows) and _in_range(owner, n)):
        raise ValueError("a position out of range")
    if not (_types(rank) <= {str} and _types(rank.values()) <= {int}):
        raise TypeError("not a word order")
    if not _types(frozenset().union(*word_sets, *clause_sets)) <= {str}:
        raise TypeError("not words")
    for index in (similar, sketch, contained):
        if (type(index) is not dict or not _types(index) <= {int} or not _types(index.values()) <= {list}
                or not _in_range(list(chain.from_iterable(index.values())), n_texts)):
            raise TypeError("not an index")
    side = _Side(texts, uid, owner, words, first, sentences_of, text_words, text_chars, word_sets, clause_sets,
                 clause_texts, clause_words, clause_of_texts, n)
    return _indexed(side, rank, sketched, text_bits, clause_bits, similar, sketch, contained)


def _types(values) -> set[type]:
    return set(map(type, values))


def _in_range(positions: object, bound: int) -> bool:
    return type(positions) is list and (not positions or (_types(positions) <= {int} and 0 <= min(positions)
                                                          and max(positions) < bound))


_MODEL_CACHE: dict[tuple[int, tuple[str, ...]], tuple[Model, _ModelSide]] = {}


def _policy_side(clauses: list[Clause], towns: tuple[str, ...]) -> _Side:
    return _Side.of([c.sentences for c in clauses], towns)


#: Rows of `_sentence_scores` kept per model (each a few hundred bytes at most; sentences
#: that match nothing share one empty row), from policies of at most ROW_CACHE_POLICY
#: distinct sentences: a survey's policies; not a manual of thousands of clauses compared
#: once, whose rows would only cost memory.
ROW_CACHE = 10000
ROW_CACHE_POLICY = 2000
_NO_ROW: tuple[dict[int, float], frozenset[int]] = ({}, frozenset())


def _sentence_scores(pol: _Side, mod: _ModelSide) -> tuple[list[dict[int, float]], list[frozenset[int]]]:
    """For each distinct policy text, its matches {model text: score} (scores kept in
    single precision) and which of them are containment (a model sentence inside a longer
    policy sentence). Only candidate pairs from the indexes are scored, and only for the
    texts this model has not met before (the rows are not to be changed by the caller)."""
    m = mod.side
    rank = mod.rank
    if not pol.texts or not m.texts:
        return [{} for _ in pol.texts], [frozenset() for _ in pol.texts]
    cache = mod.rows
    rows = [cache.get(text) for text in pol.texts]
    todo = [t for t, row in enumerate(rows) if row is None]
    if not todo:
        return [r[0] for r in rows], [r[1] for r in rows]  # type: ignore[index]
    scores: dict[int, dict[int, float]] = {}  # the texts with a match
    contained: dict[int, set[int]] = {}
    m_sizes = [len(ws) for ws in m.word_sets]
    m_bits = mod.text_bits
    similar_index, sketch_index = mod.similar_index, mod.sketch_index
    pairs_t: list[int] = []
    pairs_u: list[int] = []
    bits_of: dict[int, int] = {}  # a text's words as bits, made when it has a candidate
    vocab = mod.vocab
    sketch_get, similar_get = sketch_index.get, similar_index.get
    for t in todo:
        ws = pol.word_sets[t]
        shared = ws & vocab
        size = len(ws)
        if 2 * len(shared) < size:
            continue  # fewer than half its words are the model's: no pair passes the test below
        known = sorted(map(rank.__getitem__, shared))
        probe = known[: max(0, _prefix(len(known), (size + 1) // 2))]
        if mod.sketched:
            # Looked up both ways; a candidate is hit at least twice (two shared words, or
            # one rare enough to be in both sketches) unless there is only one word to look up.
            listed: list[int] = []
            for r in probe:
                listed += sketch_get(r, ())
            for r in probe[:SKETCH_WORDS]:
                listed += similar_get(r, ())
            least = 2 if len(probe) > 1 else 1
            found: Iterable[int] = [u for u, c in Counter(listed).items() if c >= least]
        else:
            found = set()
            for r in mod.similar_keys.intersection(probe):
                found.update(similar_index[r])
        if not found:
            continue
        bits = bits_of[t] = _bits(known)
        low, high = (size + 1) // 2, 2 * size  # sizes that can share half of the longer
        for u in found:
            other = m_sizes[u]
            if low <= other <= high and 2 * (bits & m_bits[u]).bit_count() >= max(size, other):
                pairs_t.append(t)
                pairs_u.append(u)
    if pairs_t:
        raw = [fuzz.ratio(pol.texts[t], m.texts[u], score_cutoff=_sentence_cutoff(pol.text_chars[t], m.text_chars[u]))
               for t, u in zip(pairs_t, pairs_u)]
        for t, u, s in zip(pairs_t, pairs_u, _f32(raw)):
            if s:
                scores.setdefault(t, {})[u] = s
    # Containment is looked for only in sentences that matched nothing whole.
    pairs_t, pairs_u = [], []
    contained_index, contained_words = mod.contained_index, mod.contained_words
    for t in todo:
        if t in scores:  # every score kept so far is a whole-sentence match (>= SENTENCE_MATCH)
            continue
        chars = pol.text_chars[t]
        found = set()
        for w in pol.word_sets[t] & contained_words:
            found.update(contained_index[rank[w]])
        if not found:
            continue
        bits = bits_of.get(t)
        if bits is None:
            bits = _bits(map(rank.__getitem__, pol.word_sets[t] & vocab))
        for u in found:
            if chars > m.text_chars[u] * 1.3 and 4 * (bits & m_bits[u]).bit_count() >= 3 * m_sizes[u]:
                pairs_t.append(t)
                pairs_u.append(u)
    if pairs_t:
        raw = [fuzz.partial_ratio(pol.texts[t], m.texts[u], score_cutoff=CONTAINED_MATCH) for t, u in zip(pairs_t, pairs_u)]
        for t, u, s in zip(pairs_t, pairs_u, _f32(raw)):
            if s >= CONTAINED_MATCH:
                scores.setdefault(t, {})[u] = s
                contained.setdefault(t, set()).add(u)
    keep = len(pol.texts) <= ROW_CACHE_POLICY
    if keep and len(cache) + len(todo) > ROW_CACHE:
        cache.clear()
    for t in todo:
        found_t = scores.get(t)
        row = (found_t, frozenset(contained[t])) if t in contained else (found_t, _NO_ROW[1]) if found_t else _NO_ROW
        rows[t] = row
        if keep:
            cache[pol.texts[t]] = row
    return [r[0] for r in rows], [r[1] for r in rows]  # type: ignore[index]


def align_model(clauses: list[Clause], model: Model, towns: tuple[str, ...] = ()) -> list[Match]:
    """One `Match` per policy clause: its best clause of `model`."""
    if not clauses:
        return []
    return _align_prepared(clauses, _policy_side(clauses, towns), model, _model_side(model, towns))


def _align_prepared(clauses: list[Clause], pol: _Side, model: Model, mod: _ModelSide, closest: bool = True) -> list[Match]:
    """The clause pairs that share a matched sentence are the only ones with coverage, a
    whole-clause score or a kind; all are kept in dictionaries by (policy clause, model
    clause), so time and memory follow the matches, not the product of the sizes.

    Without `closest`, a clause that matches nothing gets no closest model clause and no
    score (Match(number, model, "", 0.0, "none")): finding them scores the clause's words
    against every model clause, most of the time of aligning a long policy of its own words
    with a short template, and what a template's share reads is the matched clauses."""
    mclauses = model.clauses
    m = mod.side
    n_m = len(mclauses)
    scores, contained = _sentence_scores(pol, mod)
    matched_any = any(scores)

    # Each policy sentence counts once, for the model sentence it matches best (the first
    # one, in model order, of those with the highest score); a contained model sentence
    # covers only its own length of the longer policy sentence.
    p_cov: dict[tuple[int, int], float] = {}
    any_cov: dict[int, float] = {}
    best_of_text: dict[int, int] = {}
    for t, row in enumerate(scores):
        if row:
            top = max(row.values())
            best_of_text[t] = min(m.first[u] for u, s in row.items() if s == top)
    inside_rows: list[int] = []
    for r, t in enumerate(pol.uid):
        b = best_of_text.get(t)
        if b is None:
            continue
        if m.uid[b] in contained[t]:
            inside_rows.append(r)
            continue
        i = pol.owner[r]
        key = (i, m.owner[b])
        p_cov[key] = p_cov.get(key, 0.0) + pol.words[r]
        any_cov[i] = any_cov.get(i, 0.0) + pol.words[r]
    # A long policy sentence (PDF text that ran several template sentences or list items
    # together) covers the words of every template sentence found inside it, each for
    # its own clause, up to its own length.
    for r in inside_rows:
        t = pol.uid[r]
        i = pol.owner[r]
        js = sorted(contained[t])
        words_j = [m.text_words[u] for u in js]
        total_j = math.fsum(words_j)
        kept = min(pol.words[r], total_j)
        for u, w in zip(js, words_j):
            key = (i, m.owner[m.first[u]])
            p_cov[key] = p_cov.get(key, 0.0) + w * (kept / total_j)
        any_cov[i] = any_cov.get(i, 0.0) + kept
    # Words of model clause j kept by policy clause i: its sentences matched by any sentence of i.
    m_cov: dict[tuple[int, int], float] = {}
    if matched_any:
        for i, texts in enumerate(pol.clause_of_texts):
            kept_texts: set[int] = set()
            for t in texts:
                kept_texts.update(scores[t])
            for u in kept_texts:
                for s in m.sentences_of[u]:
                    key = (i, m.owner[s])
                    m_cov[key] = m_cov.get(key, 0.0) + m.words[s]

    p_words = pol.clause_words
    m_words = m.clause_words

    def frac(value: float, whole: float) -> float:
        return min(max(value / whole, 0.0), 1.0) if whole > 0 else 0.0

    # Per policy clause, the model clauses with any coverage: whole-clause similarity is
    # computed exactly where the sentences say the clauses could be the same text (at least
    # half of each side matched; `fuzz.ratio` >= 85 needs that).
    pairs = sorted(set(p_cov) | set(m_cov))
    p_frac = {k: frac(p_cov.get(k, 0.0), p_words[k[0]]) for k in pairs}
    m_frac = {k: frac(m_cov.get(k, 0.0), m_words[k[1]]) for k in pairs}
    close = [k for k in pairs if p_frac[k] * m_frac[k] >= 0.25]
    whole = dict(zip(close, _f32([fuzz.ratio(pol.clause_texts[i], m.clause_texts[j]) for i, j in close])))
    by_clause: dict[int, list[tuple[int, int, float, float]]] = {}  # i -> [(j, rank, total, key)]
    for k in pairs:
        i, j = k
        pf, mf, w = p_frac[k], m_frac[k], whole.get(k, 0.0)
        total = max(w, math.sqrt(pf * mf) * 100.0, 0.0)
        rank = 0
        if p_cov.get(k, 0.0) >= PARTIAL_MIN_WORDS and (pf > 0 or mf > 0):
            rank = 1
        if w >= NEAR or (pf >= NEAR_COVERAGE and mf >= NEAR_COVERAGE):
            rank = 2
        if w >= VERBATIM:
            rank = 3
        by_clause.setdefault(i, []).append((j, rank, total, rank * 1000.0 + total))
    coverage = [frac(any_cov.get(i, 0.0), p_words[i]) for i in range(len(clauses))]
    names = ("none", "partial", "near", "verbatim")
    refs = [_ref(mc) for mc in mclauses]
    m_sizes = [float(len(ws)) for ws in m.clause_sets]

    # No kind anywhere: the score shown is the closest clause's, by whole-clause similarity
    # where sentences matched, else by the share of distinct words in common (Dice), over
    # every model clause.
    unmatched = [i for i in range(len(clauses)) if not any(c[1] > 0 for c in by_clause.get(i, ()))] if closest else []
    dice = _dice(unmatched, pol, mod, m_sizes)
    out: list[Match] = []
    for i, clause in enumerate(clauses):
        cands = by_clause.get(i, [])
        ranked = [c for c in cands if c[1] > 0]
        if ranked:
            b, b_rank, b_total, _ = max(ranked, key=lambda c: (c[3], -c[0]))
        elif not closest:
            out.append(Match(clause.number, model.id, "", 0.0, "none"))
            continue
        else:
            b, b_rank, b_total = _closest_unmatched(dice[i], cands)
        kind = names[b_rank]
        if kind == "none":
            out.append(Match(clause.number, model.id, refs[b], _np_round(b_total, 1), "none"))
            continue
        key_of = {c[0]: c[3] for c in cands}
        merged = [j for j, r, _, _ in cands if r > 0 and (m_frac[(i, j)] >= 0.5 or p_cov.get((i, j), 0.0) >= MERGE_MIN_WORDS)]
        others = [j for j in merged if j != b]
        if len(others) > 1:
            others.sort(key=lambda j: (-key_of[j], j))
        out.append(
            Match(
                clause=clause.number,
                model=model.id,
                model_clause=refs[b],
                score=_np_round(b_total, 1),
                kind=kind,  # type: ignore[arg-type]
                coverage=1.0 if kind == "verbatim" else _np_round(coverage[i], 3),
                model_coverage=_np_round(m_frac[(i, b)], 3),
                also=tuple(refs[j] for j in others),
            )
        )
    return out


def _dice(rows: list[int], pol: _Side, mod: _ModelSide, m_sizes: list[float]) -> dict[int, list[float]]:
    """For each policy clause in `rows`, the Dice share (x 100, single precision) of its
    distinct words with each model clause."""
    if not rows:
        return {}
    rank = mod.rank
    cache = mod.dice_rows
    out: dict[int, list[float]] = {}
    for i in rows:
        words = pol.clause_sets[i]
        row = cache.get(words)
        if row is None:
            bits = _bits(map(rank.__getitem__, words & mod.vocab))
            size = float(len(words))
            if bits:  # (then size >= 1, and max(size + m, 1.0) is size + m)
                row = _f32([200.0 * (bits & other).bit_count() / (size + m) for other, m in zip(mod.clause_bits, m_sizes)])
            else:  # no word in common with any model clause
                row = [0.0] * len(m_sizes)
            if len(pol.texts) <= ROW_CACHE_POLICY:
                if len(cache) >= ROW_CACHE:
                    cache.clear()
                cache[words] = row
        out[i] = row
    return out


def _closest_unmatched(dice: list[float], cands: list[tuple[int, int, float, float]]) -> tuple[int, int, float]:
    """(model clause, 0, score) of the highest score over all model clauses (the first on
    ties): for clauses with coverage their score, for the rest their Dice share."""
    values = list(dice)
    for c in cands:
        values[c[0]] = c[2]
    top = max(values, default=0.0)
    return (values.index(top) if top > 0.0 else 0), 0, top


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

    def __init__(self, clauses: list[Clause], towns: tuple[str, ...] = (), *, closest: bool = True) -> None:
        self.clauses = list(clauses)
        self.towns = towns
        #: False: a clause that matches nothing gets no closest clause (`_align_prepared`)
        self.closest = closest
        self._side: _Side | None = None
        self._done: dict[int, tuple[Model, list[Match]]] = {}
        self._rows: list[int] | None = None  # `narrowed`: the only clauses aligned
        self._narrow: Aligner | None = None  # those clauses' own aligner

    def touched(self, model: Model) -> tuple[list[int], frozenset[int]]:
        """The clauses with a sentence that matches a sentence of `model`, and the model's
        clauses those sentences are in. A clause with none matches no clause of `model`,
        nor of any model whose sentences are among its own (a template's, of all the
        templates aligned as one), whatever the kind asked for."""
        pol = self._policy()
        mod = _model_side(model, self.towns)
        scores, _ = _sentence_scores(pol, mod)
        rows = sorted({pol.owner[r] for r, t in enumerate(pol.uid) if scores[t]})
        m = mod.side
        hit = frozenset(m.owner[r] for row in scores if row for u in row for r in m.sentences_of[u])
        return rows, hit

    def narrowed(self, rows: list[int]) -> "Aligner":
        """This policy, normalised once for both, with only the clauses at `rows` aligned and
        the rest matching nothing, with no closest clause: what a template's share reads
        (`recognise` reads the matched clauses only) when `rows` are the clauses `touched` by
        the templates, aligned in a fraction of the time."""
        twin = Aligner(self.clauses, self.towns, closest=False)
        twin._side = self._policy()
        twin._rows = list(rows)
        return twin

    def subset(self, rows: list[int]) -> "Aligner":
        """An aligner of these clauses (positions, in order) alone, with their normal forms
        taken from this one's."""
        sub = Aligner([self.clauses[i] for i in rows], self.towns, closest=self.closest)
        sub._side = self._policy().subset(rows)
        return sub

    def _policy(self) -> _Side:
        if self._side is None:
            self._side = _policy_side(self.clauses, self.towns)
        return self._side

    def matches(self, model: Model) -> list[Match]:
        hit = self._done.get(id(model))
        if hit is not None and hit[0] is model:
            return list(hit[1])
        if not self.clauses:
            return []
        if self._rows is not None:
            if self._narrow is None:
                self._narrow = self.subset(self._rows)
            out = [Match(c.number, model.id, "", 0.0, "none") for c in self.clauses]
            for i, m in zip(self._rows, self._narrow.matches(model)):
                out[i] = m
            self._done[id(model)] = (model, out)
            return list(out)
        out = _align_prepared(self.clauses, self._policy(), model, _model_side(model, self.towns), self.closest)
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
    department can mix editions); `changed` the matched policy clauses whose words are not
    the template's word for word (what the department rewrote, added or cut inside them).
    """

    template: str | None
    share: float
    clauses: tuple[str, ...]
    dropped: tuple[str, ...]  # template clauses the policy has nothing for
    edition: str | None = None
    template_clauses: int = 0  # clauses of the closest edition
    kept: int = 0  # of those, how many the policy has
    editions: tuple[tuple[str, str], ...] = ()  # (policy clause, edition id)
    changed: tuple[str, ...] = ()  # policy clauses that keep a template clause with edits


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
    clauses = tuple(_renamed(mc, model=family, number=f"{e.id}|{_ref(mc)}", maps_to=mc.key, answers=())
                    for e in eds for mc in e.clauses)
    # Read from files, it is kept on disk prepared, like each of them (see `cache`).
    digest = "+".join(e.digest for e in eds) if all(e.digest for e in eds) else ""
    model = Model(id=family, kind="family", title=family, source="", date="", clauses=clauses, family=family, digest=digest)
    _FAMILY_CACHE[key] = model
    return model


_FAMILY_CACHE: dict[tuple, Model] = {}


def _renamed(mc: ModelClause, **changes) -> ModelClause:
    """`mc` with other names and the same text, so the same sentences (found once: the
    models' cache gives them with the clause)."""
    out = replace(mc, **changes)
    out.__dict__["sentences"] = mc.sentences
    return out


def editions_by_family(templates: Iterable[Model]) -> dict[str, list[Model]]:
    """Each template family (by id, in order) with its editions, the family's reference
    edition (the one whose id is the family's) first, then by id."""
    by_family: dict[str, list[Model]] = {}
    for t in templates:
        by_family.setdefault(t.family or t.id, []).append(t)
    return {f: sorted(by_family[f], key=lambda m: (m.id != f, m.id)) for f in sorted(by_family)}


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
    by_family = editions_by_family(t for t in templates if t.id in per_model)
    total = sum(c.words for c in clauses)
    if not by_family:
        return Boilerplate(None, 0.0, (), ())
    normal: dict[int, str] = {}
    ranked: list[tuple] = []
    for family, eds in by_family.items():
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
        changed=tuple(clauses[i].number for i in sorted(chosen) if chosen[i][1].kind != "verbatim"),
    )
