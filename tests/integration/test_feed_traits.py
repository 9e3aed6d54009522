"""The date and feed traits of the real web, over the network fetcher against a loopback news site:
a Portuguese-dated feed with old news, a Chinese feed of zoneless times, undated items with dated and
undated pages, a feed with an unescaped `&`, a JSON Feed, and article pages in several layouts."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from dailydigest.news.gather import gather_stories
from dailydigest.sources.feed import FeedSource
from tests.support.loopback_web import LoopbackWeb, client
from tests.support.news_fixtures import DAY, ListSource, topic
from tests.support.page_layouts import COMMENTS, DATA_TABLE, TABLE_LAID, WIRE_ZH, kept_share

pytestmark = pytest.mark.integration

UTC = dt.UTC


def _rss(items: list[tuple[str, str, str | None]], language: str, extra: str = "") -> str:
    rows = "".join(
        f"<item><title>{title}</title><link>{link}</link>"
        + (f"<pubDate>{date}</pubDate>" if date else "")
        + f"<description>{title}。</description>{extra}</item>"
        for title, link, date in items
    )
    return (
        f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>測試</title>"
        f"<language>{language}</language>{rows}</channel></rss>"
    )


def _serve(web: LoopbackWeb) -> list[str]:
    base = web.origin
    web.add(
        "/br/rss",
        _rss(
            [("Nimbus chega ao Brasil", f"{base}/br/hoje", "sáb, 28 nov 2026 08:00:00 -0300")]
            + [
                (f"Balanço antigo {n}", f"{base}/br/antiga-{n}", f"qua, {n + 2:02d} set 2025 10:00:00 -0300")
                for n in range(5)
            ],
            "pt-BR",
        ),
        content_type="application/rss+xml",
    )
    web.add(
        "/zh/rss",
        _rss(
            [
                ("前一晚的舊聞", f"{base}/zh/old", "2026-11-26 23:30:00"),
                ("當天下午的新聞", f"{base}/zh/new", "2026-11-28 17:00:00"),
            ],
            "zh-TW",
        ),
        content_type="text/xml; charset=utf-8",
    )
    web.add(
        "/blog/rss",
        _rss(
            [(WIRE_ZH.title, f"{base}/blog/wire", None), ("沒有日期的頁面", f"{base}/blog/undated", None)],
            "zh-TW",
        ),
        content_type="application/rss+xml",
    )
    web.add("/blog/wire", WIRE_ZH.html)  # states article:published_time
    web.add("/blog/undated", TABLE_LAID.html.replace("發布日期：2026/11/28", ""))
    web.add(
        "/tech/rss",
        _rss(
            [
                (DATA_TABLE.title, f"{base}/tech/scores", "Sat, 28 Nov 2026 11:00:00 +0800"),
                (TABLE_LAID.title, f"{base}/tech/laid", "Sat, 28 Nov 2026 12:00:00 +0800"),
            ],
            "zh-TW",
            extra="<category>R&D</category>",
        ),
        content_type="application/rss+xml",
    )
    web.add("/tech/scores", DATA_TABLE.html)
    web.add("/tech/laid", TABLE_LAID.html)
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Ledger",
        "language": "en",
        "items": [
            {
                "id": "1",
                "url": f"{base}/ledger/nimbus",
                "title": COMMENTS.title,
                "date_published": "2026-11-28T09:00:00Z",
            }
        ],
    }
    web.add("/ledger/feed.json", json.dumps(feed), content_type="application/feed+json")
    web.add("/ledger/nimbus", COMMENTS.html)
    return [web.url(path) for path in ("/br/rss", "/zh/rss", "/blog/rss", "/tech/rss", "/ledger/feed.json")]


def test_the_real_webs_feeds_give_the_days_news_whole_and_only_it(web: LoopbackWeb) -> None:
    subject = topic(*_serve(web), max_articles=20, min_articles=1)

    articles = FeedSource(client(web)).articles(subject, DAY)
    bundle = gather_stories(subject, DAY, [ListSource(articles)])

    published = {a.title: a for story in bundle.stories for a in story.articles}
    # Only the day's news: no Portuguese-dated old news, no night-before item, no undated page
    assert set(published) == {
        "Nimbus chega ao Brasil",
        "當天下午的新聞",
        WIRE_ZH.title,
        DATA_TABLE.title,
        TABLE_LAID.title,
        COMMENTS.title,
    }
    assert published["當天下午的新聞"].published == dt.datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
    assert published[WIRE_ZH.title].published == dt.datetime(
        2026, 11, 28, 6, 5, tzinfo=UTC
    )  # the page's date
    # Whole articles, tables' figures included, without the comments and navigation around them
    for layout in (WIRE_ZH, DATA_TABLE, TABLE_LAID, COMMENTS):
        text = published[layout.title].text
        assert kept_share(text, layout.article) >= 0.95, layout.name
        assert kept_share(text, layout.boilerplate) <= 0.2, layout.name
    assert published[COMMENTS.title].language == "en"
    assert published[WIRE_ZH.title].language == "zh-TW"
