"""render_image: a real, deterministic 1200x630 PNG."""

from __future__ import annotations

import datetime as dt
import io

from PIL import Image

from dailydigest.render import render_image
from tests.factories import make_digest

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_image_is_a_1200_by_630_png() -> None:
    data = render_image(make_digest())
    assert data.startswith(PNG_MAGIC)
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG"
        assert image.size == (1200, 630)
        # Not a blank canvas: the text and the accent bar add colours
        assert len(image.getcolors(maxcolors=100_000) or []) > 2


def test_same_digest_gives_the_same_bytes() -> None:
    assert render_image(make_digest()) == render_image(make_digest())


def test_another_day_gives_another_image() -> None:
    assert render_image(make_digest()) != render_image(make_digest(date=dt.date(2026, 3, 13)))


def test_non_latin_display_name_still_renders() -> None:
    # The default font has no CJK glyphs: the slug stands in for the name.
    data = render_image(make_digest(display_name="通義千問"))
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (1200, 630)
