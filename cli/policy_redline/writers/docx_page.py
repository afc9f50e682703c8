"""A Letter-size Word document written the same way every time: the shared set-up of the
letter and the one-pager (the redline writer builds its own XML for speed)."""

from __future__ import annotations

import datetime as dt
import io

import docx
from docx.shared import Inches, Pt

from .docx_redline import _fixed_zip


def letter_document(*, margin: float, font: str, size: float, space_after: float):
    """A new document on US Letter paper with the given margins (inches) and body type."""
    doc = docx.Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Inches(8.5), Inches(11)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Inches(margin))
    normal = doc.styles["Normal"]
    normal.font.name = font
    normal.font.size = Pt(size)
    normal.paragraph_format.space_after = Pt(space_after)
    return doc


def reproducible_bytes(doc, *, day: dt.date, title: str, author: str = "policy-redline", subject: str = "") -> bytes:
    """The .docx bytes, with the document's dates fixed to `day` and the zip entries too, so
    the same input gives the same file."""
    when = dt.datetime(day.year, day.month, day.day)
    props = doc.core_properties
    props.title = title
    if subject:
        props.subject = subject
    props.author = author
    props.last_modified_by = author
    props.created = when
    props.modified = when
    props.revision = 1
    props.comments = "Written with policy-redline"
    buf = io.BytesIO()
    doc.save(buf)
    return _fixed_zip(buf.getvalue(), when.replace(tzinfo=dt.timezone.utc))
