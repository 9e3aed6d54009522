"""Outages are failures: every source failing, or nearly every request unanswered, is not a quiet day."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from dailydigest.errors import SourcesDownError
from dailydigest.models.article import Article
from dailydigest.models.events import NoNews
from dailydigest.models.topic import Topic
from dailydigest.news.outage import FetchTally, outage_reasons
from dailydigest.ports import FetchFailure, WebRequest, WebResponse
from dailydigest.stages.fetch import fetch_stage
from dailydigest.web.tally import TalliedBatchWebClient, TalliedWebClient, tallied
from tests.fakes import MemoryStore, RecordingBus
from tests.support.news_fixtures import DAY, ListSource, topic

RUN = "20261128T000000Z-outage01"


def _tally(answered: int, failed: int) -> FetchTally:
    tally = FetchTally()
    for n in range(answered):
        tally.answered(f"https://ok.example/{n}", 200)
    for n in range(failed):
        tally.unanswered(f"https://down.example/{n}", "connect error: [Errno 111] Connection refused")
    return tally


@pytest.mark.parametrize(
    ("sources", "failed_sources", "answered", "failed", "outage"),
    [
        (2, ["FeedSource: boom", "GoogleNewsSource: boom"], 0, 0, True),  # every source raised
        (2, ["GoogleNewsSource: boom"], 3, 0, False),  # one source down, the other answered
        (1, [], 0, 4, True),  # every request unanswered
        (1, [], 1, 9, True),  # nearly every request (90%)
        (1, [], 2, 8, False),  # most, not nearly every
        (1, [], 0, 0, False),  # nothing asked: nothing to judge
        (1, [], 5, 0, False),  # a quiet day: everything answered
    ],
)
def test_what_counts_as_an_outage(
    sources: int, failed_sources: list[str], answered: int, failed: int, outage: bool
) -> None:
    reasons = outage_reasons(sources, failed_sources, _tally(answered, failed))
    assert bool(reasons) is outage


def test_the_reasons_name_hosts_and_errors_most_common_first() -> None:
    tally = _tally(0, 3)
    tally.unanswered("https://other.example/feed", "connect timed out")
    reasons = outage_reasons(1, [], tally)
    assert reasons == [
        "4 of 4 requests got no answer",
        "down.example: connect error: [Errno 111] Connection refused (3x)",
        "other.example: connect timed out",
    ]


def test_a_server_error_or_rate_limit_is_no_answer_and_a_404_is_one() -> None:
    tally = FetchTally()
    assert tally.answered("https://a.example/", 404) and tally.answered("https://a.example/", 403)
    assert not tally.answered("https://a.example/", 503) and not tally.answered("https://a.example/", 429)
    assert (tally.requests, tally.failed) == (4, 2)


class _Batch:
    """A batch client answering by URL: `down` gives a FetchFailure, others a response."""

    def __init__(self, statuses: dict[str, int]) -> None:
        self.statuses = statuses

    def get(self, url: str) -> WebResponse:
        if self.statuses[url] == 0:
            raise OSError("connection refused")
        return WebResponse(url, self.statuses[url], "text/html", b"")

    def get_many(self, requests: Sequence[WebRequest]) -> list[WebResponse | FetchFailure]:
        return [
            FetchFailure(r.url, "connect error") if self.statuses[r.url] == 0 else self.get(r.url)
            for r in requests
        ]

    def describe(self) -> str:
        return "batch"


class _Single:
    def __init__(self, statuses: dict[str, int]) -> None:
        self.inner = _Batch(statuses)

    def get(self, url: str) -> WebResponse:
        return self.inner.get(url)

    def describe(self) -> str:
        return "single"


def test_the_tallied_client_counts_and_changes_nothing() -> None:
    statuses = {"https://a.example/": 200, "https://b.example/": 0, "https://c.example/": 502}
    tally, batches = FetchTally(), []
    tally.on_batch = lambda answered, asked: batches.append((answered, asked))
    web = tallied(_Batch(statuses), tally)
    assert isinstance(web, TalliedBatchWebClient)
    results = web.get_many([WebRequest(url) for url in statuses])
    assert [getattr(r, "status", None) for r in results] == [200, None, 502]
    assert (tally.requests, tally.failed, batches) == (3, 2, [(1, 3)])
    single = tallied(_Single(statuses), tally)
    assert type(single) is TalliedWebClient and not hasattr(single, "get_many")
    with pytest.raises(OSError, match="refused"):
        single.get("https://b.example/")
    assert (tally.requests, tally.failed, single.describe()) == (4, 3, "single")


class _Down:
    """A source whose API is down: it raises, as a source with an outage may."""

    def articles(self, topic: Topic, day: object) -> list[Article]:
        raise ConnectionError("api.example: 503 Service Unavailable")


def test_every_source_down_fails_the_fetch_with_reasons_and_announces_nothing() -> None:
    store, bus = MemoryStore(), RecordingBus()
    with pytest.raises(SourcesDownError, match=r"every source failed \(2 of 2\).*503 Service Unavailable"):
        fetch_stage(topic(), DAY, RUN, [_Down(), _Down()], store, bus)
    assert store.writes == [] and bus.events == []


def test_unanswered_requests_fail_the_fetch_though_each_source_returned() -> None:
    # Given sources that returned nothing because no request was answered (how feeds report it)
    tally = _tally(0, 3)
    tally_before = tally.requests
    store, bus = MemoryStore(), RecordingBus()

    class Unanswered(ListSource):
        def articles(self, topic: Topic, day: object) -> list[Article]:
            for n in range(tally_before):
                tally.unanswered(f"https://down.example/{n}", "connect timed out")
            return []

    with pytest.raises(SourcesDownError, match=r"3 of 3 requests got no answer.*connect timed out"):
        fetch_stage(topic(), DAY, RUN, [Unanswered([])], store, bus, tally)
    assert store.writes == [] and bus.events == []


def test_sources_that_answered_with_too_little_is_no_news() -> None:
    tally = FetchTally()
    store, bus = MemoryStore(), RecordingBus()

    class Quiet(ListSource):
        def articles(self, topic: Topic, day: object) -> list[Article]:
            tally.answered("https://feed.example/rss", 200)
            return []

    outcome = fetch_stage(topic(), DAY, RUN, [Quiet([]), _Down()], store, bus, tally)
    assert isinstance(outcome, NoNews) and bus.events == [outcome]
