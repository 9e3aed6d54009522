"""Publication dates as feeds and pages write them: in any common format and language, with or without a zone.

A date that names its zone (an offset, `Z`, `GMT`, a US zone name) is read as written. One that
does not is a wall-clock time in the publisher's zone, which the caller knows better than this
module: it passes the zone to read it in, or None to get the naive wall-clock time back (the
fetch then reads it in the topic's zone). A naive time is never silently taken as UTC: for a
Chinese feed that is eight hours off.

Formats: RFC 822 (RSS), ISO 8601 / RFC 3339 (Atom, JSON Feed, page metadata), the other forms
feedparser knows, and last dateparser, which reads dates in other languages ("qua, 25 nov 2026
10:00:00", "28. November 2026", "2026年11月28日"). dateparser is slow to load (about half a
second), so it is imported only for a date nothing else could read.
"""

from __future__ import annotations

import calendar
import datetime as dt
import email.utils
import functools
import re
from collections.abc import Iterable, Sequence
from typing import Any

_MIN_YEAR = 1995
_MAX_YEAR = 2100
# A zone after a time of day: +08:00, +0800, -05, Z, or a zone name (GMT, UTC, UT, EST, CST, ...).
_TRAILING_ZONE = re.compile(
    r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?\s*(?:[+-]\d{2}(?::?\d{2})?|Z|GMT|UTC|UT|[ECMP][SD]T)\s*$", re.I
)
_DIGIT_RUNS = re.compile(r"\d+")
_CST = re.compile(r"\bCST\s*$", re.I)
_CJK_DATE = re.compile(
    r"(20\d{2})\s*[年/.\-]\s*(\d{1,2})\s*[月/.\-]\s*(\d{1,2})\s*日?(?:\s*(?:[上下]午)?\s*(\d{1,2})\s*[:：時时]\s*(\d{2}))?"
)
_CHINA_OFFSET = dt.timedelta(hours=8)

# Country-code domains of countries with one time zone: a site under them publishes in that zone.
_ZONE_BY_TLD = {
    "tw": "Asia/Taipei", "cn": "Asia/Shanghai", "hk": "Asia/Hong_Kong", "mo": "Asia/Macau",
    "sg": "Asia/Singapore", "my": "Asia/Kuala_Lumpur", "jp": "Asia/Tokyo", "kr": "Asia/Seoul",
    "th": "Asia/Bangkok", "vn": "Asia/Ho_Chi_Minh", "ph": "Asia/Manila", "in": "Asia/Kolkata",
    "de": "Europe/Berlin", "at": "Europe/Vienna", "ch": "Europe/Zurich", "fr": "Europe/Paris",
    "it": "Europe/Rome", "nl": "Europe/Amsterdam", "be": "Europe/Brussels", "uk": "Europe/London",
    "ie": "Europe/Dublin", "pl": "Europe/Warsaw", "cz": "Europe/Prague", "se": "Europe/Stockholm",
    "no": "Europe/Oslo", "dk": "Europe/Copenhagen", "fi": "Europe/Helsinki", "gr": "Europe/Athens",
    "tr": "Europe/Istanbul", "il": "Asia/Jerusalem", "ae": "Asia/Dubai", "nz": "Pacific/Auckland",
}  # fmt: skip
# A language tag's region, for the same reason (zh-TW, zh-HK, de-DE).
_ZONE_BY_REGION = {
    "tw": "Asia/Taipei", "hk": "Asia/Hong_Kong", "cn": "Asia/Shanghai", "sg": "Asia/Singapore",
    "jp": "Asia/Tokyo", "kr": "Asia/Seoul", "de": "Europe/Berlin", "fr": "Europe/Paris",
    "gb": "Europe/London", "it": "Europe/Rome", "nl": "Europe/Amsterdam",
}  # fmt: skip


def has_zone(text: str) -> bool:
    """Whether a date text names its zone or offset."""
    return bool(_TRAILING_ZONE.search(text.strip()))


def parse_date(text: str, zone: dt.tzinfo | None = None, languages: Sequence[str] = ()) -> dt.datetime | None:
    """The time a date text names: aware when it names its zone or `zone` is given, else naive.

    `languages` (ISO 639-1 codes, e.g. the feed's declared language) speeds up and steadies the
    reading of dates written in words; without them dateparser guesses the language.
    """
    text = " ".join(text.split())[:200]
    if not text:
        return None
    # A day needs at least a day and a year: "2026" or "Nov 2026" is not a publication date.
    if len(_DIGIT_RUNS.findall(text)) < 2:
        return None
    china = zone is not None and dt.datetime(2026, 1, 1, tzinfo=zone).utcoffset() == _CHINA_OFFSET
    parsed = _parse_cached(text, tuple(languages), china)
    if parsed is None or not _MIN_YEAR <= parsed.year <= _MAX_YEAR:
        return None
    if parsed.tzinfo is None and zone is not None:
        return parsed.replace(tzinfo=zone)
    return parsed


@functools.lru_cache(maxsize=4096)
def _parse_cached(text: str, languages: tuple[str, ...], china: bool) -> dt.datetime | None:
    # A feed's dates are read twice (once for the zone its dates share, once per entry): read once.
    try:
        return _parse(text, dt.timezone(_CHINA_OFFSET) if china else None, languages)
    except (ValueError, OverflowError, TypeError, IndexError):
        return None


def _parse(text: str, zone: dt.tzinfo | None, languages: Sequence[str]) -> dt.datetime | None:
    zoned = has_zone(text)
    for reader in (_iso, _rfc822, _cjk, _feedparser_forms):
        parsed = reader(text, zoned, zone)
        if parsed is not None:
            return parsed
    return _dateparser(text, languages)


def _iso(text: str, zoned: bool, zone: dt.tzinfo | None) -> dt.datetime | None:
    if not re.match(r"^\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    # A bare date (2026-11-28) says the day, not the hour: midday of that day is its fairest instant.
    if len(text) == 10:
        parsed = parsed.replace(hour=12)
    return parsed


def _rfc822(text: str, zoned: bool, zone: dt.tzinfo | None) -> dt.datetime | None:
    try:
        fields = email.utils.parsedate_tz(text)
    except (TypeError, ValueError, IndexError):
        return None
    if fields is None:
        return None
    try:
        wall = dt.datetime(*fields[:6])
    except (TypeError, ValueError):
        return None
    if not zoned:
        return wall
    offset = dt.timedelta(seconds=fields[9] or 0)
    # "CST" is China Standard Time on Chinese sites, US Central (-06:00) elsewhere.
    if _CST.search(text) and zone is not None and zone.utcoffset(wall) == _CHINA_OFFSET:
        offset = _CHINA_OFFSET
    return wall.replace(tzinfo=dt.timezone(offset))


def _feedparser_forms(text: str, zoned: bool, zone: dt.tzinfo | None) -> dt.datetime | None:
    # The other forms feedparser reads (W3DTF variants, asctime, Korean, Greek, Hungarian, ...),
    # which it hands back in UTC; without a zone in the text, its fields are the wall clock.
    from feedparser.datetimes import _parse_date

    parsed = _parse_date(text)
    if parsed is None:
        return None
    if zoned:
        return dt.datetime.fromtimestamp(calendar.timegm(parsed), tz=dt.UTC)
    return dt.datetime(*parsed[:6])


def _cjk(text: str, zoned: bool, zone: dt.tzinfo | None) -> dt.datetime | None:
    match = _CJK_DATE.fullmatch(text.strip())
    return _from_cjk_match(match, text) if match else None


def _from_cjk_match(match: re.Match[str], text: str) -> dt.datetime | None:
    year, month, day, hour, minute = match.groups()
    try:
        if hour is None:
            return dt.datetime(int(year), int(month), int(day), 12)
        hours = int(hour) + (12 if "下午" in text[match.start() : match.end()] and int(hour) < 12 else 0)
        return dt.datetime(int(year), int(month), int(day), hours, int(minute))
    except ValueError:
        return None


def find_cjk_date(text: str) -> dt.datetime | None:
    """The first 2026年11月28日 / 2026-11-28 10:30 style date in a text (a dateline), naive."""
    match = _CJK_DATE.search(text)
    return _from_cjk_match(match, text) if match else None


def _dateparser(text: str, languages: Sequence[str]) -> dt.datetime | None:
    import dateparser  # slow to load: only for dates nothing else could read

    settings: Any = {"REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DATES_FROM": "past"}
    hints = [code for code in dict.fromkeys(languages) if code] or None
    try:
        parsed = dateparser.parse(text, languages=hints, settings=settings)
        if parsed is None and hints:
            parsed = dateparser.parse(text, settings=settings)
    except (ValueError, OverflowError, TypeError):
        return None
    return parsed if isinstance(parsed, dt.datetime) else None


def site_zone(host: str, language: str = "") -> dt.tzinfo | None:
    """The zone a site publishes in, when its domain or its language's region names one country."""
    from zoneinfo import ZoneInfo

    tld = host.lower().rstrip(".").rsplit(".", 1)[-1] if host else ""
    name = _ZONE_BY_TLD.get(tld)
    tag = language.replace("_", "-")
    if name is None and "-" in tag:
        name = _ZONE_BY_REGION.get(tag.split("-")[-1].lower())
    return ZoneInfo(name) if name else None


def common_offset(stamps: Iterable[dt.datetime | None]) -> dt.tzinfo | None:
    """The one UTC offset a document's zoned dates share (its publisher's zone), else None.

    UTC itself says nothing: servers stamp their own build dates in GMT whatever the newsroom's zone.
    """
    offsets = {stamp.utcoffset() for stamp in stamps if stamp is not None and stamp.tzinfo is not None}
    offsets.discard(dt.timedelta(0))
    if len(offsets) != 1:
        return None
    (offset,) = offsets
    return dt.timezone(offset) if offset is not None else None


def language_codes(tag: str) -> list[str]:
    """ISO 639-1 codes a declared language tag (pt-BR, zh_TW, en) gives dateparser."""
    code = tag.strip().replace("_", "-").split("-")[0].lower()
    return [code] if len(code) == 2 and code.isalpha() else []
