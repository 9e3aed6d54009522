"""parse_post: a malformed post is one clear PostFormatError, never a half-read Digest."""

from __future__ import annotations

import pytest

from dailydigest.errors import DigestError, PostFormatError
from dailydigest.render.parse import parse_post
from dailydigest.render.post import render_post
from tests.factories import make_digest


def _valid_post() -> str:
    digest = make_digest()
    return render_post(digest)


# (case, text to replace in a valid post, replacement, expected message fragment)
BROKEN = [
    ("no front matter", "---\nlayout: post\n", "layout: post\n", "must start with a '---'"),
    ("invalid yaml", "model: qwen\n", 'model: "qwen\n', "not valid YAML"),
    ("missing key", "model: qwen\n", "", "lacks model"),
    ("date is a string", "date: 2026-03-12\n", 'date: "2026-03-12"\n', "date must be a YYYY-MM-DD"),
    (
        "tags not a list",
        'tags: ["Qwen", "開源模型", "本機推論", "QWEN", "AI", "Digest"]',
        "tags: Qwen",
        "tags must be a list",
    ),
    ("categories wrong", "categories: [qwen, daily]", "categories: [qwen]", "categories must be"),
    ("image path wrong", "2026-03-12-qwen-infographic.png", "other.png", "image must be"),
    ("title of no locale", 'title: "QWEN 每日動態', 'title: "QWEN Nachrichten', "matches no locale"),
    (
        "title date differs",
        'title: "QWEN 每日動態 - 2026-03-12"',
        'title: "QWEN 每日動態 - 2026-03-11"',
        "title date",
    ),
    ("tagline count wrong", "彙整 4 則", "彙整 5 則", "tagline"),
    (
        "text before first heading",
        "---\n## 本週模型趨勢",
        "---\nhello\n## 本週模型趨勢",
        "before the first heading",
    ),
    ("heading renamed", "## 🔍 深度分析", "## 🔍 分析", "expected heading '## 🔍 深度分析'"),
    ("section missing", "## 🔗 資料來源\n", "", "missing section '## 🔗 資料來源'"),
    ("extra heading", "\n---\n*本文", "\n## 附錄\n\n---\n*本文", "unexpected heading"),
    ("trend is two paragraphs", "## 📰", "second paragraph\n\n## 📰", "exactly one paragraph"),
    ("highlight misnumbered", "\n2) 工具", "\n5) 工具", "expected highlight '2) headline'"),
    (
        "highlight without body",
        "  \n團隊公布新的函式呼叫評測方法與結果，並說明在多步驟任務中仍有改進空間。",
        "",
        "followed by one",
    ),
    ("analysis label wrong", "- 潛在的市場影響", "- 市場", "expected '- 潛在的市場影響'"),
    (
        "analysis item missing",
        "- 潛在的市場影響  \n若本機部署成為常態，雲端推論服務可能需要以價格或整合度來競爭。\n\n",
        "",
        "must have 3 items",
    ),
    ("key points split", "- 工具呼叫評測", "\n- 工具呼叫評測", "must be one list"),
    ("nested item unindented", "  - 需要重新評估", "- 需要重新評估", "starting with '  - '"),
    (
        "users list missing",
        "\n- 對一般使用者的實際意義  \n  - 離線也能使用的助理應用可能變多。  \n"
        "  - 應留意應用程式實際使用的模型版本。\n",
        "",
        "must have two lists",
    ),
    (
        "source not a link",
        "- [Qwen 授權常見問題更新](",
        "- Qwen 授權常見問題更新 (",
        "expected a source line",
    ),
    (
        "source url not http",
        "(https://example.com/qwen/license-faq)",
        "(ftp://example.com/x)",
        "sources.3.url",
    ),
    ("footer count wrong", "彙整自 4 篇", "彙整自 9 篇", "footer counts 9 sources but the post lists 4"),
    ("footer unknown", "*本文由 AI 自動生成", "*本文由人工撰寫", "not a known zh-TW footer"),
    (
        "footer not italic",
        "*本文由 AI 自動生成，彙整自 4 篇新聞來源。*",
        "本文由 AI 自動生成",
        "one *italic* line",
    ),
    (
        "footer missing",
        "\n---\n*本文由 AI 自動生成，彙整自 4 篇新聞來源。*\n",
        "\n",
        "missing the '---' footer",
    ),
    ("text after footer", "新聞來源。*\n", "新聞來源。*\nmore words\n", "unexpected text after the footer"),
    ("headline too long", "1) Qwen 釋出可在筆電執行的精簡模型", "1) " + "長" * 301, "highlights.0.headline"),
]


@pytest.mark.parametrize(("case", "old", "new", "message"), BROKEN, ids=[row[0] for row in BROKEN])
def test_malformed_post_is_one_clear_error(case: str, old: str, new: str, message: str) -> None:
    # Given a valid post with one thing broken
    text = _valid_post()
    assert old in text, f"table row {case!r} no longer matches the rendered post"
    broken = text.replace(old, new, 1)
    # When it is parsed, Then the error names the problem
    with pytest.raises(PostFormatError, match=r"^post") as caught:
        parse_post(broken)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "must start with a '---'"),
        ("# just markdown\n", "must start with a '---'"),
        ("---\nlayout: post\ntitle: x\n", "not closed"),
        ("---\n---\n", "must be a mapping"),
        ("---\n- layout\n- post\n---\n", "must be a mapping"),
        ("---\nlayout: post\n---\n", "lacks title, tagline, date"),
    ],
)
def test_text_that_is_not_a_post_is_rejected(text: str, message: str) -> None:
    with pytest.raises(PostFormatError, match=r"^post") as caught:
        parse_post(text)
    assert message in str(caught.value)


def test_error_is_a_value_error_and_a_digest_error() -> None:
    # Callers may catch either: the CLI catches DigestError, generic code ValueError.
    assert issubclass(PostFormatError, ValueError)
    assert issubclass(PostFormatError, DigestError)


def test_windows_line_endings_and_missing_line_breaks_are_accepted() -> None:
    text = _valid_post()
    relaxed = text.replace("  \n", "\n").replace("\n", "\r\n")
    assert parse_post(relaxed) == parse_post(text)


def test_one_trailing_artifact_line_is_tolerated() -> None:
    # The reference post ends with a stray `**` line from its generator.
    text = _valid_post()
    assert parse_post(text + "**\n") == parse_post(text)
