"""FeedSource: RSS and Atom into Articles, full text from pages, and bad input skipped, never fatal."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from dailydigest.models.topic import Topic
from dailydigest.ports import WebResponse
from dailydigest.sources.extract import without_headline
from dailydigest.sources.feed import FeedSource
from dailydigest.sources.feed_parse import fragment_text
from tests.support.news_fixtures import DAY

UTC = dt.UTC

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>測試新聞網</title>
    <link>https://news.example/</link>
    <language>zh-TW</language>
    <item>
      <title>Qwen 推出新的翻譯模型</title>
      <link>https://news.example/2026/11/28/qwen-translate.html</link>
      <pubDate>Sat, 28 Nov 2026 09:30:00 +0800</pubDate>
      <description>&lt;p&gt;新模型支援 &lt;b&gt;四十種&lt;/b&gt; 語言&amp;amp;方言。&lt;/p&gt;</description>
    </item>
    <item>
      <title>Qwen trims its API prices</title>
      <link>https://news.example/2026/11/27/qwen-prices.html?utm_source=rss</link>
      <pubDate>Fri, 27 Nov 2026 22:15:00 +0800</pubDate>
      <description>Input tokens now cost less.</description>
      <source url="https://wire.example/">Wire Service</source>
    </item>
    <item>
      <title>A news item without a link</title>
      <pubDate>Fri, 27 Nov 2026 22:15:00 +0800</pubDate>
    </item>
    <item>
      <title>A link that is not a web page</title>
      <link>javascript:alert(1)</link>
    </item>
    <item>
      <title>舊聞：上個月的社群活動</title>
      <link>https://news.example/2026/10/01/old.html</link>
      <pubDate>Thu, 01 Oct 2026 10:00:00 +0800</pubDate>
      <description>很久以前的消息。</description>
    </item>
  </channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Model Lab Blog</title>
  <id>tag:lab.example,2026:feed</id>
  <updated>2026-11-28T08:00:00+08:00</updated>
  <entry>
    <title>Qwen long-context preview</title>
    <link rel="alternate" type="text/html" href="https://lab.example/posts/long-context/"/>
    <id>tag:lab.example,2026:long-context</id>
    <published>2026-11-28T08:00:00+08:00</published>
    <updated>2026-11-28T09:00:00+08:00</updated>
    <summary type="html">&lt;p&gt;A preview of a longer context window.&lt;/p&gt;</summary>
  </entry>
  <entry>
    <title>Undated note</title>
    <link rel="alternate" href="https://lab.example/posts/note/"/>
    <id>tag:lab.example,2026:note</id>
    <summary>No date on this one.</summary>
  </entry>
</feed>
"""

PAGE = """<!DOCTYPE html>
<html lang="zh-TW"><head><meta charset="utf-8"><title>Qwen 推出新的翻譯模型｜測試新聞網</title></head>
<body>
<header><nav>
<a href="/">首頁</a> <a href="/ai/">人工智慧</a> <a href="/subscribe/">訂閱電子報</a>
</nav></header>
<main><article>
<h1>Qwen 推出新的翻譯模型</h1>
<p>通義千問團隊今天推出新的翻譯模型，支援四十種語言與方言，並可以在一般筆電上執行。</p>
<p>團隊表示，新模型在台灣華語與英語互譯的測試中，錯誤率比上一版低了將近三成。</p>
<p>開發者可以透過既有的 API 使用新模型，價格與舊版相同，官方也在 GitHub 提供範例程式。</p>
<p>翻譯社群的志工則提醒，專有名詞與地名仍需要人工校對，特別是原住民族語的地名。</p>
</article></main>
<footer><p>© 2026 測試新聞網．版權所有．隱私權政策</p></footer>
</body></html>
"""


@dataclass
class FakeWeb:
    """A WebClient answering from a dict; anything else is a 404. Records what was asked."""

    pages: dict[str, WebResponse | Exception] = field(default_factory=dict)
    requested: list[str] = field(default_factory=list)

    def add(self, url: str, body: str | bytes, status: int = 200, content_type: str = "text/html") -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.pages[url] = WebResponse(url=url, status=status, content_type=content_type, body=data)

    def get(self, url: str) -> WebResponse:
        self.requested.append(url)
        answer = self.pages.get(url)
        if isinstance(answer, Exception):
            raise answer
        return answer or WebResponse(url=url, status=404, content_type="text/plain", body=b"")

    def describe(self) -> str:
        return "fake web"


def _topic(*feeds: str) -> Topic:
    return Topic.model_validate({"slug": "qwen", "name": "QWEN", "feeds": list(feeds)})


def test_rss_items_become_articles() -> None:
    # Given an RSS feed whose pages are not reachable
    web = FakeWeb()
    web.add("https://news.example/feed.xml", RSS, content_type="application/rss+xml")

    # When the source reads it
    articles = FeedSource(web).articles(_topic("https://news.example/feed.xml"), DAY)

    # Then every item with a title and a web link is an article, snippet-only
    assert [a.title for a in articles] == [
        "Qwen 推出新的翻譯模型",
        "Qwen trims its API prices",
        "舊聞：上個月的社群活動",
    ]
    first, second, _ = articles
    assert str(first.url) == "https://news.example/2026/11/28/qwen-translate.html"
    assert first.publisher == "測試新聞網"
    assert first.published == dt.datetime(2026, 11, 28, 1, 30, tzinfo=UTC)  # aware: naive never equals
    assert first.summary == "新模型支援 四十種 語言&方言。"
    assert first.language == "zh-TW"
    assert first.text == ""
    assert first.feed == "https://news.example/feed.xml"
    # An aggregator's <source> names the outlet; English items are not labelled with the feed's zh-TW
    assert second.publisher == "Wire Service"
    assert second.language == "en"


def test_atom_entries_become_articles() -> None:
    web = FakeWeb()
    web.add("https://lab.example/atom.xml", ATOM, content_type="application/atom+xml")

    articles = FeedSource(web).articles(_topic("https://lab.example/atom.xml"), DAY)

    assert [(a.title, str(a.url)) for a in articles] == [
        ("Qwen long-context preview", "https://lab.example/posts/long-context/"),
        ("Undated note", "https://lab.example/posts/note/"),
    ]
    preview, undated = articles
    assert preview.publisher == "Model Lab Blog"
    assert preview.published == dt.datetime(2026, 11, 28, 0, 0, tzinfo=UTC)
    assert preview.summary == "A preview of a longer context window."
    assert undated.published is None


@pytest.mark.parametrize(
    "bad_feed",
    [
        pytest.param(("<rss version='2.0'><channel><item><title>cut off", 200), id="truncated-xml"),
        pytest.param(("<html><body><p>Not a feed<br></p></body></html>", 200), id="html-page"),
        pytest.param((b"\x00\xff\xfe garbage \x89PNG", 200), id="binary"),
        pytest.param(("", 200), id="empty"),
        pytest.param((RSS, 404), id="not-found"),
        pytest.param((RSS, 503), id="server-error"),
        pytest.param((ConnectionError("connection reset"), 0), id="transport-error"),
        pytest.param((ValueError("refused URL"), 0), id="refused"),
    ],
)
def test_a_bad_feed_is_skipped_and_the_others_still_read(
    bad_feed: tuple[str | bytes | Exception, int], caplog: pytest.LogCaptureFixture
) -> None:
    # Given one broken feed listed before a good one
    body, status = bad_feed
    web = FakeWeb()
    if isinstance(body, Exception):
        web.pages["https://bad.example/feed.xml"] = body
    else:
        web.add("https://bad.example/feed.xml", body, status=status)
    web.add("https://lab.example/atom.xml", ATOM)

    # When the source reads both
    with caplog.at_level(logging.WARNING, logger="dailydigest.sources.feed"):
        articles = FeedSource(web).articles(
            _topic("https://bad.example/feed.xml", "https://lab.example/atom.xml"), DAY
        )

    # Then the run goes on with the good feed's articles, and the skip is logged
    assert [a.title for a in articles] == ["Qwen long-context preview", "Undated note"]
    assert any("feed skipped" in record.getMessage() for record in caplog.records)


def test_an_oversized_feed_is_skipped() -> None:
    web = FakeWeb()
    web.add("https://news.example/feed.xml", RSS)

    articles = FeedSource(web, max_page_bytes=100).articles(_topic("https://news.example/feed.xml"), DAY)

    assert articles == []


def test_a_feed_body_naming_a_local_file_is_not_read_as_that_file(tmp_path: Path) -> None:
    # Given a feed whose body is the path of a real RSS file on this machine
    local = tmp_path / "local.xml"
    local.write_text(RSS, encoding="utf-8")
    web = FakeWeb()
    web.add("https://news.example/feed.xml", str(local))

    # Then the body is parsed as (broken) feed text, never opened as a path
    assert FeedSource(web).articles(_topic("https://news.example/feed.xml"), DAY) == []


def test_pages_in_the_window_get_their_main_text() -> None:
    # Given a feed and the page of its first item
    web = FakeWeb()
    web.add("https://news.example/feed.xml", RSS)
    web.add("https://news.example/2026/11/28/qwen-translate.html", PAGE)

    articles = FeedSource(web).articles(_topic("https://news.example/feed.xml"), DAY)

    # Then its text is the article's paragraphs: no navigation, footer or repeated headline
    text = articles[0].text
    assert text.startswith("通義千問團隊今天推出新的翻譯模型")
    assert "錯誤率比上一版低了將近三成" in text
    assert "原住民族語的地名" in text
    for boilerplate in ("訂閱電子報", "版權所有", "Qwen 推出新的翻譯模型"):
        assert boilerplate not in text
    assert articles[0].body == text


def test_pages_outside_the_window_are_not_fetched() -> None:
    web = FakeWeb()
    web.add("https://news.example/feed.xml", RSS)

    FeedSource(web).articles(_topic("https://news.example/feed.xml"), DAY)

    assert "https://news.example/2026/10/01/old.html" not in web.requested
    assert "https://news.example/2026/11/28/qwen-translate.html" in web.requested


def test_a_page_two_feeds_link_to_is_fetched_once() -> None:
    # Given the same item in two feeds
    web = FakeWeb()
    web.add("https://news.example/feed.xml", RSS)
    web.add("https://mirror.example/feed.xml", RSS)
    web.add("https://news.example/2026/11/28/qwen-translate.html", PAGE)

    articles = FeedSource(web).articles(
        _topic("https://news.example/feed.xml", "https://mirror.example/feed.xml"), DAY
    )

    # Then its page is fetched once, and both copies get its text
    assert web.requested.count("https://news.example/2026/11/28/qwen-translate.html") == 1
    copies = [a for a in articles if str(a.url) == "https://news.example/2026/11/28/qwen-translate.html"]
    assert len(copies) == 2
    assert all(copy.text.startswith("通義千問團隊今天推出新的翻譯模型") for copy in copies)


@pytest.mark.parametrize(
    "page",
    [
        pytest.param(WebResponse("u", 404, "text/plain", b"gone"), id="404"),
        pytest.param(
            WebResponse("u", 200, "text/html", b"<html><body><nav>Home</nav></body></html>"), id="no-text"
        ),
        pytest.param(WebResponse("u", 200, "text/html", b""), id="empty"),
        pytest.param(WebResponse("u", 200, "application/pdf", b"%PDF-1.7 \x00\x01\x02"), id="binary"),
        pytest.param(TimeoutError("read timed out"), id="timeout"),
    ],
)
def test_a_page_without_usable_text_keeps_the_feed_snippet(page: WebResponse | Exception) -> None:
    # Given a feed item whose page cannot give text
    web = FakeWeb()
    web.add("https://news.example/feed.xml", RSS)
    web.pages["https://news.example/2026/11/28/qwen-translate.html"] = page

    articles = FeedSource(web).articles(_topic("https://news.example/feed.xml"), DAY)

    # Then the article stays, with the snippet as its body
    assert articles[0].text == ""
    assert articles[0].body == "新模型支援 四十種 語言&方言。"


def test_a_page_declaring_a_broken_charset_costs_nothing_but_its_own_text() -> None:
    # Given two items whose pages are fetched: one declares a codec that fails on any input
    web = FakeWeb()
    web.add("https://news.example/feed.xml", RSS)
    web.add("https://news.example/2026/11/28/qwen-translate.html", PAGE)
    web.add(
        "https://news.example/2026/11/27/qwen-prices.html?utm_source=rss",
        "<p>Input tokens cost less.</p>",
        content_type="text/html; charset=undefined",
    )

    articles = FeedSource(web).articles(_topic("https://news.example/feed.xml"), DAY)

    # Then both items stay, and the good page still gives its full text
    assert [a.title for a in articles][:2] == ["Qwen 推出新的翻譯模型", "Qwen trims its API prices"]
    assert articles[0].text.startswith("通義千問團隊今天推出新的翻譯模型")
    assert articles[1].body
    assert "https://news.example/2026/11/27/qwen-prices.html?utm_source=rss" in web.requested


def test_an_oversized_page_keeps_the_snippet() -> None:
    web = FakeWeb()
    web.add("https://news.example/feed.xml", RSS)
    web.add("https://news.example/2026/11/28/qwen-translate.html", PAGE + "<!--" + "x" * len(RSS) + "-->")

    articles = FeedSource(web, max_page_bytes=len(RSS.encode()) + 1).articles(
        _topic("https://news.example/feed.xml"), DAY
    )

    assert articles[0].text == ""


@pytest.mark.parametrize(
    ("fragment", "text"),
    [
        ("plain &amp; simple", "plain & simple"),
        ("<p>兩段</p><p>文字</p>", "兩段 文字"),
        ("<p>keep <b>bold</b> words</p><script>alert(1)</script>", "keep bold words"),
        ("  spaced\n\n  out  ", "spaced out"),
        ("", ""),
    ],
)
def test_clean_text_strips_html(fragment: str, text: str) -> None:
    assert fragment_text(fragment) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Qwen 推出新模型\n第一段。", "第一段。", id="the-title"),
        pytest.param("ＱＷＥＮ 推出新模型！\n第一段。", "第一段。", id="the-title-in-other-widths"),
        pytest.param("Qwen 推出新模型 - 測試新聞網\n第一段。", "第一段。", id="the-title-with-outlet"),
        pytest.param("A short dek without a stop\nThe body starts here.", None, id="a-dek-is-kept"),
        pytest.param("（記者陳立新台北28日電）\n第一段。", None, id="a-dateline-is-kept"),
        pytest.param("原標題：Qwen 發表企業方案\n第一段。", None, id="an-original-title-line-is-kept"),
        pytest.param("又有新動作。\n第二段。", None, id="a-short-first-sentence-is-kept"),
        pytest.param("Qwen\n第一段。", None, id="a-word-of-the-title-is-kept"),
        pytest.param("Qwen 推出新模型", None, id="only-the-title"),
    ],
)
def test_without_headline_removes_only_the_title(text: str, expected: str | None) -> None:
    assert without_headline(text, "Qwen 推出新模型") == (text if expected is None else expected)
