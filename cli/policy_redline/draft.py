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

import functools
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
from . import numbering
from .models import QUESTION_IDS
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
    sources: tuple[tuple[str, str], ...] = ()  # (fill-in, where its value came from)

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
    standalone: bool = False  # a separate policy for the department, not an amendment of its text

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


class NeedsOption(InputError):
    """A fill-in the tool will not guess: the user must give it (a usage error, exit 2)."""

    exit_code = 2


class NotAboutImmigration(InputError):
    """The policy says nothing on any of the seven questions: there is nothing to amend."""


@dataclass(frozen=True)
class Place:
    municipality: str
    form: str
    board: str
    source: str


def place_key(name: str) -> str:
    """The form a municipality's name is looked up by: records and department names spell the
    same town "Foxboro" and "Foxborough", "Mt. Washington", "Town of Bedford",
    "Manchester-by-the-Sea"."""
    key = re.sub(r"[\s\-‐-—]+", " ", name.strip().lower().replace("’", "'"))
    key = re.sub(r"^(?:the )?(?:city known as the )?(?:town|city) of ", "", key)
    key = re.sub(r"\bmt\.? ", "mount ", key)
    key = re.sub(r"boro\b", "borough", key)
    return key.strip(" .,")


@functools.lru_cache(maxsize=2)
def massachusetts_places() -> dict[str, Place]:
    """models/places/massachusetts.md: `place_key` of a municipality's name (or of another
    name it goes by) -> its form of government."""
    from .models import _nodes, models_dir

    path = models_dir() / "places" / "massachusetts.md"
    if not path.exists():
        return {}
    out: dict[str, Place] = {}
    aliases: list[tuple[str, str]] = []
    for node in _nodes(path.read_text(encoding="utf-8")):
        if node.kind != "table" or not node.rows:
            continue
        header = [c.strip().lower() for c in node.rows[0]]
        if header[:2] == ["municipality", "form"]:
            for row in node.rows[1:]:
                if len(row) >= 4 and row[0].strip():
                    out[place_key(row[0])] = Place(row[0].strip(), row[1].strip(), row[2].strip(), row[3].strip())
        elif header[:2] == ["name", "municipality"]:
            aliases += [(row[0], row[1]) for row in node.rows[1:] if len(row) >= 2 and row[0].strip()]
    for name, municipality in aliases:
        if place_key(municipality) in out:
            out.setdefault(place_key(name), out[place_key(municipality)])
    return out


_OTHER_STATES = (
    "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut", "Delaware", "Florida",
    "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas", "Kentucky", "Louisiana", "Maine",
    "Maryland", "Michigan", "Minnesota", "Mississippi", "Missouri", "Montana", "Nebraska", "Nevada",
    "New Hampshire", "New Jersey", "New Mexico", "New York", "North Carolina", "North Dakota", "Ohio", "Oklahoma",
    "Oregon", "Pennsylvania", "Rhode Island", "South Carolina", "South Dakota", "Tennessee", "Texas", "Utah",
    "Vermont", "Virginia", "Washington", "West Virginia", "Wisconsin", "Wyoming",
)
_MASSACHUSETTS = re.compile(r"\bMassachusetts\b|\bM\.\s?G\.\s?L\.|\bMass\.\s|\bLunn\b|\bCommonwealth\b")
_BOARD_IN_TEXT = (
    (re.compile(r"\bCity Council\b"), "the City Council"),
    (re.compile(r"\bTown Council\b"), "the Town Council"),
    (re.compile(r"\b(?:Select Board|Selectboard|Board of Selectmen|Board of Selectpersons)\b"), "the Select Board"),
    (re.compile(r"\bBoard of Aldermen\b"), "the Board of Aldermen"),
)


def in_massachusetts(document: Document, town: str) -> bool | None:
    """True when the policy is a Massachusetts one, False when it names another state more
    often than Massachusetts, None when nothing says."""
    text = document.text
    ma = len(_MASSACHUSETTS.findall(text))
    other = max((len(re.findall(rf"\b{s}\b", text)) for s in _OTHER_STATES if s != "Washington"), default=0)
    if other > ma:
        return False
    if ma:
        return True
    return None


_CITY_OR_TOWN_OF = re.compile(r"\b(?:[Cc]ity|[Tt]own|CITY|TOWN) [Oo][Ff] ([A-Z][A-Za-z'’.]*(?:[ -](?:[A-Z][A-Za-z'’.]*|by|the))*)")


def _municipality_named(document: Document) -> str | None:
    """The Massachusetts city or town a Massachusetts policy names most often as "City of X"
    or "Town of X", when the table knows it; None otherwise (or when two are named as often)."""
    places = massachusetts_places()
    counts: dict[str, int] = {}
    for m in _CITY_OR_TOWN_OF.finditer(document.text + "\n" + document.title_hint):
        words = m.group(1).split()
        for n in range(len(words), 0, -1):  # "Town of Ipswich Police" -> Ipswich
            place = places.get(place_key(" ".join(words[:n])))
            if place is not None:
                counts[place.municipality] = counts.get(place.municipality, 0) + 1
                break
    if not counts or in_massachusetts(document, "") is not True:
        return None
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return None
    return ranked[0][0]


def resolve_names(document: Document, town: str | None = None, department: str | None = None, board: str | None = None) -> Names:
    """Fill-in values from the options, else from the policy's own text, else (the approving
    body) from the table of Massachusetts municipalities; `Names.sources` says which."""
    guessed, where_from = guess_department(document.text), "the policy's text"
    if not guessed and document.title_hint:  # a web page whose body never names the department
        guessed = guess_department(document.title_hint)
        where_from = "the page's <title>" if document.format == "html" else "the document's title property"
    sources: dict[str, str] = {}
    if department:
        sources["department"] = "--department"
    elif town and not guessed:
        department = f"{town} Police Department"
        sources["department"] = "--town (TOWN Police Department)"
    elif guessed:
        department = guessed
        sources["department"] = where_from
    if town:
        sources["town"] = "--town"
    elif department:
        town = town_of(department)
        sources["town"] = "the department's name"
    elif (named := _municipality_named(document)) is not None:
        # a town's bylaw or a city's ordinance names the municipality, not its police
        town, department = named, f"{named} Police Department"
        sources["town"] = f"the policy's text (“City of {named}” or “Town of {named}”, in the table of Massachusetts municipalities)"
        sources["department"] = "the town's name (TOWN Police Department)"
        sources = {"department": sources.pop("department"), **sources}
    if not town or not department:
        raise NeedsOption(
            document.source,
            "cannot tell which town or department this policy belongs to; give --town NAME (and --department NAME if it is not the NAME Police Department)",
        )
    if board:
        sources["board"] = "--board"
    else:
        place = massachusetts_places().get(place_key(town))
        where = in_massachusetts(document, town)
        mentioned = [(len(p.findall(document.text)), name) for p, name in _BOARD_IN_TEXT]
        mentioned = [m for m in mentioned if m[0]]
        if place is not None and where is not False:
            board = place.board
            sources["board"] = f"the table of Massachusetts municipalities ({place.municipality}: {place.form}; source: {place.source})"
        elif mentioned:
            board = max(mentioned)[1]
            sources["board"] = "the policy's text"
        else:
            why = "is not in Massachusetts" if where is False else "is not in the table of Massachusetts municipalities (models/places/massachusetts.md)"
            raise NeedsOption(
                document.source,
                f"which public body approves exceptions to this policy? {town} {why}; give --board, e.g. --board \"the City Council\"",
            )
    return Names(department, town, board, tuple(sources.items()))


# --- planning --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Insert:
    """A model clause added as a section of its own, after the section `anchor` (and after
    that section's own sub-sections)."""

    mc: ModelClause
    question: str | None
    reason: str
    anchor: str


@dataclass
class _Plan:
    """What happens to each clause: its text replaced by one model clause (or removed, None),
    and new sections inserted after it."""

    replace: dict[str, ModelClause | None] = field(default_factory=dict)
    keep_heading: set[str] = field(default_factory=set)  # replaced in place under its own heading
    replace_reasons: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # clause -> [(question, reason)]
    inserts: list[_Insert] = field(default_factory=list)
    used: set[str] = field(default_factory=set)  # model clause refs placed by this plan
    homes: dict[str, str] = field(default_factory=dict)  # model clause number -> the policy clause that holds its topic


def _short(question: str) -> str:
    return load_rubric().question(question).short or question


def _first_tagged(model: Model, question: str) -> ModelClause | None:
    return next((mc for mc in model.clauses if mc.flag_for(question) == "green"), None)


def _by_number(model: Model, number: str) -> ModelClause | None:
    return next((mc for mc in model.clauses if mc.number == number), None)


def section_headings(analysis: Analysis) -> dict[str, str]:
    """Each clause's heading, else the heading of the outline group it sits in: an outline's
    "B. Detainers" line has no text of its own, so the segmenter keeps no clause for it, and
    the items under it ("1. Officers shall …") are that topic's section."""
    from .numbering import parent_of
    from .segment import read_number

    text = analysis.document.text
    out: dict[str, str] = {}
    group: dict[str, str] = {}  # the heading line of the group a clause sits in, if any
    prev: Clause | None = None
    for c in analysis.clauses:
        gap = text[prev.end if prev else 0 : c.start]
        heads = []
        for line in gap.split("\n"):
            token = read_number(line.strip())
            if token is not None and token.rest and len(token.rest.split()) <= 10 and not token.rest.endswith((".", ";", ":")):
                heads.append(token.rest)
        if heads:
            group[c.number] = heads[-1]
        elif prev is not None and parent_of(c.number) and parent_of(c.number) == parent_of(prev.number):
            group[c.number] = group.get(prev.number, "")
        out[c.number] = c.heading or group.get(c.number, "")
        prev = c
    return out


def _present(analysis: Analysis, model: Model) -> dict[str, str]:
    """Model clause number -> the clause of the policy that already is that model clause's
    language (a draft drafted again)."""
    out: dict[str, str] = {}
    for clause, m in zip(analysis.clauses, analysis.per_model.get(model.id, [])):
        if m.kind in ("verbatim", "near"):
            out.setdefault(m.model_clause, clause.number)
    return out


def _plan(analysis: Analysis, model: Model, first_round: bool = True) -> tuple[_Plan, list[Change]]:
    plan = _Plan()
    changes: list[Change] = []
    order = [c.number for c in analysis.clauses]
    headings = section_headings(analysis)
    present = _present(analysis, model)
    model_text = set(present.values())
    findings = {f.question: f for f in analysis.scorecard.findings}

    def heading_home(mc: ModelClause) -> str | None:
        if mc.number in present:
            return present[mc.number]
        return next((n for n in order if mc.on_topic(headings.get(n, ""))), None)

    topic_homes = {mc.number: h for mc in model.clauses if (h := heading_home(mc))}
    claimed = set(topic_homes.values())
    plan.homes.update(topic_homes)
    reds: dict[str, list[tuple[str, str]]] = {}  # clause -> [(question, reason)]
    for finding in analysis.scorecard.findings:
        for e in finding.evidence:
            if finding.verdict == "red" and e.flag == "red" and not e.missing and e.clause not in model_text:
                lst = reds.setdefault(e.clause, [])
                if all(q != finding.question for q, _ in lst):
                    lst.append((finding.question, f"{_short(finding.question)}: red flag: {e.reason}"))

    def place(mc: ModelClause, question: str | None, reason: str, home: str | None, fallback_anchor: str | None) -> None:
        plan.used.add(mc.ref)
        if home is not None and home not in plan.replace and home not in model_text:
            plan.replace[home] = mc
            if home == topic_homes.get(mc.number):
                plan.keep_heading.add(home)
            plan.homes[mc.number] = home
            return
        anchor = home if home is not None else fallback_anchor
        plan.inserts.append(_Insert(mc, question, reason, anchor if anchor is not None else _model_anchor(mc, model, plan, analysis)))
        plan.homes.setdefault(mc.number, "")

    # 1. Each question the policy does not answer green is answered by the model's clause,
    #    in the policy's own section on the topic when it has one (amended in place), else in
    #    the clause that carries the red flag, else as a new section where the model puts it.
    for question in QUESTION_IDS:
        finding = findings[question]
        mc = _first_tagged(model, question)
        if mc is None:
            continue
        green = next((e.clause for e in finding.evidence if e.flag in ("green", "unclear")), None)
        unclear_gone = finding.verdict == "unclear" and all(e.clause in plan.replace for e in finding.evidence if e.flag == "unclear")
        if finding.verdict == "green" or (finding.verdict == "unclear" and not unclear_gone):  # unclear: a person reads it; see _review
            if green is not None:
                plan.homes.setdefault(mc.number, topic_homes.get(mc.number) or green)
            continue
        if mc.ref in plan.used or mc.number in present:
            continue
        red_here = [n for n in order if any(q == question for q, _ in reds.get(n, []))]
        if finding.verdict == "silent" or not red_here:
            why = finding.gap or "the policy does not address this question"
            reason = f"{_short(question)}: the policy is silent ({why})"
        else:
            reason = next(r for q, r in reds[red_here[0]] if q == question)
        home = topic_homes.get(mc.number) or (green if green not in claimed else None)
        if home is None:
            home = next((n for n in red_here if n not in claimed), None)
            if home is None and red_here:
                home = red_here[0]  # replaced for another question: the model clause follows it
        if home is not None and home in topic_homes.values() and home != topic_homes.get(mc.number):
            # the clause is the policy's section on another topic: add this one after it
            place(mc, question, reason, None, home)
        else:
            place(mc, question, reason, home, None)
    # A question answered green only in clauses replaced for other questions keeps an answer:
    # the model's clause on it follows the replaced clause.
    for question in QUESTION_IDS:
        finding = findings[question]
        mc = _first_tagged(model, question)
        if finding.verdict != "green" or mc is None or mc.ref in plan.used or mc.number in present:
            continue
        greens = [e.clause for e in finding.evidence if e.flag == "green"]
        if greens and all(g in plan.replace for g in greens):
            why = f"{_short(question)}: the clause that answered this ({greens[0]}) is replaced for another question; the model's clause on it keeps the answer."
            place(mc, question, why, None, greens[-1])
    # 2. A red clause that is no section's home: its red sentences are struck (see
    #    _strike_red_sentences); one still red after that loses its text (a later round).
    if not first_round:
        for number, qs in reds.items():
            if number not in plan.replace and number not in claimed:
                plan.replace[number] = None
    for number, qs in reds.items():
        if number in plan.replace:
            plan.replace_reasons[number] = list(qs)
    # 3. What the new language refers to must be in the draft: the clauses it needs.
    _add_needs(analysis, model, plan, present)
    for number in order:
        for question, reason in plan.replace_reasons.get(number, []):
            mc = plan.replace.get(number)
            changes.append(Change(number, question, "replace", reason, mc.ref if mc is not None else ""))
    return plan, changes


def _add_needs(analysis: Analysis, model: Model, plan: _Plan, present: dict[str, str]) -> None:
    """Insert every model clause that a placed model clause needs (its `Needs:` line) and the
    policy does not already have a section for."""
    queue = [mc for mc in plan.replace.values() if mc is not None] + [i.mc for i in plan.inserts]
    seen = {mc.ref for mc in queue}
    while queue:
        mc = queue.pop(0)
        for number in mc.needs:
            needed = _by_number(model, number)
            if needed is None or needed.ref in seen or number in present:
                continue
            own = "definition" in needed.heading.lower() or any(_first_tagged(model, q) is needed for q, _ in needed.answers)
            if own and plan.homes.get(number):
                continue  # the policy's own definitions, or its own rule on the question, serve
            if not own and plan.homes.get(number) in plan.replace or (not own and any(i.mc.ref == needed.ref for i in plan.inserts)):
                continue
            seen.add(needed.ref)
            what = "the terms it uses" if "definition" in needed.heading.lower() else needed.heading[:1].lower() + needed.heading[1:]
            reason = f"Needed by the model's {mc.label}: it refers to {what}, which the policy does not have."
            plan.used.add(needed.ref)
            plan.inserts.append(_Insert(needed, None, reason, _model_anchor(needed, model, plan, analysis)))
            plan.homes.setdefault(number, "")
            queue.append(needed)


def _model_anchor(mc: ModelClause, model: Model, plan: _Plan, analysis: Analysis) -> str:
    """The policy clause after which a new model clause goes: after the section holding the
    nearest earlier model clause, else after the policy's first section (never above it:
    above it is the title)."""
    order = [c.number for c in analysis.clauses]
    held = dict(plan.homes)
    for clause, m in zip(analysis.clauses, analysis.per_model.get(model.id, [])):
        if m.kind != "none":
            held.setdefault(m.model_clause, clause.number)
    for ins in plan.inserts:
        held.setdefault(ins.mc.number, ins.anchor)
    numbers = [c.number for c in model.clauses]
    i = numbers.index(mc.number)
    for number in reversed(numbers[:i]):
        if held.get(number) in order:
            return held[number]
    # nothing of the model before it in the policy: before the first later one, but never
    # above the policy's first section
    later = [order.index(held[n]) for n in numbers[i + 1 :] if held.get(n) in order]
    if later and min(later) > 0:
        return order[min(later) - 1]
    return order[0] if order else ""


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


# --- numbering and layout ----------------------------------------------------------------------


def _typed_token(text: str) -> str:
    """The number as typed at the start of a paragraph ("413.5", "4.", "Section 3", "B."), or ""."""
    from .segment import read_number

    token = read_number(text.strip())
    if token is None:
        m = re.match(r"^(\d{1,3})\s+(?=[A-Z])", text.strip())  # "3 Immigration status", a Word heading
        return m.group(1) if m else ""
    raw = text.strip()
    return raw[: len(raw) - len(token.rest)].strip() if token.rest else raw


class _Numbering:
    """Numbers for new sections, in the policy's own scheme, that leave its numbers standing
    (see numbering.py): the next number after the last section, else a sub-number of the
    section the new one follows."""

    def __init__(self, analysis: Analysis, blocks: list[tuple[Block, str | None]]) -> None:
        self.order = [c.number for c in analysis.clauses]
        self.shown = [n for n in self.order if numbering.numbered(n)]
        self.taken = set(self.order)
        for n in self.shown:  # "II" is taken when only "II.A.1" was kept as a clause
            while (n := numbering.parent_of(n)):
                self.taken.add(n)
        self.roman = {d for d, s in numbering._depth_styles(self.shown).items() if s == "roman"}
        self.tokens: dict[str, str] = {}
        # Top-level labels typed at the start of a paragraph that the segmenter did not read as
        # sections of their own (a statute's "(b)" inside its "(a)"): a new section typed the
        # same way would be read back as a second "(b)", so those labels are taken too.
        self.typed_labels = {t for block, _ in blocks if (t := _typed_token(block.text))}
        for block, owner in blocks:
            if owner is not None and owner not in self.tokens:
                self.tokens[owner] = "" if block.number else _typed_token(block.text)
        self.last: dict[str, str] = {}  # group -> the number last given in it

    def group(self, anchor: str) -> str:
        if not numbering.numbered(anchor):
            return anchor
        while numbering.parts(anchor)[-1].startswith("(") and numbering.parent_of(anchor):
            anchor = numbering.parent_of(anchor)  # a section never goes among (a), (b) items
        ps = numbering.parts(anchor)
        top = ps[0]
        if numbering.is_outline(anchor) and not top.startswith("(") and (not top.isdigit() or (len(ps) > 1 and ps[1].isalpha())):
            return top  # an outline's sections are its top level: II.B.1 sits in II, 1.A in 1
        if numbering.is_outline(anchor) and top.isdigit():
            # a code's lettered subsections: 9.04.010.A sits in section 9.04.010
            k = next(i for i, p in enumerate(ps) if not p.isdigit())
            section = ps[0]
            for p in ps[1:k]:
                section = numbering.join(section, p)
            return section
        return anchor

    def members(self, group: str) -> list[str]:
        if not numbering.numbered(group):
            return [group] if group in self.order else []
        return [n for n in self.order if n == group or n.startswith(group + ".") or n.startswith(group + "(")]

    def spot(self, anchor: str) -> str | None:
        """The clause after which a section anchored at `anchor` is placed."""
        if not anchor:
            return None
        members = self.members(self.group(anchor))
        return members[-1] if members else anchor

    def take(self, anchor: str) -> tuple[str, str]:
        """(number, number as typed) for the next new section after `anchor`'s group."""
        group = self.group(anchor)
        if not numbering.numbered(group) or not self.shown:
            return "", ""
        previous = self.last.get(group)
        base = previous if previous is not None else group
        ps = numbering.parts(base)
        sibling = numbering.join(numbering.parent_of(base), numbering.next_label(ps[-1], len(ps) - 1 in self.roman))
        members = self.members(group)
        after = self.order[self.order.index(members[-1]) + 1 :] if members else []
        following = next((n for n in after if numbering.numbered(n)), None)
        if previous is not None or (sibling not in self.taken and (following is None or self._before(sibling, following))):
            number = sibling  # 413.9 after 413.8 at the end; 413.6.2 after 413.6.1 before 413.7
        else:
            depth = len(numbering.parts(group))
            labels = [numbering.parts(n)[depth] for n in members if len(numbering.parts(n)) > depth]
            if labels:
                ks = numbering.keys([numbering.join(group, lab) for lab in labels])
                top = labels[max(range(len(labels)), key=lambda i: ks[i])]
                label = numbering.next_label(top, depth in self.roman)
            elif self._item_typed(group):
                label = "(a)" if numbering.parts(group)[-1].isdigit() else "1"  # an item's sub-item
            else:
                label = numbering.first_child(group)
            number = numbering.join(group, label)
        while number in self.taken or (numbering.is_outline(number) and not numbering.parent_of(number) and self._typed(number, group) in self.typed_labels):
            ps = numbering.parts(number)
            number = numbering.join(numbering.parent_of(number), numbering.next_label(ps[-1], len(ps) - 1 in self.roman))
        self.taken.add(number)
        self.last[group] = number
        return number, self._typed(number, group)

    def _before(self, a: str, b: str) -> bool:
        ka, kb = numbering.keys([*self.shown, a, b])[-2:]
        return ka < kb

    def _item_typed(self, number: str) -> bool:
        """True when the policy types this number as an item ("2." for 6.020.2), not in full."""
        raw = self.tokens.get(number, "")
        return bool(raw) and number not in raw and numbering.parts(number)[-1] in raw

    def _typed(self, number: str, group: str) -> str:
        raw = self.tokens.get(group) or next((self.tokens[n] for n in self.members(group) if self.tokens.get(n)), "")
        label = numbering.parts(number)[-1]
        if numbering.parent_of(number) == numbering.parent_of(group) and self._item_typed(group) and not label.startswith("("):
            return label + (")" if raw.endswith(")") else ".")  # "4." after the policy's "3." (6.020.3)
        if not numbering.is_outline(number):
            if "." in number:
                return number  # 413.5.1, 2.1
            m = re.match(r"^(\D*?)(\d+)(\W*)$", raw)
            return f"{m.group(1)}{number}{m.group(3)}" if m else number
        if label.startswith("("):
            return label
        post = ")" if raw.endswith(")") and not raw.startswith("(") else "."
        return label + post


def _reference(number: str, heading: str) -> str:
    """How inserted text cites a section of the draft: "section 413.3", else its heading."""
    if numbering.numbered(number):
        return f"section {number}"
    return f"“{heading}”" if heading else ""


def _heading_text(typed: str, heading: str, upper: bool) -> str:
    if upper:
        heading = re.sub(r"(\d)\(([A-Z])\)", lambda m: f"{m.group(1)}({m.group(2).lower()})", heading.upper())  # 287(g)
    return f"{typed} {heading}".strip()


def _model_paragraphs(mc: ModelClause, heading: str, names: Names, level: int, refs: dict[str, str], model: Model,
                      *, labels: bool = True) -> list[tuple[str, str, int]]:
    """(kind, text, level) of a model clause as new paragraphs of the draft; a reference to a
    clause it needs, by that clause's heading, cites the section that holds it in the draft,
    or is left out when there is none. Without `labels`, the model's own item letters
    ("(a) "Federal immigration authorities" means …") are left off: inside a policy's text a
    "(f)" followed by the next new section would be read as one more item of that list, or as
    the policy's own "(f)", and the section after it would vanish into the definitions."""
    out = [("heading", heading, level)] if heading else []
    text = mc.text
    for number in mc.needs:
        needed = _by_number(model, number)
        if needed is None or f"(see {needed.heading})" not in text:
            continue
        ref = refs.get(number, "")
        text = text.replace(f"(see {needed.heading})", f"(see {ref})") if ref else text.replace(f" (see {needed.heading})", "")
    for line in text.split("\n"):
        line = names.fill(line).strip()
        if line:
            label = re.match(r"^\(?[a-z0-9]{1,3}[.)]\s+", line)
            if label and not labels:
                line, label = line[label.end():], None
            out.append(("list_item" if label else "paragraph", line, 0))
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
            (o.kind == "heading" and w[0] == "heading") or o.text == w[1] or fuzz.ratio(normalize(o.text), normalize(w[1])) >= PAIR_SIMILARITY
        ):
            paras.append(RedlineParagraph(o.text, w[1], w[0] if w[1] != o.text else o.kind, w[2] or o.level))
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


def _build(analysis: Analysis, plan: _Plan, names: Names, model: Model) -> tuple[list[RedlineParagraph], list[Change]]:
    clauses = analysis.clauses
    blocks, levels = _clause_blocks(analysis.document, clauses)
    nums = _Numbering(analysis, blocks)
    headings = [c.heading for c in clauses if c.heading]
    upper = bool(headings) and sum(h.isupper() for h in headings) * 2 >= len(headings)
    default_level = min(levels.values(), default=2) or 2
    own_headings = section_headings(analysis)
    model_order = {mc.ref: i for i, mc in enumerate(model.clauses)}
    # A run-on paragraph holds several clauses ("5.15 … I. POLICY … II. STATE AND LOCAL
    # LAW …"): a new section placed after any of them goes after the paragraph, so it is
    # placed, and numbered, after the last clause the paragraph holds.
    last_in_block: dict[str, str] = {}
    owners = {o for _, o in blocks if o}
    offset = 0
    for block, owner in blocks:
        start, offset = offset, offset + len(block.text) + 2
        held = [c.number for c in clauses if c.number not in owners and start <= c.start <= start + len(block.text)]
        if owner and held:
            for n in (owner, *held):
                last_in_block[n] = held[-1]
    # Where each new section goes and its number, decided before any text is written, so
    # references between new sections can cite the numbers.
    by_spot: dict[str | None, list[_Insert]] = {}
    for ins in plan.inserts:
        spot = nums.spot(ins.anchor)
        by_spot.setdefault(last_in_block.get(spot, spot) if spot else spot, []).append(ins)
    numbers: dict[str, tuple[str, str, str]] = {}  # mc ref -> (number, typed, anchor)
    for spot in [*(c.number for c in clauses), None]:
        for ins in sorted(by_spot.get(spot, []), key=lambda i: model_order.get(i.mc.ref, 0)):
            number, typed = nums.take(spot) if spot is not None else ("", "")
            numbers[ins.mc.ref] = (number, typed, spot or "")
    refs: dict[str, str] = {}
    for mc in model.clauses:
        if mc.ref in numbers:
            refs[mc.number] = _reference(numbers[mc.ref][0], names.fill(mc.heading))
        elif plan.homes.get(mc.number):
            home = plan.homes[mc.number]
            heading = names.fill(mc.heading) if home in plan.replace and home not in plan.keep_heading else own_headings.get(home, "")
            if not numbering.numbered(home) and not (heading == names.fill(mc.heading) or mc.on_topic(heading)):
                heading = ""  # cite an unnumbered section only by a heading that names the topic
            refs[mc.number] = _reference(home, heading)
    paras: list[RedlineParagraph] = []
    inserts: list[Change] = []

    done: set[str | None] = set()

    def insert(spot: str | None) -> None:
        if spot in done:
            return
        done.add(spot)
        for ins in sorted(by_spot.get(spot, []), key=lambda i: model_order.get(i.mc.ref, 0)):
            number, typed, anchor = numbers[ins.mc.ref]
            group = nums.group(anchor) if anchor else ""
            level = levels.get(group, default_level)
            if number and group and number != group and numbering.parent_of(number) == group:
                level = min(level + 1, 9) if level else level
            # a new section with no number: its heading in capitals, which every reader
            # (plain text too) takes for a heading
            new = _model_paragraphs(ins.mc, _heading_text(typed, names.fill(ins.mc.heading), upper or not typed), names, level, refs, model, labels=False)
            paras.extend(_pair([], new, ins.reason))
            inserts.append(Change(number or ins.mc.heading, ins.question, "insert", ins.reason, ins.mc.ref))

    i = 0
    while i < len(blocks):
        block, owner = blocks[i]
        if owner is None or owner not in plan.replace:
            paras.append(RedlineParagraph(block.text, block.text, block.kind, block.level))
            i += 1
            if owner is not None and (i == len(blocks) or blocks[i][1] != owner):
                insert(owner)
                if owner in last_in_block:
                    insert(last_in_block[owner])
            continue
        old = []
        while i < len(blocks) and blocks[i][1] == owner:
            old.append(blocks[i][0])
            i += 1
        mc = plan.replace[owner]
        clause = next(c for c in clauses if c.number == owner)
        reason = " ".join(r for _, r in plan.replace_reasons.get(owner, []))
        new: list[tuple[str, str, int]] = []
        level = levels.get(owner, default_level)
        if mc is not None:
            typed = nums.tokens.get(owner, "")
            if owner in plan.keep_heading and clause.heading and old and old[0].text.strip() == f"{typed} {clause.heading}".strip():
                heading = old[0].text  # the department's own heading for its own section stands
            else:
                heading = _heading_text(typed, names.fill(mc.heading), upper or not typed)
            new.extend(_model_paragraphs(mc, heading, names, level, refs, model, labels=False))
            if owner in plan.keep_heading:
                why = f"{_short(mc.answers[0][0])}: the policy's own section on this is amended in place, so the question is answered once."
                reason = f"{reason} {why}".strip() if reason else why
            reason += f" Replaced with the model policy's language: {mc.label}."
        else:
            reason += " Removed: the model language that answers this is already in the draft."
        paras.extend(_pair(old, new, reason.strip()))
        insert(owner)
        if owner in last_in_block:
            insert(last_in_block[owner])
    for spot in by_spot:  # a clause that owns no paragraph of its own (cut out of a run-on one)
        if spot is not None:
            insert(spot)
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
    if not is_about_immigration(analysis):
        raise NotAboutImmigration(
            analysis.document.source,
            "not an immigration policy: no sentence of it speaks to any of the seven questions, so there is nothing to amend; give --standalone for a separate immigration policy for the department",
        )
    names = resolve_names(analysis.document, town, department, board)
    original = analysis.document
    current = analysis
    all_changes: list[Change] = []
    paragraphs: list[RedlineParagraph] | None = None
    for round_ in range(MAX_ROUNDS):
        plan, changes = _plan(current, model, first_round=round_ == 0)
        if not plan.replace and not plan.inserts:
            break
        round_paras, inserts = _build(current, plan, names, model)
        paragraphs = round_paras if paragraphs is None else _compose(paragraphs, round_paras)
        all_changes.extend(changes)
        all_changes.extend(inserts)
        # the department's own sentences that still read red, wherever they are
        paragraphs, strikes = _strike_red_sentences(list(paragraphs), analysis)
        all_changes.extend(strikes)
        current = analyze_document(_amended_document(original.source, original.title, paragraphs))
    if paragraphs is None:
        paragraphs = [RedlineParagraph(b.text, b.text, b.kind, b.level) for b in original.blocks]
        paragraphs, strikes = _strike_red_sentences(list(paragraphs), analysis)
        all_changes.extend(strikes)
    paragraphs = _no_empty_sections(list(paragraphs))
    paragraphs = _real_references(list(paragraphs), {c.number for c in analysis.clauses})
    reviews = _review(analysis, {c.clause for c in all_changes if c.action == "replace"})
    paragraphs = _review_notes(list(paragraphs), analysis, reviews)
    all_changes.extend(reviews)
    paragraphs = _fill_in_note(list(paragraphs), names)
    kept = [Change(c.number, None, "keep", "green or unrelated to the seven questions") for c in analysis.clauses if not _touched(c, all_changes)]
    return Amendment(original.title, names, tuple(paragraphs), tuple(all_changes + kept), original.source)


_FILL_IN_NAMES = {"department": "the department", "town": "the town", "board": "the approving body"}


def fill_in_note(names: Names) -> str:
    """Each name the model's text was filled in with and where it came from (the policy's
    text, the table of Massachusetts municipalities, an option), so a reader can check it."""
    parts = [f"{_FILL_IN_NAMES.get(k, k)} “{getattr(names, k)}” (from {v})" for k, v in names.sources]
    return ("Filled in: " + "; ".join(parts) + ".") if parts else ""


def _fill_in_note(paragraphs: list[RedlineParagraph], names: Names) -> list[RedlineParagraph]:
    """The fill-ins are noted once, on the first new text that uses one of them (a Word
    comment, a footnote in Markdown and HTML, a note in text); a clean draft has no notes."""
    note = fill_in_note(names)
    values = [v for v in (names.board, names.department, names.town) if v]
    for i, p in enumerate(paragraphs):
        if note and p.amended != p.original and any(v in p.amended and v not in p.original for v in values):
            paragraphs[i] = RedlineParagraph(p.original, p.amended, p.kind, p.level, " ".join(x for x in (p.comment, note) if x))
            break
    return paragraphs


_SEE_SECTION = re.compile(r" \(see section ([^\s()]+(?:\([^()\s]*\))*)\)")


def _no_empty_sections(paragraphs: list[RedlineParagraph]) -> list[RedlineParagraph]:
    """A section whose every sentence the draft struck goes with its heading: no heading is
    left standing over nothing."""
    out = list(paragraphs)
    for i, p in enumerate(out):
        if p.kind != "heading" or not p.amended or p.amended != p.original:
            continue
        j = i + 1
        emptied = 0
        while j < len(out) and not out[j].amended:
            emptied += bool(out[j].original)
            j += 1
        if emptied and (j == len(out) or (out[j].kind == "heading" and out[j].original)):  # not replaced: struck
            out[i] = RedlineParagraph(p.original, "", p.kind, p.level, p.comment or "Struck: nothing is left of this section.")
    return out


# "See 413.6", "see Section 4", "under § 413.6": the policy citing one of its own sections.
_OWN_REFERENCE = re.compile(r"\b(?:[Ss]ee|[Uu]nder|[Pp]er|[Ii]n)\s+(?:[Ss]ection\s+|§\s*)?(\d{1,4}(?:\.\d{1,3})+|\d{1,3}\b)")


def _real_references(paragraphs: list[RedlineParagraph], original_numbers: set[str] = frozenset()) -> list[RedlineParagraph]:  # type: ignore[assignment]
    """Every reference points to a section of the draft. A reference the draft made ("(see
    section 413.3)") to a section a later round took out again is left out; a sentence of
    the department's own that cites one of its sections the draft took out ("See 413.6 for
    …") is struck with it, and a parenthetical one ("(see 413.6)") is left out."""
    from .segment import segment, split_sentences

    doc = Document("", "", tuple(Block(p.amended, p.kind, p.level) for p in paragraphs if p.amended))
    numbers = {c.number for c in segment(doc)}
    gone = {n for n in original_numbers if numbering.numbered(n) and n not in numbers}

    def dangling(text: str) -> bool:
        return any(m.group(1) in gone for m in _OWN_REFERENCE.finditer(text))

    out = []
    for p in paragraphs:
        text = p.amended
        if text and " (see section " in text:
            text = _SEE_SECTION.sub(lambda m: m.group(0) if m.group(1) in numbers else "", text)
        if text and gone and p.original and dangling(text):
            text = re.sub(r"\s*\((?:[Ss]ee|cf\.)[^()]*\)", lambda m: "" if dangling(m.group(0)) else m.group(0), text)
            kept = [sentence for sentence in split_sentences(text) if not dangling(sentence)]
            text = " ".join(kept)
        if text != p.amended:
            p = RedlineParagraph(p.original, text, p.kind, p.level, p.comment or "A reference to a section the draft takes out is left out.")
        out.append(p)
    return out


def is_about_immigration(analysis: Analysis) -> bool:
    """False when every one of the seven answers is silent: no operative sentence on any."""
    return any(f.verdict != "silent" for f in analysis.scorecard.findings)


def standalone_policy(
    analysis: Analysis,
    *,
    town: str | None = None,
    department: str | None = None,
    board: str | None = None,
    model: Model | None = None,
) -> Amendment:
    """A separate immigration policy for the department whose policy (`analysis`, one on
    another subject) says nothing on the seven questions: the model policy, every clause,
    filled in with the department's names, all of it new text."""
    model = model or model_policy()
    names = resolve_names(analysis.document, town, department, board)
    title = f"{names.department}: {names.fill(model.title)}"
    reason = f"{analysis.document.source} says nothing on any of the seven questions; this is a separate policy for the {names.department}, not an amendment of that one."
    paras: list[RedlineParagraph] = [RedlineParagraph("", names.department, "heading", 1), RedlineParagraph("", names.fill(model.title), "heading", 1)]
    changes: list[Change] = []
    refs = {mc.number: f"section {mc.number}" for mc in model.clauses}
    for mc in model.clauses:
        new = _model_paragraphs(mc, f"{mc.number}. {names.fill(mc.heading)}", names, 2, refs, model)
        paras.extend(RedlineParagraph("", text, kind, level) for kind, text, level in new)
        question = next((q for q, c in mc.answers if c == "green"), None)
        changes.append(Change(mc.number, question, "insert", reason, mc.ref))
    paras[0] = RedlineParagraph("", paras[0].amended, paras[0].kind, paras[0].level, " ".join(x for x in (reason, fill_in_note(names)) if x))
    return Amendment(title, names, tuple(paras), tuple(changes), analysis.document.source, standalone=True)


def sentence_readings(paragraphs, source: str = "", title: str = "") -> list[tuple[RedlineParagraph, str, str]]:
    """(paragraph, sentence as quoted, sentence as read) for every sentence of the draft's
    text, read as the judge reads a policy: a list's lead-in read into its items within the
    section the segmenter finds, never across a section boundary into the next section's
    text (a "4. Immigration detainers" section after the bullets of "3. Neither officers
    nor staff shall:" is not an item of that list)."""
    from .provisions import expand_items_keyed, load_lexicon
    from .segment import clause_sentences, segment

    shown = [p for p in paragraphs if p.amended]
    clauses = segment(_amended_document(source, title, shown))
    keyed: list[tuple[object, str]] = []
    paras_of: dict[int, list[RedlineParagraph]] = {}
    offset = 0
    for p in shown:
        start = offset
        offset += len(p.amended) + 2
        key = next((c for c in clauses if c.start <= start <= c.end), None)
        if key is None:
            # A line no clause holds (a title, "BE IT ENACTED BY THE LEGISLATURE …:") is not
            # read by the judge, and its colon must not make the next section its list.
            continue
        paras_of.setdefault(id(key), []).append(p)
        keyed += [(key, s) for s in clause_sentences(p.amended)]
    out = []
    for key, quoted, read in expand_items_keyed(keyed, load_lexicon()):
        p = next((p for p in paras_of.get(id(key), []) if quoted in p.amended), None)
        if p is not None:
            out.append((p, quoted, read))
    return out


def _strike_red_sentences(paragraphs: list[RedlineParagraph], analysis: Analysis) -> tuple[list[RedlineParagraph], list[Change]]:
    """Strike every sentence of the department's own text that still raises a red flag on
    its own, read as the judge reads it (a list item with its lead-in). Replacing whole
    clauses catches what the verdicts name; this catches the sentence a verdict did not
    need (a second permission in a clause kept for its green words), so that nothing in
    the draft's kept text contradicts what was inserted."""
    from .provisions import QUESTIONS, disapplies, load_lexicon, read_sentence

    lexicon = load_lexicon()
    rubric = load_rubric()
    struck: dict[int, list[tuple[str, str]]] = {}
    for p, quoted, read in sentence_readings(paragraphs, analysis.document.source, analysis.document.title):
        if not p.original:
            continue  # the model's own text
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
        token = _typed_token(text)
        if not re.search(r"\w", text[len(token):] if token and text.startswith(token) else text):
            text = ""  # nothing left but its number
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
