"""Which earlier story a cluster belongs to (news/matching.py), and what screening makes of it."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from dailydigest.models.article import Article, Story
from dailydigest.news.fingerprint import Fingerprint, balanced_terms, fingerprint, script
from dailydigest.news.gather import story_id, topic_terms
from dailydigest.news.ledger import Ledger, LedgerEntry, LedgerMemory, record
from dailydigest.news.matching import SAME_STORY_OVERLAP, Known, choose
from tests.support.news_fixtures import (
    NEW_STORY,
    PRICE_CUT,
    RELEASE_EN,
    RELEASE_ZH_A,
    RETELLING,
    TAIPEI,
    UPDATE,
    Report,
    topic,
)

DAY1 = dt.date(2026, 11, 27)
DAY2 = DAY1 + dt.timedelta(days=1)


def article(report: Report, url: str, day: dt.date = DAY2, hour: int = 9) -> Article:
    return Article.model_validate(
        {
            "url": url,
            "title": report.title,
            "text": report.text,
            "published": dt.datetime.combine(day, dt.time(hour), tzinfo=TAIPEI),
        }
    )


def story(*articles: Article) -> Story:
    return Story(id=story_id(articles[0]), title=articles[0].title, articles=articles)


def known(key: str, urls: set[str] = set(), terms: tuple[str, ...] = (), facts: set[str] = set()) -> Known:  # noqa: B006
    return Known(key=key, urls=frozenset(urls), terms=terms, facts=frozenset(facts))


def test_shared_urls_win_over_a_newer_story_at_the_overlap_threshold() -> None:
    # Given a cluster holding a page of the older story, and a newer story sharing exactly
    # the threshold share of its key terms
    terms = tuple(f"t{n}" for n in range(10))
    today = Fingerprint(urls=frozenset({"https://a.example/x"}), terms=terms, facts=frozenset({"70b"}))
    older = known("older", urls={"https://a.example/x"}, terms=("zz",))
    newer = known("newer", terms=terms[: int(10 * SAME_STORY_OVERLAP)], facts={"405b"})

    match = choose(today, [older, newer])

    assert match is not None and (match.known.key, match.basis, match.strong) == ("older", "urls", True)


def test_the_story_holding_most_facts_wins_over_the_best_term_overlap() -> None:
    today = Fingerprint(urls=frozenset(), terms=("a", "b", "c", "d"), facts=frozenset({"1", "2", "3", "4"}))
    by_terms = known("by-terms", terms=("a", "b", "c", "d"), facts={"1"})
    by_facts = known("by-facts", terms=("x",), facts={"1", "2", "3"})

    match = choose(today, [by_facts, by_terms])

    assert match is not None and (match.known.key, match.basis) == ("by-facts", "facts")


def test_key_terms_take_turns_across_scripts() -> None:
    # Given 60 latin terms and 30 CJK ones, all seen once (latin sorts before CJK by code point)
    latin = [f"word{n}x" for n in range(60)]
    cjk = [chr(0x4E00 + n) + chr(0x4E80 + n) for n in range(30)]
    counts = Counter(latin + cjk)
    first_seen = {term: n for n, term in enumerate(latin + cjk)}

    chosen = balanced_terms(counts, first_seen, limit=40)

    assert Counter(script(term) for term in chosen) == {"latin": 20, "cjk": 20}


def test_a_mixed_chinese_and_english_cluster_keeps_its_chinese_terms() -> None:
    articles = [article(RELEASE_EN, "https://lab.example/n3"), article(RELEASE_ZH_A, "https://t.example/n3")]
    terms = fingerprint(articles, topic_terms(topic())).terms
    assert sum(script(term) == "cjk" for term in terms) >= len(terms) // 3


def _ledger_with(*stories: Story, day: dt.date = DAY1) -> Ledger:
    return record(Ledger(topic="nimbus"), topic(), day, stories)


def test_a_weak_match_with_new_facts_is_a_new_story_not_an_update() -> None:
    # Given a covered story, and today a different story sharing only a few of its words
    covered = story(article(NEW_STORY, "https://technews.example/voice", DAY1))
    ledger = _ledger_with(covered)
    lookalike = Report(
        "雲雀模型推出語音助理 Nimbus Voice Pro 企業版",
        (
            "雲雀模型企業版 Nimbus Voice Pro 支援 48 種語言、99.5% 準確率，"
            "每席 25 美元，Azure 與 Horizon 合作上架。",
        ),
    )
    today = story(article(lookalike, "https://other.example/voice-pro"))
    memory = LedgerMemory(ledger, topic(), DAY2)
    match = choose(fingerprint(today.articles, topic_terms(topic())), ledger.known_on(DAY2))

    kept = memory.screen([today])

    if match is not None:  # matched at all: only weakly, so no update and no inherited facts
        assert not match.strong
    assert [(s.id, s.is_update, s.follows) for s in kept] == [(today.id, False, None)]


def test_a_same_facts_retelling_is_left_out_and_an_update_follows_its_story() -> None:
    release = story(article(RELEASE_ZH_A, "https://technews.example/n3.html", DAY1))
    ledger = _ledger_with(release)
    memory = LedgerMemory(ledger, topic(), DAY2)

    kept = memory.screen(
        [
            story(article(RETELLING, "https://daily.example/recap")),
            story(article(UPDATE, "https://b.example/405b")),
        ]
    )

    assert [(s.title, s.is_update, s.follows) for s in kept] == [(UPDATE.title, True, release.id)]
    # Recording follows the same choice: the update is merged into the release's entry
    recorded = record(ledger, topic(), DAY2, kept)
    [entry] = recorded.entries
    assert entry.days == (DAY1, DAY2) and len(entry.story_ids) == 2


def test_an_unrelated_report_clustered_with_a_covered_story_comes_out_as_a_new_story() -> None:
    # Given the release covered, and today a cluster holding a release page plus, wrongly, the price cut
    release_page = article(RELEASE_ZH_A, "https://technews.example/n3.html", DAY1)
    ledger = _ledger_with(story(release_page))
    price = article(PRICE_CUT, "https://market.example/price.html")

    kept = LedgerMemory(ledger, topic(), DAY2).screen([story(release_page, price)])

    # Then the price cut is its own new story, not an update of the release
    assert [(s.title, s.is_update) for s in kept] == [(PRICE_CUT.title, False)]


def test_an_update_leads_with_the_report_bringing_most_that_is_new() -> None:
    release = story(article(RELEASE_ZH_A, "https://technews.example/n3.html", DAY1))
    ledger = _ledger_with(release)
    more = Report(
        "Nimbus 3 405B 追加評測",
        (
            "Nimbus 3 的 405B 版本再公布評測：程式測試 88.4 分、數學 93.1 分、多語 79.6 分，"
            "上下文 1M，12 月 20 日開放 API，Azure 與 Horizon 首批上架，每百萬 token 2.40 美元。",
        ),
    )
    cluster = story(
        article(RELEASE_ZH_A, "https://technews.example/n3.html", DAY1),
        article(UPDATE, "https://b.example/405b", hour=8),
        article(more, "https://c.example/405b-more", hour=10),
    )

    [update] = LedgerMemory(ledger, topic(), DAY2).screen([cluster])

    assert update.is_update and update.title == more.title
    assert [str(a.url) for a in update.articles] == ["https://c.example/405b-more", "https://b.example/405b"]


def test_a_small_new_story_weakly_resembling_an_old_one_is_not_lost() -> None:
    # Given today a small story (no figures or names), and a covered story sharing a quarter of
    # its key terms and none of its facts: a weak match
    small = Report(
        "雲雀模型舉辦台語轉寫比賽　學生組隊參加",
        ("雲雀模型團隊舉辦台語即時轉寫比賽，邀請大專學生組隊參加，優勝隊伍可到團隊實習。",),
    )
    today = story(article(small, "https://community.example/contest"))
    terms = fingerprint(today.articles, topic_terms(topic())).terms
    shared = len(terms) // 4
    entry = LedgerEntry(
        story_ids=("voice-launch",),
        title="雲雀模型推出語音版",
        days=(DAY1,),
        urls=("https://technews.example/voice",),
        terms=(*terms[:shared], *(f"other{n}" for n in range(len(terms) - shared))),
        facts=("300",),
    )
    ledger = Ledger(topic="nimbus", entries=(entry,))
    match = choose(fingerprint(today.articles, topic_terms(topic())), ledger.known_on(DAY2))
    assert match is not None and not match.strong

    # When it is screened, then it is kept as a new story: a weak match leaves out only a retelling
    kept = LedgerMemory(ledger, topic(), DAY2).screen([today])

    assert [(s.id, s.is_update) for s in kept] == [(today.id, False)]


def test_a_title_case_retelling_is_not_an_update() -> None:
    # Given the price cut covered, and today an English outlet retelling it under a Title Case
    # headline with a Title Case standfirst (capitals of style, not names)
    covered = story(article(PRICE_CUT, "https://market.example/price.html", DAY1))
    ledger = _ledger_with(covered)
    retelling = Report(
        "Nimbus Slashes API Prices By 40 Percent, Output Costs Fall Too",
        (
            "Key Takeaways From The Nimbus Pricing Change",
            "Nimbus cut its API price: a million input tokens now cost $0.60 instead of $1.00.",
        ),
        lang="en",
    )

    kept = LedgerMemory(ledger, topic(), DAY2).screen(
        [story(article(retelling, "https://dev.example/prices"))]
    )

    assert kept == []


def test_the_same_words_without_a_fact_in_common_never_make_an_update() -> None:
    # Given the English release post covered, and today a funding report that recalls the
    # release in the release's own words (a third of its key terms) but shares no fact with it
    from tests.support.memory_days import FUNDING_EN

    ledger = _ledger_with(story(article(RELEASE_EN, "https://lab.example/blog/nimbus-3", DAY1)))
    funding = story(article(FUNDING_EN, "https://venture.example/series-b"))
    match = choose(fingerprint(funding.articles, topic_terms(topic())), ledger.known_on(DAY2))
    assert match is not None and match.basis == "terms" and not match.strong

    kept = LedgerMemory(ledger, topic(), DAY2).screen([funding])

    assert [(s.title, s.is_update) for s in kept] == [(FUNDING_EN.title, False)]
