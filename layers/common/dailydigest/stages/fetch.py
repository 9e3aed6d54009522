"""The fetch stage: gather a day's stories once per (topic, date), screened by the topic's memory,
and announce them. The memory records them only when their post is published (the render stage)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from dailydigest.errors import SourcesDownError
from dailydigest.models.article import StoryBundle
from dailydigest.models.events import ArticlesFetched, NoNews
from dailydigest.models.topic import Topic
from dailydigest.news.gather import gather_stories, is_unresolved, usable_articles
from dailydigest.news.ledger import LedgerMemory, load_ledger
from dailydigest.news.outage import FetchTally, outage_reasons
from dailydigest.ports import ArticleSource, Bus, Store
from dailydigest.store import keys
from dailydigest.store.ops import JSON, load_bundle, read_if_present


def fetch_stage(
    topic: Topic,
    day: dt.date,
    run_id: str,
    sources: Sequence[ArticleSource],
    store: Store,
    bus: Bus,
    tally: FetchTally | None = None,
) -> ArticlesFetched | NoNews:
    """Gather the day's stories, store them once, announce them.

    Stories published on earlier days are screened out by the topic's ledger (updates kept); the
    ledger is not written here, so a day whose summarize or render fails leaves its stories for
    the next day. Fewer usable articles than the topic's minimum is a NoNews outcome: announced,
    nothing stored. When every source failed, or nearly every request got no answer (`tally`
    counts them), the stage raises SourcesDownError with the reasons instead: an outage is not a
    quiet day.
    """
    key = keys.stories_key(topic.slug, day)
    stored = read_if_present(store, key)
    bundle = StoryBundle.model_validate_json(stored) if stored is not None else None
    if bundle is None:
        if tally is not None:
            tally.reset()
        failed_sources: list[str] = []
        memory = LedgerMemory(load_ledger(store, topic.slug), topic, day)
        bundle = gather_stories(topic, day, sources, memory, failed_sources)
        reasons = outage_reasons(len(sources), failed_sources, tally)
        if reasons:
            raise SourcesDownError("news sources are down: " + "; ".join(reasons))
        usable = usable_articles(bundle)
        if usable < topic.min_articles:
            no_news = NoNews(
                run_id=run_id, topic=topic.slug, date=day, article_count=usable, minimum=topic.min_articles
            )
            bus.publish(no_news)
            return no_news
        if not store.create(key, bundle.model_dump_json(indent=1).encode(), JSON):
            # Another delivery won the race: continue with what it stored.
            bundle = load_bundle(store, key)
    event = ArticlesFetched(
        run_id=run_id,
        topic=topic.slug,
        date=day,
        stories_key=key,
        article_count=bundle.article_count,
        story_count=len(bundle.stories),
        unresolved_count=sum(is_unresolved(a) for story in bundle.stories for a in story.articles),
    )
    bus.publish(event)
    return event
