"""The one error type a user ever sees: an input that cannot be used.

Every reader and stage raises `InputError` with a sentence a person can act on; the command
layer prints it on one line and exits 1. Anything else escaping is a bug.
"""

from __future__ import annotations


class InputError(Exception):
    """An input file (or stdin) cannot be used; `str()` is the one-line message."""

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")
