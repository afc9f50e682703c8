"""What a person sees when an answer is `unclear`: the policy speaks to the question in the
quoted sentence, but the tool cannot classify it, so a person must read it (DESIGN.md).

The judge decides when an answer is unclear; these tests do not depend on which policy text
it finds unclear. They build the scorecard themselves (`judge.Finding` / `Evidence` /
`Scorecard` with the verdict "unclear") over a real analysed policy, and run it through
every writer, the survey's classes and table, the one-pager and the draft.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import POLICIES

from policy_redline.analysis import Analysis, analyze
from policy_redline.judge import Evidence, Finding, Scorecard
from policy_redline.models import QUESTION_IDS, load_rubric
from policy_redline.survey import (
    CLASSES,
    COLUMNS,
    classify,
    summary_line,
    survey,
    survey_csv,
    survey_html,
    survey_json,
)
from policy_redline.writers.report import (
    report_html,
    report_json,
    report_markdown,
    report_text,
    verdict_counts,
)

#: A policy on bias-free policing: it never says what officers do about immigration, but its
#: clause 3 names immigration status among the characteristics officers may not act on.
POLICY = POLICIES / "tewksbury-bias-free.txt"
CLAUSE = "3"
START = "Members may not use any of these characteristics"


def _sentence(a: Analysis) -> str:
    clause = next(c for c in a.clauses if c.number == CLAUSE)
    return next(s for s in clause.sentences if s.startswith(START))


def _card(a: Analysis, verdicts: dict[str, str]) -> Scorecard:
    """Seven findings: the given verdicts (unclear ones quote clause 3), the rest silent,
    with the guide's gap where it counts silence as a red flag."""
    rubric = load_rubric()
    findings = []
    for q in QUESTION_IDS:
        question = rubric.question(q)
        verdict = verdicts.get(q, "silent")
        evidence: tuple[Evidence, ...] = ()
        gap = ""
        if verdict == "unclear":
            evidence = (Evidence(CLAUSE, "unclear", _sentence(a), "rubric:" + q, 72.0),)
        elif verdict in ("red", "green"):
            evidence = (Evidence(CLAUSE, verdict, _sentence(a), "rubric:" + q, 90.0, f"a {verdict} flag"),)
        elif question.silence:
            gap = question.silence
        findings.append(Finding(q, question.text, verdict, evidence, gap, question.ask))  # type: ignore[arg-type]
    return Scorecard(tuple(findings))


@pytest.fixture(scope="module")
def real() -> Analysis:
    return analyze(POLICY)


@pytest.fixture(scope="module")
def unclear(real: Analysis) -> Analysis:
    """The policy with status checks answered `unclear` and everything else silent."""
    return replace(real, scorecard=_card(real, {"status_checks": "unclear"}))


def _block(text: str, question: str) -> str:
    """The text report's block for one question (up to the blank line)."""
    m = re.search(rf"^\S[^\n]*? {question}: [\s\S]*?(?=\n\n)", text, re.M)
    assert m, question
    return m.group(0)


# --- analyze: every format ----------------------------------------------------------------


def test_text_report_says_read_this_clause_yourself(unclear: Analysis) -> None:
    text = report_text(unclear)
    block = _block(text, "status_checks")
    assert block.startswith("UNCLEAR")
    assert f"{CLAUSE}: \u201c{START}" in block  # the sentence to read, with its clause
    assert "read this clause yourself" in block
    assert "does not address" not in block and "missing" not in block.lower() and "No mention" not in block
    assert "Summary: 0 red, 0 green, 6 silent (3 of them gaps the guide counts as red flags), 1 unclear" in text
    assert f"Read yourself: status_checks ({CLAUSE})." in text


def test_text_report_colours_unclear_apart_from_gaps(unclear: Analysis) -> None:
    text = report_text(unclear, color=True)
    unclear_line = next(line for line in text.splitlines() if "status_checks:" in line)
    gap_line = next(line for line in text.splitlines() if "detainers:" in line)
    assert "\x1b[35m" in unclear_line  # magenta
    assert "\x1b[33m" in gap_line and "\x1b[33m" not in unclear_line  # gaps stay yellow


def test_json_keeps_unclear_with_its_evidence(unclear: Analysis) -> None:
    doc = json.loads(report_json(unclear))
    assert [q["id"] for q in doc["questions"]] == list(QUESTION_IDS)
    q = doc["questions"][0]
    assert q["verdict"] == "unclear" and q["gap"] is None
    assert q["evidence"] == [
        {"clause": CLAUSE, "cite": CLAUSE, "flag": "unclear", "text": _sentence(unclear), "matched": "rubric:status_checks", "score": 72.0, "reason": ""}
    ]


def test_markdown_report_shows_the_sentence_to_read(unclear: Analysis) -> None:
    md = report_markdown(unclear)
    row = next(line for line in md.splitlines() if line.startswith("| status_checks:"))
    assert "**UNCLEAR** — read this clause yourself" in row
    assert f"| {CLAUSE} |" in row and START in row
    assert "Not addressed" not in row and "Missing" not in row
    assert "## Read these clauses yourself" in md
    assert f"- **status_checks ({CLAUSE})**" in md
    assert "## What to ask for" in md and "- **status_checks**" not in md.split("## What to ask for")[1].split("##")[0]


def test_html_report_marks_unclear_with_its_own_class(unclear: Analysis) -> None:
    page = report_html(unclear)
    row = re.search(r'<tr id="status_checks">(.*?)</tr>', page, re.S).group(1)
    assert 'class="v v-unclear">UNCLEAR<' in row
    assert f"<b>{CLAUSE}</b><blockquote>{START}" in row
    assert "Read this clause yourself." in row
    assert "Not addressed" not in row and "Missing" not in row and "Ask:" not in row
    assert ".v-unclear {" in page
    assert "Read these clauses yourself:</span> status_checks (3)." in page


def test_counts_include_unclear(unclear: Analysis) -> None:
    assert verdict_counts(unclear.scorecard) == {"red": 0, "green": 0, "silent": 6, "unclear": 1}
    assert verdict_counts(analyze(POLICY).scorecard)["unclear"] == 0


def test_reports_without_unclear_say_nothing_about_it(real: Analysis) -> None:
    card = _card(real, {})
    plain = replace(real, scorecard=card)
    for text in (report_text(plain), report_markdown(plain), report_html(plain)):
        body = text.split("</style>")[-1]  # the page's style sheet names every verdict's colour
        assert "UNCLEAR" not in body and "unclear" not in body and "yourself" not in body


# --- survey: a column, a class, the summary -----------------------------------------------


def test_classes_with_unclear_answers() -> None:
    assert "needs reading" in CLASSES
    assert classify(["unclear"] + ["silent"] * 6) == "needs reading"
    assert classify(["unclear"] * 7) == "needs reading"
    assert classify(["unclear", "red"] + ["silent"] * 5) == "permits"  # one red flag is the policy
    assert classify(["unclear", "green"] + ["silent"] * 5) == "restricts"
    assert classify(["silent"] * 7) == "silent"  # silent means all seven silent


def test_summary_line_says_how_many_need_a_persons_reading() -> None:
    counts = {"permits": 28, "restricts": 3, "silent": 20, "needs reading": 4, "unreadable": 7}
    assert summary_line(62, counts, 9) == (
        "62 policies: 28 permit cooperation, 3 restrict, 20 silent, 4 need reading, 7 unreadable; "
        "9 policies have answers a person must read"
    )
    assert summary_line(2, {"permits": 1, "needs reading": 1}, 1) == (
        "2 policies: 1 permits cooperation, 0 restrict, 0 silent, 1 needs reading, 0 unreadable; "
        "1 policy has an answer a person must read"
    )
    # an unclear answer in a policy that permits cooperation is still reported
    assert summary_line(1, {"permits": 1}, 1) == (
        "1 policy: 1 permits cooperation, 0 restrict, 0 silent, 0 need reading, 0 unreadable; "
        "1 policy has an answer a person must read"
    )


def test_columns_count_unclear() -> None:
    assert COLUMNS[-6:] == ("red", "green", "silent", "unclear", "class", "error")


@pytest.fixture(scope="module")
def surveyed(tmp_path_factory: pytest.TempPathFactory, real: Analysis):
    """A folder of three copies of the policy; the analysis gives each a different card."""
    folder = tmp_path_factory.mktemp("survey")
    for name in ("a-unclear.txt", "b-red-and-unclear.txt", "c-silent.txt"):
        shutil.copy(POLICY, folder / name)
    cards = {
        "a-unclear.txt": _card(real, {"status_checks": "unclear", "raids": "unclear"}),
        "b-red-and-unclear.txt": _card(real, {"lunn": "red", "raids": "unclear"}),
        "c-silent.txt": _card(real, {}),
    }
    import policy_redline.analysis as analysis

    mp = pytest.MonkeyPatch()
    mp.setattr(analysis, "analyze", lambda path: replace(real, scorecard=cards[Path(path).name]))
    try:
        reports = tmp_path_factory.mktemp("reports")
        yield survey(folder, jobs=1, reports_dir=reports)
    finally:
        mp.undo()


def test_survey_rows_count_unclear_and_class_needs_reading(surveyed) -> None:
    rows = {r["file"]: r for r in surveyed.rows}
    a, b, c = rows["a-unclear.txt"], rows["b-red-and-unclear.txt"], rows["c-silent.txt"]
    assert (a["status_checks"], a["raids"], a["unclear"], a["silent"], a["class"]) == ("unclear", "unclear", 2, 5, "needs reading")
    assert (b["unclear"], b["red"], b["class"]) == (1, 1, "permits")
    assert (c["unclear"], c["class"]) == (0, "silent")
    assert surveyed.counts["needs reading"] == 1
    assert surveyed.summary == (
        "3 policies: 1 permits cooperation, 0 restrict, 1 silent, 1 needs reading, 0 unreadable; "
        "2 policies have answers a person must read"
    )


def test_survey_csv_and_json_carry_unclear(surveyed) -> None:
    rows = list(csv.DictReader(io.StringIO(survey_csv(surveyed))))
    assert [(r["file"], r["unclear"], r["class"]) for r in rows] == [
        ("a-unclear.txt", "2", "needs reading"),
        ("b-red-and-unclear.txt", "1", "permits"),
        ("c-silent.txt", "0", "silent"),
    ]
    doc = json.loads(survey_json(surveyed))
    assert [p["unclear"] for p in doc["policies"]] == [2, 1, 0]
    assert doc["summary"]["needs reading"] == 1 and doc["summary"]["policies_to_read"] == 2
    assert doc["summary"]["text"] == surveyed.summary
    assert survey_json(surveyed) == survey_json(surveyed)  # deterministic


def test_survey_html_shows_unclear_cells_and_the_class(surveyed) -> None:
    page = survey_html(surveyed)
    row = re.search(r'<tr data-class="needs reading">(.*?)</tr>', page, re.S).group(1)
    assert 'class="v v-unclear" data-v="unclear"' in row and ">UNCLEAR</td>" in row
    assert '<td class="c-needs-reading" data-sort="2">needs reading</td>' in row
    assert '<option value="needs reading">needs reading</option>' in page  # the class filter
    assert '<option value="unclear">unclear</option>' in page  # the per-question filter
    assert 'data-key="unclear"' in page
    assert "2 policies have answers a person must read" in page
    # the linked report quotes the sentence to read
    report = Path(surveyed.rows[0]["_report"]).read_text(encoding="utf-8")
    assert 'class="v v-unclear">UNCLEAR<' in report and START in report


# --- onepager and draft ---------------------------------------------------------------------


def test_onepager_shows_unclear_with_the_sentence(unclear: Analysis) -> None:
    from policy_redline.onepager import build_onepager
    from policy_redline.writers.onepager import onepager_docx, onepager_html

    page = build_onepager(unclear, date=dt.date(2026, 3, 5))
    row = page.rows[0]
    assert (row.question, row.verdict, row.clause) == ("status_checks", "unclear", CLAUSE)
    assert row.quote.startswith(START)
    assert page.counts()["unclear"] == 1
    assert "status_checks" not in {x.question for x in page.asks}  # nothing to ask until it is read
    html = onepager_html(page)
    cell = re.search(r'<tr id="status_checks">(.*?)</tr>', html, re.S).group(1)
    assert 'class="v v-unclear">UNCLEAR<' in cell
    assert f'<span class="c">{CLAUSE}</span>\u201c{START}' in cell
    assert "Read this clause yourself." in cell
    assert "1 unclear (read it yourself)" in html
    assert f"Also read yourself before the meeting (marked UNCLEAR above): {load_rubric().question('status_checks').short} (3)." in html
    assert "all seven questions with green language" not in html
    assert onepager_docx(page) == onepager_docx(page)  # the .docx writer takes it, reproducibly


def test_onepager_with_nothing_to_ask_but_an_unclear_answer(real: Analysis) -> None:
    from policy_redline.onepager import build_onepager
    from policy_redline.writers.onepager import onepager_html

    greenish = replace(real, scorecard=_card(real, {q: "green" for q in QUESTION_IDS} | {"raids": "unclear"}))
    page = build_onepager(greenish, date=dt.date(2026, 3, 5))
    page = replace(page, asks=())  # whatever the re-judged draft finds, the page has no change to ask
    html = onepager_html(page)
    assert f"None from the draft yet: one answer is UNCLEAR ({load_rubric().question('raids').short})." in html
    assert "green language" not in html


def test_draft_keeps_an_unclear_clause_and_says_to_read_it(unclear: Analysis) -> None:
    from policy_redline.draft import draft
    from policy_redline.writers.markdown_redline import redline_to_markdown

    amendment = draft(unclear, board="the Select Board")
    review = [c for c in amendment.changes if c.action == "review"]
    assert [(c.clause, c.question) for c in review] == [(CLAUSE, "status_checks")]
    assert "read this clause yourself" in review[0].reason
    assert amendment.to_read == tuple(review)
    # neither filled as silent nor replaced as red
    assert not any(c.question == "status_checks" and c.action in ("insert", "replace") for c in amendment.changes)
    assert not any(c.clause == CLAUSE and c.action == "keep" for c in amendment.changes)  # not "green or unrelated"
    # the clause stays as written, with the note on the sentence to read
    para = next(p for p in amendment.paragraphs if p.original.startswith(START))
    assert para.amended == para.original and "read this clause yourself" in para.comment
    assert "read this clause yourself" in redline_to_markdown(amendment.redline())
    # the silent questions are still filled
    assert any(c.action == "insert" and c.question == "agreements_287g" for c in amendment.changes)


def test_draft_with_only_unclear_answers_changes_no_text(real: Analysis) -> None:
    from policy_redline.draft import draft

    greenish = replace(real, scorecard=_card(real, {q: "green" for q in QUESTION_IDS} | {"lunn": "unclear"}))
    amendment = draft(greenish, board="the Select Board")
    assert not amendment.changed
    assert [(c.clause, c.question, c.action) for c in amendment.to_read] == [(CLAUSE, "lunn", "review")]
    assert all(p.original == p.amended for p in amendment.paragraphs)


def test_draft_docx_comments_the_clause_to_read(unclear: Analysis) -> None:
    import zipfile

    from policy_redline.draft import draft
    from policy_redline.writers.docx_redline import redline_to_docx

    data = redline_to_docx(draft(unclear, board="the Select Board").redline())
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        comments = z.read("word/comments.xml").decode("utf-8")
    assert "Status checks: read this clause yourself." in comments
