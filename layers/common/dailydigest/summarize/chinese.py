"""Traditional Chinese with Taiwan phrasing, so no Simplified character reaches a zh-TW post.

Models trained mostly on Simplified text slip into it. OpenCC's `s2twp` converts Simplified text to
Traditional characters with Taiwan vocabulary. Run over text that is already Traditional, though, it
rewrites correct usage (局部 -> 區域性, 擴展 -> 擴充套件, 簡立峰 -> 簡立峯 in a person's name), so it is
applied only to the sentences that hold a Simplified character.

A character counts as Simplified when OpenCC changes it to a Traditional form, leaves it alone in the
Traditional -> Simplified direction, and Big5 (the Traditional character set) cannot encode it; a few
Simplified forms that Big5 happens to hold are listed by hand. OpenCC (a compiled extension) loads
on first use.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

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


def _in_big5(char: str) -> bool:
    try:
        char.encode("big5")
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


def simplified_chars(text: str) -> list[str]:
    """The Simplified-only characters in text, in order (repeats kept)."""
    table = simplified_set()
    return [char for char in text if char in table]


def to_taiwan(text: str) -> str:
    """Text with every sentence that holds a Simplified character converted by `s2twp`."""
    table = simplified_set()
    if not any(char in table for char in text):
        return text
    converter = _converter(CONFIG)
    parts: list[str] = []
    for match in _SENTENCE.finditer(text):
        sentence = match.group(0)
        parts.append(converter.convert(sentence) if any(c in table for c in sentence) else sentence)
    return "".join(parts)
