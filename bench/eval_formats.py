"""Do the seven answers depend on the file format? Each real text, written five ways.

    PYTHONPATH=cli python bench/eval_formats.py [DIR ...]      # default: tests/corpus and every tests/heldout*

Records offices send the same policy as a PDF, a Word file, a web page or text. Each real
text of the given folders (its header lines dropped) is written as .txt, .md, .docx, .html
and .pdf by tests/formats.py, each line of the stored copy a paragraph of its own (the way a
Word or web copy of a hard-wrapped text arrives), and read back and judged. Prints how many
texts get, in all five formats, the seven answers the stored copy itself gets (the file as
it is, which the readers labelled), then each text that does not, with the answers that
differ. Asserts nothing.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))
if str(ROOT / "cli") not in sys.path:
    sys.path.insert(0, str(ROOT / "cli"))

from corpus import split_header  # noqa: E402
from formats import write_policy  # noqa: E402

from policy_redline.analysis import analyze_document  # noqa: E402
from policy_redline.errors import InputError  # noqa: E402
from policy_redline.ingest import read_bytes, read_policy  # noqa: E402

FORMATS = ("txt", "md", "docx", "html", "pdf")
SHORT = ("status", "info", "lunn", "detainers", "raids", "resources", "287g")


def answers(path: Path, workdir: Path) -> dict[str, tuple[str, ...] | str]:
    body = split_header(path.read_text(encoding="utf-8"))[1]
    blocks = [("paragraph", line.strip()) for line in re.split(r"\n", body) if line.strip()]
    out: dict[str, tuple[str, ...] | str] = {}
    try:
        stored = read_bytes(body.encode("utf-8"), path.name, "txt")  # the header lines are ours
        out["stored"] = tuple(f.verdict for f in analyze_document(stored).scorecard.findings)
    except InputError as e:
        out["stored"] = "refused: " + str(e).split(": ", 1)[-1]
    for fmt in FORMATS:
        try:
            doc = read_policy(write_policy(blocks, fmt, workdir / f"{path.stem}.{fmt}"))
            out[fmt] = tuple(f.verdict for f in analyze_document(doc).scorecard.findings)
        except InputError as e:
            out[fmt] = "refused: " + str(e).split(": ", 1)[-1]  # the reason, not the file's name
    return out


def main(argv: list[str]) -> int:
    dirs = [Path(a) for a in argv] or [ROOT / "tests" / "corpus", *sorted((ROOT / "tests").glob("heldout*"))]
    texts = differ = 0
    with tempfile.TemporaryDirectory() as tmp:
        for d in dirs:
            for path in sorted(d.glob("*.txt")):
                got = answers(path, Path(tmp))
                texts += 1
                base = got.pop("stored")
                if all(v == base for v in got.values()):
                    continue
                differ += 1
                changes = {}
                for fmt, v in got.items():
                    if v == base:
                        continue
                    if isinstance(v, str) or isinstance(base, str):
                        changes[fmt] = v
                    else:
                        changes[fmt] = ", ".join(f"{SHORT[i]} {a}->{b}" for i, (a, b) in enumerate(zip(base, v)) if a != b)
                print(f"- {d.name}/{path.name}")
                for fmt, what in changes.items():
                    print(f"    {fmt}: {what}")
    print(f"{texts - differ} of {texts} texts get the stored copy's seven answers as .txt, .md, .docx, .html and .pdf")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
