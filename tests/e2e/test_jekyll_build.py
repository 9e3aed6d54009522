"""Rendered posts, published to the local site, build with Jekyll's strict front matter check."""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re
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
            post_path=post_path(digest.topic, digest.date),  # the default DIGEST_POST_PATH
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
        (make_digest(), tmp_path / "_site/2026/03/12/qwen-daily-2026-03-12/index.html"),
        (english, tmp_path / "_site/2026/03/12/llama-daily-2026-03-12/index.html"),
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


# What the web can put in a source's link or title, a highlight or a tag (a URL's query may carry
# `{`, `}`, `%` and `|` legally). Each would break the build or leak the site's configuration if
# Liquid evaluated it.
HOSTILE_URLS = [
    "https://x.example/?q={%evil%}",
    "https://x.example/search?q={{site|jsonify}}",
    "https://x.example/{{site.leak_marker}}/page",
    "https://x.example/?a=100%&b={%-raw-%}",
]
HOSTILE_TEXT = [
    "{{site|jsonify}}",
    "{% raise %} {{ site.leak_marker }}",
    "{%- include ../../_config.yml -%}",
    "{{ site.leak_marker | upcase }} a|b",  # (kramdown turns quotes typographic, so none here)
]
LEAK_MARKER = "SITE-CONFIG-LEAK-7f3a"


def _hostile_digest() -> Digest:
    base = make_digest()
    sources = [
        {**source.model_dump(mode="json"), "url": url, "title": text}
        for source, url, text in zip(base.sources, HOSTILE_URLS, HOSTILE_TEXT, strict=True)
    ]
    highlights = [
        {**item.model_dump(mode="json"), "headline": text}
        for item, text in zip(base.highlights, HOSTILE_TEXT, strict=False)
    ]
    return make_digest(sources=sources, highlights=highlights, tags=["{{site|jsonify}}", "{%evil%}"])


def _text(page: Path) -> str:
    """What a reader sees: the page's text and attribute values, tags dropped, entities decoded."""
    raw = page.read_text(encoding="utf-8")
    attributes = " ".join(value for value in re.findall(r'="([^"]*)"', raw))
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", raw) + " " + attributes)


def test_hostile_urls_and_titles_build_inert(tmp_path: Path) -> None:
    # Given a post whose links, source titles, headlines, tags and alt text carry Liquid, in a site
    # whose configuration holds a marker that must never reach a page
    site = tmp_path / "site"
    publisher = LocalGitPublisher(site)
    publisher.ensure_site()
    config = site / "_config.yml"
    config.write_text(config.read_text(encoding="utf-8") + f"leak_marker: {LEAK_MARKER}\n", encoding="utf-8")
    digest = _hostile_digest()
    _publish(publisher, digest)
    # When Jekyll builds the site with strict front matter (and strict Liquid variables)
    result = _build(site, tmp_path / "_site")
    # Then the build succeeds: no Liquid syntax error from a link
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Liquid" not in result.stdout + result.stderr
    page = tmp_path / "_site/2026/03/12/qwen-daily-2026-03-12/index.html"
    built = page.read_text(encoding="utf-8")
    # And nothing was evaluated: no site configuration in the page, every text shown as written
    assert LEAK_MARKER not in built and LEAK_MARKER.upper() not in built
    assert "<table" not in built  # a `|` in a line did not make it a kramdown table row
    assert '"leak_marker"' not in built and "kramdown" not in built
    seen = _text(page)
    for text in HOSTILE_TEXT:
        assert text in seen, text
    [image] = _images(page)
    assert image["alt"] == image_alt(digest) and "{{site|jsonify}}" in image["alt"]
    # And each link leads where the source's URL does: `{ } %` percent-encoded, nothing else changed
    hrefs = [html_lib.unescape(h) for h in re.findall(r'<a href="(https://x\.example[^"]*)"', built)]
    assert hrefs == [
        "https://x.example/?q=%7B%25evil%25%7D",
        "https://x.example/search?q=%7B%7Bsite%7Cjsonify%7D%7D",
        "https://x.example/%7B%7Bsite.leak_marker%7D%7D/page",  # the URL parser encoded the path already
        "https://x.example/?a=100%25&b=%7B%25-raw-%25%7D",
    ]


def test_two_days_build_under_chirpys_default_permalink(tmp_path: Path) -> None:
    # Given a site with Chirpy's default `permalink: /posts/:title/` and two days of posts
    site = tmp_path / "site"
    publisher = LocalGitPublisher(site)
    publisher.ensure_site()
    config = site / "_config.yml"
    chirpy = re.sub(
        r"^permalink: .*$", "permalink: /posts/:title/", config.read_text(encoding="utf-8"), flags=re.M
    )
    config.write_text(chirpy, encoding="utf-8")
    first = make_digest()
    second = make_digest(date=first.date + dt.timedelta(days=1))
    for digest in (first, second):
        _publish(publisher, digest)
    # When Jekyll builds it
    result = _build(site, tmp_path / "_site")
    # Then each day has its own page, and Jekyll saw no conflict between them
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Conflict" not in result.stdout + result.stderr
    for digest in (first, second):
        page = tmp_path / f"_site/posts/qwen-daily-{digest.date.isoformat()}/index.html"
        assert f"QWEN 每日動態 - {digest.date.isoformat()}" in page.read_text(encoding="utf-8")


def test_the_old_post_name_conflicts_under_chirpys_default_permalink(tmp_path: Path) -> None:
    # The test above can fail: with the old `{date}-{topic}-daily.md`, Jekyll reports the conflict.
    site = tmp_path / "site"
    LocalGitPublisher(site).ensure_site()
    config = site / "_config.yml"
    config.write_text(config.read_text(encoding="utf-8") + "permalink: /posts/:title/\n", encoding="utf-8")
    for day in ("2026-03-12", "2026-03-13"):
        post = site / "_posts" / f"{day}-qwen-daily.md"
        post.parent.mkdir(parents=True, exist_ok=True)
        post.write_text(f"---\nlayout: post\ntitle: {day}\n---\nbody\n", encoding="utf-8")
    result = _build(site, tmp_path / "_site")
    assert "Conflict" in result.stdout + result.stderr
