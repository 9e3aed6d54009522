"""Dedup additions: AMP cache and Google News links, aggregator copies, one story from three outlets."""

from __future__ import annotations

import datetime as dt

import pytest

from dailydigest.models.article import Article
from dailydigest.news.gather import (
    canonical_url,
    drop_aggregator_copies,
    drop_near_duplicates,
    gather_stories,
    preferred_first,
    usable_articles,
)
from tests.support.news_fixtures import (
    DAY,
    PRICE_CUT,
    RELEASE_EN,
    RELEASE_ZH_A,
    RELEASE_ZH_B,
    TAIPEI,
    ListSource,
    Report,
    topic,
)


def _article(
    url: str, report: Report | None = None, title: str = "", hour: int = 9, publisher: str = ""
) -> Article:
    return Article.model_validate(
        {
            "url": url,
            "title": report.title if report else title,
            "text": report.text if report else "",
            "summary": "" if report else title,
            "publisher": publisher,
            "published": dt.datetime.combine(DAY, dt.time(hour), tzinfo=TAIPEI),
        }
    )


@pytest.mark.parametrize(
    ("variant", "plain"),
    [
        (
            "https://www-news-example.cdn.ampproject.org/c/s/www.news.example/a/story.html",
            "https://news.example/a/story.html",
        ),
        (
            "https://news-example.cdn.ampproject.org/v/s/news.example/amp/a/story?amp_js_v=0.1",
            "https://news.example/a/story",
        ),
        (
            "https://news.google.com/rss/articles/CBMiSGh0dHBz?oc=5",
            "https://news.google.com/articles/CBMiSGh0dHBz?hl=zh-TW&gl=TW&ceid=TW:zh-Hant",
        ),
        (
            "https://news.google.com/read/CBMiSGh0dHBz?hl=en-US",
            "https://news.google.com/articles/CBMiSGh0dHBz",
        ),
    ],
)
def test_amp_cache_and_google_news_variants_share_a_canonical_url(variant: str, plain: str) -> None:
    assert canonical_url(variant) == canonical_url(plain)


def test_an_aggregator_item_gives_way_to_the_publishers_own_copy() -> None:
    google = _article("https://news.google.com/rss/articles/CBMiAU_yqLopaque", title=RELEASE_ZH_A.title)
    direct = _article("https://technews.example/2026/11/28/nimbus-3.html", RELEASE_ZH_A)
    other = _article(
        "https://news.google.com/rss/articles/CBMiAU_yqLother", title="另一則只在 Google 新聞的消息"
    )

    kept = drop_aggregator_copies([google, direct, other])

    assert [str(a.url) for a in kept] == [str(direct.url), str(other.url)]


def test_a_chinese_copy_with_light_edits_is_a_near_duplicate() -> None:
    original = _article("https://technews.example/nimbus-3.html", RELEASE_ZH_A, hour=9)
    edited = Report(
        RELEASE_ZH_A.title + "（轉載）",
        tuple(p.replace("週五", "本週五").replace("明顯進步", "大幅進步") for p in RELEASE_ZH_A.paragraphs),
    )
    repost = _article("https://aggregator.example/r/123", edited, hour=11)

    assert drop_near_duplicates(preferred_first([repost, original])) == [original]


def test_the_same_story_from_three_outlets_with_different_headlines_is_one_story() -> None:
    articles = [
        _article("https://lab.example/blog/nimbus-3", RELEASE_EN, hour=8, publisher="Nimbus Lab"),
        _article(
            "https://technews.example/2026/11/28/nimbus-3.html", RELEASE_ZH_A, hour=10, publisher="科技新報站"
        ),
        _article("https://aiweekly.example/n/nimbus-3-open.html", RELEASE_ZH_B, hour=12, publisher="AI 週報"),
        _article("https://market.example/nimbus-api-price.html", PRICE_CUT, hour=15, publisher="市場觀測站"),
    ]

    bundle = gather_stories(topic(), DAY, [ListSource(articles)])

    assert [len(story.articles) for story in bundle.stories] == [3, 1]
    release = bundle.stories[0]
    assert {a.publisher for a in release.articles} == {"Nimbus Lab", "科技新報站", "AI 週報"}
    assert release.title == RELEASE_EN.title  # the earliest report names the story
    assert usable_articles(bundle) == 4


def test_bare_headlines_are_not_usable_articles() -> None:
    published = dt.datetime(2026, 11, 28, 9, tzinfo=dt.UTC)
    bare = Article.model_validate({"url": "https://a.example/1", "title": "只有標題", "published": published})
    bundle = gather_stories(topic(), DAY, [ListSource([bare])])
    assert bundle.article_count == 1
    assert usable_articles(bundle) == 0
