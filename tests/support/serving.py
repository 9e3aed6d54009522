"""Run a socketserver-style HTTP server on a background thread for the length of a `with` block."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from http.server import HTTPServer
from socketserver import BaseServer
from types import TracebackType
from typing import Generic, Self, TypeVar

ServerT = TypeVar("ServerT", bound=HTTPServer)


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


class ServedFake(Generic[ServerT]):
    """A fake server used as `with Fake() as fake:`: subclasses build the server, this runs it."""

    thread_name = "fake-server"
    _server: ServerT | None = None

    def _build_server(self) -> ServerT:
        """The bound (not yet serving) server, on 127.0.0.1 or ::1 and an ephemeral port."""
        raise NotImplementedError

    def __enter__(self) -> Self:
        self._server = self._build_server()
        self._running = ExitStack()
        self._running.enter_context(serving(self._server, self.thread_name))
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._running.close()

    @property
    def port(self) -> int:
        assert self._server is not None, f"start the server with `with {type(self).__name__}() as ...:`"
        return int(self._server.server_address[1])
