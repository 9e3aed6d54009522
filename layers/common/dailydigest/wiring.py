"""Builds the adapters the settings ask for. Heavy or optional SDKs load only when used."""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import cached_property, lru_cache
from pathlib import Path

from dailydigest.errors import ConfigError
from dailydigest.models.digest import Digest
from dailydigest.models.topic import TopicsFile
from dailydigest.news.outage import FetchTally
from dailydigest.ports import ArticleSource, Bus, Publisher, Store, Summarizer, WebClient
from dailydigest.settings import ArchiveSettings, Settings
from dailydigest.store import keys
from dailydigest.topics import load_topics, parse_topics

PROJECT_ROOT = Path(__file__).resolve().parents[3]
TOPICS_CACHE_SECONDS = 60


def locate(path: Path, what: str) -> Path:
    """A relative path from the working directory, else from the source checkout."""
    if path.is_absolute() or path.exists():
        return path
    fallback = PROJECT_ROOT / path
    if fallback.exists():
        return fallback
    raise ConfigError(f"{what} not found: {path}")


class Services:
    """The adapters one process uses, built from the settings on first use and then reused across
    invocations. A caller (the CLI's local bus, a test) passes any port it has already built."""

    def __init__(
        self,
        settings: Settings,
        *,
        store: Store | None = None,
        bus: Bus | None = None,
        web: WebClient | None = None,
        sources: list[ArticleSource] | None = None,
        summarizer: Summarizer | None = None,
        publisher: Publisher | None = None,
    ) -> None:
        self.settings = settings
        self._store, self._bus, self._web = store, bus, web
        self._sources, self._summarizer, self._publisher = sources, summarizer, publisher

    @property
    def topics(self) -> TopicsFile:
        parameter = self.settings.topics_parameter
        if parameter is not None:
            # In Lambda the topics YAML lives in an SSM parameter (template: TopicsParameterName) that
            # changes without a redeploy: re-read it through the parameter cache, so a warm container
            # knows a topic added a minute ago (its schedule exists as soon as the sync has run).
            from dailydigest.secrets import load_text_parameter

            text = load_text_parameter(parameter, max_age=TOPICS_CACHE_SECONDS)
            return _parsed_topics(text, str(self.settings.topics_file))
        return self._topics_file

    @cached_property
    def _topics_file(self) -> TopicsFile:
        return load_topics(locate(self.settings.topics_file, "topics file"))

    @cached_property
    def store(self) -> Store:
        if self._store is not None:
            return self._store
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
        if self._bus is not None:
            return self._bus
        if self.settings.event_bus:
            from dailydigest.bus.eventbridge import EventBridgeBus

            return EventBridgeBus(self.settings.event_bus)
        from dailydigest.bus.local import LocalBus

        return LocalBus(locate(self.settings.template_file, "template"))

    @cached_property
    def web(self) -> WebClient:
        if self._web is not None:
            return self._web
        fetch = self.settings.fetch
        if fetch.web_mirror is not None:
            from dailydigest.web.mirror import MirrorWebClient

            return MirrorWebClient(locate(fetch.web_mirror, "web mirror"))
        # The network, behind the SSRF guard: public addresses only, plus DIGEST_ALLOW_HOSTS.
        from dailydigest.web.http import HttpWebClient

        return HttpWebClient(fetch.allow_hosts, fetch)

    @property
    def sources(self) -> list[ArticleSource]:
        """A run's sources: the topic's feeds; on the network also Google News and, with a key,
        NewsAPI.org. Built afresh for each run over one run-scoped page cache, so a page that
        several sources find is downloaded once per run.

        With DIGEST_WEB_MIRROR everything stays offline: only the feeds, served from the mirror.
        """
        if self._sources is not None:
            return self._sources
        from dailydigest.sources.feed import FeedSource
        from dailydigest.web.cache import PageCache
        from dailydigest.web.tally import tallied

        fetch = self.settings.fetch
        # Every download is counted, so the fetch stage can tell an outage from a quiet day.
        web = PageCache(tallied(self.web, self.fetch_tally))
        feeds = FeedSource(web, max_page_bytes=fetch.max_bytes)
        if fetch.web_mirror is not None:
            return [feeds]
        sources: list[ArticleSource] = []
        if fetch.google_news_url is not None:
            from dailydigest.sources.google_news import GoogleNewsSource

            sources.append(GoogleNewsSource(web, fetch.google_news_url, fetch.max_bytes, store=self.store))
        sources.append(feeds)
        if self._news_api_key:
            from dailydigest.sources.news_api import NewsApiSource

            sources.append(NewsApiSource(web, self._news_api_key, fetch.news_api_url, fetch.max_bytes))
        return sources

    @cached_property
    def fetch_tally(self) -> FetchTally:
        """What the web answered the sources during the current fetch (reset by each fetch)."""
        return FetchTally()

    @cached_property
    def _news_api_key(self) -> str | None:
        from dailydigest.secrets import resolve_secret

        fetch = self.settings.fetch
        return resolve_secret(fetch.news_api_key, fetch.news_api_key_secret, "news API key")

    @cached_property
    def summarizer(self) -> Summarizer:
        if self._summarizer is not None:
            return self._summarizer
        from dailydigest.summarize.extractive import ExtractiveSummarizer

        llm = self.settings.llm
        if not llm.enabled:
            return ExtractiveSummarizer()
        # The LLM writes the digest; the extractive summarizer stands in when it cannot
        # (DIGEST_LLM_ON_FAILURE=extractive), and the store caches paid-for answers.
        from dailydigest.secrets import resolve_secret
        from dailydigest.summarize.llm.summarizer import LlmSummarizer

        key = resolve_secret(llm.api_key, llm.api_key_secret, "OpenAI API key")
        return LlmSummarizer.from_settings(
            llm, api_key=key, cache=self.store, fallback=ExtractiveSummarizer()
        )

    @cached_property
    def publisher(self) -> Publisher:
        if self._publisher is not None:
            return self._publisher
        publish = self.settings.publish
        if publish.github_repo is not None:
            from dailydigest.publish.github import GitHubPublisher
            from dailydigest.secrets import resolve_secret

            token = resolve_secret(publish.github_token, publish.github_token_secret, "GitHub token")
            if token is None:
                raise ConfigError("DIGEST_GITHUB_REPO is set but no GITHUB_TOKEN (or GITHUB_TOKEN_SECRET) is")
            return GitHubPublisher(
                publish.github_repo,
                token,
                api_url=publish.github_api_url,
                author_name=publish.author_name,
                author_email=publish.author_email,
            )
        if not publish.to_site:
            from dailydigest.publish.store_only import StoreOnlyPublisher

            return StoreOnlyPublisher()
        from dailydigest.publish.git import LocalGitPublisher

        return LocalGitPublisher(Path(publish.site), author=publish.author.encode())

    def describe(self) -> dict[str, str]:
        """Which adapter serves each port, for the run's report."""
        return {
            "store": self.store.describe(),
            "bus": self.bus.describe(),
            "web": self.web.describe(),
            # The LLM names its model(s) and endpoint host; the extractive summarizer has only a name.
            "summarizer": getattr(self.summarizer, "describe", lambda: self.summarizer.name)(),
            "publisher": self.publisher.describe(),
        }


def archiver(store: Store, settings: ArchiveSettings) -> Callable[[Digest, str, bytes, str], str]:
    """The render stage's archive step: update the store's archive/ and name the post's page.
    Archive pages link to the post on the blog when its address is configured, else to what the
    publisher reports (the committed file)."""

    def update(digest: Digest, post_text: str, image_png: bytes, location: str) -> str:
        from dailydigest.archive import ArchiveEntry, update_archive

        post_url = location
        if settings.blog_post_url:
            post_url = keys.blog_post_url(settings.blog_post_url, digest.topic, digest.date)
        entry = ArchiveEntry.for_post(digest, post_url)
        update_archive(store, entry, post_text, image_png)
        page = entry.page_key.removeprefix("archive/")
        return f"{settings.archive_url.rstrip('/')}/{page}" if settings.archive_url else entry.page_key

    return update


def render_files(digest: Digest) -> tuple[str, bytes]:
    """The post's Markdown and its image, ready to publish."""
    from dailydigest.render.image import render_image
    from dailydigest.render.post import render_post

    return render_post(digest), render_image(digest)


@lru_cache(maxsize=4)
def _parsed_topics(text: str, origin: str) -> TopicsFile:
    """Parsed once per parameter value (a failure is not cached: it raises again next time)."""
    return parse_topics(text, origin=origin)


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
