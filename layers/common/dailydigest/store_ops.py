"""Read and write patterns every stage shares, on top of the Store port."""

from __future__ import annotations

from dailydigest.errors import NotFoundError
from dailydigest.ports import Store


def read_if_present(store: Store, key: str) -> bytes | None:
    """The bytes at key, or None: one request where `exists` then `get` would make two."""
    try:
        return store.get(key)
    except NotFoundError:
        return None


def write_if_changed(store: Store, key: str, data: bytes, content_type: str) -> bool:
    """Write key only when it is new or its bytes differ; True when something was written.

    Create-if-absent first, so two writers of a new key never overwrite each other's first copy;
    a rerun of deterministic output then reads, compares and writes nothing.
    """
    if store.create(key, data, content_type):
        return True
    if store.get(key) == data:
        return False
    store.put(key, data, content_type)
    return True
