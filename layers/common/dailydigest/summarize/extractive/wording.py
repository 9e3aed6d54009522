"""The few words the extractive digest adds around its quotes, per locale: attribution of quoted
analysis, the language mark of a foreign headline or excerpt, and the plain statements that the
sources offered nothing for a section. Everything else in the digest is the articles' own sentences."""

from __future__ import annotations

from dataclasses import dataclass

_LANGUAGE_NAMES = {
    "zh-TW": {
        "en": "英文", "zh": "中文", "ja": "日文", "ko": "韓文", "de": "德文", "fr": "法文", "es": "西班牙文",
        "it": "義大利文", "pt": "葡萄牙文", "ru": "俄文", "vi": "越南文", "": "外文",
    },
    "en": {
        "en": "English", "zh": "Chinese", "ja": "Japanese", "ko": "Korean", "de": "German", "fr": "French",
        "es": "Spanish", "it": "Italian", "pt": "Portuguese", "ru": "Russian", "vi": "Vietnamese",
        "": "foreign-language",
    },
}  # fmt: skip


@dataclass(frozen=True)
class Wording:
    locale: str

    @property
    def chinese(self) -> bool:
        return self.locale.startswith("zh")

    def language(self, code: str) -> str:
        names = _LANGUAGE_NAMES["zh-TW" if self.chinese else "en"]
        return names.get(code, names[""])

    def attributed(self, sentence: str, outlet: str) -> str:
        """A quoted sentence of analysis, credited to the outlet that wrote it."""
        core = sentence.strip().rstrip("。．.！!")
        if self.chinese:
            core = core.replace("「", "『").replace("」", "』")
            return f"「{core}」，{outlet}指出。"
        core = core.replace("\u201c", "\u2018").replace("\u201d", "\u2019")
        return f"\u201c{core},\u201d {outlet} writes."

    def foreign_headline(self, headline: str, code: str) -> str:
        name = self.language(code)
        return f"{headline}（{name}報導）" if self.chinese else f"{headline} ({name} report)"

    def foreign_excerpt(self, excerpt: str, outlet: str, code: str) -> str:
        name = self.language(code)
        if self.chinese:
            return f"{outlet}的{name}報導摘錄：「{excerpt}」"
        return f"From {outlet}'s {name} report: \u201c{excerpt}\u201d"

    def overview(self, name: str, count: int, headlines: list[str]) -> str:
        """The opening of the overview: how many stories, and the first ones by their headlines."""
        if self.chinese:
            listed = "；".join(f"「{h.replace('「', '『').replace('」', '』')}」" for h in headlines)
            # Stories, not articles: the tagline already counts the articles (「彙整 N 則」).
            return f"今天共有 {count} 件 {name} 新聞事件，焦點包括{listed}。"
        listed = "; ".join(f"\u201c{h}\u201d" for h in headlines)
        return f"Today's digest gathers {count} {name} stories, led by {listed}."

    def no_analysis(self, heading: str) -> str:
        if self.chinese:
            return f"今天的來源沒有針對{heading}提出分析。"
        return f"Today's sources offered no analysis of {heading}."

    def nothing_for(self, audience: str) -> str:
        if self.chinese:
            return f"今天的來源沒有特別談到對{audience}的影響。"
        return f"Today's sources did not say what this means for {audience}."

    # The subjects of the analysis headings and the audiences, as the statements above name them.
    @property
    def headings(self) -> tuple[str, str, str]:
        if self.chinese:
            return ("這些發展對產業的意義", "與競爭對手的比較", "市場影響")
        return (
            "what these developments mean for the industry",
            "how they compare with rivals",
            "market impact",
        )

    @property
    def audiences(self) -> tuple[str, str]:
        return ("開發者", "一般使用者") if self.chinese else ("developers", "everyday users")
