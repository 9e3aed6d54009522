"""The CLI in trouble, as a user meets it: one `dailydigest: error: …` line for every bad input and
environment problem, nothing written by a refused command, and an outage that exits non-zero."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.test_cli import DAY, ROOT, SAMPLE_TOPICS, dailydigest

pytestmark = pytest.mark.e2e

TOPICS = str(SAMPLE_TOPICS)


def _one_error_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("dailydigest: error: "), stderr
    assert "Traceback" not in stderr
    return lines[0]


def test_verbose_goes_before_or_after_the_command(tmp_path: Path) -> None:
    for args in (["-v", "runs"], ["runs", "-v"], ["runs", "qwen", "--verbose"]):
        result = dailydigest(*args, cwd=tmp_path)
        assert result.returncode == 0, (args, result.stderr)
        assert "no runs recorded" in result.stdout


def test_version(tmp_path: Path) -> None:
    result = dailydigest("--version", cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.startswith("dailydigest ")


def test_serve_on_a_busy_port(tmp_path: Path) -> None:
    archive = tmp_path / "var" / "store" / "archive"
    archive.mkdir(parents=True)
    (archive / "index.html").write_text("<!doctype html><title>archive</title>")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = dailydigest("serve", "--port", str(port), cwd=tmp_path)
    assert result.returncode == 1
    assert f"port {port} on 127.0.0.1 is in use" in _one_error_line(result.stderr)


def test_a_store_path_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "store").write_text("not a directory")
    result = dailydigest("run", "qwen", "--date", DAY, "--topics", TOPICS, cwd=tmp_path, DIGEST_STORE="store")
    assert result.returncode == 2
    assert "DIGEST_STORE store is a file, not a directory" in _one_error_line(result.stderr)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]


# No region and no credentials anywhere: every AWS_ variable of this environment dropped, no
# config files, no instance metadata service to ask. Nothing may leave the machine.
NO_AWS = {
    "AWS_CONFIG_FILE": "/nonexistent/aws-config",
    "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/aws-credentials",
    "AWS_EC2_METADATA_DISABLED": "true",
}


def without_aws(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    executable = str(Path(sys.executable).parent / "dailydigest")
    environment = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    return subprocess.run(
        [executable, *args],
        cwd=cwd,
        env={**environment, **NO_AWS, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        ([], "no AWS region: pass --region"),
        (["--region", "us-east-1"], "no AWS credentials"),
    ],
)
def test_invoke_without_region_or_credentials(tmp_path: Path, extra: list[str], fragment: str) -> None:
    result = without_aws("invoke", "qwen", "--date", DAY, *extra, cwd=tmp_path)
    assert result.returncode == 2
    assert fragment in _one_error_line(result.stderr)


def test_a_profile_that_does_not_exist(tmp_path: Path) -> None:
    # A local store never asks AWS: the missing profile does not stop the command
    local = without_aws("runs", cwd=tmp_path, AWS_PROFILE="nosuchprofile")
    assert local.returncode == 0, local.stderr
    assert "no runs recorded" in local.stdout
    # An S3 store does: the missing profile is one line, before any request is sent
    s3 = without_aws("runs", cwd=tmp_path, AWS_PROFILE="nosuchprofile", DIGEST_STORE="s3://digest-bucket/p")
    assert s3.returncode == 1
    line = _one_error_line(s3.stderr)
    assert "AWS configuration" in line and "nosuchprofile" in line


def test_a_missing_github_token_is_found_before_fetching(tmp_path: Path) -> None:
    result = dailydigest(
        "run",
        "qwen",
        "--date",
        DAY,
        "--topics",
        TOPICS,
        cwd=tmp_path,
        DIGEST_GITHUB_REPO="octo/blog",
        GITHUB_TOKEN="",
    )
    assert result.returncode == 2
    assert "no GITHUB_TOKEN" in _one_error_line(result.stderr)
    assert not (tmp_path / "var" / "store" / "data").exists()  # nothing fetched, nothing summarized


def test_every_source_down_exits_non_zero_with_the_reasons(tmp_path: Path) -> None:
    # Given a topic whose only feed is on a loopback port nobody listens on (allow-listed)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    topics = tmp_path / "topics.yaml"
    topics.write_text(f"down:\n  feeds: ['http://127.0.0.1:{port}/feed.xml']\n", encoding="utf-8")
    env = {
        "DIGEST_WEB_MIRROR": "",
        "DIGEST_ALLOW_HOSTS": f"127.0.0.1:{port}",
        "DIGEST_GOOGLE_NEWS_URL": "off",
    }
    # When the day is run
    result = dailydigest("run", "down", "--date", DAY, "--topics", str(topics), cwd=tmp_path, **env)
    # Then it failed, saying why (not "no news"), and the run record says failed in fetch
    assert result.returncode == 1, result.stdout + result.stderr
    line = _one_error_line(result.stderr)
    assert "news sources are down: 1 of 1 requests got no answer" in line and "127.0.0.1: connect" in line
    assert "no news" not in result.stdout
    runs = dailydigest("runs", "down", cwd=tmp_path)
    assert "failed in fetch" in runs.stdout


def test_progress_lines_on_a_terminal_and_none_in_a_pipe(tmp_path: Path) -> None:
    import pty

    # Given stderr is a terminal (a pseudo-terminal here)
    leader, follower = pty.openpty()
    executable = str(Path(sys.executable).parent / "dailydigest")
    environment = {**os.environ, "DIGEST_WEB_MIRROR": str(ROOT / "samples" / "web")}
    with os.fdopen(leader, "rb", buffering=0) as terminal:
        done = subprocess.run(
            [executable, "run", "qwen", "--date", DAY, "--topics", TOPICS],
            cwd=tmp_path,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=follower,
            timeout=300,
            check=False,
        )
        os.close(follower)
        shown = b""
        try:
            while chunk := terminal.read(4096):
                shown += chunk
        except OSError:  # the terminal closes when the last writer has gone
            pass
    # Then each stage said it started and finished, and how many pages came
    assert done.returncode == 0
    text = shown.decode()
    for stage in ("fetch", "summarize", "render"):
        assert f"… {stage} started" in text and f"… {stage} " in text.split(f"… {stage} started", 1)[1]
    assert "… fetched " in text and " pages" in text
    # And in a pipe there are none (the plain run above the existing tests make)
    piped = dailydigest("run", "qwen", "--date", DAY, "--topics", TOPICS, cwd=tmp_path)
    assert piped.returncode == 0 and "…" not in piped.stderr


@pytest.mark.parametrize(
    ("topics", "env", "expected"),
    [
        (None, {"DIGEST_LLM_TIMEOUT": "0"}, "settings: DIGEST_LLM_TIMEOUT: should be greater than 0"),
        ("qwen:\n  max_articles: 500\n", {}, "qwen.max_articles: should be less than or equal to 50"),
        ("qwen:\n  colour: red\n", {}, "qwen.colour: is not a known key"),
    ],
)
def test_settings_and_topics_errors_in_plain_words(
    tmp_path: Path, topics: str | None, env: dict[str, str], expected: str
) -> None:
    path = tmp_path / "topics.yaml"
    path.write_text(topics or SAMPLE_TOPICS.read_text(encoding="utf-8"), encoding="utf-8")
    result = dailydigest("run", "qwen", "--date", DAY, "--topics", str(path), cwd=tmp_path, **env)
    assert result.returncode == 2
    line = _one_error_line(result.stderr)
    assert expected in line and "Input should" not in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["topics.yaml"]
