"""Read and write patterns every stage shares, on top of the Store port."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from enum import Enum
from typing import Final, Literal

from dailydigest.errors import ConflictError, NotFoundError
from dailydigest.models.article import StoryBundle
from dailydigest.ports import Store


class _Unread(Enum):
    UNREAD = "unread"


UNREAD: Final = _Unread.UNREAD
JSON: Final = "application/json"
UPDATE_ATTEMPTS: Final = 8
"""Conditional writes tried before giving up: enough for a handful of writers of one key (a
parallel backfill, several topics rendering at once), each retry after a short random pause."""
_BACKOFF_SECONDS = 0.05

logger = logging.getLogger(__name__)


def read_if_present(store: Store, key: str) -> bytes | None:
    """The bytes at key, or None: one request where `exists` then `get` would make two."""
    try:
        return store.get(key)
    except NotFoundError:
        return None


def write_if_changed(
    store: Store,
    key: str,
    data: bytes,
    content_type: str,
    current: bytes | Literal[_Unread.UNREAD] | None = UNREAD,
) -> bool:
    """Write key only when it is new or its bytes differ; True when something was written.

    Read and compare first (pass `current` when the caller already read it): deterministic output
    that is already stored costs one read and no upload, where a refused conditional write would
    still send the whole body. A new key is created if absent, so two first writers never
    overwrite each other; a changed one (a replay with a new digest) is replaced.
    """
    if current is UNREAD:
        current = read_if_present(store, key)
    if current == data:
        return False
    if current is None:
        if store.create(key, data, content_type):
            return True
        if store.get(key) == data:  # another writer stored the same bytes first
            return False
    store.put(key, data, content_type)
    return True


def load_bundle(store: Store, key: str) -> StoryBundle:
    """The stories fetch stored at key."""
    return StoryBundle.model_validate_json(store.get(key))


Change = Callable[[bytes | None], bytes | None]
"""From the key's current bytes (None: absent) to the bytes to store (None: leave it as it is)."""


def update(
    store: Store,
    key: str,
    change: Change,
    content_type: str = JSON,
    attempts: int = UPDATE_ATTEMPTS,
    sleep: Callable[[float], None] = time.sleep,
) -> bool:
    """Read-modify-write `key` without losing another writer's update; True when something was written.

    Each attempt reads the key and its version, applies `change` to what is there now, and writes
    only if the key is still at that version (compare-and-swap). A writer that lost the race
    starts over from the winner's bytes, so both changes end up stored. `change` runs once per
    attempt: its result must depend only on the bytes it is given, and anything else it does
    (writing pages derived from them) must be safe to repeat. ConflictError after `attempts`
    losses in a row (more writers of one key than the retries can serve).
    """
    for attempt in range(1, attempts + 1):
        current = store.get_versioned(key)
        data, version = current if current is not None else (None, None)
        new = change(data)
        if new is None or new == data:
            return False
        if store.put_if(key, new, content_type, version):
            return True
        logger.info("conditional write lost a race, retrying", extra={"key": key, "attempt": attempt})
        # Full jitter: writers that collided do not collide again in lockstep.
        sleep(random.uniform(0, _BACKOFF_SECONDS * 2**attempt))  # noqa: S311 -- not cryptographic
    raise ConflictError(f"{key} kept changing under {attempts} attempts to update it; try again")
