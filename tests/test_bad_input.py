"""Bad inputs: each one is an InputError with a specific, one-line reason naming the file.

The corpus is generated here (nothing is downloaded). No call may take long: each is
checked against a generous bound, not timed precisely.
"""

from __future__ import annotations

import io
import os
import random
import sys
import time
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from formats import write_policy  # noqa: E402

from policy_redline import ingest
from policy_redline.document import Document
from policy_redline.errors import InputError
from policy_redline.ingest import MAX_FILE_BYTES, read_bytes, read_policy

BOUND_S = 10.0
POLICY = [("heading", "Immigration Violations"),
          ("paragraph", "Officers shall not detain any person on a civil immigration "
                        "detainer alone, and shall not ask about immigration status."),
          ("list_item", "No 287(g) agreement shall be entered into.")]


def expect_error(path: Path | str, reason: str, *, exact: bool = True) -> InputError:
    start = time.monotonic()
    with pytest.raises(InputError) as info:
        read_policy(path)
    assert time.monotonic() - start < BOUND_S
    err = info.value
    message = str(err)
    assert "\n" not in message and "\r" not in message
    assert message.startswith(f"{path}: ")
    assert err.source == str(path)
    if exact:
        assert err.reason == reason
    else:
        assert err.reason.startswith(reason), err.reason
    return err


def docx_bytes(tmp_path: Path) -> bytes:
    return write_policy(POLICY, "docx", tmp_path / "_real.docx").read_bytes()


def pdf_bytes(tmp_path: Path) -> bytes:
    return write_policy(POLICY, "pdf", tmp_path / "_real.pdf").read_bytes()


def replace_member(data: bytes, name: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w",
                                                                     zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, content if info.filename == name else src.read(info))
    return out.getvalue()


# ---------------------------------------------------------------------- empty and missing

@pytest.mark.parametrize("suffix", [".txt", ".md", ".markdown", ".html", ".htm", ".pdf",
                                    ".docx"])
def test_zero_byte_file_of_each_type(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"empty{suffix}"
    path.write_bytes(b"")
    expect_error(path, "the file is empty")


@pytest.mark.parametrize("content", [b"   \n\n\t  \r\n", b"\xef\xbb\xbf  \n",
                                     "  \n".encode("utf-16")])
def test_whitespace_only_text(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "blank.txt"
    path.write_bytes(content)
    expect_error(path, "the file is empty")


def test_valid_docx_without_text(tmp_path: Path) -> None:
    import docx

    path = tmp_path / "blank.docx"
    document = docx.Document()
    document.add_paragraph("   ")
    document.save(str(path))
    expect_error(path, "the document contains no text")


def test_html_with_only_script(tmp_path: Path) -> None:
    path = tmp_path / "script-only.html"
    path.write_text("<html><head><script>alert('x')</script></head><body></body></html>")
    expect_error(path, "the document contains no text")


def test_missing_file(tmp_path: Path) -> None:
    expect_error(tmp_path / "nope.pdf", "no such file")


def test_directory(tmp_path: Path) -> None:
    expect_error(tmp_path, "is a directory, not a policy file (use `redline survey` for folders)")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root can read a chmod 000 file")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("Officers shall not ask.")
    path.chmod(0)
    try:
        expect_error(path, "cannot be read (permission denied)")
    finally:
        path.chmod(0o644)


def test_unreadable_file_simulated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The permission path, exercised even as root: opening raises PermissionError."""
    path = tmp_path / "locked.txt"
    path.write_text("Officers shall not ask.")

    def deny(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(ingest, "_open_fd", deny)
    expect_error(path, "cannot be read (permission denied)")


# ---------------------------------------------------------------------- size

def test_file_over_50_mb(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with open(path, "wb") as fh:  # sparse: instant to write, never read
        fh.seek(MAX_FILE_BYTES + 10)
        fh.write(b"x")
    expect_error(path, "file is larger than the 50 MB limit")


def test_bytes_over_50_mb() -> None:
    start = time.monotonic()
    with pytest.raises(InputError) as info:
        read_bytes(b"a" * (MAX_FILE_BYTES + 1), "big.txt")
    assert info.value.reason == "file is larger than the 50 MB limit"
    assert time.monotonic() - start < BOUND_S


# ---------------------------------------------------------------------- .docx

def test_docx_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "fake.docx"
    path.write_bytes(b"This is plain text pretending to be a Word document.")
    expect_error(path, "not a Word .docx file (not a zip archive)")


def test_zip_without_document_xml(tmp_path: Path) -> None:
    path = tmp_path / "other.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "hello")
    expect_error(path, "not a Word .docx file (a zip archive with no word/document.xml)")


def test_legacy_or_encrypted_doc(tmp_path: Path) -> None:
    path = tmp_path / "old.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    expect_error(path, "encrypted or legacy .doc file: save it as .docx")


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>"""


@pytest.mark.parametrize("xml", [BILLION_LAUGHS, EXTERNAL_ENTITY],
                         ids=["billion-laughs", "external-entity"])
def test_docx_with_xml_entities(tmp_path: Path, xml: bytes) -> None:
    path = tmp_path / "entities.docx"
    path.write_bytes(replace_member(docx_bytes(tmp_path), "word/document.xml", xml))
    expect_error(path, "the .docx declares XML entities; refusing to read it")


def _bomb(path: Path, megabytes: int) -> Path:
    """A .docx whose document.xml is `megabytes` of zeros, written in 1 MB chunks."""
    chunk = b"\x00" * (1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w", force_zip64=True) as member:
            for _ in range(megabytes):
                member.write(chunk)
    return path


def test_zip_bomb_compression_ratio(tmp_path: Path) -> None:
    path = _bomb(tmp_path / "bomb.docx", 32)
    assert path.stat().st_size < 1_000_000
    expect_error(path, "the .docx member word/document.xml is compressed more than 200:1 "
                       "(a zip bomb?); refusing to read it")


def test_zip_bomb_total_size(tmp_path: Path) -> None:
    path = _bomb(tmp_path / "big-bomb.docx", 201)
    expect_error(path, "the .docx unpacks to more than 200 MB (a zip bomb?); refusing to "
                       "read it")


def test_damaged_docx_member(tmp_path: Path) -> None:
    data = bytearray(docx_bytes(tmp_path))
    # corrupt the compressed bytes of the largest member; the directory stays intact
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = max(zf.infolist(), key=lambda i: i.compress_size)
    offset = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(offset + 10, offset + min(info.compress_size, 200)):
        data[i] ^= 0x5A
    path = tmp_path / "damaged.docx"
    path.write_bytes(bytes(data))
    expect_error(path, "damaged .docx (", exact=False)


# ---------------------------------------------------------------------- .pdf

def test_encrypted_pdf(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(pdf_bytes(tmp_path))).pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    path = tmp_path / "locked.pdf"
    with open(path, "wb") as fh:
        writer.write(fh)
    expect_error(path, "encrypted PDF: it cannot be opened without a password; save an "
                       "unlocked copy (e.g. `qpdf --password=PASSWORD --decrypt in.pdf "
                       "out.pdf`) and try again")


def test_pdf_with_owner_password_only_reads(tmp_path: Path) -> None:
    """Encrypted with an empty user password: opens without asking, like a viewer does."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(pdf_bytes(tmp_path))).pages:
        writer.add_page(page)
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    path = tmp_path / "owner-only.pdf"
    with open(path, "wb") as fh:
        writer.write(fh)
    assert read_policy(path).title == "Immigration Violations"


def test_scanned_pdf_without_text_layer(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    for _ in range(2):
        pdf.add_page()
        pdf.rect(20, 20, 120, 80, style="F")
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    from policy_redline.readers.ocr import missing

    if missing():  # no Tesseract here: the packages to install
        expect_error(path, "no text layer: this looks like a scanned PDF; install Tesseract "
                           "(`apt-get install tesseract-ocr tesseract-ocr-eng`) to read it with OCR "
                           "(or run OCR first, e.g. `ocrmypdf in.pdf out.pdf`) and try again")
    else:  # read by OCR, which finds no words in two grey boxes
        expect_error(path, "no text layer, and OCR found no words on its 2 pages (a picture or a "
                           "blank scan?); scan the policy's pages again and try again")


def test_truncated_pdf(tmp_path: Path) -> None:
    data = pdf_bytes(tmp_path)
    path = tmp_path / "half.pdf"
    path.write_bytes(data[: len(data) // 2])
    expect_error(path, "truncated PDF (the end of the file is missing): download or export "
                       "it again")


def test_pdf_that_is_not_a_pdf(tmp_path: Path) -> None:
    path = tmp_path / "fake.pdf"
    path.write_text("Just some text with a .pdf name.")
    expect_error(path, "not a PDF file (no %PDF- header)")


def test_garbage_after_pdf_header(tmp_path: Path) -> None:
    path = tmp_path / "garbage.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n")
    err = expect_error(path, "damaged PDF (", exact=False)
    assert err.reason.endswith("open it and save or export it again")


# ---------------------------------------------------------------------- text and others

def test_binary_file_named_txt(tmp_path: Path) -> None:
    path = tmp_path / "data.txt"
    path.write_bytes(bytes(range(256)) * 64)
    expect_error(path, "this is not a text file (binary data)")


def test_pdf_named_txt_says_what_it_is(tmp_path: Path) -> None:
    path = tmp_path / "policy.txt"
    path.write_bytes(pdf_bytes(tmp_path))
    expect_error(path, "this is not a text file (binary data: it looks like a PDF; "
                       "rename it to .pdf)")


def test_unknown_binary_suffix(tmp_path: Path) -> None:
    path = tmp_path / "policy.xyz"
    path.write_bytes(bytes(range(256)) * 16)
    expect_error(path, "unsupported file type .xyz (supported: .pdf, .docx, .txt, .md, "
                       ".markdown, .html, .htm, .rtf, .odt)")


def test_unknown_format_argument() -> None:
    with pytest.raises(InputError) as info:
        read_bytes(b"text", "x.txt", fmt="wpd")
    assert info.value.reason == "unsupported format 'wpd' (supported: txt, md, docx, pdf, html, rtf, odt)"


def test_unknown_text_suffix_reads(tmp_path: Path) -> None:
    path = tmp_path / "policy.rst"
    path.write_text("Officers shall not ask about immigration status.\n")
    assert read_policy(path).blocks[0].text.startswith("Officers shall not")


def test_name_with_spaces_and_non_ascii_reads(tmp_path: Path) -> None:
    path = tmp_path / "Política de Inmigración 2024.txt"
    path.write_text("Política de Inmigración\n\nLos agentes no preguntarán.\n", encoding="utf-8")
    doc = read_policy(path)
    assert doc.source == str(path)
    assert doc.title == "Política de Inmigración"
    assert doc.blocks[1].text == "Los agentes no preguntarán."


def test_html_script_never_reaches_document(tmp_path: Path) -> None:
    path = tmp_path / "policy.html"
    path.write_text(
        "<html><body><h1>Policy</h1><script>document.write('INJECTED <p>text</p>');"
        "</script><p>Officers shall not ask.</p><script type='module'>"
        "import x from 'y'; // </p> INJECTED2</script>"
        "<style>.a{content:'STYLED'}</style><noscript>NOSCRIPT</noscript></body></html>")
    doc = read_policy(path)
    assert [b.text for b in doc.blocks] == ["Policy", "Officers shall not ask."]
    for bad in ("INJECTED", "STYLED", "NOSCRIPT", "document.write"):
        assert bad not in doc.text


# ---------------------------------------------------------------------- never another exception

def _mutations(data: bytes, seed: int, count: int) -> list[bytes]:
    rng = random.Random(seed)
    out = [data[:n] for n in (1, 4, 16, 100, len(data) // 3, len(data) - 5)]
    for _ in range(count):
        buf = bytearray(data)
        for _ in range(rng.randint(1, 20)):
            buf[rng.randrange(len(buf))] = rng.randrange(256)
        out.append(bytes(buf))
    return out


@pytest.mark.parametrize("fmt", ["pdf", "docx", "html", "md", "txt"])
def test_corrupted_bytes_only_ever_raise_input_error(tmp_path: Path, fmt: str) -> None:
    data = write_policy(POLICY, fmt, tmp_path / f"p.{fmt}").read_bytes()
    start = time.monotonic()
    for i, variant in enumerate(_mutations(data, seed=sum(map(ord, fmt)), count=40)):
        try:
            doc = read_bytes(variant, f"variant-{i}.{fmt}")
        except InputError as err:
            assert "\n" not in str(err) and str(err).startswith(f"variant-{i}.{fmt}: ")
        else:
            assert isinstance(doc, Document) and doc.blocks
    assert time.monotonic() - start < 60


def test_damaged_pdfs_print_nothing(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    """pypdf's own warnings must not reach stderr: the CLI prints exactly one line."""
    data = pdf_bytes(tmp_path)
    for i, variant in enumerate(_mutations(data, seed=7, count=30)):
        try:
            read_bytes(variant, f"v{i}.pdf")
        except InputError:
            pass
    captured = capfd.readouterr()
    assert captured.err == ""
    assert captured.out == ""
