"""A run-scoped page cache in front of a WebClient: one download per URL per run, across all sources.

A day's searches, feeds and news API often point at the same article; each source asking for it
would download it again. Every source of a run shares one `PageCache`, so the first request
downloads and the others are answered from memory. Only GETs are cached (a form POST is sent
every time). A failure is remembered too, so a dead link costs one timeout per run, not one per
source; a response kept for one request still answers another with a different body cap or
media types by checking it against that request, never by downloading again.

The cache lives as long as the run: wiring builds a fresh one per fetch run, and a byte budget
(least recently used pages leave first) bounds its memory in a long run.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Sequence

from dailydigest.ports import FetchFailure, WebClient, WebRequest, WebResponse
from dailydigest.web.batch import fetch_each

logger = logging.getLogger(__name__)

DEFAULT_BUDGET_BYTES = 200_000_000
"""Body bytes kept at most (a Lambda fetch function has 512 MB)."""

_Key = tuple[str, tuple[tuple[str, str], ...], bool]


class PageCache:
    """A WebClient (and BatchWebClient) answering each GET once per run."""

    def __init__(self, web: WebClient, budget_bytes: int = DEFAULT_BUDGET_BYTES) -> None:
        self.web = web
        self.budget_bytes = budget_bytes
        self.downloads = 0
        """Requests passed on to the web (for the run's log and the benchmarks)."""
        self.hits = 0
        self._pages: OrderedDict[_Key, WebResponse] = OrderedDict()
        self._failures: dict[WebRequest, FetchFailure] = {}
        self._bytes = 0

    def describe(self) -> str:
        return self.web.describe()

    def get(self, url: str) -> WebResponse:
        """One URL, like the wrapped client's `get` (its exception when there is no response)."""
        key = _key(WebRequest(url))
        if key in self._pages:
            self.hits += 1
            self._pages.move_to_end(key)
            return self._pages[key]
        self.downloads += 1
        response = self.web.get(url)
        self._keep(key, response)
        return response

    def get_many(self, requests: Sequence[WebRequest]) -> list[WebResponse | FetchFailure]:
        """One result per request, in order; each URL not seen in this run is downloaded once."""
        answers: dict[int, WebResponse | FetchFailure] = {}
        missing: dict[_Key, list[int]] = {}
        for index, request in enumerate(requests):
            cached = self._cached(request)
            if cached is not None:
                self.hits += 1
                answers[index] = cached
            elif request.method.upper() != "GET":
                missing[(f"{index}:{request.method}", (), False)] = [index]  # never shared
            else:
                waiting = missing.setdefault(_key(request), [])
                self.hits += bool(waiting)  # the same URL twice in one batch: one download
                waiting.append(index)
        if missing:
            first = [requests[indexes[0]] for indexes in missing.values()]
            self.downloads += len(first)
            for (key, indexes), request, result in zip(
                missing.items(), first, fetch_each(self.web, first), strict=True
            ):
                if request.method.upper() == "GET":
                    self._remember(key, request, result)
                for index in indexes:
                    answers[index] = result if index == indexes[0] else _for(requests[index], result)
        return [answers[index] for index in range(len(requests))]

    def _cached(self, request: WebRequest) -> WebResponse | FetchFailure | None:
        if request.method.upper() != "GET":
            return None
        key = _key(request)
        if key in self._pages:
            self._pages.move_to_end(key)
            return _for(request, self._pages[key])
        return self._failures.get(request)

    def _remember(self, key: _Key, request: WebRequest, result: WebResponse | FetchFailure) -> None:
        if isinstance(result, FetchFailure):
            # Kept for this exact request: a wider body cap or other media types may still succeed.
            self._failures[request] = result
        else:
            self._keep(key, result)

    def _keep(self, key: _Key, response: WebResponse) -> None:
        size = len(response.body)
        if size > self.budget_bytes:
            return
        self._pages[key] = response
        self._bytes += size
        while self._bytes > self.budget_bytes:
            _, evicted = self._pages.popitem(last=False)
            self._bytes -= len(evicted.body)
            logger.info("page cache full, oldest page dropped", extra={"url": evicted.url[:300]})


def _key(request: WebRequest) -> _Key:
    # Extra headers (an API key) are part of what was asked; so is whether redirects were followed.
    return (request.url, request.headers, request.follow_redirects)


def _for(request: WebRequest, result: WebResponse | FetchFailure) -> WebResponse | FetchFailure:
    """A result downloaded for another request with the same URL, as this request would have had it."""
    if isinstance(result, FetchFailure):
        return FetchFailure(request.url, result.reason)
    if result.status == 200 and not request.accepts(result.content_type):
        media = result.content_type.split(";", 1)[0].strip()
        return FetchFailure(request.url, f"unexpected content type {media[:80]}")
    if request.max_bytes is not None and len(result.body) > request.max_bytes:
        return FetchFailure(request.url, f"too large: over {request.max_bytes} bytes")
    return result
