"""Markdown (.md, .markdown): ATX/setext headings, list items, paragraphs.

Line-based on purpose: a policy saved as Markdown is a handful of headings, numbered
lists and hard-wrapped paragraphs. Typed list numbers ("1.") stay in the text because
the segmenter reads them; bullets ("- ") are removed. Inline markup (emphasis, links,
backslash escapes) is reduced to its text.
"""

from __future__ import annotations

import re

from ..document import Block
from .common import Parsed, clean_inline, decode_text, normalize_text

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:\s+(.*?))?(?:\s+#+)?\s*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")
_BULLET = re.compile(r"^(\s*)[-*+]\s+(.*)$")
_ORDERED = re.compile(r"^(\s*)(\d{1,9}[.)])\s+(.*)$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_RULE = re.compile(r"^ {0,3}([-*_])(\s*\1){2,}\s*$")
_QUOTE = re.compile(r"^ {0,3}>\s?")
_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")

_INLINE = [
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images -> alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links -> text
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # reference links
    (re.compile(r"<(https?://[^>]+)>"), r"\1"),  # autolinks
    # strong; a run of underscores or asterisks alone is a blank to fill in ("CHAPTER ______"), not markup
    (re.compile(r"(\*\*|__)(?=[^\s*_])(.+?)(?<=[^\s*_])\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?!\*)"), r"\1"),  # *em*
    (re.compile(r"(?<![\w_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])"), r"\1"),  # _em_
    (re.compile(r"`([^`]+)`"), r"\1"),  # code spans
]
# A backslash before ASCII punctuation makes it a literal character (CommonMark): escaped
# characters are set aside before links and emphasis are read, so "\[2019 c 440](…)" stays
# text with its address, and put back after.
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_HELD = re.compile("\ue000(\\d+)\ue001")


def _inline(text: str) -> str:
    held: list[str] = []

    def hold(m: re.Match[str]) -> str:
        held.append(m.group(1))
        return f"\ue000{len(held) - 1}\ue001"

    if "\\" in text:
        text = _ESCAPED.sub(hold, text)
    for pattern, repl in _INLINE:
        text = pattern.sub(repl, text)
    if held:
        text = _HELD.sub(lambda m: held[int(m.group(1))], text)
    return clean_inline(text)


def read(data: bytes, source: str) -> Parsed:
    text, _ = decode_text(data, source)
    lines = normalize_text(text).split("\n")
    # Front matter (--- ... ---) at the very top is metadata, not policy text.
    title_hint = ""
    if lines and lines[0].strip() == "---":
        for i in range(1, min(len(lines), 200)):
            if lines[i].strip() in ("---", "..."):
                for meta in lines[1:i]:
                    key, _, value = meta.partition(":")
                    if key.strip().lower() == "title":
                        title_hint = value.strip().strip("\"'")
                lines = lines[i + 1:]
                break

    blocks: list[Block] = []
    para: list[str] = []
    para_kind = "paragraph"
    para_number = ""  # typed list number kept for the text
    para_level = 0
    in_fence = False

    def flush() -> None:
        nonlocal para, para_kind, para_number, para_level
        if para:
            body = _inline(" ".join(para))
            if para_kind == "list_item" and para_number:
                body = f"{para_number} {body}".strip()
            if body:
                blocks.append(Block(text=body, kind=para_kind, level=para_level))  # type: ignore[arg-type]
        para, para_kind, para_number, para_level = [], "paragraph", "", 0

    for raw in lines:
        if _FENCE.match(raw):
            flush()
            in_fence = not in_fence
            continue
        if in_fence:
            if raw.strip():
                blocks.append(Block(text=clean_inline(raw)))
            continue
        line = _QUOTE.sub("", raw)
        if not line.strip():
            flush()
            continue
        m = _ATX.match(line)
        if m:
            flush()
            body = _inline(m.group(2) or "")
            if body:
                blocks.append(Block(text=body, kind="heading", level=len(m.group(1))))
            continue
        s = _SETEXT.match(line)
        if s and para and para_kind == "paragraph":
            level = 1 if s.group(1).startswith("=") else 2
            body = _inline(" ".join(para))
            para = []
            if body:
                blocks.append(Block(text=body, kind="heading", level=level))
            continue
        if _RULE.match(line) or _TABLE_SEP.match(line):
            flush()
            continue
        b = _BULLET.match(line)
        o = _ORDERED.match(line)
        if b or o:
            flush()
            indent = (b or o).group(1)  # type: ignore[union-attr]
            para_kind = "list_item"
            para_level = len(indent.expandtabs(4)) // 2 if indent else 0
            para_level = min(para_level, 8)
            if o:
                para_number, para = o.group(2), [o.group(3)]
            else:
                para = [b.group(2)]  # type: ignore[union-attr]
            continue
        if line.lstrip().startswith("|") and line.rstrip().endswith("|"):
            flush()  # a pipe-table row: each cell is a block, like a .docx table
            for cell in line.strip().strip("|").split("|"):
                body = _inline(cell)
                if body:
                    blocks.append(Block(text=body))
            continue
        para.append(line.strip())
    flush()
    return Parsed(blocks=blocks, title_hint=title_hint)
