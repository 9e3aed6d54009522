"""`dailydigest serve`: the archive preview serves archive/ only, read-only, on loopback."""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from pathlib import Path

import pytest

from dailydigest.archive.serve import build_server
from dailydigest.errors import ConfigError
from tests.support.serving import serving

SECRET = b"outside the archive"


@pytest.fixture
def store_root(tmp_path: Path) -> Path:
    archive = tmp_path / "archive"
    (archive / "posts" / "qwen").mkdir(parents=True)
    (archive / "index.html").write_text("<!DOCTYPE html><title>archive</title>", encoding="utf-8")
    (archive / "feed.xml").write_text("<feed/>", encoding="utf-8")
    (archive / "posts" / "qwen" / "2026-03-12.html").write_text("post", encoding="utf-8")
    (tmp_path / "secret.txt").write_bytes(SECRET)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "digest.json").write_bytes(SECRET)
    (archive / "escape").symlink_to(tmp_path / "secret.txt")
    return tmp_path


@pytest.fixture
def port(store_root: Path) -> Iterator[int]:
    with serving(build_server(store_root, "127.0.0.1", 0), "archive") as server:
        yield int(server.server_address[1])


def fetch(port: int, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    # http.client sends the path exactly as given, so `..` reaches the server unnormalised.
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request(method, path)
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def test_serves_the_archive_front_page(port: int) -> None:
    status, headers, body = fetch(port, "/")
    assert status == 200
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert headers["x-content-type-options"] == "nosniff"
    assert b"<title>archive</title>" in body


def test_serves_posts_and_feeds_with_their_types(port: int) -> None:
    status, _, body = fetch(port, "/posts/qwen/2026-03-12.html")
    assert (status, body) == (200, b"post")
    status, headers, _ = fetch(port, "/feed.xml")
    assert status == 200 and headers["content-type"].startswith("application/atom+xml")


def test_missing_file_is_404(port: int) -> None:
    assert fetch(port, "/posts/qwen/1999-01-01.html")[0] == 404


def test_no_directory_listing(port: int) -> None:
    assert fetch(port, "/posts/qwen/")[0] == 404


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/posts/../../secret.txt",
        "/posts/qwen/..%2f..%2f..%2fsecret.txt",
        "//../secret.txt",
        "/..\\secret.txt",
        "/../data/digest.json",
        "/escape",  # a symlink inside archive/ that leads out of it
    ],
)
def test_refuses_anything_outside_the_archive(port: int, path: str) -> None:
    status, _, body = fetch(port, path)
    assert status == 404
    assert SECRET not in body


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_read_only(port: int, method: str) -> None:
    assert fetch(port, "/index.html", method)[0] == 501


def test_head_works(port: int) -> None:
    status, headers, body = fetch(port, "/index.html", "HEAD")
    assert status == 200 and body == b"" and int(headers["content-length"]) > 0


def test_binds_to_loopback_by_default(store_root: Path) -> None:
    server = build_server(store_root, port=0)
    try:
        assert server.server_address[0] == "127.0.0.1"
    finally:
        server.server_close()


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.10", "10.0.0.1", "example.com"])  # noqa: S104
def test_refuses_non_loopback_hosts_before_binding(store_root: Path, host: str) -> None:
    with pytest.raises(ConfigError, match="loopback"):
        build_server(store_root, host, 0)


def test_no_archive_yet_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no archive"):
        build_server(tmp_path, "127.0.0.1", 0)
