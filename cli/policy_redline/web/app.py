"""The web application: Starlette routes over `work.py`, Jinja2 templates, static files.

Requests are stateless: nothing of an upload outlives its response. Each request copies its
uploads into a temporary folder of its own (under names made here), works there and deletes
the folder before (or, for a streamed survey, as) the response is sent. The scorecard page
carries the uploaded file back in its download form, so the downloads need nothing kept on
the server.

The heavy work runs in worker threads bounded by a capacity limiter (a survey additionally
by its own process pool and time limit), so the event loop keeps answering other users
while one policy is read.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import os
import queue
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import anyio
import jinja2
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .. import __version__
from ..errors import InputError, one_line
from ..models import QUESTION_IDS
from ..writers.survey_html import QUESTION_LABELS
from . import work

HERE = Path(__file__).parent

#: A request body larger than this is refused before it is read (a survey's many files or
#: .zip; one policy is limited to work.MAX_POLICY_BYTES after it is read).
MAX_REQUEST_BYTES = 100 * 1024 * 1024


@dataclass(frozen=True)
class Settings:
    tmp_root: str | None = None  # where request folders are made (default: the system's)
    max_request_bytes: int = MAX_REQUEST_BYTES
    workers: int | None = None  # analyses at once (default: twice the cores, at least 4)
    survey_jobs: int | None = None  # processes for one survey (default: the cores)
    survey_seconds: float = 120.0  # per file in a survey
    allowed_hosts: tuple[str, ...] | None = None  # Host headers accepted (None: any)


class TooLarge(Exception):
    pass


class _BodyLimit:
    """Refuse a request body over the limit: at once from Content-Length, or as soon as a
    body without one passes it, so no upload can fill the disk or memory."""

    def __init__(self, app, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            response = _too_large_response(self.limit)
            return await response(scope, receive, send)
        seen = 0

        async def limited():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise TooLarge()
            return message

        return await self.app(scope, limited, send)


class _SecurityHeaders:
    """Every page and file: scripts and styles only from this app, no framing, no sniffing."""

    CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
           "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"content-security-policy", self.CSP.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY"),
                    (b"cache-control", b"no-store"),
                ]
                message = {**message, "headers": headers}
            await send(message)

        return await self.app(scope, receive, with_headers)


_env = jinja2.Environment(
    loader=jinja2.PackageLoader("policy_redline.web", "templates"),
    autoescape=True,  # every text from a document or a file name is escaped
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)

import shlex  # noqa: E402

_env.filters["shell"] = shlex.quote  # a file name in a command the page shows, runnable as shown

VERDICT_LABELS = {"red": "Red flag", "green": "Green", "silent": "Silent", "gap": "Gap", "unclear": "Unclear"}
VERDICT_PLURALS = {"red": "Red flags", "green": "Green", "silent": "Silent", "gap": "Gaps", "unclear": "Unclear"}


def _scorecard(card, label: str, payload, status: int = 200, *, error: str | None = None, sent: dict | None = None):
    """The scorecard page: the one a policy's upload shows, and the one a download that
    needs more shows again with its message and the fields as the user left them."""
    return _page("scorecard.html", status, card=card, page=card.page, label=label, payload=payload,
                 questions=QUESTION_IDS, today=dt.date.today().isoformat(), kinds=work.KINDS,
                 error=error, sent=sent or {})


def _page(name: str, status: int = 200, **context) -> HTMLResponse:
    context.setdefault("version", __version__)
    context.setdefault("error", None)
    context.setdefault("labels", VERDICT_LABELS)
    context.setdefault("plurals", VERDICT_PLURALS)
    return HTMLResponse(_env.get_template(name).render(**context), status_code=status)


def _too_large_response(limit: int) -> HTMLResponse:
    return _page("index.html", 413, section="policy", today=dt.date.today().isoformat(), limits=_limits(),
                 error=f"The upload is larger than the {work.size_text(limit)} this page accepts at once. "
                       "Send fewer files, or run `redline survey FOLDER` on the command line.")


def _limits() -> dict:
    return {"policy": work.size_text(work.MAX_POLICY_BYTES), "files": work.MAX_SURVEY_FILES,
            "request": work.size_text(MAX_REQUEST_BYTES)}


class _RequestFolder:
    """A temporary folder of the request's own; every upload is copied into it under a name
    made here, and the folder goes with the response."""

    def __init__(self, root: str | None) -> None:
        self.path = tempfile.mkdtemp(prefix="redline-serve-", dir=root)
        self.count = 0

    async def keep(self, upload: UploadFile, limit: int) -> work.Upload:
        label = work.label_for(upload.filename)
        self.count += 1
        path = os.path.join(self.path, f"upload-{self.count}{os.path.splitext(label)[1].lower()[:12]}")
        size = 0
        with open(path, "xb") as fh:
            while True:
                chunk = await upload.read(1024 * 1024)
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    raise InputError(label, f"file is larger than the {work.size_text(limit)} this page accepts"
                                     + (" (run `redline` on the command line for larger files)" if limit < work.MAX_FILE_BYTES else ""))
                fh.write(chunk)
        return work.Upload(label, path)

    def keep_bytes(self, label: str, data: bytes) -> work.Upload:
        label = work.label_for(label)
        self.count += 1
        path = os.path.join(self.path, f"upload-{self.count}{os.path.splitext(label)[1].lower()[:12]}")
        with open(path, "xb") as fh:
            fh.write(data)
        return work.Upload(label, path)

    def remove(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings()
    # Analyses hold the GIL most of the time, so more threads than cores buy fairness, not
    # speed: a slow file takes one slot, and the others keep being served.
    limiter = anyio.CapacityLimiter(max(1, settings.workers or max(4, 2 * (os.cpu_count() or 1))))
    survey_lock = threading.BoundedSemaphore(1)  # one survey's process pool at a time

    async def run(fn, *args):
        return await anyio.to_thread.run_sync(lambda: fn(*args), limiter=limiter)

    async def form(request: Request, max_files: int = 4):
        try:
            return await request.form(max_files=max_files, max_fields=40,
                                      max_part_size=work.MAX_POLICY_BYTES * 4 // 3 + 4096)
        except HTTPException as exc:  # python-multipart's refusals: too many files, a field too large
            detail = str(exc.detail)
            if "files" in detail.lower():
                raise InputError("the upload", f"has too many files (at most {max_files} here)") from None
            raise InputError("the upload", one_line(detail)) from None

    def error_page(section: str, message: str, status: int = 400, **extra) -> HTMLResponse:
        return _page("index.html", status, section=section, error=message, today=dt.date.today().isoformat(),
                     limits=_limits(), **extra)

    async def index(request: Request):
        return _page("index.html", section="policy", today=dt.date.today().isoformat(), limits=_limits())

    async def compare_form(request: Request):
        return _page("index.html", section="compare", today=dt.date.today().isoformat(), limits=_limits())

    async def survey_form(request: Request):
        return _page("index.html", section="survey", today=dt.date.today().isoformat(), limits=_limits())

    async def analyze(request: Request):
        folder = _RequestFolder(settings.tmp_root)
        try:
            data = await form(request)
            upload = data.get("policy")
            if not isinstance(upload, UploadFile) or not upload.filename:
                return error_page("policy", "Choose a policy file first (PDF, Word, RTF, OpenDocument, text, Markdown or a web page).")
            kept = await folder.keep(upload, work.MAX_POLICY_BYTES)
            card = await run(work.scorecard, kept)
            raw = await anyio.to_thread.run_sync(kept.read)
            return _scorecard(card, kept.label, base64.b64encode(raw).decode("ascii"))
        except InputError as exc:
            return error_page("policy", work.user_message(exc))
        finally:
            folder.remove()

    async def download(request: Request):
        folder = _RequestFolder(settings.tmp_root)
        try:
            data = await form(request, max_files=0)
            kind = str(data.get("download") or "")
            payload = data.get("payload")
            upload = _carried(folder, data, "payload", "label")
            options = {k: (v if isinstance(v, str) else None) for k, v in data.items() if k not in ("payload", "download")}
            try:
                got = await run(work.download, kind, upload, options)
            except InputError as exc:
                if upload is None:
                    raise
                # the scorecard again, the message on it and the fields as the user left them
                card = await run(work.scorecard, upload)
                return _scorecard(card, upload.label, payload, 400, error=work.user_message(exc), sent=options)
            return _file(got.filename, got.media_type, got.body)
        except InputError as exc:
            return error_page("policy", work.user_message(exc))
        finally:
            folder.remove()

    async def compare(request: Request):
        folder = _RequestFolder(settings.tmp_root)
        try:
            data = await form(request)
            new, old = data.get("policy"), data.get("against")
            a = _carried(folder, data, "policy_payload", "policy_label")  # the compare page's own download form
            b = _carried(folder, data, "against_payload", "against_label")
            if a is None or b is None:
                if not isinstance(new, UploadFile) or not new.filename or not isinstance(old, UploadFile) or not old.filename:
                    return error_page("compare", "Choose two files: the policy, and the one to compare it with.")
                a = await folder.keep(new, work.MAX_POLICY_BYTES)
                b = await folder.keep(old, work.MAX_POLICY_BYTES)
            if data.get("download") == "compare-docx":
                body = await run(work.compare_docx, a, b)
                return _file(f"{work._stem(a.label)}-compared-with-{work._stem(b.label)}.docx", work.DOCX, body)
            c = await run(work.comparison, a, b)
            raw_a, raw_b = await anyio.to_thread.run_sync(a.read), await anyio.to_thread.run_sync(b.read)
            return _page("compare.html", c=c, redline=c.to_redline(typography=True), new=a.label, old=b.label,
                         new_payload=base64.b64encode(raw_a).decode("ascii"), old_payload=base64.b64encode(raw_b).decode("ascii"))
        except InputError as exc:
            return error_page("compare", work.user_message(exc))
        finally:
            folder.remove()

    async def survey(request: Request):
        folder = _RequestFolder(settings.tmp_root)
        try:
            data = await form(request, max_files=work.MAX_SURVEY_FILES)
            files = [f for f in data.getlist("files") if isinstance(f, UploadFile) and f.filename]
            if not files:
                folder.remove()
                return error_page("survey", "Choose the policy files, or one .zip of them.")
            kept = [await folder.keep(f, settings.max_request_bytes) for f in files]
            given = await run(work.survey_input, kept, settings.max_request_bytes)
        except InputError as exc:
            folder.remove()
            return error_page("survey", work.user_message(exc))
        except BaseException:
            folder.remove()
            raise
        if not given.entries:
            folder.remove()
            return error_page("survey", "No policy files in the upload"
                              + (": " + "; ".join(f"{r.label}: {r.reason}" for r in given.refused[:5]) if given.refused else "."))
        return StreamingResponse(_survey_stream(given, folder, settings, survey_lock), media_type="text/html; charset=utf-8",
                                 background=BackgroundTask(folder.remove))

    async def handle_too_large(request: Request, exc: Exception):
        return _too_large_response(settings.max_request_bytes)

    async def handle_bug(request: Request, exc: Exception):
        # as the command line says it: one line, never a traceback in the page
        return error_page("policy", f"internal error ({type(exc).__name__}: {one_line(str(exc))[:300]}); "
                          "please report it with the file, if you can share it", 500)

    routes = [
        Route("/", index),
        Route("/compare", compare_form),
        Route("/survey", survey_form),
        Route("/analyze", analyze, methods=["POST"]),
        Route("/download", download, methods=["POST"]),
        Route("/compare", compare, methods=["POST"]),
        Route("/survey", survey, methods=["POST"]),
        Mount("/static", app=StaticFiles(packages=[("policy_redline.web", "static")]), name="static"),
    ]
    middleware = []
    if settings.allowed_hosts:
        # A page on another site cannot reach this one by re-pointing its own name at
        # 127.0.0.1 (DNS rebinding): only the addresses it is served on are answered.
        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=list(settings.allowed_hosts)))
    middleware += [Middleware(_SecurityHeaders), Middleware(_BodyLimit, limit=settings.max_request_bytes)]
    return Starlette(routes=routes, middleware=middleware, exception_handlers={TooLarge: handle_too_large, Exception: handle_bug})


def _carried(folder: _RequestFolder, data, field: str, label_field: str) -> work.Upload | None:
    """A file a page carried back in its form (base64 in a hidden field), kept like an
    upload; None when the form carries none."""
    payload = data.get(field)
    if not isinstance(payload, str) or not payload:
        return None
    try:
        raw = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise InputError("the form", "the file it carries is damaged; upload the file again") from None
    if len(raw) > work.MAX_POLICY_BYTES:
        raise InputError("the form", f"the file it carries is larger than {work.size_text(work.MAX_POLICY_BYTES)}")
    label = data.get(label_field)
    return folder.keep_bytes(label if isinstance(label, str) and label else "policy", raw)


def _file(filename: str, media_type: str, body: bytes) -> Response:
    ascii_name = "".join(ch if 32 < ord(ch) < 127 and ch not in '"\\;' else "_" for ch in filename)
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"
    return Response(body, media_type=media_type, headers={"content-disposition": disposition})


def _survey_stream(given: work.SurveyInput, folder: _RequestFolder, settings: Settings, lock: threading.BoundedSemaphore):
    """The survey page, sent as the work goes: its head and a progress bar at once, a new
    bar as each file finishes (the stylesheet shows only the last, so it moves without
    JavaScript), then the table and its downloads."""
    total = len(given.entries)
    events: queue.Queue = queue.Queue()

    def progress(done: int, n: int) -> None:
        events.put(("progress", done))

    def work_thread() -> None:
        try:
            if not lock.acquire(blocking=False):
                events.put(("waiting", 0))
                lock.acquire()
            try:
                events.put(("started", 0))
                result = work.run_survey(given, folder.path, jobs=settings.survey_jobs,
                                         seconds=settings.survey_seconds, progress=progress)
            finally:
                lock.release()
            events.put(("done", result))
        except InputError as exc:
            events.put(("error", work.user_message(exc)))
        except Exception as exc:  # a bug: one line in the page, never a traceback
            events.put(("error", f"internal error ({type(exc).__name__}: {one_line(str(exc))})"))

    head = _env.get_template("survey_head.html").render(total=total, given=given, version=__version__, section="survey")
    try:
        yield head
        threading.Thread(target=work_thread, daemon=True).start()
        while True:
            kind, value = events.get()
            if kind == "waiting":
                yield '<p class="status" role="status">Waiting for another survey on this server to finish…</p>\n'
            elif kind == "started":
                yield '<p class="status" role="status">Reading the files…</p>\n'
            elif kind == "progress":
                yield (f'<p class="bar"><progress max="{total}" value="{value}" aria-label="Files read">'
                       f"{value} of {total}</progress> <span>{value} of {total} files read</span></p>\n")
            elif kind == "error":
                yield _env.get_template("survey_tail.html").render(error=value, result=None, downloads={}, given=given,
                                                                    questions=QUESTION_IDS, labels=VERDICT_LABELS,
                                                                    question_labels=QUESTION_LABELS)
                return
            else:
                result = value
                downloads = {k: (name, media, base64.b64encode(text.encode("utf-8")).decode("ascii"))
                             for k, (name, media, text) in work.survey_downloads(result).items()}
                yield _env.get_template("survey_tail.html").render(error=None, result=result, downloads=downloads, given=given,
                                                                    questions=QUESTION_IDS, labels=VERDICT_LABELS,
                                                                    question_labels=QUESTION_LABELS)
                return
    finally:
        folder.remove()
