"""Rendered posts, published to the local site, build with Jekyll's strict front matter check."""

from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from dailydigest.models.digest import Digest
from dailydigest.ports import PostFiles
from dailydigest.publish.git import LocalGitPublisher
from dailydigest.render.alt_text import image_alt
from dailydigest.render.image import render_image
from dailydigest.render.post import render_post
from dailydigest.store.keys import image_path, post_path
from tests.factories import make_digest

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("jekyll") is None, reason="jekyll is not on PATH"),
]


def _publish(publisher: LocalGitPublisher, digest: Digest) -> None:
    publisher.publish(
        PostFiles(
            post_path=post_path(digest.topic, digest.date),
            post_text=render_post(digest),
            image_path=image_path(digest.topic, digest.date),
            image_png=render_image(digest),
            message=f"{digest.topic} {digest.date}",
        )
    )


def _build(site: Path, destination: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            "jekyll",
            "build",
            "--strict-front-matter",
            "--source",
            str(site),
            "--destination",
            str(destination),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _html(destination: Path) -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in sorted(destination.rglob("*.html")))


def _images(page: Path) -> list[dict[str, str]]:
    """The attributes of every <img> in a built page, entities decoded."""

    class Collect(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.found: list[dict[str, str]] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "img":
                self.found.append({name: value or "" for name, value in attrs})

    collector = Collect()
    collector.feed(page.read_text(encoding="utf-8"))
    return collector.found


def test_zh_tw_and_en_posts_build(tmp_path: Path) -> None:
    # Given a zh-TW and an en post (with hostile text) published into a fresh local site
    site = tmp_path / "site"
    publisher = LocalGitPublisher(site)
    _publish(publisher, make_digest())
    english = make_digest(
        topic="llama",
        display_name="LLAMA",
        locale="en",
        trend_overview="Open weights <script>alert(1)</script> and {{ site.title }} stay text.",
        highlights=[
            {"headline": 'A "quoted" [link](javascript:alert(1)) that is not one', "body": "# Not a heading."}
        ],
        tags=["Open weights"],
    )
    _publish(publisher, english)
    # When Jekyll builds it with strict front matter
    result = _build(site, tmp_path / "_site")
    # Then it succeeds and the pages carry the titles, images and footers
    assert result.returncode == 0, result.stdout + result.stderr
    html = _html(tmp_path / "_site")
    assert "QWEN 每日動態 - 2026-03-12" in html
    assert "LLAMA Daily - 2026-03-12" in html
    assert "本文由 AI 自動生成，彙整自 4 篇新聞來源。" in html
    assert (tmp_path / "_site/assets/img/posts/2026-03-12-llama-infographic.png").is_file()
    # And each post page shows its infographic with the alt text from `image: {path, alt}`
    for digest, page in (
        (make_digest(), tmp_path / "_site/2026/03/12/qwen-daily/index.html"),
        (english, tmp_path / "_site/2026/03/12/llama-daily/index.html"),
    ):
        [image] = _images(page)
        assert image["src"] == f"/assets/img/posts/2026-03-12-{digest.topic}-infographic.png"
        assert image["alt"] == image_alt(digest)
    assert "=&gt;" not in html and '"path"=>' not in html  # the mapping itself never reaches the page
    # And the hostile text is inert
    assert "<script>alert" not in html
    assert 'href="javascript:' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "{{ site.title }}" in html


def test_broken_front_matter_fails_the_build(tmp_path: Path) -> None:
    # Given a site holding a post whose front matter is not valid YAML
    site = tmp_path / "site"
    LocalGitPublisher(site).ensure_site()
    broken = site / "_posts" / "2026-03-12-broken-daily.md"
    broken.parent.mkdir(parents=True, exist_ok=True)
    broken.write_text('---\nlayout: post\ntitle: "unterminated\n---\nbody\n', encoding="utf-8")
    # When Jekyll builds it strictly, Then the build fails (so the test above can fail too)
    result = _build(site, tmp_path / "_site")
    assert result.returncode != 0
    assert "YAML" in result.stdout + result.stderr
