"""The `dailydigest` command: run the pipeline locally through the same handlers and routing."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from dailydigest.errors import DigestError
from dailydigest.models.events import ArticlesFetched, DigestWritten, PostPublished
from dailydigest.models.requests import FetchRequest
from dailydigest.models.topic import describe_validation_error
from dailydigest.settings import Settings

EXIT_FAILED = 1
EXIT_BAD_INPUT = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dailydigest",
        description="Fetch a topic's news, write a cited digest and publish it as a Jekyll post.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="show the pipeline's log lines")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = commands.add_parser(
        "run",
        help="run fetch, summarize and render for one topic and date on the local bus",
        description="Run the whole pipeline for TOPIC through the local bus, which routes by template.yaml.",
    )
    run.add_argument("topic", metavar="TOPIC", help="topic slug from the topics file, e.g. qwen")
    run.add_argument(
        "--date", metavar="YYYY-MM-DD", help="day to digest (default: today in the topic's time zone)"
    )
    run.add_argument(
        "--topics", metavar="FILE", type=Path, help="topics file (default: $DIGEST_TOPICS or topics.yaml)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "run":
            return command_run(args)
    except DigestError as exc:
        print(f"dailydigest: error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_BAD_INPUT  # pragma: no cover - argparse rejects unknown commands


def command_run(args: argparse.Namespace) -> int:
    from dailydigest.adapters.bus_local import LocalBus, LocalContext, load_handler
    from dailydigest.adapters.sam_template import function_entry
    from dailydigest.wiring import Services, install, locate

    _quiet_observability(args.verbose)
    try:
        settings = Settings.from_env(os.environ)
        if args.topics is not None:
            settings = settings.model_copy(update={"topics_file": args.topics})
        request = FetchRequest.model_validate({"topic": args.topic, "date": args.date})
    except ValidationError as exc:
        return _bad_input(describe_validation_error(exc))
    except DigestError as exc:
        return _bad_input(str(exc))

    template = locate(settings.template_file, "template")
    bus = LocalBus(template)
    deps = Services(settings, overrides={"bus": bus})
    try:
        deps.topics.get(request.topic)  # an unknown topic or bad topics file stops here, before any write
    except DigestError as exc:
        return _bad_input(str(exc))

    install(deps)
    try:
        code_dir, handler_name = function_entry(template, "FetchFunction")
        fetch = load_handler(code_dir, handler_name, "FetchFunction")
        outcome: dict[str, Any] = fetch(
            request.model_dump(mode="json", exclude_none=True), LocalContext("FetchFunction")
        )
        bus.drain()
    finally:
        install(None)
    return _report(outcome, bus, deps)


def _report(outcome: dict[str, Any], bus: Any, deps: Any) -> int:
    print(f"run {outcome['run_id']}: {outcome['topic']} {outcome['date']}")
    if outcome["outcome"] == "no_news":
        print("no news: too few articles in the window, nothing published")
        return 0
    for port, adapter in deps.describe().items():
        print(f"  {port:<10} {adapter}")
    for delivery in bus.deliveries:
        detail, kind = delivery.envelope["detail"], delivery.envelope["detail-type"]
        if kind == ArticlesFetched.DETAIL_TYPE:
            counts = f"{detail['article_count']} articles in {detail['story_count']} stories"
            print(f"  fetched    {counts} -> {detail['stories_key']}")
        elif kind == DigestWritten.DETAIL_TYPE:
            print(f"  digest     {detail['generator']} -> {detail['digest_key']}")
        elif kind == PostPublished.DETAIL_TYPE:
            state = f"committed {detail['commit_sha'][:12]}" if detail["changed"] else "unchanged, no commit"
            print(f"  post       {detail['post_path']} ({state})")
            print(f"  image      {detail['image_path']}")
            print(f"  location   {detail['location']}")
            print(f"  artifacts  {detail['post_key']}, {detail['image_key']}")
    return 0


def _bad_input(message: str) -> int:
    print(f"dailydigest: error: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _quiet_observability(verbose: bool) -> None:
    """Logs go to stderr (stdout is the report); EMF metrics are for CloudWatch, not a terminal."""
    from dailydigest.observability import logger

    os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
    for handler in logger.handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(sys.stderr)
    logger.setLevel(logging.INFO if verbose else logging.WARNING)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
