"""The static archive under `archive/` in the store: pages, feeds and the JSON index.

`update_archive` reads `archive/index.json`, upserts the post, and re-renders only what the post
touches: its own page and image, its topic's page and feed, the front page, the overall feed and
the index. A page whose bytes did not change is not written, so re-running a post writes nothing.
The index is written by compare-and-swap (`store.ops.update`), so renders of several topics (or
days) may run at once: a render that lost the race re-renders the shared pages and tries again.
Post pages link only to the front page and their topic (no previous/next), so a new post never
changes an older post's page. Works with any Store (a directory or S3).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from posixpath import splitext

from markupsafe import Markup

from dailydigest.archive.feeds import atom_feed
from dailydigest.archive.index import (
    INDEX_KEY,
    PREFIX,
    ArchiveEntry,
    ArchiveIndex,
    IndexedPost,
    image_file,
    parse_index,
    topic_dir,
)
from dailydigest.archive.markup import markdown_to_html
from dailydigest.archive.templating import majority_locale, render_page, words_for
from dailydigest.ports import Store
from dailydigest.render.wrap import clip
from dailydigest.store.ops import update, write_if_changed

# By file suffix, for the store's writes and for `dailydigest serve`.
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/atom+xml; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".png": "image/png",
}
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
    """Add or refresh one post in the archive; the keys actually written, in write order.

    The index is shared by every topic's renders, so it is updated by compare-and-swap: when
    another render changed it meanwhile, the pages that list other posts are rendered again
    from the index as it now is, and the write retried. Two renders at once both stay listed.
    """
    written: list[str] = []

    def write(key: str, data: bytes) -> None:
        if write_if_changed(store, key, data, CONTENT_TYPES[splitext(key)[1]]) and key not in written:
            written.append(key)

    page = post_page(entry, post_markdown)

    def with_entry(stored_index: bytes | None) -> bytes:
        # Runs once per attempt; a retry finds its own pages written already and rewrites only
        # those that list other posts. An unreadable index fails here, before anything is written.
        index = parse_index(stored_index).upsert(entry)
        for key, data in (
            (entry.image_key, image_png),
            (entry.page_key, page),
            *topic_outputs(index, entry.topic),
            (PREFIX + "index.html", front_page(index)),
            (PREFIX + "feed.xml", overall_feed(index)),
        ):
            write(key, data)
        return index.to_bytes()

    # Last: a run that fails half-way leaves the old index, and the next run redoes the pages.
    if update(store, INDEX_KEY, with_entry, CONTENT_TYPES[".json"]):
        written.append(INDEX_KEY)
    return written


def post_page(entry: ArchiveEntry, post_markdown: str) -> bytes:
    # The one value marked safe: HTML from the sanitising converter, never raw post text.
    body = Markup(markdown_to_html(post_markdown))  # noqa: S704 -- sanitised by markup.py
    return _page(
        "post.html.j2",
        entry.locale,
        root="../../",
        feed_href="../../feed.xml",
        entry=entry,
        image=image_file(entry.topic, entry.date),
        body=body,
    )


def topic_outputs(index: ArchiveIndex, topic: str) -> list[tuple[str, bytes]]:
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
    return [(base + "index.html", page), (base + "feed.xml", feed)]


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
    return render_page(
        template,
        lang=locale,
        W=words_for(locale),
        words_for=words_for,
        clip=lambda text: clip(text, SUMMARY_CHARS),
        **context,
    )
