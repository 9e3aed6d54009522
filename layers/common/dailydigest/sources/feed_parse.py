"""Feed documents into plain entries: RSS 0.9x/1.0/2.0 and Atom (feedparser), JSON Feed 1.0/1.1.

A feed with markup errors that feedparser recovered from (an unescaped `&` in a `<category>`, a
stray tag) is read with a warning: real feeds are often not well-formed XML, and feedparser's
loose parser reads them as readers do. Only a document with nothing usable in it is refused.

Dates stay text here, with the few facts needed to read them later (the feed's language, the one
offset its zoned dates share): see `sources.dates`.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import feedparser

from dailydigest.sources.dates import common_offset, language_codes, parse_date

MAX_ENTRIES_PER_FEED = 100
_WHITESPACE = re.compile(r"\s+")
_JSON_FEED_VERSION = re.compile(r"^https?://jsonfeed\.org/version/1(?:\.\d+)?/?$")
_DATE_KEYS = ("published", "updated", "created", "issued", "modified")


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed, as text."""

    title: str
    link: str
    summary: str = ""
    dates: tuple[str, ...] = ()
    """The entry's date texts, best first (published before updated)."""
    source_title: str = ""
    """The outlet an aggregator's item credits (RSS `<source>`)."""


@dataclass(frozen=True)
class ParsedFeed:
    format: str
    title: str = ""
    language: str = ""
    entries: tuple[FeedEntry, ...] = ()
    warning: str = ""
    """Markup errors the parser recovered from ('' for a clean document)."""
    feed_dates: tuple[str, ...] = field(default=())
    """The channel's own dates (lastBuildDate, updated): evidence of the publisher's zone."""

    def publisher_offset(self) -> dt.tzinfo | None:
        """The one non-UTC offset this feed's zoned dates share, if they share one."""
        texts = [*self.feed_dates, *(text for entry in self.entries for text in entry.dates)]
        languages = language_codes(self.language)
        return common_offset(parse_date(text, languages=languages) for text in texts[:300])


class FeedError(ValueError):
    """The document is not a feed this module can read."""


def parse_feed(body: bytes) -> ParsedFeed:
    """The feed in a document; FeedError when it holds no feed."""
    if _looks_like_json(body):
        return parse_json_feed(body)
    # A BytesIO, never bare bytes: feedparser tries bare bytes/str as a local file name first.
    parsed = feedparser.parse(io.BytesIO(body))
    entries = parsed.get("entries", [])
    version = parsed.get("version", "")
    exception = parsed.get("bozo_exception")
    recovered = parsed.get("bozo") and not isinstance(exception, feedparser.ThingsNobodyCaresAboutButMe)
    if not version and not entries:
        reason = f"not well-formed ({str(exception)[:200]})" if recovered else "not an RSS or Atom feed"
        raise FeedError(reason)
    if recovered and not entries:
        raise FeedError(f"not well-formed ({str(exception)[:200]})")
    info: dict[str, Any] = parsed.get("feed", {})
    return ParsedFeed(
        format=version or "unknown",
        title=fragment_text(str(info.get("title", ""))),
        language=str(info.get("language", ""))[:16],
        entries=tuple(_rss_entry(entry) for entry in entries[:MAX_ENTRIES_PER_FEED]),
        warning=f"recovered from markup errors: {str(exception)[:200]}" if recovered else "",
        feed_dates=tuple(text for key in _DATE_KEYS if isinstance(text := dict.get(info, key), str) and text),
    )


def _rss_entry(entry: dict[str, Any]) -> FeedEntry:
    source = entry.get("source")
    source_title = fragment_text(str(source.get("title", ""))) if isinstance(source, Mapping) else ""
    return FeedEntry(
        title=fragment_text(str(entry.get("title", ""))),
        link=str(entry.get("link", "")).strip(),
        summary=fragment_text(str(entry.get("summary", ""))),
        # dict.get: feedparser's own lookup maps a missing `published` to `updated`, with a warning.
        dates=tuple(text for key in _DATE_KEYS if isinstance(text := dict.get(entry, key), str) and text),
        source_title=source_title,
    )


def _looks_like_json(body: bytes) -> bool:
    return body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{"


def parse_json_feed(body: bytes) -> ParsedFeed:
    """A JSON Feed 1.0 or 1.1 document (https://www.jsonfeed.org/version/1.1/)."""
    try:
        document = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise FeedError(f"not valid JSON ({str(exc)[:120]})") from None
    if not isinstance(document, dict) or not _JSON_FEED_VERSION.match(str(document.get("version", ""))):
        raise FeedError("JSON without a JSON Feed version")
    items = document.get("items")
    if not isinstance(items, list):
        raise FeedError("JSON Feed without items")
    entries = [_json_entry(item) for item in items[:MAX_ENTRIES_PER_FEED] if isinstance(item, dict)]
    version = str(document["version"]).rstrip("/").rsplit("/", 1)[-1]
    return ParsedFeed(
        format=f"json{version.replace('.', '')}",
        title=fragment_text(_text(document.get("title"))),
        language=_text(document.get("language"))[:16],
        entries=tuple(entries),
    )


def _json_entry(item: Mapping[str, Any]) -> FeedEntry:
    # `url` is the item's own page; `external_url` a page it is about (a link post): either will do.
    link = _text(item.get("url")) or _text(item.get("external_url"))
    # 1.0's `author` became 1.1's `authors`; the summary is the item's own, else its content.
    summary = _text(item.get("summary")) or _text(item.get("content_text")) or _text(item.get("content_html"))
    dates = tuple(text for key in ("date_published", "date_modified") if (text := _text(item.get(key))))
    return FeedEntry(
        title=fragment_text(_text(item.get("title"))),
        link=link.strip(),
        summary=fragment_text(summary),
        dates=dates,
    )


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


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
