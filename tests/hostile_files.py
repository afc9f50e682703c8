"""Hostile files for the reader budgets and the survey's limits (issue 17), built on the spot.

Nothing here is committed as data: each builder writes its file into a folder given to it,
in a second or two, and the large ones (bombs) are small on disk and large only when read.

    python tests/hostile_files.py DIR      write every case into DIR (for a look, or a survey)

Used by tests/test_hostile_limits.py and bench/bench_hostile.py. Each case is
`(file name, builder)`; a builder takes the path to write and returns nothing.
"""

from __future__ import annotations

import io
import os
import random
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from pathlib import Path

POLICY_SENTENCE = ("Officers shall not inquire about the immigration status of any person, and "
                   "shall not detain any person solely on an immigration detainer. ")


# ---------------------------------------------------------------------------------- PDF

def pdf_bytes(streams: list[bytes], *, compressed: bool = True, extra_objects: list[bytes] = ()) -> bytes:
    """A PDF with one page per content stream (Helvetica), each stream flate-compressed
    when `compressed` (the stream bytes are then passed as already compressed data)."""
    objects: list[bytes] = []
    n = len(streams)
    font = 3 + 2 * n  # object numbers: 1 catalog, 2 pages, then page/content pairs, then font
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(n))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode())
    for i, data in enumerate(streams):
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {4 + 2 * i} 0 R "
                       f"/Resources << /Font << /F1 {font} 0 R >> >> >>".encode())
        filt = b" /Filter /FlateDecode" if compressed else b""
        objects.append(b"<< /Length " + str(len(data)).encode() + filt + b" >>\nstream\n" + data + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    objects.extend(extra_objects)
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for num, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{num} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def text_page(lines: list[str]) -> bytes:
    ops = ["BT", "/F1 11 Tf", "14 TL", "72 740 Td"]
    for line in lines:
        esc = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(f"({esc}) Tj T*")
    ops.append("ET")
    return zlib.compress("\n".join(ops).encode("latin-1"))


def flate_bomb_pdf(path: Path, *, pages: int = 40, inflated_mb: int = 64) -> None:
    """One real page, then pages whose content streams are a few KB each and inflate to
    `inflated_mb` MB (just under pypdf's own 75 MB cap per stream): GBs in all."""
    bomb = zlib.compress(b" " * (inflated_mb * 1024 * 1024), 9)
    first = text_page(["Immigration Enforcement Policy", POLICY_SENTENCE[:80]])
    path.write_bytes(pdf_bytes([first] + [bomb] * pages))


def many_pages_pdf(path: Path, pages: int = 5000) -> None:
    """A PDF of thousands of (tiny) pages."""
    rng = random.Random(3)
    words = POLICY_SENTENCE.split()
    path.write_bytes(pdf_bytes([text_page([f"Section {i}. " + " ".join(rng.choice(words) for _ in range(12))])
                                for i in range(pages)]))


def surrogate_pdf(path: Path) -> None:
    """A PDF whose ToUnicode map sends a glyph to a lone surrogate (U+D800)."""
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /X def "
            b"1 begincodespacerange <00> <FF> endcodespacerange "
            b"2 beginbfchar <41> <D800> <42> <0042> endbfchar endcmap CMapName currentdict /CMap "
            b"defineresource pop end end")
    lines = ["Officers shall not inquire about immigration status AB.", POLICY_SENTENCE[:90]]
    n_font = 5  # catalog, pages, page, contents, font; the map is the next object
    streams = [text_page(lines)]
    extra = [b"<< /Length " + str(len(cmap)).encode() + b" >>\nstream\n" + cmap + b"\nendstream"]
    body = pdf_bytes(streams, extra_objects=extra).replace(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode {n_font + 1} 0 R >>".encode())
    path.write_bytes(_fix_xref(body))


def _fix_xref(body: bytes) -> bytes:
    """Recompute the xref offsets after an edit (objects are found by 'N 0 obj')."""
    import re

    head, _, _ = body.partition(b"xref\n")
    offsets = [m.start() for m in re.finditer(rb"(?m)^\d+ 0 obj\n", head)]
    out = io.BytesIO()
    out.write(head)
    xref = out.tell()
    out.write(f"xref\n0 {len(offsets) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(offsets) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


# ---------------------------------------------------------------------------------- DOCX

_CT = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
       b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
       b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
       b'<Default Extension="xml" ContentType="application/xml"/>'
       b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
       b'officedocument.wordprocessingml.document.main+xml"/></Types>')
_RELS = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
         b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
         b'relationships/officeDocument" Target="word/document.xml"/></Relationships>')
_W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx(path: Path, body_chunks, level: int = 6) -> None:
    """A minimal .docx whose body is the concatenation of `body_chunks` (streamed)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        zf.writestr("[Content_Types].xml", _CT)
        zf.writestr("_rels/.rels", _RELS)
        with zf.open("word/document.xml", "w", force_zip64=True) as fh:
            fh.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ' + _W + b"><w:body>")
            for chunk in body_chunks:
                fh.write(chunk)
            fh.write(b"</w:body></w:document>")


def inflating_docx(path: Path, *, megabytes: int = 190) -> None:
    """A .docx under the 200:1 ratio check whose XML inflates to `megabytes` MB."""
    rng = random.Random(17)
    para = b"<w:p><w:r><w:t>" + POLICY_SENTENCE.encode() + b"%08x</w:t></w:r></w:p>"
    block = b"".join(para.replace(b"%08x", b"%08x" % rng.getrandbits(32)) for _ in range(2000))
    reps = megabytes * 1024 * 1024 // len(block) + 1
    # vary each block a little so the whole compresses about 100:1, not 1000:1
    _docx(path, (block[:-20] + b"%020x" % rng.getrandbits(80) for _ in range(reps)), level=1)


def deep_xml_docx(path: Path, depth: int = 100_000) -> None:
    """A .docx whose body nests content controls `depth` deep."""
    rng = random.Random(7)
    opens = b"".join(b'<w:sdt><w:sdtPr><w:id w:val="%d"/></w:sdtPr><w:sdtContent>' % rng.getrandbits(31)
                     for _ in range(depth))
    close = b"</w:sdtContent></w:sdt>"
    text = b"<w:p><w:r><w:t>" + POLICY_SENTENCE.encode() + b"</w:t></w:r></w:p>"
    _docx(path, [opens, text, close * depth])


# ---------------------------------------------------------------------------------- text, HTML

def deep_html(path: Path, depth: int = 50_000) -> None:
    path.write_bytes(b"<html><body><p>" + POLICY_SENTENCE.encode() + b"</p>" + b"<ul><li>x" * depth
                     + b"</body></html>")


def deep_div_html(path: Path, depth: int = 50_000) -> None:
    path.write_bytes(b"<html><body>" + b"<div>" * depth + POLICY_SENTENCE.encode() + b"</div>" * depth
                     + b"</body></html>")


def giant_line_txt(path: Path, megabytes: int = 20) -> None:
    """One line of `megabytes` MB of policy words."""
    sentence = POLICY_SENTENCE.encode()
    path.write_bytes(sentence * (megabytes * 1024 * 1024 // len(sentence)))


def giant_word_txt(path: Path, megabytes: int = 20) -> None:
    """One 'word' of `megabytes` MB (no spaces at all)."""
    path.write_bytes(b"immigration" * (megabytes * 1024 * 1024 // 11))


def long_paragraph_md(path: Path, chars: int = 400_000) -> None:
    sentence = POLICY_SENTENCE.encode()
    path.write_bytes(b"# Policy\n\n" + sentence * (chars // len(sentence)) + b"\n")


def base64_charset_html(path: Path) -> None:
    path.write_bytes(b'<html><head><meta charset="base64"></head><body><p>' + POLICY_SENTENCE.encode()
                     + b"</p></body></html>")


def lying_charset_html(path: Path) -> None:
    """UTF-8 bytes (curly quotes and all) that declare themselves UTF-16."""
    path.write_bytes(b'<html><head><meta charset="utf-16"></head><body><p>\xe2\x80\x9c'
                     + POLICY_SENTENCE.encode() * 3 + b"\xe2\x80\x9d</p></body></html>")


def ebcdic_charset_html(path: Path) -> None:
    path.write_bytes(b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=cp500">'
                     b"</head><body><p>" + POLICY_SENTENCE.encode() * 3 + b"</p></body></html>")


def gibberish_txt(path: Path) -> None:
    """An English policy saved in EBCDIC: it decodes (as Latin-1) but reads as nothing."""
    path.write_bytes((POLICY_SENTENCE * 20).encode("cp500"))


def greek_gibberish_txt(path: Path) -> None:
    """Text whose letters are almost all outside the Latin script (mis-decoded bytes)."""
    rng = random.Random(5)
    letters = [chr(c) for c in range(0x3b1, 0x3c9)]
    words = ["".join(rng.choice(letters) for _ in range(rng.randint(2, 9))) for _ in range(400)]
    path.write_text(" ".join(words) + "\n", encoding="utf-8")


#: The cases every command refuses in one line (exit 1), and the words of that line.
CASES = {
    "flate-bomb.pdf": (flate_bomb_pdf, "inflate"),
    "many-pages.pdf": (many_pages_pdf, "pages"),
    "inflating.docx": (inflating_docx, "MB of XML"),
    "deep-xml.docx": (deep_xml_docx, "nested"),
    "deep.html": (deep_html, "nested more than"),
    "deep-div.html": (deep_div_html, "nested more than"),
    "giant-line.txt": (giant_line_txt, "too long"),
    "giant-word.txt": (giant_word_txt, "too long"),
    "long-paragraph.md": (long_paragraph_md, "a line or paragraph of"),
    "ebcdic.txt": (gibberish_txt, "gibberish"),
    "greek.txt": (greek_gibberish_txt, "gibberish"),
}

#: Cases that are read (the declaration is not trusted) and answered like the plain text.
READABLE = {
    "base64-charset.html": base64_charset_html,
    "lying-charset.html": lying_charset_html,
    "ebcdic-charset.html": ebcdic_charset_html,
    "surrogate.pdf": surrogate_pdf,
}


_LAUNCHER = """
import os, resource, subprocess, sys
out = sys.argv[1]
status = subprocess.call(sys.argv[2:])
with open(out, "w") as fh:
    fh.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(status if status >= 0 else 128 - status)
"""


def measure(argv: list[str], *, cwd=None, env=None, timeout: float = 300):
    """Run `argv`; (exit status, seconds, peak resident MB, stdout, stderr).

    The peak is taken through a small launcher process: a child's ru_maxrss counts the
    memory of the process that forked it, so measuring straight from a large test process
    would report that process's size, not the command's."""
    with tempfile.TemporaryDirectory() as tmp:
        peak_file = os.path.join(tmp, "peak")
        out_path, err_path = os.path.join(tmp, "out"), os.path.join(tmp, "err")
        with open(out_path, "wb") as out, open(err_path, "wb") as err:
            start = time.monotonic()
            proc = subprocess.run([sys.executable, "-c", _LAUNCHER, peak_file, *argv], stdout=out, stderr=err,
                                  stdin=subprocess.DEVNULL, cwd=cwd, env=env, timeout=timeout)
            seconds = time.monotonic() - start
        try:
            peak = int(Path(peak_file).read_text()) / 1024  # KB on Linux
        except (OSError, ValueError):
            peak = float("nan")
        return (proc.returncode, seconds, peak, Path(out_path).read_bytes().decode("utf-8", "replace"),
                Path(err_path).read_bytes().decode("utf-8", "replace"))


def build_all(folder: Path, *, fifo: bool = True) -> list[str]:
    """Write every case into `folder` (and a named pipe, where the system has them)."""
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for name, (build, _words) in CASES.items():
        build(folder / name)
        names.append(name)
    for name, build in READABLE.items():
        build(folder / name)
        names.append(name)
    if fifo and hasattr(os, "mkfifo"):
        os.mkfifo(folder / "named-pipe.txt")
        names.append("named-pipe.txt")
    return names


if __name__ == "__main__":  # pragma: no cover
    if len(sys.argv) != 2:
        sys.exit("usage: python tests/hostile_files.py DIR")
    for n in build_all(Path(sys.argv[1])):
        print(n)
