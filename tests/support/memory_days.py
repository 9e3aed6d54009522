"""Five days of invented Nimbus news as outlets published it, for the tests of the memory across days.

Everything here was written for these tests. Each day's feed holds what was published up to that
day (the fetch window keeps the last 48 hours), so yesterday's reports are still there today, the
way a blog running daily sees them:

- 11-25: the Nimbus 3 release (an English post and two Chinese reports) and an API price cut;
- 11-26: a same-facts retelling, an English same-facts report of the price cut, an update with new
  figures, a new voice model, and a new funding story reported in English and Chinese that shares
  product words with the release;
- 11-27: a new coding assistant (Chinese and English) and a same-facts retelling of the update;
  in the failure scenario this day's summarize fails, so nothing of it is published;
- 11-28: a newsletter copy (tracking parameters) of an 11-25 report, an AMP cache copy of the
  update, a second price cut with new figures and a date, a new hospital partnership;
- 11-29: a quiet day: one new article (fewer than `min_articles`) and a newsletter copy of 11-26's
  voice story.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dailydigest.models.article import Article
from dailydigest.models.topic import Topic
from dailydigest.ports import Store
from dailydigest.store.local import DirectoryStore
from tests.support.news_fixtures import (
    NEW_STORY,
    PRICE_CUT,
    RELEASE_EN,
    RELEASE_ZH_A,
    RELEASE_ZH_B,
    RETELLING,
    TAIPEI,
    UPDATE,
    Item,
    Report,
    topic,
)

DAYS = tuple(dt.date(2026, 11, 25) + dt.timedelta(days=n) for n in range(5))
D1, D2, D3, D4, D5 = DAYS

PRICE_CUT_EN = Report(
    "Nimbus API prices fall 40 percent",
    (
        "Nimbus cut the price of its API across the board: a million input tokens now cost $0.60 "
        "instead of $1.00, and output prices drop as well.",
        "The company credits a new generation of inference chips; enterprise customers get the new "
        "prices from December.",
    ),
    lang="en",
)
FUNDING_EN = Report(
    "Nimbus Lab raises $300 million led by Horizon Ventures",
    (
        "Nimbus Lab, the team that released the open-weights Nimbus models last month, has raised "
        "$300 million in a Series B round led by Horizon Ventures, valuing the company at $2.1 billion.",
        "Chief executive Lin Yu-ting said the money pays for a new training cluster of 4096 GPUs, "
        "for the next model's longer context window and reasoning benchmark scores, and for doubling "
        "the research staff to 240 people by next autumn.",
    ),
    lang="en",
)
FUNDING_ZH = Report(
    "雲雀模型團隊完成 3 億美元 B 輪募資",
    (
        "雲雀模型團隊宣布完成 3 億美元 B 輪募資，由 Horizon Ventures 領投，公司估值達 21 億美元。",
        "執行長林雨婷表示，資金將用於建置 4096 張 GPU 的訓練叢集，並在明年秋天前把研究人員擴編到 240 人。",
    ),
)
CODE_ZH = Report(
    "雲雀模型推出程式助手 Nimbus Code",
    (
        "雲雀模型推出程式開發助手 Nimbus Code，可在編輯器裡補全程式、解釋錯誤訊息，支援 Python、Go 與 Rust。",
        "Nimbus Code 個人版每月 10 美元，團隊版每人每月 19 美元，首月免費試用。",
    ),
)
CODE_EN = Report(
    "Nimbus Code brings the Nimbus models into your editor",
    (
        "Nimbus has launched Nimbus Code, an assistant that completes code and explains error messages "
        "inside the editor, with Python, Go and Rust supported at launch.",
        "A personal plan costs $10 a month and a team plan $19 per seat; the first month is free.",
    ),
    lang="en",
)
UPDATE_RETOLD = Report(
    "Nimbus 3 再添 405B 版本，上下文長度達 1M",
    (
        "整理報導：Nimbus 3 新增 405B 權重，70B 版本上下文擴充到 1M。",
        "405B 模型推理評測 91.2 分，建議以 8 張 80GB 顯示卡執行，首日下載突破 12000 次。",
    ),
)
PRICE_UPDATE = Report(
    "雲雀模型 API 再降價　輸出每百萬 token 1.80 美元",
    (
        "雲雀模型再度調整 API 價格：每百萬輸入 token 從 0.60 美元降到 0.45 美元，輸出價格訂為 1.80 美元，"
        "12 月 15 日起生效。",
        "同時推出企業方案 Nimbus Enterprise，月繳 2000 美元起，含 99.9% 可用性保證。",
    ),
)
HOSPITAL = Report(
    "雲雀模型與台大醫院合作　導入病歷摘要",
    (
        "台大醫院與雲雀模型團隊簽署合作備忘錄，將在院內測試以語言模型撰寫病歷摘要，首批涵蓋三個科別。",
        "院方表示，所有資料都在院內機房處理，不會上傳雲端，試辦為期六個月。",
    ),
)
MEETUP = Report(
    "雲雀模型開發者聚會移師台中",
    (
        "雲雀模型社群下個月在台中舉辦開發者聚會，現場將示範在單張顯示卡上微調模型。",
        "主辦單位表示名額有限，報名即日起開放，額滿為止。",
    ),
)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TAIPEI)


ITEMS = (
    # 11-25
    Item(RELEASE_EN, "https://lab.example/blog/nimbus-3", _at(D1, 8), "Nimbus Lab"),
    Item(RELEASE_ZH_A, "https://technews.example/nimbus-3.html", _at(D1, 10), "科技新報站"),
    Item(RELEASE_ZH_B, "https://aiweekly.example/n/nimbus-3-open.html", _at(D1, 12), "AI 週報"),
    Item(PRICE_CUT, "https://market.example/nimbus-api-price.html", _at(D1, 15), "市場觀測站"),
    # 11-26
    Item(RETELLING, "https://daily.example/nimbus-3-recap.html", _at(D2, 9), "每日科技"),
    Item(PRICE_CUT_EN, "https://devdaily.example/2026/11/nimbus-api-prices", _at(D2, 10), "Dev Daily"),
    Item(UPDATE, "https://bench.example/nimbus-3-scores.html", _at(D2, 11), "評測週刊"),
    Item(NEW_STORY, "https://technews.example/nimbus-voice.html", _at(D2, 14), "科技新報站"),
    Item(FUNDING_EN, "https://venture.example/nimbus-lab-series-b", _at(D2, 16), "Venture Wire"),
    Item(FUNDING_ZH, "https://market.example/nimbus-series-b.html", _at(D2, 18), "市場觀測站"),
    # 11-27
    Item(CODE_ZH, "https://technews.example/nimbus-code.html", _at(D3, 9), "科技新報站"),
    Item(CODE_EN, "https://devdaily.example/2026/11/nimbus-code", _at(D3, 11), "Dev Daily"),
    Item(UPDATE_RETOLD, "https://aiweekly.example/n/nimbus-3-405b.html", _at(D3, 13), "AI 週報"),
    # 11-28
    Item(
        RELEASE_ZH_A,
        "https://technews.example/nimbus-3.html?utm_source=newsletter&utm_medium=email&utm_campaign=weekly",
        _at(D4, 7),
        "科技新報站",
    ),
    Item(
        UPDATE,
        "https://bench-example.cdn.ampproject.org/c/s/bench.example/nimbus-3-scores.amp.html?amp_js_v=0.1",
        _at(D4, 8),
        "評測週刊",
    ),
    Item(
        RELEASE_EN,
        "https://www.lab.example/blog/nimbus-3/?utm_source=newsletter&utm_medium=email&ref=weekly",
        _at(D4, 6),
        "Nimbus Lab",
    ),
    Item(PRICE_UPDATE, "https://market.example/nimbus-api-price-2.html", _at(D4, 10), "市場觀測站"),
    Item(HOSPITAL, "https://health.example/ntuh-nimbus.html", _at(D4, 15), "健康新聞網"),
    # 11-29
    Item(MEETUP, "https://community.example/taichung-meetup.html", _at(D5, 10), "社群通訊"),
    Item(NEW_STORY, "https://m.technews.example/nimbus-voice.html?ref=newsletter", _at(D5, 7), "科技新報站"),
)


@dataclass(frozen=True)
class FeedUntil:
    """The topic's feed as it reads on a day: everything published up to that day's end."""

    items: tuple[Item, ...] = ITEMS

    def articles(self, topic: Topic, day: dt.date) -> list[Article]:
        end = _at(day + dt.timedelta(days=1), 0)
        return [item.article() for item in self.items if item.published < end]


def memory_topic() -> Topic:
    return topic()


# What each day's post should hold, in date order, when every day is published: per story, its
# headline, whether it is an update, and its articles' URLs. (Ranking: new stories first, the
# most-reported first; updates after them.)
URL = {item.report: item.url for item in ITEMS[:13]}
EXPECTED = {
    D1: [
        (RELEASE_EN.title, False, (URL[RELEASE_EN], URL[RELEASE_ZH_A], URL[RELEASE_ZH_B])),
        (PRICE_CUT.title, False, (URL[PRICE_CUT],)),
    ],
    D2: [
        (FUNDING_EN.title, False, (URL[FUNDING_EN], URL[FUNDING_ZH])),
        (NEW_STORY.title, False, (URL[NEW_STORY],)),
        (UPDATE.title, True, (URL[UPDATE],)),
    ],
    D3: [(CODE_ZH.title, False, (URL[CODE_ZH], URL[CODE_EN]))],
    D4: [
        (HOSPITAL.title, False, ("https://health.example/ntuh-nimbus.html",)),
        (PRICE_UPDATE.title, True, ("https://market.example/nimbus-api-price-2.html",)),
    ],
    D5: None,  # NoNews
}
"""Stories of each day, in the post's order; None: a quiet day (NoNews)."""


# --- running days through the pipeline -----------------------------------------------------------------

PostStories = list[tuple[str, bool, tuple[str, ...]]]


class SummarizeFailed(RuntimeError):
    """The day's summarize stage failed (an LLM outage): nothing is published."""


def run_day(
    store: Store, day: dt.date, *, fail: bool = False, feed: FeedUntil | None = None
) -> PostStories | None:
    """One day through fetch, summarize and render (the post kept in the store), as the pipeline
    runs it; the stories of the published post, or None for NoNews. `fail`: summarize raises."""
    from dailydigest.models.events import NoNews
    from dailydigest.publish.store_only import StoreOnlyPublisher
    from dailydigest.render.post import render_post
    from dailydigest.stages.fetch import fetch_stage
    from dailydigest.stages.render import render_stage
    from dailydigest.stages.summarize import summarize_stage
    from dailydigest.store.ops import load_bundle
    from dailydigest.summarize.extractive import ExtractiveSummarizer
    from tests.fakes import RecordingBus

    bus = RecordingBus()
    run_id = f"{day.strftime('%Y%m%d')}T070000Z-mem{day.day:05d}"
    fetched = fetch_stage(memory_topic(), day, run_id, [feed or FeedUntil()], store, bus)
    if isinstance(fetched, NoNews):
        return None
    if fail:
        raise SummarizeFailed(f"summarize failed for {day}")
    written = summarize_stage(fetched, store, ExtractiveSummarizer(), bus).event
    render_stage(written, store, lambda digest: (render_post(digest), b"png"), StoreOnlyPublisher(), bus)
    bundle = load_bundle(store, fetched.stories_key)
    return [(s.title, s.is_update, tuple(str(a.url) for a in s.articles)) for s in bundle.stories]


@dataclass(frozen=True)
class Backfill:
    """A demo day published first, the days before it backfilled, then the demo day rerun afresh."""

    first: PostStories | None
    backfilled: dict[dt.date, PostStories | None]
    rerun: PostStories | None


def backfill_then_rerun(store: DirectoryStore) -> Backfill:
    """11-28 published first (a demo), 11-25..11-27 backfilled, then 11-28 forgotten and run again."""
    first = run_day(store, D4)
    backfilled = {day: run_day(store, day) for day in (D1, D2, D3)}
    forget_day(store, D4)
    return Backfill(first=first, backfilled=backfilled, rerun=run_day(store, D4))


def forget_day(store: DirectoryStore, day: dt.date) -> None:
    """Delete a day's stored stories, digest and post, so that its next run fetches afresh."""
    from dailydigest.store import keys

    for key in store.list(keys.day_prefix(memory_topic().slug, day)):
        (store.root / key).unlink()
