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

from ..redline import Redline, RedlineParagraph
from ..readers.docx import OWN_DOCX_COMMENT


def qn(tag: str) -> str:
    """python-docx's qualified name; python-docx is imported only by the functions that write
    a document from scratch (the .docx package editor imports `xml_safe` from here)."""
    from docx.oxml.ns import qn as _qn

    return _qn(tag)


def OxmlElement(tag: str):  # noqa: N802  (python-docx's name)
    from docx.oxml import OxmlElement as _element

    return _element(tag)


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


# Paragraph layouts of a generated policy (w:pPr children, in schema order): a list item
# whose label is typed ("(a) ", "1. ") hangs the label; one without is indented; the title
# block's last line is ruled off.
_LIST_TYPED = '<w:ind w:left="720" w:hanging="360"/>'
_LIST_PLAIN = '<w:ind w:left="720"/>'
_RULE = '<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="4" w:color="000000"/></w:pBdr>'
_TYPED_LABEL = re.compile(r"^\(?[A-Za-z0-9]{1,4}[.)]\s")


class _Writer:
    def __init__(self, redline: Redline, department: str = "") -> None:
        self.redline = redline
        self.department = department
        self.when = _parse_date(redline.date)
        self.date = _w3c_date(self.when)
        self.author = xml_safe(redline.author)
        self.next_id = 0
        import docx

        self.doc = docx.Document()
        self._style_ids: dict[str, str] = {}
        self._comments_elm = None
        self._body_xml: list[str] = []
        self._comments_xml: list[str] = []
        self._author_attr = _attr(self.author)
        self._date_attr = _attr(self.date)
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

    def _mark_xml(self, tag: str) -> str:
        return f'<{tag} w:id="{self._id()}" w:author={self._author_attr} w:date={self._date_attr}'

    def paragraph(self, para: RedlineParagraph, role: str = "") -> None:
        """Append one paragraph. Its WordprocessingML is written as text and parsed with all
        the others at the end (`_flush`): the same elements as building them one by one
        with python-docx's `OxmlElement`, at a fraction of the cost. `role` places it in the
        title block ("title", "subtitle", "rule": the block's last line, ruled off)."""
        out = ["<w:p>"]
        style_id = self._style_id(para)
        place = role.split()[0] if role else ""
        layout = ""
        if place == "subtitle":
            style_id = self._subtitle_style()
        elif place == "title":
            layout = "<w:jc w:val=\"center\"/>"
        elif para.kind == "list_item":  # the label hangs, as a numbered list's does
            layout = _LIST_TYPED if _TYPED_LABEL.match(para.amended or para.original) else _LIST_PLAIN
        if role.endswith("rule"):
            layout = _RULE + layout
        if style_id or layout or para.inserted or para.deleted:
            out.append("<w:pPr>")
            if style_id:
                out.append(f"<w:pStyle w:val={_attr(style_id)}/>")
            out.append(layout)
            if para.inserted or para.deleted:
                out.append(f"<w:rPr>{self._mark_xml('w:ins' if para.inserted else 'w:del')}/></w:rPr>")
            out.append("</w:pPr>")

        content = []  # (is_change, xml)
        for edit in para.edits:
            if edit.op == "equal":
                content.append((False, _run_xml(edit.text, deleted=False)))
            else:
                tag = "w:ins" if edit.op == "insert" else "w:del"
                content.append((True, f"{self._mark_xml(tag)}>{_run_xml(edit.text, deleted=edit.op == 'delete')}</{tag}>"))

        comment = xml_safe(para.comment).strip()
        elements = [x for _, x in content]
        if comment and content:
            changed = [i for i, (is_change, _) in enumerate(content) if is_change]
            first, last = (changed[0], changed[-1]) if changed else (0, len(content) - 1)
            cid = self._comment(comment)
            elements[last + 1 : last + 1] = [
                f'<w:commentRangeEnd w:id="{cid}"/>',
                f'<w:r><w:commentReference w:id="{cid}"/></w:r>',
            ]
            elements.insert(first, f'<w:commentRangeStart w:id="{cid}"/>')
        out.extend(elements)
        out.append("</w:p>")
        self._body_xml.append("".join(out))

    def _comment(self, text: str) -> str:
        """Add a `w:comment` for the comments part and return its id. Written directly:
        python-docx's `add_comment` rescans every existing comment for a free id, which is
        quadratic when most paragraphs carry a comment."""
        cid = self._id()
        initials = _initials(self.author)
        out = [
            f'<w:comment w:id="{cid}" w:author={self._author_attr}'
            + (f" w:initials={_attr(initials)}" if initials else "")
            + f" w:date={self._date_attr}>"
        ]
        for i, line in enumerate(text.split("\n")):
            out.append('<w:p><w:pPr><w:pStyle w:val="CommentText"/></w:pPr>')
            if i == 0:
                out.append('<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:annotationRef/></w:r>')
            if line:
                out.append(_run_xml(line, deleted=False))
            out.append("</w:p>")
        out.append("</w:comment>")
        self._comments_xml.append("".join(out))
        return cid

    def _flush(self) -> None:
        """Parse the paragraphs and comments written as text and put them in place."""
        if self._body_xml:
            for el in _parse_children(self._body_xml):
                self._sect_pr.addprevious(el)
            self._body_xml = []
        if self._comments_xml:
            if self._comments_elm is None:
                self._comments_elm = self.doc.comments._comments_elm  # creates the part if absent
            for el in _parse_children(self._comments_xml):
                self._comments_elm.append(el)
            self._comments_xml = []

    def _subtitle_style(self) -> str:
        if "subtitle" not in self._style_ids:
            from docx.enum.style import WD_STYLE_TYPE
            from docx.enum.text import WD_ALIGN_PARAGRAPH
            from docx.shared import Pt

            style = self.doc.styles.add_style("Policy Subtitle", WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = self.doc.styles["Normal"]
            style.font.bold = True
            style.font.size = Pt(12)
            style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
            style.paragraph_format.space_after = Pt(12)
            self._style_ids["subtitle"] = style.style_id
        return self._style_ids["subtitle"]

    # -- document ----------------------------------------------------------------------
    def _page(self) -> None:
        """A policy manual's page: Letter, one-inch margins, a plain serif body, black headings
        (the template's are blue), the department and the policy's title in the header, and
        "Page N of M" in the footer."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Inches, Pt, RGBColor

        doc = self.doc
        section = doc.sections[0]
        section.page_width, section.page_height = Inches(8.5), Inches(11)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Inches(1))
        normal = doc.styles["Normal"]
        normal.font.name = "Times New Roman"
        normal.font.size = Pt(12)
        normal.paragraph_format.space_after = Pt(6)
        for level, size in ((1, 16), (2, 13), (3, 12), (4, 12), (5, 12), (6, 12)):
            heading = doc.styles[f"Heading {level}"]
            heading.font.name = "Times New Roman"
            heading.font.size = Pt(size)
            heading.font.bold = True
            heading.font.italic = False
            heading.font.color.rgb = RGBColor(0, 0, 0)
            heading.paragraph_format.space_before = Pt(12 if level > 1 else 0)
            heading.paragraph_format.space_after = Pt(6)
            fonts = heading.element.rPr.find(qn("w:rFonts")) if heading.element.rPr is not None else None
            for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                if fonts is not None and fonts.get(qn(attr)) is not None:  # the theme's font would win
                    del fonts.attrib[qn(attr)]
        header = section.header
        header.is_linked_to_previous = False
        title = xml_safe(self.redline.title)
        department = xml_safe(self.department)
        line = header.paragraphs[0]
        if department and title and department.casefold() not in title.casefold():
            line.text = f"{department}\t\t{title}"  # the Header style's centre stop, then its right one
        else:
            line.text = department or title
        for run in line.runs:
            run.font.size = Pt(9)
        footer = section.footer
        footer.is_linked_to_previous = False
        foot = footer.paragraphs[0]
        foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for el in _parse_children([
            '<w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:t xml:space="preserve">Page </w:t></w:r>',
            '<w:fldSimple w:instr=" PAGE "><w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:t>1</w:t></w:r></w:fldSimple>',
            '<w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:t xml:space="preserve"> of </w:t></w:r>',
            '<w:fldSimple w:instr=" NUMPAGES "><w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:t>1</w:t></w:r></w:fldSimple>',
        ]):
            foot._p.append(el)

    def _roles(self) -> list[str]:
        """The title block: the policy's opening level-1 heading(s), centred, and the short
        line under them that names the department or the order (no sentence), ruled off --
        the policy's own lines, so Reject All still gives its text and nothing else."""
        paras = self.redline.paragraphs
        roles = [""] * len(paras)
        k = 0
        while k < len(paras) and k < 3 and paras[k].kind == "heading" and paras[k].level == 1:
            roles[k] = "title"
            k += 1
        if not k:
            return roles
        if k < len(paras) and paras[k].kind == "paragraph":
            text = (paras[k].amended or paras[k].original).strip()
            if text and len(text.split()) <= 12 and not text.endswith((".", ":", ";", ",")):
                roles[k] = "subtitle"
                k += 1
        roles[k - 1] += " rule"
        return roles

    def build(self) -> bytes:
        doc = self.doc
        title = xml_safe(self.redline.title)
        self._page()
        for para, role in zip(self.redline.paragraphs, self._roles()):
            self.paragraph(para, role.strip())
        self._flush()

        props = doc.core_properties
        props.title = _core_property(title)
        props.author = _core_property(self.author)
        props.last_modified_by = _core_property(self.author)
        props.created = self.when.replace(tzinfo=None)
        props.modified = self.when.replace(tzinfo=None)
        props.revision = 1
        props.comments = OWN_DOCX_COMMENT  # the reader takes this document's title property as its title

        return _save_fixed(doc, self.when)


def _core_property(text: str) -> str:
    """Core properties hold at most 255 characters (python-docx raises past that); a long
    title or --author is cut there, on a word boundary when one is near."""
    text = " ".join(text.split())
    if len(text) <= 255:
        return text
    cut = text[:254]
    space = cut.rfind(" ")
    return (cut[:space] if space > 200 else cut) + "…"


_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTR_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                               "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"})


def _attr(value: str) -> str:
    """A quoted XML attribute value that parses back to exactly `value`."""
    return '"' + value.translate(_ATTR_ESCAPES) + '"'


def _run_xml(text: str, deleted: bool) -> str:
    """`_Writer._run` as WordprocessingML text: tabs become w:tab, line breaks w:br."""
    out = ["<w:r>"]
    tag = "w:delText" if deleted else "w:t"
    for piece in _PIECES.split(xml_safe(text)):
        if not piece:
            continue
        if piece == "\t":
            out.append("<w:tab/>")
        elif piece in ("\r\n", "\r", "\n"):
            out.append("<w:br/>")
        else:
            space = ' xml:space="preserve"' if piece != piece.strip() or "  " in piece else ""
            out.append(f"<{tag}{space}>{piece.translate(_XML_ESCAPES)}</{tag}>")
    out.append("</w:r>")
    return "".join(out)


def _parse_children(fragments: list[str]):
    """Elements of WordprocessingML fragments, parsed at once by python-docx's parser (so
    they are its element classes); moved into the document they declare no namespace of
    their own, as elements made one by one would not."""
    from docx.oxml.parser import parse_xml

    root = parse_xml(f'<w:root xmlns:w="{_W_NS}">' + "".join(fragments) + "</w:root>")
    return list(root)


#: Compressed zip entries by content, for the large parts every redline shares (the styles
#: of python-docx's template): the same bytes compress to the same bytes, so this is only
#: a shortcut, never a stale answer.
_DEFLATED: dict[bytes, bytes] = {}
_DEFLATE_CACHE_MIN = 64 * 1024
_DEFLATE_CACHE_MAX_ENTRIES = 8


class _Replay:
    """Stands in for zipfile's compressor with the already compressed bytes of an entry."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def compress(self, _data: bytes) -> bytes:
        data, self.data = self.data, b""
        return data

    def flush(self) -> bytes:
        return b""


class _FixedZipWriter:
    """python-docx's physical package writer, with fixed entry timestamps and attributes:
    the zip `_fixed_zip` would make of python-docx's own, written once."""

    def __init__(self, when: dt.datetime) -> None:
        self.stamp = max(when, dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)).timetuple()[:6]
        self.buf = io.BytesIO()
        self.zip = zipfile.ZipFile(self.buf, "w", zipfile.ZIP_DEFLATED)

    def write(self, pack_uri, blob: bytes) -> None:
        info = zipfile.ZipInfo(pack_uri.membername, date_time=self.stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.create_system = 0
        info.external_attr = 0
        cached = _DEFLATED.get(blob) if len(blob) >= _DEFLATE_CACHE_MIN else None
        with self.zip.open(info, mode="w") as dest:
            if cached is not None and hasattr(dest, "_compressor"):
                dest._compressor = _Replay(cached)
                dest.write(blob)
                return
            if len(blob) >= _DEFLATE_CACHE_MIN and hasattr(dest, "_compressor"):
                compressor = dest._compressor
                deflated = compressor.compress(blob) + compressor.flush()
                dest._compressor = _Replay(deflated)
                dest.write(blob)
                if len(_DEFLATED) >= _DEFLATE_CACHE_MAX_ENTRIES:
                    _DEFLATED.clear()
                _DEFLATED[blob] = deflated
                return
            dest.write(blob)

    def close(self) -> bytes:
        self.zip.close()
        return self.buf.getvalue()


def _save_fixed(doc, when: dt.datetime) -> bytes:
    """The document as .docx bytes with fixed zip timestamps (reproducible output)."""
    try:
        from docx.opc.pkgwriter import PackageWriter

        package = doc.part.package
        steps = (PackageWriter._write_content_types_stream, PackageWriter._write_pkg_rels, PackageWriter._write_parts)
    except (ImportError, AttributeError):  # a python-docx without these internals
        buf = io.BytesIO()
        doc.save(buf)
        return _fixed_zip(buf.getvalue(), when)
    parts = package.parts
    for part in parts:
        part.before_marshal()
    writer = _FixedZipWriter(when)
    steps[0](writer, parts)
    steps[1](writer, package.rels)
    steps[2](writer, parts)
    return writer.close()


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


def redline_to_docx(redline: Redline, department: str = "") -> bytes:
    """The redline as a .docx with native tracked changes (w:ins / w:del) and comments, laid
    out as a policy: `department` (when known) and the title in the header, page numbers in
    the footer, the policy's opening heading and department line as its title block."""
    return _Writer(redline, department).build()
