"""`dailydigest run`: the whole pipeline for one topic and a day, or a range of days (backfill)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import Any

from dailydigest.commands.local import (
    LocalPipeline,
    add_topics_option,
    load_settings,
    local_pipeline,
    request_for,
)
from dailydigest.commands.progress import showing_progress
from dailydigest.errors import BadInput
from dailydigest.models.events import ArticlesFetched, DigestWritten, PostPublished
from dailydigest.models.requests import FetchRequest
from dailydigest.ports import Store
from dailydigest.store.ops import read_if_present

MAX_BACKFILL_DAYS = 92


def add_parser(commands: Any) -> None:
    run = commands.add_parser(
        "run",
        help="run fetch, summarize and render for a topic on the local bus",
        description="Run the whole pipeline for TOPIC through the local bus, which routes by template.yaml. "
        "With --from/--to, run it once per day of the range (backfill).",
    )
    run.add_argument("topic", metavar="TOPIC", help="topic slug from the topics file, e.g. qwen")
    when = run.add_mutually_exclusive_group()
    when.add_argument(
        "--date", metavar="YYYY-MM-DD", help="day to digest (default: today in the topic's zone)"
    )
    when.add_argument("--from", dest="start", metavar="YYYY-MM-DD", help="first day of a backfill")
    run.add_argument(
        "--to", dest="end", metavar="YYYY-MM-DD", help="last day of a backfill (default: --from)"
    )
    add_topics_option(run)
    run.set_defaults(handler=command)


def days_to_run(args: argparse.Namespace) -> list[str | None]:
    if args.end and not args.start:
        raise BadInput("--to needs --from")
    if not args.start:
        return [args.date]
    try:
        first = dt.date.fromisoformat(args.start)
        last = dt.date.fromisoformat(args.end or args.start)
    except ValueError as exc:
        raise BadInput(f"bad date in --from/--to: {exc}") from None
    if last < first:
        raise BadInput(f"--to {last} is before --from {first}")
    count = (last - first).days + 1
    if count > MAX_BACKFILL_DAYS:
        raise BadInput(f"backfill of {count} days is longer than {MAX_BACKFILL_DAYS}; split it")
    return [(first + dt.timedelta(days=n)).isoformat() for n in range(count)]


def command(args: argparse.Namespace) -> int:
    settings = load_settings(args.topics)
    requests = [request_for(args.topic, day) for day in days_to_run(args)]
    with local_pipeline(settings) as pipeline:
        pipeline.services.topics.get(args.topic)  # unknown topic or bad topics file: stop before any write
        # The publisher's configuration (a missing GitHub token, say) is checked before fetch and
        # summarize spend time and LLM money on a post that could not be published.
        pipeline.services.store  # noqa: B018 - a store path that is a file, say
        pipeline.services.publisher  # noqa: B018 - building it is the check
        with showing_progress(pipeline.services):
            for index, request in enumerate(requests):
                if index:
                    print()
                run_one(pipeline, request)
    return 0


def run_one(pipeline: LocalPipeline, request: FetchRequest) -> None:
    already = len(pipeline.bus.deliveries)
    outcome = pipeline.invoke("FetchFunction", request.model_dump(mode="json", exclude_none=True))
    pipeline.drain()
    print(f"run {outcome['run_id']}: {outcome['topic']} {outcome['date']}")
    if outcome["outcome"] == "no_news":
        print("  no news: too few usable articles in the window, nothing published")
        return
    for port, adapter in pipeline.services.describe().items():
        print(f"  {port:<10} {adapter}")
    report_deliveries(pipeline.bus.deliveries[already:], pipeline.services.store)


def digest_line(detail: dict[str, Any], store: Store | None) -> str:
    """Which summarizer wrote the digest; a fallback says so, with the reason, model and host."""
    generator = str(detail["generator"])
    stored = read_if_present(store, str(detail["digest_key"])) if store is not None else None
    reason = json.loads(stored).get("fallback_reason") if stored else None
    if reason:
        generator = f"{generator} (LLM fell back: {' '.join(str(reason).split())})"
    return f"  digest     {generator} -> {detail['digest_key']}"


def report_deliveries(deliveries: list[Any], store: Store | None = None) -> None:
    for delivery in deliveries:
        detail, kind = delivery.envelope["detail"], delivery.envelope["detail-type"]
        if kind == ArticlesFetched.DETAIL_TYPE:
            counts = f"{detail['article_count']} articles in {detail['story_count']} stories"
            if detail.get("unresolved_count"):
                counts += f" ({detail['unresolved_count']} unresolved Google News links, headline only)"
            print(f"  fetched    {counts} -> {detail['stories_key']}")
        elif kind == DigestWritten.DETAIL_TYPE:
            print(digest_line(detail, store))
        elif kind == PostPublished.DETAIL_TYPE:
            sha = detail["commit_sha"]
            if not sha:
                state = "kept in the store"
            elif detail["changed"]:
                state = f"committed {sha[:12]}"
            else:
                state = "unchanged, no commit"
            print(f"  post       {detail['post_path']} ({state})")
            print(f"  image      {detail['image_path']}")
            if detail["location"]:
                print(f"  location   {detail['location']}")
            print(f"  artifacts  {detail['post_key']}, {detail['image_key']}")
            if detail.get("archive_url"):
                print(f"  archive    {detail['archive_url']}")
