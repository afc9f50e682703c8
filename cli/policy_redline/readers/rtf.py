"""Rich Text Format (.rtf) via striprtf (imported lazily: only when an .rtf is read).

Records offices export Word files as RTF. striprtf drops the control words, groups and
destinations (font and colour tables, pictures, field instructions) and decodes `\\'xx`
and `\\u` escapes in the document's code page; each paragraph (`\\par`) is a line, so
every line is its own block. Markup is never read as prose: a file that does not start
as RTF, or whose text still carries control words after conversion, is refused with a
one-line "save it as .docx or PDF".
"""

from __future__ import annotations

import re

from ..errors import InputError
from .common import Parsed, is_rtf, lines_to_blocks, normalize_text

SAVE_AS = "save it as .docx or PDF and try again"
_CODEPAGE = re.compile(rb"\\ansicpg(\d{3,5})")
_LEFTOVER = re.compile(r"\\[a-z]{2,32}-?\d*\b|[{}]")


def read(data: bytes, source: str) -> Parsed:
    if not is_rtf(data):
        raise InputError(source, f"not an RTF file (it does not start with {{\\rtf); {SAVE_AS}")
    from striprtf.striprtf import rtf_to_text

    m = _CODEPAGE.search(data[:4096])
    encoding = f"cp{int(m.group(1))}" if m else "cp1252"
    try:
        "".encode(encoding)
    except LookupError:
        encoding = "cp1252"
    try:
        text = rtf_to_text(data.decode("latin-1"), encoding=encoding, errors="replace")
    except Exception:  # striprtf on malformed input: one line for the user
        raise InputError(source, f"this RTF file could not be read; {SAVE_AS}") from None
    text = normalize_text(text)
    words = text.split()
    if words and len(_LEFTOVER.findall(text)) > max(3, len(words) // 50):
        raise InputError(source, f"this RTF file's formatting could not be separated from its text; {SAVE_AS}")
    lines = [ln for ln in text.split("\n")]
    # A paragraph is a line: separate them with blank lines so none is joined to the next.
    spaced: list[str] = []
    for ln in lines:
        spaced += [ln, ""]
    return Parsed(blocks=lines_to_blocks(spaced))
