"""The three stages. Each is idempotent on (topic, date): outputs are created once and reused,
so an at-least-once bus delivering twice produces no second artifact and no second commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from dailydigest import keys
from dailydigest.domain.gather import gather_stories, usable_articles
from dailydigest.domain.ledger import LedgerMemory, load_ledger, record, save_ledger
from dailydigest.models.article import StoryBundle
from dailydigest.models.digest import Digest
from dailydigest.models.events import ArticlesFetched, DigestWritten, NoNews, PostPublished
from dailydigest.models.topic import Topic
from dailydigest.ports import ArticleSource, Bus, PostFiles, Publisher, Store, Summarizer
from dailydigest.store_ops import read_if_present, write_if_changed

JSON = "application/json"


def fetch_stage(
    topic: Topic,
    day: dt.date,
    run_id: str,
    sources: Sequence[ArticleSource],
    store: Store,
    bus: Bus,
) -> ArticlesFetched | NoNews:
    """Gather the day's stories, store them once, remember them in the ledger, announce them.

    Stories covered on earlier days are screened out by the topic's ledger (updates kept). Fewer
    usable articles than the topic's minimum is a NoNews outcome: announced, nothing stored.
    """
    key = keys.stories_key(topic.slug, day)
    stored = read_if_present(store, key)
    bundle = StoryBundle.model_validate_json(stored) if stored is not None else None
    ledger = load_ledger(store, topic.slug)
    if bundle is None:
        bundle = gather_stories(topic, day, sources, LedgerMemory(ledger, topic, day))
        usable = usable_articles(bundle)
        if usable < topic.min_articles:
            no_news = NoNews(
                run_id=run_id, topic=topic.slug, date=day, article_count=usable, minimum=topic.min_articles
            )
            bus.publish(no_news)
            return no_news
        if not store.create(key, bundle.model_dump_json(indent=1).encode(), JSON):
            # Another delivery won the race: continue with what it stored.
            bundle = _load_bundle(store, key)
    # After the stories exist, and again on a repeated delivery until it is done: idempotent.
    if not ledger.recorded(day, bundle.stories):
        save_ledger(store, record(ledger, topic, day, bundle.stories))
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


@dataclass(frozen=True)
class Summarized:
    """The announced event and the digest it points at (so callers need not read it back)."""

    event: DigestWritten
    digest: Digest


def summarize_stage(
    fetched: ArticlesFetched,
    store: Store,
    summarizer: Summarizer,
    bus: Bus,
) -> Summarized:
    key = keys.digest_key(fetched.topic, fetched.date)
    stored = read_if_present(store, key)
    if stored is not None:
        digest = Digest.model_validate_json(stored)
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
    return Summarized(event, digest)


Renderer = Callable[[Digest], tuple[str, bytes]]
DEFAULT_COMMIT_MESSAGE = "{name} daily digest for {date}"
# Updates the browsable archive with a published post; returns the archive URL of its page.
Archiver = Callable[[Digest, str, bytes, str], str]


def render_stage(
    written: DigestWritten,
    store: Store,
    render: Renderer,
    publisher: Publisher,
    bus: Bus,
    archive: Archiver | None = None,
    commit_message: str = DEFAULT_COMMIT_MESSAGE,
) -> PostPublished:
    digest = Digest.model_validate_json(store.get(written.digest_key))
    post_text, image_png = render(digest)
    post_key = keys.post_key(written.topic, written.date)
    image_key = keys.image_key(written.topic, written.date)
    # Deterministic output: a rerun writes nothing, a replay with a new digest replaces the old.
    write_if_changed(store, post_key, post_text.encode(), "text/markdown; charset=utf-8")
    write_if_changed(store, image_key, image_png, "image/png")
    files = PostFiles(
        post_path=keys.post_path(written.topic, written.date),
        post_text=post_text,
        image_path=keys.image_path(written.topic, written.date),
        image_png=image_png,
        message=commit_message.format(
            name=digest.display_name, topic=written.topic, date=written.date.isoformat()
        ),
    )
    result = publisher.publish(files)
    # After the commit: the archive links to the published post and never lists an unpublished one.
    archive_url = archive(digest, post_text, image_png, result.location) if archive else ""
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
        archive_url=archive_url,
    )
    bus.publish(event)
    return event


def _load_bundle(store: Store, key: str) -> StoryBundle:
    return StoryBundle.model_validate_json(store.get(key))
