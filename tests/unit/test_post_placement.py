"""A day's post is placed once: later renders of the day find it where it is."""

from __future__ import annotations

import datetime as dt

from dailydigest.store import keys
from dailydigest.store.placement import place_post
from tests.fakes import MemoryStore

DAY = dt.date(2026, 11, 28)


def test_a_new_day_is_placed_by_the_template_and_recorded() -> None:
    store = MemoryStore()
    assert place_post(store, "qwen", DAY) == "_posts/2026-11-28-qwen-daily-2026-11-28.md"
    assert store.exists(keys.placement_key("qwen", DAY))


def test_a_rerun_finds_the_post_where_it_was_placed_even_after_the_template_changed() -> None:
    store = MemoryStore()
    first = place_post(store, "qwen", DAY, "_posts/{date}-{topic}-daily-{date}.md")
    writes = len(store.writes)
    again = place_post(store, "qwen", DAY, "blog/_posts/{date}-{topic}.md")
    assert again == first and len(store.writes) == writes  # found, nothing written
    # A day not placed yet follows the new template
    assert place_post(store, "qwen", DAY + dt.timedelta(days=1), "blog/_posts/{date}-{topic}.md") == (
        "blog/_posts/2026-11-29-qwen.md"
    )


def test_a_day_rendered_before_placements_were_recorded_keeps_its_old_name() -> None:
    # Given a store from before: the day's post artifact, and no placement record
    store = MemoryStore()
    store.put(keys.post_key("qwen", DAY), b"---\n...", "text/markdown")
    # Then its post is found under the one name used then, not forked under the new one
    assert place_post(store, "qwen", DAY) == "_posts/2026-11-28-qwen-daily.md"
    assert place_post(store, "qwen", DAY) == "_posts/2026-11-28-qwen-daily.md"


def test_a_damaged_record_is_decided_again() -> None:
    store = MemoryStore()
    store.put(keys.placement_key("qwen", DAY), b"{not json", "application/json")
    assert place_post(store, "qwen", DAY) == "_posts/2026-11-28-qwen-daily-2026-11-28.md"
