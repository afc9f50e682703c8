"""PDF via pypdf (imported lazily: only when a PDF is read).

Text comes out of a PDF as lines, page by page, with the page furniture in it. The repair
here: drop headers and footers that repeat on most pages (compared with digits replaced
by #, so "Page 3 of 9" and "Page 4 of 9" are the same footer), drop lone page numbers at
the top or bottom of a page, then group lines into blocks with the plain-text rules plus
de-hyphenation and sentence-aware joining (`common.lines_to_blocks(pdf=True)`).
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import threading
import warnings
from collections import Counter

from ..errors import InputError
from .common import Parsed, lines_to_blocks, normalize_text

# Less text than this in the whole file means there is no text layer (a scan).
MIN_TEXT_CHARS = 20
# A policy is tens of pages; a cap keeps a hostile file from taking minutes.
MAX_PAGES = 2000
_EDGE_LINES = 3  # how many lines at the top / bottom of a page may be furniture

NO_TEXT = ("no text layer: this looks like a scanned PDF; run OCR first "
           "(e.g. `ocrmypdf in.pdf out.pdf`) and try again")
ENCRYPTED = ("encrypted PDF: it cannot be opened without a password; save an unlocked "
             "copy (e.g. `qpdf --password=PASSWORD --decrypt in.pdf out.pdf`) and try again")
_PAGE_NUMBER = re.compile(
    r"^(?:(?:page|p\.|pg\.?)\s*)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*(?:of|/)\s*\d{1,4})?$", re.I
)


_quiet_lock = threading.Lock()
_quiet_depth = 0
_saved_level = logging.NOTSET


@contextlib.contextmanager
def _quiet_pypdf():
    """Silence pypdf's log warnings while reading ("one line on stderr"); thread-safe."""
    global _quiet_depth, _saved_level
    log = logging.getLogger("pypdf")
    with _quiet_lock:
        if _quiet_depth == 0:
            _saved_level = log.level
            log.setLevel(logging.CRITICAL)
            warnings.filterwarnings("ignore", module=r"pypdf(\..*)?$")
        _quiet_depth += 1
    try:
        yield
    finally:
        with _quiet_lock:
            _quiet_depth -= 1
            if _quiet_depth == 0:
                log.setLevel(_saved_level)


def _damaged(source: str, what: str) -> InputError:
    return InputError(source, f"damaged PDF ({what}): open it and save or export it again")


def read(data: bytes, source: str) -> Parsed:
    if b"%PDF-" not in data[:1024]:
        raise InputError(source, "not a PDF file (no %PDF- header)")
    if b"%%EOF" not in data:
        raise InputError(source, "truncated PDF (the end of the file is missing): "
                         "download or export it again")
    with _quiet_pypdf():
        texts, notes = _extract(data, source)
    return _repair(texts, notes, source)


def _extract(data: bytes, source: str) -> tuple[list[str], list[str]]:
    import pypdf  # lazy: comparing two .docx files must not import a PDF library
    from pypdf.errors import DependencyError

    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
    except Exception as exc:
        raise _damaged(source, _one_line(exc)) from None
    try:
        encrypted = reader.is_encrypted
    except Exception as exc:
        raise _damaged(source, _one_line(exc)) from None
    if encrypted:
        try:
            ok = reader.decrypt("")
        except DependencyError:
            raise InputError(source, ENCRYPTED) from None
        except Exception:
            ok = 0
        if not ok:
            raise InputError(source, ENCRYPTED)
    try:
        count = len(reader.pages)
    except Exception as exc:
        raise _damaged(source, _one_line(exc)) from None
    if count == 0:
        raise InputError(source, "the PDF has no pages")
    notes: list[str] = []
    if count > MAX_PAGES:
        notes.append(f"read the first {MAX_PAGES} of {count} pages")
    texts: list[str] = []
    failed = 0
    for i in range(min(count, MAX_PAGES)):
        try:
            texts.append(reader.pages[i].extract_text() or "")
        except Exception:
            failed += 1
            texts.append("")
            notes.append(f"page {i + 1} could not be read")
    if failed == min(count, MAX_PAGES):
        raise _damaged(source, "no page could be read")
    return texts, notes


def _one_line(exc: BaseException) -> str:
    return (" ".join(str(exc).split()) or type(exc).__name__)[:120]


def _key(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split()).lower())


def strip_furniture(pages: list[list[str]]) -> tuple[list[list[str]], list[str]]:
    """Remove repeating headers/footers and lone page numbers from each page's lines.

    A header is a line that sits at the same place (the k-th non-blank line from the top,
    or from the bottom) on at least half the pages, compared with digits replaced by #.
    Position matters: repetitive policy text that happens to open two pages at different
    offsets is not furniture.
    """
    n = len(pages)
    counts: Counter[tuple[str, int, str]] = Counter()
    if n >= 2:
        for lines in pages:
            nonblank = [ln for ln in lines if ln.strip()]
            for k, ln in enumerate(nonblank[:_EDGE_LINES]):
                counts["top", k, _key(ln)] += 1
            for k, ln in enumerate(reversed(nonblank[-_EDGE_LINES:])):
                counts["bottom", k, _key(ln)] += 1
    threshold = max(2, (n + 1) // 2)  # on at least half the pages
    dropped: list[str] = []
    out: list[list[str]] = []
    for lines in pages:
        where = [i for i, ln in enumerate(lines) if ln.strip()]
        nonblank = [lines[i].strip() for i in where]
        lo, hi = 0, len(nonblank)
        for k in range(min(_EDGE_LINES, hi)):
            line = nonblank[lo]
            if counts["top", k, _key(line)] >= threshold and _key(line).strip("# "):
                dropped.append(line)
            elif not _PAGE_NUMBER.match(line):
                break
            lo += 1
        for k in range(min(_EDGE_LINES, hi - lo)):
            line = nonblank[hi - 1]
            if counts["bottom", k, _key(line)] >= threshold and _key(line).strip("# "):
                dropped.append(line)
            elif not _PAGE_NUMBER.match(line):
                break
            hi -= 1
        out.append(lines[where[lo]:where[hi - 1] + 1] if lo < hi else [])
    notes: list[str] = []
    shown = list(dict.fromkeys(dropped))
    if shown:
        notes.append("dropped repeating page headers/footers: "
                     + "; ".join(repr(d) for d in shown[:3]))
    return out, notes


def _repair(texts: list[str], notes: list[str], source: str) -> Parsed:
    texts = [normalize_text(t) for t in texts]
    if sum(len("".join(t.split())) for t in texts) < MIN_TEXT_CHARS:
        raise InputError(source, NO_TEXT)
    pages = [t.split("\n") for t in texts]
    pages, more = strip_furniture(pages)
    lines = [ln for page in pages for ln in page]
    blocks = lines_to_blocks(lines, pdf=True)
    return Parsed(blocks=blocks, notes=notes + more)
