"""Shared fixtures: the bundled example policies, and a way to run the real CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
POLICIES = ROOT / "policies"
sys.path.insert(0, str(Path(__file__).resolve().parent))


def run_cli(*args: str, input: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run `redline` as a user would: a separate process, its real exit code and streams."""
    env = dict(os.environ, NO_COLOR="1", PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "policy_redline", *args],
        input=input,
        capture_output=True,
        cwd=cwd or ROOT,
        env=env,
        timeout=300,
    )


@pytest.fixture(scope="session")
def policies() -> Path:
    return POLICIES


@pytest.fixture(scope="session", autouse=True)
def _ocr_cache(tmp_path_factory: pytest.TempPathFactory):
    """Scans read by OCR are cached in a folder of this session, never in the user's cache."""
    before = os.environ.get("POLICY_REDLINE_CACHE")
    os.environ["POLICY_REDLINE_CACHE"] = str(tmp_path_factory.mktemp("ocr-cache"))
    yield
    if before is None:
        os.environ.pop("POLICY_REDLINE_CACHE", None)
    else:
        os.environ["POLICY_REDLINE_CACHE"] = before
