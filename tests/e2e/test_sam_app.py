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

# Each function in a fresh interpreter that sees only what Lambda gives it: its code, its layers
# (extracted into one /opt/python), then the runtime's own boto3. -S keeps this environment's
# site-packages out, so a library missing from a layer fails here as it would in Lambda.
RUNNER = """
import json, sys, uuid
sys.path[:0] = sys.argv[1].split("{sep}")
import app, dailydigest
for module in sys.argv[4].split(","):
    if module:
        __import__(module)

class Context:
    function_name = sys.argv[3]
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:local:000000000000:function:" + sys.argv[3]
    aws_request_id = str(uuid.uuid4())

event = json.load(open(sys.argv[2])) if sys.argv[2] else None
result = app.lambda_handler(event, Context()) if event is not None else None
print(json.dumps({"layer": dailydigest.__file__, "result": result}))
""".replace("{sep}", os.pathsep)
LAYERS = {
    "FetchFunction": ("CommonLayer", "FetchLayer"),
    "SummarizeFunction": ("CommonLayer", "SummarizeLayer"),
    "RenderFunction": ("CommonLayer", "RenderLayer"),
    "ScheduleSyncFunction": ("CommonLayer",),
    "WatchdogFunction": ("CommonLayer",),
}
# What the python3.11 runtime ships after the layers (boto3 and what it needs).
RUNTIME_PACKAGES = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3", "six.py")
# Modules each function imports lazily on paths its sample does not take (network, LLM, GitHub,
# secrets, tracing): they must import from the built layers all the same.
LAZY_IMPORTS = {
    "FetchFunction": "trafilatura,dailydigest.web.http,dailydigest.sources.google_news,"
    "dailydigest.sources.news_api,dailydigest.store.s3,dailydigest.bus.eventbridge",
    "SummarizeFunction": "openai,dailydigest.summarize.llm.summarizer,dailydigest.summarize.chinese,"
    "aws_lambda_powertools.utilities.parameters,aws_xray_sdk.core",
    "RenderFunction": "PIL.Image,PIL.ImageFont,dailydigest.publish.github,dailydigest.render.image,"
    "dailydigest.archive",
    "ScheduleSyncFunction": "dailydigest.schedules.scheduler,dailydigest.schedules.parameter",
    "WatchdogFunction": "dailydigest.schedules.notify,dailydigest.store.s3",
}


def _runtime(tmp_path: Path) -> Path:
    import boto3

    site = Path(boto3.__file__).resolve().parents[1]
    runtime = tmp_path / "runtime"
    runtime.mkdir()
    for name in RUNTIME_PACKAGES:
        if (site / name).exists():
            (runtime / name).symlink_to(site / name)
    return runtime


def _sys_path(built: Path, function: str, runtime: Path) -> str:
    paths = [built / function, *(built / layer / "python" for layer in LAYERS[function]), runtime]
    return os.pathsep.join(str(p) for p in paths)


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
def test_each_function_gets_only_the_libraries_it_imports(built: Path) -> None:
    def layer(name: str) -> Path:
        return built / name / "python"

    contents = {
        "CommonLayer": (
            "dailydigest/wiring.py",
            "dailydigest/render/templates",
            "dailydigest/archive/templates",
            "pydantic",
            "aws_lambda_powertools",
            "yaml",
            "aws_xray_sdk",
        ),
        "FetchLayer": ("httpx", "feedparser", "trafilatura", "lxml", "lxml_html_clean", "charset_normalizer"),
        "SummarizeLayer": ("openai", "opencc", "jinja2"),
        "RenderLayer": ("PIL", "jinja2", "markdown", "markupsafe", "pylopdf_fonts_zh_tw", "httpx"),
    }
    absent = {
        "CommonLayer": ("openai", "PIL", "trafilatura", "httpx", "jinja2", "botocore"),
        # A layer holds nothing the common layer has: one /opt/python, no second copy.
        "FetchLayer": ("openai", "PIL", "jinja2", "opencc", "pydantic", "aws_lambda_powertools", "yaml"),
        "SummarizeLayer": ("PIL", "trafilatura", "lxml", "babel", "pydantic", "aws_lambda_powertools"),
        "RenderLayer": ("openai", "trafilatura", "lxml", "babel", "opencc", "pydantic"),
    }
    for name, wanted in contents.items():
        for entry in wanted:
            assert (layer(name) / entry).exists(), (name, entry)
        for entry in absent[name]:
            assert not (layer(name) / entry).exists(), (name, entry)
    # Bytecode is compiled at build time (Lambda's /opt is read-only).
    assert (layer("CommonLayer") / "dailydigest" / "__pycache__" / "wiring.cpython-311.pyc").is_file()
    assert any((layer("FetchLayer") / "trafilatura" / "__pycache__").glob("*.cpython-311.pyc"))
    for function in LAYERS:
        assert (built / function / "app.py").is_file()
        assert not (built / function / "dailydigest").exists(), "shared code must live in the layer only"


@needs_sam
def test_what_no_code_path_uses_is_pruned(built: Path) -> None:
    layers = [
        built / name / "python" for name in ("CommonLayer", "FetchLayer", "SummarizeLayer", "RenderLayer")
    ]
    for root in layers:
        assert not (root / "botocore").exists() and not (root / "bin").exists(), root
        suites = [p for p in root.rglob("test_*.py") if "tests" in p.parts or "test" in p.parts]
        assert not suites, suites[:3]
    fetch, summarize, render = layers[1], layers[2], layers[3]
    locales = sorted(p.name for p in (fetch / "babel" / "locale-data").iterdir())
    assert "root.dat" in locales and "zh_Hant_TW.dat" in locales and "en.dat" in locales
    assert all(name.startswith(("root", "en", "zh")) for name in locales), locales
    assert not (summarize / "opencc" / "clib" / "bin").exists()
    assert (summarize / "opencc" / "clib" / "share" / "opencc" / "s2twp.json").is_file()
    assert not list((render / "PIL").glob("_avif*.so"))
    assert not list((render / "pillow.libs").glob("libavif*"))
    assert not (render / "pylopdf_fonts_zh_tw" / "NotoSerifTC-Regular.otf").exists()
    assert not (layers[0] / "aws_lambda_powertools" / "event_handler").exists()
    # Every wheel runs on the runtime's platform (Amazon Linux 2: glibc 2.26, so manylinux <= 2.17 tags).
    for root in layers:
        for wheel in root.glob("*.dist-info/WHEEL"):
            tags = [
                line.split(": ", 1)[1].strip()
                for line in wheel.read_text().splitlines()
                if line.startswith("Tag:")
            ]
            assert any(_runs_on_amazon_linux_2(tag) for tag in tags), (wheel.parent.name, tags)


@needs_sam
def test_built_handlers_run_their_sample_events(built: Path, repo_root: Path, tmp_path: Path) -> None:
    runtime = _runtime(tmp_path)
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DIGEST_STORE": str(tmp_path / "store"),
        "DIGEST_SITE": "none",  # as in Lambda: the post stays in the store
        "DIGEST_TOPICS": str(repo_root / "samples" / "topics.yaml"),
        "DIGEST_WEB_MIRROR": str(repo_root / "samples" / "web"),
        "DIGEST_TEMPLATE": str(repo_root / "template.yaml"),
        "POWERTOOLS_METRICS_DISABLED": "true",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    outcomes = {}
    # Each stage in its own process: a cold start on the built artifacts, sharing only the store.
    for function, sample in (
        ("FetchFunction", "fetch-direct.json"),
        ("SummarizeFunction", "articles-fetched.json"),
        ("RenderFunction", "digest-written.json"),
        ("ScheduleSyncFunction", ""),
        ("WatchdogFunction", ""),
    ):
        proc = subprocess.run(
            [
                sys.executable,
                "-I",
                "-S",
                "-c",
                RUNNER,
                _sys_path(built, function, runtime),
                str(repo_root / "events" / sample) if sample else "",
                function,
                LAZY_IMPORTS[function],
            ],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert proc.returncode == 0, (function, proc.stderr[-3000:])
        report = json.loads(proc.stdout.strip().splitlines()[-1])
        assert report["layer"].startswith(str(built)), "the handler must import the built layer"
        outcomes[function] = report["result"]

    assert outcomes["FetchFunction"]["outcome"] == "fetched"
    assert outcomes["SummarizeFunction"]["digest_key"] == "data/qwen/2026-11-28/digest.json"
    assert outcomes["RenderFunction"]["post_path"] == "_posts/2026-11-28-qwen-daily-2026-11-28.md"
    assert (tmp_path / "store" / "data" / "qwen" / "2026-11-28" / "post.md").is_file()
    assert (tmp_path / "store" / "data" / "qwen" / "2026-11-28" / "infographic.png").stat().st_size > 10_000


# What the pruning kept still does its job, in each function's own environment.
PRUNED_STILL_WORKS = {
    # OpenCC finds its s2twp configuration and dictionaries without its CLI tools and headers.
    "SummarizeFunction": "from opencc import OpenCC; "
    "assert OpenCC('s2twp').convert('软件和网络') == '軟體和網路'",
    # YAML without libyaml; babel with only the topics' locales; courlan's language filter on a
    # pruned locale scores nothing instead of failing; lxml.html without objectify.
    "FetchFunction": "import yaml; assert yaml.safe_load('a: [1, 2]') == {'a': [1, 2]}; "
    "from babel import Locale; assert Locale.parse('zh_TW').script == 'Hant'; "
    "assert Locale.parse('en_US').language == 'en'; "
    "from courlan.filters import langcodes_score; assert langcodes_score('de', 'de_DE', 0) == 0; "
    "import lxml.html; assert lxml.html.fromstring('<p>x</p>').text == 'x'; "
    "import trafilatura; trafilatura.extract('<html><body><article><p>' + 'Qwen news. ' * 30 + "
    "'</p></article></body></html>', target_language='en')",
    # Pillow draws PNG without AVIF.
    "RenderFunction": "import io; from PIL import Image; b = io.BytesIO(); "
    "Image.new('RGB', (4, 4)).save(b, 'PNG'); assert b.getvalue()[:4] == bytes([137, 80, 78, 71])",
}


@needs_sam
@pytest.mark.parametrize("function", sorted(PRUNED_STILL_WORKS))
def test_what_the_pruning_kept_still_works(built: Path, tmp_path: Path, function: str) -> None:
    script = "import sys; sys.path[:0] = sys.argv[1].split(" + repr(os.pathsep) + "); "
    proc = subprocess.run(
        [
            sys.executable,
            "-I",
            "-S",
            "-c",
            script + PRUNED_STILL_WORKS[function],
            _sys_path(built, function, _runtime(tmp_path)),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
