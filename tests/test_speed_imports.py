"""What a command imports is part of how fast it is: each hot path is run as the real
command in a new interpreter, and the heavy libraries it has no use for must stay unloaded
(markdown-it reads the bundled models, numpy is not needed to align clauses, pypdf reads
PDFs, python-docx writes documents from scratch -- none is needed to redline two .docx
files or to compare two text policies into a Word redline)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
HEAVY = ("markdown_it", "numpy", "pypdf", "docx")

# Runs `redline ARGS...` through the console entry point, then prints which heavy modules
# the process loaded (at exit, after the output file is written).
def _run(watched: tuple[str, ...]) -> str:
    return (
        "import json, sys\n"
        "from policy_redline.cli import main\n"
        "main(sys.argv[1:])\n"
        f"print(json.dumps(sorted(m for m in {watched!r} if m in sys.modules)))\n"
    )


def _env() -> dict[str, str]:
    """A bare environment, with the models' cache in the test session's folder (conftest),
    never the user's."""
    return {"PYTHONPATH": str(ROOT / "cli"), "PATH": "/usr/bin:/bin",
            "POLICY_REDLINE_CACHE": os.environ["POLICY_REDLINE_CACHE"]}


#: What only a Word redline needs: the package editor and lxml under it.
WORD = ("lxml", "policy_redline.writers.docx_package", "policy_redline.writers.docx_redline")


def _loaded(args: list[str], tmp_path: Path, watched: tuple[str, ...] = HEAVY, cache: Path | None = None) -> list[str]:
    """What `redline ARGS` imported, with the models' cache in `cache` (default: a new,
    empty folder, so the models are parsed)."""
    if cache is None:
        cache = tmp_path / "empty-cache"
        shutil.rmtree(cache, ignore_errors=True)
    result = subprocess.run([sys.executable, "-c", _run(watched), *args], capture_output=True, text=True, timeout=120,
                            cwd=tmp_path, env={"PYTHONPATH": str(ROOT / "cli"), "PATH": "/usr/bin:/bin",
                                               "POLICY_REDLINE_CACHE": str(cache)})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def _amended_copy(tmp_path: Path) -> Path:
    """The Chicopee policy with its red-flag clauses amended (the tool's own clean draft)."""
    out = tmp_path / "chicopee-amended.docx"
    result = subprocess.run([sys.executable, "-m", "policy_redline", "draft", str(ROOT / "policies" / "chicopee-413.docx"),
                             "--clean", "-o", str(out)], capture_output=True, text=True, timeout=120,
                            env=_env())
    assert result.returncode == 0, result.stderr
    return out


def test_redline_of_two_docx_loads_no_heavy_library(tmp_path: Path) -> None:
    amended = _amended_copy(tmp_path)
    out = tmp_path / "redline.docx"
    loaded = _loaded(["compare", str(amended), "--against", str(ROOT / "policies" / "chicopee-413.docx"),
                      "--format", "docx", "-o", str(out)], tmp_path)
    assert loaded == []
    assert out.stat().st_size > 0


def test_docx_comparison_of_two_text_policies_loads_neither_models_nor_numpy(tmp_path: Path) -> None:
    """Two town policies compared into a Word redline: neither the bundled models (the
    boilerplate share is not shown in a redline) nor numpy nor pypdf is loaded; python-docx
    writes the new document."""
    out = tmp_path / "compare.docx"
    loaded = _loaded(["compare", str(CORPUS / "csu-slo_428-immigration-violations.txt"),
                      "--against", str(CORPUS / "ca-santa-cruz-county-sheriff_428-immigration-violations.txt"),
                      "--format", "docx", "-o", str(out)], tmp_path)
    assert loaded == ["docx"]


def test_text_comparison_of_two_policies_loads_no_numpy(tmp_path: Path) -> None:
    """The Markdown comparison shows the boilerplate share, so the models are read
    (markdown-it); numpy is still not needed."""
    out = tmp_path / "compare.md"
    loaded = _loaded(["compare", str(CORPUS / "csu-slo_428-immigration-violations.txt"),
                      "--against", str(CORPUS / "ca-santa-cruz-county-sheriff_428-immigration-violations.txt"),
                      "-o", str(out)], tmp_path)
    assert loaded == ["markdown_it"]
    assert "boilerplate share" in out.read_text(encoding="utf-8")


def test_text_comparison_with_the_models_cached_loads_no_markdown_parser(tmp_path: Path) -> None:
    """The first comparison parses the bundled models (markdown-it) and keeps them in the
    cache folder; the next reads them from there without importing markdown-it (nor the
    judge's lexicon), and writes the same comparison byte for byte."""
    cache = tmp_path / "cache"
    pair = [str(CORPUS / "csu-slo_428-immigration-violations.txt"),
            "--against", str(CORPUS / "ca-santa-cruz-county-sheriff_428-immigration-violations.txt")]
    watched = HEAVY + ("policy_redline.provisions",)
    first, second = tmp_path / "first.md", tmp_path / "second.md"
    assert _loaded(["compare", *pair, "-o", str(first)], tmp_path, watched, cache) == ["markdown_it"]
    model_files = [p for p in (ROOT / "models").glob("*.md") if p.name not in ("README.md", "rubric.md", "provisions.md")]
    assert len(list((cache / "models").glob("*.marshal"))) == len(model_files)
    assert list((cache / "sides").glob("*.marshal"))  # the templates, prepared
    assert _loaded(["compare", *pair, "-o", str(second)], tmp_path, watched, cache) == []
    assert second.read_bytes() == first.read_bytes()
    assert "boilerplate share" in second.read_text(encoding="utf-8")


#: The other formats' readers: reading a .txt tells RTF and an .odt package from text by
#: their first bytes without importing them (or zipfile).
OTHER_READERS = ("zipfile", "policy_redline.readers.odt", "policy_redline.readers.rtf", "policy_redline.readers.docx",
                 "policy_redline.readers.pdf", "policy_redline.readers.html", "policy_redline.readers.markdown")


def test_text_comparison_loads_nothing_of_the_word_writer_or_other_readers(tmp_path: Path) -> None:
    """A Markdown comparison of two text policies starts without the .docx package editor
    or lxml (telling a Word pair by its names does not import the editor), and without the
    readers of other formats."""
    out = tmp_path / "compare.md"
    loaded = _loaded(["compare", str(CORPUS / "csu-slo_428-immigration-violations.txt"),
                      "--against", str(CORPUS / "ca-santa-cruz-county-sheriff_428-immigration-violations.txt"),
                      "--format", "md", "-o", str(out)], tmp_path, WORD + OTHER_READERS)
    assert loaded == []
    assert out.read_text(encoding="utf-8").startswith("# ")


def test_cheap_model_ids_are_the_models_ids() -> None:
    """`compare --against` decides whether it names a model from the metadata tables alone;
    that reading must give exactly the ids the full parse gives."""
    code = (
        "import sys\n"
        "from policy_redline.models import model_ids, load_models\n"
        "ids = model_ids()\n"
        "assert 'markdown_it' not in sys.modules\n"
        "assert ids == tuple(m.id for m in load_models()), ids\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=_env())
    assert result.returncode == 0, result.stderr
