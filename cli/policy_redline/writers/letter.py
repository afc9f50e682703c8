"""The records request letter as plain text (wrapped for an email or a printout), Markdown,
or a Word document. All three read the same `Letter`, so they cannot disagree."""

from __future__ import annotations

import textwrap

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Inches, Pt

from ..request import Letter
from .docx_page import letter_document, reproducible_bytes
from .docx_redline import xml_safe

__all__ = ["letter_text", "letter_markdown", "letter_docx"]

WIDTH = 78


def letter_text(letter: Letter, width: int = WIDTH) -> str:
    out: list[str] = []
    for b in letter.blocks:
        if b.kind == "heading":
            out.append("\n".join(textwrap.wrap(b.text, width)) or b.text)
        elif b.kind == "item":
            lead = f"{b.number}. "
            out.append(textwrap.fill(b.text, width, initial_indent=lead, subsequent_indent=" " * len(lead), break_on_hyphens=False))
        elif b.kind == "bullet":
            out.append(textwrap.fill(b.text, width, initial_indent="   - ", subsequent_indent="     ", break_on_hyphens=False))
        else:
            out.append("\n".join(textwrap.fill(line, width, break_on_hyphens=False) for line in b.lines))
    return _join(letter, out) + "\n"


def _join(letter: Letter, parts: list[str]) -> str:
    """Paragraphs separated by a blank line; consecutive bullets stay together."""
    text = ""
    for i, (b, part) in enumerate(zip(letter.blocks, parts)):
        if i:
            text += "\n" if b.kind == "bullet" and letter.blocks[i - 1].kind == "bullet" else "\n\n"
        text += part
    return text


def _md_escape(text: str) -> str:
    """Keep Markdown from reading the letter's own characters as markup."""
    out = text.replace("\\", "\\\\")
    for ch in "*_`[]<>#|":
        out = out.replace(ch, "\\" + ch)
    return out


def letter_markdown(letter: Letter) -> str:
    out: list[str] = []
    for b in letter.blocks:
        if b.kind == "heading":
            out.append(f"### {_md_escape(b.text)}")
        elif b.kind == "item":
            out.append(f"{b.number}. {_md_escape(b.text)}")
        elif b.kind == "bullet":
            out.append(f"   - {_md_escape(b.text)}")
        else:
            # a hard line break (two spaces) keeps an address block's lines apart
            out.append("  \n".join(_md_escape(line) for line in b.lines))
    return _join(letter, out) + "\n"


def letter_docx(letter: Letter) -> bytes:
    """A one-file Word letter: Letter paper, 1-inch margins, 11 pt; byte-reproducible."""
    doc = letter_document(margin=1, font="Calibri", size=11, space_after=8)
    for b in letter.blocks:
        if b.kind == "heading":
            p = doc.add_paragraph()
            run = p.add_run(xml_safe(b.text))
            run.bold = True
            p.paragraph_format.keep_with_next = True
            p.paragraph_format.space_before = Pt(6)
        elif b.kind == "item":
            p = doc.add_paragraph(xml_safe(f"{b.number}.\t{b.text}"))
            p.paragraph_format.left_indent = Inches(0.3)
            p.paragraph_format.first_line_indent = Inches(-0.3)
            p.paragraph_format.tab_stops.add_tab_stop(Inches(0.3))
        elif b.kind == "bullet":
            p = doc.add_paragraph(xml_safe(b.text), style="List Bullet")
            p.paragraph_format.left_indent = Inches(0.55)
            p.paragraph_format.space_after = Pt(3)
        else:
            p = doc.add_paragraph()
            for k, line in enumerate(b.lines):
                run = p.add_run(xml_safe(line))
                if k < len(b.lines) - 1:
                    run.add_break()
            p.alignment = WD_ALIGN_PARAGRAPH.LEFT
    return reproducible_bytes(
        doc,
        day=letter.date,
        title=letter.subject,
        author=letter.requester or "policy-redline",
        subject=f"Public records request to the {letter.department}",
    )
