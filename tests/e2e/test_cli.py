"""`dailydigest run` as a user runs it: from an empty directory, through the local bus and the
template's routing, to a committed post that Jekyll builds with --strict-front-matter."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_TOPICS = ROOT / "samples" / "topics.yaml"
DAY = "2026-11-28"


def dailydigest(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    # The venv's own entry point, so the test runs the code under test.
    executable = str(Path(sys.executable).parent / "dailydigest")
    environment = {**os.environ, "DIGEST_WEB_MIRROR": str(ROOT / "samples" / "web"), **env}
    return subprocess.run(
        [executable, *args], cwd=cwd, env=environment, capture_output=True, text=True, timeout=300
    )


def git_log(site: Path) -> list[str]:
    from dulwich.repo import Repo

    repo = Repo(str(site))
    try:
        return [entry.commit.id.decode() for entry in repo.get_walker()]
    finally:
        repo.close()


@pytest.fixture(scope="module")
def first_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    workdir = tmp_path_factory.mktemp("run")
    result = dailydigest("run", "qwen", "--date", DAY, "--topics", str(SAMPLE_TOPICS), cwd=workdir)
    return workdir, result


def test_run_publishes_post_image_and_artifacts(
    first_run: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    workdir, result = first_run
    assert result.returncode == 0, result.stderr
    post = workdir / "site" / "_posts" / f"{DAY}-qwen-daily-{DAY}.md"
    image = workdir / "site" / "assets" / "img" / "posts" / f"{DAY}-qwen-infographic.png"
    assert post.read_text(encoding="utf-8").startswith("---\nlayout: post\n")
    assert image.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    stored = sorted(p.name for p in (workdir / "var" / "store" / "data" / "qwen" / DAY).iterdir())
    # digest.claim: the summarize delivery that paid for the digest (a duplicate waits on it).
    assert stored == [
        "digest.claim",
        "digest.json",
        "infographic.png",
        "placement.json",
        "post.md",
        "stories.json",
    ]
    # The report says which adapters ran and where everything went.
    for fragment in (
        "store",
        "directory",
        "local bus",
        "extractive",
        "local git repository",
        "committed",
        f"_posts/{DAY}-qwen-daily-{DAY}.md",
    ):
        assert fragment in result.stdout


def test_rerun_same_date_adds_no_commit_and_no_artifact(
    first_run: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    workdir, _ = first_run
    commits = git_log(workdir / "site")
    # Artifacts live under data/; every run adds its own run record under runs/.
    store_files = sorted(p for p in (workdir / "var" / "store" / "data").rglob("*") if p.is_file())
    again = dailydigest("run", "qwen", "--date", DAY, "--topics", str(SAMPLE_TOPICS), cwd=workdir)
    assert again.returncode == 0, again.stderr
    assert "unchanged, no commit" in again.stdout
    assert git_log(workdir / "site") == commits
    assert sorted(p for p in (workdir / "var" / "store" / "data").rglob("*") if p.is_file()) == store_files


@pytest.mark.skipif(shutil.which("jekyll") is None, reason="jekyll not installed (.ci/run installs it)")
def test_jekyll_builds_the_published_site_strictly(
    first_run: tuple[Path, subprocess.CompletedProcess[str]], tmp_path: Path
) -> None:
    workdir, _ = first_run
    result = subprocess.run(
        [
            "jekyll",
            "build",
            "--strict-front-matter",
            "--source",
            str(workdir / "site"),
            "--destination",
            str(tmp_path / "_site"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    pages = list((tmp_path / "_site").rglob("*.html"))
    assert any("QWEN 每日動態 - 2026-11-28" in page.read_text(encoding="utf-8") for page in pages)


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["run", "llama", "--date", DAY], "unknown topic 'llama'"),
        (["run", "qwen", "--date", "2026-02-30"], "date"),
        (["run", "qwen", "--date", "tomorrow"], "date"),
        (["run", "qwen", "--date", "2999-01-01"], "future"),
        (["run", "Not A Slug"], "topic"),
        (["run", "qwen", "--topics", "missing.yaml"], "topics file not found"),
        (["run", "qwen", "--topics", "bad.yaml"], "not valid YAML"),
        (["replay", "llama", DAY], "unknown topic 'llama'"),  # and no run record
        (["replay", "qwen", "2026-02-30"], "bad date '2026-02-30'"),
        (["runs", "--limit", "0"], "argument --limit: 0 is less than 1"),
        (["runs", "--limit", "many"], "'many' is not a whole number"),
        (["invoke", "qwen", "--date", "tomorrow"], "is not YYYY-MM-DD"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        (["run"], "the following arguments are required: TOPIC"),
    ],
)
def test_bad_input_is_one_line_nonzero_and_writes_nothing(
    tmp_path: Path, args: list[str], fragment: str
) -> None:
    (tmp_path / "bad.yaml").write_text("qwen: {name: [oops\n")
    before = sorted(p.name for p in tmp_path.iterdir())
    if "--topics" not in args and args[0] in ("run", "replay"):
        args = [*args, "--topics", str(SAMPLE_TOPICS)]
    result = dailydigest(*args, cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("dailydigest: error:") and fragment in lines[0], (
        result.stderr
    )
    # In the user's words: no internal model names, no pydantic phrasing
    assert "FetchRequest" not in lines[0] and "Input should" not in lines[0] and "Value error" not in lines[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_help_everywhere(tmp_path: Path) -> None:
    for args in (["--help"], ["run", "--help"]):
        result = dailydigest(*args, cwd=tmp_path)
        assert result.returncode == 0 and "usage: dailydigest" in result.stdout


def test_runs_lists_the_recorded_runs(first_run: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    workdir, result = first_run
    run_id = result.stdout.split()[1].rstrip(":")
    listing = dailydigest("runs", "qwen", cwd=workdir)
    assert listing.returncode == 0, listing.stderr
    header, *rows = listing.stdout.strip().splitlines()
    assert header.split()[:5] == ["run", "topic", "date", "stages", "outcome"]
    mine = next(row for row in rows if row.startswith(run_id))
    assert "fetch,summarize,render" in mine and "published" in mine and "extractive" in mine


def test_replay_with_the_same_summarizer_republishes_nothing(
    first_run: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    workdir, _ = first_run
    commits = git_log(workdir / "site")
    result = dailydigest("replay", "qwen", DAY, "--topics", str(SAMPLE_TOPICS), cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert "digest unchanged" in result.stdout
    assert git_log(workdir / "site") == commits


def test_replay_of_a_day_never_fetched(tmp_path: Path) -> None:
    result = dailydigest("replay", "qwen", "2026-11-01", "--topics", str(SAMPLE_TOPICS), cwd=tmp_path)
    assert result.returncode == 1
    assert "no stored stories for qwen on 2026-11-01" in result.stderr


def test_backfill_runs_each_day_once(tmp_path: Path) -> None:
    args = (
        "run",
        "qwen",
        "--from",
        "2026-11-27",
        "--to",
        "2026-11-28",
        "--topics",
        str(SAMPLE_TOPICS),
    )
    result = dailydigest(*args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    posts = sorted(p.name for p in (tmp_path / "site" / "_posts").iterdir())
    assert posts == ["2026-11-27-qwen-daily-2026-11-27.md", "2026-11-28-qwen-daily-2026-11-28.md"]
    assert result.stdout.count("committed") == 2


def test_serve_shows_the_local_archive_on_loopback(
    first_run: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    import re
    import urllib.request

    workdir, _ = first_run
    executable = str(Path(sys.executable).parent / "dailydigest")
    server = subprocess.Popen(
        [executable, "serve", "--port", "0"],
        cwd=workdir,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        banner = server.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", banner)
        assert match, banner
        with urllib.request.urlopen(f"http://127.0.0.1:{match.group(1)}/index.html", timeout=10) as response:
            page = response.read().decode()
        assert "QWEN" in page and "posts/qwen/2026-11-28.html" in page
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_deploy_params_list_each_topics_schedule_and_name_the_parameter(tmp_path: Path) -> None:
    result = dailydigest("deploy-params", "--topics", str(ROOT / "topics.yaml"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "--parameter-overrides TopicsParameterName=/dailydigest/topics"
    assert "3 topics, each on its own schedule" in result.stderr
    assert re.search(r"qwen\s+cron\(0 7 \* \* \? \*\)\s+Asia/Taipei", result.stderr), result.stderr
    assert "aws ssm put-parameter --name /dailydigest/topics" in result.stderr
