"""The memory across five days on one directory store, through fetch, summarize and render, as a
blog runs it (tests/support/memory_days.py): date order, a failed day, an out-of-order backfill,
and concurrent recording of several days of one topic on the directory store and on moto S3."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

from dailydigest.models.article import StoryBundle
from dailydigest.news.ledger import load_ledger, remember_published
from dailydigest.ports import Store
from dailydigest.store import keys
from dailydigest.store.local import DirectoryStore
from dailydigest.store.s3 import S3Store
from tests.support.memory_days import (
    CODE_ZH,
    D1,
    D2,
    D3,
    D4,
    D5,
    DAYS,
    EXPECTED,
    SummarizeFailed,
    backfill_then_rerun,
    memory_topic,
    run_day,
)
from tests.support.racing import at_once, racing_s3_store

pytestmark = pytest.mark.integration


def test_five_days_in_date_order_repeat_nothing_and_show_each_update_once(tmp_path: Path) -> None:
    store = DirectoryStore(tmp_path / "store")

    posts = {day: run_day(store, day) for day in DAYS}

    # Re-reports (same facts, other outlets, other languages, tracking and AMP copies) left out,
    # updates shown once with only their new sources, new stories new, the quiet day NoNews
    assert posts == EXPECTED
    ledger = load_ledger(store, "nimbus")
    release = next(e for e in ledger.entries if e.title == EXPECTED[D1][0][0])  # type: ignore[index]
    assert release.days == (D1, D2)


def test_a_failed_days_stories_appear_the_next_day(tmp_path: Path) -> None:
    # Given 11-27 fetched, then its summarize failing: nothing of it published
    store = DirectoryStore(tmp_path / "store")
    run_day(store, D1)
    run_day(store, D2)
    with pytest.raises(SummarizeFailed):
        run_day(store, D3, fail=True)
    assert all(D3 not in entry.days for entry in load_ledger(store, "nimbus").entries)

    # When 11-28 runs, its window still holding 11-27's reports
    post = run_day(store, D4)

    # Then 11-27's new story is in 11-28's post, new, ahead of 11-28's own news
    assert post is not None
    assert post[0][:2] == (CODE_ZH.title, False)
    assert post[1:] == EXPECTED[D4]
    assert run_day(store, D5) is None


def test_a_backfill_after_a_later_day_gives_the_date_order_posts_and_a_rerun_is_unchanged(
    tmp_path: Path,
) -> None:
    # Given 11-28 published first (a demo), then 11-25..11-27 backfilled, then 11-28 rerun afresh
    runs = backfill_then_rerun(DirectoryStore(tmp_path / "store"))

    # Then each backfilled day has the post it has in date order (later coverage hides nothing)
    assert runs.backfilled == {day: EXPECTED[day] for day in (D1, D2, D3)}

    # And 11-28 rerun afresh is screened as it was first: the earlier backfill changes nothing
    assert runs.rerun == runs.first


@pytest.fixture
def s3_store() -> Iterator[S3Store]:
    with racing_s3_store() as store:
        yield store


def _bundle(day: dt.date, number: int) -> StoryBundle:
    """A distinct one-story bundle for a day (as a parallel backfill's renders would record)."""
    from tests.support.news_fixtures import Item, Report

    report = Report(f"雲雀模型第 {number} 號公告", (f"雲雀模型公布第 {number} 號公告，編號 A{number}X。",))
    item = Item(report, f"https://n{number}.example/notice.html", dt.datetime(2026, 11, day.day, 9), "站")
    from dailydigest.news.gather import build_stories

    return StoryBundle(topic=memory_topic(), date=day, stories=tuple(build_stories([item.article()])))


def _cited(bundle: StoryBundle) -> list[str]:
    return [str(article.url) for story in bundle.stories for article in story.articles]


def record_at_once(store: Store, days: int) -> None:
    bundles = [_bundle(dt.date(2026, 11, 1) + dt.timedelta(days=n), n + 1) for n in range(days)]
    at_once([partial(remember_published, store, bundle, _cited(bundle)) for bundle in bundles])
    ledger = load_ledger(store, "nimbus")
    assert sorted(entry.first_day for entry in ledger.entries) == [b.date for b in bundles]
    assert ledger.sequence == days


def test_concurrent_days_of_one_topic_all_stay_remembered_on_the_directory_store(tmp_path: Path) -> None:
    record_at_once(DirectoryStore(tmp_path / "store"), 6)


def test_concurrent_days_of_one_topic_all_stay_remembered_on_s3(s3_store: S3Store) -> None:
    record_at_once(s3_store, 6)
    assert keys.ledger_key("nimbus") in s3_store.list("ledger/")
