"""PDF via pypdf (imported lazily: only when a PDF is read).

Text comes out of a PDF as lines, page by page, with the page furniture in it. The repair
here: drop headers and footers that repeat on most pages (compared with digits replaced
by #, so "Page 3 of 9" and "Page 4 of 9" are the same footer), drop lone page numbers at
the top or bottom of a page and running heads and feet that name themselves ("… Policy
Manual Page 1", a Lexipol copyright line) even on a one-page file, then group lines into blocks with the plain-text rules plus
de-hyphenation and sentence-aware joining (`common.lines_to_blocks(pdf=True)`).

A page with no usable text layer (a scan: an image and at most a stamp of text, or a text
layer that reads as gibberish) is read by OCR (`readers.ocr`, Tesseract) when it is there
and not turned off; the other pages keep their own text, so a file where only the signed
last page is scanned reads whole.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
import threading
import time
import warnings
import zlib
from collections import Counter
from dataclasses import dataclass

from ..errors import InputError
from .common import MAX_TEXT_CHARS, Parsed, gibberish_reason, lines_to_blocks, normalize_text

# Less text than this in the whole file means there is no text layer (a scan).
MIN_TEXT_CHARS = 20
# A policy is tens of pages; a cap keeps a hostile file from taking minutes.
MAX_PAGES = 1500
# Budgets against decompression bombs and runaway pages, checked before pypdf parses
# anything (the inflated size of the streams text extraction may decode: content, forms,
# object streams, font maps; images are never decoded) and page by page while it does.
MAX_INFLATED_BYTES = 200 * 1024 * 1024
MAX_STREAM_BYTES = 32 * 1024 * 1024  # one stream (pypdf's own cap is 75 MB)
MAX_READ_SECONDS = 60.0
MAX_READ_MEMORY = 400 * 1024 * 1024  # growth of the process while pages are read
_STREAM_KEYWORD = re.compile(rb"(?<![A-Za-z])stream(?:\r\n|\n|\r)")
_IMAGE = re.compile(rb"/Subtype\s*/Image")
_INFLATE_STEP = 1 << 22
_EDGE_LINES = 3  # how many lines at the top / bottom of a page may be furniture

NO_TEXT = ("no text layer: this looks like a scanned PDF; run OCR first "
           "(e.g. `ocrmypdf in.pdf out.pdf`) and try again")
# A page with fewer words than this and an image of the whole page on it is a scan (a
# records office's stamp or Bates number is a few words of text over the page image).
SCAN_MAX_WORDS = 12
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
    check_inflation(data, source)
    with _quiet_pypdf(), _pypdf_limits():
        texts, notes, pages = _extract(data, source)
    texts, notes, ocr = _read_scans(data, texts, notes, pages, source)
    parsed = _repair(texts, notes, source)
    parsed.ocr = ocr
    return parsed


def _bomb(source: str, what: str) -> InputError:
    return InputError(source, f"the PDF's streams inflate to {what} (a decompression bomb?); "
                      "refusing to read it")


def check_inflation(data: bytes, source: str) -> None:
    """Inflate every Flate stream that is not an image, counting the bytes and keeping none
    (constant memory), and refuse the file as soon as the total passes MAX_INFLATED_BYTES or
    one stream passes MAX_STREAM_BYTES."""
    total = 0
    for m in _STREAM_KEYWORD.finditer(data):
        at = m.start()
        obj = data.rfind(b" obj", max(0, at - 4096), at)
        head = data[obj if obj >= 0 else max(0, at - 4096): at]
        if (b"/FlateDecode" not in head and b"/Fl " not in head and b"/Fl]" not in head
                and b"/Fl/" not in head and b"/Fl>" not in head) or _IMAGE.search(head):
            continue
        inflater = zlib.decompressobj()
        pos = m.end()
        buf = data[pos:pos + _INFLATE_STEP]
        pos += _INFLATE_STEP
        size = 0
        try:
            while buf:
                out = inflater.decompress(buf, _INFLATE_STEP)
                size += len(out)
                total += len(out)
                if size > MAX_STREAM_BYTES:
                    raise _bomb(source, f"more than {MAX_STREAM_BYTES // (1024 * 1024)} MB in one stream")
                if total > MAX_INFLATED_BYTES:
                    raise _bomb(source, f"more than {MAX_INFLATED_BYTES // (1024 * 1024)} MB")
                if inflater.eof:
                    break
                if inflater.unconsumed_tail:
                    buf = inflater.unconsumed_tail
                else:
                    buf = data[pos:pos + _INFLATE_STEP]
                    pos += _INFLATE_STEP
        except zlib.error:
            continue  # not zlib data after all (or encrypted): pypdf's own caps apply


@contextlib.contextmanager
def _pypdf_limits():
    """pypdf's own per-stream caps, lowered to this reader's budget (pypdf >= 6 has them)."""
    try:
        from pypdf import apply_configuration
    except ImportError:  # an older pypdf: the inflation check above still applies
        yield
        return
    caps = dict(zlib_maximum_output_length=MAX_STREAM_BYTES, lzw_maximum_output_length=MAX_STREAM_BYTES,
                run_length_maximum_output_length=MAX_STREAM_BYTES,
                array_based_stream_maximum_output_length=MAX_STREAM_BYTES,
                brotli_maximum_output_length=MAX_STREAM_BYTES,
                stream_decoding_work_maximum_length=2 * MAX_STREAM_BYTES)
    try:
        from pypdf import get_configuration

        known = set(vars(get_configuration()))
        caps = {k: v for k, v in caps.items() if k in known}
        ctx = apply_configuration(**caps)
    except Exception:
        yield
        return
    with ctx:
        yield


def _rss() -> int:
    """The process's resident memory now, in bytes (0 where it cannot be told)."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        return 0


@dataclass(frozen=True)
class _PageShape:
    """What the OCR decision needs of a page besides its text."""

    image: bool  # an image of the whole page is drawn on it (directly or in a form)
    size: tuple[float, float]  # width, height in points, as shown (after /Rotate)
    ppi: float = 0.0  # that image's resolution


def _image_sizes(resources, depth: int = 0) -> list[tuple[int, int]]:
    """(width, height) in pixels of the image XObjects in `resources` (forms searched 3 deep)."""
    out: list[tuple[int, int]] = []
    try:
        xobjects = resources.get("/XObject") if resources is not None else None
        xobjects = xobjects.get_object() if xobjects is not None else None
        if not xobjects:
            return out
        for ref in list(xobjects.values())[:200]:
            obj = ref.get_object()
            kind = obj.get("/Subtype")
            if kind == "/Image":
                out.append((int(obj.get("/Width", 0) or 0), int(obj.get("/Height", 0) or 0)))
            elif kind == "/Form" and depth < 3:
                out += _image_sizes(obj.get("/Resources"), depth + 1)
    except Exception:  # a damaged resource dictionary: the images found so far
        return out
    return out


def _shape(page) -> _PageShape:
    try:
        resources = page.get("/Resources")
        resources = resources.get_object() if resources is not None else None
    except Exception:
        resources = None
    try:
        box = page.mediabox
        size = (abs(float(box.width)), abs(float(box.height)))
        if int(page.get("/Rotate", 0) or 0) % 180:
            size = size[::-1]
    except Exception:
        size = (612.0, 792.0)
    # A scanned page is one image of the page's shape, at 70 dpi or more; a logo or a
    # signature on a text page is not (its text layer is the page's text).
    ppi = 0.0
    inches = sorted((size[0] / 72, size[1] / 72))
    for w, h in _image_sizes(resources):
        short, long_ = sorted((w, h))
        if not short or not inches[0]:
            continue
        if abs(long_ / short - inches[1] / inches[0]) <= 0.2 * inches[1] / inches[0]:
            ppi = max(ppi, min(short / inches[0], long_ / inches[1]))
    return _PageShape(ppi >= 70, size, ppi)


def _extract(data: bytes, source: str) -> tuple[list[str], list[str], list[_PageShape]]:
    import pypdf  # lazy: comparing two .docx files must not import a PDF library
    from pypdf.errors import DependencyError

    try:
        from pypdf.errors import LimitReachedError
    except ImportError:  # an older pypdf
        class LimitReachedError(Exception):  # type: ignore[no-redef]
            pass

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
    try:  # the page tree's own count first: flattening 100,000 pages takes minutes
        declared = int(reader.trailer["/Root"]["/Pages"]["/Count"])
    except Exception:
        declared = 0
    if declared > MAX_PAGES:
        raise InputError(source, f"too long to analyse: {declared:,} pages (the limit is {MAX_PAGES:,}); "
                         "give the immigration policy alone, not the whole manual")
    try:
        count = len(reader.pages)
    except Exception as exc:
        raise _damaged(source, _one_line(exc)) from None
    if count == 0:
        raise InputError(source, "the PDF has no pages")
    notes: list[str] = []
    if count > MAX_PAGES:  # a whole manual of 250,000 words is under a thousand pages
        raise InputError(source, f"too long to analyse: {count:,} pages (the limit is {MAX_PAGES:,}); "
                         "give the immigration policy alone, not the whole manual")
    texts: list[str] = []
    shapes: list[_PageShape] = []
    failed = 0
    chars = 0
    started, base = time.monotonic(), _rss()
    for i in range(min(count, MAX_PAGES)):
        try:
            texts.append(reader.pages[i].extract_text() or "")
        except LimitReachedError:
            raise _bomb(source, f"more than pypdf's limits on page {i + 1}") from None
        except Exception:
            failed += 1
            texts.append("")
            notes.append(f"page {i + 1} could not be read")
        try:
            shapes.append(_shape(reader.pages[i]))
        except Exception:
            shapes.append(_PageShape(False, (612.0, 792.0)))
        chars += len(texts[-1])
        if chars > MAX_TEXT_CHARS:
            raise InputError(source, f"too long to analyse: more than {MAX_TEXT_CHARS:,} characters "
                             f"of text in the first {i + 1} pages; give the immigration policy "
                             "alone, not the whole manual")
        if time.monotonic() - started > MAX_READ_SECONDS:
            raise InputError(source, f"reading the PDF took more than {MAX_READ_SECONDS:.0f} s "
                             f"({i + 1} of {count} pages); give the immigration policy alone, "
                             "or export it again")
        if base and _rss() - base > MAX_READ_MEMORY:
            raise InputError(source, f"reading the PDF needs more than "
                             f"{MAX_READ_MEMORY // (1024 * 1024)} MB of memory (page {i + 1}): "
                             "refusing to read it; export it again")
    if failed == min(count, MAX_PAGES):
        raise _damaged(source, "no page could be read")
    return texts, notes, shapes


def _one_line(exc: BaseException) -> str:
    return (" ".join(str(exc).split()) or type(exc).__name__)[:120]


# A running head or foot that says what it is, recognised on a page of its own (a one-page
# PDF has nothing to repeat): "Marlow Police Department Policy Manual Page 1", "Page 2 of 9",
# "Marlow PD Policy Manual", Lexipol's "Copyright Lexipol, LLC … Published with permission".
_RUNNING = re.compile(
    r"""^(?:(?:\S+\s+){0,10}(?:police|department|manual|policy|policies|procedures|orders?|office|sheriff|pd)\s+(?:\S+\s+){0,3})?(?:page|pg\.?)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\.?$
      | ^(?:\S+\s+){0,8}(?:policy\s+manual|policies\s+and\s+procedures\s+manual|general\s+orders?\s+manual)(?:\s+\S+){0,3}$
      | \bcopyright\b.{0,40}\blexipol\b | \bpublished\s+with\s+permission\s+by\b""",
    re.I | re.X,
)


def running_line(line: str) -> bool:
    """True for a page's running head or foot that names itself as one (see _RUNNING)."""
    line = " ".join(line.split())
    return len(line) <= 200 and bool(_RUNNING.search(line))


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
            if (counts["top", k, _key(line)] >= threshold and _key(line).strip("# ")) or running_line(line):
                dropped.append(line)
            elif not _PAGE_NUMBER.match(line):
                break
            lo += 1
        for k in range(min(_EDGE_LINES, hi - lo)):
            line = nonblank[hi - 1]
            if (counts["bottom", k, _key(line)] >= threshold and _key(line).strip("# ")) or running_line(line):
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


# --------------------------------------------------------------------------------------
# Scanned pages


def _scanned(texts: list[str], shapes: list[_PageShape]) -> list[int]:
    """The 1-based pages to read by OCR: every page when the file has no text at all;
    otherwise the pages with an image and next to no text, and the pages whose text layer
    reads as gibberish (a copier's bad OCR, fonts that map to no letters)."""
    norm = [normalize_text(t) for t in texts]
    if sum(len("".join(t.split())) for t in norm) < MIN_TEXT_CHARS:
        return list(range(1, len(texts) + 1))
    out = []
    for i, (text, shape) in enumerate(zip(norm, shapes), 1):
        if (shape.image and len(text.split()) < SCAN_MAX_WORDS) or gibberish_reason(text):
            out.append(i)
    return out


def _read_scans(data: bytes, texts: list[str], notes: list[str], shapes: list[_PageShape],
                source: str):
    """Replace the text of scanned pages with what OCR reads on them. Returns the texts, the
    notes and a `document.OcrReading` (None when no page was read by OCR)."""
    from . import ocr

    scanned = _scanned(texts, shapes)
    if not scanned:
        return texts, notes, None
    whole = len(scanned) == len(texts) and sum(
        len("".join(normalize_text(t).split())) for t in texts) < MIN_TEXT_CHARS
    from ..document import OcrReading

    def unread(why: str):
        verb = "looks scanned and was" if len(scanned) == 1 else "look scanned and were"
        note = f"{ocr.page_list(scanned)} {verb} not read ({why})"
        return texts, notes + [note], OcrReading((), len(texts), 0.0, unread=tuple(scanned), unread_why=why)

    if not ocr.enabled():
        if whole:
            raise InputError(source, NO_TEXT.replace("run OCR first", "run without --no-ocr to read it "
                                                     "with OCR, or run OCR first"))
        return unread("--no-ocr")
    lacking = ocr.missing()
    if lacking:
        if whole:
            raise InputError(source, f"no text layer: this looks like a scanned PDF; {ocr.install_hint(lacking)} "
                             "(or run OCR first, e.g. `ocrmypdf in.pdf out.pdf`) and try again")
        return unread(f"{lacking} is not installed: {ocr.install_hint(lacking)}")
    readings = ocr.read_pages(data, scanned, {n: (shapes[n - 1].size, shapes[n - 1].ppi) for n in scanned},
                              source)
    words = [c for n in scanned for _, c in readings[n].words]
    if not words:
        if whole:
            raise InputError(source, f"no text layer, and OCR found no words on its "
                             f"{len(texts)} page{'s' if len(texts) != 1 else ''} (a picture or a blank "
                             "scan?); scan the policy's pages again and try again")
        return texts, notes, None
    texts = list(texts)
    for n in scanned:
        texts[n - 1] = readings[n].text
    mean = sum(words) / len(words) / 100
    reading = OcrReading(
        pages=tuple(n for n in scanned if readings[n].words), page_count=len(texts),
        confidence=round(mean, 3),
        uncertain=ocr.uncertain_words([readings[n] for n in scanned]),
    )
    notes = notes + [f"{ocr.page_list(list(reading.pages))} read by OCR (mean word confidence "
                     f"{round(mean * 100)} %)"]
    return texts, notes, reading
