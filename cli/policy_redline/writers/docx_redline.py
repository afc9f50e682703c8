"""Word (.docx) redline with native revision marks.

python-docx builds the package (styles, comments part, core properties); the revision marks
themselves are written here as WordprocessingML, following ECMA-376 Part 1 section 17.13.5:

* inserted text: ``<w:ins w:id w:author w:date><w:r><w:t>..</w:t></w:r></w:ins>``
* deleted text:  ``<w:del w:id w:author w:date><w:r><w:delText>..</w:delText></w:r></w:del>``
* a wholly inserted (deleted) paragraph also marks its paragraph mark inserted (deleted) in
  ``w:pPr/w:rPr/w:ins`` (``w:del``), so rejecting (accepting) removes the paragraph entirely;
* comments: ``w:commentRangeStart``/``w:commentRangeEnd`` around the changed range at paragraph
  level (they may not sit inside the ``w:ins``/``w:del`` python-docx would need to reach), a
  ``w:commentReference`` run after the range, and the ``w:comment`` in the comments part.

Every ``w:id`` -- insertions, deletions, paragraph marks and comments -- comes from one
counter, so ids are unique across the whole document.  Text is made XML-safe first: C0
controls other than tab/newline/CR are dropped (vertical tab and form feed become line
breaks), U+FFFE/U+FFFF and lone surrogates become U+FFFD.  Tabs become ``w:tab``, newlines
``w:br``.

Output is byte-reproducible: core properties and comment dates are the redline's date, and the
zip is rewritten with fixed entry timestamps and attributes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from ..redline import Redline, RedlineParagraph

__all__ = ["redline_to_docx", "xml_safe"]

_ILLEGAL_XML = re.compile("[\x00-\x08\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_LINE_BREAK_CONTROLS = re.compile("[\x0b\x0c]")
_PIECES = re.compile(r"(\r\n|\r|\n|\t)")
_FALLBACK_DATE = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


def xml_safe(text: str) -> str:
    """`text` with every character XML 1.0 forbids removed or replaced."""
    text = _LINE_BREAK_CONTROLS.sub("\n", text)
    return _ILLEGAL_XML.sub(lambda m: "" if m.group(0) < "\x20" else "\ufffd", text)


def _parse_date(value: str) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return _FALLBACK_DATE
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.timezone.utc)
    return parsed.astimezone(dt.timezone.utc)


def _w3c_date(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def _initials(author: str) -> str:
    words = [w for w in re.split(r"[\s\-_.]+", author) if w]
    return "".join(w[0] for w in words).upper()[:4]


class _Writer:
    def __init__(self, redline: Redline) -> None:
        self.redline = redline
        self.when = _parse_date(redline.date)
        self.date = _w3c_date(self.when)
        self.author = xml_safe(redline.author)
        self.next_id = 0
        self.doc = docx.Document()
        self._style_ids: dict[str, str] = {}
        self._comments_elm = None
        body = self.doc.element.body
        for child in list(body):  # the default template's body is empty but for sectPr
            if child.tag != qn("w:sectPr"):
                body.remove(child)
        self._sect_pr = body.find(qn("w:sectPr"))

    # -- ids ---------------------------------------------------------------------------
    def _id(self) -> str:
        value = self.next_id
        self.next_id += 1
        return str(value)

    def _mark(self, tag: str):
        el = OxmlElement(tag)
        el.set(qn("w:id"), self._id())
        el.set(qn("w:author"), self.author)
        el.set(qn("w:date"), self.date)
        return el

    # -- runs --------------------------------------------------------------------------
    @staticmethod
    def _run(text: str, deleted: bool):
        r = OxmlElement("w:r")
        for piece in _PIECES.split(xml_safe(text)):
            if not piece:
                continue
            if piece == "\t":
                r.append(OxmlElement("w:tab"))
            elif piece in ("\r\n", "\r", "\n"):
                r.append(OxmlElement("w:br"))
            else:
                t = OxmlElement("w:delText" if deleted else "w:t")
                t.text = piece
                if piece != piece.strip() or "  " in piece:
                    t.set(qn("xml:space"), "preserve")
                r.append(t)
        return r

    # -- paragraphs --------------------------------------------------------------------
    def _style_id(self, para: RedlineParagraph) -> str | None:
        """The style id for a paragraph kind; looked up once per name (python-docx's own
        lookup by name scans every style, which dominates on long documents)."""
        if para.kind == "heading":
            name = f"Heading {min(max(para.level, 1), 6)}"
        elif para.kind == "list_item":
            name = "List Paragraph"
        else:
            return None
        if name not in self._style_ids:
            self._style_ids[name] = self.doc.styles[name].style_id
        return self._style_ids[name]

    def paragraph(self, para: RedlineParagraph) -> None:
        p = OxmlElement("w:p")
        style_id = self._style_id(para)
        if style_id or para.inserted or para.deleted:
            ppr = OxmlElement("w:pPr")
            if style_id:
                pstyle = OxmlElement("w:pStyle")
                pstyle.set(qn("w:val"), style_id)
                ppr.append(pstyle)
            if para.inserted or para.deleted:
                rpr = OxmlElement("w:rPr")
                rpr.append(self._mark("w:ins" if para.inserted else "w:del"))
                ppr.append(rpr)
            p.append(ppr)
        self._sect_pr.addprevious(p)

        content = []  # (is_change, element)
        for edit in para.edits:
            if edit.op == "equal":
                content.append((False, self._run(edit.text, deleted=False)))
            else:
                wrapper = self._mark("w:ins" if edit.op == "insert" else "w:del")
                wrapper.append(self._run(edit.text, deleted=edit.op == "delete"))
                content.append((True, wrapper))

        comment = xml_safe(para.comment).strip()
        if comment and content:
            changed = [i for i, (is_change, _) in enumerate(content) if is_change]
            first, last = (changed[0], changed[-1]) if changed else (0, len(content) - 1)
            cid = self._comment(comment)
            start = OxmlElement("w:commentRangeStart")
            start.set(qn("w:id"), cid)
            end = OxmlElement("w:commentRangeEnd")
            end.set(qn("w:id"), cid)
            ref_run = OxmlElement("w:r")
            ref = OxmlElement("w:commentReference")
            ref.set(qn("w:id"), cid)
            ref_run.append(ref)
            elements = [el for _, el in content]
            elements[last + 1 : last + 1] = [end, ref_run]
            elements.insert(first, start)
        else:
            elements = [el for _, el in content]
        for el in elements:
            p.append(el)

    def _comment(self, text: str) -> str:
        """Append a `w:comment` to the comments part (created through python-docx) and return
        its id.  Written directly: python-docx's `add_comment` rescans every existing comment
        for a free id, which is quadratic when most paragraphs carry a comment."""
        if self._comments_elm is None:
            self._comments_elm = self.doc.comments._comments_elm  # creates the part if absent
        cid = self._id()
        comment = OxmlElement("w:comment")
        comment.set(qn("w:id"), cid)
        comment.set(qn("w:author"), self.author)
        initials = _initials(self.author)
        if initials:
            comment.set(qn("w:initials"), initials)
        comment.set(qn("w:date"), self.date)
        for i, line in enumerate(text.split("\n")):
            p = OxmlElement("w:p")
            ppr = OxmlElement("w:pPr")
            style = OxmlElement("w:pStyle")
            style.set(qn("w:val"), "CommentText")
            ppr.append(style)
            p.append(ppr)
            if i == 0:
                ref = OxmlElement("w:r")
                rpr = OxmlElement("w:rPr")
                rstyle = OxmlElement("w:rStyle")
                rstyle.set(qn("w:val"), "CommentReference")
                rpr.append(rstyle)
                ref.append(rpr)
                ref.append(OxmlElement("w:annotationRef"))
                p.append(ref)
            if line:
                p.append(self._run(line, deleted=False))
            comment.append(p)
        self._comments_elm.append(comment)
        return cid

    # -- document ----------------------------------------------------------------------
    def build(self) -> bytes:
        doc = self.doc
        title = xml_safe(self.redline.title)
        if title:
            header = doc.sections[0].header
            header.is_linked_to_previous = False
            header.paragraphs[0].text = title
        for para in self.redline.paragraphs:
            self.paragraph(para)

        props = doc.core_properties
        props.title = _core_property(title)
        props.author = _core_property(self.author)
        props.last_modified_by = _core_property(self.author)
        props.created = self.when.replace(tzinfo=None)
        props.modified = self.when.replace(tzinfo=None)
        props.revision = 1
        props.comments = "Redline generated by policy-redline"

        buf = io.BytesIO()
        doc.save(buf)
        return _fixed_zip(buf.getvalue(), self.when)


def _core_property(text: str) -> str:
    """Core properties hold at most 255 characters (python-docx raises past that); a long
    title or --author is cut there, on a word boundary when one is near."""
    text = " ".join(text.split())
    if len(text) <= 255:
        return text
    cut = text[:254]
    space = cut.rfind(" ")
    return (cut[:space] if space > 200 else cut) + "…"


def _fixed_zip(data: bytes, when: dt.datetime) -> bytes:
    """Rewrite a zip with fixed timestamps and attributes, entries in their original order."""
    stamp = max(when, dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.create_system = 0
            fixed.external_attr = 0
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def redline_to_docx(redline: Redline) -> bytes:
    """The redline as a .docx with native tracked changes (w:ins / w:del) and comments."""
    return _Writer(redline).build()
