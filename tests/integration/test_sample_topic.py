"""The bundled sample topic end to end through fetch and summarize, offline (samples/web)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest

from dailydigest.models.article import Article, StoryBundle
from dailydigest.models.digest import Digest
from dailydigest.models.topic import Topic
from dailydigest.news.gather import gather_stories
from dailydigest.news.text import cjk_ratio, normalize, split_sentences, tokens
from dailydigest.render.parse import parse_post
from dailydigest.render.post import render_post
from dailydigest.sources.feed import FeedSource
from dailydigest.summarize.extractive import ExtractiveSummarizer
from dailydigest.topics import load_topics
from dailydigest.web.mirror import MirrorWebClient
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.integration

DEMO_DATE = dt.date(2026, 11, 28)
OLD_ITEM = "https://qwen-blog.example/blog/community-roundup-november/"
REPOST = "https://aiweekly.example/news/2026/11/harborline-qwen-repost.html"
PRICE_CUT = "https://technews.example/2026/11/28/qwen-api-price-cut.html"


@pytest.fixture(scope="module")
def topic() -> Topic:
    return load_topics(REPO_ROOT / "samples" / "topics.yaml").get("qwen")


@pytest.fixture(scope="module")
def source() -> FeedSource:
    return FeedSource(MirrorWebClient(REPO_ROOT / "samples" / "web"))


@pytest.fixture(scope="module")
def fetched(topic: Topic, source: FeedSource) -> list[Article]:
    return source.articles(topic, DEMO_DATE)


@pytest.fixture(scope="module")
def bundle(topic: Topic, source: FeedSource) -> StoryBundle:
    return gather_stories(topic, DEMO_DATE, [source])


@pytest.fixture(scope="module")
def digest(topic: Topic, bundle: StoryBundle) -> Digest:
    return ExtractiveSummarizer().summarize(topic, DEMO_DATE, bundle.stories)


def _urls(bundle: StoryBundle) -> list[str]:
    return [str(article.url) for story in bundle.stories for article in story.articles]


def test_the_sample_topic_is_configured(topic: Topic) -> None:
    assert (topic.name, topic.locale, topic.max_articles, topic.window_hours) == ("QWEN", "zh-TW", 10, 48)
    assert topic.queries == ("Qwen", "通義千問")
    assert [str(feed) for feed in topic.feeds] == [
        "https://technews.example/feed.xml",
        "https://qwen-blog.example/atom.xml",
        "https://aiweekly.example/rss.xml",
    ]
    assert topic.schedule.cron == "cron(0 7 * * ? *)"
    assert topic.schedule.timezone == "Asia/Taipei"


def test_all_three_feeds_are_read(fetched: list[Article]) -> None:
    # 3 RSS items + 3 Atom entries + 7 aggregator items, before any filtering
    assert len(fetched) == 13
    assert Counter(article.feed for article in fetched) == {
        "https://technews.example/feed.xml": 3,
        "https://qwen-blog.example/atom.xml": 3,
        "https://aiweekly.example/rss.xml": 7,
    }


def test_pages_in_the_window_have_full_text(fetched: list[Article]) -> None:
    recent = [article for article in fetched if str(article.url) != OLD_ITEM]
    assert all(len(article.text) > len(article.summary) for article in recent)
    assert all("訂閱" not in article.text and "©" not in article.text for article in recent)


def test_stories_for_the_demo_date(bundle: StoryBundle) -> None:
    assert len(bundle.stories) == 6
    assert bundle.article_count == 10
    assert [len(story.articles) for story in bundle.stories] == [3, 2, 2, 1, 1, 1]


def test_reports_with_different_headlines_are_merged(bundle: StoryBundle) -> None:
    # The open-weight release: the official English post and two Chinese reports
    release = bundle.stories[0]
    assert {article.publisher for article in release.articles} == {"Qwen Blog", "科技新報站", "AI 週報"}
    assert len({article.title for article in release.articles}) == 3
    assert release.title == "Qwen4: Open Weights from 4B to 235B"
    # The long-context update and the price cut each come from two outlets
    pairs = {frozenset(a.publisher for a in story.articles) for story in bundle.stories[1:3]}
    assert pairs == {frozenset({"Qwen Blog", "科技新報站"}), frozenset({"市場觀測站", "科技新報站"})}


def test_duplicates_and_old_news_are_dropped(bundle: StoryBundle) -> None:
    urls = _urls(bundle)
    assert len(urls) == len(set(urls))
    assert OLD_ITEM not in urls
    assert REPOST not in urls
    assert PRICE_CUT in urls
    assert not any("utm_" in url for url in urls)


def test_the_extractive_digest_is_valid_and_cites_every_article(bundle: StoryBundle, digest: Digest) -> None:
    assert Digest.model_validate(digest.model_dump()) == digest
    assert digest.generator == "extractive"
    assert len(digest.sources) <= 10
    assert [source.id for source in digest.sources] == list(range(1, len(digest.sources) + 1))
    assert [str(source.url) for source in digest.sources] == _urls(bundle)
    assert len(digest.highlights) == len(bundle.stories)
    cited = sorted(i for highlight in digest.highlights for i in highlight.source_ids)
    assert cited == [source.id for source in digest.sources]
    assert "Qwen4" in digest.tags


# --- the extractive post a newcomer reads first (make demo) ------------------------------------------------

_POINTING_BACK = (
    "這是",
    "這些",
    "這項",
    "此舉",
    "該公司",
    "他們",
    "它",
    "然而",
    "不過",
    "相比之下",
    "This ",
    "It ",
)
_NEWSROOM = ("編輯部", "我們", "筆者", "本報", "小編")
_FOREIGN_EXCERPT = re.compile(r"^.+的英文報導摘錄：「.+」$")
_CREDITED = re.compile(r"^「(.+)」，[^，。]+指出。$")


def _body_sentences(digest: Digest) -> list[tuple[str, str]]:
    sections = [
        ("overview", digest.trend_overview),
        *((f"highlight {i}", h.body) for i, h in enumerate(digest.highlights, 1)),
        ("significance", digest.analysis.significance),
        ("comparison", digest.analysis.comparison),
        ("market impact", digest.analysis.market_impact),
        *((f"key point {i}", text) for i, text in enumerate(digest.key_points, 1)),
        *((f"developers {i}", text) for i, text in enumerate(digest.implications.developers, 1)),
        *((f"users {i}", text) for i, text in enumerate(digest.implications.users, 1)),
    ]
    return [(where, sentence) for where, text in sections for sentence in split_sentences(text)]


def _quote_of(sentence: str) -> str:
    credited = _CREDITED.match(sentence)
    return credited.group(1) if credited else sentence


def test_the_demo_post_quotes_no_sentence_twice(digest: Digest) -> None:
    seen: dict[str, str] = {}
    for where, sentence in _body_sentences(digest):
        key = normalize(_quote_of(sentence))
        assert key not in seen, f"{sentence!r} in {seen.get(key)} and {where}"
        seen[key] = where


def test_no_highlight_says_the_same_thing_twice(digest: Digest) -> None:
    figure = re.compile(r"(?<![\w.-])\d+\.\d+%?|(?<![\w.-])\d+%")
    for highlight in digest.highlights:
        sentences = split_sentences(highlight.body)
        for index, left in enumerate(sentences):
            for right in sentences[index + 1 :]:
                assert not set(figure.findall(left)) & set(figure.findall(right)), (left, right)
                shared = set(tokens(left)) & set(tokens(right))
                assert len(shared) < 0.6 * min(len(set(tokens(left))), len(set(tokens(right)))), (left, right)


def test_overview_and_highlights_are_written_in_the_topics_language(digest: Digest) -> None:
    for paragraph in [digest.trend_overview, *(h.body for h in digest.highlights)]:
        if _FOREIGN_EXCERPT.match(paragraph):
            continue  # one short excerpt of an English-only story, marked as such
        assert cjk_ratio(paragraph) >= 0.3, paragraph
    assert not any(_FOREIGN_EXCERPT.match(text) for text in [*digest.key_points, digest.trend_overview])
    english_only = [h for h in digest.highlights if h.headline.endswith("（英文報導）")]
    assert len(english_only) == 1 and _FOREIGN_EXCERPT.match(english_only[0].body)


def test_no_quote_leans_on_context_it_left_behind(digest: Digest) -> None:
    for where, sentence in [
        *_body_sentences(digest),
        *(("ai_summary", s) for s in split_sentences(digest.ai_summary)),
    ]:
        quote = _quote_of(sentence)
        subject = re.sub(r"^[^，。]{1,24}?(?:表示|指出|認為|分析)，", "", quote)
        assert not quote.startswith(_POINTING_BACK) and not subject.startswith(_POINTING_BACK), (
            where,
            sentence,
        )
        assert not any(word in re.sub(r"「[^」]*」", "", sentence) for word in _NEWSROOM), (where, sentence)


def test_analysis_is_credited_or_plainly_absent(digest: Digest) -> None:
    for paragraph in (
        digest.analysis.significance,
        digest.analysis.comparison,
        digest.analysis.market_impact,
    ):
        sentences = split_sentences(paragraph)
        if sentences == [sentences[0]] and sentences[0].startswith("今天的來源沒有"):
            continue
        assert all(_CREDITED.match(sentence) for sentence in sentences), paragraph


def test_the_demo_post_follows_the_post_format(digest: Digest) -> None:
    parsed = parse_post(render_post(digest))
    assert [h.headline for h in parsed.highlights] == [h.headline for h in digest.highlights]
