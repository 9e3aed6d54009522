"""The path rules every publisher applies before writing a file into a git repository."""

from __future__ import annotations

from dailydigest.errors import PublishError
from dailydigest.ports import PostFiles


def checked_path(path: str) -> str:
    """A repository-relative POSIX path: no absolute path, no `..`, nothing inside .git.

    Shared by the local and the GitHub publisher, so a post path one accepts the other accepts too.
    """
    parts = path.split("/")
    if (
        not path
        or "\\" in path
        or "\x00" in path
        or path.startswith("/")
        or any(part in ("", ".", "..") for part in parts)
        # Case-insensitive: on macOS and Windows checkouts `.GIT` is the same directory.
        or parts[0].lower() == ".git"
    ):
        raise PublishError(f"refusing path outside the repository: {path!r}")
    return path


def checked_paths(files: PostFiles) -> tuple[str, str]:
    """The post's and the image's paths, each checked, and never one path for both."""
    post_path, image_path = checked_path(files.post_path), checked_path(files.image_path)
    if post_path == image_path:
        raise PublishError(f"post and image share one path: {post_path}")
    return post_path, image_path
