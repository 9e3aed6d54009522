"""The LLM summarizer at its edges, against the scripted loopback server.

Replies that are not chat completions, the run's time budget, configured JSON modes, which story a
highlight belongs to (and so whether it is an update), Simplified Chinese in every field, map steps
without usable notes, the metrics, and hostile articles reaching the extractive fallback.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from dailydigest.errors import LlmError
from dailydigest.observability import metrics
from dailydigest.render.post import render_post
from dailydigest.summarize.chinese import simplified_chars
from dailydigest.summarize.llm import messages as prompt_messages
from dailydigest.summarize.llm import summarizer as llm
from dailydigest.summarize.llm.material import build_material, looks_like_instruction
from tests.support.fake_openai import Answer, FakeOpenAI, chat, error
from tests.support.llm_fixtures import (
    CANARY,
    DAY,
    answer,
    dumps,
    hostile_stories,
    long_stories,
    simplified_everywhere,
    simplified_stories,
    stories,
    topic,
)
from tests.support.llm_harness import make, shown, texts

pytestmark = pytest.mark.integration


# --- replies that are not chat completions ----------------------------------------------------------

_HTML = {"Content-Type": "text/html"}
NOT_COMPLETIONS: list[tuple[str, Answer, str]] = [
    ("a proxy's html page", Answer(200, "<html><body>sign in</body></html>", _HTML), "not a chat completion"),
    ("an empty body", Answer(200, b""), "the reply is not JSON"),
    ("a cut-off body", Answer(200, b'{"choices": [{"mess'), "the reply is not JSON"),
    ("a json list", Answer(200, b"[]"), "not a chat completion"),
    ("an error object", Answer(200, {"error": {"message": "quota exhausted"}}), "says: quota exhausted"),
    ("no choices", Answer(200, {"id": "x", "object": "chat.completion", "choices": []}), "not a chat"),
    (
        "a message that is text",
        Answer(200, {"choices": [{"index": 0, "message": "hello", "finish_reason": "stop"}]}),
        "not a chat completion",
    ),
    (
        "content that is a number",
        Answer(200, {"choices": [{"index": 0, "message": {"role": "assistant", "content": 5}}]}),
        "not a chat completion",
    ),
]


@pytest.mark.parametrize(
    ("case", "reply", "reason"), NOT_COMPLETIONS, ids=[case for case, _, _ in NOT_COMPLETIONS]
)
def test_a_reply_that_is_not_a_chat_completion_is_one_clear_failure(
    server: FakeOpenAI, case: str, reply: Answer, reason: str
) -> None:
    # Given an endpoint that answers 200 with something other than a chat completion
    server.queue(reply)
    # When the digest is written
    digest = make(server).summarize(topic(), DAY, stories())
    # Then no repair round is spent on the endpoint's failure, and the fallback says what happened
    assert len(server.completions) == 1
    assert digest.generator == "extractive"
    assert "unusable response" in digest.fallback_reason
    assert reason in digest.fallback_reason


def test_fail_mode_turns_an_unusable_reply_into_one_error(server: FakeOpenAI) -> None:
    server.queue(Answer(200, "<html>sign in</html>", _HTML))
    with pytest.raises(
        LlmError,
        match=r"qwen 2026-03-12: unusable response: not a chat completion; model test-model at 127\.0\.0\.1:",
    ):
        make(server, on_failure="fail").summarize(topic(), DAY, stories())


def test_nonsense_usage_figures_are_replaced_by_the_estimate(server: FakeOpenAI) -> None:
    server.queue(chat(dumps(answer()), prompt_tokens=-5, completion_tokens=-1))
    digest = make(server).summarize(topic(), DAY, stories())
    assert digest.generator == "llm"
    assert digest.usage is not None
    assert digest.usage.prompt_tokens > 500 and digest.usage.completion_tokens > 300


# --- the run's time budget -----------------------------------------------------------------------------


def test_calls_are_shortened_to_fit_the_run_time_budget(
    server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(llm, "MIN_CALL_SECONDS", 0.2)
    # Given a 1-second budget, a 5-second call timeout and one retry, and an endpoint that hangs
    server.queue(*[Answer(200, {"late": True}, delay=3.0)] * 2)
    # When the digest is written
    digest = make(server, timeout=5.0, max_retries=1, run_seconds=1.0).summarize(topic(), DAY, stories())
    # Then each of the two attempts had half the budget, not 5 seconds
    assert digest.generator == "extractive"
    timeouts = [float(t) for t in re.findall(r"timed out after ([0-9.]+)s", digest.fallback_reason)]
    # At most half of the second left (planning takes a moment of it), never the 5-second timeout.
    assert timeouts and all(0 < t <= 0.5 for t in timeouts)


def test_a_spent_time_budget_stops_the_run_before_the_next_call(
    server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(llm, "MIN_CALL_SECONDS", 1.0)
    # Given a first answer that needs a repair and arrives when less than a call's minimum is left
    server.queue(dataclasses.replace(chat("not json"), delay=1.0), chat(dumps(answer())))
    digest = make(server, max_retries=0, run_seconds=1.6).summarize(topic(), DAY, stories())
    # Then the repair is not attempted and the fallback says why
    assert len(server.completions) == 1
    assert digest.generator == "extractive"
    assert digest.fallback_reason.startswith("time budget: the run's time budget of 1.6s is spent")
    assert digest.usage is not None and digest.usage.calls == 1


# --- configured JSON modes -------------------------------------------------------------------------------


@pytest.mark.parametrize(("mode", "sent"), [("json_object", {"type": "json_object"}), ("none", None)])
def test_a_configured_json_mode_is_used_from_the_first_call(
    server: FakeOpenAI, mode: str, sent: dict[str, str] | None
) -> None:
    server.queue(chat(dumps(answer())))
    digest = make(server, json_mode=mode).summarize(topic(), DAY, stories())
    (request,) = server.completions
    assert digest.generator == "llm"
    assert request.body.get("response_format") == sent
    assert "JSON" in request.prompt  # JSON mode requires the word in the messages
    assert '"highlights": [{"story": 1' in request.user  # without a schema, the prompt shows the shape


def test_a_configured_json_schema_mode_is_never_downgraded(server: FakeOpenAI) -> None:
    server.queue(error(400, "response_format json_schema is not supported by this model"))
    digest = make(server, json_mode="json_schema").summarize(topic(), DAY, stories())
    assert len(server.completions) == 1
    assert digest.generator == "extractive"
    assert "request rejected" in digest.fallback_reason


# --- which story a highlight is about ---------------------------------------------------------------------


def test_highlights_follow_their_citations_one_per_story(server: FakeOpenAI) -> None:
    cited = answer()
    # Given the licence update's highlight numbered as story 1 but citing the update's source,
    cited["highlights"][2]["story"] = 1
    # an update marker on a story fetch did not mark as one,
    cited["highlights"][0]["headline"] = "【更新】Qwen-Lite 可在筆電上執行"
    # and a second highlight of the price story
    cited["highlights"].append({**cited["highlights"][1], "headline": "價格再說一次"})
    server.queue(chat(dumps(cited)))
    digest = make(server).summarize(topic(), DAY, stories())
    # Then updates are what fetch said, and each story has one highlight
    assert [(h.headline, h.is_update) for h in digest.highlights] == [
        ("Qwen-Lite 可在筆電上執行", False),
        ("API 輸入價格調降三成", False),
        ("授權條款補充再散布規定", True),
    ]
    assert "3) （更新）授權條款補充再散布規定  " in render_post(digest)


# --- Simplified Chinese in every field ---------------------------------------------------------------------


def test_no_simplified_character_reaches_any_field_of_the_digest(server: FakeOpenAI) -> None:
    # Given an answer written in Simplified Chinese throughout, about a story reported in it
    server.queue(chat(dumps(simplified_everywhere())))
    digest = make(server).summarize(topic(), DAY, simplified_stories())
    assert digest.generator == "llm"
    # Then headlines, bodies, analysis, key points, implications, tags, summary and titles are Traditional
    for text in shown(digest):
        assert simplified_chars(text) == [], text
    assert simplified_chars(render_post(digest)) == []
    assert digest.highlights[0].headline == "Qwen-Lite 釋出，筆記型電腦也能執行"
    assert digest.tags == ("開源模型", "API 價格", "筆記型電腦")
    assert digest.sources[2].title == "通義千問 API 輸入價格下調三成"


def test_the_extractive_fallback_is_taiwan_traditional_too(server: FakeOpenAI) -> None:
    server.queue(*[error(500, "boom", kind="server_error")] * 2)
    digest = make(server).summarize(topic(), DAY, simplified_stories())
    assert digest.generator == "extractive"
    for text in shown(digest):
        assert simplified_chars(text) == [], text
    assert any("雲服務商宣佈" in text for text in texts(digest))


# --- map-reduce without usable notes ------------------------------------------------------------------------


def test_each_article_is_trimmed_to_the_per_article_budget(server: FakeOpenAI) -> None:
    # Given long articles, a roomy context and a 50-token budget per article
    summarizer = make(server, context_tokens=16_000, article_tokens=50)
    plan = prompt_messages.plan(topic(), DAY, build_material(long_stories()), summarizer.budget)
    assert plan.mode == "single"
    server.queue(chat(dumps(answer())))
    summarizer.summarize(topic(), DAY, long_stories())
    # Then the one call carries each article's lead, not its whole text
    user = server.completions[0].user
    assert "通義千問團隊週四釋出 Qwen-Lite，參數量只有 40 億" in user
    assert "團隊同時提供 4 位元量化檔案" not in user
    assert user.count("雲端服務商宣布自下月起") == 1  # the padded article repeats it forty times
    assert server.completions[0].body["max_tokens"] == 4000


def test_a_map_step_without_usable_notes_uses_the_article_leads(server: FakeOpenAI) -> None:
    summarizer = make(server, context_tokens=2_000, max_output_tokens=700, article_tokens=600)
    plan = prompt_messages.plan(topic(), DAY, build_material(long_stories()), summarizer.budget)
    assert plan.mode == "map_reduce"

    def reply(body: dict[str, Any]) -> Answer:
        if body["response_format"]["json_schema"]["name"] == "story_notes":
            return chat("these are not notes")
        return chat(dumps(answer()))

    # Given a model that never writes usable notes
    server.queue(*[reply] * (2 * len(plan.batches) + 1))
    digest = summarizer.summarize(topic(), DAY, long_stories())
    # Then each map call had its one repair round, and the reduce call saw the articles' leads
    names = [r.body["response_format"]["json_schema"]["name"] for r in server.completions]
    assert names == ["story_notes"] * (2 * len(plan.batches)) + ["daily_digest"]
    assert "通義千問團隊週四釋出 Qwen-Lite" in server.completions[-1].user
    assert digest.generator == "llm"


# --- metrics -----------------------------------------------------------------------------------------------


Recorded = Callable[[], dict[str, tuple[str, list[float]]]]


@pytest.fixture
def recorded() -> Iterator[Recorded]:
    """The metrics added during the test, by name: (unit, values)."""
    metrics.clear_metrics()
    yield lambda: {name: (entry["Unit"], list(entry["Value"])) for name, entry in metrics.metric_set.items()}
    metrics.clear_metrics()


def test_tokens_cost_and_outcome_are_metrics(server: FakeOpenAI, recorded: Recorded) -> None:
    server.queue(chat(dumps(answer()), prompt_tokens=1500, completion_tokens=700))
    make(server).summarize(topic(), DAY, stories())
    found = recorded()
    assert found["LlmDigestsWritten"] == ("Count", [1.0])
    assert found["LlmCalls"] == ("Count", [1.0])
    assert found["PromptTokens"] == ("Count", [1500.0])
    assert found["CompletionTokens"] == ("Count", [700.0])
    assert found["CostUsd"][1] == [pytest.approx((1500 * 1.0 + 700 * 2.0) / 1_000_000)]


@pytest.mark.parametrize(
    ("outcome", "options", "metric"),
    [
        ("cost cap", {"prices": {"test-model": (100.0, 100.0)}, "cost_cap_usd": 0.05}, "LlmCostCapReached"),
        ("llm failure", {"max_retries": 0}, "LlmFailures"),
    ],
)
def test_a_run_that_falls_back_says_why_in_its_metrics(
    server: FakeOpenAI, recorded: Recorded, outcome: str, options: dict[str, Any], metric: str
) -> None:
    server.queue(error(500, "boom", kind="server_error"))
    digest = make(server, **options).summarize(topic(), DAY, stories())
    assert digest.generator == "extractive"
    found = recorded()
    assert found[metric] == ("Count", [1.0])
    assert found["LlmFallbacks"] == ("Count", [1.0])  # the metric the template's fallback alarm watches
    assert "LlmDigestsWritten" not in found


# --- hostile articles in the fallback --------------------------------------------------------------------


def test_the_extractive_fallback_quotes_nothing_hostile(server: FakeOpenAI) -> None:
    server.queue(*[error(500, "boom", kind="server_error")] * 2)
    digest = make(server).summarize(topic(), DAY, hostile_stories())
    assert digest.generator == "extractive"
    for text in texts(digest):
        assert CANARY not in text and "evil.example" not in text, text
        assert "onerror" not in text and "<script" not in text, text
        assert not looks_like_instruction(text), text
    post = render_post(digest)
    assert "evil.example" not in post and "onerror" not in post and CANARY not in post
