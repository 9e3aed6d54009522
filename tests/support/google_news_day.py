"""A realistic day of Google News for the fake: 30 items about the fictional Nimbus models,
reported by ten outlets on their own sites (loopback, each under its own host name).

Ten events, three outlets each, every report worded in its outlet's own way (Traditional
Chinese and English), dated inside the digest's window. Everything here was written for the
tests and the benchmark.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from tests.support.fake_google_news import FakeGoogleNews
from tests.support.loopback_web import LoopbackWeb, names
from tests.support.news_fixtures import page

DAY = dt.date(2026, 11, 28)
NOW = dt.datetime(2026, 11, 27, 23, 0, tzinfo=dt.UTC)
"""07:00 in Taipei on DAY: the scheduled run."""

OUTLETS = (
    ("technews", "科技新報站", "zh-TW"),
    ("ithome", "資訊週報", "zh-TW"),
    ("market", "市場觀測站", "zh-TW"),
    ("digitimes", "數位時代誌", "zh-TW"),
    ("cna", "中央通訊網", "zh-TW"),
    ("ettoday", "今日新聞雲", "zh-TW"),
    ("udn", "聯合新聞站", "zh-TW"),
    ("verge", "The Vergence", "en"),
    ("register", "The Registrar", "en"),
    ("wired", "Wire Daily", "en"),
)

# (fact sentence in Chinese, in English): each event's facts, retold by each outlet.
EVENTS: tuple[tuple[str, str, str, str], ...] = (
    ("Nimbus 3 開源 8B 與 70B 權重", "Nimbus 3 ships open 8B and 70B weights",
     "雲雀模型團隊發表 Nimbus 3，開放 8B 與 70B 權重，採 Apache 2.0 授權，上下文長度 256K",
     "the Nimbus team released Nimbus 3 with open 8B and 70B weights under Apache 2.0 and a 256K context"),
    ("Nimbus API 降價四成", "Nimbus API prices fall by 40 percent",
     "雲雀模型 API 每百萬輸入 token 由 1.00 美元降至 0.60 美元，十二月起生效",
     "input tokens for the Nimbus API drop from 1.00 to 0.60 dollars per million starting in December"),
    ("Nimbus Voice 語音模型上線", "Nimbus Voice speech model goes live",
     "雲雀模型推出 Nimbus Voice 語音模型，支援國台客語辨識，延遲低於 300 毫秒",
     "Nimbus Voice recognises Mandarin, Taiwanese and Hakka with latency under 300 milliseconds"),
    ("Nimbus 與台灣大學合作繁中語料", "Nimbus partners with National Taiwan University on a corpus",
     "雲雀模型與台灣大學合作建立 40 億字繁體中文語料庫，明年開放學術使用",
     "a four-billion-character Traditional Chinese corpus built with National Taiwan University "
     "opens to researchers next year"),
    ("Nimbus Coder 程式模型登上排行榜第一", "Nimbus Coder tops the coding leaderboard",
     "Nimbus Coder 在程式評測拿下 71.3 分，超越前代 9 分，成為開源模型第一",
     "Nimbus Coder scored 71.3 on the coding benchmark, nine points above its predecessor "
     "and first among open models"),
    ("雲雀模型在高雄設立資料中心", "Nimbus opens a data centre in Kaohsiung",
     "雲雀模型投資 120 億元在高雄設立資料中心，預計明年第三季啟用，採液冷散熱",
     "a 12-billion-dollar liquid-cooled data centre in Kaohsiung is due to open "
     "in the third quarter of next year"),
    ("Nimbus 行動版 App 下載破百萬", "Nimbus mobile app passes a million downloads",
     "Nimbus 行動版 App 上架兩週下載突破一百萬次，離線模式最受好評",
     "the Nimbus mobile app passed one million downloads two weeks after launch, "
     "its offline mode the most praised"),
    ("Nimbus 修補提示注入漏洞", "Nimbus patches a prompt-injection flaw",
     "雲雀模型修補外掛系統的提示注入漏洞，資安研究員獲得 2 萬美元獎金",
     "a prompt-injection flaw in the plugin system was fixed and the researcher who found it "
     "received 20,000 dollars"),
    ("Nimbus 推出企業私有部署方案", "Nimbus launches private enterprise deployment",
     "Nimbus 企業版支援完全離線的私有部署，首批客戶包括三家金控",
     "Nimbus Enterprise can be deployed fully offline, and its first customers include "
     "three financial holding groups"),
    ("雲雀模型公布第三季營收成長三倍", "Nimbus reports tripled third-quarter revenue",
     "雲雀模型第三季營收年增三倍至 45 億元，API 用量成長最快",
     "third-quarter revenue tripled year on year to 4.5 billion, with API usage growing fastest"),
)  # fmt: skip

# Each event's second detail (Chinese, English): what the outlets add beyond the announcement.
DETAILS: tuple[tuple[str, str], ...] = (
    ("70B 版本在推理測試拿下 82.5 分，8B 版本可在 16GB 記憶體的筆電上執行",
     "the 70B model scored 82.5 on reasoning tests and the 8B model runs on a 16GB laptop"),
    ("輸出價格同步下調三成，新一代推論晶片是降價主因",
     "output prices fall by 30 percent too, thanks to a new generation of inference chips"),
    ("新模型先開放給付費用戶，免費版預計明年春天跟進",
     "paying users get it first and a free tier follows next spring"),
    ("語料涵蓋新聞、法律與醫療文本，全部經過授權與去識別化處理",
     "the corpus covers news, legal and medical texts, all licensed and de-identified"),
    ("評測共 1,200 道題目，Nimbus Coder 在除錯類別領先最多",
     "the benchmark has 1,200 tasks, and Nimbus Coder leads most clearly on debugging"),
    ("新資料中心將雇用 300 名員工，電力全數來自再生能源合約",
     "the site will employ 300 people and buy all its power under renewable contracts"),
    ("使用者平均每天開啟 App 4.2 次，台灣與日本是最大市場",
     "users open the app 4.2 times a day on average, with Taiwan and Japan the largest markets"),
    ("漏洞影響 2.3 版以前的外掛，官方呼籲用戶盡快更新",
     "the flaw affects plugins before version 2.3 and users are urged to update"),
    ("私有部署版本年費從 50 萬美元起跳，含兩年技術支援",
     "private deployments start at 500,000 dollars a year including two years of support"),
    ("企業客戶數增加到 2,800 家，毛利率提升到 61%",
     "enterprise customers rose to 2,800 and gross margin improved to 61 percent"),
)  # fmt: skip


def _zh(turn: int, outlet: str, fact: str, detail: str, number: int) -> list[str]:
    if turn == 0:
        return [f"{fact}。", f"官方同時說明，{detail}。"]
    if turn == 1:
        return [
            f"根據{outlet}取得的資料，{detail}。",
            f"{outlet}訪問的三位開發者認為，消息比預期早了約 {number + 2} 週。",
        ]
    return [f"{fact}。", f"這是雲雀模型本月第 {number + 2} 項重大宣布，{outlet}將持續追蹤後續進展。"]


def _en(turn: int, outlet: str, fact: str, detail: str, number: int) -> list[str]:
    if turn == 0:
        return [f"{fact[0].upper()}{fact[1:]}.", f"The company added that {detail}."]
    if turn == 1:
        return [
            f"According to figures seen by {outlet}, {detail}.",
            f"Three developers {outlet} spoke to said the news came about {number + 2} weeks early.",
        ]
    return [
        f"{fact[0].upper()}{fact[1:]}.",
        f"It is the company's announcement number {number + 2} this month.",
    ]


def _headline(turn: int, title: str, fact: str, detail: str) -> str:
    # Each outlet writes its own headline: the announcement, its key fact, or the detail it adds.
    if turn == 0:
        return title
    text = (fact if turn == 2 else detail).split("，")[0].split(", ")[0].split(" and ")[0]
    return text[0].upper() + text[1:]


@dataclass(frozen=True)
class Report:
    url: str
    title: str
    outlet: str
    text: str
    html: str
    published: str


def reports(origin_of: dict[str, str]) -> list[Report]:
    """The day's 30 reports; `origin_of` maps an outlet's key to its site's origin."""
    found = []
    for number, (title_zh, title_en, fact_zh, fact_en) in enumerate(EVENTS):
        for turn in range(3):
            key, outlet, language = OUTLETS[(number * 3 + turn) % len(OUTLETS)]
            detail_zh, detail_en = DETAILS[number]
            if language == "en":
                title = _headline(turn, title_en, fact_en, detail_en)
                paragraphs = _en(turn, outlet, fact_en, detail_en, number)
            else:
                title = _headline(turn, title_zh, fact_zh, detail_zh)
                paragraphs = _zh(turn, outlet, fact_zh, detail_zh, number)
            hour = 8 + (number + turn) % 12
            path = f"/{key}/2026/11/28/nimbus-{number}-{turn}.html"
            found.append(
                Report(
                    url=origin_of[key] + path,
                    title=title,
                    outlet=outlet,
                    text="\n".join(paragraphs),
                    html=page(title, *paragraphs, lang="en" if language == "en" else "zh-TW"),
                    published=f"Sat, 28 Nov 2026 {hour:02d}:{(number * 7) % 60:02d}:00 +0800",
                )
            )
    return found


def serve_day(google: FakeGoogleNews, web: LoopbackWeb) -> tuple[list[Report], dict[str, Any]]:
    """Put the day on the fake and the outlets' pages on `web`; returns the reports and the
    client options (allow-list entries and name table) that reach the outlets' host names."""
    origin_of = {key: f"http://{key}.test:{web.port}" for key, _, _ in OUTLETS}
    day = reports(origin_of)
    for report in day:
        web.add(report.url.split(f":{web.port}", 1)[1], report.html)
        google.add(report.url, report.title, report.outlet, report.published)
    options = {
        "allow": [google.allow_entry] + [f"{key}.test:{web.port}" for key, _, _ in OUTLETS],
        "resolver": names({f"{key}.test": "127.0.0.1" for key, _, _ in OUTLETS}),
    }
    return day, options
