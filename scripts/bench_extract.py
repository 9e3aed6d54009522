"""Benchmark article extraction on the page layouts in tests/support/page_layouts.py.

For each layout, side by side: plain `trafilatura.extract(page)` (its defaults), the settings the
fetch used before (precision mode, no tables), and the fetch's extraction now
(`sources.extract.extract_main_text` + the headline rule). Per extractor: the share of the
article's characters kept, the share of the boilerplate pieces' characters kept, and the mean
time per page. Figures, never asserted.

    .venv/bin/python scripts/bench_extract.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "layers" / "common"))

import trafilatura  # noqa: E402

from dailydigest.sources.extract import extract_main_text, without_headline  # noqa: E402
from tests.support.page_layouts import LAYOUTS, Layout, kept_share  # noqa: E402


def plain(layout: Layout) -> str:
    return trafilatura.extract(layout.html, url=layout.url) or ""


def before(layout: Layout) -> str:
    text = trafilatura.extract(
        layout.html, url=layout.url, include_comments=False, include_tables=False, favor_precision=True
    )
    return _old_headline_rule((text or "").strip(), layout.title)


def _old_headline_rule(text: str, title: str) -> str:
    # The rule the fetch used before: a short first line not ending like a sentence was a headline.
    first, _, rest = text.partition("\n")
    line = first.strip()
    is_title = " ".join(line.split()).casefold() == " ".join(title.split()).casefold()
    endings = ("。", "！", "？", ".", "!", "?", "」", "”", '"', "）", ")")
    if rest.strip() and (is_title or (len(line) <= 150 and not line.endswith(endings))):
        return rest.strip()
    return text


def now(layout: Layout) -> str:
    return without_headline(extract_main_text(layout.html, layout.url), layout.title)


EXTRACTORS: dict[str, Callable[[Layout], str]] = {"plain trafilatura": plain, "before": before, "now": now}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    totals: dict[str, list[tuple[float, float, float]]] = {name: [] for name in EXTRACTORS}
    header = f"{'layout':<36}" + "".join(f"{name:>26}" for name in EXTRACTORS)
    print("article kept / boilerplate kept, per layout")
    print(header)
    for layout in LAYOUTS:
        cells = []
        for name, extractor in EXTRACTORS.items():
            timings = []
            for _ in range(args.repeats):
                started = time.perf_counter()
                text = extractor(layout)
                timings.append(time.perf_counter() - started)
            article, boilerplate = kept_share(text, layout.article), kept_share(text, layout.boilerplate)
            totals[name].append((article, boilerplate, statistics.median(timings)))
            cells.append(f"{article:>13.0%} / {boilerplate:>4.0%}")
        print(f"{layout.name:<36}" + "".join(f"{cell:>26}" for cell in cells))
    print()
    print(f"{'mean over layouts':<36}" + "".join(f"{'':>26}" for _ in EXTRACTORS))
    for name, rows in totals.items():
        article = statistics.mean(row[0] for row in rows)
        boilerplate = statistics.mean(row[1] for row in rows)
        worst = min(row[0] for row in rows)
        ms = statistics.mean(row[2] for row in rows) * 1000
        print(
            f"  {name:<20} article {article:6.1%} (worst page {worst:4.0%})  "
            f"boilerplate {boilerplate:6.1%}  {ms:6.1f} ms/page"
        )
    plain_kept = sum(row[0] for row in totals["plain trafilatura"])
    now_kept = sum(row[0] for row in totals["now"])
    print(f"\nnow keeps {now_kept / plain_kept:.1%} of what plain trafilatura keeps")


if __name__ == "__main__":
    main()
