"""ArticleSource over a topic's own RSS/Atom feeds, with full text extracted from each page.

Every fetch goes through the WebClient port (the network or the offline mirror); a client that
can fetch in batches (`BatchWebClient`) gets all feeds, then all pages, at once. One broken feed
or page is logged and skipped; it never fails the run.
"""

from __future__ import annotations

import calendar
import datetime as dt
import html
import io
import logging
import re
import time
from collections.abc import Mapping, Sequence
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import feedparser
from pydantic import ValidationError

from dailydigest.models.article import Article
from dailydigest.models.topic import Topic
from dailydigest.news.gather import Window, in_window, is_aggregator_link, published_timestamp, window_for
from dailydigest.news.text import guess_language
from dailydigest.ports import BatchWebClient, FetchFailure, WebClient, WebRequest, WebResponse
from dailydigest.settings import FetchSettings
from dailydigest.web.charset import decode_html

logger = logging.getLogger(__name__)

MAX_ENTRIES_PER_FEED = 100
MAX_PAGES_PER_SOURCE = 60
"""Pages fetched for full text per source and run (the newest in-window items first)."""
FEED_TYPES = ("*+xml", "application/xml", "text/*", "application/octet-stream")
"""Feeds come labelled every which way; the parser decides whether the body is a feed."""
PAGE_TYPES = ("text/html", "application/xhtml+xml")
_TITLE_LIMIT = 300
_SUMMARY_LIMIT = 5_000
_TEXT_LIMIT = 200_000
_WHITESPACE = re.compile(r"\s+")
_HEADLINE_LIMIT = 150
_SENTENCE_ENDINGS = ("。", "！", "？", ".", "!", "?", "」", "”", '"', "）", ")")


class FeedSource:
    """Articles from the RSS/Atom feeds listed in a topic's `feeds`."""

    def __init__(self, web: WebClient, max_page_bytes: int = FetchSettings().max_bytes) -> None:
        self.web = web
        self.max_page_bytes = max_page_bytes

    def articles(self, topic: Topic, day: dt.date) -> list[Article]:
        feeds = [str(feed_url) for feed_url in topic.feeds]
        responses = fetch_all(
            self.web, [WebRequest(url, FEED_TYPES) for url in feeds], self.max_page_bytes, what="feed"
        )
        found: list[Article] = []
        for feed_url, response in zip(feeds, responses, strict=True):
            if response is not None:
                found.extend(feed_articles(response.body, feed_url))
        # Pages outside the window will be dropped by gather: their snippet is enough.
        return fill_text(self.web, found, window_for(topic, day), self.max_page_bytes)


def feed_articles(body: bytes, feed_url: str, publisher: str = "") -> list[Article]:
    """The usable entries of one RSS/Atom document ([] when it is not a well-formed feed)."""
    # A BytesIO, never bare bytes: feedparser tries bare bytes/str as a local file name first.
    parsed = feedparser.parse(io.BytesIO(body))
    problem = _feed_problem(parsed)
    if problem:
        logger.warning("feed skipped", extra={"feed": feed_url, "reason": problem})
        return []
    feed_info: Mapping[str, Any] = parsed.get("feed", {})
    feed_title = fragment_text(str(feed_info.get("title", "")))
    publisher = publisher or feed_title or (urlsplit(feed_url).hostname or "")
    language = str(feed_info.get("language", ""))[:16]
    articles = []
    for entry in parsed.get("entries", [])[:MAX_ENTRIES_PER_FEED]:
        article = article_from_entry(entry, feed_url=feed_url, publisher=publisher, language=language)
        if article is not None:
            articles.append(article)
    logger.info("feed read", extra={"feed": feed_url, "entries": len(articles)})
    return articles


def fetch_all(
    web: WebClient, requests: Sequence[WebRequest], max_bytes: int, what: str
) -> list[WebResponse | None]:
    """The usable response for each request (None, logged, for each one that is not)."""
    if isinstance(web, BatchWebClient):
        results = web.get_many(requests)
    else:
        results = [_get_one(web, request) for request in requests]
    usable: list[WebResponse | None] = []
    for request, result in zip(requests, results, strict=True):
        reason = _problem(request, result, max_bytes)
        if reason:
            logger.warning(f"{what} skipped", extra={"url": request.url, "reason": reason[:200]})
            usable.append(None)
        else:
            usable.append(result if isinstance(result, WebResponse) else None)
    return usable


def _get_one(web: WebClient, request: WebRequest) -> WebResponse | FetchFailure:
    try:
        return web.get(request.url)
    except Exception as exc:  # any transport or refusal problem skips just this URL
        return FetchFailure(request.url, f"fetch failed: {exc}")


def _problem(request: WebRequest, result: WebResponse | FetchFailure, max_bytes: int) -> str:
    if isinstance(result, FetchFailure):
        return result.reason
    if result.status != 200:
        return f"http status {result.status}"
    if len(result.body) > max_bytes:
        return f"too large ({len(result.body)} bytes)"
    if not request.accepts(result.content_type):
        return f"unexpected content type {result.content_type.split(';', 1)[0][:80]}"
    return ""


def fill_text(
    web: WebClient,
    articles: Sequence[Article],
    window: Window,
    max_page_bytes: int,
    limit: int = MAX_PAGES_PER_SOURCE,
) -> list[Article]:
    """The articles, those in the window with their page's main text (all pages fetched at once).

    An article whose page gives no text keeps its feed snippet. Links that only lead to an
    aggregator's interstitial (an unresolved Google News link) are not fetched.
    """
    wanted = [
        index
        for index, article in enumerate(articles)
        if in_window(article, window) and not is_aggregator_link(str(article.url))
    ]
    if len(wanted) > limit:
        # Newest first, undated last.
        newest = sorted(wanted, key=lambda i: -published_timestamp(articles[i], undated=0.0))[:limit]
        logger.info("pages left as snippets", extra={"pages": len(wanted), "fetched": limit})
        wanted = sorted(newest)
    # One fetch per page, however many items link to it (a day's searches often find the same article).
    urls = list(dict.fromkeys(str(articles[i].url) for i in wanted))
    responses = fetch_all(web, [WebRequest(url, PAGE_TYPES) for url in urls], max_page_bytes, what="page")
    pages = dict(zip(urls, responses, strict=True))
    filled = list(articles)
    for index in wanted:
        response = pages[str(articles[index].url)]
        if response is None:
            continue
        try:
            filled[index] = with_page_text(articles[index], response)
        except Exception as exc:  # one odd page keeps its snippet; it never costs the source's other items
            logger.warning(
                "page unreadable, kept as snippet",
                extra={"url": str(articles[index].url), "reason": f"{type(exc).__name__}: {exc}"[:200]},
            )
    return filled


def with_page_text(article: Article, page: WebResponse) -> Article:
    """The article with the page's main text, or unchanged when the page has none to give."""
    url = str(article.url)
    decoded = decode_html(page.body, page.content_type)
    text = without_headline(extract_main_text(decoded.text, page.url or url), article.title)
    if not text or len(text) < len(article.summary):
        logger.info("page kept as snippet", extra={"url": url, "reason": "no main text found"})
        return article
    update: dict[str, object] = {
        "text": text[:_TEXT_LIMIT],
        "language": article.language or guess_language(text),
    }
    # A redirect (a feed proxy, an http -> https move) lands on the page's real address.
    if page.url and page.url != url and urlsplit(page.url).scheme in ("http", "https"):
        update["url"] = page.url
    try:
        return Article.model_validate({**article.model_dump(), **update})
    except ValidationError:
        return article.model_copy(update={"text": update["text"], "language": update["language"]})


def _feed_problem(parsed: Mapping[str, Any]) -> str:
    """Why a parse result is not a usable feed ('' when it is)."""
    exception = parsed.get("bozo_exception")
    # Benign complaints (a charset header that disagrees, a text/plain content type) still parse fine.
    if parsed.get("bozo") and not isinstance(exception, feedparser.ThingsNobodyCaresAboutButMe):
        return f"not well-formed ({str(exception)[:200]})"
    if not parsed.get("version") and not parsed.get("entries"):
        return "not an RSS or Atom feed"
    return ""


def article_from_entry(
    entry: Mapping[str, Any], feed_url: str, publisher: str, language: str = ""
) -> Article | None:
    """An Article from one feed entry, or None when the entry lacks a usable title or link."""
    title = fragment_text(str(entry.get("title", "")))[:_TITLE_LIMIT].strip()
    link = str(entry.get("link", "")).strip()
    if not title or urlsplit(link).scheme.lower() not in ("http", "https"):
        return None
    summary = fragment_text(str(entry.get("summary", "")))[:_SUMMARY_LIMIT]
    # An aggregator's item names the outlet that wrote the story in <source>: credit that outlet.
    source = entry.get("source")
    source_title = fragment_text(str(source.get("title", ""))) if isinstance(source, Mapping) else ""
    try:
        return Article.model_validate(
            {
                "url": link,
                "title": title,
                "publisher": (source_title or publisher)[:200],
                "published": entry_published(entry),
                "summary": summary,
                "language": _language(language, f"{title} {summary}"),
                "feed": feed_url[:2_000],
            }
        )
    except ValidationError as exc:
        logger.warning("feed entry skipped", extra={"feed": feed_url, "reason": str(exc)[:200]})
        return None


def _language(declared: str, sample: str) -> str:
    # A feed's declared language is wrong for the foreign-language items an aggregator links to.
    guessed = guess_language(sample)
    if declared and (not guessed or declared.lower().startswith(guessed)):
        return declared
    return guessed


def entry_published(entry: Mapping[str, Any]) -> dt.datetime | None:
    """The entry's publication time as an aware UTC datetime (feedparser parses into UTC)."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if isinstance(parsed, time.struct_time):
            return dt.datetime.fromtimestamp(calendar.timegm(parsed), tz=dt.UTC)
    return None


def extract_main_text(page: bytes | str, url: str) -> str:
    """The page's article text (boilerplate removed), or '' when extraction fails."""
    import trafilatura  # heavy: loaded only when a page is actually fetched

    try:
        text = trafilatura.extract(
            page, url=url, include_comments=False, include_tables=False, favor_precision=True
        )
    except Exception as exc:  # a parser crash on one odd page must not end the run
        logger.warning("page extraction failed", extra={"url": url, "reason": str(exc)[:200]})
        return ""
    return (text or "").strip()


def without_headline(text: str, title: str) -> str:
    """The text minus a leading headline line (the extractor keeps an <h1> inside <article>).

    A first line is a headline when it is the feed's title, or short and not ending like a sentence.
    """
    first, _, rest = text.partition("\n")
    line = first.strip()
    is_title = _WHITESPACE.sub(" ", line).casefold() == _WHITESPACE.sub(" ", title).casefold()
    looks_like_headline = len(line) <= _HEADLINE_LIMIT and not line.endswith(_SENTENCE_ENDINGS)
    if rest.strip() and (is_title or looks_like_headline):
        return rest.strip()
    return text


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in ("br", "p", "div", "li"):
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def fragment_text(fragment: str) -> str:
    """Plain text from a feed's HTML fragment: tags dropped, entities decoded, spaces collapsed."""
    if "<" not in fragment:
        return _WHITESPACE.sub(" ", html.unescape(fragment)).strip()
    collector = _TextCollector()
    collector.feed(fragment)
    collector.close()
    return _WHITESPACE.sub(" ", "".join(collector.parts)).strip()
