"""The story ledger: what earlier days covered is left out, unless it brings new facts (an update)."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from dailydigest.models.article import Article, StoryBundle
from dailydigest.news.fingerprint import facts
from dailydigest.news.gather import gather_stories
from dailydigest.news.ledger import (
    Ledger,
    LedgerMemory,
    ledger_key,
    load_ledger,
    record,
    remember_published,
    save_ledger,
)
from tests.fakes import MemoryStore
from tests.support.news_fixtures import (
    DAY,
    DAY_BEFORE,
    FIRST_DAY,
    NEW_STORY,
    PRICE_CUT,
    RELEASE_EN,
    RETELLING,
    SECOND_DAY,
    TAIPEI,
    UPDATE,
    ListSource,
    Report,
    topic,
)

DAY1, DAY2 = DAY_BEFORE, DAY


def article(report: Report, url: str, day: dt.date, hour: int = 9, publisher: str = "") -> Article:
    return Article.model_validate(
        {
            "url": url,
            "title": report.title,
            "text": report.text,
            "publisher": publisher,
            "published": dt.datetime.combine(day, dt.time(hour), tzinfo=TAIPEI),
        }
    )


DAY1_ARTICLES = [item.article() for item in FIRST_DAY]
DAY2_ARTICLES = [item.article() for item in SECOND_DAY]
URL = {item.report: item.url for item in SECOND_DAY}


def _day(store: MemoryStore, day: dt.date, articles: list[Article]) -> StoryBundle:
    """One day as the pipeline runs it: fetch screens with the ledger, render records what it published."""
    subject = topic()
    ledger = load_ledger(store, subject.slug)
    bundle = gather_stories(subject, day, [ListSource(articles)], LedgerMemory(ledger, subject, day))
    remember_published(store, bundle, [str(a.url) for story in bundle.stories for a in story.articles])
    return bundle


def _titles(bundle: StoryBundle) -> list[tuple[str, bool, int]]:
    return [(story.title, story.is_update, len(story.articles)) for story in bundle.stories]


def test_the_first_day_keeps_everything() -> None:
    store = MemoryStore()
    bundle = _day(store, DAY1, DAY1_ARTICLES)

    assert _titles(bundle) == [(RELEASE_EN.title, False, 3), (PRICE_CUT.title, False, 1)]
    ledger = load_ledger(store, "nimbus")
    assert [entry.days for entry in ledger.entries] == [(DAY1,), (DAY1,)]
    assert ledger_key("nimbus") in store.blobs


def test_the_next_day_leaves_out_what_was_covered_and_keeps_updates_and_new_stories() -> None:
    store = MemoryStore()
    _day(store, DAY1, DAY1_ARTICLES)

    bundle = _day(store, DAY2, DAY2_ARTICLES)

    # The new story first; the update after it, holding only its new article; no retelling, no repeat
    assert _titles(bundle) == [(NEW_STORY.title, False, 1), (UPDATE.title, True, 1)]
    update = bundle.stories[1]
    assert [str(a.url) for a in update.articles] == [URL[UPDATE]]
    urls = {str(a.url) for story in bundle.stories for a in story.articles}
    assert URL[RETELLING] not in urls
    assert not urls & {str(a.url) for a in DAY1_ARTICLES}


def test_the_update_is_merged_into_the_story_it_updates() -> None:
    store = MemoryStore()
    _day(store, DAY1, DAY1_ARTICLES)
    _day(store, DAY2, DAY2_ARTICLES)

    ledger = load_ledger(store, "nimbus")

    release = next(e for e in ledger.entries if e.title == RELEASE_EN.title)
    assert release.days == (DAY1, DAY2)
    assert len(release.story_ids) == 2  # the first report's id and the update's
    assert {"405b", "1m", "91.2", "12000"} <= set(release.facts)
    assert [e.title for e in ledger.entries] == [RELEASE_EN.title, PRICE_CUT.title, NEW_STORY.title]


def test_a_retelling_in_another_language_is_still_the_covered_story() -> None:
    # Day one only had the Chinese reports; day two the official English post arrives.
    store = MemoryStore()
    _day(store, DAY1, DAY1_ARTICLES[1:3])
    english = article(RELEASE_EN, "https://lab.example/blog/nimbus-3", DAY2, 8, "Nimbus Lab")

    bundle = _day(store, DAY2, [english, article(NEW_STORY, "https://n.example/voice", DAY2)])

    assert _titles(bundle) == [(NEW_STORY.title, False, 1)]


def test_rerunning_a_day_does_not_hide_its_own_stories() -> None:
    store = MemoryStore()
    first = _day(store, DAY1, DAY1_ARTICLES)
    again = _day(store, DAY1, DAY1_ARTICLES)

    assert _titles(again) == _titles(first)
    assert [entry.days for entry in load_ledger(store, "nimbus").entries] == [(DAY1,), (DAY1,)]


def test_recording_a_day_twice_changes_nothing() -> None:
    store = MemoryStore()
    bundle = _day(store, DAY1, DAY1_ARTICLES)
    once = load_ledger(store, "nimbus")

    twice = record(once, topic(), DAY1, bundle.stories)

    assert twice == once


def test_old_entries_are_dropped() -> None:
    store = MemoryStore()
    _day(store, DAY1, DAY1_ARTICLES)
    later = DAY1 + dt.timedelta(days=45)
    news = [article(NEW_STORY, "https://n.example/voice", later)]

    ledger = record(load_ledger(store, "nimbus"), topic(), later, [*_day(MemoryStore(), later, news).stories])

    assert [entry.title for entry in ledger.entries] == [NEW_STORY.title]


def test_an_unreadable_ledger_starts_afresh(caplog: pytest.LogCaptureFixture) -> None:
    store = MemoryStore(
        {ledger_key("nimbus"): b'{"schema_version": 1, "topic": "nimbus", "entries": "oops"}'}
    )

    with caplog.at_level(logging.ERROR, logger="dailydigest.news.ledger"):
        ledger = load_ledger(store, "nimbus")

    assert ledger == Ledger(topic="nimbus")
    assert any("ledger unreadable" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("70B 版本拿下 82.5 分，量化到 4.5GB", {"70b", "82.5", "4.5gb"}),
        ("2026 年 11 月 28 日 09:30 發表", {"date:11-28"}),  # a date is; a time or a year alone is not
        (
            "The API opens on December 15; Horizon Ventures led the round",
            {"date:12-15", "horizon", "ventures"},
        ),
        ("Nimbus 3 scores 1287 on the board; Qwen4 follows", {"1287", "qwen4"}),
        ("降價 40%，每百萬 token 0.60 美元", {"40", "0.60"}),
    ],
)
def test_facts_are_figures_and_versions(text: str, expected: set[str]) -> None:
    assert facts(text) == expected


def test_an_update_is_recognised_without_yesterdays_reports_in_the_window() -> None:
    # A 24-hour window: day two sees only its own reports, matched to the ledger by their terms.
    store = MemoryStore()
    _day(store, DAY1, DAY1_ARTICLES)
    subject = topic(window_hours=24)
    memory = LedgerMemory(load_ledger(store, "nimbus"), subject, DAY2)

    bundle = gather_stories(subject, DAY2, [ListSource(DAY2_ARTICLES)], memory)

    assert _titles(bundle) == [(NEW_STORY.title, False, 1), (UPDATE.title, True, 1)]


def test_rerunning_a_day_that_updated_a_story_keeps_the_update() -> None:
    # Given day two already recorded (its update merged into the release's entry)
    store = MemoryStore()
    _day(store, DAY1, DAY1_ARTICLES)
    first = _day(store, DAY2, DAY2_ARTICLES)

    # When day two is fetched again (its stored stories lost)
    again = _day(store, DAY2, DAY2_ARTICLES)

    # Then it is screened against day one's coverage only: the update is still news that day
    assert _titles(again) == _titles(first) == [(NEW_STORY.title, False, 1), (UPDATE.title, True, 1)]


def test_a_backfilled_day_is_screened_against_the_days_before_it_only() -> None:
    # Given day one covered, then day three, whose 48-hour window still showed day two's update
    store = MemoryStore()
    _day(store, DAY1, DAY1_ARTICLES)
    day3 = DAY2 + dt.timedelta(days=1)
    assert _titles(_day(store, day3, DAY2_ARTICLES[4:])) == [
        (NEW_STORY.title, False, 1),
        (UPDATE.title, True, 1),
    ]

    # When day two is backfilled afterwards
    backfilled = _day(store, DAY2, DAY2_ARTICLES)

    # Then what day three added does not hide day two's own news
    assert _titles(backfilled) == [(NEW_STORY.title, False, 1), (UPDATE.title, True, 1)]


def test_a_ledger_written_before_coverage_was_kept_still_screens_and_upgrades() -> None:
    # Given day one's ledger as older versions wrote it: no per-day coverage
    store = MemoryStore()
    _day(store, DAY1, DAY1_ARTICLES)
    legacy = load_ledger(store, "nimbus")
    stripped = legacy.model_copy(
        update={"entries": tuple(e.model_copy(update={"coverage": ()}) for e in legacy.entries)}
    )
    save_ledger(store, stripped)
    assert b'"coverage": []' in store.blobs[ledger_key("nimbus")]

    # When day two is fetched, twice
    first = _day(store, DAY2, DAY2_ARTICLES)
    again = _day(store, DAY2, DAY2_ARTICLES)

    # Then everything the old entry knew counts as day one's, and day two keeps its update
    assert _titles(first) == _titles(again) == [(NEW_STORY.title, False, 1), (UPDATE.title, True, 1)]
    release = next(e for e in load_ledger(store, "nimbus").entries if e.title == RELEASE_EN.title)
    assert [part.day for part in release.coverage] == [DAY1, DAY2]
    assert set(release.coverage[0].urls) == set(stripped.entries[0].urls)


@pytest.mark.parametrize(
    "blob",
    [
        pytest.param("a1" * 150, id="hash-like"),
        pytest.param("x" * 300 + "9", id="one-long-word"),
    ],
)
def test_overlong_tokens_never_break_the_ledger(blob: str) -> None:
    # Given a report carrying a 300-character "word" (a hash, an encoded blob) in its lead
    noisy = Report(PRICE_CUT.title, (f"{PRICE_CUT.paragraphs[0]} 校驗碼 {blob}", *PRICE_CUT.paragraphs[1:]))
    store = MemoryStore()

    # When its day is recorded
    _day(store, DAY1, [article(noisy, "https://market.example/price.html", DAY1)])

    # Then the ledger is written, without the blob
    [entry] = load_ledger(store, "nimbus").entries
    assert blob not in entry.facts and blob not in entry.terms
    assert {"1.00", "0.60"} <= set(entry.facts)
