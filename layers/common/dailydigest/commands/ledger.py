"""`dailydigest ledger TOPIC`: what the topic's memory holds (the stories its published posts
covered), and `--forget STORY` to drop one so that its news counts as new again."""

from __future__ import annotations

import argparse
from typing import Any

from dailydigest.commands.local import load_settings
from dailydigest.errors import BadInput


def add_parser(commands: Any) -> None:
    ledger = commands.add_parser(
        "ledger",
        help="list the stories a topic's published posts covered (its memory across days)",
        description=(
            "List the stories remembered for a topic: each story's id, the day it was first "
            "published, its last update, how many sources it had, and its title. A story "
            "remembered is left out of later digests unless it brings new facts."
        ),
    )
    ledger.add_argument("topic", metavar="TOPIC", help="the topic's slug")
    ledger.add_argument("--sources", action="store_true", help="also list each story's source URLs")
    ledger.add_argument(
        "--forget", metavar="STORY", help="drop the story with this id (any of its ids) from the memory"
    )
    ledger.set_defaults(handler=command)


COLUMNS = ("story", "first day", "last update", "days", "sources", "title")


def command(args: argparse.Namespace) -> int:
    from dailydigest.news.ledger import forget, load_ledger
    from dailydigest.wiring import Services

    store = Services(load_settings()).store
    if args.forget:
        dropped = forget(store, args.topic, args.forget)
        if dropped is None:
            raise BadInput(f"no story {args.forget!r} in the memory of {args.topic!r}")
        print(f"forgot {dropped.key}: {dropped.title} (its news counts as new again)")
        return 0
    ledger = load_ledger(store, args.topic)
    if not ledger.entries:
        print(f"nothing remembered for {args.topic}")
        return 0
    entries = sorted(ledger.entries, key=lambda e: (e.first_day, e.key))
    rows = [
        (
            e.key,
            e.first_day.isoformat(),
            e.last_day.isoformat() if e.last_day != e.first_day else "-",
            str(len(e.days)),
            str(len(e.urls)),
            e.title,
        )
        for e in entries
    ]
    widths = [max(len(row[i]) for row in (COLUMNS, *rows)) for i in range(len(COLUMNS) - 1)]

    def line(row: tuple[str, ...]) -> str:
        return "  ".join([*(cell.ljust(w) for cell, w in zip(row, widths, strict=False)), row[-1]]).rstrip()

    print(line(COLUMNS))
    for entry, row in zip(entries, rows, strict=True):
        print(line(row))
        if args.sources:
            for url in entry.urls:
                print(f"    {url}")
    return 0
