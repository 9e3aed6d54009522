"""Google News items resolved to their publishers against a loopback Google News that speaks the
protocol (tests/support/fake_google_news.py), with its faults, and outlets on their own host names."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from dailydigest.models.article import Article
from dailydigest.models.topic import Topic
from dailydigest.news.gather import gather_stories
from dailydigest.sources.google_news import GoogleNewsSource
from dailydigest.store.local import DirectoryStore
from dailydigest.web.cache import PageCache
from tests.support.fake_google_news import FakeGoogleNews, Faults
from tests.support.google_news_day import DAY, NOW, Report, serve_day
from tests.support.loopback_web import LoopbackWeb, client
from tests.support.news_fixtures import topic

pytestmark = pytest.mark.integration


@pytest.fixture
def google() -> Iterator[FakeGoogleNews]:
    with FakeGoogleNews() as fake:
        yield fake


@pytest.fixture
def day(google: FakeGoogleNews, web: LoopbackWeb) -> tuple[list[Report], dict[str, object]]:
    return serve_day(google, web)


def _topic() -> Topic:
    return topic(queries=["Nimbus"], max_articles=30, min_articles=1)


def _source(
    google: FakeGoogleNews, options: dict[str, object], store: DirectoryStore | None = None, **limits: object
) -> GoogleNewsSource:
    web = PageCache(client(**options, **limits))  # type: ignore[arg-type]
    return GoogleNewsSource(web, base_url=google.origin, clock=lambda: NOW, store=store)


def _at_publishers(articles: list[Article], google: FakeGoogleNews) -> list[Article]:
    return [a for a in articles if not str(a.url).startswith(google.origin) and not a.unresolved]


def _no_google_page_is_news(articles: list[Article], google: FakeGoogleNews) -> None:
    for article in articles:
        assert "Google 新聞" not in article.text and "AF_initDataCallback" not in article.text
        assert "data-n-a" not in article.text
        if str(article.url).startswith(google.origin):
            assert article.unresolved and article.text == ""


def test_a_realistic_day_is_resolved_and_read_in_full(
    google: FakeGoogleNews, web: LoopbackWeb, day: tuple[list[Report], dict[str, object]], tmp_path: Path
) -> None:
    # Given 30 current items across ten outlets
    reports, options = day
    source = _source(google, options, DirectoryStore(tmp_path))

    # When the search is read
    articles = source.articles(_topic(), DAY)

    # Then (nearly) every item is at its publisher's page, with that page's text
    expected = {report.url: report for report in reports}
    resolved = _at_publishers(articles, google)
    assert len(articles) == 30
    assert len(resolved) >= 27
    full = [
        a for a in resolved if str(a.url) in expected and a.text.startswith(expected[str(a.url)].text[:20])
    ]
    assert len(full) >= 27
    # And Google was asked politely: one search, one article page per item, one batched POST
    assert (google.count("search"), google.count("page"), google.count("rpc")) == (1, 30, 1)
    assert google.ids_per_rpc() == [30]
    _no_google_page_is_news(articles, google)


def test_a_rerun_asks_google_for_nothing_it_already_resolved(
    google: FakeGoogleNews, day: tuple[list[Report], dict[str, object]], tmp_path: Path
) -> None:
    _, options = day
    store = DirectoryStore(tmp_path)
    _source(google, options, store).articles(_topic(), DAY)
    asked = len(google.requests)

    again = _source(google, options, store).articles(_topic(), DAY)

    # Only the search is asked again: every link comes from the store
    assert [r.path for r in google.requests[asked:]] == ["/rss/search"]
    assert len(_at_publishers(again, google)) == 30


@pytest.mark.parametrize("framing", ["plain", "chunked"])
def test_replies_in_either_framing_and_any_order_are_matched_by_id(
    google: FakeGoogleNews, day: tuple[list[Report], dict[str, object]], framing: str
) -> None:
    reports, options = day
    google.faults = Faults(framing=framing, reorder=True)

    articles = _source(google, options).articles(_topic(), DAY)

    # Every item lands at its own publisher's page (reordered rows matched by request id)
    by_title = {" ".join(report.title.split()): report.url for report in reports}
    assert sorted(str(a.url) for a in articles) == sorted(by_title[a.title] for a in articles)
    assert len(_at_publishers(articles, google)) == 30


def test_a_call_google_does_not_answer_leaves_only_that_item_unresolved(
    google: FakeGoogleNews, day: tuple[list[Report], dict[str, object]]
) -> None:
    _, options = day
    first = next(iter(google.state.items))
    google.faults = Faults(drop_rows=frozenset({first}))

    articles = _source(google, options).articles(_topic(), DAY)

    unresolved = [a for a in articles if a.unresolved]
    assert len(unresolved) == 1 and first in str(unresolved[0].url)
    assert unresolved[0].text == "" and unresolved[0].summary


def test_a_page_that_lost_the_attributes_is_read_again_at_the_readers_address(
    google: FakeGoogleNews, day: tuple[list[Report], dict[str, object]]
) -> None:
    _, options = day
    google.faults = Faults(rss_page_without_attributes=True)

    articles = _source(google, options).articles(_topic(), DAY)

    # Two page GETs per item, never more, and everything resolved
    assert google.count("page") == 60
    assert len(_at_publishers(articles, google)) == 30


def test_a_page_larger_than_the_publishers_cap_is_still_read(web: LoopbackWeb, tmp_path: Path) -> None:
    # Given Google's article pages of 1.5 MB and a fetcher capped at 1 MB for publishers' pages
    with FakeGoogleNews(page_bytes=1_500_000) as google:
        _, options = serve_day(google, web)
        source = _source(google, options, max_bytes=1_000_000)

        articles = source.articles(_topic(), DAY)

    # Then the signature at the end of each page was found
    assert len(_at_publishers(articles, google)) == 30


FAULTS = {
    "429 with a penalty": Faults(rate_limit_after=4, retry_after="1800"),
    "consent redirect": Faults(consent=True),
    "sorry redirect": Faults(sorry=True),
    "changed markup": Faults(changed_markup=True),
}


@pytest.mark.parametrize("faults", FAULTS.values(), ids=FAULTS.keys())
def test_in_every_fault_mode_the_run_completes_with_no_google_page_as_news(
    google: FakeGoogleNews, day: tuple[list[Report], dict[str, object]], tmp_path: Path, faults: Faults
) -> None:
    _, options = day
    google.faults = faults

    articles = _source(google, options, DirectoryStore(tmp_path)).articles(_topic(), DAY)
    bundle = gather_stories(_topic(), DAY, [ListOf(articles)])

    # The items are kept as headline and snippet, at Google's link, and marked
    assert len(articles) == 30
    _no_google_page_is_news(articles, google)
    _no_google_page_is_news([a for s in bundle.stories for a in s.articles], google)
    assert all(a.unresolved and a.summary for a in articles)
    # And Google was not pestered: at most one wave of pages (two GETs each), no RPC for nothing
    assert google.count("page") <= 2 * 6
    assert google.count("rpc") == 0


def test_after_a_429_google_is_asked_nothing_more_until_retry_after_passed(
    google: FakeGoogleNews, day: tuple[list[Report], dict[str, object]], tmp_path: Path
) -> None:
    # Given Google answers 429 (Retry-After 30 minutes) from the fifth request on
    _, options = day
    google.faults = Faults(rate_limit_after=4, retry_after="1800")
    store = DirectoryStore(tmp_path)
    _source(google, options, store).articles(_topic(), DAY)
    # Then the run stopped at the first wave of pages: the 429s seen, nothing sent after them
    asked = len(google.requests)
    assert asked <= 1 + 6

    # When another run starts inside the penalty, even after Google would answer again
    google.faults = Faults()
    later = NOW + dt.timedelta(minutes=20)
    inside = GoogleNewsSource(PageCache(client(**options)), google.origin, clock=lambda: later, store=store)  # type: ignore[arg-type]
    assert inside.articles(_topic(), DAY) == []
    assert len(google.requests) == asked

    # And once it has passed, Google is asked again
    after = NOW + dt.timedelta(minutes=31)
    outside = GoogleNewsSource(PageCache(client(**options)), google.origin, clock=lambda: after, store=store)  # type: ignore[arg-type]
    assert len(outside.articles(_topic(), DAY)) == 30
    assert len(google.requests) > asked


class ListOf:
    def __init__(self, articles: list[Article]) -> None:
        self.found = articles

    def articles(self, topic: Topic, day: dt.date) -> list[Article]:
        return list(self.found)
