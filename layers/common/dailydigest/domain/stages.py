"""The three stages. Each is idempotent on (topic, date): outputs are created once and reused,
so an at-least-once bus delivering twice produces no second artifact and no second commit."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from dailydigest import keys
from dailydigest.domain.gather import gather_stories
from dailydigest.models.article import StoryBundle
from dailydigest.models.digest import Digest
from dailydigest.models.events import ArticlesFetched, DigestWritten, PostPublished
from dailydigest.models.topic import Topic
from dailydigest.ports import ArticleSource, Bus, PostFiles, Publisher, Store, Summarizer

log = logging.getLogger(__name__)

JSON = "application/json"


@dataclass(frozen=True)
class NoNews:
    """Fetch found too little to write about: no event, no post."""

    run_id: str
    topic: str
    date: dt.date
    article_count: int
    minimum: int


def fetch_stage(
    topic: Topic,
    day: dt.date,
    run_id: str,
    sources: Sequence[ArticleSource],
    store: Store,
    bus: Bus,
) -> ArticlesFetched | NoNews:
    key = keys.stories_key(topic.slug, day)
    bundle = _load_bundle(store, key) if store.exists(key) else None
    if bundle is None:
        bundle = gather_stories(topic, day, sources)
        if bundle.article_count < topic.min_articles:
            log.warning("no news", extra={"topic": topic.slug, "articles": bundle.article_count})
            return NoNews(run_id, topic.slug, day, bundle.article_count, topic.min_articles)
        if not store.create(key, bundle.model_dump_json(indent=1).encode(), JSON):
            # Another delivery won the race: continue with what it stored.
            bundle = _load_bundle(store, key)
    event = ArticlesFetched(
        run_id=run_id,
        topic=topic.slug,
        date=day,
        stories_key=key,
        article_count=bundle.article_count,
        story_count=len(bundle.stories),
    )
    bus.publish(event)
    return event


def summarize_stage(
    fetched: ArticlesFetched,
    store: Store,
    summarizer: Summarizer,
    bus: Bus,
) -> DigestWritten:
    key = keys.digest_key(fetched.topic, fetched.date)
    if store.exists(key):
        digest = Digest.model_validate_json(store.get(key))
    else:
        bundle = _load_bundle(store, fetched.stories_key)
        digest = summarizer.summarize(bundle.topic, fetched.date, bundle.stories)
        if not store.create(key, digest.model_dump_json(indent=1).encode(), JSON):
            digest = Digest.model_validate_json(store.get(key))
    event = DigestWritten(
        run_id=fetched.run_id,
        topic=fetched.topic,
        date=fetched.date,
        digest_key=key,
        generator=digest.generator,
    )
    bus.publish(event)
    return event


Renderer = Callable[[Digest], tuple[str, bytes]]


def render_stage(
    written: DigestWritten,
    store: Store,
    render: Renderer,
    publisher: Publisher,
    bus: Bus,
) -> PostPublished:
    digest = Digest.model_validate_json(store.get(written.digest_key))
    post_text, image_png = render(digest)
    post_key = keys.post_key(written.topic, written.date)
    image_key = keys.image_key(written.topic, written.date)
    # Rendering is deterministic, so an existing artifact already holds these bytes.
    store.create(post_key, post_text.encode(), "text/markdown; charset=utf-8")
    store.create(image_key, image_png, "image/png")
    files = PostFiles(
        post_path=keys.post_path(written.topic, written.date),
        post_text=post_text,
        image_path=keys.image_path(written.topic, written.date),
        image_png=image_png,
        message=f"{digest.display_name} daily digest for {written.date.isoformat()}",
    )
    result = publisher.publish(files)
    event = PostPublished(
        run_id=written.run_id,
        topic=written.topic,
        date=written.date,
        post_path=files.post_path,
        image_path=files.image_path,
        post_key=post_key,
        image_key=image_key,
        commit_sha=result.commit_sha,
        changed=result.changed,
        location=result.location,
    )
    bus.publish(event)
    return event


def _load_bundle(store: Store, key: str) -> StoryBundle:
    return StoryBundle.model_validate_json(store.get(key))
