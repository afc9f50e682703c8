"""The one error type a user ever sees: an input that cannot be used.

Every reader and stage raises `InputError` with a sentence a person can act on; the command
layer prints it on one line and exits 1. Anything else escaping is a bug.
"""

from __future__ import annotations

import re

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """Text safe on a terminal and in any table cell: undecodable bytes of a file name (and
    any lone surrogate) become U+FFFD, and control characters (a carriage return, the escape
    that starts a terminal sequence) are shown escaped, as \\x1b."""
    try:
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # a surrogate that is not an escaped byte
        pass
    text = _SURROGATE.sub("\ufffd", text)
    return _CONTROL.sub(_escape, text)


class InputError(Exception):
    """An input file (or stdin) cannot be used; `str()` is the one-line message."""

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")


def one_line(text: str) -> str:
    """A message as one printable line."""
    return " ".join(printable(str(text)).split())
