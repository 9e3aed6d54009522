"""store.ops.update: read-modify-write by compare-and-swap, retried when another writer won."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dailydigest.errors import ConflictError
from dailydigest.store.local import DirectoryStore
from dailydigest.store.ops import update
from tests.fakes import MemoryStore
from tests.support.racing import append_item as _append
from tests.support.racing import race


def test_update_creates_then_changes_and_skips_a_no_op() -> None:
    store = MemoryStore()
    assert update(store, "k", _append("a")) is True
    assert update(store, "k", _append("b")) is True
    assert update(store, "k", _append("b")) is False  # same bytes: nothing written
    assert update(store, "k", lambda current: None) is False
    assert json.loads(store.get("k")) == ["a", "b"] and store.writes == ["k", "k"]


class _AlwaysLoses(MemoryStore):
    """A store where another writer changes the key between every read and write."""

    def put_if(self, key: str, data: bytes, content_type: str, version: str | None) -> bool:
        self.blobs[key] = self.blobs.get(key, b"") + b"!"
        return False


def test_update_gives_up_with_a_clear_error_when_it_keeps_losing() -> None:
    store = _AlwaysLoses()
    pauses: list[float] = []
    with pytest.raises(ConflictError, match="kept changing under 3 attempts"):
        update(
            store,
            "ledger/qwen.json",
            lambda current: (current or b"") + b"x",
            attempts=3,
            sleep=pauses.append,
        )
    assert len(pauses) == 3 and all(pause >= 0 for pause in pauses)


def test_a_lost_race_is_retried_on_the_winners_bytes() -> None:
    # Given a writer that reads, then loses once to another writer
    store = MemoryStore({"k": b'["a"]'})
    seen: list[bytes | None] = []

    def change(current: bytes | None) -> bytes:
        seen.append(current)
        if len(seen) == 1:
            store.blobs["k"] = b'["a", "other"]'  # the other writer lands meanwhile
        return _append("mine")(current)

    # When it updates
    assert update(store, "k", change, sleep=lambda _: None) is True

    # Then the second attempt started from the other writer's bytes, and both are kept
    assert seen == [b'["a"]', b'["a", "other"]']
    assert json.loads(store.get("k")) == ["a", "mine", "other"]


@pytest.mark.parametrize("writers", [2, 8])
def test_threads_racing_on_the_directory_store_lose_nothing(tmp_path: Path, writers: int) -> None:
    store = DirectoryStore(tmp_path / "store")
    race(store, "ledger/qwen.json", writers)
    assert json.loads(store.get("ledger/qwen.json")) == [f"day-{n:02d}" for n in range(writers)]
    assert store.list("") == ["ledger/qwen.json"]


def test_threads_racing_on_the_memory_store_lose_nothing() -> None:
    store = MemoryStore()
    race(store, "k", 8)
    assert len(json.loads(store.get("k"))) == 8
