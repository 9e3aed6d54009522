"""Traditional Chinese with Taiwan phrasing, so no Simplified character reaches a zh-TW post.

Models trained mostly on Simplified text slip into it. OpenCC's `s2twp` converts Simplified text to
Traditional characters with Taiwan vocabulary. Run over text that is already Traditional, though, it
rewrites correct usage (局部 -> 區域性, 擴展 -> 擴充套件, 簡立峰 -> 簡立峯 in a person's name), so it is
applied only to the sentences that hold a Simplified character.

A character counts as Simplified when OpenCC changes it to a Traditional form, leaves it alone in the
Traditional -> Simplified direction, and Big5 (the Traditional character set) cannot encode it; a few
Simplified forms that Big5 happens to hold are listed by hand. So text that Big5 encodes, without those
few, needs no look at all, and OpenCC (a compiled extension, plus a 0.1 s table) loads only for text
that may hold a Simplified character.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from dailydigest.models.digest import Digest

# The Digest's field limits: s2twp can lengthen a phrase (U盘 -> 隨身碟), so results are cut to fit.
from dailydigest.models.types import PARAGRAPH_MAX, SHORT_TEXT_MAX
from dailydigest.news.text import normalize

if TYPE_CHECKING:
    from opencc import OpenCC

CONFIG = "s2twp"
# Simplified forms that Big5 encodes (as rare variants) but Taiwan text does not use.
_SIMPLIFIED_IN_BIG5 = "体机极构优价网种确惊听坏怀厂儿吨宁扰洁苹茧荐虫蚕触赶离筑据怜忏昵肮杠棱淀泞洼"
_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF))
# A sentence (or clause run) ends at CJK or latin stops, or a line break.
_SENTENCE = re.compile(r"[^。！？!?；;\n]*[。！？!?；;\n]?")


@lru_cache(maxsize=4)
def _converter(config: str) -> OpenCC:
    from opencc import OpenCC

    return OpenCC(config)


def _in_big5(text: str) -> bool:
    try:
        text.encode("big5")
    except UnicodeEncodeError:
        return False
    return True


@lru_cache(maxsize=1)
def simplified_set() -> frozenset[str]:
    """Every CJK character that is a Simplified-only form."""
    chars = [chr(code) for low, high in _RANGES for code in range(low, high + 1)]
    joined = "\n".join(chars)
    to_traditional = _converter("s2tw").convert(joined).split("\n")
    to_simplified = _converter("t2s").convert(joined).split("\n")
    found = {
        char
        for char, traditional, simplified in zip(chars, to_traditional, to_simplified, strict=True)
        if traditional != char and simplified == char and not _in_big5(char)
    }
    return frozenset(found | set(_SIMPLIFIED_IN_BIG5))


def _maybe_simplified(text: str) -> bool:
    """False when text surely holds no Simplified-only character (a test that needs no OpenCC)."""
    return not _in_big5(text) or any(char in _SIMPLIFIED_IN_BIG5 for char in text)


def simplified_chars(text: str) -> list[str]:
    """The Simplified-only characters in text, in order (repeats kept)."""
    if not _maybe_simplified(text):
        return []
    table = simplified_set()
    return [char for char in text if char in table]


def to_taiwan(text: str) -> str:
    """Text with every sentence that holds a Simplified character converted by `s2twp`."""
    if not simplified_chars(text):
        return text
    table = simplified_set()
    converter = _converter(CONFIG)
    parts: list[str] = []
    for match in _SENTENCE.finditer(text):
        sentence = match.group(0)
        parts.append(converter.convert(sentence) if any(c in table for c in sentence) else sentence)
    return "".join(parts)


def digest_to_taiwan(digest: Digest) -> Digest:
    """The digest with every text a post shows (prose, headlines, tags, source titles) in Taiwan
    Traditional Chinese; for summarizers that quote articles, which may be written in Simplified."""

    def short(text: str) -> str:
        return to_taiwan(text)[:SHORT_TEXT_MAX]

    def paragraph(text: str) -> str:
        return to_taiwan(text)[:PARAGRAPH_MAX]

    data: dict[str, Any] = digest.model_dump()
    tags: dict[str, str] = {}
    for tag in data["tags"]:
        text = to_taiwan(tag)[:60]
        tags.setdefault(normalize(text), text)  # 开源 and 開源 are one tag
    data.update(
        display_name=short(data["display_name"]),
        trend_overview=paragraph(data["trend_overview"]),
        highlights=[
            {**item, "headline": short(item["headline"]), "body": paragraph(item["body"])}
            for item in data["highlights"]
        ],
        analysis={name: paragraph(text) for name, text in data["analysis"].items()},
        key_points=[paragraph(point) for point in data["key_points"]],
        implications={name: [paragraph(t) for t in texts] for name, texts in data["implications"].items()},
        tags=list(tags.values()),
        ai_summary=paragraph(data["ai_summary"]),
        sources=[{**source, "title": short(source["title"])} for source in data["sources"]],
    )
    return Digest.model_validate(data)
