"""`redline analyze` on the bundled example policies, in every input format.

The examples are built from the policy language the source documents quote (see
policies/README.md); the verdicts asserted here are the ones the CfJJ guide gives that
language.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import POLICIES, run_cli
from formats import FORMATS, write_policy

from policy_redline.analysis import analyze
from policy_redline.ingest import read_policy
from policy_redline.models import QUESTION_IDS

LEXIPOL = POLICIES / "chicopee-413.docx"
BEDFORD = POLICIES / "bedford.pdf"
NO_POLICY = POLICIES / "tewksbury-bias-free.txt"


def _as_format(source: Path, fmt: str, tmp_path: Path) -> Path:
    """The same policy re-written as a real file of another format."""
    doc = read_policy(source)
    blocks = [(b.kind, b.text) for b in doc.blocks]
    return write_policy(blocks, fmt, tmp_path / f"{source.stem}.{fmt}")


def _evidence(a, qid: str, flag: str) -> list:
    return [e for e in a.scorecard.finding(qid).evidence if e.flag == flag]


@pytest.mark.parametrize("fmt", ["original", *FORMATS])
def test_lexipol_style_policy_raises_the_guides_red_flags(fmt, tmp_path):
    path = LEXIPOL if fmt == "original" else _as_format(LEXIPOL, fmt, tmp_path)
    a = analyze(path)
    card = a.scorecard
    assert card.verdict("lunn") == "red"
    assert any("reasonable suspicion" in e.text and e.clause == "413.4" for e in _evidence(a, "lunn", "red"))
    assert card.verdict("info_sharing") == "red"
    assert any(e.clause == "413.6" for e in _evidence(a, "info_sharing", "red"))
    assert card.verdict("resources") == "red"
    assert any("available support services" in e.text for e in _evidence(a, "resources", "red"))
    assert card.verdict("agreements_287g") == "silent"
    assert a.department == "Chicopee Police Department"
    assert a.boilerplate.template == "lexipol-immigration-violations"
    assert a.boilerplate.share > 0.8


@pytest.mark.parametrize("fmt", ["original", *FORMATS])
def test_bedford_style_policy_is_green_where_bedford_is_strong(fmt, tmp_path):
    path = BEDFORD if fmt == "original" else _as_format(BEDFORD, fmt, tmp_path)
    a = analyze(path)
    for qid in ("status_checks", "resources", "detainers", "lunn"):
        assert a.scorecard.verdict(qid) == "green", qid
    assert not any(f.verdict == "red" for f in a.scorecard.findings)
    assert a.boilerplate.template is None


@pytest.mark.parametrize("fmt", ["original", *FORMATS])
def test_policy_without_immigration_rules_is_silent_on_every_question(fmt, tmp_path):
    path = NO_POLICY if fmt == "original" else _as_format(NO_POLICY, fmt, tmp_path)
    a = analyze(path)
    assert [f.verdict for f in a.scorecard.findings] == ["silent"] * 7


def test_json_has_the_shape_scripts_rely_on():
    result = run_cli("analyze", str(LEXIPOL), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= {"policy", "questions", "boilerplate", "alignment"}
    assert data["policy"]["clauses"] == len(data["alignment"])
    assert data["policy"]["words"] > 500
    assert [q["id"] for q in data["questions"]] == list(QUESTION_IDS)
    lunn = data["questions"][2]
    assert lunn["verdict"] == "red"
    first = lunn["evidence"][0]
    assert first["clause"] == "413.4" and first["flag"] == "red"
    assert first["matched"].startswith("lexipol-immigration-violations:413.4")
    assert isinstance(first["score"], float)
    bp = data["boilerplate"]
    assert bp["template"] == "lexipol-immigration-violations"
    assert 0.8 < bp["share"] <= 1.0
    assert "413.4" in bp["clauses"]
    kinds = {row["kind"] for row in data["alignment"]}
    assert kinds <= {"verbatim", "near", "partial", "none"}


def test_text_scorecard_reads_as_a_scorecard():
    result = run_cli("analyze", str(LEXIPOL))
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode()
    assert "RED FLAG  lunn:" in out
    assert "413.4: “An officer who has a reasonable suspicion" in out
    assert "GAP       agreements_287g:" in out  # silence the guide counts as a red flag
    assert "Boilerplate: Lexipol 'Immigration Violations', Massachusetts edition (413): 9" in out
    assert "10 of 10 template clauses" in out


def test_markdown_and_html_reports(tmp_path):
    md = run_cli("analyze", str(BEDFORD), "--format", "md")
    assert md.returncode == 0
    assert "| status_checks: In what circumstances" in md.stdout.decode()
    out = tmp_path / "report.html"
    html = run_cli("analyze", str(BEDFORD), "--format", "html", "-o", str(out))
    assert html.returncode == 0, html.stderr
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "v-green" in page and "<script" not in page


def test_stdin_is_read_as_text():
    result = run_cli("analyze", "-", "--format", "json", input=NO_POLICY.read_bytes())
    assert result.returncode == 0, result.stderr
    assert {q["verdict"] for q in json.loads(result.stdout)["questions"]} == {"silent"}


def test_models_lists_the_bundled_models():
    result = run_cli("models")
    assert result.returncode == 0
    out = result.stdout.decode()
    for model_id in ("lexipol-immigration-violations", "bedford", "model-policy"):
        assert model_id in out


def _bad_inputs(tmp_path: Path) -> dict[str, tuple[Path | str, str]]:
    from fpdf import FPDF

    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    corrupt = tmp_path / "corrupt.docx"
    corrupt.write_bytes(b"PK\x03\x04 this is not really a zip archive")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(bytes(range(256)) * 40)
    scanned = tmp_path / "scanned.pdf"
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")
    pdf.output(str(scanned))
    folder = tmp_path / "folder"
    folder.mkdir()
    return {
        "missing": (tmp_path / "nope.pdf", "no such file"),
        "directory": (folder, "directory"),
        "empty": (empty, "empty"),
        "scanned": (scanned, "OCR"),
        "corrupt": (corrupt, "docx"),
        "binary": (binary, "not a text file"),
    }


@pytest.mark.parametrize("case", ["missing", "directory", "empty", "scanned", "corrupt", "binary"])
def test_bad_input_is_one_line_and_exit_1(case, tmp_path):
    path, words = _bad_inputs(tmp_path)[case]
    result = run_cli("analyze", str(path))
    err = result.stderr.decode()
    assert result.returncode == 1, (result.stdout, err)
    assert result.stdout == b""
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    assert str(Path(path).name) in err and words in err


def test_output_never_overwrites_the_input_or_an_existing_file(tmp_path):
    policy = tmp_path / "p.txt"
    policy.write_bytes(NO_POLICY.read_bytes())
    same = run_cli("analyze", str(policy), "-o", str(policy))
    assert same.returncode == 1 and "input" in same.stderr.decode()
    assert policy.read_bytes() == NO_POLICY.read_bytes()
    out = tmp_path / "out.json"
    assert run_cli("analyze", str(policy), "--format", "json", "-o", str(out)).returncode == 0
    again = run_cli("analyze", str(policy), "--format", "json", "-o", str(out))
    assert again.returncode == 1 and "--force" in again.stderr.decode()
    assert run_cli("analyze", str(policy), "--format", "json", "-o", str(out), "--force").returncode == 0


def test_same_input_gives_byte_identical_output():
    first = run_cli("analyze", str(LEXIPOL), "--format", "json").stdout
    second = run_cli("analyze", str(LEXIPOL), "--format", "json").stdout
    assert first == second


def test_wrong_usage_is_exit_2():
    assert run_cli("analyze").returncode == 2
    assert run_cli("analyze", str(LEXIPOL), "--format", "pdf").returncode == 2
