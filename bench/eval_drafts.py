"""Would town counsel sign the drafts? Over every text of the corpus and the bundled examples:

- how many are not about immigration at all (every answer silent: `draft` declines them);
- of the drafts, how many have numbers in order where the policy's were (and none more out
  of order than the policy), answer no topic twice, cite only sections that exist and keep no
  sentence of the department's own that reads red on its own (tests/draft_checks.py), with no
  red answer left; and how many sentences of the inserted model text the judge reads red
  (each listed: a misreading of the judge's, since the model text is green by design);
- how many give the same bytes when the clean draft, written as text, Markdown, HTML and
  Word, is read back and drafted again (a Word policy's draft is its own package, edited, as
  `redline draft policy.docx --clean` writes it); every one that does not is listed.

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
from draft_checks import assert_drafted_well, red_sentences  # noqa: E402

from policy_redline import numbering  # noqa: E402
from policy_redline.analysis import analyze_document
from policy_redline.errors import InputError  # noqa: E402
from policy_redline.draft import draft, is_about_immigration  # noqa: E402
from policy_redline.ingest import read_bytes, read_policy  # noqa: E402
from policy_redline.writers.docx_redline import redline_to_docx  # noqa: E402
from policy_redline.writers.html_redline import redline_to_html  # noqa: E402
from policy_redline.writers.markdown_redline import redline_to_markdown  # noqa: E402
from policy_redline.writers.text_redline import redline_to_text  # noqa: E402

WRITERS = (("text", "txt", lambda r: redline_to_text(r, color=False)), ("md", "md", redline_to_markdown), ("html", "html", redline_to_html))
FORMATS = (*(fmt for fmt, _, _ in WRITERS), "docx")


def _docx(amendment, original: bytes | None) -> bytes:
    """The clean Word draft as `redline draft --clean` writes it: the policy's own package
    edited when it is a .docx, else a new document."""
    if original is not None:
        data = amendment.to_docx(original, clean=True)
        if data is not None:
            return data
    return redline_to_docx(amendment.clean())


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else None
    texts = []
    for t in (load(folder) if folder else load()):
        try:
            texts.append((t.name, document(t), True))
        except InputError as exc:
            print(f"refused (the one-line error a user sees): {t.name}: {exc.reason}")
    originals: dict[str, bytes] = {}
    for name in ("chicopee-413.docx", "chicopee-413.md", "bedford.pdf", "tewksbury-bias-free.txt"):
        texts.append((name, read_policy(ROOT / "policies" / name), False))
        if name.endswith(".docx"):
            originals[name] = (ROOT / "policies" / name).read_bytes()
    n = silent = drafted = in_order = of_in_order = well = no_red = sentence_clean = 0
    model_red: list[str] = []
    same = {fmt: 0 for fmt in FORMATS}
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
        sentence_clean += not red_sentences(amendment)
        own = set(red_sentences(amendment))
        model_red += [f"{name}: {q}: {text[:140]}" for text, q in red_sentences(amendment, own_only=False) if (text, q) not in own]
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
        first_docx = _docx(amendment, originals.get(name))
        again = draft(analyze_document(read_bytes(first_docx, "draft.docx")), **again_names)
        if _docx(again, first_docx if name in originals else None) == first_docx:
            same["docx"] += 1
        else:
            misses.append(f"{name}: the docx draft drafted again differs")
    print(f"{n} texts: {silent} not about immigration (declined), {drafted} drafted")
    print(f"no red answer left: {no_red}/{drafted}")
    print(f"numbers in order where the policy's were: {in_order}/{of_in_order}")
    print(f"no sentence of the department's own left that reads red: {sentence_clean}/{drafted}")
    print(f"in order, one section per topic, every reference real, no red sentence: {well}/{drafted}")
    for fmt in FORMATS:
        print(f"{fmt} draft drafted again, same bytes: {same[fmt]}/{drafted}")
    for miss in misses:
        print("  " + miss)
    print(f"sentences of the inserted model text the judge reads red: {len(model_red)}")
    for miss in model_red:
        print("  " + miss)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
