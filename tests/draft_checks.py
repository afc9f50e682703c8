"""What a draft town counsel would sign must satisfy, checked the same way on every draft:
its sections in order, no question answered twice, every reference to a section real, and
no sentence of the department's own text left in it that reads red on its own."""

from __future__ import annotations

import re

from policy_redline import numbering
from policy_redline.draft import section_headings
from policy_redline.models import QUESTION_IDS, model_policy

_REFERENCE = re.compile(r"\(see section ([^\s()]+(?:\([^()\s]*\))*)\)")


def topic_sections(analysis) -> dict[str, list[str]]:
    """For each question, the sections of a policy whose heading names its topic (as the
    model policy's `Topic:` words say)."""
    model = model_policy()
    headings = section_headings(analysis)
    out: dict[str, list[str]] = {}
    for q in QUESTION_IDS:
        mc = next(mc for mc in model.clauses if mc.flag_for(q) == "green")
        groups = []
        for c in analysis.clauses:
            if mc.on_topic(c.heading):
                groups.append(c.number)
            elif not c.heading and mc.on_topic(headings.get(c.number, "")):
                groups.append(numbering.parent_of(c.number) or c.number)  # the items of one outline group
        groups = list(dict.fromkeys(groups))
        out[q] = groups
    return out


def red_sentences(amendment, *, own_only: bool = True) -> list[tuple[str, str]]:
    """(sentence, question or "disapplies") for each sentence of the draft that reads red on
    its own, as the judge reads a sentence (a list item with its lead-in), or that switches
    the policy's protections off. `own_only`: only the department's own kept text (what the
    draft promises to have cleared); else the inserted model text too."""
    from policy_redline.draft import sentence_readings
    from policy_redline.provisions import QUESTIONS, disapplies, load_lexicon, read_sentence

    lexicon = load_lexicon()
    out = []
    for p, quoted, read in sentence_readings(amendment.paragraphs, amendment.source, amendment.title):
        if own_only and quoted not in p.original:
            continue  # words the draft put in a kept paragraph (a reference it rewrote)
        red = next((q for q in QUESTIONS if (r := read_sentence(quoted, read, lexicon, q)) is not None and r.color == "red"), None)
        if red or disapplies(read, lexicon):
            out.append((quoted, red or "disapplies"))
    return out


def assert_drafted_well(before, amendment, after) -> None:
    numbers = [c.number for c in after.clauses]
    original = [c.number for c in before.clauses]
    # in order wherever the policy was; never more out of order than the policy itself
    assert numbering.disorder(numbers) <= numbering.disorder(original), (original, numbers)
    was = topic_sections(before)
    now = topic_sections(after)
    for q in QUESTION_IDS:
        assert len(now[q]) <= max(1, len(was[q])), (q, was[q], now[q])
    text = "\n".join(p.amended for p in amendment.paragraphs if p.amended)
    for ref in _REFERENCE.findall(text):
        assert ref in numbers, (ref, numbers)
    assert "(see Immigration status inquiries)" not in text or any(c.heading.lower() == "immigration status inquiries" for c in after.clauses)
    if "log of contacts with federal immigration authorities that this policy requires" in text:
        assert "shall keep a log of every contact with federal immigration authorities" in text
    assert not red_sentences(amendment), red_sentences(amendment)
