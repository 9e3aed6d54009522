"""Per-locale strings of the post and its infographic: headings, labels, title, tagline, footer,
the source count, and the card's kicker and weekdays (the archive's pages reuse the source count).

The zh-TW strings are read off the reference post; `en` mirrors them. Patterns use
`{name}`, `{date}` and `{count}` placeholders, so the parser can turn them back into regexes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dailydigest.locales import facts_for


@dataclass(frozen=True)
class ArchiveWords:
    """The archive pages' words."""

    code: str
    site: str
    latest: str
    topics: str
    all_posts: str
    posts: str
    posts_one: str
    read_post: str  # the link to where the post was published (the publisher's location: the file on GitHub)
    feed: str
    home: str
    summary: str

    def source_count(self, count: int) -> str:
        """As the post's own infographic counts its sources."""
        return strings_for(self.code).source_count_for(count)

    def post_count(self, count: int) -> str:
        return self.posts_one if count == 1 else self.posts.format(count=count)


@dataclass(frozen=True)
class LocaleStrings:
    code: str
    title: str
    tagline: str
    trend: str
    highlights: str
    analysis: str
    key_points: str
    implications: str
    sources: str
    significance: str
    comparison: str
    market_impact: str
    developers: str
    users: str
    update_marker: str
    footer_llm: str
    footer_extractive: str
    source_count: str  # "{count} sources", on the card, in its alt text and in the archive
    others: str  # the legend entry for the hosts that do not get their own
    kicker: str  # the card's small heading above the name
    weekdays: tuple[str, str, str, str, str, str, str]  # Monday first, as date.weekday() counts
    alt: str  # the infographic's alt text: {name} {date} {headlines} {sources} {mix}
    quoted: str  # one headline quoted in the alt text
    host_count: str  # one legend entry in the alt text: {host} {count}
    list_separator: str
    archive: ArchiveWords
    list_and: str | None = None  # " and " before the last item, where the language says so
    # Singular forms for a count of one; None when the language does not inflect.
    tagline_one: str | None = None
    footer_llm_one: str | None = None
    footer_extractive_one: str | None = None
    source_count_one: str | None = None

    @property
    def headings(self) -> tuple[str, ...]:
        """The section headings, in post order."""
        return (self.trend, self.highlights, self.analysis, self.key_points, self.implications, self.sources)

    @property
    def analysis_labels(self) -> tuple[str, str, str]:
        return (self.significance, self.comparison, self.market_impact)

    def title_for(self, name: str, date: str) -> str:
        return self.title.format(name=name, date=date)

    def tagline_for(self, name: str, count: int) -> str:
        return _counted(count, self.tagline, self.tagline_one).format(name=name, count=count)

    def join(self, items: list[str]) -> str:
        """A list in running text: `a、b、c`, or `a, b and c`."""
        if self.list_and is None or len(items) < 2:
            return self.list_separator.join(items)
        return self.list_separator.join(items[:-1]) + self.list_and + items[-1]

    def source_count_for(self, count: int) -> str:
        return _counted(count, self.source_count, self.source_count_one).format(count=count)

    def footer_for(self, generator: str, count: int) -> str:
        if generator == "extractive":
            return _counted(count, self.footer_extractive, self.footer_extractive_one).format(count=count)
        return _counted(count, self.footer_llm, self.footer_llm_one).format(count=count)

    def footer_patterns(self) -> tuple[tuple[str, re.Pattern[str]], ...]:
        """(generator, regex with a `count` group) for every footer form."""
        forms = (
            ("llm", self.footer_llm),
            ("llm", self.footer_llm_one),
            ("extractive", self.footer_extractive),
            ("extractive", self.footer_extractive_one),
        )
        return tuple((generator, pattern_regex(form)) for generator, form in forms if form)


def _counted(count: int, many: str, one: str | None) -> str:
    """The pattern for this count: the singular form for one, where the language has one."""
    return one if count == 1 and one else many


def pattern_regex(pattern: str) -> re.Pattern[str]:
    """A full-match regex for a `{name}`/`{date}`/`{count}` pattern, one named group per placeholder."""
    groups = {"name": r"(?P<name>.+?)", "date": r"(?P<date>\d{4}-\d{2}-\d{2})", "count": r"(?P<count>\d+)"}
    parts = re.split(r"\{(name|date|count)\}", pattern)
    regex = "".join(groups[part] if index % 2 else re.escape(part) for index, part in enumerate(parts))
    return re.compile(regex)


ZH_TW = LocaleStrings(
    code="zh-TW",
    title="{name} 每日動態 - {date}",
    tagline="彙整 {count} 則 {name} 相關新聞",
    trend="本週模型趨勢",
    highlights="📰 本週新聞焦點",
    analysis="🔍 深度分析",
    key_points="📌 重點摘要",
    implications="💡 延伸思考",
    sources="🔗 資料來源",
    significance="這個發展對 AI 產業的意義",
    comparison="與競爭對手的比較或技術優勢",
    market_impact="潛在的市場影響",
    developers="對開發者的具體影響",
    users="對一般使用者的實際意義",
    update_marker="（更新）",
    footer_llm="本文由 AI 自動生成，彙整自 {count} 篇新聞來源。",
    # Honest about provenance: the extractive summarizer uses no language model.
    footer_extractive="本文由程式自動摘錄（未使用 AI），彙整自 {count} 篇新聞來源。",
    source_count="{count} 則來源",
    others="其他",
    kicker="每日動態",
    weekdays=("週一", "週二", "週三", "週四", "週五", "週六", "週日"),
    alt="{name} {date} 每日動態資訊圖：焦點新聞{headlines}，附重點摘要與 {sources}的出處分布（{mix}）。",
    quoted="「{text}」",
    host_count="{host} {count} 則",
    list_separator="、",
    archive=ArchiveWords(
        code="zh-TW",
        site="每日動態彙整",
        latest="最新文章",
        topics="主題",
        all_posts="全部文章",
        posts="{count} 篇",
        posts_one="1 篇",
        read_post="已發布的文章",
        feed="Atom 訂閱",
        home="首頁",
        summary="摘要",
    ),
)

EN = LocaleStrings(
    code="en",
    title="{name} Daily - {date}",
    tagline="Summarising {count} {name} news articles",
    tagline_one="Summarising 1 {name} news article",
    trend="This Week's Model Trends",
    highlights="📰 News Highlights",
    analysis="🔍 In-Depth Analysis",
    key_points="📌 Key Takeaways",
    implications="💡 Further Thoughts",
    sources="🔗 Sources",
    significance="What this means for the AI industry",
    comparison="How it compares with competitors",
    market_impact="Potential market impact",
    developers="What it means for developers",
    users="What it means for everyday users",
    update_marker="(Update) ",
    footer_llm="Generated automatically by AI from {count} news sources.",
    footer_llm_one="Generated automatically by AI from 1 news source.",
    footer_extractive="Extracted automatically by a program (no AI used) from {count} news sources.",
    footer_extractive_one="Extracted automatically by a program (no AI used) from 1 news source.",
    source_count="{count} sources",
    source_count_one="1 source",
    others="others",
    kicker="Daily digest",
    weekdays=("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    alt=(
        "Infographic for {name} on {date}: top stories {headlines}, key takeaways, "
        "and {sources} by publisher ({mix})."
    ),
    quoted="“{text}”",
    host_count="{host} {count}",
    list_separator=", ",
    list_and=" and ",
    archive=ArchiveWords(
        code="en",
        site="Daily digest archive",
        latest="Latest posts",
        topics="Topics",
        all_posts="All posts",
        posts="{count} posts",
        posts_one="1 post",
        read_post="The published post",
        feed="Atom feed",
        home="Home",
        summary="Summary",
    ),
)

STRINGS: dict[str, LocaleStrings] = {strings.code: strings for strings in (ZH_TW, EN)}


def strings_for(locale: str) -> LocaleStrings:
    return STRINGS[facts_for(locale).code]
