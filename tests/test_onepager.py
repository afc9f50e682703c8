"""`redline onepager`: the page for a meeting with the chief or the council (Step 3 of the guide).

The page must fit ONE printed Letter page: the HTML is printed to PDF by headless Chromium and
the .docx converted by LibreOffice, and the pages are counted with pypdf.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess

import docx
import pypdf
import pytest

from conftest import POLICIES, run_cli
from policy_redline.analysis import analyze
from policy_redline.models import QUESTION_IDS, load_rubric
from policy_redline.onepager import AskItem, OnePager, Row, build_onepager, one_line
from policy_redline.writers.onepager import LABELS, onepager_docx, onepager_html
from policy_redline.writers.report import report_html, shown_verdict

EXAMPLES = ["chicopee-413.docx", "bedford.pdf", "tewksbury-bias-free.txt"]
DATE = dt.date(2026, 3, 5)


@pytest.fixture(scope="module")
def pages():
    out = {}
    for name in EXAMPLES:
        a = analyze(POLICIES / name)
        out[name] = (a, build_onepager(a, date=DATE))
    return out


def _print_pdf(html_path, tmp_path) -> int:
    pdf = tmp_path / (html_path.stem + ".pdf")
    subprocess.run(
        [
            shutil.which("chromium"), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path / 'chromium'}",
            "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html_path.resolve().as_uri(),
        ],
        capture_output=True, timeout=180, check=False,
    )
    assert pdf.exists() and pdf.stat().st_size > 0, "chromium wrote no PDF"
    return len(pypdf.PdfReader(str(pdf)).pages)


@pytest.mark.parametrize("name", EXAMPLES)
def test_html_shows_the_seven_questions_and_verdicts(pages, name):
    a, page = pages[name]
    html = onepager_html(page)
    rubric = load_rubric()
    assert [r.question for r in page.rows] == list(QUESTION_IDS)
    for f in a.scorecard.findings:
        row = re.search(rf'<tr id="{f.question}">(.*?)</tr>', html, re.S)
        assert row, f.question
        shown = shown_verdict(f)
        assert f'class="v v-{shown}">{LABELS[shown]}<' in row.group(1)
        assert rubric.question(f.question).short.replace("'", "&#x27;") in row.group(1)
        e = next((x for x in f.evidence if x.flag == f.verdict), None)
        if e is not None:  # the clause that earns the verdict, quoted on one line
            assert f'<span class="c">{e.clause}</span>' in row.group(1)
            # shortened around the words that earned the flag (issue 15): words of the sentence
            quoted = re.search(r"\u201c([^\u201d]*)\u201d", row.group(1)).group(1).replace("&#x27;", "'")
            assert quoted.strip("\u2026")[:60] in " ".join(e.text.split())
    assert "Analysis of March 5, 2026" in html
    assert "Boilerplate:" in html
    assert f"{a.boilerplate.share:.0%}" in page.boilerplate or a.boilerplate.template is None


@pytest.mark.parametrize("name", EXAMPLES)
def test_html_is_self_contained_and_sized_for_letter(pages, name):
    html = onepager_html(pages[name][1])
    assert "@page { size: Letter;" in html
    assert "<script" not in html.lower()
    assert not re.search(r"(src|href)\s*=", html, re.I)
    assert "url(" not in html and "@import" not in html


def test_chicopee_asks_for_three_changes_led_by_its_red_flags(pages):
    a, page = pages["chicopee-413.docx"]
    assert len(page.asks) == 3
    red = [f.question for f in a.scorecard.findings if f.verdict == "red"]
    # red-flag replacements first, in the guide's order, each worded with the rubric's Ask: line
    assert [x.question for x in page.asks] == red[:3]
    assert all(x.action == "replace" and x.clauses for x in page.asks)
    rubric = load_rubric()
    html = onepager_html(page)
    ol = re.search(r"<ol>(.*?)</ol>", html, re.S).group(1)
    assert ol.count("<li>") == 3
    for x in page.asks:
        assert rubric.question(x.question).ask.replace("'", "&#x27;") in ol
    assert "413.4" in page.asks[0].where
    assert "The three most important changes to ask for" in html


def test_gaps_are_asked_for_where_nothing_is_red(pages):
    a, page = pages["tewksbury-bias-free.txt"]
    gaps = [f.question for f in a.scorecard.findings if shown_verdict(f) == "gap"]
    assert page.asks and [x.question for x in page.asks] == gaps[:3]
    assert all(x.action == "insert" and x.where == "Add a new section" for x in page.asks)
    a, page = pages["bedford.pdf"]
    assert page.asks[0].question == "agreements_287g"  # Bedford's one gap comes first
    assert all(f.question not in {x.question for x in page.asks} for f in a.scorecard.findings if f.verdict == "green")


def test_everything_from_the_document_is_escaped():
    evil = "<script>alert(1)</script> & \"quotes\" <img src=x onerror=y>"
    page = OnePager(
        department=evil, town="T<b>", title=evil, source="a<b>.txt", date=DATE,
        rows=tuple(Row(q, "S<", "Q&", v, "1<2", evil) for q, v in zip(QUESTION_IDS, ["red", "green", "silent", "gap", "red", "red", "green"])),
        asks=(AskItem("lunn", "Lunn<", "Ask <this>", "replace", ("1<2",)),),
        boilerplate=evil, boilerplate_share=0.5, template="x",
    )
    html = onepager_html(page)
    assert "<script" not in html and "<img" not in html and "<b>T" not in html
    assert "&lt;script&gt;" in html
    body = docx.Document(io.BytesIO(onepager_docx(page)))
    assert evil in "\n".join(p.text for p in body.paragraphs)


def test_one_line_cuts_at_a_word():
    text = "word " * 100
    cut = one_line(text, 60)
    assert len(cut) <= 60 and cut.endswith("\u2026") and " wor\u2026" not in cut
    assert one_line("a\nb\tc") == "a b c"


@pytest.mark.parametrize("name", EXAMPLES)
def test_docx_opens_and_is_reproducible(pages, name):
    a, page = pages[name]
    data = onepager_docx(page)
    assert data == onepager_docx(page)
    d = docx.Document(io.BytesIO(data))
    table = d.tables[0]
    assert len(table.rows) == 8  # header + seven questions
    for row, f in zip(table.rows[1:], a.scorecard.findings):
        assert row.cells[2].text == LABELS[shown_verdict(f)]
    text = "\n".join(p.text for p in d.paragraphs)
    assert "Boilerplate:" in text and "March 5, 2026" in text
    sec = d.sections[0]
    assert round(sec.page_width.inches, 2) == 8.5 and round(sec.page_height.inches, 2) == 11
    assert sec.left_margin.inches <= 0.75


@pytest.mark.skipif(shutil.which("chromium") is None, reason="headless Chromium is not installed")
@pytest.mark.parametrize("name", EXAMPLES)
def test_html_prints_on_one_letter_page(pages, name, tmp_path):
    path = tmp_path / (name.replace(".", "_") + ".html")
    path.write_text(onepager_html(pages[name][1]), encoding="utf-8")
    assert _print_pdf(path, tmp_path) == 1


@pytest.mark.skipif(shutil.which("chromium") is None, reason="headless Chromium is not installed")
def test_a_long_policy_still_prints_on_one_page(pages, tmp_path):
    """Long department names, titles and quotes are cut, never allowed to spill onto page 2."""
    _, page = pages["chicopee-413.docx"]
    long = "Extraordinarily Long Named " * 6
    rows = tuple(Row(r.question, r.short, r.text, r.verdict, "413.4.1.2", one_line("word " * 200)) for r in page.rows)
    big = OnePager(long + "Police Department", "Town", long, page.source, DATE, rows, page.asks, page.boilerplate, 0.9, "x")
    path = tmp_path / "long.html"
    path.write_text(onepager_html(big), encoding="utf-8")
    assert _print_pdf(path, tmp_path) == 1


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("name", EXAMPLES)
def test_docx_converts_to_one_page(pages, name, tmp_path):
    path = tmp_path / (name.replace(".", "_") + ".docx")
    path.write_bytes(onepager_docx(pages[name][1]))
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path / 'lo'}", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        capture_output=True, timeout=180, check=False,
    )
    pdf = path.with_suffix(".pdf")
    assert pdf.exists(), "LibreOffice wrote no PDF"
    assert len(pypdf.PdfReader(str(pdf)).pages) == 1


# --- the command and the report's next steps -----------------------------------------------------


def test_cli_onepager_html_and_docx(tmp_path):
    src = str(POLICIES / "chicopee-413.docx")
    r = run_cli("onepager", src, "--date", "2026-03-05")
    assert r.returncode == 0, r.stderr
    html = r.stdout.decode("utf-8")
    assert html.startswith("<!DOCTYPE html>") and html.count("<tr id=") == 7
    assert run_cli("onepager", src, "--date", "2026-03-05").stdout == r.stdout  # reproducible
    out = tmp_path / "page.docx"
    r = run_cli("onepager", src, "--date", "2026-03-05", "--format", "docx", "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert len(docx.Document(str(out)).tables[0].rows) == 8
    bad = run_cli("onepager", src, "--date", "yesterday")  # a usage error, as everywhere (issue 17)
    assert bad.returncode == 2 and "Invalid value for '--date'" in bad.stderr.decode()


def test_cli_onepager_town_option():
    r = run_cli("onepager", str(POLICIES / "tewksbury-bias-free.txt"), "--date", "2026-03-05", "--town", "Tewksbury")
    assert r.returncode == 0, r.stderr
    assert "Tewksbury Police Department" in r.stdout.decode("utf-8")


def test_analyze_html_report_links_to_the_next_steps(pages):
    a, _ = pages["chicopee-413.docx"]
    html = report_html(a)
    steps = re.search(r"<h2>Next steps</h2><ul>(.*?)</ul>", html, re.S).group(1)
    assert f"redline onepager {a.document.source}" in steps
    assert "redline request --department &#x27;Chicopee Police Department&#x27;" in steps
    assert "redline draft" in steps


def test_cli_onepager_from_standard_input_needs_a_town():
    text = b"Officers shall not inquire about immigration status except where required by law.\n"
    r = run_cli("onepager", "-", "--date", "2026-03-05", input=text)
    assert r.returncode == 2 and b"--town" in r.stderr  # an option the command needs: a usage error, as in draft
    r = run_cli("onepager", "-", "--date", "2026-03-05", "--town", "Lynn", input=text)
    assert r.returncode == 0, r.stderr
    assert "Lynn Police Department" in r.stdout.decode("utf-8")
    r = run_cli("onepager", "-", "--date", "2026-03-05", "--town", "Lynn", "--department", "Lynn Police", input=text)
    assert r.returncode == 0 and "<h1>Lynn Police" in r.stdout.decode("utf-8")
