from __future__ import annotations

import datetime as dt

import pytest

from dailydigest.errors import DigestError
from dailydigest.runs.records import digest_facts, digest_outcome, input_hash, list_runs, stage_record
from dailydigest.store.keys import run_record_key
from tests.factories import make_digest
from tests.fakes import MemoryStore

DAY = dt.date(2026, 11, 28)


def test_a_stage_writes_one_record_with_outputs_and_duration() -> None:
    store = MemoryStore()
    with stage_record(store, "render", "run-000001", "qwen", DAY, {"a": 1}) as record:
        record.outputs = {"post": "data/qwen/2026-11-28/post.md"}
    saved = list_runs(store)[0].stages["render"]
    assert saved.outcome == "ok" and saved.outputs["post"].endswith("post.md")
    assert saved.input_hash == input_hash({"a": 1}) and saved.duration_ms >= 0
    assert store.list("runs/") == [run_record_key("qwen", DAY, "run-000001", "render")]


def test_a_failing_stage_is_recorded_and_the_error_still_raised() -> None:
    store = MemoryStore()
    with (
        pytest.raises(DigestError, match="boom"),
        stage_record(store, "fetch", "run-000002", "qwen", DAY, {}),
    ):
        raise DigestError("boom")
    summary = list_runs(store)[0]
    assert summary.outcome == "failed in fetch" and summary.stages["fetch"].error == "boom"


def test_unexpected_errors_record_only_their_type() -> None:
    # Messages of unexpected exceptions can carry anything; the record keeps the type.
    store = MemoryStore()
    with pytest.raises(KeyError), stage_record(store, "fetch", "run-000003", "qwen", DAY, {}):
        raise KeyError("secret-ish detail")
    assert list_runs(store)[0].stages["fetch"].error == "KeyError"


def test_runs_are_grouped_filtered_and_newest_first() -> None:
    store = MemoryStore()
    for run_id, topic in (("run-000010", "qwen"), ("run-000011", "llama"), ("run-000012", "qwen")):
        for stage in ("fetch", "summarize", "render"):
            with stage_record(store, stage, run_id, topic, DAY, {}):  # type: ignore[arg-type]
                pass
    assert [s.first.run_id for s in list_runs(store, "qwen")] == ["run-000012", "run-000010"]
    assert list(list_runs(store)[0].stages) == ["fetch", "summarize", "render"]
    store.put("runs/qwen/2026-11-28/run-000099/fetch.json", b"{not json", "application/json")
    assert len(list_runs(store)) == 3  # a damaged record is skipped, not fatal


def test_duplicate_delivery_keeps_the_first_record() -> None:
    store = MemoryStore()
    for outcome in ("first", "second"):
        with stage_record(store, "render", "run-000020", "qwen", DAY, {}) as record:
            record.outcome = outcome
    assert list_runs(store)[0].stages["render"].outcome == "first"


def test_digest_facts() -> None:
    digest = make_digest()
    facts = digest_facts(digest)
    assert facts["generator"] == digest.generator and facts["sources"] == len(digest.sources)
    assert set(facts) == {
        "generator",
        "model",
        "prompt_version",
        "grounding",
        "usage",
        "fallback_reason",
        "sources",
    }


@pytest.mark.parametrize(
    ("generator", "reason", "outcome"),
    [
        ("llm", "", "llm"),
        ("extractive", "", "extractive"),
        ("extractive", "timed out", "extractive fallback"),
    ],
)
def test_the_summarize_outcome_tells_a_fallback_from_an_llm_post(
    generator: str, reason: str, outcome: str
) -> None:
    digest = make_digest().model_copy(update={"generator": generator, "fallback_reason": reason})
    assert digest_outcome(digest) == outcome


def test_a_run_that_fell_back_says_so_in_its_outcome() -> None:
    store = MemoryStore()
    for stage, outcome in (("fetch", "ok"), ("summarize", "extractive fallback"), ("render", "published")):
        with stage_record(store, stage, "run-000030", "qwen", DAY, {}) as record:  # type: ignore[arg-type]
            record.outcome = outcome
    assert list_runs(store)[0].outcome == "published, LLM fell back"
