"""`dailydigest serve`: browse the local archive on 127.0.0.1."""

from __future__ import annotations

import argparse
import errno
from pathlib import Path
from typing import Any

from dailydigest.commands.local import load_settings
from dailydigest.errors import BadInput, DigestError


def add_parser(commands: Any) -> None:
    serve = commands.add_parser(
        "serve",
        help="serve the local store's archive for browsing (loopback only)",
        description="Serve the archive/ pages of the local directory store over HTTP on 127.0.0.1.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="loopback address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")
    serve.set_defaults(handler=command)


def command(args: argparse.Namespace) -> int:
    from dailydigest.archive.serve import serve

    settings = load_settings()
    if settings.uses_s3:
        raise BadInput("serve reads a local store; the S3 archive is served by the stack's CloudFront")
    try:
        serve(Path(settings.store).resolve(), args.host, args.port)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise DigestError(
                f"port {args.port} on {args.host} is in use: choose another with --port"
            ) from None
        if exc.errno == errno.EADDRNOTAVAIL:
            raise BadInput(f"cannot listen on {args.host}: not an address of this machine") from None
        raise
    return 0
