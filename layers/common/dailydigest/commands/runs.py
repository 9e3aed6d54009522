"""`dailydigest runs`: the run records in the store, newest first, as a table."""

from __future__ import annotations

import argparse
from typing import Any

from dailydigest.commands.local import load_settings
from dailydigest.runs.records import RunSummary, list_runs


def add_parser(commands: Any) -> None:
    runs = commands.add_parser(
        "runs",
        help="list run records (stages, outcome, model, tokens, cost, commit)",
        description="List the run records kept in the store, newest first.",
    )
    runs.add_argument("topic", metavar="TOPIC", nargs="?", help="only this topic")
    runs.add_argument("--limit", type=positive_int, default=20, help="rows to show (default 20, at least 1)")
    runs.set_defaults(handler=command)


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is less than 1")
    return value


COLUMNS = ("run", "topic", "date", "stages", "outcome", "ms", "generator/model", "tokens", "cost $", "commit")


def command(args: argparse.Namespace) -> int:
    from dailydigest.wiring import Services

    services = Services(load_settings())
    summaries = list_runs(services.store, args.topic)[: args.limit]
    if not summaries:
        print("no runs recorded" + (f" for {args.topic}" if args.topic else ""))
        return 0
    rows = [COLUMNS, *(_row(summary) for summary in summaries)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    return 0


def _row(summary: RunSummary) -> tuple[str, ...]:
    facts = summary.stages["summarize"].details if "summarize" in summary.stages else {}
    usage = facts.get("usage") or {}
    tokens = f"{usage.get('prompt_tokens', 0)}+{usage.get('completion_tokens', 0)}" if usage else "-"
    cost = f"{usage.get('cost_usd', 0):.4f}" if usage else "-"
    model = "/".join(x for x in (facts.get("generator", ""), facts.get("model", "")) if x) or "-"
    if facts.get("fallback_reason"):
        model += " (LLM fell back)"
    render = summary.stages.get("render")
    commit = str((render.details.get("commit_sha") if render else None) or "-")[:12]
    return (
        summary.first.run_id,
        summary.first.topic,
        summary.first.date.isoformat(),
        ",".join(f"{stage}×{n}" if n > 1 else stage for stage, n in summary.attempts.items()),
        summary.outcome,
        str(summary.duration_ms),
        model,
        tokens,
        cost,
        commit,
    )
