"""Inputs that start a run: the schedule's payload or a direct invoke."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, model_validator

from dailydigest.errors import BadEventError
from dailydigest.models.topic import Topic, TopicsFile, topic_today
from dailydigest.models.types import DigestDate, RunId, Slug

_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")  # ASCII digits: \d also takes "２０２５"


def _iso_date_only(value: object) -> object:
    # A calendar date written YYYY-MM-DD (or a date object): no timestamps, no datetimes, no numbers.
    if isinstance(value, dt.datetime) or not isinstance(value, str | dt.date):
        raise ValueError("date must be a YYYY-MM-DD string")
    if isinstance(value, str) and not _ISO_DATE.fullmatch(value.strip()):
        raise ValueError(f"date {value[:40]!r} is not YYYY-MM-DD")
    return value.strip() if isinstance(value, str) else value


RequestDate = Annotated[DigestDate, BeforeValidator(_iso_date_only)]


class FetchRequest(BaseModel):
    """What starts a fetch:

    - `{"topic": "qwen"}` from the schedule (today, in the topic's time zone);
    - `{"topic": "qwen", "date": "2025-12-24"}` on demand;
    - `{"topic_definition": {"slug": "llama", "name": "Llama", "locale": "en", "queries": ["Llama"]}}`
      for an ad-hoc topic that is not in the topics file (same fields and limits as a topics-file
      entry; `name` defaults to the upper-cased slug; `topic` may be given too and must match).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    topic: Slug
    date: RequestDate | None = None
    run_id: RunId | None = None
    topic_definition: Topic | None = None

    @model_validator(mode="before")
    @classmethod
    def _ad_hoc_defaults(cls, data: Any) -> Any:
        if not isinstance(data, dict) or not isinstance(data.get("topic_definition"), dict):
            return data
        slug = data["topic_definition"].get("slug")
        if "topic" not in data and slug is not None:
            return {**data, "topic": slug}
        return data

    @model_validator(mode="after")
    def _consistent(self) -> FetchRequest:
        definition = self.topic_definition
        if definition is None:
            return self
        if definition.slug != self.topic:
            raise ValueError(f"topic {self.topic!r} and topic_definition.slug {definition.slug!r} differ")
        if not definition.queries and not definition.feeds:
            raise ValueError("topic_definition needs queries or feeds to search")
        return self

    def resolve_topic(self, topics: TopicsFile) -> Topic:
        """The topic to fetch: the ad-hoc definition, else the topics file's entry for the slug.

        An ad-hoc definition may not reuse a configured slug: it would write that topic's day.
        """
        if self.topic_definition is None:
            return topics.get(self.topic)
        if self.topic in topics.topics:
            raise BadEventError(
                f"topic {self.topic!r} is in the topics file: invoke it by slug, "
                "or give the ad-hoc definition another slug"
            )
        return self.topic_definition

    def day_for(self, topic: Topic, now: dt.datetime | None = None) -> dt.date:
        """The requested day, or today where the topic's readers are; never a day still to come there."""
        today = topic_today(topic, now)
        day = self.date or today
        if day > today:
            raise BadEventError(
                f"date {day.isoformat()} is in the future for topic {topic.slug} "
                f"(today is {today.isoformat()} in {topic.schedule.timezone})"
            )
        return day
