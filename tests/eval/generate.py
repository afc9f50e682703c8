"""An evaluation set for clause alignment, with gold answers.

Every case is a policy built from the Lexipol template (`models/lexipol-immigration-violations.md`)
by the edits departments really make -- rename the department, renumber, reorder, split and
merge clauses, add local sentences, delete sentences -- plus what PDFs and OCR do to text
(hyphenated hard line breaks, character noise). Each piece of text remembers which template
clause it came from (or that it is local), so the gold alignment and the true boilerplate
share fall out of the construction:

* gold: for each clause of the edited copy (by the number the segmenter gives it), the set of
  template clauses it comes from (empty for a wholly local clause);
* share: template words kept / all words of the clause texts (renamed department names and
  OCR-noised words still count as template words; inserted local sentences do not).

Negative controls (gold empty everywhere, share 0): the model policy with its fill-ins filled,
the Bedford example, and two unrelated police policies written for this test
(`vehicle-pursuit.md`, `body-worn-cameras.md`).

Everything is deterministic: each case has its own `random.Random(seed)`.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from policy_redline.document import Block, Document
from policy_redline.models import Model, get_model, template
from policy_redline.segment import split_sentences

HERE = Path(__file__).resolve().parent

TOWNS = ("Chicopee", "Tewksbury", "Shrewsbury", "Holyoke", "Westfield", "Agawam", "Ludlow", "Palmer")

#: Sentences a department might add; none is template language.
LOCAL_SENTENCES = (
    "Officers assigned to the Holyoke Street substation shall report to the shift commander at the start of each tour.",
    "The Chief of Police may designate a liaison officer to meet quarterly with community organizations serving immigrant residents.",
    "All written communications under this section shall be retained for a period of not less than seven years.",
    "Interpreters shall be requested through the language line whenever a person has limited English proficiency.",
    "This section was reviewed by the Board of Police Commissioners at its regular meeting in March.",
    "Members who have questions about this section should consult the Legal Advisor before acting.",
    "The dispatcher on duty shall log the time of each call and the name of the requesting agency.",
    "Any complaint about a violation of this section shall be investigated by the Office of Professional Standards.",
    "School resource officers shall follow the memorandum of understanding with the public schools in addition to this policy.",
    "The shift supervisor shall make an entry in the daily journal describing any action taken under this section.",
    "Nothing in this section limits the authority of the Mayor to issue further directives consistent with state law.",
    "Copies of this policy shall be posted in the lobby of the headquarters building in English, Spanish and Portuguese.",
)

LOCAL_CLAUSES = (
    ("COMMUNITY ENGAGEMENT", (
        "The Chief of Police shall hold at least two public forums each year at which residents may ask questions about department practices. "
        "Notice of each forum shall be published on the city website and in the local newspaper at least fourteen days in advance. "
        "Summaries of the questions raised and the answers given shall be posted online within thirty days."
    )),
    ("RECORDS RETENTION", (
        "Reports prepared under this policy are public records and shall be retained according to the schedule issued by the Secretary of the Commonwealth. "
        "The records clerk shall review the retention schedule each January and purge records whose retention period has expired."
    )),
)


@dataclass
class Piece:
    text: str
    origin: str | None  # template clause number, or None for local text


@dataclass
class GenClause:
    number: str
    heading: str
    paragraphs: list[list[Piece]]  # each paragraph is a list of sentences
    list_items: set[int] = field(default_factory=set)  # indexes of paragraphs that are list items


@dataclass
class Case:
    name: str
    edit: str
    document: Document
    gold: dict[str, frozenset[str]]  # clause number -> template clause numbers
    share: float  # true boilerplate share
    negative: bool = False
    template: str = ""  # the edition the copy was made from ("" = the reference template)


# --- building ------------------------------------------------------------------------------


def _template_clauses(tmpl: Model) -> list[GenClause]:
    out = []
    for mc in tmpl.clauses:
        paras, items = [], set()
        for k, para in enumerate(mc.text.split("\n")):
            paras.append([Piece(s, mc.number) for s in split_sentences(para)])
            if re.match(r"^\([a-z]\)\s", para):
                items.add(k)
        out.append(GenClause(mc.number, mc.heading, paras, items))
    return out


def _blocks(clauses: list[GenClause]) -> tuple[Block, ...]:
    blocks = [Block("Immigration Violations", "heading", 1)]
    for c in clauses:
        level = c.number.count(".") + 1
        blocks.append(Block(f"{c.number} {c.heading}".strip(), "heading", level))
        for k, para in enumerate(c.paragraphs):
            text = " ".join(p.text for p in para).strip()
            if text:
                blocks.append(Block(text, "list_item" if k in c.list_items else "paragraph"))
    return tuple(blocks)


def _key(text: str) -> str:
    """Letters and digits only: survives re-wrapping, hyphenation at line ends and spacing."""
    return re.sub(r"[\W_]+", "", text).lower()


def _truth(clauses: list[GenClause], document: Document) -> tuple[dict[str, frozenset[str]], float]:
    """Gold for the clauses as the segmenter finds them in `document`: each segmented clause
    comes from the template clauses whose sentences it contains; the share is the words of
    template sentences over all words of the segmented clause texts."""
    from policy_redline.segment import segment

    pieces = [p for c in clauses for para in c.paragraphs for p in para if _key(p.text)]
    segmented = segment(document)
    keys = [_key(c.text) for c in segmented]
    found: list[set[str]] = [set() for _ in segmented]
    kept = 0
    cursor = 0  # pieces come in document order; search from the clause the last one was in
    for p in pieces:
        k = _key(re.sub(r"^\([a-z0-9]{1,3}\)\s*", "", p.text))  # an item's marker may become its number
        order = list(range(cursor, len(segmented))) + list(range(cursor))
        where = next((i for i in order if k in keys[i]), None)
        if where is None:
            # A hard line break that happens to start with "(8 USC ..." can split a sentence
            # between blocks; the sentence belongs where most of it went.
            where = next((i for i in order if k[: len(k) * 2 // 3] in keys[i]), None)
        if where is None:
            raise AssertionError(f"evaluation set: piece not found in the segmented policy: {p.text!r}")
        cursor = where
        if p.origin:
            found[where].add(p.origin)
            kept += len(p.text.split())
    total = sum(c.words for c in segmented)
    gold = {c.number: frozenset(f) for c, f in zip(segmented, found)}
    return gold, (min(1.0, kept / total) if total else 0.0)


def _case(name: str, edit: str, clauses: list[GenClause], *, document: Document | None = None) -> Case:
    doc = document or Document(source=f"<eval:{name}>", title="Immigration Violations", blocks=_blocks(clauses), format="md")
    gold, share = _truth(clauses, doc)
    return Case(name, edit, doc, gold, share)


# --- edits ---------------------------------------------------------------------------------

_DEPT = re.compile(r"\b(the Department|this department|the department)\b")


def rename(clauses: list[GenClause], rnd: random.Random) -> str:
    town = rnd.choice(TOWNS)
    name = f"{town} Police Department"
    for c in clauses:
        for para in c.paragraphs:
            for p in para:
                p.text = _DEPT.sub(lambda m: rnd.choice((f"the {name}", "this department", "the Department", f"the {name}")), p.text)
                p.text = p.text.replace("department records", f"{name} records")
    return town


def renumber(clauses: list[GenClause], rnd: random.Random) -> None:
    new = rnd.choice(("415", "428", "306", "603"))
    for c in clauses:
        c.number = re.sub(r"^\d+(?=\.)", new, c.number)


def reorder(clauses: list[GenClause], rnd: random.Random) -> list[GenClause]:
    groups: list[list[GenClause]] = []
    for c in clauses:
        if c.number.count(".") >= 2 and groups:
            groups[-1].append(c)
        else:
            groups.append([c])
    rnd.shuffle(groups)
    return [c for g in groups for c in g]


def split(clauses: list[GenClause], rnd: random.Random) -> None:
    """Split one multi-paragraph clause into two numbered clauses."""
    def cuts(c: GenClause) -> list[int]:
        # the second part starts with a plain paragraph, never inside an enumeration
        return [k for k in range(1, len(c.paragraphs)) if k not in c.list_items]

    candidates = [i for i, c in enumerate(clauses) if cuts(c)]
    for i in sorted(rnd.sample(candidates, min(2, len(candidates))), reverse=True):
        c = clauses[i]
        cut = rnd.choice(cuts(c))
        second = GenClause(c.number + ".9", c.heading + " (CONTINUED)", c.paragraphs[cut:],
                           {k - cut for k in c.list_items if k >= cut})
        c.paragraphs = c.paragraphs[:cut]
        c.list_items = {k for k in c.list_items if k < cut}
        clauses.insert(i + 1, second)


def merge(clauses: list[GenClause], rnd: random.Random) -> None:
    """Merge one clause into the one before it (both top-level sections)."""
    top = [i for i in range(1, len(clauses)) if clauses[i].number.count(".") == 1 and clauses[i - 1].number.count(".") == 1]
    for i in sorted(rnd.sample(top, min(2, len(top))), reverse=True):
        if i >= len(clauses) or i - 1 < 0:
            continue
        a, b = clauses[i - 1], clauses.pop(i)
        offset = len(a.paragraphs)
        a.heading = f"{a.heading} AND {b.heading}"
        a.paragraphs += b.paragraphs
        a.list_items |= {k + offset for k in b.list_items}


def insert_local(clauses: list[GenClause], rnd: random.Random) -> None:
    pool = list(LOCAL_SENTENCES)
    rnd.shuffle(pool)
    for c in rnd.sample(clauses, min(4, len(clauses))):
        paras = [k for k in range(len(c.paragraphs)) if k not in c.list_items]
        k = rnd.choice(paras)
        c.paragraphs[k].insert(rnd.randint(0, len(c.paragraphs[k])), Piece(pool.pop(), None))
    heading, text = rnd.choice(LOCAL_CLAUSES)
    last = clauses[-1].number.split(".")[0]
    clauses.append(GenClause(f"{last}.12", heading, [[Piece(s, None) for s in split_sentences(text)]]))


def delete(clauses: list[GenClause], rnd: random.Random) -> None:
    for c in rnd.sample(clauses, min(4, len(clauses))):
        sentences = [(k, j) for k, para in enumerate(c.paragraphs) for j in range(len(para)) if k not in c.list_items]
        if len(sentences) >= 2:
            k, j = rnd.choice(sentences)
            del c.paragraphs[k][j]
            c.paragraphs = [p for p in c.paragraphs if p]
    # drop one whole clause without subsections
    leaves = [i for i, c in enumerate(clauses) if c.number.count(".") == 1 and not any(
        d.number.startswith(c.number + ".") for d in clauses)]
    if leaves and len(clauses) > 2:
        del clauses[rnd.choice(leaves)]


_REWORD = {
    "should": "shall", "shall": "must", "members": "officers", "member": "officer", "individual": "person",
    "individuals": "persons", "federal": "U.S.", "officials": "authorities", "ensure": "make sure",
    "determine": "establish", "request": "ask", "timely": "prompt", "any": "every", "related": "associated",
}


def reword(clauses: list[GenClause], rnd: random.Random, rate: float = 0.5) -> None:
    """Light rewording, as departments do: "should" -> "shall", "members" -> "officers", ...
    (about half of the eligible words in each sentence; the sentence stays template text)."""
    for c in clauses:
        for para in c.paragraphs:
            for p in para:
                p.text = " ".join(
                    _REWORD[w] if w in _REWORD and rnd.random() < rate else w for w in p.text.split(" ")
                )


_OCR_SUBS = {"l": "1", "I": "l", "o": "0", "O": "0", "e": "c", "c": "e", "m": "rn", "rn": "m", "i": "í", "a": "o", "s": "5", "h": "b"}


def ocr_noise(text: str, rate: float, rnd: random.Random) -> str:
    out = []
    for ch in text:
        r = rnd.random()
        if ch.isalpha() and r < rate:
            op = rnd.random()
            if op < 0.6:
                out.append(_OCR_SUBS.get(ch, rnd.choice("aeilnorst")))
            elif op < 0.8:
                continue  # dropped character
            else:
                out.append(ch + ch)
        else:
            out.append(ch)
    return "".join(out)


def noise(clauses: list[GenClause], rnd: random.Random, rate: float) -> None:
    for c in clauses:
        for para in c.paragraphs:
            for p in para:
                p.text = ocr_noise(p.text, rate, rnd)


def pdf_text(clauses: list[GenClause], rnd: random.Random, width: int = 72) -> str:
    """The policy as text extracted from a PDF: hard line breaks, words hyphenated at line
    ends, no blank lines between paragraphs."""
    lines = ["Immigration Violations"]
    for c in clauses:
        lines.append(f"{c.number} {c.heading}")
        for k, para in enumerate(c.paragraphs):
            text = " ".join(p.text for p in para)
            line = ""
            for word in text.split():
                if line and len(line) + 1 + len(word) > width:
                    room = width - len(line) - 2
                    if len(word) >= 8 and word.isalpha() and room >= 3 and rnd.random() < 0.7:
                        cut = rnd.randint(3, min(room, len(word) - 3))
                        lines.append(f"{line} {word[:cut]}-")
                        line = word[cut:]
                        continue
                    lines.append(line)
                    line = word
                else:
                    line = f"{line} {word}" if line else word
            if line:
                lines.append(line)
    return "\n".join(lines) + "\n"


# --- cases ---------------------------------------------------------------------------------

EDITS = ("verbatim", "rename", "renumber", "reorder", "split", "merge", "insert", "delete", "reword", "pdf", "ocr", "combined")


def edited_case(edit: str, seed: int, edition: str = "") -> Case:
    """`edit` applied to a copy of the reference template, or of another `edition`."""
    case = _edited_case(edit, seed, edition)
    case.template = edition
    if edition:
        case.name = f"{edition}:{case.name}"
    return case


def _edited_case(edit: str, seed: int, edition: str = "") -> Case:
    from policy_redline.ingest import read_bytes

    rnd = random.Random(f"{edit}:{seed}" if not edition else f"{edition}:{edit}:{seed}")
    clauses = _template_clauses(get_model(edition) if edition else template())
    name = f"{edit}-{seed}"
    if edit == "rename":
        rename(clauses, rnd)
    elif edit == "renumber":
        renumber(clauses, rnd)
    elif edit == "reorder":
        clauses = reorder(clauses, rnd)
    elif edit == "split":
        split(clauses, rnd)
    elif edit == "merge":
        merge(clauses, rnd)
    elif edit == "insert":
        insert_local(clauses, rnd)
    elif edit == "delete":
        delete(clauses, rnd)
    elif edit == "pdf":
        rename(clauses, rnd)
        text = pdf_text(clauses, rnd)
        return _case(name, edit, clauses, document=read_bytes(text.encode(), f"<eval:{name}>.txt", "txt"))
    elif edit == "reword":
        reword(clauses, rnd)
    elif edit == "ocr":
        noise(clauses, rnd, rnd.uniform(0.01, 0.02))
    elif edit == "combined":
        rename(clauses, rnd)
        renumber(clauses, rnd)
        clauses = reorder(clauses, rnd)
        split(clauses, rnd)
        merge(clauses, rnd)
        insert_local(clauses, rnd)
        delete(clauses, rnd)
        reword(clauses, rnd, 0.2)
        noise(clauses, rnd, 0.01)
        text = pdf_text(clauses, rnd)
        return _case(name, edit, clauses, document=read_bytes(text.encode(), f"<eval:{name}>.txt", "txt"))
    return _case(name, edit, clauses)


def fill_in(text: str, town: str = "Amherst", board: str = "the Select Board") -> str:
    return text.replace("{department}", f"{town} Police Department").replace("{town}", town).replace("{board}", board)


def _model_document(model: Model) -> Document:
    blocks = []
    for mc in model.clauses:
        blocks.append(Block(fill_in(f"{mc.number} {mc.heading}".strip() if mc.number and "." in mc.number else (f"{mc.number}. {mc.heading}" if mc.number else mc.heading)), "heading", 2))
        for para in mc.text.split("\n"):
            blocks.append(Block(fill_in(para), "list_item" if re.match(r"^\([a-z]\)\s", para) else "paragraph"))
    return Document(source=f"<eval:{model.id}>", title=model.title, blocks=tuple(blocks), format="md")


def negative_cases() -> list[Case]:
    from policy_redline.ingest import read_policy
    from policy_redline.segment import segment

    docs = [
        ("model-policy", _model_document(get_model("model-policy"))),
        ("bedford", _model_document(get_model("bedford"))),
        ("vehicle-pursuit", read_policy(HERE / "vehicle-pursuit.md")),
        ("body-worn-cameras", read_policy(HERE / "body-worn-cameras.md")),
    ]
    out = []
    for name, doc in docs:
        gold = {c.number: frozenset() for c in segment(doc)}
        out.append(Case(name, "negative", doc, gold, 0.0, negative=True))
    return out


SEEDS = (1, 2, 3, 4, 5)


def edited_cases(seeds: tuple[int, ...] = SEEDS) -> list[Case]:
    return [edited_case(edit, seed) for edit in EDITS for seed in seeds]


def edition_cases(seeds: tuple[int, ...] = SEEDS) -> list[Case]:
    """Edited copies of every other template edition numbered as Lexipol numbers (413.4,
    428.1.1: the edits renumber, split and merge by those numbers), the same edits and seeds."""
    from policy_redline.models import templates

    editions = [ed for ed in templates() if ed.id != template().id and all("." in c.number for c in ed.clauses)]
    return [edited_case(edit, seed, ed.id) for ed in editions for edit in EDITS for seed in seeds]


def all_cases(seeds: tuple[int, ...] = SEEDS) -> list[Case]:
    return edited_cases(seeds) + negative_cases()
