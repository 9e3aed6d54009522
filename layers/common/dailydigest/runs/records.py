"""Run records: one JSON document per (run, stage) in the store, listed by `dailydigest runs`.

A record says what went in (input hash), what came out (keys, commit), what it cost and how long
it took, so any past post can be traced to the exact run, prompt and model that produced it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from dailydigest.errors import DigestError
from dailydigest.models.digest import Digest
from dailydigest.ports import Store
from dailydigest.store import keys

# In pipeline order: a replay re-summarizes, then render publishes.
Stage = Literal["fetch", "summarize", "replay", "render"]


class StageRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")

    schema_version: Literal[1] = 1
    run_id: str
    stage: Stage
    topic: str
    date: dt.date
    started: dt.datetime
    duration_ms: int = 0
    outcome: str = "running"
    error: str = ""
    input_hash: str = ""
    outputs: dict[str, str] = Field(default_factory=dict)
    details: dict[str, Any] = Field(default_factory=dict)


# Told (record, "started" | "finished") around every stage: the CLI's progress lines on a terminal.
StageWatcher = Callable[["StageRecord", str], None]
_watcher: ContextVar[StageWatcher | None] = ContextVar("stage_watcher", default=None)


@contextmanager
def watching_stages(watcher: StageWatcher) -> Iterator[None]:
    token = _watcher.set(watcher)
    try:
        yield
    finally:
        _watcher.reset(token)


def input_hash(payload: Any) -> str:
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()


@contextmanager
def stage_record(
    store: Store, stage: Stage, run_id: str, topic: str, day: dt.date, payload: Any
) -> Iterator[StageRecord]:
    """Yield a record for the handler to fill; written when the stage ends, failed or not."""
    record = StageRecord(
        run_id=run_id,
        stage=stage,
        topic=topic,
        date=day,
        started=dt.datetime.now(dt.UTC),
        input_hash=input_hash(payload),
    )
    clock = time.perf_counter()
    watcher = _watcher.get()
    if watcher is not None:
        watcher(record, "started")
    try:
        yield record
        if record.outcome == "running":
            record.outcome = "ok"
    except Exception as exc:
        record.outcome = "failed"
        record.error = str(exc)[:500] if isinstance(exc, DigestError) else type(exc).__name__
        raise
    finally:
        record.duration_ms = round((time.perf_counter() - clock) * 1000)
        _keep_attempt(store, record)
        if watcher is not None:
            watcher(record, "finished")


def _keep_attempt(store: Store, record: StageRecord) -> None:
    """Every attempt gets its own record (a retry that succeeds does not hide behind the first
    failure); create-if-absent, so two attempts starting in the same microsecond both stay."""
    stamp = record.started.strftime("%Y%m%dT%H%M%S%fZ")
    data = record.model_dump_json(indent=1).encode()
    for suffix in ("", *(f"-{n}" for n in range(1, 10))):
        key = keys.run_record_key(record.topic, record.date, record.run_id, record.stage, stamp + suffix)
        if store.create(key, data, "application/json"):
            return


def digest_facts(digest: Digest) -> dict[str, Any]:
    """What a run record keeps about a digest: who wrote it, with which prompt, at what cost."""
    include = {"generator", "model", "prompt_version", "grounding", "usage", "fallback_reason"}
    facts = digest.model_dump(mode="json", include=include)
    facts["sources"] = len(digest.sources)
    return facts


FALLBACK_OUTCOME = "extractive fallback"


def digest_outcome(digest: Digest) -> str:
    """A summarize record's outcome: which summarizer wrote the post, and whether the LLM fell back
    (so `runs` tells a fallback from an LLM post, and from a deliberately extractive setup)."""
    if digest.fallback_reason:
        return FALLBACK_OUTCOME
    return "llm" if digest.generator == "llm" else "extractive"


class RunSummary(BaseModel):
    """All stage records of one run (every attempt), in pipeline order, for the `runs` table."""

    records: tuple[StageRecord, ...]

    @property
    def first(self) -> StageRecord:
        return self.records[0]

    @property
    def stages(self) -> dict[str, StageRecord]:
        """Each stage's last attempt, in pipeline order: what the stage finally did."""
        return {r.stage: r for r in self.records}

    @property
    def attempts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for r in self.records:
            counts[r.stage] = counts.get(r.stage, 0) + 1
        return counts

    @property
    def outcome(self) -> str:
        """The last attempts' outcome; a run that never reached render (killed, or still going) is
        not ok, unless it ended early by design (no news, or a replay that changed nothing)."""
        latest = self.stages
        failed = [r for r in latest.values() if r.outcome == "failed"]
        if failed:
            return f"failed in {failed[0].stage}"
        last = list(latest.values())[-1]
        ended_early = (last.stage, last.outcome) in (("fetch", "no_news"), ("replay", "unchanged"))
        if "render" not in latest and not ended_early:
            return "unfinished: no render record"
        # Any attempt's fallback: a later duplicate delivery's record does not hide it.
        if any(r.outcome == FALLBACK_OUTCOME for r in self.records) and last.outcome != FALLBACK_OUTCOME:
            return f"{last.outcome}, LLM fell back"
        return last.outcome

    @property
    def duration_ms(self) -> int:
        return sum(r.duration_ms for r in self.records)


def read_records(store: Store, prefix: str) -> Iterator[StageRecord]:
    """Every stage record under a key prefix; a record from a newer schema or a damaged file is
    left out, not fatal."""
    for key in store.list(prefix):
        try:
            yield StageRecord.model_validate_json(store.get(key))
        except ValidationError:
            continue


def group_runs(records: Iterable[StageRecord]) -> list[RunSummary]:
    """Stage records grouped into runs, each in pipeline order; newest run first."""
    grouped: dict[str, list[StageRecord]] = {}
    for record in records:
        grouped.setdefault(record.run_id, []).append(record)
    order = get_args(Stage)
    summaries = [
        RunSummary(records=tuple(sorted(records, key=lambda r: (order.index(r.stage), r.started))))
        for records in grouped.values()
    ]
    return sorted(summaries, key=lambda s: (s.first.started, s.first.run_id), reverse=True)


def list_runs(store: Store, topic: str | None = None) -> list[RunSummary]:
    """Every recorded run (of one topic), newest first."""
    return group_runs(read_records(store, keys.run_records_prefix(topic)))
