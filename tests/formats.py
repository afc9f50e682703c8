"""Write the same policy as a real .txt, .md, .docx, .pdf or .html file (for tests).

    write_policy([("heading", "413 Immigration"), ("paragraph", "..."),
                  ("list_item", "...")], "pdf", tmp_path / "p.pdf")

Blocks are (kind, text) with kind in heading / paragraph / list_item. The files are written
the way people make them: .docx with Word's real heading styles and the "List Number"
style (automatic numbering, so the number is not in the text), .pdf with fpdf2 (a long
document gets several pages with a repeating header and a "Page N" footer), .md with
# headings and "- " items, .txt with blank-line paragraphs and "- " items, .html with
<h1>/<p>/<ol><li>. Reading any of them back gives the same block texts.
"""

from __future__ import annotations

import html
from pathlib import Path

FORMATS = ("txt", "md", "docx", "pdf", "html")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
PDF_HEADER = "Anytown Police Department Policy Manual"


def write_policy(blocks: list[tuple[str, str]], fmt: str, path: Path) -> Path:
    path = Path(path)
    fmt = fmt.lower().lstrip(".")
    for kind, _ in blocks:
        if kind not in ("heading", "paragraph", "list_item"):
            raise ValueError(f"unknown block kind {kind!r}")
    writer = {"txt": _txt, "md": _md, "markdown": _md, "docx": _docx, "pdf": _pdf,
              "html": _html, "htm": _html}[fmt]
    writer(blocks, path)
    return path


def _heading_levels(blocks: list[tuple[str, str]]) -> list[int]:
    """The first heading is level 1, later ones level 2 (a policy and its sections)."""
    levels, seen = [], False
    for kind, _ in blocks:
        levels.append(2 if seen else 1)
        if kind == "heading":
            seen = True
    return levels


def _txt(blocks: list[tuple[str, str]], path: Path) -> None:
    out = []
    for kind, text in blocks:
        if kind == "heading":
            out.append(text)
        elif kind == "list_item":
            out.append(f"- {text}")
        else:
            out.append(_wrap(text, 72))
    path.write_text("\n\n".join(out) + "\n", encoding="utf-8")


def _md(blocks: list[tuple[str, str]], path: Path) -> None:
    out = []
    for (kind, text), level in zip(blocks, _heading_levels(blocks)):
        if kind == "heading":
            out.append("#" * level + " " + text)
        elif kind == "list_item":
            out.append(f"- {text}")
        else:
            out.append(_wrap(text, 72))
    path.write_text("\n\n".join(out) + "\n", encoding="utf-8")


def _docx(blocks: list[tuple[str, str]], path: Path) -> None:
    import docx

    document = docx.Document()
    for (kind, text), level in zip(blocks, _heading_levels(blocks)):
        if kind == "heading":
            document.add_heading(text, level=level)
        elif kind == "list_item":
            document.add_paragraph(text, style="List Number")
        else:
            document.add_paragraph(text)
    document.save(str(path))


def _html(blocks: list[tuple[str, str]], path: Path) -> None:
    out = ["<!DOCTYPE html>", "<html><head><meta charset=\"utf-8\"><title>Policy</title>",
           "<style>p { margin: 0 }</style></head><body>"]
    in_list = False
    for (kind, text), level in zip(blocks, _heading_levels(blocks)):
        if kind != "list_item" and in_list:
            out.append("</ol>")
            in_list = False
        t = html.escape(text)
        if kind == "heading":
            out.append(f"<h{level}>{t}</h{level}>")
        elif kind == "list_item":
            if not in_list:
                out.append("<ol>")
                in_list = True
            out.append(f"  <li>{t}</li>")
        else:
            out.append(f"<p>{t}</p>")
    if in_list:
        out.append("</ol>")
    out.append("</body></html>")
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def _pdf(blocks: list[tuple[str, str]], path: Path) -> None:
    from fpdf import FPDF

    unicode_font = DEJAVU.exists()

    def enc(text: str) -> str:
        if unicode_font:
            return text
        text = (text.replace("\u2018", "'").replace("\u2019", "'")
                .replace("\u201c", '"').replace("\u201d", '"')
                .replace("\u2013", "-").replace("\u2014", "-").replace("\u2022", "-"))
        return text.encode("latin-1", "replace").decode("latin-1")

    class _PDF(FPDF):
        def header(self) -> None:
            if self.page_no() > 1 or _long:
                self.set_font(family, size=8)
                self.cell(0, 6, enc(PDF_HEADER), new_x="LMARGIN", new_y="NEXT")
                self.ln(2)

        def footer(self) -> None:
            if _long:
                self.set_y(-15)
                self.set_font(family, size=8)
                self.cell(0, 8, f"Page {self.page_no()}", align="C")

    words = sum(len(t.split()) for _, t in blocks)
    _long = words > 350  # more than a page: header and footer on every page
    pdf = _PDF(format="Letter")
    if unicode_font:
        pdf.add_font("DejaVu", "", str(DEJAVU))
        pdf.add_font("DejaVu", "B", str(DEJAVU))
        family = "DejaVu"
    else:
        family = "Helvetica"
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    bullet = "\u2022" if unicode_font else "-"
    for kind, text in blocks:
        if kind == "heading":
            pdf.set_font(family, "B", size=13)
            pdf.multi_cell(0, 7, enc(text), new_x="LMARGIN", new_y="NEXT")
        elif kind == "list_item":
            pdf.set_font(family, size=11)
            pdf.multi_cell(0, 6, enc(f"{bullet} {text}"), new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.set_font(family, size=11)
            pdf.multi_cell(0, 6, enc(text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    pdf.output(str(path))


def _wrap(text: str, width: int) -> str:
    """Hard-wrap like a text editor does (tests that readers join the lines again)."""
    lines, cur = [], ""
    for word in text.split():
        if cur and len(cur) + 1 + len(word) > width:
            lines.append(cur)
            cur = word
        else:
            cur = f"{cur} {word}" if cur else word
    if cur:
        lines.append(cur)
    return "\n".join(lines)
