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
