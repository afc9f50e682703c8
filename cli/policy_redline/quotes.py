"""Quotes shortened around the words that earned the flag.

A sentence that earns a verdict is often long ("An officer who has a reasonable suspicion …
has committed a criminal violation of federal immigration law may detain the person … in
order to contact federal immigration officials …"), and its first 200 characters can stop
before the words that matter. `shorten` finds those words the way the judge reads them (the
question's action patterns in `models/provisions.md`, over the sentence's reading form),
keeps a window around them, cuts on word boundaries and marks each cut with an ellipsis.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[\w§][\w'’-]*")
_TRIM = " ,;:.-\u2013\u2014"


def earning_span(text: str, question: str | None) -> tuple[int, int] | None:
    """Where in `text` the words that speak to `question` are (character offsets), if found."""
    if not question:
        return None
    try:
        from .provisions import load_lexicon, reading_form

        lexicon = load_lexicon()
    except Exception:  # the lexicon is data; a quote never fails because of it
        return None
    form = reading_form(text)
    rules = lexicon.rules.get(question, {})
    found = None
    # The action rules first, the longest match (it holds the action and what it is for);
    # the words that only name the topic when no rule matches.
    for group in (("always", "red", "bad", "good"), ("named",)):
        for kind in group:
            for rx in rules.get(kind, ()):
                for m in rx.finditer(form):
                    if found is None or len(m.group(0)) > len(found.group(0)):
                        found = m
        if found is not None:
            break
    if found is None and lexicon.topics and question in lexicon.topics:
        found = lexicon.topics[question].search(form)
    if found is None:
        return None
    words = found.group(0).split()
    words = [w for w in words if w not in (";", ":", ",")]
    if not words:
        return None
    tokens = [(m.start(), m.end(), reading_form(m.group(0))) for m in _WORD.finditer(text)]
    first = next((i for i, t in enumerate(tokens) if t[2] == words[0]
                  and (len(words) < 2 or any(u[2] == words[1] for u in tokens[i + 1:i + 4]))), None)
    if first is None:
        first = next((i for i, t in enumerate(tokens) if t[2] == words[0]), None)
    if first is None:
        return None
    last = next((j for j in range(first, min(len(tokens), first + len(words) + 40)) if tokens[j][2] == words[-1]), first)
    return tokens[first][0], tokens[last][1]


def shorten(text: str, limit: int, question: str | None = None) -> str:
    """`text` (one line) in at most `limit` characters, keeping the words that earned the
    flag for `question`; every cut is on a word boundary and shown by an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    span = earning_span(text, question)
    start = 0
    after = 90  # words after the earning ones: what the action is for ("to contact federal immigration officials")
    if span is not None and (span[1] - span[0]) > limit * 0.6:
        # a long match runs from its subject to its verb: the verb and what it does matter
        span = (max(span[0], span[1] - 40), span[1])
        after = min(after, limit // 2)
    if span is not None and min(len(text), span[1] + after) > limit - 1:
        s, e = span
        want_end = min(len(text), e + after)
        start = min(s, max(0, want_end - (limit - 2)))  # two ellipses
        if start > 0:  # start on a word
            nxt = text.find(" ", start - 1)
            start = nxt + 1 if 0 <= nxt < s else s
    budget = limit - 1 - (1 if start > 0 else 0)
    end = start + budget
    if end >= len(text):
        end = len(text)
        piece = text[start:end]
    else:
        piece = text[start:end]
        if text[end] != " " and " " in piece:
            piece = piece[: piece.rfind(" ")]
    piece = piece.strip()
    out = ("\u2026" if start > 0 else "") + (piece.rstrip(_TRIM) if start + len(piece) < len(text) else piece)
    if start + len(piece) < len(text):
        out += "\u2026"
    return out
