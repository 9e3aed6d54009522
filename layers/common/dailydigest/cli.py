"""The `dailydigest` command: run the pipeline locally through the same handlers and routing,
replay and backfill, list run records and the topics' memory, invoke the deployed stack, serve the
archive, check a setup.

Every bad input and every environment problem ends in one `dailydigest: error: …` line: exit 2
for input the user can fix (nothing was written), exit 1 for a failure during a run.
"""

from __future__ import annotations

import argparse
import errno
import re
import sys
import traceback
from collections.abc import Sequence
from typing import Any, NoReturn

from dailydigest.errors import BadEventError, ConfigError, DigestError

EXIT_FAILED = 1
EXIT_BAD_INPUT = 2
PROG = "dailydigest"


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line naming the command's --help, not a usage block."""

    def error(self, message: str) -> NoReturn:
        print(f"{PROG}: error: {message} (see: {self.prog} --help)", file=sys.stderr)
        sys.exit(EXIT_BAD_INPUT)


class _Commands:
    """The subcommand registry, giving every subcommand the common options (so `-v` goes anywhere)."""

    def __init__(self, action: Any, common: argparse.ArgumentParser) -> None:
        self._action = action
        self._common = common

    def add_parser(self, name: str, **options: Any) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = self._action.add_parser(name, parents=[self._common], **options)
        return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("dailydigest")
    except PackageNotFoundError:  # pragma: no cover - run from a source tree without installing
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    from dailydigest.commands import check, deploy_params, invoke, ledger, replay, run, runs, serve

    # SUPPRESS: a subcommand's own -v must not reset the one given before it.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=argparse.SUPPRESS,
        help="show the pipeline's log lines on stderr",
    )
    parser = _Parser(
        prog=PROG,
        description="Fetch a topic's news, write a cited digest and publish it as a Jekyll post.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {_version()}")
    action = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)
    commands = _Commands(action, common)
    for module in (run, replay, runs, ledger, serve, invoke, check, deploy_params):
        module.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from dailydigest.commands.local import quiet_observability

    args = build_parser().parse_args(argv)
    # -v is SUPPRESSed by default on every parser (they share the one option): absent unless given.
    args.verbose = getattr(args, "verbose", False)
    try:
        quiet_observability(args.verbose)
        code: int = args.handler(args)
    except (ConfigError, BadEventError) as exc:
        # Input the user can fix (topic, date, topics file, settings): nothing was written.
        return _fail(exc, EXIT_BAD_INPUT)
    except DigestError as exc:
        return _fail(exc, EXIT_FAILED)
    except OSError as exc:  # the environment: a full disk, a read-only directory, a busy port
        return _fail(_os_problem(exc), EXIT_FAILED)
    except KeyboardInterrupt:
        print(f"{PROG}: error: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # still one line; -v shows where it came from
        if args.verbose:
            traceback.print_exc()
        return _fail(_unexpected(exc), EXIT_FAILED)
    return code


def _unexpected(exc: Exception) -> str:
    if type(exc).__module__.startswith("botocore"):  # e.g. AWS_PROFILE names no profile
        return f"AWS configuration: {exc}"
    return f"unexpected {type(exc).__name__}: {exc} (run with -v to see where)"


# Validation messages come worded for programmers; these say the same to the person at the terminal.
_PLAIN_WORDS = (
    (re.compile(r"\bValue error, "), ""),
    (re.compile(r"\bInput should be "), "should be "),
    (re.compile(r"\bField required\b"), "is required"),
    (re.compile(r"\bExtra inputs are not permitted\b"), "is not a known key"),
    (re.compile(r"(: )topics\.(?=[a-z0-9-]+[.:])"), r"\1"),  # the topics file's own model name
)


def _fail(problem: object, code: int) -> int:
    text = " ".join(str(problem).split()) or type(problem).__name__
    for pattern, plain in _PLAIN_WORDS:
        text = pattern.sub(plain, text)
    print(f"{PROG}: error: {text}", file=sys.stderr)
    return code


def _os_problem(exc: OSError) -> str:
    """An OSError in words: what failed, and on which file."""
    what = exc.strerror or str(exc) or type(exc).__name__
    if exc.errno in (errno.EACCES, errno.EPERM):
        what = "permission denied"
    where = f" ({exc.filename})" if exc.filename else ""
    return f"{what}{where}"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
