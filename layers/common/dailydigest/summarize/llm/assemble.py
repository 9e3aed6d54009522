"""A checked answer turned into a Digest: the model writes the prose, the fetched set supplies the
rest (topic, date, sources, which stories are updates).

The prose is normalised on the way: Markdown emphasis dropped, Taiwan Traditional Chinese for zh-TW,
one highlight per story, the update prefix the post adds itself removed, and tags without duplicates.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections import Counter
from collections.abc import Callable, Sequence

from dailydigest.locales import facts_for
from dailydigest.models.digest import FIXED_TAGS, Analysis, Digest, Highlight, Implications, Source
from dailydigest.models.topic import Topic
from dailydigest.models.types import SHORT_TEXT_MAX
from dailydigest.news.text import normalize
from dailydigest.summarize.llm.material import Material
from dailydigest.summarize.llm.prompts import PROMPT_VERSION
from dailydigest.summarize.llm.schema import Answer

log = logging.getLogger(__name__)

MAX_TAGS = 5
# The post adds these itself: a digest tag that repeats one is dropped (compared folded).
_FIXED_TAGS = frozenset(normalize(tag) for tag in FIXED_TAGS)
_UPDATE_PREFIX = re.compile(
    r"^\s*(?:[（(【\[]\s*(?:更新|update)\s*[）)】\]]|(?:更新|update)\s*[:：])\s*", re.I
)
_MARKDOWN_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")


def build_digest(
    topic: Topic, day: dt.date, material: Material, answer: Answer, model: str, grounding: float | None
) -> Digest:
    """The Digest: the answer's prose (in Taiwan Traditional Chinese for zh-TW) plus topic, date,
    sources and provenance from the fetched set. Highlights of stories fetch marked as updates are
    updates; a second highlight of one story is dropped."""
    if facts_for(topic.locale).traditional_chinese:
        from dailydigest.summarize.chinese import to_taiwan

        local: Callable[[str], str] = to_taiwan
    else:

        def local(text: str) -> str:
            return text

    def prose(text: str) -> str:
        return local(_MARKDOWN_EMPHASIS.sub(r"\2", text)).strip()

    source_story = material.source_story
    updates = {story.number for story in material.stories if story.is_update}
    highlights = []
    covered: set[int] = set()
    for item in answer.highlights:
        # The cited sources say which story a highlight is about (and so whether it is an update)
        # when the number the model gave is not one of theirs.
        cited = [source_story[i] for i in item.source_ids]
        story = item.story if item.story in cited else Counter(cited).most_common(1)[0][0]
        if story in covered:  # the prompt asks for one highlight per story
            log.info("llm highlight dropped", extra={"story": story, "reason": "story already covered"})
            continue
        covered.add(story)
        is_update = story in updates
        # Fetch decides what is an update; the post adds the marker itself.
        headline = _UPDATE_PREFIX.sub("", item.headline)
        highlights.append(
            Highlight(
                headline=prose(headline) or prose(item.headline),
                body=prose(item.body),
                source_ids=tuple(item.source_ids),
                is_update=is_update,
            )
        )
    return Digest(
        topic=topic.slug,
        display_name=topic.name,
        date=day,
        locale=topic.locale,
        trend_overview=prose(answer.trend_overview),
        highlights=tuple(highlights),
        analysis=Analysis(
            significance=prose(answer.analysis.significance),
            comparison=prose(answer.analysis.comparison),
            market_impact=prose(answer.analysis.market_impact),
        ),
        key_points=tuple(prose(point.text) for point in answer.key_points),
        implications=Implications(
            developers=tuple(prose(text) for text in answer.implications.developers),
            users=tuple(prose(text) for text in answer.implications.users),
        ),
        tags=_tags(answer.tags, topic, prose),
        ai_summary=prose(answer.ai_summary),
        sources=tuple(
            Source(
                id=source.id,
                title=local(source.title)[:SHORT_TEXT_MAX],
                url=source.url,
                publisher=source.publisher,
            )
            for source in material.sources
        ),
        generator="llm",
        model=model[:100],
        grounding=grounding,
        prompt_version=PROMPT_VERSION,
    )


def _tags(tags: Sequence[str], topic: Topic, prose: Callable[[str], str]) -> tuple[str, ...]:
    """The answer's tags without duplicates or the ones the post adds itself (display name, AI, Digest)."""
    excluded = {normalize(topic.name), *_FIXED_TAGS}
    kept: dict[str, str] = {}
    for tag in tags:
        text = prose(tag)
        key = normalize(text)
        if text and key not in excluded and key not in kept:
            kept[key] = text
    return tuple(kept.values())[:MAX_TAGS]
