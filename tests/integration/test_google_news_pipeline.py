"""A whole run (fetch, summarize, render through the local bus) on a realistic Google News day:
the post cites the publishers, and a page two sources find is downloaded once."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dailydigest.bus.local import LocalBus, LocalContext
from dailydigest.settings import Settings
from dailydigest.store import keys
from dailydigest.store.local import DirectoryStore
from dailydigest.wiring import Services, install
from tests.conftest import REPO_ROOT
from tests.support.fake_google_news import FakeGoogleNews, Faults
from tests.support.google_news_day import DAY, serve_day
from tests.support.loopback_web import LoopbackWeb, client
from tests.support.news_fixtures import TOPIC_FIELDS, rss

pytestmark = pytest.mark.integration

_LINK = re.compile(r"\]\((https?://[^)\s]+)\)")


@pytest.fixture
def google() -> Iterator[FakeGoogleNews]:
    with FakeGoogleNews() as fake:
        yield fake


def _run(
    google: FakeGoogleNews, web: LoopbackWeb, store_dir: Path, feeds: list[str], max_articles: int = 10
) -> tuple[Any, str]:
    """Fetch, summarize and render DAY for an ad-hoc topic; the fetch outcome and the post."""
    _, options = serve_day(google, web)
    settings = Settings.from_env(
        {
            "DIGEST_STORE": str(store_dir),
            "DIGEST_SITE": "none",
            "DIGEST_GOOGLE_NEWS_URL": google.origin,
            "DIGEST_TEMPLATE": str(REPO_ROOT / "template.yaml"),
        }
    )
    bus = LocalBus(REPO_ROOT / "template.yaml")
    install(Services(settings, bus=bus, web=client(**options)))
    try:
        definition = {**TOPIC_FIELDS, "queries": ["Nimbus"], "feeds": feeds, "max_articles": max_articles}
        event = {"topic_definition": definition, "date": DAY.isoformat()}
        outcome = bus.handler("FetchFunction")(event, LocalContext("FetchFunction"))
        bus.drain()
    finally:
        install(None)
    post = DirectoryStore(store_dir).get(keys.post_key("nimbus", DAY)).decode()
    return outcome, post


def _source_links(post: str) -> list[str]:
    sources = post.split("🔗", 1)[1]
    return _LINK.findall(sources)


def test_the_post_cites_the_publishers(google: FakeGoogleNews, web: LoopbackWeb, tmp_path: Path) -> None:
    outcome, post = _run(google, web, tmp_path / "store", feeds=[])

    links = _source_links(post)
    at_publishers = [link for link in links if ".test:" in link and not link.startswith(google.origin)]
    assert len(links) == 10
    assert len(at_publishers) >= 0.9 * len(links)
    assert outcome["unresolved_count"] == 0


@pytest.mark.parametrize("max_articles", [10, 30])
def test_unresolved_items_never_take_a_full_text_place_and_are_counted(
    google: FakeGoogleNews, web: LoopbackWeb, tmp_path: Path, max_articles: int
) -> None:
    # Given Google leaves unanswered two reports of the first event (its third outlet resolves)
    # and all three of the last event's
    serve_day(google, web)
    ids = list(google.state.items)
    google.faults = Faults(drop_rows=frozenset(ids[:2] + ids[27:]))

    outcome, post = _run(google, web, tmp_path / "store", feeds=[], max_articles=max_articles)

    links = _source_links(post)
    google_links = [link for link in links if link.startswith(google.origin)]
    if max_articles == 10:
        # Then ten full-text articles fill the post: no Google link in it
        assert len(links) == 10 and google_links == []
        assert outcome["unresolved_count"] == 0
    else:
        # Then with room for all, what stays unresolved comes after every publisher's article,
        # and is counted
        assert google_links == links[len(links) - len(google_links) :]
        assert outcome["unresolved_count"] == len(google_links)


def test_a_page_the_feeds_and_google_both_find_is_downloaded_once(
    google: FakeGoogleNews, web: LoopbackWeb, tmp_path: Path
) -> None:
    # Given an outlet's own feed that lists two of the articles Google News also finds
    first, second = "/technews/2026/11/28/nimbus-0-0.html", "/technews/2026/11/28/nimbus-3-0.html"
    base = f"http://technews.test:{web.port}"
    web.add(
        "/technews/feed.xml",
        rss(base, [("Nimbus 3", first, "Sat, 28 Nov 2026 09:30:00 +0800", "s"),
                   ("Nimbus", second, "Sat, 28 Nov 2026 10:30:00 +0800", "s")]),
        content_type="application/rss+xml",
    )  # fmt: skip

    _run(google, web, tmp_path / "store", feeds=[f"{base}/technews/feed.xml"])

    # Then each page was downloaded once in the run, for both sources
    assert web.paths().count(first) == 1
    assert web.paths().count(second) == 1
