"""Token estimates, trimming, the single-call or map-reduce decision, prices and the cost cap."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from dailydigest.errors import CostCapReached, TimeBudgetSpent
from dailydigest.summarize.llm import budget
from dailydigest.summarize.llm.budget import (
    Budget,
    Measure,
    UsageMeter,
    estimate_messages,
    estimate_tokens,
    fit_article_tokens,
    plan_digest,
    price_for,
    trim_to_tokens,
)


def test_cjk_counts_one_token_per_character_latin_four_characters() -> None:
    assert estimate_tokens("") == 0
    assert estimate_tokens("通義千問") == 4
    assert estimate_tokens("，。「」") == 4
    assert estimate_tokens("abcdefgh") == 2
    assert estimate_tokens("Qwen 模型") == 2 + 2  # "Qwen " is 5 latin characters -> 2 tokens
    assert estimate_messages([{"role": "user", "content": "abcd"}]) == 3 + 4 + 1


def test_trim_keeps_leading_sentences_within_budget() -> None:
    text = "第一句話在這裡。第二句話也在這裡。第三句話還在這裡。"
    assert trim_to_tokens(text, 9) == "第一句話在這裡。"
    assert trim_to_tokens(text, 18) == "第一句話在這裡。第二句話也在這裡。"
    assert trim_to_tokens(text, 1000) == text
    assert estimate_tokens(trim_to_tokens(text, 12)) <= 12


def test_trim_cuts_an_overlong_first_sentence_with_an_ellipsis() -> None:
    cut = trim_to_tokens("這是一個沒有句號而且非常非常長的句子" * 5, 10)
    assert cut.endswith("…")
    assert estimate_tokens(cut) <= 10


def test_trim_skips_sentences_another_article_already_gave() -> None:
    seen: set[str] = set()
    first = trim_to_tokens("團隊釋出新模型。模型可在筆電執行。", 100, skip=seen)
    second = trim_to_tokens("團隊釋出新模型。實測每秒 30 個 token。", 100, skip=seen)
    assert first == "團隊釋出新模型。模型可在筆電執行。"
    assert second == "實測每秒 30 個 token。"


def fake_measure(fixed: int, articles_per_story: int) -> Measure:
    """A prompt of `fixed` tokens plus every article at its budget."""

    def measure(stories: Sequence[int], article_tokens: int) -> int:
        return fixed + len(stories) * articles_per_story * article_tokens

    return measure


BUDGET = Budget(context_tokens=16_000, max_output_tokens=4_000, article_tokens=600)


def test_small_input_is_one_call_at_the_full_article_budget() -> None:
    measure = fake_measure(1000, 1)
    plan = plan_digest(measure, measure, 5, BUDGET)
    assert (plan.mode, plan.article_tokens) == ("single", 600)


def test_medium_input_trims_articles_to_stay_in_one_call() -> None:
    measure = fake_measure(1000, 1)
    plan = plan_digest(measure, measure, 20, BUDGET)
    assert plan.mode == "single"
    assert BUDGET.min_article_tokens <= plan.article_tokens < 600
    assert measure(range(20), plan.article_tokens) <= BUDGET.single_call_tokens


def test_one_call_stays_a_briefing_even_when_the_context_allows_an_archive() -> None:
    # A 128k context does not make the single-call prompt grow past its own budget.
    wide = Budget(context_tokens=128_000, max_output_tokens=4_000, article_tokens=600)
    measure = fake_measure(1000, 1)
    plan = plan_digest(measure, measure, 20, wide)
    assert plan.mode == "single"
    assert measure(range(20), plan.article_tokens) <= wide.prompt_tokens < wide.input_tokens


def test_past_the_prompt_budget_one_call_at_the_floor_while_the_context_holds_it() -> None:
    measure = fake_measure(1000, 1)
    plan = plan_digest(measure, measure, 60, BUDGET)
    assert (plan.mode, plan.article_tokens) == ("single", BUDGET.min_article_tokens)
    assert BUDGET.prompt_tokens < measure(range(60), plan.article_tokens) <= BUDGET.input_tokens


def test_large_input_switches_to_map_reduce_with_batches_that_fit() -> None:
    measure = fake_measure(1000, 1)
    plan = plan_digest(measure, measure, 100, BUDGET)
    assert plan.mode == "map_reduce"
    assert sorted(i for batch in plan.batches for i in batch) == list(range(100))
    assert len(plan.batches) > 1
    for batch, size in zip(plan.batches, plan.batch_article_tokens, strict=True):
        assert measure(batch, size) + BUDGET.notes_output_tokens(len(batch)) <= BUDGET.context_tokens


def test_fit_returns_none_when_even_the_floor_is_too_big() -> None:
    measure = fake_measure(1000, 10)
    assert fit_article_tokens(measure, list(range(20)), BUDGET, 5000) is None


def test_prices_match_exact_names_then_the_longest_prefix() -> None:
    prices = {"gpt-4o": (2.5, 10.0), "gpt-4o-mini": (0.15, 0.6)}
    assert price_for("gpt-4o-mini", prices) == (0.15, 0.6)
    assert price_for("gpt-4o-mini-2024-07-18", prices) == (0.15, 0.6)
    assert price_for("gpt-4o-2024-08-06", prices) == (2.5, 10.0)
    assert price_for("qwen-plus", prices) is None


def test_ledger_records_cost_and_enforces_the_cap() -> None:
    ledger = UsageMeter({"m": (1.0, 2.0)}, cap_usd=0.01)
    ledger.ensure_room("m", 2000, 1000)  # worst case 0.004: fits
    ledger.record("m", 2000, 1000)
    assert ledger.usage().cost_usd == pytest.approx(0.004)
    ledger.ensure_room("m", 2000, 1000)  # 0.004 + 0.004 <= 0.01
    ledger.record("m", 2000, 1000)
    with pytest.raises(CostCapReached, match=r"cap of \$0\.0100 reached: \$0\.0080 spent"):
        ledger.ensure_room("m", 2000, 1000)
    usage = ledger.usage()
    assert (usage.prompt_tokens, usage.completion_tokens, usage.calls) == (4000, 2000, 2)


def test_unpriced_model_has_no_cost_figure_and_no_cap() -> None:
    ledger = UsageMeter({}, cap_usd=0.0)
    ledger.ensure_room("local-model", 10_000, 10_000)
    ledger.record("local-model", 10, 5)
    assert ledger.usage().cost_usd is None
    assert UsageMeter({}).usage().cost_usd == 0.0


def test_time_budget_tells_what_is_left_and_stops_below_a_calls_minimum(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(budget.time, "monotonic", lambda: 1000.0)
    assert UsageMeter({}).seconds_left(5.0) is None  # no budget: no limit
    assert UsageMeter({}, run_seconds=600.0, started=900.0).seconds_left(5.0) == 500.0
    spent = UsageMeter({}, run_seconds=600.0, started=403.0)
    with pytest.raises(
        TimeBudgetSpent, match=r"time budget of 600s is spent \(3s left, a call needs at least 5s\)"
    ):
        spent.seconds_left(5.0)
