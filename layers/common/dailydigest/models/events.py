"""Events between the stages: claim checks pointing at payloads in the store.

Every event carries a schema version and the run id; payloads stay in the store.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from dailydigest.models.types import RunId, Slug, StoreKey

EVENT_SOURCE = "dailydigest"


class PipelineEvent(BaseModel):
    """Fields every pipeline event carries."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    DETAIL_TYPE: ClassVar[str] = ""

    schema_version: Literal[1] = 1
    run_id: RunId
    topic: Slug
    date: dt.date


class ArticlesFetched(PipelineEvent):
    DETAIL_TYPE: ClassVar[str] = "ArticlesFetched"

    stories_key: StoreKey
    article_count: Annotated[int, Field(ge=0)]
    story_count: Annotated[int, Field(ge=0)]
    unresolved_count: Annotated[int, Field(ge=0)] = 0
    """Articles still at an aggregator's link (Google News items whose publisher was not found)."""


class NoNews(PipelineEvent):
    """Fetch found fewer usable articles than the topic's minimum: nothing stored, no post.

    Announced for dashboards and alarms only; no stage reacts to it (the rules match
    ArticlesFetched and DigestWritten)."""

    DETAIL_TYPE: ClassVar[str] = "NoNews"

    article_count: Annotated[int, Field(ge=0)]
    minimum: Annotated[int, Field(ge=1)]


class DigestWritten(PipelineEvent):
    DETAIL_TYPE: ClassVar[str] = "DigestWritten"

    digest_key: StoreKey
    generator: Literal["llm", "extractive"]


class PostPublished(PipelineEvent):
    DETAIL_TYPE: ClassVar[str] = "PostPublished"

    post_path: Annotated[str, StringConstraints(max_length=300)]
    image_path: Annotated[str, StringConstraints(max_length=300)]
    post_key: StoreKey
    image_key: StoreKey
    commit_sha: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{40}$")] | None = None
    changed: bool
    location: Annotated[str, StringConstraints(max_length=1000)] = ""
    archive_url: Annotated[str, StringConstraints(max_length=1000)] = ""


EVENT_TYPES: dict[str, type[PipelineEvent]] = {
    cls.DETAIL_TYPE: cls for cls in (ArticlesFetched, NoNews, DigestWritten, PostPublished)
}
