"""Benchmarks for the local pipeline: end-to-end wall time and handler import times (source tree).

Run with `make bench` (bench_coldstart.py measures the built artifacts). Nothing here is asserted.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DAY = "2026-11-28"
REPEATS = 3


def timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def bench_demo() -> None:
    env = {
        **os.environ,
        "DIGEST_WEB_MIRROR": str(ROOT / "samples" / "web"),
        "DIGEST_TOPICS": str(ROOT / "samples" / "topics.yaml"),
    }
    cmd = [str(BIN / "dailydigest"), "run", "qwen", "--date", DAY]
    fresh, again = [], []
    for _ in range(REPEATS):
        with tempfile.TemporaryDirectory() as tmp:
            fresh.append(timed(cmd, Path(tmp), env))
            again.append(timed(cmd, Path(tmp), env))
    print(f"pipeline, fresh directory     median {statistics.median(fresh):6.2f} s  (n={REPEATS})")
    print(f"pipeline, rerun (idempotent)  median {statistics.median(again):6.2f} s  (n={REPEATS})")


def bench_imports() -> None:
    probe = "import time; t = time.perf_counter(); import app; print(time.perf_counter() - t)"
    for function in ("fetch", "summarize", "render"):
        runs = []
        for _ in range(REPEATS):
            out = subprocess.run(
                [sys.executable, "-c", probe],
                cwd=ROOT / "functions" / function,
                check=True,
                capture_output=True,
                text=True,
                env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
            )
            runs.append(float(out.stdout.strip()))
        print(f"import {function:<10} handler     median {statistics.median(runs) * 1000:6.0f} ms")


if __name__ == "__main__":
    bench_demo()
    bench_imports()
