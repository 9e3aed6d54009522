"""Benchmark story clustering on a labelled day of news (tests/support/cluster_fixtures.py).

Nine events reported by three to six outlets each (Traditional and Simplified Chinese, English),
plus eight same-topic stories that must stay alone. Reports, through gather_stories (dedup,
clustering, ranking; no cap): pairwise precision and recall (a pair of reports is right when both
are in one story exactly when both report one event), the same with anchors switched off (words
only) and with each report cut to its headline and first sentence (what an item without its page,
such as an unresolved search result, offers), a second, held-out day on another topic, how many
stories each event became, a sweep
of the similarity threshold, and the time to cluster the set and a flood of 200 articles (the most
a day clusters).

Before this clusterer (commit 4fc5602: title+lead term cosine, no boilerplate removal, no script
folding, no anchors), the same set scored precision 0.47, recall 0.42 (its outlets' background
paragraphs joined different events and split one event's reports); as headlines and snippets only
1.00 / 0.63; and with the background paragraphs taken out of the texts by hand 1.00 / 0.77. On
the held-out day (DEEPSEEK_TOPIC, written after the thresholds were set) it scored 0.30 / 0.20.

    .venv/bin/python scripts/bench_clustering.py
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "layers" / "common"))

from dailydigest.models.article import Article  # noqa: E402
from dailydigest.news import clustering  # noqa: E402
from dailydigest.news.gather import gather_stories, preferred_first, topic_terms  # noqa: E402
from tests.support.cluster_fixtures import (  # noqa: E402
    DAY,
    DEEPSEEK_TOPIC,
    EVENT_SET,
    TOPIC,
    PairScores,
    articles,
    held_out_articles,
    held_out_labels,
    labels,
    pairwise_scores,
)
from tests.support.news_fixtures import ListSource  # noqa: E402

UNCAPPED = TOPIC.model_copy(update={"max_articles": 50, "min_articles": 1})
REPEATS = 5


def stories_of(found: list[Article]) -> list[list[str]]:
    bundle = gather_stories(UNCAPPED, DAY, [ListSource(found)])
    return [[str(article.url) for article in story.articles] for story in bundle.stories]


def line(name: str, scores: PairScores, stories: int) -> str:
    return (
        f"{name:<34} precision {scores.precision:5.3f}  recall {scores.recall:5.3f}  f1 {scores.f1:5.3f}"
        f"  ({scores.correct_pairs}/{scores.predicted_pairs} predicted pairs right,"
        f" {scores.correct_pairs}/{scores.true_pairs} true pairs found; {stories} stories)"
    )


def per_event(clusters: list[list[str]], truth: dict[str, str]) -> None:
    events = Counter(truth.values())
    split: dict[str, int] = defaultdict(int)
    strays: dict[str, int] = defaultdict(int)
    for cluster in clusters:
        for event in {truth[url] for url in cluster}:
            split[event] += 1
        majority = Counter(truth[url] for url in cluster).most_common(1)[0][0]
        for url in cluster:
            if truth[url] != majority:
                strays[truth[url]] += 1
    print("\nper event: reports -> stories it became (reports merged into another event's story)")
    for event in sorted(events, key=lambda e: (e.startswith("solo-"), e)):
        print(f"  {event:<16} {events[event]} -> {split[event]}  ({strays.get(event, 0)})")


def sweep(found: list[Article], truth: dict[str, str]) -> None:
    print(
        "\nthreshold sweep (average-link similarity at which groups merge; default "
        f"{clustering.SAME_STORY_SIMILARITY})"
    )
    ordered = preferred_first(found)
    for threshold in (0.08, 0.10, 0.12, 0.14, 0.16, 0.18, 0.20, 0.24):
        clusters = clustering.cluster_articles(ordered, topic_terms(TOPIC), threshold=threshold)
        scores = pairwise_scores([[str(a.url) for a in c] for c in clusters], truth)
        print(line(f"  threshold {threshold:.2f}", scores, len(clusters)))


def flood(found: list[Article]) -> list[Article]:
    """About 200 distinct articles: the set five times over, each copy from another outlet's address."""
    copies = []
    for n in range(5):
        for article in found:
            url = str(article.url).replace("https://", f"https://mirror{n}.")
            copies.append(article.model_copy(update={"url": url, "publisher": f"{article.publisher} {n}"}))
    return copies[:200]


def timed(found: list[Article]) -> float:
    ordered = preferred_first(found)
    runs = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        clustering.cluster_articles(ordered, topic_terms(TOPIC))
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    found, truth = articles(), labels()
    events = len(Counter(report.event for report in EVENT_SET))
    alone = sum(report.event.startswith("solo-") for report in EVENT_SET)
    print(f"set: {len(found)} reports of {events} events ({alone} of them reported once)")
    clusters = stories_of(found)
    print(line("clustering (default)", pairwise_scores(clusters, truth), len(clusters)))
    share = clustering.ANCHOR_SHARE
    clustering.ANCHOR_SHARE = 0.0
    words_only = stories_of(found)
    clustering.ANCHOR_SHARE = share
    print(line("words only (anchors off)", pairwise_scores(words_only, truth), len(words_only)))
    snippets = [
        article.model_copy(update={"text": "", "summary": article.text.split("\n")[0][:200]})
        for article in found
    ]
    as_snippets = stories_of(snippets)
    print(line("headlines and snippets only", pairwise_scores(as_snippets, truth), len(as_snippets)))
    held_out = gather_stories(DEEPSEEK_TOPIC, DAY, [ListSource(held_out_articles())])
    held_out_stories = [[str(article.url) for article in story.articles] for story in held_out.stories]
    print(
        line(
            "held-out day (DeepSeek)",
            pairwise_scores(held_out_stories, held_out_labels()),
            len(held_out_stories),
        )
    )
    per_event(clusters, truth)
    sweep(found, truth)
    print(f"\ncluster {len(found)} articles   median {timed(found) * 1000:7.1f} ms  (n={REPEATS})")
    big = flood(found)
    print(f"cluster {len(big)} articles  median {timed(big) * 1000:7.1f} ms  (n={REPEATS})")


if __name__ == "__main__":
    main()
