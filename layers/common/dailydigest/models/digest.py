"""The digest: one field for every part of the published post."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, StringConstraints, model_validator

from dailydigest.models.types import Locale, Paragraph, ShortText, Slug, SourceId

# The tail of every post's tag list, after the digest's own tags and the display name.
FIXED_TAGS = ("AI", "Digest")

Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]


class Source(BaseModel):
    """A fetched article the digest may cite, by its id."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: SourceId
    title: ShortText
    url: HttpUrl
    publisher: Annotated[str, StringConstraints(max_length=200)] = ""


class Highlight(BaseModel):
    """A numbered news item: a headline line, then its paragraph, citing sources."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    headline: ShortText
    body: Paragraph
    source_ids: Annotated[tuple[SourceId, ...], Field(max_length=20)] = ()
    is_update: bool = False


class Analysis(BaseModel):
    """The three fixed parts of the in-depth analysis section."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    significance: Paragraph
    comparison: Paragraph
    market_impact: Paragraph


class Implications(BaseModel):
    """What the news means for developers and for everyday users."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    developers: Annotated[tuple[Paragraph, ...], Field(min_length=1, max_length=8)]
    users: Annotated[tuple[Paragraph, ...], Field(min_length=1, max_length=8)]


class Usage(BaseModel):
    """What writing the digest cost: LLM calls, tokens and (when the model is priced) US dollars."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    prompt_tokens: Annotated[int, Field(ge=0)] = 0
    completion_tokens: Annotated[int, Field(ge=0)] = 0
    cost_usd: Annotated[float, Field(ge=0)] | None = None
    calls: Annotated[int, Field(ge=0)] = 0
    cached: bool = False
    """True when this run reused a cached answer: the figures are those of the run that paid for it."""


class Digest(BaseModel):
    """A complete digest for one topic on one day."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: Literal[1] = 1
    topic: Slug
    display_name: ShortText
    date: dt.date
    locale: Locale = "zh-TW"
    trend_overview: Paragraph
    highlights: Annotated[tuple[Highlight, ...], Field(min_length=1, max_length=20)]
    analysis: Analysis
    key_points: Annotated[tuple[Paragraph, ...], Field(min_length=1, max_length=20)]
    implications: Implications
    tags: Annotated[tuple[Tag, ...], Field(max_length=20)] = ()
    ai_summary: Paragraph
    sources: Annotated[tuple[Source, ...], Field(min_length=1, max_length=50)]
    generator: Literal["llm", "extractive"] = "llm"
    model: Annotated[str, StringConstraints(max_length=100)] = ""
    # Provenance of an LLM digest (all optional, so older digests still load).
    grounding: Annotated[float, Field(ge=0, le=1)] | None = None
    """Share of the model's claims (highlights and key points) that cited a fetched source."""
    usage: Usage | None = None
    prompt_version: Annotated[str, StringConstraints(max_length=20)] = ""
    fallback_reason: Annotated[str, StringConstraints(max_length=500)] = ""
    """Why the LLM's digest was not used (set on an extractive digest written in its place)."""

    @model_validator(mode="after")
    def _citations_resolve(self) -> Digest:
        known = {source.id for source in self.sources}
        if len(known) != len(self.sources):
            raise ValueError("source ids must be unique")
        for index, highlight in enumerate(self.highlights, start=1):
            unknown = sorted(set(highlight.source_ids) - known)
            if unknown:
                raise ValueError(f"highlight {index} cites unknown source ids {unknown}")
        return self
