"""A publisher for deployments without a blog repository: the post stays in the store."""

from __future__ import annotations

from dailydigest.ports import PostFiles, PublishResult


class StoreOnlyPublisher:
    """Publishes nothing; the render stage has already stored the post and image."""

    def publish(self, files: PostFiles) -> PublishResult:
        return PublishResult(commit_sha=None, changed=False, location="")

    def describe(self) -> str:
        return "none (posts kept in the store)"
