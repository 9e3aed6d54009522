"""Renders of several topics (and days) at once: every post stays in the archive index, and the
front page and overall feed list them all, on moto S3 and on the directory store."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

from dailydigest.archive import update_archive
from dailydigest.ports import Store
from dailydigest.store.local import DirectoryStore
from dailydigest.store.s3 import S3Store
from tests.factories import SAMPLE_DATE
from tests.support.racing import at_once, racing_s3_store
from tests.unit.test_archive import PNG, entry_for, post_for

pytestmark = pytest.mark.integration

POSTS = [(topic, SAMPLE_DATE + dt.timedelta(days=d)) for topic in ("qwen", "llama", "gemma") for d in (0, 1)]


@pytest.fixture
def s3_store() -> Iterator[S3Store]:
    with racing_s3_store() as store:
        yield store


def render_at_once(store: Store) -> None:
    renders = [partial(update_archive, store, entry_for(t, d), post_for(t, d), PNG) for t, d in POSTS]
    at_once(renders)


def check_everything_listed(store: Store) -> None:
    index = json.loads(store.get("archive/index.json"))
    assert sorted((post["topic"], post["date"]) for post in index["posts"]) == sorted(
        (topic, day.isoformat()) for topic, day in POSTS
    )
    front = store.get("archive/index.html").decode()
    feed = store.get("archive/feed.xml").decode()
    for topic, day in POSTS:
        assert f"posts/{topic}/{day.isoformat()}.html" in front
        assert f"posts/{topic}/{day.isoformat()}.html" in feed


def test_renders_at_once_on_s3_keep_every_post(s3_store: S3Store) -> None:
    render_at_once(s3_store)
    check_everything_listed(s3_store)


def test_renders_at_once_on_the_directory_store_keep_every_post(tmp_path: Path) -> None:
    store = DirectoryStore(tmp_path / "store")
    render_at_once(store)
    check_everything_listed(store)
