"""The document model every reader produces and every later stage consumes.

Like pandoc's AST: readers (one per file format) turn a file into a `Document`; nothing
after ingest knows or cares whether the text came from a PDF, a .docx or a web page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["heading", "paragraph", "list_item"]


@dataclass(frozen=True)
class Block:
    """One paragraph-level piece of text as the author laid it out.

    `number` is a list number the *format* supplied (Word's automatic numbering, an HTML
    <ol>), which never appears in `text`; numbering typed into the text stays in `text`
    and is found by the segmenter.
    """

    text: str
    kind: BlockKind = "paragraph"
    level: int = 0
    number: str = ""


@dataclass(frozen=True)
class OcrReading:
    """Which pages of a scan were read by OCR, and how sure the reading is, so that every
    output can say the text came from OCR and mark quotes a person should check."""

    pages: tuple[int, ...]  # 1-based numbers of the pages read by OCR
    page_count: int  # pages in the file
    confidence: float  # mean word confidence, 0-1 (0 when no page was read)
    # words read with low confidence, as (previous word, word, next word, word as read)
    uncertain: tuple[tuple[str, str, str, str], ...] = ()
    # scanned pages left unread (OCR turned off or not installed), and why, so the reader
    # knows the analysis covers only the other pages
    unread: tuple[int, ...] = ()
    unread_why: str = ""


@dataclass(frozen=True)
class Document:
    """A policy as read from one file: its blocks in reading order."""

    source: str
    title: str
    blocks: tuple[Block, ...]
    format: str = "txt"
    notes: tuple[str, ...] = field(default=())
    # the format's own title (a web page's <title>, a Word or PDF title property), kept even
    # when `title` comes from the text: it can name the department the text never names
    title_hint: str = ""
    ocr: OcrReading | None = None  # set when some of the text was read from page images

    @property
    def text(self) -> str:
        """The plain text, blocks separated by blank lines."""
        return "\n\n".join(b.text for b in self.blocks)

    @property
    def words(self) -> int:
        return sum(len(b.text.split()) for b in self.blocks)
