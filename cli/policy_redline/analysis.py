"""The whole analysis of one policy: ingest -> segment -> align -> judge.

`analyze()` is what the CLI, the survey and the draft all call, so every output format and
every command agrees on the same verdicts.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from .align import Aligner, Boilerplate, Match, best_matches, recognise
from .document import Document
from .judge import Scorecard, judge
from .models import Model, load_models, load_rubric
from .normalize import guess_department, town_of
from .segment import Clause, segment


@dataclass(frozen=True)
class Analysis:
    document: Document
    clauses: tuple[Clause, ...]
    per_model: dict[str, list[Match]]
    alignment: tuple[Match, ...]  # each clause's best match over all models
    boilerplate: Boilerplate
    scorecard: Scorecard
    department: str | None  # as the policy names itself, when it does
    town: str | None

    @property
    def words(self) -> int:
        return sum(c.words for c in self.clauses)


def analyze_document(document: Document, models: tuple[Model, ...] | None = None) -> Analysis:
    """Analyse a policy already read into a `Document`."""
    models = models if models is not None else load_models()
    clauses = segment(document)
    department = guess_department(document.text)
    town = town_of(department) if department else None
    towns = (town,) if town else ()
    aligner = Aligner(clauses, towns)
    per_model = {m.id: aligner.matches(m) for m in models}
    best = best_matches(per_model)
    bp = recognise(clauses, per_model, [m for m in models if m.kind == "template"], aligner)
    card = judge(clauses, per_model, models, load_rubric(), towns)
    return Analysis(document, tuple(clauses), per_model, tuple(best), bp, card, department, town)


def analyze(path: str | os.PathLike[str]) -> Analysis:
    """Read and analyse the policy at `path` (`-` for standard input)."""
    from .ingest import read_policy

    return analyze_document(read_policy(path))
