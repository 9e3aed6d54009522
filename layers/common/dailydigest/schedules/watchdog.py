"""The watchdog: every scheduled topic must have delivered a post within the last 26 hours.

Read from the run records (`runs/{topic}/{date}/{run}/{stage}.json`): a render record that
published (or found the post already there) counts as a delivery. A topic whose schedule was created
or changed less than 26 hours ago is not overdue yet: its first run may still be to come.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from dailydigest.ports import Store
from dailydigest.runs.records import StageRecord, group_runs, read_records
from dailydigest.store import keys

NO_POST_HOURS = 26
DELIVERED = frozenset({"published", "unchanged"})


@dataclass(frozen=True)
class TopicWatch:
    topic: str
    last_post: dt.datetime | None
    latest_outcome: str
    """The newest run's outcome (e.g. `failed in summarize`, `no_news`), or `no run`."""

    def describe(self) -> str:
        last = self.last_post.isoformat(timespec="minutes") if self.last_post else "never"
        return f"{self.topic}: last post {last}, latest run {self.latest_outcome}"


def overdue_topics(
    scheduled: Mapping[str, dt.datetime],
    store: Store,
    now: dt.datetime,
    hours: int = NO_POST_HOURS,
) -> list[TopicWatch]:
    """The scheduled topics (slug -> when its schedule last changed) with no post in `hours`."""
    since = now - dt.timedelta(hours=hours)
    overdue = []
    for topic, changed in sorted(scheduled.items()):
        if changed > since:
            continue
        watch = watch_topic(topic, store, since, now)
        if watch.last_post is None or watch.last_post < since:
            overdue.append(watch)
    return overdue


def watch_topic(topic: str, store: Store, since: dt.datetime, now: dt.datetime) -> TopicWatch:
    # Record dates are the topic's local day: cover every zone (UTC-12 to UTC+14) around the window.
    first, last = (since - dt.timedelta(days=1)).date(), (now + dt.timedelta(days=1)).date()
    records: list[StageRecord] = []
    day = first
    while day <= last:
        records += read_records(store, keys.run_records_prefix(topic) + day.isoformat() + "/")
        day += dt.timedelta(days=1)
    last_post = max(
        (_ended(record) for record in records if record.stage == "render" and record.outcome in DELIVERED),
        default=None,
    )
    runs = group_runs(records)
    latest = runs[0].outcome if runs else "no run"
    return TopicWatch(topic=topic, last_post=last_post, latest_outcome=latest)


def _ended(record: StageRecord) -> dt.datetime:
    return record.started + dt.timedelta(milliseconds=record.duration_ms)
