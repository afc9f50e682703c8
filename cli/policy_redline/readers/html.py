"""HTML (.html, .htm) with the standard library's tokenizer; nothing is ever executed.

h1-h6 become headings; p, li, td, th, div, dd, dt, blockquote, pre … become blocks; the
items of an <ol> get their number in `Block.number` (1., a., iv. per `type` and `start`).
The content of script, style, head, noscript, template, svg and similar is skipped.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from ..document import Block
from ..errors import InputError
from .common import Parsed, clean_inline, decode_text

_SKIP = {"script", "style", "head", "noscript", "template", "svg", "math", "iframe",
         "object", "embed", "canvas", "select", "button", "textarea", "title"}
_BLOCK = {"p", "div", "li", "td", "th", "dd", "dt", "blockquote", "pre", "section",
          "article", "header", "footer", "main", "aside", "nav", "figure", "figcaption",
          "address", "caption", "center", "form", "fieldset", "legend", "details",
          "summary", "table", "tr", "thead", "tbody", "tfoot", "ul", "ol", "dl", "body",
          "html", "h1", "h2", "h3", "h4", "h5", "h6", "hr"}
_VOID = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed",
         "param", "source", "track", "wbr"}
_HEADINGS = {f"h{i}": i for i in range(1, 7)}
# Real pages nest elements tens of levels deep; 50,000 nested <ul><li> is an attack, and
# every open element costs a scan of the stack. Past this depth the file is refused.
MAX_DEPTH = 512
# Elements an HTML parser closes when a sibling opens (<td>a<td>b, <tr> after <tr>,
# <dt>/<dd>): the innermost open one of `closes` is closed unless a `boundary` is nearer.
_IMPLIED_END = {
    "td": ({"td", "th"}, {"tr", "table"}),
    "th": ({"td", "th"}, {"tr", "table"}),
    "tr": ({"tr", "td", "th"}, {"table", "thead", "tbody", "tfoot"}),
    "dt": ({"dt", "dd"}, {"dl"}),
    "dd": ({"dt", "dd"}, {"dl"}),
    "option": ({"option"}, {"select"}),
}
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def _roman(n: int) -> str:
    out = ""
    for value, numeral in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"),
                           (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"),
                           (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out += numeral
            n -= value
    return out


def _alpha(n: int) -> str:
    s = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        s = chr(ord("a") + r) + s
    return s


def ol_label(n: int, kind: str) -> str:
    if n < 1 and kind != "1":
        kind = "1"
    if kind == "a":
        return _alpha(n) + "."
    if kind == "A":
        return _alpha(n).upper() + "."
    if kind == "i":
        return _roman(n) + "."
    if kind == "I":
        return _roman(n).upper() + "."
    return f"{n}."


class TooDeep(Exception):
    """The element tree is deeper than MAX_DEPTH."""


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.title = ""
        self._title_buf: list[str] | None = None
        self._buf: list[str] = []
        self._skip: list[str] = []  # stack of open skipped elements
        self._stack: list[str] = []  # open block elements
        self._lists: list[list] = []  # [tag, next number, type]
        self._li_number: list[str] = []
        self._li_level: list[int] = []
        # A page policy-redline wrote (<meta name="generator" content="policy-redline">):
        # its page heading, summary line, legend and notes are the page's, not the policy's,
        # and a <p class="list-item"> is a list item, so a draft reads back as itself.
        self._own = False
        self._list_p = False

    # -- helpers
    def _context(self) -> tuple[str, int, str]:
        for tag in reversed(self._stack):
            if tag in _HEADINGS:
                return "heading", _HEADINGS[tag], ""
            if tag == "li":
                number = self._li_number[-1] if self._li_number else ""
                level = self._li_level[-1] if self._li_level else 0
                return "list_item", level, number
            if tag in ("td", "th"):
                return "paragraph", 0, ""
        return "paragraph", 0, ""

    def _flush(self) -> None:
        text = clean_inline("".join(self._buf))
        self._buf = []
        if not text:
            return
        kind, level, number = self._context()
        if kind == "paragraph" and self._list_p:
            kind = "list_item"
        self.blocks.append(Block(text=text, kind=kind, level=level, number=number))  # type: ignore[arg-type]
        if kind == "list_item" and self._li_number:
            self._li_number[-1] = ""  # only the first block of an item carries its number

    def _close(self, tag: str) -> None:
        if tag not in self._stack:
            return
        while self._stack:
            top = self._stack.pop()
            if top == "li":
                self._li_number.pop() if self._li_number else None
                self._li_level.pop() if self._li_level else None
            if top in ("ol", "ul") and self._lists:
                self._lists.pop()
            if top == tag:
                break

    # -- tokenizer callbacks
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta" and ("name", "generator") in attrs and ("content", "policy-redline") in attrs:
            self._own = True
        classes = (dict(attrs).get("class") or "").split() if self._own else []
        if self._own and not self._skip and (
            (tag == "header" and "doc" in classes) or (tag == "aside" and "legend" in classes)
            or (tag == "section" and "notes" in classes) or (tag == "sup" and "note" in classes)
        ):
            self._skip.append(tag)
            return
        if tag == "title":
            self._title_buf = []
        if tag == "body" and "head" in self._skip:
            self._skip = []  # an unclosed <head>
        if self._skip or tag in _SKIP:
            if tag not in _VOID:
                if len(self._skip) >= MAX_DEPTH:
                    raise TooDeep
                self._skip.append(tag)
            return
        if tag == "br":
            self._buf.append(" ")
            return
        if tag not in _BLOCK:
            return
        self._flush()
        if tag == "p" and "p" in self._stack:
            self._close("p")  # <p>a<p>b: the new paragraph closes the open one
        if tag == "p":
            self._list_p = "list-item" in classes
        if tag == "li" and "li" in self._stack:
            last_li = len(self._stack) - 1 - self._stack[::-1].index("li")
            lists = [i for i, t in enumerate(self._stack) if t in ("ol", "ul")]
            if not lists or last_li > lists[-1]:
                self._close("li")  # <li>a<li>b within the same list
        if tag in _VOID:
            return
        implied = _IMPLIED_END.get(tag)
        if implied:
            closes, boundary = implied
            for open_tag in reversed(self._stack):
                if open_tag in boundary:
                    break
                if open_tag in closes:
                    self._close(open_tag)
                    break
        if len(self._stack) >= MAX_DEPTH:
            raise TooDeep
        a = dict(attrs)
        if tag in ("ol", "ul"):
            start = 1
            try:
                start = int((a.get("start") or "1").strip())
            except ValueError:
                pass
            self._lists.append([tag, start, (a.get("type") or "1").strip()])
        elif tag == "li":
            number = ""
            if self._lists and self._lists[-1][0] == "ol":
                lst = self._lists[-1]
                try:
                    if a.get("value"):
                        lst[1] = int(a["value"].strip())  # type: ignore[union-attr]
                except ValueError:
                    pass
                number = ol_label(lst[1], lst[2])
                lst[1] += 1
            self._li_number.append(number)
            self._li_level.append(max(0, len(self._lists) - 1))
        self._stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br" and not self._skip:
            self._buf.append(" ")
        elif tag in _BLOCK and not self._skip:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if self._skip:
            if tag in self._skip:
                while self._skip and self._skip.pop() != tag:
                    pass
                if tag == "title" and self._title_buf is not None:
                    self.title = self.title or clean_inline("".join(self._title_buf))
                    self._title_buf = None
            return
        if tag in _BLOCK:
            self._flush()
            self._close(tag)
            if tag == "p":
                self._list_p = False

    def handle_data(self, data: str) -> None:
        if self._skip:
            if self._skip[-1] == "title" and self._title_buf is not None:
                self._title_buf.append(data)
            return
        self._buf.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def read(data: bytes, source: str) -> Parsed:
    m = _CHARSET.search(data[:4096])
    declared = m.group(1).decode("ascii", "replace") if m else None
    text, _ = decode_text(data, source, declared, lines=False)
    reader = _Reader()
    try:
        reader.feed(text)
        reader.close()
    except TooDeep:
        raise InputError(source, f"the HTML is nested more than {MAX_DEPTH} elements deep; "
                         "this is not a policy page (save it again from a browser)") from None
    except Exception as exc:  # the stdlib tokenizer is lenient; this is a last resort
        raise InputError(source, f"the HTML cannot be parsed ({type(exc).__name__})") from None
    return Parsed(blocks=reader.blocks, title_hint=reader.title, title_explicit=reader._own and bool(reader.title))
