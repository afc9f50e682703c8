"""The analysis report in every format: text for a terminal, JSON for scripts (its shape is
fixed by DESIGN.md), Markdown for an issue or an email, HTML for a browser or a printout.

Every writer reads the same `Analysis`, so the formats cannot disagree. The guide counts
silence as a red flag for three questions (detainers, resources, 287(g)); JSON keeps the
verdict `silent`, and the human formats show those as gaps to fix.

A fourth verdict, `unclear`, means the policy speaks to the question in the quoted sentence
but the tool cannot tell whether it is a red flag or green language: every format shows it
as UNCLEAR with the sentence and its clause and tells the reader to read that clause
themselves (never as "not addressed" or "missing"), and the summaries count it. JSON keeps
the verdict `unclear` and its evidence (flag `unclear`).
"""

from __future__ import annotations

import html
import json
import re
import shlex

import click

from ..analysis import Analysis
from ..judge import Finding

__all__ = [
    "report_json",
    "report_text",
    "report_markdown",
    "report_html",
    "analysis_dict",
    "shown_verdict",
    "verdict_counts",
    "VERDICTS",
    "READ_IT",
]

_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")

LABELS = {"red": "RED FLAG", "green": "GREEN", "silent": "SILENT", "gap": "GAP", "unclear": "UNCLEAR"}

#: The four verdicts of the JSON, in the order summaries list them.
VERDICTS = ("red", "green", "silent", "unclear")

#: What an `unclear` answer asks of the reader.
READ_IT = "read this clause yourself"
#: Why, in one sentence.
READ_WHY = (
    "The policy speaks to this question here, but policy-redline cannot tell whether it is a "
    "red flag or green language: a person must read it."
)


def _is_stdin(source: str) -> bool:
    return source in ("-", "<stdin>")


def _arg(source: str) -> str:
    """The policy as a shell word for a printed command (`-` for standard input)."""
    return "-" if _is_stdin(source) else shlex.quote(source)


def draft_command(source: str) -> str:
    """The `redline draft` command a report suggests, runnable as printed in a terminal:
    the Word redline is binary, so it names an output file."""
    from ..output import suggested_output

    return f"redline draft {_arg(source)} -o {shlex.quote(suggested_output(source))}"


def verdict_counts(findings) -> dict[str, int]:
    """How many findings have each verdict: red, green, silent and unclear (always all four
    keys). Counted from the findings, so it does not depend on `Scorecard.counts()`."""
    findings = getattr(findings, "findings", findings)
    out = {v: 0 for v in VERDICTS}
    for f in findings:
        out[f.verdict] = out.get(f.verdict, 0) + 1
    return out


def shown_verdict(finding: Finding) -> str:
    """What a person sees: `gap` where the guide counts silence itself as a red flag."""
    return "gap" if finding.verdict == "silent" and finding.gap else finding.verdict


# ---------------------------------------------------------------- text read by OCR
# A scan's text is what Tesseract read: every format says so, and a quote holding a word it
# was unsure of is marked for a person to check against the page.

CHECK_PAGE = "check against the page"


def _ocr_policy(a: Analysis) -> dict:
    """`policy.ocr` (always); for a scan the mean confidence and the pages read; the scanned
    pages left unread when OCR was off or missing."""
    o = a.document.ocr
    out: dict = {"ocr": bool(o and o.pages)}
    if o and o.pages:
        out.update(ocr_confidence=o.confidence, ocr_pages=list(o.pages))
    if o and o.unread:
        out.update(ocr_unread_pages=list(o.unread))
    return out


def _ocr_evidence(a: Analysis, text: str) -> dict:
    if a.document.ocr is None or not a.document.ocr.pages:
        return {}
    from ..readers.ocr import unsure_in

    return {"ocr_unsure": unsure_in(text, a.document.ocr.uncertain)}


def _unsure(a: Analysis, quote: str) -> list[str]:
    if a.document.ocr is None:
        return []
    from ..readers.ocr import unsure_in

    return unsure_in(quote, a.document.ocr.uncertain)


def _unsure_line(words: list[str]) -> str:
    return f"{CHECK_PAGE}: OCR was unsure of " + ", ".join(f"\u201c{w}\u201d" for w in words)


def ocr_line(a: Analysis) -> str | None:
    """"Read by OCR: pages 1-3 of 3 were scans; mean word confidence 94 %." (None for text)."""
    o = a.document.ocr
    if o is None:
        return None
    from ..readers.ocr import page_list

    if o.unread:
        verb = "looks scanned and was" if len(o.unread) == 1 else "look scanned and were"
        return (f"Not read: {page_list(list(o.unread))} of {o.page_count} {verb} not read "
                f"({o.unread_why}); this analysis covers the other pages only.")
    pages = page_list(list(o.pages))
    were = "was a scan" if len(o.pages) == 1 else "were scans"
    marked = any(_unsure(a, e.text) for f in a.scorecard.findings for e in f.evidence)
    return (f"Read by OCR: {pages} of {o.page_count} {were}; mean word confidence {round(o.confidence * 100)} %"
            + (f" (quotes with words it was unsure of say {CHECK_PAGE})" if marked else "") + ".")


def analysis_dict(a: Analysis) -> dict:
    """The JSON document of DESIGN.md (extra keys only added, never renamed)."""
    return {
        "policy": {
            "source": a.document.source,
            "title": a.document.title,
            "department": a.department,
            "clauses": len(a.clauses),
            "words": a.words,
            **_ocr_policy(a),
        },
        "questions": [
            {
                "id": f.question,
                "question": f.text,
                "verdict": f.verdict,
                "gap": f.gap or None,
                "evidence": [
                    {"clause": e.clause, "cite": e.cite or e.clause, "flag": e.flag, "text": e.text, "matched": e.matched, "score": e.score, "reason": e.reason,
                     **_ocr_evidence(a, e.text)}
                    for e in f.evidence
                ],
            }
            for f in a.scorecard.findings
        ],
        "boilerplate": {
            "template": a.boilerplate.template,
            "edition": a.boilerplate.edition,
            "share": a.boilerplate.share,
            "clauses": list(a.boilerplate.clauses),
            "dropped": list(a.boilerplate.dropped),
            "changed": list(a.boilerplate.changed),
            "editions": {clause: edition for clause, edition in a.boilerplate.editions},
        },
        "alignment": [
            {"clause": m.clause, "model": m.model, "model_clause": m.model_clause, "score": m.score, "kind": m.kind}
            for m in a.alignment
        ],
    }


def report_json(a: Analysis) -> str:
    return json.dumps(analysis_dict(a), indent=2, ensure_ascii=False) + "\n"


def _template_headings(model_id: str, numbers) -> list[str]:
    """The template's own headings for its clause numbers, so they are not read as the
    policy's numbers: "Victims and Witnesses" for 413.3."""
    from ..models import get_model

    try:
        by_number = {c.number: c.heading for c in get_model(model_id).clauses}
    except Exception:  # an id the bundled models no longer have
        by_number = {}
    out = []
    for n in numbers:
        heading = re.sub(r"^\s*[\d.]+\s*", "", by_number.get(n, "")).strip()
        if heading.isupper():
            heading = " ".join(w.lower() if i and w.lower() in ("and", "of", "or", "the", "to", "for", "with", "in") else w.capitalize()
                               for i, w in enumerate(heading.split()))
        out.append(f"\u201c{heading}\u201d" if heading else f"the template's {n}")
    return out


def _boilerplate_line(a: Analysis) -> str:
    """"Lexipol 'Immigration Violations', California edition (2018): 74 % of the words; 9 of 11
    template clauses; dropped: 428.5, 428.7."""
    bp = a.boilerplate
    if bp.template is None:
        return f"Boilerplate: no template detected ({bp.share:.0%} of the words match template text)."
    from ..models import FAMILY_NAMES, get_model

    family = FAMILY_NAMES.get(bp.template, bp.template)
    name = family
    if bp.edition:
        try:
            ed = get_model(bp.edition)
        except Exception:  # an edition id the bundled models no longer have
            ed = None
        if ed is not None and ed.edition:
            year = ed.year.split(" ")[0] if ed.year and ed.year[0].isdigit() else ""
            name = f"{family}, {ed.edition}" + (f" ({year})" if year and "(" not in ed.edition else "")
    line = (
        f"Boilerplate: {name}: {round(bp.share * 100)} % of the words; "
        f"{bp.kept} of {bp.template_clauses} template clauses"
        f" ({len(bp.clauses)} of {len(a.clauses)} policy clauses)"
    )
    if bp.dropped:
        line += f"; template sections not in the policy: {', '.join(_template_headings(bp.edition or bp.template, bp.dropped))}"
    if bp.changed:
        line += f"; changed by the department: {', '.join(bp.changed)}"
    mixed = sorted({e for _, e in bp.editions if e != bp.edition})
    if mixed:
        names = []
        for e in mixed:
            try:
                names.append(get_model(e).edition or e)
            except Exception:  # an edition id the bundled models no longer have
                names.append(e)
        line += f"; also from: {', '.join(names)}"
    return line + "."


def _size(a: Analysis) -> str:
    n = len(a.clauses)
    return f"{n} clause{'s' if n != 1 else ''} · {a.words} word{'s' if a.words != 1 else ''}"


def _heading(a: Analysis) -> str:
    from ..titles import policy_title

    who = a.department or "Policy"
    title = policy_title(a.document, a.department)
    return f"{who}: {title}" if title and title != who else who


def _first(finding: Finding):
    """The evidence that earns the verdict (first of its colour)."""
    return next((e for e in finding.evidence if e.flag == finding.verdict), None)


def _quote(text: str, limit: int = 240, question: str | None = None) -> str:
    """On one line, in at most `limit` characters: shortened around the words that earned
    the flag for `question`, on word boundaries, with an ellipsis at each cut."""
    from ..quotes import shorten

    return shorten(_BAD_CHARS.sub("\ufffd", text), limit, question)


_STYLE = {"red": "red", "green": "green", "silent": "bright_black", "gap": "yellow", "unclear": "magenta"}


def report_text(a: Analysis, *, color: bool = False) -> str:
    """A scorecard for a terminal: one block per question, the earning clause quoted."""

    def paint(text: str, verdict: str) -> str:
        return click.style(text, fg=_STYLE[verdict], bold=verdict != "silent") if color else text

    lines = [_heading(a), f"{a.document.source} · {_size(a)}", ""]
    if ocr_line(a):
        lines[-1:-1] = [ocr_line(a)]
    for f in a.scorecard.findings:
        shown = shown_verdict(f)
        lines.append(f"{paint(LABELS[shown].ljust(9), shown)} {f.question}: {f.text}")
        e = _first(f)
        if e is not None:
            lines.append(f"          {e.cite or e.clause}: \u201c{_quote(e.text, question=f.question)}\u201d")
            if _unsure(a, _quote(e.text, question=f.question)):
                lines.append(f"          {_unsure_line(_unsure(a, _quote(e.text, question=f.question)))}")
            if e.reason:
                lines.append(f"          why: {_quote(e.reason, 200)}")
            others = list(dict.fromkeys(x.cite or x.clause for x in f.evidence if x.flag == f.verdict and x.clause != e.clause))
            if others:
                lines.append(f"          also: {', '.join(others)}")
            if shown == "unclear":
                lines.append(f"          {paint(READ_IT, 'unclear')}: policy-redline cannot tell whether this is a red flag or green language")
        elif shown == "unclear":
            lines.append(f"          {paint(READ_IT, 'unclear')}: the policy speaks to this, but the tool cannot classify it")
        elif shown == "gap":
            lines.append(f"          missing: {f.gap}")
        else:
            lines.append("          the policy does not address this")
        lines.append("")
    lines.append(_boilerplate_line(a))
    counts = verdict_counts(a.scorecard)
    gaps = sum(1 for f in a.scorecard.findings if shown_verdict(f) == "gap")
    lines.append(
        f"Summary: {counts['red']} red, {counts['green']} green, {counts['silent']} silent"
        + (f" ({gaps} of them gaps the guide counts as red flags)" if gaps else "")
        + (f", {counts['unclear']} unclear (a person must read {'it' if counts['unclear'] == 1 else 'them'})" if counts["unclear"] else "")
        + "."
    )
    if counts["red"] or gaps:
        lines.append(f"Next: `{draft_command(a.document.source)}` proposes the fixes as tracked changes"
                     + (" (give it the same text on standard input)." if _is_stdin(a.document.source) else "."))
    if counts["unclear"]:
        lines.append(f"Read yourself: {', '.join(_read_list(a))}.")
    return "\n".join(lines) + "\n"


def _read_list(a: Analysis) -> list[str]:
    """"lunn (413.4)" for each unclear answer: the clauses a person must read."""
    out = []
    for f in a.scorecard.findings:
        if f.verdict == "unclear":
            clauses = list(dict.fromkeys(e.cite or e.clause for e in f.evidence if e.flag == "unclear"))
            out.append(f"{f.question} ({', '.join(clauses)})" if clauses else f.question)
    return out


def _md_cell(text: str, question: str | None = None) -> str:
    return _quote(text, question=question).replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def report_markdown(a: Analysis) -> str:
    out = [f"# {_md_cell(_heading(a))}", "", f"`{_md_cell(a.document.source)}` · {_size(a)}", ""]
    if ocr_line(a):
        out[-1:-1] = ["", _md_cell(ocr_line(a))]
    out += ["| Question | Verdict | Clause | Policy language |", "| --- | --- | --- | --- |"]
    for f in a.scorecard.findings:
        shown = shown_verdict(f)
        e = _first(f)
        clause = (e.cite or e.clause) if e else ""
        if shown == "unclear":
            text = (_md_cell(e.text, f.question) + " " if e else "") + f"*{READ_IT.capitalize()}. {_md_cell(READ_WHY)}*"
        else:
            text = _md_cell(e.text, f.question) if e else (_md_cell("Missing: " + f.gap) if shown == "gap" else "Not addressed")
        if e is not None and _unsure(a, _quote(e.text, question=f.question)):
            text += f" *({_md_cell(_unsure_line(_unsure(a, _quote(e.text, question=f.question))))})*"
        label = f"**{LABELS[shown]}** — {READ_IT}" if shown == "unclear" else f"**{LABELS[shown]}**"
        out.append(f"| {f.question}: {_md_cell(f.text)} | {label} | {_md_cell(clause)} | {text} |")
    out += ["", _md_cell(_boilerplate_line(a)), ""]
    asks = [f for f in a.scorecard.findings if shown_verdict(f) in ("red", "gap") and f.ask]
    if asks:
        out += ["## What to ask for", ""]
        out += [f"- **{f.question}**: {_md_cell(f.ask)}" for f in asks]
        out.append("")
    unclear = [f for f in a.scorecard.findings if f.verdict == "unclear"]
    if unclear:
        out += ["## Read these clauses yourself", "", _md_cell(READ_WHY), ""]
        out += [f"- **{_md_cell(item)}**" for item in _read_list(a)]
        out.append("")
    out += ["## Clause alignment", "", "| Clause | Best match | Kind | Score |", "| --- | --- | --- | --- |"]
    for m in a.alignment:
        ref = f"{m.model}:{m.model_clause}" if m.kind != "none" else ""
        out.append(f"| {_md_cell(m.clause)} | {_md_cell(ref)} | {m.kind} | {m.score:.1f} |")
    return "\n".join(out) + "\n"


def _h(text: str) -> str:
    return html.escape(_BAD_CHARS.sub("\ufffd", text), quote=True)


_CSS = """
:root { --red: #b3261e; --green: #1b6e3a; --gap: #8a5a00; --unclear: #6a1b9a; --muted: #5f6368; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Arial, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; }
h1 { font-size: 1.5rem; margin-bottom: .2rem; } p.meta { color: var(--muted); margin-top: 0; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; } th, td { border: 1px solid #ccc; padding: .4rem .55rem; vertical-align: top; text-align: left; }
th { background: #f3f3f3; }
.v { font-weight: 700; white-space: nowrap; }
.v-red { color: #fff; background: var(--red); } .v-green { color: #fff; background: var(--green); }
.v-gap { color: #fff; background: var(--gap); } .v-silent { color: #333; background: #e8e8e8; }
.v-unclear { color: #fff; background: var(--unclear); } .read { color: var(--unclear); font-weight: 700; }
blockquote { margin: .3rem 0; padding-left: .6rem; border-left: 3px solid #bbb; }
small { color: var(--muted); }
@media print { body { max-width: none; margin: 0; font-size: 10.5pt; } .v { -webkit-print-color-adjust: exact; print-color-adjust: exact; } tr { break-inside: avoid; } }
""".strip()


def _read_html(a: Analysis) -> str:
    items = _read_list(a)
    if not items:
        return ""
    return f'<p><span class="read">Read these clauses yourself:</span> {_h(", ".join(items))}. {_h(READ_WHY)}</p>\n'


def report_html(a: Analysis) -> str:
    """One self-contained page; every string from the policy is escaped."""
    rows = []
    for f in a.scorecard.findings:
        shown = shown_verdict(f)
        evidence = [e for e in f.evidence if e.flag == f.verdict][:3]
        if evidence:
            cell = "".join(
                f"<div><b>{_h(e.cite or e.clause)}</b><blockquote>{_h(_quote(e.text, 400, f.question))}</blockquote>"
                + (f'<small class="read">{_h(_unsure_line(_unsure(a, _quote(e.text, 400, f.question))))}</small><br>'
                   if _unsure(a, _quote(e.text, 400, f.question)) else "")
                + (f"<small>{_h(e.reason)}</small>" if e.reason else "")
                + "</div>"
                for e in evidence
            )
            if shown == "unclear":
                cell += f'<div><small><span class="read">{_h(READ_IT.capitalize())}.</span> {_h(READ_WHY)}</small></div>'
        elif shown == "unclear":
            cell = f'<small><span class="read">{_h(READ_IT.capitalize())}.</span> {_h(READ_WHY)}</small>'
        elif shown == "gap":
            cell = f"<small>Missing: {_h(f.gap)}</small>"
        else:
            cell = "<small>Not addressed.</small>"
        ask = f"<div><small><b>Ask:</b> {_h(f.ask)}</small></div>" if shown in ("red", "gap") and f.ask else ""
        rows.append(
            f'<tr id="{_h(f.question)}"><td><b>{_h(f.question)}</b><br>{_h(f.text)}</td>'
            f'<td class="v v-{shown}">{LABELS[shown]}</td><td>{cell}{ask}</td></tr>'
        )
    align_rows = "".join(
        f"<tr><td>{_h(m.clause)}</td><td>{_h(m.model + ':' + m.model_clause) if m.kind != 'none' else ''}</td>"
        f"<td>{_h(m.kind)}</td><td>{m.score:.1f}</td></tr>"
        for m in a.alignment
    )
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{_h(_heading(a))}: policy-redline analysis</title><style>{_CSS}</style></head><body>\n"
        f"<h1>{_h(_heading(a))}</h1>\n<p class=\"meta\">{_h(a.document.source)} · {_size(a)}</p>\n"
        + (f"<p>{_h(ocr_line(a))}</p>\n" if ocr_line(a) else "")
        + "<table><thead><tr><th>Question</th><th>Verdict</th><th>Evidence</th></tr></thead><tbody>\n"
        + "\n".join(rows)
        + "\n</tbody></table>\n"
        + _read_html(a)
        + f"<p>{_h(_boilerplate_line(a))}</p>\n"
        "<h2>Next steps</h2><ul>"
        f"<li>Draft the fixes as tracked changes: <code>{_h(draft_command(a.document.source))}</code></li>"
        f"<li>See what the department changed from the template: <code>redline compare {_h(_arg(a.document.source))}</code></li>"
        f"<li>Take the findings to a meeting with the chief or the council, on one printed page: "
        f"<code>redline onepager {_h(_arg(a.document.source))} -o onepager.html</code> (for Word: "
        f"<code>redline onepager {_h(_arg(a.document.source))} -o onepager.docx</code>)</li>"
        f"<li>Ask the department for the rest of its ICE-related records with a public records request: "
        f"<code>redline request --department {_h(shlex.quote(a.department or 'TOWN Police Department'))} --format docx -o request.docx</code></li>"
        "</ul>\n"
        "<h2>Clause alignment</h2><table><thead><tr><th>Clause</th><th>Best match</th><th>Kind</th><th>Score</th></tr></thead>"
        f"<tbody>{align_rows}</tbody></table>\n"
        "<p><small>Verdicts follow the seven questions of the Citizens for Juvenile Justice guide. "
        "GAP marks a question the policy is silent on where the guide counts silence itself as a red flag."
        + (
            " UNCLEAR marks a question the policy speaks to, in the quoted sentence, in words the tool cannot "
            "classify: read that clause yourself."
            if _read_list(a) else ""
        )
        + "</small></p>\n"
        "</body></html>\n"
    )
