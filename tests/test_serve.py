"""`redline serve`: the pages a person uses in a browser, driven through Starlette's test
client with the real example policies, and every download checked byte for byte against
what the real command line writes for the same file and options."""

from __future__ import annotations

import base64
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("python_multipart")
pytest.importorskip("jinja2")

from click.testing import CliRunner  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402

from conftest import POLICIES, ROOT, run_cli  # noqa: E402
from hostile_files import POLICY_SENTENCE, deep_html, greek_gibberish_txt, inflating_docx  # noqa: E402
from policy_redline.cli import cli  # noqa: E402
from policy_redline.web import app as web_app  # noqa: E402
from policy_redline.web import work  # noqa: E402

DATE = "2026-03-05"


@pytest.fixture()
def tmp_root(tmp_path: Path) -> Path:
    root = tmp_path / "requests"
    root.mkdir()
    return root


@pytest.fixture()
def client(tmp_root: Path):
    with TestClient(web_app.create_app(web_app.Settings(tmp_root=str(tmp_root), survey_jobs=2))) as c:
        yield c


def cli_output(args: list[str], cwd: Path, out: Path) -> bytes:
    """Run the real `redline` command (in-process, from `cwd` so the file is named as the
    page names it) and return the file it writes."""
    here = os.getcwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(cli, [*args, "-o", str(out)], catch_exceptions=False)
    finally:
        os.chdir(here)
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def upload(client: TestClient, path: Path, name: str | None = None):
    return client.post("/analyze", files={"policy": (name or path.name, path.read_bytes())})


def form_fields(page: str, action: str = "/download") -> dict[str, str]:
    """The hidden fields and pre-filled inputs of a page's download form, as a browser
    would send them."""
    form = page[page.index(f'action="{action}"'):]
    form = form[: form.index("</form>")]
    fields = {}
    for m in re.finditer(r'<input ([^>]*)>', form):
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
        if "name" in attrs and attrs.get("type") != "file":
            fields[attrs["name"]] = unescape(attrs.get("value", ""))
    return fields


# ------------------------------------------------------------------ one policy

def test_scorecard_shows_the_verdicts_of_analyze_json(client, tmp_root):
    page = upload(client, POLICIES / "chicopee-413.docx")
    assert page.status_code == 200
    shown = dict(re.findall(r'data-question="(\w+)" data-verdict="(\w+)"', page.text))
    cli_json = json.loads(run_cli("analyze", "chicopee-413.docx", "--format", "json", cwd=POLICIES).stdout)
    assert shown == {q["id"]: q["verdict"] for q in cli_json["questions"]}
    assert list(shown) == [q["id"] for q in cli_json["questions"]]
    # what a person reads: the red answers, a quote with its clause, the boilerplate, the asks
    assert shown["status_checks"] == "red"
    assert "Red flag</span> Status checks" in page.text and "clause 413.4" in page.text
    assert "boilerplate from Lexipol" in page.text
    assert "What to ask for" in page.text and "(Replace 413.4" in page.text
    # the draft's fill-ins, guessed from the policy, are in the form
    fields = form_fields(page.text)
    assert (fields["town"], fields["department"], fields["board"]) == ("Chicopee", "Chicopee Police Department", "the City Council")
    assert os.listdir(tmp_root) == []


def test_a_policy_that_names_no_town_still_gets_its_scorecard(client, tmp_path):
    text = b"Immigration\n\nOfficers may ask any person about immigration status and share it with ICE.\n"
    page = client.post("/analyze", files={"policy": ("general-order-7.txt", text)})
    assert page.status_code == 200
    assert dict(re.findall(r'data-question="(\w+)" data-verdict="(\w+)"', page.text))["status_checks"] == "red"
    assert "<h1>Immigration</h1>" in page.text
    # the draft needs the names: the form says so, in the page's words, before anyone asks for it
    assert ("general-order-7.txt: cannot tell which town or department this policy belongs to; fill in the Town "
            "field (and the Department field if it is not the NAME Police Department)") in page.text
    fields = form_fields(page.text)
    assert fields["town"] == fields["department"] == ""
    fields.update(town="Springfield", board="the City Council")
    got = client.post("/download", data={**fields, "download": "draft-clean-docx"})
    (tmp_path / "general-order-7.txt").write_bytes(text)
    expected = cli_output(["draft", "general-order-7.txt", "--clean", "--town", "Springfield", "--board", "the City Council"],
                          tmp_path, tmp_path / "out.docx")
    assert got.status_code == 200 and got.content == expected


# (download button, the command's options after the policy, the form's fields)
DOWNLOADS = [
    ("draft-docx", ["draft", "{p}", "--town", "Chicopee", "--department", "Chicopee Police Department", "--board", "the City Council"], {}),
    ("draft-clean-docx", ["draft", "{p}", "--clean", "--town", "Chicopee", "--department", "Chicopee Police Department", "--board", "the City Council"], {}),
    ("compare-docx", ["compare", "{p}", "--format", "docx"], {}),
    ("onepager-html", ["onepager", "{p}", "--town", "Chicopee", "--department", "Chicopee Police Department", "--date", DATE], {"date": DATE}),
    ("onepager-docx", ["onepager", "{p}", "--town", "Chicopee", "--department", "Chicopee Police Department", "--format", "docx", "--date", DATE], {"date": DATE}),
    ("request-docx", ["request", "--department", "Chicopee Police Department", "--requester", "Ana Ruiz", "--email", "ana@example.org", "--date", DATE, "--format", "docx"],
     {"requester": "Ana Ruiz", "email": "ana@example.org", "date": DATE}),
    ("report-json", ["analyze", "{p}", "--format", "json"], {}),
    ("report-html", ["analyze", "{p}", "--format", "html"], {}),
]


def test_every_download_is_the_file_the_command_writes(client, tmp_root, tmp_path):
    page = upload(client, POLICIES / "chicopee-413.docx").text
    fields = form_fields(page)
    for kind, args, extra in DOWNLOADS:
        got = client.post("/download", data={**fields, **extra, "download": kind})
        assert got.status_code == 200, (kind, got.text[:500])
        assert "attachment" in got.headers["content-disposition"]
        suffix = ".docx" if kind.endswith("docx") else "." + kind.rsplit("-", 1)[1]
        expected = cli_output([a.replace("{p}", "chicopee-413.docx") for a in args], POLICIES, tmp_path / f"{kind}{suffix}")
        assert got.content == expected, kind
        assert os.listdir(tmp_root) == []


def test_downloads_for_a_pdf_and_for_a_policy_on_another_subject(client, tmp_path):
    # a PDF: the draft is a new Word document, not an edited package
    page = upload(client, POLICIES / "bedford.pdf").text
    fields = form_fields(page)
    got = client.post("/download", data={**fields, "download": "draft-docx"})
    args = ["draft", "bedford.pdf"] + [x for k in ("town", "department", "board") if fields.get(k) for x in (f"--{k}", fields[k])]
    assert got.status_code == 200 and got.content == cli_output(args, POLICIES, tmp_path / "bedford.docx")
    # a bias-free-policing policy: nothing to amend, so the page offers a separate policy
    page = upload(client, POLICIES / "tewksbury-bias-free.txt").text
    assert "says nothing on any of the seven questions" in page
    fields = form_fields(page)
    assert fields["standalone"] == "1"
    # Tewksbury is in the table of approving bodies: the page fills in what the command finds
    assert fields["board"] == "the Select Board"
    got = client.post("/download", data={**fields, "download": "draft-docx"})
    args = ["draft", "tewksbury-bias-free.txt", "--standalone"] + [x for k in ("town", "department", "board") if fields.get(k) for x in (f"--{k}", fields[k])]
    assert got.status_code == 200 and got.content == cli_output(args, POLICIES, tmp_path / "tewksbury.docx")



def test_a_town_not_in_the_table_is_asked_for_its_approving_body(client, tmp_path):
    policy = tmp_path / "harlow-falls.txt"
    policy.write_text(
        "Harlow Falls Police Department\n\nPolicy 412: Immigration\n\n"
        "Officers of the Harlow Falls Police Department may ask about immigration status during any stop.\n",
        encoding="utf-8",
    )
    page = upload(client, policy).text
    fields = form_fields(page)
    assert fields["board"] == ""
    asked = client.post("/download", data={**fields, "download": "draft-docx"})
    assert asked.status_code == 400 and "attachment" not in asked.headers.get("content-disposition", "")
    assert "which public body approves exceptions to this policy? Harlow Falls is not in the table" in asked.text
    assert "fill in the Approving body field" in asked.text
    fields["board"] = "the Town Council"
    got = client.post("/download", data={**fields, "download": "draft-docx"})
    args = ["draft", "harlow-falls.txt"] + [x for k in ("town", "department", "board") if fields.get(k) for x in (f"--{k}", fields[k])]
    assert got.status_code == 200 and got.content == cli_output(args, tmp_path, tmp_path / "harlow.docx")


# ------------------------------------------------------------------ compare

def _edited_docx(tmp_path: Path) -> Path:
    import docx

    d = docx.Document(str(POLICIES / "chicopee-413.docx"))
    for p in d.paragraphs:
        if "reasonable period of time" in p.text:
            p.runs[0].text = "Officers shall not detain any person on the basis of immigration status. "
            for r in p.runs[1:]:
                r.text = ""
            break
    out = tmp_path / "chicopee-413-2027.docx"
    d.save(str(out))
    return out


def test_compare_shows_the_clause_diff_and_downloads_the_word_redline(client, tmp_root, tmp_path):
    newer = _edited_docx(tmp_path)
    shutil.copy(POLICIES / "chicopee-413.docx", tmp_path / "chicopee-413.docx")
    files = {"policy": (newer.name, newer.read_bytes()), "against": ("chicopee-413.docx", (POLICIES / "chicopee-413.docx").read_bytes())}
    page = client.post("/compare", files=files)
    assert page.status_code == 200
    assert "<ins>" in page.text and "<del>" in page.text
    assert "<ins>Officers shall not</ins> detain" in page.text  # the edited sentence, word by word
    expected = cli_output(["compare", newer.name, "--against", "chicopee-413.docx", "--format", "docx"], tmp_path, tmp_path / "pair.docx")
    # the page's own download button (the files carried in its form), and the form's
    got = client.post("/compare", data={**form_fields(page.text, "/compare"), "download": "compare-docx"})
    assert got.status_code == 200 and got.content == expected
    got = client.post("/compare", files=files, data={"download": "compare-docx"})
    assert got.status_code == 200 and got.content == expected
    # a .docx compared with a PDF: the department's own package, edited (read from the
    # request's copy, never from a path the upload names)
    files = {"policy": ("chicopee-413.docx", (POLICIES / "chicopee-413.docx").read_bytes()),
             "against": ("bedford.pdf", (POLICIES / "bedford.pdf").read_bytes())}
    got = client.post("/compare", files=files, data={"download": "compare-docx"})
    expected = cli_output(["compare", "chicopee-413.docx", "--against", "bedford.pdf", "--format", "docx"], POLICIES, tmp_path / "mixed.docx")
    assert got.status_code == 200 and got.content == expected
    assert os.listdir(tmp_root) == []


# ------------------------------------------------------------------ survey

def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in entries.items():
            zf.writestr(name, body)
    return buf.getvalue()


def test_survey_of_a_zip_gives_the_command_lines_tables(client, tmp_root, tmp_path):
    folder = tmp_path / "examples"
    folder.mkdir()
    for name in ("chicopee-413.docx", "bedford.pdf", "tewksbury-bias-free.txt", "README.md"):
        shutil.copy(POLICIES / name, folder / name)
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4\n" + b"\x00garbage" * 50)
    # zipped as a folder ("examples/..."), as a person zips one
    data = _zip({f"examples/{p.name}": p.read_bytes() for p in sorted(folder.iterdir())}
                | {"examples/../../escape.txt": POLICY_SENTENCE.encode()})
    page = client.post("/survey", files=[("files", ("examples.zip", data, "application/zip"))])
    assert page.status_code == 200
    text = page.text
    assert "4 policies:" in text  # README.md is a folder's notes, as the command skips it
    assert re.search(r"scan\.pdf</strong>: [^<]+", text)  # unreadable, with why
    assert "a path outside the archive" in text  # the traversal member is refused, not written
    assert not (tmp_path / "escape.txt").exists() and not (tmp_root.parent / "escape.txt").exists()
    links = dict(re.findall(r'download="examples\.(\w+)" href="data:[^;]+;charset=utf-8;base64,([^"]+)"', text))
    assert set(links) == {"csv", "json", "html"}
    for fmt in ("csv", "json", "html"):
        expected = cli_output(["survey", "examples"], tmp_path, tmp_path / f"table.{fmt}")
        assert base64.b64decode(links[fmt]) == expected, fmt
    assert os.listdir(tmp_root) == []


def test_survey_refuses_a_zip_bomb_in_one_line(client, tmp_root, tmp_path):
    bomb = _zip({"a.txt": b"0" * (120 * 1024 * 1024)})  # 120 MB of zeros in ~120 KB
    page = client.post("/survey", files=[("files", ("bomb.zip", bomb, "application/zip"))])
    assert page.status_code == 400
    assert "bomb.zip: the .zip unpacks to more than 100 MB (a zip bomb?); refusing to open it" in page.text
    # a .docx bomb inside an ordinary .zip is read by the .docx reader's own defences: a row
    inflating_docx(tmp_path / "bomb.docx", megabytes=40)
    data = _zip({"bomb.docx": (tmp_path / "bomb.docx").read_bytes(), "ok.txt": POLICY_SENTENCE.encode()})
    page = client.post("/survey", files=[("files", ("two.zip", data, "application/zip"))])
    assert page.status_code == 200 and "2 policies:" in page.text
    assert "bomb.docx</strong>: the .docx" in page.text
    assert os.listdir(tmp_root) == []


# ------------------------------------------------------------------ limits, errors, escaping

def test_limits_give_clear_messages(tmp_root, monkeypatch):
    small = web_app.Settings(tmp_root=str(tmp_root), max_request_bytes=64 * 1024)
    with TestClient(web_app.create_app(small)) as c:
        page = c.post("/analyze", files={"policy": ("big.txt", b"x" * (200 * 1024))})
        assert page.status_code == 413
        assert "The upload is larger than the 64 KB this page accepts at once. Send fewer files" in page.text
    monkeypatch.setattr(work, "MAX_POLICY_BYTES", 10_000)
    monkeypatch.setattr(work, "MAX_SURVEY_FILES", 2)
    with TestClient(web_app.create_app(web_app.Settings(tmp_root=str(tmp_root)))) as c:
        page = c.post("/analyze", files={"policy": ("long.txt", b"word " * 5000)})
        assert page.status_code == 400 and "long.txt: file is larger than the 9 KB this page accepts" in page.text
        many = [("files", (f"p{i}.txt", POLICY_SENTENCE.encode())) for i in range(3)]
        page = c.post("/survey", files=many)
        assert page.status_code == 400 and "has too many files (at most 2 here)" in page.text
    assert os.listdir(tmp_root) == []


def test_a_hostile_file_gives_the_command_lines_one_line_error(client, tmp_root, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    inflating_docx(tmp_path / "bomb.docx", megabytes=40)
    deep_html(tmp_path / "deep.html")
    greek_gibberish_txt(tmp_path / "greek.txt")
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    for name in ("empty.txt", "bomb.docx", "deep.html", "greek.txt", "old.doc"):
        cli_err = run_cli("analyze", name, cwd=tmp_path).stderr.decode().strip()
        assert cli_err.startswith(f"redline: {name}: ")
        page = upload(client, tmp_path / name)
        assert page.status_code == 400
        assert '<div class="error" role="alert">' in page.text
        assert unescape(re.search(r'role="alert"><h2>[^<]*</h2><p>([^<]*)</p>', page.text).group(1)) == cli_err[len("redline: "):]
    assert os.listdir(tmp_root) == []


HOSTILE_NAME = '<img src=x onerror=alert("name")>&amp;.txt'
HOSTILE_TEXT = ("<img src=x onerror=alert(1)> Immigration policy of the Town of Chicopee Police Department.\n\n"
                "1. Officers may detain a person <b onmouseover=alert(2)>suspected</b> of being in the country unlawfully "
                "and contact ICE to verify the person's immigration status.\n")


def test_hostile_names_and_text_are_escaped(client, tmp_root):
    page = client.post("/analyze", files={"policy": (HOSTILE_NAME, HOSTILE_TEXT.encode())})
    assert page.status_code == 200
    for raw in ("<img src=x", "<b onmouseover", "&amp;.txt\""):
        assert raw not in page.text
    assert "&lt;img src=x onerror=alert(%22name%22)&gt;&amp;amp;.txt" in page.text  # (httpx sends the quotes as %22)
    assert "&lt;b onmouseover=alert(2)&gt;" in page.text or "onmouseover=alert(2)" not in page.text
    assert page.headers["content-security-policy"].startswith("default-src 'self'")
    page = client.post("/survey", files=[("files", (HOSTILE_NAME, HOSTILE_TEXT.encode())),
                                          ("files", ("a/../../<b>x.txt", b"\x00\x01binary"))])
    assert page.status_code == 200
    assert "<img src=x" not in page.text and "<b>x" not in page.text
    assert re.search(r'<strong class="filename">&lt;b&gt;x\.txt</strong>: [^<]+', page.text)  # the name's last part, escaped, unreadable and why
    assert os.listdir(tmp_root) == []


# ------------------------------------------------------------------ the command

@dataclass
class _Got:
    status: int
    text: str


def _get(url: str, headers: dict | None = None) -> _Got:
    """A real HTTP request to the running server (loopback only)."""
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=10) as r:
            return _Got(r.status, r.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        return _Got(exc.code, exc.read().decode("utf-8", "replace"))


def test_redline_serve_starts_prints_its_address_and_serves_the_page(tmp_path):
    (tmp_path / "tmp").mkdir()
    env = dict(os.environ, CI="true", PYTHONUNBUFFERED="1", TMPDIR=str(tmp_path / "tmp"))
    proc = subprocess.Popen([sys.executable, "-m", "policy_redline", "serve", "--port", "0"], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        m = re.match(r"policy-redline is running at (http://127\.0\.0\.1:\d+/) \(press Ctrl-C to stop\)$", line.strip())
        assert m, line
        home = _get(m.group(1))
        assert home.status == 200 and '<label for="policy">' in home.text
        css = _get(m.group(1) + "static/style.css")
        assert css.status == 200 and "@media print" in css.text
        # another site's name pointed at this machine is not answered (DNS rebinding)
        assert _get(m.group(1), {"Host": "evil.example"}).status == 400
        # two people upload at once: both get their scorecards
        import httpx2

        def read(name: str) -> str:
            r = httpx2.post(m.group(1) + "analyze", files={"policy": (name, (POLICIES / name).read_bytes())}, timeout=120)
            return f"{r.status_code} " + ",".join(re.findall(r'data-verdict="(\w+)"', r.text))

        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(2) as pool:
            both = list(pool.map(read, ["chicopee-413.docx", "bedford.pdf"]))
        assert both[0].startswith("200 red,red,red,red,red,red,silent")
        assert both[1].startswith("200 ") and both[1].count(",") == 6 and "red" not in both[1]
        assert os.listdir(tmp_path / "tmp") == []  # the server's temporary folders are gone
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_redline_serve_on_a_port_in_use_says_so_in_one_line(tmp_path):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        port = s.getsockname()[1]
        result = run_cli("serve", "--port", str(port), "--no-browser", cwd=tmp_path)
    assert result.returncode == 1
    err = result.stderr.decode().strip()
    assert err == f"redline: 127.0.0.1:{port}: cannot listen there (the port is in use: give another with --port, or --port 0 for any free one)"


def test_redline_serve_without_the_web_packages_says_what_to_install(tmp_path):
    # the command as it runs where the `serve` extra is not installed (starlette unimportable)
    code = ("import sys; sys.modules['starlette'] = None; sys.argv = ['redline', 'serve', '--no-browser']; "
            "from policy_redline.cli import main; main()")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert result.returncode == 1
    assert result.stderr == "redline: serve: the web page needs starlette: pip install 'policy-redline[serve]'\n"


def test_a_bug_is_one_line_in_the_page_never_a_traceback(tmp_root, monkeypatch):
    def broken(upload, today=None):
        raise KeyError("status_checks")

    monkeypatch.setattr(work, "scorecard", broken)
    with TestClient(web_app.create_app(web_app.Settings(tmp_root=str(tmp_root))), raise_server_exceptions=False) as c:
        page = upload(c, POLICIES / "chicopee-413.md")
    assert page.status_code == 500
    assert "internal error (KeyError: &#39;status_checks&#39;); please report it" in page.text
    assert "Traceback" not in page.text
    assert os.listdir(tmp_root) == []


# ------------------------------------------------------------------ in a real browser (Chromium, driven by Playwright)

@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """`redline serve` as a person starts it, on a free loopback port; its temporary folders
    in a folder of the test's own."""
    tmp = tmp_path_factory.mktemp("serve-tmp")
    env = dict(os.environ, CI="true", PYTHONUNBUFFERED="1", TMPDIR=str(tmp))
    proc = subprocess.Popen([sys.executable, "-m", "policy_redline", "serve", "--port", "0"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    m = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
    try:
        assert m, line
        yield m.group(1), tmp
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        pytest.skip("Chromium is not installed (.ci/run installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        yield b
        b.close()


def _pandoc_text(path: Path, changes: str | None = None) -> str:
    args = ["pandoc", str(path), "-t", "plain", "--wrap=none"] + ([f"--track-changes={changes}"] if changes else [])
    return " ".join(subprocess.run(args, capture_output=True, text=True, check=True).stdout.split())


def test_in_a_browser_a_person_reads_a_policy_and_downloads_the_redline(live_server, browser, tmp_path):
    url, server_tmp = live_server
    page = browser.new_page()
    page.goto(url)
    page.get_by_label("Policy file").set_input_files(str(POLICIES / "chicopee-413.docx"))
    page.get_by_role("button", name="Read the policy").click()
    page.get_by_role("heading", name="Chicopee Police Department: Policy 413", level=1).wait_for()
    # the red answers, as a screen reader names them
    questions = page.locator("li.question")
    assert questions.count() == 7
    assert page.locator("li.question.red").count() == 6
    assert page.get_by_role("heading", name="Red flag Status checks").is_visible()
    assert page.get_by_label("Town or city").input_value() == "Chicopee"
    # the Word redline, read back by pandoc: reject every change and it is the department's own text
    with page.expect_download() as got:
        page.get_by_role("button", name="Amended draft, tracked changes (Word)").click()
    saved = tmp_path / got.value.suggested_filename
    got.value.save_as(saved)
    assert saved.name == "chicopee-413-redline.docx"
    if shutil.which("pandoc"):
        original = _pandoc_text(POLICIES / "chicopee-413.docx")
        assert _pandoc_text(saved, "reject") == original
        accepted = _pandoc_text(saved, "accept")
        assert accepted != original and "287(g)" in accepted
    assert os.listdir(server_tmp) == []


def test_in_a_browser_a_survey_is_sorted_and_a_bad_file_is_explained(live_server, browser):
    url, server_tmp = live_server
    page = browser.new_page()
    page.goto(url + "survey")
    page.get_by_label("Policy files or a .zip").set_input_files(
        [str(POLICIES / n) for n in ("bedford.pdf", "chicopee-413.docx", "tewksbury-bias-free.txt")])
    page.get_by_role("button", name="Survey them").click()
    table = page.get_by_role("table")
    table.wait_for()
    files = lambda: [t.strip() for t in table.locator("tbody th").all_inner_texts()]  # noqa: E731
    assert files() == ["bedford.pdf", "chicopee-413.docx", "tewksbury-bias-free.txt"]
    words = page.get_by_role("button", name="Words", exact=True)
    words.click()  # fewest words first
    assert files() == ["tewksbury-bias-free.txt", "bedford.pdf", "chicopee-413.docx"]
    assert page.locator("th[aria-sort=ascending]").inner_text().strip() == "Words \u25B2"
    words.press("Enter")  # the keyboard sorts too: most words first
    assert files() == ["chicopee-413.docx", "bedford.pdf", "tewksbury-bias-free.txt"]
    with page.expect_download() as got:  # the table, from the page itself (a data: link)
        page.get_by_role("link", name="CSV (survey.csv)").click()
    assert got.value.suggested_filename == "survey.csv"
    assert Path(got.value.path()).read_text().splitlines()[0].startswith("file,department,words,")
    page.get_by_label("Show only rows containing").fill("tewksbury")
    assert [r for r in table.locator("tbody tr").all() if r.is_visible()].__len__() == 1
    # a file that cannot be read: its one-line reason, in the page
    page.goto(url)
    page.get_by_label("Policy file").set_input_files({"name": "empty.txt", "mimeType": "text/plain", "buffer": b""})
    page.get_by_role("button", name="Read the policy").click()
    assert page.get_by_role("alert").inner_text().endswith("empty.txt: the file is empty")
    assert os.listdir(server_tmp) == []


def test_in_a_browser_two_uploads_at_once_both_finish(live_server, browser):
    url, server_tmp = live_server
    pages = [browser.new_page(), browser.new_page()]
    for page, name in zip(pages, ("chicopee-413.md", "bedford.pdf")):
        page.goto(url)
        page.get_by_label("Policy file").set_input_files(str(POLICIES / name))
    for page in pages:
        page.get_by_role("button", name="Read the policy").click(no_wait_after=True)
    headings = [p.get_by_role("heading", level=1) for p in pages]
    for h in headings:
        h.filter(has_not_text="Read a police").wait_for(timeout=120_000)
    assert headings[0].inner_text().startswith("Chicopee Police Department: Policy 413")
    assert headings[1].inner_text().startswith("Bedford Police Department")
    assert os.listdir(server_tmp) == []


def test_serve_no_ocr_keeps_ocr_off_while_the_server_runs(monkeypatch):
    # The pages read uploads in this process and its workers: the flag must hold for as
    # long as the server runs, as it does for one command.
    import policy_redline.web as web
    from policy_redline.readers.ocr import NO_OCR_ENV

    seen = {}
    monkeypatch.delenv(NO_OCR_ENV, raising=False)
    monkeypatch.setattr(web, "run", lambda **kw: seen.update(kw, env=os.environ.get(NO_OCR_ENV)))
    result = CliRunner().invoke(cli, ["serve", "--no-browser", "--no-ocr", "--port", "0"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert seen["env"] == "1" and seen["open_browser"] is False
    assert os.environ.get(NO_OCR_ENV) is None  # and only while it runs
