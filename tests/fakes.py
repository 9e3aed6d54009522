"""In-memory stand-ins for the ports, for unit tests without sockets or disks."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field

from dailydigest.errors import NotFoundError
from dailydigest.models.events import PipelineEvent


@dataclass
class MemoryStore:
    blobs: dict[str, bytes] = field(default_factory=dict)
    writes: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

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

    def get_versioned(self, key: str) -> tuple[bytes, str] | None:
        data = self.blobs.get(key)
        return None if data is None else (data, hashlib.sha256(data).hexdigest())

    def put_if(self, key: str, data: bytes, content_type: str, version: str | None) -> bool:
        with self._lock:
            current = self.get_versioned(key)
            if (current[1] if current else None) != version:
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
