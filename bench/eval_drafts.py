"""Would town counsel sign the drafts? Over every text of the corpus and the bundled examples:

- how many are not about immigration at all (every answer silent: `draft` declines them);
- of the drafts, how many have numbers in order where the policy's were (and none more out
  of order than the policy), answer no topic twice and cite only sections that exist
  (tests/draft_checks.py), with no red flag left;
- how many give the same bytes when the clean draft, written as text, Markdown and HTML, is
  read back and drafted again; every one that does not is listed.

    .venv/bin/python bench/eval_drafts.py [FOLDER]

FOLDER defaults to tests/corpus. Invented towns are drafted as "Harlow Falls" with "the
Select Board" (the corpus texts come from many states); the examples use their own names.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

from corpus import document, load  # noqa: E402
from draft_checks import assert_drafted_well  # noqa: E402

from policy_redline import numbering  # noqa: E402
from policy_redline.analysis import analyze_document  # noqa: E402
from policy_redline.draft import draft, is_about_immigration  # noqa: E402
from policy_redline.ingest import read_bytes, read_policy  # noqa: E402
from policy_redline.writers.html_redline import redline_to_html  # noqa: E402
from policy_redline.writers.markdown_redline import redline_to_markdown  # noqa: E402
from policy_redline.writers.text_redline import redline_to_text  # noqa: E402

WRITERS = (("text", "txt", lambda r: redline_to_text(r, color=False)), ("md", "md", redline_to_markdown), ("html", "html", redline_to_html))


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else None
    texts = [(t.name, document(t), True) for t in (load(folder) if folder else load())]
    for name in ("chicopee-413.docx", "chicopee-413.md", "bedford.pdf", "tewksbury-bias-free.txt"):
        texts.append((name, read_policy(ROOT / "policies" / name), False))
    n = silent = drafted = in_order = of_in_order = well = no_red = 0
    same = {fmt: 0 for fmt, _, _ in WRITERS}
    misses: list[str] = []
    for name, doc, invented in texts:
        n += 1
        before = analyze_document(doc)
        if not is_about_immigration(before):
            silent += 1
            continue
        names = dict(town="Harlow Falls", board="the Select Board") if invented else {}
        amendment = draft(before, **names)
        drafted += 1
        after = analyze_document(amendment.document())
        no_red += not any(f.verdict == "red" for f in after.scorecard.findings)
        if numbering.in_order([c.number for c in before.clauses]):
            of_in_order += 1
            in_order += numbering.in_order([c.number for c in after.clauses])
        try:
            assert_drafted_well(before, amendment, after)
            well += 1
        except AssertionError as exc:
            misses.append(f"{name}: {str(exc)[:160]}")
        again_names = dict(town=amendment.names.town, department=amendment.names.department, board=amendment.names.board)
        for fmt, suffix, write in WRITERS:
            first = write(amendment.clean())
            second = write(draft(analyze_document(read_bytes(first.encode("utf-8"), f"draft.{suffix}")), **again_names).clean())
            if first == second:
                same[fmt] += 1
            else:
                misses.append(f"{name}: the {fmt} draft drafted again differs")
    print(f"{n} texts: {silent} not about immigration (declined), {drafted} drafted")
    print(f"no red answer left: {no_red}/{drafted}")
    print(f"numbers in order where the policy's were: {in_order}/{of_in_order}")
    print(f"in order, one section per topic, every reference real: {well}/{drafted}")
    for fmt, _, _ in WRITERS:
        print(f"{fmt} draft drafted again, same bytes: {same[fmt]}/{drafted}")
    for miss in misses:
        print("  " + miss)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
