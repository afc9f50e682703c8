"""The policy's title as a reader would give it, from the document's own heading block.

`Document.title` is the first heading (or the file's own title, or a short first line): on a
real policy that is often the department's masthead ("Town of Framingham Police Department"),
a run of masthead fields a PDF joined into one line ("PRINCE WILLIAM COUNTY POLICE DEPARTMENT
MANUAL OF GENERAL ORDERS General Order: Effective: DRAFT Number of Pages: 4 LOCAL ENFORCEMENT
…"), or the first section heading ("1. PURPOSE AND SCOPE"). Reports show the department
beside the title, so the title is the first line of the heading block that is neither the
department's name, nor a masthead field, nor a section heading.
"""

from __future__ import annotations

import re
from pathlib import PurePath

from .document import Document
from .normalize import fold

# Masthead fields and words that name the manual, not the policy.
_FIELDS = re.compile(
    r"\b(?:(?:effective|issue|issued|revised|review|revision|approval|rescinds|amends|distribution)\s*(?:date)?"
    r"|number\s+of\s+pages|pages?|type\s+of\s+policy|level|chapter|volume|general\s+order(?:\s+(?:no\.?|number))?"
    r"|special\s+order|order\s+no\.?|policy\s+(?:no\.?|number)|number|no\.|date|by\s+order\s+of|signed)\s*:\s*"
    r"(?:(?:[\w/.#-]*\d[\w/.#-]*|new|draft|revised|amended|police\s+division|[A-Z][a-z]+\s+\d{1,2},?\s+\d{4})\s*)?",
    re.I,
)
_MANUAL = re.compile(
    r"\b(?:manual\s+of\s+general\s+orders|general\s+orders?\s+manual|policy\s+manual|policies\s+and\s+procedures(?:\s+manual)?"
    r"|standard\s+operating\s+procedures?|rules\s+and\s+regulations|written\s+directive|draft)\b",
    re.I,
)
_AGENCY = re.compile(
    r"\b(?:(?:the\s+)?(?:town|city|county)\s+of\s+)?(?:[A-Z][\w'’.&-]*\s+){0,5}"
    r"(?:police\s+(?:department|dept\.?)|sheriff'?s?\s+(?:office|department)|county\s+police|department\s+of\s+corrections?)\b",
    re.I,
)
# A section heading ("1. PURPOSE AND SCOPE", "413.1 POLICY", "I. PURPOSE", "Purpose").
_SECTION = re.compile(
    r"^(?:(?:§\s*)?\d{1,4}(?:\.\d{1,4})*\.?|[IVXL]{1,5}\.|[A-Z]\.|\(\w{1,3}\)|section\s+\d+\.?)?\s*"
    r"(?:purpose(?:\s+and\s+scope)?|scope|policy(?:\s+statement)?|definitions?|procedures?|background|authority"
    r"|applicability|discussion|references?|summary|general)\s*[.:]?$",
    re.I,
)
_NUMBERED = re.compile(r"^(?:§\s*)?\d{1,4}(?:\.\d{1,4})+\.?\s|^[IVXL]{1,5}\.\s|^\d{1,3}\.\s|^[A-Z]\.\s")


def policy_title(document: Document, department: str | None) -> str:
    """The policy's own title, or "" when its heading block names only the department."""
    candidates = []
    for b in document.blocks[:8]:
        if b.kind == "paragraph" and len(b.text.split()) > 30:
            break  # the body has begun
        candidates.append(b.text)
    stem = PurePath(document.source).stem
    if document.title and document.title not in candidates and document.title not in (stem, "stdin"):
        candidates.insert(0, document.title)
    for text in candidates:
        title = _strip(text, department)
        if title:
            return title
    return ""


def _strip(text: str, department: str | None) -> str:
    t = fold(" ".join(text.split()))
    if t.endswith((".", ";")) and len(t.split()) > 6:
        return ""  # a sentence, not a title
    if department:
        t = re.sub(re.escape(department), " ", t, flags=re.I)
    t = _AGENCY.sub(" ", t)
    t = _MANUAL.sub(" ", t)
    t = _FIELDS.sub(" ", t)
    t = re.sub(r"\s+([:,])", r"\1", " ".join(t.split())).strip(" :;,-–—|/")
    t = re.sub(r"^(?:(?:the\s+)?(?:town|city|county)\s+of\s*)+$|^(?:the\s+)?(?:town|city|county)\s+of\s*[:,-]?\s*", "", t, flags=re.I).strip(" :;,-–—|/")
    if len(re.findall(r"[A-Za-z]{2,}", t)) < 2 and not re.search(r"[A-Za-z]{4,}", t):
        return ""
    if _SECTION.match(t) or _NUMBERED.match(t) or len(t.split()) > 20:
        return ""
    if t.isupper():
        small = {"of", "and", "the", "or", "for", "in", "to", "by", "on", "at", "a", "an", "with"}
        words = t.lower().split()
        t = " ".join(w if (i and w in small) else w[:1].upper() + w[1:] for i, w in enumerate(words))
        t = re.sub(r"\b(Ice|Dhs|Us|U\.s\.|Moa|Cbp)\b", lambda m: m.group(0).upper(), t)
        t = re.sub(r"\b287\(G\)", "287(g)", t)
    return t
