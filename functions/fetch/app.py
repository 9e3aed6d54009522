"""FetchFunction: gather the day's stories for a topic, store them, announce ArticlesFetched.

Accepts the schedule's `{"topic": "qwen"}`, a direct `{"topic": "qwen", "date": "2025-12-24"}`,
and an ad-hoc `{"topic_definition": {...}}`; bad input is rejected before anything is written.
"""

from __future__ import annotations

from typing import Any

from dailydigest.boundary import parse_request
from dailydigest.errors import SourcesDownError
from dailydigest.handling import no_news, resolve, run_stage
from dailydigest.models.events import NoNews
from dailydigest.models.requests import FetchRequest
from dailydigest.observability import count, entrypoint, logger
from dailydigest.runs.ids import new_run_id
from dailydigest.stages.fetch import fetch_stage
from dailydigest.wiring import Services


@entrypoint("fetch")
def lambda_handler(event: dict[str, Any], context: Any, services: Services | None = None) -> dict[str, Any]:
    request = parse_request(event, FetchRequest)
    deps = resolve(services)
    topic = request.resolve_topic(deps.topics)
    day = request.day_for(topic)
    run_id = request.run_id or new_run_id()
    # Recorded only once the input is valid: bad input writes nothing at all.
    payload = {
        **request.model_dump(mode="json", exclude_none=True),
        "date": day.isoformat(),
        "run_id": run_id,
    }
    with run_stage(deps, "fetch", run_id, topic.slug, day, payload) as record:
        if request.topic_definition is not None:
            logger.info("ad-hoc topic", topic=topic.slug, queries=len(topic.queries), feeds=len(topic.feeds))
        try:
            outcome = fetch_stage(topic, day, run_id, deps.sources, deps.store, deps.bus, deps.fetch_tally)
        except SourcesDownError as exc:
            # An outage is not a quiet day: the run fails, SourcesDown feeds its alarm.
            count("SourcesDown")
            logger.error("news sources down", topic=topic.slug, date=day.isoformat(), reason=str(exc)[:500])
            raise
        if isinstance(outcome, NoNews):
            return no_news(record, outcome)
        record.outputs = {"stories": outcome.stories_key}
        record.details = {
            "articles": outcome.article_count,
            "stories": outcome.story_count,
            "unresolved": outcome.unresolved_count,
        }
    count("ArticlesFetched", outcome.article_count)
    count("Stories", outcome.story_count)
    logger.info("articles fetched", topic=topic.slug, **record.details)
    return {"outcome": "fetched", **outcome.model_dump(mode="json")}
