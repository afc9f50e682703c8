"""Survey a folder of policies: one row per file, the seven verdicts, a class, a summary.

    survey(folder, jobs=None, reports_dir=None, progress=None) -> SurveyResult

Every file under the folder (recursively) whose suffix `ingest` reads is analysed with
`analysis.analyze`, the same call as `redline analyze`, so the survey and a single analysis
cannot disagree. Files are found and reported in the order of their relative paths, so two
runs over the same folder give byte-identical tables whatever order the work finishes in.

A file that cannot be read or analysed gives a row with its error and no verdicts; it never
stops the survey.

Classes (one per row, from the seven verdicts):

* ``permits``    at least one red verdict: somewhere the policy permits cooperation with ICE
                 (a red that is only the guide's "no mention of …" gap does not count)
                 (one permissive clause is the policy, as the guide says of exemptions);
* ``restricts``  no red verdict and at least one green: the policy limits cooperation;
* ``silent``     all seven questions silent: the policy says nothing on immigration;
* ``needs reading`` no red and no green verdict, but at least one ``unclear``: the policy
                 speaks to a question in words the tool cannot classify, so a person must
                 read those clauses before the policy can be classed;
* ``unreadable`` the file could not be read or analysed (see the ``error`` column).

The ``unclear`` column counts a policy's unclear answers in every class (a policy that
permits cooperation can still have a clause a person must read); the summary line says how
many policies have at least one.

A row can have verdicts and an error at once only when its `--reports` page could not be
written; it keeps the class its verdicts give.

The work is spread over processes (`jobs`, default the number of cores, at most four per
core). Workers inherit the loaded models and rubric (they are loaded once before the workers
start, and again in each worker where processes are spawned rather than forked), take one
file at a time and return plain dicts. Each file runs under a time and a memory limit
(`Limits`): a worker past either is killed and replaced, and the file's row says "timed out
after N s" or "too large to analyse". Workers die with the survey, however it ends (Ctrl-C,
SIGTERM, SIGHUP, a crash).

Only regular files are read (a named pipe, socket or device with a policy's suffix is an
unreadable row, and is never opened in a way that blocks); a link to a file outside the
surveyed folder is not followed (an unreadable row); the tables and reports an earlier
survey wrote into the folder are not policies.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError, printable
from .ingest import SUPPORTED_SUFFIXES
from .models import QUESTION_IDS

__all__ = [
    "CLASSES",
    "COLUMNS",
    "SurveyResult",
    "classify",
    "find_policies",
    "survey",
    "survey_csv",
    "survey_json",
    "survey_html",
    "report_name",
    "run_survey_command",
]

#: The classes of `classify`, in the order the summary lists them.
CLASSES = ("permits", "restricts", "silent", "needs reading", "unreadable")

#: The table's columns, in order (CSV header, JSON row keys).
COLUMNS: tuple[str, ...] = (
    "file",
    "department",
    "words",
    "template",
    "boilerplate_share",
    *QUESTION_IDS,
    # the questions the HTML table shows as GAP: silent where the guide counts silence
    # itself as a red flag (ids, ";"-separated), so the CSV says what the table says
    "gaps",
    "red",
    "green",
    "silent",
    "unclear",
    "class",
    "error",
)
# A scan read by OCR: the mean word confidence (0-1), blank for a text file. Kept before the
# counts, so the verdict columns stay where scripts expect them.
COLUMNS = COLUMNS[:-6] + ("ocr_confidence",) + COLUMNS[-6:]

_VERDICTS = ("red", "green", "silent", "unclear")
_SUFFIXES = frozenset(SUPPORTED_SUFFIXES)


def classify(verdicts: dict[str, str] | Sequence[str], error: str | None = None) -> str:
    """The class of one policy from its verdicts (see the module docstring)."""
    values = list(verdicts.values()) if isinstance(verdicts, dict) else list(verdicts)
    if not values:  # the file gave no verdicts: `error` says why
        return "unreadable"
    if "red" in values:
        return "permits"
    if "green" in values:
        return "restricts"
    if "unclear" in values:
        return "needs reading"
    return "silent"


def _permission_verdicts(findings: dict) -> dict[str, str]:
    """The verdicts the class is drawn from. A red that is only the guide's "no mention of
    …" gap (a Trust Act that refuses every detainer but never says the arrestee is told)
    is a gap to fix, not a permission to cooperate: it does not put the policy among
    those that permit cooperation."""
    out = {}
    for q in QUESTION_IDS:
        f = findings[q]
        reds = [e for e in f.evidence if e.flag == "red"]
        gap_only = f.verdict == "red" and reds and all(e.missing for e in reds)
        out[q] = "silent" if gap_only else f.verdict
    return out


# ----------------------------------------------------------------------------------------
# Finding the files
# ----------------------------------------------------------------------------------------


def _display(rel: str) -> str:
    """A relative path as text that can be written anywhere (undecodable bytes -> U+FFFD,
    control characters escaped)."""
    return printable(rel)


# A folder's own notes are not policies: policies/README.md describes the examples.
_NOT_A_POLICY = re.compile(r"^(?:readme|license|licence|changelog|contributing)(?:\.[^.]*)?$", re.IGNORECASE)


def find_policies(folder: str | os.PathLike[str], exclude: Sequence[str | os.PathLike[str]] = ()) -> list[str]:
    """Relative POSIX paths of the policy files under `folder`, sorted.

    Skips hidden files and folders (a leading dot: also our own temporary files), Word's
    lock files (``~$name.docx``), and every path in `exclude` (our own output file and
    reports folder, when they sit inside the surveyed folder). Symbolic links to folders are
    not followed (no loops); links to files are read like files."""
    root = Path(folder)
    excluded: set[str] = set()
    for p in exclude:
        try:
            excluded.add(os.path.realpath(p))
        except (OSError, ValueError):
            pass
    found: list[str] = []

    def onerror(exc: OSError) -> None:  # an unreadable sub-folder: skip it, do not abort
        return None

    for dirpath, dirnames, filenames in os.walk(root, onerror=onerror):
        keep = []
        for d in dirnames:
            if d.startswith("."):
                continue
            if excluded and os.path.realpath(os.path.join(dirpath, d)) in excluded:
                continue
            keep.append(d)
        dirnames[:] = sorted(keep)
        for name in filenames:
            if name.startswith(".") or name.startswith("~$") or _NOT_A_POLICY.match(name):
                continue
            if os.path.splitext(name)[1].lower() not in _SUFFIXES:
                continue
            full = os.path.join(dirpath, name)
            if excluded and os.path.realpath(full) in excluded:
                continue
            if name.lower().endswith((".html", ".htm")) and _is_our_html(full):
                continue  # an earlier survey's table or report, not a policy
            found.append(Path(os.path.relpath(full, root)).as_posix())
    found.sort()
    return found


def _head(path: str, size: int = 4096) -> bytes:
    """The first bytes of a regular file; b"" for anything else (a named pipe is never
    opened in a way that blocks)."""
    import stat

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except (OSError, ValueError):
        return b""
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return b""
        return os.read(fd, size)
    except OSError:
        return b""
    finally:
        os.close(fd)


_OUR_HTML = (b'<meta name="generator" content="policy-redline', b"policy-redline analysis</title>")


def _is_our_html(path: str) -> bool:
    """An HTML page this tool wrote (a survey table, an analyze report)."""
    head = _head(path)
    return any(marker in head for marker in _OUR_HTML)


_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\]")


def report_name(rel: str) -> str:
    """The file name of a policy's report in the reports folder: the relative path with
    ``/`` turned into ``__``, plus ``.html`` (``a/b.docx`` -> ``a__b.docx.html``)."""
    name = _UNSAFE_NAME.sub("_", _display(rel).replace("/", "__")) + ".html"
    if len(name.encode("utf-8")) > 200:  # file systems stop at 255 bytes
        digest = hashlib.sha1(rel.encode("utf-8", "surrogateescape")).hexdigest()[:12]
        head = name.encode("utf-8")[:150].decode("utf-8", "ignore")
        name = f"{head}-{digest}.html"
    return name


def _report_names(files: list[str]) -> dict[str, str]:
    """Report names for every file, made unique in file order (`a__b.txt` vs `a/b.txt`)."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for rel in files:
        name = report_name(rel)
        n = 2
        base = name[: -len(".html")]
        while name.lower() in used:
            name = f"{base}~{n}.html"
            n += 1
        used.add(name.lower())
        names[rel] = name
    return names


# ----------------------------------------------------------------------------------------
# The worker: one file -> one plain dict
# ----------------------------------------------------------------------------------------


def _warm() -> None:
    """Load everything a worker needs once per process (models, rubric, readers)."""
    import importlib

    from . import analysis  # noqa: F401
    from .models import load_models, load_rubric, template
    from .writers import report  # noqa: F401

    load_models()
    load_rubric()
    template()
    for mod in ("txt", "markdown", "docx", "pdf", "html"):
        try:
            importlib.import_module(f".readers.{mod}", __package__)
        except Exception:  # a missing optional reader shows up per file, as an error row
            pass


def _one_line(text: str) -> str:
    return " ".join(str(text).split())[:300] or "no detail"


def _empty_row(rel: str, error: str) -> dict:
    row = {c: "" for c in COLUMNS}
    row.update(file=_display(rel), words="", boilerplate_share="", red="", green="", silent="", unclear="", gaps="")
    row["error"] = error
    row["class"] = "unreadable"
    row["_shown"] = {}
    row["_report"] = None
    return row


def _analyse_one(root: str, rel: str, report_path: str | None) -> dict:
    from .analysis import analyze

    path = os.path.join(root, rel)
    here = os.path.realpath(root)
    there = os.path.realpath(path)
    if there != here and not there.startswith(here.rstrip(os.sep) + os.sep):
        return _empty_row(rel, "a link to a file outside the surveyed folder; not followed")
    try:
        a = analyze(path)
    except InputError as exc:
        return _empty_row(rel, _one_line(exc.reason))
    except RecursionError:
        return _empty_row(rel, "the document is nested too deeply to analyse")
    except MemoryError:
        return _empty_row(rel, "the document needs too much memory to analyse")
    except Exception as exc:  # a bug in one stage must not stop the survey
        return _empty_row(rel, f"internal error ({type(exc).__name__}: {_one_line(exc)})")

    from .writers.report import shown_verdict

    findings = {f.question: f for f in a.scorecard.findings}
    verdicts = {q: findings[q].verdict for q in QUESTION_IDS}
    counts = {v: sum(1 for x in verdicts.values() if x == v) for v in _VERDICTS}
    row: dict = {
        "file": _display(rel),
        "department": a.department or "",
        "words": a.words,
        "template": a.boilerplate.template or "",
        "boilerplate_share": a.boilerplate.share,
        **verdicts,
        **counts,
        "gaps": ";".join(q for q in QUESTION_IDS if shown_verdict(findings[q]) == "gap"),
        "class": classify(_permission_verdicts(findings)),
        "error": "",
        "ocr_confidence": a.document.ocr.confidence if a.document.ocr and a.document.ocr.pages else "",
        "_shown": {q: shown_verdict(findings[q]) for q in QUESTION_IDS},
        "_report": None,
    }
    if report_path is not None:
        try:
            from .output import write_output
            from .writers.report import report_html

            write_output(report_path, report_html(a), inputs=(path,), force=True)
            row["_report"] = report_path
        except InputError as exc:
            row["error"] = f"report not written: {_one_line(exc.reason)}"
        except Exception as exc:
            row["error"] = f"report not written ({type(exc).__name__}: {_one_line(exc)})"
    return row


# ----------------------------------------------------------------------------------------
# The survey
# ----------------------------------------------------------------------------------------


@dataclass
class SurveyResult:
    folder: str
    rows: list[dict]  # in file order; keys COLUMNS plus private `_shown`, `_report`
    counts: dict[str, int] = field(default_factory=dict)  # class -> number of policies
    files: list[str] = field(default_factory=list)  # the relative paths as found on disk
    # A survey whose rows went to a `sink` as they came keeps none: these say how many
    # there were and how many have answers a person must read.
    streamed: int | None = None
    streamed_to_read: int = 0

    @property
    def summary(self) -> str:
        total = len(self.rows) if self.streamed is None else self.streamed
        return summary_line(total, self.counts, self.to_read)

    @property
    def to_read(self) -> int:
        """How many policies have at least one answer a person must read (`unclear`)."""
        if self.streamed is not None:
            return self.streamed_to_read
        return sum(1 for r in self.rows if _to_read(r))

    def public_rows(self) -> list[dict]:
        return [{c: r[c] for c in COLUMNS} for r in self.rows]


def _to_read(row: dict) -> bool:
    return isinstance(row.get("unclear"), int) and row["unclear"] > 0


def summary_line(total: int, counts: dict[str, int], to_read: int = 0) -> str:
    """"62 policies: 28 permit cooperation, 3 restrict, 24 silent, 7 unreadable".

    When some policies have answers a person must read (`to_read`, any class) or are
    classed ``needs reading``, the line says so: "62 policies: 28 permit cooperation,
    3 restrict, 20 silent, 4 need reading, 7 unreadable; 9 policies have answers a person
    must read"."""
    def verb(n: int, plural: str, singular: str) -> str:
        return f"{n} {singular if n == 1 else plural}"

    head = f"{total} {'policy' if total == 1 else 'policies'}"
    if not total:
        return f"{head} found"
    reading = counts.get("needs reading", 0)
    line = (
        f"{head}: {verb(counts.get('permits', 0), 'permit cooperation', 'permits cooperation')}, "
        f"{verb(counts.get('restricts', 0), 'restrict', 'restricts')}, "
        f"{counts.get('silent', 0)} silent, "
        + (f"{verb(reading, 'need reading', 'needs reading')}, " if reading or to_read else "")
        + f"{counts.get('unreadable', 0)} unreadable"
    )
    to_read = max(to_read, reading)  # a policy that needs reading has such an answer
    if to_read:
        line += f"; {to_read} {'policy has an answer' if to_read == 1 else 'policies have answers'} a person must read"
    return line


#: The HTML table carries this, so a later survey of the same folder can tell it is ours.
GENERATOR = "policy-redline survey"


def is_survey_output(path: str | os.PathLike[str]) -> bool:
    """True for a table this command wrote (CSV/JSON are never policies; HTML is marked)."""
    p = Path(path)
    if p.suffix.lower() not in (".html", ".htm"):
        return True
    return f'<meta name="generator" content="{GENERATOR}">'.encode() in _head(str(p))


def _check_folder(folder: str | os.PathLike[str]) -> None:
    source = str(folder)
    if not os.path.exists(folder):
        raise InputError(source, "no such folder")
    if not os.path.isdir(folder):
        raise InputError(source, "is not a folder (use `redline analyze` for one policy file)")
    try:
        os.listdir(folder)
    except PermissionError:
        raise InputError(source, "cannot be read (permission denied)") from None
    except OSError as exc:
        raise InputError(source, f"cannot be read ({exc.strerror or exc})") from None


def survey(
    folder: str | os.PathLike[str],
    jobs: int | None = None,
    reports_dir: str | os.PathLike[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    *,
    exclude: Sequence[str | os.PathLike[str]] = (),
    limits: "Limits | None" = None,
    sink: Callable[[dict], None] | None = None,
) -> SurveyResult:
    """Analyse every policy file under `folder`; see the module docstring.

    `progress(done, total)` is called as files finish. `reports_dir`, when given, receives
    each policy's `analyze` HTML report as ``report_name(relative path)``. With `sink`,
    each row is handed to it in file order as soon as it and the rows before it are done,
    and the result keeps no rows (a survey of 10,000 policies holds only the rows that
    finished before an earlier one)."""
    _check_folder(folder)
    root = str(folder)
    skip = list(exclude)
    if reports_dir is not None:
        skip.append(reports_dir)
    files = find_policies(root, skip)
    total = len(files)

    report_paths: dict[str, str | None] = {rel: None for rel in files}
    if reports_dir is not None:
        rdir = Path(reports_dir)
        here, there = os.path.realpath(root), os.path.realpath(rdir)
        if here == there or here.startswith(there.rstrip(os.sep) + os.sep):
            raise InputError(str(rdir), "is the surveyed folder or contains it; give --reports a folder of its own")
        if rdir.exists() and not rdir.is_dir():
            raise InputError(str(rdir), "is not a folder; give --reports a folder")
        try:
            rdir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(str(rdir), f"cannot create the reports folder ({exc.strerror or exc})") from None
        for rel, name in _report_names(files).items():
            report_paths[rel] = os.path.join(str(reports_dir), name)

    items = [(rel, report_paths[rel]) for rel in files]
    jobs = cap_jobs(jobs, total)
    if progress:
        progress(0, total)

    counts = {c: 0 for c in CLASSES}
    kept: list[dict] = []
    to_read = 0
    waiting: dict[str, dict] = {}  # rows done before a row above them
    at = 0

    def deliver(rel: str, row: dict) -> None:
        """Rows leave in file order, whatever order the workers finish them in."""
        nonlocal at, to_read
        waiting[rel] = row
        while at < total and files[at] in waiting:
            done = waiting.pop(files[at])
            at += 1
            counts[done["class"]] += 1
            to_read += _to_read(done)
            if sink is None:
                kept.append(done)
            else:
                sink(done)

    _warm()  # once here: forked workers inherit it
    if total:
        _run_workers(root, items, jobs, deliver, progress, total, limits or Limits())

    if sink is None:
        return SurveyResult(root, kept, counts, files)
    return SurveyResult(root, [], counts, files, streamed=total, streamed_to_read=to_read)


# ----------------------------------------------------------------------------------------
# The workers: one process per job, one file at a time, each under a time and memory limit
# ----------------------------------------------------------------------------------------

#: More processes than this many per core only wait on one another (and each holds the
#: models in memory): `--jobs 10000` is capped, not obeyed.
MAX_JOBS_PER_CORE = 4


def cap_jobs(jobs: int | None, total: int | None = None) -> int:
    """The number of worker processes: `jobs` (default: the cores), at most
    MAX_JOBS_PER_CORE per core and at most one per file."""
    cores = os.cpu_count() or 1
    n = cores if jobs is None else int(jobs)
    n = max(1, min(n, MAX_JOBS_PER_CORE * cores))
    if total is not None:
        n = min(n, max(1, total))
    return n


@dataclass(frozen=True)
class Limits:
    """What one file may cost a worker: wall-clock seconds, and growth of its resident
    memory in MB. Past either, the worker is killed and replaced, and the file's row says
    "timed out after N s" or "too large to analyse". (The readers' own budgets refuse most
    hostile files long before; these catch what no budget foresaw.)"""

    seconds: float = 300.0
    memory_mb: int = 2048


def _rss(pid: int) -> int:
    """Resident memory of a process in bytes (0 where /proc cannot tell)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        return 0


def _die_with_parent(parent: int) -> None:
    """Linux: the kernel kills this worker when the survey process ends, however it ends."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            import signal

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
        except Exception:  # pragma: no cover - no libc to call
            pass
    if os.getppid() != parent:  # the parent is already gone
        os._exit(1)


def _worker_main(conn, root: str, parent: int) -> None:
    """A worker: take (relative path, report path) from `conn`, send back the row; stop at
    None or when the parent goes away."""
    import signal

    _die_with_parent(parent)
    for sig, action in ((signal.SIGINT, signal.SIG_IGN), (signal.SIGTERM, signal.SIG_DFL),
                        (getattr(signal, "SIGHUP", None), signal.SIG_DFL)):
        if sig is not None:
            try:
                signal.signal(sig, action)  # Ctrl-C is the parent's; SIGTERM ends us at once
            except (ValueError, OSError):  # pragma: no cover
                pass
    _warm()  # a no-op where the models were inherited by fork
    from .readers import ocr

    ocr.set_progress(False)  # the survey shows its own progress, not each scan's pages
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if task is None:
            return
        rel, rp = task
        try:
            row = _analyse_one(root, rel, rp)
        except MemoryError:
            row = _empty_row(rel, "too large to analyse (out of memory)")
        except RecursionError:
            row = _empty_row(rel, "the document is nested too deeply to analyse")
        try:
            conn.send(row)
        except (OSError, ValueError):
            return


class _Worker:
    def __init__(self, ctx, root: str) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, root, os.getpid()), daemon=True)
        self.proc.start()
        child.close()
        self.task: tuple[str, str | None] | None = None
        self.started = 0.0
        self.base = 0
        self.peak = 0

    def give(self, task) -> bool:
        import time

        self.task = task
        self.started = time.monotonic()
        self.base = _rss(self.proc.pid)
        self.peak = 0
        try:
            self.conn.send(task)
        except (OSError, ValueError):
            return False
        return True

    def kill(self) -> None:
        try:
            self.proc.kill()
        except Exception:
            pass
        self.proc.join(timeout=5)
        try:
            self.conn.close()
        except Exception:
            pass


class Stopped(BaseException):
    """The survey was stopped by a signal (SIGTERM, SIGHUP); its workers are gone."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _context():
    import multiprocessing as mp

    if sys.platform.startswith("linux") and "fork" in mp.get_all_start_methods():
        return mp.get_context("fork")  # workers inherit the loaded models (and test patches)
    return mp.get_context()


def _run_workers(root: str, items: list, jobs: int, deliver: Callable[[str, dict], None], progress, total: int,
                 limits: Limits) -> None:
    """Analyse `items` in `jobs` worker processes. A worker that runs past the time limit,
    grows past the memory limit or dies is killed and replaced, and its file gets a row
    that says so; the others go on. Any signal or error in this process ends every worker."""
    import signal
    import time
    from collections import deque
    from multiprocessing.connection import wait

    ctx = _context()
    queue = deque(items)
    workers: list[_Worker] = []
    done = 0
    memory_limit = limits.memory_mb * 1024 * 1024 if limits.memory_mb else 0

    def stop(signum, _frame):
        raise Stopped(signum)

    previous = {}
    for name in ("SIGTERM", "SIGHUP"):
        sig = getattr(signal, name, None)
        if sig is None:
            continue
        try:
            previous[sig] = signal.signal(sig, stop)
        except (ValueError, OSError):  # not the main thread: the workers still die with us
            pass

    def finish(w: _Worker, row: dict) -> None:
        nonlocal done
        rel = w.task[0]
        w.task = None
        deliver(rel, row)
        done += 1
        if progress:
            progress(done, total)

    def replace(w: _Worker) -> _Worker:
        w.kill()
        fresh = _Worker(ctx, root)
        workers[workers.index(w)] = fresh
        return fresh

    def feed(w: _Worker) -> None:
        while queue:
            task = queue.popleft()
            if w.give(task):
                return
            finish(w, _empty_row(task[0], "the analysis process stopped before reading this file"))
            w = replace(w)

    try:
        for _ in range(jobs):
            workers.append(_Worker(ctx, root))
        for w in list(workers):
            feed(w)
        while any(w.task is not None for w in workers):
            busy = [w for w in workers if w.task is not None]
            ready = wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], timeout=0.25)
            now = time.monotonic()
            for w in busy:
                rel = w.task[0]
                if w.conn in ready or w.proc.sentinel in ready:
                    row = None
                    try:
                        if w.conn.poll():
                            row = w.conn.recv()
                    except (EOFError, OSError, ValueError):
                        row = None
                    if row is not None:
                        finish(w, row)
                        feed(w)
                        continue
                    if not w.proc.is_alive():
                        big = memory_limit and w.peak > 0.8 * memory_limit
                        finish(w, _empty_row(rel, "too large to analyse (the analysis ran out of memory)"
                                             if big else "the analysis process crashed while reading this file"))
                        feed(replace(w))
                        continue
                if now - w.started > limits.seconds:
                    finish(w, _empty_row(rel, f"timed out after {limits.seconds:g} s"))
                    feed(replace(w))
                    continue
                if memory_limit:
                    grown = _rss(w.proc.pid) - w.base
                    w.peak = max(w.peak, grown)
                    if grown > memory_limit:
                        finish(w, _empty_row(rel, f"too large to analyse (more than {limits.memory_mb:,} MB "
                                             "of memory)"))
                        feed(replace(w))
    finally:
        for w in workers:  # normally idle: ask them to stop, then make sure
            if w.task is None and w.proc.is_alive():
                try:
                    w.conn.send(None)
                except (OSError, ValueError):
                    pass
        deadline = time.monotonic() + 2
        for w in workers:
            if w.task is not None:
                w.kill()
            else:
                w.proc.join(timeout=max(0.0, deadline - time.monotonic()))
                if w.proc.is_alive():
                    w.kill()
            try:
                w.conn.close()
            except Exception:
                pass
        for sig, handler in previous.items():
            try:
                signal.signal(sig, handler)
            except (ValueError, OSError, TypeError):
                pass


# ----------------------------------------------------------------------------------------
# Writers
# ----------------------------------------------------------------------------------------


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.3f}"
    # Control characters (a carriage return that starts a new row, escape codes) are shown
    # escaped, and a cell a spreadsheet would read as a formula starts with a quote.
    text = printable(str(value))
    return "'" + text if text.lstrip()[:1] in ("=", "+", "-", "@") else text


def survey_csv(result: SurveyResult) -> str:
    buf = io.StringIO()
    table = _CsvTable(buf)
    for r in result.rows:
        table.row(r)
    return buf.getvalue()


def survey_json(result: SurveyResult) -> str:
    buf = io.StringIO()
    doc = _JsonTable(buf, result.folder)
    for r in result.rows:
        doc.row(r)
    doc.end(result)
    return buf.getvalue()


class _CsvTable:
    """The CSV table written row by row to `out` (the header first)."""

    def __init__(self, out) -> None:
        self._writer = csv.writer(out, lineterminator="\n")
        self._writer.writerow(COLUMNS)

    def row(self, r: dict) -> None:
        self._writer.writerow([_cell(r[c]) for c in COLUMNS])

    def end(self, result: SurveyResult) -> None:
        pass


class _JsonTable:
    """The JSON document written row by row to `out`: the same text as one `json.dumps`
    of the whole document with indent=2 (a JSON string never holds a raw line break, so
    indenting every line of a dumped row places it in the list)."""

    def __init__(self, out, folder: str) -> None:
        self._out = out
        self._rows = 0
        out.write("{\n  " + json.dumps("folder") + ": " + json.dumps(folder, ensure_ascii=False) + ",\n  "
                  + json.dumps("policies") + ": [")

    def row(self, r: dict) -> None:
        out = {}
        for c in COLUMNS:
            v = r[c]
            out[c] = None if v == "" and c not in ("file",) else v
        out["report"] = r.get("_report")
        self._out.write(("," if self._rows else "") + "\n    " + _dumped(out).replace("\n", "\n    "))
        self._rows += 1

    def end(self, result: SurveyResult) -> None:
        summary = {
            "policies": len(result.rows) if result.streamed is None else result.streamed,
            **{c: result.counts.get(c, 0) for c in CLASSES},
            "policies_to_read": result.to_read,
            "text": result.summary,
        }
        self._out.write(("\n  ]" if self._rows else "]") + ",\n  " + json.dumps("summary") + ": "
                        + _dumped(summary).replace("\n", "\n  ") + "\n}\n")


def _dumped(value) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def survey_html(result: SurveyResult, output: str | os.PathLike[str] | None = None) -> str:
    from .writers.survey_html import survey_table_html

    return survey_table_html(result, output)


# ----------------------------------------------------------------------------------------
# The command (kept here so `cli.py` stays a thin layer)
# ----------------------------------------------------------------------------------------


def run_survey_command(folder: str, output: str | None, jobs: int | None, reports: str | None, force: bool,
                       time_limit: float | None = None, memory_limit: int | None = None) -> None:
    import click

    from .output import write_output

    fmt = "csv"
    if output:
        suffix = Path(output).suffix.lower()
        fmt = {".csv": "csv", ".json": "json", ".html": "html", ".htm": "html"}.get(suffix, "")
        if not fmt:
            raise InputError(output, "choose the table format by the suffix of -o: .csv, .json or .html")
        from .output import refuse_special

        refuse_special(Path(output), output)  # a device or pipe: refused before minutes of work
        if os.path.exists(output) and not force and not os.path.isdir(output):
            # fail before minutes of work, not after
            raise InputError(output, "already exists; use --force to replace it")
    _check_folder(folder)
    # Our own earlier table inside the folder is not a policy; any other file is an input,
    # and write_output refuses to replace it.
    exclude = [output] if output and (not os.path.exists(output) or is_survey_output(output)) else []

    bar = None
    if sys.stderr.isatty():
        state: dict = {}

        def progress(done: int, total: int) -> None:
            if "bar" not in state:
                state["bar"] = click.progressbar(length=total, label="surveying", file=sys.stderr)
                state["bar"].__enter__()
                state["done"] = 0
            state["bar"].update(done - state["done"])
            state["done"] = done

        bar = state
    else:
        progress = None  # type: ignore[assignment]

    limits = Limits(seconds=time_limit if time_limit is not None else Limits.seconds,
                    memory_mb=memory_limit if memory_limit is not None else Limits.memory_mb)
    # CSV and JSON rows go out as they are done (in file order), so the table is never held
    # whole; the HTML page is written at the end (its summary and filters come first).
    target = None
    table = None
    sink = None
    if fmt in ("csv", "json"):
        from .output import StreamedOutput

        if output:
            target = StreamedOutput(output, force=force)
            write = target.write
        else:
            def write(text: str) -> None:
                click.echo(text, nl=False)
        pieces = _Pieces(write)
        table = _CsvTable(pieces) if fmt == "csv" else _JsonTable(pieces, str(folder))
        sink = table.row
    try:
        result = survey(folder, jobs=jobs, reports_dir=reports, progress=progress, exclude=exclude, limits=limits,
                        sink=sink)
        if table is not None:
            table.end(result)
            pieces.flush()
            if target is not None:
                target.commit(tuple(os.path.join(folder, r) for r in result.files))
    except Stopped as exc:  # SIGTERM / SIGHUP: the workers are gone; exit as the signal asks
        import signal

        try:
            name = signal.Signals(exc.signum).name
        except ValueError:
            name = f"signal {exc.signum}"
        click.echo(f"redline: survey stopped ({name})", err=True)
        sys.exit(128 + exc.signum)
    finally:
        if target is not None:
            target.discard()  # nothing to remove once committed
        if bar and "bar" in bar:
            bar["bar"].__exit__(None, None, None)

    if fmt == "html":
        text = survey_html(result, output)
        if output:
            write_output(output, text, inputs=tuple(os.path.join(folder, r) for r in result.files), force=force)
        else:
            click.echo(text, nl=False)
    if output:
        click.echo(f"wrote {printable(output)}", err=True)
    click.echo(result.summary, err=True)


class _Pieces:
    """Small writes gathered into pieces of about 64 KB before they reach `write` (one
    system call per piece, not per row)."""

    def __init__(self, write: Callable[[str], None], size: int = 1 << 16) -> None:
        self._write = write
        self._size = size
        self._parts: list[str] = []
        self._held = 0

    def write(self, text: str) -> None:
        self._parts.append(text)
        self._held += len(text)
        if self._held >= self._size:
            self.flush()

    def flush(self) -> None:
        if self._parts:
            text = "".join(self._parts)
            self._parts.clear()
            self._held = 0
            self._write(text)
