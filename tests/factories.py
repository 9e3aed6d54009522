"""Sample data builders shared by the tests. The wording is invented for these tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dailydigest.models.digest import Digest
from dailydigest.models.topic import Topic

SAMPLE_DATE = dt.date(2026, 3, 12)


def _sample() -> dict[str, Any]:
    return {
        "topic": "qwen",
        "display_name": "QWEN",
        "date": SAMPLE_DATE,
        "locale": "zh-TW",
        "trend_overview": (
            "本週 Qwen 的消息集中在小型模型與工具呼叫：團隊釋出可在筆電上執行的精簡版本，"
            "並更新了函式呼叫的評測結果；社群則把重點放在量化後的效能與授權條款的細節。"
        ),
        "highlights": [
            {
                "headline": "Qwen 釋出可在筆電執行的精簡模型",
                "body": (
                    "新版本以較少的參數維持多數常見任務的表現，官方提供量化檔案與安裝說明，"
                    "開發者可在沒有獨立顯示卡的電腦上完成測試。"
                ),
                "source_ids": [1, 2],
            },
            {
                "headline": "工具呼叫評測更新",
                "body": "團隊公布新的函式呼叫評測方法與結果，並說明在多步驟任務中仍有改進空間。",
                "source_ids": [3],
            },
            {
                "headline": "授權條款說明補充",
                "body": "官方補充商業使用的授權說明，釐清微調後模型的再散布條件。",
                "source_ids": [4],
                "is_update": True,
            },
        ],
        "analysis": {
            "significance": "精簡模型讓更多團隊能在本機測試，降低嘗試開源模型的門檻。",
            "comparison": (
                "與同級距的開源模型相比，這次更新在工具呼叫上的說明較完整，但長文本表現仍待第三方驗證。"
            ),
            "market_impact": "若本機部署成為常態，雲端推論服務可能需要以價格或整合度來競爭。",
        },
        "key_points": [
            "Qwen 推出可在筆電執行的精簡模型。",
            "工具呼叫評測方法與結果同步公開。",
            "授權條款補充了再散布的條件。",
        ],
        "implications": {
            "developers": [
                "可以先在本機驗證原型，再決定是否上雲。",
                "需要重新評估量化對準確度的影響。",
            ],
            "users": [
                "離線也能使用的助理應用可能變多。",
                "應留意應用程式實際使用的模型版本。",
            ],
        },
        "tags": ["Qwen", "開源模型", "本機推論"],
        "ai_summary": (
            "Qwen 本週釋出精簡模型並更新工具呼叫評測，同時補充授權條款，讓本機部署與商業使用更清楚。"
        ),
        "sources": [
            {
                "id": 1,
                "title": "Qwen 精簡模型發布說明",
                "url": "https://example.com/qwen/small-model",
                "publisher": "Example Tech",
            },
            {
                "id": 2,
                "title": "在筆電上試用新的 Qwen 模型",
                "url": "https://news.example.org/2026/03/qwen-laptop",
                "publisher": "Example News",
            },
            {
                "id": 3,
                "title": "Function calling benchmark update for Qwen",
                "url": "https://blog.example.net/qwen-function-calling",
                "publisher": "Example Blog",
            },
            {
                "id": 4,
                "title": "Qwen 授權常見問題更新",
                "url": "https://example.com/qwen/license-faq",
                "publisher": "Example Tech",
            },
        ],
        "generator": "llm",
        "model": "test-model",
    }


def make_digest(**overrides: Any) -> Digest:
    """A realistic zh-TW digest (3 highlights, 4 sources); keyword overrides replace whole fields."""
    return Digest.model_validate({**_sample(), **overrides})


def make_topic(digest: Digest | None = None, **overrides: Any) -> Topic:
    """The topic a digest belongs to (slug, display name and locale taken from it)."""
    digest = digest or make_digest()
    fields: dict[str, Any] = {"slug": digest.topic, "name": digest.display_name, "locale": digest.locale}
    return Topic.model_validate({**fields, **overrides})
