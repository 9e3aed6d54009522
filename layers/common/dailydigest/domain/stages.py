"""The summarize and render stages (fetch is in domain/fetching.py, so these handlers never load
the gathering code). Each stage is idempotent on (topic, date): outputs are created once and reused,
so an at-least-once bus delivering twice produces no second artifact and no second commit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dailydigest import keys
from dailydigest.models.article import StoryBundle
from dailydigest.models.digest import Digest
from dailydigest.models.events import ArticlesFetched, DigestWritten, PostPublished
from dailydigest.ports import Bus, PostFiles, Publisher, Store, Summarizer
from dailydigest.store_ops import read_if_present, write_if_changed

JSON = "application/json"


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
        bundle = load_bundle(store, fetched.stories_key)
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


def load_bundle(store: Store, key: str) -> StoryBundle:
    return StoryBundle.model_validate_json(store.get(key))
