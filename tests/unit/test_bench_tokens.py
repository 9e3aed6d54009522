"""The token benchmark's figures (scripts/bench_tokens.py): our prompts beat naive concatenation, and
the fixtures reach every mode of the planner, so the closing figures mean what they say."""

from __future__ import annotations

import importlib.util
from types import ModuleType

import pytest

from dailydigest.settings import LlmSettings
from dailydigest.summarize.llm.budget import Budget
from tests.conftest import REPO_ROOT


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_tokens", REPO_ROOT / "scripts" / "bench_tokens.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("articles", "mode"), [(10, "single"), (30, "single"), (60, "single"), (150, "map_reduce")]
)
def test_prompts_stay_within_budget_and_below_naive_concatenation(
    bench: ModuleType, articles: int, mode: str
) -> None:
    budget = Budget.for_settings(LlmSettings())  # the defaults the settings give
    stories = bench.fixture(articles)
    assert sum(len(story.articles) for story in stories) == articles
    figures = bench.measure(budget, stories)
    assert figures["mode"] == mode
    assert figures["prompt"] < bench.naive_tokens(stories)
    assert figures["stories_covered"] == len(stories)  # every story can still be cited
    if mode == "single":
        assert figures["prompt"] <= budget.input_tokens
    if articles == 30:  # a busy day: a briefing of every story, not the archive
        assert figures["prompt"] <= min(budget.single_call_tokens, 0.15 * bench.naive_tokens(stories))
    # A typical answer fits well under the caps the requests carry.
    assert 0 < figures["completion"] < figures["completion_cap"]
