"""FetchFunction: gather the day's stories for a topic, store them, announce ArticlesFetched."""

from __future__ import annotations

from typing import Any

from dailydigest.boundary import parse_request
from dailydigest.domain.runs import new_run_id, topic_today
from dailydigest.domain.stages import NoNews, fetch_stage
from dailydigest.models.requests import FetchRequest
from dailydigest.observability import count, entrypoint, logger, set_run_id
from dailydigest.wiring import services


@entrypoint("fetch")
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    request = parse_request(event, FetchRequest)
    deps = services()
    topic = deps.topics.get(request.topic)
    day = request.date or topic_today(topic)
    run_id = request.run_id or new_run_id()
    set_run_id(run_id)
    outcome = fetch_stage(topic, day, run_id, deps.sources, deps.store, deps.bus)
    if isinstance(outcome, NoNews):
        count("NoNews")
        logger.warning(
            "no news for topic", topic=topic.slug, date=day.isoformat(), articles=outcome.article_count
        )
        return {"outcome": "no_news", "run_id": run_id, "topic": topic.slug, "date": day.isoformat()}
    count("ArticlesFetched", outcome.article_count)
    count("Stories", outcome.story_count)
    logger.info(
        "articles fetched", topic=topic.slug, articles=outcome.article_count, stories=outcome.story_count
    )
    return {"outcome": "fetched", **outcome.model_dump(mode="json")}
