"""Topic configuration: what to follow, in which language, from which sources."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    StringConstraints,
    field_validator,
    model_validator,
)

from dailydigest.errors import ConfigError
from dailydigest.locales import DEFAULT_LOCALE
from dailydigest.models.types import SHORT_TEXT_MAX, Locale, Slug

# No control characters: a query goes into a search URL and a prompt, a name into posts and pages.
NO_CONTROL = r"^[^\x00-\x1f\x7f]+$"
Query = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=NO_CONTROL),
]


DisplayName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=SHORT_TEXT_MAX, pattern=NO_CONTROL)
]


class Schedule(BaseModel):
    """When the daily run fires: an EventBridge Scheduler cron expression in a time zone."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    cron: Annotated[str, StringConstraints(pattern=r"^cron\(.+\)$")] = "cron(0 7 * * ? *)"
    timezone: Annotated[str, StringConstraints(min_length=1, max_length=64)] = "Asia/Taipei"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value


class Topic(BaseModel):
    """One followed subject, e.g. the Qwen model family."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    slug: Slug
    name: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300, pattern=NO_CONTROL)
    ]
    locale: Locale = DEFAULT_LOCALE
    queries: tuple[Query, ...] = ()
    feeds: tuple[HttpUrl, ...] = ()
    max_articles: Annotated[int, Field(ge=1, le=50)] = 10
    window_hours: Annotated[int, Field(ge=1, le=24 * 14)] = 48
    min_articles: Annotated[int, Field(ge=1, le=50)] = 2
    schedule: Schedule = Schedule()

    @field_validator("queries", "feeds")
    @classmethod
    def _bounded(cls, value: tuple[object, ...]) -> tuple[object, ...]:
        if len(value) > 20:
            raise ValueError("at most 20 entries")
        return value

    @model_validator(mode="before")
    @classmethod
    def _name_defaults_to_slug(cls, data: object) -> object:
        if isinstance(data, dict) and "name" not in data and isinstance(data.get("slug"), str):
            return {**data, "name": data["slug"].upper()}
        return data

    @model_validator(mode="after")
    def _reachable_minimum(self) -> Topic:
        # A minimum above the cap would turn every run into NoNews.
        if self.min_articles > self.max_articles:
            raise ValueError(f"min_articles ({self.min_articles}) exceeds max_articles ({self.max_articles})")
        return self


class TopicsFile(BaseModel):
    """The topics file: a mapping from slug to topic settings."""

    model_config = ConfigDict(frozen=True)

    topics: dict[Slug, Topic]

    def get(self, slug: str) -> Topic:
        try:
            return self.topics[slug]
        except KeyError:
            known = ", ".join(sorted(self.topics)) or "none"
            raise ConfigError(f"unknown topic {slug!r} (known topics: {known})") from None


def topic_today(topic: Topic, now: dt.datetime | None = None) -> dt.date:
    """Today's date where the topic's readers are (its schedule's time zone)."""
    try:
        zone = ZoneInfo(topic.schedule.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"topic {topic.slug}: unknown time zone {topic.schedule.timezone!r}") from None
    return (now or dt.datetime.now(dt.UTC)).astimezone(zone).date()
