"""Cold-start figures from the built SAM artifacts: each handler's import time (python -X importtime),
its first invocation on its events/ sample in a fresh process, and the unzipped sizes.

Run with `make bench` (needs the sam CLI on PATH). Nothing is asserted; the figures go in reports.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPEATS = 5
STAGES = (
    ("FetchFunction", "fetch-direct.json"),
    ("SummarizeFunction", "articles-fetched.json"),
    ("RenderFunction", "digest-written.json"),
)
FIRST_CALL = """
import json, sys, time, uuid
t0 = time.perf_counter()
sys.path.insert(0, sys.argv[1])
import app
t1 = time.perf_counter()
class Context:
    function_name = sys.argv[3]; memory_limit_in_mb = 512; aws_request_id = str(uuid.uuid4())
    invoked_function_arn = "arn:aws:lambda:local:000000000000:function:" + sys.argv[3]
app.lambda_handler(json.load(open(sys.argv[2])), Context())
t2 = time.perf_counter()
print(json.dumps({"import_ms": (t1 - t0) * 1000, "first_call_ms": (t2 - t1) * 1000}))
"""


def size_mib(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1_048_576


def import_profile(function_dir: Path, env: dict[str, str]) -> tuple[float, list[tuple[str, float]]]:
    """Total import time of `app` and its five most expensive top-level packages (ms)."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import app"],
        cwd=function_dir,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    total = 0.0
    nested: list[tuple[str, float]] = []
    for line in proc.stderr.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+(\d+) \|( *)(\S+)", line)
        if not match:
            continue
        cumulative_ms, depth, module = int(match.group(1)) / 1000, len(match.group(2)), match.group(3)
        if module == "app":
            total = cumulative_ms
        elif 1 < depth <= 5:  # what the handler imports, and what those import in turn
            nested.append((module, cumulative_ms))
    return total, sorted(nested, key=lambda kv: kv[1], reverse=True)[:5]


def main() -> None:
    sam = shutil.which("sam")
    if sam is None:
        sys.exit("sam not on PATH: run through `make bench`")
    with tempfile.TemporaryDirectory() as tmp:
        build = Path(tmp) / "build"
        subprocess.run(
            [sam, "build", "--build-dir", str(build)],
            cwd=ROOT,
            check=True,
            capture_output=True,
            env={**os.environ, "SAM_CLI_TELEMETRY": "0"},
        )
        layer = build / "CommonLayer" / "python"
        print(f"layer CommonLayer              {size_mib(build / 'CommonLayer'):7.1f} MiB unzipped")
        workdir = Path(tmp) / "run"
        workdir.mkdir()
        env = {
            **os.environ,
            "PYTHONPATH": str(layer),
            "PYTHONDONTWRITEBYTECODE": "1",
            "POWERTOOLS_METRICS_DISABLED": "true",
            "DIGEST_STORE": str(workdir / "store"),
            "DIGEST_SITE": str(workdir / "site"),
            "DIGEST_TOPICS": str(ROOT / "samples" / "topics.yaml"),
            "DIGEST_WEB_MIRROR": str(ROOT / "samples" / "web"),
            "DIGEST_TEMPLATE": str(ROOT / "template.yaml"),
        }
        for function, sample in STAGES:
            function_dir = build / function
            imports = [import_profile(function_dir, env) for _ in range(REPEATS)]
            median_import = statistics.median(total for total, _ in imports)
            print(f"\n{function:<28}  {size_mib(function_dir) * 1024:7.1f} KiB unzipped")
            print(f"  cold import of app (median of {REPEATS})  {median_import:7.0f} ms")
            print("  heaviest imports: " + ", ".join(f"{name} {ms:.0f} ms" for name, ms in imports[0][1]))
            event = str(ROOT / "events" / sample)
            proc = subprocess.run(
                [sys.executable, "-c", FIRST_CALL, str(function_dir), event, function],
                cwd=workdir,
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            figures = proc.stdout.strip().splitlines()[-1]
            print(f"  fresh process, import + first invocation: {figures}")


if __name__ == "__main__":
    main()
