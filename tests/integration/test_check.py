"""`dailydigest check`: the configuration shown, and each feed, the LLM endpoint and the blog
repository probed, against loopback servers (a news site, an OpenAI-compatible API, GitHub)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dailydigest.cli import build_parser
from tests.conftest import REPO_ROOT
from tests.support.fake_github import FakeGitHub
from tests.support.fake_openai import FakeOpenAI
from tests.support.loopback_web import LoopbackWeb

pytestmark = pytest.mark.integration

TOKEN = "ghp_checkTOKEN0123456789abcdef"  # noqa: S105 - a fake credential for the fake server
FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Nimbus news</title><link>https://nimbus.example/</link>
<item><title>Nimbus 2 released</title><link>https://nimbus.example/n2</link>
<pubDate>Sat, 28 Nov 2026 08:00:00 GMT</pubDate><description>Nimbus 2 is out.</description></item>
</channel></rss>"""


def main(argv: list[str]) -> int:
    # The command itself, without the CLI's logging setup (which would hold on to capsys's stream).
    args = build_parser().parse_args(argv)
    code: int = args.handler(args)
    return code


def _topics(tmp_path: Path, web: LoopbackWeb) -> Path:
    path = tmp_path / "topics.yaml"
    path.write_text(
        "nimbus:\n"
        "  name: NIMBUS\n"
        "  queries: [Nimbus]\n"
        f"  feeds: ['{web.url('/feed.xml')}', '{web.url('/gone.xml')}', '{web.url('/page.html')}']\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, web: LoopbackWeb) -> Path:
    for name in (
        "DIGEST_WEB_MIRROR",
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        "DIGEST_GITHUB_REPO",
        "GITHUB_TOKEN",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DIGEST_ALLOW_HOSTS", web.allow_entry)
    monkeypatch.setenv("DIGEST_GOOGLE_NEWS_URL", "off")
    monkeypatch.setenv("DIGEST_STORE", str(tmp_path / "store"))
    monkeypatch.setenv("DIGEST_SITE", "none")
    monkeypatch.setenv("DIGEST_TEMPLATE", str(REPO_ROOT / "template.yaml"))
    monkeypatch.chdir(tmp_path)
    web.add("/feed.xml", FEED, content_type="application/rss+xml")
    web.add("/gone.xml", "", status=404, content_type="text/plain")
    web.add("/page.html", "<html><body>not a feed</body></html>")
    return _topics(tmp_path, web)


def test_check_shows_the_setup_and_probes_every_part(
    env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with (
        FakeOpenAI(models=("qwen-plus", "qwen-max")) as llm,
        FakeGitHub(tmp_path / "remote.git", token=TOKEN) as gh,
    ):
        monkeypatch.setenv("OPENAI_BASE_URL", llm.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
        monkeypatch.setenv("DIGEST_LLM_MODEL", "qwen-plus")
        monkeypatch.setenv("DIGEST_GITHUB_REPO", "octo/blog")
        monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
        monkeypatch.setenv("GITHUB_API_URL", gh.api_url)
        code = main(["check", "nimbus", "--topics", str(env)])
        shown = capsys.readouterr().out
        assert [call.method for call in gh.calls] == ["GET"]  # a probe writes nothing
    # Then the configuration is listed
    assert f"model      qwen-plus at {llm.base_url}" in shown
    assert f"repository github octo/blog via {gh.api_url}" in shown
    assert "  summarizer llm\n" in shown
    # And each part was probed: one feed fine, one gone, one not a feed; the LLM and GitHub fine
    assert "ok   feed nimbus" in shown and "1 entries" in shown
    assert "FAIL feed nimbus" in shown and "http status 404" in shown
    assert "answered, but no feed entries" in shown
    assert "ok   llm" in shown and "model qwen-plus is listed" in shown
    assert "ok   repository github octo/blog: the token can push" in shown
    assert "3 of 5 probes passed" in shown and code == 1
    assert not (tmp_path / "store").exists()  # nothing written, no run recorded


@pytest.mark.parametrize(
    ("models", "answer", "expected"),
    [
        (("gpt-4o-mini",), None, "model qwen-plus is not among its 1 models"),
        (None, "chat", "model qwen-plus answered a one-token call"),  # an endpoint without /models
        (None, "error", "a one-token call to qwen-plus failed"),
    ],
)
def test_the_llm_probe(
    env: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    models: tuple[str, ...] | None,
    answer: str | None,
    expected: str,
) -> None:
    from tests.support.fake_openai import chat, error

    with FakeOpenAI(models=models) as llm:
        if answer == "chat":
            llm.queue(chat("ok"))
        elif answer == "error":
            llm.queue(error(404, "The model `qwen-plus` does not exist"))
        monkeypatch.setenv("OPENAI_BASE_URL", llm.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
        monkeypatch.setenv("DIGEST_LLM_MODEL", "qwen-plus")
        main(["check", "nimbus", "--topics", str(env)])
    assert expected in capsys.readouterr().out


@pytest.mark.parametrize(
    ("token", "can_push", "expected"),
    [
        (TOKEN, False, "read only: the token cannot push"),
        ("ghp_wrong0000000000000000000000", True, "the token was refused (401"),
        (None, True, "no GITHUB_TOKEN"),
    ],
)
def test_the_repository_probe(
    env: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    token: str | None,
    can_push: bool,
    expected: str,
) -> None:
    with FakeGitHub(tmp_path / "remote.git", token=TOKEN, can_push=can_push) as gh:
        monkeypatch.setenv("DIGEST_GITHUB_REPO", "octo/blog")
        monkeypatch.setenv("GITHUB_API_URL", gh.api_url)
        if token:
            monkeypatch.setenv("GITHUB_TOKEN", token)
        code = main(["check", "nimbus", "--topics", str(env)])
    shown = capsys.readouterr().out
    assert expected in shown and code == 1
    if token is None:
        assert "publisher  not usable: DIGEST_GITHUB_REPO is set but no GITHUB_TOKEN" in shown
