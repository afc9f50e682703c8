"""Step 3 of the guide: one page to take to the chief, the mayor or the council.

The page carries the seven verdicts (as a person sees them: a silence the guide counts as a
red flag is a gap; an answer the tool cannot classify is UNCLEAR, with the sentence to read
yourself), a one-line quote of the clause that earns each, the three most important
changes to ask for, the share of the policy that is template boilerplate, and the date of the
analysis. The changes come from the draft (`draft.draft`), ranked: red-flag clauses the draft
replaces first, in the guide's question order; then protections it inserts where the guide
counts silence as a red flag; then anything else it adds. Each is worded with the rubric's
`Ask:` line, so the wording stays in data (models/rubric.md).

Writers for HTML and .docx are in `writers/onepager.py`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .analysis import Analysis
from .draft import draft as make_draft
from .errors import InputError
from .titles import policy_title
from .judge import Finding
from .models import get_model, load_rubric

__all__ = ["OnePager", "Row", "AskItem", "build_onepager", "one_line"]

#: How many changes the page asks for.
ASKS = 3
#: A quote longer than this is cut at a word boundary, with an ellipsis.
QUOTE_CHARS = 150

_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Row:
    """One of the seven questions."""

    question: str  # the fixed id
    short: str  # "Status checks"
    text: str  # the question as the guide asks it
    verdict: str  # red | green | silent | gap | unclear (as shown)
    clause: str  # the clause that earns the verdict ("" when none)
    quote: str  # one line: the clause's words, or what is missing


@dataclass(frozen=True)
class AskItem:
    """One change to ask for."""

    question: str
    short: str
    ask: str  # the rubric's Ask: line
    action: str  # "replace" | "insert"
    clauses: tuple[str, ...]  # the policy's clauses it replaces (empty for an insert)

    @property
    def where(self) -> str:
        if self.action == "replace" and self.clauses:
            return "Replace " + _and(self.clauses)
        return "Add a new section"


@dataclass(frozen=True)
class OnePager:
    department: str
    town: str
    title: str  # the policy's own title
    source: str
    date: dt.date
    rows: tuple[Row, ...]
    asks: tuple[AskItem, ...]
    boilerplate: str  # one sentence
    boilerplate_share: float
    template: str | None

    @property
    def heading(self) -> str:
        title = self.title if self.title and self.title not in (self.department, self.town) else ""
        return one_line(f"{self.department}: {title}" if title else self.department, 140)

    def counts(self) -> dict[str, int]:
        out = {"red": 0, "gap": 0, "green": 0, "silent": 0, "unclear": 0}
        for r in self.rows:
            out[r.verdict] = out.get(r.verdict, 0) + 1
        return out

    @property
    def to_read(self) -> tuple[Row, ...]:
        """The answers a person must read (verdict `unclear`)."""
        return tuple(r for r in self.rows if r.verdict == "unclear")


def _and(items: tuple[str, ...]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def one_line(text: str, limit: int = QUOTE_CHARS) -> str:
    """`text` on one line, cut at a word boundary to at most `limit` characters."""
    text = " ".join(_BAD_CHARS.sub("\ufffd", text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:.-\u2013\u2014") + "\u2026"


def _shown(f: Finding) -> str:
    return "gap" if f.verdict == "silent" and f.gap else f.verdict


def _row(f: Finding, short: str) -> Row:
    shown = _shown(f)
    e = next((x for x in f.evidence if x.flag == f.verdict), None)
    if e is not None:
        from .quotes import shorten

        return Row(f.question, short, f.text, shown, e.cite or e.clause, shorten(_BAD_CHARS.sub("\ufffd", e.text), QUOTE_CHARS, f.question))
    if shown == "unclear":  # never "does not address": the policy speaks to it somewhere
        return Row(f.question, short, f.text, shown, "", "The policy speaks to this, but the tool cannot classify it: read the policy yourself.")
    if shown == "gap":
        return Row(f.question, short, f.text, shown, "", one_line("Missing: " + f.gap))
    return Row(f.question, short, f.text, shown, "", "The policy does not address this.")


def _boilerplate(a: Analysis) -> tuple[str, str | None]:
    bp = a.boilerplate
    if bp.template is None:
        return "No template detected: the policy's wording is the department's own.", None
    try:
        name = get_model(bp.edition or bp.template).title
    except InputError:
        name = bp.template
    name = re.sub(r"\s*\((?:template|example)\)\s*$", "", name)
    # What the department rewrote inside the licensed text is what it chose to say itself:
    # a council can ask about those sections first.
    changed = ""
    if bp.changed:
        listed = ", ".join(bp.changed[:6]) + (f" and {len(bp.changed) - 6} more" if len(bp.changed) > 6 else "")
        changed = f"; the department changed {listed}"
    return (
        f"{bp.share:.0%} of the policy's words are boilerplate from {name} "
        f"({len(bp.clauses)} of {len(a.clauses)} clauses{changed}).",
        bp.template,
    )


def rank_asks(analysis: Analysis, changes, limit: int = ASKS) -> tuple[AskItem, ...]:
    """The changes to ask for, most important first (see the module's docstring)."""
    rubric = load_rubric()
    shown = {f.question: _shown(f) for f in analysis.scorecard.findings}
    order = {f.question: i for i, f in enumerate(analysis.scorecard.findings)}
    own = {c.number for c in analysis.clauses}
    replaced: dict[str, list[str]] = {}
    inserted: set[str] = set()
    for c in changes:
        if not c.question or c.question not in shown:
            continue
        if c.action == "replace" and c.clause in own:
            got = replaced.setdefault(c.question, [])
            if c.clause not in got:
                got.append(c.clause)
        elif c.action == "insert":
            inserted.add(c.question)

    def tier(q: str) -> int:
        if q in replaced and shown[q] == "red":
            return 0
        if shown[q] == "gap":
            return 1
        return 2

    candidates = [q for q in order if shown[q] != "green" and (q in replaced or q in inserted)]
    candidates.sort(key=lambda q: (tier(q), order[q]))
    out = []
    for q in candidates[:limit]:
        question = rubric.question(q)
        clauses = tuple(sorted(replaced.get(q, []), key=lambda n: [c.number for c in analysis.clauses].index(n)))
        action = "replace" if clauses else "insert"
        out.append(AskItem(q, question.short or q, question.ask, action, clauses))
    return tuple(out)


def build_onepager(analysis: Analysis, *, town: str | None = None, department: str | None = None, date: dt.date) -> OnePager:
    """The page's content for an analysed policy (drafts the amendment to rank the changes)."""
    from .draft import is_about_immigration, standalone_policy

    # The page ranks the draft's changes and names no approving body, so none is asked for;
    # a policy on no immigration question is measured against a separate policy for it.
    make = make_draft if is_about_immigration(analysis) else standalone_policy
    amendment = make(analysis, town=town, department=department, board="the approving body")
    rubric = load_rubric()
    rows = tuple(_row(f, rubric.question(f.question).short or f.question) for f in analysis.scorecard.findings)
    line, template = _boilerplate(analysis)
    return OnePager(
        department=department or analysis.department or amendment.names.department,
        town=amendment.names.town,
        title=policy_title(analysis.document, department or analysis.department),
        source=analysis.document.source,
        date=date,
        rows=rows,
        asks=rank_asks(analysis, amendment.changes),
        boilerplate=line,
        boilerplate_share=analysis.boilerplate.share,
        template=template,
    )
