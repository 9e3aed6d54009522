"""Reading publication dates as feeds and pages write them, and the zone a naive one belongs to."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from dailydigest.sources.dates import common_offset, find_cjk_date, has_zone, parse_date, site_zone

UTC = dt.UTC
TAIPEI = ZoneInfo("Asia/Taipei")
PLUS8 = dt.timezone(dt.timedelta(hours=8))


@pytest.mark.parametrize(
    ("text", "languages", "expected"),
    [
        # RSS (RFC 822), zoned
        ("Sat, 28 Nov 2026 09:30:00 +0800", (), dt.datetime(2026, 11, 28, 1, 30, tzinfo=UTC)),
        ("Sat, 28 Nov 2026 01:30:00 GMT", (), dt.datetime(2026, 11, 28, 1, 30, tzinfo=UTC)),
        ("Fri, 27 Nov 2026 20:30:00 EST", (), dt.datetime(2026, 11, 28, 1, 30, tzinfo=UTC)),
        # Atom / JSON Feed (RFC 3339)
        ("2026-11-28T09:30:00+08:00", (), dt.datetime(2026, 11, 28, 1, 30, tzinfo=UTC)),
        ("2026-11-28T01:30:00Z", (), dt.datetime(2026, 11, 28, 1, 30, tzinfo=UTC)),
        # Dates in other languages
        ("qua, 25 nov 2026 10:00:00 -0300", ("pt",), dt.datetime(2026, 11, 25, 13, 0, tzinfo=UTC)),
        ("Mi, 25 Nov 2026 10:00:00 +0100", ("de",), dt.datetime(2026, 11, 25, 9, 0, tzinfo=UTC)),
        ("25. November 2026 10:00 +01:00", (), dt.datetime(2026, 11, 25, 9, 0, tzinfo=UTC)),
    ],
)
def test_a_zoned_date_is_read_as_written(
    text: str, languages: tuple[str, ...], expected: dt.datetime
) -> None:
    # The zone passed in (the topic's) must not change a date that names its own.
    parsed = parse_date(text, zone=TAIPEI, languages=languages)
    assert parsed is not None
    assert parsed == expected


@pytest.mark.parametrize(
    ("text", "languages", "wall"),
    [
        ("Sat, 28 Nov 2026 09:30:00", (), dt.datetime(2026, 11, 28, 9, 30)),
        ("2026-11-28T09:30:00", (), dt.datetime(2026, 11, 28, 9, 30)),
        ("2026-11-28 09:30:00", (), dt.datetime(2026, 11, 28, 9, 30)),
        ("qua, 25 nov 2026 10:00:00", ("pt",), dt.datetime(2026, 11, 25, 10, 0)),
        ("qua, 25 nov 2026 10:00:00", (), dt.datetime(2026, 11, 25, 10, 0)),  # language guessed
        ("2026年11月28日 14:05", (), dt.datetime(2026, 11, 28, 14, 5)),
        ("2026/11/28 下午 2:05", (), dt.datetime(2026, 11, 28, 14, 5)),
        ("2026-11-28", (), dt.datetime(2026, 11, 28, 12, 0)),  # a bare day: its midday
    ],
)
def test_a_naive_date_is_read_in_the_zone_given_never_as_utc(
    text: str, languages: tuple[str, ...], wall: dt.datetime
) -> None:
    assert not has_zone(text)
    assert parse_date(text, zone=TAIPEI, languages=languages) == wall.replace(tzinfo=TAIPEI)
    # Without a zone to read it in, it stays naive for the fetch to place in the topic's zone.
    naive = parse_date(text, languages=languages)
    assert naive == wall
    assert naive is not None
    assert naive.tzinfo is None


def test_cst_on_a_chinese_site_is_china_standard_time() -> None:
    assert parse_date("Sat, 28 Nov 2026 09:30:00 CST", zone=TAIPEI) == dt.datetime(
        2026, 11, 28, 9, 30, tzinfo=PLUS8
    )
    # Elsewhere it is US Central.
    assert parse_date("Sat, 28 Nov 2026 09:30:00 CST", zone=UTC) == dt.datetime(
        2026, 11, 28, 15, 30, tzinfo=UTC
    )


@pytest.mark.parametrize(
    "text", ["", "   ", "yesterday-ish", "2026", "Nov 2026", "not a date at all", "0000-00-00"]
)
def test_what_is_not_a_date_is_none(text: str) -> None:
    assert parse_date(text, zone=TAIPEI) is None


@pytest.mark.parametrize(
    ("host", "language", "zone"),
    [
        ("www.example.com.tw", "", "Asia/Taipei"),
        ("news.example.cn", "", "Asia/Shanghai"),
        ("zeitung.example.de", "", "Europe/Berlin"),
        ("news.example.com", "zh-TW", "Asia/Taipei"),
        ("news.example.com", "zh_tw", "Asia/Taipei"),
        ("news.example.com", "en", None),
        ("news.example.com.br", "pt-BR", None),  # a country of several zones says nothing
        ("", "", None),
    ],
)
def test_site_zone(host: str, language: str, zone: str | None) -> None:
    found = site_zone(host, language)
    assert (str(found) if found else None) == zone


def test_the_offset_a_feeds_dates_share_is_its_publishers() -> None:
    stamps = [dt.datetime(2026, 11, 28, 9, tzinfo=PLUS8), dt.datetime(2026, 11, 27, 9, tzinfo=PLUS8), None]
    assert common_offset(stamps) == PLUS8
    # Two offsets, or only UTC (a server's build stamp), say nothing about the newsroom.
    assert (
        common_offset([*stamps, dt.datetime(2026, 11, 28, tzinfo=dt.timezone(dt.timedelta(hours=9)))]) is None
    )
    assert common_offset([dt.datetime(2026, 11, 28, tzinfo=UTC)]) is None


def test_a_dateline_is_found_in_text() -> None:
    assert find_cjk_date("記者陳立新／台北報導 2026年11月28日 14:05 更新") == dt.datetime(2026, 11, 28, 14, 5)
    assert find_cjk_date("沒有日期的導言。") is None
