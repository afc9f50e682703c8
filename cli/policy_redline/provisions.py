"""Read each sentence of a policy as a provision: who may, must or must not do what, on
what, under which exceptions — and which of the guide's questions that answers.

Real policies are written in many shapes the rubric's quoted sentences do not cover:
ordinances ("No agency or agent shall …"), votes ("the Town shall not enter into …"),
policy statements without a modal ("It is the policy of this Department to help …"),
enumerations whose lead-in carries the negation ("No officer shall: (1) … (2) …"), and
exceptions that swallow the rule ("… shall not apply when the person has been convicted of
a felony"). Matching phrases with a fixed negation rule reads most of them wrong, so the
stance of each action is worked out from the words that govern it: the nearest modal,
the negations around it, and the exceptions attached to the sentence.

Every word the reading uses is data in `models/provisions.md`; the code here only knows
the shape of a provision. Every reading keeps the sentence it came from, so a verdict is
always explainable by a quote.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from pathlib import Path

from .errors import InputError
from .normalize import fold

#: A `...` in a pattern stands for up to this many words (policy sentences are long:
#: "shall not share with any federal agency or official for the purpose of … information").
GAP_WORDS = 20

QUESTIONS = ("status_checks", "info_sharing", "lunn", "detainers", "raids", "resources", "agreements_287g")

# Section headings of the kinds of rule a list of patterns under a question can be.
_RULE_KINDS = {
    "forbidden is green, allowed is red": "bad",
    "required is green, forbidden is red": "good",
    "red wherever it appears": "red",
    "red whatever the stance": "always",
    "named, not a flag on its own": "named",
}


@dataclass(frozen=True)
class Lexicon:
    negation_words: frozenset[str]
    negation_gerund: frozenset[str]
    not_negations: tuple[str, ...]
    negation_verbs: tuple[re.Pattern[str], ...]
    negation_after: tuple[re.Pattern[str], ...]
    modals: tuple[re.Pattern[str], ...]
    exception_markers: tuple[str, ...]
    lawful: tuple[re.Pattern[str], ...]
    swallowing: tuple[re.Pattern[str], ...]
    hollowing: frozenset[str]
    inoperative_headings: tuple[re.Pattern[str], ...]
    inoperative_openings: tuple[str, ...]
    definition_words: tuple[re.Pattern[str], ...]
    about_itself: tuple[re.Pattern[str], ...]
    savings: tuple[re.Pattern[str], ...]
    rules: dict[str, dict[str, tuple[re.Pattern[str], ...]]]
    agreement_document: tuple[re.Pattern[str], ...]
    disapplication: tuple[re.Pattern[str], ...] = ()
    answering: tuple[re.Pattern[str], ...] = ()
    titles: tuple[str, ...] = ()
    findings: tuple[str, ...] = ()
    recording: frozenset[str] = frozenset()
    reporting: tuple[str, ...] = ()
    prohibition_leads: tuple[re.Pattern[str], ...] = ()
    passive: frozenset[str] = frozenset()
    equal_treatment: tuple[str, ...] = ()
    warrant_first: tuple[re.Pattern[str], ...] = ()
    openings: tuple[str, ...] = ()  # "in accordance with …, no county …": before the subject
    # Words after which an action's words say when ("in advance of responding to ICE") or
    # what something costs ("costs incurred in continuing to detain"), not what anyone does.
    not_the_action_after: tuple[str, ...] = ()
    # Nouns whose first word is an action's verb ("past their release date"): what the
    # sentence names, not what anyone does.
    not_actions: tuple[str, ...] = ()
    # A permission whose purpose is to find out whether the rule applies ("authorized to
    # communicate with ICE in order to determine whether any matter involves enforcement
    # based solely on a violation of a civil immigration law"): it serves the prohibition.
    rule_checks: tuple[re.Pattern[str], ...] = ()
    # Auxiliaries that make the next verb a report of what was done ("has notified ICE
    # that the office will no longer hold …"): a later modal governs the reported clause,
    # not the report.
    perfect: frozenset[str] = frozenset()
    on_request: tuple[re.Pattern[str], ...] = ()  # "unless … in response to a notification request from ICE"
    unqualified: tuple[re.Pattern[str], ...] = ()  # "unless … accompanied by a warrant": whose?
    unqualified_on: frozenset[str] = frozenset()  # the questions on which that matters
    federal_doers: tuple[re.Pattern[str], ...] = ()  # "Immigration officials … may place holds": ICE's act
    federal_acts: frozenset[str] = frozenset()  # the questions on which ICE's own act is not the department's
    outside_doers: tuple[re.Pattern[str], ...] = ()  # "your attorney will help …": no officer is directed
    references: tuple[str, ...] = ()  # "as provided in 8 U.S.C. 1357(g)": a citation, not the verb "provide"
    # Phrases whose modal permits no one: a purpose ("so as to allow ICE to take them" says
    # why something is done) or what may happen ("there may be situations in which officers
    # learn …" says what exists).
    not_permissions: tuple[str, ...] = ()
    topics: dict[str, re.Pattern[str]] | None = None
    meaning: dict[str, dict[str, str]] | None = None  # question -> color -> what a reading of that color says


# --- reading form ---------------------------------------------------------------------------

_DEPT = re.compile(
    r"\b(?:the\s+)?(?:(?:city|town|county)\s+of\s+)?(?:[A-Z][\w'’.-]*\s+){1,3}(?:Police\s+(?:Department|Dept\.?|Service)|Sheriff'?s?\s+(?:Office|Department)|County\s+Jail)\b"
)


#: "can't" and the like, folded to straight quotes and lower case: what each stands for.
_CONTRACTION = re.compile(r"\b(?:(can|won|shan)|([a-z]+)n)'t\b")
_CONTRACTED = {"can": "cannot", "won": "will not", "shan": "shall not"}


#: The month of May in a date ("May 23, 2018", "23 May 2018", "May 2018").
_MONTH_MAY = re.compile(r"\bmay(?=\s+\d{1,2}(?:st|nd|rd|th)?\s*,?\s*(?:\d{4})\b|\s+\d{4}\b)|(?<=\d\s)may(?=\s*,?\s*\d{4}\b)", re.I)


@functools.lru_cache(maxsize=65536)
def reading_form(text: str) -> str:
    """Lower case words and the punctuation that bounds a provision (`;` `:` `,`), one
    space apart; 287(g) reads as 287g so it is one word."""
    t = fold(text)
    t = re.sub(r"~~[^~]{0,400}~~", " ", t)  # words a bill strikes are not law
    t = re.sub(r"\(\([^()]{0,400}\)\)", " ", t)  # nor are Washington's "((struck))" words
    t = re.sub(r"\b[Nn][Oo][Ss]?\.\s*(?=[\[\d#(])", "number ", t)  # "Resolution No. 12" is not a negation
    t = _MONTH_MAY.sub("month-of-may", t)  # "May 23, 2018 --": a date, not a permission
    t = _DEPT.sub(" the department ", t)
    t = t.lower()
    # "can't hold", "won't share": the negation is in the contraction, which the punctuation
    # below would otherwise cut to a stray "t" ("can t hold" reads as permission).
    t = _CONTRACTION.sub(lambda m: _CONTRACTED[m.group(1)] if m.group(1) else m.group(2) + " not", t)
    t = re.sub(r"\b(?:u\.?\s?s\.?\s+)?immigrations? and customs enforcement(?:\s*\(ice\))?", "ice", t)
    t = re.sub(r"\b(287|1357)\s*\(\s*g\s*\)", r"\1g", t)
    t = re.sub(r"\bi\s*-\s*(247|203|200|205)\w*", r"i-\1", t)
    t = t.replace("u.s.c.", "usc").replace("u.s.", "us")
    t = re.sub(r"[;:,]", lambda m: f" {m.group(0)} ", t)
    t = re.sub(r"[^\w§;:,\-]+", " ", t)
    t = re.sub(r"(?<!\w)-|-(?!\w)", " ", t)
    return " ".join(t.split())


def _alt_regex(token: str) -> str:
    alternatives = []
    for alt in token.split("/"):
        star = alt.endswith("*")
        words = reading_form(alt.rstrip("*").replace("_", " ").replace("(g)", "g")).split()
        if not words:
            continue
        rx = " ".join(re.escape(w) for w in words)
        if star:
            rx += r"[\w-]*"
        alternatives.append(rx)
    return "(?:" + "|".join(alternatives) + ")"


@functools.lru_cache(maxsize=4096)
def compile_phrase(pattern: str) -> re.Pattern[str]:
    """A pattern in the lexicon's syntax as a regex over reading form.

    Words are separated by spaces; `a/b` is either word; `federal_immigration` joins words
    into one alternative; `word*` takes any ending; `...` is a gap of up to `GAP_WORDS`
    words inside one provision, `..4` a gap of up to four.
    """
    tokens = pattern.split()
    parts: list[str | None] = []
    for token in tokens:
        if token in ("...", "…"):
            parts.append(None)
        elif re.fullmatch(r"\.\.\d", token):
            parts.append(token)  # a short gap: "notify ..4 ICE", the recipient is the object
        else:
            parts.append(_alt_regex(token))
    regex = ""
    for p in parts:
        if p is not None and p.startswith(".."):
            regex += rf"(?: [^ ;,]+){{0,{int(p[2:])}}}"
            continue
        if p is None:
            # A gap does not cross a ";" and crosses at most two ",": a pattern's words
            # belong to one provision, not to a list of separate ones.
            # A comma inside an enumeration of single words ("investigating, detecting,
            # arresting or holding") joins one phrase and does not count.
            seg = rf"(?: [^ ;,]+| , (?:and |or )?[^ ;,]+(?= (?:,|or|and) )){{0,{GAP_WORDS}}}?"
            regex += rf"{seg}(?: ,{seg}){{0,2}}"
            continue
        regex += (" " if regex else "") + p
    compiled = re.compile(rf"(?<![\w-]){regex}(?![\w-])")
    _FIRST_WORDS[compiled] = _first_words(tokens[0]) if tokens and parts[0] is not None and not parts[0].startswith("..") else None
    return compiled


#: For each compiled pattern, the words its match must begin with: (whole words, word
#: beginnings), or None where that cannot be told. A sentence with none of them is passed
#: over without running the pattern (`could_match`).
_FIRST_WORDS: dict[re.Pattern[str], tuple[frozenset[str], frozenset[str]] | None] = {}


def _first_words(token: str) -> tuple[frozenset[str], frozenset[str]] | None:
    whole, starts = set(), set()
    for alt in token.split("/"):
        star = alt.endswith("*")
        words = reading_form(alt.rstrip("*").replace("_", " ").replace("(g)", "g")).split()
        if not words:
            continue
        if not re.fullmatch(r"[\w-]+", words[0]):
            return None
        (starts if star and len(words) == 1 else whole).add(words[0])
    return frozenset(whole), frozenset(starts)


_RUNS_CACHE: dict[str, tuple[frozenset[str], frozenset[str]]] = {}


def could_match(rx: re.Pattern[str], form: str) -> bool:
    """False only when `rx` cannot match `form`: none of the words a match begins with is
    in it. A pattern is run only on the sentences it could match (most sentences hold
    none of a question's action words), with the same results."""
    first = _FIRST_WORDS.get(rx)
    if first is None:
        return True
    runs = _RUNS_CACHE.get(form)
    if runs is None:
        words = frozenset(re.findall(r"[\w-]+", form))
        runs = (words, frozenset(w[:k] for w in words for k in range(1, len(w) + 1)))
        if len(_RUNS_CACHE) > 4096:
            _RUNS_CACHE.clear()
        _RUNS_CACHE[form] = runs
    whole, starts = first
    return bool(whole & runs[0]) or bool(starts & runs[1])


def _phrase_list(text: str) -> tuple[re.Pattern[str], ...]:
    return tuple(compile_phrase(p.strip()) for p in text.split(",") if p.strip())


def _forms(*lists: str) -> tuple[str, ...]:
    """The phrases of comma-separated lists (a lexicon line's value, or several lines'), each
    in reading form, in order."""
    return tuple(reading_form(p) for text in lists for p in text.split(",") if p.strip())


# --- the lexicon file ---------------------------------------------------------------------


def parse_lexicon(markdown: str, path: str = "<provisions>") -> Lexicon:
    """Parse `models/provisions.md`: `##` sections of `- Key: a, b, c` bullets, and, under
    each question id, `###` rule kinds with one pattern per bullet."""
    sections: dict[str, dict[str, list[str]]] = {}
    section = sub = ""
    for raw in markdown.splitlines():
        line = raw.rstrip()
        if line.startswith("## "):
            section, sub = line[3:].strip().lower(), ""
            sections.setdefault(section, {})
        elif line.startswith("### "):
            sub = line[4:].strip().lower()
            sections.setdefault(section, {}).setdefault(sub, [])
        elif line.startswith("- ") and section:
            sections[section].setdefault(sub, []).append(line[2:].strip())

    def keyed(name: str) -> dict[str, str]:
        out = {}
        for item in sections.get(name, {}).get("", []):
            key, sep, value = item.partition(":")
            if sep:
                out[key.strip().lower()] = value.strip()
        return out

    neg = keyed("negation")
    exc = keyed("exceptions")
    inop = keyed("not operative")
    if not neg or not exc or not inop:
        raise InputError(path, "the provisions lexicon needs Negation, Exceptions and Not operative sections")
    rules: dict[str, dict[str, tuple[re.Pattern[str], ...]]] = {}
    for q in QUESTIONS:
        if q not in sections:
            raise InputError(path, f"the provisions lexicon has no section for {q}")
        rules[q] = {}
        for heading, items in sections[q].items():
            if not heading:
                continue
            kind = _RULE_KINDS.get(heading)
            if kind is None:
                raise InputError(path, f"{q}: unknown rule kind {heading!r} (known: {', '.join(_RULE_KINDS)})")
            rules[q][kind] = tuple(compile_phrase(p) for p in items)
    mod = keyed("modals")
    modals = _phrase_list(mod.get("words", "")) + _phrase_list(mod.get("phrases", ""))
    speakers = list(_forms(mod.get("the agency speaking", "")))
    practices = [w.strip() for w in mod.get("its practice, in the present tense", "").split(",") if w.strip()]
    if speakers and practices:
        # "The Lowell Police Department cooperates and assists with ICE when formally
        # requested", "We provide logistical support, whenever asked": a department's
        # statement of what it does is its policy; the subject stands where a modal would.
        who = "|".join(dict.fromkeys(re.escape(w).replace(r"\ ", " ") for w in speakers))
        what = "|".join(re.escape(w).replace(r"\*", r"[\w-]*") for w in practices)
        modals += (re.compile(rf"(?<![\w-])(?:{who})(?= (?:[\w-]+ly |also )?(?:{what})(?![\w-]))"),)
    whole = keyed("whole-document shapes")
    return Lexicon(
        negation_words=frozenset(w.strip() for w in neg.get("words", "").split(",") if w.strip()),
        negation_gerund=frozenset(w.strip() for w in neg.get("before a verb in -ing", "").split(",") if w.strip()),
        not_negations=tuple(sorted(_forms(neg.get("not a negation", "")), key=len, reverse=True)),
        negation_verbs=_phrase_list(neg.get("verbs", "")),
        negation_after=_phrase_list(neg.get("after", "")),
        modals=modals,
        exception_markers=tuple(sorted(_forms(exc.get("markers", "")), key=len, reverse=True)),
        lawful=_phrase_list(exc.get("lawful floor", "")),
        rule_checks=_phrase_list(exc.get("a check on the rule, not a permission", "")),
        warrant_first=_phrase_list(exc.get("warrant first", "")),
        openings=_forms(neg.get("before the subject", "")),
        not_the_action_after=_forms(mod.get("a time, not the action, after", ""), mod.get("a cost, not the action, after", "")),
        not_actions=_forms(mod.get("a noun, not the action", "")),
        perfect=frozenset(w.strip() for w in mod.get("a report of what was done, after", "").split(",") if w.strip()),
        federal_doers=_phrase_list(mod.get("federal doers", "")),
        federal_acts=frozenset(w.strip() for w in mod.get("federal doers act for themselves on", "").split(",") if w.strip()),
        outside_doers=_phrase_list(mod.get("outside doers", "")),
        references=_forms(mod.get("a reference, not the action", "")),
        not_permissions=_forms(mod.get("a purpose, not a permission", ""), mod.get("what may happen, not a permission", "")),
        swallowing=_phrase_list(exc.get("swallowing", "")),
        on_request=_phrase_list(exc.get("on request", "")),
        unqualified=_phrase_list(exc.get("a warrant, not said whose", "")),
        unqualified_on=frozenset(w.strip() for w in exc.get("whose warrant matters on", "").split(",") if w.strip()),
        hollowing=frozenset(w.strip() for w in exc.get("hollowing adverbs", "").split(",") if w.strip()),
        inoperative_headings=_phrase_list(inop.get("headings", "")),
        inoperative_openings=_forms(inop.get("openings", "")),
        titles=_forms(inop.get("titles", "")),
        findings=_forms(inop.get("findings", "")),
        definition_words=_phrase_list(inop.get("definitions", "")),
        about_itself=_phrase_list(inop.get("about itself", "")),
        savings=tuple(compile_phrase(p) for p in sections.get("savings clauses", {}).get("", [])),
        rules=rules,
        agreement_document=_phrase_list(whole.get("287(g) agreement", "")),
        disapplication=_phrase_list(keyed("disapplication").get("phrases", "")),
        answering=_phrase_list(mod.get("answering verbs", "")),
        recording=frozenset(w.strip() for w in mod.get("recording verbs", "").split(",") if w.strip()),
        reporting=_forms(mod.get("reporting phrases", "")),
        prohibition_leads=_phrase_list(mod.get("prohibition lead-ins", "")),
        passive=frozenset(w.strip() for w in mod.get("passive verbs", "").split(",") if w.strip()),
        equal_treatment=_forms(keyed("topics").get("equal treatment", "")),
        topics={q: compile_phrase(t) for q in QUESTIONS for k, _, t in (i.partition(": ") for i in sections[q].get("", [])) if k.lower() == "topic" and t},
        meaning={q: {k.lower(): v for k, _, v in (i.partition(": ") for i in sections[q].get("", [])) if v} for q in QUESTIONS},
    )


@functools.lru_cache(maxsize=4)
def _load(directory: str) -> Lexicon:
    path = Path(directory) / "provisions.md"
    return parse_lexicon(path.read_text(encoding="utf-8"), str(path))


def load_lexicon() -> Lexicon:
    from .models import models_dir

    return _load(str(models_dir()))


# --- reading --------------------------------------------------------------------------------

#: The `why` of a reading earned only by naming a question's topic ("immigration status"):
#: no rule read an action in the sentence.
TOPIC_ONLY = "speaks to it in words the tool cannot classify"


@dataclass(frozen=True)
class Reading:
    """What one sentence says on one question."""

    question: str
    color: str  # "red" | "green" | "unclear"
    sentence: str  # as the policy has it (the item, for a list item)
    why: str  # "forbidden", "allowed", "exception swallows the rule: …", …


_ITEM = re.compile(r"^\s*(?:\(?[0-9]{1,2}[.)]|\(?[a-z][.)]|\([ivx]{1,4}\)|[ivx]{1,4}\.|[•\-–*·▪●◦])\s+", re.I)
_INLINE_ITEMS = re.compile(r"(?:(?<=:)|(?<=;)|(?<=; and)|(?<=; or))\s*(?=\(?(?:[0-9]{1,2}|[a-z]|[ivx]{1,4})[.)]\s)")


def expand_items(sentences, lexicon: Lexicon | None = None) -> list[tuple[str, str]]:
    """(sentence as quoted, sentence as read): list items carry their lead-in.

    "No officer shall:" followed by "(a) ask about status" reads "No officer shall ask
    about status"; inline enumerations "shall not: (1) …; (2) …" are split the same way.
    Items go on after the lead-in while they look like items: numbered or lettered, in
    lower case, ending in ";" or ",", or holding no modal of their own ("Release
    sensitive information to federal immigration officials").
    """
    return [(q, r) for _, q, r in expand_items_keyed([(None, s) for s in sentences], lexicon)]


def expand_items_keyed(sentences, lexicon: Lexicon | None = None) -> list[tuple[object, str, str]]:
    """`expand_items` over (key, sentence) pairs, a lead-in reaching across keys (a
    segmenter may put each item of a list in a clause of its own)."""
    lexicon = lexicon or load_lexicon()
    out: list[tuple[object, str, str]] = []
    lead = ""
    numbered_only = False
    lead_style = ""
    last_key = lead_key = object()
    # A list's lead-in set aside by an unnumbered sentence inside one of its items ("(C) …
    # information. Responses are never required, but are permitted …"), and the number
    # styles of the items read under it: the next item of one of those styles ("(D) …")
    # is still an item of the list.
    held: tuple[object, str, bool, str, frozenset[str]] | None = None
    item_styles: set[str] = set()
    for key, s in _bounded(_rejoin(sentences)):
        if held is not None and not lead:
            # the next item goes on in the same clause ("(D) …"), or in a clause of its own
            # that the segmenter numbered as the next item ("(a)(4)" after "(a)(3)")
            # ("415.2.2" after "415.2.1" is a section, however its last number looks)
            next_item = (key is held[0] and _ITEM.match(s) and _style(s) in held[4]) or (
                key is not held[0] and key is not last_key and _item_clause(key)
                and str(getattr(key, "number", "")).endswith(")")
                and _number_style(key) in held[4] and _same_level(held[0], key)
            )
            if next_item:
                _, lead, numbered_only, lead_style, styles = held
                item_styles = set(styles)
            elif key is not held[0] or _ITEM.match(s):
                held = None
        if _ITEM_ONLY.match(s) or _LABEL_ONLY.match(s):
            # a bare "(1)" line: its item follows; "(B) Specifically." labels the list
            # that the lead-in before it announced
            continue
        if key is not last_key and lead and (not _item_clause(key) or _same_level(lead_key, key)):
            # a lead-in reaches into the next clause only when that clause is an item of
            # it: "(c)" after a lead-in in "(b)" is its sibling
            lead = ""
        if key is not last_key and lead and str(getattr(key, "number", "")).startswith("¶") and not (
            _ITEM.match(s) or s[:1].islower() or not _has_modal(reading_form(s), lexicon)
        ):
            # an unnumbered paragraph after a list that has a modal of its own ("When ICE
            # sends a detainer, the officer shall …") is a new provision, not an item
            lead = ""
        last_key = key
        if not lead:
            lead_key = key
        if lead and not operative_sentence(reading_form(s), lexicon):
            lead = ""  # "WHEREAS, …" or a definition under a lead-in is still not a provision
        pieces = [p for p in _INLINE_ITEMS.split(s) if p.strip()]
        if len(pieces) > 1 and pieces[0].rstrip().endswith(":"):
            head = _ITEM.sub("", pieces[0].rstrip()[:-1]).strip()
            if lead and not _has_modal(reading_form(head), lexicon):
                head = f"{lead} {head}"
            out.append((key, pieces[0].strip(), pieces[0].strip()))
            item_styles = set()
            for p in pieces[1:]:
                out.append((key, p.strip(), f"{head}: {item_text(p)}"))
                item_styles.add(_style(p.strip()))
            # the list may go on in the lines that follow, each with its number
            held = None
            lead, numbered_only = head, not s.rstrip().endswith(":")
            lead_style = _style(pieces[0])
            continue
        # An item's own modal sits after its subject; its first word is often an
        # imperative verb ("Permit ICE agents to use College facilities").
        opening = " ".join(reading_form(_ITEM.sub("", s)).split()[1:8])
        if lead and numbered_only and not _ITEM.match(s):
            held = (key, lead, numbered_only, lead_style, frozenset(item_styles - {""})) if item_styles - {""} else None
            lead = ""
        if lead and lead_style and _style(s) == lead_style:
            lead = ""  # "(c)" after a lead-in numbered "(b)" is its sibling, not its item
        if lead and not _has_modal(opening, lexicon):
            read = f"{lead}: {item_text(s)}"
            out.append((key, s, read))
            item_styles.add(_style(s) or (_number_style(key) if key is not lead_key and _item_clause(key) else ""))
            if _LEAD_END.search(s):
                lead = _LEAD_END.sub("", read.rstrip())
            continue
        if lead and not _ITEM.match(s) and not _LEAD_END.search(s) and item_styles - {""}:
            held = (key, lead, numbered_only, lead_style, frozenset(item_styles - {""}))
        item_styles = set()
        lead = _LEAD_END.sub("", _ITEM.sub("", s.rstrip())).strip() if _LEAD_END.search(s) else ""
        if lead:
            held = None  # a new list begins
        if lead and any(rx.search(reading_form(lead)) for rx in lexicon.prohibition_leads):
            lead = "It is prohibited to"  # "The prohibition … shall include:" forbids each item
        numbered_only, lead_style = False, _style(s) or _number_style(key)
        out.append((key, s, s))
    return out


# How a lead-in ends: "shall not:", "… directs county staff as follows.", or a line that
# stops at its modal before a bulleted list ("Once notified, UPD will"; the modal stays).
_LEAD_END = re.compile(
    r"(?::|\bas follows\s*[.:]?|\bthe following\s*[.:]|(?:(?<=\bwill)|(?<=\bshall)|(?<=\bmust)|(?<=\bshould)))\s*$", re.I
)
def _looks_like_heading(text: str) -> bool:
    """"Department Funds and Resources": a title line, not half a sentence."""
    words = text.split()
    if len(words) > 10 or text.rstrip().endswith((",", "-")):
        return False
    long_words = [w for w in words if len(w) > 3 and w[0].isalpha()]
    return text.isupper() or all(w[0].isupper() for w in long_words)


def _continues(before: str, after: str) -> bool:
    """A line goes on in the next when the next starts in lower case, or when both are set
    in capitals (bills print new law that way); "… amended to read" followed by "NO STATE
    AGENCY …" is a caption and its text, not one sentence."""
    if after[:1].islower():
        return True
    return not any(c.islower() for c in before) and not any(c.islower() for c in after)


#: A "sentence" longer than this (a PDF with no full stops, a file of one line) is read in
#: pieces, at its semicolons and then in windows of this many words, so that reading time
#: stays linear in the length of the text.
LONGEST_SENTENCE = 250


#: Recitals run together with semicolons ("…; and WHEREAS, …; NOW, THEREFORE, be it
#: ordained …") are one sentence to a full stop but each is its own statement.
_RECITAL_BREAK = re.compile(r"(?<=;)\s+(?=(?:and\s+)?(?:WHEREAS|NOW,?\s+THEREFORE|BE\s+IT\s+(?:ORDAINED|RESOLVED|ENACTED))\b)", re.I)


#: A statute run together in one paragraph: "… with the request. (b) The Department shall
#: not: (1) …" — a label after a full stop opens the next provision.
_LABEL_BREAK = re.compile(r"(?<=[a-z)]\.)\s+(?=\((?:[a-z]|[0-9]{1,2})\)\s+(?:\([0-9a-z]{1,2}\)\s+)?[A-Z])")


def _bounded(sentences):
    for key, whole in sentences:
        for part in _LABEL_BREAK.split(whole) if ". (" in whole else (whole,):
            for s in _RECITAL_BREAK.split(part) if ";" in part else (part,):
                yield from _bounded_one(key, s)


def _bounded_one(key, s):
    if len(s.split()) <= LONGEST_SENTENCE:
        yield key, s
        return
    for part in re.split(r"(?<=;)\s+", s):
        pw = part.split()
        for k in range(0, len(pw), LONGEST_SENTENCE):
            yield key, " ".join(pw[k:k + LONGEST_SENTENCE])


def _rejoin(sentences):
    """Lines a text file broke mid-sentence ("NO LAW ENFORCEMENT AGENCY, OR ANY" / "AGENT
    THEREOF, SHALL MAKE ANY INQUIRY …") read as one sentence: a line that ends without
    punctuation is continued by the next line of the same clause unless that line is a
    numbered item or a heading."""
    pending: tuple[object, str] | None = None
    for key, s in sentences:
        if pending is not None:
            pkey, ptext = pending
            # A paragraph that breaks off mid-sentence is continued by the next unnumbered
            # paragraph when that one opens in lower case (a Word or web copy of a wrapped
            # text: "… or arrest an" / "individual based solely on any of the following:").
            same = pkey is key or (_paragraph_key(pkey) and _paragraph_key(key) and s[:1].islower())
            if same and not _ITEM.match(s) and not _ITEM_ONLY.match(s) and len(ptext.split()) >= 4 and not _looks_like_heading(ptext) and _continues(ptext, s):
                pending = (pkey, f"{ptext} {s}")
            else:
                yield pending
                pending = (key, s)
        else:
            pending = (key, s)
        if pending is not None and re.search(r"[.;:!?)\]\"”’]\s*$", pending[1]):
            yield pending
            pending = None
    if pending is not None:
        yield pending


def _paragraph_key(key: object) -> bool:
    """A clause the segmenter numbered as an unnumbered paragraph ("¶7")."""
    return str(getattr(key, "number", "")).startswith("¶")


_ITEM_ONLY = re.compile(r"^\s*(?:\(?[0-9]{1,2}[.)]|\(?[a-z][.)]|\([ivx]{1,4}\)|[ivx]{1,4}\.)\s*$", re.I)


_LABEL_ONLY = re.compile(r"^\s*(?:\(?[0-9]{1,2}[.)]|\(?[a-z][.)]|\([ivx]{1,4}\)|[ivx]{1,4}\.)\s*(?:generally|specifically|in general|in particular)\s*[.:]\s*$", re.I)


def _item_clause(key: object) -> bool:
    """A clause the segmenter numbered as a list item ("(2)", "b.", "¶4"), not a section."""
    number = getattr(key, "number", None)
    if number is None:
        return True
    last = re.split(r"(?=\()|\.", number)[-1] or number
    return bool(re.fullmatch(r"\(?[0-9]{1,2}\)?|\(?[a-zA-Z]{1,2}\)?|\(?[ivx]{1,4}\)?|¶\d+(?:-\d+)?", last))


def _number_style(key: object) -> str:
    """The style of the last part of a clause's number: "223(b)" -> "(a)"."""
    number = getattr(key, "number", "") or ""
    if not number or number.startswith(("¶", "§")):
        return ""
    parts = re.findall(r"\([^)]+\)|[^.()]+", number)
    last = parts[-1] if parts else number
    return _style(last + " x") if last.startswith("(") else _style(last + ". x")


def _same_level(a: object, b: object) -> bool:
    na, nb = getattr(a, "number", ""), getattr(b, "number", "")
    if not na or not nb or na.startswith("¶"):
        return False
    last = lambda n: re.split(r"(?=\()|\.", n)[-1] or n  # noqa: E731
    if last(na).isdigit() and last(nb).isdigit():
        return True  # "39" and "40": two sections, whatever the segmenter kept of their dots
    return _style(last(na) + " x") == _style(last(nb) + " x") != ""


def _style(sentence: str) -> str:
    """The kind of number a sentence opens with: "(b)" -> "(a)", "2." -> "1.", "" if none."""
    m = re.match(r"^\s*(\()?([0-9]{1,2}|[ivxIVX]{1,4}|[a-z]|[A-Z])([.)])\s", sentence)
    if not m:
        return ""
    body = m.group(2)
    # "(i)" and "(I)" are roman numerals far more often than the ninth letter
    roman = body.lower() in ("i", "ii", "iii", "iv", "vi", "vii", "viii", "ix", "xi", "xii")
    kind = "1" if body.isdigit() else "i" if roman else "a" if body.islower() else "A"
    return f"{m.group(1) or ''}{kind}{m.group(3)}"


def item_text(item: str) -> str:
    """A list item's words as its lead-in reads them: no label, no closing "; and"."""
    text = _ITEM.sub("", item).strip().rstrip(";,.").strip()
    return re.sub(r"[;,]?\s*\b(?:and|or)$", "", text).strip()


def operative_heading(heading: str, lexicon: Lexicon) -> bool:
    """A clause headed "Definitions", "Purpose", "Findings" … directs no one."""
    form = reading_form(heading)
    if not form:
        return True
    words = form.split()
    if len(words) > 8:
        return True
    for rx in lexicon.inoperative_headings:
        m = rx.search(form)
        # The heading *is* one of these ("Purpose and scope", "Definitions"), not merely
        # contains the word ("Limits on the use of resources for immigration purposes").
        if m and m.start() <= 3 and len(words) <= 4:
            return False
    return True


def operative_sentence(form: str, lexicon: Lexicon) -> bool:
    """Definitions, WHEREAS and findings, and the text describing itself direct no one."""
    form = re.sub(r"^(?:(?:\d{1,3}|[a-z]|[ivx]{1,4}) ){1,3}", "", form)  # item numbers: "a 1 the legislature finds"
    form = re.sub(r"^(?:and|or) (?=whereas\b)", "", form)  # "…; and WHEREAS, …": the next recital
    if re.match(r"^(?:\S+ ){0,8}whereas ,", form):
        return False  # "BOSTON TRUST ACT WHEREAS, …": a caption run into the first recital
    head = " ".join(form.split()[:14])
    if any(f" {f} " in f" {' '.join(form.split()[:10])} " for f in lexicon.findings):
        return False
    if any(f" {t} " in f" {' '.join(form.split()[:40])} " for t in lexicon.titles):
        return False  # a bill's or ordinance's caption: "AN ACT to amend … in relation to …"
    for opening in lexicon.inoperative_openings:
        if form.startswith(opening + " ") or form == opening:
            return False
    for rx in lexicon.definition_words:
        m = rx.search(head)
        if m and not _has_modal(form[: m.start()], lexicon):
            return False
    for rx in lexicon.about_itself:
        m = rx.search(form)
        if m and m.start() <= 40:
            return False
    return True


def _has_modal(text: str, lexicon: Lexicon) -> bool:
    return any(rx.search(text) for rx in lexicon.modals)


# Words that open a condition or an exception: a modal after one of them governs the
# condition ("if the person is not under arrest"), not the action the sentence is about.
_CONDITION = re.compile(r"(?:^| )(?:;|:|however|provided|except|unless|if|when|where|whenever|while|who|which|that)(?= |$)")
# A condition inside the subject ("If the person is not under arrest, officers may …";
# "No officer, if asked, shall …") is not the subject's negation.
_CONDITION_SPAN = re.compile(r"(?:^| )(?:if|when|where|whenever|while|unless|except|provided|in the event)\b[^,;]*(?:,|$)")
_NEGATIVE_DETERMINERS = frozenset({"no", "neither", "none", "nor", "nothing"})
_CONJUNCTION = re.compile(r"(?:^| )(?:and|but|;)(?= |$)")


@dataclass(frozen=True)
class _Stance:
    provision: bool  # a modal or a negation governs the action
    forbidden: bool
    hollowed: str  # an adverb that hollows a prohibition ("shall not routinely …")
    verb_at: int = -1  # where the governing modal's own verb starts (before the action: it may be a different verb)
    verb: str = ""


_NONE = _Stance(False, False, "")


_JOINED = re.compile(r"^(?:\s|,|\bor\b|\band\b|\bin any way\b|\botherwise\b|\bmaterially\b)*$")


def _negating_verbs(text: str, lexicon: Lexicon) -> int:
    """Negating verbs, a list of them joined by "or" counting once ("prohibit, or in any
    way restrict" is one negation) and a verb under another counting again ("prohibits
    town officials from imposing limits on sending": two)."""
    found = sorted(
        (m for rx in lexicon.negation_verbs for m in rx.finditer(text) if " not " not in f" {m.group(0)} "),
        key=lambda m: m.start(),
    )
    count = 0
    last_end = None
    for m in found:
        if last_end is not None and m.start() < last_end:
            continue  # the same words matched twice
        if last_end is None or not _JOINED.match(text[last_end:m.start()]):
            count += 1
        last_end = m.end()
    return count


def opens_with_restriction(text: str, lexicon: Lexicon) -> bool:
    """The words open with a negating verb: "Limits or prohibits any official from
    communicating …" (an item of a definition of what a law forbids)."""
    head = " ".join(reading_form(text).split()[:3])
    return any(rx.match(head) for rx in lexicon.negation_verbs)


def _count_negations(text: str, lexicon: Lexicon) -> int:
    """Negating words, with "neither … nor" counted once and phrases that only look
    negative ("including but not limited to", "no later than") not at all."""
    padded = f" {text} "
    for phrase in lexicon.not_negations:
        padded = padded.replace(f" {phrase} ", " ")
    words = padded.split()
    count = 0
    for k, w in enumerate(words):
        if w in lexicon.negation_words:
            if w == "nor" and ("neither" in words[:k] or count):
                continue  # "shall not X, nor Y": the same negation goes on
            if w == "neither" and count:
                continue  # "shall not be used to neither detain nor delay": one negation, said twice
            count += 1
        elif w in lexicon.negation_gerund and (k + 1 == len(words) or words[k + 1].endswith("ing")):
            count += 1
    return count


_MODAL_CACHE: dict[tuple[int, str], list[re.Match[str]]] = {}


def _modals(form: str, lexicon: Lexicon) -> list[re.Match[str]]:
    """Every modal and negating verb of a sentence, in order (asked once per sentence and
    action: cached, since a sentence holds many actions)."""
    key = (id(lexicon), form)
    found = _MODAL_CACHE.get(key)
    if found is None:
        found = [m for rx in lexicon.modals for m in rx.finditer(form)]
        if lexicon.not_permissions:
            # "detainers request agencies to hold them so as to allow ICE to take them": the
            # "allow" of a purpose says why; the "may" of "there may be" says what exists.
            spans = _phrase_spans(form, lexicon.not_permissions)
            found = [m for m in found if not any(a <= m.start() and m.end() <= b for a, b in spans)]
        found += [m for rx in lexicon.negation_verbs for m in rx.finditer(form)]
        found.sort(key=lambda m: (m.start(), -m.end()))
        if len(_MODAL_CACHE) > 4096:
            _MODAL_CACHE.clear()
        _MODAL_CACHE[key] = found
    return found


_NEGATING_SPANS: dict[tuple[int, str], frozenset[tuple[int, int]]] = {}


def _is_negating_verb(m: re.Match[str], lexicon: Lexicon) -> bool:
    key = (id(lexicon), m.string)
    spans = _NEGATING_SPANS.get(key)
    if spans is None:
        spans = frozenset((x.start(), x.end()) for rx in lexicon.negation_verbs for x in rx.finditer(m.string))
        if len(_NEGATING_SPANS) > 4096:
            _NEGATING_SPANS.clear()
        _NEGATING_SPANS[key] = spans
    return (m.start(), m.end()) in spans


# "… will be followed:", "… shall be observed:": the clause announces text to be followed and
# is complete ("shall not be used: (1) To determine …" is not: its items finish it).
_COMPLETE_PASSIVE = re.compile(r"\s*be\s+(?:followed|observed|implemented|adopted|in effect)\s*")


def _closed_before_colon(form: str, modal: re.Match[str], start: int) -> bool:
    """A modal whose clause ends complete at a colon ("the following Interim Directive will
    be followed: “… all inmates currently being held solely on an immigration detainer will
    be released …”") governs nothing after the colon; "shall not: …" stays open and does."""
    colon = form.find(" : ", modal.end(), start)
    return colon != -1 and _COMPLETE_PASSIVE.fullmatch(form[modal.end():colon]) is not None


def stance(form: str, start: int, lexicon: Lexicon, end: int | None = None) -> _Stance:
    """How the sentence governs an action found at `start`..`end`.

    The governing modal is the nearest one before the action, outside any condition that
    precedes it; failing that, the first inside the action's own words ("No funds … shall
    be used", where the pattern starts at the subject); failing that, the first after it
    ("When ICE asks for help, the Department will assist").
    """
    end = start if end is None else end
    marks = _modals(form, lexicon)
    before = [m for m in marks if m.end() <= start and not _closed_before_colon(form, m, start)]
    # A modal inside the action's words governs it when a passive verb follows ("No funds …
    # shall be used"); so does a negating verb ("Agents are not permitted to enter …").
    # So does a modal whose answering verb follows it within the action's words ("When
    # requested by immigration officials, members will lend their cooperation": the
    # pattern starts at the condition that names who is helped).
    inside = [
        m for m in marks
        if start <= m.start() < end and (
            set(form[m.end():end].split()) & lexicon.passive
            or (_is_negating_verb(m, lexicon) and m.start() > start)  # not the action's own verb ("measures designed to restrict …")
            or (form[start:m.start()].lstrip().startswith(("requested ", "asked ")) and any(rx.search(" ".join(form[m.end():end].split()[:8])) for rx in lexicon.answering))
        )
    ]
    if before and inside and _CONDITION.search(form[before[-1].end():start]):
        # "… shall state in writing that personnel … will not be used": the clause after
        # "that" has its own subject and modal.
        return _governed(form, inside[0], None, lexicon)
    if before:
        # The nearest true modal governs, and the negating verbs between it and the action
        # are its negations ("may not prohibit or limit any officer from inquiring": two);
        # a negating verb alone governs only where there is no modal ("Officers are
        # prohibited from asking").
        true_modals = [m for m in before if not _is_negating_verb(m, lexicon)]
        anchor = true_modals[-1] if true_modals else before[-1]
        if true_modals and _CONJUNCTION.search(form[anchor.end():start]) and not _is_negating_verb(before[-1], lexicon):
            anchor = before[-1]
        return _governed(form, anchor, start, lexicon)
    if inside:
        return _governed(form, inside[0], None, lexicon)
    after = [m for m in marks if m.start() >= end and ";" not in form[end:m.start()]]
    if after and form[:start].rstrip().rpartition(" ")[2] in lexicon.perfect:
        # "has notified ICE that the office will no longer hold …": done, and reported
        return _NONE
    if after:
        answer = " ".join(form[after[0].end():].split()[:8])
        if any(rx.search(answer) for rx in lexicon.answering):
            return _governed(form, after[0], None, lexicon)
    tail = form[end:].split(" ; ")[0][:200]
    if any(rx.search(tail) for rx in lexicon.negation_after):
        return _Stance(True, True, "")
    return _NONE


#: A "not" (or "never") just before a negating verb: "is not prohibited", "are not to be barred".
_NOT_BEFORE = re.compile(r"(?:^| )(?:not|never)(?: to)?(?: be| been)? $")


def _governed(form: str, modal: re.Match[str], action: int | None, lexicon: Lexicon) -> _Stance:
    """Negations around one modal: its own ("shall not", "may refrain from", between it
    and the action), its subject's ("No officer … shall"), and one after the action
    ("… is prohibited"). An odd count forbids."""
    region_end = action if action is not None else min(len(form), modal.end() + 40)
    governed = form[modal.start():region_end]
    # Stop at a following modal: "may not be arrested … and will only be detained"
    nxt = [m for m in _modals(form, lexicon) if modal.end() <= m.start() < region_end and form[modal.end():m.start()].strip() and _CONJUNCTION.search(form[modal.end():m.start()])]
    if nxt and action is None:
        governed = form[modal.start():nxt[0].start()]
    negations = _count_negations(governed, lexicon)
    # A modal governed by another ("shall not be construed to permit any officer to
    # assist", "may not authorize"): the outer one's negation carries over.
    outer = [m for m in _modals(form, lexicon) if m.end() <= modal.start() and not _is_negating_verb(m, lexicon)]
    outer_text = form[outer[-1].start():modal.start()] if outer else ""
    # "will not honor detainers nor will the office assist": "nor" starts a clause of its own.
    carried = bool(outer) and not re.search(r"(?:^| )(?:,|;|and|but|or|nor)(?= |$)", form[outer[-1].end():modal.start()])
    hollowed = next((w for w in governed.split() if w in lexicon.hollowing), "")
    negations += _negating_verbs(governed, lexicon)
    if _is_negating_verb(modal, lexicon) and _NOT_BEFORE.search(form, 0, modal.start()):
        # "Officers are not prohibited from sending …": a prohibition denied permits
        negations += 1
    # The subject runs back from the modal to the last conjunction or condition
    # ("… and will only be detained" has no subject of its own to negate).
    # The subject: what runs back from the modal to the last comma, or to a conjunction
    # that follows another modal ("… may not be arrested … and will only be detained").
    # A negative determiner that opens the subject counts however long the subject is
    # ("No department, agency, board …, including …, shall use …").
    whole = _CONDITION_SPAN.sub(" ", form[: modal.start()]).strip()
    for m in reversed(list(_CONJUNCTION.finditer(whole))):
        if _has_modal(whole[: m.start()], lexicon):
            whole = whole[m.end():].strip()
            break
    nearest = whole.rsplit(" , ", 1)[-1] if " , " in f" {whole} " else whole
    # Only a negative determiner makes the subject negative ("No officer …"); a "not" in
    # a relative clause ("an agency that has not met the requirements …") does not.
    # An opening phrase may come first: "In accordance with article nine, no county,
    # city or agency … shall adopt …".
    subject_negated = bool(
        (set(nearest.split()) & _NEGATIVE_DETERMINERS) or re.match(r"^(?:\(?\w{1,3}[.)] |(?:\d{1,3}|[a-z]|[ivx]{1,4}) (?=no |neither |none )|, )*(?:no|neither|none) (?!,)", whole) or (
            any(whole.startswith(p + " ") for p in lexicon.openings) and re.search(r" , (?:no|neither|none) (?!,)", whole)
        )
    )
    negations += subject_negated
    if carried:
        # the outer modal's own negations, not the subject's counted above ("I do hereby
        # order: no person … shall be detained" has one negation, not two)
        o, n = outer_text.strip(), nearest.strip()
        overlap = o if n.endswith(o) else n if o.endswith(n) else ""
        negations += _count_negations(o, lexicon) - (1 if subject_negated and set(overlap.split()) & _NEGATIVE_DETERMINERS else 0)
    verb_at, verb = -1, ""
    pos = modal.end()
    for w in form[modal.end():].split():
        if w in ("not", "also", "promptly", "be", "immediately", "always", "then", "to", "have", "been"):
            pos = form.index(w, pos) + len(w)
            continue
        verb_at, verb = form.index(w, pos), w
        break
    return _Stance(True, negations % 2 == 1, hollowed, verb_at, verb)


_EXCEPTION_CACHE: dict[tuple[int, str], list[str]] = {}


def exceptions(form: str, lexicon: Lexicon) -> list[str]:
    """The exception clauses of a sentence, each from its marker to the next boundary."""
    key = (id(lexicon), form)
    if key not in _EXCEPTION_CACHE:
        if len(_EXCEPTION_CACHE) > 4096:
            _EXCEPTION_CACHE.clear()
        _EXCEPTION_CACHE[key] = _exceptions(form, lexicon)
    return list(_EXCEPTION_CACHE[key])


#: An exception that names its cases in a list after a colon.
_ANNOUNCES_LIST = re.compile(r"\b(?:following|as follows)\b")
_SEMICOLON = re.compile(r" ; ")


def _exceptions(form: str, lexicon: Lexicon) -> list[str]:
    out = []
    padded = f" {form} "
    for marker in lexicon.exception_markers:
        for m in re.finditer(rf"(?<= ){re.escape(marker)}(?= )", padded):
            rest = padded[m.end():]
            if rest.startswith(" : "):
                rest = rest[2:]  # "…, unless: (1) the person is booked": the exception is the item
            stop = re.search(r" ; | : ", rest)
            if stop and stop.group(0) == " : " and _ANNOUNCES_LIST.search(rest[: stop.start()]):
                # "unless one of the following exceptions applies: (1) the person has been
                # convicted …": the exceptions are what the colon announces
                stop = _SEMICOLON.search(rest, stop.end())
            if not padded[: m.start()].strip():
                # "Unless one of the two conditions is met, the Office will not honor …":
                # an exception that opens the sentence ends where its main clause begins
                stop = re.search(r" , | ; | : ", rest)
            out.append((m.start(), marker + " " + (rest[: stop.start()] if stop else rest).strip()))
    out.sort()
    # markers nested in one another ("only if" and "if") give overlapping spans: keep the first
    kept: list[str] = []
    last_end = -1
    for pos, text in out:
        if pos > last_end:
            kept.append(text)
            last_end = pos + len(text)
    return kept


def classify_exception(text: str, lexicon: Lexicon) -> str:
    """"lawful" when it only keeps what the law requires, "swallows" when it names the
    convictions, gangs and public-safety reasons the guide calls red flags, else "other"."""
    if any(rx.search(text) for rx in lexicon.swallowing):
        # "required by law" next to "felony" still swallows: the felony is the exception.
        return "swallows"
    if any(rx.search(text) for rx in lexicon.lawful):
        return "lawful"
    if any(rx.search(text) for rx in lexicon.on_request):
        # "… unless it is in response to a notification request from immigration
        # authorities": the rule yields whenever ICE asks, which is when it matters
        return "swallows"
    return "other"


_SENTENCE_CACHE: dict[tuple[int, str], tuple[bool, bool]] = {}


def _operative_or_saving(form: str, lexicon: Lexicon) -> tuple[bool, bool]:
    """(operative, a savings clause) for a sentence as read: the same for all seven
    questions, so found once per sentence, not once per question."""
    key = (id(lexicon), form)
    found = _SENTENCE_CACHE.get(key)
    if found is None:
        operative = operative_sentence(form, lexicon)
        found = (operative, operative and any(rx.search(form) for rx in lexicon.savings))
        if len(_SENTENCE_CACHE) > 4096:
            _SENTENCE_CACHE.clear()
        _SENTENCE_CACHE[key] = found
    return found


_READINGS: dict[tuple[int, str, str, str], Reading | None] = {}


def read_sentence(quoted: str, read: str, lexicon: Lexicon, question: str) -> Reading | None:
    """What `read` (the sentence with its list lead-in) says on `question`, if anything.

    Remembered: a survey meets the same template sentences in policy after policy, and a
    reading depends on nothing but the sentence, the lexicon and the question."""
    key = (id(lexicon), quoted, read, question)
    try:
        return _READINGS[key]
    except KeyError:
        pass
    found = _read_sentence(quoted, read, lexicon, question)
    if len(_READINGS) > 65536:
        _READINGS.clear()
    _READINGS[key] = found
    return found


def _before_savings(form: str, lexicon: Lexicon) -> str:
    """The sentence up to the semicolon before its savings clause ("" when the savings
    clause opens it: then the sentence is the savings clause)."""
    at = min((m.start() for rx in lexicon.savings if (m := rx.search(form))), default=0)
    cut = form.rfind(" ; ", 0, at)
    return form[:cut].strip() if cut > 0 else ""


def _disregarded(m: re.Match[str], lexicon: Lexicon) -> bool:
    """An action whose object comes just after an equal-treatment phrase ("investigate
    criminal activity without regard for an individual's legal status") is done whatever
    that object is: it is no action on it."""
    words = m.group(0).split()
    padded = " " + " ".join(words[-9:-1]) + " "
    return any(f" {p} " in padded for p in lexicon.equal_treatment)


#: "provide students and families with appropriate notice …": who receives comes first.
_PROVIDE_WITH = re.compile(r"^(?:provid|giv|furnish|suppl)\w* ((?:\S+ ){1,4}?)with ")
_GIVEN_BY = re.compile(r"^(?:provided|given|furnished|supplied|sent|shared|disclosed) by ((?:\S+ ){0,3}\S+)")
_FEDERAL_WORD = re.compile(r"\b(?:ice|dhs|cbp|federal|immigration|homeland)\b")


def _given_to_others(m: re.Match[str]) -> bool:
    """Information provided *to* someone named right after the verb, who is not ICE
    ("Provide students and families with … a description of the immigration officer's
    request"), or *by* ICE ("documents provided by the immigration enforcement officer"):
    the immigration words say what it is about or where it came from, not who receives it."""
    given_by = _GIVEN_BY.match(m.group(0))
    if given_by is not None and _FEDERAL_WORD.search(f"{given_by.group(1)} ".split(" to ")[0]):
        return True  # "any documents provided by the immigration enforcement officer": from them
    found = _PROVIDE_WITH.match(m.group(0))
    return found is not None and _FEDERAL_WORD.search(found.group(1)) is None


def _read_sentence(quoted: str, read: str, lexicon: Lexicon, question: str) -> Reading | None:
    form = reading_form(read)
    if not form or quoted.rstrip().endswith("?") or not _operative_or_saving(form, lexicon)[0]:
        return None
    rules = {kind: tuple(rx for rx in found if could_match(rx, form)) for kind, found in lexicon.rules[question].items()}
    for rx in rules.get("always", ()):
        if rx.search(form):
            return Reading(question, "red", quoted, "red flag language")
    if _operative_or_saving(form, lexicon)[1]:
        # "Decline to respond … unless …; EXCEPT that nothing in this resolution shall
        # restrict …": the savings clause after the semicolon leaves the rule before it.
        form = _before_savings(form, lexicon)
        operative, saving = _operative_or_saving(form, lexicon) if form else (False, False)
        if not operative or saving:
            return None
        rules = {kind: tuple(rx for rx in found if could_match(rx, form)) for kind, found in rules.items()}
    for rx in rules.get("red", ()):
        m = rx.search(form)
        if m:
            st = stance(form, m.start(), lexicon, m.end())
            if not st.forbidden:
                return Reading(question, "red", quoted, "red flag language")
    best: Reading | None = None
    for rx in rules.get("good", ()):
        for m in _overlapping(rx, form):
            r = _judge_action(form, m, "good", quoted, question, lexicon)
            if r is not None and r.color == "green":
                # "shall terminate any existing agreement": the duty is the provision
                return r
    for kind in ("bad", "good"):
        for rx in rules.get(kind, ()):
            for m in _overlapping(rx, form):
                if _disregarded(m, lexicon) or _given_to_others(m):
                    continue
                r = _judge_action(form, m, kind, quoted, question, lexicon)
                if r is None:
                    continue
                if r.color == "red":
                    return r
                if best is None or (best.color == "unclear" and r.color == "green"):
                    best = r
    if best is None and lexicon.topics and question in lexicon.topics:
        m = lexicon.topics[question].search(form)
        before = " " + " ".join(form[: m.start()].split()[-26:]) + " " if m is not None else ""
        if m is not None and any(f" {p} " in before for p in lexicon.equal_treatment):
            m = None  # "regardless of … immigration status": equal treatment, not a rule on it
        if m is not None and stance(form, m.start(), lexicon, m.end()).provision:
            return Reading(question, "unclear", quoted, TOPIC_ONLY)
    if best is None and "named" in rules:
        for rx in rules["named"]:
            if rx.search(form) and any(rx2.search(form) for rx2 in lexicon.modals):
                return Reading(question, "unclear", quoted, "names it but does not say what officers do")
    return best


def _overlapping(rx: re.Pattern[str], form: str):
    """Every match, one per start: "may not be arrested … and will only be detained for
    immigration law violations" holds two actions, and the first match must not hide the
    second."""
    pos = 0
    while (m := rx.search(form, pos)) is not None:
        yield m
        pos = m.start() + 1


_OBJECT_NEGATIONS = frozenset({"no", "nothing", "none"})


def _object_negated(action: str, lexicon: Lexicon) -> bool:
    """The action's object is negated: "share no information", "give ICE no access",
    "share nothing" (within the three words after its verb; "no later than" is no negation)."""
    words = action.split(None, 4)  # the verb, three words, the rest
    for k, w in enumerate(words[1:4], start=1):
        if w in _OBJECT_NEGATIONS:
            rest = " ".join(words[k:])
            return not any(rest.startswith(p) for p in lexicon.not_negations)
    return False


def _judge_action(form: str, m: re.Match[str], kind: str, quoted: str, question: str, lexicon: Lexicon) -> Reading | None:
    if any(f" {form[: m.start()].rstrip()}".endswith(f" {p}") for p in lexicon.not_the_action_after):
        return None  # "inform the person in advance of responding to ICE": a when, not a what
    if any(f"{form[m.start():]} ".startswith(f"{p} ") for p in lexicon.not_actions):
        return None  # "hold inmates past their release date unless an ICE request …": a noun
    if _in_reference(form, m.start(), lexicon):
        return None  # "a memorandum …, as provided in 8 U.S.C. 1357(g)": nothing is provided to anyone
    st = stance(form, m.start(), lexicon, m.end())
    if not st.provision:
        return None
    if _object_negated(form[m.start():], lexicon):
        # "shall share no information with ICE", "shall give ICE no access"
        st = replace(st, forbidden=not st.forbidden)
    if st.verb in lexicon.recording and 0 <= st.verb_at < m.start():
        return None  # "shall document every request for assistance": a record, not the act
    if st.forbidden and st.verb in ("require", "requires", "required") and 0 <= st.verb_at < m.start():
        return None  # "does not require agencies to determine immigration status": no duty, and no ban
    if 0 <= st.verb_at < m.start() and any(f" {p} " in f" {form[st.verb_at:m.start()]} " for p in lexicon.reporting):
        return None  # "shall transmit a report … the number of individuals released to ICE"
    excs = exceptions(form, lexicon)
    kinds = [classify_exception(e, lexicon) for e in excs]
    if kind == "good":
        between = f" {form[max(st.verb_at, 0):m.start()]} "
        if st.forbidden and any(f" {marker} " in between for marker in lexicon.exception_markers):
            # "No officer may take part …, except to assist with officer safety": the
            # exception allows what the guide asks for
            return Reading(question, "green", quoted, "allowed as the exception")
        if st.forbidden:
            return Reading(question, "red", quoted, "forbids what the guide asks for")
        return Reading(question, "green", quoted, "required")
    # kind == "bad": forbidding it is green, allowing it is red
    if st.forbidden:
        if st.hollowed:
            return Reading(question, "red", quoted, f"the prohibition is hollowed: '{st.hollowed}'")
        for e, k in zip(excs, kinds):
            if k == "swallows":
                return Reading(question, "red", quoted, f"an exception swallows the rule: '{e}'")
        if any(e.rstrip().endswith((" below", " following")) for e in excs):
            return Reading(question, "red", quoted, "a list of exceptions")
        if question in lexicon.unqualified_on and any(k == "other" and any(rx.search(e) for rx in lexicon.unqualified) for e, k in zip(excs, kinds)):
            # "will not honor an ICE detainer unless it is accompanied by a warrant": a judge's
            # warrant keeps the rule, ICE's own administrative warrant is the red flag; the
            # text does not say which
            return Reading(question, "unclear", quoted, "an exception for a warrant that may be ICE's own")
        return Reading(question, "green", quoted, "forbidden")
    if 0 <= st.verb_at <= m.start() and _subject_is(form, st.verb_at, lexicon, lexicon.outside_doers):
        # "Your attorney will help identify what type of warrant the ICE agents have": a
        # lawyer's part, not a permission the department gives its officers
        return None
    if question in lexicon.federal_acts and 0 <= st.verb_at <= m.start() and _subject_is(form, st.verb_at, lexicon, lexicon.federal_doers):
        # "Immigration officials will screen arrestees and may place immigration holds on
        # them": what ICE does is not what the department allows its officers to do
        return None
    # allowed or required: red unless its only condition is what the law requires. A
    # permission is only called red on words that belong together: an action and an
    # object twenty words apart are more often two provisions than one.
    if len(m.group(0).split()) > 18:
        return None
    if any(rx.search(form[: m.start()]) for rx in lexicon.warrant_first) and not any(rx.search(form) for rx in lexicon.swallowing):
        # "shall require a judicial warrant prior to detaining …": only on a judge's order
        return Reading(question, "green", quoted, "only on a judicial warrant")
    if any(rx.search(form, m.start()) for rx in lexicon.rule_checks):
        return None  # "… to communicate with ICE in order to determine whether any matter involves enforcement …"
    lawful_here = any(rx.search(form) for rx in lexicon.lawful) and not any(rx.search(form) for rx in lexicon.swallowing)
    if lawful_here and not (excs and any(e.startswith(_LIMITING) for e in excs)):
        # "shall not prohibit … sending … as required by 8 U.S.C. § 1373": the law's floor
        return None
    if excs and all(k == "lawful" for k in kinds) and any(e.startswith(_LIMITING) for e in excs):
        # ("authorized to assist ICE when it is related to scene safety": only then)
        return Reading(question, "green", quoted, "only as the law requires")
    return Reading(question, "red", quoted, "allowed")


#: Exceptions that limit a permission to their case ("authorized to assist ICE only when …",
#: "… as long as the focus of the task force is not immigration enforcement").
_LIMITING = ("only", "unless", "except", "when", "as long as", "so long as")


_DETERMINERS = re.compile(r"^(?:(?:the|a|an|any|all|such|federal|us|united states|u s) )+")


def _subject_is(form: str, verb_at: int, lexicon: Lexicon, doers: tuple[re.Pattern[str], ...]) -> bool:
    """The subject of the modal governing the verb at `verb_at` is one of `doers` (ICE or
    another federal immigration agency, whose own acts are not what officers may do; an
    attorney, whom the policy does not direct)."""
    marks = [mm for mm in _modals(form, lexicon) if mm.end() <= verb_at and not _is_negating_verb(mm, lexicon)]
    if not marks:
        return False
    modal = marks[-1]
    cut = max(form.rfind(" ; ", 0, modal.start()), form.rfind(" : ", 0, modal.start()))
    start = 0 if cut < 0 else cut + 3
    head = form[start:modal.start()].strip()
    if re.search(r"(?:^| )and$", head):
        # "ICE will screen arrestees and may place holds": the second verb shares the subject
        first = next((mm for mm in marks if mm.start() >= start), modal)
        head = form[start:first.start()].strip()
    head = head.rsplit(" , ", 1)[-1].strip()
    head = _DETERMINERS.sub("", head)
    return any(rx.match(head) and rx.match(head).end() == len(head) for rx in doers)


def _in_reference(form: str, at: int, lexicon: Lexicon) -> bool:
    """The action word at `at` is part of a cross-reference ("as provided in section 7",
    "except as provided by law"): the words point at another provision, they do not
    direct anyone to provide anything."""
    return any(a < at < b for a, b in _phrase_spans(form, lexicon.references))


def _phrase_spans(form: str, phrases: tuple[str, ...]) -> list[tuple[int, int]]:
    """Where each of `phrases` (whole words, in reading form) stands in `form`."""
    padded = f" {form} "
    return [(m.start() - 1, m.end() - 1) for phrase in phrases
            for m in re.finditer(rf"(?<= ){re.escape(phrase)}(?= )", padded)]


def is_agreement_document(forms: list[str], lexicon: Lexicon) -> str | None:
    """The sentence that shows the text is itself a 287(g) agreement, if it is one."""
    for form in forms:
        for rx in lexicon.agreement_document:
            m = rx.search(form)
            if m and not stance(form, m.start(), lexicon, m.end()).forbidden:
                return form
    return None


def disapplies(read: str, lexicon: Lexicon) -> str | None:
    """The swallowing condition when the sentence switches the policy's rules off."""
    form = reading_form(read)
    for rx in lexicon.disapplication:
        m = rx.search(form)
        if m and classify_exception(form[m.end():], lexicon) == "swallows":
            return form[m.start():]
    return None
