"""The fetch handler's input: by slug, by slug and date, or an ad-hoc topic; everything validated."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from dailydigest.boundary import parse_request
from dailydigest.errors import BadEventError, ConfigError
from dailydigest.models.requests import FetchRequest
from dailydigest.topics import parse_topics

TOPICS = parse_topics("qwen:\n  queries: [Qwen]\n  feeds: [https://qwen-blog.example/atom.xml]\n")
NOW = dt.datetime(2026, 11, 28, 20, 0, tzinfo=dt.UTC)  # 2026-11-29 04:00 in Taipei
AD_HOC = {"slug": "nimbus", "name": "Nimbus", "locale": "en", "queries": ["Nimbus"]}


def test_the_schedule_payload_fetches_today_in_the_topic_time_zone() -> None:
    request = parse_request({"topic": "qwen"}, FetchRequest)
    topic = request.resolve_topic(TOPICS)
    assert topic.slug == "qwen"
    assert request.day_for(topic, now=NOW) == dt.date(2026, 11, 29)


def test_a_direct_invoke_names_its_day() -> None:
    request = parse_request({"topic": "qwen", "date": "2025-12-24", "run_id": "manual-run-1"}, FetchRequest)
    assert request.day_for(request.resolve_topic(TOPICS), now=NOW) == dt.date(2025, 12, 24)
    assert request.run_id == "manual-run-1"


def test_an_ad_hoc_topic_is_validated_and_used() -> None:
    request = parse_request({"topic_definition": {**AD_HOC, "window_hours": 24}}, FetchRequest)
    topic = request.resolve_topic(TOPICS)
    assert (request.topic, topic.slug, topic.name, topic.locale, topic.window_hours) == (
        "nimbus",
        "nimbus",
        "Nimbus",
        "en",
        24,
    )


def test_an_ad_hoc_topic_name_defaults_to_the_slug() -> None:
    request = parse_request(
        {"topic_definition": {"slug": "nimbus", "feeds": ["https://n.example/feed"]}}, FetchRequest
    )
    assert request.resolve_topic(TOPICS).name == "NIMBUS"


def test_an_ad_hoc_topic_may_not_take_a_configured_slug() -> None:
    request = parse_request({"topic_definition": {**AD_HOC, "slug": "qwen"}}, FetchRequest)
    with pytest.raises(BadEventError, match="in the topics file"):
        request.resolve_topic(TOPICS)


def test_an_unknown_slug_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="unknown topic 'llama'"):
        parse_request({"topic": "llama"}, FetchRequest).resolve_topic(TOPICS)


def test_a_date_still_to_come_in_the_topic_time_zone_is_refused() -> None:
    request = parse_request({"topic": "qwen", "date": "2026-11-30"}, FetchRequest)
    with pytest.raises(BadEventError, match="in the future for topic qwen"):
        request.day_for(request.resolve_topic(TOPICS), now=NOW)


@pytest.mark.parametrize(
    ("event", "fragment"),
    [
        ({}, "topic"),
        ({"topic": "Qwen"}, "topic"),
        ({"topic": "../qwen"}, "topic"),
        ({"topic": "qwen", "date": "2025-02-30"}, "date"),
        ({"topic": "qwen", "date": "2025-2-3"}, "YYYY-MM-DD"),
        ({"topic": "qwen", "date": "2025-12-24T00:00:00"}, "YYYY-MM-DD"),
        ({"topic": "qwen", "date": 1766534400}, "YYYY-MM-DD"),
        ({"topic": "qwen", "date": "２０２５-１２-２４"}, "YYYY-MM-DD"),
        ({"topic": "qwen", "date": "1999-12-31"}, "before 2000"),
        ({"topic": "qwen", "date": ""}, "YYYY-MM-DD"),
        ({"topic": "qwen", "date": "3025-01-01"}, "future"),
        ({"topic": "qwen", "run_id": "x" * 100}, "run_id"),
        ({"topic": "qwen", "debug": True}, "Extra inputs"),
        ({"topic": "qwen", "topic_definition": AD_HOC}, "differ"),
        ({"topic_definition": {**AD_HOC, "queries": []}}, "needs queries or feeds"),
        ({"topic_definition": {**AD_HOC, "slug": "Nimbus!"}}, "pattern"),
        ({"topic_definition": {**AD_HOC, "locale": "fr"}}, "locale"),
        ({"topic_definition": {**AD_HOC, "queries": ["q"] * 21}}, "at most 20"),
        ({"topic_definition": {**AD_HOC, "queries": ["x" * 201]}}, "queries"),
        ({"topic_definition": {**AD_HOC, "feeds": ["file:///etc/passwd"]}}, "feeds"),
        ({"topic_definition": {**AD_HOC, "max_articles": 500}}, "max_articles"),
        ({"topic_definition": {**AD_HOC, "min_articles": 8, "max_articles": 5}}, "exceeds max_articles"),
        (
            {"topic_definition": {**AD_HOC, "queries": ["Nimbus\r\nX-Evil: 1"]}},
            "queries.0: String should match pattern",
        ),
        ({"topic_definition": {**AD_HOC, "name": "Nim\x00bus"}}, "name: String should match"),
        ({"topic_definition": {**AD_HOC, "window_hours": 0}}, "window_hours"),
        ({"topic_definition": {**AD_HOC, "feeds": ["https://n.example/" + "a" * 2100]}}, "feeds"),
        ({"topic_definition": {**AD_HOC, "name": "n" * 301}}, "name"),
        ({"topic_definition": {**AD_HOC, "schedule": {"timezone": "Mars/Base"}}}, "time zone"),
        ({"topic_definition": {**AD_HOC, "owner": "me"}}, "owner: Extra inputs"),
        ({"topic_definition": "nimbus"}, "topic"),
    ],
)
def test_bad_input_is_rejected_with_a_clear_error(event: dict[str, Any], fragment: str) -> None:
    with pytest.raises(BadEventError, match=fragment):
        parse_request(event, FetchRequest)
