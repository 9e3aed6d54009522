"""The memory across days, measured on the five-day fixture (tests/support/memory_days.py).

Runs the days through fetch, summarize and render on a directory store, three ways:

- in date order, every day published (the reference);
- in date order with 11-27's summarize failing;
- out of order: 11-28 first, then 11-25..11-27 backfilled, then 11-28 rerun afresh.

and prints the twelve checks of the memory, plus the counts: stories repeated (published again
without being an update), false updates (a story flagged as an update that is none), updates
missed (a real update left out or shown as a new story).

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
from tests.support.memory_days import (  # noqa: E402  # noqa: E402
    CODE_ZH,
    D1,
    D2,
    D3,
    D4,
    D5,
    DAYS,
    EXPECTED,
    PRICE_UPDATE,
    UPDATE,
    URL,
    PostStories,
    SummarizeFailed,
    forget_day,
    run_day,
)

UPDATES = {UPDATE.title, PRICE_UPDATE.title}


def in_order(root: Path, fail: frozenset[object] = frozenset()) -> dict[object, PostStories | None]:
    store = DirectoryStore(root)
    posts: dict[object, PostStories | None] = {}
    for day in DAYS:
        try:
            posts[day] = run_day(store, day, fail=day in fail)
        except SummarizeFailed:
            posts[day] = "failed"  # type: ignore[assignment]
    return posts


def counts(posts: dict[object, PostStories | None]) -> tuple[int, int, int]:
    """Repeated stories, false updates, updates missed, over the published posts in date order."""
    seen_urls: set[str] = set()
    repeated = false_updates = 0
    shown_updates: set[str] = set()
    for day in DAYS:
        post = posts.get(day)
        if not isinstance(post, list):
            continue
        for title, is_update, urls in post:
            if is_update and title not in UPDATES:
                false_updates += 1
            if is_update:
                shown_updates.add(title)
            if not is_update and seen_urls & set(urls):
                repeated += 1
            if is_update and seen_urls & set(urls):
                repeated += 1  # an update must list only its new sources
            seen_urls.update(urls)
    return repeated, false_updates, len(UPDATES - shown_updates)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        reference = in_order(base / "reference")
        failing = in_order(base / "failing", frozenset({D3}))
        backfill_store = DirectoryStore(base / "backfill")
        first_d4 = run_day(backfill_store, D4)
        backfilled = {day: run_day(backfill_store, day) for day in (D1, D2, D3)}
        forget_day(backfill_store, D4)
        rerun_d4 = run_day(backfill_store, D4)

    def titles(post: object) -> list[tuple[str, bool]]:
        return [(t, u) for t, u, _ in post] if isinstance(post, list) else []

    d2_urls = {url for _, _, urls in reference[D2] or [] for url in urls}
    d4_fail = failing[D4]
    checks = {
        "day 2: a same-facts retelling by another outlet left out": URL[list(URL)[4]] not in d2_urls,
        "day 2: an English same-facts report of a Chinese story left out": URL[list(URL)[5]] not in d2_urls,
        "day 2: day 1's reports (still in the window) not repeated": not d2_urls
        & {url for _, _, urls in reference[D1] or [] for url in urls},
        "day 2: the update shown once, as an update, with only its new source": titles(reference[D2]).count(
            (UPDATE.title, True)
        )
        == 1
        and next((urls for t, _, urls in reference[D2] or [] if t == UPDATE.title), ()) == (URL[UPDATE],),
        "day 2: a brand-new story not flagged as an update": all(
            not u for t, u in titles(reference[D2]) if t != UPDATE.title
        ),
        "day 2: the new zh+en story kept, as one new story": reference[D2] is not None
        and (EXPECTED[D2] or [None])[0] in (reference[D2] or []),
        "day 3: a same-facts retelling of the update left out": titles(reference[D3])
        == [(t, u) for t, u, _ in EXPECTED[D3] or []],
        "day 4: a failed day's story appears the next day": (CODE_ZH.title, False) in titles(d4_fail),
        "day 4: newsletter and AMP copies of old articles left out": not {
            url for _, _, urls in d4_fail or [] for url in urls
        }
        & {"https://technews.example/nimbus-3.html", "https://bench.example/nimbus-3-scores.html"}
        and all(
            "utm_" not in url and "ampproject" not in url for _, _, urls in d4_fail or [] for url in urls
        ),
        "day 5: a quiet day ends as NoNews": reference[D5] is None and failing[D5] is None,
        "backfill: days backfilled after a later one get their date-order posts": all(
            backfilled[day] == reference[day] for day in (D1, D2, D3)
        ),
        "rerun: a later day rerun after an earlier backfill is unchanged": rerun_d4 == first_d4,
    }
    for number, (name, ok) in enumerate(checks.items(), 1):
        print(f"{number:2d}. {'pass' if ok else 'FAIL'}  {name}")
    print(f"checks passed: {sum(checks.values())} of {len(checks)}")
    all_days = {**reference}
    for label, posts in (("in date order", reference), ("with 11-27 failing", failing)):
        repeated, false_updates, missed = counts(posts)
        print(f"{label}: repeated stories {repeated}, false updates {false_updates}, updates missed {missed}")
    exact = sum(reference[day] == EXPECTED[day] for day in DAYS)
    print(f"posts exactly as expected (date order): {exact} of {len(DAYS)}")
    for day in DAYS:
        print(f"  {day}: {titles(all_days[day]) if all_days[day] else 'NoNews'}")
    print(f"  failing run, {D4}: {titles(d4_fail)}")


if __name__ == "__main__":
    main()
