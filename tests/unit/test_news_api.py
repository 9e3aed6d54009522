"""NewsAPI.org results into Articles: attribution always kept, unusable items skipped, the query bounded."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from dailydigest.sources.news_api import MAX_QUERY_CHARS, NewsApiSource, article_from_item
from tests.support.news_fixtures import topic

SEARCH = "https://newsapi.example/v2/everything?q=Nimbus"
ITEM: dict[str, Any] = {
    "source": {"id": None, "name": "Market Watch TW"},
    "title": "雲雀模型 API 降價四成",
    "description": "API 降價四成。",
    "url": "https://market.example/2026/11/28/price.html",
    "publishedAt": "2026-11-28T02:00:00Z",
}


def test_an_item_becomes_an_article_credited_to_its_outlet() -> None:
    article = article_from_item(ITEM, SEARCH)
    assert article is not None
    assert (article.title, article.publisher, article.summary, article.language) == (
        "雲雀模型 API 降價四成",
        "Market Watch TW",
        "API 降價四成。",
        "zh",
    )
    assert article.published == dt.datetime(2026, 11, 28, 2, tzinfo=dt.UTC)
    assert article.feed == SEARCH


@pytest.mark.parametrize("source", [{"id": None, "name": ""}, {"name": None}, None, "Market Watch"])
def test_an_item_without_an_outlet_name_is_credited_to_its_site(source: object) -> None:
    article = article_from_item({**ITEM, "source": source}, SEARCH)
    assert article is not None
    assert article.publisher == "market.example"


@pytest.mark.parametrize(
    "item",
    [
        pytest.param({**ITEM, "title": "[Removed]"}, id="removed"),
        pytest.param({**ITEM, "title": ""}, id="no-title"),
        pytest.param({**ITEM, "url": "javascript:alert(1)"}, id="not-a-web-link"),
        pytest.param({**ITEM, "url": None}, id="no-link"),
        pytest.param({**ITEM, "publishedAt": "yesterday"}, id="bad-date"),
        pytest.param(["not", "an", "object"], id="not-an-object"),
        pytest.param(None, id="null"),
    ],
)
def test_unusable_items_are_skipped(item: object) -> None:
    assert article_from_item(item, SEARCH) is None


def test_the_query_joins_the_topics_queries_within_the_apis_limit() -> None:
    many = topic(queries=["Nimbus", "雲雀模型", *(f"Nimbus variant {i:02d} " + "x" * 150 for i in range(10))])
    source = NewsApiSource(web=None, api_key="secret-key-123")  # type: ignore[arg-type] # no fetch here
    url = source.search_url(many, dt.date(2026, 11, 28))

    query = parse_qs(urlsplit(url).query)["q"][0]

    assert query.startswith('Nimbus OR 雲雀模型 OR "Nimbus variant 00 ')
    assert len(query) <= MAX_QUERY_CHARS
    assert "secret-key-123" not in url  # the key travels in a header only


def test_phrases_are_quoted_once() -> None:
    phrases = topic(queries=['"Nimbus Voice"', "Nimbus Lab", "雲雀模型"])
    url = NewsApiSource(web=None, api_key="k").search_url(phrases, dt.date(2026, 11, 28))  # type: ignore[arg-type]
    assert parse_qs(urlsplit(url).query)["q"] == ['"Nimbus Voice" OR "Nimbus Lab" OR 雲雀模型']
