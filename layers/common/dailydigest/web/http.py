"""The network WebClient: concurrent async fetching with httpx, behind an SSRF guard.

- One `httpx.AsyncClient` per batch (so per invocation: no client, loop or connection outlives
  the call that made it), with a global and a per-host concurrency cap.
- Every TCP connection goes through `GuardedBackend`: the host name is resolved once, every
  address is checked by the policy in `net_guard`, and the socket connects to a checked address.
  TLS still verifies the certificate for the host name (SNI and Host header stay the name), because
  httpcore takes those from the URL, not from the address the backend dialled.
- Redirects are followed by hand (at most `max_redirects`); each hop is checked like the first
  request, and extra headers (API keys) never follow a redirect to another origin.
- Connect and read timeouts, plus a deadline per URL; a streamed body cap (decompressed bytes are
  counted, so a gzip bomb stops at the cap); content types checked before the body is read.
"""

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import contextlib
import logging
import ssl
import zlib
from collections.abc import AsyncIterator, Callable, Coroutine, Iterable, Iterator, Sequence
from typing import Any, TypeVar

import httpcore
import httpx

from dailydigest.errors import FetchError, RefusedAddressError
from dailydigest.ports import FetchFailure, WebRequest, WebResponse
from dailydigest.settings import FetchSettings
from dailydigest.web.guard import (
    AllowList,
    Resolver,
    checked_addresses,
    system_resolver,
)

logger = logging.getLogger(__name__)

USER_AGENT = "dailydigest/0.1 (daily news digest; +https://github.com/dailydigest)"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK = 65_536
T = TypeVar("T")


# --- the guarded connection step -------------------------------------------------------------------


# How hard and how long the fetcher may try; the defaults suit a 15-minute Lambda run.
_DEFAULT_LIMITS = FetchSettings()


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """An httpcore network backend that only dials addresses the policy allows."""

    def __init__(
        self,
        allow: AllowList,
        resolver: Resolver = system_resolver,
        inner: httpcore.AsyncNetworkBackend | None = None,
    ) -> None:
        self.allow = allow
        self.resolver = resolver
        self.inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            async with asyncio.timeout(timeout):
                addresses = await checked_addresses(host, port, self.allow, self.resolver)
        except TimeoutError:
            raise httpcore.ConnectTimeout(f"resolving {host} timed out") from None
        failure: Exception | None = None
        for address in addresses:
            try:
                # The checked address, never the name: no second lookup can answer differently.
                return await self.inner.connect_tcp(
                    address.compressed,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        assert failure is not None  # noqa: S101 - checked_addresses never returns an empty list
        raise failure

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        raise RefusedAddressError("unix sockets are not fetched")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


_TRANSPORT_ERRORS = (
    httpcore.TimeoutException,
    httpcore.NetworkError,
    httpcore.ProtocolError,
    httpcore.UnsupportedProtocol,
)


@contextlib.contextmanager
def _httpx_errors() -> Iterator[None]:
    try:
        yield
    except _TRANSPORT_ERRORS as exc:
        raise _mapped(exc) from exc


def _mapped(exc: Exception) -> httpx.HTTPError:
    """The httpx error for an httpcore one: httpx names each after the httpcore error it stands for."""
    for cls in type(exc).__mro__:
        target = getattr(httpx, cls.__name__, None)
        if isinstance(target, type) and issubclass(target, httpx.TransportError):
            return target(str(exc))
    return httpx.TransportError(str(exc))  # pragma: no cover - every caught httpcore error has a twin


class _Body(httpx.AsyncByteStream):
    def __init__(self, stream: AsyncIterator[bytes] | Any) -> None:
        self._stream = stream

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with _httpx_errors():
            async for chunk in self._stream:
                yield chunk

    async def aclose(self) -> None:
        if hasattr(self._stream, "aclose"):
            await self._stream.aclose()


class GuardedTransport(httpx.AsyncBaseTransport):
    """An httpx transport over an httpcore pool whose every connection passes the guard.

    httpx's own AsyncHTTPTransport offers no way to choose the network backend, so this is the
    same small bridge (httpx request -> httpcore request -> httpx response), built on public APIs.
    No proxy: environment proxy settings would bypass the address check.
    """

    def __init__(
        self,
        allow: AllowList,
        limits: httpx.Limits,
        resolver: Resolver = system_resolver,
        ssl_context: ssl.SSLContext | None = None,
        inner: httpcore.AsyncNetworkBackend | None = None,
    ) -> None:
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context or httpx.create_ssl_context(trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=GuardedBackend(allow, resolver, inner),
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        with _httpx_errors():
            response = await self._pool.handle_async_request(core_request)
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_Body(response.stream),
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        await self._pool.aclose()


# --- the client ------------------------------------------------------------------------------------


class _Limiter:
    """A global cap and a cap per host:port, both as semaphores of one event loop."""

    def __init__(self, limits: FetchSettings) -> None:
        self.total = asyncio.Semaphore(limits.concurrency)
        self.per_host_cap = limits.per_host
        self.hosts: collections.defaultdict[str, asyncio.Semaphore] = collections.defaultdict(
            lambda: asyncio.Semaphore(self.per_host_cap)
        )

    def host(self, url: httpx.URL) -> asyncio.Semaphore:
        return self.hosts[f"{url.host}:{url.port or _default_port(url)}"]


class HttpWebClient:
    """WebClient over the network. `get_many` fetches concurrently; nothing is shared between calls."""

    def __init__(
        self,
        allow: AllowList | Iterable[str] = (),
        limits: FetchSettings = _DEFAULT_LIMITS,
        *,
        user_agent: str = USER_AGENT,
        resolver: Resolver = system_resolver,
        ssl_context: ssl.SSLContext | None = None,
        backend: httpcore.AsyncNetworkBackend | None = None,
    ) -> None:
        """`resolver` and `backend` (what dials a checked address) are replaceable for tests."""
        self.allow = allow if isinstance(allow, AllowList) else AllowList.parse(allow)
        self.limits = limits
        self.user_agent = user_agent
        self.resolver = resolver
        self.ssl_context = ssl_context
        self.backend = backend

    def describe(self) -> str:
        allowed = f", allow-list {len(self.allow.entries)} host:port" if self.allow else ""
        return (
            f"network (httpx, public addresses only{allowed}; "
            f"{self.limits.concurrency} concurrent, {self.limits.per_host} per host)"
        )

    def get(self, url: str) -> WebResponse:
        """One URL; FetchError when it gives no response (an HTTP error status is a response)."""
        result = self.get_many([WebRequest(url)])[0]
        if isinstance(result, FetchFailure):
            raise FetchError(result.reason)
        return result

    def get_many(self, requests: Sequence[WebRequest]) -> list[WebResponse | FetchFailure]:
        """Every request, concurrently within the caps; one result per request, in order."""
        if not requests:
            return []
        return _run(lambda: self.fetch_many(requests))

    @contextlib.asynccontextmanager
    async def client(self) -> AsyncIterator[httpx.AsyncClient]:
        """A fresh AsyncClient over the guarded transport, closed on exit."""
        transport = GuardedTransport(
            self.allow,
            httpx.Limits(
                max_connections=self.limits.concurrency,
                max_keepalive_connections=self.limits.concurrency,
            ),
            resolver=self.resolver,
            ssl_context=self.ssl_context,
            inner=self.backend,
        )
        timeout = httpx.Timeout(
            connect=self.limits.connect_timeout,
            read=self.limits.read_timeout,
            write=self.limits.read_timeout,
            pool=self.limits.deadline,
        )
        headers = {"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate"}
        async with httpx.AsyncClient(
            transport=transport, timeout=timeout, headers=headers, follow_redirects=False, trust_env=False
        ) as client:
            yield client

    async def fetch_many(self, requests: Sequence[WebRequest]) -> list[WebResponse | FetchFailure]:
        """The async core of get_many, for callers that already run an event loop."""
        limiter = _Limiter(self.limits)
        async with self.client() as client:
            return list(await asyncio.gather(*(self._fetch(client, limiter, r) for r in requests)))

    async def _fetch(
        self, client: httpx.AsyncClient, limiter: _Limiter, request: WebRequest
    ) -> WebResponse | FetchFailure:
        try:
            return await self._follow(client, limiter, request)
        except TimeoutError:
            reason = f"deadline of {self.limits.deadline:g}s exceeded"
        except FetchError as exc:
            reason = str(exc)
        except RefusedAddressError as exc:
            reason = f"refused: {exc}"
        except httpx.TimeoutException as exc:
            reason = f"{_kind(exc)} timed out"
        except httpx.HTTPError as exc:
            reason = f"{_kind(exc)}: {exc}" if str(exc) else _kind(exc)
        except (httpx.InvalidURL, httpx.StreamError, httpx.CookieConflict) as exc:
            # Not HTTPError subclasses: a Location httpx cannot parse, a body it cannot stream.
            reason = f"{type(exc).__name__}: {exc}"
        except (OSError, ValueError) as exc:  # bad URLs, refused redirects, socket trouble
            reason = f"{type(exc).__name__}: {exc}"
        except Exception as exc:  # whatever else one page's answer provokes fails that page only
            logger.warning("fetch crashed", exc_info=True, extra={"url": request.url[:300]})
            reason = f"{type(exc).__name__}: {exc}"
        logger.info("fetch failed", extra={"url": request.url[:300], "reason": reason[:300]})
        return FetchFailure(request.url, reason[:500])

    async def _follow(
        self, client: httpx.AsyncClient, limiter: _Limiter, request: WebRequest
    ) -> WebResponse | FetchFailure:
        url = _checked_url(request.url)
        origin = _origin(url)
        deadline: float | None = None
        method = request.method.upper()
        # Only a GET is followed through redirects: a form is never re-sent to another address.
        follow = request.follow_redirects and method == "GET"
        content = request.body if method != "GET" else None
        for _hop in range(self.limits.max_redirects + 1):
            headers = dict(request.headers) if _origin(url) == origin else {}
            # The host's slot first, then a global one: a request queued behind its host holds no
            # global slot that a request to another host could use.
            async with limiter.host(url), limiter.total:
                # The deadline runs from the first slot: time queued behind other URLs is not counted.
                deadline = deadline or asyncio.get_running_loop().time() + self.limits.deadline
                async with (
                    asyncio.timeout_at(deadline),
                    client.stream(method, url, headers=headers, content=content) as response,
                ):
                    location = response.headers.get("location")
                    if follow and response.status_code in _REDIRECTS and location:
                        url = _redirect_target(url, location)
                        continue
                    content_type = response.headers.get("content-type", "")
                    answered = tuple((name.lower(), value) for name, value in response.headers.multi_items())
                    if response.status_code != 200:
                        return WebResponse(str(url), response.status_code, content_type, b"", answered)
                    if not request.accepts(content_type):
                        media = content_type.split(";", 1)[0].strip()
                        raise FetchError(f"unexpected content type {media[:80]}")
                    body = await _read_capped(response, request.max_bytes or self.limits.max_bytes)
                    return WebResponse(str(url), response.status_code, content_type, body, answered)
        raise FetchError(f"more than {self.limits.max_redirects} redirects")


def _checked_url(raw: str) -> httpx.URL:
    """An absolute http(s) URL with a host and no credentials, without its fragment."""
    try:
        url = httpx.URL(raw)
    except (httpx.InvalidURL, TypeError) as exc:
        raise FetchError(f"invalid url: {exc}") from None
    if url.scheme not in ("http", "https"):
        raise FetchError(f"refused: scheme {url.scheme or 'missing'!r} is not http or https")
    if not url.host:
        raise FetchError("refused: url has no host")
    if url.userinfo:
        raise FetchError("refused: credentials in url")
    return url.copy_with(fragment=None)


def _redirect_target(url: httpx.URL, location: str) -> httpx.URL:
    """Where a redirect leads, checked like the first URL; a Location httpx cannot read is a FetchError."""
    try:
        target = str(url.join(location.strip()))
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise FetchError(f"bad redirect location {location[:100]!r}: {exc}") from None
    return _checked_url(target)


def _default_port(url: httpx.URL) -> int:
    return 443 if url.scheme == "https" else 80


def _origin(url: httpx.URL) -> tuple[str, str, int]:
    return (url.scheme, url.host, url.port or _default_port(url))


def _kind(exc: Exception) -> str:
    names = {
        httpx.ConnectTimeout: "connect",
        httpx.ReadTimeout: "read",
        httpx.WriteTimeout: "write",
        httpx.PoolTimeout: "connection pool",
        httpx.ConnectError: "connect error",
        httpx.ReadError: "read error",
        httpx.RemoteProtocolError: "protocol error",
    }
    return next((name for cls, name in names.items() if isinstance(exc, cls)), type(exc).__name__)


async def _read_capped(response: httpx.Response, max_bytes: int) -> bytes:
    """The body, decompressed, aborting as soon as it grows past max_bytes."""
    encoding = response.headers.get("content-encoding", "identity").strip().lower() or "identity"
    declared = response.headers.get("content-length", "")
    if encoding == "identity" and declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(f"too large: {declared} bytes declared, cap {max_bytes}")
    decode = _decoder(encoding, max_bytes)
    parts: list[bytes] = []
    size = 0
    async for raw in response.aiter_raw(_CHUNK):
        data = decode(raw)
        size += len(data)
        if size > max_bytes:
            raise FetchError(f"too large: over {max_bytes} bytes")
        parts.append(data)
    return b"".join(parts)


def _decoder(encoding: str, max_bytes: int) -> Callable[[bytes], bytes]:
    if encoding == "identity":
        return lambda raw: raw
    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise FetchError(f"unsupported content encoding {encoding[:40]}")
    # 32 + MAX_WBITS accepts gzip and zlib headers alike ("deflate" is zlib-wrapped by the spec).
    inflater = zlib.decompressobj(32 + zlib.MAX_WBITS)

    def decode(raw: bytes) -> bytes:
        try:
            # Never inflate more than one byte past the cap, whatever the compression ratio.
            data = inflater.decompress(raw, max_bytes + 1)
        except zlib.error as exc:
            raise FetchError(f"bad {encoding} body: {exc}") from None
        if inflater.unconsumed_tail:
            raise FetchError(f"too large: over {max_bytes} bytes")
        return data

    return decode


# --- running async code from the synchronous ports ----------------------------------------------------


def _run(factory: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine to completion from synchronous code, even when a loop already runs here."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(factory())
    # Called from inside an event loop (a notebook, an async test): use a loop of our own.
    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="dailydigest-fetch") as worker:
        return worker.submit(lambda: asyncio.run(factory())).result()
