"""`redline compare`: real CLI runs on the example policies, every output format, and the
.docx round trip through an independent reader (pandoc), on the examples and on the edited
copies of the evaluation set.

Decision recorded here: the diff shows the text exactly as written, so a department's name
filled into template text ("the Department" -> "the Chicopee Police Department") shows as a
small insertion. That keeps accept-all / reject-all exact; the kinds and scores ignore it.
"""

from __future__ import annotations

import html.parser
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, run_cli

from policy_redline.cli import cli
from policy_redline.compare import compare, compare_document
from policy_redline.ingest import read_policy
from policy_redline.models import get_model, template
from policy_redline.segment import segment

POLICIES = ROOT / "policies"
CHICOPEE_DOCX = str(POLICIES / "chicopee-413.docx")
CHICOPEE_MD = str(POLICIES / "chicopee-413.md")
BEDFORD_PDF = str(POLICIES / "bedford.pdf")
LOCAL_SENTENCE = "A review of this policy shall be included in the annual in-service training for all sworn members."

needs_pandoc = pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc not installed (CI installs it)")


def invoke(*args: str):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def _norm(text: str) -> str:
    return " ".join(text.split())


def _pandoc(path: Path, mode: str) -> str:
    out = subprocess.run(["pandoc", f"--track-changes={mode}", "-t", "plain", "--wrap=none", str(path)],
                         capture_output=True, text=True, check=True, timeout=120)
    return out.stdout


# --- text ----------------------------------------------------------------------------------


def test_text_shows_the_departments_local_sentence_as_inserted() -> None:
    out = invoke("compare", CHICOPEE_DOCX, "--against", "lexipol-immigration-violations").output
    assert out.splitlines()[1].startswith("Compared with template lexipol-immigration-violations: 9 verbatim")
    assert "boilerplate share 96%" in out
    # 413.8 adds one sentence to the template: shown, word for word, as inserted text.
    assert "{+ " + LOCAL_SENTENCE + "+}" in out or "{+" + LOCAL_SENTENCE in out.replace("{+ ", "{+")
    block = out.split("413.8 TRAINING  <->")[1]
    assert "[partial" in block.splitlines()[0]
    # a verbatim clause shows no deletions, and the only insertion is the department's name
    verbatim = out.split("413.1 PURPOSE AND SCOPE  <->")[1].split("\n\n")[0]
    assert "[-" not in verbatim and re.findall(r"\{\+(.*?)\+\}", verbatim) == ["Chicopee Police "]
    assert "\x1b[" not in out  # piped: no colour


def test_text_is_coloured_on_request_only() -> None:
    from policy_redline import compare as cmp

    c = compare(CHICOPEE_DOCX, "lexipol-immigration-violations")
    coloured = cmp.to_text(c, color=True)
    assert "\x1b[32;4m" in coloured and LOCAL_SENTENCE in coloured
    assert "\x1b[" not in cmp.to_text(c, color=False)


def test_default_against_is_the_template_for_a_lexipol_policy_and_the_model_otherwise() -> None:
    assert compare(CHICOPEE_DOCX).against.id == "lexipol-immigration-violations"
    c = compare(BEDFORD_PDF)
    assert c.against.id == "model-policy" and c.towards_model
    # towards the model: the model's fill-ins carry the policy's own names
    text = " ".join(r.amended for r in c.rows)
    assert "{department}" not in text and "{town}" not in text and "{board}" not in text
    assert "Bedford Police Department" in text and "the Select Board" in text
    # the model's clauses the policy lacks are listed, as insertions
    assert c.missing and all(r.original == "" and r.amended for r in c.missing)


# --- markdown and html -------------------------------------------------------------------------


def test_markdown_is_criticmarkup() -> None:
    out = invoke("compare", CHICOPEE_DOCX, "--format", "md").output
    assert out.startswith("# ")
    assert "{++" + LOCAL_SENTENCE in out.replace("{++ ", "{++")
    assert "++}" in out and "[^1]" in out


class _Collect(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.ins: list[str] = []
        self._in = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self._in = tag == "ins" or self._in

    def handle_endtag(self, tag):
        if tag == "ins":
            self._in = False

    def handle_data(self, data):
        if self._in:
            self.ins.append(data)


def test_html_is_self_contained_and_escaped(tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.md"
    hostile.write_text(
        "# Policy 413\n\n## 413.1 PURPOSE AND SCOPE\n\nThis policy provides guidelines to members of the "
        "Department <script>alert(1)</script> relating to immigration & interacting with federal immigration officials.\n",
        encoding="utf-8",
    )
    out = invoke("compare", str(hostile), "--against", "lexipol-immigration-violations", "--format", "html").output
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "http://" not in out and "https://" not in out and "<link" not in out
    p = _Collect()
    p.feed(invoke("compare", CHICOPEE_DOCX, "--format", "html").output)
    assert "style" in p.tags and "script" not in p.tags
    assert any(LOCAL_SENTENCE in s for s in p.ins)


# --- two policy files ------------------------------------------------------------------------


def test_against_another_version_of_the_same_policy() -> None:
    c = compare(CHICOPEE_DOCX, CHICOPEE_MD)
    assert c.against.kind == "policy" and not c.towards_model
    by_clause = {r.clause.number: r for r in c.rows if r.clause is not None}
    for n in ("413.1", "413.4", "413.6", "413.7", "413.8"):
        assert by_clause[n].kind == "verbatim", n
        assert by_clause[n].original == by_clause[n].amended  # same words in .docx and .md
    out = invoke("compare", CHICOPEE_DOCX, "--against", CHICOPEE_MD).output
    assert "Compared with policy chicopee-413: 10 verbatim" in out


def test_two_towns() -> None:
    out = invoke("compare", BEDFORD_PDF, "--against", CHICOPEE_DOCX).output
    assert "Compared with policy chicopee-413: 0 verbatim, 0 near, 0 partial" in out
    # Chicopee's Lexipol clauses are what Bedford does not have: shown as deleted text
    assert "[-It is the policy of the Chicopee Police Department" in out


def test_unknown_model_is_one_line_and_exit_1() -> None:
    r = run_cli("compare", CHICOPEE_DOCX, "--against", "no-such-model")
    assert r.returncode == 1
    err = r.stderr.decode()
    assert err.count("\n") == 1 and "no-such-model" in err and "lexipol-immigration-violations" in err
    assert r.stdout == b""


def test_docx_needs_an_output_file_on_a_terminal_but_pipes(tmp_path: Path) -> None:
    r = run_cli("compare", CHICOPEE_DOCX, "--format", "docx")
    assert r.returncode == 0 and r.stdout[:2] == b"PK"  # piped: the bytes
    target = tmp_path / "out.docx"
    r = run_cli("compare", CHICOPEE_DOCX, "--format", "docx", "-o", str(target), "--author", "CfJJ", "--date", "2026-03-01T00:00:00Z")
    assert r.returncode == 0 and target.read_bytes()[:2] == b"PK"
    assert b'w:author="CfJJ"' in __import__("zipfile").ZipFile(target).read("word/document.xml")


# --- .docx round trip ---------------------------------------------------------------------------


def _sides(c) -> tuple[str, str]:
    rl = c.to_redline()
    return _norm(" ".join(p.amended for p in rl.paragraphs)), _norm(" ".join(p.original for p in rl.paragraphs))


@needs_pandoc
@pytest.mark.parametrize("against", [None, "lexipol-immigration-violations", "model-policy", "bedford", CHICOPEE_MD])
@pytest.mark.parametrize("policy", [CHICOPEE_DOCX, BEDFORD_PDF, str(POLICIES / "tewksbury-bias-free.txt")])
def test_docx_round_trip_examples(tmp_path: Path, policy: str, against: str | None) -> None:
    from policy_redline.compare import to_docx

    c = compare(policy, against)
    path = tmp_path / "c.docx"
    path.write_bytes(to_docx(c))
    amended, original = _sides(c)
    assert _norm(_pandoc(path, "accept")) == amended
    assert _norm(_pandoc(path, "reject")) == original
    department = _norm(" ".join(f"{cl.label} {cl.text}" for cl in segment(read_policy(policy))))
    # the department's side is exactly its policy, clause by clause
    assert (original if c.towards_model else amended) == department


@needs_pandoc
def test_docx_round_trip_chicopee_reject_is_the_template(tmp_path: Path) -> None:
    from policy_redline.compare import to_docx

    c = compare(CHICOPEE_DOCX, "lexipol-immigration-violations")
    path = tmp_path / "c.docx"
    path.write_bytes(to_docx(c))
    rejected = _norm(_pandoc(path, "reject"))
    tmpl = template()
    expected = _norm(" ".join(f"{mc.label} {mc.text}" for mc in tmpl.clauses))
    assert rejected == expected


@needs_pandoc
@pytest.mark.parametrize("edit", ["combined", "split", "merge", "reorder", "pdf", "ocr"])
def test_docx_round_trip_edited_copies(tmp_path: Path, edit: str) -> None:
    from tests.eval.generate import edited_case

    from policy_redline.compare import to_docx

    case = edited_case(edit, 1)
    for against in ("lexipol-immigration-violations", "model-policy"):
        c = compare_document(case.document, get_model(against))
        path = tmp_path / f"{edit}-{against}.docx"
        path.write_bytes(to_docx(c))
        amended, original = _sides(c)
        assert _norm(_pandoc(path, "accept")) == amended
        assert _norm(_pandoc(path, "reject")) == original
