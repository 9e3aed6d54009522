"""Read and write patterns every stage shares, on top of the Store port."""

from __future__ import annotations

from enum import Enum
from typing import Final, Literal

from dailydigest.errors import NotFoundError
from dailydigest.models.article import StoryBundle
from dailydigest.ports import Store


class _Unread(Enum):
    UNREAD = "unread"


UNREAD: Final = _Unread.UNREAD
JSON: Final = "application/json"


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
