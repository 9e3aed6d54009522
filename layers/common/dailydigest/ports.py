"""The ports the domain talks to. Adapters implement them; the domain imports no SDK."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from dailydigest.models.article import Article, Story
from dailydigest.models.digest import Digest
from dailydigest.models.events import PipelineEvent
from dailydigest.models.topic import Topic


class Store(Protocol):
    """A key/value blob store with create-if-absent and compare-and-swap (S3 or a directory).

    Read-modify-write of a shared key (the story ledger, the archive index) goes through
    `get_versioned` + `put_if` (see `store.ops.update`): a writer that lost the race writes nothing
    and learns so, instead of silently replacing what the other one wrote.
    """

    def get(self, key: str) -> bytes:
        """The bytes at key; NotFoundError when absent."""
        ...

    def put(self, key: str, data: bytes, content_type: str) -> None:
        """Write key, replacing what was there."""
        ...

    def create(self, key: str, data: bytes, content_type: str) -> bool:
        """Write key only if absent; False (and nothing written) when it already exists."""
        ...

    def get_versioned(self, key: str) -> tuple[bytes, str] | None:
        """The bytes at key with an opaque version tag (S3's ETag); None when absent."""
        ...

    def put_if(self, key: str, data: bytes, content_type: str, version: str | None) -> bool:
        """Write key only if it is still at `version` (from `get_versioned`), or, when version is
        None, only if it is absent. False, and nothing written, when another writer got there first."""
        ...

    def exists(self, key: str) -> bool: ...

    def list(self, prefix: str) -> list[str]:
        """Keys under prefix, sorted."""
        ...

    def describe(self) -> str:
        """Where the store lives, for people."""
        ...


class Bus(Protocol):
    """Where stages announce what they produced."""

    def publish(self, event: PipelineEvent) -> None: ...

    def describe(self) -> str: ...


class WebClient(Protocol):
    """Fetches a URL's bytes (the network, or an offline mirror)."""

    def get(self, url: str) -> WebResponse: ...

    def describe(self) -> str: ...


@dataclass(frozen=True)
class WebResponse:
    url: str
    """The URL that answered (after redirects)."""
    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()
    """Response headers (names in lower case), for callers that need one (Location, Retry-After)."""

    def header(self, name: str) -> str:
        """The first value of a header ('' when absent)."""
        wanted = name.lower()
        return next((value for key, value in self.headers if key == wanted), "")


@dataclass(frozen=True)
class WebRequest:
    """One URL to fetch in a batch, with the media types the caller can use."""

    url: str
    accept: tuple[str, ...] = ()
    """Acceptable media types: `text/html`, `application/*` or `*+xml`; empty accepts anything."""
    headers: tuple[tuple[str, str], ...] = ()
    """Extra request headers (e.g. an API key): sent to the URL's own origin only, never logged."""
    method: str = "GET"
    body: bytes = b""
    """The request body (a form POST); only sent with a method other than GET."""
    max_bytes: int | None = None
    """This request's body cap, when it differs from the client's (a page known to be large)."""
    follow_redirects: bool = True
    """False: a redirect is answered as it is (status, Location), for callers that judge each hop."""

    def accepts(self, content_type: str) -> bool:
        """Whether a response of this Content-Type is usable (a missing type is sniffed later)."""
        media = content_type.split(";", 1)[0].strip().lower()
        if not self.accept or not media:
            return True
        major = media.split("/", 1)[0]
        return any(
            pattern == media
            or (pattern.endswith("/*") and pattern[:-2] == major)
            or (pattern.startswith("*+") and media.endswith(pattern[1:]))
            for pattern in self.accept
        )


@dataclass(frozen=True)
class FetchFailure:
    """A URL that gave no usable response: refused, unreachable, too slow, too large, wrong type."""

    url: str
    reason: str


@runtime_checkable
class BatchWebClient(WebClient, Protocol):
    """A WebClient that fetches many URLs at once (concurrently, for the network client)."""

    def get_many(self, requests: Sequence[WebRequest]) -> list[WebResponse | FetchFailure]:
        """One result per request, in order; a failure never raises."""
        ...


class ArticleSource(Protocol):
    """One place news comes from (a feed, a news search)."""

    def articles(self, topic: Topic, day: dt.date) -> list[Article]: ...


class Summarizer(Protocol):
    """Writes the digest for a day's stories."""

    name: str

    def summarize(self, topic: Topic, day: dt.date, stories: Sequence[Story]) -> Digest: ...


@dataclass(frozen=True)
class PostFiles:
    """The files one post adds to the blog repository."""

    post_path: str
    post_text: str
    image_path: str
    image_png: bytes
    message: str


@dataclass(frozen=True)
class PublishResult:
    commit_sha: str | None
    changed: bool
    location: str


class Publisher(Protocol):
    """Commits a post and its image to the blog, once."""

    def publish(self, files: PostFiles) -> PublishResult: ...

    def describe(self) -> str: ...
