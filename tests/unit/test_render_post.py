"""render_post: the reference post's format, byte for byte, and text that cannot break it."""

from __future__ import annotations

import ast
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from dailydigest.models.digest import Digest
from dailydigest.render.alt_text import image_alt
from dailydigest.render.frontmatter import merge_tags
from dailydigest.render.locale import ZH_TW
from dailydigest.render.parse import parse_post
from dailydigest.render.post import render_post
from tests.conftest import REPO_ROOT
from tests.factories import make_digest

REFERENCE_NAME = "2025-12-24-qwen-daily.md"

# Where render_post deliberately differs from the reference, as (why, reference text, ours).
DELIBERATE_DIFFERENCES = (
    (
        # DESIGN.md: the stray `**` last line is an artifact of the reference's generator.
        "the reference's trailing stray '**' line is dropped",
        "。*\n**\n",
        "。*\n",
    ),
    (
        # kramdown reads a list line holding `|` as a table row: the reference's own source list
        # builds as a one-row table with the link text cut at each pipe. Escaped, it is a link.
        "a `|` in a source title is backslash-escaped",
        "定位| 全球財經| 聯合報]",
        "定位\\| 全球財經\\| 聯合報]",
    ),
)


def _reference_path() -> Path | None:
    configured = os.environ.get("DIGEST_REFERENCE_POST")
    candidates = [Path(configured)] if configured else []
    candidates.append(REPO_ROOT.parent / "shared" / "reference" / REFERENCE_NAME)
    return next((path for path in candidates if path.is_file()), None)


@pytest.fixture
def reference_text() -> str:
    path = _reference_path()
    if path is None:
        pytest.skip(
            f"reference post not found: set DIGEST_REFERENCE_POST or add ../shared/reference/{REFERENCE_NAME}"
        )
    return path.read_text(encoding="utf-8")


def _front_matter(text: str) -> dict[str, object]:
    _, front, _ = text.split("---\n", 2)
    loaded = yaml.safe_load(front)
    assert isinstance(loaded, dict)
    return loaded


def test_reference_round_trips_byte_for_byte_except_listed_differences(reference_text: str) -> None:
    # Given the reference with only the deliberate differences applied
    expected = reference_text
    for why, theirs, ours in DELIBERATE_DIFFERENCES:
        assert expected.count(theirs) == 1, why
        expected = expected.replace(theirs, ours)
    # When it is parsed and rendered again
    digest = parse_post(reference_text)
    # Deliberate: the image gains alt text in the {path, alt} form Jekyll themes (Chirpy,
    # jekyll-seo-tag) read; the alt sentence is derived from the digest, so it is computed here.
    image_line = "image: /assets/img/posts/2025-12-24-qwen-infographic.png\n"
    assert expected.count(image_line) == 1
    expected = expected.replace(
        image_line,
        f'image:\n  path: /assets/img/posts/2025-12-24-qwen-infographic.png\n  alt: "{image_alt(digest)}"\n',
    )
    rendered = render_post(digest)
    # Then nothing else differs, and a second pass changes nothing
    assert rendered == expected
    assert render_post(parse_post(rendered)) == rendered


def test_reference_parses_into_its_parts(reference_text: str) -> None:
    digest = parse_post(reference_text)
    assert (digest.topic, digest.display_name, digest.date, digest.locale) == (
        "qwen",
        "QWEN",
        dt.date(2025, 12, 24),
        "zh-TW",
    )
    assert len(digest.highlights) == 4
    assert [source.id for source in digest.sources] == list(range(1, 11))
    assert digest.tags == ("Qwen", "圖像分層編輯", "開源模型", "Meta Avocado", "Qwen Chat Memory")
    assert digest.generator == "llm"


def test_sample_digest_round_trips_except_citations() -> None:
    digest = make_digest()
    parsed = parse_post(render_post(digest))
    # Citations, publishers and the model name are not part of the post.
    expected = digest.model_dump()
    expected["model"] = ""
    for highlight in expected["highlights"]:
        highlight["source_ids"] = ()
    for source in expected["sources"]:
        source["publisher"] = ""
    assert parsed == Digest.model_validate(expected)


def test_front_matter_keys_order_and_types() -> None:
    text = render_post(make_digest())
    lines = text.split("\n")
    keys = [line.split(":", 1)[0] for line in lines[1 : lines.index("---", 1)] if not line.startswith(" ")]
    assert keys == [
        "layout",
        "title",
        "tagline",
        "date",
        "model",
        "categories",
        "tags",
        "image",
        "ai_summary",
    ]
    meta = _front_matter(text)
    assert meta["date"] == dt.date(2026, 3, 12)
    assert type(meta["date"]) is dt.date
    assert meta["title"] == "QWEN 每日動態 - 2026-03-12"
    assert meta["tagline"] == "彙整 4 則 QWEN 相關新聞"
    assert meta["categories"] == ["qwen", "daily"]
    assert meta["tags"] == ["Qwen", "開源模型", "本機推論", "QWEN", "AI", "Digest"]
    assert meta["image"]["path"] == "/assets/img/posts/2026-03-12-qwen-infographic.png"
    assert meta["image"]["alt"].startswith("QWEN 2026-03-12 每日動態資訊圖")
    assert isinstance(meta["ai_summary"], str)
    # Quoting as in the reference, written by the YAML dumper
    assert 'title: "QWEN 每日動態 - 2026-03-12"' in lines
    assert "date: 2026-03-12" in lines
    assert "categories: [qwen, daily]" in lines
    assert 'tags: ["Qwen", "開源模型", "本機推論", "QWEN", "AI", "Digest"]' in lines


def test_body_follows_the_reference_layout() -> None:
    text = render_post(make_digest())
    body = text.split("---\n", 2)[2]
    assert body.startswith("## 本週模型趨勢\n")
    assert "\n## 📰 本週新聞焦點\n1) Qwen 釋出可在筆電執行的精簡模型  \n新版本" in body
    assert "\n3) （更新）授權條款說明補充  \n" in body
    assert "\n## 🔍 深度分析\n- 這個發展對 AI 產業的意義  \n精簡模型" in body
    assert "\n## 💡 延伸思考\n- 對開發者的具體影響  \n  - 可以先在本機驗證原型，再決定是否上雲。  \n" in body
    assert "\n- [Qwen 精簡模型發布說明](https://example.com/qwen/small-model)  \n" in body
    assert body.endswith("\n\n---\n*本文由 AI 自動生成，彙整自 4 篇新聞來源。*\n")


@pytest.mark.parametrize(
    ("locale", "generator", "count", "footer"),
    [
        ("zh-TW", "llm", 4, "*本文由 AI 自動生成，彙整自 4 篇新聞來源。*"),
        ("zh-TW", "extractive", 4, "*本文由程式自動摘錄（未使用 AI），彙整自 4 篇新聞來源。*"),
        ("zh-TW", "llm", 1, "*本文由 AI 自動生成，彙整自 1 篇新聞來源。*"),
        ("en", "llm", 4, "*Generated automatically by AI from 4 news sources.*"),
        ("en", "extractive", 4, "*Extracted automatically by a program (no AI used) from 4 news sources.*"),
        ("en", "extractive", 1, "*Extracted automatically by a program (no AI used) from 1 news source.*"),
    ],
)
def test_footer_states_generator_and_true_source_count(
    locale: str, generator: str, count: int, footer: str
) -> None:
    sample = make_digest()
    digest = make_digest(
        locale=locale,
        generator=generator,
        sources=[source.model_dump() for source in sample.sources[:count]],
        highlights=[{"headline": "Only one", "body": "A single story."}],
    )
    text = render_post(digest)
    assert text.endswith(f"\n---\n{footer}\n")
    assert parse_post(text).generator == generator


def test_en_locale_mirrors_the_structure() -> None:
    # Given an English digest
    digest = make_digest(
        locale="en",
        trend_overview="Small models and tool use led the week.",
        highlights=[
            {"headline": "A laptop-sized model", "body": "It runs without a discrete GPU."},
            {
                "headline": "Licence FAQ revised",
                "body": "Redistribution terms are clearer.",
                "is_update": True,
            },
        ],
        key_points=["Smaller model released.", "Licence clarified."],
        tags=["Local inference"],
    )
    # When it is rendered
    text = render_post(digest)
    # Then the headings, title, tagline and markers are the English ones
    meta = _front_matter(text)
    assert meta["title"] == "QWEN Daily - 2026-03-12"
    assert meta["tagline"] == "Summarising 4 QWEN news articles"
    assert meta["tags"] == ["Local inference", "QWEN", "AI", "Digest"]
    headings = [line for line in text.split("\n") if line.startswith("## ")]
    assert headings == [
        "## This Week's Model Trends",
        "## 📰 News Highlights",
        "## 🔍 In-Depth Analysis",
        "## 📌 Key Takeaways",
        "## 💡 Further Thoughts",
        "## 🔗 Sources",
    ]
    assert "\n2) (Update) Licence FAQ revised  \nRedistribution terms are clearer.\n" in text
    assert "\n- What it means for developers  \n  - " in text
    parsed = parse_post(text)
    assert parsed.locale == "en"
    assert [h.is_update for h in parsed.highlights] == [False, True]


def test_hostile_text_cannot_inject_html_links_liquid_or_structure() -> None:
    # Given a digest whose text tries to break out of its fields
    hostile_headline = "<script>alert(1)</script> [click](javascript:alert(1))\n## Injected heading"
    hostile_body = '# not a heading {{ site.title }} {% include x.html %} text{: onclick="x"}'
    digest = make_digest(
        highlights=[
            {"headline": hostile_headline, "body": hostile_body},
            {"headline": "1. not a list", "body": "---"},
            {"headline": "&lt; stays literal", "body": "~~~ not a fence \\ back\\slash"},
        ],
        sources=[
            {
                "id": 1,
                "title": "Brackets [x] and \\ slash\r\nsecond line",
                "url": "https://example.com/a_(b) c",
            },
        ],
        ai_summary='He said "hi" <img src=x onerror=alert(1)>\nnext line',
        tags=["<b>bold</b>", "QWEN"],
    )
    # When it is rendered
    text = render_post(digest)
    # Then no raw HTML, Liquid or extra heading reaches the post
    assert "<" not in text
    assert "{{" not in text and "{%" not in text and "{:" not in text
    assert [line for line in text.split("\n") if line.startswith("#")] == ["## " + h for h in ZH_TW.headings]
    assert (
        "\n1) &lt;script>alert(1)&lt;/script> \\[click\\](javascript:alert(1)) ## Injected heading  \n"
        in text
    )
    assert "\n- [Brackets \\[x\\] and \\\\ slash second line](https://example.com/a_%28b%29%20c)\n" in text
    assert "\n2) 1\\. not a list  \n\\---\n" in text
    # And the front matter is still valid YAML holding the neutralised text on one line
    meta = _front_matter(text)
    assert meta["ai_summary"] == 'He said "hi" &lt;img src=x onerror=alert(1)> next line'
    assert meta["tags"] == ["&lt;b>bold&lt;/b>", "QWEN", "AI", "Digest"]
    # And parsing gives back the text (newlines folded into spaces)
    parsed = parse_post(text)
    assert parsed.highlights[0].headline == hostile_headline.replace("\n", " ")
    assert parsed.highlights[0].body == hostile_body
    assert [h.headline for h in parsed.highlights[1:]] == ["1. not a list", "&lt; stays literal"]
    assert parsed.highlights[2].body == "~~~ not a fence \\ back\\slash"
    assert parsed.sources[0].title == "Brackets [x] and \\ slash second line"
    assert parsed.ai_summary == 'He said "hi" <img src=x onerror=alert(1)> next line'
    assert parsed.tags == ("<b>bold</b>",)


@pytest.mark.parametrize(
    ("own", "display_name", "expected"),
    [
        ((), "QWEN", ("QWEN", "AI", "Digest")),
        # The reference keeps the digest's "Qwen" beside the fixed "QWEN": case variants stay.
        (("Qwen", "開源模型"), "QWEN", ("Qwen", "開源模型", "QWEN", "AI", "Digest")),
        (("ai", "Agents", "Agents"), "QWEN", ("ai", "Agents", "QWEN", "AI", "Digest")),
        (("AI", "QWEN", " QWEN "), "QWEN", ("AI", "QWEN", "Digest")),
        (("Meta Avocado", "Meta Avocado"), "Llama", ("Meta Avocado", "Llama", "AI", "Digest")),
    ],
)
def test_tags_drop_exact_duplicates_keeping_the_first(
    own: tuple[str, ...], display_name: str, expected: tuple[str, ...]
) -> None:
    assert merge_tags(own, display_name) == expected


def test_rendered_tags_are_deduplicated() -> None:
    meta = _front_matter(render_post(make_digest(tags=["qwen", "Agents", "Agents", "AI"])))
    assert meta["tags"] == ["qwen", "Agents", "AI", "QWEN", "Digest"]


HEAVY = ("PIL", "markdown")


def _heavy_modules_after(script: str, *args: str) -> list[str]:
    """The heavy packages a fresh interpreter has loaded after running script."""
    probe = script + f"\nprint(sorted({{n.split('.')[0] for n in sys.modules}} & set({HEAVY!r})))\n"
    result = subprocess.run(
        [sys.executable, "-c", probe, *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    loaded: list[str] = ast.literal_eval(result.stdout.strip().splitlines()[-1])
    return loaded


def test_the_render_handlers_imports_load_neither_pillow_nor_markdown() -> None:
    # The render handler imports wiring at cold start; the post, card and archive load what they need.
    assert _heavy_modules_after("import sys\nimport dailydigest.wiring") == []


def test_post_and_archive_pages_are_made_without_importing_pillow(tmp_path: Path) -> None:
    # Pillow is heavy for a cold start: only the infographic may load it.
    script = """
import sys
from pathlib import Path
from dailydigest.store.local import DirectoryStore
from dailydigest.archive import ArchiveEntry, update_archive
from dailydigest.render.post import render_post
from tests.factories import make_digest

digest = make_digest()
post = render_post(digest)
entry = ArchiveEntry(
    topic="qwen", display_name="QWEN", date=digest.date, title="t", tagline="g",
    ai_summary="s", source_count=4,
)
update_archive(DirectoryStore(Path(sys.argv[1])), entry, post, b"png")
"""
    assert _heavy_modules_after(script, str(tmp_path / "store")) == ["markdown"]


@pytest.mark.parametrize(
    ("url", "destination"),
    [
        ("https://x.example/?q={%evil%}", "https://x.example/?q=%7B%25evil%25%7D"),
        ("https://x.example/?q={{site|jsonify}}", "https://x.example/?q=%7B%7Bsite%7Cjsonify%7D%7D"),
        ("https://x.example/?a=100%&b=%7B", "https://x.example/?a=100%25&b=%7B"),  # escapes kept as they are
        ("https://x.example/a%20b?c=%e4%b8%ad", "https://x.example/a%20b?c=%e4%b8%ad"),
        ("https://x.example/a_(b)", "https://x.example/a_%28b%29"),
    ],
)
def test_link_destinations_are_percent_encoded_against_liquid(url: str, destination: str) -> None:
    sources = [source.model_dump(mode="json") for source in make_digest().sources]
    digest = make_digest(sources=[{**sources[0], "title": "t", "url": url}, *sources[1:]])
    text = render_post(digest)
    assert f"- [t]({destination})  \n" in text
    body = text.split("\n---\n", 1)[1]
    assert "{{" not in body and "{%" not in body
    # And the parser still reads the post back, the link as written in it
    assert str(parse_post(text).sources[0].url) == destination


def test_a_pipe_in_text_cannot_make_a_table_row() -> None:
    digest = make_digest(key_points=["a | b | c", "| leading"])
    text = render_post(digest)
    assert "- a \\| b \\| c  \n" in text and "- \\| leading" in text
    assert parse_post(text).key_points == ("a | b | c", "| leading")
