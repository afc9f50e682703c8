"""What the pages do, as plain functions over the library: no web framework here.

Every download is made by the same library calls, with the same arguments, as the command
that writes it (`cli.py`), so a file from the page is byte for byte the file the command
writes for the same input and options. An upload's name is only ever a *label*: it is the
`source` the library prints (as `redline analyze chicopee-413.docx` prints the name it was
given), never a path. The bytes live in the request's temporary folder under names this
module makes up.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import os
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from ..errors import InputError, one_line, printable
from ..ingest import MAX_FILE_BYTES, SUPPORTED_SUFFIXES, read_bytes, read_regular_file

#: One policy, or each side of a comparison, as the page accepts it. The page carries the
#: file back in its download form (see `app.py`), so this stays well under the command
#: line's own 50 MB limit: a real policy is a few hundred KB, an OCRed scan a few MB.
MAX_POLICY_BYTES = 20 * 1024 * 1024
#: Files in one survey (after a .zip is opened).
MAX_SURVEY_FILES = 300
#: Entries a .zip may list at all (folders, notes and pictures included).
MAX_ZIP_MEMBERS = 2000

_LABEL_MAX = 200
_SEPARATORS = re.compile(r"[/\\]+")


@dataclass(frozen=True)
class Upload:
    """A file as the page received it: `label` is what the user called it, `path` where this
    request keeps its bytes (a name made here)."""

    label: str
    path: str

    def read(self, limit: int = MAX_POLICY_BYTES) -> bytes:
        return read_regular_file(self.path, self.label, limit=limit)


def label_for(filename: str | None, fallback: str = "policy") -> str:
    """The last component of an uploaded file's name, printable and at most 200 characters
    (its suffix kept): what the report calls the file. Never a path: a browser may send
    `../../etc/passwd` or `C:\\Users\\x\\policy.pdf`, and only `passwd`/`policy.pdf` is kept."""
    parts = [p for p in _SEPARATORS.split(filename or "") if p not in ("", ".", "..")]
    name = printable(parts[-1]).strip() if parts else ""
    if not name:
        return fallback
    if len(name) > _LABEL_MAX:
        stem, suffix = os.path.splitext(name)
        suffix = suffix if len(suffix) <= 12 else ""
        name = stem[: _LABEL_MAX - len(suffix)].rstrip() + suffix
    return name


def member_label(name: str) -> str | None:
    """A .zip member's path as a relative POSIX label, or None when it points outside the
    archive (an absolute path, a drive letter, `..`): such a member is refused, not read."""
    raw = name.replace("\\", "/")
    if raw.startswith("/") or re.match(r"^[A-Za-z]:", raw):
        return None
    parts = []
    for part in raw.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            return None
        parts.append(printable(part).strip() or "_")
    return "/".join(parts) if parts else None


def user_message(exc: InputError, label: str | None = None) -> str:
    """The command line's one-line error, with the page's field names for its options."""
    source = label if label is not None else exc.source
    text = one_line(f"{source}: {exc.reason}" if source else exc.reason)
    # "give --board, e.g. --board "the City Council"" -> "fill in the Approving body field, e.g. "the City Council""
    text = re.sub(r"\bgive (--[a-z-]+), e\.g\. \1 ", lambda m: f"fill in {_FIELD_NAMES.get(m.group(1), m.group(1))}, e.g. ", text)
    text = re.sub(r"(--[a-z-]+) (?:NAME|BODY|ADDR)\b", r"\1", text)  # the option's metavar: not a field's
    text = re.sub(r"\bgive (--[a-z-]+)", lambda m: f"fill in {_FIELD_NAMES.get(m.group(1), m.group(1))}", text)
    for option, field_name in _FIELD_NAMES.items():
        text = text.replace(option, field_name)
    return text


_FIELD_NAMES = {
    "--department": "the Department field",
    "--town": "the Town field",
    "--board": "the Approving body field",
    "--requester": "the Your name field",
    "--email": "the E-mail field",
    "--date": "the Date field",
    "--standalone": "the “separate immigration policy” button",
}


def size_text(n: int) -> str:
    """A limit as a person reads it: "20 MB", "64 KB"."""
    return f"{n // (1024 * 1024)} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KB"


# ------------------------------------------------------------------ the options, checked as the CLI checks them

def check_text(name: str, value: str | None) -> str | None:
    """A form field as `cli._check_text` checks the option of the same name: empty means not
    given; a control character, invalid text or a length no name reaches is one clear error."""
    from ..cli import _TEXT_LIMITS

    if value is None or not value.strip():
        return None
    label = _FIELD_NAMES.get("--" + name.replace("_", "-"), name)
    limit = _TEXT_LIMITS.get(name, 1000)
    if re.search("[\ud800-\udfff]", value):
        raise InputError(label, "is not valid UTF-8 text")
    bad = re.search("[\x00-\x1f\x7f-\x9f]", value)
    if bad:
        raise InputError(label, f"contains a control character (U+{ord(bad.group()):04X})")
    if len(value) > limit:
        raise InputError(label, f"is {len(value):,} characters long (at most {limit:,})")
    return value


def check_day(value: str | None) -> dt.date:
    """The Date field (YYYY-MM-DD); today when empty, as the command's default."""
    from ..request import parse_date

    if value is None or not value.strip():
        return dt.date.today()
    return parse_date(value, "the Date field")


# ------------------------------------------------------------------ one policy

def read_upload(upload: Upload):
    """The `Document` the command line reads from a file of this name and these bytes."""
    return read_bytes(upload.read(), upload.label)


def analyse(upload: Upload):
    """`redline analyze` of the upload (the same `Analysis` the command renders)."""
    from ..analysis import analyze_document

    return analyze_document(read_upload(upload))


@dataclass
class Scorecard:
    """What the scorecard page shows: the one-pager's content (seven rows with quotes, the
    changes to ask for, the boilerplate sentence) and the draft's fill-in guesses."""

    analysis: object
    page: object  # onepager.OnePager
    heading: str  # "Chicopee Police Department: Policy 413"
    verdicts: dict[str, str]  # question id -> verdict as in `analyze --format json`
    about_immigration: bool
    names: dict[str, str] = field(default_factory=dict)  # town/department/board guesses
    names_missing: str = ""  # why a fill-in cannot be guessed


def scorecard(upload: Upload, today: dt.date | None = None) -> Scorecard:
    from ..draft import NeedsOption, is_about_immigration, resolve_names
    from ..onepager import build_onepager

    a = analyse(upload)
    today = today or dt.date.today()
    try:
        page = build_onepager(a, date=today)
        heading = page.heading
    except InputError:
        # The policy names no town or department: the answers stand; the changes to ask
        # for are ranked from a draft with placeholder names (the ranking never reads them).
        page = build_onepager(a, town="the town", department="the Police Department", date=today)
        heading = page.title or upload.label
    names: dict[str, str] = {}
    missing = ""
    try:
        n = resolve_names(a.document)
        names = {"town": n.town, "department": n.department, "board": n.board}
    except NeedsOption as exc:  # the town is known, the approving body is not
        missing = user_message(exc, upload.label)
        try:
            n = resolve_names(a.document, board="the approving body")
            names = {"town": n.town, "department": n.department}
        except InputError:
            pass
    except InputError as exc:
        missing = user_message(exc, upload.label)
    if "department" not in names and a.department:
        names["department"] = a.department
    verdicts = {f.question: f.verdict for f in a.scorecard.findings}
    return Scorecard(a, page, heading, verdicts, is_about_immigration(a), names, missing)


@dataclass(frozen=True)
class Download:
    filename: str
    media_type: str
    body: bytes


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HTML = "text/html; charset=utf-8"
TEXT = "text/plain; charset=utf-8"
JSON = "application/json"

#: What each download button asks for, and the command that writes the same file.
KINDS = {
    "report-html": "redline analyze POLICY -o report.html",
    "report-json": "redline analyze POLICY -o report.json",
    "compare-docx": "redline compare POLICY --format docx -o compare.docx",
    "draft-docx": "redline draft POLICY -o POLICY-redline.docx",
    "draft-clean-docx": "redline draft POLICY --clean -o POLICY-amended.docx",
    "onepager-html": "redline onepager POLICY --date DATE -o onepager.html",
    "onepager-docx": "redline onepager POLICY --date DATE -o onepager.docx",
    "request-docx": "redline request --department NAME --date DATE -o request.docx",
    "request-txt": "redline request --department NAME --date DATE -o request.txt",
}


def _stem(label: str) -> str:
    stem = os.path.splitext(label)[0] or "policy"
    return re.sub(r"[^\w.-]+", "-", stem, flags=re.ASCII).strip("-.") or "policy"


def download(kind: str, upload: Upload | None, options: dict[str, str | None]) -> Download:
    """The file a download button asks for, made as the command makes it."""
    if kind not in KINDS:
        raise InputError("download", f"unknown download {kind!r}")
    town = check_text("town", options.get("town"))
    department = check_text("department", options.get("department"))
    board = check_text("board", options.get("board"))
    if kind.startswith("request-"):
        return _letter(kind, department, options)
    if upload is None:
        raise InputError("download", "the policy file is missing from the form; upload it again")
    stem = _stem(upload.label)
    if kind in ("report-html", "report-json"):
        from ..writers import report

        a = analyse(upload)
        if kind == "report-html":
            return Download(f"{stem}-report.html", HTML, report.report_html(a).encode("utf-8"))
        return Download(f"{stem}-report.json", JSON, report.report_json(a).encode("utf-8"))
    if kind == "compare-docx":
        return Download(f"{stem}-compared.docx", DOCX, compare_docx(upload, None))
    if kind in ("draft-docx", "draft-clean-docx"):
        clean = kind == "draft-clean-docx"
        body = draft_docx(upload, town=town, department=department, board=board, clean=clean,
                          standalone=bool(options.get("standalone")))
        return Download(f"{stem}-{'amended' if clean else 'redline'}.docx", DOCX, body)
    # the one-pager
    from ..onepager import build_onepager
    from ..writers import onepager as w

    when = check_day(options.get("date"))
    page = build_onepager(analyse(upload), town=town, department=department, date=when)
    if kind == "onepager-docx":
        return Download(f"{stem}-onepager.docx", DOCX, w.onepager_docx(page))
    return Download(f"{stem}-onepager.html", HTML, w.onepager_html(page).encode("utf-8"))


def _letter(kind: str, department: str | None, options: dict[str, str | None]) -> Download:
    """`redline request` (the records-request letter; it needs no policy)."""
    from ..request import build_letter
    from ..writers import letter as w

    requester = check_text("requester", options.get("requester"))
    email = check_text("email", options.get("email"))
    when = check_day(options.get("date"))
    letter = build_letter(department or "", date=when, requester=requester, email=email)
    if kind == "request-docx":
        return Download("records-request.docx", DOCX, w.letter_docx(letter))
    return Download("records-request.txt", TEXT, w.letter_text(letter).encode("utf-8"))


def draft_docx(upload: Upload, *, town: str | None, department: str | None, board: str | None,
               clean: bool, standalone: bool, author: str = "policy-redline",
               date: str = "2026-01-01T00:00:00Z") -> bytes:
    """`redline draft POLICY [--clean] [--standalone] -o x.docx`, as `cli.draft` does it."""
    from ..analysis import analyze_document
    from ..draft import draft as make_draft
    from ..draft import is_about_immigration, standalone_policy
    from ..writers.docx_redline import redline_to_docx

    data = upload.read()
    analysis = analyze_document(read_bytes(data, upload.label))
    if standalone and not is_about_immigration(analysis):
        amendment = standalone_policy(analysis, town=town, department=department, board=board)
    else:
        amendment = make_draft(analysis, town=town, department=department, board=board)
    result = None
    if upload.label.lower().endswith(".docx") and amendment.source == analysis.document.source and not amendment.standalone:
        result = amendment.to_docx(data, clean=clean, author=author, date=date)
    if result is None:
        redline = amendment.clean(author=author, date=date) if clean else amendment.redline(author=author, date=date)
        result = redline_to_docx(redline, amendment.names.department)
    return result


# ------------------------------------------------------------------ compare

def policy_model(upload: Upload):
    """Another policy as the model to compare with: `compare.policy_model`, from the
    upload's bytes under its label instead of from a path."""
    from ..models import Model, ModelClause
    from ..segment import segment

    doc = read_upload(upload)
    clauses = segment(doc)
    if not clauses:
        raise InputError(upload.label, "no policy text found to compare against")
    model_id = os.path.splitext(upload.label)[0] or upload.label
    mclauses = tuple(ModelClause(model=model_id, number=c.number, heading=c.heading, text=c.text) for c in clauses)
    return Model(id=model_id, kind="policy", title=doc.title or model_id, source=doc.source, date="",
                 clauses=mclauses, path=upload.label)


def comparison(policy: Upload, against: Upload | None):
    """`compare.compare(POLICY, AGAINST)` for two uploads (AGAINST None: the default model)."""
    from .. import compare as cmp

    doc = read_upload(policy)
    return cmp.compare_document(doc, policy_model(against) if against is not None else None)


def compare_docx(policy: Upload, against: Upload | None, *, author: str = "policy-redline") -> bytes:
    """`redline compare POLICY [--against OTHER] --format docx -o x.docx`, as `cli.compare`
    does it: two .docx files give the older one's own document with tracked changes."""
    from .. import compare as cmp
    from ..writers.docx_package import is_docx, redline_pair

    if against is not None and is_docx(policy.label) and is_docx(against.label):
        return redline_pair(against.read(), policy.read(), author=author, date="2026-01-01T00:00:00Z",
                            old_source=against.label, new_source=policy.label)
    c = comparison(policy, against)
    if c.policy.format == "docx":
        # The library reads a .docx policy's own package from `source` to keep it part for
        # part; here that is this request's copy, never a path named by the upload.
        c = dataclasses.replace(c, policy=dataclasses.replace(c.policy, source=policy.path))
    return cmp.to_docx(c, author=author, date=None, annotate=False)


# ------------------------------------------------------------------ survey

@dataclass
class Refused:
    """A file of the upload that is not in the table, and why."""

    label: str
    reason: str


@dataclass
class SurveyInput:
    folder: str  # what the table calls the folder (a .zip's name; never a path)
    entries: list[tuple[str, bytes]]  # (label, bytes), sorted by label
    refused: list[Refused]


_NOT_A_POLICY = re.compile(r"^(?:readme|license|licence|changelog|contributing)(?:\.[^.]*)?$", re.IGNORECASE)


def _skipped_by_survey(label: str) -> bool:
    """What `survey.find_policies` leaves out of a folder: hidden files and folders, Word's
    lock files and a folder's own notes (README and the like)."""
    parts = label.split("/")
    name = parts[-1]
    return any(p.startswith(".") for p in parts) or name.startswith("~$") or bool(_NOT_A_POLICY.match(name))


def open_zip(data: bytes, label: str, budget: int) -> tuple[list[tuple[str, bytes]], list[Refused]]:
    """The files inside a .zip, checked with the .docx reader's defences before any is
    inflated (member count, unpacked size, compression ratio), each inflated at most to
    its declared size; names are labels only (a member outside the archive is refused)."""
    from ..readers.docx import _RATIO_MIN_SIZE, MAX_COMPRESSION_RATIO, MAX_UNCOMPRESSED_BYTES

    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise InputError(label, "not a zip archive (or a damaged one)") from None
    out: list[tuple[str, bytes]] = []
    refused: list[Refused] = []
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        if len(infos) > MAX_ZIP_MEMBERS:
            raise InputError(label, f"the .zip holds more than {MAX_ZIP_MEMBERS:,} files; send at most {MAX_SURVEY_FILES} policies at a time")
        total = sum(i.file_size for i in infos)
        if total > min(MAX_UNCOMPRESSED_BYTES, budget):
            limit = size_text(min(MAX_UNCOMPRESSED_BYTES, budget))
            raise InputError(label, f"the .zip unpacks to more than {limit} (a zip bomb?); refusing to open it")
        for info in infos:
            name = member_label(info.filename)
            if name is None:
                refused.append(Refused(printable(info.filename), "a path outside the archive; not read"))
                continue
            if os.path.splitext(name)[1].lower() not in SUPPORTED_SUFFIXES or _skipped_by_survey(name):
                continue
            if info.flag_bits & 0x1:
                refused.append(Refused(name, "encrypted inside the .zip; not read"))
                continue
            if info.file_size > _RATIO_MIN_SIZE and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
                refused.append(Refused(name, f"compressed more than {MAX_COMPRESSION_RATIO}:1 (a zip bomb?); not read"))
                continue
            if info.file_size > MAX_FILE_BYTES:
                refused.append(Refused(name, f"file is larger than the {MAX_FILE_BYTES // (1024 * 1024)} MB limit"))
                continue
            try:
                with zf.open(info) as fh:
                    body = fh.read(info.file_size + 1)
            except (zipfile.BadZipFile, NotImplementedError, RuntimeError, EOFError, OSError, ValueError) as exc:
                refused.append(Refused(name, f"damaged inside the .zip ({one_line(str(exc))[:120]}); not read"))
                continue
            except Exception as exc:  # zlib and friends: one damaged member is one row, not an abort
                refused.append(Refused(name, f"damaged inside the .zip ({type(exc).__name__}); not read"))
                continue
            out.append((name, body))
    return _strip_common_folder(out, refused)


def _strip_common_folder(entries, refused):
    """A .zip made by zipping a folder holds `folder/...`; the table names files as a survey
    of that folder would."""
    tops = {label.split("/", 1)[0] for label, _ in entries if "/" in label}
    if len(tops) == 1 and all("/" in label for label, _ in entries) and entries:
        top = tops.pop() + "/"
        entries = [(label[len(top):], body) for label, body in entries]
        refused = [Refused(r.label[len(top):] if r.label.startswith(top) else r.label, r.reason) for r in refused]
    return entries, refused


def survey_input(uploads: list[Upload], budget: int) -> SurveyInput:
    """The files to survey: each upload, or the files inside an uploaded .zip."""
    entries: dict[str, bytes] = {}
    refused: list[Refused] = []
    zips = [u for u in uploads if u.label.lower().endswith(".zip")]
    folder = os.path.splitext(zips[0].label)[0] if len(zips) == 1 and len(uploads) == 1 else "uploaded files"
    for u in uploads:
        if u.label.lower().endswith(".zip"):
            got, bad = open_zip(u.read(limit=budget), u.label, budget)
            refused.extend(bad)
            prefix = "" if len(uploads) == 1 else os.path.splitext(u.label)[0] + "/"
            for label, body in got:
                _add(entries, refused, prefix + label, body)
            continue
        suffix = os.path.splitext(u.label)[1].lower()
        if suffix not in SUPPORTED_SUFFIXES:
            refused.append(Refused(u.label, _unsupported(u.label)))
            continue
        if _skipped_by_survey(u.label):
            refused.append(Refused(u.label, "a folder's notes or a hidden file, which a survey leaves out"))
            continue
        try:
            body = u.read(limit=MAX_FILE_BYTES)
        except InputError as exc:
            refused.append(Refused(u.label, exc.reason))
            continue
        _add(entries, refused, u.label, body)
    if len(entries) > MAX_SURVEY_FILES:
        raise InputError("the upload", f"holds {len(entries):,} policy files; a survey here takes at most {MAX_SURVEY_FILES} "
                         "(run `redline survey FOLDER` on the command line for more)")
    return SurveyInput(folder, sorted(entries.items()), refused)


def _unsupported(label: str) -> str:
    from ..ingest import _UNREAD_SUFFIXES

    what = _UNREAD_SUFFIXES.get(os.path.splitext(label)[1].lower())
    if what:
        return f"{what}: save it as .docx or PDF and try again"
    return "not a policy file type (supported: " + ", ".join(SUPPORTED_SUFFIXES) + ", or a .zip of them)"


def _add(entries: dict[str, bytes], refused: list[Refused], label: str, body: bytes) -> None:
    if label in entries:
        refused.append(Refused(label, "a second file of the same name; only the first is in the table"))
        return
    entries[label] = body


def run_survey(given: SurveyInput, workdir: str, *, jobs: int | None = None, seconds: float = 120.0,
               progress: Callable[[int, int], None] | None = None):
    """`survey.survey` over the files, written into `workdir` under names made here (in the
    labels' order, so the rows come in the order a survey of a folder of those names gives),
    and the rows then named by their labels."""
    from ..survey import Limits, SurveyResult, survey

    folder = os.path.join(workdir, "policies")
    os.mkdir(folder)
    by_name: dict[str, str] = {}
    for i, (label, body) in enumerate(given.entries):
        name = f"{i:05d}{os.path.splitext(label)[1].lower()}"
        with open(os.path.join(folder, name), "xb") as fh:
            fh.write(body)
        by_name[name] = label
    result = survey(folder, jobs=jobs, progress=progress, limits=Limits(seconds=seconds))
    labels = [by_name[rel] for rel in result.files]
    for name in sorted(set(by_name) - set(result.files)):  # a survey table or report this tool wrote
        given.refused.append(Refused(by_name[name], "a table or report this tool wrote, not a policy"))
    rows = []
    for label, row in zip(labels, result.rows):
        row = dict(row)
        row["file"] = printable(label)
        rows.append(row)
    return SurveyResult(given.folder, rows, dict(result.counts), labels)


def survey_downloads(result) -> dict[str, tuple[str, str, str]]:
    """The table as `redline survey -o FILE.csv|.json|.html` writes it: kind -> (file name,
    media type, text)."""
    from ..survey import survey_csv, survey_html, survey_json

    stem = re.sub(r"[^\w.-]+", "-", result.folder, flags=re.ASCII).strip("-.") if result.folder != "uploaded files" else ""
    stem = stem or "survey"
    return {
        "csv": (f"{stem}.csv", "text/csv", survey_csv(result)),
        "json": (f"{stem}.json", "application/json", survey_json(result)),
        "html": (f"{stem}.html", "text/html", survey_html(result)),
    }
