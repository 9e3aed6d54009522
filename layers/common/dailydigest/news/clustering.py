"""Reports of one event, grouped into stories (average-link agglomerative clustering).

Functions take articles in order of preference (gather's order: the earliest report first); a
story's first article, its anchor, names it.
"""

from __future__ import annotations

import hashlib
import heapq
import math
from collections import Counter
from collections.abc import Sequence
from urllib.parse import urlsplit

from dailydigest.models.article import Article, Story
from dailydigest.models.topic import Topic
from dailydigest.news.features import (
    anchors,
    distinct_names,
    outlet_boilerplate,
    traditional,
    without_sentences,
)
from dailydigest.news.text import cjk_ratio, latin_words, lead, tokens
from dailydigest.news.urls import canonical_url

SAME_STORY_SIMILARITY = 0.14
"""Average similarity at which two groups of articles report the same event.

Measured on a labelled day of news (scripts/bench_clustering.py): no two events are joined from
0.12 up, and recall is at its best from 0.12 to 0.16; the sample web's reports of one event score
0.17 and up, its unrelated Qwen news 0.10 at most.
"""
CHINESE_SHARE = 0.3
"""Share of CJK letters from which a report is Chinese, for the cross-language comparison."""
ANCHOR_SHARE = 0.5
"""How much a pair's shared names and figures count against shared words (their cosine times this)."""
_MIN_SHARED_ANCHORS = 2
_LEAD_CHARS = 500
_BOILERPLATE_SCAN = 3_000  # the opening of a text searched for an outlet's repeated sentences
_STORY_MAX_ARTICLES = 50  # Story.articles' own limit
_BACKGROUND_DOCS = 10


def topic_terms(topic: Topic) -> frozenset[str]:
    # Every article mentions the topic itself; those terms say nothing about which event it reports.
    return frozenset(term for text in (*topic.queries, topic.name, topic.slug) for term in tokens(text))


class _WeightedSets:
    """Term sets with rarity weights and their norms, for cosines of any two of them."""

    def __init__(self, sets: Sequence[frozenset[str]], weight: dict[str, float] | None = None) -> None:
        self.sets = sets
        self.weight = _rarity(sets) if weight is None else weight
        self.norm = [sum(self.weight[term] for term in terms) for terms in sets]

    def cosine(self, i: int, j: int) -> float:
        shared = self.sets[i] & self.sets[j]
        if not shared:
            return 0.0
        return sum(self.weight[term] for term in shared) / math.sqrt(self.norm[i] * self.norm[j])


def _rarity(sets: Sequence[frozenset[str]]) -> dict[str, float]:
    # IDF over the day's articles plus _BACKGROUND_DOCS imaginary ones that share nothing, so that in
    # a handful of articles the terms they all share (one event's names) are not weighted away.
    document_frequency: Counter[str] = Counter(term for terms in sets for term in terms)
    documents = len(sets) + _BACKGROUND_DOCS
    return {term: math.log((documents + 1) / (df + 1)) for term, df in document_frequency.items()}


def _outlet(article: Article) -> str:
    return article.publisher or urlsplit(str(article.url)).hostname or ""


class _Similarity:
    """Pairwise similarity of two reports: their words, or the names and figures they share.

    Words: title+lead term sets (CJK bigrams in one script, latin words) without the outlets'
    boilerplate, weighted by rarity; across Chinese and English the latin terms alone are compared
    too. Anchors: names with versions and figures (features.anchors), weighted by rarity; they count
    only when two or more are shared, since one shared figure or name is often a coincidence.
    """

    def __init__(self, articles: Sequence[Article], ignore: frozenset[str]) -> None:
        boilerplate = outlet_boilerplate([(_outlet(a), a.body[:_BOILERPLATE_SCAN]) for a in articles])
        texts = [
            traditional(
                f"{a.title}\n{lead(without_sentences(a.body[:_BOILERPLATE_SCAN], boilerplate), _LEAD_CHARS)}"
            )
            for a in articles
        ]
        self.terms = _WeightedSets([frozenset(t for t in tokens(text) if t not in ignore) for text in texts])
        latin = [frozenset(term for term in terms if term.isascii()) for terms in self.terms.sets]
        self.latin = _WeightedSets(latin, self.terms.weight)
        self.anchors = _WeightedSets([anchors(text, ignore) for text in texts])
        # By script, not by language label: what matters is which terms two reports can share.
        self.chinese = [cjk_ratio(text) >= CHINESE_SHARE for text in texts]

    def __call__(self, i: int, j: int) -> float:
        words = self.terms.cosine(i, j)
        if self.chinese[i] != self.chinese[j]:
            words = max(words, self.latin.cosine(i, j))
        if distinct_names(self.anchors.sets[i] & self.anchors.sets[j]) < _MIN_SHARED_ANCHORS:
            return words
        return max(words, ANCHOR_SHARE * self.anchors.cosine(i, j))


def cluster_articles(
    articles: Sequence[Article],
    ignore: frozenset[str] = frozenset(),
    threshold: float = SAME_STORY_SIMILARITY,
) -> list[list[Article]]:
    """Group articles reporting the same event; each group keeps the input's order."""
    similarity = _Similarity(articles, ignore)
    members: dict[int, list[int]] = {i: [i] for i in range(len(articles))}
    # Sum of the pairwise similarities between two clusters; merging two clusters adds their sums.
    links = {(i, j): similarity(i, j) for i in range(len(articles)) for j in range(i + 1, len(articles))}

    def average(pair: tuple[int, int]) -> float:
        return links[pair] / (len(members[pair[0]]) * len(members[pair[1]]))

    # The best pair first (ties: the lowest indices); entries go stale when a cluster changes, so
    # each carries the clusters' versions and is skipped when they moved on.
    version = [0] * len(articles)
    queue = [(-value, i, j, 0, 0) for (i, j), value in links.items()]
    heapq.heapify(queue)
    while queue:
        negative, a, b, version_a, version_b = heapq.heappop(queue)
        if a not in members or b not in members or (version[a], version[b]) != (version_a, version_b):
            continue
        if -negative < threshold:
            break
        members[a] = sorted(members[a] + members.pop(b))
        version[a] += 1
        del links[(a, b)]
        for other in members:
            if other != a:
                pair = _pair(a, other)
                links[pair] += links.pop(_pair(b, other))
                heapq.heappush(queue, (-average(pair), *pair, version[pair[0]], version[pair[1]]))
    return [[articles[i] for i in cluster] for cluster in members.values()]


def _pair(i: int, j: int) -> tuple[int, int]:
    return (i, j) if i < j else (j, i)


def story_id(anchor: Article) -> str:
    """A short, stable id: a few latin words of the title plus a hash of the anchor article's URL."""
    digest = hashlib.sha256(canonical_url(str(anchor.url)).encode()).hexdigest()[:10]
    words = ["".join(char for char in word if char.isalnum()) for word in latin_words(anchor.title)]
    slug = "-".join(word for word in words if word)[:40].strip("-")
    return f"{slug}-{digest}" if slug else digest


def build_stories(articles: Sequence[Article], ignore: frozenset[str] = frozenset()) -> list[Story]:
    """Stories from clustered articles; each story's first article is its earliest (its anchor)."""
    stories = []
    for cluster in cluster_articles(articles, ignore):
        # A story holds at most as many articles as a digest may cite; the earliest reports stay.
        members = cluster[:_STORY_MAX_ARTICLES]
        stories.append(Story(id=story_id(members[0]), title=members[0].title, articles=tuple(members)))
    return stories
