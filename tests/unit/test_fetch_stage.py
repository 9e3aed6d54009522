"""fetch_stage: stories stored once and screened by the ledger (which only render writes), NoNews
announced with nothing stored."""

from __future__ import annotations

import datetime as dt

from dailydigest.models.article import Article, StoryBundle
from dailydigest.models.events import ArticlesFetched, NoNews
from dailydigest.news.ledger import ledger_key, load_ledger, remember_published
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


def test_stories_are_stored_then_announced_and_not_yet_remembered() -> None:
    store, bus = MemoryStore(), RecordingBus()

    outcome = fetch_stage(topic(), DAY, RUN, [ListSource(NEWS)], store, bus)

    assert isinstance(outcome, ArticlesFetched)
    assert (outcome.article_count, outcome.story_count) == (3, 3)
    # Coverage counts once the post is published (render): a day failing later loses nothing
    assert store.writes == [keys.stories_key("nimbus", DAY)]
    assert load_ledger(store, "nimbus").entries == ()
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


def _publish(store: MemoryStore, day: dt.date) -> None:
    """What render does once the day's post is published: its stories remembered."""
    bundle = StoryBundle.model_validate_json(store.get(keys.stories_key("nimbus", day)))
    remember_published(store, bundle, [str(a.url) for story in bundle.stories for a in story.articles])


def test_news_published_the_day_before_is_no_news_today() -> None:
    store, bus = MemoryStore(), RecordingBus()
    fetch_stage(topic(), DAY, RUN, [ListSource(NEWS)], store, bus)
    _publish(store, DAY)

    outcome = fetch_stage(topic(), DAY + dt.timedelta(days=1), RUN, [ListSource(NEWS)], store, bus)

    assert isinstance(outcome, NoNews)
    assert outcome.article_count == 0
    assert not store.exists(keys.stories_key("nimbus", DAY + dt.timedelta(days=1)))


def test_news_of_a_day_that_was_never_published_is_still_news_the_next_day() -> None:
    # Given a day fetched whose summarize or render then failed: nothing published
    store, bus = MemoryStore(), RecordingBus()
    fetch_stage(topic(), DAY, RUN, [ListSource(NEWS)], store, bus)

    # When the next day's 48-hour window still holds the same articles
    outcome = fetch_stage(topic(), DAY + dt.timedelta(days=1), RUN, [ListSource(NEWS)], store, bus)

    # Then they are its news
    assert isinstance(outcome, ArticlesFetched)
    assert outcome.story_count == 3
    assert not store.exists(ledger_key("nimbus"))
