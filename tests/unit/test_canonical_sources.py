"""Canonical sources: among copies of one page the post cites the address the page names as its own.

Real pages name it in <link rel="canonical"> (AMP pages must, and point it at the regular page) or in
Open Graph's og:url; mobile sites (m.), AMP hosts and paths, and tracking parameters make the copies.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dailydigest.models.article import Article
from dailydigest.news.gather import drop_duplicate_urls, gather_stories, preferred_first
from dailydigest.news.urls import is_mobile_or_amp
from dailydigest.sources.feed import FeedSource
from dailydigest.sources.page_meta import declared_canonical, registrable_domain, same_site
from dailydigest.web.mirror import MirrorWebClient
from tests.support.news_fixtures import DAY, RELEASE_ZH_A, SATURDAY, TAIPEI, topic

LATER = "Sat, 28 Nov 2026 15:00:00 +0800"
PAGE = "https://m.news.example.com.tw/ai/2026/11/28/nimbus-3"


def _head(*tags: str, body: str = "<p>內文</p>") -> str:
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'>{''.join(tags)}</head><body>{body}</body></html>"
    )


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        # the usual: an absolute canonical on the desktop host of the same site
        (
            _head('<link rel="canonical" href="https://www.news.example.com.tw/ai/2026/11/28/nimbus-3">'),
            "https://www.news.example.com.tw/ai/2026/11/28/nimbus-3",
        ),
        # a relative href is read against the page's address
        (
            _head("<link rel=canonical href='/ai/nimbus-3.html'>"),
            "https://m.news.example.com.tw/ai/nimbus-3.html",
        ),
        # rel holds several tokens, attributes come in any case and order
        (
            _head('<LINK HREF="https://news.example.com.tw/a/1" REL="Canonical alternate">'),
            "https://news.example.com.tw/a/1",
        ),
        # no rel=canonical: Open Graph's og:url (property=, or name= as some templates write it)
        (
            _head('<meta property="og:url" content="https://news.example.com.tw/a/2">'),
            "https://news.example.com.tw/a/2",
        ),
        (
            _head('<meta name="og:url" content="https://news.example.com.tw/a/3">'),
            "https://news.example.com.tw/a/3",
        ),
        # rel=canonical wins over og:url
        (
            _head(
                '<meta property="og:url" content="https://news.example.com.tw/og">',
                '<link rel="canonical" href="https://news.example.com.tw/rel">',
            ),
            "https://news.example.com.tw/rel",
        ),
        # an http canonical on a page read over https is cited over https
        (
            _head('<link rel="canonical" href="http://www.news.example.com.tw/a/4">'),
            "https://www.news.example.com.tw/a/4",
        ),
        # entities in the attribute are decoded
        (
            _head('<link rel="canonical" href="https://news.example.com.tw/a?id=7&amp;p=1">'),
            "https://news.example.com.tw/a?id=7&p=1",
        ),
    ],
)
def test_a_page_names_its_canonical_address(html: str, expected: str) -> None:
    assert declared_canonical(html, PAGE) == expected


@pytest.mark.parametrize(
    "html",
    [
        # another site: a syndicated copy naming the original publisher is still the copy we read
        _head('<link rel="canonical" href="https://wire.example.org/story/123">'),
        _head('<meta property="og:url" content="https://aggregator.example/item/9">'),
        # a deep page naming its site's home page (a template mistake that would fold a whole site)
        _head('<link rel="canonical" href="https://www.news.example.com.tw/">'),
        # two different canonicals contradict each other
        _head(
            '<link rel="canonical" href="https://news.example.com.tw/a/1">',
            '<link rel="canonical" href="https://news.example.com.tw/a/2">',
        ),
        # not a web address
        _head('<link rel="canonical" href="javascript:alert(1)">'),
        _head('<link rel="canonical" href="">'),
        # in the body, where search engines ignore it too
        _head(body='<p>x</p><link rel="canonical" href="https://news.example.com.tw/a/9">'),
        # nothing at all
        _head(),
        "",
    ],
)
def test_a_canonical_we_cannot_trust_is_ignored(html: str) -> None:
    assert declared_canonical(html, PAGE) is None


@pytest.mark.parametrize(
    ("left", "right", "same"),
    [
        ("m.news.example.com.tw", "www.news.example.com.tw", True),
        ("amp.theverge.com", "www.theverge.com", True),
        ("news.bbc.co.uk", "www.bbc.co.uk", True),
        ("bbc.co.uk", "itv.co.uk", False),  # co.uk is a public suffix
        ("qwenlm.github.io", "someone.github.io", False),  # github.io is a (private) public suffix
        ("127.0.0.1", "127.0.0.1", True),
        ("127.0.0.1", "127.0.0.2", False),
        ("news.example", "m.news.example", True),  # a suffix the list does not know: last two labels
    ],
)
def test_same_site_follows_the_public_suffix_list(left: str, right: str, same: bool) -> None:
    assert same_site(left, right) is same


def test_registrable_domain() -> None:
    assert registrable_domain("www.ithome.com.tw") == "ithome.com.tw"
    assert registrable_domain("localhost") is None


def _copy(url: str, hour: int, canonical: str | None = None, text: str = "") -> Article:
    return Article.model_validate(
        {
            "url": url,
            "canonical": canonical,
            "title": RELEASE_ZH_A.title,
            "text": text or RELEASE_ZH_A.text,
            "published": dt.datetime.combine(DAY, dt.time(hour), tzinfo=TAIPEI),
        }
    )


def test_copies_of_one_page_are_cited_at_its_canonical_address() -> None:
    # Given four copies of one article: its mobile page (first, and naming the canonical), its AMP
    # copy on an amp. host, the same link in a second feed with tracking, and the AMP cache's copy
    canonical = "https://www.news.example.com.tw/ai/nimbus-3-123.html"
    copies = [
        _copy("https://m.news.example.com.tw/ai/nimbus-3-123.html", 8, canonical),
        _copy("https://amp.news.example.com.tw/ai/nimbus-3-123.amp.html", 9, canonical),
        _copy("https://www.news.example.com.tw/ai/nimbus-3-123.html?utm_source=line&utm_medium=social", 10),
        _copy(
            "https://www-news-example-com-tw.cdn.ampproject.org/c/s/www.news.example.com.tw/ai/amp/nimbus-3-123.html",
            11,
        ),
    ]

    # When duplicates are dropped
    kept = drop_duplicate_urls(preferred_first(copies))

    # Then one article stays, cited at the canonical address, with the earliest copy's date
    assert [str(article.url) for article in kept] == [canonical]
    assert kept[0].published == copies[0].published


def test_an_amp_path_meets_its_article_on_the_canonical_it_names() -> None:
    # The AMP page sits at a different path (/amp/123) that no folding of the URL would match
    amp = _copy("https://news.example.com.tw/amp/123", 8, "https://news.example.com.tw/news/nimbus-3-123")
    regular = _copy("https://news.example.com.tw/news/nimbus-3-123?utm_source=rss", 9)

    kept = drop_duplicate_urls(preferred_first([regular, amp]))

    assert [str(article.url) for article in kept] == [
        "https://news.example.com.tw/news/nimbus-3-123?from=rss"[:-9]
    ]


def test_a_single_mobile_copy_is_cited_at_the_canonical_it_names() -> None:
    mobile = _copy(
        "https://m.news.example.com.tw/ai/nimbus-3-123.html?utm_source=line",
        8,
        "https://www.news.example.com.tw/ai/nimbus-3-123.html?utm_medium=social",
    )
    kept = drop_duplicate_urls([mobile])
    assert [str(article.url) for article in kept] == ["https://www.news.example.com.tw/ai/nimbus-3-123.html"]


def test_without_a_known_canonical_the_plain_copy_is_cited_over_a_mobile_one() -> None:
    mobile = _copy("https://m.news.example.com.tw/ai/nimbus-3-123.html", 8)
    plain = _copy("https://www.news.example.com.tw/ai/nimbus-3-123.html?utm_campaign=x", 10)

    kept = drop_duplicate_urls(preferred_first([plain, mobile]))

    assert [str(article.url) for article in kept] == ["https://www.news.example.com.tw/ai/nimbus-3-123.html"]
    assert kept[0].published == mobile.published  # the earliest copy's text and date are kept


def test_different_pages_stay_apart_even_when_each_names_a_canonical() -> None:
    first = _copy("https://m.news.example.com.tw/a/1", 8, "https://www.news.example.com.tw/a/1")
    second = _copy(
        "https://m.news.example.com.tw/a/2", 9, "https://www.news.example.com.tw/a/2", text="另一篇報導"
    )

    kept = drop_duplicate_urls(preferred_first([first, second]))

    assert sorted(str(article.url) for article in kept) == [
        "https://www.news.example.com.tw/a/1",
        "https://www.news.example.com.tw/a/2",
    ]


@pytest.mark.parametrize(
    ("url", "mobile_or_amp"),
    [
        ("https://m.news.example.com.tw/a/1", True),
        ("https://amp.news.example.com.tw/a/1", True),
        ("https://news.example.com.tw/amp/a/1", True),
        ("https://news.example.com.tw/a/1.amp.html", True),
        ("https://news.example.com.tw/a/1?outputType=amp", True),
        ("https://news-example-com-tw.cdn.ampproject.org/c/s/news.example.com.tw/a/1", True),
        ("https://news.example.com.tw/a/1", False),
        ("https://www.news.example.com.tw/sample-page.html", False),
        ("https://m.com/a", False),  # m.com is a site of its own, not a mobile host
    ],
)
def test_mobile_and_amp_links_are_recognised(url: str, mobile_or_amp: bool) -> None:
    assert is_mobile_or_amp(url) is mobile_or_amp


# --- through the feed source, on an offline web --------------------------------------------------------

FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>手機版快訊</title><link>https://m.daily.example.com.tw/</link>
<item><title>{title}</title><link>https://m.daily.example.com.tw/news/nimbus-3.html?utm_source=rss</link>
<pubDate>{date}</pubDate><description>雲雀模型發表 Nimbus 3。</description></item>
</channel></rss>"""
SECOND_FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>AMP 精選</title><link>https://picks.example/</link>
<item><title>{title}</title><link>https://amp.daily.example.com.tw/news/nimbus-3.html</link>
<pubDate>{date}</pubDate><description>雲雀模型發表 Nimbus 3。</description></item>
<item><title>轉載：{title}</title><link>https://copycat.example/p/1.html</link>
<pubDate>{later}</pubDate><description>轉載內容。</description></item>
</channel></rss>"""


def _page(canonical: str) -> str:
    body = "".join(f"<p>{paragraph}</p>" for paragraph in RELEASE_ZH_A.paragraphs)
    return (
        f"<!DOCTYPE html><html lang='zh-TW'><head><meta charset='utf-8'><title>{RELEASE_ZH_A.title}</title>"
        f'<link rel="canonical" href="{canonical}"></head>'
        f"<body><article><h1>{RELEASE_ZH_A.title}</h1>{body}</article></body></html>"
    )


def test_the_post_cites_the_canonical_of_a_page_reached_through_its_mobile_and_amp_copies(
    tmp_path: Path,
) -> None:
    # Given two feeds linking to the mobile and the AMP copy of one article, each naming the desktop
    # page as canonical, and a copycat site whose page names the original as its canonical
    files = {
        "m.daily.example.com.tw/feed.xml": FEED.format(title=RELEASE_ZH_A.headline, date=SATURDAY),
        "picks.example/rss.xml": SECOND_FEED.format(title=RELEASE_ZH_A.headline, date=SATURDAY, later=LATER),
        "m.daily.example.com.tw/news/nimbus-3.html": _page(
            "https://www.daily.example.com.tw/news/nimbus-3.html"
        ),
        "amp.daily.example.com.tw/news/nimbus-3.html": _page(
            "https://www.daily.example.com.tw/news/nimbus-3.html"
        ),
        "copycat.example/p/1.html": _page("https://www.daily.example.com.tw/news/nimbus-3.html"),
    }
    for name, content in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(content, encoding="utf-8")
    feeds = ("https://m.daily.example.com.tw/feed.xml", "https://picks.example/rss.xml")
    source = FeedSource(MirrorWebClient(tmp_path))

    # When the day's stories are gathered
    bundle = gather_stories(topic(*feeds), DAY, [source])

    # Then the article is cited once, at its canonical address; the copycat keeps its own address
    # (a canonical on another site is not followed) and, as a near copy of the text, is dropped
    urls = [str(article.url) for story in bundle.stories for article in story.articles]
    assert urls == ["https://www.daily.example.com.tw/news/nimbus-3.html"]
    assert not any(is_mobile_or_amp(url) for url in urls)


def test_a_site_known_by_its_address_is_that_address_and_port() -> None:
    page = "http://127.0.0.1:8001/amp/a.html"
    same = _head('<link rel="canonical" href="http://127.0.0.1:8001/a.html">')
    other_port = _head('<link rel="canonical" href="http://127.0.0.1:8002/a.html">')
    assert declared_canonical(same, page) == "http://127.0.0.1:8001/a.html"
    assert declared_canonical(other_port, page) is None
