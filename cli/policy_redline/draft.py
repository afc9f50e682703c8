"""Draft the amended policy: the department's own policy, fixed, as tracked changes.

A council can adopt an amendment to the policy it already has far more easily than a new
policy, so the draft keeps the department's structure and every clause that is green or
unrelated, replaces each clause that raises a red flag with the model policy's clause for
the same question, and inserts model clauses for the questions the policy is silent on,
next to the section they belong with, numbered as the policy numbers its sections.

A question answered `unclear` (the policy speaks to it, in words the tool cannot classify)
is neither: its clause is kept as written, no model clause is added for it, and the change
list carries a `review` entry for the clause, with a note on the clause itself (a Word
comment; a footnote in Markdown and HTML) saying a person must read it.

The draft is then judged again; any clause still raising a red flag (one that contradicts
what was inserted, like a supervisor's duty to hand a person to ICE) is replaced in turn,
so what comes out never contradicts itself and drafting it again changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz import fuzz

from .analysis import Analysis, analyze_document
from .document import Block, Document
from .errors import InputError
from .models import Model, ModelClause, load_rubric, model_policy
from .normalize import guess_department, normalize, town_of
from .redline import Redline, RedlineParagraph
from .segment import Clause

Action = Literal["replace", "insert", "strike", "keep", "review"]

#: Paired old and new paragraphs at least this similar are shown as an edit of one
#: paragraph; below it, as one paragraph deleted and another inserted (easier to review).
PAIR_SIMILARITY = 55.0
#: Rounds of re-judging the draft before giving up on clauses that stay red.
MAX_ROUNDS = 4

_FILL_IN = re.compile(r"\{(department|town|board)\}")


@dataclass(frozen=True)
class Change:
    """One decision of the draft, for one clause and one question."""

    clause: str
    question: str | None
    action: Action
    reason: str
    model_clause: str = ""  # "model-policy:5" for replace/insert


@dataclass(frozen=True)
class Names:
    """Who the policy belongs to, for the model's fill-ins."""

    department: str
    town: str
    board: str

    def fill(self, text: str) -> str:
        values = {"department": self.department, "town": self.town, "board": self.board}
        return _FILL_IN.sub(lambda m: values[m.group(1)], text)


@dataclass(frozen=True)
class Amendment:
    """The drafted policy: its paragraphs against the original, and why each change."""

    title: str
    names: Names
    paragraphs: tuple[RedlineParagraph, ...]
    changes: tuple[Change, ...]
    source: str = ""

    def redline(self, *, author: str = "policy-redline", date: str = "2026-01-01T00:00:00Z") -> Redline:
        return Redline(self.title, self.paragraphs, author=author, date=date)

    def clean(self, *, author: str = "policy-redline", date: str = "2026-01-01T00:00:00Z") -> Redline:
        """The amended policy alone: no revision marks, no comments."""
        paras = tuple(
            RedlineParagraph(p.amended, p.amended, p.kind, p.level) for p in self.paragraphs if p.amended
        )
        return Redline(self.title, paras, author=author, date=date)

    @property
    def changed(self) -> bool:
        """True when the draft changes the policy's text (a `review` note changes nothing)."""
        return any(c.action in ("replace", "insert", "strike") for c in self.changes)

    @property
    def to_read(self) -> tuple[Change, ...]:
        """The clauses a person must read: questions the policy answers `unclear`."""
        return tuple(c for c in self.changes if c.action == "review")

    def to_docx(self, original: bytes, *, clean: bool = False, author: str = "policy-redline",
                date: str = "2026-01-01T00:00:00Z") -> bytes | None:
        """The draft inside the department's own .docx (`original`): its package kept part for
        part, tracked changes in the body, each reason a comment anchored on the change; with
        `clean`, every change accepted and no comments. None when the .docx's paragraphs are
        not the ones this draft was made from (the caller then writes a new document)."""
        from .writers.docx_package import TextPara, accept_in_package, redline_paragraphs

        paras: list[TextPara] = []
        pairs: list[tuple[int | None, int | None]] = []
        k = 0
        for p in self.paragraphs:
            paras.append(TextPara(p.amended, p.kind, p.level, "" if clean else p.comment))
            if p.original:
                pairs.append((k, len(paras) - 1))
                k += 1
            else:
                pairs.append((None, len(paras) - 1))
        originals = [p.original for p in self.paragraphs if p.original]
        try:
            data = redline_paragraphs(original, paras, pairs=pairs, blocks_from_reader=True, expect=originals,
                                      author=author, date=date, source=self.source)
        except ValueError:
            return None
        return accept_in_package(data) if clean else data

    def document(self) -> Document:
        """The amended policy as a document, for analysing the draft like any policy."""
        return _amended_document(self.source, self.title, self.paragraphs)


def _amended_document(source: str, title: str, paragraphs) -> Document:
    """What accepting every change gives, as a document the pipeline can read again."""
    return Document(source, title, tuple(Block(p.amended, p.kind, p.level) for p in paragraphs if p.amended), "draft")


# --- names ---------------------------------------------------------------------------------


def resolve_names(document: Document, town: str | None = None, department: str | None = None, board: str | None = None) -> Names:
    """Fill-in values from the options, else guessed from the policy's own text."""
    guessed = guess_department(document.text)
    department = department or (f"{town} Police Department" if town and not guessed else guessed)
    if town is None and department:
        town = town_of(department)
    if not town or not department:
        raise InputError(
            document.source,
            "cannot tell which town or department this policy belongs to; give --town NAME (and --department NAME if it is not the NAME Police Department)",
        )
    if board is None:
        text = document.text
        if re.search(r"\b(?:City Council|Mayor|City of)\b", text):
            board = "the City Council"
        elif re.search(r"\bTown Council\b", text):
            board = "the Town Council"
        else:
            board = "the Select Board"
    return Names(department, town, board)


# --- planning --------------------------------------------------------------------------------


@dataclass
class _Plan:
    """What happens to each clause: replaced by model clauses, or new clauses inserted after it."""

    replace: dict[str, list[ModelClause]] = field(default_factory=dict)
    replace_reasons: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # clause -> [(question, reason)]
    insert_after: dict[str | None, list[tuple[ModelClause, str, str]]] = field(default_factory=dict)  # anchor -> [(mc, question, reason)]
    used: set[str] = field(default_factory=set)


def _short(question: str) -> str:
    return load_rubric().question(question).short or question


def _first_tagged(model: Model, question: str) -> ModelClause | None:
    return next((mc for mc in model.clauses if mc.flag_for(question) == "green"), None)


def _plan(analysis: Analysis, model: Model) -> tuple[_Plan, list[Change]]:
    plan = _Plan()
    changes: list[Change] = []
    clause_order = [c.number for c in analysis.clauses]
    # Clauses that are the model's own words already are never replaced by other model words.
    model_text = {m.clause for m in analysis.per_model.get(model.id, []) if m.kind == "verbatim"}
    # 1. Clauses with red-flag language are replaced by the model's clause for the question.
    for finding in analysis.scorecard.findings:
        if finding.verdict != "red":
            continue
        for e in finding.evidence:
            if e.flag != "red" or e.missing or e.clause in model_text:
                continue
            plan.replace.setdefault(e.clause, [])
            reasons = plan.replace_reasons.setdefault(e.clause, [])
            if all(q != finding.question for q, _ in reasons):
                reasons.append((finding.question, f"{_short(finding.question)}: red flag: {e.reason}"))
    for number in sorted(plan.replace, key=clause_order.index):
        for question, _ in plan.replace_reasons[number]:
            mc = _first_tagged(model, question)
            if mc is not None and mc.ref not in plan.used:
                plan.replace[number].append(mc)
                plan.used.add(mc.ref)
    # 2. Questions with no green language get the model's clause inserted where it belongs.
    placed = _placed_model_clauses(analysis, model, plan)
    for finding in analysis.scorecard.findings:
        if finding.verdict in ("green", "unclear"):  # unclear: a person reads it; see _review
            continue
        mc = _first_tagged(model, finding.question)
        if mc is None or mc.ref in plan.used:
            continue
        plan.used.add(mc.ref)
        if finding.verdict == "silent":
            why = finding.gap or "the policy does not address this question"
            reason = f"{_short(finding.question)}: the policy is silent ({why})"
        else:
            missing = next((e.reason for e in finding.evidence if e.flag == "red"), "")
            reason = f"{_short(finding.question)}: red flag: {missing}"
        anchor = _anchor(mc, model, placed, clause_order)
        plan.insert_after.setdefault(anchor, []).append((mc, finding.question, reason))
        placed[mc.ref] = anchor if anchor is not None else ""
    # The terms the new clauses use ("civil immigration detainer", "administrative warrant").
    definitions = next((mc for mc in model.clauses if not mc.answers and "definition" in mc.heading.lower()), None)
    if definitions is not None and plan.used and definitions.ref not in plan.used and not _has_definitions(analysis):
        first = _first_change_anchor(plan, clause_order)
        plan.insert_after.setdefault(first, []).insert(0, (definitions, "", "Defines the terms the new clauses use (civil immigration detainer, administrative and judicial warrants, federal immigration authorities)."))
        plan.used.add(definitions.ref)
    for number in clause_order:
        for question, reason in plan.replace_reasons.get(number, []):
            refs = ", ".join(f"{mc.model}:{mc.number or mc.heading}" for mc in plan.replace[number])
            changes.append(Change(number, question, "replace", reason, refs))
    return plan, changes


def _review(analysis: Analysis, replaced: set[str] = frozenset()) -> list[Change]:  # type: ignore[assignment]
    """A `review` change for each clause quoted by an `unclear` answer, in clause order.
    `replaced`: the clauses the draft replaces for another question."""
    order = {c.number: i for i, c in enumerate(analysis.clauses)}
    out: list[Change] = []
    for finding in analysis.scorecard.findings:
        if finding.verdict != "unclear":
            continue
        clauses = list(dict.fromkeys(e.clause for e in finding.evidence if e.flag == "unclear"))
        for number in clauses:
            reason = f"{_short(finding.question)}: read this clause yourself. It speaks to the question, but policy-redline cannot tell whether it is a red flag or green language, so "
            if number in replaced:
                reason += "the draft adds no model clause for this question; the clause itself is replaced for another question (see that change): check that the replacement says what you want on this one."
            else:
                reason += "the draft keeps it as written and adds no model clause for this question."
            out.append(Change(number, finding.question, "review", reason))
    out.sort(key=lambda c: order.get(c.clause, len(order)))
    return out


def _review_notes(paragraphs: list[RedlineParagraph], analysis: Analysis, reviews: list[Change]) -> list[RedlineParagraph]:
    """The `review` reasons as notes on the clauses themselves, on the paragraph holding the
    quoted sentence (else the clause's first paragraph), where the draft keeps it as written."""
    if not reviews:
        return paragraphs
    blocks, _levels = _clause_blocks(analysis.document, analysis.clauses)
    kept = [i for i, p in enumerate(paragraphs) if p.original]
    if len(kept) != len(blocks) or any(paragraphs[i].original != b.text for i, (b, _o) in zip(kept, blocks)):
        return paragraphs  # not the department's paragraphs one for one: the change list says it
    owners = [owner for _b, owner in blocks]
    findings = {f.question: f for f in analysis.scorecard.findings}
    out = list(paragraphs)
    for change in reviews:
        spots = [i for i, owner in zip(kept, owners) if owner == change.clause]
        quotes = [normalize(e.text) for e in findings[change.question].evidence if e.flag == "unclear" and e.clause == change.clause]
        at = next((i for i in spots for q in quotes if q and q in normalize(out[i].original)), spots[0] if spots else None)
        if at is None or out[at].changed:
            continue  # replaced for another question: that change carries the reason
        p = out[at]
        comment = " ".join(x for x in (p.comment, change.reason) if x)
        out[at] = RedlineParagraph(p.original, p.amended, p.kind, p.level, comment)
    return out


def _has_definitions(analysis: Analysis) -> bool:
    return any("definition" in c.heading.lower() for c in analysis.clauses)


def _placed_model_clauses(analysis: Analysis, model: Model, plan: _Plan) -> dict[str, str]:
    """Model clause ref -> the policy clause that holds it (replaced in, or aligned to it)."""
    placed: dict[str, str] = {}
    for number, mcs in plan.replace.items():
        for mc in mcs:
            placed[mc.ref] = number
    for clause, m in zip(analysis.clauses, analysis.per_model.get(model.id, [])):
        if m.kind != "none" and clause.number not in plan.replace:
            placed.setdefault(f"{model.id}:{m.model_clause}", clause.number)
    return placed


def _anchor(mc: ModelClause, model: Model, placed: dict[str, str], order: list[str]) -> str | None:
    """The policy clause after which a new model clause goes: after the nearest earlier model
    clause the policy has, else before the nearest later one, else at the end (None)."""
    refs = [c.ref for c in model.clauses]
    i = refs.index(mc.ref)
    for ref in reversed(refs[:i]):
        if placed.get(ref):
            return placed[ref]
    for ref in refs[i + 1 :]:
        if placed.get(ref):
            k = order.index(placed[ref])
            return order[k - 1] if k > 0 else "^"
    return None


def _first_change_anchor(plan: _Plan, order: list[str]) -> str | None:
    """Definitions go just before the first clause the draft changes."""
    for k, number in enumerate(order):
        if number in plan.replace and plan.replace[number]:
            return order[k - 1] if k > 0 else "^"
        if number in plan.insert_after:
            return number
    return None


# --- numbering and layout ----------------------------------------------------------------------


class _Numbering:
    """New sections continue the policy's own numbering: 413.9 after 413.8, 12 after 11."""

    def __init__(self, clauses: tuple[Clause, ...], document: Document | None = None) -> None:
        # "1. PURPOSE" or "1 PURPOSE": new headings are typed the way the policy types them.
        typed = [b.text for b in (document.blocks if document else ()) if re.match(r"^\d{1,3}\.?\s", b.text)]
        self.period = bool(typed) and sum(bool(re.match(r"^\d{1,3}\.\s", t)) for t in typed) * 2 >= len(typed)
        dotted = [c.number for c in clauses if re.fullmatch(r"\d+\.\d+", c.number)]
        plain = [c.number for c in clauses if re.fullmatch(r"\d+", c.number)]
        if dotted:
            prefix = max(set(n.split(".")[0] for n in dotted), key=lambda p: sum(n.startswith(p + ".") for n in dotted))
            self.prefix = prefix + "."
            self.next = max(int(n.split(".")[1]) for n in dotted if n.startswith(self.prefix)) + 1
        elif plain:
            self.prefix = ""
            self.next = max(int(n) for n in plain) + 1
        else:
            self.prefix = None  # the policy does not number its sections: neither do we
            self.next = 0

    def take(self) -> str:
        if self.prefix is None:
            return ""
        number = f"{self.prefix}{self.next}"
        self.next += 1
        return number + ("." if self.period and not self.prefix else "")


def _heading_text(number: str, heading: str, upper: bool) -> str:
    if upper:
        heading = re.sub(r"(\d)\(([A-Z])\)", lambda m: f"{m.group(1)}({m.group(2).lower()})", heading.upper())  # 287(g)
    return f"{number} {heading}".strip()


def _model_paragraphs(mc: ModelClause, number: str, names: Names, upper: bool, level: int) -> list[tuple[str, str, int]]:
    """(kind, text, level) of a model clause as new paragraphs of the draft."""
    out = [("heading", _heading_text(number, names.fill(mc.heading), upper), level)]
    for line in mc.text.split("\n"):
        line = names.fill(line).strip()
        if line:
            kind = "list_item" if re.match(r"^\(?[a-z0-9]{1,3}[.)]\s", line) else "paragraph"
            out.append((kind, line, 0))
    return out


def _clause_blocks(document: Document, clauses: tuple[Clause, ...]) -> tuple[list[tuple[Block, str | None]], dict[str, int]]:
    """Each block with the number of the clause it belongs to (None for title matter)."""
    out: list[tuple[Block, str | None]] = []
    offset = 0
    heading_levels: dict[str, int] = {}
    for block in document.blocks:
        start = offset
        offset += len(block.text) + 2
        owner = next((c.number for c in clauses if c.start <= start <= c.end), None)
        out.append((block, owner))
        if owner and block.kind == "heading" and owner not in heading_levels:
            heading_levels[owner] = block.level
    return out, heading_levels


def _pair(old: list[Block], new: list[tuple[str, str, int]], comment: str) -> list[RedlineParagraph]:
    """Old paragraphs of a clause against its new ones, each change carrying `comment` once."""
    paras: list[RedlineParagraph] = []
    n = max(len(old), len(new))
    for i in range(n):
        o = old[i] if i < len(old) else None
        w = new[i] if i < len(new) else None
        if o is not None and w is not None and (
            (o.kind == "heading" and w[0] == "heading") or fuzz.ratio(normalize(o.text), normalize(w[1])) >= PAIR_SIMILARITY
        ):
            paras.append(RedlineParagraph(o.text, w[1], w[0], w[2] or o.level))
        else:
            if o is not None:
                paras.append(RedlineParagraph(o.text, "", o.kind, o.level))
            if w is not None:
                paras.append(RedlineParagraph("", w[1], w[0], w[2]))
    return _comment_first_change(paras, comment)


def _comment_first_change(paras: list[RedlineParagraph], comment: str) -> list[RedlineParagraph]:
    for i, p in enumerate(paras):
        if p.changed:
            paras[i] = RedlineParagraph(p.original, p.amended, p.kind, p.level, comment)
            break
    return paras


def _build(analysis: Analysis, plan: _Plan, names: Names) -> tuple[list[RedlineParagraph], list[Change]]:
    clauses = analysis.clauses
    blocks, levels = _clause_blocks(analysis.document, clauses)
    numbering = _Numbering(clauses, analysis.document)
    headings = [c.heading for c in clauses if c.heading]
    upper = bool(headings) and sum(h.isupper() for h in headings) * 2 >= len(headings)
    default_level = min(levels.values(), default=2) or 2
    paras: list[RedlineParagraph] = []
    inserts: list[Change] = []

    def insert(anchor: str | None) -> None:
        for mc, question, reason in plan.insert_after.get(anchor, []):
            number = numbering.take()
            new = _model_paragraphs(mc, number, names, upper, default_level)
            paras.extend(_pair([], new, reason))
            inserts.append(Change(number.rstrip(".") or mc.heading, question or None, "insert", reason, mc.ref))

    insert("^")
    i = 0
    while i < len(blocks):
        block, owner = blocks[i]
        if owner is None or owner not in plan.replace:
            paras.append(RedlineParagraph(block.text, block.text, block.kind, block.level))
            i += 1
            if owner is not None and (i == len(blocks) or blocks[i][1] != owner):
                insert(owner)
            continue
        old = []
        while i < len(blocks) and blocks[i][1] == owner:
            old.append(blocks[i][0])
            i += 1
        mcs = plan.replace[owner]
        clause = next(c for c in clauses if c.number == owner)
        reason = " ".join(r for _, r in plan.replace_reasons[owner])
        new: list[tuple[str, str, int]] = []
        level = levels.get(owner, default_level)
        for k, mc in enumerate(mcs):
            number = clause.number if k == 0 and not clause.number.startswith(("¶", "§")) else (numbering.take() if k else "")
            new.extend(_model_paragraphs(mc, number, names, upper, level))
        if mcs:
            reason += " Replaced with the model policy's language: " + ", ".join(f"{mc.label}" for mc in mcs) + "."
        else:
            reason += " Removed: the model language that answers this is already in the draft."
        paras.extend(_pair(old, new, reason))
        insert(owner)
    insert(None)
    return paras, inserts


def draft(
    analysis: Analysis,
    *,
    town: str | None = None,
    department: str | None = None,
    board: str | None = None,
    model: Model | None = None,
) -> Amendment:
    """Draft the amended policy for an analysed policy."""
    model = model or model_policy()
    names = resolve_names(analysis.document, town, department, board)
    original = analysis.document
    current = analysis
    all_changes: list[Change] = []
    paragraphs: list[RedlineParagraph] | None = None
    for _ in range(MAX_ROUNDS):
        plan, changes = _plan(current, model)
        if not plan.replace and not plan.insert_after:
            break
        round_paras, inserts = _build(current, plan, names)
        paragraphs = round_paras if paragraphs is None else _compose(paragraphs, round_paras)
        all_changes.extend(changes)
        all_changes.extend(inserts)
        current = analyze_document(_amended_document(original.source, original.title, paragraphs))
    if paragraphs is None:
        paragraphs = [RedlineParagraph(b.text, b.text, b.kind, b.level) for b in original.blocks]
    paragraphs, strikes = _strike_red_sentences(list(paragraphs), analysis)
    all_changes.extend(strikes)
    reviews = _review(analysis, {c.clause for c in all_changes if c.action == "replace"})
    paragraphs = _review_notes(list(paragraphs), analysis, reviews)
    all_changes.extend(reviews)
    kept = [Change(c.number, None, "keep", "green or unrelated to the seven questions") for c in analysis.clauses if not _touched(c, all_changes)]
    return Amendment(original.title, names, tuple(paragraphs), tuple(all_changes + kept), original.source)


def _strike_red_sentences(paragraphs: list[RedlineParagraph], analysis: Analysis) -> tuple[list[RedlineParagraph], list[Change]]:
    """Strike every sentence of the department's own text that still raises a red flag on
    its own, read as the judge reads it (a list item with its lead-in). Replacing whole
    clauses catches what the verdicts name; this catches the sentence a verdict did not
    need (a second permission in a clause kept for its green words), so that nothing in
    the draft's kept text contradicts what was inserted."""
    from .provisions import QUESTIONS, disapplies, expand_items_keyed, load_lexicon, read_sentence
    from .segment import clause_sentences

    lexicon = load_lexicon()
    rubric = load_rubric()
    items = [(p, s) for p in paragraphs if p.original and p.amended for s in clause_sentences(p.amended)]
    struck: dict[int, list[tuple[str, str]]] = {}
    for p, quoted, read in expand_items_keyed(items, lexicon):
        why = ""
        for q in QUESTIONS:
            r = read_sentence(quoted, read, lexicon, q)
            if r is not None and r.color == "red":
                flag = next((f.description for f in rubric.question(q).red if not f.mentions), r.why)
                why = f"{_short(q)}: red flag: {(lexicon.meaning or {}).get(q, {}).get('red', flag)}"
                break
        if not why and disapplies(read, lexicon):
            why = "An exception that switches the policy's protections off for people with convictions or pending charges."
        if why and quoted in p.amended:
            struck.setdefault(id(p), []).append((quoted, why))
    if not struck:
        return paragraphs, []
    out: list[RedlineParagraph] = []
    changes: list[Change] = []
    for p in paragraphs:
        cuts = struck.get(id(p))
        if not cuts:
            out.append(p)
            continue
        text = p.amended
        for quoted, why in cuts:
            text = text.replace(quoted, "", 1)
            clause = next((c.number for c in analysis.clauses if quoted in c.text), "")
            changes.append(Change(clause, None, "strike", f"Struck: {why}"))
        text = re.sub(r"\s{2,}", " ", text).strip()
        if not re.search(r"\w", text):
            text = ""
        comment = "; ".join(dict.fromkeys(w for _, w in cuts))
        out.append(RedlineParagraph(p.original, text, p.kind, p.level, p.comment or f"Struck: {comment}"))
    return out, changes


def _touched(clause: Clause, changes: list[Change]) -> bool:
    return any(c.clause == clause.number for c in changes)


def _compose(first: list[RedlineParagraph], second: list[RedlineParagraph]) -> list[RedlineParagraph]:
    """A later round's edits applied on top of an earlier round's. `second` was built over
    the paragraphs `first` keeps, so its paragraphs with an original map one to one onto
    them; originals stay the department's, so reject-all still gives back its policy."""
    out: list[RedlineParagraph] = []
    k = 0
    for p in first:
        if not p.amended:
            out.append(p)  # deleted in the earlier round: stays deleted, in its place
            continue
        while k < len(second) and not second[k].original:
            out.append(second[k])
            k += 1
        s = second[k]
        k += 1
        if not p.original and not s.amended:
            continue  # inserted, then taken out again: never there
        comment = " ".join(x for x in (p.comment, s.comment) if x)
        out.append(RedlineParagraph(p.original, s.amended, s.kind if s.amended else p.kind, s.level if s.amended else p.level, comment))
    out.extend(second[k:])
    return out
