"""The digest cache: an LLM digest is paid for once per (stories, prompt version, model).

The key hashes the canonical JSON of everything the prompt is made of (the stories with their
articles, the topic's name and locale, the date), the prompt version and the configured model chain.
A rerun, a duplicate event or a retry after a crash between the answer and the stage's write finds the
digest here and makes no call. Entries live in the store under `cache/digests/{hash}.json`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Sequence

from pydantic import ValidationError

from dailydigest.models.article import Story
from dailydigest.models.digest import Digest
from dailydigest.models.topic import Topic
from dailydigest.ports import Store
from dailydigest.store.ops import JSON, read_if_present

log = logging.getLogger(__name__)

PREFIX = "cache/digests/"


def cache_key(
    topic: Topic, day: dt.date, stories: Sequence[Story], prompt_version: str, models: Sequence[str]
) -> str:
    """sha256 of the canonical JSON of the prompt's inputs, the prompt version and the model chain."""
    material = {
        "prompt_version": prompt_version,
        "models": list(models),
        "topic": {"slug": topic.slug, "name": topic.name, "locale": topic.locale},
        "date": day.isoformat(),
        "stories": [story.model_dump(mode="json") for story in stories],
    }
    canonical = json.dumps(material, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def cache_path(key: str) -> str:
    return f"{PREFIX}{key}.json"


class DigestCache:
    """LLM digests by cache key, in a Store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def get(self, key: str) -> Digest | None:
        data = read_if_present(self.store, cache_path(key))
        if data is None:
            return None
        try:
            return Digest.model_validate_json(data)
        except ValidationError:
            # An entry from an incompatible version is ignored (and replaced after the next answer).
            log.warning("digest cache entry unreadable", extra={"key": key})
            return None

    def put(self, key: str, digest: Digest) -> None:
        self.store.put(cache_path(key), digest.model_dump_json(indent=1).encode("utf-8"), JSON)
