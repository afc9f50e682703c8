"""The survey table as one self-contained HTML page: inline CSS, a little inline JavaScript,
no network. Click a column header to sort (numbers sort as numbers); type in the filter box
to keep rows with that text in any cell; pick a class or a verdict per question to narrow.

The page reads its data from the table itself, so no document text is ever placed inside
`<script>`; every string from a policy or a file name is escaped with `html.escape`. The
sort order is also taken from the address: `table.html#sort=words` (ascending) or
`#sort=-words` (descending) opens the table sorted, and clicking a header updates the
address, so a sorted view can be bookmarked or shared.
"""

from __future__ import annotations

import html
import os
import re
from urllib.parse import quote

from ..models import QUESTION_IDS

__all__ = ["survey_table_html", "QUESTION_LABELS"]

_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")

#: Short column labels; the full question (the guide's wording) is the header's tooltip.
QUESTION_LABELS: dict[str, tuple[str, str]] = {
    "status_checks": ("Status checks", "In what circumstances are officers allowed to check immigration status?"),
    "info_sharing": ("Info sharing", "Are officers allowed to share information with ICE?"),
    "lunn": ("Lunn", "Does the policy adhere to Lunn v. Commonwealth (no detention on a civil detainer)?"),
    "detainers": ("Detainers", "What is the police response to an immigration detainer?"),
    "raids": ("Raids", "What are police authorized to do during ICE raids / operations?"),
    "resources": ("Resources", "Are there limits on funds and resources for immigration enforcement?"),
    "agreements_287g": ("287(g)", "Is there a ban on 287(g) agreements?"),
}

_LABELS = {"red": "RED", "green": "GREEN", "silent": "SILENT", "gap": "GAP", "unclear": "UNCLEAR"}
_RANK = {"red": 0, "gap": 1, "unclear": 2, "silent": 3, "green": 4}
_CLASS_RANK = {"permits": 0, "restricts": 1, "needs reading": 2, "silent": 3, "unreadable": 4}
_CLASS_LABELS = {
    "permits": "permits cooperation",
    "restricts": "restricts cooperation",
    "needs reading": "needs reading",
    "silent": "silent",
    "unreadable": "unreadable",
}


def _slug(value: str) -> str:
    """A class value as one CSS class name ("needs reading" -> "needs-reading")."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", value)


def _h(value: object) -> str:
    return html.escape(_BAD_CHARS.sub("\ufffd", str(value)), quote=True)


_CSS = """
:root { --red: #b3261e; --green: #1b6e3a; --gap: #8a5a00; --unclear: #6a1b9a; --muted: #5f6368; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Arial, sans-serif; margin: 1.5rem; color: #1a1a1a; }
h1 { font-size: 1.4rem; margin: 0 0 .2rem; } p.meta { color: var(--muted); margin: 0 0 1rem; }
.controls { display: flex; flex-wrap: wrap; gap: .5rem 1.2rem; align-items: center; margin: .8rem 0; }
.controls input[type=search] { font: inherit; padding: .25rem .4rem; min-width: 18rem; }
table { border-collapse: collapse; font-size: .92rem; }
th, td { border: 1px solid #ccc; padding: .3rem .45rem; text-align: left; vertical-align: top; }
thead th { background: #f3f3f3; position: sticky; top: 0; }
thead tr.sort th { cursor: pointer; user-select: none; white-space: nowrap; }
thead tr.sort th::after { content: " \\2195"; color: #aaa; }
thead tr.sort th[aria-sort=ascending]::after { content: " \\2191"; color: #333; }
thead tr.sort th[aria-sort=descending]::after { content: " \\2193"; color: #333; }
thead tr.filters th { background: #fafafa; font-weight: normal; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.v { font-weight: 700; text-align: center; white-space: nowrap; }
.v-red { color: #fff; background: var(--red); } .v-green { color: #fff; background: var(--green); }
.v-gap { color: #fff; background: var(--gap); } .v-silent { color: #333; background: #e8e8e8; }
.v-unclear { color: #fff; background: var(--unclear); }
.c-permits { color: var(--red); font-weight: 700; } .c-restricts { color: var(--green); font-weight: 700; }
.c-unreadable { color: var(--muted); font-style: italic; } .c-needs-reading { color: var(--unclear); font-weight: 700; }
td.err { color: var(--muted); max-width: 22rem; }
.scroll { overflow-x: auto; max-width: 100%; }
td.file { max-width: 16rem; overflow-wrap: anywhere; }
td.dept { max-width: 12rem; }
small { color: var(--muted); }
@media print { thead tr.filters, .controls { display: none; } td.v { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
""".strip()

# No policy text ever goes in here: the script reads the table.
_JS = r"""
(function () {
  "use strict";
  var table = document.getElementById("survey");
  var body = table.tBodies[0];
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var rows = Array.prototype.slice.call(body.rows);
  var box = document.getElementById("filter");
  var cls = document.getElementById("class-filter");
  var selects = Array.prototype.slice.call(table.tHead.querySelectorAll("select[data-col]"));
  var count = document.getElementById("count");
  rows.forEach(function (r, i) {
    r.dataset.index = i;
    r.dataset.text = Array.prototype.map.call(r.cells, function (c) { return c.textContent.toLowerCase(); }).join("\u0000");
  });
  function value(row, col, type) {
    var cell = row.cells[col];
    var v = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
    if (type === "num") { var n = parseFloat(v); return (v === "" || isNaN(n)) ? null : n; }
    return v === "" ? null : v;
  }
  function sortBy(key, desc) {
    var col = -1, type = "text";
    heads.forEach(function (h, i) { if (h.dataset.key === key) { col = i; type = h.dataset.type; } });
    if (col < 0) { return false; }
    var sorted = rows.slice().sort(function (a, b) {
      var x = value(a, col, type), y = value(b, col, type), d;
      if (x === null || y === null) { d = (x === null) - (y === null); }  /* empty cells last */
      else if (type === "num") { d = desc ? y - x : x - y; }
      else { d = x.localeCompare(y, undefined, {numeric: true, sensitivity: "base"}); if (desc) { d = -d; } }
      return d || (a.dataset.index - b.dataset.index);
    });
    sorted.forEach(function (r) { body.appendChild(r); });
    heads.forEach(function (h, i) {
      if (i === col) { h.setAttribute("aria-sort", desc ? "descending" : "ascending"); } else { h.removeAttribute("aria-sort"); }
    });
    return true;
  }
  function filter() {
    var q = box.value.trim().toLowerCase(), c = cls.value, shown = 0;
    rows.forEach(function (r) {
      var ok = (!q || r.dataset.text.indexOf(q) >= 0) && (!c || r.dataset.class === c);
      selects.forEach(function (s) {
        if (ok && s.value && r.cells[+s.dataset.col].dataset.v !== s.value) { ok = false; }
      });
      r.hidden = !ok;
      if (ok) { shown += 1; }
    });
    count.textContent = shown + " of " + rows.length + " shown";
  }
  function fromHash() {
    var m = /(?:^#|&)sort=(-?)([\w.-]+)/.exec(location.hash);
    if (m) { sortBy(m[2], m[1] === "-"); }
  }
  heads.forEach(function (h) {
    h.tabIndex = 0;
    function go() {
      var desc = h.getAttribute("aria-sort") === "ascending";
      if (sortBy(h.dataset.key, desc) && window.history && history.replaceState) {
        history.replaceState(null, "", "#sort=" + (desc ? "-" : "") + h.dataset.key);
      }
    }
    h.addEventListener("click", go);
    h.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); go(); } });
  });
  box.addEventListener("input", filter);
  cls.addEventListener("change", filter);
  selects.forEach(function (s) { s.addEventListener("change", filter); });
  window.addEventListener("hashchange", fromHash);
  fromHash();
  filter();
})();
""".strip()


def _href(report: str, output: str | os.PathLike[str] | None) -> str:
    start = os.path.dirname(os.path.abspath(output)) if output else os.getcwd()
    rel = os.path.relpath(os.path.abspath(report), start)
    return quote(rel.replace(os.sep, "/"), safe="/")


def survey_table_html(result, output: str | os.PathLike[str] | None = None) -> str:
    """The page for a `survey.SurveyResult`; report links are relative to `output`'s folder."""
    from ..survey import GENERATOR

    heads = [
        ("file", "text", "File", "The policy file, relative to the surveyed folder"),
        ("class", "num", "Class", "permits: any red flag; restricts: no red, some green; needs reading: no red or green, some unclear; "
         "silent: all seven silent; unreadable: not read"),
        ("department", "text", "Department", "The department the policy names most often"),
        ("words", "num", "Words", "Words in the policy's clauses"),
        ("template", "text", "Template", "The template the policy is built from, if any"),
        ("boilerplate_share", "num", "Boilerplate", "Share of the policy's words that are template text"),
        ("ocr_confidence", "num", "OCR", "Read from a scan by OCR: the mean word confidence (check quotes against the page)"),
    ]
    heads += [(q, "num", QUESTION_LABELS[q][0], QUESTION_LABELS[q][1]) for q in QUESTION_IDS]
    heads += [
        ("red", "num", "Red", "Questions with a red flag"),
        ("green", "num", "Green", "Questions answered with green language"),
        ("silent", "num", "Silent", "Questions the policy does not address"),
        ("unclear", "num", "Unclear", "Questions the policy speaks to in words the tool cannot classify: a person must read those clauses"),
        ("error", "text", "Error", "Why the file could not be read"),
    ]
    head_row = "".join(
        f'<th data-key="{k}" data-type="{t}" title="{_h(tip)}" scope="col">{_h(label)}</th>' for k, t, label, tip in heads
    )
    filter_cells = []
    for i, (k, _t, label, _tip) in enumerate(heads):
        if k in QUESTION_IDS:
            opts = '<option value="">any</option>' + "".join(
                f'<option value="{v}">{_LABELS[v].lower()}</option>' for v in ("red", "gap", "unclear", "silent", "green")
            )
            filter_cells.append(f'<th><select data-col="{i}" aria-label="{_h(label)} verdict">{opts}</select></th>')
        else:
            filter_cells.append("<th></th>")

    body = []
    for r in result.rows:
        shown = r.get("_shown") or {}
        report = r.get("_report")
        name = _h(r["file"])
        file_cell = f'<a href="{_h(_href(report, output))}">{name}</a>' if report else name
        klass = r["class"]
        cells = [
            f'<td class="file">{file_cell}</td>',
            f'<td class="c-{_h(_slug(klass))}" data-sort="{_CLASS_RANK.get(klass, 9)}">{_h(_CLASS_LABELS.get(klass, klass))}</td>',
            f'<td class="dept">{_h(r["department"])}</td>',
            f'<td class="num">{_h(r["words"])}</td>',
            f"<td>{_h(r['template'])}</td>",
        ]
        share = r["boilerplate_share"]
        if share == "" or share is None:
            cells.append('<td class="num" data-sort=""></td>')
        else:
            cells.append(f'<td class="num" data-sort="{float(share):.3f}">{float(share):.0%}</td>')
        ocr = r.get("ocr_confidence", "")
        cells.append('<td class="num" data-sort=""></td>' if ocr in ("", None)
                     else f'<td class="num" data-sort="{float(ocr):.3f}">{float(ocr):.0%}</td>')
        for q in QUESTION_IDS:
            v = shown.get(q) or r[q]
            if v:
                cells.append(
                    f'<td class="v v-{v}" data-v="{v}" data-sort="{_RANK[v]}" title="{_h(q)}: {_h(r[q])}">{_LABELS[v]}</td>'
                )
            else:
                cells.append('<td class="v" data-v="" data-sort=""></td>')
        for c in ("red", "green", "silent", "unclear"):
            cells.append(f'<td class="num">{_h(r.get(c, ""))}</td>')
        cells.append(f'<td class="err">{_h(r["error"])}</td>')
        body.append(f'<tr data-class="{_h(klass)}">' + "".join(cells) + "</tr>")

    class_opts = '<option value="">any class</option>' + "".join(
        f'<option value="{c}">{_h(_CLASS_LABELS[c])}</option>' for c in ("permits", "restricts", "needs reading", "silent", "unreadable")
    )
    n = len(result.rows)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f'<meta name="generator" content="{GENERATOR}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Policy survey: {_h(result.folder)}</title><style>{_CSS}</style></head><body>\n"
        f"<h1>Policy survey</h1>\n<p class=\"meta\">{_h(result.folder)} · {_h(result.summary)}</p>\n"
        '<div class="controls">'
        '<label>Filter <input id="filter" type="search" placeholder="any text: town, file, template, red…" autocomplete="off"></label>'
        f'<label>Class <select id="class-filter">{class_opts}</select></label>'
        f'<span id="count" aria-live="polite">{n} of {n} shown</span></div>\n'
        '<div class="scroll"><table id="survey"><thead>'
        f'<tr class="sort">{head_row}</tr>'
        f'<tr class="filters">{"".join(filter_cells)}</tr>'
        "</thead><tbody>\n"
        + "\n".join(body)
        + "\n</tbody></table></div>\n"
        "<p><small>Verdicts follow the seven questions of the Citizens for Juvenile Justice guide. "
        "GAP marks a question the policy is silent on where the guide counts silence itself as a red flag "
        "(detainers, resources, 287(g)). UNCLEAR marks a question the policy speaks to in words the tool "
        "cannot classify: read that clause yourself (the policy's report quotes it). Classes: <b>permits cooperation</b> = at least one red flag; "
        "<b>restricts</b> = no red flag and at least one green answer; <b>needs reading</b> = no red flag and "
        "no green answer, but at least one UNCLEAR one; <b>silent</b> = all seven questions "
        "unaddressed; <b>unreadable</b> = the file could not be read. Click a column header to sort; "
        "<code>#sort=words</code> or <code>#sort=-words</code> in the address opens the table sorted.</small></p>\n"
        f"<script>{_JS}</script>\n"
        "</body></html>\n"
    )
