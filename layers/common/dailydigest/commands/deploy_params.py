"""`dailydigest deploy-params`: check the topics file against the topics parameter's limits, show the
schedules the stack will keep for it, and print the `sam deploy` parameter that names the parameter.

There are no topic slots: every topic of the parameter gets its own schedule (its own cron and time
zone) from the stack's schedule sync, so adding or changing a topic is uploading the file again.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from typing import Any

from dailydigest.commands.local import add_topics_option, load_settings
from dailydigest.errors import BadInput
from dailydigest.models.topic import TopicsFile

DEFAULT_PARAMETER = "/dailydigest/topics"
# SSM parameter value limits (bytes): the standard tier, and the advanced tier (a small monthly charge).
STANDARD_TIER_BYTES = 4096
ADVANCED_TIER_BYTES = 8192


def add_parser(commands: Any) -> None:
    deploy = commands.add_parser(
        "deploy-params",
        help="check the topics file and print sam deploy --parameter-overrides",
        description="Validate the topics file, list the schedule each topic gets (its own cron and "
        "time zone), say how to upload it to the topics parameter, and print the parameter overrides.",
    )
    add_topics_option(deploy)
    deploy.add_argument(
        "--parameter",
        metavar="NAME",
        default=DEFAULT_PARAMETER,
        help=f"SSM parameter holding the topics (default: {DEFAULT_PARAMETER})",
    )
    deploy.set_defaults(handler=command)


def parameter_tier(size: int) -> str:
    """The SSM tier a topics file of `size` bytes needs; BadInput past the advanced tier's limit."""
    if size <= STANDARD_TIER_BYTES:
        return "Standard"
    if size <= ADVANCED_TIER_BYTES:
        return "Advanced"
    raise BadInput(
        f"the topics file is {size} bytes; an SSM parameter holds at most {ADVANCED_TIER_BYTES} "
        "(remove comments, or drop settings that equal their defaults)"
    )


def schedule_lines(topics: TopicsFile) -> list[str]:
    return [
        f"  {slug:<40} {topic.schedule.cron:<28} {topic.schedule.timezone}"
        for slug, topic in sorted(topics.topics.items())
    ]


def overrides(parameter: str) -> str:
    return "--parameter-overrides " + shlex.quote(f"TopicsParameterName={parameter}")


def command(args: argparse.Namespace) -> int:
    from dailydigest.topics import load_topics
    from dailydigest.wiring import locate

    settings = load_settings(args.topics)
    path = locate(settings.topics_file, "topics file")
    topics = load_topics(path)  # a bad topics file is one error line, exit 2
    tier = parameter_tier(path.stat().st_size)
    report = [f"{len(topics.topics)} topics, each on its own schedule (cron in its time zone):"]
    report += schedule_lines(topics)
    upload = f"aws ssm put-parameter --name {shlex.quote(args.parameter)} --type String --overwrite"
    upload += f" --tier {tier}" if tier != "Standard" else ""
    report += [
        "upload (the stack creates, updates and deletes the schedules; nothing to redeploy):",
        f"  {upload} --value file://{shlex.quote(str(path))}",
    ]
    print("\n".join(report), file=sys.stderr)
    print(overrides(args.parameter))
    return 0
