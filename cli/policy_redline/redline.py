"""The redline stage: word-level edits between an original and an amended text.

`diff_words` is diff-match-patch run over *tokens* instead of characters: every word,
whitespace run and punctuation mark is encoded as one character (the `diff_linesToChars`
trick, applied to tokens), the encoded strings are diffed and cleaned up semantically, and the
result is decoded back to text.  Because diffing and cleanup both happen on the encoded
strings, every edit boundary falls on a token boundary: an edit never splits a word.

Two details differ from a plain `diff_main` + `diff_cleanupSemantic` on characters, both on
purpose:

* the clock never decides anything: diff-match-patch's deadline is replaced by a budget of
  edit-distance steps (`_EffortBudget`), so the same inputs give the same edits on every
  machine, and a pathological pair of texts still finishes in bounded time.  Long texts are
  first diffed line by line, then sentence by sentence, and only the changed stretches are
  diffed token by token.
* diff-match-patch's "semantic lossless" pass, which slides an edit sideways to a nicer
  boundary, scores boundaries by looking at characters; here it looks at the *decoded* tokens
  on each side and only ever moves by whole tokens.

Whatever happens, the result satisfies the invariant checked at the end of `diff_words`
(original = equal+delete texts, amended = equal+insert texts); if a fallback path were ever to
violate it, the whole text is reported as replaced instead.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from typing import Iterable, Literal, Sequence

from diff_match_patch import diff_match_patch

EditOp = Literal["equal", "insert", "delete"]
ParagraphKind = Literal["heading", "paragraph", "list_item"]

__all__ = [
    "Edit",
    "Redline",
    "RedlineParagraph",
    "diff_words",
    "pair_paragraphs",
    "tokenize",
]


@dataclass(frozen=True)
class Edit:
    """One stretch of text that is kept, inserted or deleted."""

    op: EditOp
    text: str


# --------------------------------------------------------------------------- tokens

# A word: letters/digits/underscore, with an apostrophe or hyphen *between* word characters
# kept inside ("officer's", "non-citizen", "287(g)" stays 287 ( g ) though).  Whitespace runs
# are one token; anything else is one token per character (then glued to its combining marks).
_TOKEN_RE = re.compile(r"\w+(?:['\u2019\u2010\u2011-]\w+)*|\s+|.", re.DOTALL)

_ZWJ = "\u200d"


def _is_extender(ch: str) -> bool:
    """A character that belongs to the token before it (combining marks, joiners, variation
    selectors, emoji skin-tone modifiers, tag characters)."""
    cp = ord(ch)
    if 0x1F3FB <= cp <= 0x1F3FF or 0xE0020 <= cp <= 0xE007F:
        return True
    if ch in "\u200c\u200d" or 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF:
        return True
    return unicodedata.category(ch)[0] == "M"


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def tokenize(text: str) -> list[str]:
    """Split `text` into words, whitespace runs and single punctuation/symbol characters.

    ''.join(tokenize(t)) == t for every string.  Combining marks, zero-width joiners,
    variation selectors and emoji modifiers stay with the character they modify, and a
    ZWJ-joined emoji sequence is one token, so a grapheme is never split between tokens.
    """
    raw = _TOKEN_RE.findall(text)
    if text.isascii():
        return raw  # no combining marks or joiners: nothing to glue
    out: list[str] = []
    for tok in raw:
        # Gluing needs a non-ASCII character on one side (marks, joiners, modifiers).
        if out and not (tok[0].isascii() and out[-1][-1].isascii()):
            prev = out[-1]
            first = tok[0]
            if not first.isspace() and (
                _is_extender(first)  # a mark belongs to what it modifies
                or prev.endswith(_ZWJ)  # ZWJ sequences (emoji families, Indic conjuncts)
                or (_is_word_char(first) and _is_word_char(prev[0]) and _is_extender(prev[-1]))
            ):
                out[-1] = prev + tok  # a word continues after a combining mark
                continue
        out.append(tok)
    return out


# --------------------------------------------------------------------------- encoding


def _alphabet_char(i: int) -> str:
    """The i-th character of the encoding alphabet: every code point except surrogates."""
    return chr(i) if i < 0xD800 else chr(i + 0x800)


_ALPHABET_SIZE = 0x110000 - 0x800  # all code points minus the surrogate block


class _TooManyTokens(Exception):
    pass


class _Encoder:
    """Maps token strings to single characters and back (shared by both texts)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.index: dict[str, str] = {}
        self.units: list[str] = []

    def encode(self, units: Sequence[str]) -> str:
        chars = []
        index = self.index
        for u in units:
            c = index.get(u)
            if c is None:
                if len(self.units) >= self.limit:
                    raise _TooManyTokens
                c = _alphabet_char(len(self.units))
                index[u] = c
                self.units.append(u)
            chars.append(c)
        return "".join(chars)

    def decode_units(self, chars: str) -> list[str]:
        units = self.units
        return [units[_alphabet_index(c)] for c in chars]


def _alphabet_index(c: str) -> int:
    o = ord(c)
    return o if o < 0xD800 else o - 0x800


class _EffortBudget:
    """Stands in for diff-match-patch's deadline so that effort, not the clock, bounds a diff.

    diff-match-patch's bisection checks ``time.time() > deadline`` once per edit-distance step
    ``d``; Python evaluates that as ``deadline.__lt__(now)``, which here counts the step.  Once
    the budget is spent, any remaining bisection reports its piece as replaced -- exactly what
    a timeout does, but at the same point on every machine, so output is reproducible.
    """

    def __init__(self, steps: int) -> None:
        self.left = steps

    def __lt__(self, other: object) -> bool:
        self.left -= 1
        return self.left < 0

    def __gt__(self, other: object) -> bool:
        return False


# Edit-distance steps (summed over all bisections of one diff) before giving up on finding
# a minimal diff.  Paragraph rewrites need well under a hundred; two unrelated 2,000-word
# texts would otherwise cost tens of seconds.
_EFFORT_STEPS = 1200


class _TokenDMP(diff_match_patch):
    """diff-match-patch over encoded tokens: semantic-lossless scores decoded token
    boundaries; the deadline is an effort budget (see `_EffortBudget`), so the half-match
    speed-up, which is deterministic, stays on."""

    def __init__(self, encoder: _Encoder) -> None:
        super().__init__()
        self.Diff_Timeout = 1.0  # > 0 keeps diff_halfMatch on; the clock itself is never read
        self._encoder = encoder

    def _score(self, one: str, two: str) -> int:
        if not one or not two:
            return 6
        units = self._encoder.units
        left = units[_alphabet_index(one[-1])]
        right = units[_alphabet_index(two[0])]
        char1, char2 = left[-1], right[0]
        nan1, nan2 = not char1.isalnum(), not char2.isalnum()
        ws1 = nan1 and char1.isspace()
        ws2 = nan2 and char2.isspace()
        lb1 = ws1 and char1 in "\r\n"
        lb2 = ws2 and char2 in "\r\n"
        if (lb1 and left.count("\n") >= 2) or (lb2 and right.count("\n") >= 2):
            return 5
        if lb1 or lb2:
            return 4
        if nan1 and not ws1 and ws2:
            return 3
        if ws1 or ws2:
            return 2
        if nan1 or nan2:
            return 1
        return 0

    def diff_cleanupSemanticLossless(self, diffs):  # noqa: N802 (library naming)
        pointer = 1
        while pointer < len(diffs) - 1:
            if diffs[pointer - 1][0] == self.DIFF_EQUAL and diffs[pointer + 1][0] == self.DIFF_EQUAL:
                equality1 = diffs[pointer - 1][1]
                edit = diffs[pointer][1]
                equality2 = diffs[pointer + 1][1]
                common = self.diff_commonSuffix(equality1, edit)
                if common:
                    common_str = edit[-common:]
                    equality1 = equality1[:-common]
                    edit = common_str + edit[:-common]
                    equality2 = common_str + equality2
                best = (equality1, edit, equality2)
                best_score = self._score(equality1, edit) + self._score(edit, equality2)
                while edit and equality2 and edit[0] == equality2[0]:
                    equality1 += edit[0]
                    edit = edit[1:] + equality2[0]
                    equality2 = equality2[1:]
                    score = self._score(equality1, edit) + self._score(edit, equality2)
                    if score >= best_score:  # prefer trailing rather than leading whitespace
                        best_score = score
                        best = (equality1, edit, equality2)
                if diffs[pointer - 1][1] != best[0]:
                    if best[0]:
                        diffs[pointer - 1] = (diffs[pointer - 1][0], best[0])
                    else:
                        del diffs[pointer - 1]
                        pointer -= 1
                    diffs[pointer] = (diffs[pointer][0], best[1])
                    if best[2]:
                        diffs[pointer + 1] = (diffs[pointer + 1][0], best[2])
                    else:
                        del diffs[pointer + 1]
                        pointer -= 1
            pointer += 1


_OP = {0: "equal", 1: "insert", -1: "delete"}

# Above this many tokens on both sides, diff coarser units first (lines, then sentences).
_COARSE_THRESHOLD = 1500

_SENTENCE_RE = re.compile(r".*?(?:[.!?;:](?=\s)\s*|\n+|$)", re.DOTALL)


def _split_lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _split_sentences(text: str) -> list[str]:
    parts = [m.group(0) for m in _SENTENCE_RE.finditer(text) if m.group(0)]
    return parts


def _diff_units(a: Sequence[str], b: Sequence[str], *, semantic: bool, limit: int) -> list[tuple[int, list[str]]]:
    """Diff two sequences of string units (tokens, sentences or lines) with diff-match-patch."""
    encoder = _Encoder(limit)
    ea = encoder.encode(a)
    eb = encoder.encode(b)
    dmp = _TokenDMP(encoder)
    diffs = dmp.diff_main(ea, eb, False, _EffortBudget(_EFFORT_STEPS))
    if semantic:
        dmp.diff_cleanupSemantic(diffs)
    return [(op, encoder.decode_units(chars)) for op, chars in diffs if chars]


def _token_diff(original: str, amended: str, limit: int) -> list[tuple[int, str]]:
    ta, tb = tokenize(original), tokenize(amended)
    if min(len(ta), len(tb)) > _COARSE_THRESHOLD:
        return _coarse_then_fine(original, amended, limit, level=0)
    return [(op, "".join(units)) for op, units in _diff_units(ta, tb, semantic=True, limit=limit)]


def _coarse_then_fine(original: str, amended: str, limit: int, level: int) -> list[tuple[int, str]]:
    """Diff lines (level 0) or sentences (level 1), then refine each changed stretch."""
    splitter = _split_lines if level == 0 else _split_sentences
    ua, ub = splitter(original), splitter(amended)
    if len(ua) <= 1 and len(ub) <= 1:
        if level == 0:
            return _coarse_then_fine(original, amended, limit, level=1)
        # One enormous sentence each: nothing coarser to go by; token diff it is.
        ta, tb = tokenize(original), tokenize(amended)
        return [(op, "".join(u)) for op, u in _diff_units(ta, tb, semantic=True, limit=limit)]
    coarse = _diff_units(ua, ub, semantic=False, limit=limit)
    out: list[tuple[int, str]] = []
    dels: list[str] = []
    ins: list[str] = []

    def flush() -> None:
        if not dels and not ins:
            return
        da, db = "".join(dels), "".join(ins)
        if da and db:
            ta, tb = tokenize(da), tokenize(db)
            if min(len(ta), len(tb)) > _COARSE_THRESHOLD and level == 0:
                out.extend(_coarse_then_fine(da, db, limit, level=1))
            else:
                out.extend((op, "".join(u)) for op, u in _diff_units(ta, tb, semantic=True, limit=limit))
        elif da:
            out.append((-1, da))
        else:
            out.append((1, db))
        dels.clear()
        ins.clear()

    for op, units in coarse:
        if op == -1:
            dels.extend(units)
        elif op == 1:
            ins.extend(units)
        else:
            flush()
            out.append((0, "".join(units)))
    flush()
    return out


def _char_diff(original: str, amended: str) -> list[tuple[int, str]]:
    """Fallback: a character diff cleaned up semantically (used if tokens cannot be encoded)."""
    dmp = diff_match_patch()
    diffs = dmp.diff_main(original, amended, False, _EffortBudget(_EFFORT_STEPS))
    dmp.diff_cleanupSemantic(diffs)
    return list(diffs)


def _normalise(diffs: Iterable[tuple[int, str]]) -> list[Edit]:
    """Drop empty edits and merge adjacent edits of the same op."""
    out: list[Edit] = []
    for op, text in diffs:
        if not text:
            continue
        name = _OP[op]
        if out and out[-1].op == name:
            out[-1] = Edit(name, out[-1].text + text)
        else:
            out.append(Edit(name, text))
    return out


def _holds(edits: list[Edit], original: str, amended: str) -> bool:
    return (
        "".join(e.text for e in edits if e.op != "insert") == original
        and "".join(e.text for e in edits if e.op != "delete") == amended
    )


def diff_words(original: str, amended: str, *, _alphabet_limit: int = _ALPHABET_SIZE) -> list[Edit]:
    """Word-level edits turning `original` into `amended`.

    Edits are whole tokens (words, whitespace runs, punctuation marks); adjacent edits of the
    same op are merged; empty edits never appear.  For any Unicode input:

        ''.join(e.text for e in edits if e.op != 'insert') == original
        ''.join(e.text for e in edits if e.op != 'delete') == amended

    The result is deterministic (effort is bounded by steps, never by the clock).  If the texts have more distinct tokens
    than the encoding alphabet holds (over a million), a semantically cleaned-up character
    diff is used instead.
    """
    if original == amended:
        return [Edit("equal", original)] if original else []
    if not original:
        return [Edit("insert", amended)]
    if not amended:
        return [Edit("delete", original)]
    try:
        edits = _normalise(_token_diff(original, amended, _alphabet_limit))
    except _TooManyTokens:
        edits = _normalise(_char_diff(original, amended))
    if not _holds(edits, original, amended):  # pragma: no cover - defensive
        edits = [Edit("delete", original), Edit("insert", amended)]
    return edits


# --------------------------------------------------------------------------- redline model


@dataclass(frozen=True)
class RedlineParagraph:
    """One paragraph of a redline: its original and amended text.

    `original == ""` means the paragraph is newly inserted; `amended == ""` means it is
    deleted.  `comment` says why the change was made (a Word comment anchored on the change,
    a footnote in Markdown and HTML); "" means no comment.
    """

    original: str
    amended: str
    kind: ParagraphKind = "paragraph"
    level: int = 0
    comment: str = ""

    @cached_property
    def _edits(self) -> tuple[Edit, ...]:
        return tuple(diff_words(self.original, self.amended))

    @property
    def edits(self) -> list[Edit]:
        return list(self._edits)

    @property
    def changed(self) -> bool:
        return self.original != self.amended

    @property
    def inserted(self) -> bool:
        """The whole paragraph is new."""
        return not self.original and bool(self.amended)

    @property
    def deleted(self) -> bool:
        """The whole paragraph goes."""
        return bool(self.original) and not self.amended


@dataclass(frozen=True)
class Redline:
    """A document-level redline: paragraphs in order, with who and when for revision marks."""

    title: str
    paragraphs: tuple[RedlineParagraph, ...]
    author: str = "policy-redline"
    date: str = "2026-01-01T00:00:00Z"  # fixed default so output is byte-reproducible

    @property
    def changed(self) -> bool:
        return any(p.changed for p in self.paragraphs)


# --------------------------------------------------------------------------- pairing


def _similarity(a: str, b: str) -> float:
    """Word-set overlap (Dice coefficient on lower-cased words), 0..1."""
    wa = {t.lower() for t in tokenize(a) if t[0].isalnum()}
    wb = {t.lower() for t in tokenize(b) if t[0].isalnum()}
    if not wa or not wb:
        return 0.0
    return 2 * len(wa & wb) / (len(wa) + len(wb))


def pair_paragraphs(
    original: Sequence[str], amended: Sequence[str], *, threshold: float = 0.3
) -> list[tuple[int | None, int | None]]:
    """Pair two paragraph sequences in order: (i, j) for a kept or edited paragraph,
    (i, None) for a deleted one, (None, j) for an inserted one.

    Identical paragraphs are matched first by a diff over whole paragraphs; within each
    stretch that differs, deleted and inserted paragraphs are paired by an order-preserving
    alignment that maximises word overlap, pairing only above `threshold`.  A helper for
    building a `Redline` from two documents whose paragraphs the caller has not aligned.
    """
    coarse = _diff_units(list(original), list(amended), semantic=False, limit=_ALPHABET_SIZE)
    out: list[tuple[int | None, int | None]] = []
    i = j = 0
    dels: list[int] = []
    ins: list[int] = []

    def flush() -> None:
        out.extend(_align_block(dels, ins, original, amended, threshold))
        dels.clear()
        ins.clear()

    for op, units in coarse:
        for _ in units:
            if op == 0:
                flush()
                out.append((i, j))
                i += 1
                j += 1
            elif op == -1:
                dels.append(i)
                i += 1
            else:
                ins.append(j)
                j += 1
    flush()
    return out


def _align_block(
    dels: list[int], ins: list[int], original: Sequence[str], amended: Sequence[str], threshold: float
) -> list[tuple[int | None, int | None]]:
    if not dels or not ins:
        return [(d, None) for d in dels] + [(None, k) for k in ins]
    n, m = len(dels), len(ins)
    if n * m > 250_000:  # very long unmatched stretch: pair by position
        pairs = list(zip(dels, ins))
        return [(d, k) for d, k in pairs] + [(d, None) for d in dels[m:]] + [(None, k) for k in ins[n:]]
    sim = [[_similarity(original[d], amended[k]) for k in ins] for d in dels]
    # best[a][b]: best total similarity aligning dels[a:] with ins[b:]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for a in range(n - 1, -1, -1):
        for b in range(m - 1, -1, -1):
            take = sim[a][b] + best[a + 1][b + 1] if sim[a][b] >= threshold else -1.0
            best[a][b] = max(take, best[a + 1][b], best[a][b + 1])
    out: list[tuple[int | None, int | None]] = []
    a = b = 0
    while a < n and b < m:
        if sim[a][b] >= threshold and best[a][b] == sim[a][b] + best[a + 1][b + 1]:
            out.append((dels[a], ins[b]))
            a += 1
            b += 1
        elif best[a][b] == best[a + 1][b]:
            out.append((dels[a], None))
            a += 1
        else:
            out.append((None, ins[b]))
            b += 1
    out += [(dels[x], None) for x in range(a, n)] + [(None, ins[y]) for y in range(b, m)]
    return out
