"""Plain text (.txt): paragraphs separated by blank lines; numbering starts a new block."""

from __future__ import annotations

import re

from .common import Parsed, decode_text, lines_to_blocks, normalize_text


_LINE_BREAK_TAG = re.compile(r"[ \t]*<br\s*/?>[ \t]*", re.I)


def read(data: bytes, source: str) -> Parsed:
    text, enc = decode_text(data, source)
    text = normalize_text(text)
    # A text copied from a web page's source keeps its line-break tags ("… established <br />by
    # ICE supervisors"): they are where its lines end, not words.
    text = _LINE_BREAK_TAG.sub("\n", text)
    lines = text.split("\n")
    title = ""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None and first + 1 < len(lines) and re.fullmatch(r"={3,}", lines[first + 1].strip()):
        # A title underlined with "=" (Markdown's setext heading, and how `redline` writes a
        # text document's title): the document's title, not a paragraph of it.
        title = lines[first].strip()
        lines = lines[:first] + lines[first + 2 :]
    blocks = lines_to_blocks(lines)
    notes = [] if enc in ("utf-8", "utf-8-sig") else [f"decoded as {enc}"]
    return Parsed(blocks=blocks, title_hint=title, notes=notes, title_explicit=bool(title))
