"""One reader per file format, pandoc-style: adding a format is adding one module here.

Each reader module has `read(data: bytes, source: str) -> common.Parsed` and is imported
only when a file of its format is read (so reading .txt never imports pypdf or docx).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from .common import Parsed

# format name -> module in this package
READERS: dict[str, str] = {
    "txt": "txt",
    "md": "markdown",
    "docx": "docx",
    "pdf": "pdf",
    "html": "html",
    "rtf": "rtf",
    "odt": "odt",
}

# file suffix -> format name
SUFFIX_FORMATS: dict[str, str] = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".txt": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".rtf": "rtf",
    ".odt": "odt",
}

# names accepted for `fmt` besides the format names and suffixes
ALIASES: dict[str, str] = {"text": "txt", "markdown": "md", "htm": "html", "word": "docx"}


def format_for(fmt: str) -> str | None:
    """'pdf', '.pdf', 'PDF', 'markdown' … -> a key of READERS (None if unknown)."""
    f = fmt.strip().lower()
    if f.startswith("."):
        return SUFFIX_FORMATS.get(f)
    if f in READERS:
        return f
    return ALIASES.get(f)


def get_reader(fmt: str) -> Callable[[bytes, str], Parsed]:
    module = importlib.import_module(f".{READERS[fmt]}", __name__)
    return module.read
