"""Word .docx via python-docx (imported lazily: only when a .docx is read).

The zip is inspected before anything parses it (size, compression ratio, XML entity
declarations), then the body is walked in document order: paragraphs, tables (each row's
cells in order, nested tables included) and content controls. Heading styles (Heading
1-9, Title, and styles based on them or carrying an outline level) give headings; Word's
automatic numbering gives list items whose computed label ("1.", "(a)") goes in
`Block.number`, never in the text. Tracked changes are read as accepted (insertions in,
deletions out); hidden text, field codes and text boxes are left out.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib

from ..document import Block
from ..errors import InputError
from .common import Parsed, clean_inline

# A real policy .docx is well under 10 MB unpacked; 200 MB leaves room for embedded
# images while keeping a zip bomb from exhausting memory.
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
# Word's XML compresses about 5-20 to 1; a member over 1 MB that compresses more than
# 200 to 1 is a zip bomb, not a document.
MAX_COMPRESSION_RATIO = 200
_RATIO_MIN_SIZE = 1024 * 1024
# A .docx has tens of parts; thousands of members is not a document.
MAX_MEMBERS = 5000
# The XML the readers parse (every .xml and .rels part, as the zip's directory declares it:
# zipfile never inflates a member past its declared size). A whole policy manual is a few
# MB of XML; parsing costs about ten times its size in memory, so this keeps a .docx that
# inflates to hundreds of MB of XML (under the ratio check) from taking seconds and GBs.
MAX_XML_BYTES = 32 * 1024 * 1024

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENTITY_MARKERS = tuple(
    m.encode(enc) for m in ("<!DOCTYPE", "<!ENTITY") for enc in ("utf-8", "utf-16-le", "utf-16-be")
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"

_RECURSE = {f"{W}hyperlink", f"{W}ins", f"{W}moveTo", f"{W}smartTag", f"{W}customXml",
            f"{W}fldSimple", f"{W}sdtContent", f"{W}bdo", f"{W}dir", f"{W}r"}
_HEADING_NAME = re.compile(r"^heading\s*([1-9])$", re.I)


def inspect_zip(data: bytes, source: str) -> None:
    """Refuse what is not a safe .docx before any XML parser sees it."""
    if data.startswith(OLE_MAGIC):
        raise InputError(source, "encrypted or legacy .doc file: save it as .docx")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise InputError(source, "not a Word .docx file (not a zip archive)") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS:
            raise InputError(source, f"the .docx has more than {MAX_MEMBERS} parts; "
                             "refusing to read it")
        total = sum(i.file_size for i in infos)
        if total > MAX_UNCOMPRESSED_BYTES:
            raise InputError(source, "the .docx unpacks to more than "
                             f"{MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB (a zip bomb?); "
                             "refusing to read it")
        for info in infos:
            if info.file_size > _RATIO_MIN_SIZE and (
                info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1)
            ):
                raise InputError(source, f"the .docx member {info.filename} is compressed "
                                 f"more than {MAX_COMPRESSION_RATIO}:1 (a zip bomb?); "
                                 "refusing to read it")
        xml = sum(i.file_size for i in infos if i.filename.endswith((".xml", ".rels")))
        if xml > MAX_XML_BYTES:
            raise InputError(source, f"the .docx holds {xml / (1024 * 1024):,.0f} MB of XML (the limit "
                             f"is {MAX_XML_BYTES // (1024 * 1024)} MB); give the immigration "
                             "policy alone, not the whole manual")
        names = {i.filename for i in infos}
        if "word/document.xml" not in names:
            raise InputError(source, "not a Word .docx file (a zip archive with no "
                             "word/document.xml)")
        for info in infos:
            if not info.filename.endswith((".xml", ".rels")):
                continue
            try:
                raw = zf.read(info)
            except RuntimeError:
                raise InputError(source, "encrypted or legacy .doc file: save it as .docx") from None
            except (zipfile.BadZipFile, zlib.error, NotImplementedError, EOFError, OSError,
                    ValueError) as exc:
                raise InputError(source, f"damaged .docx ({_one_line(exc)}): open it in Word "
                                 "and save it again") from None
            if any(marker in raw for marker in _ENTITY_MARKERS):
                raise InputError(source, "the .docx declares XML entities; refusing to read it")


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:120]


def read(data: bytes, source: str) -> Parsed:
    inspect_zip(data, source)
    import docx  # lazy: comparing two .txt files must not pay for python-docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # PackageNotFoundError, KeyError, ValueError, XMLSyntaxError …
        msg = _one_line(exc)
        if "Excessive depth" in msg:
            raise InputError(source, "the .docx XML is nested more than 256 elements deep; "
                             "refusing to read it") from None
        if "content type" in msg:
            raise InputError(source, "not a plain Word document (a template or macro file?): "
                             "save it as .docx") from None
        raise InputError(source, f"damaged .docx ({msg}): open it in Word and save it "
                         "again") from None
    try:
        walker = _Walker(document)
        blocks = walker.walk(document.element.body)
        title = ""
        try:
            title = clean_inline(document.core_properties.title or "")
        except Exception:
            pass
    except InputError:
        raise
    except Exception as exc:
        raise InputError(source, f"damaged .docx ({_one_line(exc)}): open it in Word and "
                         "save it again") from None
    return Parsed(blocks=blocks, title_hint=title)


def _val(el, tag: str) -> str | None:
    """The w:val of child `tag` of `el` (None if absent)."""
    if el is None:
        return None
    child = el.find(f"{W}{tag}")
    if child is None:
        return None
    return child.get(f"{W}val")


def _int(text: str | None, default: int | None = None) -> int | None:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


class _Numbering:
    """Word list numbering: numId -> abstract definition, counters, label text."""

    def __init__(self, numbering_el, styles: "_Styles") -> None:
        self.abstract: dict[str, dict[int, tuple[int, str, str]]] = {}
        self.style_link: dict[str, str] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.counters: dict[str, list[int | None]] = {}
        self.seen: set[str] = set()
        self.styles = styles
        if numbering_el is None:
            return
        for absn in numbering_el.findall(f"{W}abstractNum"):
            aid = absn.get(f"{W}abstractNumId") or ""
            levels: dict[int, tuple[int, str, str]] = {}
            for lvl in absn.findall(f"{W}lvl"):
                ilvl = _int(lvl.get(f"{W}ilvl"), 0) or 0
                start = _int(_val(lvl, "start"), 1)
                fmt = _val(lvl, "numFmt") or "decimal"
                text = _val(lvl, "lvlText")
                if text is None:
                    text = f"%{ilvl + 1}."
                levels[ilvl] = (start if start is not None else 1, fmt, text)
            self.abstract[aid] = levels
            link = _val(absn, "numStyleLink")
            if link:
                self.style_link[aid] = link
        for num in numbering_el.findall(f"{W}num"):
            nid = num.get(f"{W}numId") or ""
            aid = _val(num, "abstractNumId") or ""
            overrides: dict[int, int] = {}
            for ov in num.findall(f"{W}lvlOverride"):
                start = _int(_val(ov, "startOverride"))
                if start is not None:
                    overrides[_int(ov.get(f"{W}ilvl"), 0) or 0] = start
            self.nums[nid] = (aid, overrides)

    def _resolve_abstract(self, aid: str, depth: int = 0) -> str:
        if aid in self.style_link and depth < 3:
            nid = self.styles.num_id(self.style_link[aid])
            if nid and nid in self.nums:
                return self._resolve_abstract(self.nums[nid][0], depth + 1)
        return aid

    def label(self, num_id: str, ilvl: int) -> str:
        if num_id not in self.nums:
            return ""
        aid, overrides = self.nums[num_id]
        aid = self._resolve_abstract(aid)
        levels = self.abstract.get(aid, {})
        counters = self.counters.setdefault(aid, [None] * 9)
        ilvl = max(0, min(ilvl, 8))
        if num_id not in self.seen:
            self.seen.add(num_id)
            for lvl, start in overrides.items():
                if 0 <= lvl < 9:
                    counters[lvl] = start - 1
        start = levels.get(ilvl, (1, "decimal", ""))[0]
        counters[ilvl] = (counters[ilvl] if counters[ilvl] is not None else start - 1) + 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = None
        fmt = levels.get(ilvl, (1, "decimal", f"%{ilvl + 1}."))[1]
        text = levels.get(ilvl, (1, "decimal", f"%{ilvl + 1}."))[2]
        if fmt in ("bullet", "none"):
            return ""

        def sub(m: re.Match[str]) -> str:
            lvl = int(m.group(1)) - 1
            if not 0 <= lvl < 9:
                return ""
            lstart, lfmt, _ = levels.get(lvl, (1, "decimal", ""))
            n = counters[lvl] if counters[lvl] is not None else lstart
            return _format(n, lfmt)

        return re.sub(r"%([1-9])", sub, text).strip()


def _format(n: int, fmt: str) -> str:
    from .html import _alpha, _roman

    if fmt == "lowerLetter":
        return _alpha(n)
    if fmt == "upperLetter":
        return _alpha(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


class _Styles:
    def __init__(self, styles_el) -> None:
        self.by_id: dict[str, object] = {}
        if styles_el is not None:
            for st in styles_el.findall(f"{W}style"):
                sid = st.get(f"{W}styleId")
                if sid:
                    self.by_id[sid] = st
        self.default_para = next(
            (sid for sid, st in self.by_id.items()
             if st.get(f"{W}type") == "paragraph" and st.get(f"{W}default") in ("1", "true")),
            None,
        )

    def _chain(self, sid: str | None):
        seen = set()
        while sid and sid in self.by_id and sid not in seen and len(seen) < 20:
            seen.add(sid)
            st = self.by_id[sid]
            yield st
            sid = _val(st, "basedOn")

    def heading_level(self, sid: str | None) -> int:
        for st in self._chain(sid):
            name = (_val(st, "name") or "").strip()
            m = _HEADING_NAME.match(name)
            if m:
                return int(m.group(1))
            if name.lower() == "title":
                return 1
            outline = _int(_val(st.find(f"{W}pPr"), "outlineLvl"))
            if outline is not None and 0 <= outline < 9:
                return outline + 1
        return 0

    def num_pr(self, sid: str | None) -> tuple[str | None, int | None]:
        for st in self._chain(sid):
            ppr = st.find(f"{W}pPr")
            numpr = ppr.find(f"{W}numPr") if ppr is not None else None
            if numpr is not None:
                return _val(numpr, "numId"), _int(_val(numpr, "ilvl"))
        return None, None

    def num_id(self, sid: str) -> str | None:
        return self.num_pr(sid)[0]


def _children(parent, tag: str):
    """`parent`'s children with `tag`, looking through content controls wrapped around them."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag in (f"{W}sdt", f"{W}customXml"):
            content = child.find(f"{W}sdtContent")
            yield from _children(content if content is not None else child, tag)


def _rows(tbl):
    return _children(tbl, f"{W}tr")


def _cells(tr):
    return _children(tr, f"{W}tc")


class _Walker:
    def __init__(self, document) -> None:
        try:
            styles_el = document.styles.element
        except Exception:
            styles_el = None
        self.styles = _Styles(styles_el)
        numbering_el = None
        try:
            from docx.opc.constants import RELATIONSHIP_TYPE as RT

            numbering_el = document.part.part_related_by(RT.NUMBERING).element
        except Exception:
            numbering_el = None
        self.numbering = _Numbering(numbering_el, self.styles)
        self.blocks: list[Block] = []

    def walk(self, container) -> list[Block]:
        self._container(container, 0)
        return self.blocks

    def _container(self, el, depth: int) -> None:
        if depth > 50:  # absurdly nested tables/content controls
            return
        for child in el:
            tag = child.tag
            if tag == f"{W}p":
                self._paragraph(child)
            elif tag == f"{W}tbl":
                for tr in _rows(child):
                    for tc in _cells(tr):
                        self._container(tc, depth + 1)
            elif tag in (f"{W}sdt",):
                content = child.find(f"{W}sdtContent")
                if content is not None:
                    self._container(content, depth + 1)
            elif tag in (f"{W}customXml", f"{W}ins", f"{W}moveTo", f"{W}sdtContent"):
                self._container(child, depth + 1)

    def _paragraph(self, p) -> None:
        parts: list[str] = []
        self._inline(p, parts)
        text = clean_inline("".join(parts))
        if not text:
            return
        ppr = p.find(f"{W}pPr")
        sid = _val(ppr, "pStyle") or self.styles.default_para
        level = self.styles.heading_level(sid)
        direct_outline = _int(_val(ppr, "outlineLvl"))
        if direct_outline is not None and 0 <= direct_outline < 9:
            level = direct_outline + 1
        num_id, ilvl = self.styles.num_pr(sid)
        numpr = ppr.find(f"{W}numPr") if ppr is not None else None
        if numpr is not None:
            num_id = _val(numpr, "numId") or num_id
            direct_ilvl = _int(_val(numpr, "ilvl"))
            ilvl = direct_ilvl if direct_ilvl is not None else ilvl
        numbered = bool(num_id) and num_id != "0"
        number = self.numbering.label(num_id, ilvl or 0) if numbered else ""
        if level:
            self.blocks.append(Block(text=text, kind="heading", level=level, number=number))
        elif numbered:
            self.blocks.append(Block(text=text, kind="list_item", level=ilvl or 0, number=number))
        else:
            self.blocks.append(Block(text=text))

    def _inline(self, el, out: list[str]) -> None:
        for child in el:
            tag = child.tag
            if tag == f"{W}t":
                out.append(child.text or "")
            elif tag == f"{W}r":
                rpr = child.find(f"{W}rPr")
                vanish = rpr.find(f"{W}vanish") if rpr is not None else None
                if vanish is not None and vanish.get(f"{W}val") not in ("0", "false", "off"):
                    continue
                self._inline(child, out)
            elif tag in (f"{W}tab", f"{W}ptab"):
                out.append("\t")
            elif tag in (f"{W}br", f"{W}cr"):
                out.append(" ")
            elif tag == f"{W}noBreakHyphen":
                out.append("-")
            elif tag == f"{W}sdt":
                content = child.find(f"{W}sdtContent")
                if content is not None:
                    self._inline(content, out)
            elif tag in _RECURSE:
                self._inline(child, out)
            # everything else (w:del, w:moveFrom, w:instrText, drawings, text boxes,
            # mc:AlternateContent, properties) contributes no text
