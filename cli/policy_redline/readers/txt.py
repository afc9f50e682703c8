"""Plain text (.txt): paragraphs separated by blank lines; numbering starts a new block."""

from __future__ import annotations

from .common import Parsed, decode_text, lines_to_blocks, normalize_text


def read(data: bytes, source: str) -> Parsed:
    text, enc = decode_text(data, source)
    text = normalize_text(text)
    blocks = lines_to_blocks(text.split("\n"))
    notes = [] if enc in ("utf-8", "utf-8-sig") else [f"decoded as {enc}"]
    return Parsed(blocks=blocks, notes=notes)
