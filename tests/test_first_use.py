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
