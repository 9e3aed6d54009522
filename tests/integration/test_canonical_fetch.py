"""Canonical sources over the network fetcher: a mobile and an AMP copy of one article, found in two
feeds, are cited once, at the address their pages name; nothing is fetched to find it out."""

from __future__ import annotations

import pytest

from dailydigest.news.gather import gather_stories
from dailydigest.sources.feed import FeedSource
from tests.support.loopback_web import LoopbackWeb, client, names
from tests.support.news_fixtures import DAY, RELEASE_ZH_A, SATURDAY, rss, topic

pytestmark = pytest.mark.integration

LATER = "Sat, 28 Nov 2026 18:00:00 +0800"
HOSTS = ("m.daily.example", "amp.daily.example", "www.daily.example", "copycat.example")


def _page(head: str) -> str:
    body = "".join(f"<p>{paragraph}</p>" for paragraph in RELEASE_ZH_A.paragraphs)
    return (
        f"<!DOCTYPE html><html lang='zh-TW'><head><meta charset='utf-8'><title>{RELEASE_ZH_A.title}</title>"
        f"{head}</head><body><article><h1>{RELEASE_ZH_A.title}</h1>{body}</article></body></html>"
    )


def test_mobile_and_amp_copies_are_cited_at_the_canonical_address(web: LoopbackWeb) -> None:
    def at(host: str, path: str) -> str:
        return f"http://{host}:{web.port}{path}"

    canonical = at("www.daily.example", "/2026/11/28/nimbus-3.html")
    # Given the mobile site's feed and a picks feed, linking to the mobile page (with tracking), the
    # AMP page and a copycat's repost; the mobile page names the canonical in og:url, the AMP page in
    # rel=canonical, and the copycat names the original, on another site
    web.add(
        "/feed.xml",
        rss(
            "",
            [(RELEASE_ZH_A.title, at("m.daily.example", "/news/nimbus-3.html?utm_source=rss"), SATURDAY, "")],
        ),
        content_type="application/rss+xml",
    )
    web.add(
        "/picks.xml",
        rss(
            "",
            [
                (RELEASE_ZH_A.title, at("amp.daily.example", "/amp/news/nimbus-3.html"), SATURDAY, ""),
                ("轉載：" + RELEASE_ZH_A.title, at("copycat.example", "/p/1.html"), LATER, ""),
            ],
        ),
        content_type="application/rss+xml",
    )
    web.add("/news/nimbus-3.html", _page(f'<meta property="og:url" content="{canonical}">'))
    web.add("/amp/news/nimbus-3.html", _page(f'<link rel="canonical" href="{canonical}">'))
    web.add("/p/1.html", _page(f'<link rel="canonical" href="{canonical}">'))
    fetcher = client(web, resolver=names(dict.fromkeys(HOSTS, "127.0.0.1")))
    subject = topic(at("m.daily.example", "/feed.xml"), at("copycat.example", "/picks.xml"))

    # When the day's stories are gathered
    bundle = gather_stories(subject, DAY, [FeedSource(fetcher)])

    # Then the article is cited once, at its canonical address, and the copycat's near copy is gone
    assert [str(a.url) for story in bundle.stories for a in story.articles] == [canonical]
    # The canonical itself was never fetched: a page's own word is enough, and it is never followed
    assert "/2026/11/28/nimbus-3.html" not in web.paths()
    hosts = {request.headers["host"].split(":")[0] for request in web.requests}
    assert hosts == {"m.daily.example", "amp.daily.example", "copycat.example"}
