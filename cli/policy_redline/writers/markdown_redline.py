"""Markdown redline in CriticMarkup: `{++inserted++}`, `{--deleted--}`, comments as footnotes.

Headings are `#` lines at their own level (the redline's title is written as a `#` line
only when it is not already the document's first heading, so a Markdown draft reads back as
the same document and drafting it again gives the same bytes), list items are `- ` lines, and each paragraph is its own block.  Whole inserted or
deleted paragraphs are one `{++...++}` / `{--...--}` span.

Escaping, and what it costs: CriticMarkup has no escape character, so any text that would
form a CriticMarkup delimiter -- `{++ ++} {-- --} {~~ ~~} ~> {== ==} {>> <<}` -- gets a
U+2060 WORD JOINER inserted between the two characters that would meet (`{+` WJ `+`).
The joiner is invisible and never appears in ordinary policy text, so stripping U+2060 after
accepting or rejecting gives back the exact texts.  A blank line inside a paragraph's text
would end the CriticMarkup span, so runs of blank lines inside one paragraph are written as a
single newline (the only change to the texts besides the joiners; paragraph texts from the
segmenter never contain blank lines).  Other Markdown syntax in the texts is written as is
(a policy line like "413.4 DETENTIONS" needs none), except a backslash before punctuation
and the opening bracket of an inline link, which are escaped so that a text copied from a
web page reads back with its brackets and addresses; it is the CriticMarkup that must never
break -- and raw HTML: a `<` that would open a tag, a closing tag, a comment, a CDATA section
or a processing instruction (`<script`, `</p`, `<!--`, `<?`) gets a word joiner after it, so
no Markdown renderer sees markup that came from the policy (`<` WJ `script>` is text).
"""

from __future__ import annotations

import re

from ..redline import Redline, RedlineParagraph

__all__ = ["redline_to_markdown", "WORD_JOINER"]

WORD_JOINER = "\u2060"

# Two characters that would meet to form a CriticMarkup delimiter.
_DELIMS = re.compile(r"(?<=\{)(?=[+\-~=>])|(?<=[+\-~=<])(?=\})|(?<=~)(?=>)")


# A "<" that starts raw HTML in CommonMark: a tag name, "/", "!" or "?" right after it.
_HTML_OPEN = re.compile(r"(?<=<)(?=[A-Za-z/!?])")


# A backslash before punctuation would escape it, and "[text](address)" would become a link
# whose address a reader drops: both are escaped, so the text reads back as it was (a
# statute copied from a web page keeps its "\\[ [2019 c 440 § 4](https://…); \\]").
_BACKSLASH = re.compile(r"\\(?=[!-/:-@\[-`{-~])")
_LINK_OPEN = re.compile(r"\[(?=[^\]\n]*\]\()")

_CR = re.compile(r"\r\n?")
# A paragraph that opens with a row of list marks ("* * * * Pursuant to due call …", a
# minutes' separator) would read back as lists nested in lists, or a rule.
_LIST_MARK = re.compile(r"[-*+][ \t]+[-*+](?:[ \t]|$)")
_BLANK_LINES = re.compile(r"\n\s*\n")
# A paragraph that is only a row of underscores or hyphens (a signature line, a separator)
# would read back as a thematic break, that is, as nothing.
_RULE_LINE = re.compile(r"[ \t]*([-_])(?:[ \t]*\1){2,}[ \t]*$")


def _neutralise(text: str) -> str:
    # Each pattern is tried only on text holding a character it needs (most spans of a
    # policy hold none: a comparison of 5,000 clauses writes some 30,000 spans).
    if "\r" in text:
        text = _CR.sub("\n", text)
    if "\n" in text:
        # Collapse runs of blank lines (they would end the paragraph) into single newlines.
        text = _BLANK_LINES.sub("\n", text)
    if "\\" in text:
        text = _BACKSLASH.sub(r"\\\\", text)
    if "*" in text:
        text = text.replace("*", "\\*")  # "*§ 10-178 …*" as a code mirror types it: stars, not emphasis
    if "](" in text:
        text = _LINK_OPEN.sub(r"\\[", text)
    if "<" in text:
        text = _HTML_OPEN.sub(WORD_JOINER, text)
    if "{" in text or "}" in text or ">" in text:
        text = _DELIMS.sub(WORD_JOINER, text)
    return text


def _span(op: str, text: str) -> str:
    # Text at either edge of a span must not join with the span's own delimiter either.
    body = _neutralise(text)
    if op == "equal":
        return body
    mark = "+" if op == "insert" else "-"
    if body.startswith("}"):
        body = WORD_JOINER + body
    if body.endswith("{"):
        body += WORD_JOINER
    return "{" + mark * 2 + body + mark * 2 + "}"


def _body(para: RedlineParagraph) -> str:
    if para.original == para.amended:  # one `equal` span, or none (most of a comparison)
        return _neutralise(para.original)
    parts = [_span(e.op, e.text) for e in para.edits]
    out = []
    for i, part in enumerate(parts):
        # A "{" ending one part and a "+"/"-" starting the next would fuse across parts.
        if out and out[-1].endswith("{") and part[:1] in "+-~=>":
            out[-1] += WORD_JOINER
        if out and out[-1][-1:] in "+-~=<" and part.startswith("}"):
            part = WORD_JOINER + part
        out.append(part)
    return "".join(out)


def _title_is_first_heading(redline: Redline) -> bool:
    """True when the document's title is its own first heading (or its first two top-level
    headings, a title set over two lines): writing it again as a separate "#" line would make
    a Markdown draft read back with one heading more than it has."""
    paras = [p for p in redline.paragraphs if p.amended or p.original][:2]
    heads = [p.amended or p.original for p in paras if p.kind == "heading" and p.amended == p.original]
    title = " ".join(redline.title.split())
    if not heads or not paras or paras[0].kind != "heading":
        return False
    def names(text: str) -> bool:  # the title, or the title the reader shortened from it ("…")
        text = " ".join(text.split())
        return text == title or (title.endswith("…") and len(text) > len(title) and text.startswith(title[:-1].rstrip()))

    if names(heads[0]):
        return True
    return len(heads) == 2 and all(p.level <= 1 for p in paras) and names(" ".join(heads))


def redline_to_markdown(redline: Redline) -> str:
    """The redline as CriticMarkup Markdown with comments as footnotes `[^n]`."""
    lines: list[str] = []
    if redline.title.strip() and not _title_is_first_heading(redline):
        lines += ["# " + _neutralise(redline.title.strip()).replace("\n", " "), ""]
    notes: list[str] = []
    for para in redline.paragraphs:
        body = _body(para)
        if para.comment.strip():
            notes.append(para.comment.strip())
            body += f"[^{len(notes)}]"
        if para.kind == "heading":
            prefix = "#" * min(max(para.level, 1), 6) + " "
            body = body.replace("\n", " ")
        elif para.kind == "list_item":
            prefix = "- "
            body = body.replace("\n", "\n  ")
        else:
            prefix = ""
            if _LIST_MARK.match(body) or _RULE_LINE.match(body):
                body = "\\" + body
        lines += [prefix + body, ""]
    for i, note in enumerate(notes, 1):
        text = _neutralise(note).replace("\n", "\n    ")
        lines.append(f"[^{i}]: {text}")
    if notes:
        lines.append("")
    return "\n".join(lines)
