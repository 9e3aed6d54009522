"""The skeleton every handler shares: the services, the stage record, the run id, the NoNews outcome."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from dailydigest.models.events import NoNews
from dailydigest.observability import count, logger, set_run_id
from dailydigest.runs.records import Stage, StageRecord, stage_record
from dailydigest.wiring import Services, services


def resolve(given: Services | None) -> Services:
    """The services a handler was given (tests, the local bus), else the process's own."""
    return given if given is not None else services()


@contextmanager
def run_stage(
    deps: Services, stage: Stage, run_id: str, topic: str, day: dt.date, payload: Any
) -> Iterator[StageRecord]:
    """Run one stage under its run record (written when the stage ends, failed or not), with the
    run id as the correlation id of every log line."""
    set_run_id(run_id)
    with stage_record(deps.store, stage, run_id, topic, day, payload) as record:
        yield record


def no_news(record: StageRecord, outcome: NoNews) -> dict[str, Any]:
    """A day with too few usable articles: recorded, counted and logged once, nothing published."""
    record.outcome = "no_news"
    record.details = {"articles": outcome.article_count, "minimum": outcome.minimum}
    count("NoNews")
    logger.warning("no news for topic", topic=outcome.topic, date=outcome.date.isoformat(), **record.details)
    return {"outcome": "no_news", **outcome.model_dump(mode="json")}
