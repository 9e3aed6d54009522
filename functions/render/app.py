"""RenderFunction: on DigestWritten, render the post and image, publish them, announce PostPublished."""

from __future__ import annotations

from typing import Any

from dailydigest.boundary import DigestWrittenEvent, parse_pipeline_event
from dailydigest.domain.stages import render_stage
from dailydigest.models.events import DigestWritten
from dailydigest.observability import count, entrypoint, logger
from dailydigest.wiring import render, services


@entrypoint("render")
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    written = parse_pipeline_event(event, DigestWrittenEvent, DigestWritten)
    deps = services()
    published = render_stage(written, deps.store, render, deps.publisher, deps.bus)
    count("PostsPublished" if published.changed else "PostsUnchanged")
    logger.info(
        "post published", path=published.post_path, changed=published.changed, commit=published.commit_sha
    )
    return published.model_dump(mode="json")
