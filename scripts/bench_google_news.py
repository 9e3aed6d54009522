"""Benchmark Google News resolution: requests to Google per item, and the resolution wall for 30 items.

A loopback Google News (tests/support/fake_google_news.py) serves a realistic day of 30 current
items whose article pages are 600 KB, and ten outlets serve the articles on their own host names
(all on 127.0.0.1). Google's answers come after an injected delay (0 ms, and 150 ms, about a
transatlantic round trip plus Google's own time). Reported per run:

- requests to Google per item (searches, article pages, RPC POSTs), first run and a rerun over the
  same store (resolutions cached);
- the resolution wall (article pages + RPC, from the first page GET to the last answer) and the
  source's whole wall (search, resolution and the outlets' pages);
- items resolved and read in full.

    .venv/bin/python scripts/bench_google_news.py [--delays 0,150]
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "layers" / "common"))


def run(delay_ms: int) -> dict[str, float]:
    from dailydigest.sources import google_news_resolver
    from dailydigest.sources.google_news import GoogleNewsSource
    from dailydigest.store.local import DirectoryStore
    from dailydigest.web.cache import PageCache
    from dailydigest.web.guard import system_resolver
    from dailydigest.web.http import HttpWebClient
    from tests.support.fake_google_news import FakeGoogleNews, Faults
    from tests.support.google_news_day import DAY, NOW, serve_day
    from tests.support.loopback_web import LoopbackWeb
    from tests.support.news_fixtures import topic

    subject = topic(queries=["Nimbus"], max_articles=30, min_articles=1)
    resolve_walls: list[float] = []
    original = google_news_resolver.LinkResolver.resolve

    def timed(self: google_news_resolver.LinkResolver, ids: list[str]) -> google_news_resolver.Resolution:
        start = time.perf_counter()
        try:
            return original(self, ids)
        finally:
            resolve_walls.append(time.perf_counter() - start)

    google_news_resolver.LinkResolver.resolve = timed  # type: ignore[method-assign]
    figures: dict[str, float] = {}
    with (
        FakeGoogleNews(Faults(delay=delay_ms / 1000)) as google,
        LoopbackWeb() as web,
        tempfile.TemporaryDirectory() as tmp,
    ):
        reports, options = serve_day(google, web)
        store = DirectoryStore(Path(tmp))
        for label in ("first", "rerun"):
            client = HttpWebClient(options["allow"], resolver=options["resolver"] or system_resolver)
            source = GoogleNewsSource(PageCache(client), google.origin, clock=lambda: NOW, store=store)
            asked = len(google.requests)
            start = time.perf_counter()
            articles = source.articles(subject, DAY)
            figures[f"{label}_wall"] = time.perf_counter() - start
            figures[f"{label}_requests_per_item"] = (len(google.requests) - asked) / len(articles)
            expected = {report.url: report.text[:20] for report in reports}
            full = [a for a in articles if str(a.url) in expected and a.text.startswith(expected[str(a.url)])]
            figures[f"{label}_resolved_share"] = sum(not a.unresolved for a in articles) / len(articles)
            figures[f"{label}_full_text_share"] = len(full) / len(articles)
        figures["resolve_wall"] = resolve_walls[0]
        figures["pages"] = google.count("page")
        figures["posts"] = google.count("rpc")
    google_news_resolver.LinkResolver.resolve = original  # type: ignore[method-assign]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--delays", default="0,150", help="Google's answer delays to try, in ms")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    print("Google News resolution, 30 current items, 600 KB article pages, ten outlets on loopback")
    columns = ("req/item", 9), ("rerun", 7), ("resolved", 9), ("full text", 10), ("resolve wall", 13)
    print(
        f"{'delay':>7} " + " ".join(f"{name:>{width}}" for name, width in columns) + f" {'source wall':>12}"
    )
    for delay in (int(value) for value in args.delays.split(",")):
        f = run(delay)
        print(
            f"{delay:>5}ms {f['first_requests_per_item']:>9.2f} {f['rerun_requests_per_item']:>7.2f}"
            f" {f['first_resolved_share']:>8.0%} {f['first_full_text_share']:>10.0%}"
            f" {f['resolve_wall']:>12.2f}s {f['first_wall']:>11.2f}s"
        )
    print("req/item: searches + article pages + RPC POSTs sent to Google, per item (rerun: same store)")


if __name__ == "__main__":
    main()
