"""The extractive summarizer: every field filled, only with the articles' own sentences."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator

import pytest

from dailydigest.errors import DigestError
from dailydigest.models.article import Article, Story
from dailydigest.models.digest import Digest
from dailydigest.models.topic import Topic
from dailydigest.news.text import contains_any, is_cjk, split_sentences
from dailydigest.ports import Summarizer
from dailydigest.summarize.extractive import ExtractiveSummarizer
from dailydigest.summarize.extractive.cues import (
    COMPARISON_CUES,
    DEVELOPER_CUES,
    MARKET_CUES,
    SIGNIFICANCE_CUES,
    USER_CUES,
)
from dailydigest.summarize.extractive.sentences import stands_alone
from dailydigest.summarize.extractive.tags import title_tags
from tests.conftest import REPO_ROOT

DAY = dt.date(2026, 11, 28)


def _article(url: str, title: str, text: str, publisher: str, hour: int) -> Article:
    return Article.model_validate(
        {
            "url": url,
            "title": title,
            "text": text,
            "publisher": publisher,
            "published": dt.datetime(2026, 11, 28, hour, tzinfo=dt.UTC),
        }
    )


VISION = Story(
    id="qwen-vl-5-0a1b2c3d4e",
    title="Qwen-VL 5 登場，文件辨識拿下 96.2 分",
    articles=(
        _article(
            "https://technews.example/qwen-vl5.html",
            "Qwen-VL 5 登場，文件辨識拿下 96.2 分",
            "通義千問團隊今天發布視覺語言模型 Qwen-VL 5，在文件理解評測 DocVQA 取得 96.2 分。\n"
            "新模型可以直接讀取手寫表格與發票，支援 4K 解析度的圖片輸入。\n"
            "相較於上一代，Qwen-VL 5 的影片理解長度從三十分鐘延長到兩小時。\n"
            "這是 Qwen 首度在文件理解評測上超越主要的封閉模型，對開源社群意義重大。\n"
            "對開發者來說，7B 版本可以在單張顯示卡上微調，官方也在 GitHub 提供範例程式。\n"
            "團隊表示，訓練資料加入了大量繁體中文的表單與收據，在地化的辨識錯誤明顯減少。\n"
            "72B 版本則透過雲端 API 提供，企業可以先用免費額度測試。",
            "科技新報站",
            1,
        ),
        _article(
            "https://devdaily.example/qwen-vl-5.html",
            "Qwen-VL 5 reads handwritten invoices",
            "The Qwen team released Qwen-VL 5, a vision-language model that reads handwritten invoices. "
            "It scores 96.2 on DocVQA, which is higher than the previous release by four points. "
            "For users, the practical change is that phone apps can scan receipts "
            "without sending them to the cloud. "
            "The release notes list twelve languages for handwriting, including traditional Chinese. "
            "Both sizes ship with a license that allows commercial use.",
            "DevDaily",
            3,
        ),
    ),
)
PRICES = Story(
    id="api-5f6e7d8c9b",
    title="通義千問 API 調降價格三成",
    articles=(
        _article(
            "https://marketwatch.example/qwen-api-price.html",
            "通義千問 API 調降價格三成",
            "阿里雲宣布通義千問 API 自下月起調降三成價格，每百萬 token 的輸入費用降至 0.4 美元。\n"
            "市場人士認為，雲端 AI 的價格戰將延續到明年，中小企業的導入成本可望明顯下降。\n"
            "相比之下，美系雲端業者同級模型的牌價仍高出一倍以上。\n"
            "對一般使用者而言，內建 AI 功能的 App 可能因此降價或推出更多免費方案。\n"
            "阿里雲表示，降價來自推論效率的提升與自研晶片的導入。\n"
            "新價格適用於所有區域，既有的預付方案將自動套用新費率。",
            "市場觀測站",
            2,
        ),
    ),
)
TOOLS = Story(
    id="kestrel-1a2b3c4d5e",
    title="Kestrel IDE ships a Qwen coding agent",
    articles=(
        _article(
            "https://devdaily.example/kestrel-qwen-agent.html",
            "Kestrel IDE ships a Qwen coding agent",
            "Kestrel IDE 5.2 adds a coding agent that runs on the Qwen API or a local model. "
            "The agent edits files across a repository and runs the test suite in a sandbox. "
            "Developers can install the extension from GitHub and point it at their own server. "
            "Compared with plugin assistants, the agent reads the build configuration "
            "before it edits anything. "
            "In a week of testing, the agent fixed seven of ten failing tests without help. "
            "The extension is free and released under the MIT license. "
            "Reviewers call it a significant step for open-source editors.",
            "DevDaily",
            4,
        ),
    ),
)
STORIES = (VISION, PRICES, TOOLS)


def _topic(locale: str = "zh-TW") -> Topic:
    return Topic.model_validate(
        {"slug": "qwen", "name": "QWEN", "locale": locale, "queries": ["Qwen", "通義千問"]}
    )


@pytest.fixture
def digest() -> Digest:
    return ExtractiveSummarizer().summarize(_topic(), DAY, STORIES)


def _articles(stories: tuple[Story, ...] = STORIES) -> list[Article]:
    return [article for story in stories for article in story.articles]


def _quoted(sentence: str, articles: list[Article]) -> bool:
    return any(sentence in article.body or sentence in article.title for article in articles)


_ATTRIBUTED = re.compile(r"^「(?P<quote>.+)」，(?P<outlet>[^，。]+)指出。$")
_EXCERPT = re.compile(r"^(?P<outlet>.+)的(?P<language>英文|中文)報導摘錄：「(?P<quote>.+)」$")
_OVERVIEW = re.compile(r"^今天共有 \d+ 件 QWEN 新聞事件，焦點包括(?P<titles>.+)。$")
_NOTHING = re.compile(r"^今天的來源沒有(?:針對.+提出分析|特別談到對.+的影響)。$")


def _quotes(text: str) -> Iterator[str]:
    """The article text a digest paragraph quotes, without the few words the digest adds around it
    (credit to an outlet, the mark of a foreign excerpt, the overview's opening, the plain statement
    that the sources offered nothing)."""
    for sentence in split_sentences(text):
        if _NOTHING.match(sentence):
            continue
        if attributed := _ATTRIBUTED.match(sentence):
            yield attributed["quote"].replace("『", "「").replace("』", "」")
        elif excerpt := _EXCERPT.match(text):
            yield excerpt["quote"].rstrip("…")
            return
        elif overview := _OVERVIEW.match(sentence):
            yield from (
                t.removesuffix("（英文報導）") for t in re.findall(r"「([^」]+)」", overview["titles"])
            )
        else:
            yield sentence


def _section_texts(digest: Digest) -> Iterator[tuple[str, str]]:
    yield "trend_overview", digest.trend_overview
    yield "ai_summary", digest.ai_summary
    yield "significance", digest.analysis.significance
    yield "comparison", digest.analysis.comparison
    yield "market_impact", digest.analysis.market_impact
    for index, highlight in enumerate(digest.highlights):
        yield f"highlight {index}", highlight.body
    for index, point in enumerate(digest.key_points):
        yield f"key point {index}", point
    for index, paragraph in enumerate(digest.implications.developers):
        yield f"developers {index}", paragraph
    for index, paragraph in enumerate(digest.implications.users):
        yield f"users {index}", paragraph


def test_it_is_a_summarizer_named_extractive() -> None:
    summarizer: Summarizer = ExtractiveSummarizer()
    assert summarizer.name == "extractive"


def test_every_field_is_filled(digest: Digest) -> None:
    assert digest.topic == "qwen"
    assert digest.display_name == "QWEN"
    assert digest.date == DAY
    assert digest.locale == "zh-TW"
    assert digest.generator == "extractive"
    assert digest.model == ""
    assert len(digest.highlights) == len(STORIES)
    assert all(text.strip() for _, text in _section_texts(digest))
    assert 1 <= len(digest.key_points) <= 7
    assert digest.implications.developers
    assert digest.implications.users
    assert 1 <= len(digest.tags) <= 5


def test_highlights_follow_the_stories_and_cite_their_articles(digest: Digest) -> None:
    # A story reported only in another language keeps its headline, marked with its language.
    assert [h.headline for h in digest.highlights] == [
        VISION.title,
        PRICES.title,
        f"{TOOLS.title}（英文報導）",
    ]
    assert [h.source_ids for h in digest.highlights] == [(1, 2), (3,), (4,)]


def test_sources_list_every_article_in_story_order(digest: Digest) -> None:
    assert [(s.id, str(s.url), s.title, s.publisher) for s in digest.sources] == [
        (i, str(a.url), a.title, a.publisher) for i, a in enumerate(_articles(), start=1)
    ]


def test_each_highlight_quotes_its_own_story(digest: Digest) -> None:
    for highlight, story in zip(digest.highlights[:2], STORIES, strict=False):
        sentences = split_sentences(highlight.body)
        assert 2 <= len(sentences) <= 3
        for sentence in sentences:
            assert _quoted(sentence, list(story.articles)), sentence
    # The English-only story gives one short excerpt, marked with its language and outlet.
    (excerpt,) = _quotes(digest.highlights[2].body)
    assert digest.highlights[2].body.startswith("DevDaily的英文報導摘錄：「")
    assert _quoted(excerpt, list(TOOLS.articles)) and len(excerpt) <= 161


def test_every_section_quotes_the_articles(digest: Digest) -> None:
    for section, text in _section_texts(digest):
        for sentence in _quotes(text):
            assert _quoted(sentence, _articles()), f"{section}: {sentence}"


def test_no_sentence_is_repeated_across_sections(digest: Digest) -> None:
    seen: dict[str, str] = {}
    for section, text in _section_texts(digest):
        if section == "ai_summary":
            continue  # the teaser restates what the post says first (below)
        for sentence in _quotes(text):
            assert sentence not in seen, f"{sentence!r} in {seen.get(sentence)} and {section}"
            seen[sentence] = section


def test_the_teaser_is_the_leads_of_the_first_highlights(digest: Digest) -> None:
    leads = [split_sentences(h.body)[0] for h in digest.highlights[:3]]
    assert digest.ai_summary == "".join(leads)


@pytest.mark.parametrize(
    ("section", "cues"),
    [
        (lambda d: [d.analysis.significance], SIGNIFICANCE_CUES),
        (lambda d: [d.analysis.comparison], COMPARISON_CUES),
        (lambda d: [d.analysis.market_impact], MARKET_CUES),
        (lambda d: list(d.implications.developers), DEVELOPER_CUES),
        (lambda d: list(d.implications.users), USER_CUES),
    ],
    ids=["significance", "comparison", "market_impact", "developers", "users"],
)
def test_cued_sections_quote_sentences_with_their_cues(
    digest: Digest, section: Callable[[Digest], list[str]], cues: tuple[str, ...]
) -> None:
    # The fixture has enough cue sentences that no section needs its fallback.
    for paragraph in section(digest):
        for sentence in _quotes(paragraph):
            assert contains_any(sentence, cues), sentence


def test_tags_are_shared_title_terms_without_the_topic_name(digest: Digest) -> None:
    assert "Qwen-VL" in digest.tags
    assert all(tag.casefold() not in ("qwen", "通義千問", "ai") for tag in digest.tags)


@pytest.mark.parametrize(
    ("titles", "tags"),
    [
        (["Qwen4-Plus 降價", "Qwen4-Plus 長文本", "Kestrel adds Qwen"], ("Qwen4-Plus",)),
        (["開源模型大躍進", "開源模型的下一步", "雲端價格戰"], ("開源模型",)),
        (["token 降價", "token 長度"], ()),  # a plain word is not a tag
        (["通義千問新功能", "通義千問降價"], ()),  # the topic itself is not a tag
        ([], ()),
    ],
)
def test_title_tags(titles: list[str], tags: tuple[str, ...]) -> None:
    assert title_tags(titles, _topic()) == tags


def test_output_is_deterministic(digest: Digest) -> None:
    again = ExtractiveSummarizer().summarize(_topic(), DAY, STORIES)
    assert again == digest


def test_output_does_not_depend_on_hash_seeds() -> None:
    # Set iteration order changes with PYTHONHASHSEED; the digest must not.
    script = textwrap.dedent(
        """
        from tests.unit.test_extractive import DAY, STORIES, _topic
        from dailydigest.summarize.extractive import ExtractiveSummarizer
        print(ExtractiveSummarizer().summarize(_topic(), DAY, STORIES).model_dump_json())
        """
    )
    outputs = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", script], cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=True
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1
    assert json.loads(outputs.pop())["generator"] == "extractive"


@pytest.mark.parametrize(
    ("locale", "opening"),
    [("zh-TW", "通義千問團隊今天發布視覺語言模型"), ("en", "The Qwen team released Qwen-VL 5")],
)
def test_sentences_in_the_digest_language_come_first(locale: str, opening: str) -> None:
    # Given a story reported in Chinese and in English
    digest = ExtractiveSummarizer().summarize(_topic(locale), DAY, (VISION, TOOLS))

    # Then its highlight opens with the lead written in the digest's language
    assert digest.locale == locale
    assert digest.highlights[0].body.startswith(opening)
    if locale == "en":
        assert not any(is_cjk(char) for char in digest.highlights[1].body)


def test_a_title_only_article_still_gets_a_highlight() -> None:
    bare = Article.model_validate({"url": "https://news.example/x", "title": "Qwen 釋出新版本"})
    story = Story(id="bare", title="Qwen 釋出新版本", articles=(bare,))

    digest = ExtractiveSummarizer().summarize(_topic(), DAY, (story,))

    assert digest.highlights[0].body == "Qwen 釋出新版本"
    assert digest.sources[0].title == "Qwen 釋出新版本"


def test_highlights_stop_at_twenty_but_every_article_is_a_source() -> None:
    stories = tuple(
        Story(
            id=f"s{i}",
            title=f"第 {i} 則 Qwen 消息",
            articles=(
                Article.model_validate(
                    {
                        "url": f"https://news.example/{i}",
                        "title": f"第 {i} 則 Qwen 消息",
                        "text": f"第 {i} 則消息的內文，說明模型更新的細節。",
                    }
                ),
            ),
        )
        for i in range(25)
    )

    digest = ExtractiveSummarizer().summarize(_topic(), DAY, stories)

    assert len(digest.highlights) == 20
    assert len(digest.sources) == 25


def test_no_stories_is_an_error() -> None:
    with pytest.raises(DigestError, match="no stories"):
        ExtractiveSummarizer().summarize(_topic(), DAY, ())


@pytest.mark.parametrize(
    ("locale", "expected"), [("zh-TW", "通義千問發布 Qwen5"), ("en", "Qwen5 ships today")]
)
def test_headline_prefers_an_outlet_writing_in_the_digest_language(locale: str, expected: str) -> None:
    # Given a story first reported in English and then by a Chinese outlet
    english = _article(
        "https://qwen-blog.example/qwen5.html",
        "Qwen5 ships today",
        "The Qwen team released Qwen5 today with open weights. It runs on one GPU.",
        "Qwen Blog",
        1,
    )
    chinese = _article(
        "https://technews.example/qwen5.html",
        "通義千問發布 Qwen5",
        "通義千問團隊今天發布 Qwen5 並開放權重。模型可在單張顯示卡上執行。",
        "科技新報",
        2,
    )
    story = Story(id="qwen5-0a1b2c3d4e", title=english.title, articles=(english, chinese))
    # When the digest is written in each locale, Then the headline is in that locale's language
    digest = ExtractiveSummarizer().summarize(_topic(locale), DAY, [story])
    assert digest.highlights[0].headline == expected


@pytest.mark.parametrize(
    ("sentence", "alone"),
    [
        ("這是阿里雲今年第三度調整定價。", False),
        ("此舉將加劇價格戰。", False),
        ("市場人士分析，此舉將加劇雲端 AI 的價格戰。", False),
        ("編輯部實際下載了 Qwen4-8B 的量化版本。", False),
        ("It runs on one GPU and costs less.", False),
        ("我們實測後發現速度很快。", False),
        ("陳怡君指出：「我們的資料不會離開機房」。", True),
        ("其他雲端業者將面臨跟進降價的壓力。", True),
        ("那斯達克指數收高 1.2%。", True),
        ("阿里雲宣布調降通義千問 API 價格。", True),
    ],
)
def test_a_quote_stands_alone_or_is_not_quoted(sentence: str, alone: bool) -> None:
    assert stands_alone(sentence) is alone
