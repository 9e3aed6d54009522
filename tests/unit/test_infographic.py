"""The infographic card: bundled CJK font, no tofu, text kept inside the canvas, same bytes each time."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageChops, ImageDraw

from dailydigest.models.digest import Digest
from dailydigest.render.alt_text import image_alt
from dailydigest.render.glyphs import covered, drawable, font_path, load_font, read_cmap
from dailydigest.render.image import (
    BACKGROUND,
    HEIGHT,
    MARGIN,
    PANEL,
    RULE,
    WIDTH,
    Card,
    Run,
    layout_card,
    render_image,
    source_mix,
)
from dailydigest.render.wrap import ELLIPSIS, wrap, wrap_units
from tests.factories import make_digest

MISSING = "\U0001f600"  # an emoji: Noto Sans TC has no glyph for it, so FreeType draws .notdef
BAND = 40  # the outer band that must stay background, whatever the text


def _image(data: bytes) -> Image.Image:
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        return image.convert("RGB")


def _mask(char: str, size: int = 48) -> tuple[tuple[int, int], bytes]:
    mask = load_font(size).getmask(char)
    return mask.size, bytes(mask)


def _has_ink(image: Image.Image, box: tuple[int, int, int, int]) -> bool:
    region = image.crop(box)
    blank = Image.new("RGB", region.size, BACKGROUND)
    return ImageChops.difference(region, blank).getbbox() is not None


def _with_highlights(*headlines: str, **overrides: Any) -> Digest:
    return make_digest(highlights=[{"headline": text, "body": "內文。"} for text in headlines], **overrides)


# --- the font -------------------------------------------------------------------------------------


def test_font_is_bundled_noto_sans_tc_not_a_system_font() -> None:
    path = font_path()
    assert path.name == "NotoSansTC-Regular.otf"
    assert path.parent.name == "pylopdf_fonts_zh_tw"
    assert not str(path).startswith("/usr/share/fonts")


def test_cmap_reader_agrees_with_fonttools() -> None:
    ttlib = pytest.importorskip("fontTools.ttLib")
    font = ttlib.TTFont(str(font_path()), lazy=True)
    expected = {code for code, glyph in font.getBestCmap().items() if glyph != ".notdef"}
    assert covered() == expected
    assert ord("臺") in covered() and ord(MISSING) not in covered()


def test_cmap_reader_reads_a_format_4_only_font(tmp_path: Path) -> None:
    # Given a tiny font whose only Unicode cmap is format 4 (BMP), built with fontTools
    fb = pytest.importorskip("fontTools.fontBuilder")
    pens = pytest.importorskip("fontTools.pens.ttGlyphPen")
    builder = fb.FontBuilder(1000, isTTF=True)
    names = [".notdef", "A", "zhong"]
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({0x41: "A", 0x4E2D: "zhong"})
    empty = pens.TTGlyphPen(None).glyph()
    builder.setupGlyf(dict.fromkeys(names, empty))
    builder.setupHorizontalMetrics(dict.fromkeys(names, (500, 0)))
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupPost()
    path = tmp_path / "tiny.ttf"
    builder.save(str(path))
    # When its cmap is read / Then exactly the mapped code points come back
    with path.open("rb") as handle:
        assert read_cmap(handle) == {0x41, 0x4E2D}


def test_cmap_reader_rejects_a_non_font() -> None:
    with pytest.raises(ValueError, match="OpenType"):
        read_cmap(io.BytesIO(b"GIF89a" + bytes(64)))


@pytest.mark.parametrize("char", list("臺灣每日動態通義千問模型「」，。ABCxyz"))
def test_cjk_and_latin_glyphs_are_real_glyphs_not_notdef(char: str) -> None:
    notdef = _mask(MISSING)
    assert notdef[0][0] > 0, "the .notdef box must have ink for this comparison to mean anything"
    assert _mask(char) != notdef


# --- no tofu ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "hostile",
    [
        "😀🎉🔥",
        "🚀 launch day",
        "👩‍💻 developer",  # a ZWJ sequence
        "❤️ loved",  # a variation selector
        "\U00020000\U0002a6d6 rare ideographs",
        "\U000f0000 private use",
        "\u202eevil\u202c bidi override",
        "\x00\x07\x1b control",
        "tab\tand\u2028separator",
        "Z\u0334\u0335\u0336algo",
        "🇹🇼 flag",
    ],
)
def test_text_keeps_only_characters_the_font_draws(hostile: str) -> None:
    # Given hostile text / When it is prepared for the card / Then every kept character has a glyph
    text = drawable(hostile)
    notdef = _mask(MISSING)
    for char in text:
        assert char == " " or ord(char) in covered()
        assert char == " " or _mask(char) != notdef
    assert text == text.strip() and "  " not in text


def test_emoji_only_text_draws_nothing_at_all() -> None:
    # Given the same digest with and without emoji and unsupported characters
    plain = _with_highlights("Qwen 釋出精簡模型", "工具呼叫評測更新", "授權條款說明補充", display_name="QWEN")
    noisy = _with_highlights(
        "🔥 Qwen 釋出精簡模型 🚀",
        "工具呼叫評測更新\U00020000",
        "授權條款說明補充 ✨️",
        "😀🎉",  # a fourth, emoji-only headline never takes a slot
        display_name="QWEN 🤖",
    )
    # Then the cards are identical: nothing was drawn for the emoji (not even a box)
    assert render_image(noisy) == render_image(plain)


def test_every_drawn_character_has_a_glyph() -> None:
    digest = _with_highlights("📈 成長 👩‍💻 \U00020000", "🎉", "Ok ✅", display_name="🤖 機器人 🤖")
    for run in layout_card(digest).runs:
        assert all(char == " " or ord(char) in covered() for char in run.text), run


# --- CJK is really drawn --------------------------------------------------------------------------


def test_cjk_title_is_drawn_where_the_layout_puts_it() -> None:
    # Given a Traditional Chinese display name
    digest = make_digest(display_name="通義千問")
    card = layout_card(digest)
    title = card.region("title")
    # Then the title keeps the CJK name (no fallback to the slug) and its region has ink
    assert [run.text for run in card.runs if run.role == "title"] == ["通義千問"]
    assert title is not None
    image = _image(render_image(digest))
    assert _has_ink(image, title)
    # And those pixels differ from the same card with a Latin title
    other = _image(render_image(make_digest(display_name="QWEN")))
    assert ImageChops.difference(image.crop(title), other.crop(title)).getbbox() is not None


def _draw_alone(run: Run, text: str) -> Image.Image:
    """The run drawn by itself on a blank card, with the bundled font at the run's place."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    ImageDraw.Draw(image).text(
        (run.x, run.baseline),
        text,
        fill=run.colour,
        font=load_font(run.size),
        anchor="ls",
        stroke_width=run.stroke,
        stroke_fill=run.colour,
    )
    return image


def test_cjk_title_pixels_are_the_fonts_glyphs_not_missing_glyph_boxes() -> None:
    # Given the card of a Traditional Chinese display name
    digest = make_digest(display_name="臺灣通義千問")
    [title] = [run for run in layout_card(digest).runs if run.role == "title"]
    card = _image(render_image(digest))
    box = title.box()
    # Then the title's pixels are exactly the bundled font's drawing of those characters
    assert (
        ImageChops.difference(card.crop(box), _draw_alone(title, "臺灣通義千問").crop(box)).getbbox() is None
    )
    # And not what the same place looks like with six .notdef boxes (tofu) instead
    tofu = _draw_alone(title, MISSING * 6)
    assert ImageChops.difference(card.crop(box), tofu.crop(box)).getbbox() is not None


def test_headlines_and_key_points_have_ink() -> None:
    digest = make_digest()
    card = layout_card(digest)
    image = _image(render_image(digest))
    for role in ("kicker", "date", "title", "tagline", "headline", "keypoint", "sources", "legend"):
        region = card.region(role)
        assert region is not None, role
        assert _has_ink(image, region), role


# --- layout: wrapping, ellipsis, margins ---------------------------------------------------------

LONG_CJK = "超長的繁體中文標題沒有任何空格" * 20
LONG_WORD = "Supercalifragilisticexpialidocious" * 8
HOSTILE_LAYOUTS = {
    "long cjk": {
        "display_name": LONG_CJK[:300],
        "highlights": [{"headline": LONG_CJK[:300], "body": "x"}] * 3,
    },
    "one long latin word": {
        "display_name": LONG_WORD[:300],
        "highlights": [{"headline": LONG_WORD[:300], "body": "x"}] * 3,
    },
    "wide letters": {"display_name": "W" * 300, "highlights": [{"headline": "W" * 300, "body": "x"}] * 3},
    "many words": {"highlights": [{"headline": ("word " * 60).strip(), "body": "x"}] * 5},
    "zalgo and marks": {"highlights": [{"headline": "Z̴̡̢͍a̸̛͎l̶g̷o̵" * 20, "body": "x"}] * 3},
    "long key points": {"key_points": ["重點" * 150, "A" * 300, ("point " * 60).strip()]},
    "many hosts": {
        "sources": [
            {"id": i, "title": f"來源 {i}", "url": f"https://{'sub-' * 12}{i}.{'long' * 10}.example.com/a"}
            for i in range(1, 40)
        ]
    },
    "english": {"locale": "en", "display_name": "Llama " * 40},
}


@pytest.mark.parametrize("overrides", HOSTILE_LAYOUTS.values(), ids=HOSTILE_LAYOUTS.keys())
def test_long_text_never_reaches_the_outer_band(overrides: dict[str, Any]) -> None:
    # Given a digest full of text too long for the card
    digest = make_digest(**overrides)
    # When the card is drawn
    image = _image(render_image(digest))
    assert image.size == (WIDTH, HEIGHT)
    # Then the outer band is untouched background on all four sides
    for band in ((0, 0, WIDTH, BAND), (0, HEIGHT - BAND, WIDTH, HEIGHT), (0, 0, BAND, HEIGHT)):
        assert not _has_ink(image, band), band
    assert not _has_ink(image, (WIDTH - BAND, 0, WIDTH, HEIGHT))
    # And every line's ink stays within the content margin
    for run in layout_card(digest).runs:
        left, top, right, bottom = run.box()
        assert left >= MARGIN - 4 and right <= WIDTH - MARGIN + 4, run
        assert top >= MARGIN - 4 and bottom <= HEIGHT - MARGIN + 4, run


def _shape_box(card: Card, colour: tuple[int, int, int]) -> tuple[int, int, int, int]:
    [shape] = [shape for shape in card.shapes if shape.colour == colour]
    return shape.box


def _inside(inner: tuple[int, int, int, int], outer: tuple[int, int, int, int], slack: int = 2) -> bool:
    """Within outer; slack absorbs the 1px stroke that stands in for bold, and rounding."""
    return (
        outer[0] - slack <= inner[0]
        and outer[1] - slack <= inner[1]
        and inner[2] <= outer[2] + slack
        and inner[3] <= outer[3] + slack
    )


@pytest.mark.parametrize("overrides", HOSTILE_LAYOUTS.values(), ids=HOSTILE_LAYOUTS.keys())
def test_every_text_stays_in_its_own_area_and_no_two_lines_collide(overrides: dict[str, Any]) -> None:
    # Given the card of a digest full of text too long for it
    card = layout_card(make_digest(**overrides))
    rule, panel = _shape_box(card, RULE), _shape_box(card, PANEL)
    bar_top = min(shape.box[1] for shape in card.shapes if shape.box[1] > panel[3])
    areas = {
        "header": (MARGIN, MARGIN, WIDTH - MARGIN, rule[1]),  # name, date, tagline: above the rule
        "highlights": (MARGIN, rule[3], panel[0], bar_top),  # left column: right of it is the panel
        "panel": panel,  # key points inside their panel
        "sources": (MARGIN, panel[3], WIDTH - MARGIN, HEIGHT - MARGIN),  # count and legend: the foot
    }
    for run in card.runs:
        if not run.text:
            continue
        if run.role in ("kicker", "date", "title", "tagline"):
            area = "header"
        elif run.role in ("number", "headline") or (run.role == "section" and run.x < panel[0]):
            area = "highlights"
        elif run.role in ("bullet", "keypoint", "section"):
            area = "panel"
        else:
            area = "sources"
        # Then each line's ink lies inside its area
        assert _inside(run.box(), areas[area]), (area, run)
    # And no line's ink overlaps another's
    boxes = [(run.box(), run) for run in card.runs if run.text]
    for index, (box, run) in enumerate(boxes):
        for other_box, other in boxes[index + 1 :]:
            apart = box[2] <= other_box[0] or other_box[2] <= box[0] or box[3] <= other_box[1]
            assert apart or other_box[3] <= box[1], (run, other)


def test_cut_text_ends_with_an_ellipsis() -> None:
    card = layout_card(_with_highlights(LONG_CJK[:300], "短", "短"))
    headline_lines = [run.text for run in card.runs if run.role == "headline"]
    assert headline_lines[1].endswith(ELLIPSIS)
    assert headline_lines[2:] == ["短", "短"]


def test_card_shows_three_headlines_at_most_and_numbers_them() -> None:
    digest = _with_highlights("一", "二", "三", "四", "五")
    numbers = [run.text for run in layout_card(digest).runs if run.role == "number"]
    assert numbers == ["01", "02", "03"]


def test_source_mix_counts_sources_per_host() -> None:
    assert source_mix(make_digest()) == [("example.com", 2), ("blog.example.net", 1), ("news.example.org", 1)]
    legend = [run.text for run in layout_card(make_digest()).runs if run.role == "legend"]
    assert legend == ["example.com ×2", "blog.example.net ×1", "news.example.org ×1"]


def test_sources_label_counts_every_source() -> None:
    labels = [run.text for run in layout_card(make_digest()).runs if run.role == "sources"]
    assert labels == ["4 則來源"]


# --- wrapping rules (a fake measure: one unit per character, two per CJK character) -------------


def _units(text: str) -> float:
    return float(sum(2 if ord(char) > 0x2E80 else 1 for char in text))


@pytest.mark.parametrize(
    ("text", "width", "lines", "expected"),
    [
        ("一二三四五六", 6, 3, ["一二三", "四五六"]),  # CJK breaks between any two characters
        ("one two three", 8, 3, ["one two", "three"]),  # Latin breaks between words
        ("abcdefghij", 4, 3, ["abcd", "efgh", "ij"]),  # a word longer than the line is split
        ("一二三四五六七八", 6, 2, ["一二三", "四五…"]),  # overflow ends with an ellipsis
        ("一二，三四", 4, 3, ["一", "二，", "三四"]),  # a comma never starts a line
        ("Qwen 模型", 12, 1, ["Qwen 模型"]),
        ("", 10, 2, []),
    ],
)
def test_wrap(text: str, width: float, lines: int, expected: list[str]) -> None:
    result = wrap(text, _units, width, lines)
    assert result == expected
    assert all(_units(line) <= width for line in result)


def test_tokens_split_cjk_per_character_and_latin_per_word() -> None:
    assert wrap_units("Qwen 2.5 模型 update") == ["Qwen ", "2.5 ", "模", "型 ", "update"]


# --- determinism and alt text --------------------------------------------------------------------


def test_same_digest_same_bytes_and_a_new_day_new_bytes() -> None:
    first = render_image(make_digest())
    assert render_image(make_digest()) == first
    assert render_image(make_digest(date=dt.date(2026, 3, 13))) != first


def test_alt_text_is_one_sentence_about_the_card() -> None:
    alt = image_alt(make_digest())
    assert "\n" not in alt and alt.endswith("。")
    for part in ("QWEN", "2026-03-12", "Qwen 釋出可在筆電執行的精簡模型", "4 則來源", "example.com 2 則"):
        assert part in alt


def test_alt_text_in_english_and_bounded() -> None:
    # Given the longest headlines and host names a digest may hold
    hosts = [f"{'h' * 60}.{'x' * 60}.{'y' * 60}.example{i}.com" for i in range(8)]
    digest = make_digest(
        locale="en",
        highlights=[{"headline": "A" * 300, "body": "x"}] * 3,
        sources=[
            {"id": i, "title": "t", "url": f"https://{host}/a"} for i, host in enumerate(hosts, start=1)
        ],
    )
    alt = image_alt(digest)
    # Then the sentence stays short enough to read aloud
    assert alt.startswith("Infographic for QWEN on 2026-03-12: top stories “")
    assert alt.endswith(", others 3).") and len(alt) < 600


def test_alt_text_names_the_hosts_the_card_legend_shows() -> None:
    # Given sources from six hosts (the card's legend has room for five and "others")
    counts = {"a.example": 3, "b.example": 2, "c.example": 2, "d.example": 2, "e.example": 1, "f.example": 1}
    urls = [f"https://{host}/{n}" for host, count in counts.items() for n in range(count)]
    sources = [{"id": i, "title": f"來源 {i}", "url": url} for i, url in enumerate(urls, start=1)]
    digest = make_digest(sources=sources, highlights=[{"headline": "一", "body": "x", "source_ids": [1]}])
    # When the card and its alt text are made
    legend = [run.text for run in layout_card(digest).runs if run.role == "legend"]
    alt = image_alt(digest)
    # Then both list the same hosts, in the same order, with the same counts
    assert legend == [
        "a.example ×3",
        "b.example ×2",
        "c.example ×2",
        "d.example ×2",
        "e.example ×1",
        "其他 ×1",
    ]
    mix = alt.rsplit("（", 1)[1].removesuffix("）。")
    assert mix.split("、") == [text.replace(" ×", " ") + " 則" for text in legend]
