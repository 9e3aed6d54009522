"""The render stage as RenderFunction runs it in the cloud: an S3 store (moto), the GitHub publisher
against the fake GitHub on loopback, and the archive under `archive/` in the bucket.

PostPublished must name the commit and the URLs; a redelivery must change nothing; a GitHub failure
must leave no archive page and announce nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import boto3
import httpx
import pytest
from moto import mock_aws

from dailydigest.errors import PublishError
from dailydigest.models.events import DigestWritten, PostPublished
from dailydigest.publish.github import GitHubPublisher
from dailydigest.settings import ArchiveSettings
from dailydigest.stages.render import render_stage
from dailydigest.store import keys
from dailydigest.store.s3 import S3Store
from dailydigest.wiring import archiver, render_files
from tests.factories import SAMPLE_DATE, make_digest
from tests.fakes import RecordingBus
from tests.support.fake_github import FakeGitHub

pytestmark = pytest.mark.integration

TOKEN = "ghp_renderSTAGEtoken0123456789"  # noqa: S105 - a fake credential for the fake server
ARCHIVE_URL = "https://d111111abcdef8.cloudfront.net"
BUCKET = "digest-bucket"
RUN = "20260312T000000Z-render01"
DAY = SAMPLE_DATE.isoformat()
ARCHIVE_KEYS = {
    f"archive/posts/qwen/{DAY}.html": "text/html; charset=utf-8",
    f"archive/img/qwen/{DAY}.png": "image/png",
    "archive/topics/qwen/index.html": "text/html; charset=utf-8",
    "archive/topics/qwen/feed.xml": "application/atom+xml; charset=utf-8",
    "archive/index.html": "text/html; charset=utf-8",
    "archive/feed.xml": "application/atom+xml; charset=utf-8",
    "archive/index.json": "application/json; charset=utf-8",
}


@dataclass
class CountingStore:
    """The S3 store, recording which keys were written."""

    inner: S3Store
    puts: list[str] = field(default_factory=list)

    def get(self, key: str) -> bytes:
        return self.inner.get(key)

    def put(self, key: str, data: bytes, content_type: str) -> None:
        self.puts.append(key)
        self.inner.put(key, data, content_type)

    def create(self, key: str, data: bytes, content_type: str) -> bool:
        created = self.inner.create(key, data, content_type)
        if created:
            self.puts.append(key)
        return created

    def get_versioned(self, key: str) -> tuple[bytes, str] | None:
        return self.inner.get_versioned(key)

    def put_if(self, key: str, data: bytes, content_type: str, version: str | None) -> bool:
        written = self.inner.put_if(key, data, content_type, version)
        if written:
            self.puts.append(key)
        return written

    def exists(self, key: str) -> bool:
        return self.inner.exists(key)

    def list(self, prefix: str) -> list[str]:
        return self.inner.list(prefix)

    def describe(self) -> str:
        return self.inner.describe()


@dataclass
class Stack:
    store: CountingStore
    github: FakeGitHub
    publisher: GitHubPublisher
    bus: RecordingBus
    written: DigestWritten

    def render(self) -> PostPublished:
        archive = archiver(self.store, ArchiveSettings(archive_url=ARCHIVE_URL))
        return render_stage(self.written, self.store, render_files, self.publisher, self.bus, archive)


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    with mock_aws(), FakeGitHub(tmp_path / "remote.git", token=TOKEN) as github:
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        store = CountingStore(S3Store(BUCKET, "", client))
        digest = make_digest()
        store.put(keys.digest_key("qwen", SAMPLE_DATE), digest.model_dump_json().encode(), "application/json")
        store.puts.clear()
        written = DigestWritten(
            run_id=RUN,
            topic="qwen",
            date=SAMPLE_DATE,
            digest_key=keys.digest_key("qwen", SAMPLE_DATE),
            generator="llm",
        )
        with httpx.Client() as http:
            publisher = GitHubPublisher(
                "octo/blog", TOKEN, api_url=github.api_url, client=http, sleep=lambda _: None
            )
            yield Stack(store, github, publisher, RecordingBus(), written)


def test_post_published_carries_the_commit_and_the_urls(stack: Stack) -> None:
    # When the stage renders and publishes the day's digest
    event = stack.render()
    # Then the event names the commit that holds the post and the image ...
    head = stack.github.head()
    assert event.commit_sha == head and event.changed is True
    assert (event.run_id, event.topic, event.date) == (RUN, "qwen", dt.date(2026, 3, 12))
    files = stack.github.files(head or "")
    assert files[keys.post_path("qwen", SAMPLE_DATE)] == stack.store.get(event.post_key)
    assert files[keys.image_path("qwen", SAMPLE_DATE)] == stack.store.get(event.image_key)
    # ... the post's page on GitHub and its page in the archive
    assert event.location == f"{stack.github.web_url}/octo/blog/blob/main/_posts/{DAY}-qwen-daily-{DAY}.md"
    assert event.archive_url == f"{ARCHIVE_URL}/posts/qwen/{DAY}.html"
    assert (event.post_path, event.image_path) == (
        f"_posts/{DAY}-qwen-daily-{DAY}.md",
        f"assets/img/posts/{DAY}-qwen-infographic.png",
    )
    # And exactly that event went to the bus, and survives the trip as EventBridge detail JSON
    assert stack.bus.events == [event]
    assert PostPublished.model_validate_json(event.model_dump_json()) == event


def test_the_archive_lands_in_the_bucket_with_types_a_browser_needs(stack: Stack) -> None:
    event = stack.render()
    s3 = stack.store.inner
    assert set(s3.list("archive/")) == set(ARCHIVE_KEYS)
    for key, content_type in ARCHIVE_KEYS.items():
        head = s3.client.head_object(Bucket=BUCKET, Key=key)
        assert head["ContentType"] == content_type, key
    page = s3.get(f"archive/posts/qwen/{DAY}.html").decode()
    assert f'<a href="{event.location}" rel="noopener noreferrer">' in page
    assert f'src="../../img/qwen/{DAY}.png"' in page


def test_a_redelivery_commits_nothing_and_rewrites_nothing(stack: Stack) -> None:
    # Given the digest was rendered and published once
    first = stack.render()
    commits, calls = len(stack.github.history()), len(stack.github.calls)
    stack.store.puts.clear()
    # When EventBridge delivers the same DigestWritten again
    again = stack.render()
    # Then the same commit is reported, unchanged, and nothing was written anywhere
    assert (again.commit_sha, again.changed) == (first.commit_sha, False)
    assert (again.location, again.archive_url) == (first.location, first.archive_url)
    assert len(stack.github.history()) == commits
    assert {call.method for call in stack.github.calls[calls:]} == {"GET"}
    assert stack.store.puts == []
    assert stack.bus.events == [first, again]


def test_a_github_failure_leaves_no_archive_page_and_announces_nothing(stack: Stack) -> None:
    # Given a token that may read the repository but not write to it
    before = stack.github.head()
    stack.github.fail("POST git/blobs", 403, message="Resource not accessible by personal access token")
    # When the stage runs, Then it fails with one clear line
    with pytest.raises(PublishError, match=r"^github octo/blog: POST /git/blobs refused \(403") as caught:
        stack.render()
    assert "\n" not in str(caught.value)
    # And the blog, the archive and the bus are as they were
    assert stack.github.head() == before
    assert stack.store.list("archive/") == []
    assert stack.bus.events == []


def test_a_configured_post_path_is_used_and_a_rerun_finds_its_post(stack: Stack) -> None:
    # Given DIGEST_POST_PATH names a blog's own layout for posts
    template = "blog/_posts/{date}-{topic}-news-{date}.md"
    archive = archiver(stack.store, ArchiveSettings(archive_url=ARCHIVE_URL))

    def run() -> PostPublished:
        return render_stage(
            stack.written, stack.store, render_files, stack.publisher, stack.bus, archive, post_path=template
        )

    # When the day is rendered, then rendered again
    first, again = run(), run()
    # Then the post went to that path, and the rerun found it there: no second commit
    assert first.post_path == f"blog/_posts/{DAY}-qwen-news-{DAY}.md"
    assert first.post_path in stack.github.files(first.commit_sha or "")
    assert (again.post_path, again.commit_sha, again.changed) == (first.post_path, first.commit_sha, False)
    commits = len(stack.github.history())
    assert run().commit_sha == first.commit_sha and len(stack.github.history()) == commits


def test_a_rerun_after_the_post_path_changed_finds_the_days_post(stack: Stack) -> None:
    # Given the day was published under the default post path
    first = stack.render()
    commits = len(stack.github.history())
    # When it is rendered again after DIGEST_POST_PATH changed
    archive = archiver(stack.store, ArchiveSettings(archive_url=ARCHIVE_URL))
    again = render_stage(
        stack.written,
        stack.store,
        render_files,
        stack.publisher,
        stack.bus,
        archive,
        post_path="blog/_posts/{date}-{topic}.md",
    )
    # Then the day's post is found where it is: no second post under the new name, no commit
    assert (again.post_path, again.changed) == (first.post_path, False)
    assert len(stack.github.history()) == commits
