from __future__ import annotations

from pathlib import Path

import pytest

from dailydigest.errors import ConfigError, NotFoundError
from dailydigest.store.local import DirectoryStore


def test_create_if_absent_never_overwrites(tmp_path: Path) -> None:
    store = DirectoryStore(tmp_path)
    # Given a key created once
    assert store.create("data/qwen/2026-11-28/stories.json", b"first", "application/json") is True
    # When another run tries to create it again
    created = store.create("data/qwen/2026-11-28/stories.json", b"second", "application/json")
    # Then nothing is overwritten and no temp file is left behind
    assert created is False
    assert store.get("data/qwen/2026-11-28/stories.json") == b"first"
    assert store.list("data/") == ["data/qwen/2026-11-28/stories.json"]


def test_put_replaces_and_list_filters_by_prefix(tmp_path: Path) -> None:
    store = DirectoryStore(tmp_path)
    store.put("a/1", b"x", "text/plain")
    store.put("a/1", b"y", "text/plain")
    store.put("b/2", b"z", "text/plain")
    assert store.get("a/1") == b"y"
    assert store.list("a/") == ["a/1"]
    assert store.exists("b/2") and not store.exists("b/3")


def test_missing_key_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="not in the store"):
        DirectoryStore(tmp_path).get("nope")


def test_list_on_missing_root_is_empty(tmp_path: Path) -> None:
    assert DirectoryStore(tmp_path / "absent").list("") == []


@pytest.mark.parametrize("key", ["", "/etc/passwd", "../outside", "a/../../b", "a//b", "a\\b", "./a"])
def test_keys_cannot_escape_the_root(tmp_path: Path, key: str) -> None:
    with pytest.raises(ConfigError, match="invalid store key"):
        DirectoryStore(tmp_path / "store").put(key, b"x", "text/plain")
    assert not (tmp_path / "outside").exists()


def test_put_if_swaps_only_from_the_version_read(tmp_path: Path) -> None:
    store = DirectoryStore(tmp_path)
    # Given a key created conditionally and read with its version
    assert store.put_if("ledger/qwen.json", b"v1", "application/json", None) is True
    assert store.put_if("ledger/qwen.json", b"again", "application/json", None) is False
    data, version = store.get_versioned("ledger/qwen.json") or (b"", "")
    assert data == b"v1"
    # When one writer swaps it, a second writer holding the same version loses
    assert store.put_if("ledger/qwen.json", b"v2", "application/json", version) is True
    assert store.put_if("ledger/qwen.json", b"v3", "application/json", version) is False
    # Then the winner's bytes stay, and no lock or temp file shows as a key
    assert store.get("ledger/qwen.json") == b"v2"
    assert store.list("") == ["ledger/qwen.json"]
    assert store.get_versioned("ledger/absent.json") is None


def test_put_if_on_a_key_deleted_meanwhile_writes_nothing(tmp_path: Path) -> None:
    store = DirectoryStore(tmp_path)
    store.put("k", b"v1", "text/plain")
    _, version = store.get_versioned("k") or (b"", "")
    (tmp_path / "k").unlink()
    assert store.put_if("k", b"v2", "text/plain", version) is False
    assert not store.exists("k")
