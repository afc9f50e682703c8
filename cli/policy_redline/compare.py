"""`redline compare`: a policy clause by clause against a template, a model or another policy.

    compare(policy, against) -> Comparison

`against` is a bundled model id (`lexipol-immigration-violations`, `model-policy`, `bedford`)
or the path of any policy file, which is read, segmented and treated as a model of kind
`policy` (two versions of one town's policy, or two towns). Without `against`, the Lexipol
template when the policy is built from it, else the recommended model policy.

Each department clause is shown next to its best clause of the other side (`align`), with a
word-level diff (`redline.diff_words`), and then the other side's clauses the policy has
nothing for. The diff runs in the direction a reader asks about:

* against a template or another policy: original = the other side, amended = the
  department's clause -- *what the department changed from the template*;
* against a model policy or an example: original = the department's clause, amended = the
  model's -- *what it would take to reach the model*.

Every clause of the other side is used once: when two department clauses match the same
template clause (a split), the template clause is diffed against the one that matches it
best, and the other is shown as added text (against a template) or as text the model
replaces (against a model). A clause that covers two template clauses (a merge) is diffed
against both, joined. Department clauses with no match are kept text on both sides.

Department names are *not* normalised in the diff: the redline shows the text exactly as
written, so "the Department" -> "the Chicopee Police Department" is a (small) visible edit;
accept-all gives exactly the amended side and reject-all exactly the original side. The
kinds and scores, by contrast, come from `align`, which ignores such renames. Fill-ins in
model text ({department}, {town}, {board}) are filled with the policy's own names.
"""

from __future__ import annotations

import bisect
import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Callable

from .align import KIND_RANK, Aligner, Boilerplate, Match, editions_by_family, family_model, recognise
from .document import Document
from .errors import InputError
from .models import Model, ModelClause, get_model, model_ids, model_policy, templates
from .normalize import fold, guess_department, town_of
from .redline import Edit, Redline, RedlineParagraph, diff_words
from .segment import Clause, segment

DEFAULT_BOARD = "the Select Board"


@dataclass(frozen=True)
class Row:
    """One line of the comparison: a department clause and its counterpart, or a clause of
    the other side the policy has nothing for (`clause is None`)."""

    clause: Clause | None
    other: tuple[ModelClause, ...]  # the other side's clause(s) diffed against (merge: two)
    kind: str  # verbatim | near | partial | topic | none | missing
    score: float
    original: str
    amended: str
    original_label: str
    amended_label: str
    note: str = ""  # why a row is shown the way it is ("split: ...")
    parts: tuple[Clause, ...] = ()  # consecutive department clauses shown together (a split)

    @property
    def edits(self) -> list[Edit]:
        return diff_words(self.original, self.amended)

    @property
    def other_label(self) -> str:
        return " + ".join(c.label for c in self.other)


@dataclass(frozen=True)
class Comparison:
    policy: Document
    against: Model
    towards_model: bool  # True: original = department, amended = model
    rows: tuple[Row, ...]
    #: The template share, found when first asked for: the headline of text, Markdown and
    #: HTML shows it, a Word redline does not (so it never aligns with every template).
    recognise: Callable[[], Boilerplate | None] = field(repr=False, compare=False)
    department: str | None
    town: str | None
    board: str = DEFAULT_BOARD
    matches: tuple[Match, ...] = field(default=())

    @cached_property
    def boilerplate(self) -> Boilerplate | None:
        return self.recognise()

    @property
    def counts(self) -> dict[str, int]:
        out = {"verbatim": 0, "near": 0, "partial": 0, "none": 0}
        for m in self.matches:
            out[m.kind] = out.get(m.kind, 0) + 1
        return out

    @property
    def missing(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.clause is None)

    @property
    def title(self) -> str:
        name = self.policy.title or Path(self.policy.source).name
        return f"{name} compared with {self.against.title or self.against.id}"

    def headline(self) -> str:
        c = self.counts
        what = {"template": "template", "model": "model policy", "example": "example policy", "policy": "policy"}.get(
            self.against.kind, self.against.kind
        )
        parts = [
            f"Compared with {what} {self.against.id}: "
            f"{c['verbatim']} verbatim, {c['near']} near, {c['partial']} partial, {c['none']} unmatched clauses; "
            f"{len(self.missing)} of its clauses missing from the policy"
        ]
        topical = sum(1 for r in self.rows if r.kind == "topic")
        if topical:
            parts[0] = parts[0].replace(" unmatched clauses;", f" unmatched clauses ({topical} of them paired with its clause on the same topic);")
        if self.boilerplate is not None:
            bp = self.boilerplate
            if bp.template:
                parts.append(f"boilerplate share {bp.share:.0%} of the policy's words ({bp.template})")
            else:
                parts.append(f"boilerplate share {bp.share:.0%} (not built from the template)")
        direction = (
            "edits show what it would take to reach the model" if self.towards_model
            else "edits show what the department changed from it"
        )
        return "; ".join(parts) + f". {direction[0].upper()}{direction[1:]}."

    # -- redline ------------------------------------------------------------------------
    def to_redline(self, *, author: str = "policy-redline", date: str = "2026-01-01T00:00:00Z",
                   typography: bool = False) -> Redline:
        """The whole comparison as one redline, in the department's order, the other side's
        missing clauses placed after the clause that precedes them on that side. With
        `typography`, quote marks, dashes, spaces and ligatures that differ only in form are
        not changes (the amended side's characters are shown)."""
        paragraphs: list[RedlineParagraph] = []
        for r in self.rows:
            comment = _row_comment(r, self.against)
            paragraphs.append(RedlineParagraph(r.original_label, r.amended_label, "heading", 2, comment))
            if r.original or r.amended:
                original = same_typography(r.original, r.amended) if typography else r.original
                paragraphs.append(RedlineParagraph(original, r.amended, "paragraph"))
        return Redline(self.title, tuple(paragraphs), author=author, date=date)


#: What `_typographic_fold` changes: a typed dash ("--"), or a character outside ASCII.
_TYPOGRAPHIC = re.compile(r"--|[^\x00-\x7f]")
#: ASCII characters `str.isspace` counts as spaces, each folded to one space.
_ASCII_SPACES = str.maketrans({c: " " for c in "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f"})


def _typographic_fold(text: str) -> tuple[str, list[int]]:
    """`text` folded character by character (`normalize.fold`; a typed "--" is a dash, any
    space one space) and, for each folded character, the index of the character it comes
    from. The ASCII between two characters that fold (most of a policy) is taken in runs."""
    out: list[str] = []
    owner: list[int] = []
    at = 0
    for m in _TYPOGRAPHIC.finditer(text):
        i = m.start()
        if i > at:
            out.append(text[at:i].translate(_ASCII_SPACES))
            owner.extend(range(at, i))
        if m.group() == "--":  # a typed dash is a dash
            out.append("-")
            owner.append(i + 1)
        else:
            f = fold(m.group())
            f = " " if f.isspace() else f
            out.append(f)
            owner += [i] * len(f)
        at = m.end()
    if at < len(text):
        out.append(text[at:].translate(_ASCII_SPACES))
        owner.extend(range(at, len(text)))
    return "".join(out), owner


def same_typography(original: str, amended: str) -> str:
    """`original` with the characters that differ from `amended` only in typography --
    curly or straight quotes, dashes, non-breaking and other spaces, ligatures -- taken
    from `amended`, so a diff of the two shows only changes of wording. Both are folded
    (`normalize.fold`) character by character, diffed word by word, and where the folded
    texts agree the amended side's own characters are used."""
    if original == amended or not original or not amended or (original.isascii() and amended.isascii()):
        return original

    fo, own_o = _typographic_fold(original)
    fa, own_a = _typographic_fold(amended)
    if fo == fa:
        return amended
    out: list[str] = []
    po = pa = 0  # positions in the folded texts
    done_o = done_a = 0  # source characters already written / passed
    for e in diff_words(fo, fa):
        n = len(e.text)
        if e.op == "equal":
            end_o = own_o[po + n - 1] + 1 if n else done_o
            end_a = own_a[pa + n - 1] + 1 if n else done_a
            out.append(amended[done_a:end_a])
            done_o, done_a = max(done_o, end_o), max(done_a, end_a)
            po += n
            pa += n
        elif e.op == "delete":
            end_o = own_o[po + n - 1] + 1
            out.append(original[done_o:end_o])
            done_o = max(done_o, end_o)
            po += n
        else:
            end_a = own_a[pa + n - 1] + 1
            done_a = max(done_a, end_a)
            pa += n
    out.append(original[done_o:])
    return "".join(out)


def _row_comment(r: Row, against: Model) -> str:
    if r.clause is None:
        return f"{against.id} {r.other_label}: the policy has nothing for this clause."
    if r.kind == "none":
        return f"No match in {against.id} (best similarity {r.score:.0f})."
    if r.kind == "topic":
        return f"No shared wording; compared with {against.id} {r.other_label}. {r.note}".strip()
    text = f"{r.kind} match to {against.id} {r.other_label} (score {r.score:.1f})."
    return f"{text} {r.note}".strip()


# --- building ----------------------------------------------------------------------------


def resolve_against(against: str | None, policy_clauses: list[Clause], towns: tuple[str, ...],
                    *, aligner: Aligner | None = None) -> Model:
    """A bundled model id, a path to a policy file, or the default (`aligner`, for these
    clauses and towns, saves aligning the policy again)."""
    if against is None:
        if aligner is None or aligner.towns != towns:
            aligner = Aligner(policy_clauses, towns)
        bp = recognised(policy_clauses, aligner)
        return get_model(bp.edition) if bp.template and bp.edition else model_policy()
    if against in model_ids():
        return get_model(against)
    if against == "-" or os.path.exists(against) or Path(against).suffix.lower() in (".pdf", ".docx", ".txt", ".md", ".markdown", ".html", ".htm"):
        return policy_model(against)
    return get_model(against)  # raises InputError naming the known ids


def recognised(policy_clauses: list[Clause], aligner: Aligner) -> Boilerplate:
    """The template family and edition the policy is built from (as `analyze` finds it).

    Only the clauses that match some edition of a family are aligned with each of its
    editions: a clause no sentence of the family's editions matches (all of them, aligned
    as one model) matches none of them alone, and `recognise` reads nothing else. A long
    policy of the department's own words is then aligned once per family, not once per
    edition (5,000 clauses: 1.5 s -> 0.3 s)."""
    tmpls = templates()
    # First the clauses any template's sentence matches, and the families whose sentences
    # they match, with all the templates aligned as one model; a family none of them
    # matches covers no word of the policy and is left out (the first family by id stands
    # for them all when none is matched: `recognise` then reports what it reports for it).
    every = family_model("every template", tmpls)
    rows, hit = aligner.touched(every)
    matched = {every.clauses[j].number.split("|", 1)[0] for j in hit}
    aligner = aligner.narrowed(rows)
    per_model: dict[str, list[Match]] = {}
    by_family = editions_by_family(tmpls)
    touched = {f: eds for f, eds in by_family.items() if any(e.id in matched for e in eds)}
    for family, eds in (touched or dict([next(iter(by_family.items()))])).items():
        if len(eds) == 1:
            per_model[eds[0].id] = aligner.matches(eds[0])
            continue
        union = aligner.matches(family_model(family, eds))
        rows = [i for i, m in enumerate(union) if m.kind != "none"]
        sub = aligner.subset(rows) if rows else None
        for ed in eds:
            full = list(union)  # the clauses the family does not match are `none` for each edition
            if sub is not None:
                for i, m in zip(rows, sub.matches(ed)):
                    full[i] = m
            per_model[ed.id] = full
    return recognise(policy_clauses, per_model, tmpls, aligner)


def policy_model(path: str) -> Model:
    """Any policy file as a `Model` of kind "policy", so `align` can use it."""
    from .ingest import read_policy

    doc = read_policy(path)
    clauses = segment(doc)
    if not clauses:
        raise InputError(path, "no policy text found to compare against")
    model_id = Path(path).stem if path != "-" else "stdin"
    mclauses = tuple(ModelClause(model=model_id, number=c.number, heading=c.heading, text=c.text) for c in clauses)
    return Model(id=model_id, kind="policy", title=doc.title or model_id, source=doc.source, date="", clauses=mclauses, path=path)


def fill(text: str, department: str | None, town: str | None, board: str = DEFAULT_BOARD) -> str:
    """Model fill-ins with the policy's own names."""
    return (
        text.replace("{department}", department or "Police Department")
        .replace("{town}", town or "the town")
        .replace("{board}", board)
    )


def compare_document(policy: Document, against: str | Model | None = None, *, board: str = DEFAULT_BOARD) -> Comparison:
    clauses = segment(policy)
    if not clauses:
        raise InputError(policy.source, "no policy text found to compare")
    department = guess_department(policy.text)
    town = town_of(department) if department else None
    towns = (town,) if town else ()
    # The policy is normalised once for every model it is aligned with (the default model
    # is chosen by aligning with the template, whose matches also give the boilerplate).
    aligner = Aligner(clauses, towns)
    bp: Boilerplate | None = None
    if against is None:
        bp = recognised(clauses, aligner)
        other = get_model(bp.edition) if bp.template and bp.edition else model_policy()
    else:
        other = against if isinstance(against, Model) else resolve_against(against, clauses, towns, aligner=aligner)
    if other.kind == "policy":
        other_dept = guess_department("\n".join(c.text for c in other.clauses))
        if other_dept and town_of(other_dept) not in towns:
            towns = towns + (town_of(other_dept),)
            aligner = Aligner(clauses, towns)
    matches = aligner.matches(other)
    towards_model = other.kind in ("model", "example")
    final = aligner

    def recognise() -> Boilerplate:
        return bp if bp is not None else recognised(clauses, final)

    by_ref = {(mc.number or mc.heading): k for k, mc in enumerate(other.clauses)}
    # Consecutive department clauses matched to the same clause of the other side (a split,
    # or an enumeration the segmenter cut into items) are shown together, as one text.
    groups: list[list[int]] = []
    for i, m in enumerate(matches):
        prev = matches[groups[-1][0]] if groups else None
        if prev is not None and m.kind != "none" and prev.kind != "none" and m.model_clause == prev.model_clause and not m.also:
            groups[-1].append(i)
        else:
            groups.append([i])

    def group_key(g: list[int], ref: str) -> tuple[float, float]:
        kept = sum(matches[i].model_coverage if matches[i].model_clause == ref else 0.5 for i in g)
        return (min(kept, 1.0), max(matches[i].score for i in g))

    # Each clause of the other side goes to the group that keeps most of it.
    owner: dict[int, int] = {}
    for gi, g in enumerate(groups):
        m = matches[g[0]]
        if m.kind == "none":
            continue
        for ref in (m.model_clause, *m.also):
            k = by_ref.get(ref)
            if k is None:
                continue
            j = owner.get(k)
            if j is None or group_key(g, ref) > group_key(groups[j], ref):
                owner[k] = gi

    def text_of(mc: ModelClause) -> str:
        return fill(mc.text, department, town, board)

    def label_of(mc: ModelClause) -> str:
        return fill(mc.label, department, town, board)

    # Clauses whose words differ but whose subject is the same ("413.1 PURPOSE AND SCOPE" and
    # the model's "1 Purpose and scope"; a department's detainer section and the model's)
    # are paired by topic, so a comparison with a model reads topic by topic.
    by_topic: dict[int, tuple[int, str]] = {}
    if any(matches[g[0]].kind == "none" for g in groups):
        best_refs = {by_ref.get(matches[g[0]].model_clause) for g in groups if matches[g[0]].kind != "none"}
        free = [k for k in range(len(other.clauses)) if k not in owner and k not in best_refs]
        by_topic = pair_by_topic([clauses[g[0]] if matches[g[0]].kind == "none" else None for g in groups], other.clauses, free)

    owned: dict[int, list[int]] = {}  # group -> the other side's clauses it owns, in order
    for k in sorted(owner):
        owned.setdefault(owner[k], []).append(k)
    rows: list[Row] = []
    placed: list[tuple[int, int]] = []  # (row index, other-side index) for placing missing clauses
    for gi, g in enumerate(groups):
        c, m = clauses[g[0]], matches[g[0]]
        parts = tuple(clauses[i] for i in g)
        own_text = "\n".join([c.text] + [f"{p.label}\n{p.text}" for p in parts[1:]])
        kind = max((matches[i].kind for i in g), key=lambda k: KIND_RANK[k])
        score = max(matches[i].score for i in g)
        mine = list(owned.get(gi, ()))
        best = by_ref.get(m.model_clause)
        if m.kind == "none" and gi in by_topic:
            k, why = by_topic[gi]
            mc = other.clauses[k]
            placed.append((len(rows), k))
            note = f"Paired by topic: {why}."
            if towards_model:
                rows.append(Row(c, (mc,), "topic", m.score, own_text, text_of(mc), c.label, label_of(mc), note, parts))
            else:
                rows.append(Row(c, (mc,), "topic", m.score, text_of(mc), own_text, label_of(mc), c.label, note, parts))
            continue
        if m.kind == "none":
            rows.append(Row(c, (), "none", m.score, c.text, c.text, c.label, c.label, parts=parts))
            continue
        if mine:
            # best clause first, then the further clauses of a merge in their own order
            mine.sort(key=lambda k: (k != best, k))
            others = tuple(other.clauses[k] for k in mine)
            other_text = "\n".join(text_of(mc) for mc in others)
            other_label = " + ".join(label_of(mc) for mc in others)
            note = f"Shown together: {', '.join(p.label for p in parts)}." if len(parts) > 1 else ""
            placed += [(len(rows), k) for k in mine]
        else:
            others = (other.clauses[best],) if best is not None else ()
            other_text, other_label = "", ""
            holder = owner.get(best) if best is not None else None
            where = clauses[groups[holder][0]].label if holder is not None else "another clause"
            note = f"Split: {_ref_label(others)} is compared with {where}."
            if best is not None:
                placed.append((len(rows), best))
        if towards_model:
            rows.append(Row(c, others, kind, score, own_text, other_text, c.label, other_label, note, parts))
        else:
            rows.append(Row(c, others, kind, score, other_text, own_text, other_label, c.label, note, parts))

    # The other side's clauses the policy has nothing for, after their predecessor on that side.
    placed_at = {p for _, p in placed}
    missing = [k for k in range(len(other.clauses)) if k not in owner and k not in placed_at]
    inserts: dict[int, list[Row]] = {}
    # After the last row holding a clause that precedes k on the other side.
    by_other = sorted(placed, key=lambda rp: rp[1])
    other_keys = [p for _, p in by_other]
    last_row: list[int] = []
    for r, _ in by_other:
        last_row.append(max(r, last_row[-1]) if last_row else r)
    for k in missing:
        mc = other.clauses[k]
        n_before = bisect.bisect_left(other_keys, k)
        at = last_row[n_before - 1] + 1 if n_before else 0
        text, label = text_of(mc), label_of(mc)
        row = Row(None, (mc,), "missing", 0.0, "" if towards_model else text, text if towards_model else "",
                  "" if towards_model else label, label if towards_model else "")
        inserts.setdefault(at, []).append(row)
    out: list[Row] = []
    for idx in range(len(rows) + 1):
        out.extend(inserts.get(idx, []))
        if idx < len(rows):
            out.append(rows[idx])
    return Comparison(policy, other, towards_model, tuple(out), recognise, department, town, board, tuple(matches))


def _heading_words(text: str) -> str:
    return " ".join(re.findall(r"[a-z]{2,}", text.lower()))


def pair_by_topic(unmatched: list[Clause | None], others: tuple[ModelClause, ...], free: list[int]) -> dict[int, tuple[int, str]]:
    """For each unmatched department clause (by position; `None` where a clause matched),
    the free clause of the model or template on the same subject, and why: the same
    heading, a heading that names the model clause's topic, or the same questions answered
    (what the clause's sentences speak to, read as provisions, against the model clause's
    `Answers`). Each model clause is paired once, in the department's order."""
    from rapidfuzz import fuzz

    lexicon = None
    taken: set[int] = set()
    out: dict[int, tuple[int, str]] = {}
    for gi, c in enumerate(unmatched):
        if c is None:
            continue
        candidates = [k for k in free if k not in taken]
        if not candidates:
            break
        mine = _heading_words(c.heading)
        found: tuple[int, str] | None = None
        if mine:
            for k in candidates:
                theirs = _heading_words(others[k].heading)
                if theirs and fuzz.token_set_ratio(mine, theirs) >= 90:
                    found = (k, f"the same heading, \u201c{c.heading}\u201d and \u201c{others[k].heading}\u201d")
                    break
            if found is None:
                k = next((k for k in candidates if others[k].on_topic(c.heading)), None)
                if k is not None:
                    found = (k, f"the heading \u201c{c.heading}\u201d names the topic of {others[k].label}")
        if found is None and any(others[k].answers for k in candidates):
            # Only a model's clauses say which questions they answer; another policy's do
            # not, and comparing with one never loads the judge's lexicon.
            from .provisions import QUESTIONS, expand_items, load_lexicon, read_sentence

            lexicon = lexicon or load_lexicon()
            spoken = {q for quoted, read in expand_items(c.sentences, lexicon) for q in QUESTIONS
                      if read_sentence(quoted, read, lexicon, q) is not None}
            if spoken:
                scored = [(len(spoken & {q for q, _ in others[k].answers}), -k) for k in candidates]
                overlap, neg_k = max(scored)
                if overlap:
                    from .models import load_rubric

                    short = {q.id: q.short or q.id for q in load_rubric().questions}
                    asked = [q for q in QUESTIONS if q in spoken and q in {x for x, _ in others[-neg_k].answers}]
                    found = (-neg_k, "both speak to " + ", ".join(short[q] for q in asked))
        if found is not None:
            taken.add(found[0])
            out[gi] = found
    return out


def _ref_label(mcs: tuple[ModelClause, ...]) -> str:
    return " + ".join(mc.label for mc in mcs) or "its clause"


def compare(policy: Document | str | os.PathLike[str], against: str | None = None, *, board: str = DEFAULT_BOARD) -> Comparison:
    """Compare a policy (a `Document`, or a path read with `ingest.read_policy`)."""
    if not isinstance(policy, Document):
        from .ingest import read_policy

        policy = read_policy(policy)
    return compare_document(policy, against, board=board)


# --- rendering -----------------------------------------------------------------------------


def to_text(c: Comparison, *, color: bool = False) -> str:
    """Per clause: the department's clause and its counterpart, side by side in the header
    line, then the word-level diff (ANSI colours when `color`, else [-del-]{+ins+})."""
    import click

    from .writers.text_redline import redline_to_text

    out = [click.style(c.title, bold=True) if color else c.title, c.headline(), ""]
    for r in c.rows:
        if r.clause is None:
            left, right = "(nothing)", f"{c.against.id} {r.other_label}"
            tag = "missing from the policy"
        else:
            left = r.clause.label
            right = f"{c.against.id} {r.other_label}" if r.other else "(no match)"
            tag = "same topic" if r.kind == "topic" else f"{r.kind} {r.score:.1f}" if r.kind != "none" else "no match"
        head = f"{left}  <->  {right}  [{tag}]"
        out.append(click.style(head, bold=True) if color else head)
        if r.note:
            out.append(click.style(r.note, dim=True) if color else r.note)
        body = redline_to_text(Redline("", (RedlineParagraph(same_typography(r.original, r.amended), r.amended),)),
                               color=color).rstrip("\n")
        out += [body, ""]
    return "\n".join(out).rstrip("\n") + "\n"


def to_markdown(c: Comparison) -> str:
    from .writers.markdown_redline import WORD_JOINER, redline_to_markdown

    md = redline_to_markdown(c.to_redline(typography=True))
    head, sep, rest = md.partition("\n\n")
    summary = c.headline().replace("{", "{" + WORD_JOINER)
    return f"{head}{sep}*{summary}*\n\n{rest}" if sep else f"*{summary}*\n\n{md}"


def to_html(c: Comparison) -> str:
    import html

    from .writers.html_redline import redline_to_html

    page = redline_to_html(c.to_redline(typography=True))
    return page.replace("</header>", f'<p class="meta">{html.escape(c.headline(), quote=True)}</p>\n</header>', 1)


def to_docx(c: Comparison, *, author: str = "policy-redline", date: str | None = None, annotate: bool = True) -> bytes:
    """The comparison as a Word redline. `annotate`: the clause report -- each clause under
    a heading naming it, its match in a comment -- in a new document. Without it, the redline
    and nothing else: for a .docx policy, the department's own document with tracked changes
    (to the model's text, or from the template's); otherwise a new document of the text."""
    from .writers.docx_redline import redline_to_docx

    kwargs = {"author": author}
    if date:
        kwargs["date"] = date
    if not annotate:
        data = _package_redline(c, **kwargs)
        if data is not None:
            return data
        rl = c.to_redline(**kwargs)
        return redline_to_docx(Redline("", tuple(_row_paragraphs(c)), author=rl.author, date=rl.date))
    return redline_to_docx(c.to_redline(**kwargs))


def _row_paragraphs(c: Comparison) -> list[RedlineParagraph]:
    """The rows' texts, paragraph by paragraph, without the report's headings."""
    out: list[RedlineParagraph] = []
    for r in c.rows:
        if r.original or r.amended:
            out.append(RedlineParagraph(r.original, r.amended, "paragraph"))
    return out


def _package_redline(c: Comparison, **kwargs) -> bytes | None:
    """For a .docx policy: its own package with the comparison's changes tracked in it."""
    from .writers.docx_package import TextPara, is_docx, redline_paragraphs

    source = c.policy.source
    if c.policy.format != "docx" or not is_docx(source) or not os.path.isfile(source):
        return None
    with open(source, "rb") as fh:
        data = fh.read()
    blocks = c.policy.blocks
    offsets, at = [], 0
    for b in blocks:
        offsets.append(at)
        at += len(b.text) + 2
    clauses = [cl for r in c.rows if r.clause is not None for cl in (r.parts or (r.clause,))]
    owner: list[str | None] = []
    for start in offsets:
        owner.append(next((cl.number for cl in clauses if cl.start <= start <= cl.end), None))
    texts: list[TextPara] = []
    done = [False] * len(blocks)

    def keep(k: int) -> None:
        if not done[k]:
            done[k] = True
            texts.append(TextPara(blocks[k].text, blocks[k].kind, blocks[k].level))

    def other_side(r: Row) -> str:
        return r.amended if c.towards_model else r.original

    for r in c.rows:
        if r.clause is None:
            texts.extend(TextPara(line.strip()) for line in other_side(r).split("\n") if line.strip())
            continue
        numbers = {cl.number for cl in (r.parts or (r.clause,))}
        mine = [k for k, o in enumerate(owner) if o in numbers]
        if mine:
            for k in range(mine[0]):
                if owner[k] is None:
                    keep(k)
        if r.original == r.amended or not mine:
            for k in mine:
                keep(k)
            continue
        for k in mine:
            done[k] = True
        label = r.amended_label if c.towards_model else r.original_label
        if label and blocks[mine[0]].kind == "heading":
            texts.append(TextPara(label, "heading", blocks[mine[0]].level))
        texts.extend(TextPara(line.strip()) for line in other_side(r).split("\n") if line.strip())
    for k in range(len(blocks)):
        keep(k)
    try:
        return redline_paragraphs(data, texts, docx_is_old=c.towards_model, blocks_from_reader=True,
                                  expect=[b.text for b in blocks], source=source, **kwargs)
    except ValueError:
        return None
