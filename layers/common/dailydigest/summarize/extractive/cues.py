"""Words that tell what a sentence is about: the analysis headings and the two audiences.

A sentence goes under an analysis heading only when it carries that heading's cue and reads as
analysis (someone's judgement, an expectation, a comparison), not as a bare fact."""

from __future__ import annotations

SIGNIFICANCE_CUES = (
    "意義", "突破", "里程碑", "首度", "首次", "首批", "關鍵", "重大", "門檻", "迫使", "改寫", "轉折",
    "significant", "milestone", "breakthrough", "first time", "for the first", "landmark",
)  # fmt: skip
COMPARISON_CUES = (
    "相較", "相比", "比較", "超越", "領先", "對手", "競爭", "前代", "高於", "低於", "同級", "優於",
    "compared", "than", "versus", "outperform", "rival", "competitor", "predecessor",
)  # fmt: skip
MARKET_CUES = (
    "市場", "價格戰", "定價", "降價", "跟進", "營收", "商機", "市占", "費率", "投資", "毛利", "訂閱",
    "market", "pricing", "price war", "revenue", "business", "rates",
)  # fmt: skip
# Judgement rather than fact: who thinks what, what is expected, what it means.
OPINION_CUES = (
    "分析師", "分析人士", "市場人士", "業界人士", "業界認為", "專家", "研究員", "觀察家", "法人",
    "認為", "預料", "預期", "預估", "看好", "估計", "意味", "意義在於", "可望", "恐將", "將迫使", "壓力",
    "analyst", "expect", "likely", "could", "would", "means", "suggest", "argue", "believe", "pressure",
    "call it", "calls it",
)  # fmt: skip
DEVELOPER_CUES = (
    "開發者", "開發人員", "工程師", "程式碼", "API", "SDK", "GitHub", "微調", "部署", "端點",
    "developer", "engineer", "API", "SDK", "GitHub", "fine-tune", "repository", "open-source",
)  # fmt: skip
USER_CUES = (
    "使用者", "用戶", "消費者", "民眾", "一般人", "客戶", "隱私", "手機", "App",
    "user", "consumer", "customer", "people", "privacy", "phone",
)  # fmt: skip
