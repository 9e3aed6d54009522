"""The archive's source of truth: `archive/index.json`, one record per (topic, date)."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator

from dailydigest.errors import DigestError, describe_validation_error
from dailydigest.models.digest import Digest
from dailydigest.models.types import Locale, Paragraph, ShortText, Slug
from dailydigest.render.alt_text import image_alt
from dailydigest.render.escape import one_line
from dailydigest.render.locale import strings_for

PREFIX = "archive/"
INDEX_KEY = PREFIX + "index.json"

# Characters XML 1.0 forbids (C0 controls but tab/newline/CR, lone surrogates, U+FFFE/U+FFFF):
# one of them would make the Atom feed unparseable, so they never enter the archive.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_WEB_URL = re.compile(r"^https?://[^\s<>\"'`\\]+$", re.IGNORECASE)


def xml_safe(text: str) -> str:
    return _NOT_XML.sub("", text)


class ArchiveEntry(BaseModel):
    """What the archive needs to know about one published post."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    topic: Slug
    display_name: ShortText
    date: dt.date
    title: ShortText
    tagline: ShortText
    locale: Locale = "zh-TW"
    ai_summary: Paragraph
    source_count: Annotated[int, Field(ge=0, le=500)]
    post_url: Annotated[str, StringConstraints(max_length=2000)] = ""
    image_alt: Annotated[str, StringConstraints(max_length=2000)] = ""

    @classmethod
    def for_post(cls, digest: Digest, post_url: str = "") -> ArchiveEntry:
        """The entry of a digest's post, titled as the post is; post_url is kept only when it is a
        web address (a publisher may report a local file path)."""
        strings = strings_for(digest.locale)
        count = len(digest.sources)
        return cls(
            topic=digest.topic,
            display_name=digest.display_name,
            date=digest.date,
            title=strings.title_for(digest.display_name, digest.date.isoformat()),
            tagline=strings.tagline_for(digest.display_name, count),
            locale=digest.locale,
            ai_summary=digest.ai_summary,
            source_count=count,
            post_url=post_url if post_url.startswith(("https://", "http://")) else "",
            image_alt=image_alt(digest),
        )

    @field_validator("display_name", "title", "tagline", "ai_summary", "image_alt", mode="before")
    @classmethod
    def _one_clean_line(cls, value: Any) -> Any:
        return one_line(xml_safe(value)) if isinstance(value, str) else value

    @field_validator("post_url")
    @classmethod
    def _web_url_only(cls, value: str) -> str:
        # An href must never carry `javascript:` or `data:`: only empty or an http(s) URL.
        if value and not _WEB_URL.match(value):
            raise ValueError("post_url must be an http(s) URL")
        return value

    @property
    def page_key(self) -> str:
        return PREFIX + post_file(self.topic, self.date)

    @property
    def image_key(self) -> str:
        return PREFIX + image_file(self.topic, self.date)


class IndexedPost(ArchiveEntry):
    """An entry as index.json stores it, with its paths relative to `archive/`."""

    path: str
    image: str


class ArchiveIndex(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: int = 1
    posts: tuple[IndexedPost, ...] = ()

    def upsert(self, entry: ArchiveEntry) -> ArchiveIndex:
        """A new index with this entry added or replaced, newest first."""
        record = IndexedPost(
            **entry.model_dump(),
            path=post_file(entry.topic, entry.date),
            image=image_file(entry.topic, entry.date),
        )
        others = [post for post in self.posts if (post.topic, post.date) != (entry.topic, entry.date)]
        return ArchiveIndex(posts=sort_posts([*others, record]))

    def for_topic(self, topic: str) -> list[IndexedPost]:
        return [post for post in self.posts if post.topic == topic]

    def to_bytes(self) -> bytes:
        data = self.model_dump(mode="json")
        return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode()


def sort_posts(posts: list[IndexedPost]) -> tuple[IndexedPost, ...]:
    """Newest first; one day's posts by topic, so the order never depends on arrival."""
    return tuple(sorted(posts, key=lambda post: (-post.date.toordinal(), post.topic)))


def parse_index(raw: bytes | None) -> ArchiveIndex:
    """The index from its stored bytes (None: there is none yet)."""
    if raw is None:
        return ArchiveIndex()
    try:
        return ArchiveIndex.model_validate_json(raw)
    except ValidationError as exc:
        # The index is the archive's memory: refuse to overwrite one we cannot read.
        raise DigestError(
            f"{INDEX_KEY} is not a valid archive index: {describe_validation_error(exc)}"
        ) from None


def post_file(topic: str, day: dt.date) -> str:
    return f"posts/{topic}/{day.isoformat()}.html"


def image_file(topic: str, day: dt.date) -> str:
    return f"img/{topic}/{day.isoformat()}.png"


def topic_dir(topic: str) -> str:
    return f"topics/{topic}/"
