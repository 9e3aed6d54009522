"""Benchmarks for the local pipeline: end-to-end wall time, handler import times, built sizes.

Run with `make bench`. Prints a table; nothing here is asserted, figures go in reports.
"""

from __future__ import annotations

import os
import shutil
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
        "DIGEST_TOPICS": str(ROOT / "topics.yaml"),
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


def bench_build() -> None:
    sam = shutil.which("sam")
    if sam is None:
        print("sam not on PATH: skipping build sizes")
        return
    with tempfile.TemporaryDirectory() as tmp:
        build = Path(tmp) / "build"
        start = time.perf_counter()
        subprocess.run(
            [sam, "build", "--build-dir", str(build)],
            cwd=ROOT,
            check=True,
            capture_output=True,
            env={**os.environ, "SAM_CLI_TELEMETRY": "0"},
        )
        print(f"sam build                     {time.perf_counter() - start:6.1f} s")
        for part in sorted(build.iterdir()):
            if part.is_dir():
                size = sum(f.stat().st_size for f in part.rglob("*") if f.is_file())
                print(f"built {part.name:<22}  {size / 1_048_576:8.1f} MiB unzipped")


if __name__ == "__main__":
    bench_demo()
    bench_imports()
    bench_build()
