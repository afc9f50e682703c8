"""Scanned PDFs: what a records office sends back is often page images with no text.

The scans are made here from the example policies the way a scanner makes them: each page
of the text PDF rendered to a 200-dpi greyscale image (one page fed a little crooked, one
with copier speckle, one sideways), and the images wrapped into an image-only PDF. The
analysis of the scan must give what the analysis of the text gives. The OCR tests are
skipped where Tesseract is not installed (`.ci/run` installs it); the tests of what happens
without it run everywhere.
"""

from __future__ import annotations

import csv
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
from scans import COLUMN_TEXT, chicopee_pdf, image_pdf, scan, two_columns

from policy_redline.readers import ocr

needs_ocr = pytest.mark.skipif(ocr.missing() is not None, reason=f"OCR needs {ocr.missing()} ({ocr.PACKAGES})")
needs_poppler = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) not installed")

QUESTIONS = ("status_checks", "info_sharing", "lunn", "detainers", "raids", "resources", "agreements_287g")


@pytest.fixture(scope="session")
def scans(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every scan the tests read, made once per session (OCR time is the cost, not this)."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) not installed")
    folder = tmp_path_factory.mktemp("scans")
    work = tmp_path_factory.mktemp("pages")
    out = {"bedford.pdf": POLICIES / "bedford.pdf", "chicopee.pdf": chicopee_pdf(folder / "chicopee.pdf")}
    out["bedford-scan.pdf"] = scan(out["bedford.pdf"], folder / "bedford-scan.pdf", work, crooked={2: 1.5},
                                   folded={1: "suspected"})
    out["chicopee-scan.pdf"] = scan(out["chicopee.pdf"], folder / "chicopee-scan.pdf", work, speckled=(1,),
                                    crooked={3: -1.0})
    out["two-columns-scan.pdf"] = scan(two_columns(work / "two-columns.pdf"), folder / "two-columns-scan.pdf", work)
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


def quote_accuracy(text: dict, scanned: dict) -> float:
    """How much of the text's evidence the scan's analysis quotes word for word: each quote
    of the text against the closest quote of the scan for the same question (equal scores
    may list two quotes in either order), weighted by its words."""
    matched = total = 0.0
    for q, r in zip(text["questions"], scanned["questions"]):
        for e in q["evidence"]:
            n = len(_words(e["text"]))
            total += n
            matched += n * max((word_accuracy(e["text"], f["text"]) for f in r["evidence"]), default=0.0)
    return matched / max(1.0, total)


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
    assert sum(len(_words(e["text"])) for q in text["questions"] for e in q["evidence"]) > 100
    assert quote_accuracy(text, scanned) >= 0.98
    assert text["policy"]["ocr"] is False and "ocr_confidence" not in text["policy"]
    assert scanned["policy"]["ocr"] is True
    assert 0.8 <= scanned["policy"]["ocr_confidence"] <= 1.0
    assert scanned["policy"]["ocr_pages"] == list(range(1, scanned["policy"]["ocr_pages"][-1] + 1))


@needs_ocr
def test_the_report_says_the_text_came_from_ocr_and_marks_what_to_check(scans: dict[str, Path]) -> None:
    """Bedford's scan lost the lower part of "suspected" along a fold: the status-checks
    quote that holds it tells the reader to check it against the page."""
    result = run_cli("analyze", str(scans["bedford-scan.pdf"]))
    assert result.returncode == 0, result.stderr.decode()
    lines = result.stdout.decode().splitlines()
    assert lines[2].startswith("Read by OCR: pages 1-2 of 2 were scans; mean word confidence ")
    at = next(i for i, line in enumerate(lines) if line.startswith("GREEN     status_checks"))
    assert "real or s" in lines[at + 1]
    assert lines[at + 2].startswith("          check against the page: OCR was unsure of \u201c")
    data = analyze_json(scans["bedford-scan.pdf"])
    status = next(q for q in data["questions"] if q["id"] == "status_checks")
    unsure = status["evidence"][0]["ocr_unsure"]
    folded = [w for w in unsure if w.startswith("s") and w.endswith("ed")]  # "suspected", as read
    assert len(folded) == 1 and f"\u201c{folded[0]}\u201d" in lines[at + 2]
    assert len(unsure) <= 3  # the words to check are few, not the whole sentence
    html = run_cli("analyze", str(scans["bedford-scan.pdf"]), "--format", "html").stdout.decode()
    assert '<small class="read">check against the page: OCR was unsure of' in html
    text = run_cli("analyze", str(scans["bedford.pdf"])).stdout.decode()
    assert "OCR" not in text and "check against the page" not in text


@needs_ocr
def test_a_long_scan_shows_progress_and_a_second_run_is_instant(scans: dict[str, Path]) -> None:
    analyze_json(scans["chicopee-scan.pdf"])
    first, first_time = _first_runs[str(scans["chicopee-scan.pdf"])]
    err = first.stderr.decode()  # the session's first reading of this scan (an empty cache)
    assert err.splitlines() == [f"redline: OCR page {i} of 3 ({scans['chicopee-scan.pdf']})" for i in (1, 2, 3)]
    started = time.monotonic()
    again = run_cli("analyze", str(scans["chicopee-scan.pdf"]), "--format", "json")
    took = time.monotonic() - started
    assert again.stdout == first.stdout and again.returncode == 0
    assert "OCR page" not in again.stderr.decode()
    # analyze of a text file takes under a second; OCR takes a second or more a page
    assert took < 4.0 and took < first_time / 2, (took, first_time)


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
    header = run_cli("survey", str(folder)).stdout.decode().splitlines()[0]
    assert "ocr_confidence" in header.split(",")
    html = tmp_path / "table.html"
    assert run_cli("survey", str(folder), "-o", str(html)).returncode == 0
    page = html.read_text()
    assert '<th data-key="ocr_confidence" data-type="num"' in page
    row = next(line for line in page.split("<tr") if "bedford-scan.pdf" in line)
    assert f'data-sort="{rows["bedford-scan.pdf"]["ocr_confidence"]:.3f}">' in row


@needs_ocr
def test_no_ocr_turns_it_off(scans: dict[str, Path], tmp_path: Path) -> None:
    path = scans["bedford-scan.pdf"]
    shutil.copy(path, tmp_path / "bedford-scan.pdf")
    survey = run_cli("survey", str(tmp_path), "--no-ocr")  # in the survey's worker processes too
    assert survey.returncode == 0
    [row] = csv.DictReader(io.StringIO(survey.stdout.decode()))
    assert row["file"] == "bedford-scan.pdf" and row["class"] == "unreadable"
    assert row["error"] == ("no text layer: this looks like a scanned PDF; run without --no-ocr to read it with "
                            "OCR, or run OCR first (e.g. `ocrmypdf in.pdf out.pdf`) and try again")
    for command in (("analyze",), ("compare",), ("onepager",), ("draft", "--town", "Bedford", "--format", "md")):
        result = run_cli(*command, str(path), "--no-ocr")
        assert result.returncode == 1 and result.stdout == b""
        assert result.stderr.decode() == (
            f"redline: {path}: no text layer: this looks like a scanned PDF; run without --no-ocr to read it "
            "with OCR, or run OCR first (e.g. `ocrmypdf in.pdf out.pdf`) and try again\n")
    mixed = run_cli("analyze", str(scans["chicopee-mixed.pdf"]), "--no-ocr", "--format", "json")
    assert mixed.returncode == 0
    policy = json.loads(mixed.stdout)["policy"]
    assert policy["ocr"] is False and policy["ocr_unread_pages"] == [2]
    report = run_cli("analyze", str(scans["chicopee-mixed.pdf"]), "--no-ocr").stdout.decode().splitlines()
    assert report[2] == ("Not read: page 2 of 3 looks scanned and was not read (--no-ocr); this analysis "
                         "covers the other pages only.")


@needs_poppler
def test_without_tesseract_a_scan_is_refused_naming_the_packages(tmp_path: Path) -> None:
    """A PATH with poppler but no Tesseract: the one line names the Debian packages."""
    from PIL import Image

    path = image_pdf([Image.new("L", (1700, 2200), 255)], tmp_path / "scan.pdf")
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


def test_a_signature_image_on_a_text_page_is_not_a_scan(tmp_path: Path) -> None:
    """A last page with a few words and the chief's signature as a small picture is read
    from its text layer: only an image of the whole page makes a page a scan."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw

    from policy_redline.ingest import read_policy

    signature = Image.new("L", (600, 160), 255)
    ImageDraw.Draw(signature).line((20, 120, 200, 30, 380, 130, 580, 40), fill=0, width=6)
    signature.save(tmp_path / "signature.png")
    pdf = FPDF(format="Letter")
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    pdf.multi_cell(0, 6, "1. Officers shall not ask any person about his or her immigration status. " * 8)
    pdf.add_page()
    pdf.multi_cell(0, 6, "By order of the Chief of Police.")
    pdf.image(str(tmp_path / "signature.png"), x=20, y=40, w=60)
    pdf.output(str(tmp_path / "signed.pdf"))
    doc = read_policy(tmp_path / "signed.pdf")
    assert doc.ocr is None
    assert doc.text.endswith("By order of the Chief of Police.")
