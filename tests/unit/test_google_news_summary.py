"""The run's summary counts the Google News items that stayed at Google's link."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from dailydigest.commands.run import report_deliveries
from dailydigest.models.article import Article
from dailydigest.models.events import ArticlesFetched
from dailydigest.stages.fetch import fetch_stage
from tests.fakes import MemoryStore, RecordingBus
from tests.support.news_fixtures import DAY, ListSource, topic


def _delivery(event: ArticlesFetched) -> SimpleNamespace:
    envelope = {"detail-type": ArticlesFetched.DETAIL_TYPE, "detail": event.model_dump(mode="json")}
    return SimpleNamespace(envelope=envelope)


@pytest.mark.parametrize(
    ("unresolved", "printed"), [(0, ""), (2, " (2 unresolved Google News links, headline only)")]
)
def test_the_run_report_says_how_many_links_stayed_at_google(
    capsys: pytest.CaptureFixture[str], unresolved: int, printed: str
) -> None:
    event = ArticlesFetched(
        run_id="20261128T000000Z-0000abcd",
        topic="nimbus",
        date=DAY,
        stories_key="data/nimbus/2026-11-28/stories.json",
        article_count=6,
        story_count=3,
        unresolved_count=unresolved,
    )
    report_deliveries([_delivery(event)])
    assert capsys.readouterr().out.splitlines()[0] == (
        f"  fetched    6 articles in 3 stories{printed} -> data/nimbus/2026-11-28/stories.json"
    )


def test_the_fetch_event_counts_unresolved_items_in_the_stories() -> None:
    published = dt.datetime(2026, 11, 28, 2, tzinfo=dt.UTC)
    kept = Article.model_validate(
        {"url": "https://news.google.com/rss/articles/CBMiabcdefgh", "title": "雲雀模型 API 降價四成",
         "summary": "雲雀模型 API 降價四成", "published": published, "unresolved": True}
    )  # fmt: skip
    full = Article.model_validate(
        {"url": "https://technews.example/a.html", "title": "Nimbus 3 開源", "text": "全文。" * 50,
         "published": published}
    )  # fmt: skip
    bus = RecordingBus()

    event = fetch_stage(topic(min_articles=1), DAY, "20261128T000000Z-0000abcd", [ListSource([kept, full])],
                        MemoryStore(), bus)  # fmt: skip

    assert isinstance(event, ArticlesFetched)
    assert (event.article_count, event.unresolved_count) == (2, 1)
