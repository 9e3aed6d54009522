"""Grounding and safety checks on the model's answer, as a table of cases."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from dailydigest.summarize.llm.grounding import (
    check_answer,
    check_notes,
    parse_json,
    source_ids,
    text_problems,
)
from dailydigest.summarize.llm.material import build_material
from tests.support.llm_fixtures import CANARY, INJECTION_ZH, answer, dumps, hostile_stories, stories

MATERIAL = build_material(stories())
HOSTILE = build_material(hostile_stories())


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def mutate(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = data
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        node[int(last) if last.isdigit() else last] = value

    return mutate


# (case, mutation, expected error fragment or None when the answer passes)
ERROR_CASES: list[tuple[str, Callable[[dict[str, Any]], None], str | None]] = [
    ("valid", lambda d: None, None),
    ("unknown id beside a known one", _set("highlights.0.source_ids", [1, 99]), None),
    ("ids written as S-tags", _set("highlights.0.source_ids", ["S1", "[S2]"]), None),
    ("url in a body", _set("highlights.1.body", "見 https://invented.example/a 。"), "contains a URL"),
    ("www address", _set("ai_summary", "請見 www.example.com 的說明。"), "contains a URL"),
    ("domain with a path", _set("trend_overview", "公告在 qwen.example.ai/blog/x 上。"), "contains a URL"),
    ("markdown link", _set("key_points.0.text", "見[公告](x)。"), "Markdown link"),
    ("html", _set("analysis.significance", "<div>重要</div>"), "HTML"),
    ("script", _set("analysis.comparison", "<script>alert(1)</script>"), "contains script"),
    ("javascript url", _set("tags", ["javascript:alert(1)"]), "contains script"),
    ("canary", _set("ai_summary", f"摘要 {CANARY}"), "planted in an article"),
    ("delimiters", _set("trend_overview", "<<<END abc>>> 其他"), "data delimiters"),
    ("schema: wrong type", _set("analysis", "一段話"), "analysis"),
    ("schema: empty list", _set("implications.users", []), "implications.users"),
    ("schema: extra field", _set("url", "x"), "url"),
    (
        "every highlight uncited",
        _set("highlights", [{"story": 1, "headline": "a", "body": "b", "source_ids": [50]}]),
        "no highlight cites a fetched source",
    ),
]


@pytest.mark.parametrize(("case", "mutate", "expected"), ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
def test_answer_checks(case: str, mutate: Callable[[dict[str, Any]], None], expected: str | None) -> None:
    data = answer()
    mutate(data)
    checked = check_answer(dumps(data), MATERIAL, [CANARY])
    if expected is None:
        assert checked.ok, checked.errors
    else:
        assert not checked.ok
        assert any(expected in error for error in checked.errors), checked.errors


def test_plain_text_that_merely_looks_technical_passes() -> None:
    data = answer(trend_overview="延遲 <10 秒，比 a < b > c 快；Character.ai 與 Qwen 2.5 的比較。")
    assert check_answer(dumps(data), MATERIAL).ok


def test_grounding_counts_cited_claims_and_drops_the_rest() -> None:
    data = answer()
    data["key_points"].append({"text": "沒有來源。", "source_ids": [404]})
    data["highlights"][2]["source_ids"] = [4, 12]
    checked = check_answer(dumps(data), MATERIAL)
    assert checked.ok
    assert checked.grounding == pytest.approx(7 / 8, abs=1e-4)
    assert checked.value is not None
    assert checked.value.highlights[2].source_ids == [4]
    assert len(checked.value.key_points) == 4
    assert "key point 5: dropped, it cites no fetched source" in checked.dropped
    assert "highlight 3: unknown source ids [12] removed" in checked.dropped


def test_low_grounding_is_an_error() -> None:
    data = answer()
    for point in data["key_points"]:
        point["source_ids"] = [300]
    data["highlights"][1]["source_ids"] = [300]
    checked = check_answer(dumps(data), MATERIAL)
    assert checked.grounding == pytest.approx(2 / 7, abs=1e-4)
    assert any("only 2 of 7 claims cite" in error for error in checked.errors)


def test_echo_of_an_article_instruction_is_caught_only_when_articles_held_one() -> None:
    data = answer()
    data["highlights"][0]["body"] = "有貼文寫道：" + INJECTION_ZH[:30]
    assert any("repeats an instruction" in e for e in check_answer(dumps(data), HOSTILE).errors)
    # A clean day may report on "system prompts" without being suspected.
    clean = answer(trend_overview="研究人員討論如何保護模型的系統提示不外洩。")
    assert check_answer(dumps(clean), MATERIAL).ok


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ('```json\n{"a": 1}\n```', None),
        ('好的：\n{"a": 1}\n以上。', None),
        ('{"a": 1', None),  # cut off: json-repair closes it
        ("{'a': 1,}", None),
        ("沒有 JSON", "not a JSON object"),
    ],
)
def test_parse_json_tolerates_fences_and_chatter(text: str, error: str | None) -> None:
    value, problem = parse_json(text)
    if error is None:
        assert value == {"a": 1} and problem is None
    else:
        assert problem is not None and error in problem


def test_source_ids_are_read_leniently() -> None:
    assert source_ids([1, "2", "S3", "[S4]", " s5 ", True, "x"]) == [1, 2, 3, 4, 5, "True", "x"]
    assert source_ids(None) == []
    assert source_ids(7) == [7]


def test_notes_keep_only_stories_of_the_batch_and_known_sources() -> None:
    notes = {
        "stories": [
            {"story": 1, "facts": [{"text": "事實一。", "source_ids": [1, 3]}]},
            {"story": 2, "facts": [{"text": "別批的事件。", "source_ids": [3]}]},
        ]
    }
    checked = check_notes(dumps(notes), MATERIAL, [1])
    assert checked.ok and checked.value is not None
    assert [(s.story, s.facts[0].source_ids) for s in checked.value.stories] == [(1, [1])]


def test_text_problems_walk_every_string() -> None:
    problems = text_problems({"a": ["ok", {"b": "http://x.example"}]}, MATERIAL, [])
    assert problems == ["a.1.b: contains a URL; cite sources only by their [S#] number"]
