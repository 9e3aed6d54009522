"""The `dailydigest` command: run the pipeline locally through the same handlers and routing,
replay and backfill, list run records and the topics' memory, invoke the deployed stack, serve the archive."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from dailydigest.errors import BadEventError, ConfigError, DigestError

EXIT_FAILED = 1
EXIT_BAD_INPUT = 2


def build_parser() -> argparse.ArgumentParser:
    from dailydigest.commands import deploy_params, invoke, ledger, replay, run, runs, serve

    parser = argparse.ArgumentParser(
        prog="dailydigest",
        description="Fetch a topic's news, write a cited digest and publish it as a Jekyll post.",
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="show the pipeline's log lines on stderr"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in (run, replay, runs, ledger, serve, invoke, deploy_params):
        module.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from dailydigest.commands.local import quiet_observability

    args = build_parser().parse_args(argv)
    quiet_observability(args.verbose)
    try:
        code: int = args.handler(args)
    except (ConfigError, BadEventError) as exc:
        # Input the user can fix (topic, date, topics file, settings): nothing was written.
        print(f"dailydigest: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except DigestError as exc:
        print(f"dailydigest: error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
