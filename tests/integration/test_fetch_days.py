"""Two days of fetching over a loopback news site, with the directory store: the second day's digest
leaves out what the first covered, keeps an update with new figures, and takes the new story."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from email.utils import format_datetime
from pathlib import Path

import pytest

from dailydigest.models.article import StoryBundle
from dailydigest.models.events import ArticlesFetched
from dailydigest.news.ledger import ledger_key, load_ledger, remember_published
from dailydigest.sources.feed import FeedSource
from dailydigest.stages.fetch import fetch_stage
from dailydigest.store import keys
from dailydigest.store.local import DirectoryStore
from tests.fakes import RecordingBus
from tests.support.loopback_web import LoopbackWeb, client
from tests.support.news_fixtures import (
    DAY,
    DAY_BEFORE,
    FIRST_DAY,
    NEW_STORY,
    PRICE_CUT,
    RELEASE_EN,
    SECOND_DAY,
    UPDATE,
    Item,
    rss,
    topic,
)

pytestmark = pytest.mark.integration


def _publish(web: LoopbackWeb, items: Sequence[Item]) -> None:
    """The site's feed listing these items, each item's page at its path on this server."""
    for item in items:
        web.add(item.path, item.report.html())
    entries = [
        (i.report.title, i.path, format_datetime(i.published), i.report.paragraphs[0][:60]) for i in items
    ]
    web.add("/feed.xml", rss(web.origin, entries), content_type="application/rss+xml")


def _published(store: DirectoryStore, day: dt.date) -> None:
    """What render does once the day's post is out: its stories remembered."""
    bundle = StoryBundle.model_validate_json(store.get(keys.stories_key("nimbus", day)))
    remember_published(store, bundle, [str(a.url) for story in bundle.stories for a in story.articles])


def test_the_second_day_remembers_the_first(web: LoopbackWeb, tmp_path: Path) -> None:
    store, bus = DirectoryStore(tmp_path / "store"), RecordingBus()
    subject = topic(web.url("/feed.xml"))
    sources = [FeedSource(client(web))]

    _publish(web, FIRST_DAY)
    first = fetch_stage(subject, DAY_BEFORE, "20261127T000000Z-day00001", sources, store, bus)
    _published(store, DAY_BEFORE)
    _publish(web, SECOND_DAY)
    second = fetch_stage(subject, DAY, "20261128T000000Z-day00002", sources, store, bus)
    _published(store, DAY)

    assert isinstance(first, ArticlesFetched) and isinstance(second, ArticlesFetched)
    day1 = StoryBundle.model_validate_json(store.get(keys.stories_key("nimbus", DAY_BEFORE)))
    day2 = StoryBundle.model_validate_json(store.get(keys.stories_key("nimbus", DAY)))
    assert [(s.title, len(s.articles), s.is_update) for s in day1.stories] == [
        (RELEASE_EN.headline, 3, False),
        (PRICE_CUT.headline, 1, False),
    ]
    # Day two: the new story, then the update (its new article only); no retelling, no repeats
    assert [(s.title, len(s.articles), s.is_update) for s in day2.stories] == [
        (NEW_STORY.headline, 1, False),
        (UPDATE.headline, 1, True),
    ]
    update = next(item for item in SECOND_DAY if item.report == UPDATE)
    assert str(day2.stories[1].articles[0].url) == web.url(update.path)
    assert day2.stories[1].articles[0].text.startswith("Nimbus 3 發表隔天")

    # The ledger, in the store, now knows both days
    ledger = load_ledger(store, "nimbus")
    assert store.exists(ledger_key("nimbus"))
    assert [(e.title, e.days) for e in ledger.entries] == [
        (RELEASE_EN.headline, (DAY_BEFORE, DAY)),
        (PRICE_CUT.headline, (DAY_BEFORE,)),
        (NEW_STORY.headline, (DAY,)),
    ]
