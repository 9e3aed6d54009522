"""Run a socketserver-style HTTP server on a background thread for the length of a `with` block."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from socketserver import BaseServer


@contextmanager
def serving(server: BaseServer, name: str, poll: float = 0.02) -> Iterator[BaseServer]:
    """Serve until the block ends, then shut down, close the socket and join the thread.

    A short poll interval keeps the shutdown, once per test, quick.
    """
    thread = threading.Thread(target=server.serve_forever, args=(poll,), name=name, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
