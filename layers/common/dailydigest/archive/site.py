"""The static archive under `archive/` in the store: pages, feeds and the JSON index.

`update_archive` reads `archive/index.json`, upserts the post, and re-renders only what the post
touches: its own page and image, its topic's page and feed, the front page, the overall feed and
the index. A page whose bytes did not change is not written, so re-running a post writes nothing.
Post pages link only to the front page and their topic (no previous/next), so a new post never
changes an older post's page. Works with any Store (a directory or S3): it uses get and put only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from markupsafe import Markup

from dailydigest.archive.feeds import atom_feed
from dailydigest.archive.index import (
    INDEX_KEY,
    PREFIX,
    ArchiveEntry,
    ArchiveIndex,
    IndexedPost,
    load_index,
    topic_dir,
)
from dailydigest.archive.markup import markdown_to_html
from dailydigest.archive.templating import majority_locale, render, words_for
from dailydigest.errors import NotFoundError
from dailydigest.ports import Store

HTML = "text/html; charset=utf-8"
ATOM = "application/atom+xml; charset=utf-8"
JSON = "application/json; charset=utf-8"
PNG = "image/png"
LATEST = 30  # posts on the front page
SUMMARY_CHARS = 160
FEED_TAG_DATE = "2025"  # the tag URI date of the feed ids: fixed, so the ids never change


@dataclass(frozen=True)
class TopicSummary:
    slug: str
    display_name: str
    locale: str
    count: int
    latest: dt.date


def update_archive(store: Store, entry: ArchiveEntry, post_markdown: str, image_png: bytes) -> list[str]:
    """Add or refresh one post in the archive; the keys actually written, in write order."""
    index = load_index(store).upsert(entry)
    outputs = [
        (entry.image_key, image_png, PNG),
        (entry.page_key, post_page(entry, post_markdown), HTML),
        *topic_outputs(index, entry.topic),
        (PREFIX + "index.html", front_page(index), HTML),
        (PREFIX + "feed.xml", overall_feed(index), ATOM),
        # Last: a run that fails half-way leaves the old index, and the next run redoes the pages.
        (INDEX_KEY, index.to_bytes(), JSON),
    ]
    return [key for key, data, content_type in outputs if write_if_changed(store, key, data, content_type)]


def write_if_changed(store: Store, key: str, data: bytes, content_type: str) -> bool:
    try:
        if store.get(key) == data:
            return False
    except NotFoundError:
        pass
    store.put(key, data, content_type)
    return True


def post_page(entry: ArchiveEntry, post_markdown: str) -> bytes:
    # The one value marked safe: HTML from the sanitising converter, never raw post text.
    body = Markup(markdown_to_html(post_markdown))  # noqa: S704 -- sanitised by markup.py
    return _page(
        "post.html.j2", entry.locale, root="../../", feed_href="../../feed.xml", entry=entry, body=body
    )


def topic_outputs(index: ArchiveIndex, topic: str) -> list[tuple[str, bytes, str]]:
    posts = index.for_topic(topic)
    latest = posts[0]
    words = words_for(latest.locale)
    page = _page(
        "topic.html.j2",
        latest.locale,
        root="../../",
        feed_href="feed.xml",
        display_name=latest.display_name,
        posts=posts,
    )
    feed = atom_feed(
        posts,
        feed_id=f"tag:dailydigest,{FEED_TAG_DATE}:topics/{topic}",
        title=f"{latest.display_name} · {words.site}",
        lang=latest.locale,
        root="../../",
        html_href="index.html",
    )
    base = PREFIX + topic_dir(topic)
    return [(base + "index.html", page, HTML), (base + "feed.xml", feed, ATOM)]


def front_page(index: ArchiveIndex) -> bytes:
    locale = majority_locale(post.locale for post in index.posts)
    return _page(
        "index.html.j2",
        locale,
        root="",
        feed_href="feed.xml",
        topics=topic_summaries(index),
        posts=index.posts[:LATEST],
    )


def overall_feed(index: ArchiveIndex) -> bytes:
    locale = majority_locale(post.locale for post in index.posts)
    return atom_feed(
        index.posts,
        feed_id=f"tag:dailydigest,{FEED_TAG_DATE}:archive",
        title=words_for(locale).site,
        lang=locale,
        root="",
        html_href="index.html",
    )


def topic_summaries(index: ArchiveIndex) -> list[TopicSummary]:
    """Topics by name, each with its newest post's name and language (posts are newest first)."""
    firsts: dict[str, IndexedPost] = {}
    counts: dict[str, int] = {}
    for post in index.posts:
        firsts.setdefault(post.topic, post)
        counts[post.topic] = counts.get(post.topic, 0) + 1
    return [
        TopicSummary(slug, post.display_name, post.locale, counts[slug], post.date)
        for slug, post in sorted(firsts.items())
    ]


def _page(template: str, locale: str, **context: object) -> bytes:
    words = words_for(locale)
    return render(
        template,
        lang=locale,
        W=words,
        words_for=words_for,
        clip=_clip,
        feed_title=words.feed,
        **context,
    )


def _clip(text: str) -> str:
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1].rstrip() + "…"
