"""Fetch settings from the environment, and the sources and web client they select."""

from __future__ import annotations

import pytest

from dailydigest.errors import ConfigError
from dailydigest.settings import Settings
from dailydigest.sources.feed import FeedSource
from dailydigest.sources.google_news import GoogleNewsSource
from dailydigest.sources.news_api import NewsApiSource
from dailydigest.web.http import HttpWebClient
from dailydigest.web.mirror import MirrorWebClient
from dailydigest.wiring import Services


def test_fetch_settings_from_the_environment() -> None:
    settings = Settings.from_env(
        {
            "DIGEST_ALLOW_HOSTS": "feeds.internal:8080, 10.0.0.5:443,[::1]:9000",
            "DIGEST_FETCH_CONCURRENCY": "32",
            "DIGEST_FETCH_PER_HOST": "4",
            "DIGEST_FETCH_CONNECT_TIMEOUT": "2.5",
            "DIGEST_FETCH_READ_TIMEOUT": "8",
            "DIGEST_FETCH_DEADLINE": "20",
            "DIGEST_FETCH_MAX_REDIRECTS": "3",
            "DIGEST_MAX_FETCH_BYTES": "2000000",
            "DIGEST_GOOGLE_NEWS_URL": "off",
            "DIGEST_NEWS_API_KEY": "k-123",
            "DIGEST_NEWS_API_URL": "http://127.0.0.1:8099",
        }
    )
    assert settings.fetch.allow_hosts == ("feeds.internal:8080", "10.0.0.5:443", "[::1]:9000")
    assert (settings.fetch.concurrency, settings.fetch.per_host, settings.fetch.max_redirects) == (32, 4, 3)
    assert (settings.fetch.connect_timeout, settings.fetch.read_timeout, settings.fetch.deadline) == (
        2.5,
        8,
        20,
    )
    assert settings.fetch.max_bytes == 2_000_000
    assert settings.fetch.google_news_url is None
    assert (
        settings.fetch.news_api_key is not None and settings.fetch.news_api_key.get_secret_value() == "k-123"
    )
    assert "k-123" not in repr(settings)


@pytest.mark.parametrize(
    ("env", "fragment"),
    [
        ({"DIGEST_ALLOW_HOSTS": "feeds.internal"}, "host:port"),
        ({"DIGEST_ALLOW_HOSTS": "10.0.0.5:99999"}, "host:port"),
        ({"DIGEST_FETCH_CONCURRENCY": "0"}, "DIGEST_FETCH_CONCURRENCY"),
        ({"DIGEST_FETCH_READ_TIMEOUT": "-1"}, "DIGEST_FETCH_READ_TIMEOUT"),
        ({"DIGEST_GOOGLE_NEWS_URL": "ftp://news"}, "DIGEST_GOOGLE_NEWS_URL"),
    ],
)
def test_bad_fetch_settings_are_one_clear_error(env: dict[str, str], fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment):
        Settings.from_env(env)


def test_with_a_mirror_everything_stays_offline() -> None:
    services = Services(Settings.from_env({"DIGEST_WEB_MIRROR": "samples/web", "DIGEST_NEWS_API_KEY": "k"}))
    assert isinstance(services.web, MirrorWebClient)
    assert [type(source) for source in services.sources] == [FeedSource]


def test_on_the_network_google_news_and_feeds_and_with_a_key_the_news_api() -> None:
    plain = Services(Settings.from_env({"DIGEST_ALLOW_HOSTS": "feeds.internal:8080"}))
    assert isinstance(plain.web, HttpWebClient)
    assert plain.web.allow.permits("feeds.internal", 8080)
    assert [type(source) for source in plain.sources] == [GoogleNewsSource, FeedSource]
    assert "public addresses only" in plain.web.describe()

    keyed = Services(Settings.from_env({"DIGEST_NEWS_API_KEY": "k", "DIGEST_GOOGLE_NEWS_URL": "off"}))
    assert [type(source) for source in keyed.sources] == [FeedSource, NewsApiSource]
