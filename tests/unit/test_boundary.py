from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from dailydigest.boundary import ArticlesFetchedEvent, DigestWrittenEvent, parse_pipeline_event, parse_request
from dailydigest.errors import BadEventError
from dailydigest.models.events import ArticlesFetched, DigestWritten
from dailydigest.models.requests import FetchRequest


def _sample(repo_root: Path, name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((repo_root / "events" / name).read_text())
    return loaded


def test_every_sample_event_parses(repo_root: Path) -> None:
    assert parse_request(_sample(repo_root, "fetch-direct.json"), FetchRequest).date is not None
    assert parse_request(_sample(repo_root, "fetch-schedule.json"), FetchRequest).date is None
    fetched = parse_pipeline_event(
        _sample(repo_root, "articles-fetched.json"), ArticlesFetchedEvent, ArticlesFetched
    )
    assert fetched.stories_key.endswith("stories.json")
    written = parse_pipeline_event(
        _sample(repo_root, "digest-written.json"), DigestWrittenEvent, DigestWritten
    )
    assert written.digest_key.endswith("digest.json")


@pytest.mark.parametrize(
    ("event", "fragment"),
    [
        ([], "expected a JSON object"),
        ("qwen", "expected a JSON object"),
        ({}, "topic"),
        ({"topic": "Qwen!"}, "topic"),
        ({"topic": "qwen", "date": "2025-02-30"}, "date"),
        ({"topic": "qwen", "date": "24/12/2025"}, "date"),
        ({"topic": "qwen", "date": "2999-01-01"}, "future"),
        ({"topic": "qwen", "date": "1999-12-31"}, "before 2000"),
        ({"topic": "qwen", "extra": 1}, "extra"),
        ({"topic": "q" * 41}, "topic"),
        ({"topic": "qwen", "run_id": "../../etc"}, "run_id"),
    ],
)
def test_bad_fetch_requests(event: Any, fragment: str) -> None:
    with pytest.raises(BadEventError, match=fragment):
        parse_request(event, FetchRequest)


def _mutations() -> list[tuple[str, Any, str]]:
    return [
        ("source", "somebody.else", "expected dailydigest/ArticlesFetched"),
        ("detail-type", "DigestWritten", "expected dailydigest/ArticlesFetched"),
        ("detail.schema_version", 2, "schema_version"),
        ("detail.stories_key", "/abs/key", "stories_key"),
        ("detail.article_count", -1, "article_count"),
        ("detail.date", "yesterday", "date"),
        ("detail", None, "detail"),
    ]


@pytest.mark.parametrize(("path", "value", "fragment"), _mutations())
def test_bad_pipeline_events(repo_root: Path, path: str, value: Any, fragment: str) -> None:
    event = copy.deepcopy(_sample(repo_root, "articles-fetched.json"))
    target = event
    *parents, leaf = path.split(".")
    for part in parents:
        target = target[part]
    target[leaf] = value
    with pytest.raises(BadEventError, match=fragment):
        parse_pipeline_event(event, ArticlesFetchedEvent, ArticlesFetched)


SAMPLES = sorted(p.name for p in (Path(__file__).parents[2] / "events").glob("*.json"))


@pytest.mark.parametrize("sample", SAMPLES)
def test_every_file_in_events_is_a_valid_entry_point_event(repo_root: Path, sample: str) -> None:
    # events/ serves `sam local invoke -e` as well as the tests: each file must parse as what it feeds.
    event = _sample(repo_root, sample)
    if "detail-type" not in event:
        parse_request(event, FetchRequest)
    elif event["detail-type"] == "ArticlesFetched":
        parse_pipeline_event(event, ArticlesFetchedEvent, ArticlesFetched)
    else:
        parse_pipeline_event(event, DigestWrittenEvent, DigestWritten)
