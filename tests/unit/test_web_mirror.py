"""The offline web mirror: URL to file mapping, 404s, and the URLs it refuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from dailydigest.errors import RefusedURLError
from dailydigest.web.mirror import MirrorWebClient


@pytest.fixture
def mirror(tmp_path: Path) -> MirrorWebClient:
    root = tmp_path / "web"
    pages = {
        "news.example/a/b.html": "<html><body><p>b</p></body></html>",
        "news.example/dir/index.html": "<html><body><p>dir</p></body></html>",
        "news.example/index.html": "<html><body><p>home</p></body></html>",
        "news.example/feed.xml": "<?xml version='1.0'?><rss version='2.0'><channel/></rss>",
        "news.example/新聞.html": "<html><body><p>新聞</p></body></html>",
    }
    for relative, text in pages.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (tmp_path / "secret.txt").write_text("outside the mirror", encoding="utf-8")
    return MirrorWebClient(root)


@pytest.mark.parametrize(
    ("url", "relative"),
    [
        ("https://news.example/a/b.html", "news.example/a/b.html"),
        ("http://news.example/a/b.html", "news.example/a/b.html"),
        ("https://news.example/dir/", "news.example/dir/index.html"),
        ("https://news.example", "news.example/index.html"),
        ("https://News.Example/a/b.html", "news.example/a/b.html"),
        ("https://news.example/a/b.html?utm_source=rss&utm_medium=feed", "news.example/a/b.html"),
        ("https://news.example/a/b.html#comments", "news.example/a/b.html"),
        ("https://news.example:8443/a/b.html", "news.example/a/b.html"),
        ("https://news.example/%E6%96%B0%E8%81%9E.html", "news.example/新聞.html"),
    ],
)
def test_url_maps_to_a_file_under_the_root(mirror: MirrorWebClient, url: str, relative: str) -> None:
    assert mirror.path_for(url) == mirror.root / relative


def test_get_serves_the_file_with_a_content_type_from_its_extension(mirror: MirrorWebClient) -> None:
    page = mirror.get("https://news.example/a/b.html?utm_source=x")
    feed = mirror.get("https://news.example/feed.xml")

    assert (page.status, page.content_type, page.body) == (
        200,
        "text/html",
        b"<html><body><p>b</p></body></html>",
    )
    assert page.url == "https://news.example/a/b.html?utm_source=x"
    assert (feed.status, feed.content_type) == (200, "application/xml")


def test_a_directory_without_trailing_slash_serves_its_index(mirror: MirrorWebClient) -> None:
    assert mirror.get("https://news.example/dir").body == b"<html><body><p>dir</p></body></html>"


@pytest.mark.parametrize(
    "url",
    ["https://news.example/missing.html", "https://other.example/", "https://news.example/a/"],
)
def test_missing_pages_are_404(mirror: MirrorWebClient, url: str) -> None:
    assert mirror.get(url).status == 404


@pytest.mark.parametrize(
    "url",
    [
        "https://news.example/../secret.txt",
        "https://news.example/a/%2e%2e/%2e%2e/%2e%2e/secret.txt",
        "https://news.example/..%2f..%2fsecret.txt",
        "https://news.example/..%5c..%5csecret.txt",
        "https://news.example/a%00.html",
        "https://../secret.txt",
        "https://news.example/../other.example/index.html",
    ],
)
def test_paths_escaping_the_mirror_are_refused(mirror: MirrorWebClient, url: str) -> None:
    with pytest.raises(RefusedURLError):
        mirror.get(url)


def test_a_symlink_pointing_outside_the_mirror_is_refused(mirror: MirrorWebClient, tmp_path: Path) -> None:
    # Given a link inside the mirror to a file outside it
    (mirror.root / "news.example" / "leak.html").symlink_to(tmp_path / "secret.txt")
    # Then following it is refused rather than served
    with pytest.raises(RefusedURLError):
        mirror.get("https://news.example/leak.html")


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://news.example/a/b.html",
        "javascript:alert(1)",
        "news.example/a/b.html",
        "//news.example/a/b.html",
        "",
    ],
)
def test_only_http_and_https_urls_are_served(mirror: MirrorWebClient, url: str) -> None:
    with pytest.raises(RefusedURLError):
        mirror.get(url)


def test_describe_names_the_root(mirror: MirrorWebClient) -> None:
    assert str(mirror.root) in mirror.describe()
