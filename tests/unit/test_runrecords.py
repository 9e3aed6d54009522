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
    [key] = store.list("runs/")
    stamp = saved.started.strftime("%Y%m%dT%H%M%S%fZ")
    assert key == run_record_key("qwen", DAY, "run-000001", "render", stamp)


def test_a_failing_stage_is_recorded_and_the_error_still_raised() -> None:
    store = MemoryStore()
    with (
        pytest.raises(DigestError, match="boom"),
        stage_record(store, "fetch", "run-000002", "qwen", DAY, {}),
    ):
        raise DigestError("boom")
    summary = list_runs(store)[0]
    assert summary.outcome == "failed in fetch" and summary.stages["fetch"].error == "boom"


def _attempt(store: MemoryStore, stage: str, run_id: str, fail: bool = False, outcome: str = "") -> None:
    try:
        with stage_record(store, stage, run_id, "qwen", DAY, {}) as record:  # type: ignore[arg-type]
            if fail:
                raise DigestError(f"{stage} broke")
            if outcome:
                record.outcome = outcome
    except DigestError:
        pass


def test_a_retried_stage_that_then_succeeded_reports_the_last_outcome() -> None:
    # Given a run whose summarize failed once, then succeeded on the retry (same run id)
    store = MemoryStore()
    _attempt(store, "fetch", "run-000030")
    _attempt(store, "summarize", "run-000030", fail=True)
    _attempt(store, "summarize", "run-000030")
    _attempt(store, "render", "run-000030", outcome="published")
    # When the runs are listed
    [summary] = list_runs(store)
    # Then both attempts are kept, and the run reports what the last one did
    assert len(store.list("runs/")) == 4
    assert summary.attempts == {"fetch": 1, "summarize": 2, "render": 1}
    assert summary.stages["summarize"].outcome == "ok"
    assert summary.outcome == "published"


def test_a_retry_that_failed_after_a_success_is_what_the_run_reports() -> None:
    store = MemoryStore()
    _attempt(store, "fetch", "run-000031")
    _attempt(store, "fetch", "run-000031", fail=True)
    assert list_runs(store)[0].outcome == "failed in fetch"


@pytest.mark.parametrize(
    ("stages", "outcome"),
    [
        (["fetch", "summarize"], "unfinished: no render record"),  # killed in render
        (["fetch"], "unfinished: no render record"),
        ([("fetch", "no_news")], "no_news"),  # ended early by design
        ([("replay", "unchanged")], "unchanged"),
        ([("replay", "changed")], "unfinished: no render record"),
        ([("replay", "changed"), ("render", "published")], "published"),
    ],
)
def test_a_run_without_a_render_record_is_not_ok(stages: list[object], outcome: str) -> None:
    store = MemoryStore()
    for item in stages:
        stage, result = item if isinstance(item, tuple) else (item, "")
        _attempt(store, str(stage), "run-000040", outcome=str(result))
    assert list_runs(store)[0].outcome == outcome


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


def test_a_duplicate_delivery_is_kept_as_a_second_attempt() -> None:
    store = MemoryStore()
    for outcome in ("first", "second"):
        with stage_record(store, "render", "run-000020", "qwen", DAY, {}) as record:
            record.outcome = outcome
    [summary] = list_runs(store)
    assert summary.attempts == {"render": 2} and summary.stages["render"].outcome == "second"


def test_records_written_before_attempts_were_kept_still_list() -> None:
    written = MemoryStore()
    _attempt(written, "fetch", "run-000050", outcome="no_news")
    [key] = written.list("runs/")
    store = MemoryStore()
    store.put(run_record_key("qwen", DAY, "run-000050", "fetch"), written.get(key), "application/json")
    assert list_runs(store)[0].outcome == "no_news"


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
