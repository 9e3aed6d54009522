"""ArticleSource over Google News search RSS: the topic's queries, in its edition, for the day's window.

Search feed: `{base}/rss/search?q=QUERY+when:48h&hl=zh-TW&gl=TW&ceid=TW:zh-Hant` (zh-TW) or
`hl=en-US&gl=US&ceid=US:en` (en). A window that is still open uses `when:{hours}h`; a past day uses
`after:`/`before:` dates a day wider than the window (gather trims to the exact window).

Each item names its outlet in `<source url="...">Publisher</source>` and ends its title with
" - Publisher". Item links point at news.google.com, not at the publisher: links of the older form
carry the publisher URL inside their base64 token and are decoded here; links carrying a `url=`
parameter are read; the newer opaque tokens (since mid-2024) can only be resolved through an
undocumented Google RPC, which this source does not call. Such items are kept as they are: the
news.google.com link (which forwards readers to the article), the publisher's name and the snippet.
An item without `<source>` is credited to the site its link resolves to (its host name), and only
an unresolvable one to Google News: every article keeps an outlet to cite.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import logging
import math
from collections.abc import Callable
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from pydantic import ValidationError

from dailydigest.locales import facts_for
from dailydigest.models.article import Article
from dailydigest.models.topic import Topic
from dailydigest.news.gather import Window, google_news_item, window_for
from dailydigest.news.text import quoted_phrase
from dailydigest.ports import WebClient, WebRequest
from dailydigest.settings import FetchSettings
from dailydigest.sources.feed import FEED_TYPES, feed_articles, fetch_all, fill_text

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


def resolve_link(link: str) -> str | None:
    """The publisher's URL behind a Google News item link, when the link still carries it."""
    parts = urlsplit(link)
    for key, value in parse_qsl(parts.query):
        if key == "url" and urlsplit(value).scheme in ("http", "https"):
            return value
    token = google_news_item(parts.path)
    return _decode_token(token) if token else None


def _decode_token(token: str) -> str | None:
    # The token is url-safe base64 of a small protobuf message; in the older form its field 4
    # (tag 0x22) holds the article URL itself. The newer form holds an opaque "AU_yqL..." id.
    try:
        data = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (binascii.Error, ValueError):
        return None
    position = 0
    while position < len(data):
        tag = data[position]
        position += 1
        wire_type = tag & 0x07
        if wire_type == 0:
            _, position = _varint(data, position)
        elif wire_type == 2:
            length, position = _varint(data, position)
            value = data[position : position + length]
            position += length
            if tag >> 3 == 4 and value.startswith((b"http://", b"https://")):
                try:
                    return value.decode("utf-8")
                except UnicodeDecodeError:
                    return None
        else:
            return None
    return None


def _varint(data: bytes, position: int) -> tuple[int, int]:
    value = shift = 0
    while position < len(data):
        byte = data[position]
        position += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            break
        shift += 7
    return value, position


class GoogleNewsSource:
    """Articles from Google News searches for each of a topic's queries."""

    def __init__(
        self,
        web: WebClient,
        base_url: str = GOOGLE_NEWS_URL,
        max_page_bytes: int = FetchSettings().max_bytes,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self.web = web
        self.base_url = base_url
        self.max_page_bytes = max_page_bytes
        self.clock = clock

    def articles(self, topic: Topic, day: dt.date) -> list[Article]:
        if not topic.queries:
            return []
        window = window_for(topic, day)
        now = self.clock()
        urls = [search_url(query, topic.locale, window, now, self.base_url) for query in topic.queries]
        responses = fetch_all(
            self.web, [WebRequest(url, FEED_TYPES) for url in urls], self.max_page_bytes, what="news search"
        )
        found: list[Article] = []
        resolved: list[int] = []
        for url, response in zip(urls, responses, strict=True):
            items = feed_articles(response.body, url, PUBLISHER_FALLBACK) if response is not None else []
            for item in items:
                article, known = self._item(item)
                if known:
                    resolved.append(len(found))
                found.append(article)
        # Only pages at the publisher's own address are worth reading.
        with_text = fill_text(self.web, [found[i] for i in resolved], window, self.max_page_bytes)
        for index, article in zip(resolved, with_text, strict=True):
            found[index] = article
        logger.info(
            "news search read", extra={"topic": topic.slug, "items": len(found), "resolved": len(resolved)}
        )
        return found

    def _item(self, article: Article) -> tuple[Article, bool]:
        """The item cleaned up, and whether its publisher URL is known."""
        publisher = article.publisher  # feed_articles credits PUBLISHER_FALLBACK when <source> is missing
        title = _without_suffix(article.title, publisher)
        summary = _without_suffix(article.summary, publisher) or title
        target = resolve_link(str(article.url))
        if target is not None and publisher == PUBLISHER_FALLBACK:
            # An item without <source>: Google did not write it, the site it resolves to did.
            publisher = (urlsplit(target).hostname or publisher)[:200]
        update: dict[str, object] = {"title": title, "summary": summary, "publisher": publisher}
        if target is not None:
            update["url"] = target
        try:
            return Article.model_validate({**article.model_dump(), **update}), target is not None
        except ValidationError:
            # An undecodable target: keep Google's link, the outlet's name and the snippet.
            return article, False


def _without_suffix(text: str, publisher: str) -> str:
    # Google titles and snippets end with " - Publisher" (or just the publisher's name).
    stripped = text.strip()
    for suffix in (f" - {publisher}", f" | {publisher}", f" {publisher}"):
        if publisher and stripped.endswith(suffix) and len(stripped) > len(suffix):
            return stripped[: -len(suffix)].strip()
    return stripped
