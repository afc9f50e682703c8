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

_QUOTE_PAIRS = tuple((chr(k), v) for k, v in _QUOTES.items())

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
# (The first digit is matched before the look back at the character before it, so that the
# regex engine skips in C to the next digit instead of trying every character.)
_SECTION_NUMBER = re.compile(r"\d(?<![\w§]\d)\d{0,3}(?:\.\d{1,3})+\.?(?=\s)")
_WORD = re.compile(r"[\w§$%]+")


def fold(text: str) -> str:
    """Typographic folding only: curly quotes, dashes, non-breaking spaces, compatibility forms."""
    if text.isascii():
        return text  # NFKC and the quote table change nothing in ASCII
    text = unicodedata.normalize("NFKC", text)
    # One `str.replace` per character present: `translate` with a table looks up every
    # character of a long text in a dict (a tenth of a second on a 5,000-clause policy).
    for char, plain in _QUOTE_PAIRS:
        if char in text:
            text = text.replace(char, plain)
    return text


# How records name the agency that wrote a policy, besides "X Police Department": a sheriff's
# office or department, a county police, a university or campus police, a department of
# correction, "Town of X Police". Each pattern's group 1 is the place (or institution).
_CAPS = r"((?:(?:[A-Z][\w'’.&-]*|of)\s+){0,4}?[A-Z][\w'’.&-]*)\s+"
_AGENCY_NAMES = (
    (re.compile(r"\b" + _CAPS + r"Sheriff'?s?\s+(Office|Department)\b"), "{0} Sheriff's {1}"),
    (re.compile(r"\b" + _CAPS + r"Department\s+of\s+Corrections?\b"), "{0} Department of Correction"),
    (re.compile(r"\b" + _CAPS + r"(University|College|Campus)\s+Police(?:\s+Department)?\b"), "{0} {1} Police Department"),
    (re.compile(r"\b(University\s+of\s+(?:[A-Z][\w'’.&-]*\s+){0,3}?[A-Z][\w'’.&-]*)\s+Police(?:\s+Department)?\b"), "{0} Police Department"),
    (re.compile(r"\b" + _CAPS + r"County\s+Police(?!\s+(?:Department|Dept|Service))\b"), "{0} County Police"),
    (re.compile(r"\b(?:Town|City)\s+of\s+((?:[A-Z][\w'’.-]*\s+){0,2}[A-Z][\w'’.-]*)\s+Police(?!\s+(?:Department|Dept|Service))\b"), "{0} Police Department"),
)
_NOT_A_PLACE = {"the", "this", "our", "state", "local", "federal", "municipal", "each", "any", "all", "a", "an",
                "county", "city", "town", "of", "and", "or", "contact", "notify", "with", "by", "to", "from"}
_SMALL_WORDS = {"OF", "AND", "THE", "OR", "FOR", "IN", "TO", "BY", "ON", "AT", "A", "AN", "WITH", "FROM", "THEREOF"}
# (`\b` before the first capital is looked back at after it, so that the regex engine skips
# in C to the next capital instead of trying every character.)
_SHOUTED = re.compile(r"[A-Z](?<!\w[A-Z])[A-Z'’.&-]+(?:\s+[A-Z][A-Z'’.&-]+)+\b")


def _unshout(text: str) -> str:
    """"PRINCE WILLIAM COUNTY POLICE DEPARTMENT" -> "Prince William County Police Department"
    (a masthead in capitals names its department too); "OF" in it is "of"."""
    def cap(m: re.Match[str]) -> str:
        return " ".join(w.lower() if w in _SMALL_WORDS else w[0] + w[1:].lower() for w in m.group(0).split())

    return _SHOUTED.sub(cap, text)


# Words a place name never holds: a name starts after the last of them ("Policy Santa Cruz
# County Sheriff's Office", "General Order S06-14-03 Chicago Police Department").
_BEFORE_A_PLACE = {"the", "this", "our", "its", "your", "policy", "policies", "order", "orders", "manual",
                   "general", "statement", "procedure", "procedures", "section", "chapter", "directive",
                   "guidelines", "scope", "purpose", "department", "office", "police", "sheriff's", "sheriffs",
                   "sheriff", "agency", "division", "unit", "bureau"}
_PLACE_WORD = re.compile(r"^(?:[A-Z][A-Za-z'’.&-]*[A-Za-z.]|[A-Z]|of|and)$")


def _place(words: str) -> str:
    """The place words before an agency's name: those on its own line, after the last
    "the", and not a heading in capitals run into it ("POLICY STATEMENT The Amherst")."""
    words = re.split(r"[\n\r\f\v]", words)[-1]
    parts = words.split()
    cut = max((i for i, w in enumerate(parts) if w.lower() in _BEFORE_A_PLACE or not _PLACE_WORD.match(w)), default=-1)
    parts = parts[cut + 1:]
    caps = [i for i, w in enumerate(parts) if len(w) > 1 and w.isupper()]
    if len(caps) >= 2 and caps[0] == 0:
        run = 0
        while run < len(parts) and len(parts[run]) > 1 and parts[run].isupper():
            run += 1
        if run >= 2 or run == len(parts):
            parts = parts[run:]
    if len(parts) == 1 and len(parts[0]) >= 4 and parts[0].isupper():
        return ""  # a heading's last word run into the name ("… OF THE LAWS Sheriff's Office")
    while parts and parts[0].lower() in _NOT_A_PLACE:
        parts = parts[1:]
    while parts and parts[-1].lower() in ("of", "and"):
        parts = parts[:-1]
    return " ".join(parts)


# The agency patterns try a match at every (capitalised) word; every match holds a keyword
# ("Police", "Sheriff", "Correction") and no punctuation but ' ’ . & -, so each pattern is
# run only over the stretches between other punctuation that hold its keyword: the same
# matches, found in a fraction of the text (a long policy names its agency in few places).
_BARRIER = re.compile(r"[^\w\s'’.&-]+")
_KEYWORDS = {
    "Police": re.compile(r"Police"),
    "Sheriff": re.compile(r"Sheriff"),
    "Correction": re.compile(r"Correction"),
}
_KEYWORD_OF = {id(_NAMED_DEPARTMENT): "Police"}
for _rx, _form in _AGENCY_NAMES:
    _KEYWORD_OF[id(_rx)] = ("Sheriff" if "Sheriff" in _rx.pattern else "Correction" if "Correction" in _rx.pattern
                            else "Police")


class _Stretches:
    """The stretches of a text between punctuation (`barrier`) that hold a keyword.

    Only the punctuation around each keyword is looked for (the whole text's took longer
    than the matching): forward to the next, and back, in a window that doubles, to the
    last before it, never further back than the stretch before, so no character is read
    twice however the keywords and punctuation fall."""

    _WINDOW = 256

    def __init__(self, text: str, barrier: re.Pattern[str] = _BARRIER) -> None:
        self.text = text
        self.barrier = barrier
        self._held: dict[str, list[tuple[int, int]]] = {}

    def holding(self, keyword: re.Pattern[str]) -> list[tuple[int, int]]:
        if keyword.pattern not in self._held:
            self._held[keyword.pattern] = self.around(m.start() for m in keyword.finditer(self.text))
        return self._held[keyword.pattern]

    def around(self, found) -> list[tuple[int, int]]:
        """The stretches holding these positions (ascending, none of them punctuation)."""
        text = self.text
        out: list[tuple[int, int]] = []
        floor = 0  # the end of the stretch before: no punctuation after it is before k
        for k in found:
            if out and k < out[-1][1]:
                continue  # in the stretch found last
            if out:
                floor = out[-1][1]
            after = self.barrier.search(text, k)
            end = after.start() if after else len(text)
            start, width = -1, self._WINDOW
            while start < 0:
                lo = max(floor, k - width)
                for before in self.barrier.finditer(text, lo, k):
                    start = before.end()
                if start < 0 and lo == floor:
                    start = floor
                width *= 2
            out.append((start, end))
        return out

    def finditer(self, rx: re.Pattern[str]):
        """`rx.finditer(text)` for one of the agency patterns, over its keyword's stretches."""
        for start, end in self.holding(_KEYWORDS[_KEYWORD_OF[id(rx)]]):
            yield from rx.finditer(self.text, start, end)


#: Words of a title that runs into "Police Department" ("A RESOLUTION ADOPTING POLICE
#: DEPARTMENT POLICY #102"): no department's name has them.
_NOT_IN_A_NAME = frozenset(
    "resolution resolutions ordinance ordinances policy policies order orders bylaw by-law article section "
    "adopting amending regarding concerning establishing creating authorizing approving implementing "
    "rescinding updating revising supporting opposing".split()
)


def guess_department(text: str) -> str | None:
    """The department a policy names most often, as records name them: "Chicopee Police
    Department", "Worcester County Sheriff's Office", "Prince William County Police
    Department", "University of Massachusetts Police Department", "Massachusetts
    Department of Correction"; a masthead in capitals counts too."""
    counts: dict[str, int] = {}
    folded = fold(text)
    shouted = [_unshout(m.group(0)) for m in _SHOUTED.finditer(folded)] if folded != folded.lower() else []
    if shouted:
        folded = folded + "\n" + "\n".join(shouted)
    stretches = _Stretches(folded)
    for m in stretches.finditer(_NAMED_DEPARTMENT):
        name = _place(m.group(1)) or " ".join(m.group(1).split())
        if name.lower() in {"the", "this", "our", "state", "local", "federal", "municipal", "each", "any"}:
            continue
        words = name.split()
        while words and words[0].lower() in {"the", "of", "city", "town"}:
            words = words[1:]
        if not words or any(w.lower() in _NOT_IN_A_NAME for w in words):
            continue
        full = " ".join(words) + " Police Department"
        counts[full] = counts.get(full, 0) + 1
    for rx, form in _AGENCY_NAMES:
        for m in stretches.finditer(rx):
            place = _place(" ".join(m.group(1).split()))
            if not place or (form.startswith("{0} Department of") and place.lower() in _NOT_A_PLACE):
                continue
            extra = [g.capitalize() if g else g for g in m.groups()[1:]]
            full = form.format(place, *extra)
            counts[full] = counts.get(full, 0) + 1
    if not counts:
        return None
    # A longer name that contains a shorter one is the same agency ("Prince William County
    # Police Department" over "William County Police Department").
    for name in list(counts):
        for other in list(counts):
            if other != name and other in counts and name in counts and name.endswith(other) and len(name) > len(other):
                counts[name] += counts.pop(other)
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


_AGENCY_SUFFIX = re.compile(
    r"\s+(?:Police\s+(?:Department|Dept\.?|Service)|Sheriff's\s+(?:Office|Department)|County\s+Police"
    r"|(?:University|College|Campus)\s+Police\s+Department|Department\s+of\s+Correction)$"
)


def town_of(department: str) -> str:
    """"Chicopee Police Department" -> "Chicopee"; "Worcester County Sheriff's Office" ->
    "Worcester County"; "Prince William County Police" -> "Prince William County"."""
    if department.endswith("County Police"):
        return department[: -len(" Police")].strip()
    if department.endswith("Department of Correction"):
        return ""  # a state or county agency: no town to fill in
    return _AGENCY_SUFFIX.sub("", department).strip()


@functools.lru_cache(maxsize=65536)
def normalize(text: str, towns: tuple[str, ...] = ()) -> str:
    """The comparison form: lower case, no punctuation or section numbers, one name for
    the department and one for the town."""
    return normal_form_of_folded(fold(text), towns)


def normal_form_of_folded(text: str, towns: tuple[str, ...] = ()) -> str:
    """`normalize` of a text `fold` has already been applied to (so several folded texts
    can be normalised in one pass, joined by a separator these steps keep)."""
    text = _one_department(text)
    text = _TOWN.sub(" the town ", text)
    for town in towns:
        if town:
            text = re.sub(rf"\b{re.escape(town)}\b", " the town ", text)
    text = _SECTION_NUMBER.sub(" ", text)
    # The words, one space between: what replacing each run of other characters by a space
    # and collapsing the spaces gives, in one pass
    return " ".join(_WORD.findall(text.lower()))


# `_DEPARTMENT` tries a match at every word; each of its matches holds "police",
# "department" or "agency" and nothing but word characters, spaces, ' ’ . - { }, so it is
# run only over the stretches between other characters that hold one of those words.
_NOT_IN_A_DEPARTMENT = re.compile(r"[^\w\s'’.{}-]+")


def _department_words(text: str) -> list[int]:
    """Where `_MAY_NAME_DEPARTMENT` matches (or more places), ascending. In lower case, by
    `str.find`: a case-blind regex is slow to look for words. Lower-casing keeps each
    character's place unless the length changes; "ı" is the one character besides I and i
    that the regex takes for "i" and lower-casing leaves alone."""
    lowered = text.lower()
    if len(lowered) != len(text) or "ı" in text:
        return [m.start() for m in _MAY_NAME_DEPARTMENT.finditer(text)]
    found: list[int] = []
    for word in ("police", "department", "agency", "dept"):
        at = lowered.find(word)
        while at >= 0:
            found.append(at)
            at = lowered.find(word, at + 1)
    found.sort()
    return found


def _one_department(text: str) -> str:
    """`_DEPARTMENT.sub(" the department ", text)`, matching in the stretches that can match."""
    pieces: list[str] = []
    last = 0
    for start, end in _Stretches(text, _NOT_IN_A_DEPARTMENT).around(_department_words(text)):
        for m in _DEPARTMENT.finditer(text, start, end):
            pieces.append(text[last:m.start()])
            pieces.append(" the department ")
            last = m.end()
    if not pieces:
        return text
    pieces.append(text[last:])
    return "".join(pieces)
