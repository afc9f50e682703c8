"""A text whose line runs past 100,000 characters is no policy (a paragraph of a real one is
a few thousand): it is refused in one line, wherever in the file that line is — the last
line without a final newline too — and a real policy with its lines well within the budget
is read as before."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT, run_cli

POLICY = ROOT / "tests" / "corpus" / "benton-county-wa_413-immigration-violations.txt"
RUN_ON = "Officers shall not detain any person solely on the basis of an immigration detainer. "


@pytest.mark.parametrize("where", ["middle", "end without a final newline"])
def test_a_line_past_the_budget_is_refused_in_one_line(tmp_path: Path, where: str) -> None:
    policy = POLICY.read_text(encoding="utf-8")
    run_on = RUN_ON * (100_001 // len(RUN_ON) + 1)
    text = policy + "\n" + run_on + "\n\n" + policy if where == "middle" else policy + "\n\n" + run_on.rstrip()
    (tmp_path / "policy.txt").write_text(text, encoding="utf-8")
    r = run_cli("analyze", "policy.txt", cwd=tmp_path)
    err = r.stderr.decode()
    assert r.returncode != 0 and r.stdout == b""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "a line or paragraph of more than 100,000 characters" in err


def test_a_policy_of_many_long_paragraphs_is_read(tmp_path: Path) -> None:
    """Paragraphs of 2,000 characters, over 100,000 in all: no line is too long."""
    paragraph = (RUN_ON * 25).strip()
    (tmp_path / "policy.txt").write_text("Immigration Violations\n\n" + "\n\n".join([paragraph] * 60) + "\n",
                                         encoding="utf-8")
    r = run_cli("analyze", "policy.txt", "--format", "json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr.decode()
    assert b'"title": "Immigration Violations"' in r.stdout
