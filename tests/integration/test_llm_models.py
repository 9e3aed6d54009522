"""The models and endpoints people run, against loopback fakes of their habits: reasoning kept out of
the digest, sloppy JSON repaired without a second paid call, and each endpoint's refusals of a
request form learnt once and remembered (per endpoint and model) for the rest of the run."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dailydigest.models.digest import Digest
from dailydigest.render.parse import parse_post
from dailydigest.render.post import render_post
from tests.conftest import REPO_ROOT
from tests.support.fake_openai import Answer, FakeOpenAI, chat
from tests.support.llm_fixtures import DAY, answer, dumps, stories, topic
from tests.support.llm_harness import make, run_dailydigest, texts
from tests.support.model_habits import (
    dashscope_endpoint,
    deepseek_endpoint,
    opened_by_template,
    reasoner,
    sloppy,
    think_block,
    vllm_xgrammar_endpoint,
)

pytestmark = pytest.mark.integration


def _clean_and_reference_shaped(digest: Digest) -> None:
    assert digest.generator == "llm" and not digest.fallback_reason
    prose = " ".join(texts(digest))
    for leftover in ("<think>", "</think>", "草稿", "```", "Sure!", "{", "source_ids"):
        assert leftover not in prose
    # The post parses back under the post format's rules (the reference's shape) to the same digest.
    post = render_post(digest)
    parsed = parse_post(post)
    assert [(h.headline, h.body) for h in parsed.highlights] == [
        (h.headline, h.body) for h in digest.highlights
    ]
    assert parsed.key_points == digest.key_points
    assert digest.trend_overview == answer()["trend_overview"]


@pytest.mark.parametrize(
    "reply",
    [
        pytest.param(lambda a: chat(think_block(a)), id="think-block-in-content"),
        pytest.param(lambda a: chat(opened_by_template(a)), id="r1-template-opened-think"),
        pytest.param(reasoner, id="deepseek-reasoning_content"),
        pytest.param(lambda a: chat(dumps(a), reasoning="先想想 {草稿}"), id="vllm-reasoning-field"),
        pytest.param(lambda a: chat(sloppy(a)), id="sloppy-local-model"),
    ],
)
def test_model_habits_give_an_llm_digest_in_one_call(
    server: FakeOpenAI, reply: Callable[[dict[str, Any]], Answer]
) -> None:
    server.queue(reply(answer()))
    digest = make(server).summarize(topic(), DAY, stories())
    _clean_and_reference_shaped(digest)
    assert len(server.completions) == 1  # repaired locally, not by asking again


def test_a_thinking_model_cut_off_inside_its_thoughts_is_asked_again(server: FakeOpenAI) -> None:
    server.queue(chat('<think>讓我想想 {"a": 1', finish_reason="length"), chat(think_block(answer())))
    digest = make(server).summarize(topic(), DAY, stories())
    _clean_and_reference_shaped(digest)
    assert len(server.completions) == 2


def test_a_reply_of_reasoning_only_is_asked_for_the_answer(server: FakeOpenAI) -> None:
    server.queue(chat("", reasoning_content="先想想 {草稿}"), reasoner(answer()))
    _clean_and_reference_shaped(make(server).summarize(topic(), DAY, stories()))
    assert "held only reasoning" in server.completions[1].user


@pytest.mark.parametrize("legacy", [False, True], ids=["400", "422"])
def test_deepseek_refusing_json_schema_is_downgraded_once_and_remembered(
    server: FakeOpenAI, legacy: bool
) -> None:
    endpoint = deepseek_endpoint(lambda body: reasoner(answer()), legacy=legacy)
    server.queue(endpoint, endpoint, endpoint)
    summarizer = make(server)  # a generic address: json_schema is tried first
    _clean_and_reference_shaped(summarizer.summarize(topic(), DAY, stories()))
    summarizer.summarize(topic(), DAY, stories()[:2])
    formats = [(r.body.get("response_format") or {}).get("type") for r in server.completions]
    assert formats == ["json_schema", "json_object", "json_object"]


def test_json_mode_is_learnt_per_model(server: FakeOpenAI) -> None:
    # The first model's endpoint refuses json_schema and the model is down; the fallback model
    # starts again from json_schema, which it accepts.
    endpoint = deepseek_endpoint(lambda body: chat(dumps(answer()), model=body["model"]))
    server.queue(
        endpoint,
        Answer(404, {"error": {"message": "model not found", "type": "invalid_request_error"}}),
        chat(dumps(answer()), model="backup-model"),
    )
    digest = make(server, fallback_models=("backup-model",), max_retries=0).summarize(topic(), DAY, stories())
    assert digest.model == "backup-model"
    sent = [(r.body["model"], (r.body.get("response_format") or {}).get("type")) for r in server.completions]
    assert sent == [
        ("test-model", "json_schema"),
        ("test-model", "json_object"),
        ("backup-model", "json_schema"),
    ]


def test_vllm_schema_its_grammar_cannot_compile_steps_down_to_json_mode(server: FakeOpenAI) -> None:
    endpoint = vllm_xgrammar_endpoint(lambda body: chat(think_block(answer())))
    server.queue(endpoint, endpoint)
    _clean_and_reference_shaped(make(server).summarize(topic(), DAY, stories()))
    assert [(r.body.get("response_format") or {}).get("type") for r in server.completions] == [
        "json_schema",
        "json_object",
    ]


def test_vllm_preset_switches_qwen3_thinking_off(server: FakeOpenAI) -> None:
    server.queue(chat(dumps(answer())))
    summarizer = make(server, preset="vllm")
    summarizer.models = ("Qwen/Qwen3-32B",)
    _clean_and_reference_shaped(summarizer.summarize(topic(), DAY, stories()))
    body = server.completions[0].body
    assert body["chat_template_kwargs"] == {"enable_thinking": False}
    assert body["response_format"]["type"] == "json_schema"


def test_dashscope_preset_sends_qwen3_the_thinking_switch_and_json_mode(server: FakeOpenAI) -> None:
    endpoint = dashscope_endpoint(lambda body: chat(dumps(answer())))
    server.queue(endpoint)
    summarizer = make(server, preset="dashscope")
    summarizer.models = ("qwen3-235b-a22b",)
    _clean_and_reference_shaped(summarizer.summarize(topic(), DAY, stories()))
    (request,) = server.completions
    assert request.body["enable_thinking"] is False
    assert request.body["response_format"] == {"type": "json_object"}


def test_generic_preset_learns_dashscopes_thinking_rule_from_its_400(server: FakeOpenAI) -> None:
    # Without the preset (a proxy in front of DashScope), the 400 names the field the preset would
    # have sent; with nothing to drop, the run falls back and says why.
    endpoint = dashscope_endpoint(lambda body: chat(dumps(answer())))
    server.queue(endpoint, endpoint)
    summarizer = make(server)
    summarizer.models = ("qwen3-235b-a22b",)
    digest = summarizer.summarize(topic(), DAY, stories())
    assert digest.generator == "extractive"
    assert "enable_thinking must be set to false" in digest.fallback_reason
    assert "model qwen3-235b-a22b at 127.0.0.1:" in digest.fallback_reason


def _cited_for(body: dict[str, Any]) -> dict[str, Any]:
    """`answer()` citing whatever sources and stories the prompt lists."""
    user = body["messages"][-1]["content"]
    ids = [int(n) for n in re.findall(r"^\[S(\d+)\]", user, flags=re.M)]
    numbers = [int(n) for n in re.findall(r"^\[E(\d+)\]", user, flags=re.M)]
    reply = answer()
    for index, highlight in enumerate(reply["highlights"]):
        highlight["story"] = numbers[index % len(numbers)]
        highlight["source_ids"] = [ids[index % len(ids)]]
    for index, point in enumerate(reply["key_points"]):
        point["source_ids"] = [ids[index % len(ids)]]
    return reply


@pytest.mark.parametrize("habit", [think_block, sloppy], ids=["reasoning-model", "sloppy-json"])
def test_dailydigest_run_publishes_the_llm_digest_of_a_model_with_habits(
    server: FakeOpenAI, tmp_path: Path, habit: Callable[[dict[str, Any]], str]
) -> None:
    server.queue(lambda body: chat(habit(_cited_for(body)), model="qwen3-32b"))
    topics = str(REPO_ROOT / "samples" / "topics.yaml")
    result = run_dailydigest(
        tmp_path, server.base_url, "qwen3-32b", "run", "qwen", "--date", "2026-11-28", DIGEST_TOPICS=topics
    )
    assert result.returncode == 0, result.stderr
    assert "digest     llm -> data/qwen/2026-11-28/digest.json" in result.stdout
    assert len(server.completions) == 1
    # The post as published (the store keeps the same text whatever the blog's post path).
    post = (tmp_path / "var" / "store" / "data" / "qwen" / "2026-11-28" / "post.md").read_text(
        encoding="utf-8"
    )
    parsed = parse_post(post)  # the post format's rules: the reference's shape
    assert parsed.generator == "llm" and parsed.trend_overview == answer()["trend_overview"]
    for leftover in ("<think>", "草稿", "```", "Sure!", "'trend_overview'"):
        assert leftover not in post
