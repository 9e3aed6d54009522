"""The sources over the network fetcher, against a loopback web written for these tests:
topic feeds (RSS, Atom, broken ones), Google News-shaped search results, a NewsAPI-shaped API."""

from __future__ import annotations

import datetime as dt
import json
import logging
from urllib.parse import parse_qs, urlsplit

import pytest

from dailydigest.news.gather import gather_stories
from dailydigest.sources.feed import FeedSource
from dailydigest.sources.google_news import GoogleNewsSource
from dailydigest.sources.news_api import NewsApiSource
from tests.support.loopback_web import (
    LoopbackWeb,
    client,
    names,
)
from tests.support.news_fixtures import (
    BIG5_PAGE,
    BIG5_TITLE,
    DAY,
    PRICE_CUT,
    RELEASE_EN,
    RELEASE_ZH_A,
    RELEASE_ZH_B,
    SATURDAY,
    atom,
    google_news_rss,
    google_token,
    opaque_google_token,
    rss,
    topic,
)

pytestmark = pytest.mark.integration

FRIDAY = "Fri, 27 Nov 2026 21:00:00 +0800"


def _serve_news_site(web: LoopbackWeb, elsewhere: LoopbackWeb) -> None:
    base = web.origin
    web.add(
        "/feed.xml",
        rss(
            base,
            [
                (RELEASE_ZH_A.title, "/2026/11/28/nimbus-3.html", SATURDAY, "Nimbus 3 開源，支援 256K。"),
                (BIG5_TITLE, "/2026/11/28/twaren.html", SATURDAY, "雲雀模型部署到學術網路。"),
                ("伺服器出錯的頁面", "/2026/11/28/broken.html", SATURDAY, "這一則的頁面會回 500。"),
                ("一份 PDF 報告", "/2026/11/28/report.pdf", SATURDAY, "這一則連到 PDF 檔。"),
                ("超大頁面", "/2026/11/28/huge.html", SATURDAY, "這一則的頁面太大。"),
                ("跳到內網的連結", "/go/private", SATURDAY, "這一則會轉址到不准連的位址。"),
                (RELEASE_ZH_B.title, "/r/nimbus-3-open", FRIDAY, "Nimbus 3 權重全面公開。"),
            ],
            title="測試科技新聞",
        ),
        content_type="application/rss+xml; charset=utf-8",
    )
    web.add("/2026/11/28/nimbus-3.html", RELEASE_ZH_A.html())
    web.add(
        "/2026/11/28/twaren.html", BIG5_PAGE.encode("big5"), content_type="text/html"
    )  # meta charset only
    web.add("/2026/11/28/broken.html", "oops", status=500, content_type="text/plain")
    web.add("/2026/11/28/report.pdf", b"%PDF-1.7" + b"\0" * 50_000, content_type="application/pdf")
    web.add("/2026/11/28/huge.html", "<html>" + "長" * 400_000, content_type="text/html; charset=utf-8")
    web.redirect("/go/private", elsewhere.url("/"))
    # A redirect chain (a feed proxy) ending at the article's real address
    web.redirect("/r/nimbus-3-open", "/r2/nimbus-3-open", status=301)
    web.redirect("/r2/nimbus-3-open", "/2026/11/27/nimbus-3-open.html", status=302)
    web.add("/2026/11/27/nimbus-3-open.html", RELEASE_ZH_B.html())
    web.add(
        "/lab/atom.xml",
        atom(base, [(RELEASE_EN.title, "/lab/nimbus-3", "2026-11-27T08:00:00+08:00", "Open weights.")]),
        content_type="application/atom+xml",
    )
    web.add("/lab/nimbus-3", RELEASE_EN.html())
    web.add("/broken-feed.xml", "<rss version='2.0'><channel><item><title>cut off", content_type="text/xml")
    web.add("/down-feed.xml", "", status=503, content_type="text/plain")
    web.add("/slow-feed.xml", rss(base, []), delay=1.0, content_type="application/rss+xml")
    web.add(
        "/market/feed.xml",
        rss(base, [(PRICE_CUT.title, "/market/price.html", SATURDAY, "API 降價。")], title="市場觀測站"),
    )
    web.add("/market/price.html", PRICE_CUT.html())


def test_feeds_and_pages_over_the_network(
    web: LoopbackWeb, elsewhere: LoopbackWeb, caplog: pytest.LogCaptureFixture
) -> None:
    _serve_news_site(web, elsewhere)
    feeds = [
        "/broken-feed.xml",
        "/feed.xml",
        "/down-feed.xml",
        "/lab/atom.xml",
        "/slow-feed.xml",
        "/market/feed.xml",
    ]
    subject = topic(*(web.url(path) for path in feeds))
    source = FeedSource(client(web, read_timeout=0.5, max_bytes=500_000), max_page_bytes=500_000)

    with caplog.at_level(logging.WARNING):
        articles = source.articles(subject, DAY)

    by_title = {article.title: article for article in articles}
    # Broken, failing and slow feeds are skipped; the good ones are read
    assert len(articles) == 9
    assert sum("feed skipped" in r.getMessage() for r in caplog.records) == 3
    # Full text where the page gives it, Big5 included
    assert by_title[RELEASE_ZH_A.headline].text.startswith("雲雀模型團隊週五發表 Nimbus 3")
    assert "臺灣學術網路的運算節點" in by_title[BIG5_TITLE].text
    assert "訂閱電子報" not in by_title[BIG5_TITLE].text
    # A redirected item lands at its real address
    reposted = by_title[RELEASE_ZH_B.headline]
    assert str(reposted.url) == web.url("/2026/11/27/nimbus-3-open.html")
    assert reposted.text.startswith("開源陣營再添生力軍")
    # Pages that give nothing keep the feed's snippet, with the feed's attribution
    for title, snippet in [
        ("伺服器出錯的頁面", "這一則的頁面會回 500。"),
        ("一份 PDF 報告", "這一則連到 PDF 檔。"),
        ("超大頁面", "這一則的頁面太大。"),
        ("跳到內網的連結", "這一則會轉址到不准連的位址。"),
    ]:
        assert (by_title[title].text, by_title[title].body, by_title[title].publisher) == (
            "",
            snippet,
            "測試科技新聞",
        )
    assert elsewhere.requests == []

    # And the three outlets' reports of the release are one story
    bundle = gather_stories(subject, DAY, [source])
    release = next(story for story in bundle.stories if len(story.articles) == 3)
    assert {a.title for a in release.articles} == {
        r.headline for r in (RELEASE_EN, RELEASE_ZH_A, RELEASE_ZH_B)
    }


def test_google_news_results_are_resolved_where_possible(web: LoopbackWeb) -> None:
    # Google News is the server's own address; the publisher is another site (another name for it)
    base = web.origin
    publisher = f"http://technews.test:{web.port}"
    resolvable = f"{base}/rss/articles/{google_token(publisher + '/news/nimbus-3.html')}?oc=5"
    opaque = f"{base}/rss/articles/{opaque_google_token()}?oc=5"
    web.add(
        "/rss/search",
        google_news_rss(
            base,
            [
                (RELEASE_ZH_A.title, resolvable, "科技新報站", "https://technews.example", SATURDAY),
                (PRICE_CUT.title, opaque, "市場觀測站", "https://market.example", SATURDAY),
            ],
        ),
        content_type="application/xml; charset=utf-8",
    )
    web.add("/news/nimbus-3.html", RELEASE_ZH_A.html())
    now = dt.datetime(2026, 11, 27, 23, 0, tzinfo=dt.UTC)  # 07:00 in Taipei, the scheduled run
    fetcher = client(web, allow=[f"technews.test:{web.port}"], resolver=names({"technews.test": "127.0.0.1"}))
    source = GoogleNewsSource(fetcher, base_url=base, clock=lambda: now)

    articles = source.articles(topic(queries=["Nimbus"]), DAY)

    # One search per query, in the topic's edition, for the hours of the window so far
    search = next(r for r in web.requests if r.path == "/rss/search")
    assert parse_qs(search.query) == {
        "q": ["Nimbus when:31h"],
        "hl": ["zh-TW"],
        "gl": ["TW"],
        "ceid": ["TW:zh-Hant"],
    }
    resolved, kept = articles
    # The decodable link leads to the publisher's page, read in full; the title loses " - publisher"
    assert (str(resolved.url), resolved.title, resolved.publisher) == (
        publisher + "/news/nimbus-3.html",
        RELEASE_ZH_A.headline,
        "科技新報站",
    )
    assert resolved.text.startswith("雲雀模型團隊週五發表")
    # The opaque one's article pages answer nothing usable (404): it keeps Google's link, the
    # outlet's name and the snippet, marked unresolved; Google's pages never become its text
    assert (str(kept.url), kept.title, kept.publisher, kept.text, kept.unresolved) == (
        opaque,
        PRICE_CUT.headline,
        "市場觀測站",
        "",
        True,
    )
    assert kept.body == PRICE_CUT.headline
    assert sum(r.path.startswith(("/rss/articles/", "/articles/")) for r in web.requests) == 2


def test_the_news_api_is_asked_with_the_key_in_a_header(web: LoopbackWeb) -> None:
    answer = {
        "status": "ok",
        "totalResults": 2,
        "articles": [
            {
                "source": {"id": None, "name": "Market Watch TW"},
                "title": PRICE_CUT.title,
                "description": "API 降價四成。",
                "url": web.url("/market/price.html"),
                "publishedAt": "2026-11-28T02:00:00Z",
                "content": "雲雀模型宣布旗下 API 全面降價… [+120 chars]",
            },
            {"source": {"name": ""}, "title": "[Removed]", "url": "https://removed.com", "publishedAt": None},
        ],
    }
    web.add("/v2/everything", json.dumps(answer), content_type="application/json; charset=utf-8")
    web.add("/market/price.html", PRICE_CUT.html())
    source = NewsApiSource(client(web), api_key="test-key-123", base_url=web.origin)

    articles = source.articles(topic(), DAY)

    call = next(r for r in web.requests if r.path == "/v2/everything")
    assert call.headers["x-api-key"] == "test-key-123"
    assert "test-key-123" not in call.query
    params = parse_qs(call.query)
    assert params["q"] == ["Nimbus OR 雲雀模型"]
    assert params["language"] == ["zh"]
    assert (params["from"], params["to"]) == (["2026-11-26T16:00:00"], ["2026-11-28T16:00:00"])
    [article] = articles
    assert (article.title, article.publisher) == (PRICE_CUT.headline, "Market Watch TW")
    assert article.text.startswith("雲雀模型宣布旗下 API 全面降價")
    assert urlsplit(article.feed).path == "/v2/everything"


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (401, {"status": "error", "code": "apiKeyInvalid", "message": "Your API key is invalid."}),
        (200, "not json at all"),
        (429, {"status": "error", "code": "rateLimited", "message": "Too many requests."}),
    ],
)
def test_a_failing_news_api_costs_nothing_but_its_own_articles(
    web: LoopbackWeb, status: int, body: object, caplog: pytest.LogCaptureFixture
) -> None:
    web.add("/v2/everything", json.dumps(body) if not isinstance(body, str) else body, status=status)
    source = NewsApiSource(client(web), api_key="test-key-123", base_url=web.origin)

    with caplog.at_level(logging.WARNING):
        assert source.articles(topic(), DAY) == []

    assert any("news api skipped" in r.getMessage() for r in caplog.records)
    assert not any("test-key-123" in r.getMessage() + str(r.__dict__) for r in caplog.records)
