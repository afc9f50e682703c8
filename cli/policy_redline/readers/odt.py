"""OpenDocument text (.odt) via odfpy (imported lazily: only when an .odt is read).

The zip is checked before odfpy parses it (members, declared size, compression ratio, as
for .docx); odfpy parses the XML with defusedxml. The body is walked in order: headings
(`text:h`, their outline level), paragraphs, list items (a list's items, nested lists a
level deeper) and table cells. Tracked deletions (`text:tracked-changes`) and notes'
bodies are left out.
"""

from __future__ import annotations

import io
import zipfile

from ..document import Block
from ..errors import InputError
from .common import ODT_MIMETYPE, Parsed, clean_inline, is_odt  # noqa: F401 (is_odt: this format's test)
from .docx import MAX_COMPRESSION_RATIO, MAX_MEMBERS, MAX_XML_BYTES

SAVE_AS = "save it as .docx or PDF and try again"
_TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_SKIP = {(_TEXT_NS, "tracked-changes"), (_TEXT_NS, "note-body"), (_TEXT_NS, "note-citation"),
         (_TEXT_NS, "sequence-decls"), (_TEXT_NS, "variable-decls"), (_TEXT_NS, "user-field-decls"),
         (_TEXT_NS, "table-of-content"), (_TEXT_NS, "deletion")}


def read(data: bytes, source: str) -> Parsed:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise InputError(source, f"not an OpenDocument .odt file (not a zip archive); {SAVE_AS}") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS:
            raise InputError(source, f"the .odt has more than {MAX_MEMBERS} parts; refusing to read it")
        names = {i.filename for i in infos}
        if "content.xml" not in names:
            raise InputError(source, f"not an OpenDocument text file (no content.xml); {SAVE_AS}")
        xml = 0
        for info in infos:
            if info.filename.endswith(".xml"):
                xml += info.file_size
                if info.file_size > 1024 * 1024 and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
                    raise InputError(source, "the .odt is compressed suspiciously well (a zip bomb?); refusing to read it")
        if xml > MAX_XML_BYTES:
            raise InputError(source, f"the .odt holds {xml / (1024 * 1024):,.0f} MB of XML; give the immigration "
                             "policy alone, not the whole manual")
    from odf.opendocument import load

    try:
        doc = load(io.BytesIO(data))
    except Exception:
        raise InputError(source, f"this .odt file could not be read; {SAVE_AS}") from None
    blocks: list[Block] = []
    _walk(doc.text, blocks, 0)
    title = ""
    try:
        from odf import dc

        t = doc.meta.getElementsByType(dc.Title)
        title = clean_inline(_text(t[0])) if t else ""
    except Exception:
        title = ""
    return Parsed(blocks=blocks, title_hint=title)


def _text(node) -> str:
    """The text of a paragraph or heading: spans, links, spaces and tabs, no notes."""
    out: list[str] = []
    for child in node.childNodes:
        if child.nodeType == child.TEXT_NODE:
            out.append(child.data)
            continue
        q = child.qname
        if q in _SKIP or q == (_TEXT_NS, "note"):
            continue
        if q == (_TEXT_NS, "s"):
            out.append(" " * int(child.getAttribute("c") or 1))
        elif q in ((_TEXT_NS, "tab"), (_TEXT_NS, "line-break")):
            out.append(" ")
        else:
            out.append(_text(child))
    return "".join(out)


def _walk(node, blocks: list[Block], depth: int) -> None:
    for child in node.childNodes:
        if child.nodeType != child.ELEMENT_NODE:
            continue
        q = child.qname
        if q in _SKIP:
            continue
        if q == (_TEXT_NS, "h"):
            text = clean_inline(_text(child))
            if text:
                try:
                    level = max(1, min(9, int(child.getAttribute("outlinelevel") or 1)))
                except ValueError:
                    level = 1
                blocks.append(Block(text, "heading", level))
        elif q == (_TEXT_NS, "p"):
            text = clean_inline(_text(child))
            if text:
                blocks.append(Block(text, "list_item", depth) if depth else Block(text))
        elif q == (_TEXT_NS, "list"):
            _walk(child, blocks, depth + 1)
        else:  # list items, sections, tables, rows, cells, frames
            _walk(child, blocks, depth)
