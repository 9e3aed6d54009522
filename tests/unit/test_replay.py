from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pytest

from dailydigest.errors import NotFoundError
from dailydigest.models.article import Article, Story, StoryBundle
from dailydigest.models.digest import Digest
from dailydigest.models.topic import Topic
from dailydigest.stages.replay import replay_stage
from dailydigest.store import keys
from dailydigest.topics import parse_topics
from tests.factories import make_digest
from tests.fakes import MemoryStore, RecordingBus

DAY = dt.date(2026, 3, 12)


class FixedSummarizer:
    name = "fixed"

    def __init__(self, digest: Digest) -> None:
        self.digest = digest

    def summarize(self, topic: Topic, day: dt.date, stories: Sequence[Story]) -> Digest:
        return self.digest


def _stored(store: MemoryStore, digest: Digest) -> None:
    topic = parse_topics("qwen: {}\n").get("qwen")
    article = Article.model_validate({"url": "https://technews.example/a.html", "title": "標題"})
    bundle = StoryBundle(topic=topic, date=DAY, stories=(Story(id="s1", title="標題", articles=(article,)),))
    store.put(keys.stories_key("qwen", DAY), bundle.model_dump_json().encode(), "application/json")
    store.put(keys.digest_key("qwen", DAY), digest.model_dump_json().encode(), "application/json")


def test_same_digest_publishes_nothing() -> None:
    store, bus = MemoryStore(), RecordingBus()
    digest = make_digest(date=DAY)
    _stored(store, digest)
    outcome = replay_stage("qwen", DAY, "run-000001", store, FixedSummarizer(digest), bus)
    assert not outcome.changed and bus.events == []


def test_changed_digest_is_stored_and_announced() -> None:
    store, bus = MemoryStore(), RecordingBus()
    _stored(store, make_digest(date=DAY))
    fresh = make_digest(date=DAY, trend_overview="換了新的提示詞之後，趨勢段落也不同了。")
    outcome = replay_stage("qwen", DAY, "run-000002", store, FixedSummarizer(fresh), bus)
    assert outcome.changed
    assert Digest.model_validate_json(store.get(keys.digest_key("qwen", DAY))) == fresh
    assert [e.DETAIL_TYPE for e in bus.events] == ["DigestWritten"]


def test_nothing_stored_is_a_clear_error() -> None:
    with pytest.raises(NotFoundError, match="no stored stories for qwen on 2026-03-12"):
        replay_stage("qwen", DAY, "run-000003", MemoryStore(), FixedSummarizer(make_digest()), RecordingBus())
