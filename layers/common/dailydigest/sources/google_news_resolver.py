"""Resolving current Google News ids to publisher URLs, politely, through the guarded web client.

Per run: the ids resolved on an earlier run come from the store (nothing is asked again); the
others' article pages are read in small waves (at most two page GETs per id: the RSS article
page, then the reader's page or one same-site redirect), and their signatures go to Google in
batched RPC POSTs (`BATCH_SIZE` ids each). Every answer is judged before it is used:

- a 429 (or a "sorry"/"unusual traffic" page) ends the run's requests to Google at once; its
  Retry-After (or `DEFAULT_PENALTY`) is kept in the store, and no run asks Google anything before
  it has passed, not even the search;
- a consent page (a redirect to consent.google.com, or its form) ends the run's requests too;
- a page without the attributes (changed markup) leaves that one item unresolved.

Google's pages are only ever read for the two attributes; none is returned as an article.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from dailydigest.ports import FetchFailure, Store, WebClient, WebRequest, WebResponse
from dailydigest.sources.google_news_links import (
    Edition,
    ReplyError,
    Signature,
    article_page_urls,
    is_google_link,
    page_signature,
    parse_reply,
    rpc_body,
    rpc_url,
)
from dailydigest.store import keys
from dailydigest.store.ops import JSON, read_if_present
from dailydigest.web.batch import fetch_each

logger = logging.getLogger(__name__)

GOOGLE_PAGE_MAX_BYTES = 10_000_000
"""Google's article pages are large and carry the signature near their end: their own cap,
whatever DIGEST_MAX_FETCH_BYTES allows publisher pages."""
BATCH_SIZE = 50
"""Ids resolved per RPC POST."""
PAGE_WAVE = 6
"""Article pages asked for at once (a browser's connections per host): a 429 stops the next wave."""
DEFAULT_PENALTY = dt.timedelta(hours=1)
"""How long Google is left alone after a 429 without Retry-After, or an "unusual traffic" page."""
MAX_PENALTY = dt.timedelta(days=2)
PAGE_TYPES = ("text/html", "application/xhtml+xml")
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


@dataclass
class GoogleSession:
    """One run's conversation with Google: every request passes here, and stops after a refusal."""

    web: WebClient
    root: str
    clock: Callable[[], dt.datetime]
    store: Store | None = None
    requests: int = 0
    """Requests sent to Google in this run (searches, pages, RPC POSTs)."""
    stopped: str = ""
    """Why this run asks Google nothing more ('' while it may)."""
    penalty_until: dt.datetime | None = None

    def __post_init__(self) -> None:
        # The later of the penalty this process was given (penalty_until) and the stored one.
        known = [when for when in (self.penalty_until, self._stored_penalty()) if when is not None]
        self.penalty_until = max(known, default=None)
        if self.penalty_until is not None and self.clock() < self.penalty_until:
            self.stopped = f"penalty until {self.penalty_until.isoformat()}"

    def fetch(self, requests: Sequence[WebRequest]) -> list[WebResponse | FetchFailure]:
        """The answers to requests (a failure for each one, unsent, once the run has stopped)."""
        if self.stopped:
            return [FetchFailure(r.url, f"not asked: {self.stopped}") for r in requests]
        self.requests += len(requests)
        results = fetch_each(self.web, requests)
        for result in results:
            if isinstance(result, WebResponse):
                self._judge(result)
        return results

    def _judge(self, response: WebResponse) -> None:
        if response.status == 429:
            self.stop("429 too many requests", _retry_after(response.header("retry-after"), self.clock()))
        elif wall := wall_of(response, self.root):
            self.stop(wall, DEFAULT_PENALTY if wall == "unusual traffic page" else None)

    def stop(self, reason: str, penalty: dt.timedelta | None = None) -> None:
        if self.stopped:
            return
        self.stopped = reason
        logger.warning("google news asked nothing more this run", extra={"reason": reason})
        if penalty is None:
            return
        until = self.clock() + min(penalty, MAX_PENALTY)
        self.penalty_until = until
        if self.store is not None:
            try:
                data = json.dumps({"until": until.isoformat(), "reason": reason}).encode()
                self.store.put(keys.google_news_penalty_key(), data, JSON)
            except Exception:  # the store is down: this run still stops, the next may ask too early
                logger.exception("google news penalty not stored")

    def _stored_penalty(self) -> dt.datetime | None:
        if self.store is None:
            return None
        try:
            raw = read_if_present(self.store, keys.google_news_penalty_key())
            if raw is None:
                return None
            until = dt.datetime.fromisoformat(json.loads(raw)["until"])
        except Exception:  # an unreadable record: no penalty known
            logger.warning("google news penalty unreadable", exc_info=True)
            return None
        return until if until.tzinfo is not None else until.replace(tzinfo=dt.UTC)


def wall_of(response: WebResponse, root: str) -> str:
    """Which of Google's walls a response is ('' for none): consent, or "unusual traffic"."""
    places = [response.url]
    if response.status in _REDIRECTS:
        places.append(response.header("location"))
    for place in places:
        parts = urlsplit(place)
        host = (parts.hostname or "").lower()
        if host.startswith("consent."):
            return "consent page"
        if "/sorry/" in f"{parts.path}/":
            return "unusual traffic page"
    media = response.content_type.split(";", 1)[0].strip().lower()
    if response.status == 200 and media in ("text/html", "") and b"data-n-a-sg" not in response.body:
        head = response.body[:200_000].lower()
        if any(marker in head for marker in (b"unusual traffic from your computer", b"/sorry/index")):
            return "unusual traffic page"
        if b'action="https://consent.google.com' in head or b"consent.google.com/save" in head:
            return "consent page"
    return ""


def _retry_after(value: str, now: dt.datetime) -> dt.timedelta:
    """Retry-After as a delay: seconds, or an HTTP date; the default when absent or unreadable."""
    value = value.strip()
    if value.isdigit():
        return dt.timedelta(seconds=int(value))
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return DEFAULT_PENALTY
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(when - now, dt.timedelta(0))


@dataclass
class Resolution:
    """What one run learnt: publisher URLs by id, and how they were found."""

    urls: dict[str, str] = field(default_factory=dict)
    from_store: int = 0
    page_gets: int = 0
    rpc_posts: int = 0


class LinkResolver:
    """Publisher URLs for current Google News ids (see the module's docstring)."""

    def __init__(
        self,
        session: GoogleSession,
        edition: Edition,
        batch_size: int = BATCH_SIZE,
        page_wave: int = PAGE_WAVE,
        page_max_bytes: int = GOOGLE_PAGE_MAX_BYTES,
    ) -> None:
        self.session = session
        self.edition = edition
        self.batch_size = batch_size
        self.page_wave = page_wave
        self.page_max_bytes = page_max_bytes

    def resolve(self, ids: Sequence[str]) -> Resolution:
        resolution = Resolution()
        wanted = list(dict.fromkeys(ids))
        for item in wanted:
            url = self._stored(item)
            if url is not None:
                resolution.urls[item] = url
                resolution.from_store += 1
        pending = [item for item in wanted if item not in resolution.urls]
        signatures: list[Signature] = []
        for start in range(0, len(pending), self.page_wave):
            if self.session.stopped:
                break
            wave = self._signatures(pending[start : start + self.page_wave], resolution)
            if not wave and not signatures and resolution.page_gets >= 2 * min(len(pending), 3):
                # A whole wave of pages without the attributes: Google changed its markup. The
                # other pages would say the same; asking for them is only load on Google.
                logger.warning(
                    "google news markup changed, links left unresolved", extra={"ids": len(pending)}
                )
                break
            signatures.extend(wave)
        for start in range(0, len(signatures), self.batch_size):
            if self.session.stopped:
                break
            found = self._rpc(signatures[start : start + self.batch_size])
            resolution.rpc_posts += 1
            for item, url in found.items():
                resolution.urls[item] = url
                self._remember(item, url)
        return resolution

    def _signatures(self, items: Sequence[str], resolution: Resolution) -> list[Signature]:
        """Each item's signature from its article page: one GET, a second only when the first fails."""
        pages = {item: article_page_urls(item, self.session.root, self.edition) for item in items}
        first = self._pages([pages[item][0] for item in items])
        resolution.page_gets += len(items)
        found: dict[str, Signature] = {}
        second: dict[str, str] = {}
        for item, result in zip(items, first, strict=True):
            signature = self._signature(result, item)
            if signature is not None:
                found[item] = signature
            elif not self.session.stopped:
                second[item] = self._next_page(result, pages[item][1])
        if second and not self.session.stopped:
            resolution.page_gets += len(second)
            for (item, _), result in zip(second.items(), self._pages(list(second.values())), strict=True):
                signature = self._signature(result, item)
                if signature is not None:
                    found[item] = signature
        missing = [item for item in items if item not in found]
        if missing and not self.session.stopped:
            logger.warning("google news pages without a signature", extra={"items": len(missing)})
        return [found[item] for item in items if item in found]

    def _pages(self, urls: Sequence[str]) -> list[WebResponse | FetchFailure]:
        requests = [
            WebRequest(url, PAGE_TYPES, max_bytes=self.page_max_bytes, follow_redirects=False) for url in urls
        ]
        return self.session.fetch(requests)

    def _next_page(self, result: WebResponse | FetchFailure, fallback: str) -> str:
        # A redirect that stays on Google News's own site is followed (it is the second GET).
        if isinstance(result, WebResponse) and result.status in _REDIRECTS:
            location = result.header("location")
            target = urlsplit(location)
            if location and not target.netloc:
                return self.session.root.rstrip("/") + "/" + location.lstrip("/")
            if (
                location
                and is_google_link(location, self.session.root)
                and _same_origin(location, self.session.root)
            ):
                return location
        return fallback

    def _signature(self, result: WebResponse | FetchFailure, item: str) -> Signature | None:
        if not isinstance(result, WebResponse) or result.status != 200:
            return None
        return page_signature(result.body.decode("utf-8", "replace"), item)

    def _rpc(self, signatures: Sequence[Signature]) -> dict[str, str]:
        """Publisher URLs by id from one POST; a call Google did not answer stays unresolved."""
        calls = [(str(number), found) for number, found in enumerate(signatures, start=1)]
        request = WebRequest(
            rpc_url(self.session.root, self.edition),
            ("application/json", "application/x-protobuf", "text/*", "application/javascript"),
            headers=(
                ("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8"),
                ("Referer", self.session.root.rstrip("/") + "/"),
            ),
            method="POST",
            body=rpc_body(calls, self.edition),
            follow_redirects=False,
        )
        result = self.session.fetch([request])[0]
        if isinstance(result, FetchFailure) or result.status != 200:
            reason = result.reason if isinstance(result, FetchFailure) else f"http status {result.status}"
            logger.warning("google news rpc failed", extra={"ids": len(calls), "reason": reason[:200]})
            return {}
        try:
            rows = parse_reply(result.body.decode("utf-8", "replace"))
        except ReplyError as exc:
            logger.warning("google news rpc reply unreadable", extra={"reason": str(exc)[:200]})
            return {}
        found: dict[str, str] = {}
        for request_id, signature in calls:
            url = rows.get(request_id)
            if url is None:
                continue
            if is_google_link(url, self.session.root) or len(url) > 2_000:
                logger.warning("google news rpc answered a google link", extra={"url": url[:300]})
                continue
            found[signature.item_id] = url
        if len(found) < len(calls):
            logger.info("google news rpc left ids unresolved", extra={"ids": len(calls), "found": len(found)})
        return found

    def _stored(self, item: str) -> str | None:
        if self.session.store is None:
            return None
        try:
            raw = read_if_present(self.session.store, keys.google_news_link_key(item))
            if raw is None:
                return None
            record = json.loads(raw)
        except Exception:  # an unreadable record is asked again
            logger.warning("google news cache entry unreadable", exc_info=True)
            return None
        url = record.get("url") if isinstance(record, dict) and record.get("id") == item else None
        return url if isinstance(url, str) and not is_google_link(url, self.session.root) else None

    def _remember(self, item: str, url: str) -> None:
        if self.session.store is None:
            return
        try:
            data = json.dumps({"id": item, "url": url}, ensure_ascii=False).encode()
            self.session.store.put(keys.google_news_link_key(item), data, JSON)
        except Exception:  # not cached: a rerun asks again, this run still has the URL
            logger.warning("google news resolution not cached", exc_info=True)


def _same_origin(left: str, right: str) -> bool:
    a, b = urlsplit(left), urlsplit(right)
    return (a.scheme, (a.hostname or "").lower(), a.port) == (b.scheme, (b.hostname or "").lower(), b.port)
