"""The Word redline made inside the department's own .docx (writers/docx_package.py).

Checked with independent readers: pandoc (``--track-changes=accept`` gives the revised text,
``=reject`` the original, whitespace-normalised) and LibreOffice (converts the result), on
public Word fixtures -- SuperDoc's diffing pairs, kept in tests/fixtures/docx/superdoc-diffing
with their source and licence, and, when they are beside the project, the pairs in
../shared/fixtures/docx (see its README) --, on documents of every awkward shape (empty, list
only, header only, table only), and on the draft of the example Chicopee policy.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

sys.path.insert(0, str(ROOT))
from bench.bench_fidelity import (  # noqa: E402
    VENDORED, find_pairs, objects_kept, other_parts_identical, pandoc_pruned, reject_all)

from policy_redline.writers.docx_package import redline_pair  # noqa: E402

# SuperDoc's diffing fixtures are vendored (ODC-By: redistributed with their licence and
# source, tests/fixtures/docx/superdoc-diffing/SOURCE.md), so these checks run everywhere.
# The other public Word test documents (jubarte-redlines, AGPL) are data kept beside the
# project, in ../shared/fixtures/docx (see its README; the variable
# POLICY_REDLINE_DOCX_FIXTURES names another copy), never committed here; where they are
# absent their checks are skipped.
FIXTURES = Path(os.environ.get("POLICY_REDLINE_DOCX_FIXTURES", ROOT.parent / "shared" / "fixtures" / "docx"))
CHICOPEE = ROOT / "policies" / "chicopee-413.docx"
needs_pandoc = pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc not installed (CI installs it)")
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed (CI installs it)")

VENDORED_PAIRS = find_pairs([VENDORED])
# the vendored pairs first; the copies of the same files beside the project are not paired twice
PAIRS = find_pairs([VENDORED, FIXTURES])
# What pandoc 2.x cannot read back exactly, whatever the redline: it keeps the label of a list
# item whose text is all inserted or deleted and the empty shell of a table whose rows are
# (both left out by `pandoc_pruned`), and it ignores w:pPrChange, w:rPrChange and
# w:tblPrChange (a paragraph restyled or made a list item, words made bold or struck, a table
# given a header row, read in the revised formatting on both sides) and reads no VML picture
# inside w:ins. Word and LibreOffice apply all of these.
# Each vendored pair round-trips through pandoc whatever marks it carries (three carry a
# w:rPrChange that changes no word pandoc prints); only the pairs beside the project are let
# off when their redline carries one of these marks.
_PANDOC_BLIND = re.compile(r"<w:pPrChange |<w:rPrChange |<w:tblPrChange |<w:ins [^>]*><w:r>(?:(?!</w:ins>).)*<w:pict", re.S)


def _ids(pair) -> str:
    return f"{pair[0].stem}->{pair[1].stem}"


def test_vendored_superdoc_pairs_are_there_with_their_source_and_licence() -> None:
    assert len(VENDORED_PAIRS) == 13
    source = (VENDORED / "SOURCE.md").read_text()
    for needed in ("jandira-tech/docx-validate", "6141a72ffadd670d0b470c088782c7e727887472",
                   "Harbour-Enterprises/SuperDoc", "ODC-By", "Fetched: 2026-11-25"):
        assert needed in source, needed
    assert (VENDORED / "LICENSE").read_text().startswith("# ODC Attribution License (ODC-By)")


@pytest.mark.skipif(not FIXTURES.is_dir(), reason="the public Word fixtures are not beside the project (../shared/fixtures/docx)")
def test_fixture_pairs_beside_the_project_are_there() -> None:
    assert len(PAIRS) - len(VENDORED_PAIRS) >= 20
    assert (FIXTURES / "README.md").read_text().count("Commit:") == 2


@needs_pandoc
@pytest.mark.parametrize("pair", PAIRS, ids=_ids)
def test_fixture_pair_round_trips_through_pandoc(pair, tmp_path: Path) -> None:
    old, new = pair
    data = redline_pair(old.read_bytes(), new.read_bytes())
    out = tmp_path / "redline.docx"
    out.write_bytes(data)
    xml = zipfile.ZipFile(out).read("word/document.xml").decode()
    if pair in VENDORED_PAIRS or not _PANDOC_BLIND.search(xml):
        assert pandoc_pruned(out, "accept") == pandoc_pruned(new, "accept")
        assert pandoc_pruned(out, "reject") == pandoc_pruned(old, "accept")
    # whatever pandoc makes of it: every part but the body is the original's (or tracked), and
    # every picture, equation, field, link and note reference is where it should be
    assert other_parts_identical(old.read_bytes(), data)
    assert objects_kept(old.read_bytes(), new.read_bytes(), data)


@pytest.mark.parametrize("pair", PAIRS, ids=_ids)
def test_fixture_pair_is_deterministic_with_unique_revision_ids(pair) -> None:
    old, new = pair
    first = redline_pair(old.read_bytes(), new.read_bytes())
    assert redline_pair(old.read_bytes(), new.read_bytes()) == first
    xml = zipfile.ZipFile(io.BytesIO(first)).read("word/document.xml").decode()
    ids = re.findall(r'<w:(?:ins|del|pPrChange|rPrChange|tblPrChange|tblGridChange|trPrChange|tcPrChange|tblPrExChange) w:id="(\d+)"', xml)
    assert len(ids) == len(set(ids))
    assert "w:delText" not in re.sub(r"<w:del [^>]*>.*?</w:del>", "", xml, flags=re.S)


@needs_soffice
def test_libreoffice_converts_the_redlines(tmp_path: Path) -> None:
    """Every fixture pair's redline opens in LibreOffice: one LibreOffice process converts them
    all (about 0.1 s a document once it has started; starting takes seconds)."""
    paths = []
    made = [_commented_pair(tmp_path), _restyled_table_pair(tmp_path), _reformatted_rows_pair(tmp_path),
            _unstyled_pair(tmp_path)]
    for k, (old, new) in enumerate(PAIRS + made):
        path = tmp_path / f"{k:02d}-{old.stem}.docx"
        path.write_bytes(redline_pair(old.read_bytes(), new.read_bytes()))
        paths.append(path)
    _soffice_pdf(paths, tmp_path)


def _commented_pair(tmp_path: Path) -> tuple[Path, Path]:
    """A clause reworded, and the revised document's clerk left a comment on it; the original
    has no comments at all."""
    import docx

    def write(name: str, clause: str, comment: str = "") -> Path:
        d = docx.Document()
        d.add_paragraph("Purpose and scope.")
        p = d.add_paragraph(clause)
        if comment:
            d.add_comment(p.runs, text=comment, author="Clerk")
        path = tmp_path / f"{name}.docx"
        d.save(str(path))
        return path

    return (write("uncommented", "Officers may ask about immigration status."),
            write("commented", "Officers shall not ask about immigration status.", "Changed after the council vote."))


def test_a_comment_of_the_revised_document_is_not_referenced_in_the_original(tmp_path: Path) -> None:
    """The redline is the original's package: a comment only the revised document has is not
    in it, so its reference is not copied with the reworded words (LibreOffice refuses to
    open a document whose text points to a comment that is not there)."""
    old, new = _commented_pair(tmp_path)
    data = redline_pair(old.read_bytes(), new.read_bytes())
    z = zipfile.ZipFile(io.BytesIO(data))
    xml = z.read("word/document.xml").decode()
    assert "shall not" in xml and "<w:ins " in xml
    assert "commentReference" not in xml and "commentRange" not in xml
    assert "word/comments.xml" not in z.namelist()
    assert other_parts_identical(old.read_bytes(), data)


def _soffice_pdf(paths: Path | list[Path], tmp_path: Path) -> None:
    paths = [paths] if isinstance(paths, Path) else paths
    profile = (tmp_path / "lo-profile").as_uri()
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path / "out"), *map(str, paths)],
        capture_output=True, text=True, timeout=240,
    )
    assert result.returncode == 0, result.stderr
    for path in paths:  # LibreOffice says "source file could not be loaded" and goes on
        pdf = tmp_path / "out" / (path.stem + ".pdf")
        assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF"), f"{path.name}: {result.stderr.strip()}"


# --- any two documents ---------------------------------------------------------------------


def _shapes(tmp_path: Path) -> dict[str, Path]:
    import docx

    out: dict[str, Path] = {}

    def save(name, doc):
        out[name] = tmp_path / f"{name}.docx"
        doc.save(out[name])

    save("empty", docx.Document())
    d = docx.Document()
    for item in ("First item of the list", "Second item", "Third item"):
        d.add_paragraph(item, style="List Number")
    save("list", d)
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "Header only: Chicopee Police Department"
    save("header", d)
    d = docx.Document()
    t = d.add_table(rows=2, cols=2)
    for i, row in enumerate(t.rows):
        for j, cell in enumerate(row.cells):
            cell.text = f"cell {i} {j}"
    save("table", d)
    d = docx.Document()
    p = d.add_paragraph("Bold start ")
    p.runs[0].bold = True
    p.add_run("then italic words").italic = True
    d.add_paragraph("A second paragraph of body text.")
    save("text", d)
    return out


@needs_pandoc
def test_any_two_documents_compare(tmp_path: Path) -> None:
    shapes = _shapes(tmp_path)
    for a, pa in shapes.items():
        for b, pb in shapes.items():
            data = redline_pair(pa.read_bytes(), pb.read_bytes())
            out = tmp_path / f"{a}-{b}.docx"
            out.write_bytes(data)
            # pandoc keeps the bare label of a list item whose text is all tracked, and the
            # empty shell of a table whose rows are: its artefacts are left out here
            assert pandoc_pruned(out, "accept") == pandoc_pruned(pb, "accept"), (a, b)
            assert pandoc_pruned(out, "reject") == pandoc_pruned(pa, "accept"), (a, b)
            assert other_parts_identical(pa.read_bytes(), data), (a, b)


def test_cli_compare_two_docx_is_the_original_document(tmp_path: Path) -> None:
    shapes = _shapes(tmp_path)
    out = tmp_path / "out.docx"
    r = run_cli("compare", str(shapes["text"]), "--against", str(shapes["empty"]), "--format", "docx", "-o", str(out))
    assert r.returncode == 0, r.stderr
    names = zipfile.ZipFile(out).namelist()
    assert names == zipfile.ZipFile(shapes["empty"]).namelist()  # no part added: no comments
    xml = zipfile.ZipFile(out).read("word/document.xml").decode()
    assert "<w:ins " in xml and "commentReference" not in xml and "Bold start" in xml
    # bold and italic of the revised document survive in the inserted runs
    assert "<w:b/>" in xml and "<w:i/>" in xml


def test_cli_refuses_an_unreadable_docx_in_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a zip at all")
    r = run_cli("compare", str(bad), "--against", str(CHICOPEE), "--format", "docx", "-o", str(tmp_path / "o.docx"))
    err = r.stderr.decode()
    assert r.returncode == 1 and len(err.strip().splitlines()) == 1 and "bad.docx" in err


# --- compare and draft of the example policy ------------------------------------------------


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


@needs_pandoc
def test_compare_docx_against_a_model_keeps_the_document(tmp_path: Path) -> None:
    out = tmp_path / "c.docx"
    r = run_cli("compare", str(CHICOPEE), "--against", "model-policy", "--format", "docx", "-o", str(out))
    assert r.returncode == 0, r.stderr
    before, after = _parts(CHICOPEE), _parts(out)
    assert set(before) == set(after)
    for name in before:
        if name != "word/document.xml":
            assert before[name] == after[name], name
    assert _plain(out, "reject") == _plain(CHICOPEE, "accept")
    assert b"commentReference" not in after["word/document.xml"]
    annotated = tmp_path / "a.docx"
    assert run_cli("compare", str(CHICOPEE), "--against", "model-policy", "--format", "docx", "--annotate",
                   "-o", str(annotated)).returncode == 0
    assert b"commentReference" in _parts(annotated)["word/document.xml"]


def _plain(path: Path, mode: str) -> str:
    out = subprocess.run(["pandoc", "-f", "docx", "-t", "plain", "--wrap=none", f"--track-changes={mode}", str(path)],
                         capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())


@needs_pandoc
def test_draft_of_a_docx_is_its_own_document(tmp_path: Path) -> None:
    tracked, clean = tmp_path / "draft.docx", tmp_path / "clean.docx"
    assert run_cli("draft", str(CHICOPEE), "-o", str(tracked)).returncode == 0
    assert run_cli("draft", str(CHICOPEE), "--clean", "-o", str(clean)).returncode == 0
    before, after = _parts(CHICOPEE), _parts(tracked)
    # every part kept byte for byte but the body, the comments added and their bookkeeping
    for name in before:
        if name not in ("word/document.xml", "word/_rels/document.xml.rels", "[Content_Types].xml"):
            assert before[name] == after[name], name
    assert set(after) - set(before) == {"word/comments.xml"}
    # Reject All: the original text, list numbers included ((a)-(e) print as they did)
    assert _plain(tracked, "reject") == _plain(CHICOPEE, "accept")
    assert re.search(r"\(a\) ", _plain(tracked, "reject"))
    # Accept All: the clean draft (pandoc leaves the bare label of a deleted list item)
    assert pandoc_pruned(tracked, "accept") == pandoc_pruned(clean, "accept")
    # no untracked title line, no header replaced
    xml = after["word/document.xml"].decode()
    assert xml.count("<w:commentReference") >= 3 and "Immigration Violations" in xml
    comments = after["word/comments.xml"].decode()
    assert "red flag" in comments


@needs_soffice
def test_draft_docx_opens_in_libreoffice(tmp_path: Path) -> None:
    tracked = tmp_path / "draft.docx"
    assert run_cli("draft", str(CHICOPEE), "-o", str(tracked)).returncode == 0
    _soffice_pdf(tracked, tmp_path)


def test_draft_docx_is_deterministic(tmp_path: Path) -> None:
    a, b = tmp_path / "a.docx", tmp_path / "b.docx"
    assert run_cli("draft", str(CHICOPEE), "-o", str(a)).returncode == 0
    assert run_cli("draft", str(CHICOPEE), "-o", str(b)).returncode == 0
    assert a.read_bytes() == b.read_bytes()


@needs_pandoc
def test_compare_docx_against_the_template_is_the_department_document_accepted(tmp_path: Path) -> None:
    """Against the template the changes lead from the template to the department's text:
    the package is still the department's, and Accept All gives exactly its document."""
    out = tmp_path / "t.docx"
    r = run_cli("compare", str(CHICOPEE), "--format", "docx", "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert _plain(out, "accept") == _plain(CHICOPEE, "accept")
    rejected = _plain(out, "reject")
    assert "members of the Department relating to immigration" in rejected  # the template's words
    assert "Chicopee Police Department relating" not in rejected
    before, after = _parts(CHICOPEE), _parts(out)
    assert all(before[n] == after[n] for n in before if n != "word/document.xml")


# --- parts other than the body, formatting, lists, objects ---------------------------------
# Each case is a pair of real documents: the example Chicopee policy as published and the same
# policy edited the way a clerk would edit it (python-docx), or two small documents written
# here. Accept All must give the revised document, Reject All the original.

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _accepted(xml: bytes):
    from lxml import etree

    from policy_redline.writers.docx_package import accept_existing

    root = etree.fromstring(xml)
    accept_existing(root, W_NS)
    return root


def _rejected(xml: bytes):
    from lxml import etree

    root = etree.fromstring(xml)
    reject_all(root)
    return root


def _words(root) -> str:
    return " ".join("".join(t.text or "" for t in root.iter(f"{{{W_NS}}}t")).split())


def _edited_chicopee(tmp_path: Path, name: str, edit) -> Path:
    import docx

    d = docx.Document(str(CHICOPEE))
    edit(d)
    out = tmp_path / f"{name}.docx"
    d.save(str(out))
    return out


def test_a_changed_header_is_tracked_in_the_header_and_the_rest_kept(tmp_path: Path) -> None:
    def edit(d):
        p = d.sections[0].header.paragraphs[0]
        for r in p.runs:
            r.text = ""
        p.runs[0].text = "Chicopee Police Department Policy Manual (revised)"

    new = _edited_chicopee(tmp_path, "header", edit)
    data = redline_pair(CHICOPEE.read_bytes(), new.read_bytes())
    out = tmp_path / "header-redline.docx"
    out.write_bytes(data)
    before, after = _parts(CHICOPEE), _parts(out)
    header = after["word/header1.xml"]
    assert b"<w:ins " in header
    assert _words(_rejected(header)) == _words(_accepted(before["word/header1.xml"]))
    assert _words(_accepted(header)) == "Chicopee Police Department Policy Manual (revised)"
    # the body did not change: no revision in it; every other part byte for byte
    assert b"<w:ins " not in after["word/document.xml"] and b"<w:del " not in after["word/document.xml"]
    for name in before:
        if name not in ("word/document.xml", "word/header1.xml"):
            assert before[name] == after[name], name


def test_an_unchanged_header_stays_byte_for_byte(tmp_path: Path) -> None:
    def edit(d):
        d.paragraphs[-1].add_run(" Amended by the council.")

    new = _edited_chicopee(tmp_path, "body", edit)
    data = redline_pair(CHICOPEE.read_bytes(), new.read_bytes())
    after = zipfile.ZipFile(io.BytesIO(data))
    assert after.read("word/header1.xml") == _parts(CHICOPEE)["word/header1.xml"]
    assert b"Amended by the council." in after.read("word/document.xml")


def test_bold_added_is_a_formatting_change_not_a_deletion(tmp_path: Path) -> None:
    import docx

    def edit(d):
        para = next(p for p in d.paragraphs if "immigration" in p.text.lower() and len(p.runs) >= 1)
        for r in para.runs:
            r.bold = True

    new = _edited_chicopee(tmp_path, "bold", edit)
    data = redline_pair(CHICOPEE.read_bytes(), new.read_bytes())
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert "<w:rPrChange " in xml
    assert "<w:del " not in xml and "<w:ins " not in xml  # the words are not struck and retyped
    out = tmp_path / "bold-redline.docx"
    out.write_bytes(data)
    if shutil.which("pandoc"):
        assert _plain(out, "accept") == _plain(new, "accept")
        # pandoc applies the revised formatting but ignores w:rPrChange: the words are the original's
        assert _plain(out, "reject") == _plain(CHICOPEE, "accept")
    # the bold is there in the accepted runs, and the original's plain runs are recorded
    assert re.search(r"<w:rPr>(?:(?!</w:rPr>).)*<w:b/>(?:(?!</w:rPr>).)*<w:rPrChange ", xml)
    assert docx.Document(str(out)).paragraphs  # python-docx still opens it


def _package_with(tmp_path: Path, name: str, paragraphs: list[str], extra_parts: dict[str, bytes] | None = None,
                  body_xml: str | None = None, numbering_edit=None) -> Path:
    """A small .docx written with python-docx, then given parts python-docx cannot write
    (footnotes, a text box) by editing its XML."""
    import docx

    d = docx.Document()
    for text in paragraphs:
        d.add_paragraph(text)
    raw = tmp_path / f"{name}-raw.docx"
    d.save(str(raw))
    out = tmp_path / f"{name}.docx"
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml" and body_xml is not None:
                text = data.decode()
                start = text.index("<w:body>") + len("<w:body>")
                end = text.index("<w:sectPr")
                data = (text[:start] + body_xml + text[end:]).encode()
            if info.filename == "word/numbering.xml" and numbering_edit is not None:
                data = numbering_edit(data.decode()).encode()
            if info.filename == "[Content_Types].xml" and extra_parts and "word/footnotes.xml" in extra_parts:
                data = data.replace(b"</Types>", b'<Override PartName="/word/footnotes.xml" ContentType="application/'
                                    b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>')
            if info.filename == "word/_rels/document.xml.rels" and extra_parts and "word/footnotes.xml" in extra_parts:
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdNotes" Type="http://schemas.openxmlformats.org/'
                                    b'officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>')
            dst.writestr(info, data)
        for part, data in (extra_parts or {}).items():
            dst.writestr(part, data)
    return out


def _footnotes(text: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<w:footnotes xmlns:w="{W_NS}">'
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
            '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
            f'<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:footnote>'
            '</w:footnotes>').encode()


_NOTED = ('<w:p><w:r><w:t xml:space="preserve">Officers shall not detain a person solely on a civil immigration detainer.</w:t></w:r>'
          '<w:r><w:footnoteReference w:id="1"/></w:r></w:p>')


@needs_pandoc
def test_a_footnote_edited_is_tracked_inside_the_note(tmp_path: Path) -> None:
    old = _package_with(tmp_path, "note-old", [], {"word/footnotes.xml": _footnotes("See Lunn v. Commonwealth, 477 Mass. 517 (2017).")},
                        body_xml=_NOTED)
    new = _package_with(tmp_path, "note-new", [], {"word/footnotes.xml": _footnotes("See Lunn v. Commonwealth, 477 Mass. 517, 78 N.E.3d 1143 (2017).")},
                        body_xml=_NOTED)
    data = redline_pair(old.read_bytes(), new.read_bytes())
    out = tmp_path / "note-redline.docx"
    out.write_bytes(data)
    z = zipfile.ZipFile(out)
    notes = z.read("word/footnotes.xml")
    assert b"<w:ins " in notes and notes.count(b"<w:footnote ") == 3  # edited in place, not a second note
    assert b"<w:ins " not in z.read("word/document.xml")  # the reference itself is kept
    assert _plain(out, "accept") == _plain(new, "accept")
    assert _plain(out, "reject") == _plain(old, "accept")


def _textbox(text: str) -> str:
    return ('<w:p><w:r><w:t xml:space="preserve">Posted in every station: </w:t></w:r><w:r><w:pict>'
            '<v:shape xmlns:v="urn:schemas-microsoft-com:vml" id="box1" style="width:200pt;height:60pt" type="#_x0000_t202">'
            f'<v:textbox><w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent></v:textbox>'
            '</v:shape></w:pict></w:r></w:p>')


def test_a_text_box_edited_is_tracked_inside_the_box(tmp_path: Path) -> None:
    old = _package_with(tmp_path, "box-old", [], body_xml=_textbox("Officers may ask about immigration status."))
    new = _package_with(tmp_path, "box-new", [], body_xml=_textbox("Officers shall not ask about immigration status."))
    data = redline_pair(old.read_bytes(), new.read_bytes())
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    # one shape, the words inside it tracked: "may" deleted, "shall not" inserted
    assert xml.count(b"<v:shape ") == 1
    assert _words(_accepted(xml)) == "Posted in every station: Officers shall not ask about immigration status."
    assert _words(_rejected(xml)) == "Posted in every station: Officers may ask about immigration status."
    assert re.search(rb"<w:txbxContent>.*<w:del .*may.*</w:txbxContent>", xml, re.S)


@needs_pandoc
def test_lists_that_share_a_number_but_not_a_format_keep_the_revised_labels(tmp_path: Path) -> None:
    """Two documents whose list 1 is bullets in one and numbers in the other: the inserted
    items print numbers, as in the revised document, not the original's bullets."""
    items = "".join(f'<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>{t}</w:t></w:r></w:p>'
                    for t in ("Notify the supervisor", "Record the contact", "Release the person"))
    old = _package_with(tmp_path, "bullets", [], body_xml='<w:p><w:r><w:t>Procedure</w:t></w:r></w:p>')
    new = _package_with(tmp_path, "numbers", [], body_xml='<w:p><w:r><w:t>Procedure</w:t></w:r></w:p>' + items,
                        numbering_edit=lambda x: x.replace('<w:num w:numId="1"><w:abstractNumId w:val="8"/>',
                                                           '<w:num w:numId="1"><w:abstractNumId w:val="0"/>'))
    bullets = _package_with(tmp_path, "bullets2", [], body_xml='<w:p><w:r><w:t>Procedure</w:t></w:r></w:p>' + items)
    for original in (old, bullets):
        out = tmp_path / f"lists-{original.stem}.docx"
        out.write_bytes(redline_pair(original.read_bytes(), new.read_bytes()))
        assert pandoc_pruned(out, "accept") == pandoc_pruned(new, "accept")
        assert "1. Notify the supervisor" in _plain(out, "accept")
        assert "- Notify" not in _plain(out, "accept")
        # the original's numbering part only gains the revised list's definition
        assert other_parts_identical(original.read_bytes(), out.read_bytes())


@needs_soffice
def test_libreoffice_converts_a_redline_with_header_and_formatting_changes(tmp_path: Path) -> None:
    def edit(d):
        d.sections[0].header.paragraphs[0].add_run(" (revised)")
        next(p for p in d.paragraphs if p.runs).runs[0].italic = True

    new = _edited_chicopee(tmp_path, "both", edit)
    out = tmp_path / "both-redline.docx"
    out.write_bytes(redline_pair(CHICOPEE.read_bytes(), new.read_bytes()))
    z = zipfile.ZipFile(out)
    assert b"<w:ins " in z.read("word/header1.xml") and b"<w:rPrChange " in z.read("word/document.xml")
    _soffice_pdf(out, tmp_path)


def _equation(value: str) -> str:
    return ('<m:oMath xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math">'
            f'<m:r><m:t>fine</m:t></m:r><m:r><m:t>=</m:t></m:r><m:r><m:t>{value}</m:t></m:r></m:oMath>')


def test_an_equation_that_changed_is_tracked_whole_and_nothing_is_dropped(tmp_path: Path) -> None:
    """The old equation goes into a w:del whole and the new one into a w:ins (pandoc 2.x reads
    no math inside revision marks, so the check is on the package: Accept All and Reject All
    applied to it)."""
    old = _package_with(tmp_path, "eq-old", [], body_xml=f'<w:p><w:r><w:t xml:space="preserve">The penalty is </w:t></w:r>{_equation("50")}'
                        '<w:r><w:t xml:space="preserve"> dollars.</w:t></w:r></w:p>')
    new = _package_with(tmp_path, "eq-new", [], body_xml=f'<w:p><w:r><w:t xml:space="preserve">The penalty is </w:t></w:r>{_equation("100")}'
                        '<w:r><w:t xml:space="preserve"> dollars a day.</w:t></w:r></w:p>')
    data = redline_pair(old.read_bytes(), new.read_bytes())
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    assert re.search(rb"<w:del [^>]*><m:oMath>.*?50.*?</m:oMath></w:del>", xml)
    assert re.search(rb"<w:ins [^>]*><m:oMath>.*?100.*?</m:oMath></w:ins>", xml)
    assert objects_kept(old.read_bytes(), new.read_bytes(), data)

    def text(root) -> str:
        return " ".join("".join(t.text or "" for t in root.iter(f"{{{W_NS}}}t", "{*}t")).split())

    assert text(_accepted(xml)) == "The penalty is fine=100 dollars a day."
    assert text(_rejected(xml)) == "The penalty is fine=50 dollars."


# --- a document that was not .docx gets a generated one, laid out as a policy ---------------


@needs_pandoc
def test_a_markdown_policy_drafts_into_a_document_with_a_policy_look(tmp_path: Path) -> None:
    out = tmp_path / "draft.docx"
    r = run_cli("draft", str(ROOT / "policies" / "chicopee-413.md"), "-o", str(out))
    assert r.returncode == 0, r.stderr
    z = zipfile.ZipFile(out)
    header = re.sub(r"<[^>]+>", " ", z.read("word/header1.xml").decode())
    assert "Chicopee Police Department" in header and "Policy 413: Immigration Violations" in header
    footer = z.read("word/footer1.xml").decode()
    assert 'w:instr=" PAGE "' in footer and 'w:instr=" NUMPAGES "' in footer  # "Page 1 of 7"
    body = z.read("word/document.xml").decode()
    paragraphs = re.findall(r"<w:p>.*?</w:p>", body, re.S)
    # the title block is the policy's own first lines: its heading centred, the department
    # line under it in its own style, ruled off -- no line added that the policy lacks
    assert '<w:pStyle w:val="Heading1"/><w:jc w:val="center"/>' in paragraphs[0] and "Policy 413" in paragraphs[0]
    assert '<w:pStyle w:val="PolicySubtitle"/><w:pBdr>' in paragraphs[1] and "Chicopee Police Department" in paragraphs[1]
    styles = z.read("word/styles.xml").decode()
    assert 'w:styleId="PolicySubtitle"' in styles
    # a list item's typed label "(a)" hangs, as in a numbered list
    assert re.search(r'<w:ind w:left="720" w:hanging="360"/>.*?\(a\) ', body, re.S)
    assert _plain(out, "reject").startswith("Policy 413: Immigration Violations Chicopee Police Department 413.1 PURPOSE AND SCOPE")


@needs_pandoc
def test_a_replaced_opening_keeps_each_sides_title_block_first(tmp_path: Path) -> None:
    """Two policies with nothing in common: the old title and the new one lead the redline,
    then the old text struck and the new inserted, so each reading opens with its own title
    (pandoc, like Word's title block, reads a Title line only at the top)."""
    import docx

    def write(name: str, title: str, body: str) -> Path:
        d = docx.Document()
        d.add_paragraph(title, style="Title")
        d.add_paragraph(body)
        path = tmp_path / f"{name}.docx"
        d.save(str(path))
        return path

    old = write("use-of-force", "Use of Force", "Officers may use reasonable force to effect an arrest.")
    new = write("immigration", "Immigration Violations", "Members shall not inquire about anyone's immigration status.")
    out = tmp_path / "opening.docx"
    out.write_bytes(redline_pair(old.read_bytes(), new.read_bytes()))
    assert _plain(out, "accept") == _plain(new, "accept")
    assert _plain(out, "reject") == _plain(old, "accept")
    body = zipfile.ZipFile(out).read("word/document.xml").decode()
    assert body.index("Use of Force") < body.index("Immigration Violations") < body.index("Officers may use")


@needs_pandoc
def test_a_kept_title_line_then_a_replaced_opening_keeps_the_revised_title_block_whole(tmp_path: Path) -> None:
    """Both documents open with a Title line (the policy number, renumbered); the rest is
    replaced and the revised document has a second Title line. The revised title lines stay
    together, the old text struck after them: Accept All reads the revised title block (pandoc
    would take a title line after a struck paragraph for body text)."""
    import docx

    def write(name: str, titles: list[str], body: str) -> Path:
        d = docx.Document()
        for title in titles:
            d.add_paragraph(title, style="Title")
        d.add_paragraph(body)
        path = tmp_path / f"{name}.docx"
        d.save(str(path))
        return path

    old = write("413", ["Policy 413"], "Officers may use reasonable force to effect an arrest.")
    new = write("414", ["Policy 414", "Immigration Violations"], "Members shall not inquire about anyone's immigration status.")
    out = tmp_path / "retitled.docx"
    out.write_bytes(redline_pair(old.read_bytes(), new.read_bytes()))
    assert _plain(out, "accept") == _plain(new, "accept")
    assert _plain(out, "reject") == _plain(old, "accept")
    body = zipfile.ZipFile(out).read("word/document.xml").decode()
    assert body.index(">Policy ") < body.index("Immigration Violations") < body.index("Officers may use")


def _restyled_table_pair(tmp_path: Path) -> tuple[Path, Path]:
    """The same table, given another table style and other column widths."""
    import docx
    from docx.shared import Inches

    def write(name: str, style: str, widths: tuple[float, float]) -> Path:
        d = docx.Document()
        d.add_paragraph("Detainer requests received")
        t = d.add_table(rows=2, cols=2)
        t.style = style
        for row, texts in zip(t.rows, (("Agency", "Requests"), ("ICE", "12"))):
            for k, (cell, text) in enumerate(zip(row.cells, texts)):
                cell.text = text
                cell.width = Inches(widths[k])
        for column, width in zip(t.columns, widths):
            column.width = Inches(width)
        path = tmp_path / f"{name}.docx"
        d.save(str(path))
        return path

    return write("plain-table", "Table Grid", (3.0, 3.0)), write("styled-table", "Light Grid Accent 1", (4.0, 2.0))


def test_a_table_restyled_is_a_tracked_table_formatting_change(tmp_path: Path) -> None:
    """The same table, given another table style and other column widths in the revised
    document: Accept All has the revised table's properties and grid, the original's are
    recorded in w:tblPrChange and w:tblGridChange (Reject All restores them); no word is
    struck or retyped."""
    from lxml import etree

    old, new = _restyled_table_pair(tmp_path)
    data = redline_pair(old.read_bytes(), new.read_bytes())
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    assert b"<w:ins " not in xml and b"<w:del " not in xml
    w = "{%s}" % W_NS
    tbl = etree.fromstring(xml).find(f"{w}body/{w}tbl")
    style = tbl.find(f"{w}tblPr/{w}tblStyle").get(f"{w}val")
    before = tbl.find(f"{w}tblPr/{w}tblPrChange/{w}tblPr/{w}tblStyle").get(f"{w}val")
    assert (style, before) == ("LightGrid-Accent1", "TableGrid")
    grid = [c.get(f"{w}w") for c in tbl.findall(f"{w}tblGrid/{w}gridCol")]
    grid_before = [c.get(f"{w}w") for c in tbl.findall(f"{w}tblGrid/{w}tblGridChange/{w}tblGrid/{w}gridCol")]
    assert grid != grid_before and len(grid) == len(grid_before) == 2
    body_of = lambda path: zipfile.ZipFile(path).read("word/document.xml")  # noqa: E731
    assert _words(_accepted(xml)) == _words(_accepted(body_of(new))) == _words(_rejected(xml)) == _words(_accepted(body_of(old)))
    ids = re.findall(rb'<w:(?:tblPrChange|tblGridChange) w:id="(\d+)"', xml)
    assert len(ids) == 2 and len(set(ids)) == 2
    assert other_parts_identical(old.read_bytes(), data)  # the styles part only gains the table style



# --- a row's and a cell's formatting -------------------------------------------------------


def _look(props) -> tuple:
    """A properties element as Word reads it: tags, attributes and children in order; a row
    or cell without one has none set (the same as an empty one)."""
    if props is None:
        return ()
    return tuple((c.tag, tuple(sorted(c.attrib.items())), _look(c)) for c in props if isinstance(c.tag, str))


def _row_looks(root) -> list:
    """Each table row's properties and exceptions to its table's, and its cells' properties,
    in document order."""
    w = "{%s}" % W_NS
    return [(_look(tr.find(f"{w}tblPrEx")), _look(tr.find(f"{w}trPr")), [_look(tc.find(f"{w}tcPr")) for tc in tr.findall(f"{w}tc")])
            for tr in root.iter(f"{w}tr")]


def _reformatted_rows_pair(tmp_path: Path) -> tuple[Path, Path]:
    """A detainer log whose revised edition gives the first row the repeating header-row flag,
    a row a fixed height, a cell shading and borders, the columns other widths, and merges the
    last column's two lower cells vertically -- the words are the same."""
    import docx
    from docx.oxml import parse_xml
    from docx.shared import Inches, Pt

    def write(name: str, revised: bool) -> Path:
        d = docx.Document()
        d.add_paragraph("Detainer requests received, by agency")
        t = d.add_table(rows=3, cols=3)
        t.style = "Table Grid"
        for row, texts in zip(t.rows, (("Agency", "Requests", "Honoured"), ("ICE", "12", "none"), ("CBP", "3", ""))):
            for cell, text in zip(row.cells, texts):
                if text:
                    cell.text = text
        widths = (3.0, 1.5, 1.5) if revised else (2.0, 2.0, 2.0)
        for row in t.rows:
            for cell, width in zip(row.cells, widths):
                cell.width = Inches(width)
        for column, width in zip(t.columns, widths):
            column.width = Inches(width)
        if revised:
            header = t.rows[0]._tr.get_or_add_trPr()
            header.append(parse_xml(f'<w:tblHeader xmlns:w="{W_NS}"/>'))
            t.rows[1].height = Pt(28)
            tc_pr = t.cell(0, 0)._tc.get_or_add_tcPr()
            tc_pr.append(parse_xml(
                f'<w:tcBorders xmlns:w="{W_NS}"><w:bottom w:val="double" w:sz="4" w:space="0" w:color="000000"/></w:tcBorders>'))
            tc_pr.append(parse_xml(f'<w:shd xmlns:w="{W_NS}" w:val="clear" w:color="auto" w:fill="D9D9D9"/>'))
            t.cell(1, 2).merge(t.cell(2, 2))
        path = tmp_path / f"{name}.docx"
        d.save(str(path))
        return path

    return write("log", revised=False), write("log-reformatted", revised=True)


def test_rows_and_cells_reformatted_are_tracked_formatting_changes(tmp_path: Path) -> None:
    """The same table, its rows and cells given another look in the revised document (header
    row, height, shading, borders, widths, a vertical merge): Accept All has the revised
    document's row and cell properties, Reject All the original's, recorded in w:trPrChange
    and w:tcPrChange; no word is struck or retyped, and LibreOffice opens the redline."""
    old, new = _reformatted_rows_pair(tmp_path)
    data = redline_pair(old.read_bytes(), new.read_bytes())
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    assert b"<w:ins " not in xml and b"<w:del " not in xml
    body_of = lambda path: zipfile.ZipFile(path).read("word/document.xml")  # noqa: E731
    revised, original = _accepted(body_of(new)), _accepted(body_of(old))
    assert _row_looks(revised) != _row_looks(original)
    assert _row_looks(_accepted(xml)) == _row_looks(revised)
    assert _row_looks(_rejected(xml)) == _row_looks(original)
    assert _words(_accepted(xml)) == _words(revised) == _words(_rejected(xml)) == _words(original)
    # the header-row flag and the height of rows 1 and 2, every cell's width (and the merge)
    assert len(re.findall(rb"<w:trPrChange ", xml)) == 2
    assert len(re.findall(rb"<w:tcPrChange ", xml)) == 9
    ids = re.findall(rb'<w:(?:ins|del|trPrChange|tcPrChange|tblPrChange|tblGridChange) w:id="(\d+)"', xml)
    assert len(ids) == len(set(ids))
    assert other_parts_identical(old.read_bytes(), data)


def test_superdoc_table_given_a_style_tracks_its_rows_and_cells_look() -> None:
    """SuperDoc's diffing pair 16: the revised document gives its one-column table a table
    style, and Word records each row's banding and each cell's first-column look with it
    (w:cnfStyle). Accept All has them, Reject All the original's plain rows and cells."""
    old, new = VENDORED / "diff_before16.docx", VENDORED / "diff_after16.docx"
    data = redline_pair(old.read_bytes(), new.read_bytes())
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    body_of = lambda path: zipfile.ZipFile(path).read("word/document.xml")  # noqa: E731
    revised, original = _accepted(body_of(new)), _accepted(body_of(old))
    assert b"<w:trPrChange " in xml and b"<w:tcPrChange " in xml
    assert _row_looks(_accepted(xml)) == _row_looks(revised) != _row_looks(original)
    assert _row_looks(_rejected(xml)) == _row_looks(original)
    assert _words(_accepted(xml)) == _words(revised) and _words(_rejected(xml)) == _words(original)


@pytest.mark.skipif(not (FIXTURES / "jub" / "file_176.docx").exists(), reason="the jubarte-redlines pairs are not beside the project")
def test_jubarte_tables_that_lose_their_cell_borders_and_row_margins_are_tracked() -> None:
    """jubarte-redlines file_175 -> file_176: the revised tables' cells have no borders of
    their own and their rows no cell-margin exceptions. Accept All has every row and cell as
    the revised document has it, Reject All as the original has it."""
    old, new = FIXTURES / "jub" / "file_175.docx", FIXTURES / "jub" / "file_176.docx"
    data = redline_pair(old.read_bytes(), new.read_bytes())
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    assert b"<w:tblPrExChange " in xml and b"<w:tcPrChange " in xml
    body_of = lambda path: zipfile.ZipFile(path).read("word/document.xml")  # noqa: E731
    assert _row_looks(_accepted(xml)) == _row_looks(_accepted(body_of(new)))
    assert _row_looks(_rejected(xml)) == _row_looks(_accepted(body_of(old)))


# --- a style the original's package lacks --------------------------------------------------


def _unstyled_pair(tmp_path: Path) -> tuple[Path, Path]:
    """An original whose package relates no styles part (as SuperDoc's hyperlink test
    document, and documents some converters write), and a revised edition that opens with a
    title line in Word's Title style."""
    import docx

    def write(name: str, title: bool) -> Path:
        d = docx.Document()
        if title:
            d.add_paragraph("Immigration Enforcement Policy", style="Title")
        d.add_paragraph("Officers shall not ask about immigration status.")
        d.add_paragraph("This order takes effect on signing.")
        path = tmp_path / f"{name}.docx"
        d.save(str(path))
        return path

    old, new = write("unstyled", title=False), write("titled", title=True)
    buf = io.BytesIO()
    with zipfile.ZipFile(old) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/styles.xml":
                continue
            if info.filename == "word/_rels/document.xml.rels":
                data = re.sub(rb'<Relationship [^>]*relationships/styles"[^>]*/>', b"", data)
            if info.filename == "[Content_Types].xml":
                data = re.sub(rb'<Override PartName="/word/styles.xml"[^>]*/>', b"", data)
            dst.writestr(info, data)
    old.write_bytes(buf.getvalue())
    return old, new


def test_an_inserted_title_keeps_its_style_when_the_original_has_no_styles_part(tmp_path: Path) -> None:
    """The revised title line comes in as Title, its definition (and the styles it is based
    on) in a styles part the redline gives the original; none of them is a default and no
    document defaults come along, so the original's own paragraphs keep the built-in look
    they had. Reject All is the original's text, Accept All the revised one's."""
    from lxml import etree

    old, new = _unstyled_pair(tmp_path)
    data = redline_pair(old.read_bytes(), new.read_bytes())
    z = zipfile.ZipFile(io.BytesIO(data))
    xml = z.read("word/document.xml")
    w = "{%s}" % W_NS
    first = etree.fromstring(xml).find(f"{w}body/{w}p")
    assert first.find(f"{w}pPr/{w}pStyle").get(f"{w}val") == "Title"
    assert first.find(f"{w}pPr/{w}rPr/{w}ins") is not None
    rels = z.read("word/_rels/document.xml.rels").decode()
    target = re.search(r'relationships/styles" Target="([^"]+)"', rels).group(1)
    styles = etree.fromstring(z.read("word/" + target))
    defined = {s.get(f"{w}styleId"): s for s in styles.iter(f"{w}style")}
    assert "Title" in defined
    assert all(s.get(f"{w}default") is None for s in defined.values())
    assert styles.find(f"{w}docDefaults") is None
    assert "/word/" + target in z.read("[Content_Types].xml").decode()
    body_of = lambda path: zipfile.ZipFile(path).read("word/document.xml")  # noqa: E731
    assert _words(_accepted(xml)) == _words(_accepted(body_of(new)))
    assert _words(_rejected(xml)) == _words(_accepted(body_of(old)))
    assert other_parts_identical(old.read_bytes(), data)
