"""From raw articles to the day's stories: window, dedup, clustering, cap.

The orchestrator: it owns the window, the order of preference and the selection; links live in
`urls`, copies in `dedup`, stories in `clustering` (their names are re-exported here). Pure domain
code: sources are ports, everything else is plain Python.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol
from zoneinfo import ZoneInfo

from dailydigest.models.article import Article, Story, StoryBundle
from dailydigest.models.topic import Topic
from dailydigest.news.clustering import build_stories as build_stories
from dailydigest.news.clustering import story_id as story_id
from dailydigest.news.clustering import topic_terms as topic_terms
from dailydigest.news.dedup import drop_duplicate_urls as drop_duplicate_urls
from dailydigest.news.dedup import drop_near_duplicates as drop_near_duplicates
from dailydigest.news.text import normalize
from dailydigest.news.urls import canonical_url as canonical_url
from dailydigest.news.urls import clean_url as clean_url
from dailydigest.news.urls import is_aggregator_link as is_aggregator_link
from dailydigest.ports import ArticleSource

logger = logging.getLogger(__name__)

MAX_ARTICLES_TO_CLUSTER = 200
"""Clustering is quadratic: beyond this many articles a day, only the newest are considered."""


class StoryMemory(Protocol):
    """What earlier days covered (the story ledger)."""

    def screen(self, stories: Sequence[Story]) -> list[Story]:
        """The stories not covered before, plus updates (is_update) that bring new information."""
        ...


@dataclass(frozen=True)
class Window:
    """The half-open interval (start, end] of publication times a day's digest covers."""

    start: dt.datetime
    end: dt.datetime

    @property
    def zone(self) -> dt.tzinfo:
        """The topic's zone, in which a time written without one is read."""
        return self.end.tzinfo or dt.UTC


def window_for(topic: Topic, day: dt.date) -> Window:
    """The window ends at the next midnight in the topic's time zone and spans window_hours."""
    end = dt.datetime.combine(
        day + dt.timedelta(days=1), dt.time(0), tzinfo=ZoneInfo(topic.schedule.timezone)
    )
    return Window(start=end - dt.timedelta(hours=topic.window_hours), end=end)


def published_at(article: Article, zone: dt.tzinfo = dt.UTC) -> dt.datetime | None:
    """The article's publication time, time zone aware; None when undated.

    A naive time is a wall-clock time whose zone neither the feed nor the page gave: it is read
    in `zone`, the topic's zone when there is a topic (UTC only to order articles without one).
    """
    published = article.published
    if published is not None and published.tzinfo is None:
        return published.replace(tzinfo=zone)
    return published


def published_timestamp(article: Article, undated: float) -> float:
    """The publication time as a POSIX timestamp (to sort by); `undated` for an undated article."""
    published = published_at(article)
    return undated if published is None else published.timestamp()


def in_window(article: Article, window: Window) -> bool:
    """Whether the article was published inside the window (naive times read in the topic's zone).

    An article whose date could not be established is not: an undated item in a feed is as likely
    last year's as today's, and a dated digest must not pass old news off as the day's.
    """
    published = published_at(article, window.zone)
    return published is not None and window.start < published <= window.end


def in_zone(article: Article, zone: dt.tzinfo) -> Article:
    """The article with a naive publication time read in `zone` (unchanged otherwise)."""
    published = published_at(article, zone)
    if published is article.published:
        return article
    return article.model_copy(update={"published": published})


def _windowed(articles: Sequence[Article], window: Window, topic: Topic) -> list[Article]:
    kept = []
    for article in articles:
        if article.published is None:
            # Left out, and said so: a reader of the log can see which outlets need a dated feed.
            logger.info("undated article left out", extra={"topic": topic.slug, "url": str(article.url)})
        elif in_window(article, window):
            kept.append(in_zone(article, window.zone))
    return kept


def gather_stories(
    topic: Topic,
    day: dt.date,
    sources: Sequence[ArticleSource],
    memory: StoryMemory | None = None,
    failed_sources: list[str] | None = None,
) -> StoryBundle:
    """The day's stories for a topic: windowed, deduplicated, clustered, screened, ranked and capped.

    With a memory (the story ledger), stories covered on earlier days are left out unless they
    bring new information; those come after the day's new stories, marked as updates. A source
    that raised is skipped and, given `failed_sources`, named there with its error.
    """
    collected = _collect(topic, day, sources, failed_sources)
    window = window_for(topic, day)
    recent = _windowed(collected, window, topic)
    pages = drop_aggregator_copies(drop_duplicate_urls(preferred_first(recent)))
    unique = drop_near_duplicates(preferred_first(most_recent(pages)))
    stories = rank_stories(build_stories(unique, ignore=topic_terms(topic)))
    screened = rank_stories(memory.screen(stories)) if memory is not None else stories
    capped = cap_articles(prefer_resolved(screened), topic.max_articles)
    logger.info(
        "stories gathered",
        extra={
            "topic": topic.slug,
            "date": day.isoformat(),
            "collected": len(collected),
            "undated": sum(article.published is None for article in collected),
            "in_window": len(recent),
            "unique": len(unique),
            "clustered": len(stories),
            "covered_before": len(stories) - len(screened),
            "updates": sum(story.is_update for story in screened),
            "stories": len(capped),
            "articles": sum(len(story.articles) for story in capped),
        },
    )
    return StoryBundle(topic=topic, date=day, stories=tuple(capped))


def usable_articles(bundle: StoryBundle) -> int:
    """Articles with something to summarize (their page text or at least a feed snippet)."""
    return sum(1 for story in bundle.stories for article in story.articles if article.body.strip())


def _collect(
    topic: Topic, day: dt.date, sources: Sequence[ArticleSource], failed: list[str] | None
) -> list[Article]:
    articles: list[Article] = []
    for source in sources:
        try:
            articles.extend(source.articles(topic, day))
        except Exception as exc:  # one failing source (an API outage) must not cost the other sources' news
            logger.exception("source failed", extra={"source": type(source).__name__, "topic": topic.slug})
            if failed is not None:
                failed.append(f"{type(source).__name__}: {str(exc)[:200] or type(exc).__name__}")
    return articles


# --- order and duplicates ----------------------------------------------------------------------


def preferred_first(articles: Iterable[Article]) -> list[Article]:
    """The articles in the order dedup and clustering keep them: the first of copies is kept, the
    first of a story names it."""
    return sorted(articles, key=_preference)


def _preference(article: Article) -> tuple[float, int, int, str]:
    # Earliest first (the original beats the repost), then the fuller text, then the plainer URL.
    return (
        published_timestamp(article, math.inf),
        -len(article.body),
        len(str(article.url)),
        str(article.url),
    )


def most_recent(articles: Sequence[Article], limit: int = MAX_ARTICLES_TO_CLUSTER) -> list[Article]:
    """The newest articles (undated ones count as new), so that a flood of news stays quick to cluster."""
    if len(articles) <= limit:
        return list(articles)
    logger.info("oldest articles left out", extra={"articles": len(articles), "kept": limit})
    return sorted(articles, key=lambda a: (-published_timestamp(a, math.inf), str(a.url)))[:limit]


def _headline_key(title: str) -> str:
    return "".join(char for char in normalize(title) if char.isalnum())


def drop_aggregator_copies(articles: Sequence[Article]) -> list[Article]:
    """Drop an aggregator's item (an unresolved Google News link) when the same headline is also
    here at the publisher's own address: the publisher's copy has the real link and the full text."""
    direct = {_headline_key(a.title) for a in articles if not is_aggregator_link(str(a.url))}
    kept = []
    for article in articles:
        if is_aggregator_link(str(article.url)) and _headline_key(article.title) in direct:
            logger.info("aggregator copy dropped", extra={"url": str(article.url), "title": article.title})
            continue
        kept.append(article)
    return kept


# --- ranking and selection ---------------------------------------------------------------------


def _latest(story: Story) -> float:
    return max(published_timestamp(article, -math.inf) for article in story.articles)


def rank_stories(stories: Iterable[Story]) -> list[Story]:
    """New stories before updates; then most-reported first, then most recent, then id (stable)."""
    return sorted(
        stories, key=lambda story: (story.is_update, -len(story.articles), -_latest(story), story.id)
    )


def is_unresolved(article: Article) -> bool:
    """An aggregator's item still at the aggregator's link: its headline and snippet, no page."""
    return article.unresolved or is_aggregator_link(str(article.url))


def prefer_resolved(stories: Sequence[Story]) -> list[Story]:
    """Unresolved items never take a full-text article's place: one is dropped from a story that
    another of its items (at the publisher's address) reports, and stories made only of them come
    after every other story, so they fill `max_articles` only when the others run out."""
    kept: list[Story] = []
    for story in stories:
        resolved = tuple(article for article in story.articles if not is_unresolved(article))
        if resolved and len(resolved) < len(story.articles):
            logger.info(
                "unresolved items dropped",
                extra={"story": story.id, "dropped": len(story.articles) - len(resolved)},
            )
            story = story.model_copy(update={"articles": resolved})
        kept.append(story)
    return sorted(kept, key=lambda story: all(is_unresolved(article) for article in story.articles))


def cap_articles(stories: Sequence[Story], limit: int) -> list[Story]:
    """At most `limit` articles: whole stories in rank order first, then leading parts of the rest."""
    room = limit
    kept: dict[int, int] = {}
    for index, story in enumerate(stories):
        if len(story.articles) <= room:
            kept[index] = len(story.articles)
            room -= len(story.articles)
    for index, story in enumerate(stories):
        if room <= 0:
            break
        if index not in kept:
            kept[index] = min(room, len(story.articles))
            room -= kept[index]
    return [
        story
        if kept[index] == len(story.articles)
        else story.model_copy(update={"articles": story.articles[: kept[index]]})
        for index, story in enumerate(stories)
        if index in kept
    ]
