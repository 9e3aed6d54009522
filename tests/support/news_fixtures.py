"""Invented news for the fetch tests: a fictional model family, "Nimbus" (雲雀模型), its feeds and pages.

Everything here was written for these tests. Pages are HTML strings (the Big5 one is encoded at
serve time); feeds are templates whose `{base}` is the loopback server's origin. `FIRST_DAY` and
`SECOND_DAY` are two days of that news as outlets published it, for the tests of the story ledger.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from dailydigest.models.article import Article
from dailydigest.models.topic import Topic

DAY = dt.date(2026, 11, 28)
"""The day the tests digest (a Saturday); the second of the two days below."""
DAY_BEFORE = DAY - dt.timedelta(days=1)
TAIPEI = dt.timezone(dt.timedelta(hours=8))
SATURDAY = "Sat, 28 Nov 2026 09:30:00 +0800"
"""A time on DAY as RSS writes it."""

TOPIC_FIELDS: dict[str, Any] = {
    "slug": "nimbus",
    "name": "NIMBUS",
    "locale": "zh-TW",
    "queries": ["Nimbus", "雲雀模型"],
    "max_articles": 10,
    "window_hours": 48,
    "min_articles": 2,
    "schedule": {"cron": "cron(0 7 * * ? *)", "timezone": "Asia/Taipei"},
}


def topic(*feeds: str, **overrides: Any) -> Topic:
    return Topic.model_validate({**TOPIC_FIELDS, "feeds": list(feeds), **overrides})


@dataclass
class ListSource:
    """An ArticleSource answering with fixed articles, counting how often it was asked."""

    found: list[Article]
    calls: int = field(default=0, compare=False)

    def articles(self, topic: Topic, day: dt.date) -> list[Article]:
        self.calls += 1
        return list(self.found)


@dataclass(frozen=True)
class Report:
    """One invented article: its headline and paragraphs, as text and as a page."""

    title: str
    paragraphs: tuple[str, ...]
    lang: str = "zh-TW"

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)

    @property
    def headline(self) -> str:
        """The title as feeds deliver it: whitespace (full-width spaces too) collapsed."""
        return " ".join(self.title.split())

    def html(self, charset: str = "utf-8") -> str:
        return page(self.title, *self.paragraphs, lang=self.lang, charset=charset)


def page(title: str, *paragraphs: str, lang: str = "zh-TW", charset: str = "utf-8") -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="{charset}">'
        f"<title>{title}</title></head>\n"
        "<body><header><nav><a href='/'>首頁</a> <a href='/ai/'>AI</a> <a href='/join/'>訂閱電子報</a></nav>"
        f"</header>\n<main><article><h1>{title}</h1>\n{body}\n</article></main>\n"
        "<footer><p>測試媒體 2026 版權所有．隱私權政策</p></footer></body></html>\n"
    )


# --- one release, three outlets, three headlines ------------------------------------------------------

RELEASE_EN = Report(
    "Nimbus 3 arrives with open weights and a 256K context",
    (
        "The Nimbus team released Nimbus 3 on Friday, publishing open weights for an 8B and a 70B model "
        "under the Apache 2.0 license, with a context window of 256K tokens.",
        "On the team's own reasoning benchmark the 70B model scores 82.5, up from 74.1 for Nimbus 2, "
        "and the 8B model runs on a laptop with 16GB of memory.",
        "The weights can be downloaded today; a hosted API follows next month.",
    ),
    lang="en",
)
RELEASE_ZH_A = Report(
    "雲雀模型 Nimbus 3 開源　支援 256K 上下文",
    (
        "雲雀模型團隊週五發表 Nimbus 3，同步開放 8B 與 70B 兩種規模的權重，採 Apache 2.0 授權，"
        "上下文長度達 256K。",
        "團隊公布的推理測試中，70B 版本拿下 82.5 分，比 Nimbus 2 的 74.1 分明顯進步；"
        "8B 版本只要 16GB 記憶體的筆電就能執行。",
        "權重即日起開放下載，雲端 API 預計下個月上線。",
    ),
)
RELEASE_ZH_B = Report(
    "開源大模型再添一員：Nimbus 3 權重全面公開",
    (
        "開源陣營再添生力軍。Nimbus 3 正式推出，8B 與 70B 權重全部公開，以 Apache 2.0 授權釋出，"
        "可處理長達 256K 的內容。",
        "根據官方數據，70B 模型在推理評測得到 82.5 分；社群開發者已在 16GB 筆電上跑起 8B 版本。",
        "分析師認為，這將讓中小企業更容易在自有機房部署大型語言模型。",
    ),
)
PRICE_CUT = Report(
    "雲雀模型 API 降價四成",
    (
        "雲雀模型宣布旗下 API 全面降價，每百萬輸入 token 由 1.00 美元降至 0.60 美元，輸出價格同步下調。",
        "業者表示，降價主要受惠於新一代推論晶片，企業客戶可自十二月起適用新價格。",
    ),
)


# --- the next day: a retelling, an update, something new -----------------------------------------------

RETELLING = Report(
    "Nimbus 3 開源權重　256K 上下文成亮點",
    (
        "又一家媒體整理：Nimbus 3 開放 8B 與 70B 權重，Apache 2.0 授權，上下文 256K。",
        "官方推理評測中 70B 版本得到 82.5 分，8B 版本可在 16GB 筆電上執行，權重已可下載。",
    ),
)
UPDATE = Report(
    "Nimbus 3 追加 405B 權重　上下文擴至 1M",
    (
        "Nimbus 3 發表隔天，雲雀模型團隊再釋出 405B 版本的權重，同樣採 Apache 2.0 授權，"
        "並把 70B 版本的上下文從 256K 擴充到 1M。",
        "新的 405B 模型在推理評測拿下 91.2 分，官方建議以 8 張 80GB 顯示卡執行；"
        "權重下載量首日突破 12000 次。",
    ),
)
NEW_STORY = Report(
    "雲雀模型推出語音版 Nimbus Voice",
    (
        "雲雀模型今天推出語音模型 Nimbus Voice，可即時轉寫台灣華語與台語，延遲低於 300 毫秒。",
        "團隊表示，語音模型先開放給教育與客服業者試用，明年初正式上線。",
    ),
)


@dataclass(frozen=True)
class Item:
    """One report as an outlet published it: at which address, when, under which name."""

    report: Report
    url: str
    published: dt.datetime
    outlet: str

    @property
    def path(self) -> str:
        return urlsplit(self.url).path

    def article(self) -> Article:
        report = self.report
        return Article.model_validate(
            {
                "url": self.url,
                "title": report.title,
                "text": report.text,
                "publisher": self.outlet,
                "published": self.published,
            }
        )


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TAIPEI)


FIRST_DAY = (
    Item(RELEASE_EN, "https://lab.example/blog/nimbus-3", _at(DAY_BEFORE, 8), "Nimbus Lab"),
    Item(RELEASE_ZH_A, "https://technews.example/nimbus-3.html", _at(DAY_BEFORE, 10), "科技新報站"),
    Item(RELEASE_ZH_B, "https://aiweekly.example/n/nimbus-3-open.html", _at(DAY_BEFORE, 12), "AI 週報"),
    Item(PRICE_CUT, "https://market.example/nimbus-api-price.html", _at(DAY_BEFORE, 15), "市場觀測站"),
)
SECOND_DAY = (
    # The 48-hour window still holds yesterday's reports ...
    *FIRST_DAY,
    # ... plus a retelling by a new outlet, an update with new figures, and a new story.
    Item(RETELLING, "https://daily.example/nimbus-3-recap.html", _at(DAY, 9), "每日科技"),
    Item(UPDATE, "https://bench.example/nimbus-3-scores.html", _at(DAY, 11), "評測週刊"),
    Item(NEW_STORY, "https://technews.example/nimbus-voice.html", _at(DAY, 14), "科技新報站"),
)

BIG5_TITLE = "雲雀模型進駐臺灣學術網路"
BIG5_PAGE = page(
    BIG5_TITLE,
    "國家高速網路中心今天宣布，雲雀模型將部署在臺灣學術網路的運算節點，供各大學研究團隊申請使用。",
    "首波開放的研究計畫涵蓋醫療影像、氣象預報與古籍數位化，申請期限到明年一月底。",
    charset="big5",
)


def rss(base: str, items: list[tuple[str, str, str, str]], title: str = "測試科技新聞") -> str:
    """RSS 2.0 with (title, path, pubDate, description) items."""
    entries = "\n".join(
        f"<item><title>{t}</title><link>{base}{path}</link><pubDate>{date}</pubDate>"
        f"<description>{description}</description></item>"
        for t, path, date, description in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
        f"<title>{title}</title><link>{base}/</link><language>zh-TW</language>\n{entries}\n</channel></rss>\n"
    )


def atom(base: str, entries: list[tuple[str, str, str, str]], title: str = "Nimbus Lab Blog") -> str:
    """Atom with (title, path, published, summary) entries."""
    body = "\n".join(
        f"<entry><title>{t}</title><link rel='alternate' href='{base}{path}'/><id>{base}{path}</id>"
        f"<published>{published}</published><updated>{published}</updated><summary>{summary}</summary></entry>"
        for t, path, published, summary in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{title}</title><id>{base}/atom</id><updated>2026-11-28T08:00:00Z</updated>\n{body}\n</feed>\n"
    )


def google_token(url: str) -> str:
    """A Google News article token of the older kind, which carries the publisher URL (field 4)."""
    raw = url.encode()
    message = b"\x08\x13" + b"\x22" + _varint(len(raw)) + raw + b"\xd2\x01\x00"
    return base64.urlsafe_b64encode(message).decode().rstrip("=")


def opaque_google_token() -> str:
    """A token of the newer kind: field 4 holds an opaque id, not a URL."""
    opaque = b"AU_yqLNOT-A-URL-0123456789abcdefghijklmnopqrstuvwxyz"
    return base64.urlsafe_b64encode(b"\x08\x13\x22" + _varint(len(opaque)) + opaque).decode().rstrip("=")


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def google_news_rss(base: str, items: list[tuple[str, str, str, str, str]]) -> str:
    """Google News search RSS: (title, link, publisher, publisher_url, pubDate) items."""
    entries = "\n".join(
        f"<item><title>{title} - {publisher}</title><link>{link}</link>"
        f'<guid isPermaLink="false">{link[-24:]}</guid><pubDate>{date}</pubDate>'
        f'<description>&lt;a href="{link}" target="_blank"&gt;{title}&lt;/a&gt;&amp;nbsp;&amp;nbsp;'
        f'&lt;font color="#6f6f6f"&gt;{publisher}&lt;/font&gt;</description>'
        f'<source url="{publisher_url}">{publisher}</source></item>'
        for title, link, publisher, publisher_url, date in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<rss version="2.0" '
        'xmlns:media="http://search.yahoo.com/mrss/"><channel><generator>NFE/5.0</generator>'
        f'<title>"Nimbus" - Google 新聞</title><link>{base}/search?q=Nimbus</link><language>zh-TW</language>'
        f"<description>Google 新聞</description>\n{entries}\n</channel></rss>\n"
    )
