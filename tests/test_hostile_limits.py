"""Bounded time and memory on every input (issue 17).

The hostile files are built here by `tests/hostile_files.py` (flate-bomb PDF, a .docx that
inflates to hundreds of MB of XML under the ratio check, deep HTML and XML, a giant single
line, lying charsets, a named pipe …). Each ends in exit 1 and one line within 10 s and
500 MB; a survey of them beside good policies finishes and leaves the good rows unchanged;
workers are limited, capped and stopped with the survey; outputs and option values are safe.
"""

from __future__ import annotations

import csv
import io
import os
import signal
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from conftest import POLICIES, ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hostile_files as hf
from policy_redline import analysis
from policy_redline.survey import Limits, cap_jobs, survey, survey_csv

BOUND_S = 10.0
BOUND_MB = 500
GOOD = POLICIES / "chicopee-413.md"


def _env() -> dict:
    env = dict(os.environ, NO_COLOR="1", PYTHONIOENCODING="utf-8", PYTHONHASHSEED="0")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT / "cli"), env.get("PYTHONPATH", "")) if p)
    env.pop("POLICY_REDLINE_DEBUG", None)
    return env


def measured(*args, cwd: Path | None = None, timeout: float = 60) -> tuple[int, str, str, float, float]:
    """Run `redline ARGS`; (exit status, stdout, stderr, seconds, peak MB of that process)."""
    try:
        rc, seconds, peak, out, err = hf.measure([sys.executable, "-m", "policy_redline", *args],
                                                 cwd=cwd or ROOT, env=_env(), timeout=timeout)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"redline {args} still running after {timeout} s") from None
    return rc, out, err, seconds, peak


# Smaller than the bench's versions where the budget is crossed anyway (a faster test).
SMALL = {
    "flate-bomb.pdf": lambda p: hf.flate_bomb_pdf(p, pages=6),
    "many-pages.pdf": lambda p: hf.many_pages_pdf(p, pages=1600),
    "inflating.docx": lambda p: hf.inflating_docx(p, megabytes=40),
    "giant-line.txt": lambda p: hf.giant_line_txt(p, megabytes=9),
    "giant-word.txt": lambda p: hf.giant_word_txt(p, megabytes=9),
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    for name, (build, _words) in hf.CASES.items():
        SMALL.get(name, build)(folder / name)
    for name, build in hf.READABLE.items():
        build(folder / name)
    return folder


@pytest.mark.parametrize("name", sorted(hf.CASES))
def test_hostile_file_is_one_line_within_bounds(hostile: Path, name: str) -> None:
    rc, out, err, seconds, peak = measured("analyze", str(hostile / name))
    assert rc == 1, (rc, err)
    assert out == ""
    assert err.count("\n") == 1 and err.startswith(f"redline: {hostile / name}: "), err
    assert hf.CASES[name][1] in err, err
    assert "internal error" not in err and "Traceback" not in err
    assert seconds < BOUND_S, seconds
    assert peak < BOUND_MB, peak


@pytest.mark.parametrize("name", sorted(hf.READABLE))
def test_untrusted_declarations_are_read(hostile: Path, name: str) -> None:
    rc, out, err, seconds, peak = measured("analyze", str(hostile / name), "--format", "json")
    assert rc == 0, err
    assert "LookupError" not in out + err and "\ufffd\ufffd" not in out
    assert "immigration status" in out


def test_lying_charset_reads_the_bytes_as_they_are(hostile: Path) -> None:
    from policy_redline.ingest import read_policy

    doc = read_policy(hostile / "lying-charset.html")
    assert doc.blocks[0].text.startswith("\u201cOfficers shall not inquire")


def test_lone_surrogate_from_a_pdf_is_replaced(hostile: Path, tmp_path: Path) -> None:
    rc, out, err, *_ = measured("analyze", str(hostile / "surrogate.pdf"), "-o", str(tmp_path / "r.md"))
    assert rc == 0, err
    assert "\ufffd" in (tmp_path / "r.md").read_text(encoding="utf-8")


# ------------------------------------------------------------------ only regular files

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")


@needs_fifo
def test_named_pipe_never_blocks(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    for args in (("analyze", str(fifo)), ("compare", str(GOOD), "--against", str(fifo)),
                 ("draft", str(fifo), "--town", "Chicopee"), ("onepager", str(fifo))):
        rc, out, err, seconds, _ = measured(*args, timeout=20)
        assert rc == 1 and "is a named pipe" in err and err.count("\n") == 1, (args, err)
    docx_fifo = tmp_path / "pipe.docx"
    os.mkfifo(docx_fifo)
    rc, _, err, *_ = measured("compare", str(docx_fifo), "--against", str(POLICIES / "chicopee-413.docx"),
                              "--format", "docx", "-o", str(tmp_path / "x.docx"), timeout=20)
    assert rc == 1 and "named pipe" in err, err


def test_devices_and_directories_are_refused(tmp_path: Path) -> None:
    rc, _, err, *_ = measured("analyze", "/dev/zero")
    assert rc == 1 and "is a device" in err
    rc, _, err, *_ = measured("compare", str(GOOD), "--against", str(tmp_path))
    assert rc == 1 and "directory" in err


# ------------------------------------------------------------------ the survey

def _good_rows(result) -> list[dict]:
    return [r for r in result.public_rows() if not r["file"].startswith("hostile/")]


@needs_fifo
def test_survey_of_hostile_files_beside_good_ones(hostile: Path, tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    for p in POLICIES.iterdir():
        if p.suffix in (".md", ".docx", ".pdf", ".txt") and p.name != "README.md":
            (folder / p.name).write_bytes(p.read_bytes())
    clean = survey(folder, jobs=2)
    (folder / "hostile").mkdir()
    for p in hostile.iterdir():
        (folder / "hostile" / p.name).write_bytes(p.read_bytes())
    os.mkfifo(folder / "hostile" / "pipe.txt")
    (folder / "hostile" / "outside.md").symlink_to(GOOD)
    start = time.monotonic()
    mixed = survey(folder, jobs=2)
    assert time.monotonic() - start < 120
    assert _good_rows(mixed) == clean.public_rows()
    rows = {r["file"]: r for r in mixed.public_rows()}
    assert rows["hostile/pipe.txt"]["class"] == "unreadable"
    assert "named pipe" in rows["hostile/pipe.txt"]["error"]
    assert "outside the surveyed folder" in rows["hostile/outside.md"]["error"]
    for name in hf.CASES:
        assert rows[f"hostile/{name}"]["class"] == "unreadable", name


def test_jobs_are_capped() -> None:
    cores = os.cpu_count() or 1
    assert cap_jobs(10_000) == 4 * cores
    assert cap_jobs(10_000, 3) == min(3, 4 * cores)
    assert cap_jobs(None) == cores and cap_jobs(0) == 1


def test_survey_with_ten_thousand_jobs(tmp_path: Path) -> None:
    for i in range(3):
        (tmp_path / f"p{i}.md").write_bytes(GOOD.read_bytes())
    rc, out, err, seconds, _ = measured("survey", str(tmp_path), "--jobs", "10000")
    assert rc == 0, err
    assert seconds < 60
    assert len(out.splitlines()) == 4


def _slow(path):  # stands in for an analysis that never ends
    time.sleep(60)


def _greedy(path):  # stands in for an analysis that takes the machine's memory
    hog = bytearray(400 * 1024 * 1024)
    for i in range(0, len(hog), 4096):
        hog[i] = 1
    time.sleep(60)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked workers inherit the patch")
def test_worker_past_the_time_limit_is_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("a.md", "b.md", "c.md"):
        (tmp_path / name).write_bytes(GOOD.read_bytes())
    real = analysis.analyze
    monkeypatch.setattr(analysis, "analyze", lambda p: _slow(p) if str(p).endswith("b.md") else real(p))
    start = time.monotonic()
    result = survey(tmp_path, jobs=2, limits=Limits(seconds=2, memory_mb=0))
    assert time.monotonic() - start < 30
    rows = {r["file"]: r for r in result.public_rows()}
    assert rows["b.md"]["error"] == "timed out after 2 s" and rows["b.md"]["class"] == "unreadable"
    assert rows["a.md"]["class"] == rows["c.md"]["class"] == "permits"


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="memory is read from /proc")
def test_worker_past_the_memory_limit_is_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("a.md", "b.md"):
        (tmp_path / name).write_bytes(GOOD.read_bytes())
    real = analysis.analyze
    monkeypatch.setattr(analysis, "analyze", lambda p: _greedy(p) if str(p).endswith("b.md") else real(p))
    result = survey(tmp_path, jobs=1, limits=Limits(seconds=60, memory_mb=150))
    rows = {r["file"]: r for r in result.public_rows()}
    assert rows["b.md"]["error"].startswith("too large to analyse"), rows["b.md"]
    assert rows["a.md"]["class"] == "permits"


def _children(pid: int) -> list[int]:
    try:
        return [int(x) for x in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


@pytest.mark.skipif(not os.path.exists("/proc/self/task"), reason="children are read from /proc")
@pytest.mark.parametrize("sig, code", [(signal.SIGTERM, 143), (signal.SIGHUP, 129), (signal.SIGINT, 130)])
def test_signals_stop_the_survey_and_its_workers(tmp_path: Path, sig: int, code: int) -> None:
    big = "Officers shall not inquire about the immigration status of any person. " * 40
    # Just under the 250,000-word limit, so each takes seconds to analyse (a file over it is
    # refused at once, and the survey could end before the signal is sent).
    (tmp_path / "big.txt").write_text("\n\n".join([big] * 450))
    (tmp_path / "big2.txt").write_text("\n\n".join([big] * 451))
    # A shell starts background jobs with SIGINT ignored, and a child inherits that; the user's
    # terminal does not, so the survey is started with the default disposition.
    proc = subprocess.Popen([sys.executable, "-m", "policy_redline", "survey", str(tmp_path), "--jobs", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=_env(), cwd=ROOT,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    workers: list[int] = []
    for _ in range(200):
        workers = _children(proc.pid)
        if len(workers) >= 2:
            break
        time.sleep(0.05)
    assert workers, "no workers started"
    time.sleep(0.5)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=20)
    assert proc.returncode == code, err
    time.sleep(0.5)
    for w in workers:
        alive = Path(f"/proc/{w}").exists() and "Z" not in Path(f"/proc/{w}/stat").read_text().split()[2]
        assert not alive, f"worker {w} still running"


def test_survey_skips_its_own_earlier_outputs(tmp_path: Path) -> None:
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "a.md").write_bytes(GOOD.read_bytes())
    rc, _, err, *_ = measured("survey", str(folder), "-o", str(folder / "table.html"), "--reports", str(folder / "reports"))
    assert rc == 0, err
    assert (folder / "reports").is_dir() and (folder / "table.html").exists()
    rc, out, err, *_ = measured("survey", str(folder))
    assert rc == 0, err
    assert [r["file"] for r in csv.DictReader(io.StringIO(out))] == ["a.md"]


def test_file_names_with_control_characters_are_neutralised(tmp_path: Path) -> None:
    (tmp_path / "x\r=HYPERLINK(1).txt").write_text("Officers shall not inquire about immigration status.")
    (tmp_path / "\x1b[31mred.txt").write_text("Officers shall not inquire about immigration status.")
    rc, out, err, *_ = measured("survey", str(tmp_path))
    assert rc == 0, err
    assert "\x1b" not in out + err and "\r" not in out
    files = [r["file"] for r in csv.DictReader(io.StringIO(out))]
    assert files == ["\\x1b[31mred.txt", "x\\x0d=HYPERLINK(1).txt"]
    result = survey(tmp_path, jobs=1)
    for line in survey_csv(result).splitlines()[1:]:
        assert line[:1] not in "=+-@"


# ------------------------------------------------------------------ -o

def test_output_never_replaces_a_device_or_pipe(tmp_path: Path) -> None:
    targets = []
    if os.geteuid() == 0:
        dev = tmp_path / "null"
        os.mknod(dev, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        targets.append(dev)
        link = tmp_path / "link.txt"
        link.symlink_to(dev)
        targets.append(link)
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "fifo.txt"
        os.mkfifo(fifo)
        targets.append(fifo)
    targets.append(Path("/dev/null"))  # as root this must still refuse; not root: refused too
    for target in targets:
        before = os.lstat(target)
        rc, _, err, *_ = measured("analyze", str(GOOD), "--format", "text", "-o", str(target), "--force", timeout=20)
        assert rc == 1 and "writes only regular files" in err, (target, err)
        after = os.lstat(target)
        assert (before.st_mode, before.st_ino, before.st_rdev) == (after.st_mode, after.st_ino, after.st_rdev)


def test_long_output_name(tmp_path: Path) -> None:
    out = tmp_path / ("n" * 246 + ".txt")
    rc, _, err, *_ = measured("analyze", str(GOOD), "-o", str(out))
    assert rc == 0, err
    assert out.exists() and sorted(p.name for p in tmp_path.iterdir()) == [out.name]


# ------------------------------------------------------------------ option values

@pytest.mark.parametrize("args", [
    ("draft", str(GOOD), "--date", "not-a-date"),
    ("compare", str(GOOD), "--date", "not-a-date"),
    ("request", "--department", "X Police Department", "--date", "not-a-date"),
    ("request", "--department", "X Police Department", "--since", "2025-02-30"),
    ("onepager", str(GOOD), "--date", "not-a-date"),
    ("draft", str(GOOD), "--department", "Bad\x07Name"),
    ("draft", str(GOOD), "--town", "T" * 120_000),
    ("onepager", str(GOOD), "--town", "x\x1b[2J"),
    ("request", "--department", "Dept", "--requester", "\udcff"),
])
def test_bad_option_values_are_usage_errors(args: tuple[str, ...]) -> None:
    rc, out, err, seconds, _ = measured(*args)
    assert rc == 2, (rc, err)
    assert "Invalid value for" in err and "internal error" not in err
    assert seconds < BOUND_S


def test_invalid_utf8_in_an_option() -> None:
    rc, _, err, *_ = measured("draft", str(GOOD), "--town", b"Spring\xfffield".decode("utf-8", "surrogateescape"))
    assert rc == 2 and "not valid UTF-8" in err, err


COMMANDS = {
    "analyze": [str(GOOD)],
    "draft": [str(GOOD), "--format", "json", "--board", "the City Council"],
    "onepager": [str(GOOD), "--date", "2026-01-01"],
    "request": ["--department", "Chicopee Police Department"],
    "compare": [str(GOOD), "--format", "text"],
}
OPTIONS = {
    "analyze": ["--format"],
    "draft": ["--town", "--department", "--board", "--author", "--date"],
    "onepager": ["--town", "--department", "--date"],
    "request": ["--requester", "--email", "--address", "--date", "--since", "--fee-limit"],
    "compare": ["--against", "--author", "--date"],
}


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(command=st.sampled_from(sorted(COMMANDS)), data=st.data())
def test_random_option_values_never_an_internal_error(command: str, data, capsys: pytest.CaptureFixture[str]) -> None:
    from policy_redline.cli import main

    option = data.draw(st.sampled_from(OPTIONS[command]))
    value = data.draw(st.one_of(
        st.text(max_size=30),
        st.text(st.characters(), min_size=1, max_size=300),
        st.sampled_from(["", " ", "-", "--", "2026-02-30", "9999-99-99", "\x00", "\ud800", "a" * 5000,
                         "../../etc/passwd", "/dev/null", "nul", "lexipol-immigration-violations"]),
    ))
    args = [command, *COMMANDS[command], option, value]
    if "\x00" in value:
        return  # a command line cannot hold NUL
    try:
        main(args)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    err = capsys.readouterr().err
    assert code in (0, 1, 2), (args, code, err)
    assert "internal error" not in err, (args, err)
