"""Google News search URLs (edition, window) and item links decoded back to the publisher."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest

from dailydigest.news.gather import window_for
from dailydigest.ports import WebResponse
from dailydigest.sources.google_news import (
    PUBLISHER_FALLBACK,
    GoogleNewsSource,
    search_terms,
    search_url,
)
from dailydigest.sources.google_news_links import embedded_url
from tests.support.news_fixtures import (
    DAY,
    SATURDAY,
    google_news_rss,
    google_token,
    opaque_google_token,
    topic,
)

UTC = dt.UTC


def _params(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


@pytest.mark.parametrize(
    ("locale", "edition"),
    [
        ("zh-TW", {"hl": "zh-TW", "gl": "TW", "ceid": "TW:zh-Hant"}),
        ("en", {"hl": "en-US", "gl": "US", "ceid": "US:en"}),
    ],
)
def test_the_edition_follows_the_topic_locale(locale: str, edition: dict[str, str]) -> None:
    window = window_for(topic(locale=locale), DAY)
    url = search_url("Nimbus", locale, window, dt.datetime(2026, 11, 28, 1, tzinfo=UTC))

    assert url.startswith("https://news.google.com/rss/search?q=")
    params = _params(url)
    assert {key: params[key] for key in ("hl", "gl", "ceid")} == edition
    assert "ceid=" + edition["ceid"] in url  # the colon stays readable, as Google writes it


def test_an_open_window_asks_for_the_last_hours() -> None:
    # The scheduled run at 07:00 Taipei: the window opened 31 hours earlier (midnight the day before).
    window = window_for(topic(), DAY)
    now = dt.datetime(2026, 11, 27, 23, 0, tzinfo=UTC)
    assert search_terms("Nimbus", window, now) == "Nimbus when:31h"


def test_a_past_day_asks_for_dates_around_its_window() -> None:
    window = window_for(topic(), DAY)  # (2026-11-27 00:00, 2026-11-29 00:00] in Taipei
    now = dt.datetime(2026, 12, 24, 1, 0, tzinfo=UTC)
    assert search_terms("雲雀模型", window, now) == "雲雀模型 after:2026-11-26 before:2026-11-29"


def test_phrases_are_quoted() -> None:
    window = window_for(topic(), DAY)
    now = dt.datetime(2026, 11, 27, 23, 0, tzinfo=UTC)
    assert search_terms("Nimbus Voice", window, now).startswith('"Nimbus Voice" ')
    url = search_url("Nimbus Voice", "en", window, now, base_url="http://127.0.0.1:9/")
    assert url.startswith("http://127.0.0.1:9/rss/search?q=%22Nimbus%20Voice%22%20when:31h&")


@pytest.mark.parametrize(
    "link",
    [
        f"https://news.google.com/rss/articles/{google_token('https://news.example/2026/11/28/nimbus-3.html')}?oc=5",
        f"https://news.google.com/articles/{google_token('https://news.example/2026/11/28/nimbus-3.html')}",
        f"https://news.google.com/read/{google_token('https://news.example/2026/11/28/nimbus-3.html')}?hl=en-US",
        "https://news.google.com/url?url=https://news.example/2026/11/28/nimbus-3.html&ct=ga",
    ],
)
def test_links_that_carry_the_publisher_url_are_resolved(link: str) -> None:
    assert embedded_url(link) == "https://news.example/2026/11/28/nimbus-3.html"


@pytest.mark.parametrize(
    "link",
    [
        f"https://news.google.com/rss/articles/{opaque_google_token()}?oc=5",
        "https://news.google.com/rss/articles/!!not-base64!!",
        "https://news.google.com/rss/articles/",
        "https://news.google.com/url?url=javascript:alert(1)",
        "https://news.example/2026/11/28/nimbus-3.html",
    ],
)
def test_links_without_a_publisher_url_stay_unresolved(link: str) -> None:
    assert embedded_url(link) is None


class SearchOnlyWeb:
    """Answers every search with a fixed feed; every other URL (the articles' pages) is a 404."""

    def __init__(self, feed: str) -> None:
        self.feed = feed.encode()
        self.requested: list[str] = []

    def get(self, url: str) -> WebResponse:
        self.requested.append(url)
        if "/rss/search?" in url:
            return WebResponse(url, 200, "application/rss+xml", self.feed)
        return WebResponse(url, 404, "text/plain", b"")

    def describe(self) -> str:
        return "search-only web"


def test_every_item_keeps_an_outlet_to_credit() -> None:
    # Given search results whose <source> (the outlet's name) is missing
    base = "http://127.0.0.1:9"
    resolvable = f"{base}/rss/articles/{google_token('https://technews.example/2026/11/28/nimbus-3.html')}"
    opaque = f"{base}/rss/articles/{opaque_google_token()}"
    feed = google_news_rss(
        base,
        [
            ("Nimbus 3 開源", resolvable, "科技新報站", "https://technews.example", SATURDAY),
            ("Nimbus 降價", opaque, "市場觀測站", "https://market.example", SATURDAY),
        ],
    )
    feed = feed.replace('<source url="https://technews.example">科技新報站</source>', "")
    feed = feed.replace('<source url="https://market.example">市場觀測站</source>', "")
    now = dt.datetime(2026, 11, 27, 23, 0, tzinfo=UTC)
    source = GoogleNewsSource(SearchOnlyWeb(feed), base_url=base, clock=lambda: now)

    # When the search is read (the pages cannot be fetched)
    resolved, opaque_item = source.articles(topic(queries=["Nimbus"]), DAY)

    # Then a resolved item credits the site it resolves to, with its snippet; an opaque one, Google News
    assert (str(resolved.url), resolved.publisher) == (
        "https://technews.example/2026/11/28/nimbus-3.html",
        "technews.example",
    )
    assert resolved.body
    assert (str(opaque_item.url), opaque_item.publisher) == (opaque, PUBLISHER_FALLBACK)
    assert opaque_item.body


def test_an_article_two_searches_find_is_fetched_once() -> None:
    # Given two queries whose searches both find the same article
    base = "http://127.0.0.1:9"
    target = "https://technews.example/2026/11/28/nimbus-3.html"
    link = f"{base}/rss/articles/{google_token(target)}"
    item = ("Nimbus 3 開源", link, "科技新報站", "https://technews.example", SATURDAY)
    web = SearchOnlyWeb(google_news_rss(base, [item]))
    now = dt.datetime(2026, 11, 27, 23, 0, tzinfo=UTC)

    articles = GoogleNewsSource(web, base_url=base, clock=lambda: now).articles(topic(), DAY)

    # Then each search finds it, and its page is asked for once
    assert [str(a.url) for a in articles] == [target, target]
    assert sum("/rss/search?" in url for url in web.requested) == 2
    assert web.requested.count(target) == 1
