"""The chat messages of each request: the digest over articles (one call) or over notes (the reduce
step of map-reduce), and the notes of one batch of stories (the map step); and the plan that sizes
them to the token budget."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from dailydigest.models.topic import Topic
from dailydigest.summarize.llm import prompts
from dailydigest.summarize.llm.budget import Budget, Measure, Plan, estimate_messages, plan_digest
from dailydigest.summarize.llm.client import Message
from dailydigest.summarize.llm.material import Material, PromptStory
from dailydigest.summarize.llm.schema import Answer, CitedPoint, skeleton

MAX_HIGHLIGHTS = 8
MAX_NOTES_PER_STORY = 6


def digest_messages(
    topic: Topic,
    day: dt.date,
    material: Material,
    stories: Sequence[PromptStory],
    notes: Mapping[int, Sequence[CitedPoint]] | None = None,
) -> list[Message]:
    """The system and user messages that ask for the digest (from articles, or from notes)."""
    context = _context(topic, day, material, stories)
    context.update(schema_text=skeleton(Answer))
    if notes is not None:
        context.update(notes_mode=True, notes=notes)
    return [
        {"role": "system", "content": prompts.render_prompt("system", topic.locale, **context)},
        {"role": "user", "content": prompts.render_prompt("digest", topic.locale, **context)},
    ]


def notes_messages(
    topic: Topic, day: dt.date, material: Material, stories: Sequence[PromptStory]
) -> list[Message]:
    context = _context(topic, day, material, stories)
    return [
        {"role": "system", "content": prompts.render_prompt("system", topic.locale, **context)},
        {"role": "user", "content": prompts.render_prompt("notes", topic.locale, **context)},
    ]


def plan(topic: Topic, day: dt.date, material: Material, budget: Budget) -> Plan:
    """One call or map-reduce, and the per-article budget, for this material."""

    def measure(
        messages: Callable[[Topic, dt.date, Material, Sequence[PromptStory]], list[Message]],
    ) -> Measure:
        def tokens(indexes: Sequence[int], article_tokens: int) -> int:
            stories = material.trimmed(indexes, article_tokens)
            return estimate_messages(messages(topic, day, material, stories))

        return tokens

    return plan_digest(measure(digest_messages), measure(notes_messages), len(material.stories), budget)


def reduce_messages(
    topic: Topic,
    day: dt.date,
    material: Material,
    notes: Mapping[int, Sequence[CitedPoint]],
    input_tokens: int,
) -> list[Message]:
    """The digest prompt over the notes, with fewer notes per story until it fits `input_tokens`."""
    messages: list[Message] = []
    for per_story in range(MAX_NOTES_PER_STORY, 0, -1):
        kept = {number: list(facts)[:per_story] for number, facts in notes.items()}
        messages = digest_messages(topic, day, material, material.stories, kept)
        if estimate_messages(messages) <= input_tokens:
            break
    return messages


def _context(
    topic: Topic, day: dt.date, material: Material, stories: Sequence[PromptStory]
) -> dict[str, Any]:
    return {
        "topic_name": topic.name,
        "date": day.isoformat(),
        "nonce": material.nonce,
        "stories": stories,
        "source_count": sum(len(story.sources) for story in stories),
        "min_highlights": min(3, len(stories)),
        "max_highlights": min(MAX_HIGHLIGHTS, len(stories)),
        "notes_mode": False,
        "notes": {},
    }
