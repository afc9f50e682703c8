"""`redline survey`: one row per policy, the same verdicts as `analyze`, error rows for bad
files, identical output on every run, escaped HTML that sorts in a real browser."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import POLICIES, run_cli

from policy_redline.analysis import analyze
from policy_redline.models import QUESTION_IDS
from policy_redline.survey import (
    COLUMNS,
    SurveyResult,
    classify,
    find_policies,
    report_name,
    summary_line,
    survey,
    survey_csv,
    survey_html,
    survey_json,
)

GOOD = POLICIES / "bedford.pdf"


@pytest.fixture(scope="module")
def surveyed() -> SurveyResult:
    return survey(POLICIES, jobs=2)


# --- the same verdicts as analyze -------------------------------------------------------


def test_survey_of_policies_agrees_with_analyze(surveyed: SurveyResult) -> None:
    files = sorted(p.relative_to(POLICIES).as_posix() for p in POLICIES.rglob("*")
                   if p.is_file() and p.suffix in (".pdf", ".docx", ".txt", ".md") and not p.name.startswith(".")
                   and p.name != "README.md")  # the folder's notes are not a policy
    assert [r["file"] for r in surveyed.rows] == files
    for row in surveyed.rows:
        a = analyze(POLICIES / row["file"])
        assert row["error"] == ""
        assert [row[q] for q in QUESTION_IDS] == [a.scorecard.verdict(q) for q in QUESTION_IDS], row["file"]
        assert row["department"] == (a.department or "")
        assert row["words"] == a.words
        assert row["template"] == (a.boilerplate.template or "")
        assert row["boilerplate_share"] == a.boilerplate.share
        counts = a.scorecard.counts()
        assert (row["red"], row["green"], row["silent"]) == (counts["red"], counts["green"], counts["silent"])
        assert row["class"] == classify([a.scorecard.verdict(q) for q in QUESTION_IDS])


def test_known_classes(surveyed: SurveyResult) -> None:
    by_file = {r["file"]: r["class"] for r in surveyed.rows}
    assert by_file["chicopee-413.docx"] == "permits"
    assert by_file["bedford.pdf"] == "restricts"
    assert by_file["tewksbury-bias-free.txt"] == "silent"


def test_in_process_and_pool_agree(surveyed: SurveyResult) -> None:
    assert survey_csv(survey(POLICIES, jobs=1)) == survey_csv(surveyed)


def test_classify_and_summary() -> None:
    assert classify(["red"] + ["green"] * 6) == "permits"
    assert classify(["green"] + ["silent"] * 6) == "restricts"
    assert classify(["silent"] * 7) == "silent"
    assert classify([], "the file is empty") == "unreadable"
    assert summary_line(62, {"permits": 28, "restricts": 3, "silent": 24, "unreadable": 7}) == (
        "62 policies: 28 permit cooperation, 3 restrict, 24 silent, 7 unreadable"
    )
    assert summary_line(1, {"permits": 1}) == "1 policy: 1 permits cooperation, 0 restrict, 0 silent, 0 unreadable"


def test_columns_in_design_order() -> None:
    assert COLUMNS[5:12] == QUESTION_IDS
    assert COLUMNS[:5] == ("file", "department", "words", "template", "boilerplate_share")
    assert COLUMNS[-6:] == ("red", "green", "silent", "unclear", "class", "error")


# --- bad files never abort --------------------------------------------------------------


def _mixed_folder(root: Path) -> Path:
    folder = root / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "corrupt.docx").write_bytes(b"this is not a zip file\n")
    (folder / "empty.txt").write_bytes(b"")
    shutil.copy(GOOD, folder / "sub" / "bedford.pdf")
    (folder / ".hidden.txt").write_text("The Hidden Police Department shall ...", encoding="utf-8")
    (folder / ".git").mkdir()
    (folder / ".git" / "x.txt").write_text("not a policy", encoding="utf-8")
    (folder / "notes.csv").write_text("a,b\n", encoding="utf-8")
    return folder


def test_bad_files_give_error_rows_and_exit_0(tmp_path: Path) -> None:
    folder = _mixed_folder(tmp_path)
    out = tmp_path / "table.csv"
    r = run_cli("survey", str(folder), "-o", str(out), "--jobs", "2")
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [x["file"] for x in rows] == ["corrupt.docx", "empty.txt", "sub/bedford.pdf"]
    corrupt, empty, good = rows
    for bad in (corrupt, empty):
        assert bad["error"] and bad["class"] == "unreadable"
        assert all(bad[q] == "" for q in QUESTION_IDS)
    assert "empty" in empty["error"]
    assert good["error"] == "" and good["class"] == "restricts"
    assert good["department"] == "Bedford Police Department"
    assert r.stderr.decode().strip().splitlines()[-1] == (
        "3 policies: 0 permit cooperation, 1 restricts, 0 silent, 2 unreadable"
    )


def test_worker_exception_is_an_error_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import policy_redline.analysis as analysis

    shutil.copy(GOOD, tmp_path / "a.pdf")
    monkeypatch.setattr(analysis, "analyze", lambda path: 1 / 0)
    result = survey(tmp_path, jobs=1)
    assert result.rows[0]["class"] == "unreadable"
    assert "ZeroDivisionError" in result.rows[0]["error"]


def test_missing_folder_is_one_line_exit_1(tmp_path: Path) -> None:
    for target in (tmp_path / "nope", GOOD):
        r = run_cli("survey", str(target))
        assert r.returncode == 1
        err = r.stderr.decode().strip()
        assert len(err.splitlines()) == 1 and err.startswith("redline: ")


def test_csv_on_stdout_without_progress_on_a_pipe(tmp_path: Path) -> None:
    folder = _mixed_folder(tmp_path)
    r = run_cli("survey", str(folder), "--jobs", "1")
    assert r.returncode == 0
    out = r.stdout.decode()
    assert out.startswith(",".join(COLUMNS) + "\n") and "\r" not in out
    assert r.stderr.decode().splitlines() == ["3 policies: 0 permit cooperation, 1 restricts, 0 silent, 2 unreadable"]


# --- stable output ------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".json", ".html"])
def test_two_runs_are_byte_identical(tmp_path: Path, suffix: str) -> None:
    folder = _mixed_folder(tmp_path)
    shutil.copy(POLICIES / "tewksbury-bias-free.txt", folder / "sub" / "t.txt")
    out = folder / f"table{suffix}"  # inside the surveyed folder: must not survey itself
    reports = tmp_path / "reports"
    first = run_cli("survey", str(folder), "-o", str(out), "--jobs", "2", "--reports", str(reports))
    assert first.returncode == 0, first.stderr
    data = out.read_bytes()
    second = run_cli("survey", str(folder), "-o", str(out), "--jobs", "1", "--reports", str(reports), "--force")
    assert second.returncode == 0, second.stderr
    assert out.read_bytes() == data
    assert "4 policies" in second.stderr.decode()
    if suffix == ".json":
        doc = json.loads(data)
        assert doc["summary"]["policies"] == 4 and doc["summary"]["unreadable"] == 2
        assert doc["policies"][2]["report"].endswith("sub__bedford.pdf.html")


@pytest.mark.parametrize("suffix", [".csv", ".json"])
def test_streamed_table_is_the_table_of_the_whole_survey(tmp_path: Path, suffix: str) -> None:
    """The command writes CSV and JSON rows as they are done, never holding the table: the
    file is the same, byte for byte, as the table made from the survey's rows at the end,
    and no temporary file is left beside it."""
    folder = _mixed_folder(tmp_path)
    out = tmp_path / "out" / f"table{suffix}"
    out.parent.mkdir()
    r = run_cli("survey", str(folder), "-o", str(out), "--jobs", "2")
    assert r.returncode == 0, r.stderr
    whole = survey(folder, jobs=1)
    assert out.read_text(encoding="utf-8") == (survey_csv(whole) if suffix == ".csv" else survey_json(whole))
    assert [p.name for p in out.parent.iterdir()] == [out.name]


def test_sink_gets_rows_in_file_order_and_the_result_keeps_none(tmp_path: Path) -> None:
    folder = _mixed_folder(tmp_path)
    got: list[dict] = []
    streamed = survey(folder, jobs=2, sink=got.append)
    whole = survey(folder, jobs=2)
    assert [r["file"] for r in got] == [r["file"] for r in whole.rows] == find_policies(folder)
    assert streamed.rows == [] and streamed.counts == whole.counts and streamed.summary == whole.summary


def test_output_exists_needs_force(tmp_path: Path) -> None:
    folder = _mixed_folder(tmp_path)
    out = tmp_path / "t.csv"
    out.write_text("keep", encoding="utf-8")
    r = run_cli("survey", str(folder), "-o", str(out))
    assert r.returncode == 1 and out.read_text(encoding="utf-8") == "keep"


def test_html_policy_in_folder_is_an_input_not_replaced(tmp_path: Path) -> None:
    (tmp_path / "policy.html").write_text(
        "<html><body><h1>Bias-Free Policing</h1><p>The Acton Police Department treats everyone equally.</p></body></html>",
        encoding="utf-8",
    )
    r = run_cli("survey", str(tmp_path), "-o", str(tmp_path / "policy.html"), "--force")
    assert r.returncode == 1
    assert "input" in r.stderr.decode()
    assert "Bias-Free" in (tmp_path / "policy.html").read_text(encoding="utf-8")


def test_reports_are_written_and_linked(tmp_path: Path) -> None:
    folder = _mixed_folder(tmp_path)
    reports = tmp_path / "out" / "reports"
    out = tmp_path / "out" / "table.html"
    result = survey(folder, jobs=1, reports_dir=reports)
    page = survey_html(result, out)
    assert (reports / "sub__bedford.pdf.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert '<a href="reports/sub__bedford.pdf.html">sub/bedford.pdf</a>' in page
    assert not (reports / "corrupt.docx.html").exists()
    # a second run replaces its own reports
    survey(folder, jobs=1, reports_dir=reports)


def test_reports_inside_survey_folder_are_not_surveyed(tmp_path: Path) -> None:
    folder = _mixed_folder(tmp_path)
    first = survey(folder, jobs=1, reports_dir=folder / "reports")
    second = survey(folder, jobs=1, reports_dir=folder / "reports")
    assert [r["file"] for r in first.rows] == [r["file"] for r in second.rows]
    with pytest.raises(Exception, match="surveyed folder"):
        survey(folder / "sub", jobs=1, reports_dir=folder)


def test_report_names() -> None:
    assert report_name("a/b/c.docx") == "a__b__c.docx.html"
    assert len(report_name("x/" * 200 + "p.txt").encode()) <= 200


# --- escaping ----------------------------------------------------------------------------


def test_html_escapes_file_names_and_departments(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    nasty = folder / "<script>alert(1)</script>.txt"  # a folder `<script>alert(1)<` and a file
    nasty.parent.mkdir()
    nasty.write_text((POLICIES / "tewksbury-bias-free.txt").read_text(encoding="utf-8"), encoding="utf-8")
    assert find_policies(folder) == ["<script>alert(1)</script>.txt"]
    reports = tmp_path / "reports"
    result = survey(folder, jobs=1, reports_dir=reports)
    result.rows[0]["department"] = '<img src=x onerror="alert(2)"> & Co Police Department'
    page = survey_html(result, tmp_path / "t.html")
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;.txt" in page
    assert "<img" not in page
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt; &amp; Co Police Department" in page
    assert 'href="reports/%3Cscript%3Ealert%281%29%3C__script%3E.txt.html"' in page
    assert page.count("<script>") == 1  # only our own
    script = page.split("<script>", 1)[1].split("</script>", 1)[0]
    assert "alert" not in script
    # the CSV and JSON carry the name as data
    assert "<script>alert(1)</script>.txt" in survey_csv(result)
    assert json.loads(survey_json(result))["policies"][0]["file"] == "<script>alert(1)</script>.txt"


# --- a real browser ----------------------------------------------------------------------


class _Rows(HTMLParser):
    """The first cell's text of every body row, in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[str] = []
        self.in_body = False
        self.cell = -1
        self.text = ""

    def handle_starttag(self, tag, attrs):
        if tag == "tbody":
            self.in_body = True
        elif self.in_body and tag == "tr":
            self.cell = -1
        elif self.in_body and tag == "td":
            self.cell += 1
            if self.cell == 0:
                self.text = ""

    def handle_endtag(self, tag):
        if tag == "tbody":
            self.in_body = False
        elif self.in_body and tag == "td" and self.cell == 0:
            self.rows.append(self.text.strip())

    def handle_data(self, data):
        if self.in_body and self.cell == 0:
            self.text += data


def _dump_dom(page: Path, fragment: str, profile: Path) -> str:
    cmd = [
        shutil.which("chromium") or "chromium", "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", f"--user-data-dir={profile}", "--dump-dom", page.resolve().as_uri() + fragment,
    ]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    return r.stdout


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Chromium is not installed")
def test_chromium_sorts_the_table(tmp_path: Path) -> None:
    # The examples plus a short policy, so that sorting the word counts as text would give
    # a different order from sorting them as numbers (a real sort bug would show).
    folder = tmp_path / "policies"
    folder.mkdir()
    for p in POLICIES.iterdir():
        if p.suffix in (".pdf", ".docx", ".txt", ".md") and p.name != "README.md":
            shutil.copy(p, folder / p.name)
    (folder / "short.txt").write_text("Officers shall treat every person with dignity and respect.\n", encoding="utf-8")
    surveyed = survey(folder, jobs=1)
    page = tmp_path / "survey.html"
    page.write_text(survey_html(surveyed, page), encoding="utf-8")
    words = {r["file"]: r["words"] for r in surveyed.rows}
    by_words = sorted(words, key=lambda f: (words[f], f))
    assert sorted(map(str, words.values())) != [str(words[f]) for f in by_words]  # text order would differ

    def order(fragment: str) -> list[str]:
        parser = _Rows()
        parser.feed(_dump_dom(page, fragment, tmp_path / "profile"))
        return parser.rows

    assert order("") == [r["file"] for r in surveyed.rows]  # loads, file order
    assert order("#sort=words") == by_words  # numbers sort as numbers
    assert order("#sort=-words") == sorted(words, key=lambda f: (-words[f], f))
    klass = {r["file"]: r["class"] for r in surveyed.rows}
    rank = {"permits": 0, "restricts": 1, "silent": 2, "unreadable": 3}
    assert order("#sort=class") == sorted(words, key=lambda f: (rank[klass[f]], [r["file"] for r in surveyed.rows].index(f)))


def test_a_folders_readme_is_not_surveyed_and_csv_cells_cannot_be_formulas(tmp_path: Path) -> None:
    from policy_redline.survey import survey, survey_csv

    (tmp_path / "README.md").write_text("# Notes\n\nThe Chicopee Police Department may provide available support services.\n", encoding="utf-8")
    (tmp_path / "=HYPERLINK(1).txt").write_bytes((POLICIES / "tewksbury-bias-free.txt").read_bytes())
    result = survey(tmp_path, jobs=1)
    assert [r["file"] for r in result.rows] == ["=HYPERLINK(1).txt"]
    assert "\n'=HYPERLINK(1).txt," in survey_csv(result)


def test_the_csv_names_the_gaps_the_html_table_shows(tmp_path) -> None:
    out = tmp_path / "survey.csv"
    r = run_cli("survey", str(POLICIES), "-o", str(out))
    assert r.returncode == 0
    rows = {row["file"]: row for row in csv.DictReader(out.open(encoding="utf-8"))}
    # Chicopee's policy never mentions 287(g): silent, which the guide counts as a gap
    assert rows["chicopee-413.docx"]["agreements_287g"] == "silent"
    assert rows["chicopee-413.docx"]["gaps"] == "agreements_287g"
    html = tmp_path / "survey.html"
    run_cli("survey", str(POLICIES), "-o", str(html))
    assert "GAP" in html.read_text(encoding="utf-8")
