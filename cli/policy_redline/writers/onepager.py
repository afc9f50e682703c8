"""The meeting one-pager as HTML (self-contained: inline CSS, no scripts, nothing fetched;
prints on one Letter page) and as a Word document (a table for the seven questions, narrow
margins, small type; byte-reproducible). Both read the same `OnePager`."""

from __future__ import annotations

import html

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt, RGBColor

from ..onepager import OnePager
from ..request import long_date
from .docx_page import letter_document, reproducible_bytes
from .docx_redline import xml_safe
from .report import draft_command

__all__ = ["onepager_html", "onepager_docx", "LABELS", "GUIDE"]

LABELS = {"red": "RED FLAG", "green": "GREEN", "silent": "SILENT", "gap": "GAP", "unclear": "UNCLEAR"}
COLORS = {"red": "B3261E", "green": "1B6E3A", "gap": "8A5A00", "silent": "E8E8E8", "unclear": "6A1B9A"}
GUIDE = (
    "Questions from Citizens for Juvenile Justice, \u201cIdentifying, Analyzing, and Changing Police "
    "Policies Regarding Communication with ICE\u201d (March 2026). GAP: the policy is silent where the "
    "guide counts silence itself as a red flag."
)
#: Added to the footer when some answer is UNCLEAR.
UNCLEAR_NOTE = "UNCLEAR: the policy speaks to the question in the quoted words, but the tool cannot classify them."
#: Said with every UNCLEAR answer.
READ_IT = "Read this clause yourself."


def _guide(page: OnePager) -> str:
    return f"{GUIDE} {UNCLEAR_NOTE}" if page.to_read else GUIDE


def _read_note(page: OnePager) -> str:
    """Under the changes to ask for: the UNCLEAR answers to read first ("" when none)."""
    if not page.to_read or not page.asks:
        return ""
    which = ", ".join(f"{r.short} ({r.clause})" if r.clause else r.short for r in page.to_read)
    return f"Also read yourself before the meeting (marked UNCLEAR above): {which}."


def _no_asks(page: OnePager) -> str:
    """What the page says when the draft has no change to ask for."""
    n = len(page.to_read)
    if n:
        which = ", ".join(r.short for r in page.to_read)
        return (
            f"None from the draft yet: {'one answer is' if n == 1 else f'{n} answers are'} UNCLEAR ({which}). "
            "Read the quoted clause yourself before the meeting."
        )
    return "None: the policy answers all seven questions with green language."


def _summary(page: OnePager) -> str:
    c = page.counts()
    parts = [f"{c['red']} red flag{'s' if c['red'] != 1 else ''}"]
    if c["gap"]:
        parts.append(f"{c['gap']} gap{'s' if c['gap'] != 1 else ''}")
    parts.append(f"{c['green']} green")
    if c["silent"]:
        parts.append(f"{c['silent']} silent")
    if c["unclear"]:
        parts.append(f"{c['unclear']} unclear (read {'it' if c['unclear'] == 1 else 'them'} yourself)")
    return "Of the guide's seven questions: " + ", ".join(parts) + "."


def _asks_heading(page: OnePager) -> str:
    n = len(page.asks)
    if n == 0:
        return "Changes to ask for"
    words = {1: "The change", 2: "The two changes", 3: "The three most important changes"}
    return words.get(n, f"The {n} most important changes") + " to ask for"


def _meta(page: OnePager) -> str:
    who = f"{page.town} \u00b7 " if page.town and page.town not in page.department else ""
    return f"{who}For a meeting with the chief or the council \u00b7 Analysis of {long_date(page.date)}"


# --- HTML -------------------------------------------------------------------------------------


def _h(text: str) -> str:
    return html.escape(text, quote=True)


_CSS = """
@page { size: Letter; margin: 0.5in 0.55in; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font: 9.5pt/1.32 "Helvetica Neue", Arial, "Liberation Sans", sans-serif; color: #1a1a1a; margin: 0 auto; max-width: 7.4in; }
h1 { font-size: 15pt; line-height: 1.15; margin: 0 0 2pt; }
h2 { font-size: 11pt; margin: 9pt 0 3pt; }
p { margin: 3pt 0; }
.meta { color: #555; margin: 0 0 5pt; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0; table-layout: fixed; }
th, td { border: 0.6pt solid #bbb; padding: 2.5pt 4pt; vertical-align: top; text-align: left; }
th { background: #f0f0f0; font-size: 8.5pt; }
col.n { width: 0.22in; } col.q { width: 2.05in; } col.v { width: 0.78in; }
td.q b { display: block; } td.q span { color: #555; font-size: 8pt; }
td.v { font-weight: 700; font-size: 8pt; text-align: center; white-space: nowrap; }
.v-red { color: #fff; background: #b3261e; } .v-green { color: #fff; background: #1b6e3a; }
.v-gap { color: #fff; background: #8a5a00; } .v-silent { color: #333; background: #e8e8e8; }
.v-unclear { color: #fff; background: #6a1b9a; } td.e .read { color: #6a1b9a; font-weight: 700; margin-left: 3pt; }
td.e .c { font-weight: 700; margin-right: 3pt; }
td.e .miss { color: #555; font-style: italic; }
ol { margin: 2pt 0 0 0; padding-left: 16pt; } li { margin: 0 0 4pt; }
li .where { color: #555; }
.bp { margin-top: 8pt; }
footer { margin-top: 8pt; border-top: 0.6pt solid #bbb; padding-top: 3pt; color: #555; font-size: 7.5pt; }
code { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 7.5pt; }
tr { break-inside: avoid; }
@media screen { body { margin: 1.5rem auto; padding: 0 1rem; } }
""".strip()


def onepager_html(page: OnePager) -> str:
    """One self-contained page; every string from the policy is escaped."""
    rows = []
    for i, r in enumerate(page.rows, 1):
        if r.clause:
            evidence = f'<span class="c">{_h(r.clause)}</span>\u201c{_h(r.quote)}\u201d'
        else:
            evidence = f'<span class="miss">{_h(r.quote)}</span>'
        if r.verdict == "unclear" and r.clause:
            evidence += f'<span class="read">{_h(READ_IT)}</span>'
        rows.append(
            f'<tr id="{_h(r.question)}"><td>{i}</td><td class="q"><b>{_h(r.short)}</b><span>{_h(r.text)}</span></td>'
            f'<td class="v v-{r.verdict}">{LABELS[r.verdict]}</td><td class="e">{evidence}</td></tr>'
        )
    if page.asks:
        asks = "<ol>" + "".join(
            f'<li><b>{_h(a.short)}</b> <span class="where">({_h(a.where)})</span>: {_h(a.ask)}</li>' for a in page.asks
        ) + "</ol>"
    else:
        asks = f"<p>{_h(_no_asks(page))}</p>"
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>{_h(page.heading)}: one-pager</title><style>{_CSS}</style></head><body>\n"
        f"<h1>{_h(page.heading)}</h1>\n<p class=\"meta\">{_h(_meta(page))}</p>\n"
        f"<p>{_h(_summary(page))}</p>\n"
        "<table><colgroup><col class=\"n\"><col class=\"q\"><col class=\"v\"><col></colgroup>"
        "<thead><tr><th>#</th><th>Question</th><th>Verdict</th><th>What the policy says</th></tr></thead><tbody>\n"
        + "\n".join(rows)
        + "\n</tbody></table>\n"
        f"<h2>{_h(_asks_heading(page))}</h2>\n{asks}\n"
        + (f"<p>{_h(_read_note(page))}</p>\n" if _read_note(page) else "")
        + 
        f"<p class=\"bp\"><b>Boilerplate:</b> {_h(page.boilerplate)}</p>\n"
        f"<footer>{_h(_guide(page))} Analysed with policy-redline from <code>{_h(page.source)}</code> on {_h(page.date.isoformat())}; "
        f"the amended policy as tracked changes: <code>{_h(draft_command(page.source))}</code>.</footer>\n"
        "</body></html>\n"
    )


# --- Word -------------------------------------------------------------------------------------


def _shade(cell, color: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), color)
    tc_pr.append(shd)


def _cell_text(cell, parts: list[tuple[str, dict]], size: float = 8.5) -> None:
    p = cell.paragraphs[0]
    p.paragraph_format.space_after = Pt(0)
    for text, fmt in parts:
        run = p.add_run(xml_safe(text))
        run.font.size = Pt(fmt.get("size", size))
        run.bold = fmt.get("bold", False)
        run.italic = fmt.get("italic", False)
        if "color" in fmt:
            run.font.color.rgb = RGBColor.from_string(fmt["color"])


def _widths(table, inches: list[float]) -> None:
    """Column widths in the grid and in every cell (Word reads one, LibreOffice the other)."""
    for col, w in zip(table.columns, inches):
        col.width = Inches(w)
    for row in table.rows:
        for cell, w in zip(row.cells, inches):
            cell.width = Inches(w)


def onepager_docx(page: OnePager) -> bytes:
    doc = letter_document(margin=0.5, font="Arial", size=9, space_after=3)
    normal = doc.styles["Normal"]
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.line_spacing = 1.0

    def para(text: str = "", *, size: float = 9, bold: bool = False, color: str | None = None, after: float = 3):
        p = doc.add_paragraph()
        p.paragraph_format.space_after = Pt(after)
        if text:
            run = p.add_run(xml_safe(text))
            run.font.size = Pt(size)
            run.bold = bold
            if color:
                run.font.color.rgb = RGBColor.from_string(color)
        return p

    para(page.heading, size=15, bold=True, after=1)
    para(_meta(page), size=8.5, color="555555", after=4)
    para(_summary(page))

    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for cell, label in zip(table.rows[0].cells, ("#", "Question", "Verdict", "What the policy says")):
        _cell_text(cell, [(label, {"bold": True})])
        _shade(cell, "F0F0F0")
    for i, r in enumerate(page.rows, 1):
        cells = table.add_row().cells
        _cell_text(cells[0], [(str(i), {})])
        _cell_text(cells[1], [(r.short + "\n", {"bold": True}), (r.text, {"size": 7.5, "color": "555555"})])
        _cell_text(cells[2], [(LABELS[r.verdict], {"bold": True, "size": 8, "color": "333333" if r.verdict == "silent" else "FFFFFF"})])
        cells[2].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _shade(cells[2], COLORS[r.verdict])
        if r.clause:
            parts = [(r.clause + " ", {"bold": True}), (f"\u201c{r.quote}\u201d", {})]
            if r.verdict == "unclear":
                parts.append((" " + READ_IT, {"bold": True, "color": COLORS["unclear"]}))
            _cell_text(cells[3], parts)
        else:
            _cell_text(cells[3], [(r.quote, {"italic": True, "color": "555555"})])
    _widths(table, [0.3, 2.2, 0.85, 4.15])

    para(_asks_heading(page), size=11, bold=True, after=2).paragraph_format.space_before = Pt(8)
    if page.asks:
        for k, a in enumerate(page.asks, 1):
            p = para(after=3)
            p.paragraph_format.left_indent = Inches(0.25)
            p.paragraph_format.first_line_indent = Inches(-0.25)
            for text, fmt in ((f"{k}.  ", {}), (a.short, {"bold": True}), (f" ({a.where}): ", {"color": "555555"}), (a.ask, {})):
                run = p.add_run(xml_safe(text))
                run.bold = fmt.get("bold", False)
                if "color" in fmt:
                    run.font.color.rgb = RGBColor.from_string(fmt["color"])
    else:
        para(_no_asks(page))
    if _read_note(page):
        para(_read_note(page))
    p = para(after=6)
    p.paragraph_format.space_before = Pt(6)
    p.add_run("Boilerplate: ").bold = True
    p.add_run(xml_safe(page.boilerplate))
    para(
        f"{_guide(page)} Analysed with policy-redline from {page.source} on {page.date.isoformat()}; "
        f"the amended policy as tracked changes: {draft_command(page.source)}.",
        size=7, color="555555",
    )

    return reproducible_bytes(doc, day=page.date, title=f"{page.heading}: one-pager")
