"""The memory across days, measured on the five-day fixture (tests/support/memory_days.py).

Runs the days through fetch, summarize and render on a directory store, three ways:

- in date order, every day published (the reference);
- in date order with 11-27's summarize failing;
- out of order: 11-28 first, then 11-25..11-27 backfilled, then 11-28 rerun afresh.

and prints the twelve checks of the memory, plus the counts: stories repeated (a post listing a
source an earlier post listed), false updates (a story flagged as an update that is none),
updates missed (a real update left out or shown as a new story), and the stories a failed day
never got published.

    .venv/bin/python scripts/bench_memory.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "layers" / "common"))

from dailydigest.store.local import DirectoryStore  # noqa: E402
from tests.support.memory_days import (  # noqa: E402
    CODE_ZH,
    D1,
    D2,
    D3,
    D4,
    D5,
    DAYS,
    EXPECTED,
    PRICE_CUT_EN,
    PRICE_UPDATE,
    UPDATE,
    URL,
    PostStories,
    SummarizeFailed,
    backfill_then_rerun,
    run_day,
)
from tests.support.news_fixtures import RETELLING  # noqa: E402

UPDATES = {UPDATE.title, PRICE_UPDATE.title}
FAILED = "failed"
Posts = dict[object, PostStories | str | None]


def in_order(root: Path, fail: frozenset[object] = frozenset()) -> Posts:
    """Every day in date order on one store; a day in `fail` has its summarize fail."""
    store = DirectoryStore(root)
    posts: Posts = {}
    for day in DAYS:
        try:
            posts[day] = run_day(store, day, fail=day in fail)
        except SummarizeFailed:
            posts[day] = FAILED
    return posts


def stories(post: PostStories | str | None) -> PostStories:
    return post if isinstance(post, list) else []


def urls_of(post: PostStories | str | None) -> set[str]:
    return {url for _, _, urls in stories(post) for url in urls}


def titles(post: PostStories | str | None) -> list[tuple[str, bool]]:
    return [(title, is_update) for title, is_update, _ in stories(post)]


def counts(posts: Posts) -> tuple[int, int, int]:
    """Repeated stories, false updates, updates missed, over the published posts in date order.

    A story is repeated when a post lists a source an earlier post listed (an update may list only
    its new sources); an update is false when the story is none of the fixture's real updates."""
    seen: set[str] = set()
    repeated = false_updates = 0
    shown: set[str] = set()
    for day in DAYS:
        for title, is_update, urls in stories(posts.get(day)):
            repeated += bool(seen & set(urls))
            if is_update:
                shown.add(title)
                false_updates += title not in UPDATES
            seen.update(urls)
    return repeated, false_updates, len(UPDATES - shown)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        reference = in_order(base / "reference")
        failing = in_order(base / "failing", frozenset({D3}))
        backfill = backfill_then_rerun(DirectoryStore(base / "backfill"))

    day2 = reference[D2]
    old_pages = {"https://technews.example/nimbus-3.html", "https://bench.example/nimbus-3-scores.html"}
    update_sources = [urls for title, _, urls in stories(day2) if title == UPDATE.title]
    checks = {
        "day 2: a same-facts retelling by another outlet left out": URL[RETELLING] not in urls_of(day2),
        "day 2: an English same-facts report of a Chinese story left out": URL[PRICE_CUT_EN]
        not in urls_of(day2),
        "day 2: day 1's reports (still in the window) not repeated": not urls_of(day2)
        & urls_of(reference[D1]),
        "day 2: the update shown once, as an update, with only its new source": update_sources
        == [(URL[UPDATE],)]
        and (UPDATE.title, True) in titles(day2),
        "day 2: a brand-new story not flagged as an update": all(
            not is_update for title, is_update in titles(day2) if title != UPDATE.title
        ),
        "day 2: the new zh+en story kept, as one new story": stories(day2)[:1] == (EXPECTED[D2] or [])[:1],
        "day 3: a same-facts retelling of the update left out": reference[D3] == EXPECTED[D3],
        "day 4: a failed day's story appears the next day": (CODE_ZH.title, False) in titles(failing[D4]),
        "day 4: newsletter and AMP copies of old articles left out": not urls_of(failing[D4]) & old_pages
        and all("utm_" not in url and "ampproject" not in url for url in urls_of(failing[D4])),
        "day 5: a quiet day ends as NoNews": reference[D5] is None and failing[D5] is None,
        "backfill: days backfilled after a later one get their date-order posts": all(
            backfill.backfilled[day] == reference[day] for day in (D1, D2, D3)
        ),
        "rerun: a later day rerun after an earlier backfill is unchanged": backfill.rerun == backfill.first,
    }
    for number, (name, ok) in enumerate(checks.items(), 1):
        print(f"{number:2d}. {'pass' if ok else 'FAIL'}  {name}")
    print(f"checks passed: {sum(checks.values())} of {len(checks)}")
    for label, posts in (("in date order", reference), ("with 11-27 failing", failing)):
        repeated, false_updates, missed = counts(posts)
        print(f"{label}: repeated stories {repeated}, false updates {false_updates}, updates missed {missed}")
    published = {title for day in DAYS for title, _ in titles(reference[day])}
    lost = published - {title for day in DAYS for title, _ in titles(failing[day])}
    print(f"with 11-27 failing: stories never published {len(lost)} {sorted(lost)}")
    exact = sum(reference[day] == EXPECTED[day] for day in DAYS)
    print(f"posts exactly as expected (date order): {exact} of {len(DAYS)}")
    for day in DAYS:
        print(f"  {day}: {titles(reference[day]) or 'NoNews'}")
    print(f"  failing run, {D4}: {titles(failing[D4])}")


if __name__ == "__main__":
    main()
