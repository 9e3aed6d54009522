"""The render stage's archive step links each archive page to the post where readers find it."""

from __future__ import annotations

import json

from dailydigest.settings import ArchiveSettings
from dailydigest.wiring import archiver
from tests.factories import make_digest
from tests.fakes import MemoryStore


def _linked(store: MemoryStore) -> str:
    return str(json.loads(store.get("archive/index.json"))["posts"][0]["post_url"])


def test_blog_address_wins_over_the_committed_file() -> None:
    # Given a blog post URL template and a publisher that reported the file on GitHub
    store = MemoryStore()
    update = archiver(
        store,
        ArchiveSettings(
            archive_url="https://d1.example.net", blog_post_url="https://me.example/posts/{topic}-{date}/"
        ),
    )
    digest = make_digest()
    # When the archive is updated
    page = update(digest, "---\n---\nbody\n", b"\x89PNG", "https://github.com/me/blog/blob/main/_posts/x.md")
    # Then the archive links to the blog post, and the stage learns the archive page's URL
    assert _linked(store) == f"https://me.example/posts/qwen-{digest.date.isoformat()}/"
    assert page == f"https://d1.example.net/posts/qwen/{digest.date.isoformat()}.html"


def test_without_a_template_the_publisher_location_is_linked_and_local_paths_are_not() -> None:
    store = MemoryStore()
    archiver(store, ArchiveSettings())(
        make_digest(), "---\n---\nbody\n", b"\x89PNG", "https://github.com/me/blog/blob/main/x.md"
    )
    assert _linked(store) == "https://github.com/me/blog/blob/main/x.md"
    other = MemoryStore()
    page = archiver(other, ArchiveSettings())(
        make_digest(), "---\n---\nbody\n", b"\x89PNG", "/home/me/site/_posts/x.md"
    )
    assert _linked(other) == "" and page.startswith("archive/posts/qwen/")
