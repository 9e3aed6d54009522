"""Run identity and the topic's notion of "today"."""

from __future__ import annotations

import datetime as dt
import secrets
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dailydigest.errors import ConfigError
from dailydigest.models.topic import Topic


def new_run_id(now: dt.datetime | None = None) -> str:
    """Sortable and unique: UTC timestamp plus random suffix."""
    now = now or dt.datetime.now(dt.UTC)
    return f"{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(4)}"


def topic_today(topic: Topic, now: dt.datetime | None = None) -> dt.date:
    """Today's date where the topic's readers are (its schedule's time zone)."""
    try:
        zone = ZoneInfo(topic.schedule.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"topic {topic.slug}: unknown time zone {topic.schedule.timezone!r}") from None
    return (now or dt.datetime.now(dt.UTC)).astimezone(zone).date()
