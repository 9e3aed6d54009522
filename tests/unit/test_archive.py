"""The static archive: pages per post and topic, feeds, the JSON index; minimal, escaped writes."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import feedparser
import pytest
import yaml
from pydantic import ValidationError

from dailydigest.archive import ArchiveEntry, update_archive
from dailydigest.archive.markup import is_clean, markdown_to_html, safe_href
from dailydigest.archive.templating import TEMPLATE_DIR, environment
from dailydigest.errors import DigestError
from dailydigest.render.locale import strings_for
from dailydigest.render.post import render_post
from dailydigest.store.local import DirectoryStore
from tests.factories import SAMPLE_DATE, make_digest

ATOM = "{http://www.w3.org/2005/Atom}"
PNG = b"\x89PNG\r\n\x1a\nfake image bytes"
DAY2 = SAMPLE_DATE + dt.timedelta(days=1)


def entry_for(topic: str = "qwen", day: dt.date = SAMPLE_DATE, **overrides: Any) -> ArchiveEntry:
    name = overrides.pop("display_name", topic.upper())
    locale = overrides.pop("locale", "zh-TW")
    strings = strings_for(locale)
    fields: dict[str, Any] = {
        "topic": topic,
        "display_name": name,
        "date": day,
        "title": strings.title_for(name, day.isoformat()),
        "tagline": strings.tagline_for(name, 4),
        "locale": locale,
        "ai_summary": f"{name} 本日摘要：模型更新與社群討論。",
        "source_count": 4,
        "post_url": f"https://blog.example/{topic}/{day.isoformat()}/",
        "image_alt": f"{name} {day.isoformat()} 資訊圖",
    }
    return ArchiveEntry.model_validate({**fields, **overrides})


def parse_xml(data: bytes) -> ET.Element:
    return ET.fromstring(data)  # noqa: S314 -- our own feed, parsed to prove it is well-formed XML


def post_for(topic: str = "qwen", day: dt.date = SAMPLE_DATE) -> str:
    return render_post(make_digest(topic=topic, display_name=topic.upper(), date=day))


@pytest.fixture
def store(tmp_path: Path) -> DirectoryStore:
    return DirectoryStore(tmp_path / "store")


def snapshot(store: DirectoryStore, prefix: str = "archive/") -> dict[str, tuple[int, bytes]]:
    """key -> (mtime in ns, bytes) for every file under prefix."""
    return {
        key: ((store.root / key).stat().st_mtime_ns, (store.root / key).read_bytes())
        for key in store.list(prefix)
    }


def qwen_keys(day: dt.date = SAMPLE_DATE) -> list[str]:
    return [
        f"archive/img/qwen/{day.isoformat()}.png",
        f"archive/posts/qwen/{day.isoformat()}.html",
        "archive/topics/qwen/index.html",
        "archive/topics/qwen/feed.xml",
        "archive/index.html",
        "archive/feed.xml",
        "archive/index.json",
    ]


# --- what gets written -----------------------------------------------------------------------------


def test_first_post_writes_every_page(store: DirectoryStore) -> None:
    written = update_archive(store, entry_for(), post_for(), PNG)
    assert written == qwen_keys()
    assert store.list("archive/") == sorted(qwen_keys())
    assert store.get("archive/img/qwen/2026-03-12.png") == PNG


def test_same_post_again_writes_nothing(store: DirectoryStore) -> None:
    # Given an archive with one post
    update_archive(store, entry_for(), post_for(), PNG)
    before = snapshot(store)
    # When the same post is archived again (an at-least-once redelivery)
    written = update_archive(store, entry_for(), post_for(), PNG)
    # Then nothing is written: same keys, same bytes, same modification times
    assert written == []
    assert snapshot(store) == before


def test_second_topic_leaves_the_first_topics_pages_untouched(store: DirectoryStore) -> None:
    update_archive(store, entry_for("qwen"), post_for("qwen"), PNG)
    before = snapshot(store)
    written = update_archive(store, entry_for("llama", locale="en"), post_for("llama"), PNG + b"2")
    assert not [key for key in written if "/qwen/" in key]
    after = snapshot(store)
    for key in ("archive/posts/qwen/2026-03-12.html", "archive/topics/qwen/index.html"):
        assert after[key] == before[key]
    assert after["archive/topics/qwen/feed.xml"] == before["archive/topics/qwen/feed.xml"]
    assert after["archive/img/qwen/2026-03-12.png"] == before["archive/img/qwen/2026-03-12.png"]
    # The shared pages list both topics
    assert set(written) >= {"archive/index.html", "archive/feed.xml", "archive/index.json"}
    index = json.loads(store.get("archive/index.json"))
    assert [(post["topic"], post["date"]) for post in index["posts"]] == [
        ("llama", "2026-03-12"),
        ("qwen", "2026-03-12"),
    ]
    front = store.get("archive/index.html").decode()
    assert "topics/qwen/index.html" in front and "topics/llama/index.html" in front
    feed = feedparser.parse(store.get("archive/feed.xml"))
    assert sorted(entry.id for entry in feed.entries) == [
        "tag:dailydigest,2026-03-12:llama",
        "tag:dailydigest,2026-03-12:qwen",
    ]


def test_a_new_day_leaves_the_earlier_post_page_untouched(store: DirectoryStore) -> None:
    update_archive(store, entry_for(day=SAMPLE_DATE), post_for(day=SAMPLE_DATE), PNG)
    before = snapshot(store)
    written = update_archive(store, entry_for(day=DAY2), post_for(day=DAY2), PNG)
    assert "archive/posts/qwen/2026-03-12.html" not in written
    older = "archive/posts/qwen/2026-03-12.html"
    assert snapshot(store)[older] == before[older]
    topic_page = store.get("archive/topics/qwen/index.html").decode()
    # Newest first
    assert topic_page.index("2026-03-13.html") < topic_page.index("2026-03-12.html")
    topic_feed = feedparser.parse(store.get("archive/topics/qwen/feed.xml"))
    assert [entry.id for entry in topic_feed.entries] == [
        "tag:dailydigest,2026-03-13:qwen",
        "tag:dailydigest,2026-03-12:qwen",
    ]


def test_a_changed_post_rewrites_only_what_shows_it(store: DirectoryStore) -> None:
    update_archive(store, entry_for(), post_for(), PNG)
    written = update_archive(store, entry_for(), post_for() + "\n補充一段。\n", PNG)
    assert written == ["archive/posts/qwen/2026-03-12.html"]


def test_index_json_records_every_post(store: DirectoryStore) -> None:
    update_archive(store, entry_for(), post_for(), PNG)
    (post,) = json.loads(store.get("archive/index.json"))["posts"]
    assert post["topic"] == "qwen" and post["date"] == "2026-03-12"
    assert post["title"] == "QWEN 每日動態 - 2026-03-12"
    assert post["tagline"] == "彙整 4 則 QWEN 相關新聞"
    assert post["path"] == "posts/qwen/2026-03-12.html"
    assert post["image"] == "img/qwen/2026-03-12.png"
    assert post["source_count"] == 4


def test_a_posts_entry_is_titled_as_the_post_and_links_only_web_addresses() -> None:
    digest = make_digest()
    entry = ArchiveEntry.for_post(digest, "https://blog.example/qwen/")
    meta = yaml.safe_load(render_post(digest).split("---\n", 2)[1])
    assert (entry.title, entry.tagline, entry.image_alt) == (
        meta["title"],
        meta["tagline"],
        meta["image"]["alt"],
    )
    assert (entry.source_count, entry.post_url) == (4, "https://blog.example/qwen/")
    assert ArchiveEntry.for_post(digest, "/home/me/site/_posts/x.md").post_url == ""


def test_unreadable_index_is_never_overwritten(store: DirectoryStore) -> None:
    store.put("archive/index.json", b"{not json", "application/json")
    with pytest.raises(DigestError, match=r"archive/index\.json"):
        update_archive(store, entry_for(), post_for(), PNG)
    assert store.list("archive/") == ["archive/index.json"]


# --- feeds ------------------------------------------------------------------------------------------


def test_feeds_are_valid_atom(store: DirectoryStore) -> None:
    update_archive(store, entry_for("qwen"), post_for("qwen"), PNG)
    update_archive(store, entry_for("llama", locale="en"), post_for("llama"), PNG)
    for key in ("archive/feed.xml", "archive/topics/qwen/feed.xml", "archive/topics/llama/feed.xml"):
        data = store.get(key)
        root = parse_xml(data)
        assert root.tag == f"{ATOM}feed"
        stamps = [node.text or "" for node in root.iter(f"{ATOM}updated")]
        assert stamps and all(re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", s) for s in stamps)
        parsed = feedparser.parse(data)
        assert not parsed.bozo, parsed.get("bozo_exception")
        assert parsed.version == "atom10"
        for entry in parsed.entries:
            assert re.fullmatch(r"tag:dailydigest,\d{4}-\d{2}-\d{2}:[a-z0-9-]+", entry.id)


# --- pages ------------------------------------------------------------------------------------------


def test_pages_are_phone_friendly_and_self_contained(store: DirectoryStore) -> None:
    update_archive(store, entry_for(), post_for(), PNG)
    for key in store.list("archive/"):
        if not key.endswith(".html"):
            continue
        page = store.get(key).decode()
        assert '<html lang="zh-TW">' in page
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
        assert "max-width:42rem" in page
        assert "<script" not in page
        tags = _tags(page)
        # No external asset: styles inline, images from the archive itself
        assert not [t for t in tags if t[0] in ("link", "script") and t[1].get("rel") == "stylesheet"]
        assert all(not (t[1].get("src") or "").startswith(("http", "//")) for t in tags)


def test_post_page_renders_the_post_without_front_matter(store: DirectoryStore) -> None:
    update_archive(store, entry_for(), post_for(), PNG)
    page = store.get("archive/posts/qwen/2026-03-12.html").decode()
    assert "layout: post" not in page
    assert "<h2>📰 本週新聞焦點</h2>" in page
    assert '<a href="https://example.com/qwen/small-model" rel="nofollow noopener noreferrer">' in page
    assert 'src="../../img/qwen/2026-03-12.png"' in page
    assert 'alt="QWEN 2026-03-12 資訊圖"' in page
    assert 'href="https://blog.example/qwen/2026-03-12/"' in page


# --- hostile input ------------------------------------------------------------------------------------

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "javascript:alert(1)",
    "]]><![CDATA[",
    "{{ 7*7 }} {% raw %}",
    "&lt;b&gt; &amp; & <!-- -->",
]


def _tags(page: str) -> list[tuple[str, dict[str, str]]]:
    class Collect(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.found: list[tuple[str, dict[str, str]]] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.found.append((tag, {name: value or "" for name, value in attrs}))

    collector = Collect()
    collector.feed(page)
    return collector.found


def _text(page: str) -> str:
    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []

        def handle_data(self, data: str) -> None:
            self.parts.append(data)

    parser = Text()
    parser.feed(page)
    return "".join(parser.parts)


def _assert_inert(page: str) -> None:
    for tag, attrs in _tags(page):
        assert tag not in ("script", "svg", "iframe", "object", "embed"), (tag, attrs)
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        for name in ("href", "src"):
            assert not attrs.get(name, "").strip().lower().startswith(("javascript:", "data:")), (tag, attrs)
        if tag == "img":
            assert attrs["src"].startswith("../../img/"), attrs


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_text_is_escaped_in_every_page_and_feed(store: DirectoryStore, payload: str) -> None:
    # Given a post whose title, name, tagline, summary and body all carry the payload
    entry = entry_for(
        display_name=f"N {payload}",
        title=f"T {payload}",
        tagline=f"G {payload}",
        ai_summary=f"S {payload}",
        image_alt=f"A {payload}",
    )
    body = f"## {payload}\n\n{payload}\n\n- [{payload}](javascript:alert(1))\n- <b onclick=x>{payload}</b>\n"
    update_archive(store, entry, body, PNG)
    for key in store.list("archive/"):
        data = store.get(key)
        if key.endswith(".html"):
            page = data.decode()
            # Then no payload became markup, and the text reads exactly as written
            _assert_inert(page)
            assert f"T {payload}" in _text(page)
        elif key.endswith(".xml"):
            root = parse_xml(data)  # still well-formed XML
            titles = [node.text for node in root.iter(f"{ATOM}title")]
            assert f"T {payload}" in titles
            assert not feedparser.parse(data).bozo
        elif key.endswith(".json"):
            assert json.loads(data)["posts"][0]["title"] == f"T {payload}"
    post = store.get("archive/posts/qwen/2026-03-12.html").decode()
    assert f"N {payload}" in _text(post) and f"S {payload}" not in post  # summary is not on the post page
    assert 'href="javascript' not in post.lower()


def test_xml_forbidden_characters_never_break_the_feed(store: DirectoryStore) -> None:
    entry = entry_for(title="T \x00\x08\x0b\x0c\ufffe\uffff end", ai_summary="S \x1b[31m red")
    update_archive(store, entry, "body \x00 text", PNG)
    for key in ("archive/feed.xml", "archive/topics/qwen/feed.xml"):
        root = parse_xml(store.get(key))
        assert "T  end" in [node.text for node in root.iter(f"{ATOM}title")]


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,x", "//evil.example", "https://a b"]
)
def test_post_url_must_be_http(url: str) -> None:
    with pytest.raises(ValidationError, match="post_url"):
        entry_for(post_url=url)


# --- the Markdown sanitiser -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("markdown", "forbidden"),
    [
        ("<script>alert(1)</script>", "<script"),
        ("<div onclick=x>hi</div>", "<div"),
        ('"><img src=x onerror=alert(1)>', "<img"),
        ("![x](https://evil.example/x.png)", "<img"),
        ("[x](javascript:alert(1))", "href"),
        ("[x](&#106;avascript:alert(1))", "href"),
        ("[x](&#x6A;avascript:alert(1))", "href"),
        ("[x](java\tscript:alert(1))", "href"),
        ("[x](data:text/html;base64,PHNjcmlwdD4=)", "href"),
        ("[x][r]\n\n[r]: vbscript:msgbox(1)", "href"),
        ("<iframe src=//evil.example></iframe>", "<iframe"),
        ("<!-- <script>x</script> -->", "<!--"),
        ("<style>body{display:none}</style>", "<style"),
        ("<a href=javascript:alert(1)>x</a>", "<a "),
    ],
)
def test_markdown_cannot_emit_raw_html(markdown: str, forbidden: str) -> None:
    rendered = markdown_to_html("## 標題\n\n" + markdown)
    assert forbidden not in rendered
    assert is_clean(rendered)
    # The raw HTML became text inside normal Markdown output, not the escaped fallback
    assert rendered.startswith("<h2>標題</h2>")


def test_unexpected_markup_falls_back_to_escaped_text() -> None:
    assert not is_clean('<p onclick="x">hi</p>')
    assert not is_clean("<p><script>x</script></p>")
    assert is_clean('<p><a href="https://example.com" rel="nofollow">x</a></p>')


def test_markdown_keeps_safe_links_and_structure() -> None:
    rendered = markdown_to_html("---\ntitle: x\n---\n## 標題\n\n- [來源](https://example.com/a?b=1&c=2)  \n")
    assert rendered.startswith("<h2>標題</h2>")
    link = '<a href="https://example.com/a?b=1&amp;c=2" rel="nofollow noopener noreferrer">來源</a>'
    assert link in rendered


@pytest.mark.parametrize(
    ("href", "safe"),
    [
        ("https://example.com", True),
        ("HTTP://example.com", True),
        ("mailto:a@example.com", True),
        ("javascript:alert(1)", False),
        (" \tjavascript:alert(1)", False),
        ("&#106;avascript:alert(1)", False),
        ("/relative/path", False),
        ("", False),
    ],
)
def test_safe_href(href: str, safe: bool) -> None:
    assert safe_href(href) is safe


def test_every_template_autoescapes_and_none_marks_data_safe() -> None:
    env = environment()
    names = sorted(path.name for path in TEMPLATE_DIR.glob("*.j2"))
    assert names
    for name in names:
        assert callable(env.autoescape) and env.autoescape(name), name
        assert "|safe" not in (TEMPLATE_DIR / name).read_text().replace(" ", "")
