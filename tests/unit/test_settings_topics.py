from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dailydigest.errors import ConfigError
from dailydigest.models.topic import topic_today
from dailydigest.runs.ids import new_run_id
from dailydigest.settings import Settings
from dailydigest.topics import load_topics, parse_topics


def test_defaults_are_the_local_adapters() -> None:
    settings = Settings.from_env({})
    assert settings.store == "var/store"
    assert not settings.uses_s3 and not settings.publish.uses_github and not settings.llm.enabled


def test_environment_selects_cloud_adapters() -> None:
    settings = Settings.from_env(
        {
            "DIGEST_STORE": "s3://bucket/prefix",
            "DIGEST_GITHUB_REPO": "owner/blog@main",
            "OPENAI_API_KEY": "sk-test",
            "DIGEST_ALLOW_HOSTS": "feeds.internal:8080, 127.0.0.1:9000",
        }
    )
    assert settings.uses_s3 and settings.publish.uses_github and settings.llm.enabled
    assert settings.fetch.allow_hosts == ("feeds.internal:8080", "127.0.0.1:9000")
    assert settings.llm.api_key is not None and "sk-test" not in repr(settings)


@pytest.mark.parametrize(
    ("env", "fragment"),
    [
        ({"DIGEST_GITHUB_REPO": "not a repo"}, "DIGEST_GITHUB_REPO"),
        ({"GITHUB_API_URL": "ftp://x"}, "GITHUB_API_URL"),
    ],
)
def test_bad_settings_are_one_clear_error(env: dict[str, str], fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment):
        Settings.from_env(env)


def test_bundled_topics_file_is_valid(repo_root: Path) -> None:
    topics = load_topics(repo_root / "topics.yaml")
    qwen = topics.get("qwen")
    assert qwen.locale == "zh-TW" and qwen.max_articles == 10 and qwen.feeds


def test_topic_defaults() -> None:
    topic = parse_topics("deepseek:\n  queries: [DeepSeek]\n").get("deepseek")
    assert (topic.name, topic.locale, topic.max_articles) == ("DEEPSEEK", "zh-TW", 10)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "expected a mapping"),
        ("- a\n- b\n", "expected a mapping"),
        ("qwen: [1, 2]\n", "must be a mapping"),
        ("qwen:\n  locale: fr\n", "locale"),
        ("Bad Slug:\n  name: X\n", "topics"),
        ("qwen:\n  max_articles: 0\n", "max_articles"),
        ("qwen:\n  feeds: [not-a-url]\n", "feeds"),
        ("qwen:\n  surprise: 1\n", "surprise"),
        ("qwen: {name: [unclosed\n", "not valid YAML"),
        ("qwen:\n  schedule: {timezone: Mars/Olympus}\n", "time zone"),
        ("qwen:\n  min_articles: 12\n", "exceeds max_articles"),
        ('qwen:\n  queries: ["a\\tb"]\n', "queries"),
    ],
)
def test_bad_topics_files(text: str, fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment):
        parse_topics(text)


def test_missing_topics_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_topics(tmp_path / "nope.yaml")


def test_unknown_topic_lists_known_ones() -> None:
    with pytest.raises(ConfigError, match=r"unknown topic 'llama' \(known topics: qwen\)"):
        parse_topics("qwen: {}\n").get("llama")


def test_today_follows_the_topic_time_zone() -> None:
    topic = parse_topics("qwen: {}\n").get("qwen")  # Asia/Taipei, UTC+8
    assert topic_today(topic, dt.datetime(2026, 11, 28, 17, 0, tzinfo=dt.UTC)) == dt.date(2026, 11, 29)
    assert topic_today(topic, dt.datetime(2026, 11, 28, 15, 0, tzinfo=dt.UTC)) == dt.date(2026, 11, 28)


def test_run_ids_are_unique_and_sortable() -> None:
    now = dt.datetime(2026, 11, 28, 7, 0, tzinfo=dt.UTC)
    first, second = new_run_id(now), new_run_id(now)
    assert first != second and first.startswith("20261128T070000Z-")


def test_commit_message_placeholders_are_checked() -> None:
    assert Settings.from_env(
        {"DIGEST_COMMIT_MESSAGE": "digest: {topic} {date}"}
    ).publish.commit_message.startswith("digest")
    with pytest.raises(ConfigError, match="placeholders"):
        Settings.from_env({"DIGEST_COMMIT_MESSAGE": "digest for {day}"})


def test_blog_post_url_template() -> None:
    from dailydigest.store.keys import blog_post_url

    template = Settings.from_env(
        {"DIGEST_BLOG_POST_URL": "https://me.example/{year}/{month}/{day}/{topic}-daily/"}
    )
    assert template.archive.blog_post_url is not None
    assert (
        blog_post_url(template.archive.blog_post_url, "qwen", dt.date(2026, 3, 5))
        == "https://me.example/2026/03/05/qwen-daily/"
    )
    for bad in ("https://me.example/{slug}/", "ftp://me.example/{topic}", "https://me.example/{"):
        with pytest.raises(ConfigError, match="DIGEST_BLOG_POST_URL"):
            Settings.from_env({"DIGEST_BLOG_POST_URL": bad})


def test_a_topic_name_defaults_to_the_slug_and_refuses_control_characters() -> None:
    assert parse_topics("deep-seek: {}\n").get("deep-seek").name == "DEEP-SEEK"
    with pytest.raises(ConfigError, match="name"):
        parse_topics('qwen:\n  name: "Q\\twen"\n')


def test_every_setting_is_documented_in_the_readme() -> None:
    # The environment names are the deploy contract: a setting nobody can find is a setting nobody sets.
    from dailydigest.settings import ENV_NAMES

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert [name for name in ENV_NAMES if f"`{name}`" not in readme and f"{name}`" not in readme] == []
