"""In-memory stand-ins for the ports, for unit tests without sockets or disks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from dailydigest.errors import NotFoundError
from dailydigest.models.article import Story
from dailydigest.models.digest import Digest
from dailydigest.models.events import PipelineEvent
from dailydigest.models.topic import Topic
from dailydigest.ports import PostFiles, PublishResult


@dataclass
class MemoryStore:
    blobs: dict[str, bytes] = field(default_factory=dict)
    writes: list[str] = field(default_factory=list)

    def get(self, key: str) -> bytes:
        if key not in self.blobs:
            raise NotFoundError(f"not in the store: {key}")
        return self.blobs[key]

    def put(self, key: str, data: bytes, content_type: str) -> None:
        self.blobs[key] = data
        self.writes.append(key)

    def create(self, key: str, data: bytes, content_type: str) -> bool:
        if key in self.blobs:
            return False
        self.put(key, data, content_type)
        return True

    def exists(self, key: str) -> bool:
        return key in self.blobs

    def list(self, prefix: str) -> list[str]:
        return sorted(k for k in self.blobs if k.startswith(prefix))

    def describe(self) -> str:
        return "memory"


@dataclass
class RecordingBus:
    events: list[PipelineEvent] = field(default_factory=list)

    def publish(self, event: PipelineEvent) -> None:
        self.events.append(event)

    def describe(self) -> str:
        return "recording bus"


@dataclass
class RecordingPublisher:
    published: list[PostFiles] = field(default_factory=list)

    def publish(self, files: PostFiles) -> PublishResult:
        changed = not self.published or self.published[-1] != files
        self.published.append(files)
        return PublishResult(commit_sha="a" * 40, changed=changed, location=f"memory:{files.post_path}")

    def describe(self) -> str:
        return "recording publisher"


@dataclass
class CountingSummarizer:
    """Delegates to a real summarizer and counts calls (idempotency checks)."""

    inner: object
    calls: int = 0
    name: str = "counting"

    def summarize(self, topic: Topic, day: dt.date, stories: Sequence[Story]) -> Digest:
        self.calls += 1
        return self.inner.summarize(topic, day, stories)  # type: ignore[attr-defined,no-any-return]
