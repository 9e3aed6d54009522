"""Many requests through any WebClient: in one batch when it can, else one `get` at a time."""

from __future__ import annotations

from collections.abc import Sequence

from dailydigest.ports import BatchWebClient, FetchFailure, WebClient, WebRequest, WebResponse


def fetch_each(web: WebClient, requests: Sequence[WebRequest]) -> list[WebResponse | FetchFailure]:
    """One result per request, in order; a request that raises is that URL's failure, never the batch's."""
    if isinstance(web, BatchWebClient):
        return web.get_many(requests)
    results: list[WebResponse | FetchFailure] = []
    for request in requests:
        try:
            results.append(web.get(request.url))
        except Exception as exc:  # any transport or refusal problem skips just this URL
            results.append(FetchFailure(request.url, f"fetch failed: {exc}"))
    return results
