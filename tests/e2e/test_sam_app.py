"""The SAM application: the template lints, builds, and each built handler runs on its events/ sample
with the built layer first on sys.path (as in Lambda, where /opt/python precedes the runtime)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

SAM = shutil.which("sam")
needs_sam = pytest.mark.skipif(SAM is None, reason="sam CLI not on PATH (make test puts .venv-sam/bin there)")

RUNNER = """
import json, sys, uuid
sys.path.insert(0, sys.argv[1])
import app, dailydigest

class Context:
    function_name = sys.argv[3]
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:local:000000000000:function:" + sys.argv[3]
    aws_request_id = str(uuid.uuid4())

result = app.lambda_handler(json.load(open(sys.argv[2])), Context())
print(json.dumps({"layer": dailydigest.__file__, "result": result}))
"""


def _runs_on_amazon_linux_2(tag: str) -> bool:
    platform = tag.rsplit("-", 1)[-1]
    if platform == "any" or platform in ("manylinux1_x86_64", "manylinux2010_x86_64", "manylinux2014_x86_64"):
        return True
    if platform.startswith("manylinux_2_") and platform.endswith("_x86_64"):
        return int(platform.split("_")[2]) <= 17
    return False


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if SAM is None:
        pytest.skip("sam CLI not on PATH")
    root = Path(__file__).resolve().parents[2]
    build_dir = tmp_path_factory.mktemp("sam") / "build"
    env = {**os.environ, "SAM_CLI_TELEMETRY": "0"}
    subprocess.run(
        [SAM, "build", "--template-file", str(root / "template.yaml"), "--build-dir", str(build_dir)],
        cwd=root,
        check=True,
        capture_output=True,
        env=env,
        timeout=900,
    )
    return build_dir


@needs_sam
def test_template_validates_with_lint(repo_root: Path) -> None:
    result = subprocess.run(
        [str(SAM), "validate", "--lint", "--template-file", "template.yaml"],
        cwd=repo_root,
        capture_output=True,
        text=True,
        env={**os.environ, "SAM_CLI_TELEMETRY": "0"},
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("cfn-lint") is None, reason="cfn-lint not on PATH")
def test_template_passes_cfn_lint_with_the_serverless_rules(repo_root: Path) -> None:
    result = subprocess.run(
        [str(shutil.which("cfn-lint")), "--append-rules", "cfn_lint_serverless.rules", "--", "template.yaml"],
        cwd=repo_root,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@needs_sam
def test_built_layer_holds_the_package_and_its_dependencies(built: Path) -> None:
    layer = built / "CommonLayer" / "python"
    for name in (
        "dailydigest/wiring.py",
        "dailydigest/render/templates",
        "pydantic",
        "aws_lambda_powertools",
        "jinja2",
        "feedparser",
        "yaml",
        "PIL",
        "trafilatura",
        "markdown",
        "dailydigest/archive/templates",
        "pylopdf_fonts_zh_tw",
    ):
        assert (layer / name).exists(), name
    # Bytecode is compiled at build time (Lambda's /opt is read-only), the runtime's botocore is not
    # duplicated, and the font package's unused serif face is gone.
    assert (layer / "dailydigest" / "__pycache__" / "wiring.cpython-311.pyc").is_file()
    assert not (layer / "botocore").exists()
    assert not (layer / "pylopdf_fonts_zh_tw" / "NotoSerifTC-Regular.otf").exists()
    # Every wheel runs on the runtime's platform (Amazon Linux 2: glibc 2.26, so manylinux <= 2.17 tags).
    for wheel in layer.glob("*.dist-info/WHEEL"):
        tags = [
            line.split(": ", 1)[1].strip()
            for line in wheel.read_text().splitlines()
            if line.startswith("Tag:")
        ]
        assert any(_runs_on_amazon_linux_2(tag) for tag in tags), (wheel.parent.name, tags)
    for function in ("FetchFunction", "SummarizeFunction", "RenderFunction"):
        assert (built / function / "app.py").is_file()
        assert not (built / function / "dailydigest").exists(), "shared code must live in the layer only"


@needs_sam
def test_built_handlers_run_their_sample_events(built: Path, repo_root: Path, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": str(built / "CommonLayer" / "python"),
        "DIGEST_STORE": str(tmp_path / "store"),
        "DIGEST_SITE": str(tmp_path / "site"),
        "DIGEST_TOPICS": str(repo_root / "samples" / "topics.yaml"),
        "DIGEST_WEB_MIRROR": str(repo_root / "samples" / "web"),
        "DIGEST_TEMPLATE": str(repo_root / "template.yaml"),
        "POWERTOOLS_METRICS_DISABLED": "true",
    }
    outcomes = {}
    # Each stage in its own process: a cold start on the built artifacts, sharing only the store.
    for function, sample in (
        ("FetchFunction", "fetch-direct.json"),
        ("SummarizeFunction", "articles-fetched.json"),
        ("RenderFunction", "digest-written.json"),
    ):
        proc = subprocess.run(
            [
                sys.executable,
                "-c",
                RUNNER,
                str(built / function),
                str(repo_root / "events" / sample),
                function,
            ],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert proc.returncode == 0, proc.stderr[-3000:]
        report = json.loads(proc.stdout.strip().splitlines()[-1])
        assert report["layer"].startswith(str(built)), "the handler must import the built layer"
        outcomes[function] = report["result"]

    assert outcomes["FetchFunction"]["outcome"] == "fetched"
    assert outcomes["SummarizeFunction"]["digest_key"] == "data/qwen/2026-11-28/digest.json"
    assert outcomes["RenderFunction"]["post_path"] == "_posts/2026-11-28-qwen-daily-2026-11-28.md"
    assert (tmp_path / "site" / "_posts" / "2026-11-28-qwen-daily-2026-11-28.md").is_file()
    assert (tmp_path / "site" / "assets/img/posts/2026-11-28-qwen-infographic.png").is_file()
