"""The extractive summarizer and untrusted article text: what an article plants is never quoted, and a
zh-TW digest quotes Simplified Chinese reports in Taiwan Traditional Chinese."""

from __future__ import annotations

import pytest

from dailydigest.models.article import Article, Story
from dailydigest.render.post import render_post
from dailydigest.summarize.chinese import simplified_chars
from dailydigest.summarize.extractive import ExtractiveSummarizer
from dailydigest.summarize.llm.material import looks_like_instruction
from tests.support.llm_fixtures import (
    CANARY,
    DAY,
    INJECTION_EN,
    INJECTION_ZH,
    PLANTED_LINK,
    PLANTED_MARKUP,
    hostile_stories,
    simplified_stories,
    stories,
    topic,
)
from tests.support.llm_harness import shown, texts


def test_planted_instructions_links_and_markup_are_never_quoted() -> None:
    # Given a day with an article that plants instructions, a canary, a link and an event handler
    digest = ExtractiveSummarizer().summarize(topic(), DAY, hostile_stories())
    # Then no text of the digest carries any of them
    for text in texts(digest):
        assert CANARY not in text and "evil.example" not in text, text
        assert "onerror" not in text and "<script" not in text and "<<<" not in text, text
        assert not looks_like_instruction(text), text
    # And the hostile article's ordinary sentences may still be quoted
    hostile = next(h for h in digest.highlights if h.source_ids == (5,))
    assert "長篇文件最好先分段" in hostile.body or "撰寫提示詞的技巧" in hostile.body
    post = render_post(digest)
    for planted in (CANARY, "evil.example", "onerror", INJECTION_EN[:20], INJECTION_ZH[:10]):
        assert planted not in post


@pytest.mark.parametrize(
    "body",
    [INJECTION_ZH, INJECTION_EN, PLANTED_LINK, PLANTED_MARKUP, f"{INJECTION_ZH}\n{PLANTED_LINK}"],
    ids=["chinese instruction", "english instruction", "link", "markup", "nothing quotable"],
)
def test_an_article_with_nothing_quotable_is_represented_by_its_title(body: str) -> None:
    story = Story(
        id="only-hostile",
        title="論壇貼文整理提示詞",
        articles=(
            Article.model_validate(
                {"url": "https://forum.example.io/p", "title": "論壇貼文整理提示詞", "text": body}
            ),
        ),
    )
    digest = ExtractiveSummarizer().summarize(topic(), DAY, [*stories(), story])
    assert digest.highlights[-1].body == "論壇貼文整理提示詞"
    assert all(body not in text for text in texts(digest))


def test_a_clean_day_is_quoted_as_before() -> None:
    # Defanging changes nothing in articles that plant nothing.
    digest = ExtractiveSummarizer().summarize(topic(), DAY, stories())
    quoted = " ".join(texts(digest))
    assert (
        "通義千問團隊週四釋出 Qwen-Lite，參數量只有 40 億，官方表示可在 16GB 記憶體的筆電上執行。" in quoted
    )


def test_zh_tw_digest_quotes_simplified_reports_in_taiwan_traditional() -> None:
    digest = ExtractiveSummarizer().summarize(topic(), DAY, simplified_stories())
    for text in shown(digest):
        assert simplified_chars(text) == [], text
    assert simplified_chars(render_post(digest)) == []
    assert digest.sources[2].title == "通義千問 API 輸入價格下調三成"
    assert any("雲服務商宣佈從下個月開始" in text for text in texts(digest))


def test_en_digest_leaves_chinese_quotes_as_written() -> None:
    digest = ExtractiveSummarizer().summarize(topic("en"), DAY, simplified_stories())
    assert digest.sources[2].title == "通义千问 API 输入价格下调三成"
