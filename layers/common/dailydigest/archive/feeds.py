"""Atom feeds of the archive: one overall, one per topic.

Ids are stable tag URIs (`tag:dailydigest,{date}:{topic}`), times are RFC 3339 in UTC at the
post's date, so re-rendering the same posts gives the same bytes. Links are relative to the feed's
own location, which Atom readers resolve against the feed URL wherever the archive is hosted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from dailydigest.archive.index import IndexedPost
from dailydigest.archive.templating import render_page

MAX_ENTRIES = 50


@dataclass(frozen=True)
class FeedEntry:
    post: IndexedPost
    id: str
    stamp: str
    href: str
    image: str


def entry_id(topic: str, day: dt.date) -> str:
    return f"tag:dailydigest,{day.isoformat()}:{topic}"


def rfc3339(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def atom_feed(
    posts: Sequence[IndexedPost],
    *,
    feed_id: str,
    title: str,
    lang: str,
    root: str,
    html_href: str,
) -> bytes:
    """An Atom document for the newest posts; `root` leads from the feed to `archive/`."""
    shown = list(posts[:MAX_ENTRIES])
    entries = [
        FeedEntry(
            post=post,
            id=entry_id(post.topic, post.date),
            stamp=rfc3339(post.date),
            href=root + post.path,
            image=root + post.image,
        )
        for post in shown
    ]
    updated = rfc3339(max(post.date for post in shown)) if shown else rfc3339(dt.date(2000, 1, 1))
    return render_page(
        "feed.xml.j2",
        feed_id=feed_id,
        title=title,
        lang=lang,
        updated=updated,
        html_href=html_href,
        entries=entries,
    )
