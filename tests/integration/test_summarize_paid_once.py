"""Paid once: duplicate and concurrent deliveries of one ArticlesFetched make one LLM call, and a
crashed holder's stale claim is taken over by exactly one later delivery."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from dailydigest.errors import DigestInProgress
from dailydigest.models.article import StoryBundle
from dailydigest.models.events import ArticlesFetched, DigestWritten
from dailydigest.stages.summarize import (
    Claim,
    ClaimPolicy,
    Summarized,
    process_alive,
    summarize_stage,
    this_process,
)
from dailydigest.store import keys
from dailydigest.store.local import DirectoryStore
from tests.fakes import MemoryStore, RecordingBus
from tests.support.fake_openai import FakeOpenAI, chat
from tests.support.llm_fixtures import DAY, answer, dumps, stories, topic
from tests.support.llm_harness import make

pytestmark = pytest.mark.integration


def _fetched(store: DirectoryStore | MemoryStore, run_id: str = "run-000001") -> ArticlesFetched:
    key = keys.stories_key("qwen", DAY)
    bundle = StoryBundle(topic=topic(), date=DAY, stories=tuple(stories()))
    store.put(key, bundle.model_dump_json().encode(), "application/json")
    return ArticlesFetched(
        run_id=run_id, topic="qwen", date=DAY, stories_key=key, article_count=4, story_count=3
    )


def test_two_concurrent_deliveries_make_one_llm_call(
    server: FakeOpenAI, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # Given one slow answer and the same event delivered twice at the same moment
    caplog.set_level(logging.INFO, logger="dailydigest.stages.summarize")
    server.queue(dataclasses.replace(chat(dumps(answer())), delay=1.0))
    store = DirectoryStore(tmp_path)
    fetched = _fetched(store)
    bus = RecordingBus()
    results: list[Summarized] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def deliver() -> None:
        summarizer = make(server)  # each delivery is its own invocation, with its own summarizer
        start.wait()
        try:
            results.append(summarize_stage(fetched, store, summarizer, bus, ClaimPolicy(poll_seconds=0.05)))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    # Then one call was paid for, both deliveries have the same LLM digest, one of them is the duplicate
    assert not errors
    assert len(server.completions) == 1
    assert results[0].digest == results[1].digest
    assert results[0].digest.generator == "llm"
    assert sorted(r.duplicate for r in results) == [False, True]
    assert [type(e) for e in bus.events] == [DigestWritten]  # announced once, by the holder
    assert store.exists(keys.digest_claim_key("qwen", DAY))
    # and the duplicate said once, on the real clock, that it waits for the holder
    assert [r.message for r in caplog.records].count("digest claimed by another delivery, waiting") == 1


def test_a_later_duplicate_reuses_the_digest_without_a_call(server: FakeOpenAI) -> None:
    server.queue(chat(dumps(answer())))
    store = MemoryStore()
    fetched = _fetched(store)
    summarize_stage(fetched, store, make(server), RecordingBus())
    again = summarize_stage(fetched, store, make(server), RecordingBus())
    assert len(server.completions) == 1 and again.digest.generator == "llm"


class _Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 3, 12, 8, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


def _claim(store: MemoryStore, expires_in: float, generation: int = 1, run_id: str = "run-crashed") -> None:
    now = dt.datetime(2026, 3, 12, 8, 0, tzinfo=dt.UTC)
    claim = Claim(run_id=run_id, claimed_at=now, expires_at=now + dt.timedelta(seconds=expires_in))
    store.put(
        keys.digest_claim_key("qwen", DAY, generation), claim.model_dump_json().encode(), "application/json"
    )


def test_a_stale_claim_is_taken_over_and_the_call_retried(server: FakeOpenAI) -> None:
    # Given a claim whose holder crashed (its deadline passed) and no digest
    server.queue(chat(dumps(answer())))
    store = MemoryStore()
    fetched = _fetched(store)
    _claim(store, expires_in=-1)
    clock = _Clock()
    policy = ClaimPolicy(clock=clock, sleep=clock.sleep)
    # When the event is delivered again
    result = summarize_stage(fetched, store, make(server), RecordingBus(), policy)
    # Then this delivery claims the next generation and pays for the digest once
    assert result.digest.generator == "llm" and not result.duplicate
    assert len(server.completions) == 1
    assert store.exists(keys.digest_claim_key("qwen", DAY, 2))


def test_a_live_claim_is_waited_on_until_it_goes_stale(server: FakeOpenAI) -> None:
    # Given a claim that holds 30 more seconds and a delivery that may wait a minute
    server.queue(chat(dumps(answer())))
    store = MemoryStore()
    fetched = _fetched(store)
    _claim(store, expires_in=30)
    clock = _Clock()
    policy = ClaimPolicy(wait_seconds=60, poll_seconds=5, clock=clock, sleep=clock.sleep)
    result = summarize_stage(fetched, store, make(server), RecordingBus(), policy)
    # Then it waited for the holder, then took over once the claim expired
    assert clock.now - dt.datetime(2026, 3, 12, 8, 0, tzinfo=dt.UTC) >= dt.timedelta(seconds=30)
    assert result.digest.generator == "llm" and len(server.completions) == 1


def test_a_live_claim_past_the_wait_ends_in_a_retryable_error(server: FakeOpenAI) -> None:
    store = MemoryStore()
    fetched = _fetched(store, run_id="run-000002")
    _claim(store, expires_in=600, run_id="run-000002")
    clock = _Clock()
    policy = ClaimPolicy(wait_seconds=20, poll_seconds=5, clock=clock, sleep=clock.sleep)
    with pytest.raises(DigestInProgress, match=r"being written by run run-000002 .* will be retried"):
        summarize_stage(fetched, store, make(server), RecordingBus(), policy)
    assert server.completions == [] and not store.exists(keys.digest_key("qwen", DAY))


def test_an_unreadable_claim_counts_as_stale(server: FakeOpenAI) -> None:
    server.queue(chat(dumps(answer())))
    store = MemoryStore()
    fetched = _fetched(store)
    store.put(keys.digest_claim_key("qwen", DAY), b"{half", "application/json")
    result = summarize_stage(fetched, store, make(server), RecordingBus())
    assert result.digest.generator == "llm" and len(server.completions) == 1


def test_the_policy_follows_the_invocations_deadline() -> None:
    policy = ClaimPolicy.within(300)
    assert (policy.hold_seconds, policy.wait_seconds) == (300, 270)
    assert ClaimPolicy.within(5000).hold_seconds == 900  # never longer than a function can run


def test_a_local_runs_claim_ends_with_its_process(server: FakeOpenAI) -> None:
    # Given the claim of a local run stopped with Ctrl-C: its process no longer exists
    server.queue(chat(dumps(answer())))
    store = MemoryStore()
    fetched = _fetched(store)
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    now = dt.datetime.now(dt.UTC)
    claim = Claim(
        run_id="run-stopped",
        claimed_at=now,
        expires_at=now + dt.timedelta(minutes=15),
        holder=f"{socket.gethostname()}:{gone.stdout.strip()}",
    )
    store.put(keys.digest_claim_key("qwen", DAY), claim.model_dump_json().encode(), "application/json")
    # When the next local run summarizes the day, Then it takes over without waiting out the claim
    policy = ClaimPolicy.within(900, same_machine=True)
    result = summarize_stage(
        fetched, store, make(server), RecordingBus(), dataclasses.replace(policy, wait_seconds=0)
    )
    assert result.digest.generator == "llm" and len(server.completions) == 1


def test_a_claim_from_another_machine_or_a_live_process_holds() -> None:
    assert process_alive(this_process()) is True
    assert process_alive("another-host:1234") is None
    assert process_alive("not a holder") is None
