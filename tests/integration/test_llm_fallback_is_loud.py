"""An unreachable LLM endpoint: the run still publishes (extractive), and says so where people look:
one line of the run's own output with the reason, model and host, and the run record's outcome."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT
from tests.support.llm_harness import run_dailydigest

pytestmark = pytest.mark.integration


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port  # nothing listens there once the probe is closed


def test_unreachable_endpoint_is_one_clear_line_and_shows_in_runs(tmp_path: Path) -> None:
    port = _closed_port()

    def dailydigest(*args: str) -> subprocess.CompletedProcess[str]:
        return run_dailydigest(
            tmp_path, f"http://127.0.0.1:{port}/v1", "qwen3-32b", *args, DIGEST_LLM_MAX_RETRIES="0"
        )

    topics = str(REPO_ROOT / "samples" / "topics.yaml")
    run = dailydigest("run", "qwen", "--date", "2026-11-28", "--topics", topics)
    assert run.returncode == 0, run.stderr
    digest_lines = [line.strip() for line in run.stdout.splitlines() if line.strip().startswith("digest ")]
    assert len(digest_lines) == 1
    (line,) = digest_lines
    assert line.startswith("digest     extractive (LLM fell back: connection failed")
    assert f"model qwen3-32b at 127.0.0.1:{port})" in line
    assert line.endswith("-> data/qwen/2026-11-28/digest.json")

    runs = dailydigest("runs")
    assert runs.returncode == 0, runs.stderr
    (row,) = [line for line in runs.stdout.splitlines() if "qwen" in line and "2026-11-28" in line]
    assert "LLM fell back" in row
    assert "extractive (LLM fell back)" in row
