"""Split a policy into clauses, numbered the way the department numbered them.

Police manuals number their text in a handful of ways: Lexipol's dotted section numbers
(`413.4`, `413.4.1`), `Policy 413` / `Section 3` headers, and outlines (`I.` / `A.` / `1.` /
`(a)`). A clause keeps the number a reader would cite in a council meeting, so evidence can
say "413.4" rather than "paragraph 17". Where a document has no numbering at all, clauses
are its paragraphs, numbered `¶1`, `¶2`, ... in reading order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .document import Block, Document
from .numbering import roman_value

# Abbreviations that end in a period but do not end a sentence in policy text.
_ABBREVIATIONS = {
    "u.s", "u.s.c", "c.f.r", "cfr", "usc", "e.g", "i.e", "v", "vs", "mass",
    "inc", "st", "dr", "mr", "mrs", "ms", "sec", "secs", "art", "gen", "ch", "c", "par",
    "seq", "et", "al", "etc", "dept", "sgt", "lt", "capt", "ofc", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "approx", "pp", "p",
    "m.g.l", "g.l", "n.e", "f", "supp", "cir", "app", "d", "pub", "stat",
}

#: Abbreviations of "number", which end no sentence when one follows ("General Order No. 14",
#: "Ordinance No. A-12"); before a word "No." is an answer ("… check status? No. Once …").
_NUMBER_WORDS = frozenset({"no", "nos"})
_A_NUMBER = re.compile(r"\d|[A-Z]{1,3}-?\d")

# A sentence ends at the quotes and spaces (group 1) after its closing mark. The mark is
# matched, not looked behind at, so that the regex engine skips in C to the next . ! or ?
# instead of trying every character of a clause.
_SENTENCE_END = re.compile(r"""[.!?](["'”’)\]]*\s+)(?=["'“‘(\[]?[A-Z0-9§])""")
_LAST_WORD = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")
_INITIAL = re.compile(r"\b[A-Z]\.$")
_NAMED_PART = re.compile(r"\b(?:Section|Subsection|Part|Article|Item|Appendix|Attachment|Exhibit|Schedule|Paragraph)\s+[A-Z]\.$")


def _last_word(before: str) -> re.Match[str] | None:
    """`_LAST_WORD.search(before)`, looked for in the last 64 characters first: the match is
    the run of letters and periods the text ends with, and only a run longer than that
    needs the whole text (searching all of it tries every letter of the sentence)."""
    tail = max(0, len(before) - 64)
    m = _LAST_WORD.search(before, tail)
    if m is not None and m.start() == tail and tail:
        return _LAST_WORD.search(before)
    return m


def split_sentences(text: str) -> list[str]:
    """Split clause text into sentences, keeping citations like "8 U.S.C. § 1373" whole."""
    sentences: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        end = m.start(1)
        before = text[start:end].rstrip("\"'”’)]")
        last = _last_word(before)
        word = last.group(1).lower() if last else ""
        if word in _ABBREVIATIONS or (word in _NUMBER_WORDS and _A_NUMBER.match(text, m.end())):
            continue
        # (an initial is the last two characters: looked for there alone, `\b` still
        # seeing the character before them)
        if _INITIAL.search(before, max(0, len(before) - 2)) and not _NAMED_PART.search(before):
            continue  # initials, "J. Smith"; but "… listed in Section A. This …" ends a sentence
        piece = text[start:end].strip()
        if piece:
            sentences.append(piece)
        start = m.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


def clause_sentences(text: str) -> tuple[str, ...]:
    """Sentences of a clause; each paragraph or lettered item splits on its own, so an
    item "(b) ..." is addressable even when it does not end with a period."""
    return tuple(s for line in text.split("\n") for s in split_sentences(line))


@dataclass(frozen=True)
class Clause:
    """One citable unit of a policy: a numbered section, outline item or paragraph.

    `start`/`end` are character offsets into `Document.text`, so a clause can always be
    found again in the policy as read.
    """

    number: str
    heading: str
    text: str
    start: int
    end: int
    sentences: tuple[str, ...]

    @property
    def words(self) -> int:
        return len(self.text.split())

    @property
    def citation(self) -> str:
        """The clause as a reader finds it in the document: its own number, the heading of
        an unnumbered section ("“Detainers”"), and a repeated number with which one it is
        ("2.1, second")."""
        if self.number.startswith("§") and self.heading:
            return f"\u201c{self.heading}\u201d"
        m = re.fullmatch(r"(.+)-(\d+)", self.number)
        if m and not self.number.startswith(("¶", "§")):
            nth = int(m.group(2))
            word = _ORDINALS[nth] if nth < len(_ORDINALS) else f"{nth}th"
            return f"{m.group(1)}, {word}"
        return self.number

    @property
    def label(self) -> str:
        """How a person would cite it: `413.4 DETENTIONS`."""
        return " ".join(p for p in (self.number, self.heading) if p)


_ORDINALS = ("", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")


# --- numbering tokens ----------------------------------------------------------------------

_ROMAN = re.compile(r"^(?=[IVXLC])M*(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})$")

_TOKENS: list[tuple[str, re.Pattern[str]]] = [
    # "413.4.1", "413.1." -- absolute section numbers, Lexipol style
    ("dotted", re.compile(r"^(\d{1,4}(?:\.\d{1,3})+)\.?(?=\s|$)")),
    # "Policy 413", "Section 3", "§ 4", "Article II"
    # "§ 30.01", "§ 319-A" (a code's section numbers: dotted, or lettered after a hyphen)
    ("named", re.compile(r"^(?:Policy|Section|Sec\.|Article|Part|Chapter|§)\s*(\d{1,4}(?:\.\d{1,3})+(?:-[A-Z]{1,3})?|\d{1,4}-[A-Z]{1,3}|\d{1,4}[A-Za-z]?|[IVXLC]{1,6})\b(?!\s*\()[.:]?", re.I)),  # "Section 287(g) of the Act …" is a citation, not a number
    ("paren", re.compile(r"^\((\d{1,3}|[a-z]{1,2}|[ivx]{1,5})\)(?=\s|$)")),
    ("roman", re.compile(r"^([IVXLC]{1,6})[.)](?=\s|$)")),
    ("upper", re.compile(r"^([A-Z])[.)](?=\s|$)")),
    ("arabic", re.compile(r"^(\d{1,3})[.)](?=\s|$)")),
    ("lower", re.compile(r"^([a-z])[.)](?=\s|$)")),
]

_BARE_HEADING_NUMBER = re.compile(r"^(\d{1,3})\s+(?=[A-Z]|\d+\([a-z]\))")  # "3 Title", "12 287(g) Agreements"
_CAPS_HEADING = re.compile(r"^((?:[A-Z0-9][A-Z0-9'’&/,()-]*\s+){0,7}[A-Z0-9][A-Z0-9'’&/,()-]*)(?:\s+|$)")


class _Token:
    """A numbering token: its style ("dotted", "paren", …), its label, the text after it.
    (The segmenter's two working records are plain classes: a dataclass costs about half a
    millisecond to make when the module is imported, on every command.)"""

    __slots__ = ("style", "label", "rest")

    def __init__(self, style: str, label: str, rest: str) -> None:
        self.style, self.label, self.rest = style, label, rest


def read_number(text: str) -> _Token | None:
    """The numbering token a paragraph starts with, if any."""
    for style, pattern in _TOKENS:
        m = pattern.match(text)
        if not m:
            continue
        label = m.group(1)
        if style == "roman" and not _ROMAN.match(label):
            continue
        return _Token(style, label, text[m.end():].strip())
    return None


def _split_heading(rest: str) -> tuple[str, str]:
    """`DETENTIONS An officer ...` -> (`DETENTIONS`, `An officer ...`).

    PDFs often run a section heading into its first sentence; the all-caps run is the
    heading. A short line that is all caps (or ends with a colon) is a heading alone.
    """
    stripped = rest.strip()
    if not stripped:
        return "", ""
    if stripped.endswith(":") and len(stripped.split()) <= 8:
        return stripped.rstrip(":").strip(), ""
    if not any(c.islower() for c in stripped) and len(stripped.split()) > 10:
        # A paragraph set all in capitals (bills print new law that way): the capitals
        # say nothing about where a heading ends; only a period or colon does.
        m = re.match(r"^((?:\S+\s+){0,7}?\S+?)[.:]\s+(?=\S)", stripped)
        if m and not re.search(r"\b(?:SHALL|MAY|MUST|WILL)\b", m.group(1)):
            return m.group(1).strip(), stripped[m.end():].strip()
        return "", stripped
    m = _CAPS_HEADING.match(stripped)
    if m and any(c.isalpha() for c in m.group(1)):
        head = m.group(1).strip()
        body = stripped[m.end():].strip()
        # A single capital word ("A", "I", "No") starting a sentence is not a heading.
        if len(head) > 2 and (not body or body[0].isupper() or body[0] in "(\"“"):
            return head, body
    if len(stripped.split()) <= 8 and not stripped.endswith((".", ";", ",")) and stripped[:1].isupper():
        if stripped == stripped.title() or stripped.isupper():
            return stripped, ""
    return "", stripped


def _paren_kind(label: str) -> str:
    inner = label.strip("()")
    return "paren-digit" if inner.isdigit() else "paren-upper" if inner.isupper() else "paren-lower"


class _Outline:
    """Tracks nested outline numbering so `A.` under `III.` becomes `III.A`."""

    def __init__(self) -> None:
        self.stack: list[tuple[str, str]] = []

    def reset(self, label: str = "") -> None:
        self.stack = [("base", label)] if label else []

    def push(self, style: str, label: str) -> str:
        if style == "roman" and len(label) == 1:
            # "I." right after "H." is the letter I, not the numeral one; so is "C." after
            # "B." and the items under it.
            prev = next((lab for s, lab in reversed(self.stack) if s == "upper"), None)
            if prev is not None and len(prev) == 1 and ord(label) == ord(prev) + 1:
                style = "upper"
        if (style == "arabic" and self.stack and self.stack[0][0] == "base" and label.isdigit()
                and all(s != "arabic" for s, _ in self.stack) and re.fullmatch(r"\d+(?:\.\d+)+", self.stack[0][1])
                and int(label) > int(self.stack[0][1].split(".")[0])):
            # "3." after "2.1" in a policy numbered 1., 2., 3.: the next section, not an item of 2.1
            # (the items of Lexipol's 413.4 are numbered from 1, below 413).
            self.stack = []
        if (style == "arabic" and label.isdigit() and int(label) > 1 and self.stack
                and all(s in ("paren", "lower", "upper") for s, _ in self.stack)):
            # "2. Detainer Requests." after items "(a)" to "(c)": a list's second number
            # does not open a level under "(c)"; the "1." before the items was lost (a copy
            # that begins inside section 1), and "2." is the next section
            self.stack = []
        if style == "roman" and self.stack and self.stack[0][0] == "base":
            # A roman-numeral outline is a document's top level; it does not nest in 413.6.
            self.stack = []
        # "(3)", "(a)" and "(A)" are three levels, as statutes nest them ("(a)(1)(A)"); only a
        # label in the same case of the same kind is a sibling.
        kind = _paren_kind(label) if style == "paren" else style
        for i, (s, lab) in enumerate(self.stack):
            if (_paren_kind(lab) if s == "paren" else s) == kind:
                del self.stack[i:]
                break
        self.stack.append((style, label))
        parts: list[str] = []
        for s, lab in self.stack:
            parts.append(f"({lab})" if s == "paren" else lab)
        out = ""
        for p in parts:
            if not out:
                out = p
            elif p.startswith("("):
                out += p
            else:
                out += "." + p
        return out


class _Draft:
    """A clause being gathered."""

    __slots__ = ("number", "heading", "parts", "start", "end", "list_intro", "implicit", "arabic_items")

    def __init__(self, number: str, heading: str, parts: list[str], start: int, end: int,
                 implicit: bool = False) -> None:
        self.number, self.heading, self.parts, self.start, self.end = number, heading, parts, start, end
        self.list_intro = False  # the last text ended with ":" and introduces sub-items
        self.implicit = implicit  # a bare paragraph numbered by position, not by the author
        self.arabic_items = False  # its enumeration has items numbered 1., 2., …


def segment(document: Document) -> list[Clause]:
    """Split a document into clauses, in reading order.

    A heading (styled, numbered, or a short all-caps line) opens a clause; paragraphs that
    follow belong to it until the next heading or numbered paragraph. Items introduced by a
    colon ("... any of the following:") stay inside the clause they complete, as the
    8 USC 1373 clause's three bullets do.
    """
    clauses: list[Clause] = []
    outline = _Outline()
    current: _Draft | None = None
    paragraph_count = 0

    def close() -> None:
        nonlocal current
        if current is not None:
            text = "\n".join(p for p in current.parts if p).strip()
            if text:
                clauses.append(
                    Clause(
                        number=current.number,
                        heading=current.heading,
                        text=text,
                        start=current.start,
                        end=current.end,
                        sentences=clause_sentences(text),
                    )
                )
        current = None

    for block, start, end in _run_on_split(document.blocks):
        text = block.text.strip()
        if not text:
            continue
        token = read_number(text) if not block.number else read_number(block.number + " " + text)
        if token is None and block.kind == "heading" and (bare := _BARE_HEADING_NUMBER.match(text)):
            # Word headings are often numbered "3 Immigration status inquiries", no period.
            token = _Token("arabic", bare.group(1), text[bare.end():].strip())

        # Sub-items of an enumeration introduced by a colon stay in their clause.
        # A short item set in capitals ("(1) THE PERSON IS BOOKED …; OR") can look like a
        # heading to a reader; after a lead-in it is the lead-in's item.
        item_like_heading = block.kind == "heading" and token is not None and token.style in ("paren", "lower", "arabic") and re.search(r"(?:[;,.]|;\s*(?:or|and))\s*$", text, re.I)
        next_section = (token is not None and token.style == "arabic" and current is not None and not current.arabic_items
                        and re.fullmatch(r"\d+(?:\.\d+)*", current.number) is not None
                        and token.label == str(int(current.number.split(".")[0]) + 1))  # "2." after the items of "1.1"; "4." after the bullets of "3."
        if current is not None and current.list_intro and (block.kind != "heading" or item_like_heading) and not next_section and (
            block.kind == "list_item" or (token and token.style in ("paren", "lower", "arabic"))
        ):
            current.arabic_items = current.arabic_items or (token is not None and token.style == "arabic")
            current.parts.append(text if not block.number else f"{block.number} {text}")
            current.end = end
            # The enumeration goes on while items keep coming; a plain paragraph ends it.
            continue

        if block.kind == "heading" or (token and token.style in ("dotted", "named")):
            rest = token.rest if token else text
            if token is None or (block.kind == "heading" and len(rest.split()) <= 12):
                heading, body = rest, ""  # a styled heading is a heading, whatever its case
            else:
                heading, body = _split_heading(rest)
            close()
            if token is not None:
                number = token.label if token.style == "dotted" else (
                    outline.push(token.style, token.label) if token.style != "named" else token.label
                )
                if token.style in ("dotted", "named"):
                    outline.reset(number)
            else:
                number = ""
            current = _Draft(number, heading, [body] if body else [], start, end)
            current.list_intro = body.endswith(":")
            continue

        if token is not None:
            close()
            number = outline.push(token.style, token.label)
            heading, body = _split_heading(token.rest)
            if heading and not body and len(token.rest.split()) > 8:
                heading, body = "", token.rest
            current = _Draft(number, heading, [body] if body else [], start, end)
            current.list_intro = body.endswith(":")
            continue

        if current is None or current.implicit:
            close()
            paragraph_count += 1
            current = _Draft(f"¶{paragraph_count}", "", [text], start, end, implicit=True)
            current.list_intro = text.endswith(":")
            continue

        current.parts.append(text if not block.number else f"{block.number} {text}")
        current.end = end
        current.list_intro = text.endswith(":")

    close()
    return _unique_numbers(_fold_contents(_drop_front_matter(clauses)))


# A section number inside running text, followed by an all-caps heading word: "... 413.2 POLICY It is".
# (Its first digit is matched before the look back for the space or start before it, so
# that the regex engine skips in C to the next digit rather than trying every character.)
_INNER_SECTION = re.compile(r"(\d(?<!\S\d)\d{1,3}(?:\.\d{1,3})+)\.?\s+(?=[A-Z][A-Z'’&/-]+\b)")


# A roman section number inside running text, after a sentence and before a heading in
# capitals: "... in AppendixA. I. PURPOSE The purpose ...".
_INNER_ROMAN = re.compile(r"(?:(?<=[.;:]\s)|^)([IVX]{1,6})\.\s+(?=[A-Z][A-Z'’&/-]{2,}\b)")
# The same number left at the very end of a paragraph, its heading on the next line.
# (The sentence's mark is matched, not looked behind at: the engine skips to each in C.)
_TRAILING_SECTION = re.compile(r"[.;:](?P<cut>\s+(?P<number>[IVX]{1,6}|\d{1,2})\.)$")
_CAPS_LINE = re.compile(r"[A-Z][A-Z'’&/ -]{2,60}")


def _run_on_split(blocks) -> list[tuple[Block, int, int]]:
    """Each block with its offsets in `Document.text`; a paragraph that runs several numbered
    sections together (a PDF extraction with no line breaks: "413.1 PURPOSE AND SCOPE This
    policy ... 413.2 POLICY It is ..." or "... in Appendix A. I. PURPOSE The purpose ...
    II. AUTHORITY Section 287(g) ...") becomes one paragraph per section number in it.

    Only numbers that share the section's first part (413 in 413.1, 413.1.1, 413.2) and
    never go backwards split the text, so a citation ("8 CFR 287.7") does not; roman section
    numbers split it only where they run on one after another (I., II., III.). A section
    number the extraction left at the end of the paragraph before its heading ("... in
    Appendix A. I." then "PURPOSE") goes with its heading."""
    out: list[tuple[Block, int, int]] = []
    offset = 0
    carried = ""  # a section number cut off the end of the previous paragraph
    for k, block in enumerate(blocks):
        start, end = offset, offset + len(block.text)
        offset = end + 2
        text = block.text
        if carried:
            block = Block(f"{carried} {text}", block.kind, block.level, block.number)
            carried = ""
        else:
            nxt = blocks[k + 1] if k + 1 < len(blocks) else None
            stray = _TRAILING_SECTION.search(text) if block.kind == "paragraph" and not block.number else None
            if stray and nxt is not None and not nxt.number and _CAPS_LINE.fullmatch(nxt.text.strip()):
                carried = stray.group("number") + "."
                block = Block(text[: stray.start("cut")].rstrip(), block.kind, block.level, block.number)
                end = start + len(block.text)
        pieces = _run_on_pieces(block.text) if block.kind == "paragraph" and not block.number else None
        if not pieces:
            if block.kind == "paragraph" and not block.number and _caps_title(block.text):
                # "BACKGROUND" typed on a line of its own in a Word or HTML paragraph is the
                # heading the plain-text reader would see: the answers must not depend on
                # whether the format marked it.
                block = Block(block.text, "heading", block.level or 1, block.number)
            out.append((block, start, end))
            continue
        for a, b in pieces:
            out.append((Block(block.text[a:b].strip(), "paragraph", block.level), start + a, start + b))
    return out


def _caps_title(text: str) -> bool:
    """A short line set all in capitals with no sentence punctuation ("PURPOSE",
    "ENCOUNTERS INVOLVING POSSIBLE"), as the plain-text reader takes for a heading."""
    from .readers.common import is_allcaps, is_heading_line

    # is_heading_line first: it refuses a long paragraph by its length alone, where the
    # other two tests read it to the end
    text = text.strip()
    return is_heading_line(text) and bool(_THREE_CAPITALS.search(text)) and is_allcaps(text)


_THREE_CAPITALS = re.compile(r"[A-Z]{3}")


def _section_key(number: str) -> tuple[int, ...]:
    return tuple(int(p) for p in number.split("."))


# What every section or roman number `_run_on_pieces` cuts at holds: patterns that open
# with a character class, which the regex engine finds without trying every position.
_MAY_HOLD_SECTION = re.compile(r"\d\.\d")
_MAY_HOLD_ROMAN = re.compile(r"[IVX]\.\s")


def _run_on_pieces(text: str) -> list[tuple[int, int]] | None:
    hits = list(_INNER_SECTION.finditer(text)) if _MAY_HOLD_SECTION.search(text) else []
    if len(hits) < 2:
        return _roman_pieces(text)
    counts: dict[str, int] = {}
    for h in hits:
        top = h.group(1).split(".")[0]
        counts[top] = counts.get(top, 0) + 1
    # A paragraph that opens with a section number is that section's: its first part rules.
    top = hits[0].group(1).split(".")[0] if hits[0].start() == 0 else max(sorted(counts), key=lambda k: counts[k])
    kept: list[re.Match[str]] = []
    for h in hits:
        if h.group(1).split(".")[0] != top:
            continue
        if kept and _section_key(h.group(1)) <= _section_key(kept[-1].group(1)):
            continue
        kept.append(h)
    if len(kept) < 2:
        return None
    cuts = [h.start() for h in kept]
    pieces = [(a, b) for a, b in zip([0, *cuts], [*cuts, len(text)]) if text[a:b].strip()]
    return pieces if len(pieces) > 1 else None


def _roman_pieces(text: str) -> list[tuple[int, int]] | None:
    """Cuts before roman section numbers that follow one another (I. then II. then III.),
    each followed by a heading in capitals; any other "IV." (a title's, a citation's) is text."""
    if not _MAY_HOLD_ROMAN.search(text):
        return None
    hits = [h for h in _INNER_ROMAN.finditer(text) if roman_value(h.group(1)) <= 40]
    best: list[re.Match[str]] = []
    for k, h in enumerate(hits):
        run = [h]
        for g in hits[k + 1:]:
            if roman_value(g.group(1)) == roman_value(run[-1].group(1)) + 1:
                run.append(g)
        if len(run) > len(best):
            best = run
    if len(best) < 2:
        return None
    cuts = [h.start() for h in best]
    pieces = [(a, b) for a, b in zip([0, *cuts], [*cuts, len(text)]) if text[a:b].strip()]
    return pieces if len(pieces) > 1 else None


def _drop_front_matter(clauses: list[Clause]) -> list[Clause]:
    """A manual's title block ("Policy 413" / "Immigration Violations" / "Chicopee Police
    Department") directs no one; leading clauses of a few words with no sentence in them
    are its lines, not clauses."""
    k = 0
    while k < len(clauses) - 1:
        text = clauses[k].text
        if len(text.split()) > 8 or re.search(r"[.;:!?]\s*$", text):
            break
        k += 1
    return clauses[k:]


def _fold_contents(clauses: list[Clause]) -> list[Clause]:
    """A code chapter's list of its sections ("Sections: 9.04.010 No City enforcement of
    immigration laws. 9.04.020 No inquiries into citizenship. …") before the sections
    themselves: a run of numbered titles, each a few words, whose first two numbers come
    again after it, in order, is a table of contents, not clauses (a draft would otherwise
    number the real sections 9.04.010-2, …): its lines join the clause before it. An
    excerpt may stop before the later sections come again, so only the first two are
    asked for."""

    def title(c: Clause) -> bool:
        return bool(c.number) and not c.heading and len(c.text.split()) <= 15

    numbers = [c.number for c in clauses]
    i = 0
    while i + 1 < len(clauses):
        if title(clauses[i]) and title(clauses[i + 1]):
            again = next((k for k in range(i + 2, len(clauses)) if numbers[k] == numbers[i]), None)
            if (again is not None and all(title(c) for c in clauses[i:again])
                    and numbers[i + 1] in numbers[again + 1:]):
                # Its lines stay in the text, in the clause before them ("Sections:"), so a
                # comparison still shows them; they are only not clauses of their own.
                lines = "\n".join(f"{c.number} {c.text}" for c in clauses[i:again])
                host = clauses[i - 1] if i else Clause("", "", "", clauses[i].start, clauses[i].start, ())
                text = f"{host.text}\n{lines}".strip()
                merged = Clause(host.number, host.heading, text, host.start, clauses[again - 1].end, clause_sentences(text))
                return clauses[:max(i - 1, 0)] + [merged] + _fold_contents(clauses[again:])
        i += 1
    return clauses


def _unique_numbers(clauses: list[Clause]) -> list[Clause]:
    """Headed but unnumbered clauses get `§N`; repeated numbers get a suffix, so every
    clause can be cited unambiguously."""
    seen: dict[str, int] = {}
    out: list[Clause] = []
    unnumbered = 0
    for c in clauses:
        number = c.number
        if not number:
            unnumbered += 1
            number = f"§{unnumbered}"
        if number in seen:
            seen[number] += 1
            number = f"{number}-{seen[number]}"
        else:
            seen[number] = 1
        out.append(c if number == c.number else Clause(number, c.heading, c.text, c.start, c.end, c.sentences))
    return out
