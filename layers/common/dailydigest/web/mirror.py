"""An offline web: URLs answered from a directory tree, for the demo and the tests.

`https://host/a/b.html` is the file `<root>/host/a/b.html`; a path ending with `/` is its
`index.html`. Query strings and fragments are ignored, so tracking variants hit the same page.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from dailydigest.errors import RefusedURLError
from dailydigest.ports import FetchFailure, WebRequest, WebResponse

_CONTENT_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".xml": "application/xml",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".json": "application/json",
    ".txt": "text/plain",
}


class MirrorWebClient:
    """WebClient that reads pages from `root/<host>/<path>` and never touches the network."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def get(self, url: str) -> WebResponse:
        path = self.path_for(url)
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            return WebResponse(url=url, status=404, content_type="text/plain", body=b"not found")
        return WebResponse(url=url, status=200, content_type=content_type_for(path), body=path.read_bytes())

    def get_many(self, requests: Sequence[WebRequest]) -> list[WebResponse | FetchFailure]:
        """Each request in turn (reading local files needs no concurrency); refusals become failures."""
        results: list[WebResponse | FetchFailure] = []
        for request in requests:
            if request.method.upper() != "GET":
                results.append(FetchFailure(request.url, "refused: the mirror answers GET requests only"))
                continue
            try:
                response = self.get(request.url)
            except RefusedURLError as exc:
                results.append(FetchFailure(request.url, f"refused: {exc}"))
                continue
            if response.status == 200 and not request.accepts(response.content_type):
                results.append(FetchFailure(request.url, f"unexpected content type {response.content_type}"))
            else:
                results.append(response)
        return results

    def path_for(self, url: str) -> Path:
        """The mirror file that answers url; RefusedURLError for anything outside the mirror."""
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https"):
            raise RefusedURLError(f"only http and https URLs are mirrored, not {url!r}")
        host = (parts.hostname or "").lower()
        if not host or host.startswith(".") or "/" in host or "\\" in host:
            raise RefusedURLError(f"URL has no usable host: {url!r}")
        path = unquote(parts.path) or "/"
        if "\x00" in path or "\\" in path:
            raise RefusedURLError(f"URL path is not allowed: {url!r}")
        relative = PurePosixPath(path.lstrip("/"))
        if path.endswith("/"):
            relative = relative / "index.html"
        # Resolve (following symlinks) and insist on staying inside the root: no `..`, no escapes.
        candidate = (self.root / host / relative).resolve()
        if not candidate.is_relative_to(self.root / host):
            raise RefusedURLError(f"URL escapes the mirror: {url!r}")
        return candidate

    def describe(self) -> str:
        return f"offline web mirror at {self.root}"


def content_type_for(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in _CONTENT_TYPES:
        return _CONTENT_TYPES[suffix]
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"
