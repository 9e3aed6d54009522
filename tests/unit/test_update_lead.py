"""An update's text leads with what is new: the sentence carrying the facts fetch found new."""

from __future__ import annotations

import datetime as dt

from dailydigest.models.article import Article, Story
from dailydigest.news.gather import story_id
from dailydigest.news.ledger import Ledger, LedgerMemory, record
from dailydigest.summarize.extractive import ExtractiveSummarizer
from tests.support.news_fixtures import RELEASE_ZH_A, TAIPEI, Report, topic

DAY1 = dt.date(2026, 11, 27)
DAY2 = DAY1 + dt.timedelta(days=1)

# An update whose report opens on background (the release everyone covered) and only then says
# what is new, as follow-up reports often do.
FOLLOW_UP = Report(
    "Nimbus 3 後續：405B 權重釋出",
    (
        "雲雀模型團隊週五發表 Nimbus 3，開放 8B 與 70B 兩種規模的權重，"
        "採 Apache 2.0 授權，上下文長度達 256K。",
        "今天團隊再釋出 405B 版本的權重，推理評測拿下 91.2 分，"
        "建議以 8 張 80GB 顯示卡執行，首日下載突破 12000 次。",
        "團隊表示，雲端 API 預計下個月上線，屆時也會提供 405B 版本。",
    ),
)


def _article(report: Report, url: str, day: dt.date) -> Article:
    return Article.model_validate(
        {
            "url": url,
            "title": report.title,
            "text": report.text,
            "published": dt.datetime.combine(day, dt.time(9), tzinfo=TAIPEI),
        }
    )


def test_an_update_leads_with_its_new_facts_not_its_background() -> None:
    # Given the release published, and today a follow-up opening with the release's background
    release = _article(RELEASE_ZH_A, "https://technews.example/n3.html", DAY1)
    ledger = record(
        Ledger(topic="nimbus"),
        topic(),
        DAY1,
        [Story(id=story_id(release), title=release.title, articles=(release,))],
    )
    follow_up = _article(FOLLOW_UP, "https://bench.example/405b.html", DAY2)
    [update] = LedgerMemory(ledger, topic(), DAY2).screen(
        [Story(id=story_id(follow_up), title=follow_up.title, articles=(follow_up,))]
    )
    assert update.is_update and {"405b", "91.2", "80gb", "12000"} <= set(update.new_facts)
    assert "256k" not in update.new_facts

    # When the digest is written
    digest = ExtractiveSummarizer().summarize(topic(), DAY2, [update])

    # Then the update's paragraph opens on what is new
    [highlight] = digest.highlights
    assert highlight.is_update
    assert highlight.body.startswith("今天團隊再釋出 405B 版本的權重")
