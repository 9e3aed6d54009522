"""fetch_stage: stories stored once, the ledger written after them, NoNews announced with nothing stored."""

from __future__ import annotations

import datetime as dt

from dailydigest.models.article import Article
from dailydigest.models.events import ArticlesFetched, NoNews
from dailydigest.news.ledger import ledger_key, load_ledger
from dailydigest.stages.fetch import fetch_stage
from dailydigest.store import keys
from tests.fakes import MemoryStore, RecordingBus
from tests.support.news_fixtures import DAY, NEW_STORY, PRICE_CUT, RELEASE_ZH_A, TAIPEI, ListSource, topic

RUN = "20261128T000000Z-test0001"


def _article(url: str, title: str, text: str = "", summary: str = "") -> Article:
    return Article.model_validate(
        {
            "url": url,
            "title": title,
            "text": text,
            "summary": summary,
            "published": dt.datetime.combine(DAY, dt.time(9), tzinfo=TAIPEI),
        }
    )


NEWS = [
    _article("https://a.example/release", RELEASE_ZH_A.title, RELEASE_ZH_A.text),
    _article("https://b.example/price", PRICE_CUT.title, PRICE_CUT.text),
    _article("https://c.example/voice", NEW_STORY.title, NEW_STORY.text),
]


def test_stories_are_stored_then_remembered_then_announced() -> None:
    store, bus = MemoryStore(), RecordingBus()

    outcome = fetch_stage(topic(), DAY, RUN, [ListSource(NEWS)], store, bus)

    assert isinstance(outcome, ArticlesFetched)
    assert (outcome.article_count, outcome.story_count) == (3, 3)
    assert store.writes == [keys.stories_key("nimbus", DAY), ledger_key("nimbus")]
    assert [entry.days for entry in load_ledger(store, "nimbus").entries] == [(DAY,)] * 3
    assert bus.events == [outcome]


def test_a_repeated_delivery_writes_nothing_and_fetches_nothing() -> None:
    store, bus, source = MemoryStore(), RecordingBus(), ListSource(NEWS)
    first = fetch_stage(topic(), DAY, RUN, [source], store, bus)
    writes = list(store.writes)

    again = fetch_stage(topic(), DAY, "20261128T000500Z-test0002", [source], store, bus)

    assert store.writes == writes
    assert source.calls == 1
    assert isinstance(again, ArticlesFetched)
    assert (again.article_count, again.story_count) == (first.article_count, first.story_count)


def test_a_delivery_after_a_lost_ledger_write_records_the_day() -> None:
    store, bus = MemoryStore(), RecordingBus()
    fetch_stage(topic(), DAY, RUN, [ListSource(NEWS)], store, bus)
    del store.blobs[ledger_key("nimbus")]  # as if the first delivery died between the two writes

    fetch_stage(topic(), DAY, RUN, [ListSource([])], store, bus)

    ledger = load_ledger(store, "nimbus")
    assert len(ledger.entries) == 3
    assert all(entry.days == (DAY,) for entry in ledger.entries)


def test_too_few_usable_articles_is_no_news_announced_and_nothing_stored() -> None:
    store, bus = MemoryStore(), RecordingBus()
    # One article with text, and one bare headline without any text or snippet
    found = [NEWS[0], _article("https://d.example/bare", "只有標題的消息")]

    outcome = fetch_stage(topic(min_articles=2), DAY, RUN, [ListSource(found)], store, bus)

    assert isinstance(outcome, NoNews)
    assert (outcome.article_count, outcome.minimum) == (1, 2)
    assert (outcome.topic, outcome.date, outcome.run_id) == ("nimbus", DAY, RUN)
    assert bus.events == [outcome]
    assert store.writes == []


def test_news_covered_the_day_before_is_no_news_today() -> None:
    store, bus = MemoryStore(), RecordingBus()
    fetch_stage(topic(), DAY, RUN, [ListSource(NEWS)], store, bus)

    outcome = fetch_stage(topic(), DAY + dt.timedelta(days=1), RUN, [ListSource(NEWS)], store, bus)

    assert isinstance(outcome, NoNews)
    assert outcome.article_count == 0
    assert not store.exists(keys.stories_key("nimbus", DAY + dt.timedelta(days=1)))
