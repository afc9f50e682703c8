"""The bundled model policies, templates and rubric: Markdown data parsed into plain structures.

The wording of the model policy and of the red/green flags is data that advocates and
counsel should be able to read and edit without touching code (markdown-it-py's own
approach: the content lives in plain files, behaviour lives here).
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import InputError
from .segment import clause_sentences

QUESTION_IDS = (
    "status_checks",
    "info_sharing",
    "lunn",
    "detainers",
    "raids",
    "resources",
    "agreements_287g",
)


def models_dir() -> Path:
    """Where the data lives: inside the installed package, or `models/` in a checkout.

    `POLICY_REDLINE_MODELS` points elsewhere (a coalition's own model policy, say).
    """
    override = os.environ.get("POLICY_REDLINE_MODELS")
    if override:
        return Path(override)
    packaged = Path(__file__).resolve().parent / "models"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "models"


# --- a small reader over markdown-it tokens ----------------------------------------------


@dataclass
class _Node:
    kind: str  # "h1".."h6", "p", "li", "table"
    text: str
    depth: int = 0  # list nesting for "li"
    rows: list[list[str]] = field(default_factory=list)


def _nodes(markdown: str) -> list[_Node]:
    """Flatten a Markdown file into headings, paragraphs, list items and tables."""
    from markdown_it import MarkdownIt  # lazy: a command that reads no model never loads it

    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    nodes: list[_Node] = []
    list_depth = 0
    in_item: list[_Node | None] = []
    table: _Node | None = None
    row: list[str] | None = None
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t.type in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
        elif t.type in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
        elif t.type == "list_item_open":
            marker = ""
            if t.info and t.markup in (".", ")"):
                marker = f"{t.info}{t.markup} "
            node = _Node("li", marker, depth=list_depth)
            nodes.append(node)
            in_item.append(node)
        elif t.type == "list_item_close":
            in_item.pop()
        elif t.type == "heading_open":
            nodes.append(_Node(t.tag, _inline_text(tokens[i + 1])))
            i += 2
        elif t.type == "table_open":
            table = _Node("table", "")
        elif t.type == "table_close":
            if table is not None:
                nodes.append(table)
            table = None
        elif t.type == "tr_open":
            row = []
        elif t.type == "tr_close" and table is not None and row is not None:
            table.rows.append(row)
            row = None
        elif t.type == "inline" and row is not None:
            row.append(_inline_text(t))
        elif t.type == "paragraph_open":
            text = _inline_text(tokens[i + 1])
            item = in_item[-1] if in_item else None
            if item is not None:
                # The marker ("1. ") ends in a space; later paragraphs join with one.
                item.text = item.text + text if not item.text or item.text.endswith(" ") else f"{item.text} {text}"
            else:
                nodes.append(_Node("p", text))
            i += 2
        i += 1
    return nodes


def _inline_text(token) -> str:
    """Plain text of an inline token: emphasis and links dropped, line breaks as spaces."""
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts).strip()


def _metadata(nodes: list[_Node]) -> dict[str, str]:
    for node in nodes:
        if node.kind == "table":
            return {r[0].strip().lower(): r[1].strip() for r in node.rows[1:] if len(r) >= 2}
        if node.kind in ("h2", "h3"):
            break
    return {}


# --- models ---------------------------------------------------------------------------------

_HEADING_NUMBER = re.compile(r"^((?:\d{1,4}(?:\.\d{1,3})*\.?)|(?:[IVX]+\.)|(?:[A-Z]\.))\s+(.*)$")
_ANSWERS = re.compile(r"^answers\s*:\s*(.*)$", re.I)
_SOURCE = re.compile(r"^source\s*:\s*(.*)$", re.I)
_MAPS_TO = re.compile(r"^maps\s+to\s*:\s*(.*)$", re.I)
_TOPIC = re.compile(r"^topic\s*:\s*(.*)$", re.I)
_NEEDS = re.compile(r"^needs\s*:\s*(.*)$", re.I)
_TAG = re.compile(r"([a-z0-9_]+)\s*\(\s*(red|green)\b[^)]*\)")


@dataclass(frozen=True)
class ModelClause:
    """A clause of a model policy or template, with the questions its language answers."""

    model: str
    number: str
    heading: str
    text: str
    answers: tuple[tuple[str, str], ...] = ()
    source: str = ""
    maps_to: str = ""  # the clause's key across the editions of a template family ("victims-witnesses")
    topics: tuple[str, ...] = ()  # heading words that mark a department's section as this clause's topic
    needs: tuple[str, ...] = ()  # numbers of the clauses of the same model this one refers to

    def on_topic(self, heading: str) -> bool:
        """True when a department's section heading names this clause's topic."""
        return bool(heading) and any(re.search(r"(?<![\w(])" + re.escape(t), heading, re.I) for t in self.topics)

    @property
    def key(self) -> str:
        """What the clause is across editions: its `Maps to` key, else its number or heading."""
        return self.maps_to or self.number or self.heading

    @property
    def ref(self) -> str:
        """The stable id scripts see: `lexipol-immigration-violations:413.4`."""
        return f"{self.model}:{self.number or self.heading}"

    @property
    def label(self) -> str:
        return " ".join(p for p in (self.number, self.heading) if p)

    @functools.cached_property
    def sentences(self) -> tuple[str, ...]:
        return clause_sentences(self.text)

    def flag_for(self, question: str) -> str | None:
        for q, color in self.answers:
            if q == question:
                return color
        return None


@dataclass(frozen=True)
class Model:
    """A policy the tool measures against: a `template` (Lexipol), an `example` of a real
    strong policy (Bedford), or our recommended `model` policy."""

    id: str
    kind: str
    title: str
    source: str
    date: str
    clauses: tuple[ModelClause, ...]
    path: str = ""
    family: str = ""  # a template family ("lexipol-immigration-violations"); its editions share it
    edition: str = ""  # "California edition (2018)"
    state: str = ""
    year: str = ""
    #: What the model was read from (a digest of its file's bytes and the parser), for the
    #: cache of prepared models; "" for a model made in memory (another policy).
    digest: str = field(default="", compare=False, repr=False)

    @property
    def family_name(self) -> str:
        """The family as a reader names it: "Lexipol 'Immigration Violations'"."""
        return FAMILY_NAMES.get(self.family or self.id, self.family or self.id)

    @property
    def words(self) -> int:
        return sum(len(c.text.split()) for c in self.clauses)


def parse_model(markdown: str, path: str = "<model>") -> Model:
    """Parse one model file (see models/README.md for the format)."""
    nodes = _nodes(markdown)
    meta = _metadata(nodes)
    title = next((n.text for n in nodes if n.kind == "h1"), meta.get("id", ""))
    model_id = meta.get("id") or Path(path).stem
    clauses: list[ModelClause] = []
    current: dict | None = None

    def close() -> None:
        if current and current["parts"]:
            clauses.append(
                ModelClause(
                    model=model_id,
                    number=current["number"],
                    heading=current["heading"],
                    text="\n".join(current["parts"]),
                    answers=tuple(current["answers"]),
                    source=current["source"],
                    maps_to=current["maps_to"],
                    topics=tuple(current["topics"]),
                    needs=tuple(current["needs"]),
                )
            )

    for node in nodes:
        if node.kind in ("h2", "h3", "h4"):
            close()
            m = _HEADING_NUMBER.match(node.text)
            number, heading = (m.group(1).rstrip("."), m.group(2)) if m else ("", node.text)
            if m and m.group(1).endswith(".") and "." not in m.group(1)[:-1]:
                number = m.group(1).rstrip(".")  # "3." -> "3"
            current = {"number": number, "heading": heading.strip(), "parts": [], "answers": [], "source": "", "maps_to": "", "topics": [], "needs": []}
            continue
        if current is None or node.kind == "table":
            continue
        text = node.text.strip()
        if node.kind == "p" and (m := _ANSWERS.match(text)):
            for q, color in _TAG.findall(m.group(1)):
                if q not in QUESTION_IDS:
                    raise InputError(path, f"unknown question id {q!r} in an Answers line (known: {', '.join(QUESTION_IDS)})")
                current["answers"].append((q, color))
            continue
        if node.kind == "p" and (m := _SOURCE.match(text)):
            current["source"] = m.group(1).strip()
            continue
        if node.kind == "p" and (m := _TOPIC.match(text)):
            current["topics"].extend(t.strip() for t in m.group(1).split(";") if t.strip())
            continue
        if node.kind == "p" and (m := _NEEDS.match(text)):
            current["needs"].extend(n.strip().rstrip(".") for n in re.split(r"[;,]", m.group(1)) if n.strip())
            continue
        if node.kind == "p" and (m := _MAPS_TO.match(text)):
            current["maps_to"] = m.group(1).strip()
            continue
        if text:
            current["parts"].append(text)
    close()
    if not clauses:
        raise InputError(path, "model file has no clauses (## headings with text)")
    return Model(
        id=model_id,
        kind=meta.get("kind", "model"),
        title=title,
        source=meta.get("source", ""),
        date=meta.get("date", ""),
        clauses=tuple(clauses),
        path=path,
        family=meta.get("family", ""),
        edition=meta.get("edition", ""),
        state=meta.get("state", ""),
        year=meta.get("year", ""),
    )


def _model_files(directory: str) -> list[Path]:
    return [p for p in sorted(Path(directory).glob("*.md"))
            if p.name.lower() not in ("readme.md", "rubric.md", "provisions.md")]  # data the judge reads, not policies


@functools.lru_cache(maxsize=64)
def _load_model_file(path: str, mtime_ns: int) -> Model:
    """The model in this file: from the cache on disk when this file's bytes were parsed by
    this code before (the same model, field for field, without importing markdown-it),
    else parsed, and the parse stored."""
    from . import cache

    data = Path(path).read_bytes()
    digest = cache.digest(cache.code_digest("models", "segment").encode(), _markdown_it_marker(), data)
    name = cache.name_for("model", str(Path(path).resolve()))
    stored = cache.read("models", name, digest)
    if stored is not None:
        try:
            return _model_from(stored, path, digest)
        except (TypeError, ValueError, IndexError):
            pass  # not an entry this code wrote: parse the file
    text = data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")  # as `read_text` reads it
    model = replace(parse_model(text, path), digest=digest)
    cache.write("models", name, digest, _model_data(model))
    return model


def _markdown_it_marker() -> bytes:
    """The installed markdown-it's own `__init__.py` (it names its version), found without
    importing it: a new markdown-it could read a file differently."""
    import importlib.util

    try:
        spec = importlib.util.find_spec("markdown_it")
        return Path(spec.origin).read_bytes() if spec is not None and spec.origin else b"-"
    except (ImportError, OSError, ValueError):
        return b"-"


def _model_data(m: Model) -> tuple:
    """A model as plain data for the cache (with each clause's sentences, which cost as much
    to find again as the parse)."""
    clauses = tuple((c.model, c.number, c.heading, c.text, c.answers, c.source, c.maps_to, c.topics, c.needs, c.sentences)
                    for c in m.clauses)
    return (m.id, m.kind, m.title, m.source, m.date, m.family, m.edition, m.state, m.year, clauses)


def _model_from(data: object, path: str, digest: str) -> Model:
    """`_model_data` read back, every value checked to be what it was written as."""
    from .cache import shaped

    if type(data) is not tuple or len(data) != 10:
        raise TypeError("not a stored model")
    head = shaped(data[:9], tuple, str)
    if type(data[9]) is not tuple or not data[9]:
        raise TypeError("no clauses")
    clauses = []
    for c in data[9]:
        if type(c) is not tuple or len(c) != 10:
            raise TypeError("not a stored clause")
        model, number, heading, text, source, maps_to = shaped((c[0], c[1], c[2], c[3], c[5], c[6]), tuple, str)
        answers = tuple(shaped(a, tuple, str, 2) for a in shaped(c[4], tuple, tuple))
        mc = ModelClause(model, number, heading, text, answers, source, maps_to, shaped(c[7], tuple, str), shaped(c[8], tuple, str))
        mc.__dict__["sentences"] = shaped(c[9], tuple, str)  # the cached_property, as clause_sentences gave it
        clauses.append(mc)
    return Model(id=head[0], kind=head[1], title=head[2], source=head[3], date=head[4], clauses=tuple(clauses), path=path,
                 family=head[5], edition=head[6], state=head[7], year=head[8], digest=digest)


def _load_file(p: Path) -> Model:
    return _load_model_file(str(p), p.stat().st_mtime_ns)


@functools.lru_cache(maxsize=4)
def _load_models(directory: str) -> tuple[Model, ...]:
    return tuple(_load_file(p) for p in _model_files(directory))


def load_models() -> tuple[Model, ...]:
    """Every bundled model, template and example, sorted by id."""
    return tuple(sorted(_load_models(str(models_dir())), key=lambda m: m.id))


#: The metadata table's `id` row, as `_metadata` reads it from markdown-it's table: a row
#: whose first cell is "id" in the file's first table, its value plain text.
_ID_ROW = re.compile(r"^\|\s*id\s*\|\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*\|\s*$", re.I)
#: Lines that cannot hide a table or a heading from this reading: blank, the "# " title,
#: and paragraph text starting with a letter or digit.
_PLAIN_LINE = re.compile(r"^(?:# .*|[A-Za-z0-9(\"'][^|]*|\s*)$")
_DELIMITER_ROW = re.compile(r"^\|(?:\s*:?-+:?\s*\|)+\s*$")


def _cheap_id(p: Path) -> str | None:
    """The id in the metadata table that opens a model file, or None when the file does
    not open that plain way (then it is parsed)."""
    lines = p.read_text(encoding="utf-8").split("\n")
    k = 0
    while k < len(lines) and _PLAIN_LINE.match(lines[k]) and not re.match(r"^[-=]+\s*$", lines[k]):
        k += 1
    if k + 1 >= len(lines) or not lines[k].startswith("|") or not _DELIMITER_ROW.match(lines[k + 1]):
        return None
    if lines[k].count("|") != lines[k + 1].count("|"):
        return None
    j = k + 2
    while j < len(lines) and lines[j].startswith("|"):
        m = _ID_ROW.match(lines[j])
        if m:
            return m.group(1)
        if re.match(r"^\|\s*id\s*\|", lines[j], re.I):
            return None  # an id with markup: let markdown-it read it
        j += 1
    return None


@functools.lru_cache(maxsize=4)
def _model_ids(directory: str) -> tuple[tuple[str, Path], ...]:
    """(id, file) of each model, from its metadata table without parsing the Markdown."""
    out = []
    for p in _model_files(directory):
        found = _cheap_id(p)
        out.append((found if found is not None else _load_file(p).id, p))
    return tuple(out)


def model_ids() -> tuple[str, ...]:
    """The ids of the bundled models (as `load_models` gives them), read cheaply: `compare
    --against FILE` asks whether FILE names a model, and parsing every model to answer
    would cost more than the comparison of a short policy."""
    return tuple(sorted(i for i, _ in _model_ids(str(models_dir()))))


def get_model(model_id: str) -> Model:
    """The model with this id; only its own file is parsed when the models are not loaded."""
    if _load_models.cache_info().currsize == 0:
        for i, p in _model_ids(str(models_dir())):
            if i == model_id:
                m = _load_file(p)
                if m.id == model_id:
                    return m
    for m in load_models():
        if m.id == model_id:
            return m
    known = ", ".join(m.id for m in load_models())
    raise InputError(model_id, f"no bundled model with this id (known: {known})")


#: The family a policy is compared with when nothing else is said, and its reference edition.
DEFAULT_TEMPLATE = "lexipol-immigration-violations"

#: How reports name a template family.
FAMILY_NAMES = {
    "lexipol-immigration-violations": "Lexipol 'Immigration Violations'",
    "ice-287g-moa": "ICE 287(g) memorandum of agreement",
    "ny-model-immigration-policy": "New York model immigration policy (Justice Center draft)",
    "acce-rule-of-law-resolution": "ACCE 'Rule of Law Community' resolution",
    "vt-fair-impartial-policing": "Vermont model 'Fair and Impartial Policing' policy",
    "nj-immigrant-trust-directive": "New Jersey Attorney General's 'Immigrant Trust Directive' summary",
    "cacp-position-statement": "Colorado Association of Chiefs of Police position statement on immigration law",
}


def template() -> Model:
    """The reference template (Lexipol's Massachusetts edition): the default for `compare`."""
    templates_ = templates()
    return next((m for m in templates_ if m.id == DEFAULT_TEMPLATE), templates_[0])


def templates() -> tuple[Model, ...]:
    """Every edition of every template family (`kind: template`), sorted by id."""
    return tuple(m for m in load_models() if m.kind == "template")


def families() -> dict[str, tuple[Model, ...]]:
    """Template families, each with its editions (reference edition first)."""
    out: dict[str, list[Model]] = {}
    for m in templates():
        out.setdefault(m.family or m.id, []).append(m)
    return {f: tuple(sorted(eds, key=lambda m: (m.id != f, m.id))) for f, eds in sorted(out.items())}


def model_policy() -> Model:
    """The recommended policy whose language `draft` proposes."""
    return next(m for m in load_models() if m.kind == "model")


# --- rubric ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Flag:
    """One red or green flag from the guide, with how to recognise it in policy text.

    How sentences are read lives in models/provisions.md; `quotes` are exemplar sentences
    matched by similarity.
    """

    color: str
    description: str
    quotes: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()  # a flag about something missing: earned by these, absent green


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    red: tuple[Flag, ...]
    green: tuple[Flag, ...]
    silence: str = ""  # when set, saying nothing is itself a gap the guide names
    ask: str = ""  # the change to ask for, in one line
    short: str = ""  # a name for the question in a sentence ("Lunn", "287(g)")

    @property
    def flags(self) -> tuple[Flag, ...]:
        return self.red + self.green


@dataclass(frozen=True)
class Rubric:
    questions: tuple[Question, ...]
    source: str = ""
    date: str = ""

    def question(self, qid: str) -> Question:
        return next(q for q in self.questions if q.id == qid)


_QUOTE = re.compile(r'^says\s*:\s*["“]?(.*?)["”]?\s*$', re.I | re.S)
_PATTERN = re.compile(r"^looks like\s*:\s*(.*)$", re.I | re.S)
_MENTIONS = re.compile(r"^mentions\s*:\s*(.*)$", re.I | re.S)


def parse_rubric(markdown: str, path: str = "<rubric>") -> Rubric:
    nodes = _nodes(markdown)
    meta = _metadata(nodes)
    questions: list[Question] = []
    q: dict | None = None
    color = ""
    flag: dict | None = None

    def close_flag() -> None:
        nonlocal flag
        if q is not None and flag is not None:
            q[flag["color"]].append(
                Flag(flag["color"], flag["description"], quotes=tuple(flag["quotes"]), mentions=tuple(flag["mentions"]))
            )
        flag = None

    def close_question() -> None:
        close_flag()
        if q is not None:
            questions.append(Question(q["id"], q["text"], tuple(q["red"]), tuple(q["green"]), q["silence"], q["ask"], q["short"]))

    for node in nodes:
        if node.kind == "h2":
            close_question()
            qid, _, text = node.text.partition(":")
            qid = qid.strip()
            if qid not in QUESTION_IDS:
                raise InputError(path, f"unknown question id {qid!r} (known: {', '.join(QUESTION_IDS)})")
            q = {"id": qid, "text": text.strip(), "red": [], "green": [], "silence": "", "ask": "", "short": ""}
            color = ""
        elif node.kind == "h3" and q is not None:
            close_flag()
            lowered = node.text.lower()
            color = "red" if "red" in lowered else "green" if "green" in lowered else ""
        elif node.kind == "p" and q is not None:
            key, _, value = node.text.partition(":")
            if key.strip().lower() in ("silence", "ask", "short"):
                q[key.strip().lower()] = value.strip()
        elif node.kind == "li" and q is not None and color:
            text = node.text.strip()
            if node.depth == 1:
                close_flag()
                flag = {"color": color, "description": text, "quotes": [], "mentions": []}
            elif flag is not None:
                if m := _QUOTE.match(text):
                    flag["quotes"].append(m.group(1).strip())
                elif _PATTERN.match(text):
                    # How sentences are read lives in provisions.md now; a pattern here
                    # would be silently ignored, so say where it belongs.
                    raise InputError(path, "'Looks like:' patterns are no longer read from the rubric; put the words in provisions.md")
                elif m := _MENTIONS.match(text):
                    flag["mentions"].append(m.group(1).strip())
    close_question()
    found = [x.id for x in questions]
    if found != list(QUESTION_IDS):
        raise InputError(path, f"the rubric must define the seven questions in order; found {found}")
    return Rubric(tuple(questions), meta.get("source", ""), meta.get("date", ""))


@functools.lru_cache(maxsize=4)
def _load_rubric(directory: str) -> Rubric:
    path = Path(directory) / "rubric.md"
    return parse_rubric(path.read_text(encoding="utf-8"), str(path))


def load_rubric() -> Rubric:
    return _load_rubric(str(models_dir()))
