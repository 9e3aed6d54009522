"""The post's infographic: a 1200x630 social card drawn from the digest.

The card shows the topic and date, the top three headlines, up to three key points and the mix of
sources by publisher host. `layout_card` decides every line (pure geometry, measured with the
bundled Noto Sans TC); `render_image` only draws it. Text is wrapped by pixel width, cut with an
ellipsis when it would overflow its box, and stripped of characters the font lacks (no tofu),
so nothing ever reaches the outer margin.
"""

from __future__ import annotations

import hashlib
import io
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

from dailydigest.models.digest import Digest
from dailydigest.render.glyphs import drawable, load_font
from dailydigest.render.locale import LocaleStrings, strings_for
from dailydigest.render.wrap import Measure, wrap

if TYPE_CHECKING:
    from PIL.ImageFont import FreeTypeFont

RGB = tuple[int, int, int]
Box = tuple[int, int, int, int]

SIZE = (1200, 630)  # the Open Graph card size themes expect for `image:`
WIDTH, HEIGHT = SIZE
MARGIN = 48  # content keeps this far from every edge
BACKGROUND: RGB = (15, 23, 42)
PANEL: RGB = (30, 41, 59)
RULE: RGB = (51, 65, 85)
FOREGROUND: RGB = (241, 245, 249)
MUTED: RGB = (148, 163, 184)
OTHERS: RGB = (100, 116, 139)
# Accents readable on the dark background; a topic keeps its colour across days.
PALETTE: tuple[RGB, ...] = (
    (56, 189, 248),
    (52, 211, 153),
    (251, 191, 36),
    (251, 113, 133),
    (167, 139, 250),
    (251, 146, 60),
    (45, 212, 191),
    (163, 230, 53),
)
TITLE_SIZES = (64, 56, 48, 40)
MAX_LEGEND = 5


@dataclass(frozen=True)
class Run:
    """One line of text on the card, placed by its baseline."""

    role: str
    text: str
    x: int  # the left edge, or the right edge when align is "right"
    baseline: int
    size: int
    colour: RGB
    bold: bool = False
    align: Literal["left", "right"] = "left"

    @property
    def stroke(self) -> int:
        # The font ships one weight; a 1px stroke in the text colour stands in for bold.
        return 1 if self.bold else 0

    @property
    def anchor(self) -> str:
        """Pillow's anchor: x is the left (or right) end of the baseline."""
        return "rs" if self.align == "right" else "ls"

    def box(self) -> Box:
        """The ink's bounding box on the canvas."""
        left, top, right, bottom = load_font(self.size).getbbox(
            self.text, anchor=self.anchor, stroke_width=self.stroke
        )
        return (
            int(self.x + left),
            int(self.baseline + top),
            int(self.x + right),
            int(self.baseline + bottom),
        )


@dataclass(frozen=True)
class Shape:
    box: Box
    colour: RGB
    radius: int = 0


@dataclass(frozen=True)
class Card:
    shapes: tuple[Shape, ...]
    runs: tuple[Run, ...]

    def region(self, role: str) -> Box | None:
        """The union of the ink boxes of every run with this role."""
        boxes = [run.box() for run in self.runs if run.role == role and run.text]
        if not boxes:
            return None
        return (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )


def render_image(digest: Digest) -> bytes:
    """PNG bytes; the same digest always gives the same bytes (PNG carries no timestamp here)."""
    from PIL import Image, ImageDraw  # imported here: Pillow is heavy for a cold start

    card = layout_card(digest)
    image = Image.new("RGB", SIZE, BACKGROUND)
    draw = ImageDraw.Draw(image)
    for shape in card.shapes:
        if shape.radius:
            draw.rounded_rectangle(shape.box, radius=shape.radius, fill=shape.colour)
        else:
            draw.rectangle(shape.box, fill=shape.colour)
    for run in card.runs:
        draw.text(
            (run.x, run.baseline),
            run.text,
            fill=run.colour,
            font=load_font(run.size),
            anchor=run.anchor,
            stroke_width=run.stroke,
            stroke_fill=run.colour,
        )
    buffer = io.BytesIO()
    # Default zlib level: optimize=True saves about 2% of the bytes for five times the time.
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def layout_card(digest: Digest) -> Card:
    """Every shape and line of the card, inside the margins."""
    strings = strings_for(digest.locale)
    accent_index = _accent_index(digest.topic)
    accent = PALETTE[accent_index]
    shapes: list[Shape] = []
    runs: list[Run] = []
    _header(digest, strings, accent, shapes, runs)
    shapes.append(Shape((MARGIN, 212, WIDTH - MARGIN, 213), RULE))
    _highlights(digest, strings, accent, runs)
    _key_points(digest, strings, accent, shapes, runs)
    _source_mix(digest, strings, accent_index, shapes, runs)
    return Card(tuple(shapes), tuple(runs))


def source_mix(digest: Digest) -> list[tuple[str, int]]:
    """(publisher host, number of sources), most sources first, then by name."""
    hosts = Counter(_host(str(source.url)) for source in digest.sources)
    return sorted(hosts.items(), key=lambda item: (-item[1], item[0]))


def _header(
    digest: Digest, strings: LocaleStrings, accent: RGB, shapes: list[Shape], runs: list[Run]
) -> None:
    day = f"{digest.date.isoformat()} {strings.weekdays[digest.date.weekday()]}"
    date_run = Run("date", day, WIDTH - MARGIN, 65, 20, MUTED, align="right")
    runs.append(date_run)
    kicker_width = WIDTH - 2 * MARGIN - int(_measure(20)(day)) - 32
    runs.append(_one_line("kicker", strings.kicker, MARGIN, 65, 20, accent, kicker_width))
    text_x = MARGIN + 24
    width = WIDTH - MARGIN - text_x
    name = drawable(digest.display_name) or digest.topic.upper()
    size = next((s for s in TITLE_SIZES if _measure(s, 2)(name) <= width), TITLE_SIZES[-1])
    runs.append(_one_line("title", name, text_x, 84 + round(0.88 * size), size, FOREGROUND, width, bold=True))
    tagline = strings.tagline_for(digest.display_name, len(digest.sources))
    runs.append(_one_line("tagline", tagline, text_x, 186, 24, MUTED, width))
    shapes.append(Shape((MARGIN, 92, MARGIN + 6, 192), accent, radius=3))


def _highlights(digest: Digest, strings: LocaleStrings, accent: RGB, runs: list[Run]) -> None:
    left, right, bottom = MARGIN, MARGIN + 672, 500
    runs.append(_one_line("section", strings.highlights, left, 248, 18, accent, right - left))
    top, size, line_height = 266, 26, 34
    number = 0
    for item in digest.highlights:
        if number == 3:
            break
        marker = strings.update_marker if item.is_update else ""
        text = drawable(marker + item.headline)
        max_lines = min(2, (bottom - top) // line_height)
        lines = wrap(text, _measure(size), right - left - 48, max_lines) if text else []
        if not lines:
            continue
        number += 1
        baseline = top + 23
        runs.append(Run("number", f"{number:02d}", left, baseline, 24, accent, bold=True))
        for index, line in enumerate(lines):
            runs.append(Run("headline", line, left + 48, baseline + index * line_height, size, FOREGROUND))
        top += len(lines) * line_height + 12


def _key_points(
    digest: Digest, strings: LocaleStrings, accent: RGB, shapes: list[Shape], runs: list[Run]
) -> None:
    left, right, top, bottom, pad = MARGIN + 704, WIDTH - MARGIN, 232, 500, 22
    shapes.append(Shape((left, top, right, bottom), PANEL, radius=16))
    runs.append(_one_line("section", strings.key_points, left + pad, 270, 18, accent, right - left - 2 * pad))
    y, size, line_height = 286, 20, 29
    shown = 0
    for point in digest.key_points:
        text = drawable(point)
        max_lines = min(3, (bottom - pad - y) // line_height)
        if shown == 3 or max_lines < 1:
            break
        lines = wrap(text, _measure(size), right - pad - (left + pad + 20), max_lines) if text else []
        if not lines:
            continue
        shown += 1
        baseline = y + 21
        runs.append(Run("bullet", "•", left + pad, baseline, size, accent))
        for index, line in enumerate(lines):
            runs.append(
                Run("keypoint", line, left + pad + 20, baseline + index * line_height, size, FOREGROUND)
            )
        y += len(lines) * line_height + 10


def _source_mix(
    digest: Digest, strings: LocaleStrings, accent_index: int, shapes: list[Shape], runs: list[Run]
) -> None:
    label = strings.source_count_for(len(digest.sources))
    label_run = _one_line("sources", label, MARGIN, 538, 20, FOREGROUND, 240)
    runs.append(label_run)
    bar_left = MARGIN + int(_measure(20)(label_run.text)) + 24
    legend = _legend(source_mix(digest), accent_index, strings.others)
    # The bar: one segment per legend entry, widths proportional to the number of sources.
    total, done = sum(n for _, n, _ in legend), 0
    span = WIDTH - MARGIN - bar_left
    for _label, n, colour in legend:
        start = bar_left + span * done // total
        done += n
        end = bar_left + span * done // total
        if end - start > 2:
            shapes.append(Shape((start, 526, end - 2, 537), colour))
    x = MARGIN
    for text, n, colour in legend:
        entry = f"{text} ×{n}"
        shapes.append(Shape((x, 561, x + 11, 572), colour))
        runs.append(Run("legend", entry, x + 18, 573, 17, MUTED))
        x += 18 + int(_measure(17)(entry)) + 24


def _legend(mix: list[tuple[str, int]], accent_index: int, others: str) -> list[tuple[str, int, RGB]]:
    """Legend entries that fit on one line; the hosts left over become one "others" entry."""
    measure = _measure(17)
    width = WIDTH - 2 * MARGIN
    hosts = [
        ((wrap(drawable(host), measure, 260, 1) or ["?"])[0], n, PALETTE[(accent_index + i) % len(PALETTE)])
        for i, (host, n) in enumerate(mix[:MAX_LEGEND])
    ]
    for shown in range(len(hosts), -1, -1):
        entries = hosts[:shown]
        rest = sum(n for _, n in mix[shown:])
        if rest:
            entries.append((others, rest, OTHERS))
        used = sum(18 + measure(f"{text} ×{n}") + 24 for text, n, _ in entries) - 24
        if used <= width:
            return entries
    return [(others, sum(n for _, n in mix), OTHERS)]


def _one_line(
    role: str, text: str, x: int, baseline: int, size: int, colour: RGB, width: int, bold: bool = False
) -> Run:
    lines = wrap(drawable(text), _measure(size, 2 if bold else 0), width, 1)
    return Run(role, lines[0] if lines else "", x, baseline, size, colour, bold=bold)


def _measure(size: int, extra: int = 0) -> Measure:
    font: FreeTypeFont = load_font(size)
    return lambda text: font.getlength(text) + extra


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.") or "?"


def _accent_index(slug: str) -> int:
    """A stable colour per topic (hashlib, not hash(): str hashes change between processes)."""
    return hashlib.sha256(slug.encode()).digest()[0] % len(PALETTE)
