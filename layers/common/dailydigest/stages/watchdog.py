"""The watchdog's use case: find the scheduled topics with no post in 26 hours, and tell people
when that set changes (once, not every hour while it lasts)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping

from dailydigest.errors import NotFoundError
from dailydigest.ports import Store
from dailydigest.schedules.notify import Notifier
from dailydigest.schedules.watchdog import NO_POST_HOURS, TopicWatch, overdue_topics
from dailydigest.store import keys


def watch_topics(
    scheduled: Mapping[str, dt.datetime],
    store: Store,
    notifier: Notifier | None,
    now: dt.datetime,
    hours: int = NO_POST_HOURS,
) -> list[TopicWatch]:
    overdue = overdue_topics(scheduled, store, now, hours)
    names = sorted(w.topic for w in overdue)
    if names != _last_reported(store):
        if notifier is not None:
            notifier.notify(*_message(overdue, len(scheduled), hours))
        state = {"topics": names, "checked": now.isoformat(timespec="seconds")}
        store.put(keys.watchdog_state_key(), json.dumps(state).encode(), "application/json")
    return overdue


def _last_reported(store: Store) -> list[str]:
    try:
        state = json.loads(store.get(keys.watchdog_state_key()))
    except (NotFoundError, ValueError):
        return []
    topics = state.get("topics") if isinstance(state, dict) else None
    return sorted(str(t) for t in topics) if isinstance(topics, list) else []


def _message(overdue: list[TopicWatch], scheduled: int, hours: int) -> tuple[str, str]:
    if not overdue:
        return "dailydigest: every scheduled topic has a post again", (
            f"All {scheduled} scheduled topics delivered a post within the last {hours} hours."
        )
    subject = f"dailydigest: {len(overdue)} topic(s) with no post in {hours} hours"
    lines = [
        f"{len(overdue)} of {scheduled} scheduled topics delivered no post in the last {hours} hours:",
        "",
    ]
    lines += [f"- {watch.describe()}" for watch in overdue]
    lines += ["", "Details: `dailydigest runs TOPIC` over the bucket's runs/, and the functions' logs."]
    return subject, "\n".join(lines)
