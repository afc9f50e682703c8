"""`redline draft`: the department's own policy, fixed, as tracked changes."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import POLICIES, run_cli
from formats import FORMATS, write_policy

from policy_redline.analysis import analyze, analyze_document
from policy_redline.draft import draft
from policy_redline.errors import InputError
from policy_redline.ingest import read_policy
from policy_redline.writers.docx_redline import redline_to_docx

EXAMPLES = [POLICIES / "chicopee-413.docx", POLICIES / "bedford.pdf"]  # tewksbury-bias-free.txt is not about immigration
FILL_IN = re.compile(r"\{(?:department|town|board)\}")


def _as_format(source: Path, fmt: str, tmp_path: Path) -> Path:
    doc = read_policy(source)
    return write_policy([(b.kind, b.text) for b in doc.blocks], fmt, tmp_path / f"{source.stem}.{fmt}")


def _cases():
    for source in EXAMPLES:
        yield pytest.param(source, "original", id=f"{source.stem}-original")
        for fmt in FORMATS:
            yield pytest.param(source, fmt, id=f"{source.stem}-{fmt}")


@pytest.mark.parametrize("source,fmt", list(_cases()))
def test_draft_is_green_on_every_question_and_idempotent(source, fmt, tmp_path):
    path = source if fmt == "original" else _as_format(source, fmt, tmp_path)
    amendment = draft(analyze(path))
    after = analyze_document(amendment.document())
    assert [f.verdict for f in after.scorecard.findings] == ["green"] * 7, [
        (f.question, f.verdict, [e.text[:60] for e in f.evidence if e.flag == "red"]) for f in after.scorecard.findings
    ]
    again = draft(after)
    assert not again.changed
    assert [p.amended for p in again.paragraphs] == [p.amended for p in amendment.paragraphs if p.amended]


def test_lexipol_draft_replaces_red_clauses_keeps_good_ones_and_inserts_287g():
    amendment = draft(analyze(POLICIES / "chicopee-413.docx"))
    actions = {(c.clause, c.question): c.action for c in amendment.changes}
    assert actions[("413.4", "lunn")] == "replace"
    assert actions[("413.6", "info_sharing")] == "replace"
    assert actions[("413.5", "resources")] == "replace"
    assert actions[("413.3", None)] == "keep"  # victims and witnesses: unrelated, kept as written
    inserted = [c for c in amendment.changes if c.action == "insert" and c.question == "agreements_287g"]
    assert len(inserted) == 1 and inserted[0].clause.startswith("413.")  # continues the policy's numbering
    text = "\n".join(p.amended for p in amendment.paragraphs)
    assert "Chicopee Police Department shall not enter into" in text
    assert "reasonable suspicion" not in text  # the Lunn red flag is gone
    assert "The Department may provide available support services" not in text
    assert "Lunn v. Commonwealth" in text
    # every change carries its reason, tied to the question and the guide's flag
    lunn = next(c for c in amendment.changes if c.question == "lunn" and c.action == "replace")
    assert lunn.reason.startswith("Lunn: red flag:")
    comments = [p.comment for p in amendment.paragraphs if p.comment]
    assert any("287(g): the policy is silent" in c for c in comments)


def test_no_fill_in_is_left_in_any_output(tmp_path):
    for source in EXAMPLES:
        for fmt in ("md", "html", "text", "json"):
            result = run_cli("draft", str(source), "--format", fmt)
            assert result.returncode == 0, result.stderr
            assert not FILL_IN.search(result.stdout.decode()), (source, fmt)
        out = tmp_path / f"{source.stem}.docx"
        assert run_cli("draft", str(source), "-o", str(out)).returncode == 0
        with zipfile.ZipFile(out) as z:
            for name in z.namelist():
                if name.endswith(".xml"):
                    assert not FILL_IN.search(z.read(name).decode("utf-8")), (source, name)


def test_town_is_asked_for_when_it_cannot_be_guessed(tmp_path):
    policy = tmp_path / "anon.txt"
    policy.write_text(
        "IMMIGRATION\n\nOfficers may provide available support services to federal immigration officials when requested.\n",
        encoding="utf-8",
    )
    result = run_cli("draft", str(policy), "--format", "md")
    assert result.returncode == 2 and result.stdout == b""  # a usage error, like a missing --board: an option draft needs
    err = result.stderr.decode().strip()
    assert len(err.splitlines()) == 1 and "--town" in err
    ok = run_cli("draft", str(policy), "--format", "md", "--town", "Springfield", "--board", "the City Council")
    assert ok.returncode == 0 and "Springfield Police Department" in ok.stdout.decode()
    with pytest.raises(InputError):
        draft(analyze(policy))


def test_json_lists_the_changes_for_scripts():
    result = run_cli("draft", str(POLICIES / "chicopee-413.docx"), "--format", "json")
    data = json.loads(result.stdout)
    assert data["department"] == "Chicopee Police Department" and data["town"] == "Chicopee"
    assert {c["action"] for c in data["changes"]} == {"replace", "insert", "keep"}
    for c in data["changes"]:
        assert set(c) >= {"clause", "question", "action", "reason"}
        assert c["reason"]


def _pandoc_plain(path: Path, mode: str) -> str:
    out = subprocess.run(
        ["pandoc", f"--track-changes={mode}", "-t", "plain", "--wrap=none", str(path)],
        capture_output=True, check=True, timeout=120,
    ).stdout.decode("utf-8")
    return " ".join(out.split())


def _words(texts) -> str:
    return " ".join(" ".join(texts).split())


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
@pytest.mark.parametrize("source", EXAMPLES, ids=lambda p: p.stem)
def test_pandoc_accept_all_is_the_clean_draft_and_reject_all_the_original(source, tmp_path):
    amendment = draft(analyze(source))
    tracked = tmp_path / "tracked.docx"
    tracked.write_bytes(redline_to_docx(amendment.redline()))
    clean = tmp_path / "clean.docx"
    clean.write_bytes(redline_to_docx(amendment.clean()))
    accepted = _pandoc_plain(tracked, "accept")
    assert accepted == _pandoc_plain(clean, "accept")
    assert accepted == _pandoc_plain_text(_words(p.amended for p in amendment.paragraphs if p.amended))
    original = read_policy(source)
    assert _pandoc_plain(tracked, "reject") == _pandoc_plain_text(_words(b.text for b in original.blocks))


def _pandoc_plain_text(text: str) -> str:
    """pandoc's plain writer escapes nothing we use, but renders list items and quotes as
    typed; comparing word sequences is enough."""
    return text


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_draft_docx_opens_in_libreoffice_with_its_comments(tmp_path):
    out = tmp_path / "draft.docx"
    assert run_cli("draft", str(POLICIES / "chicopee-413.docx"), "-o", str(out)).returncode == 0
    with zipfile.ZipFile(out) as z:
        comments = z.read("word/comments.xml").decode("utf-8")
    assert "Lunn: red flag" in comments
    odt = subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "odt", "--outdir", str(tmp_path), str(out)],
        capture_output=True, timeout=240,
    )
    converted = tmp_path / "draft.odt"
    assert odt.returncode == 0 and converted.exists(), odt.stderr
    with zipfile.ZipFile(converted) as z:
        content = z.read("content.xml").decode("utf-8")
    assert "office:annotation" in content and "Lunn: red flag" in content  # the comments survived
    assert "text:tracked-changes" in content  # and so did the revision marks


def test_a_policy_on_no_immigration_question_is_not_amended_but_standalone_writes_one(tmp_path):
    bias_free = POLICIES / "tewksbury-bias-free.txt"
    result = run_cli("draft", str(bias_free), "--format", "text")
    assert result.returncode == 1
    err = result.stderr.decode().strip()
    assert len(err.splitlines()) == 1 and "not an immigration policy" in err and "--standalone" in err
    assert result.stdout == b""
    alone = run_cli("draft", str(bias_free), "--format", "text", "--clean", "--standalone", "--board", "the Select Board")
    assert alone.returncode == 0, alone.stderr
    text = alone.stdout.decode()
    assert "Tewksbury Police Department" in text and "287(G)" not in text
    reread = analyze_document(read_policy(_write(tmp_path / "alone.txt", text)))
    assert [f.verdict for f in reread.scorecard.findings] == ["green"] * 7


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
