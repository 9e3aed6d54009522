"""`dailydigest deploy-params`: the template's per-topic schedule parameters, from the topics file."""

from __future__ import annotations

import argparse
import shlex
from typing import Any

from dailydigest.commands.local import load_settings
from dailydigest.errors import BadInput

SCHEDULE_SLOTS = 5  # Topic1..Topic5 in template.yaml


def add_parser(commands: Any) -> None:
    deploy = commands.add_parser(
        "deploy-params",
        help="print sam deploy --parameter-overrides for the topics file's schedules",
        description="Map each topic of the topics file to a schedule slot of template.yaml "
        "(Topic1..Topic5 with their time zones) and print the parameter overrides.",
    )
    deploy.add_argument(
        "--topics", metavar="FILE", help="topics file (default: $DIGEST_TOPICS or topics.yaml)"
    )
    deploy.set_defaults(handler=command)


def overrides(topics: list[tuple[str, str]]) -> list[str]:
    if len(topics) > SCHEDULE_SLOTS:
        raise BadInput(f"{len(topics)} topics, but the template schedules at most {SCHEDULE_SLOTS}")
    pairs = []
    for slot in range(1, SCHEDULE_SLOTS + 1):
        slug, zone = topics[slot - 1] if slot <= len(topics) else ("", "Asia/Taipei")
        pairs += [f"Topic{slot}={slug}", f"Topic{slot}TimeZone={zone}"]
    return pairs


def command(args: argparse.Namespace) -> int:
    from dailydigest.wiring import Services

    services = Services(load_settings(args.topics))
    topics = [(t.slug, t.schedule.timezone) for t in services.topics.topics.values()]
    print("--parameter-overrides " + " ".join(shlex.quote(pair) for pair in overrides(topics)))
    return 0
