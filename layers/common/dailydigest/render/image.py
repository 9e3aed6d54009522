"""The post's infographic: for now a plain 1200x630 card in Latin text (a CJK one comes later)."""

from __future__ import annotations

import hashlib
import io

from dailydigest.models.digest import Digest

SIZE = (1200, 630)  # the Open Graph card size themes expect for `image:`
BACKGROUND = (17, 24, 39)
FOREGROUND = (243, 244, 246)
MUTED = (156, 163, 175)


def render_image(digest: Digest) -> bytes:
    """PNG bytes; the same digest always gives the same bytes (PNG carries no timestamp here)."""
    from PIL import Image, ImageDraw, ImageFont  # imported here: Pillow is heavy for a cold start

    image = Image.new("RGB", SIZE, BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, SIZE[0], 16), fill=_accent(digest.topic))
    draw.rectangle((80, 560, 280, 566), fill=_accent(digest.topic))
    lines = (
        (_latin(digest.display_name, fallback=digest.topic.upper()), 96, FOREGROUND, 150),
        (f"Daily digest - {digest.date.isoformat()}", 48, FOREGROUND, 300),
        (_counts(digest), 36, MUTED, 390),
    )
    for text, size, colour, top in lines:
        font = ImageFont.load_default(size=size)
        draw.text((80, top), text, fill=colour, font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _latin(text: str, fallback: str) -> str:
    # Pillow's default font has no CJK glyphs: use the slug rather than draw empty boxes.
    chosen = text if text.isascii() and text.isprintable() else fallback
    return chosen if len(chosen) <= 24 else chosen[:23] + "..."


def _counts(digest: Digest) -> str:
    stories = _plural(len(digest.highlights), "story", "stories")
    sources = _plural(len(digest.sources), "source", "sources")
    return f"{stories} from {sources}"


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _accent(slug: str) -> tuple[int, int, int]:
    """A stable colour per topic (hashlib, not hash(): str hashes change between processes)."""
    red, green, blue = hashlib.sha256(slug.encode()).digest()[:3]
    # Lift each channel so the accent stays visible on the dark background.
    return (96 + red % 160, 96 + green % 160, 96 + blue % 160)
