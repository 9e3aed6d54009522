"""The render stage: the post and its image rendered, stored, published in one commit, archived,
then announced. Deterministic output: a rerun writes nothing and makes no second commit."""

from __future__ import annotations

import logging
from collections.abc import Callable

from dailydigest.models.article import StoryBundle
from dailydigest.models.digest import Digest
from dailydigest.models.events import DigestWritten, PostPublished
from dailydigest.news.ledger import remember_published
from dailydigest.ports import Bus, PostFiles, Publisher, Store
from dailydigest.settings import PublishSettings
from dailydigest.store import keys
from dailydigest.store.ops import read_if_present, write_if_changed
from dailydigest.store.placement import place_post

logger = logging.getLogger(__name__)

Renderer = Callable[[Digest], tuple[str, bytes]]
DEFAULT_COMMIT_MESSAGE = PublishSettings().commit_message
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
    post_path: str = keys.DEFAULT_POST_PATH,
) -> PostPublished:
    digest = Digest.model_validate_json(store.get(written.digest_key))
    post_text, image_png = render(digest)
    post_key = keys.post_key(written.topic, written.date)
    image_key = keys.image_key(written.topic, written.date)
    # Before the post artifact is written: a day already placed keeps its post where it is.
    repo_path = place_post(store, written.topic, written.date, post_path)
    # Deterministic output: a rerun writes nothing, a replay with a new digest replaces the old.
    write_if_changed(store, post_key, post_text.encode(), "text/markdown; charset=utf-8")
    write_if_changed(store, image_key, image_png, "image/png")
    files = PostFiles(
        post_path=repo_path,
        post_text=post_text,
        image_path=keys.image_path(written.topic, written.date),
        image_png=image_png,
        message=commit_message.format(
            name=digest.display_name, topic=written.topic, date=written.date.isoformat()
        ),
    )
    result = publisher.publish(files)
    # Published: now its stories count as covered (a day that failed before this stays news).
    remember_coverage(store, digest)
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


def remember_coverage(store: Store, digest: Digest) -> None:
    """Record the published post's stories (those of its sources) in the topic's ledger."""
    stored = read_if_present(store, keys.stories_key(digest.topic, digest.date))
    if stored is None:  # a digest replayed without its day's stories: nothing to remember it by
        logger.warning("no stories stored for the post, ledger unchanged", extra={"topic": digest.topic})
        return
    bundle = StoryBundle.model_validate_json(stored)
    remember_published(store, bundle, [str(source.url) for source in digest.sources])
