"""Two days of fetching over a loopback news site, with the directory store: the second day's digest
leaves out what the first covered, keeps an update with new figures, and takes the new story."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from dailydigest import keys
from dailydigest.adapters.feed_source import FeedSource
from dailydigest.adapters.store_local import DirectoryStore
from dailydigest.domain.ledger import ledger_key, load_ledger
from dailydigest.domain.stages import fetch_stage
from dailydigest.models.article import StoryBundle
from dailydigest.models.events import ArticlesFetched
from tests.fakes import RecordingBus
from tests.support.loopback_web import LoopbackWeb, client
from tests.support.news_fixtures import (
    NEW_STORY,
    PRICE_CUT,
    RELEASE_EN,
    RELEASE_ZH_A,
    RELEASE_ZH_B,
    RETELLING,
    UPDATE,
    Report,
    rss,
    topic,
)

pytestmark = pytest.mark.integration

DAY1 = dt.date(2026, 11, 27)
DAY2 = dt.date(2026, 11, 28)
FIRST = [
    (RELEASE_EN, "/lab/nimbus-3.html", "Fri, 27 Nov 2026 08:00:00 +0800"),
    (RELEASE_ZH_A, "/tech/nimbus-3.html", "Fri, 27 Nov 2026 10:00:00 +0800"),
    (RELEASE_ZH_B, "/weekly/nimbus-3-open.html", "Fri, 27 Nov 2026 12:00:00 +0800"),
    (PRICE_CUT, "/market/nimbus-api-price.html", "Fri, 27 Nov 2026 15:00:00 +0800"),
]
SECOND = [
    *FIRST,
    (RETELLING, "/daily/nimbus-3-recap.html", "Sat, 28 Nov 2026 09:00:00 +0800"),
    (UPDATE, "/bench/nimbus-3-405b.html", "Sat, 28 Nov 2026 11:00:00 +0800"),
    (NEW_STORY, "/tech/nimbus-voice.html", "Sat, 28 Nov 2026 14:00:00 +0800"),
]


def _title(report: Report) -> str:
    return " ".join(report.title.split())


@pytest.fixture
def web() -> Iterator[LoopbackWeb]:
    with LoopbackWeb() as server:
        for report, path, _ in SECOND:
            server.add(path, report.html())
        yield server


def _publish(web: LoopbackWeb, items: list[tuple[Report, str, str]]) -> None:
    entries = [(r.title, path, date, r.paragraphs[0][:60]) for r, path, date in items]
    web.add("/feed.xml", rss(web.origin, entries), content_type="application/rss+xml")


def test_the_second_day_remembers_the_first(web: LoopbackWeb, tmp_path: Path) -> None:
    store, bus = DirectoryStore(tmp_path / "store"), RecordingBus()
    subject = topic(web.url("/feed.xml"))
    sources = [FeedSource(client(web))]

    _publish(web, FIRST)
    first = fetch_stage(subject, DAY1, "20261127T000000Z-day00001", sources, store, bus)
    _publish(web, SECOND)
    second = fetch_stage(subject, DAY2, "20261128T000000Z-day00002", sources, store, bus)

    assert isinstance(first, ArticlesFetched) and isinstance(second, ArticlesFetched)
    day1 = StoryBundle.model_validate_json(store.get(keys.stories_key("nimbus", DAY1)))
    day2 = StoryBundle.model_validate_json(store.get(keys.stories_key("nimbus", DAY2)))
    assert [(s.title, len(s.articles), s.is_update) for s in day1.stories] == [
        (_title(RELEASE_EN), 3, False),
        (_title(PRICE_CUT), 1, False),
    ]
    # Day two: the new story, then the update (its new article only); no retelling, no repeats
    assert [(s.title, len(s.articles), s.is_update) for s in day2.stories] == [
        (_title(NEW_STORY), 1, False),
        (_title(UPDATE), 1, True),
    ]
    assert str(day2.stories[1].articles[0].url) == web.url("/bench/nimbus-3-405b.html")
    assert day2.stories[1].articles[0].text.startswith("Nimbus 3 發表隔天")

    # The ledger, in the store, now knows both days
    ledger = load_ledger(store, "nimbus")
    assert (tmp_path / "store" / ledger_key("nimbus")).is_file()
    assert [(e.title, e.days) for e in ledger.entries] == [
        (_title(RELEASE_EN), (DAY1, DAY2)),
        (_title(PRICE_CUT), (DAY1,)),
        (_title(NEW_STORY), (DAY2,)),
    ]
