"""A WebClient wrapper that reports every answer (and every missing one) to a FetchTally."""

from __future__ import annotations

from collections.abc import Sequence

from dailydigest.news.outage import FetchTally
from dailydigest.ports import BatchWebClient, FetchFailure, WebClient, WebRequest, WebResponse


class TalliedWebClient:
    """Passes each request to the wrapped client and counts the outcome; changes no result."""

    def __init__(self, inner: WebClient, tally: FetchTally) -> None:
        self.inner = inner
        self.tally = tally

    def get(self, url: str) -> WebResponse:
        try:
            response = self.inner.get(url)
        except Exception as exc:
            self.tally.unanswered(url, str(exc) or type(exc).__name__)
            self.tally.batch_done(0, 1)
            raise
        answered = self.tally.answered(url, response.status)
        self.tally.batch_done(int(answered), 1)
        return response

    def describe(self) -> str:
        return self.inner.describe()


class TalliedBatchWebClient(TalliedWebClient):
    """The same for a client that fetches in batches (kept a BatchWebClient for the sources)."""

    inner: BatchWebClient

    def __init__(self, inner: BatchWebClient, tally: FetchTally) -> None:
        super().__init__(inner, tally)

    def get_many(self, requests: Sequence[WebRequest]) -> list[WebResponse | FetchFailure]:
        results = self.inner.get_many(requests)
        answered = 0
        for request, result in zip(requests, results, strict=True):
            if isinstance(result, FetchFailure):
                self.tally.unanswered(request.url, result.reason)
            else:
                answered += self.tally.answered(request.url, result.status)
        self.tally.batch_done(answered, len(requests))
        return results


def tallied(web: WebClient, tally: FetchTally) -> WebClient:
    """`web`, counted; a batch client stays a batch client."""
    if isinstance(web, BatchWebClient):
        return TalliedBatchWebClient(web, tally)
    return TalliedWebClient(web, tally)
