"""Builds the adapters the settings ask for. Heavy or optional SDKs load only when used."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from dailydigest.errors import ConfigError
from dailydigest.models.digest import Digest
from dailydigest.models.topic import TopicsFile, load_topics, parse_topics
from dailydigest.news.outage import FetchTally
from dailydigest.ports import ArticleSource, Bus, Publisher, Store, Summarizer, WebClient
from dailydigest.settings import Settings
from dailydigest.store import keys

PROJECT_ROOT = Path(__file__).resolve().parents[3]


def locate(path: Path, what: str) -> Path:
    """A relative path from the working directory, else from the source checkout."""
    if path.is_absolute() or path.exists():
        return path
    fallback = PROJECT_ROOT / path
    if fallback.exists():
        return fallback
    raise ConfigError(f"{what} not found: {path}")


@dataclass
class Services:
    """The adapters one process uses, created on first use and then reused across invocations."""

    settings: Settings
    overrides: dict[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # A cached_property reads the instance dict first: an override is simply a pre-filled cache.
        unknown = set(self.overrides) - {"store", "bus", "web", "sources", "summarizer", "publisher"}
        if unknown:
            raise ValueError(f"no such service to override: {sorted(unknown)}")
        self.__dict__.update(self.overrides)

    @cached_property
    def topics(self) -> TopicsFile:
        source = str(self.settings.topics_file)
        if source.startswith("ssm:"):
            # In Lambda the topics YAML lives in an SSM parameter (template: TopicsParameterName).
            from dailydigest.secrets import load_text_parameter

            return parse_topics(load_text_parameter(source[4:]), origin=source)
        return load_topics(locate(self.settings.topics_file, "topics file"))

    @cached_property
    def store(self) -> Store:
        if self.settings.uses_s3:
            from dailydigest.store.s3 import S3Store

            return S3Store.from_url(self.settings.store)
        from dailydigest.store.local import DirectoryStore

        root = Path(self.settings.store)
        if root.exists() and not root.is_dir():
            raise ConfigError(f"DIGEST_STORE {root} is a file, not a directory")
        return DirectoryStore(root)

    @cached_property
    def bus(self) -> Bus:
        if self.settings.event_bus:
            from dailydigest.bus.eventbridge import EventBridgeBus

            return EventBridgeBus(self.settings.event_bus)
        from dailydigest.bus.local import LocalBus

        return LocalBus(locate(self.settings.template_file, "template"))

    @cached_property
    def web(self) -> WebClient:
        settings = self.settings
        if settings.web_mirror is not None:
            from dailydigest.web.mirror import MirrorWebClient

            return MirrorWebClient(locate(settings.web_mirror, "web mirror"))
        # The network, behind the SSRF guard: public addresses only, plus DIGEST_ALLOW_HOSTS.
        from dailydigest.web.http import FetchLimits, HttpWebClient

        limits = FetchLimits(
            concurrency=settings.fetch_concurrency,
            per_host=settings.fetch_per_host,
            connect_timeout=settings.fetch_connect_timeout,
            read_timeout=settings.fetch_read_timeout,
            deadline=settings.fetch_deadline,
            max_bytes=settings.max_fetch_bytes,
            max_redirects=settings.fetch_max_redirects,
        )
        return HttpWebClient(settings.allow_hosts, limits)

    @cached_property
    def sources(self) -> list[ArticleSource]:
        """The topic's feeds; on the network also Google News and, with a key, NewsAPI.org.

        With DIGEST_WEB_MIRROR everything stays offline: only the feeds, served from the mirror.
        """
        from dailydigest.sources.feed import FeedSource
        from dailydigest.web.tally import tallied

        settings = self.settings
        # Every source's requests are counted, so the fetch stage can tell an outage from a quiet day.
        web = tallied(self.web, self.fetch_tally)
        feeds = FeedSource(web, max_page_bytes=settings.max_fetch_bytes)
        if settings.web_mirror is not None:
            return [feeds]
        sources: list[ArticleSource] = []
        if settings.google_news_url is not None:
            from dailydigest.sources.google_news import GoogleNewsSource

            sources.append(GoogleNewsSource(web, settings.google_news_url, settings.max_fetch_bytes))
        sources.append(feeds)
        from dailydigest.secrets import resolve_secret

        key = resolve_secret(settings.news_api_key, settings.news_api_key_secret, "news API key")
        if key:
            from dailydigest.sources.news_api import NewsApiSource

            sources.append(NewsApiSource(web, key, settings.news_api_url, settings.max_fetch_bytes))
        return sources

    @cached_property
    def fetch_tally(self) -> FetchTally:
        """What the web answered the sources during the current fetch (reset by each fetch)."""
        return FetchTally()

    @cached_property
    def summarizer(self) -> Summarizer:
        from dailydigest.summarize.extractive import ExtractiveSummarizer

        settings = self.settings
        if settings.uses_llm:
            # The LLM writes the digest; the extractive summarizer stands in when it cannot
            # (DIGEST_LLM_ON_FAILURE=extractive), and the store caches paid-for answers.
            from dailydigest.secrets import resolve_secret
            from dailydigest.summarize.llm.summarizer import LlmSummarizer

            key = resolve_secret(settings.openai_api_key, settings.openai_api_key_secret, "OpenAI API key")
            return LlmSummarizer.from_settings(
                settings, api_key=key, cache=self.store, fallback=ExtractiveSummarizer()
            )
        return ExtractiveSummarizer()

    @cached_property
    def publisher(self) -> Publisher:
        settings = self.settings
        if settings.uses_github and settings.github_repo is not None:
            from dailydigest.publish.github import GitHubPublisher
            from dailydigest.secrets import resolve_secret

            token = resolve_secret(settings.github_token, settings.github_token_secret, "GitHub token")
            if token is None:
                raise ConfigError("DIGEST_GITHUB_REPO is set but no GITHUB_TOKEN (or GITHUB_TOKEN_SECRET) is")
            return GitHubPublisher(
                settings.github_repo,
                token,
                api_url=settings.github_api_url,
                author_name=settings.git_author_name,
                author_email=settings.git_author_email,
            )
        if not settings.publishes_to_site:
            from dailydigest.publish.store_only import StoreOnlyPublisher

            return StoreOnlyPublisher()
        from dailydigest.publish.git import LocalGitPublisher

        author = f"{settings.git_author_name} <{settings.git_author_email}>".encode()
        return LocalGitPublisher(Path(settings.site), author=author)

    def describe(self) -> dict[str, str]:
        """Which adapter serves each port, for the run's report."""
        return {
            "store": self.store.describe(),
            "bus": self.bus.describe(),
            "web": self.web.describe(),
            "summarizer": self.summarizer.name,
            "publisher": self.publisher.describe(),
        }


def archiver(
    store: Store, archive_url: str | None, post_url_template: str | None = None
) -> Callable[[Digest, str, bytes, str], str]:
    """The render stage's archive step: update the store's archive/ and name the post's page.
    Archive pages link to the post on the blog when its address is configured, else to what the
    publisher reports (the committed file)."""

    def update(digest: Digest, post_text: str, image_png: bytes, location: str) -> str:
        from dailydigest.archive import ArchiveEntry, update_archive

        post_url = location
        if post_url_template:
            post_url = keys.blog_post_url(post_url_template, digest.topic, digest.date)
        entry = ArchiveEntry.for_post(digest, post_url)
        update_archive(store, entry, post_text, image_png)
        page = entry.page_key.removeprefix("archive/")
        return f"{archive_url.rstrip('/')}/{page}" if archive_url else entry.page_key

    return update


def render(digest: Digest) -> tuple[str, bytes]:
    """The post's Markdown and its image, ready to publish."""
    from dailydigest.render.image import render_image
    from dailydigest.render.post import render_post

    return render_post(digest), render_image(digest)


_installed: Services | None = None


def services() -> Services:
    """The process's services: those the CLI installed, else built once from the environment."""
    global _installed
    if _installed is None:
        _installed = Services(Settings.from_env(os.environ))
    return _installed


def install(current: Services | None) -> None:
    """Make `current` the process's services (the CLI and tests), or reset with None."""
    global _installed
    _installed = current
