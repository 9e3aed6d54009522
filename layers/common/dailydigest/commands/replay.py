"""`dailydigest replay`: summarize and render a past day again from its stored stories."""

from __future__ import annotations

import argparse
from typing import Any

from dailydigest.commands.local import add_topics_option, load_settings, local_pipeline, request_for
from dailydigest.commands.progress import showing_progress
from dailydigest.commands.run import report_deliveries
from dailydigest.errors import BadInput
from dailydigest.runs.ids import new_run_id
from dailydigest.stages.replay import replay_stage


def add_parser(commands: Any) -> None:
    replay = commands.add_parser(
        "replay",
        help="write a past day's digest again from its stored stories (new prompt or model)",
        description="Re-summarize TOPIC's DATE from the stories stored by its fetch, then re-render. "
        "The post is published again only when the digest changed.",
    )
    replay.add_argument("topic", metavar="TOPIC")
    replay.add_argument("date", metavar="DATE", help="YYYY-MM-DD")
    add_topics_option(replay)
    replay.set_defaults(handler=command)


def command(args: argparse.Namespace) -> int:
    # Imported here: the CLI sets Powertools' environment before the logger is created.
    from dailydigest.handling import run_stage

    request = request_for(args.topic, args.date)
    day = request.date
    if day is None:  # the DATE argument is required; this only narrows the type
        raise BadInput("DATE is required")
    settings = load_settings(args.topics)
    run_id = new_run_id()
    with local_pipeline(settings) as pipeline:
        deps = pipeline.services
        deps.topics.get(request.topic)  # an unknown topic writes nothing, not even a run record
        deps.publisher  # noqa: B018 - the publisher's configuration, checked before the LLM is paid
        payload = request.model_dump(mode="json")
        with showing_progress(deps):
            with run_stage(deps, "replay", run_id, request.topic, day, payload) as record:
                outcome = replay_stage(request.topic, day, run_id, deps.store, deps.summarizer, pipeline.bus)
                record.outcome = "changed" if outcome.changed else "unchanged"
                record.outputs = {"digest": outcome.digest_key}
            deliveries = pipeline.drain()
    print(f"replay {run_id}: {request.topic} {day}")
    if not outcome.changed:
        print("  digest unchanged: nothing republished")
        return 0
    report_deliveries(deliveries, deps.store)  # as run does: says when the LLM fell back
    return 0
