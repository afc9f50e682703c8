"""What a first-time user meets (issue 15): each test runs `redline` as a user would and
asserts what the user sees: output formats from `-o`, next steps that run as printed,
formats records offices send, names, quotes, typography."""

from __future__ import annotations

import html
import os
import re
import shlex
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import POLICIES, ROOT, run_cli

CHICOPEE = POLICIES / "chicopee-413.docx"


def _out(r: subprocess.CompletedProcess) -> str:
    return r.stdout.decode("utf-8")


def _err(r: subprocess.CompletedProcess) -> str:
    return r.stderr.decode("utf-8")


def _kind(path: Path) -> str:
    data = path.read_bytes()
    if data.startswith(b"PK"):
        return "docx"
    text = data.decode("utf-8")
    if text.lstrip().lower().startswith("<!doctype html"):
        return "html"
    if text.lstrip().startswith("{"):
        return "json"
    if text.startswith("#"):
        return "md"
    return "text"


# --- 1. `-o` picks the format ----------------------------------------------------------------


@pytest.mark.parametrize(
    "args, name, kind",
    [
        (["analyze"], "report.html", "html"),
        (["analyze"], "report.json", "json"),
        (["analyze"], "report.md", "md"),
        (["analyze"], "report.txt", "text"),
        (["draft"], "d.md", "md"),
        (["draft"], "d.html", "html"),
        (["draft"], "d.docx", "docx"),
        (["onepager", "--date", "2026-01-01"], "page.docx", "docx"),
        (["onepager", "--date", "2026-01-01"], "page.html", "html"),
        (["compare"], "c.docx", "docx"),
        (["compare"], "c.html", "html"),
    ],
)
def test_the_output_extension_picks_the_format(tmp_path, args, name, kind):
    r = run_cli(args[0], str(CHICOPEE), *args[1:], "-o", name, cwd=tmp_path)
    assert r.returncode == 0, _err(r)
    assert _kind(tmp_path / name) == kind


def test_request_output_extension_picks_the_format(tmp_path):
    r = run_cli("request", "--department", "Chicopee Police Department", "--date", "2026-01-01", "-o", "letter.docx", cwd=tmp_path)
    assert r.returncode == 0, _err(r)
    assert _kind(tmp_path / "letter.docx") == "docx"


@pytest.mark.parametrize(
    "args",
    [
        ["analyze", str(CHICOPEE), "--format", "json", "-o", "report.html"],
        ["draft", str(CHICOPEE), "--format", "md", "-o", "d.docx"],
        ["onepager", str(CHICOPEE), "--format", "html", "-o", "page.docx"],
        ["compare", str(CHICOPEE), "--format", "text", "-o", "c.docx"],
        ["analyze", str(CHICOPEE), "-o", "report.pdf"],
        ["analyze", str(CHICOPEE), "-o", "report.docx"],
    ],
)
def test_a_format_the_extension_contradicts_is_a_usage_error(tmp_path, args):
    r = run_cli(*args, cwd=tmp_path)
    assert r.returncode == 2
    assert "-o" in _err(r) and "Traceback" not in _err(r)
    assert not any(tmp_path.iterdir()), "nothing is written on a usage error"


def test_a_matching_format_and_an_unknown_extension_still_work(tmp_path):
    r = run_cli("analyze", str(CHICOPEE), "--format", "html", "-o", "report.html", cwd=tmp_path)
    assert r.returncode == 0 and _kind(tmp_path / "report.html") == "html"
    r = run_cli("analyze", str(CHICOPEE), "-o", "report.out", cwd=tmp_path)
    assert r.returncode == 0 and _kind(tmp_path / "report.out") == "text"


# --- 2. next steps run as printed --------------------------------------------------------------


def _run_printed(command: str, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    words = shlex.split(command)
    assert words[0] == "redline", command
    return run_cli(*words[1:], cwd=cwd, input=stdin)


def _in_a_terminal(*args: str, cwd: Path) -> tuple[int, str]:
    """Run `redline` with its standard output on a terminal (a pseudo-terminal)."""
    import pty

    master, slave = pty.openpty()
    env = dict(os.environ, NO_COLOR="1", PYTHONIOENCODING="utf-8")
    p = subprocess.Popen([sys.executable, "-m", "policy_redline", *args], stdout=slave, stderr=subprocess.PIPE, cwd=cwd, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    err = p.stderr.read().decode()
    p.wait(timeout=300)
    os.close(master)
    return p.returncode, err


def test_every_next_step_analyze_prints_runs_as_printed(tmp_path):
    shutil.copy(CHICOPEE, tmp_path / "chicopee-413.docx")
    r = run_cli("analyze", "chicopee-413.docx", cwd=tmp_path)
    nxt = re.search(r"^Next: `([^`]+)`", _out(r), re.M)
    assert nxt, _out(r)
    assert nxt.group(1) == "redline draft chicopee-413.docx -o chicopee-413-redline.docx"
    ran = _run_printed(nxt.group(1), tmp_path)
    assert ran.returncode == 0, _err(ran)
    assert zipfile.is_zipfile(tmp_path / "chicopee-413-redline.docx")

    r = run_cli("analyze", "chicopee-413.docx", "-o", "report.html", cwd=tmp_path)
    page = (tmp_path / "report.html").read_text()
    steps = re.search(r"<h2>Next steps</h2>(.*?)</ul>", page, re.S).group(1)
    commands = [html.unescape(c) for c in re.findall(r"<code>(.*?)</code>", steps)]
    assert len(commands) >= 5
    (tmp_path / "chicopee-413-redline.docx").unlink()
    for command in commands:
        ran = _run_printed(command, tmp_path)
        assert ran.returncode == 0, (command, _err(ran))


def test_the_onepager_footer_command_runs_as_printed(tmp_path):
    shutil.copy(CHICOPEE, tmp_path / "chicopee-413.docx")
    r = run_cli("onepager", "chicopee-413.docx", "--date", "2026-01-01", "-o", "page.html", cwd=tmp_path)
    assert r.returncode == 0, _err(r)
    footer = re.search(r"<footer>.*?</footer>", (tmp_path / "page.html").read_text(), re.S).group(0)
    command = html.unescape(re.findall(r"<code>(.*?)</code>", footer)[-1])
    assert command == "redline draft chicopee-413.docx -o chicopee-413-redline.docx"
    ran = _run_printed(command, tmp_path)
    assert ran.returncode == 0, _err(ran)


def test_the_next_step_for_standard_input_reads_standard_input(tmp_path):
    text = (POLICIES / "chicopee-413.md").read_bytes()
    r = run_cli("analyze", "-", input=text, cwd=tmp_path)
    nxt = re.search(r"^Next: `([^`]+)`", _out(r), re.M).group(1)
    assert nxt == "redline draft - -o policy-redline.docx"
    assert _run_printed(nxt, tmp_path, stdin=text).returncode == 0


def test_a_word_file_to_a_terminal_is_a_usage_error_that_says_what_to_type(tmp_path):
    shutil.copy(CHICOPEE, tmp_path / "chicopee-413.docx")
    code, err = _in_a_terminal("draft", "chicopee-413.docx", cwd=tmp_path)
    assert code == 2, err
    suggested = re.search(r"`(redline [^`]+)`", err).group(1)
    assert suggested == "redline draft chicopee-413.docx -o chicopee-413-redline.docx"
    assert _run_printed(suggested, tmp_path).returncode == 0


# --- 3. RTF and ODT ---------------------------------------------------------------------------

_CHICOPEE_413_4 = (
    "An officer who has a reasonable suspicion that an individual already lawfully contacted or detained has "
    "committed a criminal violation of federal immigration law may detain the person for a reasonable period of "
    "time in order to contact federal immigration officials to verify whether an immigration violation is a "
    "federal civil violation or a criminal violation."
)


def _rtf_escape(text: str) -> str:
    return "".join(c if ord(c) < 128 else f"\\u{ord(c)}?" for c in text)


def test_an_rtf_policy_is_read_as_its_text_not_its_markup(tmp_path):
    paras = [
        r"{\pard\s1\b\fs28 Policy 413\par}",
        r"{\pard\s1\b 413.1 PURPOSE AND SCOPE\par}",
        r"{\pard This policy provides guidelines to members of the Chicopee Police Department relating to "
        r"immigration and interacting with federal immigration officials.\par}",
        r"{\pard\s1\b 413.4 DETENTIONS\par}",
        r"{\pard " + _rtf_escape(_CHICOPEE_413_4.replace("officer who", "officer\u2019s colleague who")) + r"\par}",
    ]
    rtf = (
        r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\froman Times New Roman;}{\f1\fswiss Arial;}}"
        r"{\colortbl;\red0\green0\blue0;}{\stylesheet{\s1 heading 1;}}"
        r"{\*\generator Microsoft Word 16;}{\info{\title Immigration Violations}}"
        "\n" + "\n".join(paras) + "}"
    )
    (tmp_path / "chicopee.rtf").write_text(rtf, encoding="ascii")
    r = run_cli("analyze", "chicopee.rtf", "--format", "json", cwd=tmp_path)
    assert r.returncode == 0, _err(r)
    import json

    report = json.loads(_out(r))
    words = " ".join(e["text"] for q in report["questions"] for e in q["evidence"])
    assert "\\" not in words and "fonttbl" not in _out(r) and "Times New Roman" not in _out(r)
    lunn = next(q for q in report["questions"] if q["id"] == "lunn")
    assert lunn["verdict"] == "red" and lunn["evidence"][0]["clause"] == "413.4"
    assert "officer\u2019s colleague" in lunn["evidence"][0]["text"]


def test_rtf_under_a_text_name_is_still_not_read_as_prose(tmp_path):
    (tmp_path / "policy.txt").write_bytes(rb"{\rtf1\ansi{\fonttbl{\f0 Arial;}}\pard No officer shall detain anyone on an ICE detainer.\par}")
    r = run_cli("analyze", "policy.txt", cwd=tmp_path)
    assert r.returncode == 0, _err(r)
    assert "rtf1" not in _out(r) and "fonttbl" not in _out(r) and "Arial" not in _out(r)


def test_an_odt_policy_is_read(tmp_path):
    from odf.opendocument import OpenDocumentText
    from odf.text import H, List, ListItem, P

    doc = OpenDocumentText()
    doc.text.addElement(H(outlinelevel=1, text="Policy 413: Immigration Violations"))
    doc.text.addElement(H(outlinelevel=2, text="413.4 DETENTIONS"))
    doc.text.addElement(P(text=_CHICOPEE_413_4))
    doc.text.addElement(H(outlinelevel=2, text="413.6 ICE DETAINERS"))
    items = List()
    for t in ("No individual should be held based solely on a federal immigration detainer.",
              "Officers shall notify ICE of the release date of any person in custody."):
        li = ListItem()
        li.addElement(P(text=t))
        items.addElement(li)
    doc.text.addElement(items)
    doc.save(str(tmp_path / "policy.odt"))
    r = run_cli("analyze", "policy.odt", cwd=tmp_path)
    assert r.returncode == 0, _err(r)
    out = _out(r)
    assert out.startswith("Policy 413: Immigration Violations") or "Policy 413: Immigration Violations" in out.splitlines()[0]
    assert "RED FLAG  lunn" in out and "413.4:" in out
    r = run_cli("draft", "policy.odt", "--town", "Chicopee", "-o", "policy-redline.docx", cwd=tmp_path)
    assert r.returncode == 0, _err(r)


@pytest.mark.parametrize("name, data", [
    ("policy.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600),
    ("policy.wpd", b"\xffWPC" + b"\0" * 600),
    ("policy.pages", b"PK\x03\x04" + b"\0" * 600),
])
def test_formats_it_cannot_read_are_refused_in_one_line(tmp_path, name, data):
    (tmp_path / name).write_bytes(data)
    r = run_cli("analyze", name, cwd=tmp_path)
    assert r.returncode == 1
    err = _err(r).strip()
    assert len(err.splitlines()) == 1 and ".docx" in err, err
    assert r.stdout == b""


# --- 4. departments and titles as records name them ------------------------------------------


@pytest.mark.parametrize("masthead, body_name, heading", [
    ("PRINCE WILLIAM COUNTY POLICE DEPARTMENT MANUAL OF GENERAL ORDERS General Order: Effective: DRAFT "
     "Number of Pages: 4 LOCAL ENFORCEMENT RESPONSE TO ILLEGAL IMMIGRATION : GENERAL GUIDELINES",
     "the Police Department",
     "Prince William County Police Department: Local Enforcement Response to Illegal Immigration: General Guidelines"),
    ("Town of Framingham Police Department\n\nPolicy on Enforcement of Immigration Laws #200-15\n\nIssue date 02/2008",
     "the Framingham Police",
     "Framingham Police Department: Policy on Enforcement of Immigration Laws #200-15"),
    ("WORCESTER COUNTY SHERIFF'S OFFICE\n\nImmigration Detainers",
     "the Worcester County Sheriff's Office",
     "Worcester County Sheriff's Office: Immigration Detainers"),
    ("Barnstable County Sheriff's Department\n\nPolicy 12: Cooperation with Federal Immigration Authorities",
     "the Barnstable County Sheriff's Department",
     "Barnstable County Sheriff's Department: Policy 12: Cooperation with Federal Immigration Authorities"),
    ("University of Massachusetts Amherst Police Department\n\n1. PURPOSE AND SCOPE",
     "the University of Massachusetts Amherst Police Department",
     "University of Massachusetts Amherst Police Department"),
    ("Massachusetts Department of Correction\n\n103 DOC 999 Immigration Detainers",
     "the Department of Correction",
     "Massachusetts Department of Correction: 103 DOC 999 Immigration Detainers"),
])
def test_departments_and_titles_as_records_name_them(tmp_path, masthead, body_name, heading):
    body = (f"\n\nA. Members of {body_name} shall not inquire about a person's immigration status.\n\n"
            "B. No person shall be held on an immigration detainer beyond the time of release.\n")
    (tmp_path / "policy.txt").write_text(masthead + body)
    r = run_cli("analyze", "policy.txt", cwd=tmp_path)
    assert r.returncode == 0, _err(r)
    assert _out(r).splitlines()[0] == heading


def test_the_department_of_a_sheriff_is_known_to_draft(tmp_path):
    (tmp_path / "policy.txt").write_text(
        "Worcester County Sheriff's Office\n\nImmigration Detainers\n\n"
        "1. Members of the Worcester County Sheriff's Office may detain a person on an ICE detainer.\n")
    r = run_cli("draft", "policy.txt", "--board", "the County Commissioners", "--format", "json", cwd=tmp_path)
    assert r.returncode == 0, _err(r)
    import json

    got = json.loads(_out(r))
    assert got["department"] == "Worcester County Sheriff's Office"
    assert got["town"] == "Worcester County"


# --- 6. quotes keep the words that earned the flag ---------------------------------------------


def _quoted_words_are_whole(quote: str, sentence: str) -> None:
    inner = quote.strip("\u2026")
    assert inner in sentence, quote
    start = sentence.index(inner)
    end = start + len(inner)
    assert start == 0 or sentence[start - 1] == " ", f"cut mid-word at the start: {quote}"
    assert end == len(sentence) or not sentence[end].isalnum(), f"cut mid-word at the end: {quote}"
    assert quote.startswith("\u2026") == (start > 0) and quote.endswith("\u2026") == (end < len(sentence))


def test_quotes_keep_the_words_that_earned_the_flag(tmp_path):
    r = run_cli("analyze", str(CHICOPEE), cwd=tmp_path)
    out = _out(r)
    block = out[out.index("RED FLAG  lunn"):]
    quote = re.search(r"413\.4: \u201c(.*?)\u201d", block).group(1)
    assert "may detain" in quote and "to contact federal" in quote, quote
    _quoted_words_are_whole(quote, _CHICOPEE_413_4)
    why = re.search(r"why: (.*)", block).group(1)
    assert not re.search(r"\w\u2026$", why) or why.rstrip("\u2026").split()[-1].isalpha()

    r = run_cli("onepager", str(CHICOPEE), "--date", "2026-01-01", "-o", "page.html", cwd=tmp_path)
    page = html.unescape((tmp_path / "page.html").read_text())
    quotes = re.findall(r"\u201c([^\u201d]*)\u201d", page)
    lunn = [q for q in quotes if "may detain" in q and "to contact federal" in q]
    assert lunn, quotes
    for q in quotes:
        if q.strip("\u2026") in _CHICOPEE_413_4:
            _quoted_words_are_whole(q, _CHICOPEE_413_4)


# --- 7. typography is not a change ------------------------------------------------------------


def test_typography_is_not_a_change_in_compare(tmp_path):
    old = ("413.3 VICTIMS AND WITNESSES\n\nMembers shall not ask about a person's immigration status -- "
           "\"never\" -- when they file a report.\n\n413.4 DETENTIONS\n\nAn officer should not detain any individual.\n")
    new = ("413.3 VICTIMS AND WITNESSES\n\nMembers shall not ask about a person\u2019s immigration\u00a0status \u2014 "
           "\u201cnever\u201d \u2014 when they \ufb01le a report.\n\n413.4 DETENTIONS\n\nAn officer shall not detain any individual.\n")
    (tmp_path / "old.txt").write_text(old)
    (tmp_path / "new.txt").write_text(new)
    r = run_cli("compare", "new.txt", "--against", "old.txt", cwd=tmp_path)
    assert r.returncode == 0, _err(r)
    out = _out(r)
    changes = re.findall(r"\[-(.*?)-\]|\{\+(.*?)\+\}", out)
    assert changes == [("should", ""), ("", "shall")] or sorted(changes) == sorted([("", "should"), ("shall", "")]) or (
        {c for pair in changes for c in pair if c} == {"should", "shall"}), out
    assert "person\u2019s" in out  # the newer side's characters are shown
    for fmt in ("md", "html"):
        r = run_cli("compare", "new.txt", "--against", "old.txt", "--format", fmt, cwd=tmp_path)
        page = _out(r)
        assert "person's" not in page.replace("person\u2019s", "") and "person&#x27;s" not in page


def test_typography_in_a_word_redline_is_set_apart_from_the_real_changes(tmp_path):
    # In a Word redline every change stays tracked, so Reject All gives back the original
    # character for character; the typographic ones carry their own author, so a reader can
    # accept or hide them all at once and read the real changes alone.
    from docx import Document as WordDocument

    texts = {
        "old": ("Members shall not ask about a person's immigration status -- \"never\" -- when they file a report.",
                "An officer should not detain any individual."),
        "new": ("Members shall not ask about a person\u2019s immigration\u00a0status \u2014 \u201cnever\u201d \u2014 when they \ufb01le a report.",
                "An officer shall not detain any individual."),
    }
    for name, (first, second) in texts.items():
        d = WordDocument()
        d.add_heading("413.3 VICTIMS AND WITNESSES", 2)
        d.add_paragraph(first)
        d.add_paragraph(second)
        d.save(tmp_path / f"{name}.docx")
    r = run_cli("compare", "new.docx", "--against", "old.docx", "--format", "docx", "-o", "red.docx", cwd=tmp_path)
    assert r.returncode == 0, _err(r)
    body = zipfile.ZipFile(tmp_path / "red.docx").read("word/document.xml").decode("utf-8")
    marks = re.findall(r'<w:(ins|del) [^>]*w:author="([^"]*)"[^>]*>(.*?)</w:\1>', body, re.S)
    words = {(kind, author, "".join(re.findall(r"<w:(?:t|delText)[^>]*>([^<]*)<", inner))) for kind, author, inner in marks}
    assert ("del", "policy-redline", "should") in words and ("ins", "policy-redline", "shall") in words
    typography = {w for k, a, w in words if a == "policy-redline (typography)"}
    assert "person's" in typography and "person\u2019s" in typography
    assert all(a == "policy-redline (typography)" for k, a, w in words if w not in ("should", "shall"))
    if shutil.which("pandoc"):
        rejected = subprocess.run(["pandoc", "--track-changes=reject", "red.docx", "-t", "plain", "--wrap=none"],
                                  cwd=tmp_path, capture_output=True, text=True, check=True).stdout
        assert "a person's immigration status -- \"never\" --" in rejected


# --- 9. small things ----------------------------------------------------------------------------


def test_the_survey_table_shows_the_class_beside_the_file_and_fits_by_scrolling(tmp_path):
    folder = tmp_path / "policies"
    folder.mkdir()
    shutil.copy(CHICOPEE, folder / "a-very-long-file-name-of-a-policy-from-a-records-request-chicopee-413.docx")
    r = run_cli("survey", str(folder), "-o", "table.html", "--jobs", "1", cwd=tmp_path)
    assert r.returncode == 0, _err(r)
    page = (tmp_path / "table.html").read_text()
    keys = re.findall(r'<th data-key="([^"]+)"', page)
    assert keys[:2] == ["file", "class"]
    assert '<div class="scroll"><table id="survey">' in page and "overflow-wrap: anywhere" in page
    row = re.search(r"<tbody>\s*<tr[^>]*>(.*?)</tr>", page, re.S).group(1)
    assert "Permits cooperation" in re.findall(r"<td[^>]*>(.*?)</td>", row)[1] or "ermits" in re.findall(r"<td[^>]*>(.*?)</td>", row)[1]


def test_missing_template_sections_are_named_by_their_headings(tmp_path):
    (tmp_path / "part.txt").write_text(
        "413.5 FEDERAL REQUESTS\n\nRequests by federal immigration officials for assistance from this department "
        "should be directed to a supervisor. The Department may provide available support services.\n")
    r = run_cli("analyze", "part.txt", cwd=tmp_path)
    line = next(l for l in _out(r).splitlines() if l.startswith("Boilerplate:"))
    assert "\u201cVictims and Witnesses\u201d" in line and "413.3" not in line, line


def test_models_show_public_sources_not_the_projects_file_names():
    r = run_cli("models")
    sources = [l for l in _out(r).splitlines() if l.strip().startswith("source:")]
    assert sources
    assert not any("tests/" in s or "seed " in s or ".txt" in s for s in sources), sources


def test_the_example_policies_readme_names_no_path_a_user_does_not_have():
    text = (POLICIES / "README.md").read_text()
    assert "/tmp/" not in text and "/work/" not in text


def test_the_draft_page_shows_no_made_up_date(tmp_path):
    r = run_cli("draft", str(CHICOPEE), "-o", "d.html", cwd=tmp_path)
    assert r.returncode == 0, _err(r)
    prepared = re.search(r"Prepared by[^<]*", (tmp_path / "d.html").read_text()).group(0)
    assert "2026-01-01" not in prepared
    r = run_cli("draft", str(CHICOPEE), "--date", "2026-03-02", "-o", "e.html", cwd=tmp_path)
    assert "2026-03-02" in re.search(r"Prepared by[^<]*", (tmp_path / "e.html").read_text()).group(0)


def test_evidence_cites_labels_the_reader_finds_in_the_document():
    # New York's bill numbers its sections 319, 319-A … 319-H and their subdivisions 1., 2.;
    # every clause the analysis cites must be one a reader can find there.
    import json

    path = ROOT / "tests" / "corpus" / "ny-new-york-state_s257-access-to-services-and-law-enforcement.txt"
    text = path.read_text(encoding="utf-8")
    r = run_cli("analyze", str(path), "--format", "json")
    assert r.returncode == 0, _err(r)
    cites = [e["cite"] for q in json.loads(_out(r))["questions"] for e in q["evidence"]]
    assert "319-C" in cites
    for cite in cites:
        if cite.startswith("¶"):
            continue  # a paragraph count where the document numbers nothing
        if cite.startswith("\u201c"):
            assert cite.strip("\u201c\u201d") in text
            continue
        section = cite.split(",")[0].split(".")[0]
        assert re.search(rf"§ {re.escape(section)}\.", text), cite
        assert not re.search(r"-\d+$", cite), cite


def test_compare_against_the_model_reads_topic_by_topic():
    r = run_cli("compare", str(CHICOPEE), "--against", "model-policy")
    assert r.returncode == 0, _err(r)
    out = _out(r)
    assert "413.6 INFORMATION SHARING  <->  model-policy 4 Information sharing  [same topic]" in out
    assert "413.6.1 IMMIGRATION DETAINERS  <->  model-policy 6 Immigration detainers and administrative warrants  [same topic]" in out
    assert "(nothing)  <->  model-policy 4 Information sharing" not in out
    assert "7 of them paired with its clause on the same topic" in out


def test_two_towns_sections_under_the_same_heading_are_paired(tmp_path):
    mine = tmp_path / "quinnet.txt"
    theirs = tmp_path / "marrow-bay.txt"
    mine.write_text(
        "Quinnet Police Department\n\nPolicy 413: Immigration\n\n413.1 PURPOSE AND SCOPE\n\n"
        "This policy tells Quinnet officers how to deal with federal immigration agents.\n\n"
        "413.2 INFORMATION SHARING\n\nNo Quinnet officer shall give ICE any information about any person.\n",
        encoding="utf-8",
    )
    theirs.write_text(
        "Marrow Bay Police Department\n\nPolicy 413: Immigration\n\n413.1 PURPOSE AND SCOPE\n\n"
        "Marrow Bay wants every resident to feel safe calling the police, whatever their status.\n\n"
        "413.2 INFORMATION SHARING\n\nMarrow Bay officers may answer questions from ICE about people in custody.\n",
        encoding="utf-8",
    )
    r = run_cli("compare", str(mine), "--against", str(theirs))
    assert r.returncode == 0, _err(r)
    out = _out(r)
    assert "413.1 PURPOSE AND SCOPE  <->  marrow-bay 413.1 PURPOSE AND SCOPE  [same topic]" in out
    assert "(nothing)  <->" not in out
