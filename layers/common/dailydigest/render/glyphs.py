"""The infographic's font and the characters it can draw.

The font is Noto Sans TC (SIL OFL 1.1) from the `pylopdf-fonts-zh-tw` PyPI package, found through
importlib.resources, never a system font, so every machine (and Lambda) draws the same card.

Tofu guard: a character the font has no glyph for is drawn as the .notdef box. We read the font's
Unicode cmap once (format 12, else format 4; the same subtable FreeType selects) and drop every
character outside it before drawing. This is exact, cheap (a set lookup) and needs no fontTools at
run time; the tests check it against fontTools and against the rendered .notdef mask.
"""

from __future__ import annotations

import re
import struct
import unicodedata
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from dailydigest.render.escape import one_line

if TYPE_CHECKING:
    from PIL.ImageFont import FreeTypeFont

FONT_PACKAGE = "pylopdf_fonts_zh_tw"
FONT_FILE = "NotoSansTC-Regular.otf"

_SPACES = re.compile(r"\s+")
# (platform, encoding) of Unicode cmap subtables, best first: full repertoire before BMP-only.
_UNICODE_SUBTABLES = ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0))


@lru_cache(maxsize=1)
def font_path() -> Path:
    """The bundled font file (a real file: FreeType needs a path)."""
    resource = files(FONT_PACKAGE).joinpath(FONT_FILE)
    path = Path(str(resource))
    if not path.is_file():
        raise FileNotFoundError(f"font {FONT_FILE} not found in package {FONT_PACKAGE}")
    return path


@lru_cache(maxsize=16)
def load_font(size: int) -> FreeTypeFont:
    """The font at a pixel size, with Pillow's basic layout: the same glyphs with or without libraqm."""
    from PIL import ImageFont  # imported here: Pillow is heavy for a cold start

    return ImageFont.truetype(str(font_path()), size, layout_engine=ImageFont.Layout.BASIC)


@lru_cache(maxsize=1)
def covered() -> frozenset[int]:
    """Every code point the font maps to a real glyph (glyph 0 is .notdef, the tofu box)."""
    with font_path().open("rb") as handle:
        return frozenset(read_cmap(handle))


def drawable(text: str) -> str:
    """One line of text with only characters the font draws: emoji and unknown glyphs dropped,
    any whitespace a single space."""
    text = unicodedata.normalize("NFC", one_line(text))
    text = _SPACES.sub(" ", text)
    glyphs = covered()
    kept = "".join(char for char in text if char == " " or ord(char) in glyphs)
    return _SPACES.sub(" ", kept).strip()


def read_cmap(handle: BinaryIO) -> set[int]:
    """Code points with a glyph, from an OpenType/TrueType file's best Unicode cmap subtable."""
    tag, num_tables = struct.unpack(">4sH", _read(handle, 0, 6))
    if tag not in (b"OTTO", b"\x00\x01\x00\x00", b"true"):
        raise ValueError("not an OpenType font")
    records = _read(handle, 12, 16 * num_tables)
    for index in range(num_tables):
        name, _checksum, offset, _length = struct.unpack_from(">4sIII", records, 16 * index)
        if name == b"cmap":
            return _parse_cmap(handle, offset)
    raise ValueError("font has no cmap table")


def _parse_cmap(handle: BinaryIO, base: int) -> set[int]:
    _version, count = struct.unpack(">HH", _read(handle, base, 4))
    encodings = _read(handle, base + 4, 8 * count)
    found: dict[tuple[int, int], int] = {}
    for index in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", encodings, 8 * index)
        found.setdefault((platform, encoding), base + offset)
    for key in _UNICODE_SUBTABLES:
        if key in found:
            (fmt,) = struct.unpack(">H", _read(handle, found[key], 2))
            if fmt == 12:
                return _format12(handle, found[key])
            if fmt == 4:
                return _format4(handle, found[key])
    raise ValueError("font has no Unicode cmap in format 4 or 12")


def _format12(handle: BinaryIO, start: int) -> set[int]:
    _fmt, _reserved, _length, _language, groups = struct.unpack(">HHIII", _read(handle, start, 16))
    data = _read(handle, start + 16, 12 * groups)
    points: set[int] = set()
    for index in range(groups):
        first, last, glyph = struct.unpack_from(">III", data, 12 * index)
        # A group starting at glyph 0 maps its first code point to .notdef.
        points.update(range(first + (1 if glyph == 0 else 0), last + 1))
    return points


def _format4(handle: BinaryIO, start: int) -> set[int]:
    _fmt, length = struct.unpack(">HH", _read(handle, start, 4))
    data = _read(handle, start, length)
    segments = struct.unpack_from(">H", data, 6)[0] // 2
    ends = struct.unpack_from(f">{segments}H", data, 14)
    starts = struct.unpack_from(f">{segments}H", data, 16 + 2 * segments)
    deltas = struct.unpack_from(f">{segments}h", data, 16 + 4 * segments)
    range_at = 16 + 6 * segments
    ranges = struct.unpack_from(f">{segments}H", data, range_at)
    points: set[int] = set()
    for index in range(segments):
        for code in range(starts[index], ends[index] + 1):
            if code == 0xFFFF:
                continue
            if ranges[index] == 0:
                glyph = (code + deltas[index]) & 0xFFFF
            else:
                at = range_at + 2 * index + ranges[index] + 2 * (code - starts[index])
                if at + 2 > len(data):
                    continue
                glyph = struct.unpack_from(">H", data, at)[0]
                glyph = (glyph + deltas[index]) & 0xFFFF if glyph else 0
            if glyph:
                points.add(code)
    return points


def _read(handle: BinaryIO, offset: int, size: int) -> bytes:
    handle.seek(offset)
    data = handle.read(size)
    if len(data) != size:
        raise ValueError("truncated font file")
    return data
