"""The `redline` command: parse arguments, call the library, write the result.

Nothing here decides anything about a policy; every command is a few lines over a library
function, so scripts can do the same without a shell.
"""

from __future__ import annotations

import gc
import os
import re
import sys

import click

from . import __version__
from .errors import InputError

EXIT_INPUT = 1  # an input cannot be used; usage errors are click's own 2

# What an output file's extension says it holds (`-o report.html` is an HTML report).
_SUFFIX_FORMATS = {
    ".txt": "text", ".text": "text",
    ".json": "json",
    ".md": "md", ".markdown": "md",
    ".html": "html", ".htm": "html",
    ".docx": "docx",
}
# Extensions of documents no command writes: `-o x.pdf` must not get text in it.
_DOCUMENT_SUFFIXES = (".pdf", ".doc", ".rtf", ".odt", ".csv", ".xlsx", ".xls", ".pages")


def pick_format(fmt: str | None, output: str | None, choices: tuple[str, ...], default: str, *, command: str,
                inputs: tuple[str | None, ...] = ()) -> str:
    """The output format: `--format` if given, else what `-o FILE`'s extension says, else
    `default`. A `--format` the extension contradicts, or an extension the command cannot
    write, is a usage error (exit 2): a file named .html must hold HTML."""
    if output and inputs:  # writing over an input is refused first, whatever the format
        from .output import refuse_input_overwrite

        refuse_input_overwrite(output, inputs)
    suffix = os.path.splitext(output)[1].lower() if output else ""
    implied = _SUFFIX_FORMATS.get(suffix)
    if implied is None and suffix in _DOCUMENT_SUFFIXES:
        raise click.UsageError(
            f"-o {output}: `redline {command}` does not write {suffix} files; it writes {_or_list(choices)} "
            f"(e.g. -o {_with_suffix(output, choices[0])})")
    if implied is not None and implied not in choices:
        raise click.UsageError(
            f"-o {output}: `redline {command}` does not write {suffix} files; it writes {_or_list(choices)} "
            f"(e.g. -o {_with_suffix(output, default)})")
    if fmt is None:
        return implied or default
    if implied == "text" and fmt != "docx":
        return fmt  # a .txt file holds any text: JSON, Markdown or HTML source
    if implied is not None and implied != fmt:
        raise click.UsageError(
            f"--format {fmt} contradicts -o {output} (a {suffix} file); drop --format, or name the file "
            f"{_with_suffix(output, fmt)}")
    return fmt


_FORMAT_SUFFIX = {"text": ".txt", "json": ".json", "md": ".md", "html": ".html", "docx": ".docx"}


def _with_suffix(output: str, fmt: str) -> str:
    return os.path.splitext(output)[0] + _FORMAT_SUFFIX.get(fmt, "." + fmt)


def _or_list(choices: tuple[str, ...]) -> str:
    return ", ".join(choices[:-1]) + " or " + choices[-1] if len(choices) > 1 else choices[0]


def _binary_to_terminal(suggest: str | None) -> None:
    hint = f", e.g. `{suggest}`" if suggest else ""
    raise click.UsageError(f"this format is binary (a Word file) and standard output is a terminal; give an output file with -o{hint}")


def _sh(word: str) -> str:
    import shlex

    return shlex.quote(word)


def _emit(text_or_bytes: str | bytes, output: str | None, *, inputs: tuple[str, ...], force: bool, color: bool | None = None,
          suggest: str | None = None) -> None:
    from .output import write_output

    if output:
        write_output(output, text_or_bytes, inputs=inputs, force=force)
        from .errors import printable

        click.echo(f"wrote {printable(output)}", err=True)
    elif isinstance(text_or_bytes, bytes):
        if sys.stdout.isatty():
            _binary_to_terminal(suggest)
        sys.stdout.buffer.write(text_or_bytes)
        sys.stdout.buffer.flush()
    else:
        click.echo(text_or_bytes, nl=False, color=color)


output_option = click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file instead of standard output.")
force_option = click.option("--force", is_flag=True, help="Replace the output file if it exists.")


def _no_ocr(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    """OCR off while this command runs (set in the environment, so survey workers see it)."""
    if value:
        from .readers.ocr import disabled

        ctx.with_resource(disabled())
    return value


no_ocr_option = click.option("--no-ocr", is_flag=True, expose_value=False, callback=_no_ocr,
                             help="Do not read scanned PDF pages with OCR (Tesseract); a scan is then refused.")


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="redline")
def cli() -> None:
    """Measure a police department's ICE-cooperation policy against a strong model policy,
    clause by clause, and draft the fix.

    POLICY is a .pdf, .docx, .rtf, .odt, .txt, .md or .html file, or - to read text from standard input.
    """


@cli.command()
@click.argument("policy", type=str)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "md", "html"]), default=None,
              help="Output format [default: from -o's extension, else text].")
@output_option
@force_option
@no_ocr_option
def analyze(policy: str, fmt: str, output: str | None, force: bool) -> None:
    """Answer the guide's seven questions for POLICY: red, green, silent or unclear (read the
    quoted clause yourself), with the clause that earns each verdict, and how much of it is
    Lexipol boilerplate."""
    from .analysis import analyze as run
    from .writers import report

    fmt = pick_format(fmt, output, ("text", "json", "md", "html"), "text", command="analyze", inputs=(policy,))
    a = run(policy)
    color = output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    text = {
        "text": lambda: report.report_text(a, color=color),
        "json": lambda: report.report_json(a),
        "md": lambda: report.report_markdown(a),
        "html": lambda: report.report_html(a),
    }[fmt]()
    _emit(text, output, inputs=(policy,), force=force, color=color)


@cli.command()
@click.argument("folder", type=str)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the table to FILE.csv, FILE.json or FILE.html (default: CSV on standard output).")
@click.option("--jobs", type=click.IntRange(min=1), default=None, help="Processes to use (default: the number of cores; at most four per core).")
@click.option("--reports", type=click.Path(file_okay=False), default=None, help="Also write each policy's analyze HTML report into this folder; the HTML table links to them.")
@click.option("--time-limit", type=click.FloatRange(min=1, max=86400), default=None, metavar="SECONDS",
              help="Give up on a file after this long (default: 300); its row says it timed out.")
@click.option("--memory-limit", type=click.IntRange(min=64, max=1 << 20), default=None, metavar="MB",
              help="Give up on a file whose analysis needs more memory than this (default: 2048).")
@force_option
@no_ocr_option
def survey(folder: str, output: str | None, jobs: int | None, reports: str | None, force: bool,
           time_limit: float | None, memory_limit: int | None) -> None:
    """Analyse every policy file under FOLDER: one row per file with the seven verdicts and a
    class (permits / restricts / needs reading / silent / unreadable), and a one-line summary."""
    from .survey import run_survey_command

    run_survey_command(folder, output, jobs, reports, force, time_limit, memory_limit)


def _redline_bytes_or_text(redline, fmt: str, color: bool, department: str = ""):
    """Render a Redline in the chosen format (docx is bytes, the rest text)."""
    if fmt == "docx":
        from .writers.docx_redline import redline_to_docx

        return redline_to_docx(redline, department)
    if fmt == "html":
        from .writers.html_redline import redline_to_html

        return redline_to_html(redline)
    if fmt == "md":
        from .writers.markdown_redline import redline_to_markdown

        return redline_to_markdown(redline)
    from .writers.text_redline import redline_to_text

    return redline_to_text(redline, color=color)


@cli.command()
@click.argument("policy", type=str)
@click.option("--town", help="The city or town, for the model's fill-ins (guessed from the policy when omitted).")
@click.option("--department", help='The department\'s full name (default: "TOWN Police Department", or as the policy names itself).')
@click.option("--board", help='The public body that approves exceptions, e.g. "the City Council" (default: from the table of Massachusetts cities and towns, else as the policy names it; asked for when neither says).')
@click.option("--format", "fmt", type=click.Choice(["docx", "md", "html", "text", "json"]), default=None,
              help="Output format [default: from -o's extension, else docx].")
@click.option("--clean", is_flag=True, help="The amended policy alone, without tracked changes.")
@click.option("--standalone", is_flag=True, help="For a policy that is not about immigration at all: write a separate immigration policy for the department instead.")
@click.option("--author", default="policy-redline", show_default=True, help="Author of the tracked changes and comments.")
@click.option("--date", "date", default="2026-01-01T00:00:00Z", show_default=True, help="Date of the tracked changes (fixed by default so output is reproducible).")
@output_option
@force_option
@no_ocr_option
def draft(policy: str, town: str | None, department: str | None, board: str | None, fmt: str, clean: bool,
          standalone: bool, author: str, date: str, output: str | None, force: bool) -> None:
    """Draft the amended POLICY: red-flag clauses replaced with model language, missing
    protections inserted, the department's own good clauses kept; each change with its reason.
    Clauses the tool cannot classify (unclear) are kept, with a note to read them yourself."""
    import json

    from .analysis import analyze as run
    from .draft import draft as make_draft
    from .draft import is_about_immigration, standalone_policy
    from .output import suggested_output

    fmt = pick_format(fmt, output, ("docx", "md", "html", "text", "json"), "docx", command="draft", inputs=(policy,))
    if fmt == "docx" and output is None and sys.stdout.isatty():  # fail before the work, not after
        _binary_to_terminal(f"redline draft {_sh(policy)} -o {_sh(suggested_output(policy))}")
    analysis = run(policy)
    if standalone and not is_about_immigration(analysis):
        amendment = standalone_policy(analysis, town=town, department=department, board=board)
    else:
        amendment = make_draft(analysis, town=town, department=department, board=board)
    color = output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    if fmt == "json":
        payload = {
            "policy": {"source": amendment.source, "title": amendment.title},
            "department": amendment.names.department,
            "town": amendment.names.town,
            "board": amendment.names.board,
            "fill_ins": [{"name": k, "value": getattr(amendment.names, k), "from": v} for k, v in amendment.names.sources],
            "changes": [
                {"clause": c.clause, "question": c.question, "action": c.action, "reason": c.reason, "model_clause": c.model_clause or None}
                for c in amendment.changes
            ],
        }
        result: str | bytes = json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
    else:
        result = None
        if fmt == "docx" and policy != "-" and policy.lower().endswith(".docx") and amendment.source == analysis.document.source and not amendment.standalone:
            from .ingest import read_regular_file  # the department's own document, edited in place

            result = amendment.to_docx(read_regular_file(policy), clean=clean, author=author, date=date)
        if result is None:
            redline = amendment.clean(author=author, date=date) if clean else amendment.redline(author=author, date=date)
            result = _redline_bytes_or_text(redline, fmt, color, amendment.names.department)
    _emit(result, output, inputs=(policy,), force=force, color=color)


@cli.command(short_help="Write a public records request for the department's ICE policies and records.")
@click.option("--department", required=True, help='The department, e.g. "Chicopee Police Department".')
@click.option("--requester", help="Your name, for the sender block and the signature.")
@click.option("--email", help="Where the records should be sent.")
@click.option("--address", help="Your postal address (a \\n or a line break starts a new line).")
@click.option("--date", "date", help="The letter's date, YYYY-MM-DD (default: today; give it for reproducible output).")
@click.option("--since", default="2025-01-01", show_default=True, help="Start of the period asked for; it ends on the letter's date.")
@click.option("--fee-limit", default="$25", show_default=True, help="Fees above this need your approval first.")
@click.option("--format", "fmt", type=click.Choice(["text", "md", "docx"]), default=None,
              help="Output format [default: from -o's extension, else text].")
@output_option
@force_option
def request(department: str, requester: str | None, email: str | None, address: str | None, date: str | None,
            since: str, fee_limit: str, fmt: str, output: str | None, force: bool) -> None:
    """Write a public records request (M.G.L. c. 66, § 10) to the department's Records Access
    Officer for its policies on cooperation with ICE and its records of that cooperation."""
    import datetime as dt

    from .request import build_letter, parse_date
    from .writers import letter as w

    fmt = pick_format(fmt, output, ("text", "md", "docx"), "text", command="request")
    if fmt == "docx" and output is None and sys.stdout.isatty():
        _binary_to_terminal("redline request --department " + _sh(department) + " --format docx -o request.docx")
    when = parse_date(date) if date else dt.date.today()
    letter = build_letter(department, date=when, requester=requester, email=email, address=address,
                          since=parse_date(since, "--since"), fee_limit=fee_limit)
    result = {"text": w.letter_text, "md": w.letter_markdown, "docx": w.letter_docx}[fmt](letter)
    _emit(result, output, inputs=(), force=force)


@cli.command()
@click.argument("policy", type=str)
@click.option("--town", help="The city or town (guessed from the policy when omitted).")
@click.option("--department", help='The department\'s full name (default: as the policy names itself, or "TOWN Police Department").')
@click.option("--format", "fmt", type=click.Choice(["html", "docx"]), default=None,
              help="Output format [default: from -o's extension, else html].")
@click.option("--date", "date", help="Date of the analysis, YYYY-MM-DD (default: today; give it for reproducible output).")
@output_option
@force_option
@no_ocr_option
def onepager(policy: str, town: str | None, department: str | None, fmt: str, date: str | None, output: str | None, force: bool) -> None:
    """One page for a meeting with the chief or the council: the seven verdicts with the clause
    that earns each, the three most important changes to ask for, and the boilerplate share."""
    import datetime as dt

    from .analysis import analyze as run
    from .onepager import build_onepager
    from .request import parse_date
    from .writers import onepager as w

    fmt = pick_format(fmt, output, ("html", "docx"), "html", command="onepager", inputs=(policy,))
    if fmt == "docx" and output is None and sys.stdout.isatty():
        _binary_to_terminal(f"redline onepager {_sh(policy)} -o onepager.docx")
    when = parse_date(date) if date else dt.date.today()
    page = build_onepager(run(policy), town=town, department=department, date=when)
    _emit(w.onepager_docx(page) if fmt == "docx" else w.onepager_html(page), output, inputs=(policy,), force=force)


@cli.command()
@click.argument("policy", type=str)
@click.option("--against", "against", metavar="MODEL_OR_PATH",
              help="A bundled model id (see `redline models`) or another policy file. Default: the Lexipol "
                   "template when the policy is built from it, else the model policy.")
@click.option("--format", "fmt", type=click.Choice(["text", "md", "html", "docx"]), default=None,
              help="Output format [default: from -o's extension, else text].")
@click.option("--author", default="policy-redline", show_default=True, help="Author of the tracked changes (docx).")
@click.option("--date", "date", default=None, help="Date of the tracked changes, ISO 8601 (docx; fixed by default).")
@click.option("--annotate", is_flag=True, help="docx: the clause report (a heading per clause, its match and score in a "
              "comment) instead of the plain redline.")
@output_option
@force_option
@no_ocr_option
def compare(policy: str, against: str | None, fmt: str, author: str, date: str | None, annotate: bool,
            output: str | None, force: bool) -> None:
    """Compare POLICY clause by clause with a template, a model or another policy: each clause
    next to its best counterpart with a word-level diff, and the clauses it has nothing for.
    With --format docx and two .docx files, the redline is AGAINST's own document with tracked
    changes turning it into POLICY (like Word's Compare)."""
    fmt = pick_format(fmt, output, ("text", "md", "html", "docx"), "text", command="compare", inputs=(policy, against))
    if fmt == "docx" and output is None and sys.stdout.isatty():
        _binary_to_terminal(f"redline compare {_sh(policy)}" + (f" --against {_sh(against)}" if against else "")
                            + " --format docx -o compare.docx")
    inputs = (policy, against) if against and against != "-" else (policy,)
    if fmt == "docx" and not annotate and _is_docx(policy) and _is_docx(against) and os.path.isfile(against):
        from .writers.docx_package import redline_pair

        from .ingest import read_regular_file  # only regular files, opened without blocking

        result = redline_pair(read_regular_file(against), read_regular_file(policy), author=author, date=date or "2026-01-01T00:00:00Z",
                              old_source=against, new_source=policy)
        _emit(result, output, inputs=inputs, force=force)
        return
    from . import compare as cmp  # aligning clauses: not needed for a pair of .docx files

    c = cmp.compare(policy, against)
    color = output is None and fmt == "text" and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    result = {
        "text": lambda: cmp.to_text(c, color=color),
        "md": lambda: cmp.to_markdown(c),
        "html": lambda: cmp.to_html(c),
        "docx": lambda: cmp.to_docx(c, author=author, date=date, annotate=annotate),
    }[fmt]()
    _emit(result, output, inputs=inputs, force=force, color=color)


def _is_docx(path: str | None) -> bool:
    """A Word package by its name (`docx_package.is_docx`, which the text formats need not import)."""
    from .writers.docx_package import is_docx

    return is_docx(path)


@cli.command("models")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def list_models(fmt: str) -> None:
    """List the bundled model policies and templates."""
    import json

    from .models import load_models

    rows = [
        {
            "id": m.id,
            "kind": m.kind,
            "family": m.family or None,
            "edition": m.edition or None,
            "state": m.state or None,
            "year": m.year or None,
            "clauses": len(m.clauses),
            "date": m.date,
            "title": m.title,
            "source": m.source,
        }
        for m in load_models()
    ]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return

    def show(r: dict, indent: str) -> None:
        what = f"{r['kind']}, {r['clauses']} clauses" + (f", {r['state']}" if r["state"] else "") + (f", {r['year'] or r['date']}")
        click.echo(f"{indent}{r['id']}  ({what})")
        click.echo(f"{indent}    {r['edition'] or r['title']}")
        source = public_source(r["source"])
        source = source if len(source) <= 300 else source[:299].rsplit(" ", 1)[0] + "…"
        click.echo(f"{indent}    source: {source}")

    for r in rows:
        if r["kind"] != "template":
            show(r, "")
    from .models import FAMILY_NAMES

    families: dict[str, list[dict]] = {}
    for r in rows:
        if r["kind"] == "template":
            families.setdefault(r["family"] or r["id"], []).append(r)
    for family, eds in sorted(families.items()):
        click.echo(f"template family {family}: {FAMILY_NAMES.get(family, family)} ({len(eds)} edition{'s' if len(eds) != 1 else ''})")
        for r in sorted(eds, key=lambda r: (r["id"] != family, r["id"])):
            show(r, "  ")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to serve on; another than 127.0.0.1 lets others on the network use it (and upload to it).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port (0: any free one).")
@click.option("--no-browser", is_flag=True, help="Do not open the page in a browser (never opened under CI or without a display).")
@no_ocr_option
def serve(host: str, port: int, no_browser: bool) -> None:
    """Open the tool as a web page: read one policy, compare two, survey many, and download
    every file the commands write. Runs on this computer; files are deleted once read."""
    from .web import run

    run(host=host, port=port, open_browser=not no_browser)


def public_source(source: str) -> str:
    """A model's source as a reader can follow it: the project's own file names (the copy
    in tests/corpus, a seed file) are left out; the publisher, title and address stay."""
    s = re.sub(r"\s*\((?:[^()]*;\s*)?(?:tests/|seed )[^()]*\)", "", source)
    s = re.sub(r";\s*(?:tests/\S+|seed \S+)", "", s)
    s = re.sub(r"\s*\(seed [^()]*\)", "", s)
    return " ".join(s.split())


def main(argv: list[str] | None = None) -> None:
    """Entry point: one line on standard error and exit 1 for any input that cannot be used."""
    # A command allocates millions of small lists, sets and dicts and makes almost no
    # reference cycles: the collector's default (a pass every 700 allocations, and passes
    # over the whole heap as it grows) spent a tenth of a 5,000-clause comparison and found
    # nothing to free. Cycles are still collected, a hundred times less often.
    gc.set_threshold(100_000, 50, 100)
    try:
        cli.main(args=argv, prog_name="redline", standalone_mode=False)
    except click.exceptions.Abort as exc:
        if isinstance(exc.__context__, KeyboardInterrupt):  # click turns Ctrl-C into Abort
            click.echo("redline: interrupted", err=True)
            sys.exit(130)
        click.echo("redline: aborted", err=True)
        sys.exit(EXIT_INPUT)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except InputError as exc:
        click.echo(f"redline: {_one_line(str(exc))}", err=True)
        sys.exit(getattr(exc, "exit_code", EXIT_INPUT))
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(EXIT_INPUT)
    except KeyboardInterrupt:
        click.echo("redline: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # a bug: still one line, never a traceback, unless asked for
        if os.environ.get("POLICY_REDLINE_DEBUG"):
            raise
        click.echo(f"redline: internal error ({type(exc).__name__}: {_one_line(str(exc))}); set POLICY_REDLINE_DEBUG=1 for details", err=True)
        sys.exit(EXIT_INPUT)


def _one_line(text: str) -> str:
    from .errors import one_line

    return one_line(text)


# ------------------------------------------------------------------ option values checked
# Every free-text option is checked before any work (exit 2, the usage line): a control
# character, text that is not valid UTF-8 (a lone surrogate from the command line's bytes)
# and a length no name or address reaches are refused, so nothing downstream can fail on
# them or spend minutes on a 120 KB town name. Dates are dates.

_TEXT_LIMITS = {"town": 200, "department": 200, "board": 200, "author": 200, "requester": 200,
                "email": 320, "address": 1000, "fee_limit": 40}


def _check_text(ctx: click.Context, param: click.Parameter, value):
    if value is None:
        return value
    import re

    limit = _TEXT_LIMITS.get(param.name or "", 1000)
    multiline = param.name == "address"
    if re.search("[\ud800-\udfff]", value):
        raise click.BadParameter("is not valid UTF-8 text", ctx=ctx, param=param)
    bad = re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]" if multiline else "[\x00-\x1f\x7f-\x9f]", value)
    if bad:
        raise click.BadParameter(f"contains a control character (U+{ord(bad.group()):04X})", ctx=ctx, param=param)
    if len(value) > limit:
        raise click.BadParameter(f"is {len(value):,} characters long (at most {limit:,})", ctx=ctx, param=param)
    if not value.strip():
        raise click.BadParameter("is empty", ctx=ctx, param=param)
    return value


def _check_day(ctx: click.Context, param: click.Parameter, value):
    """YYYY-MM-DD (request, onepager)."""
    if value is None:
        return value
    import datetime as dt

    try:
        dt.date.fromisoformat(value.strip())
    except (ValueError, AttributeError):
        raise click.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD", ctx=ctx, param=param) from None
    return value


def _check_timestamp(ctx: click.Context, param: click.Parameter, value):
    """ISO 8601: YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM] (the date of tracked changes)."""
    if value is None:
        return value
    import datetime as dt
    import re

    text = value.strip()
    ok = re.fullmatch(r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2})?)?", text)
    try:
        if not ok:
            raise ValueError
        dt.datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO 8601 date, e.g. 2026-01-01 or 2026-01-01T00:00:00Z",
                                 ctx=ctx, param=param) from None
    return value


def _install_checks() -> None:
    for name, command in cli.commands.items():
        for param in command.params:
            if not isinstance(param, click.Option) or param.callback is not None:
                continue
            if param.name in _TEXT_LIMITS:
                param.callback = _check_text
            elif param.name in ("date", "since"):
                param.callback = _check_timestamp if name in ("draft", "compare") else _check_day


_install_checks()


if __name__ == "__main__":  # pragma: no cover
    main()
