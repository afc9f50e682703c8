"""Scanned pages read with Tesseract: what a records office sends is often a scan.

Only the PDF reader calls this, and only for pages whose text layer is missing or garbage;
everything else about the PDF (furniture, blocks) is the PDF reader's. A page goes:
poppler's `pdftoppm` renders it (greyscale, at the scan's own 200-300 dpi, else 300) ->
a quarter-page turned on its side or upside down is put upright (Tesseract's own
orientation detection, asked only when a first reading is poor, since it costs as much as
reading the page) -> a page scanned a few degrees crooked is straightened (the angle whose
rows of ink are sharpest) -> speckle from a copier is filtered out when there is much of
it -> Tesseract reads it with automatic page segmentation, which finds columns and gives
them in reading order -> lines of words, each word with Tesseract's confidence.

The words and confidences are cached by the file's SHA-256, so a second command on the same
scan (analyze, then draft, then a survey) does not read it again. The cache is a folder of
small JSON files: $POLICY_REDLINE_CACHE, else $XDG_CACHE_HOME/policy-redline, else
~/.cache/policy-redline; a cache that cannot be written is skipped, never an error.

Tesseract and poppler are Debian packages, not Python ones: the project installs and runs
without them, and a scan is then refused with the packages to install.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass

from ..cache import CACHE_ENV, cache_root  # noqa: F401  (CACHE_ENV: the folder's variable, which bench_survey sets)
from ..errors import InputError

#: What to install where Tesseract is missing (Debian / Ubuntu package names).
PACKAGES = "tesseract-ocr tesseract-ocr-eng"
INSTALL = f"install Tesseract (`apt-get install {PACKAGES}`) to read it with OCR"
#: The environment variable `--no-ocr` sets (so survey workers inherit it).
NO_OCR_ENV = "POLICY_REDLINE_NO_OCR"

# A scan is rendered at its own resolution when that is 200-300 dpi (more dots than the
# scanner took add no detail: a 200-dpi scan read at 200 is as accurate, and 40 % faster,
# as at 300); a coarser scan, or a page that is not one image, at 300, what Tesseract is
# trained for. A page larger than a tabloid sheet is rendered at fewer dots so that no page
# image passes MAX_PIXELS (a hostile 200-inch page would otherwise take gigabytes).
DPI = 300
MIN_NATIVE_DPI = 200
MAX_PIXELS = 40_000_000
# At about a second and a half a page, this is four minutes: a scanned whole manual is
# refused at once rather than read for an hour.
MAX_OCR_PAGES = 150
PAGE_SECONDS = 120  # one page, rendering or reading; a page past it is a broken file
# A word Tesseract is less sure of than this is shown to a person to check against the
# page. Measured on the test scans (1,182 words, 200 dpi, speckled, crooked, one word half
# lost along a fold): every misread word was below 90 (the folded "suspected", read
# "stisnected", at 85), and fewer than one right word in a hundred.
LOW_CONFIDENCE = 90.0
# Bump when anything that changes the words read changes: cached readings are then redone.
PIPELINE = "3"

Word = tuple[str, float]  # the word as read, Tesseract's confidence 0-100


@dataclass(frozen=True)
class PageReading:
    """One scanned page as read: its lines in reading order. Tesseract's paragraphs are not
    kept: it splits a paragraph at a short last line, and the PDF reader's own line rules
    (the same as for a text layer) join and cut them better."""

    number: int  # 1-based page number
    lines: tuple[tuple[Word, ...], ...]

    @property
    def text(self) -> str:
        return "\n".join(_bulleted(" ".join(w for w, _ in line)) for line in self.lines)

    @property
    def words(self) -> list[Word]:
        return [w for line in self.lines for w in line]


# Tesseract reads a list's bullet as a letter or a sign ("e Ensure that…", "¢ Confirm…",
# "© Maintaining…"); as a bullet again, the PDF reader makes it a list item, as it does for
# the "•" of a text layer.
_BULLET = re.compile(r"^[eoc¢©®°*«»@•·■□❖➢>] (?=[A-Z0-9“\"(])")


def _bulleted(line: str) -> str:
    return _BULLET.sub("• ", line)


# --------------------------------------------------------------------------------------
# Whether OCR can and may run


def enabled() -> bool:
    """False under `--no-ocr` (or POLICY_REDLINE_NO_OCR=1 in the environment)."""
    return os.environ.get(NO_OCR_ENV, "").strip().lower() in ("", "0", "no", "false", "off")


@contextlib.contextmanager
def disabled():
    """OCR off for the duration (what `--no-ocr` does for one command)."""
    before = os.environ.get(NO_OCR_ENV)
    os.environ[NO_OCR_ENV] = "1"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(NO_OCR_ENV, None)
        else:
            os.environ[NO_OCR_ENV] = before


_missing_cache: dict[str, str | None] = {}


def missing() -> str | None:
    """What is missing for OCR ("Tesseract", "Tesseract's English data", "poppler's
    pdftoppm", "the pytesseract package"), or None when everything is there."""
    path = os.environ.get("PATH", "")
    if path in _missing_cache:
        return _missing_cache[path]
    reason: str | None = None
    try:
        import pytesseract  # noqa: F401
    except ImportError:
        reason = "the pytesseract package"
    if reason is None and not shutil.which("tesseract"):
        reason = "Tesseract"
    if reason is None and not shutil.which("pdftoppm"):
        reason = "poppler's pdftoppm (Debian `poppler-utils`)"
    if reason is None:
        try:
            import pytesseract

            if "eng" not in pytesseract.get_languages(config=""):
                reason = "Tesseract's English data (Debian `tesseract-ocr-eng`)"
        except Exception:
            reason = "a working Tesseract"
    _missing_cache[path] = reason
    return reason


def install_hint(lacking: str) -> str:
    """What to do about `missing()`'s answer, as a clause: "install Tesseract (`apt-get …`)
    to read it with OCR"."""
    if lacking.startswith("Tesseract"):
        return INSTALL
    if lacking.startswith("poppler"):
        return "install poppler (`apt-get install poppler-utils`) to read it with OCR"
    if lacking.startswith("the pytesseract"):
        return "install pytesseract (`pip install pytesseract`) to read it with OCR"
    return INSTALL


def _tesseract_version() -> str:
    try:
        import pytesseract

        return str(pytesseract.get_tesseract_version())
    except Exception:
        return "unknown"


# --------------------------------------------------------------------------------------
# Progress: "OCR page 3 of 12" on standard error, for files long enough to wait on

#: Files with at least this many pages to read show progress.
PROGRESS_FROM = 3
_progress: Callable[[int, int, str], None] | None = None


def _print_progress(done: int, total: int, source: str) -> None:
    try:
        print(f"redline: OCR page {done} of {total} ({source})", file=sys.stderr, flush=True)
    except (OSError, ValueError):
        pass


def set_progress(show: bool) -> None:
    """Progress lines on or off (a survey shows its own progress, not each file's pages)."""
    global _progress
    _progress = _print_progress if show else (lambda done, total, source: None)


set_progress(True)


# --------------------------------------------------------------------------------------
# The cache


def cache_dir() -> str:
    return os.path.join(cache_root(), "ocr")  # beside the models' cache


def _cache_path(digest: str) -> str:
    return os.path.join(cache_dir(), digest + ".json")


def _cache_key() -> str:
    return f"tesseract {_tesseract_version()}; pipeline {PIPELINE}"


def _load_cache(digest: str, key: str) -> dict[int, PageReading]:
    """Cached pages of this file, read by this Tesseract and pipeline ({} if none or damaged)."""
    try:
        with open(_cache_path(digest), encoding="utf-8") as fh:
            doc = json.load(fh)
        if doc.get("key") != key:
            return {}
        out = {}
        for number, lines in doc["pages"].items():
            n = int(number)
            out[n] = PageReading(n, tuple(tuple((str(w), float(c)) for w, c in line) for line in lines))
        return out
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _save_cache(digest: str, key: str, pages: dict[int, PageReading]) -> None:
    """Written atomically (a temporary file, then a rename); any failure only costs time."""
    folder = cache_dir()
    doc = {"key": key, "pages": {str(n): [[list(w) for w in line] for line in p.lines]
                                 for n, p in sorted(pages.items())}}
    tmp = None
    try:
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".ocr-", suffix=".json", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp, _cache_path(digest))
        tmp = None
    except OSError:
        pass
    finally:
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


# --------------------------------------------------------------------------------------
# Reading pages


def read_pages(data: bytes, pages: list[int], shapes: dict[int, tuple[tuple[float, float], float]],
               source: str) -> dict[int, PageReading]:
    """Read the 1-based `pages` of the PDF `data` (`shapes`: each page's size in points and
    the resolution of the scan on it, 0 if unknown); pages in the cache are not read again.
    Raises InputError (one line) when a page cannot be rendered or read."""
    if len(pages) > MAX_OCR_PAGES:
        raise InputError(source, f"too long to read by OCR: {len(pages):,} scanned pages (the limit is "
                         f"{MAX_OCR_PAGES:,}); give the immigration policy alone, not the whole manual")
    digest = hashlib.sha256(data).hexdigest()
    key = _cache_key()
    cached = _load_cache(digest, key)
    todo = [n for n in pages if n not in cached]
    if todo:
        # Tesseract's own threads fight the other jobs of a survey on a small machine and
        # make one page slower, not faster (1.1 s a page alone against 2.4 s with threads).
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")
        with tempfile.TemporaryDirectory(prefix="redline-ocr-") as tmp:
            pdf = os.path.join(tmp, "in.pdf")
            with open(pdf, "wb") as fh:
                fh.write(data)
            for i, n in enumerate(todo, 1):
                if len(todo) >= PROGRESS_FROM and _progress is not None:
                    _progress(i, len(todo), source)
                size, ppi = shapes.get(n, (None, 0.0))
                image = _render(pdf, n, size, ppi, tmp, source)
                cached[n] = read_image(image, n, source)
        _save_cache(digest, key, cached)
    return {n: cached[n] for n in pages}


def _render(pdf: str, number: int, size: tuple[float, float] | None, ppi: float, tmp: str, source: str):
    """Page `number` as a greyscale PIL image from poppler's pdftoppm (which applies the
    page's /Rotate, so a page the scanner saved sideways comes out as it is shown)."""
    from PIL import Image

    dpi = int(round(ppi)) if MIN_NATIVE_DPI <= ppi <= DPI else DPI
    if size:
        inches = max(size[0], 1.0) / 72 * max(size[1], 1.0) / 72
        if inches * dpi * dpi > MAX_PIXELS:
            dpi = max(20, int((MAX_PIXELS / inches) ** 0.5))
    out = os.path.join(tmp, f"page-{number}")
    # PGM, not PNG: compressing a speckled page as PNG takes poppler seconds, PGM none
    cmd = ["pdftoppm", "-q", "-gray", "-r", str(dpi), "-f", str(number), "-l", str(number),
           "-singlefile", pdf, out]
    try:
        subprocess.run(cmd, check=True, timeout=PAGE_SECONDS, stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        image = Image.open(out + ".pgm")
        image.load()
    except subprocess.TimeoutExpired:
        raise InputError(source, f"rendering page {number} for OCR took more than {PAGE_SECONDS} s; "
                         "refusing to read it") from None
    except (subprocess.CalledProcessError, OSError, ValueError):
        raise InputError(source, f"damaged PDF (page {number} cannot be rendered for OCR): open it and "
                         "save or export it again") from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(out + ".pgm")
    return image.convert("L")


def read_image(image, number: int = 1, source: str = "") -> PageReading:
    """One page image -> its words in reading order, put upright and straightened first."""
    image = _despeckle(deskew(image))
    reading = _tesseract(image, number, source)
    if _poor(reading):
        turned = _upright(image, source)
        if turned is not None:
            again = _tesseract(deskew(turned), number, source)
            if _score(again) > _score(reading):
                reading = again
    return reading


def _score(reading: PageReading) -> float:
    """How much confident text a reading holds (to choose between two readings of a page)."""
    return sum(len(w) * c for w, c in reading.words if c >= LOW_CONFIDENCE)


def _poor(reading: PageReading) -> bool:
    """A reading that looks like a page on its side: few words, and those unsure."""
    words = reading.words
    if not words:
        return True
    mean = sum(c for _, c in words) / len(words)
    return mean < 60 or len(words) < 8


def _upright(image, source: str):
    """The page turned upright when Tesseract's orientation detection says it lies on its
    side or upside down with some confidence; None when it is upright or cannot tell."""
    import pytesseract

    try:
        osd = pytesseract.image_to_osd(_uncompressed(image), config="--psm 0", output_type=pytesseract.Output.DICT,
                                       timeout=PAGE_SECONDS)
    except pytesseract.TesseractError:  # too little text to tell the orientation
        return None
    except RuntimeError:  # pytesseract's timeout (TesseractError is a RuntimeError too)
        raise InputError(source, f"reading a page by OCR took more than {PAGE_SECONDS} s; refusing "
                         "to read it") from None
    except Exception:
        return None
    rotate = int(osd.get("rotate", 0)) % 360
    if rotate == 0 or float(osd.get("orientation_conf", 0)) < 1.0:
        return None
    # Tesseract's "rotate" is clockwise; PIL turns counter-clockwise.
    return image.rotate(-rotate, expand=True, fillcolor=255)


def _uncompressed(image):
    """The image handed to Tesseract as PGM: pytesseract writes it to a file in its
    `format`, PNG by default, and compressing a speckled page as PNG costs half a second."""
    image.format = "PPM"  # PIL writes a greyscale image in PPM format as PGM
    return image


def _tesseract(image, number: int, source: str) -> PageReading:
    import pytesseract

    try:
        data = pytesseract.image_to_data(_uncompressed(image), lang="eng", config="--psm 3",
                                         output_type=pytesseract.Output.DICT, timeout=PAGE_SECONDS)
    except pytesseract.TesseractError as exc:
        raise InputError(source, f"OCR failed on page {number} ({' '.join(str(exc).split())[:120]})") from None
    except RuntimeError:  # pytesseract's timeout (TesseractError is a RuntimeError too)
        raise InputError(source, f"reading page {number} by OCR took more than {PAGE_SECONDS} s; "
                         "refusing to read it") from None
    lines: list[list[Word]] = []
    where: tuple[int, int, int] | None = None
    for i, text in enumerate(data["text"]):
        word = (text or "").strip()
        conf = float(data["conf"][i])
        if not word or conf < 0:
            continue
        here = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        if where is None or here != where:
            lines.append([])
            where = here
        lines[-1].append((word, round(conf, 1)))
    return PageReading(number, tuple(tuple(line) for line in lines))


# --------------------------------------------------------------------------------------
# Image clean-up: straightening and speckle


def deskew(image, limit: float = 5.0):
    """The page turned so that its lines of text run level.

    A page fed crooked through a scanner is a degree or three off. The angle is the one at
    which the rows of ink are sharpest: the sum of squared differences between the ink of
    neighbouring pixel rows (a projection profile) peaks when each text line lies on rows of
    its own. Searched on a small copy, coarse then fine, within +-`limit` degrees; the
    `deskew` package does the same with scikit-image, a dependency a hundred times the size.
    """
    import numpy as np
    from PIL import Image

    gray = image.convert("L")
    scale = 900 / max(gray.size)
    small = gray.resize((max(1, int(gray.width * scale)), max(1, int(gray.height * scale))),
                        Image.Resampling.BOX) if scale < 1 else gray
    arr = np.asarray(small, dtype=np.uint8)
    ink = Image.fromarray(((arr < 160) * 255).astype(np.uint8))
    if np.count_nonzero(arr < 160) < 200:  # a blank page: nothing to level
        return image

    def sharpness(angle: float) -> float:
        rows = np.asarray(ink.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=0),
                          dtype=np.float64).sum(axis=1)
        return float(np.sum(np.diff(rows) ** 2))

    coarse = [a / 2 for a in range(int(-limit * 2), int(limit * 2) + 1)]
    best = max(coarse, key=lambda a: (sharpness(a), -abs(a)))
    fine = [best + d / 10 for d in range(-5, 6)]
    best = max(fine, key=lambda a: (sharpness(a), -abs(a)))
    if abs(best) < 0.2:
        return image
    return gray.rotate(best, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)


def _despeckle(image):
    """A median filter when the page is peppered with isolated dots (a dirty copier glass):
    Tesseract reads specks as punctuation. Left alone otherwise: the filter thins strokes."""
    import numpy as np
    from PIL import ImageFilter

    arr = np.asarray(image, dtype=np.uint8) < 128
    if arr.size == 0:
        return image
    # a dark pixel with no dark neighbour in its row or column is a speck
    inner = arr[1:-1, 1:-1]
    alone = inner & ~arr[:-2, 1:-1] & ~arr[2:, 1:-1] & ~arr[1:-1, :-2] & ~arr[1:-1, 2:]
    if np.count_nonzero(alone) < 0.0005 * arr.size:
        return image
    return image.filter(ImageFilter.MedianFilter(3))


def page_list(numbers: list[int]) -> str:
    """"page 3", "pages 1-3", "pages 1, 4 and 6"."""
    if len(numbers) == 1:
        return f"page {numbers[0]}"
    if numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"pages {numbers[0]}-{numbers[-1]}"
    return "pages " + ", ".join(map(str, numbers[:-1])) + f" and {numbers[-1]}"


# --------------------------------------------------------------------------------------
# Words a person should check


_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def _norm(word: str) -> str:
    return " ".join(m.group().lower() for m in _TOKEN.finditer(word))


def uncertain_words(pages: list[PageReading]) -> tuple[tuple[str, str, str, str], ...]:
    """Each word read with low confidence, with its neighbours, as (previous, word, next,
    the word as read): the neighbours find the same occurrence in a quote later, whatever
    the PDF reader did to lines and paragraphs in between."""
    words = [w for p in pages for w in p.words]
    out = []
    for i, (word, conf) in enumerate(words):
        if conf >= LOW_CONFIDENCE or not _norm(word):
            continue
        prev = _norm(words[i - 1][0]) if i else ""
        nxt = _norm(words[i + 1][0]) if i + 1 < len(words) else ""
        out.append((prev, _norm(word), nxt, word))
    return tuple(out)


def unsure_in(quote: str, uncertain) -> list[str]:
    """The low-confidence words (as read) that `quote` contains, in the order of the quote.

    A word counts when it appears with both its neighbours, or at the quote's start or end
    with the one neighbour the quote has (a quote is cut on word boundaries)."""
    if not uncertain:
        return []
    tokens = [t for t in (_norm(w) for w in quote.split()) for t in t.split()]
    if not tokens:
        return []
    found: list[tuple[int, str]] = []
    seen = set()
    for prev, word, nxt, shown in uncertain:
        parts = word.split()
        k = len(parts)
        for i in range(len(tokens) - k + 1):
            if tokens[i:i + k] != parts:
                continue
            before_ok = (i == 0) or not prev or tokens[i - 1] == prev.split()[-1]
            after_ok = (i + k == len(tokens)) or not nxt or tokens[i + k] == nxt.split()[0]
            if before_ok and after_ok and (i, shown) not in seen:
                seen.add((i, shown))
                found.append((i, shown))
    return [shown for _, shown in sorted(found)]
