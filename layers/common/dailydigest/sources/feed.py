"""ArticleSource over a topic's own feeds (RSS, Atom, JSON Feed), with full text and dates from each page.

Every fetch goes through the WebClient port (the network or the offline mirror); a client that
can fetch in batches (`BatchWebClient`) gets all feeds, then all pages, at once. One broken feed
or page is logged and skipped; it never fails the run.

Dates: an entry's date is read in whatever format and language it is written; a time written
without a zone is read in the publisher's zone when the feed or the site shows it (the offset the
feed's other dates carry, a country domain), else left naive for the fetch to read in the topic's
zone. An undated entry, or one whose time zone is only assumed, takes its page's own date when
the page states one. `with_page_text` is the one place page facts are applied to an article.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from urllib.parse import urlsplit

from pydantic import ValidationError

from dailydigest.models.article import Article
from dailydigest.models.topic import Topic
from dailydigest.news.gather import Window, in_window, is_aggregator_link, published_timestamp, window_for
from dailydigest.news.text import guess_language
from dailydigest.ports import FetchFailure, WebClient, WebRequest, WebResponse
from dailydigest.settings import FetchSettings
from dailydigest.sources.dates import language_codes, parse_date, site_zone
from dailydigest.sources.extract import extract_main_text, page_published, parse_page, without_headline
from dailydigest.sources.feed_parse import FeedEntry, FeedError, ParsedFeed, parse_feed
from dailydigest.sources.page_meta import declared_canonical
from dailydigest.web.batch import fetch_each
from dailydigest.web.charset import decode_html

logger = logging.getLogger(__name__)

MAX_PAGES_PER_SOURCE = 60
"""Pages fetched for full text per source and run (the newest in-window items first, undated last)."""
FEED_TYPES = ("*+xml", "application/xml", "*+json", "application/json", "text/*", "application/octet-stream")
"""Feeds come labelled every which way; the parser decides whether the body is a feed."""
PAGE_TYPES = ("text/html", "application/xhtml+xml")
_TITLE_LIMIT = 300
_SUMMARY_LIMIT = 5_000
_TEXT_LIMIT = 200_000


class FeedSource:
    """Articles from the RSS, Atom and JSON feeds listed in a topic's `feeds`."""

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
    """The usable entries of one feed document ([] when it is not a feed)."""
    try:
        feed = parse_feed(body)
    except FeedError as exc:
        logger.warning("feed skipped", extra={"feed": feed_url, "reason": str(exc)})
        return []
    if feed.warning:
        logger.warning("feed read despite markup errors", extra={"feed": feed_url, "reason": feed.warning})
    publisher = publisher or feed.title or (urlsplit(feed_url).hostname or "")
    offset = feed.publisher_offset()
    articles = []
    for entry in feed.entries:
        article = article_from_entry(entry, feed, feed_url, publisher, offset)
        if article is not None:
            articles.append(article)
    if not articles and feed.warning:
        logger.warning("feed skipped", extra={"feed": feed_url, "reason": "no usable entries"})
    else:
        logger.info("feed read", extra={"feed": feed_url, "format": feed.format, "entries": len(articles)})
    return articles


def fetch_all(
    web: WebClient, requests: Sequence[WebRequest], max_bytes: int, what: str
) -> list[WebResponse | None]:
    """The usable response for each request (None, logged, for each one that is not)."""
    results = fetch_each(web, requests)
    usable: list[WebResponse | None] = []
    for request, result in zip(requests, results, strict=True):
        reason = _problem(request, result, max_bytes)
        if reason:
            logger.warning(f"{what} skipped", extra={"url": request.url, "reason": reason[:200]})
            usable.append(None)
        else:
            usable.append(result if isinstance(result, WebResponse) else None)
    return usable


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

    Undated articles are fetched too: their page may say when they were published. An article
    whose page gives no text keeps its feed snippet. Links that only lead to an aggregator's
    interstitial (an unresolved Google News link) are not fetched.
    """
    wanted = [
        index
        for index, article in enumerate(articles)
        if (article.published is None or in_window(article, window))
        and not is_aggregator_link(str(article.url))
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
    """The article with what its page says: main text, language, publication date, final address.

    The page's date is taken when the feed gave none, or gave a time without a zone (the page's
    metadata usually names its offset). A page without text to give keeps the feed's snippet.
    """
    url = str(article.url)
    final_url = page.url if page.url and urlsplit(page.url).scheme in ("http", "https") else url
    decoded = decode_html(page.body, page.content_type)
    tree = parse_page(decoded.text)
    if tree is None:
        logger.info("page kept as snippet", extra={"url": url, "reason": "not readable as html"})
        return article
    update: dict[str, object] = {}
    # The page's own name for itself (same site only), even when its text is not used.
    canonical = declared_canonical(decoded.text, final_url)
    if canonical is not None:
        update["canonical"] = canonical
    text = without_headline(extract_main_text(tree, final_url), article.title)
    if text and len(text) >= len(article.summary):
        update["text"] = text[:_TEXT_LIMIT]
        update["language"] = _language(article.language, text)
    else:
        logger.info("page kept as snippet", extra={"url": url, "reason": "no main text found"})
    if article.published is None or article.published.tzinfo is None:
        published = page_published(tree, text, site_zone(urlsplit(final_url).hostname or ""))
        if published is not None and (published.tzinfo is not None or article.published is None):
            update["published"] = published
            logger.info(
                "date taken from page",
                extra={"url": url, "feed_date": str(article.published or ""), "page_date": str(published)},
            )
    if not update:
        return article
    # A redirect (a feed proxy, an http -> https move) lands on the page's real address.
    if final_url != url:
        update["url"] = final_url
    try:
        return Article.model_validate({**article.model_dump(), **update})
    except ValidationError:
        update.pop("url", None)
        return article.model_copy(update=update)


def article_from_entry(
    entry: FeedEntry,
    feed: ParsedFeed,
    feed_url: str,
    publisher: str,
    publisher_offset: dt.tzinfo | None = None,
) -> Article | None:
    """An Article from one feed entry, or None when the entry lacks a usable title or link."""
    title = entry.title[:_TITLE_LIMIT].strip()
    link = entry.link
    if not title or urlsplit(link).scheme.lower() not in ("http", "https"):
        return None
    summary = entry.summary[:_SUMMARY_LIMIT]
    # An aggregator's item names the outlet that wrote the story in <source>: credit that outlet.
    host = urlsplit(link).hostname or ""
    zone = site_zone(host) or publisher_offset or site_zone(urlsplit(feed_url).hostname or "", feed.language)
    try:
        return Article.model_validate(
            {
                "url": link,
                "title": title,
                "publisher": (entry.source_title or publisher)[:200],
                "published": entry_published(entry, zone, feed.language),
                "summary": summary,
                "language": _language(feed.language, f"{title} {summary}"),
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


def entry_published(
    entry: FeedEntry, zone: dt.tzinfo | None = None, language: str = ""
) -> dt.datetime | None:
    """The entry's publication time: aware when its text or `zone` names the zone, else naive."""
    for text in entry.dates:
        published = parse_date(text, zone, language_codes(language))
        if published is not None:
            return published
    if entry.dates:
        logger.info("entry date unreadable", extra={"date": entry.dates[0][:80], "title": entry.title[:120]})
    return None
