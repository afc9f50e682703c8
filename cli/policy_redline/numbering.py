"""Section numbers as the segmenter reads them, compared and continued in their own scheme.

The draft adds sections to a policy that already numbers its own; a council and the manual's
other chapters cite those numbers, so they stand. A new section takes the next number after
the last one when it goes at the end (413.9 after 413.8, 5 after 4, IV after III), and
otherwise a sub-number of the section it follows (413.5.1 after 413.5, 2.1 after 2, II.C after
II.B), so that the numbers still read in order, in every scheme the segmenter reads:

- dotted, Lexipol's `413.4`, `413.4.1`;
- plain, `1.`, `2.` (and `Section 3`);
- outlines, `I.` / `A.` / `1.` / `(a)`, read by the segmenter as `II.B.1(a)`;
- unnumbered headings (`§1`) and paragraphs (`¶1`), which no one cites by number: new
  sections there carry none either.
"""

from __future__ import annotations

import re

_ROMAN = re.compile(r"^(?=[IVXLC])M*(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})$", re.I)
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}


def numbered(number: str) -> bool:
    """False for the segmenter's own labels of unnumbered text (`§2`, `¶3`) and duplicates (`4-2`)."""
    return bool(number) and not number.startswith(("¶", "§")) and not duplicate(number)


def duplicate(number: str) -> bool:
    """The segmenter's mark on a number the text repeats (`4-2`); a code's own hyphen
    (`319-A`, New York's lettered sections) is part of the number."""
    return re.search(r"-\d+$", number) is not None


def parts(number: str) -> list[str]:
    """`II.B.1(a)` -> ["II", "B", "1", "(a)"]; `413.4.1` -> ["413", "4", "1"]."""
    return re.findall(r"\([^)]*\)|[^.()]+", number)


def is_outline(number: str) -> bool:
    """An outline number has a letter or a roman numeral in it; a dotted or plain one has digits only."""
    return any(not p.strip("()").isdigit() for p in parts(number))


def roman_value(text: str) -> int:
    total = 0
    values = [_ROMAN_VALUES[c] for c in text.lower()]
    for i, v in enumerate(values):
        total += -v if i + 1 < len(values) and values[i + 1] > v else v
    return total


def to_roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += letters
            n -= value
    return out


def _depth_styles(numbers: list[str]) -> dict[int, str]:
    """Whether letters at each depth are roman numerals or letters: a depth is roman when some
    label at it is a roman numeral of more than one character (`II`, `iv`), or when its labels
    are capital roman numerals with capital letters under them ("I. ICE Detainers" over "A.",
    "B.": an outline's first part, not the letter I, which would have no capitals below it)."""
    styles: dict[int, str] = {}
    for n in numbers:
        for d, p in enumerate(parts(n)):
            inner = p.strip("()")
            if len(inner) > 1 and _ROMAN.match(inner):
                styles[d] = "roman"
    for n in numbers:
        ps = [p.strip("()") for p in parts(n)]
        for d in range(len(ps) - 1):
            if d not in styles and ps[d] in ("I", "V", "X") and re.fullmatch(r"[A-Z]", ps[d + 1]) and not n.startswith("("):
                styles[d] = "roman"
    return styles


def _part_value(part: str, roman: bool) -> int:
    inner = part.strip("()")
    if inner.isdigit():
        return int(inner)
    lettered = re.fullmatch(r"(\d+)-([A-Za-z]{1,3})", inner)
    if lettered:
        # 319-A after 319 and before 320
        return int(lettered.group(1)) + sum(ord(c) - 64 for c in lettered.group(2).upper()) / 100
    if roman and _ROMAN.match(inner):
        return roman_value(inner)
    if len(inner) == 1 and inner.isalpha():
        return ord(inner.lower()) - 96
    if _ROMAN.match(inner):
        return roman_value(inner)
    return 0


def keys(numbers: list[str]) -> list[tuple[int, ...]]:
    """Sort keys for a document's section numbers, each part read in its depth's scheme."""
    styles = _depth_styles(numbers)
    return [tuple(_part_value(p, styles.get(d) == "roman") for d, p in enumerate(parts(n))) for n in numbers]


def in_order(numbers: list[str]) -> bool:
    """True when a document's section numbers (unnumbered labels left out) strictly increase."""
    shown = [n for n in numbers if numbered(n)]
    if len(shown) != len([n for n in numbers if n and not n.startswith(("¶", "§"))]):
        return False  # a repeated number (`413.6-2`)
    ks = keys(shown)
    return all(a < b for a, b in zip(ks, ks[1:]))


def next_label(label: str, roman: bool) -> str:
    """The label after `label` in its own scheme: 4 -> 5, C -> D, III -> IV, (b) -> (c)."""
    paren = label.startswith("(")
    inner = label.strip("()")
    if inner.isdigit():
        out = str(int(inner) + 1).zfill(len(inner))  # 6.020 -> 6.021
    elif roman and _ROMAN.match(inner):
        out = to_roman(roman_value(inner) + 1)
        out = out if inner.isupper() else out.lower()
    elif len(inner) == 1 and inner.isalpha() and inner.lower() != "z":
        out = chr(ord(inner) + 1)
    else:
        out = inner + "1"
    return f"({out})" if paren else out


def _style(part: str) -> str:
    if part.startswith("("):
        return "paren"
    if part.isdigit():
        return "arabic"
    if len(part) > 1 and _ROMAN.match(part):
        return "roman"
    return "upper" if part.isupper() else "lower"


def first_child(number: str, siblings_style: str | None = None) -> str:
    """The label a first sub-section of `number` takes when it has none: 413.5 -> 1 (413.5.1),
    II -> A (II.A), II.A -> 1, II.A.1 -> (a); never a style its parents use (the segmenter
    would read it as theirs)."""
    if siblings_style:
        return siblings_style
    if not is_outline(number):
        return "1"
    used = {_style(p) for p in parts(number)}
    for style, label in (("upper", "A"), ("arabic", "1"), ("paren", "(a)"), ("lower", "a")):
        if style not in used:
            return label
    return "(a)"


def join(parent: str, label: str) -> str:
    """`II` + `C` -> `II.C`; `II.A.1` + `(a)` -> `II.A.1(a)`; `413.5` + `1` -> `413.5.1`."""
    if not parent:
        return label
    return parent + label if label.startswith("(") else f"{parent}.{label}"


def parent_of(number: str) -> str:
    ps = parts(number)
    if len(ps) <= 1:
        return ""
    out = ""
    for p in ps[:-1]:
        out = join(out, p)
    return out


def disorder(numbers: list[str]) -> int:
    """How far a document's section numbers are from reading in order: repeated numbers plus
    places where a number does not follow the one before it (0: in order). Some real texts
    (bills quoting statutes, manuals with several schemes) start above 0; a draft must never
    add to it."""
    shown = [n for n in numbers if n and not n.startswith(("¶", "§"))]
    repeats = sum(1 for n in shown if duplicate(n))
    plain = [n for n in shown if not duplicate(n)]
    ks = keys(plain)
    return repeats + sum(1 for a, b in zip(ks, ks[1:]) if not a < b)
