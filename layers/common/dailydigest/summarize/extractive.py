"""The summarizer used without an LLM: every field of the digest is made of article sentences.

Sentences are scored by how central their terms (CJK bigrams, latin words) are among the day's
sentences, with a bonus for leading sentences; each section then takes its best unused sentences,
so the digest quotes its sources and invents nothing.

Article text is untrusted: sentences that address a model, carry a link, markup or script are never
quoted (the same tests the LLM's answer must pass), and a zh-TW digest quotes Simplified sentences in
Taiwan Traditional Chinese, so the post holds no Simplified character.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from dailydigest.errors import DigestError
from dailydigest.locales import facts_for
from dailydigest.models.article import Story
from dailydigest.models.digest import Analysis, Digest, Highlight, Implications, Source
from dailydigest.models.topic import Topic
from dailydigest.news.fingerprint import facts
from dailydigest.news.text import (
    ENGLISH_STOPWORDS,
    contains_any,
    guess_language,
    is_cjk,
    jaccard,
    join_sentences,
    normalize,
    split_sentences,
    tokens,
)
from dailydigest.summarize.llm.material import defang

SIGNIFICANCE_CUES = (
    "意義", "突破", "里程碑", "首度", "首次", "首批", "關鍵", "重大", "大幅",
    "significant", "milestone", "breakthrough", "first time", "for the first",
)  # fmt: skip
COMPARISON_CUES = (
    "相較", "相比", "比較", "超越", "領先", "對手", "競爭", "前代", "高於", "低於",
    "compared", "than", "versus", "outperform", "rival", "competitor", "predecessor",
)  # fmt: skip
MARKET_CUES = (
    "市場", "價格", "定價", "成本", "降價", "營收", "商機", "費率", "投資", "毛利", "企業",
    "market", "price", "pricing", "cost", "revenue", "billed", "rates", "business",
)  # fmt: skip
DEVELOPER_CUES = (
    "開發者", "開發人員", "工程師", "程式碼", "API", "SDK", "GitHub", "微調", "部署", "端點",
    "developer", "engineer", "API", "SDK", "GitHub", "fine-tune", "repository", "open-source",
)  # fmt: skip
USER_CUES = (
    "使用者", "用戶", "消費者", "民眾", "一般人", "客戶", "隱私", "手機", "App",
    "user", "consumer", "customer", "people", "privacy", "phone",
)  # fmt: skip

MAX_KEY_POINTS = 7
MAX_TAGS = 5
MAX_HIGHLIGHTS = 20
_PARAGRAPH_LIMIT = 4000
_MIN_SENTENCE_CHARS = 12
_MAX_SENTENCE_CHARS = 400
_FOREIGN_PENALTY = 0.6
_REDUNDANCY_PENALTY = 0.7
_CONTEXT_PENALTY = 0.5
_CONTEXT_BOUND = re.compile(
    r"^(這是|這些|這項|此舉|此外|另外|同時|不過|然而|但是|但|它|他們|該|其"
    r"|(This|These|That|Those|It|They|However|But|Also|In addition)\b)"
)
_FIRST_PERSON = re.compile(r"我們|(?<![A-Za-z])([Ww]e|[Oo]ur|[Uu]s)(?![A-Za-z])")
_AUDIENCE_BONUS = 2.0
_AUDIENCE_SPAN = 15
_GENERIC_TAGS = frozenset({"ai", "digest", "daily"})
_LATIN_TERM = re.compile(r"[A-Za-z0-9]+(?:[-.][A-Za-z0-9]+)*")
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


@dataclass(frozen=True)
class _Sentence:
    text: str
    source_id: int
    story: int
    position: int
    order: int
    terms: frozenset[str]
    native: bool
    """Written in the digest's language (an English quote in a Chinese digest is second choice)."""


class ExtractiveSummarizer:
    """Summarizer that writes the digest from the articles' own sentences; no LLM needed."""

    name = "extractive"

    def summarize(self, topic: Topic, day: dt.date, stories: Sequence[Story]) -> Digest:
        if not stories:
            raise DigestError(f"no stories to summarize for {topic.slug} on {day.isoformat()}")
        stories = defang(stories)
        sources = _sources(stories)
        sentences = _sentences(stories, topic.locale)
        picker = _Picker(sentences)
        highlights = tuple(
            _highlight(story, index, picker, sources, topic.locale)
            for index, story in enumerate(stories[:MAX_HIGHLIGHTS])
        )
        # Cue-driven sections choose before the general ones, which can do with any good sentence.
        analysis = Analysis(
            significance=picker.paragraph(picker.cued(SIGNIFICANCE_CUES, count=2)),
            comparison=picker.paragraph(picker.cued(COMPARISON_CUES, count=2)),
            market_impact=picker.paragraph(picker.cued(MARKET_CUES, count=2)),
        )
        implications = Implications(
            developers=tuple(s.text for s in picker.cued(DEVELOPER_CUES, count=3)),
            users=tuple(s.text for s in picker.cued(USER_CUES, count=3)),
        )
        ai_summary = picker.paragraph(picker.best_per_story(picker.all, count=3))
        trend_overview = picker.paragraph(picker.best_per_story(picker.all, count=4))
        key_points = tuple(s.text for s in picker.per_article(sources, MAX_KEY_POINTS))
        digest = Digest(
            topic=topic.slug,
            display_name=topic.name,
            date=day,
            locale=topic.locale,
            trend_overview=trend_overview,
            highlights=highlights,
            analysis=analysis,
            key_points=key_points,
            implications=implications,
            tags=title_tags([a.title for story in stories for a in story.articles], topic),
            ai_summary=ai_summary,
            sources=tuple(source for source, _ in sources),
            generator="extractive",
            model="",
        )
        if facts_for(topic.locale).traditional_chinese:
            from dailydigest.summarize.chinese import digest_to_taiwan

            return digest_to_taiwan(digest)
        return digest


def _sources(stories: Sequence[Story]) -> list[tuple[Source, int]]:
    """Every article as a citable source, numbered 1..N in story order, with its story's index."""
    numbered: list[tuple[Source, int]] = []
    for story_index, story in enumerate(stories):
        for article in story.articles:
            source = Source(
                id=len(numbered) + 1, title=article.title, url=article.url, publisher=article.publisher
            )
            numbered.append((source, story_index))
    return numbered


def _usable(sentence: str) -> bool:
    # Fragments ("Setup is easy.") and run-ons (a whole paragraph without stops) quote badly.
    return _MIN_SENTENCE_CHARS <= len(sentence) <= _MAX_SENTENCE_CHARS and len(tokens(sentence)) >= 3


def _language(locale: str) -> str:
    """The digest's language as `guess_language` names it."""
    return facts_for(locale).language


def _sentences(stories: Sequence[Story], locale: str) -> list[_Sentence]:
    language = _language(locale)
    found: list[_Sentence] = []
    seen: set[str] = set()
    source_id = 0
    for story_index, story in enumerate(stories):
        for article in story.articles:
            source_id += 1
            # Positions count every sentence, so a dropped fragment does not promote the next one to lead.
            candidates = [(p, s) for p, s in enumerate(split_sentences(article.body)) if _usable(s)]
            for position, text in candidates or [(0, article.title)]:
                key = normalize(text)
                if key in seen:  # the same sentence from two outlets is quoted once
                    continue
                seen.add(key)
                found.append(
                    _Sentence(
                        text=text,
                        source_id=source_id,
                        story=story_index,
                        position=position,
                        order=len(found),
                        terms=frozenset(tokens(text)),
                        native=guess_language(text) in ("", language),
                    )
                )
    return found


class _Picker:
    """Scores sentences and hands each one out once, while unused ones remain."""

    def __init__(self, sentences: Sequence[_Sentence]) -> None:
        self.all = list(sentences)
        self.used: set[int] = set()
        frequency: Counter[str] = Counter(term for sentence in sentences for term in sentence.terms)
        self.score = {s.order: _score(s, frequency) for s in sentences}

    def ranked(self, pool: Iterable[_Sentence]) -> list[_Sentence]:
        """Best first: unused before used (repeats only when nothing else is left), the digest's
        language before others (an English quote in a Chinese digest only when nothing else fits)."""
        return sorted(pool, key=lambda s: (s.order in self.used, not s.native, -self.score[s.order], s.order))

    def take(self, chosen: Sequence[_Sentence]) -> list[_Sentence]:
        self.used.update(s.order for s in chosen)
        return list(chosen)

    def diverse(self, pool: Sequence[_Sentence], count: int) -> list[_Sentence]:
        """Up to count good sentences that do not say the same thing twice (MMR selection)."""
        remaining = self.ranked(pool)
        chosen: list[_Sentence] = []
        while remaining and len(chosen) < count:
            best = max(
                remaining,
                key=lambda s: (
                    s.order not in self.used,
                    s.native,
                    self.score[s.order]
                    - _REDUNDANCY_PENALTY * max((jaccard(s.terms, c.terms) for c in chosen), default=0),
                    -s.order,
                ),
            )
            chosen.append(best)
            remaining.remove(best)
        return self.take(chosen)

    def best_per_story(self, pool: Sequence[_Sentence], count: int) -> list[_Sentence]:
        """The best unused sentence of the first `count` stories that have one, in story order.

        When every sentence is taken, the single best one is quoted again (the field cannot be empty).
        """
        chosen: list[_Sentence] = []
        for story in sorted({s.story for s in pool}):
            unused = [s for s in pool if s.story == story and s.order not in self.used]
            if unused and len(chosen) < count:
                chosen.append(self.ranked(unused)[0])
        return self.take(chosen or self.ranked(pool)[:1])

    def cued(self, cues: Sequence[str], count: int) -> list[_Sentence]:
        """Best unused sentences mentioning a cue, one per story; else the next best unused ones."""
        matching = [s for s in self.all if s.order not in self.used and contains_any(s.text, cues)]

        def strength(sentence: _Sentence) -> float:
            # "對開發者來說，…" / "For developers, …": a sentence that opens on the cue is about it.
            opening = contains_any(sentence.text[:_AUDIENCE_SPAN], cues)
            return self.score[sentence.order] * (_AUDIENCE_BONUS if opening else 1.0)

        chosen: list[_Sentence] = []
        for sentence in sorted(matching, key=lambda s: (not s.native, -strength(s), s.order)):
            if len(chosen) < count and all(sentence.story != c.story for c in chosen):
                chosen.append(sentence)
        if not chosen:
            chosen = self.ranked(self.all)[:1]
        return sorted(self.take(chosen), key=lambda s: s.order)

    def per_article(self, sources: Sequence[tuple[Source, int]], limit: int) -> list[_Sentence]:
        """The best unused sentence of each article, taking stories in turn so every story gets a point:
        each story's first article, then each story's second, and so on.

        An article whose sentences all appear elsewhere already is passed over; when every article
        is, the single best sentence stands in (the digest needs at least one key point).
        """
        by_source: dict[int, list[_Sentence]] = {}
        for sentence in self.all:
            by_source.setdefault(sentence.source_id, []).append(sentence)
        depth: Counter[int] = Counter()
        rounds: list[tuple[int, int]] = []
        for source, story in sources:
            rounds.append((depth[story], source.id))
            depth[story] += 1
        order = [source_id for _, source_id in sorted(rounds)]
        chosen: list[_Sentence] = []
        # Articles in the digest's language first; a foreign-language quote only fills what is left.
        for native_pass in (True, False):
            for source_id in order:
                if len(chosen) == limit:
                    break
                if any(s.source_id == source_id for s in chosen):
                    continue  # one key point per article
                unused = [
                    s
                    for s in by_source.get(source_id, [])
                    if s.order not in self.used and s.native == native_pass
                ]
                if unused:
                    chosen.extend(self.take(self.ranked(unused)[:1]))
        if not chosen:
            chosen = self.take(self.ranked(self.all)[:1])
        return sorted(chosen, key=lambda s: s.order)

    def paragraph(self, chosen: Sequence[_Sentence]) -> str:
        """Sentences joined in the given order, within the paragraph limit."""
        texts: list[str] = []
        for sentence in chosen:
            if len(join_sentences([*texts, sentence.text])) > _PARAGRAPH_LIMIT:
                break
            texts.append(sentence.text)
        if not texts and chosen:
            return chosen[0].text[:_PARAGRAPH_LIMIT]
        return join_sentences(texts)


def _score(sentence: _Sentence, frequency: Counter[str]) -> float:
    """Centrality (other sentences sharing its terms), boosted for leads, lowered for other languages."""
    if not sentence.terms:
        return 0.0
    # A term's frequency minus the sentence's own use: a sentence of unshared terms scores zero.
    # Dividing by the square root of the length neither rewards run-ons nor prefers fragments.
    centrality = sum(frequency[term] - 1 for term in sentence.terms) / math.sqrt(len(sentence.terms))
    lead_bonus = 1.0 + 0.5 / (1 + sentence.position)
    language = 1.0 if sentence.native else _FOREIGN_PENALTY
    # Quoted alone, "we ..." or "this ..." sentences lean on context the digest does not carry.
    context = (
        _CONTEXT_PENALTY
        if _CONTEXT_BOUND.match(sentence.text) or _FIRST_PERSON.search(sentence.text)
        else 1.0
    )
    return centrality * lead_bonus * language * context


def _headline(story: Story, locale: str) -> str:
    """The story's title, or an outlet's headline in the digest's language when one reported it."""
    language = _language(locale)
    if guess_language(story.title) in ("", language):
        return story.title
    native = [a.title for a in story.articles if guess_language(a.title) == language]
    return native[0] if native else story.title


def _highlight(
    story: Story, index: int, picker: _Picker, sources: Sequence[tuple[Source, int]], locale: str
) -> Highlight:
    pool = [s for s in picker.all if s.story == index]
    # A highlight opens with the best lead sentence (news leads summarise), then adds other facts;
    # an update opens with the sentence telling most of what is new (fetch found those facts).
    news = set(story.new_facts) if story.is_update else set()
    telling = [s for s in pool if news & facts(s.text)]
    if telling:
        leads = picker.take(sorted(picker.ranked(telling), key=lambda s: -len(news & facts(s.text)))[:1])
    else:
        leads = picker.take(picker.ranked(s for s in pool if s.position == 0)[:1])
    rest = picker.diverse(
        [s for s in pool if s not in leads], (3 if len(story.articles) > 1 else 2) - len(leads)
    )
    chosen = leads + sorted(rest, key=lambda s: s.order)
    return Highlight(
        headline=_headline(story, locale),
        body=picker.paragraph(chosen) if chosen else story.title,
        source_ids=tuple(source.id for source, story_index in sources if story_index == index),
        is_update=story.is_update,
    )


def title_tags(titles: Sequence[str], topic: Topic) -> tuple[str, ...]:
    """Up to MAX_TAGS terms shared by the most headlines: names (Qwen4-Plus, API) first, then CJK phrases.

    The topic's own name and query terms are left out: the post adds the display name itself.
    """
    excluded = {normalize(term) for term in (topic.slug, topic.name, *topic.queries)} | _GENERIC_TAGS
    unique_titles = list(dict.fromkeys(titles))
    latin = _counted(unique_titles, _latin_terms)
    phrases = _closed(_counted(unique_titles, _cjk_phrases))

    def allowed(term: str) -> bool:
        folded = normalize(term)
        return folded not in excluded and not any(folded in query for query in excluded if is_cjk(folded[:1]))

    ranked = [term for term, count in latin if count >= 2 and allowed(term)]
    # Two-character phrases are often generic ("模型") or a word's stub ("阿里"): ask more of them.
    ranked += [term for term, count in phrases if count >= (2 if len(term) > 2 else 3) and allowed(term)]
    return tuple(ranked[:MAX_TAGS])


def _counted(titles: Sequence[str], extract: Callable[[str], list[str]]) -> list[tuple[str, int]]:
    """Terms with the number of titles holding them: most titles first, then longer, then first seen."""
    counts: Counter[str] = Counter()
    surface: dict[str, str] = {}  # first spelling seen, in first-seen order
    for title in titles:
        for term in dict.fromkeys(extract(title)):
            key = normalize(term)
            surface.setdefault(key, term)
            counts[key] += 1
    first_seen = {key: index for index, key in enumerate(surface)}
    ordered = sorted(counts, key=lambda key: (-counts[key], -len(key), first_seen[key]))
    return [(surface[key], counts[key]) for key in ordered]


def _latin_terms(title: str) -> list[str]:
    return [
        term
        for term in _LATIN_TERM.findall(title)
        # Names ("Qwen4-Plus", "API", "MoE") carry a capital or a digit; plain words ("token") are not tags.
        if len(term) > 1
        and any(c.isalpha() for c in term)
        and any(c.isupper() or c.isdigit() for c in term)
        and term.lower() not in ENGLISH_STOPWORDS
    ]


def _cjk_phrases(title: str) -> list[str]:
    phrases: list[str] = []
    for run in _CJK_RUN.findall(title):
        for size in range(2, min(len(run), 6) + 1):
            phrases.extend(run[i : i + size] for i in range(len(run) - size + 1))
    return phrases


def _closed(phrases: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    """Drop a phrase when a longer one containing it is in as many titles ("千問" in "通義千問")."""
    return [
        (phrase, count)
        for phrase, count in phrases
        if not any(
            phrase in other and other != phrase and other_count == count for other, other_count in phrases
        )
    ]
