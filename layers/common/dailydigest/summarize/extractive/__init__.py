"""The summarizer used without an LLM: the digest is made of the articles' own sentences.

Honest by construction: it quotes, and invents no analysis. Each section takes its best unused
sentences (`picker`) among those that read on their own and are written in the digest's language
(`sentences`); no sentence appears twice in a post, and no highlight says the same figure twice.
An article in another language gives its highlight at most its headline (marked with its language)
and one short excerpt. Analysis is quoted only where a source offered judgement on that heading, and
is credited to its outlet; where none did, the bullet says so (`wording`).

Article text is untrusted: sentences that address a model, carry a link, markup or script are never
quoted (the same tests the LLM's answer must pass), and a zh-TW digest quotes Simplified sentences in
Taiwan Traditional Chinese, so the post holds no Simplified character.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from dailydigest.errors import DigestError
from dailydigest.locales import facts_for
from dailydigest.models.article import Story
from dailydigest.models.digest import Analysis, Digest, Highlight, Implications, Source
from dailydigest.models.topic import Topic
from dailydigest.news.fingerprint import facts
from dailydigest.news.text import contains_any, guess_language, join_sentences, split_sentences
from dailydigest.summarize.extractive.cues import (
    COMPARISON_CUES,
    DEVELOPER_CUES,
    MARKET_CUES,
    OPINION_CUES,
    SIGNIFICANCE_CUES,
    USER_CUES,
)
from dailydigest.summarize.extractive.picker import Picker
from dailydigest.summarize.extractive.sentences import (
    Sentence,
    article_language,
    collect,
    digest_language,
    outlet,
    sentence_language,
    stands_alone,
    usable,
    without_additive_opener,
)
from dailydigest.summarize.extractive.tags import title_tags
from dailydigest.summarize.extractive.wording import Wording
from dailydigest.summarize.llm.material import defang

MAX_KEY_POINTS = 7
MAX_HIGHLIGHTS = 20
EXCERPT_CHARS = 160
_PARAGRAPH_LIMIT = 4000


class ExtractiveSummarizer:
    """Summarizer that writes the digest from the articles' own sentences; no LLM needed."""

    name = "extractive"

    def summarize(self, topic: Topic, day: dt.date, stories: Sequence[Story]) -> Digest:
        if not stories:
            raise DigestError(f"no stories to summarize for {topic.slug} on {day.isoformat()}")
        stories = defang(stories)
        wording = Wording(topic.locale)
        sources = _sources(stories)
        picker = Picker(collect(stories, topic.locale))
        highlights = tuple(
            _highlight(story, index, picker, sources, topic.locale, wording)
            for index, story in enumerate(stories[:MAX_HIGHLIGHTS])
        )
        analysis = _analysis(picker, wording)
        developers, users = wording.audiences
        implications = Implications(
            developers=_audience(picker, DEVELOPER_CUES, wording.nothing_for(developers)),
            users=_audience(picker, USER_CUES, wording.nothing_for(users)),
        )
        key_points = tuple(
            s.text for s in _in_order(picker.pick(picker.all, MAX_KEY_POINTS, one_per_story=True))
        )
        # The overview names the day's first stories, then adds what else is said about the topic itself.
        names = [topic.slug, topic.name, *topic.queries]

        def about_topic(sentence: Sentence) -> bool:
            return contains_any(sentence.text, names)

        trend_overview = join_sentences(
            [wording.overview(topic.name, len(stories), [h.headline for h in highlights[:3]])]
            + [s.text for s in _in_order(picker.pick(picker.all, 2, accept=about_topic, one_per_story=True))]
        )
        digest = Digest(
            topic=topic.slug,
            display_name=topic.name,
            date=day,
            locale=topic.locale,
            trend_overview=trend_overview,
            highlights=highlights,
            analysis=analysis,
            key_points=key_points or tuple(h.headline for h in highlights[:MAX_KEY_POINTS]),
            implications=implications,
            tags=title_tags([a.title for story in stories for a in story.articles], topic),
            ai_summary=_teaser(highlights),
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


def _in_order(chosen: Sequence[Sentence]) -> list[Sentence]:
    return sorted(chosen, key=lambda s: s.order)


def _teaser(highlights: Sequence[Highlight]) -> str:
    """The archive's and feeds' teaser: the leads of the first highlights (it stands in for the post
    where the post is not shown, so it says what the post says first)."""
    leads = [sentences[0] for h in highlights[:3] if (sentences := split_sentences(h.body))]
    return join_sentences(leads)[:_PARAGRAPH_LIMIT] or highlights[0].headline


def _headline(story: Story, locale: str, wording: Wording) -> str:
    """The story's title in the digest's language (an outlet's, when the story's own is not), else
    the title marked with its language."""
    language = digest_language(locale)
    first = story.articles[0] if story.articles else None
    titles = [(story.title, first)] + [(a.title, a) for a in story.articles]
    for title, article in titles:
        written_in = article_language(article.body, article.title) if article else ""
        if sentence_language(title, written_in) in ("", language):
            return title
    written_in = article_language(first.body, first.title) if first else guess_language(story.title)
    return wording.foreign_headline(story.title, sentence_language(story.title, written_in))


def _highlight(
    story: Story,
    index: int,
    picker: Picker,
    sources: Sequence[tuple[Source, int]],
    locale: str,
    wording: Wording,
) -> Highlight:
    pool = [s for s in picker.all if s.story == index]
    # A highlight opens with the best lead (news leads summarise), then adds other facts, none twice;
    # an update opens with the sentence telling most of what is new (fetch found those facts).
    size = 3 if len(story.articles) > 1 else 2
    news = set(story.new_facts) if story.is_update else set()
    telling = [s for s in pool if news & facts(s.text)]
    lead = picker.pick(
        telling, 1, strength=lambda s: len(news & facts(s.text)) * 1000 + picker.score[s.order]
    ) or picker.pick([s for s in pool if s.position == 0], 1)
    rest = picker.pick([s for s in pool if s not in lead], size - len(lead))
    chosen = lead + _in_order(rest)
    body = join_sentences(s.text for s in chosen) if chosen else _excerpt(story, locale, wording)
    return Highlight(
        headline=_headline(story, locale, wording),
        body=body[:_PARAGRAPH_LIMIT],
        source_ids=tuple(source.id for source, story_index in sources if story_index == index),
        is_update=story.is_update,
    )


def _excerpt(story: Story, locale: str, wording: Wording) -> str:
    """A story with nothing quotable in the digest's language: one short excerpt of its lead, marked
    with its language and outlet (or its title, when it has no usable text at all)."""
    for article in story.articles:
        lead = next((s for s in split_sentences(article.body) if usable(s) and stands_alone(s)), "")
        if not lead:
            continue
        lead = without_additive_opener(lead)
        written_in = sentence_language(lead, article_language(article.body, article.title))
        if written_in in ("", digest_language(locale)):
            return lead
        short = lead
        if len(lead) > EXCERPT_CHARS:  # cut at a word in spaced text, anywhere in Chinese
            cut = lead[:EXCERPT_CHARS]
            short = (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "…"
        return wording.foreign_excerpt(
            short, outlet(article.publisher, str(article.url)), guess_language(lead)
        )
    return story.title


def _analysis(picker: Picker, wording: Wording) -> Analysis:
    """Each heading: up to two sentences of judgement that answer it, credited to their outlets,
    from different stories; or a plain statement that the sources offered none.

    A sentence may answer several headings (a comparison of prices is also about the market): the
    heading with the fewest candidates chooses first, so each heading that any source answered gets
    an answer before another gets its second."""
    headings = (SIGNIFICANCE_CUES, COMPARISON_CUES, MARKET_CUES)

    def answers(cues: Sequence[str]) -> Callable[[Sentence], bool]:
        # A comparison is analysis even when stated as fact; the other headings need a judgement.
        factual_ok = cues is COMPARISON_CUES

        def accept(sentence: Sentence) -> bool:
            text = sentence.text
            return contains_any(text, cues) and (factual_ok or contains_any(text, OPINION_CUES))

        return accept

    def strength(cues: Sequence[str]) -> Callable[[Sentence], float]:
        # More of the heading's cues: more about it; centrality breaks ties.
        def rate(sentence: Sentence) -> float:
            hits = sum(cue.lower() in sentence.text.lower() for cue in cues)
            return hits * 1000 + picker.score[sentence.order]

        return rate

    accepts = [answers(cues) for cues in headings]
    candidates = {
        index: sum(1 for s in picker.all if s.native and s.standalone and accept(s))
        for index, accept in enumerate(accepts)
    }
    chosen: dict[int, list[Sentence]] = {index: [] for index in range(len(headings))}
    for _ in range(2):  # a first answer for every heading, then a second
        for index in sorted(candidates, key=lambda i: (candidates[i], i)):
            cues = headings[index]
            taken = {s.story for s in chosen[index]}
            chosen[index] += picker.pick(
                [s for s in picker.all if s.story not in taken],
                1,
                accept=accepts[index],
                strength=strength(cues),
            )
    paragraphs = []
    for index, subject in enumerate(wording.headings):
        quotes = [wording.attributed(s.text, s.outlet) for s in _in_order(chosen[index])]
        paragraphs.append(join_sentences(quotes) if quotes else wording.no_analysis(subject))
    significance, comparison, market_impact = paragraphs
    return Analysis(significance=significance, comparison=comparison, market_impact=market_impact)


def _audience(picker: Picker, cues: Sequence[str], nothing: str) -> tuple[str, ...]:
    chosen = picker.pick(
        picker.all,
        3,
        accept=lambda s: contains_any(s.text, cues),
        one_per_story=True,
        strength=picker.audience(cues),
    )
    return tuple(s.text for s in _in_order(chosen)) or (nothing,)
