"""The supported locales and the language facts every concern reads from them.

Adding a language touches one place per concern: its entry here (language, Chinese script,
Google News edition, news-search language), its strings in render/locale.py (post, card, alt
text, archive pages) and its prompt templates in summarize/llm/prompts/<code>/.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LocaleFacts:
    code: str
    language: str
    """ISO 639-1, as the language identifier and news-search APIs name it."""
    traditional_chinese: bool
    """Written in Taiwan Traditional Chinese: Simplified sentences are converted (OpenCC s2twp)."""
    google_news: tuple[str, str, str]
    """Google News's language (hl), country (gl) and edition id (ceid)."""


LOCALES: dict[str, LocaleFacts] = {
    facts.code: facts
    for facts in (
        LocaleFacts("zh-TW", "zh", traditional_chinese=True, google_news=("zh-TW", "TW", "TW:zh-Hant")),
        LocaleFacts("en", "en", traditional_chinese=False, google_news=("en-US", "US", "US:en")),
    )
}
DEFAULT_LOCALE = "zh-TW"


def facts_for(code: str) -> LocaleFacts:
    try:
        return LOCALES[code]
    except KeyError:
        raise ValueError(f"unsupported locale {code!r} (supported: {', '.join(LOCALES)})") from None
