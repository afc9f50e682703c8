"""Ingest: a policy file (pdf, docx, txt, md, html, rtf, odt) or stdin -> `Document`.

    read_policy(path)                 a path, or "-" for standard input
    read_bytes(data, source, fmt)     bytes already in memory (fmt from the suffix if None)

Every failure is an `InputError(source, reason)` whose reason is one line a person can act
on; no other exception escapes, whatever the bytes. The format readers live in
`policy_redline.readers` (one module per format, imported only when needed).
"""

from __future__ import annotations

import os
import re
import stat
import sys
from pathlib import PurePath

from .document import Block, Document
from .errors import InputError
from .readers import READERS, SUFFIX_FORMATS, format_for, get_reader
from .readers.common import (
    binary_reason,
    check_block_budget,
    decodes_cleanly,
    gibberish_reason,
    is_odt,
    is_rtf,
    looks_binary,
    normalize_text,
    sniff,
)

SUPPORTED_SUFFIXES = (".pdf", ".docx", ".txt", ".md", ".markdown", ".html", ".htm", ".rtf", ".odt")
# Formats records offices send that no reader here reads: refused in one line, never read as text.
_SAVE_AS = "save it as .docx or PDF and try again"
_UNREAD_SUFFIXES = {
    ".doc": "a legacy Word .doc file", ".wpd": "a WordPerfect file", ".pages": "an Apple Pages file",
    ".odg": "an OpenDocument drawing", ".ods": "an OpenDocument spreadsheet", ".xls": "a spreadsheet",
    ".xlsx": "a spreadsheet", ".msg": "an Outlook message", ".eml": "an e-mail message",
    ".fodt": "a flat OpenDocument file", ".xps": "an XPS file", ".wps": "a Works file",
}

# Policies from records requests are a few hundred KB (a scanned-then-OCRed PDF a few
# MB). 50 MB is far beyond any real policy and keeps memory bounded: the whole file is
# held in memory, and a .docx or PDF parser may need several times its size.
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_FILE_MB = MAX_FILE_BYTES // (1024 * 1024)

# Analysis time grows with the text (about 2 ms a clause in analyze, more in compare, and
# `draft` analyses up to four times). One department's immigration policy is a few thousand
# words in a few dozen paragraphs; a whole policy manual is 100-250 thousand words. Past
# these limits an answer would take minutes, so every command refuses the input at once.
MAX_WORDS = 250_000
MAX_BLOCKS = 5_000  # paragraphs, headings and list items; clauses are never more
_TOO_LONG = "give the immigration policy alone, not the whole manual"

# A title longer than this is a sentence, not a title.
_TITLE_MAX_CHARS = 120
_TITLE_MAX_WORDS = 20

STDIN_SOURCE = "<stdin>"


def read_policy(path: str | os.PathLike) -> Document:
    """Read a policy file; "-" reads the policy from standard input."""
    if isinstance(path, str) and path == "-":
        return _read_stdin()
    source = str(path)
    return read_bytes(read_regular_file(path, source), source)


_KINDS = (
    (stat.S_ISDIR, "is a directory, not a policy file (use `redline survey` for folders)"),
    (stat.S_ISFIFO, "is a named pipe, not a policy file; only regular files are read "
                    "(use - to read standard input)"),
    (stat.S_ISSOCK, "is a socket, not a policy file; only regular files are read"),
    (stat.S_ISCHR, "is a device, not a policy file; only regular files are read"),
    (stat.S_ISBLK, "is a block device, not a policy file; only regular files are read"),
)


def not_regular_reason(mode: int) -> str | None:
    """Why a file of this `st_mode` is not read (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    for test, reason in _KINDS:
        if test(mode):
            return reason
    return "is not a regular file; only regular files are read"


_open_fd = os.open  # (tests replace it to simulate a file that cannot be opened)


def read_regular_file(path: str | os.PathLike, source: str | None = None,
                      limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file, at most `limit` (+1 to tell it is over). FIFOs, sockets,
    devices and directories are refused before they are opened, and the file is opened
    without blocking and checked again, so a named pipe never hangs the reader."""
    source = str(path) if source is None else source
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise InputError(source, "no such file") from None
    except NotADirectoryError:
        raise InputError(source, "no such file (a folder in the path is a file)") from None
    except PermissionError:
        raise InputError(source, "cannot be read (permission denied)") from None
    except (OSError, ValueError) as exc:
        raise InputError(source, f"cannot be read ({_os_reason(exc)})") from None
    reason = not_regular_reason(st.st_mode)
    if reason:
        raise InputError(source, reason)
    if st.st_size > limit:
        raise InputError(source, f"file is larger than the {limit // (1024 * 1024)} MB limit")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = _open_fd(path, flags)
    except PermissionError:
        raise InputError(source, "cannot be read (permission denied)") from None
    except IsADirectoryError:
        raise InputError(source, _KINDS[0][1]) from None
    except (OSError, ValueError) as exc:
        raise InputError(source, f"cannot be read ({_os_reason(exc)})") from None
    try:
        reason = not_regular_reason(os.fstat(fd).st_mode)  # swapped since the stat?
        if reason:
            raise InputError(source, reason)
        with os.fdopen(fd, "rb") as fh:
            fd = -1
            data = fh.read(limit + 1)  # bounded even if the file grows while it is read
    except InputError:
        raise
    except (OSError, ValueError) as exc:
        raise InputError(source, f"cannot be read ({_os_reason(exc)})") from None
    finally:
        if fd >= 0:
            os.close(fd)
    if len(data) > limit:
        raise InputError(source, f"file is larger than the {limit // (1024 * 1024)} MB limit")
    return data


def read_bytes(data: bytes, source: str, fmt: str | None = None) -> Document:
    """Read a policy from bytes. `fmt` ("pdf", ".docx", "md" …) defaults to the suffix."""
    source = str(source)
    try:
        return _read_bytes(bytes(data), source, fmt)
    except InputError:
        raise
    except RecursionError:
        raise InputError(source, "the file is nested too deeply to read") from None
    except MemoryError:
        raise InputError(source, "the file needs too much memory to read") from None
    except Exception as exc:  # a reader bug must still reach the user as one line
        raise InputError(
            source, f"cannot be read ({type(exc).__name__}: {_first_line(exc)})"
        ) from None


def _read_stdin() -> Document:
    try:
        stream = sys.stdin.buffer
        data = stream.read(MAX_FILE_BYTES + 1)
    except (OSError, ValueError, AttributeError) as exc:
        raise InputError(STDIN_SOURCE, f"cannot be read ({_os_reason(exc)})") from None
    return read_bytes(data, STDIN_SOURCE)


def _read_bytes(data: bytes, source: str, fmt: str | None) -> Document:
    if len(data) > MAX_FILE_BYTES:
        raise InputError(source, f"file is larger than the {MAX_FILE_MB} MB limit")
    if not data.strip() or not data.strip(b"\x00\t\n\r\x0b\x0c \xef\xbb\xbf\xff\xfe"):
        raise InputError(source, "the file is empty")

    if fmt is not None:
        name = format_for(fmt)
        if name is None:
            raise InputError(source, f"unsupported format {fmt!r} (supported: "
                             f"{', '.join(READERS)})")
    else:
        suffix = PurePath(source).suffix.lower() if source != STDIN_SOURCE else ""
        name = SUFFIX_FORMATS.get(suffix)
        if name is None and suffix in _UNREAD_SUFFIXES and sniff(data) != "pdf":
            what = _UNREAD_SUFFIXES[suffix]
            if suffix == ".doc" and data.startswith(b"\xd0\xcf\x11\xe0"):
                raise InputError(source, "encrypted or legacy .doc file: save it as .docx")
            raise InputError(source, f"{what} cannot be read here; {_SAVE_AS}")
        if name is None:
            name = _guess(data, source, suffix)

    # What the bytes are wins over a misleading name: RTF or an .odt package is never
    # read as prose or as Word.
    if name in ("txt", "md", "html") and is_rtf(data):
        name = "rtf"
    elif name == "docx" and is_odt(data):
        name = "odt"

    if name in ("txt", "md") and looks_binary(data) and sniff(data):
        raise InputError(source, binary_reason(data))
    parsed = get_reader(name)(data, source)

    blocks = tuple(b for b in parsed.blocks if b.text.strip())
    check_block_budget((b.text for b in blocks), source)
    if not blocks:
        if name in ("txt", "md"):
            raise InputError(source, "the file is empty")
        raise InputError(source, "the document contains no text")
    words = sum(len(b.text.split()) for b in blocks)
    if words > MAX_WORDS:
        raise InputError(source, f"too long to analyse: {words:,} words (the limit is {MAX_WORDS:,}); {_TOO_LONG}")
    if len(blocks) > MAX_BLOCKS:
        raise InputError(source, f"too long to analyse: {len(blocks):,} paragraphs (the limit is "
                                 f"{MAX_BLOCKS:,}); {_TOO_LONG}")
    gibberish = gibberish_reason("\n".join(b.text for b in blocks[:2000]))
    if gibberish:
        raise InputError(source, gibberish)
    hint = normalize_text(parsed.title_hint).strip()
    # a text file's "=" underlined title, or the <title> of a page policy-redline wrote, is
    # the title as written; other hints (a PDF's metadata, a web page's <title>) only stand
    # in when the text has none
    title = _shorten(hint) if parsed.title_explicit and hint else _title(blocks, hint, source)
    return Document(
        source=source, title=title, blocks=blocks, format=name, notes=tuple(parsed.notes), title_hint=hint,
        ocr=parsed.ocr,
    )


def _guess(data: bytes, source: str, suffix: str) -> str:
    """No known suffix (or stdin): trust the file's own signature, else plain text."""
    kind = sniff(data)
    if is_rtf(data):
        return "rtf"
    if is_odt(data):
        return "odt"
    if kind == "pdf":
        return "pdf"
    if kind == "docx":
        return "docx"
    if kind == "doc":
        raise InputError(source, "encrypted or legacy .doc file: save it as .docx")
    head = data[:2048].lstrip().lower()
    if decodes_cleanly(data):
        if head.startswith((b"<!doctype html", b"<html")):
            return "html"
        return "txt"
    if source == STDIN_SOURCE:  # `-` reads text; binary data there is not a file type to name
        return _raise(source, binary_reason(data))
    supported = ", ".join(SUPPORTED_SUFFIXES)
    what = f"unsupported file type {suffix}" if suffix else "unsupported file type (no suffix)"
    return _raise(source, f"{what} (supported: {supported})")


def _raise(source: str, reason: str) -> str:
    raise InputError(source, reason)


def _title(blocks: tuple[Block, ...], hint: str, source: str) -> str:
    """First heading, else the format's own title, else a short first line, else the stem."""
    for i, b in enumerate(blocks):
        if b.kind == "heading":
            title = b.text
            # A title wrapped over two lines ("Immigration Status and Federal" /
            # "Immigration Enforcement") reads as two unnumbered top-level headings.
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            if (i == 0 and nxt is not None and nxt.kind == "heading" and nxt.level == b.level == 1
                    and not re.match(r"^(?:\d|[IVX]+\.|Policy\b|Section\b)", nxt.text)
                    and not title.rstrip().endswith((".", ":"))):
                title = f"{title} {nxt.text}"
            return _shorten(title)
    if hint:
        return _shorten(hint)
    first = blocks[0].text
    if len(first) <= _TITLE_MAX_CHARS and len(first.split()) <= _TITLE_MAX_WORDS:
        return first
    if source == STDIN_SOURCE:
        return "stdin"
    return PurePath(source).stem or source


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= _TITLE_MAX_CHARS:
        return text
    return text[: _TITLE_MAX_CHARS - 1].rsplit(" ", 1)[0] + "…"


def _os_reason(exc: BaseException) -> str:
    reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return _first_line(reason).lower() if isinstance(reason, str) else type(exc).__name__


def _first_line(obj: object) -> str:
    return (" ".join(str(obj).split()) or "no detail")[:160]


__all__ = ["read_policy", "read_bytes", "read_regular_file", "not_regular_reason", "SUPPORTED_SUFFIXES", "MAX_FILE_BYTES", "MAX_WORDS", "MAX_BLOCKS"]
