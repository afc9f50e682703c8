"""Hostile and broken input, end to end through the real `redline` command.

Every bad file is generated here (nothing is downloaded). For each one, every command that
reads a policy exits 1 with exactly one line on standard error, `redline: FILE: REASON`,
within a generous time bound and without a traceback; the encodings that are not UTF-8 are
read correctly. Outputs are written atomically, never over an input, never over an existing
file without `--force`, and a failed run leaves nothing behind. The same input gives
byte-identical output, whatever the process's hash seed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import POLICIES, ROOT
from formats import write_policy
from test_bad_input import BILLION_LAUGHS, EXTERNAL_ENTITY, POLICY, _bomb, replace_member

from policy_redline import output as output_module
from policy_redline.errors import InputError
from policy_redline.ingest import MAX_FILE_BYTES
from policy_redline.readers.ocr import missing as _ocr_missing

BOUND_S = 60  # generous: one run takes a second or two; a hang or a runaway parse fails
LEXIPOL = POLICIES / "chicopee-413.docx"


def redline(*args: str, input: bytes | None = None, cwd: Path | None = None, hashseed: str = "0",
            prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    """`redline ARGS` in a separate process (like conftest.run_cli, with a bounded time and
    a chosen hash seed, and optionally run under `prefix`, e.g. setpriv)."""
    env = dict(os.environ, NO_COLOR="1", PYTHONIOENCODING="utf-8", PYTHONHASHSEED=hashseed)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT / "cli"), env.get("PYTHONPATH", "")) if p)
    env.pop("POLICY_REDLINE_DEBUG", None)
    return subprocess.run([*prefix, sys.executable, "-m", "policy_redline", *args], input=input,
                          capture_output=True, cwd=cwd or ROOT, env=env, timeout=BOUND_S)


def _has_command(name: str) -> bool:
    return redline(name, "--help").returncode == 0


HAS_COMPARE = _has_command("compare")
HAS_SURVEY = _has_command("survey")


# ------------------------------------------------------------------------------ the corpus

ENCRYPTED_REASON = ("encrypted PDF: it cannot be opened without a password; save an unlocked copy "
                    "(e.g. `qpdf --password=PASSWORD --decrypt in.pdf out.pdf`) and try again")
ENTITIES_REASON = "the .docx declares XML entities; refusing to read it"
TOO_LONG_WORDS = 260_000

#: file name -> the exact reason every command gives for it
BAD: dict[str, str] = {
    "empty.txt": "the file is empty",
    "blank.md": "the file is empty",
    "zero-byte.docx": "the file is empty",
    "zero-byte.pdf": "the file is empty",
    "not-a-zip.docx": "not a Word .docx file (not a zip archive)",
    "no-document-xml.docx": "not a Word .docx file (a zip archive with no word/document.xml)",
    "legacy-word.docx": "encrypted or legacy .doc file: save it as .docx",
    "billion-laughs.docx": ENTITIES_REASON,
    "external-entity.docx": ENTITIES_REASON,
    "zip-bomb.docx": ("the .docx member word/document.xml is compressed more than 200:1 "
                      "(a zip bomb?); refusing to read it"),
    "encrypted.pdf": ENCRYPTED_REASON,
    # read by OCR where Tesseract is installed (it finds no words in a grey box)
    "scanned.pdf": ("no text layer, and OCR found no words on its 1 page (a picture or a blank scan?); "
                    "scan the policy's pages again and try again") if _ocr_missing() is None else
                   ("no text layer: this looks like a scanned PDF; install Tesseract (`apt-get install "
                    "tesseract-ocr tesseract-ocr-eng`) to read it with OCR (or run OCR first, e.g. "
                    "`ocrmypdf in.pdf out.pdf`) and try again"),
    "truncated.pdf": "truncated PDF (the end of the file is missing): download or export it again",
    "not-a-pdf.pdf": "not a PDF file (no %PDF- header)",
    "binary.txt": "this is not a text file (binary data)",
    "pdf-named.txt": "this is not a text file (binary data: it looks like a PDF; rename it to .pdf)",
    "over-50-mb.txt": "file is larger than the 50 MB limit",
    "a folder": "is a directory, not a policy file (use `redline survey` for folders)",
    "missing.pdf": "no such file",
    "only-a-script.html": "the document contains no text",
    "unknown.xyz": ("unsupported file type .xyz (supported: .pdf, .docx, .txt, .md, .markdown, "
                    ".html, .htm, .rtf, .odt)"),
    "whole-manual.txt": (f"too long to analyse: {TOO_LONG_WORDS:,} words (the limit is 250,000); "
                         "give the immigration policy alone, not the whole manual"),
    "six-thousand-sections.txt": ("too long to analyse: 6,000 paragraphs (the limit is 5,000); "
                                  "give the immigration policy alone, not the whole manual"),
}

#: file name -> (a string that must survive into the output, the policy's first line)
ENCODED = {
    "cp1252.txt": ("cp1252", "Política de Inmigración “Café” — 2024"),
    "latin-1.txt": ("latin-1", "Política de Inmigración «Señor» ½"),
    "utf-16-bom.txt": ("utf-16", "Política de Inmigración “Café” ✓ 2024"),
    "utf-8-bom.txt": ("utf-8-sig", "Política de Inmigración “Café” 2024"),
}
BODY = ("Officers shall not ask about a person’s immigration status.\n\n"
        "No officer shall detain a person on a civil immigration detainer.\n")
ASKS = "Officers shall not ask about a person’s immigration status."


def _body(encoding: str) -> str:
    """latin-1 has no curly apostrophe: the policy then uses a straight one."""
    return BODY if encoding != "latin-1" else BODY.replace("’", "'")


def _build_corpus(folder: Path) -> None:
    real_docx = write_policy(POLICY, "docx", folder / "_real.docx").read_bytes()
    real_pdf = write_policy(POLICY, "pdf", folder / "_real.pdf").read_bytes()
    (folder / "_real.docx").unlink()
    (folder / "_real.pdf").unlink()

    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.md").write_bytes(b"\xef\xbb\xbf \n\t\r\n  \n")
    (folder / "zero-byte.docx").write_bytes(b"")
    (folder / "zero-byte.pdf").write_bytes(b"")
    (folder / "not-a-zip.docx").write_bytes(b"This is plain text pretending to be a Word document.")
    with zipfile.ZipFile(folder / "no-document-xml.docx", "w") as zf:
        zf.writestr("readme.txt", "hello")
    (folder / "legacy-word.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    (folder / "billion-laughs.docx").write_bytes(replace_member(real_docx, "word/document.xml", BILLION_LAUGHS))
    (folder / "external-entity.docx").write_bytes(replace_member(real_docx, "word/document.xml", EXTERNAL_ENTITY))
    _bomb(folder / "zip-bomb.docx", 32)

    import io

    from fpdf import FPDF
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(real_pdf)).pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    with open(folder / "encrypted.pdf", "wb") as fh:
        writer.write(fh)
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 120, 80, style="F")
    pdf.output(str(folder / "scanned.pdf"))
    (folder / "truncated.pdf").write_bytes(real_pdf[: len(real_pdf) // 2])
    (folder / "not-a-pdf.pdf").write_text("Just some text with a .pdf name.")

    (folder / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (folder / "pdf-named.txt").write_bytes(real_pdf)
    with open(folder / "over-50-mb.txt", "wb") as fh:  # sparse: instant, never read
        fh.seek(MAX_FILE_BYTES + 10)
        fh.write(b"x")
    (folder / "a folder").mkdir()
    (folder / "only-a-script.html").write_text(
        "<html><head><script>alert('x')</script></head><body><script>document.write(1)</script></body></html>")
    (folder / "unknown.xyz").write_bytes(bytes(range(256)) * 16)
    # valid text, but far more than one policy: refused quickly, not analysed for minutes
    words = "Officers shall report every request in writing to the chief".split()
    paragraph = " ".join(words[i % len(words)] for i in range(40))
    (folder / "whole-manual.txt").write_text("\n\n".join([paragraph] * (TOO_LONG_WORDS // 40)) + "\n")
    (folder / "six-thousand-sections.txt").write_text(
        "\n\n".join(f"{i // 10 + 1}.{i % 10 + 1} Officers shall report." for i in range(6000)) + "\n")

    for name, (encoding, first) in ENCODED.items():
        (folder / name).write_bytes(f"{first}\n\n{_body(encoding)}".encode(encoding))
    (folder / "Política de Inmigración 2024 (final).txt").write_text(
        f"Política de Inmigración\n\n{BODY}", encoding="utf-8")
    (folder / "with-scripts.html").write_text(
        "<html><head><title>Policy</title><script>alert('INJECTED')</script></head><body>"
        "<h1>Immigration Policy</h1><script>document.write('INJECTED2')</script>"
        "<p>Officers shall not ask about a person’s immigration status.</p>"
        "<p onclick=\"alert('INJECTED3')\">No officer shall detain a person on a civil "
        "immigration detainer.</p><style>p{content:'INJECTED4'}</style></body></html>")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    _build_corpus(folder)
    return folder


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def assert_one_line_error(result: subprocess.CompletedProcess, path: Path | str, reason: str) -> None:
    err = result.stderr.decode("utf-8")
    assert result.returncode == 1, (result.returncode, err)
    assert "Traceback" not in err
    assert err == f"redline: {path}: {reason}\n"
    assert result.stdout == b""


# ------------------------------------------------------------------------------ bad inputs

COMMANDS = {
    "analyze": ("analyze", "--format", "json"),
    "draft": ("draft", "--town", "Testville", "--board", "the Select Board", "--format", "md"),
    "compare": ("compare", "--format", "md"),
}


def _command_params() -> list:
    out = []
    for name in COMMANDS:
        marks = [pytest.mark.skipif(not HAS_COMPARE, reason="no compare command yet")] if name == "compare" else []
        out.append(pytest.param(name, marks=marks, id=name))
    return out


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_is_one_line_and_exit_1(corpus: Path, name: str) -> None:
    """`redline analyze` in its own process, for every case."""
    verb, *options = COMMANDS["analyze"]
    path = corpus / name
    before = _listing(corpus)
    result = redline(verb, str(path), *options)
    assert_one_line_error(result, path, BAD[name])
    assert _listing(corpus) == before  # nothing written next to the input


def run_main(capfd: pytest.CaptureFixture[str], *args: str) -> subprocess.CompletedProcess:
    """`redline ARGS` through `cli.main`, the console script's own entry point, in this
    process (the same argument parsing and error handling, without a second of start-up
    per case); the streams are captured at the file-descriptor level."""
    from policy_redline.cli import main

    capfd.readouterr()
    code = 0
    try:
        main(list(args))
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capfd.readouterr()
    return subprocess.CompletedProcess(args, code, out.encode("utf-8"), err.encode("utf-8"))


@pytest.mark.parametrize("command", [c for c in _command_params() if c.id != "analyze"])
def test_bad_input_every_command(corpus: Path, command: str, capfd: pytest.CaptureFixture[str]) -> None:
    """draft and compare give the same one line for every case (through `cli.main`), and in
    their own process for a few."""
    verb, *options = COMMANDS[command]
    before = _listing(corpus)
    for name in sorted(BAD):
        path = corpus / name
        assert_one_line_error(run_main(capfd, verb, str(path), *options), path, BAD[name])
    for name in ("zip-bomb.docx", "encrypted.pdf", "whole-manual.txt"):
        path = corpus / name
        assert_one_line_error(redline(verb, str(path), *options), path, BAD[name])
    assert _listing(corpus) == before


@pytest.mark.parametrize("command", _command_params())
def test_bad_input_with_output_file_leaves_nothing(corpus: Path, tmp_path: Path, command: str) -> None:
    verb, *options = COMMANDS[command]
    out = tmp_path / "out.txt"
    for name in ("truncated.pdf", "zip-bomb.docx", "binary.txt"):
        result = redline(verb, str(corpus / name), *options, "-o", str(out))
        assert_one_line_error(result, corpus / name, BAD[name])
        assert list(tmp_path.iterdir()) == []  # no output, no temporary file


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("Officers shall not ask about immigration status.\n")
    path.chmod(0)
    prefix: tuple[str, ...] = ()
    if os.geteuid() == 0:
        # root reads anything; without the two capabilities that let it, it is refused like
        # anyone else (setpriv is util-linux; skip where it is missing or not permitted)
        setpriv = shutil.which("setpriv")
        if not setpriv:
            pytest.skip("running as root without setpriv")
        prefix = (setpriv, "--bounding-set=-dac_override,-dac_read_search")
        probe = subprocess.run([*prefix, "cat", str(path)], capture_output=True)
        if probe.returncode == 0:
            pytest.skip("cannot drop root's read-anything capability here")
    try:
        for verb, *options in (COMMANDS["analyze"], COMMANDS["draft"]):
            result = redline(verb, str(path), *options, prefix=prefix)
            assert_one_line_error(result, path, "cannot be read (permission denied)")
    finally:
        path.chmod(0o644)


def test_bad_standard_input() -> None:
    assert_one_line_error(redline("analyze", "-", input=b""), "<stdin>", "the file is empty")
    assert_one_line_error(redline("analyze", "-", input=bytes(range(256)) * 64), "<stdin>",
                          "this is not a text file (binary data)")
    assert_one_line_error(redline("draft", "-", "--format", "md", input=b"\x00\x00\n"), "<stdin>",
                          "the file is empty")


# ------------------------------------------------------------------------------ read correctly

@pytest.mark.parametrize("name", sorted(ENCODED))
def test_other_encodings_are_read_correctly(corpus: Path, name: str) -> None:
    encoding, first = ENCODED[name]
    result = redline("analyze", str(corpus / name), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["policy"]["title"] == first  # accents, curly quotes, guillemets, ½ survive
    texts = [e["text"] for q in data["questions"] for e in q["evidence"]]
    assert _body(encoding).split("\n")[0] in texts
    drafted = redline("draft", str(corpus / name), "--town", "Testville", "--board", "the Select Board", "--format", "md")
    assert drafted.returncode == 0, drafted.stderr
    assert first in drafted.stdout.decode("utf-8")


def test_name_with_spaces_and_non_ascii(corpus: Path, tmp_path: Path) -> None:
    path = corpus / "Política de Inmigración 2024 (final).txt"
    result = redline("analyze", str(path), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["policy"]["source"] == str(path) and data["policy"]["title"] == "Política de Inmigración"
    # relative to the working folder, and as the output name too
    out = tmp_path / "Redline — Política (borrador).docx"
    drafted = redline("draft", path.name, "--town", "Testville", "--board", "the Select Board", "-o", str(out), cwd=corpus)
    assert drafted.returncode == 0, drafted.stderr
    assert drafted.stderr.decode("utf-8") == f"wrote {out}\n"
    assert zipfile.is_zipfile(out)


def test_html_scripts_never_reach_any_output(corpus: Path) -> None:
    path = corpus / "with-scripts.html"
    outputs = [redline("analyze", str(path), "--format", fmt) for fmt in ("json", "text", "md", "html")]
    outputs += [redline("draft", str(path), "--town", "Testville", "--board", "the Select Board", "--format", fmt) for fmt in ("md", "html", "text")]
    for result in outputs:
        assert result.returncode == 0, result.stderr
        out = result.stdout.decode("utf-8")
        assert "INJECTED" not in out and "alert(" not in out and "document.write" not in out
        assert "<script" not in out.lower()
    assert ASKS in outputs[0].stdout.decode("utf-8")


# ------------------------------------------------------------------------------ survey

@pytest.mark.skipif(not HAS_SURVEY, reason="no survey command")
def test_survey_of_the_hostile_folder(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "table.json"
    before = _listing(corpus)
    result = redline("survey", str(corpus), "-o", str(out), "--jobs", "2")
    err = result.stderr.decode("utf-8")
    assert result.returncode == 0, err
    assert "Traceback" not in err
    assert _listing(corpus) == before
    data = json.loads(out.read_text(encoding="utf-8"))
    rows = data["policies"]
    by_file = {r["file"]: r for r in rows}
    for name, reason in BAD.items():
        if name in ("a folder", "missing.pdf", "unknown.xyz"):
            continue  # not policy files: a folder is walked, the others are not there or not read
        assert by_file[name]["class"] == "unreadable", name
        assert reason in by_file[name]["error"], (name, by_file[name]["error"])
    for name in [*ENCODED, "Política de Inmigración 2024 (final).txt", "with-scripts.html"]:
        assert by_file[name]["class"] != "unreadable" and not by_file[name]["error"], (name, by_file[name])


@pytest.mark.skipif(not HAS_SURVEY, reason="no survey command")
def test_survey_of_a_file_or_a_missing_folder(corpus: Path) -> None:
    for target in (corpus / "empty.txt", corpus / "missing folder"):
        result = redline("survey", str(target))
        err = result.stderr.decode("utf-8")
        assert result.returncode == 1, err
        assert "Traceback" not in err and len(err.splitlines()) == 1, err
        assert err.startswith(f"redline: {target}: ")


# ------------------------------------------------------------------------------ output safety

def test_output_over_the_input_is_refused(tmp_path: Path) -> None:
    policy = tmp_path / "policy.docx"
    shutil.copyfile(LEXIPOL, policy)
    original = policy.read_bytes()
    link = tmp_path / "link.docx"
    link.symlink_to(policy)
    refused = "is an input file; refusing to overwrite it (choose another -o)"
    for target in (str(policy), "./policy.docx", str(link), f"{tmp_path}/./policy.docx"):
        result = redline("analyze", "policy.docx", "--format", "json", "-o", target, "--force", cwd=tmp_path)
        assert_one_line_error(result, target, refused)
    result = redline("draft", "policy.docx", "-o", "policy.docx", cwd=tmp_path)
    assert_one_line_error(result, "policy.docx", refused)
    if HAS_COMPARE:
        result = redline("compare", "policy.docx", "--format", "docx", "-o", str(link), "--force", cwd=tmp_path)
        assert_one_line_error(result, str(link), refused)
    assert policy.read_bytes() == original
    assert _listing(tmp_path) == ["link.docx", "policy.docx"]


def test_existing_output_is_replaced_only_with_force(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    out.write_text("keep me")
    result = redline("analyze", str(LEXIPOL), "--format", "json", "-o", str(out))
    assert_one_line_error(result, out, "already exists; use --force to replace it")
    assert out.read_text() == "keep me"
    result = redline("analyze", str(LEXIPOL), "--format", "json", "-o", str(out), "--force")
    assert result.returncode == 0, result.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["policy"]["clauses"] > 5
    assert _listing(tmp_path) == ["report.json"]


def test_output_errors_are_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "a folder"
    folder.mkdir()
    result = redline("analyze", str(LEXIPOL), "-o", str(folder))
    assert result.returncode in (1, 2) and "Traceback" not in result.stderr.decode()
    missing = tmp_path / "no such folder" / "out.md"
    result = redline("analyze", str(LEXIPOL), "--format", "md", "-o", str(missing))
    assert_one_line_error(result, missing, f"cannot write: folder {missing.parent} does not exist")
    assert _listing(tmp_path) == ["a folder"]


def test_binary_format_refuses_a_terminal_but_pipes(tmp_path: Path) -> None:
    piped = redline("draft", str(LEXIPOL))  # stdout is a pipe here: the bytes go through
    assert piped.returncode == 0 and piped.stdout.startswith(b"PK")


# write_output itself: atomic, and a failure leaves neither a partial nor a temporary file

def test_write_output_failure_keeps_the_old_file_and_leaves_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.md"
    target.write_text("old")

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output_module.os, "fsync", full_disk)
    with pytest.raises(InputError) as info:
        output_module.write_output(target, "new text", force=True)
    assert str(info.value) == f"{target}: cannot write (No space left on device)"
    assert target.read_text() == "old"
    assert _listing(tmp_path) == ["out.md"]


def test_write_output_interrupted_leaves_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.md"

    def interrupted(src: str, dst: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(output_module.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        output_module.write_output(target, "new text")
    assert _listing(tmp_path) == []


def test_write_output_is_a_rename(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The target only ever appears whole: it is the rename of a complete temporary file."""
    target = tmp_path / "out.docx"
    seen: list[tuple[str, bytes]] = []
    real_replace = os.replace

    def spy(src: str, dst: object) -> None:
        assert not target.exists()
        seen.append((Path(src).name, Path(src).read_bytes()))
        real_replace(src, dst)

    monkeypatch.setattr(output_module.os, "replace", spy)
    output_module.write_output(target, b"PK whole file")
    assert len(seen) == 1 and seen[0][0].startswith(".out.docx.") and seen[0][1] == b"PK whole file"
    assert target.read_bytes() == b"PK whole file" and _listing(tmp_path) == ["out.docx"]


# ------------------------------------------------------------------------------ determinism

DETERMINISM = [
    ("analyze", "--format", "json"),
    ("analyze", "--format", "md"),
    ("analyze", "--format", "html"),
    ("analyze", "--format", "text"),
    ("draft", "--format", "docx"),
    ("draft", "--format", "md"),
    ("draft", "--format", "html"),
    ("draft", "--format", "json"),
    ("draft", "--format", "docx", "--clean"),
    pytest.param(("compare", "--format", "docx"),
                 marks=pytest.mark.skipif(not HAS_COMPARE, reason="no compare command yet")),
]


@pytest.mark.parametrize("args", DETERMINISM, ids=lambda a: "-".join(x.lstrip("-") for x in a))
def test_same_input_gives_byte_identical_output(args: tuple[str, ...]) -> None:
    verb, *options = args
    first = redline(verb, str(LEXIPOL), *options, hashseed="1")
    second = redline(verb, str(LEXIPOL), *options, hashseed="2")
    assert first.returncode == 0, first.stderr
    assert first.stdout and first.stdout == second.stdout
