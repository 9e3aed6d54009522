from __future__ import annotations

from typing import Any

import pytest

from dailydigest.bus.pattern import matches
from dailydigest.errors import UnsupportedPatternError

EVENT = {
    "source": "dailydigest",
    "detail-type": "ArticlesFetched",
    "detail": {"topic": "qwen", "article_count": 7, "tags": ["a", "b"]},
}


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ({"source": ["dailydigest"]}, True),
        ({"source": ["other"]}, False),
        ({"source": ["dailydigest"], "detail-type": ["DigestWritten"]}, False),
        ({"detail": {"topic": ["qwen", "llama"]}}, True),
        ({"detail": {"topic": [{"prefix": "qw"}]}}, True),
        ({"detail": {"topic": [{"suffix": "en"}]}}, True),
        ({"detail": {"topic": [{"anything-but": "qwen"}]}}, False),
        ({"detail": {"topic": [{"equals-ignore-case": "QWEN"}]}}, True),
        ({"detail": {"missing": [{"exists": False}]}}, True),
        ({"detail": {"missing": [{"exists": True}]}}, False),
        ({"detail": {"missing": ["x"]}}, False),
        ({"detail": {"tags": ["b"]}}, True),
        ({"detail": {"topic": {"nested": ["x"]}}}, False),
    ],
)
def test_pattern_matching(pattern: dict[str, Any], expected: bool) -> None:
    assert matches(pattern, EVENT) is expected


@pytest.mark.parametrize(
    "pattern",
    [
        {"source": "dailydigest"},
        {"detail": {"article_count": [{"numeric": [">", 1]}]}},
        {"source": [{"prefix": "d", "suffix": "t"}]},
    ],
)
def test_unsupported_patterns_fail_loudly(pattern: dict[str, Any]) -> None:
    with pytest.raises(UnsupportedPatternError):
        matches(pattern, EVENT)
