from __future__ import annotations

import pytest

from dailydigest.settings import Settings
from dailydigest.store.ops import read_if_present, write_if_changed
from dailydigest.wiring import Services
from tests.fakes import MemoryStore


def test_read_if_present() -> None:
    store = MemoryStore({"a": b"1"})
    assert read_if_present(store, "a") == b"1"
    assert read_if_present(store, "b") is None


def test_write_if_changed_writes_new_and_changed_bytes_only() -> None:
    store = MemoryStore()
    assert write_if_changed(store, "k", b"v1", "text/plain") is True
    assert write_if_changed(store, "k", b"v1", "text/plain") is False
    assert write_if_changed(store, "k", b"v2", "text/plain") is True
    assert store.get("k") == b"v2" and store.writes == ["k", "k"]


def test_overrides_fill_services_and_unknown_names_are_refused() -> None:
    store = MemoryStore()
    assert Services(Settings(), store=store).store is store
    with pytest.raises(TypeError, match="stroe"):
        Services(Settings(), stroe=store)  # type: ignore[call-arg]
