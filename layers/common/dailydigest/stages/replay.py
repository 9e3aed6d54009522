"""Replay: write a day's digest again from its stored stories (a new prompt or model), and
announce it only when the digest changed, so render publishes only real changes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dailydigest.errors import NotFoundError
from dailydigest.models.digest import Digest
from dailydigest.models.events import DigestWritten
from dailydigest.ports import Bus, Store, Summarizer
from dailydigest.store import keys
from dailydigest.store.ops import JSON, load_bundle, read_if_present

# Bookkeeping that differs between two writes of the same content.
VOLATILE_FIELDS = {"usage", "cached", "fallback_reason"}


@dataclass(frozen=True)
class ReplayOutcome:
    changed: bool
    digest_key: str
    event: DigestWritten | None


def replay_stage(
    topic: str, day: dt.date, run_id: str, store: Store, summarizer: Summarizer, bus: Bus
) -> ReplayOutcome:
    stories_key = keys.stories_key(topic, day)
    digest_key = keys.digest_key(topic, day)
    try:
        bundle = load_bundle(store, stories_key)
    except NotFoundError:
        raise NotFoundError(
            f"nothing to replay: no stored stories for {topic} on {day.isoformat()}"
        ) from None
    fresh = summarizer.summarize(bundle.topic, day, bundle.stories)
    stored = read_if_present(store, digest_key)
    previous = Digest.model_validate_json(stored) if stored is not None else None
    if previous is not None and _content(previous) == _content(fresh):
        return ReplayOutcome(changed=False, digest_key=digest_key, event=None)
    store.put(digest_key, fresh.model_dump_json(indent=1).encode(), JSON)
    event = DigestWritten(
        run_id=run_id, topic=topic, date=day, digest_key=digest_key, generator=fresh.generator
    )
    bus.publish(event)
    return ReplayOutcome(changed=True, digest_key=digest_key, event=event)


def _content(digest: Digest) -> dict[str, object]:
    return digest.model_dump(mode="json", exclude=VOLATILE_FIELDS & set(Digest.model_fields))
