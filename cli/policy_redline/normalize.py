"""One normal form for comparing policy language, whoever published it.

Departments copy the Lexipol template and change what does not matter to its meaning: the
department's name, section numbers, quote marks, line breaks. Matching is done on text with
those differences removed, so "the Chicopee Police Department", "this department" and the
template's "the Department" compare as the same words.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"',
                         "–": "-", "—": "-", "‐": "-", "‑": "-", "\u00a0": " "})

# "the Chicopee Police Department", "Bedford Police Dept.", "the {department}".
_DEPARTMENT = re.compile(
    r"\b(?:the\s+)?(?:(?:city|town)\s+of\s+)?(?:(?-i:[A-Z][\w'’.-]*)\s+){1,3}(?:Police\s+(?:Department|Dept\.?|Service)|Department\s+of\s+Police)\b"
    r"|\b(?:the\s+)?\{department\}"
    r"|\b(?:this|the|our)\s+(?:department|agency)\b",
    re.IGNORECASE,
)
# A cheap test that `_DEPARTMENT` (slow: it tries every word) could match at all.
_MAY_NAME_DEPARTMENT = re.compile(r"police|department|agency|dept", re.IGNORECASE)
_NAMED_DEPARTMENT = re.compile(
    r"\b(?:the\s+)?(?:(?:city|town)\s+of\s+)?((?:[A-Z][\w'’.-]*\s+){1,3})(?:Police\s+(?:Department|Dept\.?|Service))\b"
)
_TOWN = re.compile(r"\{town\}")
_SECTION_NUMBER = re.compile(r"(?<![\w§])\d{1,4}(?:\.\d{1,3})+\.?(?=\s)")
_NON_WORD = re.compile(r"[^\w§$%]+")


def fold(text: str) -> str:
    """Typographic folding only: curly quotes, dashes, non-breaking spaces, compatibility forms."""
    if text.isascii():
        return text  # NFKC and the quote table change nothing in ASCII
    return unicodedata.normalize("NFKC", text).translate(_QUOTES)


def guess_department(text: str) -> str | None:
    """The department a policy names most often ("Chicopee Police Department"), if any."""
    counts: dict[str, int] = {}
    for m in _NAMED_DEPARTMENT.finditer(fold(text)):
        name = " ".join(m.group(1).split())
        if name.lower() in {"the", "this", "our", "state", "local", "federal", "municipal", "each", "any"}:
            continue
        words = name.split()
        while words and words[0].lower() in {"the", "of", "city", "town"}:
            words = words[1:]
        if not words:
            continue
        full = " ".join(words) + " Police Department"
        counts[full] = counts.get(full, 0) + 1
    if not counts:
        return None
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def town_of(department: str) -> str:
    """"Chicopee Police Department" -> "Chicopee"."""
    return re.sub(r"\s+Police\s+(?:Department|Dept\.?|Service)$", "", department).strip()


@functools.lru_cache(maxsize=65536)
def normalize(text: str, towns: tuple[str, ...] = ()) -> str:
    """The comparison form: lower case, no punctuation or section numbers, one name for
    the department and one for the town."""
    return normal_form_of_folded(fold(text), towns)


def normal_form_of_folded(text: str, towns: tuple[str, ...] = ()) -> str:
    """`normalize` of a text `fold` has already been applied to (so several folded texts
    can be normalised in one pass, joined by a separator these steps keep)."""
    if _MAY_NAME_DEPARTMENT.search(text):
        text = _DEPARTMENT.sub(" the department ", text)
    text = _TOWN.sub(" the town ", text)
    for town in towns:
        if town:
            text = re.sub(rf"\b{re.escape(town)}\b", " the town ", text)
    text = _SECTION_NUMBER.sub(" ", text)
    text = _NON_WORD.sub(" ", text.lower())
    return " ".join(text.split())
