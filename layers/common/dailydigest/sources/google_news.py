"""ArticleSource over Google News search RSS: the topic's queries, in its edition, for the day's window.

Search feed: `{base}/rss/search?q=QUERY+when:48h&hl=zh-TW&gl=TW&ceid=TW:zh-Hant` (zh-TW) or
`hl=en-US&gl=US&ceid=US:en` (en). A window that is still open uses `when:{hours}h`; a past day uses
`after:`/`before:` dates a day wider than the window (gather trims to the exact window).

Each item names its outlet in `<source url="...">Publisher</source>` and ends its title with
" - Publisher". Item links point at Google News (`{base}/rss/articles/<id>?oc=5`), not at the
publisher: older ids carry the publisher URL and are decoded locally, current ones are resolved
through Google's own RPC (`google_news_resolver`, politely, cached in the store), and the
publisher's page is then read for the full text like any feed item's. An item that stays
unresolved keeps Google's link, the outlet's name and the snippet, marked `unresolved` (gather
ranks it below full-text articles). An item without `<source>` is credited to the site its link
resolves to (its host name), and only an unresolvable one to Google News: every article keeps an
outlet to cite. Nothing read from Google's own pages ever becomes article text.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections.abc import Callable
from urllib.parse import quote, urlencode, urlsplit

from pydantic import ValidationError

from dailydigest.locales import facts_for
from dailydigest.models.article import Article
from dailydigest.models.topic import Topic
from dailydigest.news.gather import Window, window_for
from dailydigest.news.text import quoted_phrase
from dailydigest.ports import Store, WebClient, WebRequest, WebResponse
from dailydigest.settings import FetchSettings
from dailydigest.sources.feed import FEED_TYPES, feed_articles, fill_text
from dailydigest.sources.google_news_links import (
    Edition,
    edition_for,
    embedded_url,
    is_google_link,
    item_id,
)
from dailydigest.sources.google_news_resolver import GoogleSession, LinkResolver

logger = logging.getLogger(__name__)

GOOGLE_NEWS_URL = str(FetchSettings().google_news_url)
PUBLISHER_FALLBACK = "Google News"


def search_terms(query: str, window: Window, now: dt.datetime) -> str:
    """The `q` value: the query (quoted when it is a phrase) plus the time restriction."""
    term = quoted_phrase(query)
    if window.start < now < window.end:
        hours = max(1, math.ceil((now - window.start).total_seconds() / 3600))
        return f"{term} when:{hours}h"
    zone = window.end.tzinfo
    after = window.start.astimezone(zone).date() - dt.timedelta(days=1)
    before = (window.end - dt.timedelta(microseconds=1)).astimezone(zone).date() + dt.timedelta(days=1)
    return f"{term} after:{after.isoformat()} before:{before.isoformat()}"


def search_url(
    query: str, locale: str, window: Window, now: dt.datetime, base_url: str = GOOGLE_NEWS_URL
) -> str:
    hl, gl, ceid = facts_for(locale).google_news
    params = {"q": search_terms(query, window, now), "hl": hl, "gl": gl, "ceid": ceid}
    return f"{base_url.rstrip('/')}/rss/search?{urlencode(params, quote_via=quote, safe=':')}"


class GoogleNewsSource:
    """Articles from Google News searches for each of a topic's queries, at the publishers' addresses."""

    def __init__(
        self,
        web: WebClient,
        base_url: str = GOOGLE_NEWS_URL,
        max_page_bytes: int = FetchSettings().max_bytes,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
        store: Store | None = None,
    ) -> None:
        """`store` keeps resolved links and Google's penalty across runs (None: this run only)."""
        self.web = web
        self.base_url = base_url
        self.max_page_bytes = max_page_bytes
        self.clock = clock
        self.store = store
        self.last_session: GoogleSession | None = None
        """The latest run's conversation with Google (requests sent, why it stopped)."""

    @property
    def _penalty(self) -> dt.datetime | None:
        return self.last_session.penalty_until if self.last_session is not None else None

    def articles(self, topic: Topic, day: dt.date) -> list[Article]:
        if not topic.queries:
            return []
        window = window_for(topic, day)
        # Without a store, the source itself remembers a penalty Google gave an earlier run.
        session = GoogleSession(self.web, self.base_url, self.clock, self.store, penalty_until=self._penalty)
        self.last_session = session
        if session.stopped:
            logger.warning("news search skipped", extra={"topic": topic.slug, "reason": session.stopped})
            return []
        now = self.clock()
        urls = [search_url(query, topic.locale, window, now, self.base_url) for query in topic.queries]
        found: list[Article] = []
        responses = session.fetch([WebRequest(url, FEED_TYPES, follow_redirects=False) for url in urls])
        for url, response in zip(urls, responses, strict=True):
            if not isinstance(response, WebResponse) or response.status != 200:
                reason = response.reason if not isinstance(response, WebResponse) else response.status
                logger.warning("news search skipped", extra={"url": url, "reason": str(reason)[:200]})
                continue
            found.extend(self._item(item) for item in feed_articles(response.body, url, PUBLISHER_FALLBACK))
        found = self._resolve(found, edition_for(topic.locale), session)
        resolved = [index for index, article in enumerate(found) if not article.unresolved]
        # Only pages at the publisher's own address are read; Google's never are.
        with_text = fill_text(self.web, [found[i] for i in resolved], window, self.max_page_bytes)
        for index, article in zip(resolved, with_text, strict=True):
            found[index] = article
        logger.info(
            "news search read",
            extra={
                "topic": topic.slug,
                "items": len(found),
                "resolved": len(resolved),
                "unresolved": len(found) - len(resolved),
                "google_requests": session.requests,
                "stopped": session.stopped,
            },
        )
        return found

    def _item(self, article: Article) -> Article:
        """The item cleaned up, at the publisher's URL when the link itself carries it."""
        publisher = article.publisher  # feed_articles credits PUBLISHER_FALLBACK when <source> is missing
        title = _without_suffix(article.title, publisher)
        summary = _without_suffix(article.summary, publisher) or title
        update: dict[str, object] = {"title": title, "summary": summary}
        link = str(article.url)
        if not is_google_link(link, self.base_url):
            return _validated(article, update)  # already the publisher's own address
        target = embedded_url(link)
        if target is not None and not is_google_link(target, self.base_url):
            return _at(article, target, update)
        return _validated(article, {**update, "unresolved": True})

    def _resolve(self, articles: list[Article], edition: Edition, session: GoogleSession) -> list[Article]:
        """Each unresolved item at its publisher's URL, where Google's RPC gives it."""
        ids = {
            index: item
            for index, article in enumerate(articles)
            if article.unresolved and (item := item_id(str(article.url), self.base_url))
        }
        if not ids or session.stopped:
            return articles
        resolution = LinkResolver(session, edition).resolve(list(ids.values()))
        logger.info(
            "google news links resolved",
            extra={
                "ids": len(set(ids.values())),
                "resolved": len(resolution.urls),
                "from_store": resolution.from_store,
                "page_gets": resolution.page_gets,
                "rpc_posts": resolution.rpc_posts,
            },
        )
        resolved = list(articles)
        for index, item in ids.items():
            url = resolution.urls.get(item)
            if url is not None:
                resolved[index] = _at(articles[index], url, {"unresolved": False})
        return resolved


def _at(article: Article, target: str, update: dict[str, object]) -> Article:
    """The article at its publisher's URL (credited to that site when Google named no outlet)."""
    publisher = article.publisher
    if publisher == PUBLISHER_FALLBACK:
        # An item without <source>: Google did not write it, the site it resolves to did.
        publisher = (urlsplit(target).hostname or publisher)[:200]
    moved = _validated(article, {**update, "url": target, "publisher": publisher, "unresolved": False})
    if str(moved.url) == str(article.url):  # an undecodable target: kept as Google's link
        return _validated(article, {**update, "unresolved": True})
    return moved


def _validated(article: Article, update: dict[str, object]) -> Article:
    try:
        return Article.model_validate({**article.model_dump(), **update})
    except ValidationError:
        safe = {key: value for key, value in update.items() if key in ("unresolved",)}
        return article.model_copy(update=safe)


def _without_suffix(text: str, publisher: str) -> str:
    # Google titles and snippets end with " - Publisher" (or just the publisher's name).
    stripped = text.strip()
    for suffix in (f" - {publisher}", f" | {publisher}", f" {publisher}"):
        if publisher and stripped.endswith(suffix) and len(stripped) > len(suffix):
            return stripped[: -len(suffix)].strip()
    return stripped
