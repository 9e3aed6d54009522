"""Feeds as the real web writes them: recovered markup errors, JSON Feed, RSS 0.91/1.0, and the date traits
(dates in Portuguese, naive times in a +08:00 topic, undated items with dated and undated pages),
from the feed through gather's window."""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass, field

import pytest

from dailydigest.models.article import Article
from dailydigest.models.topic import Topic
from dailydigest.news.gather import gather_stories, in_window, window_for
from dailydigest.ports import WebResponse
from dailydigest.sources.feed import FeedSource, feed_articles
from dailydigest.sources.feed_parse import FeedError, parse_feed
from tests.support.news_fixtures import DAY

UTC = dt.UTC
TAIPEI = dt.timezone(dt.timedelta(hours=8))
WINDOW_START = dt.datetime(2026, 11, 26, 16, 0, tzinfo=UTC)  # 2026-11-27 00:00 in Taipei
WINDOW_END = dt.datetime(2026, 11, 28, 16, 0, tzinfo=UTC)


@dataclass
class FakeWeb:
    pages: dict[str, tuple[str, str]] = field(default_factory=dict)
    requested: list[str] = field(default_factory=list)

    def add(self, url: str, body: str, content_type: str = "text/html; charset=utf-8") -> None:
        self.pages[url] = (body, content_type)

    def get(self, url: str) -> WebResponse:
        self.requested.append(url)
        if url not in self.pages:
            return WebResponse(url=url, status=404, content_type="text/plain", body=b"")
        body, content_type = self.pages[url]
        return WebResponse(url=url, status=200, content_type=content_type, body=body.encode("utf-8"))

    def describe(self) -> str:
        return "fake web"


def _topic(*feeds: str, timezone: str = "Asia/Taipei") -> Topic:
    return Topic.model_validate(
        {
            "slug": "nimbus",
            "name": "NIMBUS",
            "feeds": list(feeds),
            "min_articles": 1,
            "schedule": {"timezone": timezone},
        }
    )


def _rss(items: list[tuple[str, str, str | None]], channel: str = "", language: str = "zh-TW") -> str:
    rows = "".join(
        f"<item><title>{title}</title><link>{link}</link>"
        + (f"<pubDate>{date}</pubDate>" if date else "")
        + f"<description>{title}的摘要。</description></item>"
        for title, link, date in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>雲端日報</title>'
        f"<link>https://news.example/</link><language>{language}</language>{channel}{rows}</channel></rss>"
    )


def _page(title: str, meta: str = "", body: str = "") -> str:
    paragraphs = body or (
        "<p>雲雀模型團隊今天宣布新的合作計畫，將與多所大學一起整理繁體中文語料，並開放給研究人員使用。</p>"
        "<p>團隊表示，第一批語料預計明年春天公開，內容涵蓋新聞、文學與政府公開資料，總量超過十億字。</p>"
    )
    return (
        f"<!DOCTYPE html><html lang='zh-TW'><head><meta charset='utf-8'><title>{title}</title>{meta}</head>"
        f"<body><article><h1>{title}</h1>{paragraphs}</article></body></html>"
    )


# --- feed formats ------------------------------------------------------------------------------------


def test_a_feed_with_an_unescaped_ampersand_is_read_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    # Given a 30-item feed whose one <category> carries a bare "&" (not well-formed XML)
    items = "".join(
        f"<item><title>第 {n} 則新聞</title><link>https://news.example/{n}.html</link>"
        f"<pubDate>Sat, 28 Nov 2026 {n % 24:02d}:00:00 +0800</pubDate>"
        + ("<category>R&D</category>" if n == 7 else "<category>科技</category>")
        + "</item>"
        for n in range(30)
    )
    body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>雲端日報</title>{items}</channel></rss>'

    # When it is read
    with caplog.at_level(logging.WARNING):
        articles = feed_articles(body.encode(), "https://news.example/rss")

    # Then every entry is there, and the markup error is a warning, not a rejection
    assert len(articles) == 30
    assert any("feed read despite markup errors" in r.getMessage() for r in caplog.records)
    assert not any("feed skipped" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("version", ["https://jsonfeed.org/version/1", "https://jsonfeed.org/version/1.1"])
def test_json_feed_is_read(version: str) -> None:
    document = {
        "version": version,
        "title": "Nimbus Lab",
        "home_page_url": "https://lab.example/",
        "language": "en",
        "items": [
            {
                "id": "1",
                "url": "https://lab.example/posts/nimbus-3",
                "title": "Nimbus 3 is out",
                "content_html": "<p>Open weights, <b>256K</b> context.</p>",
                "date_published": "2026-11-28T09:30:00+08:00",
            },
            {
                "id": "2",
                "external_url": "https://elsewhere.example/review",
                "title": "A review",
                "summary": "Short.",
            },
            {"id": "3", "content_text": "A note without a link is not an article."},
            "not an item",
        ],
    }
    articles = feed_articles(json.dumps(document).encode(), "https://lab.example/feed.json")

    assert [(a.title, str(a.url)) for a in articles] == [
        ("Nimbus 3 is out", "https://lab.example/posts/nimbus-3"),
        ("A review", "https://elsewhere.example/review"),
    ]
    first = articles[0]
    assert first.publisher == "Nimbus Lab"
    assert first.summary == "Open weights, 256K context."
    assert first.published == dt.datetime(2026, 11, 28, 1, 30, tzinfo=UTC)
    assert articles[1].published is None


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b'{"version": "1.0", "items": []}', id="json-not-a-json-feed"),
        pytest.param(
            b'{"version": "https://jsonfeed.org/version/1.1", "items": "nope"}', id="json-feed-no-items"
        ),
        pytest.param(b'{"version": "https://jsonfeed.org/version/1.1", ', id="json-cut-off"),
        pytest.param(b"<html><body><p>Not a feed</p></body></html>", id="html-page"),
    ],
)
def test_documents_that_are_not_feeds_are_refused(body: bytes) -> None:
    with pytest.raises(FeedError):
        parse_feed(body)


RSS_091 = """<?xml version="1.0"?><rss version="0.91"><channel><title>Old Wire</title>
<link>https://wire.example/</link><description>d</description><language>en</language>
<item><title>Nimbus ships a tokenizer</title><link>https://wire.example/1</link>
<description>Fewer tokens for Chinese.</description></item></channel></rss>"""
RSS_10 = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://rdf.example/"><title>RDF News</title><link>https://rdf.example/</link>
<description>d</description></channel>
<item rdf:about="https://rdf.example/1"><title>Nimbus in RDF</title><link>https://rdf.example/1</link>
<dc:date>2026-11-28T09:30:00+08:00</dc:date></item></rdf:RDF>"""


@pytest.mark.parametrize(
    ("body", "version", "title", "published"),
    [
        (RSS_091, "rss091u", "Nimbus ships a tokenizer", None),
        (RSS_10, "rss10", "Nimbus in RDF", dt.datetime(2026, 11, 28, 1, 30, tzinfo=UTC)),
    ],
)
def test_older_rss_versions_are_read(
    body: str, version: str, title: str, published: dt.datetime | None
) -> None:
    assert parse_feed(body.encode()).format == version
    (article,) = feed_articles(body.encode(), "https://x.example/feed")
    assert article.title == title
    assert article.published == published


# --- dates from feeds --------------------------------------------------------------------------------


def test_portuguese_dates_are_read_and_old_news_stays_out() -> None:
    # Given a Brazilian feed dated in Portuguese: one item from the day, fifteen from fourteen months before
    old = [
        (f"Notícia antiga {n}", f"https://noticias.example/{n}", f"qua, {n + 1:02d} set 2025 10:00:00 -0300")
        for n in range(15)
    ]
    new = [("Nimbus chega ao Brasil", "https://noticias.example/hoje", "sáb, 28 nov 2026 08:00:00 -0300")]
    web = FakeWeb()
    web.add("https://noticias.example/rss", _rss(new + old, language="pt-BR"), "application/rss+xml")

    articles = FeedSource(web).articles(_topic("https://noticias.example/rss"), DAY)
    bundle = gather_stories(_topic(), DAY, [_Fixed(articles)])

    # Then every date was read, and only the day's item is in the digest
    assert all(article.published is not None for article in articles)
    assert articles[0].published == dt.datetime(2026, 11, 28, 11, 0, tzinfo=UTC)
    assert [a.title for s in bundle.stories for a in s.articles] == ["Nimbus chega ao Brasil"]


@pytest.mark.parametrize(
    ("channel", "feed_url"),
    [
        # the feed's own build date names the newsroom's offset
        ("<lastBuildDate>Sat, 28 Nov 2026 18:00:00 +0800</lastBuildDate>", "https://news.example/rss"),
        # no offset anywhere, but the site is on a Taiwanese domain
        ("", "https://news.example.com.tw/rss"),
        # no evidence at all: the topic's zone (Asia/Taipei) reads it
        ("", "https://news.example/rss"),
    ],
)
def test_naive_feed_times_land_in_the_publishers_or_topics_zone(channel: str, feed_url: str) -> None:
    # Given a Chinese feed whose times carry no zone: one from the night before the window, one from the
    # afternoon of the day (read as UTC, the first would leak in and the second be dropped)
    host = feed_url.split("/")[2]
    items = [
        ("前一晚的舊聞", f"https://{host}/old", "Thu, 26 Nov 2026 23:30:00"),
        ("當天下午的新聞", f"https://{host}/new", "Sat, 28 Nov 2026 17:00:00"),
    ]
    web = FakeWeb()
    web.add(feed_url, _rss(items, channel=channel), "application/rss+xml")

    articles = FeedSource(web).articles(_topic(feed_url), DAY)
    window = window_for(_topic(), DAY)

    # Then the night before is outside the window and the afternoon inside it
    assert {a.title: in_window(a, window) for a in articles} == {
        "前一晚的舊聞": False,
        "當天下午的新聞": True,
    }
    kept = gather_stories(_topic(), DAY, [_Fixed(articles)])
    (story,) = kept.stories
    assert story.articles[0].published == dt.datetime(2026, 11, 28, 17, 0, tzinfo=TAIPEI)


def test_an_undated_item_takes_its_pages_date() -> None:
    # Given an undated item whose page states its publication time, and one whose page says it is old
    web = FakeWeb()
    items = [
        ("雲雀模型合作計畫", "https://news.example/a", None),
        ("去年的舊聞", "https://news.example/b", None),
    ]
    web.add("https://news.example/rss", _rss(items), "application/rss+xml")
    web.add(
        "https://news.example/a",
        _page(
            "雲雀模型合作計畫", "<meta property='article:published_time' content='2026-11-28T10:30:00+08:00'>"
        ),
    )
    web.add(
        "https://news.example/b",
        _page(
            "去年的舊聞",
            '<script type="application/ld+json">'
            '{"@type":"NewsArticle","datePublished":"2025-09-03T10:00:00+08:00"}</script>',
        ),
    )

    articles = FeedSource(web).articles(_topic("https://news.example/rss"), DAY)
    bundle = gather_stories(_topic(), DAY, [_Fixed(articles)])

    # Then both pages were read for their dates; only the day's article is published
    assert {a.title: a.published for a in articles} == {
        "雲雀模型合作計畫": dt.datetime(2026, 11, 28, 2, 30, tzinfo=UTC),
        "去年的舊聞": dt.datetime(2025, 9, 3, 2, 0, tzinfo=UTC),
    }
    assert [a.title for s in bundle.stories for a in s.articles] == ["雲雀模型合作計畫"]


def test_an_item_whose_date_cannot_be_established_is_left_out_and_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Given an undated item whose page gives no date either, beside a dated one
    web = FakeWeb()
    items = [
        ("沒有日期的新聞", "https://news.example/undated", None),
        ("有日期的新聞", "https://news.example/dated", "Sat, 28 Nov 2026 09:00:00 +0800"),
    ]
    web.add("https://news.example/rss", _rss(items), "application/rss+xml")
    web.add("https://news.example/undated", _page("沒有日期的新聞"))

    with caplog.at_level(logging.INFO, logger="dailydigest.news.gather"):
        articles = FeedSource(web).articles(_topic("https://news.example/rss"), DAY)
        bundle = gather_stories(_topic(), DAY, [_Fixed(articles)])

    # Then its page was asked, it stays undated, and the digest leaves it out, saying so
    assert "https://news.example/undated" in web.requested
    assert [a.title for s in bundle.stories for a in s.articles] == ["有日期的新聞"]
    left_out = [r for r in caplog.records if r.getMessage() == "undated article left out"]
    assert [getattr(r, "url", "") for r in left_out] == ["https://news.example/undated"]


def test_a_naive_feed_time_gives_way_to_the_pages_zoned_time() -> None:
    # Given a feed with no evidence of its zone, and a page that names its offset
    web = FakeWeb()
    web.add(
        "https://news.example/rss",
        _rss([("雲雀模型合作計畫", "https://news.example/a", "2026-11-28 10:30:00")], language="en"),
    )
    web.add(
        "https://news.example/a",
        _page(
            "雲雀模型合作計畫", "<meta property='article:published_time' content='2026-11-28T10:30:00+09:00'>"
        ),
    )

    (article,) = FeedSource(web).articles(_topic("https://news.example/rss"), DAY)

    assert article.published == dt.datetime(2026, 11, 28, 1, 30, tzinfo=UTC)


@dataclass
class _Fixed:
    found: list[Article]

    def articles(self, topic: Topic, day: dt.date) -> list[Article]:
        return list(self.found)
