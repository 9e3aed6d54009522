"""Benchmark the fetch's dates and feeds on feeds with the real web's traits (figures, never asserted).

The feeds (written for this benchmark, served from memory through the WebClient port): a
Brazilian feed dated in Portuguese with fifteen items from fourteen months before; a Chinese feed
whose times carry no zone; undated items whose pages state their dates (one of them old);
undated items whose pages do not; a feed with one unescaped `&` (30 items); a JSON Feed. Every
item's true publication time is known. Reported, for the digest of 2026-11-28 (Asia/Taipei, 48 h):
- leaked: articles in the digest published outside the window, or whose date nobody knows;
- missed: articles published inside the window that the digest lacks;
- zone errors: articles whose time differs from the true one by an hour or more;
- feeds refused.

    .venv/bin/python scripts/bench_dates.py
    PYTHONPATH=/some/older/checkout/layers/common python scripts/bench_dates.py   # the same on older code
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
if not os.environ.get("PYTHONPATH"):
    sys.path.insert(0, str(ROOT / "layers" / "common"))

from dailydigest.models.topic import Topic  # noqa: E402
from dailydigest.news.gather import gather_stories  # noqa: E402
from dailydigest.ports import WebResponse  # noqa: E402
from dailydigest.sources.feed import FeedSource  # noqa: E402

DAY = dt.date(2026, 11, 28)
TAIPEI = ZoneInfo("Asia/Taipei")
BRASILIA = dt.timezone(dt.timedelta(hours=-3))
WINDOW = (dt.datetime(2026, 11, 27, tzinfo=TAIPEI), dt.datetime(2026, 11, 29, tzinfo=TAIPEI))
PT_DAYS = ["seg", "ter", "qua", "qui", "sex", "sáb", "dom"]
PT_MONTHS = ["jan", "fev", "mar", "abr", "mai", "jun", "jul", "ago", "set", "out", "nov", "dez"]
TOPICS_PT = [
    "eleições municipais", "safra de café", "preço da gasolina", "greve dos bancários", "Copa do Brasil",
    "chuvas no Sul", "inflação de agosto", "leilão de energia", "vacinação infantil", "obras do metrô",
    "exportação de soja", "festival de cinema", "reforma tributária", "turismo no Nordeste", "dólar em alta",
]  # fmt: skip
TOPICS_ZH = [
    "晶片出口",
    "颱風動態",
    "股市收盤",
    "捷運延伸",
    "棒球季後賽",
    "電價調整",
    "疫苗接種",
    "房市交易",
    "觀光人次",
    "空氣品質",
]


@dataclass(frozen=True)
class Item:
    url: str
    title: str
    true_time: dt.datetime | None  # None: nobody can know it


class MemoryWeb:
    def __init__(self) -> None:
        self.routes: dict[str, tuple[bytes, str]] = {}

    def add(self, url: str, body: str, content_type: str = "text/html; charset=utf-8") -> None:
        self.routes[url] = (body.encode("utf-8"), content_type)

    def get(self, url: str) -> WebResponse:
        body, content_type = self.routes.get(url, (b"", "text/plain"))
        return WebResponse(
            url=url, status=200 if url in self.routes else 404, content_type=content_type, body=body
        )

    def describe(self) -> str:
        return "memory web"


def _pt(moment: dt.datetime, zoned: bool = True) -> str:
    local = moment.astimezone(BRASILIA)
    day, month = PT_DAYS[local.weekday()], PT_MONTHS[local.month - 1]
    text = f"{day}, {local.day:02d} {month} {local.year} {local:%H:%M:%S}"
    return f"{text} -0300" if zoned else text


def _naive_local(moment: dt.datetime) -> str:
    # How many Chinese CMSs write <pubDate>: local wall-clock time, no zone.
    return moment.astimezone(TAIPEI).strftime("%Y-%m-%d %H:%M:%S")


def _rss(items: list[tuple[Item, str | None]], title: str, language: str, extra: str = "") -> str:
    rows = "".join(
        f"<item><title>{item.title}</title><link>{item.url}</link>"
        + (f"<pubDate>{date}</pubDate>" if date else "")
        + f"<description>{item.title}。</description>{extra if n == 7 else ''}</item>"
        for n, (item, date) in enumerate(items)
    )
    return (
        f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>{title}</title>"
        f"<language>{language}</language>{rows}</channel></rss>"
    )


def _page(title: str, published: dt.datetime | None) -> str:
    meta = f"<meta property='article:published_time' content='{published.isoformat()}'>" if published else ""
    body = "".join(
        f"<p>{title}{'。' * n}這段文字只屬於這一篇：{title}的第{n}段，{title * 3}。</p>" for n in range(4)
    )
    head = f"<head><meta charset='utf-8'><title>{title}</title>{meta}</head>"
    return f"<html>{head}<body><article>{body}</article></body></html>"


def build() -> tuple[MemoryWeb, list[str], list[Item]]:
    web = MemoryWeb()
    feeds: list[str] = []
    items: list[Item] = []

    today = dt.datetime(2026, 11, 28, 8, 0, tzinfo=BRASILIA)
    old = [dt.datetime(2025, 9, 1 + n, 10, 0, tzinfo=BRASILIA) for n in range(15)]
    brazil = [Item("https://noticias.example.br/hoje", "Nimbus chega ao Brasil", today)] + [
        Item(f"https://noticias.example.br/antiga-{n}", f"Balanço de setembro: {TOPICS_PT[n]}", moment)
        for n, moment in enumerate(old)
    ]
    web.add(
        "https://noticias.example.br/rss",
        _rss([(i, _pt(i.true_time)) for i in brazil if i.true_time], "Notícias", "pt-BR"),
    )
    feeds.append("https://noticias.example.br/rss")
    items += brazil

    naive_times = [
        dt.datetime(2026, 11, 26, 23, 30, tzinfo=TAIPEI),  # the night before the window
        dt.datetime(2026, 11, 27, 12, 0, tzinfo=TAIPEI),
        dt.datetime(2026, 11, 28, 9, 15, tzinfo=TAIPEI),
        dt.datetime(2026, 11, 28, 17, 0, tzinfo=TAIPEI),  # the afternoon of the day
        dt.datetime(2026, 11, 28, 22, 45, tzinfo=TAIPEI),
    ]
    chinese = [
        Item(f"https://news.example/zh/{n}", f"{TOPICS_ZH[n]}最新消息", t) for n, t in enumerate(naive_times)
    ]
    web.add(
        "https://news.example/zh/rss",
        _rss([(i, _naive_local(i.true_time)) for i in chinese if i.true_time], "中文新聞", "zh-TW"),
    )
    feeds.append("https://news.example/zh/rss")
    items += chinese

    dated_pages = [
        Item(
            "https://blog.example/p/1", "雲雀模型支援台語", dt.datetime(2026, 11, 28, 10, 30, tzinfo=TAIPEI)
        ),
        Item("https://blog.example/p/2", "推論服務降價三成", dt.datetime(2026, 11, 27, 15, 0, tzinfo=TAIPEI)),
        Item("https://blog.example/p/3", "去年的資料中心動土", dt.datetime(2025, 9, 3, 10, 0, tzinfo=TAIPEI)),
    ]
    undated_pages = [
        Item("https://blog.example/p/4", "團隊招募工程師", None),
        Item("https://blog.example/p/5", "社群活動花絮", None),
    ]
    for item in dated_pages + undated_pages:
        web.add(item.url, _page(item.title, item.true_time))
    web.add(
        "https://blog.example/rss",
        _rss([(i, None) for i in dated_pages + undated_pages], "雲雀部落格", "zh-TW"),
    )
    feeds.append("https://blog.example/rss")
    items += dated_pages + undated_pages

    bozo = [
        Item(
            f"https://tech.example/{n}",
            f"{TOPICS_ZH[n % 10]}第{n}報",
            dt.datetime(2026, 11, 28, n % 24, 0, tzinfo=TAIPEI),
        )
        for n in range(30)
    ]
    feed = _rss(
        [(i, i.true_time.strftime("%a, %d %b %Y %H:%M:%S %z")) for i in bozo if i.true_time],
        "科技",
        "zh-TW",
        "<category>R&D</category>",
    )
    web.add("https://tech.example/rss", feed)
    feeds.append("https://tech.example/rss")
    items += bozo

    json_items = [
        Item(
            f"https://lab.example/posts/{n}",
            f"Lab note: {word}",
            dt.datetime(2026, 11, 28, 8 + n, tzinfo=TAIPEI),
        )
        for n, word in enumerate(["tokenizer", "sampling", "quantization", "evaluation", "licensing"])
    ]
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Nimbus Lab",
        "items": [
            {
                "id": i.url,
                "url": i.url,
                "title": i.title,
                "content_text": i.title,
                "date_published": i.true_time.isoformat(),
            }
            for i in json_items
            if i.true_time
        ],
    }
    web.add("https://lab.example/feed.json", json.dumps(document), "application/feed+json")
    feeds.append("https://lab.example/feed.json")
    items += json_items
    return web, feeds, items


def main() -> None:
    logging.disable(logging.CRITICAL)
    web, feeds, items = build()
    topic = Topic.model_validate(
        {
            "slug": "nimbus",
            "name": "NIMBUS",
            "feeds": feeds,
            "max_articles": 50,
            "min_articles": 1,
            "window_hours": 48,
        }
    )
    fetched = FeedSource(web).articles(topic, DAY)
    bundle = gather_stories(topic, DAY, [_Fixed(fetched)])
    published = {str(a.url): a for story in bundle.stories for a in story.articles}
    truth = {item.url: item for item in items}

    def inside(moment: dt.datetime | None) -> bool:
        return moment is not None and WINDOW[0] < moment <= WINDOW[1]

    leaked = [url for url in published if not inside(truth[url].true_time)]
    undated_leaked = [url for url in leaked if truth[url].true_time is None]
    missed = [item.url for item in items if inside(item.true_time) and item.url not in published]
    zone_errors = []
    for article in fetched:
        item = truth.get(str(article.url))
        if item is None or item.true_time is None or article.published is None:
            continue
        stamp = article.published if article.published.tzinfo else article.published.replace(tzinfo=dt.UTC)
        if abs(stamp - item.true_time) >= dt.timedelta(hours=1):
            zone_errors.append(str(article.url))
    fed = {str(a.feed) for a in fetched}
    refused = [feed for feed in feeds if feed not in fed]
    in_window_total = sum(inside(item.true_time) for item in items)
    print(
        f"items {len(items)}, of which inside the window {in_window_total}; digest articles {len(published)}"
    )
    print(
        f"leaked into the digest: {len(leaked)} "
        f"(stale {len(leaked) - len(undated_leaked)}, undated {len(undated_leaked)})"
    )
    print(f"missed (in the window, not in the digest): {len(missed)}")
    print(
        f"zone errors (>= 1 h off): {len(zone_errors)} "
        f"of {sum(1 for a in fetched if a.published)} dated articles"
    )
    print(f"feeds refused: {len(refused)} of {len(feeds)} {refused}")


@dataclass
class _Fixed:
    found: list  # type: ignore[type-arg]

    def articles(self, topic: Topic, day: dt.date) -> list:  # type: ignore[type-arg]
        return list(self.found)


if __name__ == "__main__":
    main()
