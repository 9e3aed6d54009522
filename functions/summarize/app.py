"""SummarizeFunction: on ArticlesFetched, write the digest and announce DigestWritten."""

from __future__ import annotations

from typing import Any

from dailydigest.boundary import ArticlesFetchedEvent, parse_pipeline_event
from dailydigest.handling import resolve, run_stage
from dailydigest.models.events import ArticlesFetched
from dailydigest.observability import count, entrypoint, logger
from dailydigest.runs.records import digest_facts
from dailydigest.stages.summarize import summarize_stage
from dailydigest.wiring import Services


@entrypoint("summarize")
def lambda_handler(event: dict[str, Any], context: Any, services: Services | None = None) -> dict[str, Any]:
    fetched = parse_pipeline_event(event, ArticlesFetchedEvent, ArticlesFetched)
    deps = resolve(services)
    payload = fetched.model_dump(mode="json")
    with run_stage(deps, "summarize", fetched.run_id, fetched.topic, fetched.date, payload) as record:
        summarized = summarize_stage(fetched, deps.store, deps.summarizer, deps.bus)
        written = summarized.event
        record.outputs = {"digest": written.digest_key}
        record.details = digest_facts(summarized.digest)
    count("DigestsWritten")
    logger.info("digest written", topic=written.topic, generator=written.generator, key=written.digest_key)
    return written.model_dump(mode="json")
