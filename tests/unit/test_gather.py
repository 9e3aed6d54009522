"""gather_stories and its parts: window, canonical URLs, near duplicates, clustering, cap."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from dailydigest.models.article import Article, Story
from dailydigest.models.topic import Topic
from dailydigest.news.gather import (
    canonical_url,
    cap_articles,
    clean_url,
    drop_duplicate_urls,
    drop_near_duplicates,
    gather_stories,
    in_window,
    most_recent,
    preferred_first,
    window_for,
)
from dailydigest.news.text import jaccard, shingles, split_sentences, tokens
from tests.support.news_fixtures import DAY, TAIPEI, ListSource

UTC = dt.UTC
# The window for DAY in Asia/Taipei: (2026-11-27 00:00, 2026-11-29 00:00] local time.
WINDOW_END = dt.datetime(2026, 11, 28, 16, 0, tzinfo=UTC)


def _topic(**overrides: object) -> Topic:
    fields: dict[str, object] = {"slug": "qwen", "name": "QWEN", "queries": ["Qwen", "通義千問"]}
    return Topic.model_validate({**fields, **overrides})


def _article(
    url: str,
    title: str = "Qwen 消息",
    published: dt.datetime | None = dt.datetime(2026, 11, 28, 10, 0, tzinfo=TAIPEI),
    text: str = "",
    publisher: str = "",
) -> Article:
    return Article.model_validate(
        {"url": url, "title": title, "published": published, "text": text, "publisher": publisher}
    )


class BrokenSource:
    def articles(self, topic: Topic, day: dt.date) -> list[Article]:
        raise RuntimeError("news API is down")


# --- window ----------------------------------------------------------------------------------------


def test_window_ends_at_the_next_local_midnight() -> None:
    window = window_for(_topic(), DAY)
    assert window.end == WINDOW_END
    assert window.end - window.start == dt.timedelta(hours=48)


def test_window_follows_the_topic_time_zone_and_length() -> None:
    topic = _topic(window_hours=24, schedule={"timezone": "America/New_York"})
    window = window_for(topic, DAY)
    assert window.end == dt.datetime(2026, 11, 29, 5, 0, tzinfo=UTC)
    assert window.start == dt.datetime(2026, 11, 28, 5, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("published", "kept"),
    [
        (WINDOW_END, True),
        (WINDOW_END + dt.timedelta(seconds=1), False),
        (WINDOW_END - dt.timedelta(hours=48), False),
        (WINDOW_END - dt.timedelta(hours=48) + dt.timedelta(seconds=1), True),
        (dt.datetime(2026, 11, 27, 0, 30, tzinfo=TAIPEI), True),
        (dt.datetime(2026, 11, 26, 23, 59, tzinfo=TAIPEI), False),
        (dt.datetime(2026, 11, 20, 17, 0, tzinfo=TAIPEI), False),
        # Naive: read in the topic's zone (Asia/Taipei), never as UTC.
        (dt.datetime(2026, 11, 28, 17, 0), True),  # the afternoon of the day (as UTC: after the window)
        (dt.datetime(2026, 11, 26, 23, 30), False),  # the night before the window (as UTC: inside it)
        (dt.datetime(2026, 11, 28, 23, 59), True),
        (None, False),  # undated: left out
    ],
)
def test_window_filter(published: dt.datetime | None, kept: bool) -> None:
    assert in_window(_article("https://a.example/x", published=published), window_for(_topic(), DAY)) is kept


def test_gather_drops_articles_outside_the_window() -> None:
    old = _article(
        "https://a.example/old", title="上週的 Qwen 舊聞", published=dt.datetime(2026, 11, 20, tzinfo=UTC)
    )
    new = _article("https://a.example/new", title="今天的 Qwen 新聞")

    bundle = gather_stories(_topic(), DAY, [ListSource([old, new])])

    assert [str(a.url) for s in bundle.stories for a in s.articles] == ["https://a.example/new"]
    assert bundle.topic.slug == "qwen"
    assert bundle.date == DAY


# --- URLs ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variant", "plain"),
    [
        (
            "https://news.example/a/story.html?utm_source=rss&utm_medium=feed",
            "https://news.example/a/story.html",
        ),
        ("https://news.example/a/story.html?fbclid=IwAR0abc", "https://news.example/a/story.html"),
        ("https://news.example/a/story.html?gclid=xyz&id=7", "https://news.example/a/story.html?id=7"),
        ("https://news.example/a/story.html?id=7&ref=twitter", "https://news.example/a/story.html?id=7"),
        ("https://news.example/a/story.html#comments", "https://news.example/a/story.html"),
        ("https://news.example/a/story/", "https://news.example/a/story"),
        ("http://news.example/a/story", "https://news.example/a/story"),
        ("https://www.news.example/a/story", "https://news.example/a/story"),
        ("https://m.news.example/a/story", "https://news.example/a/story"),
        ("https://mobile.news.example/a/story", "https://news.example/a/story"),
        ("https://amp.news.example/a/story", "https://news.example/a/story"),
        ("https://news.example/a/story?UTM_Source=x&mc_cid=1&_hsenc=2", "https://news.example/a/story"),
        ("https://NEWS.example:443/a/story", "https://news.example/a/story"),
        ("https://news.example/a/story/amp/", "https://news.example/a/story"),
        ("https://news.example/amp/a/story", "https://news.example/a/story"),
        ("https://news.example/a/story.html?amp=1", "https://news.example/a/story.html"),
        ("https://news.example/a/story.amp.html", "https://news.example/a/story.html"),
        ("https://news.example/a/story?outputType=amp", "https://news.example/a/story"),
        ("https://news.example/list?page=2&cat=ai", "https://news.example/list?cat=ai&page=2"),
    ],
)
def test_tracking_and_mobile_variants_share_a_canonical_url(variant: str, plain: str) -> None:
    assert canonical_url(variant) == canonical_url(plain)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("https://news.example/a/story-1", "https://news.example/a/story-2"),
        ("https://news.example/item?id=1", "https://news.example/item?id=2"),
        ("https://news.example/a", "https://other.example/a"),
        ("https://news.example:8443/a", "https://news.example/a"),
        ("https://news.example/a/story?output=json", "https://news.example/a/story"),
    ],
)
def test_different_pages_keep_different_canonical_urls(left: str, right: str) -> None:
    assert canonical_url(left) != canonical_url(right)


@pytest.mark.parametrize(
    ("url", "cleaned"),
    [
        # Only tracking is removed: the host and meaningful parameters stay, so the link still works.
        ("https://m.news.example/item?id=7&utm_campaign=x#top", "https://m.news.example/item?id=7"),
        # What is kept is kept as written, never re-encoded.
        ("https://news.example/article.php?12345&utm_source=rss", "https://news.example/article.php?12345"),
        ("https://news.example/s?q=a+b&x=1;y=2&fbclid=z", "https://news.example/s?q=a+b&x=1;y=2"),
        (
            "https://news.example/s?q=%E9%9B%B2%E9%9B%80&ref=home",
            "https://news.example/s?q=%E9%9B%B2%E9%9B%80",
        ),
        ("https://news.example/a?output=amp&output=json", "https://news.example/a?output=json"),
        ("https://news.example", "https://news.example/"),
    ],
)
def test_clean_url_keeps_a_working_link(url: str, cleaned: str) -> None:
    assert clean_url(url) == cleaned


def test_url_duplicates_keep_the_earliest_copy_without_tracking() -> None:
    original = _article(
        "https://news.example/a.html", title="原始標題", published=dt.datetime(2026, 11, 28, 1, tzinfo=UTC)
    )
    tracked = _article(
        "https://news.example/a.html?utm_source=aggregator",
        title="轉貼的標題",
        published=dt.datetime(2026, 11, 28, 3, tzinfo=UTC),
    )

    kept = drop_duplicate_urls(preferred_first([tracked, original]))

    assert [(a.title, str(a.url)) for a in kept] == [("原始標題", "https://news.example/a.html")]


def test_a_tracking_only_copy_is_kept_with_a_clean_url() -> None:
    kept = drop_duplicate_urls([_article("https://news.example/a.html?utm_source=x&id=3")])
    assert str(kept[0].url) == "https://news.example/a.html?id=3"


# --- near duplicates -------------------------------------------------------------------------------

CHINESE_WIRE = (
    "通義千問團隊今天宣布推出新的語音模型，能在一般手機上即時轉寫台灣華語與台語，錯誤率比上一版降低兩成。"
    "團隊表示，模型已經開放下載，企業可以免費商用，並提供完整的微調教學。"
    "多家客服業者已開始測試，預計明年第一季導入正式環境。"
)
ENGLISH_WIRE = (
    "The Qwen team released a speech model that transcribes Mandarin and Taiwanese in real time on a phone. "
    "The team says the error rate is a fifth lower than the previous version, "
    "and the weights are free to use. "
    "Several call-center vendors have started testing it and plan to move to production next quarter."
)


@pytest.mark.parametrize(
    ("original", "copy"),
    [
        pytest.param(
            CHINESE_WIRE,
            CHINESE_WIRE.replace("今天宣布推出", "宣布推出").replace("已經開放", "已開放")
            + "（本文經授權轉載）",
            id="chinese",
        ),
        pytest.param(
            ENGLISH_WIRE,
            "Reprinted with permission. " + ENGLISH_WIRE.replace("Several", "A number of"),
            id="english",
        ),
    ],
)
def test_near_duplicate_text_is_dropped(original: str, copy: str) -> None:
    # Given the same wire story on two sites, lightly edited, and an unrelated story
    first = _article(
        "https://a.example/1",
        title="語音模型",
        published=dt.datetime(2026, 11, 28, 1, tzinfo=UTC),
        text=original,
    )
    repost = _article(
        "https://b.example/1", title="轉載", published=dt.datetime(2026, 11, 28, 5, tzinfo=UTC), text=copy
    )
    other = _article(
        "https://c.example/9",
        title="Other",
        text="阿里雲調降 API 價格，輸入 token 單價下修四成，自下月起生效。",
    )

    # When near duplicates are dropped
    kept = drop_near_duplicates(preferred_first([repost, other, first]))

    # Then the earlier original survives and the unrelated story is untouched
    assert sorted(str(a.url) for a in kept) == ["https://a.example/1", "https://c.example/9"]


def test_reports_in_their_own_words_are_not_near_duplicates() -> None:
    left, right = shingles(STORY_X[0][2]), shingles(STORY_X[1][2])
    assert jaccard(left, right) < 0.3


# --- clustering ------------------------------------------------------------------------------------

# (url, title, text): one event from three outlets with different headlines, Chinese and English.
STORY_X = [
    (
        "https://technews.example/2026/11/28/qwen-vl5.html",
        "Qwen-VL 5 登場，文件辨識 DocVQA 拿下 96.2 分",
        "通義千問團隊今天發布視覺語言模型 Qwen-VL 5，在文件理解評測 DocVQA 取得 96.2 分，"
        "並能直接讀取手寫表格與發票。"
        "新模型支援 4K 解析度的圖片輸入，影片理解長度延長到兩小時。官方同步開放 7B 與 72B 兩種尺寸的權重。",
    ),
    (
        "https://aiweekly.example/news/qwen-vl5-invoices.html",
        "看得懂手寫發票！阿里推出新一代視覺模型",
        "阿里巴巴旗下通義千問發表第五代視覺語言模型 Qwen-VL 5，官方公布 DocVQA 成績為 96.2 分，"
        "手寫表格與發票的辨識能力大幅提升。"
        "這款模型可以處理 4K 圖片與長達兩小時的影片，7B 版本可在單張顯示卡上執行。",
    ),
    (
        "https://devdaily.example/posts/qwen-vl-5.html",
        "Alibaba's Qwen-VL 5 reads handwritten invoices and scores 96.2 on DocVQA",
        "The Qwen team released Qwen-VL 5, a vision-language model that scores 96.2 on DocVQA and reads "
        "handwritten tables and invoices. It accepts 4K images and videos up to two hours long, "
        "and the 7B and 72B weights are open.",
    ),
]
STORY_Y = (
    "https://marketwatch.example/qwen-api-price.html",
    "通義千問 API 調降價格三成",
    "阿里雲宣布通義千問 API 自下月起調降三成價格，每百萬 token 的輸入費用降至 0.4 美元，"
    "企業客戶的預付方案同步調整。"
    "市場人士認為，雲端業者的價格戰將延續到明年。",
)
STORY_Z = (
    "https://devdaily.example/posts/kestrel-qwen-agent.html",
    "Kestrel IDE ships a Qwen coding agent",
    "Kestrel IDE 5.2 adds a coding agent that runs on the Qwen API or a local model, edits files across a "
    "repository and runs the test suite in a sandbox before proposing a change.",
)


def _reported(rows: list[tuple[str, str, str]], start_hour: int = 1) -> list[Article]:
    return [
        _article(url, title=title, text=text, published=dt.datetime(2026, 11, 28, start_hour + i, tzinfo=UTC))
        for i, (url, title, text) in enumerate(rows)
    ]


def test_one_event_from_three_outlets_is_one_story() -> None:
    # Given three reports of one release (two Chinese, one English) and two unrelated Qwen stories
    articles = _reported([STORY_Z, *STORY_X, STORY_Y])

    # When the day's stories are gathered
    bundle = gather_stories(_topic(), DAY, [ListSource(articles)])

    # Then the release is one story of three articles, ranked first, the others stand alone
    assert [len(story.articles) for story in bundle.stories] == [3, 1, 1]
    release = bundle.stories[0]
    assert {str(a.url) for a in release.articles} == {url for url, _, _ in STORY_X}
    # The story is titled after its earliest report, which comes first
    assert release.title == STORY_X[0][1]
    assert str(release.articles[0].url) == STORY_X[0][0]


def test_stories_rank_by_size_then_recency() -> None:
    articles = _reported([STORY_Y]) + _reported([STORY_Z], start_hour=9) + _reported(STORY_X[:2])

    bundle = gather_stories(_topic(), DAY, [ListSource(articles)])

    assert [story.title for story in bundle.stories] == [STORY_X[0][1], STORY_Z[1], STORY_Y[1]]


def test_story_ids_are_short_stable_slugs() -> None:
    articles = _reported([*STORY_X, STORY_Y, STORY_Z])

    first = gather_stories(_topic(), DAY, [ListSource(articles)])
    again = gather_stories(_topic(), DAY, [ListSource(list(reversed(articles)))])

    ids = [story.id for story in first.stories]
    assert ids == [story.id for story in again.stories]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[a-z0-9-]{1,64}", story_id) for story_id in ids)
    assert ids[0].startswith("qwen-vl-5-")


def test_a_failing_source_does_not_cost_the_others() -> None:
    bundle = gather_stories(_topic(), DAY, [BrokenSource(), ListSource(_reported([STORY_Y]))])
    assert [story.title for story in bundle.stories] == [STORY_Y[1]]


def test_no_articles_make_an_empty_bundle() -> None:
    assert gather_stories(_topic(), DAY, [ListSource([])]).stories == ()


# --- cap -------------------------------------------------------------------------------------------


def _story(name: str, size: int) -> Story:
    articles = tuple(_article(f"https://{name}.example/{i}", title=f"{name} {i}") for i in range(size))
    return Story(id=name, title=name, articles=articles)


@pytest.mark.parametrize(
    ("sizes", "limit", "kept"),
    [
        ([3, 2, 1, 1], 10, [("a", 3), ("b", 2), ("c", 1), ("d", 1)]),
        ([3, 2, 1, 1], 5, [("a", 3), ("b", 2)]),
        ([3, 2, 1, 1], 4, [("a", 3), ("c", 1)]),  # whole stories first: b does not fit, c does
        ([3, 3], 4, [("a", 3), ("b", 1)]),  # then the leading articles of the rest fill the room
        ([3, 2, 2], 1, [("a", 1)]),
    ],
)
def test_cap_keeps_whole_stories_first(sizes: list[int], limit: int, kept: list[tuple[str, int]]) -> None:
    stories = [_story(name, size) for name, size in zip("abcd", sizes, strict=False)]

    capped = cap_articles(stories, limit)

    assert [(story.id, len(story.articles)) for story in capped] == kept
    assert sum(len(story.articles) for story in capped) <= limit


def test_gather_caps_at_max_articles() -> None:
    articles = _reported([*STORY_X, STORY_Y, STORY_Z])

    bundle = gather_stories(_topic(max_articles=4), DAY, [ListSource(articles)])

    assert bundle.article_count == 4
    assert [len(story.articles) for story in bundle.stories] == [3, 1]


def test_a_flood_of_reports_of_one_story_stays_within_the_limits() -> None:
    # Given 120 outlets reporting one release under the same headline, each with its own short note
    url, title, _ = STORY_X[0]
    flood = [_article(f"{url}?id={i}", title=title, text=f"編號 {i * 7919} 的讀者來信。") for i in range(120)]

    bundle = gather_stories(_topic(max_articles=50), DAY, [ListSource(flood)])

    # Then they form one story, held to the model's and the topic's limits
    assert [len(story.articles) for story in bundle.stories] == [50]


def test_most_recent_keeps_the_newest_and_the_undated() -> None:
    dated = [
        _article(f"https://a.example/{h}", published=dt.datetime(2026, 11, 28, h, tzinfo=UTC))
        for h in range(5)
    ]
    undated = _article("https://a.example/undated", published=None)

    kept = most_recent([*dated, undated], limit=3)

    assert [str(a.url) for a in kept] == [
        "https://a.example/undated",
        "https://a.example/4",
        "https://a.example/3",
    ]


# --- text helpers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("第一句。第二句！第三句？", ["第一句。", "第二句！", "第三句？"]),
        ("他說：「這是突破。」接著離開。", ["他說：「這是突破。」", "接著離開。"]),
        (
            "Qwen3.5 is out. It runs on e.g. laptops. Done",
            ["Qwen3.5 is out.", "It runs on e.g. laptops.", "Done"],
        ),
        ("Dr. Lin spoke. 價格下修 0.32 美元。", ["Dr. Lin spoke.", "價格下修 0.32 美元。"]),
        ("第一段。\n\nSecond paragraph.", ["第一段。", "Second paragraph."]),
    ],
)
def test_split_sentences(text: str, sentences: list[str]) -> None:
    assert split_sentences(text) == sentences


def test_tokens_are_cjk_bigrams_and_latin_words() -> None:
    assert tokens("Qwen4 模型降價 Tokens") == ["qwen4", "模型", "型降", "降價", "token"]
