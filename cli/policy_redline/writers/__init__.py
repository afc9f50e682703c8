"""Redline writers: one module per output format, each a pure function of a `Redline`.

    redline_to_docx(redline) -> bytes                      native w:ins/w:del, Word comments
    redline_to_html(redline, *, heading=None) -> str       self-contained, print-ready
    redline_to_markdown(redline) -> str                    CriticMarkup, comments as footnotes
    redline_to_text(redline, *, color) -> str              ANSI colours or [-del-]{+ins+}
"""

from .docx_redline import redline_to_docx
from .html_redline import redline_to_html
from .markdown_redline import redline_to_markdown
from .text_redline import redline_to_text

__all__ = ["redline_to_docx", "redline_to_html", "redline_to_markdown", "redline_to_text"]
