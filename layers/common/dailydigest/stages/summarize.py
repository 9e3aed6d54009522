"""The summarize stage: one digest per (topic, date), created once and reused, then announced.

Idempotent: an at-least-once bus delivering twice produces no second digest."""

from __future__ import annotations

from dataclasses import dataclass

from dailydigest.models.digest import Digest
from dailydigest.models.events import ArticlesFetched, DigestWritten
from dailydigest.ports import Bus, Store, Summarizer
from dailydigest.store import keys
from dailydigest.store.ops import JSON, load_bundle, read_if_present


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
