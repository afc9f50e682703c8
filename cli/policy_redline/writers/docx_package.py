"""The Word redline made *in* the department's own .docx: its package edited, not regenerated.

The original package is opened with zipfile + lxml; every part is written back byte for byte
except ``word/document.xml`` (the body, where revision marks go) and, when `draft` leaves
reasons, the comments part (added with its relationship and content type when absent); a
paragraph brought in from a revised document brings along the list and style definitions,
footnotes, images and hyperlink targets it uses (appended to those parts). In the body, text that changes gets native revision marks (ECMA-376 Part 1, 17.13.5):

* inside a paragraph, a word-level diff (`redline.diff_words`) over the paragraph's text;
  each surviving run keeps its ``w:rPr``; deleted text is moved into ``w:del`` runs with
  ``w:delText`` carrying the run's own formatting; inserted text goes into ``w:ins`` runs with
  the formatting of the revised document's run (two documents) or of the neighbouring run;
* objects the diff cannot read -- hyperlinks, fields, drawings, equations, content controls,
  footnote references -- are one unit each in the diff: kept whole when they are on both
  sides, their runs marked deleted or inserted whole otherwise (an equation inside the mark
  whole), never dropped;
* a paragraph only on one side is marked whole, its paragraph mark too
  (``w:pPr/w:rPr/w:ins|w:del``); a new paragraph copies the paragraph properties (style,
  numbering, indents) of the revised document's paragraph, or of the nearest paragraph of
  its kind (heading of the same level, list item, body text) in the original;
* tables are aligned row by row (``w:trPr/w:ins|w:del`` for whole rows) and cell by cell;
* the same words formatted differently keep the revised formatting, the original's recorded
  in ``w:rPrChange`` (as Word tracks a formatting change), not struck and retyped;
* headers and footers (by section and kind), the footnotes and endnotes whose references the
  body keeps, and text boxes in a shape kept on both sides are compared in place the same way;
  a part the revised document leaves as it was is written back byte for byte;
* a list number both documents use is taken as one list only when both define it alike.

Revisions already in a document are taken as accepted first (as every reader of the tool
reads them), so Reject All gives back the original's text and Accept All the revised text.
Every ``w:id`` written is above every id already in the document. Output is deterministic:
zip entries keep their order and timestamps; new parts take the first entry's timestamp.
"""

from __future__ import annotations

import copy
import dataclasses
import io
import posixpath
import re
import zipfile
from typing import Sequence

from lxml import etree

from ..errors import InputError
from ..redline import Edit, diff_words, pair_paragraphs
from .docx_redline import xml_safe

__all__ = ["DocxPackage", "TextPara", "redline_pair", "redline_paragraphs", "is_docx"]

W_T = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_S = "http://purl.oclc.org/ooxml/wordprocessingml/main"
M_NS = ("http://schemas.openxmlformats.org/officeDocument/2006/math", "http://purl.oclc.org/ooxml/officeDocument/math")
REL_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
NUMBERING_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"
COMMENTS_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
STYLES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"

_PUA_BASE = 0xF0000  # supplementary private use area: one character per unreadable object
_PUA_FIRST = chr(_PUA_BASE)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_blank_text=False)
_TYPED_LABEL = re.compile(r"^\(?[A-Za-z0-9]{1,4}[.)]\s")


def is_docx(path: str | None) -> bool:
    return bool(path) and str(path).lower().endswith((".docx", ".docm", ".dotx"))


@dataclasses.dataclass(frozen=True)
class TextPara:
    """A paragraph known only by its text (a model clause, a drafted sentence)."""

    text: str
    kind: str = "paragraph"  # heading | paragraph | list_item
    level: int = 0
    comment: str = ""


# --------------------------------------------------------------------------- the package


class DocxPackage:
    """A .docx opened for editing: parts as bytes, the main part parsed."""

    def __init__(self, data: bytes, source: str = "document") -> None:
        from ..readers.docx import inspect_zip

        self.source = source
        inspect_zip(data, source)
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            self.infos = [i for i in zf.infolist() if not i.is_dir()]
            self.parts = {i.filename: zf.read(i) for i in self.infos}
        self.main = self._main_part_name()
        try:
            self.doc = etree.fromstring(self.parts[self.main], _PARSER)
        except etree.XMLSyntaxError as exc:
            raise InputError(source, f"damaged .docx ({' '.join(str(exc).split())[:120]}): open it in Word and save it again") from None
        ns = etree.QName(self.doc).namespace
        self.W = ns if ns in (W_T, W_S) else W_T
        self.strict = self.W == W_S
        self.R = ("http://purl.oclc.org/ooxml/officeDocument/relationships" if self.strict
                  else "http://schemas.openxmlformats.org/officeDocument/2006/relationships")
        body = self.doc.find(self.w("body"))
        if body is None:
            body = etree.SubElement(self.doc, self.w("body"))
        self.body = body
        self.rels_name = self.rels_of(self.main)
        self._rels_cache: dict = {}
        self.changed: set[str] = set()

    # -- names ---------------------------------------------------------------------------
    def w(self, tag: str) -> str:
        return f"{{{self.W}}}{tag}"

    def _main_part_name(self) -> str:
        rels = self.parts.get("_rels/.rels")
        if rels:
            try:
                root = etree.fromstring(rels, _PARSER)
                for rel in root:
                    if str(rel.get("Type", "")).endswith("/officeDocument"):
                        target = rel.get("Target", "").lstrip("/")
                        if target in self.parts:
                            return target
            except etree.XMLSyntaxError:
                pass
        if "word/document.xml" in self.parts:
            return "word/document.xml"
        raise InputError(self.source, "not a Word .docx file (no main document part)")

    # -- related parts -----------------------------------------------------------------
    def rels_of(self, part: str) -> str:
        return posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")

    def part_rels(self, part: str | None = None):
        """The relationships of `part` (the main document's by default), parsed once."""
        name = self.rels_of(part or self.main)
        root = self._rels_cache.get(name)
        if root is None:
            raw = self.parts.get(name)
            try:
                root = etree.fromstring(raw, _PARSER) if raw else None
            except etree.XMLSyntaxError:
                root = None
            if root is None:
                root = etree.Element(f"{{{REL_PKG}}}Relationships", nsmap={None: REL_PKG})
            self._rels_cache[name] = root
        return root

    @property
    def rels(self):
        return self.part_rels()

    def rel_by_id(self, rid: str, part: str | None = None):
        for rel in self.part_rels(part):
            if rel.get("Id") == rid:
                return rel
        return None

    def part_by_type(self, suffix: str) -> str | None:
        for rel in self.rels:
            if str(rel.get("Type", "")).endswith(suffix) and rel.get("TargetMode") != "External":
                name = self.resolve(rel.get("Target", ""))
                if name in self.parts:
                    return name
        return None

    def resolve(self, target: str, part: str | None = None) -> str:
        if target.startswith("/"):
            return target.lstrip("/")
        return posixpath.normpath(posixpath.join(posixpath.dirname(part or self.main), target))

    def add_rel(self, rtype: str, target: str, external: bool = False, part: str | None = None) -> str:
        rels = self.part_rels(part)
        ids = {rel.get("Id") for rel in rels}
        n = len(ids) + 1
        while f"rId{n}" in ids:
            n += 1
        rid = f"rId{n}"
        rel = etree.SubElement(rels, f"{{{REL_PKG}}}Relationship")
        rel.set("Id", rid)
        rel.set("Type", rtype)
        rel.set("Target", target)
        if external:
            rel.set("TargetMode", "External")
        self.changed.add(self.rels_of(part or self.main))
        return rid

    def ensure_content_type(self, part: str, override: str | None = None, ext_type: str | None = None) -> None:
        raw = self.parts.get("[Content_Types].xml")
        root = etree.fromstring(raw, _PARSER) if raw else etree.Element(f"{{{CT_NS}}}Types", nsmap={None: CT_NS})
        ns = etree.QName(root).namespace or CT_NS
        if override:
            name = "/" + part
            if any(el.get("PartName", "").lower() == name.lower() for el in root.iter(f"{{{ns}}}Override")):
                return
            el = etree.SubElement(root, f"{{{ns}}}Override")
            el.set("PartName", name)
            el.set("ContentType", override)
        else:
            ext = part.rsplit(".", 1)[-1].lower()
            if any(el.get("Extension", "").lower() == ext for el in root.iter(f"{{{ns}}}Default")):
                return
            el = etree.Element(f"{{{ns}}}Default")
            el.set("Extension", ext)
            el.set("ContentType", ext_type or "application/octet-stream")
            root.insert(0, el)
        self.parts["[Content_Types].xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        self.changed.add("[Content_Types].xml")

    def add_part(self, preferred: str, data: bytes) -> str:
        name = preferred
        stem, dot, ext = preferred.rpartition(".")
        n = 1
        while name in self.parts:
            name = f"{stem}_r{n}{dot}{ext}"
            n += 1
        self.parts[name] = data
        self.changed.add(name)
        return name

    # -- saving --------------------------------------------------------------------------
    def save(self) -> bytes:
        self.parts[self.main] = etree.tostring(self.doc, xml_declaration=True, encoding="UTF-8", standalone=True)
        self.changed.add(self.main)
        for name, root in self._rels_cache.items():
            if name in self.changed:
                self.parts[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        out = io.BytesIO()
        stamp = self.infos[0].date_time if self.infos else (2026, 1, 1, 0, 0, 0)
        written = set()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
            order = [i.filename for i in self.infos] + sorted(n for n in self.parts if n not in {i.filename for i in self.infos})
            infos = {i.filename: i for i in self.infos}
            for name in order:
                if name in written or name not in self.parts:
                    continue
                written.add(name)
                old = infos.get(name)
                info = zipfile.ZipInfo(name, date_time=old.date_time if old else stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 0
                info.external_attr = old.external_attr if old else 0
                zf.writestr(info, self.parts[name])
        return out.getvalue()


# --------------------------------------------------------------------------- atoms


@dataclasses.dataclass
class _Atom:
    kind: str  # "p": a piece of a run; "o": a whole object; "z": zero-width marker; "s": synthetic text
    text: str
    run: object = None  # the w:r a piece belongs to
    el: object = None  # the piece (w:t, w:tab, ...), the object, or the marker


class _Ctx:
    """State shared by one redline: namespaces, ids, signatures, the foreign package."""

    def __init__(self, pkg: DocxPackage, author: str, date: str) -> None:
        self.pkg = pkg
        self.W = pkg.W
        self.author = xml_safe(author)
        self.date = date
        self.sigs: dict[str, str] = {}
        self.next_id = _max_id(pkg.doc, pkg.W) + 1
        self.comments: list[tuple[str, str]] = []
        self.foreign: DocxPackage | None = None
        self.rel_map: dict[str, str | None] = {}
        self.num_map: dict[str, str | None] = {}
        self.numbering = None
        self.foreign_numbering = None
        self.style_tried: set[str] = set()
        self.note_map: dict = {}
        self.note_pairs: dict = {}  # (kind, original's note id) -> revised document's note id
        self.box_pairs: dict = {}  # id(kept object) -> (kept object, its counterpart), text boxes inside
        self.notes: dict = {}
        self.foreign_notes: dict = {}
        self.foreign_styles = None
        self.styles_root = None
        self.styles = self._style_ids()
        self.nums = self._num_ids()
        self.templates: dict[tuple[str, int], tuple] = {}
        self.first_templates: dict[tuple[str, int], tuple] = {}
        self._kind_of = None
        self.Z = {self.w(t) for t in ("bookmarkStart", "bookmarkEnd", "proofErr", "commentRangeStart", "commentRangeEnd",
                                      "permStart", "permEnd", "moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart",
                                      "moveToRangeEnd", "customXmlInsRangeStart", "customXmlInsRangeEnd",
                                      "customXmlDelRangeStart", "customXmlDelRangeEnd")}

    def w(self, tag: str) -> str:
        return f"{{{self.W}}}{tag}"

    def el(self, tag: str, **attrs: str):
        e = etree.Element(self.w(tag), nsmap={"w": self.W})
        for k, v in attrs.items():
            e.set(self.w(k), v)
        return e

    def mark(self, tag: str):
        e = self.el(tag, id=str(self.next_id), author=self.author, date=self.date)
        self.next_id += 1
        return e

    def sig_char(self, sig: str) -> str:
        c = self.sigs.get(sig)
        if c is None:
            c = chr(_PUA_BASE + len(self.sigs)) if len(self.sigs) < 0xFFFD else "\ufffc"
            self.sigs[sig] = c
        return c

    def _style_ids(self) -> set[str]:
        return self._ids("/styles", "style", "styleId")

    def _num_ids(self) -> set[str]:
        return self._ids("/numbering", "num", "numId")

    def _ids(self, part_type: str, tag: str, attribute: str) -> set[str]:
        """The ids a part defines (a missing or unreadable part defines none)."""
        name = self.pkg.part_by_type(part_type)
        if not name:
            return set()
        try:
            root = etree.fromstring(self.pkg.parts[name], _PARSER)
        except etree.XMLSyntaxError:
            return set()
        return {e.get(self.w(attribute)) for e in root.iter(self.w(tag))}


def _list_labels(root, W: str, nid: str) -> tuple:
    """What list `nid` of a numbering part prints at each level: format, label text, start
    (level overrides applied) -- enough to tell two lists that share a number apart."""
    w = lambda t: f"{{{W}}}{t}"  # noqa: E731
    num = next((n for n in root.iter(w("num")) if n.get(w("numId")) == nid), None)
    if num is None:
        return ()
    ref = num.find(w("abstractNumId"))
    aid = ref.get(w("val")) if ref is not None else None
    absn = next((a for a in root.iter(w("abstractNum")) if a.get(w("abstractNumId")) == aid), None)

    def levels(container):
        out = {}
        for lvl in (container.findall(w("lvl")) if container is not None else []):
            fields = []
            for tag in ("start", "numFmt", "lvlText", "pStyle"):
                el = lvl.find(w(tag))
                fields.append(el.get(w("val")) if el is not None else None)
            out[lvl.get(w("ilvl"))] = tuple(fields)
        return out

    labels = levels(absn)
    link = absn.find(w("numStyleLink")) if absn is not None else None
    for over in num.findall(w("lvlOverride")):
        ilvl = over.get(w("ilvl"))
        if over.find(w("lvl")) is not None:
            labels.update(levels(over))
        start = over.find(w("startOverride"))
        if start is not None and ilvl in labels:
            labels[ilvl] = (start.get(w("val")),) + labels[ilvl][1:]
    return (link.get(w("val")) if link is not None else None,) + tuple(sorted(labels.items(), key=lambda kv: str(kv[0])))


def _max_id(root, W: str) -> int:
    best = 0
    key = f"{{{W}}}id"
    for el in root.iter():
        v = el.get(key)
        if v is not None and v.lstrip("-").isdigit():
            best = max(best, int(v))
    return best


def _local(el) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def accept_existing(root, W: str) -> None:
    """Take the revisions already in a document as accepted (as the readers read them)."""
    w = lambda t: f"{{{W}}}{t}"  # noqa: E731
    markers = []
    for tag in ("del", "moveFrom"):
        for el in list(root.iter(w(tag))):
            parent = el.getparent()
            if parent is None:
                continue
            if _local(parent) == "trPr" and tag == "del":  # a deleted row: gone
                tr = parent.getparent()
                if tr is not None and tr.getparent() is not None:
                    tr.getparent().remove(tr)
                    continue
            if _local(parent) == "rPr" and _local(parent.getparent()) == "pPr":
                markers.append(el)
                continue
            parent.remove(el)
    for el in markers:  # a deleted paragraph mark: the paragraph joins the next one
        rpr = el.getparent()
        if rpr is None:
            continue
        rpr.remove(el)
        p = rpr.getparent().getparent() if rpr.getparent() is not None else None
        if p is None or p.getparent() is None:
            continue
        nxt = p.getnext()
        if nxt is not None and nxt.tag == w("p"):
            content = [c for c in p if c.tag != w("pPr")]
            if not "".join(x.text or "" for c in content for x in c.iter(w("t"))).strip() and not any(
                    c.tag not in (w("bookmarkStart"), w("bookmarkEnd"), w("proofErr")) for c in content if c.tag != w("r")):
                p.getparent().remove(p)
            else:
                ppr = nxt.find(w("pPr"))
                at = 1 if ppr is not None else 0
                for k, c in enumerate(content):
                    nxt.insert(at + k, c)
                p.getparent().remove(p)
    for tag in ("ins", "moveTo"):
        for el in list(root.iter(w(tag))):
            parent = el.getparent()
            if parent is None:
                continue
            if _local(parent) in ("rPr", "trPr", "tcPr", "numPr"):
                parent.remove(el)
                continue
            i = parent.index(el)
            for k, child in enumerate(list(el)):
                parent.insert(i + k, child)
            parent.remove(el)
    for tag in ("rPrChange", "pPrChange", "sectPrChange", "tblPrChange", "trPrChange", "tcPrChange",
                "tblGridChange", "tblPrExChange", "numberingChange", "cellIns", "cellDel", "cellMerge",
                "moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd"):
        for el in list(root.iter(w(tag))):
            parent = el.getparent()
            if parent is not None:
                parent.remove(el)
    for el in list(root.iter(w("delText"))):
        el.tag = w("t")
    for el in list(root.iter(w("delInstrText"))):
        el.tag = w("instrText")


def _para_atoms(ctx: _Ctx, p) -> list[_Atom]:
    out: list[_Atom] = []
    for child in p:
        if not isinstance(child.tag, str):
            continue
        if child.tag == ctx.w("pPr"):
            continue
        if child.tag == ctx.w("r"):
            out.extend(_run_atoms(ctx, child))
        elif child.tag in ctx.Z:
            out.append(_Atom("z", "", None, child))
        else:
            out.append(_Atom("o", ctx.sig_char(_sig(child)), None, child))
    return out


def _run_atoms(ctx: _Ctx, r) -> list[_Atom]:
    out: list[_Atom] = []
    for c in r:
        if not isinstance(c.tag, str):
            continue
        name = _local(c)
        if name == "rPr" or name == "lastRenderedPageBreak":
            continue
        if name == "t":
            if c.text:
                out.append(_Atom("p", c.text, r, c))
        elif name == "tab" and c.tag == ctx.w("tab"):
            out.append(_Atom("p", "\t", r, c))
        elif name in ("br", "cr") and c.get(ctx.w("type")) in (None, "textWrapping"):
            out.append(_Atom("p", "\n", r, c))
        else:
            out.append(_Atom("p", ctx.sig_char(_sig(c)), r, c))
    return out


def _sig(el) -> str:
    name = _local(el)
    attrs = "".join(f"{k.rsplit('}', 1)[-1]}={v}" for k, v in sorted(el.attrib.items())
                    if not k.endswith(("}id", "}rsidR", "}rsidRPr", "}rsidDel", "}history", "}embed", "}anchor")))
    if name in ("drawing", "pict", "object", "AlternateContent"):
        # a picture is known by what a reader shows of it: its description and its size; a
        # text box by its frame and how many boxes it holds -- the words in the boxes are
        # compared in place (`_textboxes`), so an edit inside one does not replace the shape
        outside = [x for x in el.iter() if isinstance(x.tag, str) and not any(_local(a) == "txbxContent" for a in x.iterancestors())
                   and _local(x) != "txbxContent"] if _has_textbox(el) else list(el.iter())
        seen = [f"{k.rsplit('}', 1)[-1]}={v}" for x in outside if isinstance(x.tag, str)
                for k, v in sorted(x.attrib.items()) if k.rsplit("}", 1)[-1] in ("descr", "title", "cx", "cy", "alt", "name")]
        boxes = sum(1 for x in el.iter() if isinstance(x.tag, str) and _local(x) == "txbxContent")
        if boxes:
            text = "".join(x.text or "" for x in outside if _local(x) in ("t", "instrText"))
            return f"{name}|{';'.join(seen)}|boxes={boxes}|{text}"
        attrs = ";".join(seen)
    return f"{name}|{attrs}|{''.join(el.itertext())}"


def _has_textbox(el) -> bool:
    return any(isinstance(x.tag, str) and _local(x) == "txbxContent" for x in el.iter())


def _text(atoms: Sequence[_Atom]) -> str:
    return "".join(a.text for a in atoms)


def _text_atoms(text: str) -> list[_Atom]:
    return [_Atom("s", xml_safe(text))] if text else []


# --------------------------------------------------------------------------- importing


class _Importer:
    """Copies elements of the revised document into the original's package: styles and
    numbering the original lacks are dropped, hyperlinks and images bring their relationship
    (and image) along, references to notes and comments that do not exist are removed."""

    def __init__(self, ctx: _Ctx, src_part: str | None = None, dst_part: str | None = None) -> None:
        self.ctx = ctx
        # the parts whose relationships the copied elements use (the revised document's)
        # and take (the original's): the main documents, or a header and its counterpart
        self.src_part = src_part
        self.dst_part = dst_part

    def __call__(self, el):
        ctx = self.ctx
        el = copy.deepcopy(el)
        if ctx.foreign is None:
            return el
        W = ctx.W
        for tag in ("pStyle", "rStyle", "tblStyle"):
            for s in list(el.iter(f"{{{W}}}{tag}")):
                if not self._style(s.get(f"{{{W}}}val")):
                    s.getparent().remove(s)
        for num in list(el.iter(f"{{{W}}}numPr")):
            nid = num.find(f"{{{W}}}numId")
            new = self._num(nid.get(f"{{{W}}}val")) if nid is not None else None
            if new is None:
                num.getparent().remove(num)
            else:
                nid.set(f"{{{W}}}val", new)
        kept = set()
        for tag in ("footnoteReference", "endnoteReference"):
            for x in list(el.iter(f"{{{W}}}{tag}")):
                new = self._note(tag[:-9], x.get(f"{{{W}}}id"))
                if new is not None:
                    x.set(f"{{{W}}}id", new)
                    kept.add(x)
        for tag in ("footnoteReference", "endnoteReference", "commentReference", "commentRangeStart",
                    "commentRangeEnd", "bookmarkStart", "bookmarkEnd", "sectPr", "permStart", "permEnd"):
            for x in list(el.iter(f"{{{W}}}{tag}")):
                if x in kept:
                    continue
                parent = x.getparent()
                if parent is None:
                    # the copied element is itself such a reference (one piece of a run): it
                    # is not copied at all -- a comment reference whose comment the original
                    # lacks makes LibreOffice refuse the whole document
                    return None
                parent.remove(x)
        for x in list(el.iter()):
            if not isinstance(x.tag, str):
                continue
            for k in list(x.attrib):
                if k.startswith("{http://schemas.microsoft.com/office/word/2010/wordml}") and k.endswith(("}paraId", "}textId")):
                    del x.attrib[k]
                elif k.startswith("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}") or \
                        k.startswith("{http://purl.oclc.org/ooxml/officeDocument/relationships}"):
                    new = self._rel(x.get(k))
                    if new is None:
                        if x is el and _local(x) != "hyperlink":
                            return None  # an object that cannot come along, copied alone
                        self._drop(x, k)
                        break
                    del x.attrib[k]
                    x.set(f"{{{ctx.pkg.R}}}{k.rsplit('}', 1)[-1]}", new)
            if _local(x) == "docPr":
                x.set("id", str(ctx.next_id + 100000))
                ctx.next_id += 1
        return el

    def _num(self, nid: str | None) -> str | None:
        """The original's numId for the revised document's list `nid`: its definition is
        copied into the original's numbering part (under new ids) the first time."""
        ctx = self.ctx
        if nid in (None, "0"):
            return nid
        if nid in ctx.num_map:
            return ctx.num_map[nid]
        fp = ctx.foreign
        fname = fp.part_by_type("/numbering") if fp is not None else None
        if nid in ctx.nums and not fname:
            return nid
        ctx.num_map[nid] = None
        if not fname:
            return None
        W = ctx.W
        try:
            if ctx.foreign_numbering is None:
                ctx.foreign_numbering = etree.fromstring(fp.parts[fname], _PARSER)
            theirs = ctx.foreign_numbering
            if nid in ctx.nums:
                if ctx.numbering is None:
                    ctx.numbering = etree.fromstring(ctx.pkg.parts[ctx.pkg.part_by_type("/numbering")], _PARSER)
                # the same number in both documents is the same list only when it prints the
                # same labels: two unrelated documents (or a list redefined) reuse low numbers
                if _list_labels(ctx.numbering, W, nid) == _list_labels(theirs, W, nid):
                    ctx.num_map[nid] = nid
                    return nid
            name = ctx.pkg.part_by_type("/numbering") or _new_part(ctx.pkg, "numbering.xml", "numbering", NUMBERING_CT)
            if ctx.numbering is None:
                ctx.numbering = etree.fromstring(ctx.pkg.parts[name], _PARSER)
        except (etree.XMLSyntaxError, KeyError):
            return None
        ours = ctx.numbering
        num = next((n for n in theirs.iter(f"{{{W}}}num") if n.get(f"{{{W}}}numId") == nid), None)
        ref = num.find(f"{{{W}}}abstractNumId") if num is not None else None
        aid = ref.get(f"{{{W}}}val") if ref is not None else None
        absn = next((a for a in theirs.iter(f"{{{W}}}abstractNum") if a.get(f"{{{W}}}abstractNumId") == aid), None)
        if num is None or absn is None:
            return None
        used_a = [int(a.get(f"{{{W}}}abstractNumId")) for a in ours.iter(f"{{{W}}}abstractNum") if (a.get(f"{{{W}}}abstractNumId") or "").isdigit()]
        used_n = [int(n.get(f"{{{W}}}numId")) for n in ours.iter(f"{{{W}}}num") if (n.get(f"{{{W}}}numId") or "").isdigit()]
        new_a, new_n = str(max(used_a, default=0) + 1), str(max(used_n, default=0) + 1)
        absn, num = copy.deepcopy(absn), copy.deepcopy(num)
        absn.set(f"{{{W}}}abstractNumId", new_a)
        for x in absn.findall(f"{{{W}}}nsid") + absn.findall(f"{{{W}}}numStyleLink") + absn.findall(f"{{{W}}}styleLink"):
            absn.remove(x)
        for x in list(absn.iter(f"{{{W}}}pStyle")) + list(absn.iter(f"{{{W}}}rStyle")):
            if x.get(f"{{{W}}}val") not in ctx.styles:
                x.getparent().remove(x)
        num.set(f"{{{W}}}numId", new_n)
        num.find(f"{{{W}}}abstractNumId").set(f"{{{W}}}val", new_a)
        first_num = ours.find(f"{{{W}}}num")
        if first_num is not None:
            first_num.addprevious(absn)
        else:
            cleanup = ours.find(f"{{{W}}}numIdMacAtCleanup")
            (cleanup.addprevious(absn) if cleanup is not None else ours.append(absn))
        cleanup = ours.find(f"{{{W}}}numIdMacAtCleanup")
        (cleanup.addprevious(num) if cleanup is not None else ours.append(num))
        ctx.pkg.parts[name] = etree.tostring(ours, xml_declaration=True, encoding="UTF-8", standalone=True)
        ctx.pkg.changed.add(name)
        ctx.nums.add(new_n)
        ctx.num_map[nid] = new_n
        return new_n

    def _note(self, kind: str, nid: str | None) -> str | None:
        """The original's id for the revised document's footnote (endnote) `nid`, its text
        copied into the original's notes part the first time (None: no such part)."""
        ctx = self.ctx
        key = (kind, nid)
        if key in ctx.note_map:
            return ctx.note_map[key]
        ctx.note_map[key] = None
        fp = ctx.foreign
        suffix = "/footnotes" if kind == "footnote" else "/endnotes"
        fname = fp.part_by_type(suffix) if fp is not None else None
        if not fname or nid is None:
            return None
        W = ctx.W
        try:
            theirs = ctx.foreign_notes.get(kind)
            if theirs is None:
                theirs = ctx.foreign_notes[kind] = etree.fromstring(fp.parts[fname], _PARSER)
            name = ctx.pkg.part_by_type(suffix)
            if not name:  # the original has no notes: the part, with the revised one's separators
                name = _new_part(ctx.pkg, f"{kind}s.xml", f"{kind}s",
                                 f"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}s+xml")
                root = etree.Element(f"{{{W}}}{kind}s", nsmap=theirs.nsmap)
                for sep in theirs.iter(f"{{{W}}}{kind}"):
                    if sep.get(f"{{{W}}}type") in ("separator", "continuationSeparator", "continuationNotice"):
                        root.append(copy.deepcopy(sep))
                ctx.pkg.parts[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            ours = ctx.notes.get(kind)
            if ours is None:
                ours = ctx.notes[kind] = etree.fromstring(ctx.pkg.parts[name], _PARSER)
        except etree.XMLSyntaxError:
            return None
        note = next((n for n in theirs.iter(f"{{{W}}}{kind}") if n.get(f"{{{W}}}id") == nid), None)
        if note is None:
            return None
        used = [int(n.get(f"{{{W}}}id")) for n in ours.iter(f"{{{W}}}{kind}") if (n.get(f"{{{W}}}id") or "").lstrip("-").isdigit()]
        new_id = str(max(used, default=0) + 1)
        note = _Importer(ctx, fname, name)(note)  # the note's links and pictures are the notes part's
        note.set(f"{{{W}}}id", new_id)
        ours.append(note)
        ctx.pkg.parts[name] = etree.tostring(ours, xml_declaration=True, encoding="UTF-8", standalone=True)
        ctx.pkg.changed.add(name)
        ctx.note_map[key] = new_id
        return new_id

    def _style(self, sid: str | None, depth: int = 0) -> bool:
        """True when the original has style `sid`, copying the revised document's definition
        (and the styles it is based on) into the original's styles part the first time --
        into a styles part of its own when the original has none (Word then lays the
        original out with its built-in defaults, and still does: only the copied styles are
        in the part, no document defaults). A copied style is never the default of its type
        (`w:default`): the original's paragraphs without a style of their own keep the look
        they had."""
        ctx = self.ctx
        if not sid:
            return False
        if sid in ctx.styles:
            return True
        if sid in ctx.style_tried or depth > 10:
            return False
        ctx.style_tried.add(sid)
        fp = ctx.foreign
        fname = fp.part_by_type("/styles") if fp is not None else None
        if not fname:
            return False
        W = ctx.W
        try:
            if ctx.foreign_styles is None:
                ctx.foreign_styles = etree.fromstring(fp.parts[fname], _PARSER)
            name = ctx.pkg.part_by_type("/styles")
            if ctx.styles_root is None and name:
                ctx.styles_root = etree.fromstring(ctx.pkg.parts[name], _PARSER)
        except etree.XMLSyntaxError:
            return False
        st = next((x for x in ctx.foreign_styles.iter(f"{{{W}}}style") if x.get(f"{{{W}}}styleId") == sid), None)
        if st is None:
            return False
        if ctx.styles_root is None:
            name = _new_part(ctx.pkg, "styles.xml", "styles", STYLES_CT)
            ctx.styles_root = etree.fromstring(ctx.pkg.parts[name], _PARSER)
        st = copy.deepcopy(st)
        st.attrib.pop(f"{{{W}}}default", None)
        for tag in ("basedOn", "next", "link"):
            ref = st.find(f"{{{W}}}{tag}")
            if ref is not None and not self._style(ref.get(f"{{{W}}}val"), depth + 1):
                st.remove(ref)
        for num in list(st.iter(f"{{{W}}}numPr")):
            nid = num.find(f"{{{W}}}numId")
            new = self._num(nid.get(f"{{{W}}}val")) if nid is not None else None
            if new is None:
                num.getparent().remove(num)
            else:
                nid.set(f"{{{W}}}val", new)
        ctx.styles_root.append(st)
        ctx.styles.add(sid)
        ctx.pkg.parts[name] = etree.tostring(ctx.styles_root, xml_declaration=True, encoding="UTF-8", standalone=True)
        ctx.pkg.changed.add(name)
        return True

    def _drop(self, x, key) -> None:
        """An element whose relationship cannot come along: a hyperlink keeps its text, any
        other object goes with its run (it could not be shown without its part)."""
        if _local(x) == "hyperlink":
            del x.attrib[key]
            return
        node = x
        while node is not None and node.tag != self.ctx.w("r"):
            node = node.getparent()
        target = node if node is not None else x
        parent = target.getparent()
        if parent is not None:
            parent.remove(target)

    def _rel(self, rid: str | None) -> str | None:
        ctx = self.ctx
        key = (self.src_part, self.dst_part, rid)
        if key in ctx.rel_map:
            return ctx.rel_map[key]
        fp = ctx.foreign
        rel = fp.rel_by_id(rid, self.src_part) if fp is not None and rid else None
        new = None
        dst_dir = posixpath.dirname(self.dst_part or ctx.pkg.main)
        if rel is not None:
            rtype, target = rel.get("Type", ""), rel.get("Target", "")
            if rel.get("TargetMode") == "External":
                new = ctx.pkg.add_rel(rtype, target, external=True, part=self.dst_part)
            elif rtype.endswith("/image"):
                name = fp.resolve(target, self.src_part)
                if name in fp.parts:
                    added = ctx.pkg.add_part(posixpath.join(posixpath.dirname(ctx.pkg.main), "media", posixpath.basename(name)), fp.parts[name])
                    ext = added.rsplit(".", 1)[-1].lower()
                    ctx.pkg.ensure_content_type(added, ext_type={"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg",
                                                                 "gif": "image/gif", "emf": "image/x-emf", "wmf": "image/x-wmf",
                                                                 "svg": "image/svg+xml", "bmp": "image/bmp", "tif": "image/tiff",
                                                                 "tiff": "image/tiff"}.get(ext))
                    new = ctx.pkg.add_rel(rtype, posixpath.relpath(added, dst_dir), part=self.dst_part)
        ctx.rel_map[key] = new
        return new


# --------------------------------------------------------------------------- paragraphs


class _Emitter:
    """Builds the new content of one paragraph from kept, deleted and inserted pieces."""

    def __init__(self, ctx: _Ctx, importer: _Importer) -> None:
        self.ctx = ctx
        self.importer = importer
        self.out: list[tuple[str, object]] = []  # (mode, element): mode "" | "ins" | "del"
        self._run_key = None
        self._run = None
        self.last_rpr = None

    def zero(self, el) -> None:
        self._run_key = None
        self.out.append(("", el))

    def piece(self, mode: str, atom: _Atom, sub: str, foreign: bool, neighbour_rpr, restyled: _Atom | None = None) -> None:
        """Add `sub` of `atom` as kept, deleted or inserted text; with `restyled` (the revised
        document's piece of the same words), kept in that piece's formatting, the run's own
        recorded as the formatting before (w:rPrChange), as Word tracks a formatting change."""
        ctx = self.ctx
        if atom.kind == "s":
            rpr, key = neighbour_rpr, ("s", id(neighbour_rpr))
            pieces = _synth_pieces(ctx, sub, mode == "del")
        else:
            src_rpr = atom.run.find(ctx.w("rPr"))
            if atom.run is not None and not foreign:
                self.last_rpr = src_rpr
            if restyled is not None and restyled.run is not None:
                mode = "fmt"
            if atom.el.tag == ctx.w("t"):
                pieces = _synth_pieces(ctx, sub, mode == "del")
            else:
                el = self.importer(atom.el) if foreign else atom.el
                if el is None:  # a reference the original has nothing for: not copied
                    return
                if mode == "del":
                    for x in el.iter(ctx.w("t")):
                        x.tag = ctx.w("delText")
                    for x in el.iter(ctx.w("instrText")):
                        x.tag = ctx.w("delInstrText")
                pieces = [el]
            if not pieces:
                return
            # the run's formatting is imported only for what is copied (a style it names
            # joins the original's styles part)
            rpr = self.importer(src_rpr) if (foreign and src_rpr is not None) else src_rpr
            key = ("r", id(atom.run))
            if mode == "fmt":
                rpr = self._restyle(src_rpr, restyled.run.find(ctx.w("rPr")))
                key = ("f", id(atom.run), id(restyled.run))
        if not pieces:
            return
        if self._run is None or self._run_key != (mode, key):
            r = ctx.el("r")
            if rpr is not None:
                r.append(copy.deepcopy(rpr))
            self._run = r
            self._run_key = (mode, key)
            self.out.append((mode, r))
        for p in pieces:
            self._run.append(p)

    def _restyle(self, before, after):
        """The revised formatting `after` (imported), carrying `before` in a w:rPrChange."""
        ctx = self.ctx
        rpr = self.importer(after) if after is not None else ctx.el("rPr")
        for x in rpr.findall(ctx.w("rPrChange")):
            rpr.remove(x)
        change = ctx.mark("rPrChange")
        old = etree.SubElement(change, ctx.w("rPr"))
        for c in (before if before is not None else []):
            if isinstance(c.tag, str) and c.tag not in (ctx.w("rPrChange"), ctx.w("ins"), ctx.w("del")):
                old.append(copy.deepcopy(c))
        rpr.append(change)
        return rpr

    def obj(self, mode: str, el, foreign: bool) -> None:
        self._run_key = None
        self._run = None
        el = self.importer(el) if foreign else el
        if el is None:
            return
        if mode and etree.QName(el).namespace in M_NS:
            # an equation goes into the revision mark whole (w:ins/w:del may hold one), so
            # that readers which do not look for marks inside the math still drop it
            self.out.append((mode, el))
            return
        if mode:
            _mark_runs(self.ctx, el, mode)
        self.out.append(("o" + mode, el))

    def elements(self) -> tuple[list, int | None, int | None]:
        """Elements in order, with the indices of the first and last changed ones."""
        result = []
        first = last = None
        i = 0
        while i < len(self.out):
            mode, el = self.out[i]
            if mode in ("ins", "del"):
                wrap = self.ctx.mark(mode)
                while i < len(self.out) and self.out[i][0] == mode:
                    wrap.append(self.out[i][1])
                    i += 1
                el = wrap
                changed = True
            else:
                changed = mode in ("oins", "odel", "fmt")
                i += 1
            if changed:
                first = len(result) if first is None else first
                last = len(result)
            result.append(el)
        return result, first, last


def _synth_pieces(ctx: _Ctx, text: str, deleted: bool) -> list:
    out = []
    for piece in re.split(r"(\t|\n)", text):
        if not piece:
            continue
        if piece == "\t":
            out.append(ctx.el("tab"))
        elif piece == "\n":
            out.append(ctx.el("br"))
        else:
            t = ctx.el("delText" if deleted else "t")
            t.text = piece
            if piece != piece.strip() or "  " in piece:
                t.set(XML_SPACE, "preserve")
            out.append(t)
    return out


def _mark_runs(ctx: _Ctx, el, mode: str) -> None:
    """Every run inside `el` wrapped in a revision mark (deleted text becomes w:delText)."""
    runs = [r for r in el.iter(ctx.w("r"), *(f"{{{m}}}r" for m in M_NS))
            if not any(a.tag in (ctx.w("ins"), ctx.w("del")) for a in r.iterancestors())]
    if el.tag == ctx.w("r"):
        runs = [el]
    for r in runs:
        if mode == "del":
            for x in r.iter(ctx.w("t")):
                x.tag = ctx.w("delText")
            for x in r.iter(ctx.w("instrText")):
                x.tag = ctx.w("delInstrText")
        parent = r.getparent()
        wrap = ctx.mark(mode)
        if parent is None:
            continue
        parent.replace(r, wrap)
        wrap.append(r)


def _consume(atoms: list[_Atom], pos: list[int], n: int):
    """Yield (atom, text taken) for the next `n` characters; zero-width atoms on the way
    come with text ""."""
    while n > 0 or (pos[0] < len(atoms) and atoms[pos[0]].kind == "z" and n > 0):
        if pos[0] >= len(atoms):
            return
        a = atoms[pos[0]]
        if a.kind == "z":
            pos[0] += 1
            yield a, ""
            continue
        rest = a.text[pos[1]:]
        take = rest[:n]
        n -= len(take)
        if len(take) == len(rest):
            pos[0] += 1
            pos[1] = 0
        else:
            pos[1] += len(take)
        yield a, take


def _zeros(atoms: list[_Atom], pos: list[int]):
    while pos[0] < len(atoms) and atoms[pos[0]].kind == "z" and pos[1] == 0:
        yield atoms[pos[0]]
        pos[0] += 1


_FORMAT_TAGS = ("b", "i", "u", "strike", "dstrike", "vertAlign", "caps", "smallCaps", "rStyle")


def _fmt(ctx: _Ctx, atom: _Atom):
    """What a reader shows of a run's direct formatting (bold, italic, underline, strike,
    super/subscript, capitals, character style)."""
    if atom.kind != "p" or atom.run is None:
        return None
    rpr = atom.run.find(ctx.w("rPr"))
    if rpr is None:
        return ()
    out = []
    for tag in _FORMAT_TAGS:
        el = rpr.find(ctx.w(tag))
        if el is None:
            continue
        val = el.get(ctx.w("val"))
        if tag in ("vertAlign", "rStyle", "u"):
            if val and val not in ("baseline", "none"):
                out.append((tag, val if tag != "u" else "u"))
        elif val not in ("0", "false", "off"):
            out.append((tag, True))
    return tuple(out)


def _same_fmt(ctx: _Ctx, a: _Atom, b: _Atom) -> bool:
    fa, fb = _fmt(ctx, a), _fmt(ctx, b)
    return fa is None or fb is None or fa == fb


def _formats_differ(ctx: _Ctx, base: list[_Atom], other: list[_Atom]) -> bool:
    pb, po = [0, 0], [0, 0]
    n = len(_text(base))
    return any(not same for same, _, _ in _equal_chunks(ctx, base, pb, other, po, n))


def _equal_chunks(ctx: _Ctx, base: list[_Atom], pos_base: list[int], other: list[_Atom], pos_other: list[int], n: int):
    """Consume `n` equal characters from both sides, in chunks formatted alike (True) or not."""
    while n > 0:
        while pos_other[0] < len(other) and other[pos_other[0]].kind == "z":
            pos_other[0] += 1
        zeros = [(z, "") for z in _zeros(base, pos_base)]
        if pos_base[0] >= len(base) or pos_other[0] >= len(other):
            rest_b = zeros + list(_consume(base, pos_base, n))
            yield True, rest_b, list(_consume(other, pos_other, n))
            return
        ab, ao = base[pos_base[0]], other[pos_other[0]]
        k = min(len(ab.text) - pos_base[1], len(ao.text) - pos_other[1], n)
        k = max(k, 1)
        same = _same_fmt(ctx, ab, ao)
        if same and ab.el is not None and ao.el is not None and ab.text and ab.text[0] >= _PUA_FIRST:
            _pair_nested(ctx, ab.el, ao.el)
        yield same, zeros + list(_consume(base, pos_base, k)), list(_consume(other, pos_other, k))
        n -= k


def _pair_nested(ctx: _Ctx, base_el, other_el) -> None:
    """An object kept on both sides may hold text of its own, compared after the paragraph:
    the notes its footnote (endnote) references point to, and its text boxes."""
    if ctx.foreign is None:
        return
    for tag, kind in (("footnoteReference", "footnote"), ("endnoteReference", "endnote")):
        mine = list(base_el.iter(ctx.w(tag)))
        theirs = list(other_el.iter(ctx.w(tag)))
        if mine and len(mine) == len(theirs):
            for a, b in zip(mine, theirs):
                ctx.note_pairs.setdefault((kind, a.get(ctx.w("id"))), b.get(ctx.w("id")))
    if _has_textbox(base_el):
        ctx.box_pairs.setdefault(id(base_el), (base_el, other_el))


def redline_p(ctx: _Ctx, importer: _Importer, p, base: list[_Atom], other: list[_Atom], base_is_old: bool,
              other_foreign: bool, comment: str = "", neighbour_rpr=None) -> bool:
    """Rewrite paragraph `p` (whose content is `base`) as the tracked change to `other`."""
    old, new = (base, other) if base_is_old else (other, base)
    t_old, t_new = _text(old), _text(new)
    if t_old == t_new and not comment and not (other_foreign and _formats_differ(ctx, base, other)):
        return False
    edits = diff_words(t_old, t_new) if t_old != t_new else []
    em = _Emitter(ctx, importer)
    rpr_any = next((a.run.find(ctx.w("rPr")) for a in base if a.kind == "p" and a.run is not None), None)
    em.last_rpr = neighbour_rpr if neighbour_rpr is not None else rpr_any
    pos_old, pos_new = [0, 0], [0, 0]
    pos_base = pos_old if base_is_old else pos_new
    pos_other = pos_new if base_is_old else pos_old
    foreign_old = other_foreign and not base_is_old
    foreign_new = other_foreign and base_is_old
    if not edits and t_old:
        edits = [Edit("equal", t_old)]
    for e in edits:
        for z in _zeros(base, pos_base):
            em.zero(z.el)
        if e.op == "equal":
            for same, base_part, other_part in _equal_chunks(ctx, base, pos_base, other, pos_other, len(e.text)):
                restyled = None if same else next((a for a, _ in other_part if a.kind == "p"), None)
                if same or (base_is_old and other_foreign and restyled is not None):
                    # the same words; formatted differently, they are kept in the revised
                    # formatting with the original's recorded as a tracked formatting change
                    for a, sub in base_part:
                        if a.kind == "z":
                            em.zero(a.el)
                        elif a.kind == "o":
                            em.obj("", a.el, False)
                        else:
                            em.piece("", a, sub, False, em.last_rpr, restyled=restyled)
                    continue
                # (a paragraph given as text against the revised .docx): shown as replaced,
                # so that both readings keep their own formatting
                old_part, new_part = (base_part, other_part) if base_is_old else (other_part, base_part)
                for mode, part, foreign in (("del", old_part, foreign_old), ("ins", new_part, foreign_new)):
                    for a, sub in part:
                        if a.kind == "z":
                            if part is base_part:
                                em.zero(a.el)
                        elif a.kind == "o":
                            em.obj(mode, a.el, foreign)
                        else:
                            em.piece(mode, a, sub, foreign, em.last_rpr if em.last_rpr is not None else rpr_any)
        else:
            atoms, pos, foreign = (old, pos_old, foreign_old) if e.op == "delete" else (new, pos_new, foreign_new)
            mode = "del" if e.op == "delete" else "ins"
            is_base = atoms is base
            for a, sub in _consume(atoms, pos, len(e.text)):
                if a.kind == "z":
                    if is_base:
                        em.zero(a.el)
                elif a.kind == "o":
                    em.obj(mode, a.el, foreign)
                else:
                    em.piece(mode, a, sub, foreign, em.last_rpr if em.last_rpr is not None else rpr_any)
    for a in base[pos_base[0]:]:
        if a.kind == "z":
            em.zero(a.el)
    elements, first, last = em.elements()
    if comment:
        cid = ctx.add_comment(comment) if hasattr(ctx, "add_comment") else None
        if cid is not None:
            if first is None:
                first, last = 0, len(elements) - 1
            start = ctx.el("commentRangeStart", id=cid)
            end = ctx.el("commentRangeEnd", id=cid)
            ref_run = ctx.el("r")
            ref_run.append(ctx.el("commentReference", id=cid))
            if elements:
                elements[last + 1:last + 1] = [end, ref_run]
                elements.insert(first, start)
            else:
                elements = [start, end, ref_run]
    ppr = p.find(ctx.w("pPr"))
    for child in list(p):
        if child is not ppr:
            p.remove(child)
    for el in elements:
        p.append(el)
    return True


def mark_paragraph_mark(ctx: _Ctx, p, mode: str) -> None:
    """Track the paragraph mark of `p` as inserted or deleted (w:pPr/w:rPr/w:ins|w:del)."""
    ppr = p.find(ctx.w("pPr"))
    if ppr is None:
        ppr = ctx.el("pPr")
        p.insert(0, ppr)
    rpr = ppr.find(ctx.w("rPr"))
    if rpr is None:
        rpr = ctx.el("rPr")
        after = [ppr.find(ctx.w(t)) for t in ("sectPr", "pPrChange")]
        after = [a for a in after if a is not None]
        if after:
            after[0].addprevious(rpr)
        else:
            ppr.append(rpr)
    for old in rpr.findall(ctx.w("ins")) + rpr.findall(ctx.w("del")):
        rpr.remove(old)
    rpr.insert(0, ctx.mark(mode))


# --------------------------------------------------------------------------- blocks


@dataclasses.dataclass
class _Block:
    kind: str  # "p" | "tbl" | "text"
    el: object = None
    atoms: list = dataclasses.field(default_factory=list)
    key: str = ""
    para: TextPara | None = None
    foreign: bool = False


def _blocks(ctx: _Ctx, container, foreign: bool = False) -> list[_Block]:
    out: list[_Block] = []
    for child in container:
        if child.tag == ctx.w("p"):
            atoms = _para_atoms(ctx, child)
            out.append(_Block("p", child, atoms, _text(atoms), foreign=foreign))
        elif child.tag == ctx.w("tbl"):
            out.append(_Block("tbl", child, key="\u2063TABLE " + _table_text(ctx, child), foreign=foreign))
        elif child.tag in (ctx.w("sdt"), ctx.w("customXml")):
            content = child.find(ctx.w("sdtContent")) if child.tag == ctx.w("sdt") else child
            if content is not None:
                out.extend(_blocks(ctx, content, foreign))
    return out


def _wrapped(ctx: _Ctx, parent, tag: str) -> list:
    """The `tag` children of `parent`, looking through content controls and custom XML that
    wrap some of them (a row inside an `sdt`, a cell inside `customXml`)."""
    out = []
    for child in parent:
        if child.tag == ctx.w(tag):
            out.append(child)
        elif child.tag in (ctx.w("sdt"), ctx.w("customXml")):
            content = child.find(ctx.w("sdtContent")) if child.tag == ctx.w("sdt") else child
            if content is not None:
                out.extend(_wrapped(ctx, content, tag))
    return out


def _rows(ctx: _Ctx, tbl) -> list:
    return _wrapped(ctx, tbl, "tr")


def _cells(ctx: _Ctx, tr) -> list:
    return _wrapped(ctx, tr, "tc")


def _container_text(ctx: _Ctx, container) -> str:
    return "\n".join(b.key for b in _blocks(ctx, container))


def _table_text(ctx: _Ctx, tbl) -> str:
    return "\n".join(_row_text(ctx, tr) for tr in _rows(ctx, tbl))


def _row_text(ctx: _Ctx, tr) -> str:
    return "\t".join(_container_text(ctx, tc) for tc in _cells(ctx, tr))


def _mark_row(ctx: _Ctx, tr, mode: str) -> None:
    trpr = tr.find(ctx.w("trPr"))
    if trpr is None:
        trpr = ctx.el("trPr")
        prex = tr.find(ctx.w("tblPrEx"))
        if prex is not None:
            prex.addnext(trpr)
        else:
            tr.insert(0, trpr)
    change = trpr.find(ctx.w("trPrChange"))
    m = ctx.mark(mode)
    if change is not None:
        change.addprevious(m)
    else:
        trpr.append(m)


class _Differ:
    def __init__(self, ctx: _Ctx, base_is_old: bool) -> None:
        self.ctx = ctx
        self.base_is_old = base_is_old
        self.importer = _Importer(ctx)

    # whole blocks ---------------------------------------------------------------------
    def mark_base_whole(self, block: _Block) -> None:
        """A block of the base document that the other side does not have."""
        mode = "del" if self.base_is_old else "ins"
        self._mark_tree(block.el, mode)

    def _mark_tree(self, el, mode: str) -> None:
        ctx = self.ctx
        if el.tag == ctx.w("p"):
            atoms = _para_atoms(ctx, el)
            redline_p(ctx, self.importer, el, atoms, [], mode == "del", False)
            if not _is_last_in_container(ctx, el):
                mark_paragraph_mark(ctx, el, mode)
            self._note_template(el, atoms)
        elif el.tag == ctx.w("tbl"):
            for tr in _rows(ctx, el):
                _mark_row(ctx, tr, mode)
                for tc in _cells(ctx, tr):
                    for b in _blocks(ctx, tc):
                        self._mark_tree(b.el, mode)

    def _mark_tree_as(self, el, mode: str) -> None:
        """Mark a created element (now in the base tree) as wholly `mode`."""
        ctx = self.ctx
        if el.tag == ctx.w("p"):
            atoms = _para_atoms(ctx, el)
            redline_p(ctx, self.importer, el, atoms, [], mode == "del", False)
            mark_paragraph_mark(ctx, el, mode)
        elif el.tag == ctx.w("tbl"):
            for tr in _rows(ctx, el):
                _mark_row(ctx, tr, mode)
                for tc in _cells(ctx, tr):
                    for b in _blocks(ctx, tc):
                        sub_mode = mode
                        if b.el.tag == ctx.w("p"):
                            atoms = _para_atoms(ctx, b.el)
                            redline_p(ctx, self.importer, b.el, atoms, [], sub_mode == "del", False)
                        else:
                            self._mark_tree_as(b.el, sub_mode)

    def create_other(self, block: _Block):
        """The element for a block only the other side has, marked whole."""
        ctx = self.ctx
        mode = "ins" if self.base_is_old else "del"
        if block.kind == "text":
            para = block.para
            p = ctx.el("p")
            ppr, rpr = self._template(para)
            if ppr is not None:
                p.append(ppr)
            em_atoms = _text_atoms(para.text)
            redline_p(ctx, self.importer, p, [], em_atoms, self.base_is_old, False, para.comment, neighbour_rpr=rpr)
            mark_paragraph_mark(ctx, p, mode)
            return p
        el = self.importer(block.el) if block.foreign else copy.deepcopy(block.el)
        self._mark_tree_as(el, mode)
        return el

    def _adopt_ppr(self, p, other) -> None:
        """A paragraph whose style or list numbering changed takes the revised document's,
        the original's kept in w:pPrChange (Reject All restores it)."""
        ctx = self.ctx
        mine = p.find(ctx.w("pPr"))
        theirs = other.find(ctx.w("pPr"))
        theirs = self.importer(theirs) if theirs is not None else ctx.el("pPr")

        def key(ppr):
            if ppr is None:
                return (None, None, None)
            num = ppr.find(ctx.w("numPr"))
            return (reader_val(ctx, ppr, "pStyle"), reader_val(ctx, num, "numId"), reader_val(ctx, num, "ilvl"))

        if key(mine) == key(theirs):
            return
        old_children = [copy.deepcopy(c) for c in (mine if mine is not None else [])
                        if c.tag not in (ctx.w("rPr"), ctx.w("sectPr"), ctx.w("pPrChange"))]
        keep = [c for c in (mine if mine is not None else []) if c.tag in (ctx.w("rPr"), ctx.w("sectPr"))]
        for c in list(theirs):
            if c.tag in (ctx.w("rPr"), ctx.w("sectPr"), ctx.w("pPrChange")):
                theirs.remove(c)
        for c in keep:
            theirs.append(c)
        change = ctx.mark("pPrChange")
        old_ppr = etree.SubElement(change, ctx.w("pPr"))
        for c in old_children:
            old_ppr.append(c)
        theirs.append(change)
        if mine is not None:
            p.replace(mine, theirs)
        else:
            p.insert(0, theirs)

    def nested(self) -> None:
        """Text boxes kept on both sides: their paragraphs compared in place, as the body's."""
        ctx = self.ctx
        while ctx.box_pairs:
            pairs = list(ctx.box_pairs.values())
            ctx.box_pairs.clear()
            for mine, theirs in pairs:
                a, b = _top_boxes(ctx, mine), _top_boxes(ctx, theirs)
                if len(a) != len(b):
                    continue
                for x, y in zip(a, b):
                    self.run(x, _blocks(ctx, x), _blocks(ctx, y, foreign=True))

    # templates for new paragraphs --------------------------------------------------------
    def _note_template(self, p, atoms) -> None:
        if self.ctx._kind_of is None:
            return
        kind = self.ctx._kind_of(p)
        ppr = p.find(self.ctx.w("pPr"))
        rpr = next((a.run.find(self.ctx.w("rPr")) for a in atoms if a.kind == "p" and a.run is not None), None)
        self.ctx.templates[kind] = (ppr, rpr)
        self.ctx.templates[(kind[0], -1)] = (ppr, rpr)
        self.ctx.templates[("any", -1)] = (ppr, rpr)

    def _template(self, para: TextPara):
        ctx = self.ctx
        kind = para.kind
        if kind == "list_item" and _TYPED_LABEL.match(para.text):
            kind = "paragraph"
        key = (kind, para.level if kind == "heading" else 0)
        for k in (key, (kind, -1)):
            for table in (ctx.templates, ctx.first_templates):
                if k in table:
                    return self._clean_ppr(table[k][0]), table[k][1]
        if kind == "paragraph":
            return None, ctx.templates.get(("any", -1), (None, None))[1]
        return None, None

    def _clean_ppr(self, ppr):
        if ppr is None:
            return None
        ppr = copy.deepcopy(ppr)
        for tag in ("sectPr", "pPrChange"):
            for x in ppr.findall(self.ctx.w(tag)):
                ppr.remove(x)
        rpr = ppr.find(self.ctx.w("rPr"))
        if rpr is not None:
            for x in rpr.findall(self.ctx.w("ins")) + rpr.findall(self.ctx.w("del")):
                rpr.remove(x)
        return ppr

    # sequences ----------------------------------------------------------------------------
    def run(self, container, old: list[_Block], new: list[_Block], pairs=None) -> None:
        ctx = self.ctx
        base_blocks = old if self.base_is_old else new
        if pairs is None:
            pairs = pair_paragraphs([b.key for b in old], [b.key for b in new])
            fixed = []
            for i, j in pairs:
                if i is not None and j is not None and (old[i].kind == "tbl") != (new[j].kind == "tbl"):
                    fixed += [(i, None), (None, j)]
                else:
                    fixed.append((i, j))
            pairs = _titles_first(ctx, fixed, old, new)
        last = None
        first_base = base_blocks[0].el if base_blocks else None
        for i, j in pairs:
            ob = old[i] if i is not None else None
            nb = new[j] if j is not None else None
            base_b, other_b = (ob, nb) if self.base_is_old else (nb, ob)
            if base_b is not None and other_b is not None:
                if base_b.kind == "tbl":
                    self.table(base_b.el, other_b)
                else:
                    comment = other_b.para.comment if other_b.para is not None else ""
                    redline_p(ctx, self.importer, base_b.el, base_b.atoms, other_b.atoms, self.base_is_old,
                              other_b.foreign, comment)
                    if other_b.foreign and other_b.kind == "p":
                        self._adopt_ppr(base_b.el, other_b.el)
                    self._note_template(base_b.el, base_b.atoms)
                last = base_b.el
            elif base_b is not None:
                self.mark_base_whole(base_b)
                last = base_b.el
            else:
                el = self.create_other(other_b)
                _place_after(ctx, container, el, last, first_base)
                last = el

    def _adopt_table_props(self, tbl, other) -> None:
        """A table whose properties (style, header row and banding looks, width, indent,
        borders) or column widths changed takes the revised document's, the original's kept
        in w:tblPrChange and w:tblGridChange (Reject All restores them), as Word tracks a
        table's formatting."""
        ctx = self.ctx
        for tag, change_tag in (("tblPr", "tblPrChange"), ("tblGrid", "tblGridChange")):
            mine, theirs = tbl.find(ctx.w(tag)), other.find(ctx.w(tag))
            if mine is None or theirs is None or _canonical(ctx, mine, change_tag) == _canonical(ctx, theirs, change_tag):
                continue
            theirs = self.importer(theirs)
            for x in theirs.findall(ctx.w(change_tag)):
                theirs.remove(x)
            if tag == "tblPr":
                change = ctx.mark(change_tag)
            else:  # a grid change carries an id only (CT_TblGridChange)
                change = ctx.el(change_tag, id=str(ctx.next_id))
                ctx.next_id += 1
            before = etree.SubElement(change, ctx.w(tag))
            for c in mine:
                if isinstance(c.tag, str) and c.tag != ctx.w(change_tag):
                    before.append(copy.deepcopy(c))
            theirs.append(change)
            tbl.replace(mine, theirs)

    def _adopt_props(self, owner, other_owner, tag: str, change_tag: str, kept: tuple[str, ...] = ()) -> None:
        """`owner`'s properties `tag` (a row's w:trPr, a cell's w:tcPr) become `other_owner`'s
        when they differ, the original's recorded in `change_tag` (Reject All restores them),
        as Word tracks a row's or a cell's formatting. A side without the element has none
        set: the other's are compared with an empty one. `kept` are the original's children
        that are not formatting (a row's own insertion or deletion mark) and stay where they
        are, before the recorded change, as the schema orders them."""
        ctx = self.ctx
        mine, theirs = owner.find(ctx.w(tag)), other_owner.find(ctx.w(tag))
        skip = {ctx.w(change_tag)} | {ctx.w(k) for k in kept}

        def key(props):
            if props is None:
                return ()
            return tuple(c for c in (_canonical(ctx, x, change_tag) for x in props if x.tag not in skip) if c is not None)

        if key(mine) == key(theirs):
            return
        adopted = self.importer(theirs) if theirs is not None else ctx.el(tag)
        for x in list(adopted):
            if x.tag in skip:
                adopted.remove(x)
        for x in (mine if mine is not None else []):
            if x.tag in skip and x.tag != ctx.w(change_tag):
                adopted.append(copy.deepcopy(x))
        change = ctx.mark(change_tag)
        before = etree.SubElement(change, ctx.w(tag))
        for x in (mine if mine is not None else []):
            if isinstance(x.tag, str) and x.tag not in skip:
                before.append(copy.deepcopy(x))
        adopted.append(change)
        if mine is not None:
            owner.replace(mine, adopted)
        elif tag == "trPr" and owner.find(ctx.w("tblPrEx")) is not None:
            owner.find(ctx.w("tblPrEx")).addnext(adopted)
        else:
            owner.insert(0, adopted)

    def _adopt_row_props(self, row, other_row) -> None:
        """A row whose height, header-row flag, other properties or table-property exceptions
        (its own cell margins or borders) changed, and cells whose width, shading, borders,
        merging or alignment changed, take the revised document's, the original's kept in
        w:trPrChange, w:tblPrExChange and w:tcPrChange."""
        ctx = self.ctx
        self._adopt_props(row, other_row, "tblPrEx", "tblPrExChange")
        self._adopt_props(row, other_row, "trPr", "trPrChange", kept=("ins", "del"))
        for tc, other_tc in zip(_cells(ctx, row), _cells(ctx, other_row)):
            self._adopt_props(tc, other_tc, "tcPr", "tcPrChange")

    def table(self, tbl, other: _Block) -> None:
        ctx = self.ctx
        adopt = self.base_is_old and other.foreign
        if adopt:
            self._adopt_table_props(tbl, other.el)
        base_rows = _rows(ctx, tbl)
        other_rows = _rows(ctx, other.el)
        old_rows, new_rows = (base_rows, other_rows) if self.base_is_old else (other_rows, base_rows)
        pairs = pair_paragraphs([_row_text(ctx, r) for r in old_rows], [_row_text(ctx, r) for r in new_rows])
        last = None
        for i, j in pairs:
            orow = old_rows[i] if i is not None else None
            nrow = new_rows[j] if j is not None else None
            brow, xrow = (orow, nrow) if self.base_is_old else (nrow, orow)
            if brow is not None and xrow is not None and len(_cells(ctx, brow)) == len(_cells(ctx, xrow)):
                if adopt:
                    self._adopt_row_props(brow, xrow)
                for btc, xtc in zip(_cells(ctx, brow), _cells(ctx, xrow)):
                    bb = _blocks(ctx, btc)
                    xb = _blocks(ctx, xtc, other.foreign)
                    self.run(btc, *((bb, xb) if self.base_is_old else (xb, bb)))
                last = brow
                continue
            if brow is not None:
                mode = "del" if self.base_is_old else "ins"
                _mark_row(ctx, brow, mode)
                for tc in _cells(ctx, brow):
                    for b in _blocks(ctx, tc):
                        self._mark_tree(b.el, mode)
                last = brow
            if xrow is not None:
                mode = "ins" if self.base_is_old else "del"
                el = self.importer(xrow) if other.foreign else copy.deepcopy(xrow)
                _mark_row(ctx, el, mode)
                for tc in _cells(ctx, el):
                    for b in _blocks(ctx, tc):
                        self._mark_tree_as(b.el, mode)
                if last is not None:
                    last.addnext(el)
                elif base_rows:
                    base_rows[0].addprevious(el)
                else:
                    tbl.append(el)
                last = el


_TITLE_STYLES = {"Title", "Subtitle"}


def _titles_first(ctx: _Ctx, pairs: list, old: list[_Block], new: list[_Block]) -> list:
    """When a document's opening is replaced, the title lines of both sides (Title, Subtitle
    styles) come first, then the rest: each reading opens with its own title block, not with
    the other side's struck or inserted text before it. The opening may begin with title
    lines both sides keep (a file name retitled): the replaced stretch after them is ordered
    so -- else the struck lines sit inside the revised title block, and a reader that merges
    a paragraph whose mark is deleted into the next (pandoc) takes the revised title for
    body text."""

    def is_title(block: _Block | None) -> bool:
        if block is None or block.el is None or block.kind != "p":
            return False
        ppr = block.el.find(ctx.w("pPr"))
        return reader_val(ctx, ppr, "pStyle") in _TITLE_STYLES

    start = 0
    while (start < len(pairs) and None not in pairs[start]
           and (is_title(old[pairs[start][0]]) or is_title(new[pairs[start][1]]))):
        start += 1
    lead = start
    while lead < len(pairs) and (pairs[lead][0] is None or pairs[lead][1] is None):
        lead += 1
    if lead - start < 2:
        return pairs

    head = pairs[start:lead]
    titles = [p for p in head if is_title(old[p[0]] if p[0] is not None else new[p[1]])]
    if not titles:
        return pairs
    rest = [p for p in head if p not in titles]
    key = lambda p: (p[0] is None, p[0] if p[0] is not None else p[1])  # noqa: E731 - deletions, then insertions, in order
    order = sorted(titles, key=key) + sorted(rest, key=key)
    # each side's own order is its reading: only when its title lines already lead it
    olds = [i for i, _ in order if i is not None]
    news = [j for _, j in order if j is not None]
    if olds != sorted(olds) or news != sorted(news):
        return pairs
    return pairs[:start] + order + pairs[lead:]


def _canonical(ctx: _Ctx, el, skip: str):
    """An element as a reader sees it, for telling whether two documents' properties differ:
    tags, attributes (revision-session ids left out) and children in order, without the
    recorded change `skip` and whatever namespace prefixes each document declares."""
    if not isinstance(el.tag, str) or el.tag == ctx.w(skip):
        return None
    attrs = tuple(sorted((k, v) for k, v in el.attrib.items() if not k.endswith(("}rsidR", "}rsidRPr", "}rsidTr", "}rsidDel"))))
    return (el.tag, attrs, tuple(c for c in (_canonical(ctx, x, skip) for x in el) if c is not None))


def _top_boxes(ctx: _Ctx, el) -> list:
    """The text boxes of an object, not those nested in one of its boxes."""
    tag = ctx.w("txbxContent")
    out = []
    for x in el.iter(tag):
        a = x.getparent()
        while a is not None and a is not el and a.tag != tag:
            a = a.getparent()
        if a is None or a is el:
            out.append(x)
    return out


def reader_val(ctx: _Ctx, el, tag: str) -> str | None:
    if el is None:
        return None
    child = el.find(ctx.w(tag))
    return child.get(ctx.w("val")) if child is not None else None


def _is_last_in_container(ctx: _Ctx, p) -> bool:
    parent = p.getparent()
    if parent is None:
        return True
    while parent is not None and parent.tag in (ctx.w("sdtContent"), ctx.w("sdt"), ctx.w("customXml")):
        p, parent = parent, parent.getparent()
    if parent is None:
        return True
    sib = p.getnext()
    while sib is not None:
        if sib.tag in (ctx.w("p"), ctx.w("tbl"), ctx.w("sdt")):
            return False
        sib = sib.getnext()
    return True


# --------------------------------------------------------------------------- comments


def _new_part(pkg: DocxPackage, filename: str, rel_suffix: str, content_type: str) -> str:
    """Add an empty part of the main document (its relationship and content type too)."""
    W = pkg.W
    root = etree.Element(f"{{{W}}}{rel_suffix}", nsmap={"w": W})
    name = pkg.add_part(posixpath.join(posixpath.dirname(pkg.main), filename),
                        etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))
    base = ("http://purl.oclc.org/ooxml/officeDocument/relationships/" if pkg.strict
            else "http://schemas.openxmlformats.org/officeDocument/2006/relationships/")
    pkg.add_rel(base + rel_suffix, posixpath.relpath(name, posixpath.dirname(pkg.main)))
    pkg.ensure_content_type(name, override=content_type)
    return name


def _install_comments(pkg: DocxPackage, ctx: _Ctx) -> None:
    if not ctx.comments:
        return
    W = pkg.W
    name = pkg.part_by_type("/comments")
    if name:
        root = etree.fromstring(pkg.parts[name], _PARSER)
    else:
        root = etree.Element(f"{{{W}}}comments", nsmap={"w": W})
        name = pkg.add_part(posixpath.join(posixpath.dirname(pkg.main), "comments.xml"), b"")
        rtype = ("http://purl.oclc.org/ooxml/officeDocument/relationships/comments" if pkg.strict
                 else "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments")
        pkg.add_rel(rtype, posixpath.relpath(name, posixpath.dirname(pkg.main)))
        pkg.ensure_content_type(name, override=COMMENTS_CT)
    initials = "".join(w[0] for w in re.split(r"[\s\-_.]+", ctx.author) if w).upper()[:4]
    for cid, text in ctx.comments:
        c = etree.SubElement(root, f"{{{W}}}comment")
        c.set(f"{{{W}}}id", cid)
        c.set(f"{{{W}}}author", ctx.author)
        c.set(f"{{{W}}}date", ctx.date)
        if initials:
            c.set(f"{{{W}}}initials", initials)
        for k, line in enumerate(text.split("\n")):
            p = etree.SubElement(c, f"{{{W}}}p")
            if k == 0:
                r = etree.SubElement(p, f"{{{W}}}r")
                etree.SubElement(r, f"{{{W}}}annotationRef")
            if line:
                r = etree.SubElement(p, f"{{{W}}}r")
                t = etree.SubElement(r, f"{{{W}}}t")
                t.text = line
                t.set(XML_SPACE, "preserve")
    pkg.parts[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    pkg.changed.add(name)


def _new_ctx(pkg: DocxPackage, author: str, date: str) -> _Ctx:
    ctx = _Ctx(pkg, author, date)
    existing = pkg.part_by_type("/comments")
    if existing:
        try:
            ctx.next_id = max(ctx.next_id, _max_id(etree.fromstring(pkg.parts[existing], _PARSER), pkg.W) + 1)
        except etree.XMLSyntaxError:
            pass

    def add_comment(text: str) -> str | None:
        text = xml_safe(text).strip()
        if not text:
            return None
        cid = str(ctx.next_id)
        ctx.next_id += 1
        ctx.comments.append((cid, text))
        return cid

    ctx.add_comment = add_comment  # type: ignore[attr-defined]
    ctx._kind_of = _kind_reader(pkg, ctx)
    return ctx


def _kind_reader(pkg: DocxPackage, ctx: _Ctx):
    """A function giving a base paragraph's kind (heading level, list item, body), and the
    first paragraph of each kind noted as a fallback template."""
    from ..readers import docx as reader

    def load(suffix):
        name = pkg.part_by_type(suffix)
        try:
            return etree.fromstring(pkg.parts[name], _PARSER) if name else None
        except etree.XMLSyntaxError:
            return None

    styles = reader._Styles(load("/styles"))

    def kind_of(p) -> tuple[str, int]:
        ppr = p.find(ctx.w("pPr"))
        sid = reader._val(ppr, "pStyle") or styles.default_para
        level = styles.heading_level(sid)
        if level:
            return ("heading", level)
        num_id, _ = styles.num_pr(sid)
        numpr = ppr.find(ctx.w("numPr")) if ppr is not None else None
        if numpr is not None:
            num_id = reader._val(numpr, "numId") or num_id
        if num_id and num_id != "0":
            return ("list_item", 0)
        return ("paragraph", 0)

    if pkg.W == W_T:
        for p in pkg.body.iter(ctx.w("p")):
            k = kind_of(p)
            for key in (k, (k[0], -1)):
                if key not in ctx.first_templates:
                    runs = p.findall(ctx.w("r"))
                    rpr = next((r.find(ctx.w("rPr")) for r in runs if r.find(ctx.w("t")) is not None), None)
                    ctx.first_templates[key] = (p.find(ctx.w("pPr")), rpr)
        return kind_of
    return None


# --------------------------------------------------------------------------- entry points


def _section_parts(pkg: DocxPackage, body, W: str, R: str) -> dict:
    """(section index, "header"|"footer", type) -> the part each section's reference names."""
    out = {}
    for i, sect in enumerate(body.iter(f"{{{W}}}sectPr")):
        for kind in ("header", "footer"):
            for ref in sect.findall(f"{{{W}}}{kind}Reference"):
                rel = pkg.rel_by_id(ref.get(f"{{{R}}}id") or "")
                if rel is None or rel.get("TargetMode") == "External":
                    continue
                name = pkg.resolve(rel.get("Target", ""))
                if name in pkg.parts:
                    out.setdefault((i, kind, ref.get(f"{{{W}}}type") or "default"), name)
    return out


def _foreign_root(ctx: _Ctx, name: str):
    """A part of the revised document, parsed in the original's namespace."""
    other = ctx.foreign
    raw = other.parts[name]
    if other.W != ctx.W:
        raw = raw.replace(other.W.encode(), ctx.W.encode())
    return etree.fromstring(raw, _PARSER)


def _redline_part(ctx: _Ctx, name: str, root, compare) -> bool:
    """Run `compare(copy)` on a copy of the original's part `root` with its revisions taken
    as accepted (as the body's are); the part is rewritten only when that changes it, so a
    part the revised document did not change, and that had no revisions, stays byte for byte."""
    work = copy.deepcopy(root)
    accept_existing(work, ctx.W)
    ctx.next_id = max(ctx.next_id, _max_id(work, ctx.W) + 1)
    compare(work)
    if etree.tostring(work) == etree.tostring(root):
        return False
    ctx.pkg.parts[name] = etree.tostring(work, xml_declaration=True, encoding="UTF-8", standalone=True)
    ctx.pkg.changed.add(name)
    return True


def _redline_headers(ctx: _Ctx, old_refs: dict, new_refs: dict) -> None:
    """Each header and footer of the original compared in place with the revised document's
    header or footer of the same section and kind (first page, even pages, default)."""
    done: set[str] = set()
    for key, name in old_refs.items():
        if name in done:
            continue
        done.add(name)
        theirs = new_refs.get(key) or next((n for k, n in new_refs.items() if k[1:] == key[1:]), None)
        try:
            mine = etree.fromstring(ctx.pkg.parts[name], _PARSER)
            other_root = _foreign_root(ctx, theirs) if theirs else None
        except etree.XMLSyntaxError:
            continue
        if other_root is not None:
            accept_existing(other_root, ctx.W)
        differ = _Differ(ctx, base_is_old=True)
        differ.importer = _Importer(ctx, theirs, name)

        def compare(work, differ=differ, other_root=other_root):
            if other_root is not None:
                differ.run(work, _blocks(ctx, work), _blocks(ctx, other_root, foreign=True))
                differ.nested()

        _redline_part(ctx, name, mine, compare)


def _redline_notes(ctx: _Ctx) -> None:
    """The footnotes (endnotes) whose references the body keeps on both sides: each note's
    text compared in place with the revised document's note."""
    for kind in ("footnote", "endnote"):
        pairs = [(mine, theirs) for (k, mine), theirs in ctx.note_pairs.items() if k == kind]
        name = ctx.pkg.part_by_type(f"/{kind}s")
        fname = ctx.foreign.part_by_type(f"/{kind}s") if ctx.foreign is not None else None
        if not name:
            continue
        try:
            mine = ctx.notes.get(kind)
            if mine is None:
                mine = etree.fromstring(ctx.pkg.parts[name], _PARSER)
            theirs = ctx.foreign_notes.get(kind) if fname else None
            if theirs is None and fname:
                theirs = ctx.foreign_notes[kind] = _foreign_root(ctx, fname)
        except etree.XMLSyntaxError:
            continue
        theirs = copy.deepcopy(theirs) if theirs is not None else etree.Element(ctx.w(f"{kind}s"))
        accept_existing(theirs, ctx.W)
        by_id = {n.get(ctx.w("id")): n for n in theirs.iter(ctx.w(kind))}
        differ = _Differ(ctx, base_is_old=True)
        differ.importer = _Importer(ctx, fname, name)

        def compare(work, differ=differ, by_id=by_id, pairs=pairs, kind=kind):
            ours = {n.get(ctx.w("id")): n for n in work.iter(ctx.w(kind))}
            for a, b in pairs:
                if a in ours and b in by_id:
                    differ.run(ours[a], _blocks(ctx, ours[a]), _blocks(ctx, by_id[b], foreign=True))
            differ.nested()

        if _redline_part(ctx, name, mine, compare):
            ctx.notes[kind] = etree.fromstring(ctx.pkg.parts[name], _PARSER)


def _typography_key(text: str) -> str:
    from ..normalize import fold

    return " ".join(re.sub(r"[-\u2010-\u2015]+", "-", fold(text)).split())


def _mark_typography(ctx: _Ctx, root) -> None:
    """A deletion and the insertion right after it that differ only in typography (straight
    and curly quotes, dashes, non-breaking spaces, ligatures) are the same words: they stay
    tracked, so Reject All still gives the original character for character, but under
    the author "… (typography)", so a reader can accept or hide them all at once in Word's
    Reviewing pane and read the real changes alone."""
    W = ctx.W
    author = f"{ctx.author} (typography)"
    for d in list(root.iter(f"{{{W}}}del")):
        i = d.getnext()
        if i is None or i.tag != f"{{{W}}}ins":
            continue
        old = "".join(t.text or "" for t in d.iter(f"{{{W}}}delText"))
        new = "".join(t.text or "" for t in i.iter(f"{{{W}}}t"))
        if old and new and old != new and _typography_key(old) == _typography_key(new):
            d.set(f"{{{W}}}author", author)
            i.set(f"{{{W}}}author", author)


def redline_pair(old: bytes, new: bytes, *, author: str = "policy-redline", date: str = "2026-01-01T00:00:00Z",
                 old_source: str = "original", new_source: str = "revised") -> bytes:
    """The original .docx with tracked changes turning its body into the revised one's."""
    pkg = DocxPackage(old, old_source)
    other = DocxPackage(new, new_source)
    accept_existing(pkg.body, pkg.W)
    accept_existing(other.body, other.W)
    ctx = _new_ctx(pkg, author, date)
    ctx.foreign = other
    if other.W != pkg.W:  # strict against transitional: read the other in our namespace
        raw = etree.tostring(other.body).replace(other.W.encode(), pkg.W.encode())
        other.body = etree.fromstring(raw, _PARSER)
    old_refs = _section_parts(pkg, pkg.body, pkg.W, pkg.R)
    new_refs = _section_parts(other, other.body, pkg.W, other.R)
    differ = _Differ(ctx, base_is_old=True)
    differ.run(pkg.body, _blocks(ctx, pkg.body), _blocks(ctx, other.body, foreign=True))
    differ.nested()
    _redline_notes(ctx)
    _redline_headers(ctx, old_refs, new_refs)
    _mark_typography(ctx, pkg.body)
    _install_comments(pkg, ctx)
    return pkg.save()


def redline_paragraphs(data: bytes, paragraphs: Sequence[TextPara], *, docx_is_old: bool = True,
                       pairs: Sequence[tuple[int | None, int | None]] | None = None, blocks_from_reader: bool = False,
                       expect: Sequence[str] | None = None, author: str = "policy-redline",
                       date: str = "2026-01-01T00:00:00Z", source: str = "document") -> bytes:
    """A .docx against a sequence of text paragraphs: the package is the .docx; with
    `docx_is_old` the changes lead from it to the paragraphs, else from the paragraphs to it.
    `pairs` (docx block index, paragraph index) aligns them when the caller knows how;
    with `blocks_from_reader`, the docx blocks are the paragraphs the .docx reader reads
    (non-empty ones, in its order), so indices match a `Document`'s blocks; `expect`, their
    texts as read (ValueError when they differ)."""
    pkg = DocxPackage(data, source)
    accept_existing(pkg.body, pkg.W)
    ctx = _new_ctx(pkg, author, date)
    blocks = reader_blocks(pkg, ctx) if blocks_from_reader else _blocks(ctx, pkg.body)
    if expect is not None and [b.key for b in blocks] != list(expect):
        raise ValueError("the document's paragraphs are not the ones expected")
    texts = [_Block("text", None, _text_atoms(p.text), p.text, para=p) for p in paragraphs]
    differ = _Differ(ctx, base_is_old=docx_is_old)
    old, new = (blocks, texts) if docx_is_old else (texts, blocks)
    if pairs is not None and not docx_is_old:
        pairs = [(j, i) for i, j in pairs]
    if blocks_from_reader:
        differ.run_flat(pkg.body, old, new, pairs)
    else:
        differ.run(pkg.body, old, new, pairs)
    _install_comments(pkg, ctx)
    return pkg.save()


def reader_blocks(pkg: DocxPackage, ctx: _Ctx) -> list[_Block]:
    """The paragraphs the .docx reader turns into blocks, in its order, with their elements."""
    from ..readers import docx as reader

    def load(suffix):
        name = pkg.part_by_type(suffix)
        try:
            return etree.fromstring(pkg.parts[name], _PARSER) if name else None
        except etree.XMLSyntaxError:
            return None

    walker = reader._Walker.__new__(reader._Walker)
    walker.styles = reader._Styles(load("/styles"))
    walker.numbering = reader._Numbering(load("/numbering"), walker.styles)
    walker.blocks = []
    found: list[_Block] = []
    original = walker._paragraph

    def record(p) -> None:
        n = len(walker.blocks)
        original(p)
        if len(walker.blocks) > n:
            atoms = _para_atoms(ctx, p)
            found.append(_Block("p", p, atoms, walker.blocks[-1].text))

    walker._paragraph = record  # type: ignore[method-assign]
    walker.walk(pkg.body)
    return found


def _run_flat(self: _Differ, container, old: list[_Block], new: list[_Block], pairs) -> None:
    """Like `run`, over paragraphs read anywhere in the body (table cells included): each new
    paragraph goes after the base paragraph before it."""
    ctx = self.ctx
    base_blocks = old if self.base_is_old else new
    if pairs is None:
        pairs = pair_paragraphs([b.key for b in old], [b.key for b in new])
    last = None
    for i, j in pairs:
        ob = old[i] if i is not None else None
        nb = new[j] if j is not None else None
        base_b, other_b = (ob, nb) if self.base_is_old else (nb, ob)
        if base_b is not None and other_b is not None:
            comment = other_b.para.comment if other_b.para is not None else ""
            redline_p(ctx, self.importer, base_b.el, base_b.atoms, other_b.atoms, self.base_is_old, False, comment)
            if not other_b.atoms and base_b.atoms and not _is_last_in_container(ctx, base_b.el):
                mark_paragraph_mark(ctx, base_b.el, "del" if self.base_is_old else "ins")
            self._note_template(base_b.el, base_b.atoms)
            last = base_b.el
        elif base_b is not None:
            self.mark_base_whole(base_b)
            last = base_b.el
        else:
            el = self.create_other(other_b)
            _place_after(ctx, container, el, last, base_blocks[0].el if base_blocks else None)
            last = el


_Differ.run_flat = _run_flat  # type: ignore[attr-defined]


def _place_after(ctx: _Ctx, container, el, last, first) -> None:
    """An inserted block goes after the block before it; with none, before the container's
    first block, or at its end (before the section properties)."""
    if last is not None:
        last.addnext(el)
    elif first is not None:
        first.addprevious(el)
    else:
        tail = container.find(ctx.w("sectPr"))
        if tail is not None:
            tail.addprevious(el)
        else:
            container.append(el)


def accept_in_package(data: bytes) -> bytes:
    """Every tracked change accepted, comments anchors left out (the clean copy)."""
    pkg = DocxPackage(data)
    accept_existing(pkg.body, pkg.W)
    for tag in ("commentRangeStart", "commentRangeEnd"):
        for el in list(pkg.body.iter(pkg.w(tag))):
            el.getparent().remove(el)
    for el in list(pkg.body.iter(pkg.w("commentReference"))):
        r = el.getparent()
        if r is not None and r.getparent() is not None:
            r.getparent().remove(r)
    return pkg.save()


def docx_text_paragraphs(data: bytes, source: str = "document") -> list[str]:
    """The texts of the body's paragraphs as the redline diffs them (tests, benches)."""
    pkg = DocxPackage(data, source)
    ctx = _Ctx(pkg, "", "")
    return [b.key for b in _blocks(ctx, pkg.body)]

