"""Self-contained HTML redline: one file, inline CSS, no scripts, no external resources.

Insertions are `<ins>` (blue, underlined), deletions `<del>` (vermillion, struck through) --
Okabe-Ito colours that stay distinct under the common colour-vision deficiencies, and the
underline/strikethrough carry the meaning on a greyscale printout too.  Whole inserted or
deleted paragraphs also get a side bar.  Comments become numbered footnotes.  Every piece of
text that comes from the redline is passed through `html.escape(..., quote=True)`.
"""

from __future__ import annotations

import html
import re

from ..redline import Redline, RedlineParagraph

__all__ = ["redline_to_html"]

#: The date every redline carries unless --date is given (so output is reproducible); it is
#: no date anyone prepared anything on, so the page does not show it.
FIXED_DATE = "2026-01-01T00:00:00Z"

_CSS = """
:root { --ins: #0072b2; --del: #d55e00; --ink: #1a1a1a; --muted: #555; }
html { color: var(--ink); background: #fff; }
body { font: 16px/1.55 Georgia, "Times New Roman", serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
h1, h2, h3, h4, h5, h6 { font-family: system-ui, -apple-system, "Segoe UI", Arial, sans-serif; line-height: 1.25; }
header.doc h1 { font-size: 1.6rem; margin-bottom: .25rem; }
header.doc p.meta { color: var(--muted); margin-top: 0; font-size: .9rem; }
ins { color: var(--ins); text-decoration: underline; text-decoration-thickness: .12em; text-underline-offset: .15em; background: #e8f3fa; }
del { color: var(--del); text-decoration: line-through; text-decoration-thickness: .12em; background: #fbeee6; }
.para-ins { border-left: 4px solid var(--ins); padding-left: .6rem; }
.para-del { border-left: 4px dashed var(--del); padding-left: .6rem; }
p.list-item { margin-left: 2rem; }
.legend { border: 1px solid #ccc; padding: .5rem .8rem; font: .9rem/1.4 system-ui, -apple-system, "Segoe UI", Arial, sans-serif; }
.legend span { margin-right: 1.2rem; white-space: nowrap; }
sup.note a { text-decoration: none; font-family: system-ui, Arial, sans-serif; font-size: .75em; }
section.notes { border-top: 1px solid #ccc; margin-top: 2rem; font-size: .92rem; }
section.notes li { margin-bottom: .4rem; }
@media print {
  @page { margin: 2cm 2.2cm; }
  html, body { background: none; }
  body { max-width: none; margin: 0; padding: 0; font-size: 11pt; }
  ins, del { background: none; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  p, li, .legend { break-inside: avoid; page-break-inside: avoid; }
  h1, h2, h3, h4, h5, h6 { break-after: avoid; page-break-after: avoid; }
  sup.note a { color: inherit; }
}
""".strip()


# Characters HTML forbids in text (controls other than tab/newline/CR, lone surrogates,
# U+FFFE/U+FFFF) are shown as U+FFFD.
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def _esc(text: str) -> str:
    """Escape and keep line breaks inside a paragraph visible."""
    return html.escape(_BAD_CHARS.sub("\ufffd", text), quote=True).replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>\n")


def _esc_line(text: str) -> str:
    """Escape for one-line places (title, metadata): whitespace runs become one space."""
    return html.escape(" ".join(_BAD_CHARS.sub("\ufffd", text).split()), quote=True)


def _body(para: RedlineParagraph) -> str:
    parts = []
    for edit in para.edits:
        if edit.op == "equal":
            parts.append(_esc(edit.text))
        elif edit.op == "insert":
            parts.append(f"<ins>{_esc(edit.text)}</ins>")
        else:
            parts.append(f"<del>{_esc(edit.text)}</del>")
    return "".join(parts)


def redline_to_html(redline: Redline, *, heading: str | None = None) -> str:
    """The redline as one self-contained HTML page (`heading` overrides the page heading)."""
    title = heading if heading is not None else redline.title
    blocks: list[str] = []
    notes: list[str] = []
    for para in redline.paragraphs:
        body = _body(para)
        if para.comment.strip():
            notes.append(para.comment.strip())
            n = len(notes)
            body += f'<sup class="note" id="ref-{n}"><a href="#note-{n}" aria-label="Note {n}">[{n}]</a></sup>'
        classes = []
        if para.inserted:
            classes.append("para-ins")
        elif para.deleted:
            classes.append("para-del")
        if para.kind == "heading":
            # at its own level, so that a draft read back is the same document (the page's
            # own <h1> sits in its <header>, which the HTML reader leaves out for our pages)
            tag = f"h{min(max(para.level, 1), 6)}"
        else:
            tag = "p"
            if para.kind == "list_item":
                classes.insert(0, "list-item")
        cls = f' class="{" ".join(classes)}"' if classes else ""
        blocks.append(f"<{tag}{cls}>{body}</{tag}>")

    n_ins = sum(1 for p in redline.paragraphs for e in p.edits if e.op == "insert")
    n_del = sum(1 for p in redline.paragraphs for e in p.edits if e.op == "delete")
    changed = sum(1 for p in redline.paragraphs if p.changed)
    meta = (
        f"Prepared by {_esc_line(redline.author)} &middot; "
        + (f"{_esc_line(redline.date)} &middot; " if redline.date and redline.date != FIXED_DATE else "")
        + f"{changed} of {len(redline.paragraphs)} paragraphs changed "
        f"({n_ins} insertions, {n_del} deletions)"
    )
    legend = (
        '<aside class="legend" aria-label="Legend"><strong>How to read this redline:</strong> '
        "<span><ins>underlined blue text</ins> is added</span> "
        "<span><del>struck-through orange text</del> is removed</span> "
        '<span><sup class="note"><a>[1]</a></sup> a numbered note explains why</span></aside>'
    )
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="policy-redline">',
        f"<title>{_esc_line(title)}</title>",
        f"<style>\n{_CSS}\n</style>",
        "</head>",
        "<body>",
        '<header class="doc">',
        f"<h1>{_esc_line(title)}</h1>",
        f'<p class="meta">{meta}</p>',
        legend,
        "</header>",
        "<main>",
        *blocks,
        "</main>",
    ]
    if notes:
        out.append('<section class="notes" aria-label="Notes"><h2>Notes</h2><ol>')
        for i, note in enumerate(notes, 1):
            out.append(f'<li id="note-{i}">{_esc(note)} <a href="#ref-{i}" aria-label="Back to text">&#8617;</a></li>')
        out.append("</ol></section>")
    out += ["</body>", "</html>", ""]
    return "\n".join(out)
