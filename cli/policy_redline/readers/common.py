"""What every reader shares: text normalisation, decoding, and turning lines into blocks.

One normalisation for every format, so that the same policy saved as .txt, .docx, .pdf or
.html reaches the later stages as the same text. Readers call `normalize_text` on every
string they produce; the line-to-block rules (numbering tokens start a new block, short
ALL-CAPS lines are headings) are used by the plain-text reader and by the PDF reader.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass, field

from ..document import Block
from ..errors import InputError

# --------------------------------------------------------------------------------------
# Reader result


@dataclass
class Parsed:
    """What a reader hands back to `ingest`: blocks, an optional title hint, notes."""

    blocks: list[Block]
    title_hint: str = ""
    notes: list[str] = field(default_factory=list)
    title_explicit: bool = False  # the hint is the document's title as written, not a guess
    ocr: object = None  # a document.OcrReading when pages were read by OCR (PDF only)


# --------------------------------------------------------------------------------------
# Normalisation

_TRANSLATE = {
    0x00A0: " ",  # no-break space
    0x2007: " ",  # figure space
    0x202F: " ",  # narrow no-break space
    0x2002: " ", 0x2003: " ", 0x2004: " ", 0x2005: " ", 0x2006: " ", 0x2008: " ",
    0x2009: " ", 0x200A: " ", 0x3000: " ",
    0x00AD: None,  # soft hyphen
    0x200B: None,  # zero-width space
    0xFEFF: None,  # stray byte-order mark / zero-width no-break space
    0x2028: "\n",  # line separator
    0x2029: "\n",  # paragraph separator
    0x000B: "\n",  # vertical tab (Word's manual line break in some exports)
    0x000C: "\n",  # form feed (page break in text dumps)
    0xFB00: "ff", 0xFB01: "fi", 0xFB02: "fl", 0xFB03: "ffi", 0xFB04: "ffl",
    0xFB05: "st", 0xFB06: "st",
}
# Remaining C0/C1 controls (and DEL) are dropped; newline and tab are kept.
for _c in list(range(0x00, 0x20)) + list(range(0x7F, 0xA0)):
    if _c not in (0x09, 0x0A, 0x0B, 0x0C):
        _TRANSLATE.setdefault(_c, None)
# str.translate with this table costs ~200 ns a character (10 s for a 45 MB text); a regex
# that visits only the characters to change costs next to nothing when there are few.
_TRANSLATE_STR = {chr(k): (v or "") for k, v in _TRANSLATE.items()}
# A lone surrogate (from a PDF's broken ToUnicode map, or undecodable bytes) cannot be
# written as UTF-8 by any writer: it becomes U+FFFD like any other undecodable character.
_TRANSLATE_RE = re.compile("[" + "".join(re.escape(c) for c in sorted(_TRANSLATE_STR)) + "\ud800-\udfff]")


def _translate_match(m: re.Match[str]) -> str:
    c = m.group()
    return _TRANSLATE_STR.get(c, "\ufffd")


def normalize_text(text: str) -> str:
    """The one text normalisation every reader applies.

    NFC; every kind of no-break / typographic space becomes a plain space; soft hyphens,
    zero-width spaces and control characters other than newline and tab are removed;
    ligatures (ﬁ ﬂ …) are spelled out. Curly quotes, dashes and § are left as they are:
    later stages normalise for matching and must be able to quote the original.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _TRANSLATE_RE.sub(_translate_match, text)
    return unicodedata.normalize("NFC", text)


def clean_inline(text: str) -> str:
    """Normalise and collapse all whitespace (including newlines) to single spaces."""
    return " ".join(normalize_text(text).split())


# --------------------------------------------------------------------------------------
# Decoding bytes to text

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# A text file may hold a few stray control bytes (form feeds, an escape from a terminal
# dump); a share above this of the sampled bytes means it is not text.
MAX_CONTROL_SHARE = 0.05
_SAMPLE = 1 << 20  # look at the first MiB only: binary data shows itself quickly
_CONTROL_BYTES = bytes(c for c in range(32) if c not in (9, 10, 12, 13)) + b"\x7f"


def _bom_encoding(data: bytes) -> str | None:
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return enc
    return None


def _bomless_utf16(data: bytes) -> str | None:
    """Recognise UTF-16 without a BOM: mostly-ASCII text has a NUL in every other byte."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        sample = sample[: len(sample) - len(sample) % 2]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    half = len(sample) // 2
    if odd.count(0) > 0.4 * half and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) > 0.4 * half and odd.count(0) == 0:
        return "utf-16-be"
    return None


def looks_binary(data: bytes) -> bool:
    """NUL bytes, or a high share of control bytes, in the first MiB."""
    sample = data[:_SAMPLE]
    if not sample:
        return False
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > MAX_CONTROL_SHARE * len(sample)


# Encodings a declaration may name. A declared codec must be a text encoding (not base64,
# zlib, rot13 …), must read the declaration's own ASCII bytes as ASCII (UTF-16, UTF-32,
# EBCDIC and UTF-7 cannot have been declared in ASCII bytes), and must not interpret
# escapes; what the bytes themselves show (a BOM, valid multi-byte UTF-8) wins over it.
_UNTRUSTED_CODECS = frozenset({"utf-7", "unicode-escape", "raw-unicode-escape", "idna", "punycode",
                               "undefined", "utf-8-sig"})
_ASCII_PROBE = "<meta charset=\"abc-XYZ_019\"> policy 413.1 (a)"


def trusted_declaration(declared: str | None) -> str | None:
    """The codec name a declared charset may be decoded with, or None when it is not to be
    trusted (unknown, not a text encoding, not ASCII-compatible, or an escape codec)."""
    if not declared:
        return None
    name = declared.strip().strip("\"'").lower()
    if not name or len(name) > 40:
        return None
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError, TypeError):
        return None
    if not getattr(info, "_is_text_encoding", True):
        return None
    canonical = info.name.replace("_", "-").lower()
    if canonical in _UNTRUSTED_CODECS or canonical.startswith(("utf-16", "utf-32")):
        return None
    try:
        if _ASCII_PROBE.encode(info.name) != _ASCII_PROBE.encode("ascii"):
            return None
        if b"abc-XYZ_019 policy".decode(info.name) != "abc-XYZ_019 policy":
            return None
    except (UnicodeError, LookupError, ValueError, TypeError):
        return None
    return info.name


def decode_text(data: bytes, source: str, declared: str | None = None, *,
                lines: bool = True) -> tuple[str, str]:
    """Decode text bytes: BOM -> UTF-8 (when the bytes are UTF-8 beyond ASCII) -> a trusted
    declaration -> UTF-8 -> cp1252 -> Latin-1.

    Returns (text, encoding). Raises InputError for binary data, and for text longer than
    the budget (`check_text_budget`; `lines=False` for markup, whose lines are not
    paragraphs: a minified page is one line).
    """
    enc = _bom_encoding(data) or _bomless_utf16(data)
    if enc:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            raise InputError(
                source, f"the text is not valid {enc.upper()}: re-save it as UTF-8"
            ) from None
        check_text_budget(text, source, lines)
        return text, enc
    if looks_binary(data):
        raise InputError(source, binary_reason(data))
    if len(data) > MAX_TEXT_CHARS * 4:  # no decoding can bring it within the budget
        raise InputError(source, _too_much_text(len(data), "bytes"))
    candidates = []
    trusted = trusted_declaration(declared)
    if trusted:
        # Valid UTF-8 with multi-byte sequences is UTF-8, whatever a declaration says: a
        # text in a legacy encoding almost never happens to be valid UTF-8.
        if codecs.lookup(trusted).name != "utf-8" and not data.isascii():
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                pass
            else:
                check_text_budget(text, source, lines)
                return text, "utf-8"
        candidates.append(trusted)
    candidates += ["utf-8", "cp1252", "latin-1"]
    for enc in candidates:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        except (LookupError, ValueError, TypeError):  # a codec that fails its own way
            continue
        check_text_budget(text, source, lines)
        return text, enc
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover


# --------------------------------------------------------------------------------------
# Budgets: checked before the costly stages, so a hostile file is refused in well under a
# second instead of after minutes and gigabytes.

# A whole policy manual of 250,000 words is about 1.7 million characters; four times that
# leaves room for layout whitespace.
MAX_TEXT_CHARS = 8_000_000
# A paragraph (or an unwrapped line) of a real policy is at most a few thousand
# characters; a PDF extraction run together into one paragraph, a few tens of thousands.
MAX_LINE_CHARS = 100_000
_TOO_LONG_HINT = "give the immigration policy alone, not the whole manual"


def _too_much_text(n: int, unit: str = "characters") -> str:
    return (f"too long to analyse: {n:,} {unit} of text (the limit is {MAX_TEXT_CHARS:,} "
            f"characters); {_TOO_LONG_HINT}")


def long_line_reason(length: int | None = None) -> str:
    what = f"{length:,} characters" if length else f"more than {MAX_LINE_CHARS:,} characters"
    return (f"a line or paragraph of {what} (the limit is {MAX_LINE_CHARS:,}): this is not "
            "policy text; save the policy again as a text document")


def check_text_budget(text: str, source: str, lines: bool = True) -> None:
    """Refuse text over the character budget, or with a line longer than a paragraph can be."""
    if len(text) > MAX_TEXT_CHARS:
        raise InputError(source, _too_much_text(len(text)))
    if lines and len(text) > MAX_LINE_CHARS and _has_long_line(text):
        raise InputError(source, long_line_reason())


def _has_long_line(text: str) -> bool:
    """A line of more than MAX_LINE_CHARS characters. Found by `str.find` from newline to
    newline: a regex for a run of that many non-newlines restarts at every character and
    scans to the end of its line (0.12 s on a 1 MB policy of short paragraphs)."""
    start = 0
    while True:
        end = text.find("\n", start)
        if end < 0:
            return len(text) - start > MAX_LINE_CHARS
        if end - start > MAX_LINE_CHARS:
            return True
        start = end + 1


def check_block_budget(texts, source: str) -> None:
    """The same budgets for text already cut into paragraphs (docx, HTML, PDF)."""
    total = 0
    for text in texts:
        n = len(text)
        total += n
        if n > MAX_LINE_CHARS:
            raise InputError(source, long_line_reason(n))
        if total > MAX_TEXT_CHARS:
            raise InputError(source, _too_much_text(total))


# --------------------------------------------------------------------------------------
# Gibberish: text that decodes but cannot be a policy (a lying charset, a PDF whose fonts
# map to nothing, EBCDIC read as Latin-1). Answering all seven questions "silent" for it
# would be wrong; saying the text reads as gibberish is right.

_WORDLIKE = re.compile(r"^[\W\d_]{0,4}[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f'’.\-]*[\W\d_]{0,4}$")
_VOWELS = frozenset("aeiouyAEIOUYáéíóúàèìòùâêîôûäëïöü")
_GIBBERISH_SAMPLE = 200_000
_ASCII_LETTERS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_NOT_ASCII = re.compile(r"[^\x00-\x7f]")


#: A token of letters and the punctuation between words, but no space: words run together.
_RUN_TOGETHER = re.compile(r"^[A-Za-z][A-Za-z.,;:()’'“”\"\-—–/]+$")


def gibberish_reason(text: str) -> str | None:
    """Why `text` cannot be read as a policy in English, or None when it can (or is too short
    to tell). Two signs: most letters outside the Latin script, or most words not words."""
    sample = text[:_GIBBERISH_SAMPLE]
    # ASCII letters counted in C (the letters `bytes.translate` deletes: a regex substitution
    # took ten times as long); only the other characters one by one (a policy has a few
    # curly quotes and dashes, a text in the wrong charset has thousands)
    ascii_sample = sample.encode("ascii", "ignore")
    ascii_letters = len(ascii_sample) - len(ascii_sample.translate(None, _ASCII_LETTERS))
    letters = latin = ascii_letters
    for c in _NOT_ASCII.findall(sample):
        if c.isalpha():
            letters += 1
            o = ord(c)
            if o < 0x250 or 0x1E00 <= o <= 0x1EFF:
                latin += 1
    if letters < 40:
        return None
    if latin < 0.5 * letters:
        return ("the text reads as gibberish or is not in English (most of its letters are not "
                "Latin: a wrong character encoding?); save it again as UTF-8 text")
    tokens = sample.split()
    total = sum(map(len, tokens))
    if total < 300:
        return None
    # Read until enough of the text is words: a policy gets there within its first third.
    enough = 0.3 * total
    wordy = 0
    for t in tokens:
        if len(t) <= 40 and _WORDLIKE.match(t) and (len(t) <= 3 or not _VOWELS.isdisjoint(t)):
            wordy += len(t)
            if wordy >= enough:
                break
    if wordy < enough:
        run_together = sum(len(t) for t in tokens if len(t) > 40 and _RUN_TOGETHER.match(t))
        if run_together >= 0.5 * total:
            # "ThePasadenaAreaCommunityCollegeDistrict…": words, but with no spaces between
            return ("its words run together without spaces (text taken from a PDF that lost its "
                    "spaces?); extract the text again with spaces (pdftotext), or run OCR on the PDF")
        return ("the text reads as gibberish (little of it is words: a wrong character encoding, "
                "or a PDF whose fonts map to no text?); save it again as UTF-8 text, or run OCR "
                "on the PDF")
    return None
    words = sum(1 for t in tokens if _WORDLIKE.match(t) and (len(t) <= 3 or not _VOWELS.isdisjoint(t)))
    if words < 0.3 * len(tokens):
        return ("the text reads as gibberish (few of its words are words: a wrong character "
                "encoding, or a PDF whose fonts map to no text?); save it again as UTF-8 text "
                "or run OCR on the PDF")
    return None


def decodes_cleanly(data: bytes) -> bool:
    """True when bytes are plainly text: a BOM, or UTF-8, with no binary signs."""
    if _bom_encoding(data) or _bomless_utf16(data):
        return True
    if looks_binary(data):
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


_MAGIC = (
    (b"%PDF-", "a PDF; rename it to .pdf"),
    (b"PK\x03\x04", "a zip archive (perhaps a .docx); rename it to .docx if it is one"),
    (b"\xd0\xcf\x11\xe0", "a legacy Word .doc file; save it as .docx"),
    (b"{\\rtf", "an RTF file; save it as .docx or .txt"),
)


def sniff(data: bytes) -> str | None:
    """The format a file's first bytes announce, if any ("pdf", "docx", "doc")."""
    head = data[:1024].lstrip()
    if head.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc"
    return None


# The two signatures `ingest` checks on every file (what the bytes are wins over a
# misleading name): here, not in the RTF and .odt readers, so that reading a .txt imports
# neither reader nor zipfile.
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def is_odt(data: bytes) -> bool:
    """An OpenDocument text package: a zip whose first member, `mimetype`, says so."""
    return data.startswith(b"PK\x03\x04") and ODT_MIMETYPE in data[:200] and b"mimetype" in data[:100]


def is_rtf(data: bytes) -> bool:
    return data.lstrip(b"\xef\xbb\xbf \t\r\n")[:5] == b"{\\rtf"


def binary_reason(data: bytes) -> str:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return f"this is not a text file (binary data: it looks like {what})"
    return "this is not a text file (binary data)"


# --------------------------------------------------------------------------------------
# Lines to blocks (plain text and PDF)

_ROMAN = r"(?:[IVXLC]{1,6}|[ivxlc]{1,6})"
# Numbering a person typed at the start of a line. Each alternative must be followed by
# whitespace so that "3.5 miles" at a line start is the only plausible false positive.
NUMBER_TOKEN = re.compile(
    r"""^(?:
        (?P<dotted>§?\s?\d{1,4}(?:\.\d{1,4})+\.?)(?=\s)          # 413.4  413.4.1  1.2.
      | (?P<section>(?:Section|SECTION|Sec\.|SEC\.|Article|ARTICLE|Part|PART|Chapter|CHAPTER|§)
            \s*(?:\d+[A-Za-z]?(?:\.\d+)*|[IVXLC]+)\b\.?:?)        # Section 3, Article IV, § 12
      | (?P<num>\d{1,3}[.)])(?=\s)                               # 1.  1)
      | (?P<pnum>\(\d{1,3}\))(?=\s)                              # (1)
      | (?P<roman>""" + _ROMAN + r"""[.)])(?=\s)                 # I.  iv)
      | (?P<proman>\(""" + _ROMAN + r"""\))(?=\s)                # (iv)
      | (?P<letter>[A-Za-z][.)])(?=\s)                           # A.  a)
      | (?P<pletter>\([A-Za-z]{1,2}\))(?=\s)                     # (a) (aa) (A)
    )""",
    re.X,
)
# Enumerators (as opposed to section numbers) make list items.
_LIST_GROUPS = ("num", "pnum", "proman", "letter", "pletter")
#: The marks a list item can open with.
_MARKS = "-*+•◦▪▫‣●○■□–"
#: A list item's mark; a row of marks ("* * * * *", minutes' separator) is a rule, not an item.
BULLET = re.compile(rf"^[{re.escape(_MARKS)}]\s+(?![{re.escape(_MARKS)}](?:\s|$))")
_SENTENCE_END = re.compile(r"""[.!?:;]["'”’)\]]*$""")
_ALLCAPS_MAX_CHARS = 100
_ALLCAPS_MAX_WORDS = 14
_TITLE_MAX_WORDS = 10


def numbering_token(line: str) -> re.Match[str] | None:
    return NUMBER_TOKEN.match(line)


# A statute's subsection in a heading set in capitals ("287(g) AND OTHER … AGREEMENTS",
# "1357(g)") keeps its lower-case letter: it is a citation, not a word in the heading.
_CITED_SUBSECTION = re.compile(r"(?<=\d)\([a-z]{1,3}\)")


def is_allcaps(text: str) -> bool:
    """Every letter a capital (a statute's "287(g)" aside), and at least two of them."""
    if "(" in text:
        text = _CITED_SUBSECTION.sub("", text)
    letters = 0
    for c in text:  # stops at the first small letter: most text has one near its start
        if c.isalpha():
            if not c.isupper():
                return False
            letters += 1
    return letters >= 2


def heading_level(line: str) -> int:
    """The heading level a line's numbering suggests: 413 -> 1, 413.4 -> 2, none -> 1."""
    m = numbering_token(line)
    if not m:
        return 1
    if m.group("dotted"):
        return min(9, m.group("dotted").strip("§ .").count(".") + 1)
    if m.group("letter") or m.group("pletter") or m.group("num") or m.group("pnum"):
        return 2
    return 1


def is_heading_line(line: str) -> bool:
    """A short ALL-CAPS line, or a short numbered title line such as "413.4 Detentions"."""
    line = line.strip()
    if not line or len(line) > _ALLCAPS_MAX_CHARS:
        return False
    m = numbering_token(line)
    rest = line[m.end():].strip() if m else line
    words = rest.split()
    if not words or len(words) > _ALLCAPS_MAX_WORDS:
        return False
    if rest.endswith((",", ";", ".")):
        return False
    if is_allcaps(rest) and re.search(r"[A-Z]{3}", rest):
        return True
    # "413.4 Detentions", "Section 3. Definitions": a section number and a short title.
    if m and (m.group("dotted") or m.group("section") or m.group("roman")):
        if len(words) <= _TITLE_MAX_WORDS and not _SENTENCE_END.search(rest):
            significant = [w for w in words if len(w) > 3 and w[0].isalpha()]
            return bool(significant) and all(w[0].isupper() for w in significant)
    return False


def is_title_like(line: str) -> bool:
    """A short Title Case line without closing punctuation: "Purpose and Scope"."""
    line = line.strip()
    if len(line) > _ALLCAPS_MAX_CHARS:
        return False  # (tested below too; first, a paragraph is not split into words for it)
    m = numbering_token(line)
    rest = line[m.end():].strip() if m else line
    words = rest.split()
    if not words or len(words) > _TITLE_MAX_WORDS or not rest[0].isupper():
        return False
    if rest[-1] in ".,;:!?" or len(line) > _ALLCAPS_MAX_CHARS:
        return False
    significant = [w for w in words if len(w) > 3 and w[0].isalpha()]
    return bool(significant) and all(w[0].isupper() for w in significant)


def kind_of_first_line(line: str) -> str:
    """The kind of block a line starts on its own: a heading, a list item (a bullet or a list
    number), else a paragraph. The text writer asks it too, to mark the items a reader
    would not know from their first line."""
    if is_heading_line(line):
        return "heading"
    if BULLET.match(line):
        return "list_item"
    m = numbering_token(line)
    if m and m.lastgroup in _LIST_GROUPS:  # (each alternative is one named group)
        return "list_item"
    return "paragraph"


def starts_block(line: str) -> bool:
    """Does this line start a new block even without a blank line before it?"""
    return bool(numbering_token(line) or BULLET.match(line) or is_heading_line(line))


_HYPHEN_END = re.compile(r"([a-z]+)-$")
_LOWER_START = re.compile(r"^([a-z]+)")


def _dehyphenate(prev: str, nxt: str) -> str | None:
    """'immi-' + 'gration ...' -> 'immigration ...' (None when it does not apply)."""
    a, b = _HYPHEN_END.search(prev), _LOWER_START.match(nxt)
    if a and b and not prev.endswith("--"):
        return prev[:-1] + nxt
    return None


_NUMBER_THEN_LOWER = re.compile(r"^\d+(?:\.\d+)*[.,;)]?\s+[a-z]")
#: A line that ends a sentence or a clause (its closing quotes and brackets aside).
_STOPS = re.compile(r"[.:;!?]\W*$")


#: A line that stops on one of these words stops mid-phrase: what follows is its object.
#: So does one that stops on "and" or "or" with no comma or semicolon before it ("state codes
#: §19.2-83.2 and" / "§53.1-218 to determine …"); "…; and" ends a list item.
_OPEN_END = re.compile(r"\b(?:in|of|under|to|by|with|the|a|an|see|per|from|at|pursuant|within|than)$|(?<![;,])\s(?:and|or)$", re.I)


def _wrapped_citation(prev: str, line: str) -> bool:
    """A line that opens with a number and goes on in lower case ("7284.12 and County policy
    …") after a line that stopped mid-sentence ("… added sections 7284 through") is the
    sentence wrapped at a cited section, not a new numbered section; so is any numbered
    line after a line that stops on a preposition or an article ("… as addressed in" /
    "Section 2-173-030(a). Specifically, …"): no section begins the object of an "in"."""
    if _OPEN_END.search(prev):
        return True
    return bool(_NUMBER_THEN_LOWER.match(line)) and not _STOPS.search(prev)


def _wrapped_capitals(prev: str, line: str, full: int) -> bool:
    """`line` goes on a sentence in capitals that `prev`, a full line, left unfinished
    ("2. THE GOVERNOR SHALL NOT, THROUGH EXECUTIVE ORDER OR OTHERWISE," / "PREVENT OR
    INHIBIT STATE AGENCIES …"); a numbered line starts its own block all the same."""
    if full < 40 or len(prev) < 0.6 * full or _STOPS.search(prev) or numbering_token(line):
        return False
    return is_allcaps(prev) and is_allcaps(line)


def _marks_on_their_own(lines: list[str]) -> list[str]:
    """A web page copied as text can put each bullet on a line of its own, its item on the
    next ("Fullerton College will:" / "-" / "Not honor immigration hold requests"): the
    mark and its item are one list item."""
    out: list[str] = []
    pending = ""
    for line in lines:
        if len(line) == 1 and line in _MARKS:
            pending = line
            continue
        if pending and line:
            line = f"{pending} {line}"
            pending = ""
        out.append(line)
    return out


def lines_to_blocks(lines: list[str], pdf: bool = False) -> list[Block]:
    """Group lines into blocks.

    Blank lines always end a block. A line that starts with a numbering token, a bullet,
    or is a heading line starts a new block; a heading line is a block of its own. Other
    lines are joined to the block before them (hard-wrapped text is common).

    With `pdf=True` (text extracted from a PDF has no blank lines between paragraphs):
    words hyphenated at a line end are joined, and a line break after a sentence end
    also ends the block when the line before it is clearly shorter than a full line
    (the last line of a paragraph) and the next line does not start in lower case.
    """
    stripped = _marks_on_their_own([" ".join(ln.split()) for ln in lines])
    lengths = sorted(len(s) for s in stripped if s)
    full = lengths[int(0.9 * (len(lengths) - 1))] if lengths else 0
    blocks: list[Block] = []
    cur: list[str] = []
    cur_kind = "paragraph"

    def flush() -> None:
        nonlocal cur
        if cur:
            kind = cur_kind
            if len(cur) == 1 and kind == "paragraph" and is_title_like(cur[0]):
                kind = "heading"  # a line on its own that reads as a title
            elif (pdf and kind == "paragraph" and full >= 40
                  and all(len(c) < 0.5 * full for c in cur)
                  and is_title_like(" ".join(cur))):
                kind = "heading"  # a title set on several short lines ("Policy / 413 / …")
            blocks.append(_make_block(" ".join(cur), kind, spaced=True))
        cur = []

    for line in stripped:
        if not line:
            flush()
            continue
        if cur and _wrapped_capitals(cur[-1], line, full):
            # a bill's new law set in capitals, wrapped: a full line in capitals that stops
            # mid-sentence goes on in the next line in capitals (each is no heading)
            cur.append(line)
            if cur_kind == "heading":
                cur_kind = "paragraph"
            continue
        if cur and cur_kind != "heading" and (not starts_block(line) or _wrapped_citation(cur[-1], line)):
            prev = cur[-1]
            # ("(c) U.S. Customs and Border Protection (CBP)", a lettered item in brackets, is
            # an item of a list, not a section's title)
            if (len(cur) == 1 and cur_kind in ("paragraph", "list_item") and line[:1].isupper()
                    and is_title_like(prev) and (full < 40 or len(prev) < 0.7 * full)
                    and not prev.startswith("(")):
                # ("1. Purpose" above its paragraph is a numbered section title, too)
                # "Immigration Violations" above its first paragraph: a title line
                cur_kind = "heading"
                flush()
                cur, cur_kind = [line], kind_of_first_line(line)
                continue
            # A title on a line of its own after a sentence's end ("… enforcement purposes."
            # / "Background" / "On October 21, …") starts a block, in a hard-wrapped text
            # as in a PDF's, however full the line before it.
            if _SENTENCE_END.search(prev) and full and len(line) < 0.5 * full and is_title_like(line):
                flush()
                cur, cur_kind = [line], kind_of_first_line(line)
                continue
            if pdf:
                joined = _dehyphenate(prev, line)
                if joined is not None:
                    cur[-1] = joined
                    continue
                ends = _SENTENCE_END.search(prev)
                short = full and len(prev) < 0.8 * full
                if ends and short and not line[:1].islower():
                    flush()
                    cur, cur_kind = [line], kind_of_first_line(line)
                    continue
            cur.append(line)
            continue
        flush()
        cur, cur_kind = [line], kind_of_first_line(line)
    flush()
    return blocks


def _make_block(text: str, kind: str, spaced: bool = False) -> Block:
    """`spaced`: the text is already one space between words (lines of collapsed spacing,
    non-empty, joined by one space), so it is not split again."""
    if not spaced:
        text = " ".join(text.split())
    if kind == "heading":
        return Block(text=text, kind="heading", level=heading_level(text))
    if kind == "list_item":
        text = BULLET.sub("", text, count=1)
    return Block(text=text, kind=kind)  # type: ignore[arg-type]
