"""Where a day's post goes in the blog repository, decided once per (topic, date).

The first render of a day places its post by DIGEST_POST_PATH and records that path in the store;
every later render of the day (a redelivery, a replay, a rerun after DIGEST_POST_PATH changed)
finds its post at the recorded path, so a day never gets a second post under a second name. A day
rendered before paths were recorded has its post under the one name used then.
"""

from __future__ import annotations

import datetime as dt
import json

from dailydigest.ports import Store
from dailydigest.store import keys
from dailydigest.store.ops import JSON, read_if_present, write_if_changed


def place_post(store: Store, topic: str, day: dt.date, template: str = keys.DEFAULT_POST_PATH) -> str:
    """The day's post path: as recorded, else (for a new day) by `template`, recorded now.

    Call it before the day's post artifact is written: that artifact without a record means a day
    rendered before records were kept.
    """
    recorded = _recorded(store, topic, day)
    if recorded is not None:
        return recorded
    rendered_before = read_if_present(store, keys.post_key(topic, day)) is not None
    path = keys.post_path(topic, day, keys.LEGACY_POST_PATH if rendered_before else template)
    write_if_changed(store, keys.placement_key(topic, day), json.dumps({"post_path": path}).encode(), JSON)
    return path


def _recorded(store: Store, topic: str, day: dt.date) -> str | None:
    raw = read_if_present(store, keys.placement_key(topic, day))
    if raw is None:
        return None
    try:
        path = json.loads(raw).get("post_path")
    except (ValueError, AttributeError):
        return None  # a damaged record: decide again (by the same rules, so the same answer)
    return path if isinstance(path, str) and path else None
