"""Scanned PDFs made from text PDFs the way a scanner makes them (for tests/test_ocr.py and
bench/bench_survey.py): each page rendered to a 200-dpi greyscale image by poppler, turned a
little, speckled or laid on its side where asked, and the images wrapped into a PDF with no
text layer (Pillow).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

POLICIES = Path(__file__).resolve().parents[1] / "policies"
DPI = 200


def _pages(pdf: Path, tmp: Path):
    """The pages of `pdf` as 200-dpi greyscale images (poppler, as a scanner would see them)."""
    from PIL import Image

    prefix = tmp / f"{pdf.stem}-page"
    subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-png", str(pdf), str(prefix)], check=True)
    files = sorted(tmp.glob(f"{pdf.stem}-page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    images = [Image.open(f).convert("L") for f in files]
    for f in files:
        f.unlink()
    return images


def _speckle(image, seed: int):
    """Copier speckle: a dark dot on one pixel in a hundred, a white one in a hundred more."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(seed)
    arr = np.asarray(image).copy()
    dots = rng.random(arr.shape)
    arr[dots < 0.01] = 0
    arr[dots > 0.99] = 255
    return Image.fromarray(arr)


def word_box(pdf: Path, page: int, word: str) -> tuple[int, int, int, int]:
    """Where `word` first stands on `page` of a text PDF, in pixels of a 200-dpi page image
    (poppler's pdftotext -bbox: left, top, right, bottom in points)."""
    import re

    out = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(pdf), "-"],
                         check=True, capture_output=True, text=True).stdout
    m = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                  + re.escape(word) + "</word>", out)
    assert m, f"{word!r} is not on page {page} of {pdf}"
    return tuple(int(float(v) * DPI / 72) for v in m.groups())  # type: ignore[return-value]


def fold(image, box: tuple[int, int, int, int], share: float = 0.3):
    """The lower `share` of the word in `box` lost, as along a fold or a torn edge: a word
    Tesseract reads, but unsure of it."""
    from PIL import ImageDraw

    left, top, right, bottom = box
    image = image.copy()
    ImageDraw.Draw(image).rectangle((left, bottom - int((bottom - top) * share), right, bottom + 2), fill=255)
    return image


def image_pdf(images, out: Path) -> Path:
    """Page images wrapped into a PDF with no text layer at all."""
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=DPI)
    return out


def scan(pdf: Path, out: Path, tmp: Path, *, crooked: dict[int, float] | None = None,
         speckled: tuple[int, ...] = (), sideways: tuple[int, ...] = (), seed: int = 0,
         folded: dict[int, str] | None = None) -> Path:
    """An image-only PDF of `pdf`: page i turned `crooked[i]` degrees, speckled, on its side,
    or with the word `folded[i]` half lost along a fold."""
    from PIL import Image

    images = []
    for i, image in enumerate(_pages(pdf, tmp), 1):
        if folded and i in folded:
            image = fold(image, word_box(pdf, i, folded[i]))
        if crooked and i in crooked:
            image = image.rotate(crooked[i], resample=Image.Resampling.BICUBIC, fillcolor=255)
        if i in speckled:
            image = _speckle(image, seed=seed * 1000 + i)
        if i in sideways:
            image = image.rotate(90, expand=True)
        images.append(image)
    return image_pdf(images, out)


def chicopee_pdf(out: Path) -> Path:
    """The Lexipol-built example policy as a text PDF (fpdf2, three pages)."""
    from formats import write_policy

    from policy_redline.ingest import read_policy

    doc = read_policy(POLICIES / "chicopee-413.docx")
    return write_policy([(b.kind, b.text) for b in doc.blocks], "pdf", out)


def two_columns(out: Path) -> Path:
    """A page set in two columns: numbered sections 1-3 down the left, 4-6 down the right."""
    from fpdf import FPDF

    pdf = FPDF(format="Letter")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 10, "Greenfield Police Department Immigration Policy", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    top = pdf.get_y() + 4
    for col, numbers in enumerate(((1, 2, 3), (4, 5, 6))):
        pdf.set_xy(15 + col * 95, top)
        for n in numbers:
            pdf.set_x(15 + col * 95)
            pdf.multi_cell(85, 6, f"{n}. {COLUMN_TEXT[n - 1]}", new_x="LEFT", new_y="NEXT")
            pdf.ln(4)
    pdf.output(str(out))
    return out


COLUMN_TEXT = (
    "Officers shall not ask any person about his or her immigration status.",
    "No officer shall arrest or detain a person solely on a civil immigration detainer.",
    "Department funds and personnel shall not be used for federal immigration enforcement.",
    "The Department shall not enter into any agreement under section 287(g) of the act.",
    "Officers shall not share information about a person with federal immigration authorities.",
    "A person held on a detainer shall be told of it and given a copy of the detainer.",
)


