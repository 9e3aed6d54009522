"""The digest's tags without an LLM: terms shared by the most headlines."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence

from dailydigest.models.topic import Topic
from dailydigest.news.text import ENGLISH_STOPWORDS, is_cjk, normalize
from dailydigest.summarize.extractive.sentences import CJK_RUN

MAX_TAGS = 5
_GENERIC_TAGS = frozenset({"ai", "digest", "daily"})
_LATIN_TERM = re.compile(r"[A-Za-z0-9]+(?:[-.][A-Za-z0-9]+)*")


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
    for run in CJK_RUN.findall(title):
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
