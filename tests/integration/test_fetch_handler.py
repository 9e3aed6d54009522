"""The fetch handler: schedule payload, direct invoke and ad-hoc topic; bad input rejected before any
write; NoNews announced on the bus, where no rule in the template routes it anywhere."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from dailydigest.bus.local import LocalBus, LocalContext, load_handler
from dailydigest.errors import BadEventError, ConfigError, SourcesDownError
from dailydigest.models.events import ArticlesFetched, NoNews
from dailydigest.settings import FetchSettings, Settings
from dailydigest.sources.feed import FeedSource
from dailydigest.store.local import DirectoryStore
from dailydigest.web.mirror import MirrorWebClient
from dailydigest.wiring import Services, install
from tests.conftest import REPO_ROOT
from tests.fakes import RecordingBus

pytestmark = pytest.mark.integration

SAMPLE_FEEDS = [
    "https://technews.example/feed.xml",
    "https://qwen-blog.example/atom.xml",
    "https://aiweekly.example/rss.xml",
]


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    return tmp_path / "store"


@pytest.fixture
def bus() -> RecordingBus:
    return RecordingBus()


@pytest.fixture
def handler(store_dir: Path, bus: RecordingBus) -> Callable[[dict[str, Any]], dict[str, Any]]:
    settings = Settings(
        topics_file=REPO_ROOT / "samples" / "topics.yaml", template_file=REPO_ROOT / "template.yaml"
    )
    web = MirrorWebClient(REPO_ROOT / "samples" / "web")
    services = Services(settings, store=DirectoryStore(store_dir), bus=bus, sources=[FeedSource(web)])
    fetch = load_handler(REPO_ROOT / "functions" / "fetch", "app.lambda_handler", "FetchFunction")
    # The services go in as the handler's parameter, through the shared decorator stack; none installed.
    return lambda event: fetch(event, LocalContext("FetchFunction"), services=services)


def _stored(store_dir: Path, runs: bool = False) -> list[str]:
    """The store's keys (run records under runs/ only when asked for)."""
    keys = DirectoryStore(store_dir).list("")
    return keys if runs else [key for key in keys if not key.startswith("runs/")]


def test_a_direct_invoke_fetches_its_day(handler: Any, store_dir: Path, bus: RecordingBus) -> None:
    outcome = handler({"topic": "qwen", "date": "2026-11-28"})

    assert outcome["outcome"] == "fetched"
    assert (outcome["article_count"], outcome["story_count"]) == (10, 6)
    # The ledger is written once the post is published (render), not at fetch
    assert _stored(store_dir) == ["data/qwen/2026-11-28/stories.json"]
    assert [type(e) for e in bus.events] == [ArticlesFetched]


def test_the_schedule_payload_fetches_today_in_the_topic_time_zone(handler: Any, store_dir: Path) -> None:
    before = dt.datetime.now(ZoneInfo("Asia/Taipei")).date()
    outcome = handler({"topic": "qwen"})
    after = dt.datetime.now(ZoneInfo("Asia/Taipei")).date()

    assert outcome["date"] in (before.isoformat(), after.isoformat())  # a run may straddle midnight
    # The run is recorded under that day, whatever news the sample web has for it
    prefix = f"runs/qwen/{outcome['date']}/{outcome['run_id']}/fetch-"
    assert [key for key in _stored(store_dir, runs=True) if key.startswith(prefix)]


def test_an_ad_hoc_topic_is_fetched_under_its_own_slug(handler: Any, store_dir: Path) -> None:
    definition = {"slug": "qwen-adhoc", "name": "Qwen (ad hoc)", "feeds": SAMPLE_FEEDS, "max_articles": 5}

    outcome = handler({"topic_definition": definition, "date": "2026-11-28"})

    assert (outcome["outcome"], outcome["topic"], outcome["article_count"]) == ("fetched", "qwen-adhoc", 5)
    assert "data/qwen-adhoc/2026-11-28/stories.json" in _stored(store_dir)


def test_too_little_news_is_announced_and_nothing_is_stored(
    handler: Any, store_dir: Path, bus: RecordingBus
) -> None:
    definition = {"slug": "quiet", "feeds": SAMPLE_FEEDS, "min_articles": 50, "max_articles": 50}

    outcome = handler({"topic_definition": definition, "date": "2026-11-28"})

    assert outcome["outcome"] == "no_news"
    assert (outcome["article_count"], outcome["minimum"]) == (10, 50)  # 13 items: 1 too old, 2 copies
    assert [type(e) for e in bus.events] == [NoNews]
    # No stories and no ledger entry; only the run's own record, saying why
    [record] = _stored(store_dir, runs=True)
    assert record.startswith(f"runs/quiet/2026-11-28/{outcome['run_id']}/fetch-")
    assert '"outcome": "no_news"' in (store_dir / record).read_text()


@pytest.mark.parametrize(
    ("event", "error", "fragment"),
    [
        ({"topic": "qwen", "date": "2026-02-30"}, BadEventError, "date"),
        ({"topic": "qwen", "date": "3026-01-01"}, BadEventError, "future"),
        ({"topic": "QWEN"}, BadEventError, "topic"),
        ({"topic": "llama"}, ConfigError, "unknown topic"),
        ({"topic_definition": {"slug": "qwen", "queries": ["Qwen"]}}, BadEventError, "in the topics file"),
        (
            {"topic_definition": {"slug": "x", "feeds": ["http://169.254.169.254/"] * 21}},
            BadEventError,
            "at most 20",
        ),
        ({"topic": "qwen", "date": "2026-11-28", "force": True}, BadEventError, "Extra inputs"),
        (
            {"topic_definition": {"slug": "x", "feeds": SAMPLE_FEEDS, "min_articles": 9, "max_articles": 3}},
            BadEventError,
            "exceeds max_articles",
        ),
        ({"topic": "qwen", "date": "tomorrow"}, BadEventError, "YYYY-MM-DD"),
        (
            {"topic_definition": {"slug": "x", "queries": ["x"]}, "date": "2026-11-28", "run_id": "../.."},
            BadEventError,
            "run_id",
        ),
    ],
)
def test_bad_input_is_rejected_and_nothing_is_written(
    handler: Any,
    store_dir: Path,
    bus: RecordingBus,
    event: dict[str, Any],
    error: type[Exception],
    fragment: str,
) -> None:
    with pytest.raises(error, match=fragment):
        handler(event)
    assert _stored(store_dir, runs=True) == []
    assert bus.events == []


def test_tomorrow_where_the_topics_readers_are_is_refused_and_nothing_is_written(
    handler: Any, store_dir: Path, bus: RecordingBus
) -> None:
    tomorrow = dt.datetime.now(ZoneInfo("Asia/Taipei")).date() + dt.timedelta(days=1)

    with pytest.raises(BadEventError, match="future"):
        handler({"topic": "qwen", "date": tomorrow.isoformat()})

    assert _stored(store_dir, runs=True) == []
    assert bus.events == []


def test_no_rule_routes_no_news() -> None:
    bus = LocalBus(REPO_ROOT / "template.yaml")
    bus.publish(
        NoNews(
            run_id="20261128T000000Z-test0001",
            topic="qwen",
            date=dt.date(2026, 11, 28),
            article_count=1,
            minimum=2,
        )
    )

    [delivery] = bus.drain()

    assert delivery.envelope["detail-type"] == "NoNews"
    assert delivery.targets == ()


class _Unreachable:
    """A batch web client for which every host is down (connection refused)."""

    def get(self, url: str) -> Any:
        raise OSError("connection refused")

    def get_many(self, requests: Any) -> list[Any]:
        from dailydigest.ports import FetchFailure

        return [FetchFailure(r.url, "connect error: [Errno 111] Connection refused") for r in requests]

    def describe(self) -> str:
        return "unreachable"


def test_every_source_down_fails_the_run_records_why_and_counts_sources_down(
    store_dir: Path, bus: RecordingBus, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the network is down for every feed (and metrics are on, as in Lambda)
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")
    monkeypatch.setenv("POWERTOOLS_SERVICE_NAME", "dailydigest-fetch")
    settings = Settings(
        topics_file=REPO_ROOT / "topics.yaml",
        template_file=REPO_ROOT / "template.yaml",
        fetch=FetchSettings(google_news_url=None),
    )
    install(Services(settings, store=DirectoryStore(store_dir), bus=bus, web=_Unreachable()))
    fetch = load_handler(REPO_ROOT / "functions" / "fetch", "app.lambda_handler", "FetchFunction")
    try:
        # When the day is fetched
        with pytest.raises(SourcesDownError, match=r"(\d+) of \1 requests got no answer"):
            fetch({"topic": "qwen", "date": "2026-11-28"}, LocalContext("FetchFunction"))
    finally:
        install(None)
    # Then nothing was announced or stored, the run record says failed and why, and the metric fired
    assert bus.events == []
    [record] = _stored(store_dir, runs=True)
    saved = (store_dir / record).read_text()
    assert '"outcome": "failed"' in saved and "Connection refused" in saved
    emitted = capsys.readouterr().out
    assert '"SourcesDown"' in emitted
