"""RenderFunction: on DigestWritten, render the post and image, publish them, announce PostPublished."""

from __future__ import annotations

from typing import Any

from dailydigest.boundary import DigestWrittenEvent, parse_pipeline_event
from dailydigest.handling import resolve, run_stage
from dailydigest.models.events import DigestWritten
from dailydigest.observability import count, entrypoint, logger, metrics
from dailydigest.stages.render import render_stage
from dailydigest.wiring import Services, archiver, render_files


@entrypoint("render")
def lambda_handler(event: dict[str, Any], context: Any, services: Services | None = None) -> dict[str, Any]:
    written = parse_pipeline_event(event, DigestWrittenEvent, DigestWritten)
    deps = resolve(services)
    settings = deps.settings
    payload = written.model_dump(mode="json")
    with run_stage(deps, "render", written.run_id, written.topic, written.date, payload) as record:
        archive = archiver(deps.store, settings.archive)
        published = render_stage(
            written,
            deps.store,
            render_files,
            deps.publisher,
            deps.bus,
            archive,
            settings.publish.commit_message,
            settings.publish.post_path,
        )
        record.outputs = {
            "post": published.post_key,
            "image": published.image_key,
            "archive": published.archive_url,
        }
        record.details = {"commit_sha": published.commit_sha, "changed": published.changed}
        record.outcome = "published" if published.changed else "unchanged"
    count("PostsPublished" if published.changed else "PostsUnchanged")
    # Deliveries per topic, for dashboards (the "no post in 26 hours" alarm reads the run records:
    # WatchdogFunction).
    metrics.add_dimension(name="topic", value=written.topic)
    count("PostsDelivered")
    logger.info(
        "post published", path=published.post_path, changed=published.changed, commit=published.commit_sha
    )
    return published.model_dump(mode="json")
