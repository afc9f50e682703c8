"""Scanned PDFs: what a records office sends back is often page images with no text.

The scans are made here from the example policies the way a scanner makes them: each page
of the text PDF rendered to a 200-dpi greyscale image (one page fed a little crooked, one
with copier speckle, one sideways), and the images wrapped into an image-only PDF. The
analysis of the scan must give what the analysis of the text gives. The OCR tests are
skipped where Tesseract is not installed (`.ci/run` installs it); the tests of what happens
without it run everywhere.
"""

from __future__ import annotations

import difflib
import io
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import POLICIES, run_cli

sys.path.insert(0, str(Path(__file__).resolve().parent))

from policy_redline.readers import ocr  # noqa: E402

needs_ocr = pytest.mark.skipif(ocr.missing() is not None, reason=f"OCR needs {ocr.missing()} ({ocr.PACKAGES})")
needs_poppler = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) not installed")

DPI = 200
QUESTIONS = ("status_checks", "info_sharing", "lunn", "detainers", "raids", "resources", "agreements_287g")


# ------------------------------------------------------------------------------ the scans


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


def _image_pdf(images, out: Path) -> Path:
    """Page images wrapped into a PDF with no text layer at all."""
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=DPI)
    return out


def scan(pdf: Path, out: Path, tmp: Path, *, crooked: dict[int, float] | None = None,
         speckled: tuple[int, ...] = (), sideways: tuple[int, ...] = ()) -> Path:
    """An image-only PDF of `pdf`: page i turned `crooked[i]` degrees, speckled, or on its side."""
    from PIL import Image

    images = []
    for i, image in enumerate(_pages(pdf, tmp), 1):
        if crooked and i in crooked:
            image = image.rotate(crooked[i], resample=Image.Resampling.BICUBIC, fillcolor=255)
        if i in speckled:
            image = _speckle(image, seed=i)
        if i in sideways:
            image = image.rotate(90, expand=True)
        images.append(image)
    return _image_pdf(images, out)


def _chicopee_pdf(out: Path) -> Path:
    """The Lexipol-built example policy as a text PDF (fpdf2, three pages)."""
    from formats import write_policy

    from policy_redline.ingest import read_policy

    doc = read_policy(POLICIES / "chicopee-413.docx")
    return write_policy([(b.kind, b.text) for b in doc.blocks], "pdf", out)


def _two_columns(out: Path) -> Path:
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


@pytest.fixture(scope="session")
def scans(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every scan the tests read, made once per session (OCR time is the cost, not this)."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) not installed")
    folder = tmp_path_factory.mktemp("scans")
    work = tmp_path_factory.mktemp("pages")
    out = {"bedford.pdf": POLICIES / "bedford.pdf", "chicopee.pdf": _chicopee_pdf(folder / "chicopee.pdf")}
    out["bedford-scan.pdf"] = scan(out["bedford.pdf"], folder / "bedford-scan.pdf", work, crooked={2: 1.5})
    out["chicopee-scan.pdf"] = scan(out["chicopee.pdf"], folder / "chicopee-scan.pdf", work, speckled=(1,),
                                    crooked={3: -1.0})
    out["two-columns-scan.pdf"] = scan(_two_columns(work / "two-columns.pdf"), folder / "two-columns-scan.pdf", work)
    # the text PDF with its second page swapped for the scan of it, lying on its side
    from pypdf import PdfReader, PdfWriter

    sideways = scan(out["chicopee.pdf"], work / "sideways.pdf", work, sideways=(2,))
    writer = PdfWriter()
    text, scanned = PdfReader(out["chicopee.pdf"]), PdfReader(sideways)
    for i in range(len(text.pages)):
        writer.add_page(scanned.pages[i] if i == 1 else text.pages[i])
    with open(folder / "chicopee-mixed.pdf", "wb") as fh:
        writer.write(fh)
    out["chicopee-mixed.pdf"] = folder / "chicopee-mixed.pdf"
    return out


_first_runs: dict[str, tuple[subprocess.CompletedProcess, float]] = {}


def analyze_json(path: Path, *options: str) -> dict:
    """`redline analyze PATH --format json`, kept per session (the first run of a scan is the
    one that reads it by OCR; its standard error and time are kept for the tests of both)."""
    key = "|".join((str(path), *options))
    if key not in _first_runs:
        started = time.monotonic()
        result = run_cli("analyze", str(path), "--format", "json", *options)
        _first_runs[key] = (result, time.monotonic() - started)
    result = _first_runs[key][0]
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout)


def _words(text: str) -> list[str]:
    return text.replace("\u2019", "'").split()


def word_accuracy(expected: str, read: str) -> float:
    """The share of the expected words the reading has, in order (difflib's matching blocks)."""
    a, b = _words(expected), _words(read)
    matched = sum(m.size for m in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())
    return matched / max(1, len(a))


# ------------------------------------------------------------------------------ the tests


@needs_ocr
@pytest.mark.parametrize("name", ["bedford", "chicopee"])
def test_a_scan_gets_the_verdicts_template_and_quotes_of_the_text(scans: dict[str, Path], name: str) -> None:
    text = analyze_json(scans[f"{name}.pdf"])
    scanned = analyze_json(scans[f"{name}-scan.pdf"])
    verdicts = {q["id"]: q["verdict"] for q in text["questions"]}
    assert [q["id"] for q in scanned["questions"]] == list(QUESTIONS)
    assert {q["id"]: q["verdict"] for q in scanned["questions"]} == verdicts
    assert scanned["boilerplate"]["template"] == text["boilerplate"]["template"]
    assert scanned["boilerplate"]["edition"] == text["boilerplate"]["edition"]
    if name == "chicopee":
        assert scanned["boilerplate"]["template"] == "lexipol-immigration-violations"
    expected = " ".join(e["text"] for q in text["questions"] for e in q["evidence"])
    read = " ".join(e["text"] for q in scanned["questions"] for e in q["evidence"])
    assert len(_words(expected)) > 100
    assert word_accuracy(expected, read) >= 0.98
    assert text["policy"]["ocr"] is False and "ocr_confidence" not in text["policy"]
    assert scanned["policy"]["ocr"] is True
    assert 0.8 <= scanned["policy"]["ocr_confidence"] <= 1.0
    assert scanned["policy"]["ocr_pages"] == list(range(1, scanned["policy"]["ocr_pages"][-1] + 1))


@needs_ocr
def test_the_report_says_the_text_came_from_ocr(scans: dict[str, Path]) -> None:
    result = run_cli("analyze", str(scans["bedford-scan.pdf"]))
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode()
    assert "Read by OCR: pages 1-2 of 2 were scans; mean word confidence " in out
    text = run_cli("analyze", str(scans["bedford.pdf"])).stdout.decode()
    assert "OCR" not in text


@needs_ocr
def test_a_long_scan_shows_progress_and_a_second_run_is_instant(scans: dict[str, Path]) -> None:
    analyze_json(scans["chicopee-scan.pdf"])
    first, first_time = _first_runs[str(scans["chicopee-scan.pdf"])]
    err = first.stderr.decode()
    if "OCR page" in err:  # (not when an earlier test in this session read it first)
        assert err.splitlines()[:3] == [f"redline: OCR page {i} of 3 ({scans['chicopee-scan.pdf']})" for i in (1, 2, 3)]
    started = time.monotonic()
    again = run_cli("analyze", str(scans["chicopee-scan.pdf"]), "--format", "json")
    took = time.monotonic() - started
    assert again.stdout == first.stdout and again.returncode == 0
    assert "OCR page" not in again.stderr.decode()
    assert took < 4.0, took  # analyze of a text file takes under a second; OCR takes seconds a page


@needs_ocr
def test_the_cache_is_read_without_running_tesseract_again(scans: dict[str, Path], monkeypatch) -> None:
    from policy_redline.ingest import read_policy

    first = read_policy(scans["bedford-scan.pdf"])

    def no_tesseract(*args, **kwargs):
        raise AssertionError("Tesseract ran although the file is in the cache")

    monkeypatch.setattr(ocr, "_tesseract", no_tesseract)
    again = read_policy(scans["bedford-scan.pdf"])
    assert again.blocks == first.blocks and again.ocr == first.ocr
    cached = Path(ocr.cache_dir()) / f"{__import__('hashlib').sha256(scans['bedford-scan.pdf'].read_bytes()).hexdigest()}.json"
    assert cached.is_file()
    assert str(cached).startswith(os.environ["POLICY_REDLINE_CACHE"])


@needs_ocr
def test_two_columns_are_read_column_by_column(scans: dict[str, Path]) -> None:
    from policy_redline.ingest import read_policy

    doc = read_policy(scans["two-columns-scan.pdf"])
    text = " ".join(doc.text.split())
    at = [text.find(f"{n}. {COLUMN_TEXT[n - 1][:30]}") for n in range(1, 7)]
    assert all(i >= 0 for i in at), (at, text)
    assert at == sorted(at)
    for sentence in COLUMN_TEXT:
        assert word_accuracy(sentence, text) >= 0.98, sentence


@needs_ocr
def test_a_file_with_one_scanned_page_on_its_side_reads_whole(scans: dict[str, Path]) -> None:
    from policy_redline.ingest import read_policy

    whole = read_policy(scans["chicopee.pdf"])
    mixed = read_policy(scans["chicopee-mixed.pdf"])
    assert mixed.ocr is not None and mixed.ocr.pages == (2,) and mixed.ocr.page_count == 3
    assert "page 2 read by OCR" in " ".join(mixed.notes)
    assert word_accuracy(whole.text, mixed.text) >= 0.98
    text, scanned = analyze_json(scans["chicopee.pdf"]), analyze_json(scans["chicopee-mixed.pdf"])
    assert [q["verdict"] for q in scanned["questions"]] == [q["verdict"] for q in text["questions"]]


@needs_ocr
def test_a_survey_reads_text_and_scanned_pdfs_alike(scans: dict[str, Path], tmp_path: Path) -> None:
    folder = tmp_path / "records"
    folder.mkdir()
    for name in ("bedford.pdf", "bedford-scan.pdf", "chicopee-scan.pdf"):
        shutil.copy(scans[name], folder / name)
    shutil.copy(POLICIES / "chicopee-413.docx", folder / "chicopee-413.docx")
    result = run_cli("survey", str(folder), "-o", str(tmp_path / "table.json"))
    assert result.returncode == 0, result.stderr.decode()
    rows = {r["file"]: r for r in json.loads((tmp_path / "table.json").read_text())["policies"]}
    assert sorted(rows) == ["bedford-scan.pdf", "bedford.pdf", "chicopee-413.docx", "chicopee-scan.pdf"]
    assert all(not r["error"] and r["class"] != "unreadable" for r in rows.values()), rows
    for text, scanned in (("bedford.pdf", "bedford-scan.pdf"), ("chicopee-413.docx", "chicopee-scan.pdf")):
        assert [rows[scanned][q] for q in QUESTIONS] == [rows[text][q] for q in QUESTIONS]
        assert rows[text]["ocr_confidence"] is None
        assert 0.8 <= rows[scanned]["ocr_confidence"] <= 1.0
    csv = run_cli("survey", str(folder)).stdout.decode().splitlines()
    assert "ocr_confidence" in csv[0].split(",")


@needs_ocr
def test_no_ocr_turns_it_off(scans: dict[str, Path]) -> None:
    path = scans["bedford-scan.pdf"]
    for command in (("analyze",), ("compare",), ("onepager",), ("draft", "--town", "Bedford", "--format", "md")):
        result = run_cli(*command, str(path), "--no-ocr")
        assert result.returncode == 1 and result.stdout == b""
        assert result.stderr.decode() == (
            f"redline: {path}: no text layer: this looks like a scanned PDF; run without --no-ocr to read it "
            "with OCR, or run OCR first (e.g. `ocrmypdf in.pdf out.pdf`) and try again\n")
    mixed = run_cli("analyze", str(scans["chicopee-mixed.pdf"]), "--no-ocr", "--format", "json")
    assert mixed.returncode == 0 and json.loads(mixed.stdout)["policy"]["ocr"] is False


@needs_poppler
def test_without_tesseract_a_scan_is_refused_naming_the_packages(tmp_path: Path) -> None:
    """A PATH with poppler but no Tesseract: the one line names the Debian packages."""
    from PIL import Image

    path = _image_pdf([Image.new("L", (1700, 2200), 255)], tmp_path / "scan.pdf")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "pdftoppm").symlink_to(shutil.which("pdftoppm"))
    env = dict(os.environ, PATH=str(bin_dir), NO_COLOR="1")
    result = subprocess.run([sys.executable, "-m", "policy_redline", "analyze", str(path)],
                            capture_output=True, env=env, timeout=120)
    assert result.returncode == 1 and result.stdout == b""
    assert result.stderr.decode() == (
        f"redline: {path}: no text layer: this looks like a scanned PDF; install Tesseract "
        "(`apt-get install tesseract-ocr tesseract-ocr-eng`) to read it with OCR (or run OCR first, "
        "e.g. `ocrmypdf in.pdf out.pdf`) and try again\n")


def test_quotes_with_words_ocr_was_unsure_of_are_found() -> None:
    """The marking rule: a low-confidence word counts where it stands with its neighbours,
    and at a quote's cut edge with the one neighbour the quote kept."""
    pages = [ocr.PageReading(1, ((("Officers", 96.0), ("shall", 95.0), ("not", 41.0), ("detain", 93.0)),
                                 (("anyone", 90.0), ("on", 95.0), ("a", 96.0), ("detalner.", 52.0))))]
    unsure = ocr.uncertain_words(pages)
    assert [u[3] for u in unsure] == ["not", "detalner."]
    assert ocr.unsure_in("Officers shall not detain anyone on a detalner.", unsure) == ["not", "detalner."]
    assert ocr.unsure_in("…not detain anyone…", unsure) == ["not"]
    assert ocr.unsure_in("Officers may not arrest anyone.", unsure) == []
