"""Cold-start figures from the built SAM artifacts, per function: its code plus its layers unzipped
(what Lambda counts against the 250 MB limit), the import time of its handler beside the import
time of `import openai` alone on the same machine, and its first invocation on its events/ sample.

Run with `make bench` (needs the sam CLI on PATH), or on an existing build:
`python scripts/bench_coldstart.py --build-dir .aws-sam/build`. Nothing is asserted; the figures go
in reports.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "layers" / "common"))

from dailydigest.bus.template import load_template  # noqa: E402

REPEATS = 7
# What the python3.11 runtime itself ships after the layers on sys.path (boto3 and its dependencies).
RUNTIME_PACKAGES = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3", "six.py")
SAMPLES = {
    "FetchFunction": "fetch-direct.json",
    "SummarizeFunction": "articles-fetched.json",
    "RenderFunction": "digest-written.json",
}
IMPORT = """
import sys, time
sys.path[:0] = sys.argv[2].split("{sep}")
t0, c0 = time.perf_counter(), time.process_time()
__import__(sys.argv[1])
print((time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000)
""".replace("{sep}", os.pathsep)
FIRST_CALL = """
import json, sys, time, uuid
sys.path[:0] = sys.argv[1].split("{sep}")
t0 = time.perf_counter()
import app
t1 = time.perf_counter()
class Context:
    function_name = sys.argv[3]; memory_limit_in_mb = 512; aws_request_id = str(uuid.uuid4())
    invoked_function_arn = "arn:aws:lambda:local:000000000000:function:" + sys.argv[3]
app.lambda_handler(json.load(open(sys.argv[2])), Context())
t2 = time.perf_counter()
print(json.dumps({"import_ms": round((t1 - t0) * 1000), "first_call_ms": round((t2 - t1) * 1000)}))
""".replace("{sep}", os.pathsep)


def size_mib(*paths: Path) -> float:
    return sum(f.stat().st_size for p in paths for f in p.rglob("*") if f.is_file()) / 1_048_576


def runtime_dir(workdir: Path) -> Path:
    """A directory holding only what the Lambda runtime provides, linked from this environment."""
    runtime = workdir / "runtime"
    runtime.mkdir()
    import boto3

    site = Path(boto3.__file__).resolve().parents[1]
    for name in RUNTIME_PACKAGES:
        if (site / name).exists():
            (runtime / name).symlink_to(site / name)
    return runtime


def functions_and_layers(build: Path) -> dict[str, list[Path]]:
    """Each built function's sys.path entries in Lambda's order: its code, then its layers' python/."""
    template = load_template(build / "template.yaml")
    resources: dict[str, Any] = template["Resources"]
    global_layers = template.get("Globals", {}).get("Function", {}).get("Layers", [])
    found = {}
    for name, resource in resources.items():
        if resource.get("Type") != "AWS::Serverless::Function":
            continue
        props = resource.get("Properties", {})
        layers = [*global_layers, *props.get("Layers", [])]
        # Lambda extracts every layer into /opt (later layers over earlier ones): /opt/python is one path.
        contents = [str(resources[layer["Ref"]]["Properties"]["ContentUri"]) for layer in layers]
        paths = [build / content / "python" for content in contents]
        found[name] = [build / str(props["CodeUri"]), *paths]
    return found


def import_ms(module: str, paths: list[Path], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU milliseconds of importing `module` in a fresh interpreter that sees only `paths`."""
    proc = subprocess.run(
        [sys.executable, "-I", "-S", "-c", IMPORT, module, os.pathsep.join(map(str, paths))],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    wall, cpu = proc.stdout.strip().splitlines()[-1].split()
    return float(wall), float(cpu)


def side_by_side(
    functions: dict[str, list[Path]], openai_paths: list[Path], env: dict[str, str], cwd: Path
) -> tuple[list[tuple[float, float]], dict[str, list[tuple[float, float]]]]:
    """Each round imports openai alone, then every handler, so both see the machine in the same state
    (a shared machine's load changes from minute to minute)."""
    baseline: list[tuple[float, float]] = []
    handlers: dict[str, list[tuple[float, float]]] = {name: [] for name in functions}
    for _ in range(REPEATS):
        baseline.append(import_ms("openai", openai_paths, env, cwd))
        for name, paths in functions.items():
            handlers[name].append(import_ms("app", paths, env, paths[0]))
    return baseline, handlers


def report(build: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        env = {
            "PATH": os.environ.get("PATH", ""),
            "PYTHONDONTWRITEBYTECODE": "1",
            "POWERTOOLS_METRICS_DISABLED": "true",
            "DIGEST_STORE": str(workdir / "store"),
            "DIGEST_SITE": "none",  # as in Lambda: the post stays in the store (no local git there)
            "DIGEST_TOPICS": str(ROOT / "samples" / "topics.yaml"),
            "DIGEST_WEB_MIRROR": str(ROOT / "samples" / "web"),
            "DIGEST_TEMPLATE": str(ROOT / "template.yaml"),
        }
        runtime = runtime_dir(workdir)
        functions = {name: [*paths, runtime] for name, paths in functions_and_layers(build).items()}
        openai_paths = next((p for p in functions.values() if any((d / "openai").is_dir() for d in p)), [])
        baseline, handlers = side_by_side(dict(sorted(functions.items())), openai_paths, env, workdir)
        openai_wall = statistics.median(w for w, _ in baseline)
        openai_cpu = statistics.median(c for _, c in baseline)
        print(f"import openai alone, median of {REPEATS}: {openai_wall:.0f} ms wall, {openai_cpu:.0f} ms CPU")
        print(
            f"{'function':<22}{'code+layers MiB':>16}{'import ms wall':>16}{'CPU':>7}{'x openai (CPU)':>16}"
        )
        for name, runs in handlers.items():
            code, layers = functions[name][0], functions[name][1:-1]
            wall = statistics.median(w for w, _ in runs)
            cpu = statistics.median(c for _, c in runs)
            # The ratio of each round (same moment), then the median over rounds.
            ratio = statistics.median(c / base for (_, c), (_, base) in zip(runs, baseline, strict=True))
            print(f"{name:<22}{size_mib(code, *layers):16.1f}{wall:16.0f}{cpu:7.0f}{ratio:16.2f}")
        for name, sample in SAMPLES.items():
            if name not in functions:
                continue
            proc = subprocess.run(
                [
                    sys.executable,
                    "-I",
                    "-S",
                    "-c",
                    FIRST_CALL,
                    os.pathsep.join(map(str, functions[name])),
                    str(ROOT / "events" / sample),
                    name,
                ],
                cwd=workdir,
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            print(f"{name} fresh process, import + first invocation: {proc.stdout.strip().splitlines()[-1]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build-dir", type=Path, help="an existing `sam build` output (default: build one)")
    args = parser.parse_args()
    if args.build_dir:
        report(args.build_dir.resolve())
        return
    sam = shutil.which("sam")
    if sam is None:
        sys.exit("sam not on PATH: run through `make bench`, or pass --build-dir")
    with tempfile.TemporaryDirectory() as tmp:
        build = Path(tmp) / "build"
        subprocess.run(
            [sam, "build", "--build-dir", str(build)],
            cwd=ROOT,
            check=True,
            capture_output=True,
            env={**os.environ, "SAM_CLI_TELEMETRY": "0"},
        )
        report(build)


if __name__ == "__main__":
    main()
