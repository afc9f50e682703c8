"""What a draft town counsel would sign must satisfy, checked the same way on every draft:
its sections in order, no question answered twice, every reference to a section real."""

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
