"""The labelled development corpus: real policy texts kept as data under `tests/corpus/`.

Each text file opens with header lines (`source:`, `title:`, `kind:`, `state:`, `date:`,
`excerpt:`), a blank line, then the text as the public record has it. `labels.json` holds
the reconciled reading of two independent readers: for each file, the verdicts the text
settles (a question an excerpt does not reach is left out, never "silent"), the quote that
earns each, and the share of the words a reader sees as licensed template text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "corpus"
QUESTIONS = ("status_checks", "info_sharing", "lunn", "detainers", "raids", "resources", "agreements_287g")


@dataclass(frozen=True)
class Text:
    name: str
    header: dict[str, str]
    body: str
    verdicts: dict[str, str] = field(default_factory=dict)
    quotes: dict[str, str] = field(default_factory=dict)
    share: tuple[float, float] | None = None
    family: str | None = None  # "lexipol" or another template family, None when the department wrote it

    @property
    def excerpt(self) -> bool:
        return self.header.get("excerpt", "no").strip().lower().startswith("y")


def split_header(raw: str) -> tuple[dict[str, str], str]:
    header: dict[str, str] = {}
    lines = raw.split("\n")
    k = 0
    while k < len(lines) and lines[k].strip():
        key, sep, value = lines[k].partition(":")
        if not sep or " " in key.strip():
            break
        header[key.strip().lower()] = value.strip()
        k += 1
    return header, "\n".join(lines[k:]).strip() + "\n"


def load(directory: Path = CORPUS) -> list[Text]:
    labels_path = directory / "labels.json"
    labels = json.loads(labels_path.read_text(encoding="utf-8")) if labels_path.exists() else {}
    out = []
    for path in sorted(directory.glob("*.txt")):
        header, body = split_header(path.read_text(encoding="utf-8"))
        lab = labels.get(path.name, {})
        share = lab.get("share")
        family = lab.get("family")
        if family is None and lab.get("lexipol"):
            family = "lexipol"
        out.append(
            Text(
                name=path.name,
                header=header,
                body=body,
                verdicts=dict(lab.get("verdicts", {})),
                quotes=dict(lab.get("quotes", {})),
                share=tuple(share) if share else None,
                family=family,
            )
        )
    return out


def document(text: Text):
    """The text as the tool reads a .txt file (the header lines are ours, not the policy's)."""
    from policy_redline.ingest import read_bytes

    return read_bytes(text.body.encode("utf-8"), text.name, "txt")
