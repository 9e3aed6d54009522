"""Builds the adapters the settings ask for. Heavy or optional SDKs load only when used."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from dailydigest.errors import ConfigError
from dailydigest.models.digest import Digest
from dailydigest.models.topic import TopicsFile, load_topics
from dailydigest.ports import ArticleSource, Bus, Publisher, Store, Summarizer, WebClient
from dailydigest.settings import Settings

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

    @cached_property
    def topics(self) -> TopicsFile:
        return load_topics(locate(self.settings.topics_file, "topics file"))

    @cached_property
    def store(self) -> Store:
        if "store" in self.overrides:
            return self.overrides["store"]  # type: ignore[return-value]
        if self.settings.uses_s3:
            from dailydigest.adapters.store_s3 import S3Store

            return S3Store.from_url(self.settings.store)
        from dailydigest.adapters.store_local import DirectoryStore

        return DirectoryStore(Path(self.settings.store))

    @cached_property
    def bus(self) -> Bus:
        if "bus" in self.overrides:
            return self.overrides["bus"]  # type: ignore[return-value]
        if self.settings.event_bus:
            from dailydigest.adapters.bus_eventbridge import EventBridgeBus

            return EventBridgeBus(self.settings.event_bus)
        from dailydigest.adapters.bus_local import LocalBus

        return LocalBus(locate(self.settings.template_file, "template"))

    @cached_property
    def web(self) -> WebClient:
        if self.settings.web_mirror is not None:
            from dailydigest.adapters.web_mirror import MirrorWebClient

            return MirrorWebClient(locate(self.settings.web_mirror, "web mirror"))
        raise ConfigError("no web client configured: set DIGEST_WEB_MIRROR to an offline mirror directory")

    @cached_property
    def sources(self) -> list[ArticleSource]:
        from dailydigest.adapters.feed_source import FeedSource

        return [FeedSource(self.web, max_page_bytes=self.settings.max_fetch_bytes)]

    @cached_property
    def summarizer(self) -> Summarizer:
        if self.settings.uses_llm:
            raise ConfigError("the LLM summarizer is not available yet; unset OPENAI_BASE_URL/OPENAI_API_KEY")
        from dailydigest.adapters.summarizer_extractive import ExtractiveSummarizer

        return ExtractiveSummarizer()

    @cached_property
    def publisher(self) -> Publisher:
        if "publisher" in self.overrides:
            return self.overrides["publisher"]  # type: ignore[return-value]
        if self.settings.uses_github:
            raise ConfigError("the GitHub publisher is not available yet; unset DIGEST_GITHUB_REPO")
        from dailydigest.adapters.publisher_git import LocalGitPublisher

        return LocalGitPublisher(Path(self.settings.site))

    def describe(self) -> dict[str, str]:
        """Which adapter serves each port, for the run's report."""
        return {
            "store": self.store.describe(),
            "bus": self.bus.describe(),
            "summarizer": self.summarizer.name,
            "publisher": self.publisher.describe(),
        }


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
