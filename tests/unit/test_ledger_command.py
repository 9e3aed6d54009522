"""`dailydigest ledger TOPIC`: the memory listed, and a story forgotten."""

from __future__ import annotations

from pathlib import Path

import pytest

from dailydigest.cli import build_parser
from dailydigest.errors import BadInput
from dailydigest.news.ledger import load_ledger, remember_published
from dailydigest.store.local import DirectoryStore
from tests.support.memory_days import D1, D2, ITEMS, memory_topic


def run(*argv: str) -> int:
    """The command as `main` runs it, without reconfiguring the process's logging."""
    args = build_parser().parse_args(["ledger", *argv])
    code: int = args.handler(args)
    return code


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DirectoryStore:
    # Given two published days remembered in a directory store
    from dailydigest.models.article import StoryBundle
    from dailydigest.news.gather import build_stories

    root = tmp_path / "store"
    monkeypatch.setenv("DIGEST_STORE", str(root))
    store = DirectoryStore(root)
    for day, items in ((D1, ITEMS[:4]), (D2, ITEMS[6:8])):
        articles = [item.article() for item in items]
        bundle = StoryBundle(topic=memory_topic(), date=day, stories=tuple(build_stories(articles)))
        remember_published(store, bundle, [str(a.url) for a in articles])
    return store


def test_the_memory_is_listed_story_by_story(
    store: DirectoryStore, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("nimbus", "--sources") == 0
    out = capsys.readouterr().out.splitlines()

    assert out[0].split() == ["story", "first", "day", "last", "update", "days", "sources", "title"]
    keys = [entry.key for entry in load_ledger(store, "nimbus").entries]
    assert all(any(line.startswith(key) for line in out) for key in keys)
    assert any(line.strip() == "https://lab.example/blog/nimbus-3" for line in out)


def test_a_story_is_forgotten_by_its_id(store: DirectoryStore, capsys: pytest.CaptureFixture[str]) -> None:
    first = load_ledger(store, "nimbus").entries[0]

    assert run("nimbus", "--forget", first.key) == 0

    assert "forgot" in capsys.readouterr().out
    assert first.key not in [entry.key for entry in load_ledger(store, "nimbus").entries]


def test_forgetting_an_unknown_story_is_one_clear_error(
    store: DirectoryStore, capsys: pytest.CaptureFixture[str]
) -> None:
    before = store.get("ledger/nimbus.json")
    with pytest.raises(BadInput, match="no story 'no-such-story' in the memory of 'nimbus'"):
        run("nimbus", "--forget", "no-such-story")
    assert store.get("ledger/nimbus.json") == before


def test_an_empty_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DIGEST_STORE", str(tmp_path / "store"))
    assert run("nimbus") == 0
    assert capsys.readouterr().out == "nothing remembered for nimbus\n"
