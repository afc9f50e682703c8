"""Step 1 of the guide: the public records request that gets the department's policy.

The letter's wording is data (`models/letters/records-request.md`); this module fills it in
and hands a plain structure to the writers (`writers/letter.py`): text, Markdown, .docx.

The template is read simply: the part under `## Letter`, paragraph by paragraph. Lines
starting `### ` are headings, `1.` numbered items, `-` bullets; `{name}` is a fill-in;
`[if name]` / `[if not name]` keep a line only when `name` was (not) given. A fill-in the
tool does not know is an error, so a letter never goes out with `{...}` left in it.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .models import models_dir

__all__ = ["Letter", "LetterBlock", "build_letter", "letter_template_path", "parse_date", "long_date", "DEFAULT_SINCE", "DEFAULT_FEE_LIMIT"]

DEFAULT_SINCE = dt.date(2025, 1, 1)
DEFAULT_FEE_LIMIT = "$25"
TEMPLATE = Path("letters") / "records-request.md"

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")
_FILL = re.compile(r"\{([A-Za-z_]+)\}")
_COND = re.compile(r"^\[if (not )?([a-z_]+)\]\s*(.*)$")
_NUMBERED = re.compile(r"^(\d{1,3})\.\s+(.*)$", re.S)
_MARKER = "## Letter"


@dataclass(frozen=True)
class LetterBlock:
    """One paragraph of the letter.

    kind: "heading", "para" (its `lines` are kept as line breaks: date, sender, addressee),
    "item" (numbered, `number` set) or "bullet".
    """

    kind: str
    lines: tuple[str, ...]
    number: str = ""

    @property
    def text(self) -> str:
        return " ".join(self.lines) if self.kind != "para" else "\n".join(self.lines)


@dataclass(frozen=True)
class Letter:
    department: str
    date: dt.date
    subject: str
    blocks: tuple[LetterBlock, ...]
    requester: str = ""

    def plain(self) -> str:
        """All the words of the letter, for tests and searching."""
        return "\n".join(b.text for b in self.blocks)


def parse_date(value: str, what: str = "--date") -> dt.date:
    """A YYYY-MM-DD date, or one clear error."""
    try:
        return dt.date.fromisoformat(value.strip())
    except (ValueError, AttributeError):
        raise InputError(what, f"not a date in the form YYYY-MM-DD: {value!r}") from None


def long_date(d: dt.date) -> str:
    """"March 5, 2026", whatever the locale."""
    return f"{_MONTHS[d.month - 1]} {d.day}, {d.year}"


def letter_template_path() -> Path:
    return models_dir() / TEMPLATE


@functools.lru_cache(maxsize=4)
def _template(path: str) -> str:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(path, f"cannot read the letter template ({exc.strerror or exc})") from None
    start = text.find("\n" + _MARKER)
    if start < 0:
        raise InputError(path, f"the letter template has no '{_MARKER}' heading")
    body = text[start + 1 + len(_MARKER) :]
    return body.split("\n", 1)[1] if "\n" in body else ""


def _clean(value: str | None) -> str:
    return " ".join((value or "").split())


def build_letter(
    department: str,
    *,
    date: dt.date,
    requester: str | None = None,
    email: str | None = None,
    address: str | None = None,
    since: dt.date = DEFAULT_SINCE,
    fee_limit: str = DEFAULT_FEE_LIMIT,
    template: str | None = None,
) -> Letter:
    """The request letter to `department`'s Records Access Officer, filled in."""
    department = _clean(department)
    if not department:
        raise InputError("--department", "give the department's name, e.g. \"Chicopee Police Department\"")
    email = _clean(email)
    if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        raise InputError("--email", f"does not look like an email address: {email!r}")
    if since > date:
        raise InputError("--since", f"{since.isoformat()} is after the letter's date {date.isoformat()}")
    addr_lines = [_clean(x) for x in re.split(r"\r\n|\r|\n|\\n", address or "") if _clean(x)]
    values = {
        "date": long_date(date),
        "department": department,
        "requester": _clean(requester),
        "email": email,
        "address": "\n".join(addr_lines),
        "since": long_date(since),
        "until": long_date(date),
        "fee_limit": _clean(fee_limit) or DEFAULT_FEE_LIMIT,
    }
    path = str(letter_template_path()) if template is None else "<template>"
    source = _template(path) if template is None else template

    def fill(line: str) -> str:
        def one(m: re.Match[str]) -> str:
            name = m.group(1)
            if name not in values:
                raise InputError(path, f"unknown fill-in {{{name}}} in the letter template (known: {', '.join(sorted(values))})")
            return values[name]

        return _FILL.sub(one, line)

    blocks: list[LetterBlock] = []
    subject = ""
    for para in re.split(r"\n[ \t]*\n", source.strip("\n")):
        lines: list[str] = []
        for raw in para.split("\n"):
            line = raw.strip()
            m = _COND.match(line)
            if m:
                negate, name, rest = m.groups()
                if name not in values:
                    raise InputError(path, f"unknown condition [if {name}] in the letter template")
                if bool(values[name]) == bool(negate):
                    continue
                line = rest
            if line:
                lines.extend(x for x in fill(line).split("\n") if x.strip())
        if not lines:
            continue
        first = lines[0]
        if first.startswith("### "):
            text = " ".join([first[4:].strip(), *lines[1:]])
            subject = subject or text
            blocks.append(LetterBlock("heading", (text,)))
        elif first.startswith("- ") and all(x.startswith("- ") for x in lines):
            blocks.extend(LetterBlock("bullet", (x[2:].strip(),)) for x in lines)
        elif m := _NUMBERED.match(first):
            blocks.append(LetterBlock("item", (" ".join([m.group(2).strip(), *lines[1:]]),), m.group(1)))
        elif len(lines) > 1 and all(len(x) <= 80 for x in lines):
            blocks.append(LetterBlock("para", tuple(lines)))  # an address block: keep its lines
        else:
            blocks.append(LetterBlock("para", (" ".join(lines),)))
    return Letter(department, date, subject or "Public records request", tuple(blocks), values["requester"])
