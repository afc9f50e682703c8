"""Output writers.  The redline writers, each a pure function of a `Redline`:

    redline_to_docx(redline, department) -> bytes          native w:ins/w:del, Word comments
    redline_to_html(redline, *, heading=None) -> str       self-contained, print-ready
    redline_to_markdown(redline) -> str                    CriticMarkup, comments as footnotes
    redline_to_text(redline, *, color) -> str              ANSI colours or [-del-]{+ins+}

They are imported lazily (PEP 562), so importing another module of this package (a report
writer, say) does not pay for python-docx.
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY = {
    "redline_to_docx": "docx_redline",
    "redline_to_html": "html_redline",
    "redline_to_markdown": "markdown_redline",
    "redline_to_text": "text_redline",
}

__all__ = list(_LAZY)


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
