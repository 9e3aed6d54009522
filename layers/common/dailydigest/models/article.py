"""What fetch produces: articles, grouped into stories."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, StringConstraints

from dailydigest.models.topic import Topic
from dailydigest.models.types import ShortText

ArticleText = Annotated[str, StringConstraints(max_length=200_000)]


class Article(BaseModel):
    """One news article as fetched: where it came from and its text."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    url: HttpUrl
    # The address the page names as its own (<link rel="canonical"> or og:url), on the same site.
    canonical: HttpUrl | None = None
    title: ShortText
    publisher: Annotated[str, StringConstraints(max_length=200)] = ""
    published: dt.datetime | None = None
    summary: Annotated[str, StringConstraints(max_length=5_000)] = ""
    text: ArticleText = ""
    language: Annotated[str, StringConstraints(max_length=16)] = ""
    feed: Annotated[str, StringConstraints(max_length=2_000)] = ""
    unresolved: bool = False
    """At an aggregator's link (Google News): the publisher's URL was not found; headline and snippet only."""

    @property
    def body(self) -> str:
        """The best text available: the full article, else the feed's snippet."""
        return self.text or self.summary


class Story(BaseModel):
    """One event reported by one or more outlets."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]{1,64}$")]
    title: ShortText
    articles: Annotated[tuple[Article, ...], Field(min_length=1, max_length=50)]
    is_update: bool = False
    follows: Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]{1,64}$")] | None = None
    """For an update: the id of the earlier story it updates (its entry in the topic's ledger)."""
    new_facts: Annotated[
        tuple[Annotated[str, StringConstraints(max_length=64)], ...], Field(max_length=50)
    ] = ()
    """For an update: the figures, dates and names not published before, so its text leads with them."""


class StoryBundle(BaseModel):
    """The fetch stage's stored output for one (topic, date)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: int = 1
    # The whole topic travels with the stories, so later stages (and ad-hoc topics) need no topics file.
    topic: Topic
    date: dt.date
    stories: tuple[Story, ...]

    @property
    def article_count(self) -> int:
        return sum(len(story.articles) for story in self.stories)
