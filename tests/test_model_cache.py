"""The bundled models are kept parsed and prepared in the user's cache folder: a second
command reads them from there, and whatever is found there -- a damaged entry, an entry of
the wrong shape, a folder that cannot be written, a model edited since -- the comparison a
user gets is the one the model files give."""

from __future__ import annotations

import marshal
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
POLICY = CORPUS / "benton-county-wa_413-immigration-violations.txt"


def _compare(cache: Path, out: Path, *args: str, models: Path | None = None) -> subprocess.CompletedProcess:
    env = {"PYTHONPATH": str(ROOT / "cli"), "PATH": "/usr/bin:/bin", "POLICY_REDLINE_CACHE": str(cache)}
    if models is not None:
        env["POLICY_REDLINE_MODELS"] = str(models)
    return subprocess.run([sys.executable, "-m", "policy_redline", "compare", str(POLICY), *args, "--format", "md",
                           "-o", str(out), "--force"], capture_output=True, text=True, timeout=120, env=env)


def test_damaged_or_foreign_entries_are_read_afresh(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    fresh = tmp_path / "fresh.md"
    assert _compare(cache, fresh).returncode == 0
    entries = sorted(cache.rglob("*.marshal"))
    assert entries
    for k, entry in enumerate(entries):
        data = entry.read_bytes()
        if k % 3 == 0:
            entry.write_bytes(data[: len(data) // 2])  # cut short
        elif k % 3 == 1:
            entry.write_bytes(b"\x00garbage" * 10)
        else:  # the right key, the wrong shape
            key, _ = marshal.loads(data)
            entry.write_bytes(marshal.dumps((key, ("not", ["a", "model"], {1: 2}))))
    again = tmp_path / "again.md"
    result = _compare(cache, again)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert again.read_bytes() == fresh.read_bytes()
    # ... and they were written again, whole
    for entry in sorted(cache.rglob("*.marshal")):
        assert isinstance(marshal.loads(entry.read_bytes()), tuple)


def test_a_cache_folder_that_cannot_be_written_costs_nothing_but_time(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    out, reference = tmp_path / "out.md", tmp_path / "reference.md"
    result = _compare(blocked, out)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == f"wrote {out}"
    assert _compare(tmp_path / "cache", reference).returncode == 0
    assert out.read_bytes() == reference.read_bytes()
    assert blocked.read_text(encoding="utf-8") == "not a folder"


def test_an_edited_model_is_read_again(tmp_path: Path) -> None:
    """A coalition's own models (POLICY_REDLINE_MODELS), edited between two commands: the
    second command shows the edit, exactly as with no cache at all."""
    models = tmp_path / "models"
    shutil.copytree(ROOT / "models", models)
    cache = tmp_path / "cache"
    before = tmp_path / "before.md"
    assert _compare(cache, before, "--against", "model-policy", models=models).returncode == 0
    model = next(p for p in models.glob("*.md") if "| id | model-policy |" in p.read_text(encoding="utf-8"))
    text = model.read_text(encoding="utf-8")
    sentence = next(line for line in text.splitlines() if line.startswith("The {department} shall not"))
    model.write_text(text.replace(sentence, sentence.replace("shall not", "will never"), 1), encoding="utf-8")
    after, cold = tmp_path / "after.md", tmp_path / "cold.md"
    assert _compare(cache, after, "--against", "model-policy", models=models).returncode == 0
    assert _compare(tmp_path / "no-cache-yet", cold, "--against", "model-policy", models=models).returncode == 0
    assert after.read_bytes() == cold.read_bytes()
    assert after.read_bytes() != before.read_bytes()
    assert "will never" in after.read_text(encoding="utf-8")
