"""Ingest: every format read back into the same Document blocks; format-specific details."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from formats import FORMATS, PDF_HEADER, write_policy  # noqa: E402

from policy_redline.document import Block, Document
from policy_redline.errors import InputError
from policy_redline.ingest import SUPPORTED_SUFFIXES, read_bytes, read_policy
from policy_redline.readers.common import normalize_text

POLICY = [
    ("heading", "Immigration Violations"),
    ("paragraph", "The purpose of this policy is to provide guidance to members of the "
                  "Anytown Police Department relating to immigration and interacting with "
                  "federal immigration officials."),
    ("heading", "413.2 Policy"),
    ("paragraph", "It is the policy of the Department that all members make personal and "
                  "professional commitments to equal enforcement of the law. Officers "
                  "shall not stop, question, or detain any person because of their "
                  "national origin or immigration status."),
    ("list_item", "Officers shall not inquire about a person’s immigration status."),
    ("list_item", "Officers shall not honor civil immigration detainers (§ 287.7)."),
    ("paragraph", "Nothing in this policy prohibits sharing information as required by "
                  "8 U.S.C. § 1373."),
]


def texts(doc: Document) -> list[str]:
    return [b.text for b in doc.blocks]


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_every_format(tmp_path: Path, fmt: str) -> None:
    path = write_policy(POLICY, fmt, tmp_path / f"policy.{fmt}")
    doc = read_policy(path)
    assert texts(doc) == [t for _, t in POLICY]
    assert [b.kind for b in doc.blocks] == [k for k, _ in POLICY]
    assert doc.title == "Immigration Violations"
    assert doc.source == str(path)
    assert doc.format == fmt
    assert doc.words == sum(len(t.split()) for _, t in POLICY)


@pytest.mark.parametrize("fmt", FORMATS)
def test_long_policy_round_trip_every_format(tmp_path: Path, fmt: str) -> None:
    """Several pages: the PDF has a repeating header and 'Page N' footers to remove."""
    blocks = []
    for n in range(1, 9):
        blocks.append(("heading", f"413.{n} Section Number {n}"))
        blocks.append(("paragraph", f"Paragraph {n} says that officers shall not assist "
                       "federal immigration enforcement in any way, and that the Department "
                       "shall not use its funds, facilities, equipment or personnel for the "
                       "purpose of investigating or enforcing civil immigration law. " * 2))
        blocks.append(("list_item", f"Item {n}: members shall record every request."))
    blocks = [(k, " ".join(t.split())) for k, t in blocks]
    doc = read_policy(write_policy(blocks, fmt, tmp_path / f"long.{fmt}"))
    assert texts(doc) == [t for _, t in blocks]
    assert PDF_HEADER not in doc.text
    assert "Page 2" not in doc.text


@pytest.mark.parametrize("fmt", ["md", "docx", "html"])
def test_heading_levels(tmp_path: Path, fmt: str) -> None:
    doc = read_policy(write_policy(POLICY, fmt, tmp_path / f"p.{fmt}"))
    headings = [(b.text, b.level) for b in doc.blocks if b.kind == "heading"]
    assert headings == [("Immigration Violations", 1), ("413.2 Policy", 2)]


@pytest.mark.parametrize("fmt", ["docx", "html"])
def test_format_numbering_goes_in_block_number(tmp_path: Path, fmt: str) -> None:
    doc = read_policy(write_policy(POLICY, fmt, tmp_path / f"p.{fmt}"))
    items = [b for b in doc.blocks if b.kind == "list_item"]
    assert [b.number for b in items] == ["1.", "2."]
    assert items[0].text.startswith("Officers")


# ---------------------------------------------------------------------- .docx


def _docx_with_outline_numbering(path: Path) -> Path:
    """A .docx with a two-level list: 1. / (a) — lvlText taken from numbering.xml."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:lvlText w:val="%1."/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/>'
        '<w:lvlText w:val="(%2)"/></w:lvl>'
        '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/>'
        '<w:lvlText w:val="%1.%2.%3"/></w:lvl>'
        "</w:abstractNum>"))
    numbering.append(parse_xml(
        f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    document.add_heading("Detainers", level=1)
    for text, ilvl in [("Officers shall not detain.", 0), ("No civil detainer.", 1),
                       ("No administrative warrant.", 1), ("Roman one.", 2),
                       ("Notify the person.", 0), ("In writing.", 1)]:
        p = document.add_paragraph(text)
        p._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="90"/></w:numPr>'))
    document.add_paragraph("")  # empty paragraphs are dropped
    document.add_paragraph("Closing paragraph.")
    document.save(str(path))
    return path


def test_docx_list_numbering_follows_numbering_definition(tmp_path: Path) -> None:
    doc = read_policy(_docx_with_outline_numbering(tmp_path / "n.docx"))
    got = [(b.kind, b.number, b.level, b.text) for b in doc.blocks]
    assert got == [
        ("heading", "", 1, "Detainers"),
        ("list_item", "1.", 0, "Officers shall not detain."),
        ("list_item", "(a)", 1, "No civil detainer."),
        ("list_item", "(b)", 1, "No administrative warrant."),
        ("list_item", "1.b.i", 2, "Roman one."),  # %2 in its own format, as Word shows it
        ("list_item", "2.", 0, "Notify the person."),
        ("list_item", "(a)", 1, "In writing."),
        ("paragraph", "", 0, "Closing paragraph."),
    ]


def test_docx_list_number_style(tmp_path: Path) -> None:
    blocks = [("paragraph", "Intro."), ("list_item", "First."), ("list_item", "Second."),
              ("list_item", "Third.")]
    doc = read_policy(write_policy(blocks, "docx", tmp_path / "l.docx"))
    assert [(b.kind, b.number, b.text) for b in doc.blocks] == [
        ("paragraph", "", "Intro."), ("list_item", "1.", "First."),
        ("list_item", "2.", "Second."), ("list_item", "3.", "Third.")]


def test_docx_tables_in_body_order(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Before the table.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Term"
    table.cell(0, 1).text = "Meaning"
    table.cell(1, 0).text = "Detainer"
    table.cell(1, 1).text = "A request from ICE (Form I-247A)."
    inner = table.cell(1, 1).add_table(rows=1, cols=1)
    inner.cell(0, 0).text = "Nested cell."
    document.add_paragraph("After the table.")
    document.add_heading("Title Style", level=0)
    document.save(str(tmp_path / "t.docx"))
    doc = read_policy(tmp_path / "t.docx")
    assert texts(doc) == ["Before the table.", "Term", "Meaning", "Detainer",
                          "A request from ICE (Form I-247A).", "Nested cell.",
                          "After the table.", "Title Style"]
    assert doc.blocks[-1].kind == "heading" and doc.blocks[-1].level == 1


def test_docx_tracked_changes_read_as_accepted(tmp_path: Path) -> None:
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    p = document.add_paragraph("Officers ")
    p._p.append(parse_xml(
        f'<w:del {nsdecls("w")} w:id="1" w:author="a"><w:r><w:delText>may</w:delText></w:r></w:del>'))
    p._p.append(parse_xml(
        f'<w:ins {nsdecls("w")} w:id="2" w:author="a"><w:r><w:t>shall not</w:t></w:r></w:ins>'))
    p.add_run(" detain.")
    hidden = p.add_run(" secret")
    hidden.font.hidden = True
    document.save(str(tmp_path / "c.docx"))
    assert texts(read_policy(tmp_path / "c.docx")) == ["Officers shall not detain."]


# ---------------------------------------------------------------------- .pdf


def _pdf_lines(path: Path, pages: list[list[str]], furniture: bool = True) -> Path:
    """A PDF whose lines are placed exactly as given (one cell per line)."""
    from fpdf import FPDF

    pdf = FPDF(format="Letter")
    pdf.add_font("F", "", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf") if Path(
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").exists() else None
    family = "F" if "f" in pdf.fonts else "Helvetica"
    for n, lines in enumerate(pages, 1):
        pdf.add_page()
        pdf.set_font(family, size=9)
        if furniture:
            pdf.cell(0, 6, "Anytown PD Policy Manual - Immigration", new_x="LMARGIN",
                     new_y="NEXT")
        pdf.set_font(family, size=11)
        for line in lines:
            pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
        if furniture:
            pdf.set_y(-20)
            pdf.set_font(family, size=9)
            pdf.cell(0, 6, f"Page {n} of {len(pages)}", align="C")
    pdf.output(str(path))
    return path


def test_pdf_repair(tmp_path: Path) -> None:
    path = _pdf_lines(tmp_path / "r.pdf", [
        ["413 IMMIGRATION VIOLATIONS",
         "413.1 PURPOSE AND SCOPE",
         "Officers shall not inquire about the immi-",
         "gration status of any person they encounter",
         "during the course of their duties.",
         "413.2 DETENTIONS",
         "An officer shall not detain any person"],
        ["based solely on a civil immigration detainer",
         "or an administrative warrant.",
         "(a) Officers shall not share information",
         "about release dates.",
         "(b) Nothing here limits 8 U.S.C. 1373."],
        ["413.3 RESOURCES",
         "No funds shall be used for immigration enforcement."],
    ])
    doc = read_policy(path)
    assert texts(doc) == [
        "413 IMMIGRATION VIOLATIONS",
        "413.1 PURPOSE AND SCOPE",
        "Officers shall not inquire about the immigration status of any person they "
        "encounter during the course of their duties.",
        "413.2 DETENTIONS",
        "An officer shall not detain any person based solely on a civil immigration "
        "detainer or an administrative warrant.",
        "(a) Officers shall not share information about release dates.",
        "(b) Nothing here limits 8 U.S.C. 1373.",
        "413.3 RESOURCES",
        "No funds shall be used for immigration enforcement.",
    ]
    assert [b.kind for b in doc.blocks][:4] == ["heading", "heading", "paragraph", "heading"]
    assert [b.level for b in doc.blocks][:2] == [1, 2]
    assert doc.title == "413 IMMIGRATION VIOLATIONS"
    assert "Anytown PD" not in doc.text and "Page" not in doc.text
    assert any("Anytown PD" in note for note in doc.notes)


def test_pdf_keeps_real_hyphens_and_breaks_paragraphs_after_short_lines(tmp_path: Path) -> None:
    path = _pdf_lines(tmp_path / "h.pdf", [[
        "This is a long opening line of the first paragraph, which runs to the",
        "right margin and ends here.",
        "The second paragraph starts here and mentions a self-",
        "Reported status and a well-known rule without any doubt at all really.",
    ]], furniture=False)
    assert texts(read_policy(path)) == [
        "This is a long opening line of the first paragraph, which runs to the right "
        "margin and ends here.",
        "The second paragraph starts here and mentions a self- Reported status and a "
        "well-known rule without any doubt at all really.",
    ]


# ---------------------------------------------------------------------- text encodings

SPANISH = "Política de Inmigración: los agentes no preguntarán."


@pytest.mark.parametrize("encoding,bom", [
    ("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"),
    ("utf-16-be", b"\xfe\xff"), ("cp1252", b""), ("latin-1", b""),
])
def test_text_encodings(encoding: str, bom: bytes) -> None:
    data = bom + f"{SPANISH}\n".encode(encoding)
    assert texts(read_bytes(data, "p.txt")) == [SPANISH]


def test_cp1252_smart_punctuation() -> None:
    text = "Officers’ “policy” – see § 12 … done."
    assert texts(read_bytes(text.encode("cp1252"), "p.txt")) == [text]


def test_latin1_fallback_when_cp1252_fails() -> None:
    # 0x81 is undefined in cp1252, so this decodes as Latin-1 (and the C1 control is dropped)
    data = "Política".encode("latin-1") + b"\x81 de Inmigraci\xf3n."
    assert texts(read_bytes(data, "p.txt")) == ["Política de Inmigración."]


def test_utf16_without_bom() -> None:
    assert texts(read_bytes(SPANISH.encode("utf-16-le"), "p.txt")) == [SPANISH]


# ---------------------------------------------------------------------- .txt / .md

def test_txt_numbering_starts_blocks_and_caps_are_headings() -> None:
    text = (
        "IMMIGRATION VIOLATIONS\n"
        "413.1 PURPOSE AND SCOPE\n"
        "This policy provides guidance\n"
        "to members.\n"
        "(a) First item that wraps\n"
        "onto a second line.\n"
        "(b) Second item.\n"
        "Section 3 Officers shall not ask.\n"
        "I. Roman numbered paragraph.\n"
        "A. Lettered paragraph.\n"
        "\n"
        "A paragraph after a blank line\n"
        "that continues.\n"
    )
    doc = read_bytes(text.encode(), "p.txt")
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("heading", "IMMIGRATION VIOLATIONS"),
        ("heading", "413.1 PURPOSE AND SCOPE"),
        ("paragraph", "This policy provides guidance to members."),
        ("list_item", "(a) First item that wraps onto a second line."),
        ("list_item", "(b) Second item."),
        ("paragraph", "Section 3 Officers shall not ask."),
        ("paragraph", "I. Roman numbered paragraph."),
        ("list_item", "A. Lettered paragraph."),
        ("paragraph", "A paragraph after a blank line that continues."),
    ]
    assert doc.blocks[1].level == 2
    assert doc.title == "IMMIGRATION VIOLATIONS"


def test_markdown() -> None:
    text = (
        "---\ntitle: Front Matter Title\n---\n"
        "# Immigration *Policy*\n\n"
        "## 413.2 Detainers ##\n"
        "Officers **shall not** honor\na [civil detainer](https://example.org).\n\n"
        "1. First numbered item\n   continued.\n"
        "2. Second numbered item.\n"
        "- A bullet item.\n"
        "  - A nested bullet.\n\n"
        "Setext Heading\n--------------\n\n"
        "> Quoted text\n\n"
        "Escaped 413\\.4 text.\n"
    )
    doc = read_bytes(text.encode(), "p.md")
    assert [(b.kind, b.level, b.text) for b in doc.blocks] == [
        ("heading", 1, "Immigration Policy"),
        ("heading", 2, "413.2 Detainers"),
        ("paragraph", 0, "Officers shall not honor a civil detainer."),
        ("list_item", 0, "1. First numbered item continued."),
        ("list_item", 0, "2. Second numbered item."),
        ("list_item", 0, "A bullet item."),
        ("list_item", 1, "A nested bullet."),
        ("heading", 2, "Setext Heading"),
        ("paragraph", 0, "Quoted text"),
        ("paragraph", 0, "Escaped 413.4 text."),
    ]
    assert doc.title == "Immigration Policy"
    assert doc.format == "md"


# ---------------------------------------------------------------------- .html

def test_html() -> None:
    page = b"""<!DOCTYPE html><html><head><title>Head Title</title>
    <style>p { color: red }</style><script>var secret = "SCRIPT TEXT";</script></head>
    <body><noscript>NOSCRIPT TEXT</noscript>
    <h2>Immigration &amp; Customs</h2>
    <p>Officers   shall&nbsp;not
       detain.<br>Second line.</p>
    <ol type="a" start="3"><li>Third letter</li><li>Fourth <b>letter</b>
       <ol><li>Nested one</li></ol></li></ol>
    <ul><li>Bullet</li></ul>
    <table><tr><td>Cell one</td><td>Cell two</td></tr></table>
    <div>Loose div text<p>Inner paragraph</p>tail text</div>
    <template>TEMPLATE TEXT</template>
    <p>Unclosed one<p>Unclosed two
    </body></html>"""
    doc = read_bytes(page, "p.html")
    assert [(b.kind, b.number, b.text) for b in doc.blocks] == [
        ("heading", "", "Immigration & Customs"),
        ("paragraph", "", "Officers shall not detain. Second line."),
        ("list_item", "c.", "Third letter"),
        ("list_item", "d.", "Fourth letter"),
        ("list_item", "1.", "Nested one"),
        ("list_item", "", "Bullet"),
        ("paragraph", "", "Cell one"),
        ("paragraph", "", "Cell two"),
        ("paragraph", "", "Loose div text"),
        ("paragraph", "", "Inner paragraph"),
        ("paragraph", "", "tail text"),
        ("paragraph", "", "Unclosed one"),
        ("paragraph", "", "Unclosed two"),
    ]
    assert doc.blocks[0].level == 2
    assert doc.blocks[4].level == 1
    for hidden in ("SCRIPT", "NOSCRIPT", "TEMPLATE", "color", "Head Title"):
        assert hidden not in doc.text
    assert doc.title == "Immigration & Customs"


def test_html_title_used_when_no_heading_and_charset_declared() -> None:
    page = ('<html><head><meta charset="windows-1252"><title>Política</title></head>'
            "<body><p>" + "Texto largo de la política. " * 10 + "</p></body></html>")
    doc = read_bytes(page.encode("cp1252"), "p.htm")
    assert doc.title == "Política"
    assert doc.blocks[0].text.startswith("Texto largo de la política.")


# ---------------------------------------------------------------------- shared behaviour

def test_normalize_text() -> None:
    raw = "Cafe\u0301\u00a0policy\u00ad \ufb01nal \ufb02ow “quoted” § 3\x07\tend\r\nnext"
    assert normalize_text(raw) == "Café policy final flow “quoted” § 3\tend\nnext"


def test_title_falls_back_to_first_short_line_then_stem() -> None:
    assert read_bytes(b"Short first line.\n\nBody text here.", "x.txt").title == \
        "Short first line."
    long_para = ("word " * 60).strip() + "."
    assert read_bytes(long_para.encode(), "dir/Policy 413.txt").title == "Policy 413"


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    class FakeStdin:
        buffer = io.BytesIO(b"413.1 PURPOSE\nOfficers shall not ask.\n")

    monkeypatch.setattr(sys, "stdin", FakeStdin())
    doc = read_policy("-")
    assert doc.source == "<stdin>"
    assert texts(doc) == ["413.1 PURPOSE", "Officers shall not ask."]


def test_stdin_pdf_is_recognised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = write_policy(POLICY, "pdf", tmp_path / "p.pdf").read_bytes()

    class FakeStdin:
        buffer = io.BytesIO(data)

    monkeypatch.setattr(sys, "stdin", FakeStdin())
    assert texts(read_policy("-")) == [t for _, t in POLICY]


def test_unknown_suffix_read_as_text_or_by_signature(tmp_path: Path) -> None:
    assert texts(read_bytes(b"Plain policy text.", "policy.rtx")) == ["Plain policy text."]
    docx_bytes = write_policy(POLICY, "docx", tmp_path / "p.docx").read_bytes()
    assert texts(read_bytes(docx_bytes, "download")) == [t for _, t in POLICY]


def test_explicit_format_overrides_suffix(tmp_path: Path) -> None:
    md = b"# Heading\n\nBody."
    assert read_bytes(md, "notes.txt", fmt="md").blocks[0] == Block("Heading", "heading", 1)
    assert read_bytes(md, "x", fmt=".markdown").format == "md"


def test_supported_suffixes() -> None:
    assert SUPPORTED_SUFFIXES == (".pdf", ".docx", ".txt", ".md", ".markdown", ".html", ".htm", ".rtf", ".odt")


def test_lazy_imports(tmp_path: Path) -> None:
    """Reading .docx imports neither pypdf nor python-docx (lxml reads it); reading .txt
    imports neither."""
    docx_path = write_policy(POLICY, "docx", tmp_path / "p.docx")
    txt_path = write_policy(POLICY, "txt", tmp_path / "p.txt")
    code = (
        "import sys\n"
        "from policy_redline.ingest import read_policy\n"
        f"read_policy({str(txt_path)!r})\n"
        "assert 'docx' not in sys.modules and 'pypdf' not in sys.modules, 'txt'\n"
        f"read_policy({str(docx_path)!r})\n"
        f"read_policy({str(docx_path)!r})\n"
        "assert 'docx' not in sys.modules and 'pypdf' not in sys.modules, 'docx'\n"
    )
    cli = Path(__file__).resolve().parent.parent / "cli"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={"PYTHONPATH": str(cli), "PATH": "/usr/bin:/bin"}, timeout=60)
    assert result.returncode == 0, result.stderr


def test_pdf_lexipol_layout(tmp_path: Path) -> None:
    """Lexipol manuals: two header lines, a three-line copyright footer with a page label,
    and the title set as "Policy / 413 / Immigration Violations" on separate lines."""
    from fpdf import FPDF

    font = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    pdf = FPDF(format="Letter")
    family = "Helvetica"
    if font.exists():
        pdf.add_font("F", "", str(font))
        family = "F"
    pages = [
        ["Policy", "413", "Immigration Violations", "413.1 PURPOSE AND SCOPE",
         "The purpose of this policy is to provide guidelines to members of the Bedford Police",
         "Department relating to immigration and interacting with federal immigration officials."],
        ["413.2 VICTIMS AND WITNESSES",
         "To encourage crime reporting and cooperation in the investigation of criminal activity, all",
         "individuals, regardless of their immigration status, must feel secure."],
    ]
    for n, lines in enumerate(pages, 1):
        pdf.add_page()
        pdf.set_font(family, size=9)
        for furniture in ("Bedford Police Department", "Policy Manual"):
            pdf.cell(0, 5, furniture, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(family, size=11)
        for line in lines:
            pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(-25)
        pdf.set_font(family, size=8)
        for furniture in ("Copyright Lexipol, LLC 2024/03/05, All Rights Reserved.",
                          "Published with permission by Bedford Police Department",
                          f"Immigration Violations - {n}"):
            pdf.cell(0, 4, furniture, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(tmp_path / "lexipol.pdf"))
    doc = read_policy(tmp_path / "lexipol.pdf")
    assert doc.title == "Policy 413 Immigration Violations"
    assert texts(doc) == [
        "Policy 413 Immigration Violations",
        "413.1 PURPOSE AND SCOPE",
        "The purpose of this policy is to provide guidelines to members of the Bedford Police "
        "Department relating to immigration and interacting with federal immigration officials.",
        "413.2 VICTIMS AND WITNESSES",
        "To encourage crime reporting and cooperation in the investigation of criminal "
        "activity, all individuals, regardless of their immigration status, must feel secure.",
    ]


def test_a_sentence_wrapped_at_a_cited_section_number_stays_one_paragraph(tmp_path: Path) -> None:
    # Los Angeles County Sheriff's Newsletter 25-05 (tests/heldout6), hard-wrapped where a
    # PDF would wrap it: the line that opens "7284.12 and County policy" goes on mid-sentence.
    lines = [
        "In these instances, California Senate Bill 54, or the California Values Act which enacted and",
        "amended Government Code sections 7282 through 7282.5, and added sections 7284 through",
        "7284.12 and County policy generally prohibit Department personnel from participating in",
        "civil immigration enforcement.",
        "413.2 POLICY",
    ]
    doc = read_bytes("\n".join(lines).encode(), "p.txt")
    assert [b.kind for b in doc.blocks] == ["paragraph", "heading"]
    assert doc.blocks[0].text.endswith("added sections 7284 through 7284.12 and County policy generally "
                                       "prohibit Department personnel from participating in civil immigration enforcement.")
    for fmt in ("pdf", "docx"):
        path = write_policy([("paragraph", " ".join(lines[:4]))], fmt, tmp_path / f"p.{fmt}")
        assert len(read_policy(path).blocks) == 1


def test_a_sentence_wrapped_before_a_section_citation_stays_one_paragraph() -> None:
    # Chicago's code (tests/heldout15) and the Alexandria sheriff's statement, wrapped at 72
    # characters: a line that stops on "in" or on a bare "and" is continued by the next line,
    # even one that opens with a section number ("Section 2-173-030(a).", "§53.1-218").
    lines = [
        "(a) No agent shall assist the civil enforcement of federal immigration law, unless required to",
        "disclose information as addressed in",
        "Section 4-10-030(a). Specifically, no agent shall:",
        "",
        "All Sheriffs are required by state codes §19.2-83.2 and",
        "§53.1-218 to determine the residency status of individuals arrested.",
        "",
        "(b) Officers may hold a person on a criminal warrant; and",
        "(c) Officers shall not hold a person on a civil detainer.",
    ]
    doc = read_bytes("\n".join(lines).encode(), "p.txt")
    assert [b.text[:12] for b in doc.blocks] == ["(a) No agent", "All Sheriffs", "(b) Officers", "(c) Officers"]
    assert doc.blocks[0].text.endswith("as addressed in Section 4-10-030(a). Specifically, no agent shall:")
    assert "§19.2-83.2 and §53.1-218 to determine" in doc.blocks[1].text


def test_a_title_after_a_full_last_line_of_a_paragraph_is_a_heading() -> None:
    # Oak Park's ordinance as a PDF's text (tests/heldout10): the paragraph before "Background"
    # ends on a full line, so only the title itself says a new block begins.
    from policy_redline.readers.common import lines_to_blocks

    lines = [
        "At the October 21, 2025 Village Board meeting, during the discussion of item ID 25-624, the Board",
        "directed staff to create an ordinance prohibiting the commandeering of Village property for staging",
        "areas, processing locations, and operations bases for civil immigration enforcement purposes.",
        "Background",
        "On October 21, 2025, staff received direction from the Board of Trustees to draft an ordinance",
        "prohibiting staging areas, processing locations, and operations bases for immigration enforcement.",
    ]
    for pdf in (True, False):  # a PDF's text, and a hard-wrapped .txt (the stored copy)
        blocks = lines_to_blocks(lines, pdf=pdf)
        assert [(b.kind, b.text[:10]) for b in blocks] == [("paragraph", "At the Oct"), ("heading", "Background"), ("paragraph", "On October")]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_line_in_capitals_is_a_heading_in_every_format(tmp_path: Path, fmt: str) -> None:
    # A Word or HTML author types "BACKGROUND" in a plain paragraph; the plain-text reader
    # takes it for a heading, and so must the clauses of every other format.
    from policy_redline.segment import segment

    policy = [
        ("paragraph", "PURPOSE"),
        ("paragraph", "This Newsletter provides guidance to Department personnel when responding to reports "
                      "involving U.S. Immigration and Customs Enforcement (ICE)."),
        ("paragraph", "BACKGROUND"),
        ("paragraph", "The Department may receive calls for service involving suspected immigration enforcement activity."),
    ]
    clauses = segment(read_policy(write_policy(policy, fmt, tmp_path / f"p.{fmt}")))
    assert [c.heading for c in clauses] == ["PURPOSE", "BACKGROUND"]


def test_markdown_backslash_escapes_keep_brackets_and_link_addresses(tmp_path: Path) -> None:
    # Washington's RCW 43.10.310 as copied from the legislature's page (tests/heldout5) ends its
    # sections with "\[ [2019 c 440 § 4](https://…); \]": written as a Markdown draft and read
    # back, the text must be the same, address and brackets included.
    from policy_redline.redline import Redline, RedlineParagraph
    from policy_redline.writers.markdown_redline import redline_to_markdown

    text = r"\[ [2019 c 440 § 4](https://lawfilesext.leg.wa.gov/5497-S2.SL.pdf?cite=2019%20c%20440%20§%204); \]"
    para = RedlineParagraph(text, text, "paragraph", 0, "")
    md = redline_to_markdown(Redline("t", (para,)))
    doc = read_bytes(md.encode(), "draft.md")
    assert [b.text for b in doc.blocks][-1] == text
    assert read_bytes(b"Say \\*not\\* [this](https://x.org) or \\\\.\n", "p.md").blocks[0].text == "Say *not* this or \\."


def test_a_text_copied_from_page_source_breaks_its_lines_at_br_tags() -> None:
    # A records portal's page text, as it is often copied: the line-break tags are in it.
    data = ("VI. DETENTION ISSUES <br />The LEA is expected to pursue to completion prosecution of the state "
            "charges. <br />ICE will assume custody of individuals who have <br>been convicted.").encode("utf-8")
    doc = read_bytes(data, "moa.txt", "txt")
    assert "<br" not in doc.text
    assert "VI. DETENTION ISSUES" in [b.text for b in doc.blocks]


def test_a_bullet_on_a_line_of_its_own_marks_the_next_line_and_a_row_of_marks_is_no_item() -> None:
    # A college FAQ copied from its page: each "-" on its own line, its item on the next;
    # minutes whose separator is a row of asterisks.
    data = ("Fullerton College will:\n-\nNot enter into agreements with federal departments\n-\n"
            "Not honor immigration hold requests\n\n* * * * * Pursuant to due call a meeting was held.\n").encode("utf-8")
    doc = read_bytes(data, "faq.txt", "txt")
    texts = [b.text for b in doc.blocks]
    assert "Not honor immigration hold requests" in texts
    assert any(t.startswith("* * * *") for t in texts)


def test_a_text_whose_words_run_together_is_refused_with_what_to_do() -> None:
    # A copy of a college's PDF guidelines whose extraction lost every space.
    text = ("Guidelines:WhattoDoifFederalImmigrationEnforcementOfficialsSeekCampusAccesstoConductanEnforcementAction\n\n"
            "A.ThePasadenaAreaCommunityCollegeDistrictiscommittedtosupportingallofitsstudentsirrespectiveofimmigrationstatus.\n\n"
            "B.FederalimmigrationenforcementofficialswhoseektoapprehendandremoveindividualsaremostoftenofficersofICE.\n\n"
            "C.However,warrantsissuedinacriminalproceeding,immigrationrelatedornot,willrequireprovidingaccesstolimitedaccessareas.\n")
    with pytest.raises(InputError) as caught:
        read_bytes(text.encode("utf-8"), "guidelines.txt", "txt")
    assert "run together without spaces" in caught.value.reason
