"""SummarizeFunction: on ArticlesFetched, write the digest and announce DigestWritten."""

from __future__ import annotations

import os
from typing import Any

from dailydigest.boundary import ArticlesFetchedEvent, parse_pipeline_event
from dailydigest.handling import resolve, run_stage
from dailydigest.models.events import ArticlesFetched
from dailydigest.observability import count, entrypoint, logger
from dailydigest.runs.records import digest_facts, digest_outcome
from dailydigest.stages.summarize import CLAIM_SECONDS, ClaimPolicy, summarize_stage
from dailydigest.wiring import Services


@entrypoint("summarize")
def lambda_handler(event: dict[str, Any], context: Any, services: Services | None = None) -> dict[str, Any]:
    fetched = parse_pipeline_event(event, ArticlesFetchedEvent, ArticlesFetched)
    deps = resolve(services)
    payload = fetched.model_dump(mode="json")
    # A claim holds until this invocation's deadline; a duplicate waits no longer than its own.
    # Outside Lambda every delivery runs on this machine, so a stopped run's claim is seen to be gone.
    remaining_ms = getattr(context, "get_remaining_time_in_millis", lambda: CLAIM_SECONDS * 1000)()
    claim = ClaimPolicy.within(remaining_ms / 1000, same_machine="AWS_LAMBDA_FUNCTION_NAME" not in os.environ)
    with run_stage(deps, "summarize", fetched.run_id, fetched.topic, fetched.date, payload) as record:
        summarized = summarize_stage(fetched, deps.store, deps.summarizer, deps.bus, claim)
        written = summarized.event
        record.outputs = {"digest": written.digest_key}
        record.details = digest_facts(summarized.digest)
        record.outcome = "duplicate" if summarized.duplicate else digest_outcome(summarized.digest)
    if not summarized.duplicate:
        count("DigestsWritten")
    logger.info("digest written", topic=written.topic, generator=written.generator, key=written.digest_key)
    return written.model_dump(mode="json")
