"""What clustering compares in an article: its own words and the names and figures it reports.

- **Own words.** Sentences an outlet repeats in several of the day's articles (its background
  paragraph, a newsletter plug) are the outlet's, not the event's: they are left out.
- **One script.** Simplified and Traditional Chinese reports of one event write the same words with
  different characters (阿里云 / 阿里雲): both are compared in Traditional characters (OpenCC `s2t`,
  loaded only when a Simplified character may be present).
- **Anchors.** Model and product names with their versions (`qwen4-coder-32b`, `cve-2026-41234`)
  and figures with their magnitude, read alike in Chinese and English: 200 萬 / 兩百萬 / 2M /
  2 million are one figure, 320 億 is 32B, 六成 is 60%, $0.32 and 0.32 美元 are 0.32. Dates are not
  figures (every report of a day shares them).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from dailydigest.news.text import normalize, split_sentences

if TYPE_CHECKING:
    from opencc import OpenCC

# --- one script ---------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _to_traditional() -> OpenCC:
    from opencc import OpenCC  # a compiled table: loaded only for text that may be Simplified

    return OpenCC("s2t")


def _maybe_simplified(text: str) -> bool:
    # Big5 holds the Traditional characters (and a few Simplified ones, harmless to convert again).
    try:
        text.encode("big5")
    except UnicodeEncodeError:
        return True
    return False


def traditional(text: str) -> str:
    """The text with Simplified characters in their Traditional forms (other text as it is)."""
    cjk = "".join(char for char in text if "\u3400" <= char <= "\u9fff")
    if not cjk or not _maybe_simplified(cjk):
        return text
    converted: str = _to_traditional().convert(text)
    return converted


# --- own words ----------------------------------------------------------------------------------------

_SENTENCE_KEY = re.compile(r"\W+")
_MIN_BOILERPLATE_CHARS = 12


def _sentence_key(sentence: str) -> str:
    return _SENTENCE_KEY.sub("", normalize(sentence))


def outlet_boilerplate(texts_by_outlet: Sequence[tuple[str, str]]) -> frozenset[str]:
    """Keys of sentences that one outlet repeats in two or more of the given texts."""
    counts: Counter[tuple[str, str]] = Counter()
    for outlet, text in texts_by_outlet:
        keys = {_sentence_key(sentence) for sentence in split_sentences(text)}
        counts.update((outlet, key) for key in keys if len(key) >= _MIN_BOILERPLATE_CHARS)
    return frozenset(key for (_, key), count in counts.items() if count >= 2)


def without_sentences(text: str, dropped: frozenset[str]) -> str:
    """The text without the sentences whose keys are in `dropped`."""
    if not dropped:
        return text
    return "\n".join(sentence for sentence in split_sentences(text) if _sentence_key(sentence) not in dropped)


# --- anchors ------------------------------------------------------------------------------------------

# A name with a version (qwen4-plus, gpt-4o, cve-2026-41234, llama3, qwen3.5) or a capitalised
# compound (Qwen-VL, SWE-bench); plain hyphenated words (long-context, needle-in-a-haystack) are not names.
_NAME = re.compile(
    r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9]*(?:\.\d+)*(?:[-_][A-Za-z0-9]+(?:\.\d+)*)+(?![A-Za-z0-9])"
    r"|(?<![A-Za-z0-9])[A-Za-z]+\d+(?:\.\d+)*[A-Za-z0-9]*(?![A-Za-z0-9])"
)
# A capitalised name and its version written apart: "Llama 4", "Qwen-VL 5", "Gemini 2.5" (not a
# figure: "Alibaba 300 million" has no version).
_SPACED_VERSION = re.compile(
    r"(?<![A-Za-z0-9])([A-Z][A-Za-z]*(?:-[A-Za-z0-9]+)*) (\d{1,2}(?:\.\d)?)(?![\d.,]*\d)"
    r"(?!\s*(?:%|percent|[kmbtKMBT]\b|thousand|million|billion|trillion|[萬万億亿千]))"
)
# A short bare version after a word ("llama-4", "qwen 3.5", "llama-4-scout"), not a size or a part
# ("coder-32b") nor a year or an id ("cve-2026-41234").
_LETTERS_THEN_DIGITS = re.compile(r"(?<=[a-z])[-_ ](?=\d{1,2}(?:\.\d+)*(?:$|[-_]))")
_MONTHS = (
    "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|august|"
    "september|october|november|december"
)
_DATES = re.compile(
    rf"(?i)\d{{1,4}}\s*年\s*\d{{1,2}}\s*月(?:\s*\d{{1,2}}\s*[日號号])?|\d{{1,2}}\s*月\s*\d{{1,2}}\s*[日號号]"
    rf"|\d{{1,2}}\s*[日號号月]|\b(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,\s*\d{{4}})?"
)
_CJK_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "兩": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CJK_UNITS = {"十": 10, "百": 100, "千": 1000}
# "每百萬" is "per million", a rate's unit, not a figure of the event.
_CJK_NUMERAL = re.compile(
    "(?<!每)(?:[零〇一二兩两三四五六七八九十]成|[零〇一二兩两三四五六七八九十百千]+[萬万億亿]?)"
)
_VERSION = re.compile(r"(?<![0-9A-Za-z.])v?(\d+\.\d+\.\d+)(?!\w|\.\d)")
_MAGNITUDES = {
    "k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "mn": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9,
    "t": 1e12, "trillion": 1e12, "萬": 1e4, "万": 1e4, "億": 1e8, "亿": 1e8, "千": 1e3,
}  # fmt: skip
_FIGURE = re.compile(
    r"(?<![0-9A-Za-z.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*"
    r"(%|percent|trillion|billion|million|thousand|bn|mn|[kmbt](?![a-z])|[萬万億亿千]|成)?"
)


def _cjk_numeral(text: str) -> float | None:
    """兩百 -> 200, 三千五百 -> 3500, 十二 -> 12 (without the 萬/億 magnitude)."""
    total, digit = 0, None
    for char in text:
        if char in _CJK_DIGITS:
            digit = _CJK_DIGITS[char]
        elif char in _CJK_UNITS:
            total += (1 if digit is None else digit) * _CJK_UNITS[char]
            digit = None
        else:
            return None
    return float(total + (digit or 0))


def _figure(value: float, unit: str) -> str | None:
    if unit in ("%", "percent"):
        return f"%{value:g}"
    if unit == "成":
        return f"%{value * 10:g}"
    magnitude = _MAGNITUDES.get(unit, 1.0)
    number = value * magnitude
    # Small bare integers (counts, ordinals, "5" in "Qwen-VL 5") say little about an event.
    if magnitude == 1.0 and number.is_integer() and number < 13:
        return None
    return f"#{number:.4g}"


def distinct_names(shared: frozenset[str]) -> int:
    """How many different things the shared anchors name: a family or the versioned part of a longer
    shared name is that name (qwen4 and qwen4-plus are one, so are v4 and deepseek-v4)."""

    def covered(anchor: str) -> bool:
        return any(other.startswith(f"{anchor}-") or other.endswith(f"-{anchor}") for other in shared)

    return sum(1 for anchor in shared if not covered(anchor))


def _name_forms(written: str, ignore: frozenset[str]) -> set[str]:
    """A name as compared: casefolded, a version joined to its word (llama-4, llama 4 -> llama4),
    with its families (qwen4-coder-32b is also a qwen4-coder and a qwen4) and its versioned parts
    (deepseek-v4 also names v4, as "DeepSeek V4" is written)."""
    name = _LETTERS_THEN_DIGITS.sub("", written.casefold())
    parts = re.split(r"[-_]", name)
    forms = {"-".join(parts[:end]) for end in range(1, len(parts) + 1)}
    forms.update(part for part in parts if part[:1].isalpha() and any(char.isdigit() for char in part))
    return {
        form
        for form in forms
        if form not in ignore and not form[:1].isdigit() and (len(form) > 2 or form[-1:].isdigit())
    }


def anchors(text: str, ignore: frozenset[str] = frozenset()) -> frozenset[str]:
    """Names with versions and figures with magnitudes, normalised across Chinese and English."""
    undated = _DATES.sub(" ", unicodedata.normalize("NFKC", text))
    found: set[str] = set()
    for match in _NAME.finditer(undated):
        written = match.group(0)
        if any(char.isdigit() for char in written) or not written.islower():
            found |= _name_forms(written, ignore)
    for match in _SPACED_VERSION.finditer(undated):
        found |= _name_forms(f"{match.group(1)}{match.group(2)}", ignore)
    # The figures inside a name (235B in Qwen4-235B-A22B) are that name, not a second anchor.
    folded = _NAME.sub(" ", undated).casefold()
    for match in _CJK_NUMERAL.finditer(folded):
        numeral = match.group(0)
        if len(numeral) < 2:  # a lone 千 or 百 is a word's first character (千問, 百鍊), not a figure
            continue
        if numeral.endswith("成"):
            value = _CJK_DIGITS.get(numeral[0])
            figure = _figure(float(value), "成") if value is not None else None
        else:
            unit = numeral[-1] if numeral[-1] in "萬万億亿" else ""
            value_or_none = _cjk_numeral(numeral[:-1] if unit else numeral)
            figure = (
                _figure(value_or_none, unit) if value_or_none and (unit or value_or_none >= 100) else None
            )
        if figure:
            found.add(figure)
    for match in _VERSION.finditer(folded):
        found.add(f"v{match.group(1)}")
    folded = _VERSION.sub(" ", folded)
    for match in _FIGURE.finditer(folded):
        digits, unit = match.group(1).replace(",", ""), match.group(2) or ""
        figure = _figure(float(digits), unit)
        if figure:
            found.add(figure)
    return frozenset(found)
