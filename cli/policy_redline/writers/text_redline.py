"""Plain-text redline for terminals and logs.

With `color`, deletions are red and struck through, insertions green and underlined (ANSI
SGR codes; the strike/underline keep it readable without colour).  Without `color`, the
wdiff convention: `[-deleted-]{+inserted+}`.  Comments are numbered notes `[n]` listed at
the end.  Control characters in the texts (an ESC could otherwise drive the terminal) are
shown as U+FFFD; tabs and newlines are kept.

Every paragraph is written the same way, whatever its kind (a list item is not indented), so
that reading a text draft back and drafting it again gives the same bytes: plain text cannot
say which lines were headings, and the reader's guess must not change the output. The one
mark added is "- " before a list item that carries no number of its own (a bullet the reader
took off, a Word list's automatic number): the text reader reads it back as the same item, so
an item stays under its lead-in ("Neither officers nor staff shall:") instead of being read as
a sentence on its own ("Permit ICE agents to use College facilities …").
"""

from __future__ import annotations

import re

from ..readers.common import kind_of_first_line
from ..redline import Redline, RedlineParagraph

__all__ = ["redline_to_text"]

_RED = "\x1b[31;9m"
_GREEN = "\x1b[32;4m"
_BOLD = "\x1b[1m"
_DIM = "\x1b[2m"
_RESET = "\x1b[0m"

_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _clean(text: str) -> str:
    return _CONTROLS.sub("\ufffd", text.replace("\r\n", "\n").replace("\r", "\n"))


def _body(para: RedlineParagraph, color: bool) -> str:
    parts = []
    for edit in para.edits:
        text = _clean(edit.text)
        if edit.op == "equal":
            parts.append(text)
        elif color:
            # Re-open the colour after each newline so a pager that resets per line keeps it.
            code = _GREEN if edit.op == "insert" else _RED
            parts.append(code + text.replace("\n", _RESET + "\n" + code) + _RESET)
        elif edit.op == "insert":
            parts.append("{+" + text + "+}")
        else:
            parts.append("[-" + text + "-]")
    return "".join(parts)


def redline_to_text(redline: Redline, *, color: bool) -> str:
    """The redline as text: ANSI colours when `color`, else `[-deleted-]{+inserted+}`."""
    out: list[str] = []
    title = _clean(redline.title.strip())
    if title:
        out += [(_BOLD + title + _RESET) if color else title, "=" * min(len(title), 78), ""]
    notes: list[str] = []
    for para in redline.paragraphs:
        body = _body(para, color)
        if para.kind == "list_item" and kind_of_first_line((para.amended or para.original).lstrip()) != "list_item":
            body = "- " + body
        if para.comment.strip():
            notes.append(_clean(para.comment.strip()))
            body += f" [{len(notes)}]"
        if para.kind == "heading" and color:
            body = _BOLD + body.replace(_RESET, _RESET + _BOLD) + _RESET
        out += [body, ""]
    if notes:
        out.append("Notes:" if not color else _DIM + "Notes:" + _RESET)
        for i, note in enumerate(notes, 1):
            out.append(f"[{i}] " + note.replace("\n", "\n    "))
        out.append("")
    return "\n".join(out)
