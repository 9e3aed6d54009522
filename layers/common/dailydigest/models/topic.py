"""Topic configuration: what to follow, in which language, from which sources."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from dailydigest.errors import ConfigError, describe_validation_error
from dailydigest.models.types import SHORT_TEXT_MAX, Slug

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
    locale: Literal["zh-TW", "en"] = "zh-TW"
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

    @property
    def display_name(self) -> str:
        return self.name


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


def parse_topics(text: str, origin: str = "topics file") -> TopicsFile:
    """Parse and validate a topics YAML document; any problem is one ConfigError line."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{origin}: not valid YAML ({_first_line(exc)})") from None
    if not isinstance(raw, dict) or not raw:
        raise ConfigError(f"{origin}: expected a mapping of topic slugs to settings")
    entries: dict[str, object] = {}
    for slug, body in raw.items():
        if body is None:
            body = {}
        if not isinstance(body, dict):
            raise ConfigError(f"{origin}: topic {slug!r} must be a mapping")
        entries[str(slug)] = {"slug": str(slug), **body}
    try:
        return TopicsFile.model_validate({"topics": entries})
    except ValidationError as exc:
        raise ConfigError(f"{origin}: {describe_validation_error(exc)}") from None


def load_topics(path: Path) -> TopicsFile:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"topics file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"topics file unreadable: {path} ({exc})") from None
    return parse_topics(text, origin=str(path))


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
