"""A scripted web server on a loopback address, for the fetcher's tests and benchmark.

Routes are set per path (the query string is ignored when matching, and recorded): status, body,
content type, extra headers, a delay before answering, a delay between body chunks (a trickling
server), no Content-Length (the body ends when the connection closes), gzip. Every request is
recorded with its headers, the server counts the body bytes it sent per path, and a `Gauge` tracks
how many requests it was serving at once (one Gauge may also count across several servers).

The `web` and `elsewhere` fixtures reach the integration tests through tests/integration/conftest.py.

    with LoopbackWeb() as web:
        web.add("/page.html", "<html>...</html>", delay=0.2)
        web.redirect("/old", "/page.html")
        client = HttpWebClient(allow=[web.allow_entry])
        client.get(web.url("/old"))
"""

from __future__ import annotations

import contextlib
import gzip as gzip_module
import ipaddress
import ssl
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import httpcore
import pytest

from tests.support.serving import ServedFake


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    chunk_delay: float = 0.0
    chunk_size: int = 16_384
    send_length: bool = True
    gzip: bool = False


@dataclass(frozen=True)
class Recorded:
    path: str
    query: str
    headers: dict[str, str]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 128  # the default backlog of 5 would stall a burst of concurrent clients
    owner: LoopbackWeb

    def handle_error(self, request: object, client_address: object) -> None:
        # A client that hangs up (a timeout, a size cap, a closed pool) is part of the script.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_GET(self) -> None:
        web = self.server.owner
        parts = urlsplit(self.path)
        web.record(Recorded(parts.path, parts.query, {k.lower(): v for k, v in self.headers.items()}))
        route = web.routes.get(parts.path, Route(status=404, body=b"not found", content_type="text/plain"))
        with web.serving():
            try:
                self._answer(parts.path, route)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the client gave up (a timeout or a size cap): fine

    def _answer(self, path: str, route: Route) -> None:
        if route.delay:
            time.sleep(route.delay)
        body = gzip_module.compress(route.body) if route.gzip else route.body
        self.send_response(route.status)
        if route.content_type:
            self.send_header("Content-Type", route.content_type)
        if route.gzip:
            self.send_header("Content-Encoding", "gzip")
        for name, value in route.headers.items():
            self.send_header(name, value)
        if route.send_length:
            self.send_header("Content-Length", str(len(body)))
        else:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        for start in range(0, len(body), route.chunk_size):
            if route.chunk_delay and start:
                time.sleep(route.chunk_delay)
            self.wfile.write(body[start : start + route.chunk_size])
            self.wfile.flush()
            self.server.owner.count_sent(path, min(route.chunk_size, len(body) - start))

    def log_message(self, format: str, *args: object) -> None:
        pass


class Gauge:
    """How many requests are being served at once, and the most there ever were."""

    def __init__(self) -> None:
        self.current = 0
        self.peak = 0
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def counting(self) -> Iterator[None]:
        with self._lock:
            self.current += 1
            self.peak = max(self.peak, self.current)
        try:
            yield
        finally:
            with self._lock:
                self.current -= 1


class LoopbackWeb(ServedFake[_Server]):
    """A threaded HTTP server on host (a loopback address) and an ephemeral port."""

    thread_name = "loopback-web"

    def __init__(
        self, host: str = "127.0.0.1", tls: ssl.SSLContext | None = None, also_count: Gauge | None = None
    ) -> None:
        """`tls`: a server SSLContext to serve HTTPS with; the names clients ask for (SNI) are kept.
        `also_count`: a Gauge shared with other servers, counting requests in flight across them."""
        if not (host.startswith("127.") or host == "::1"):
            raise ValueError("the test web only listens on loopback addresses")
        self.host = host
        self.tls = tls
        self.server_names: list[str | None] = []
        self.routes: dict[str, Route] = {}
        self.requests: list[Recorded] = []
        self.sent: dict[str, int] = {}
        """Body bytes written so far, per path."""
        self.in_flight = Gauge()
        self.also_count = also_count
        self._lock = threading.Lock()

    def _build_server(self) -> _Server:
        server = _Server((self.host, 0), _Handler)
        server.owner = self
        if self.tls is not None:
            self.tls.sni_callback = self._remember_sni
            server.socket = self.tls.wrap_socket(server.socket, server_side=True)
        return server

    def _remember_sni(self, sock: ssl.SSLObject, name: str | None, context: ssl.SSLContext) -> None:
        self.server_names.append(name)

    @property
    def origin(self) -> str:
        return f"{'https' if self.tls else 'http'}://{self.host}:{self.port}"

    @property
    def allow_entry(self) -> str:
        """This server's host:port, as an allow-list entry."""
        return f"{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return self.origin + path

    def add(self, path: str, body: str | bytes = b"", **options: object) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = Route(body=data, **options)  # type: ignore[arg-type]

    def redirect(self, path: str, location: str, status: int = 302) -> None:
        self.routes[path] = Route(status=status, headers={"Location": location}, content_type="")

    def record(self, request: Recorded) -> None:
        with self._lock:
            self.requests.append(request)

    def paths(self) -> list[str]:
        with self._lock:
            return [request.path for request in self.requests]

    def count_sent(self, path: str, size: int) -> None:
        with self._lock:
            self.sent[path] = self.sent.get(path, 0) + size

    @contextlib.contextmanager
    def serving(self) -> Iterator[None]:
        shared = self.also_count.counting() if self.also_count else contextlib.nullcontext()
        with self.in_flight.counting(), shared:
            yield


@pytest.fixture(name="web")
def web_fixture() -> Iterator[LoopbackWeb]:
    """The test's own server on 127.0.0.1 (a test's client allow-lists it)."""
    with LoopbackWeb() as server:
        yield server


@pytest.fixture(name="elsewhere")
def elsewhere_fixture() -> Iterator[LoopbackWeb]:
    """A second server on another loopback address, never allow-listed: any request it gets is a leak."""
    with LoopbackWeb("127.0.0.2") as server:
        server.add("/", "you should not see this")
        yield server


class LoopbackOnlyBackend(httpcore.AnyIOBackend):
    """What the tests' fetcher dials with: refuses (as a test failure) anything but loopback.

    A second line of defence under the guard, so that no test can ever send a packet elsewhere.
    """

    def __init__(self) -> None:
        super().__init__()
        self.dialled: list[tuple[str, int]] = []

    async def connect_tcp(
        self, host: str, port: int, *args: Any, **kwargs: Any
    ) -> httpcore.AsyncNetworkStream:
        if not ipaddress.ip_address(host).is_loopback:
            raise AssertionError(f"a test tried to connect to {host}:{port}")
        self.dialled.append((host, port))
        return await super().connect_tcp(host, port, *args, **kwargs)


def names(table: dict[str, str]) -> Any:
    """A resolver answering from a table (host name -> address), for names that must not hit DNS."""

    async def resolve(host: str, port: int) -> list[Any]:
        if host not in table:
            raise OSError(f"{host}: not in the test's name table")
        return [ipaddress.ip_address(table[host])]

    return resolve


def client(*webs: LoopbackWeb, allow: Sequence[str] = (), resolver: Any = None, **limits: Any) -> Any:
    """An HttpWebClient allowed to reach exactly these servers (plus `allow`), dialling loopback only;
    `resolver` (see `names`) answers for host names instead of DNS."""
    from dailydigest.settings import FetchSettings
    from dailydigest.web.guard import system_resolver
    from dailydigest.web.http import HttpWebClient

    entries = [web.allow_entry for web in webs] + list(allow)
    return HttpWebClient(
        entries, FetchSettings(**limits), resolver=resolver or system_resolver, backend=LoopbackOnlyBackend()
    )
