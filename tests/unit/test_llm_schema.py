"""The answer models' strict JSON schemas: what strict structured output accepts."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import BaseModel

from dailydigest.summarize.llm.schema import Answer, NotesAnswer, response_format, skeleton, strict_schema

ALLOWED = {
    "type", "properties", "required", "additionalProperties", "items", "enum", "const",
    "description", "anyOf", "minItems", "maxItems", "minimum", "maximum",
}  # fmt: skip


def _objects(node: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if node.get("type") == "object":
            found.append(node)
        for value in node.values():
            found.extend(_objects(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_objects(value))
    return found


def _keys(node: Any) -> set[str]:
    keys: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key != "properties":
                keys.add(key)
                keys |= _keys(value)
            else:
                for sub in value.values():
                    keys |= _keys(sub)
    elif isinstance(node, list):
        for value in node:
            keys |= _keys(value)
    return keys


@pytest.mark.parametrize("model", [Answer, NotesAnswer])
def test_every_object_is_closed_and_requires_all_its_properties(model: type[BaseModel]) -> None:
    schema = strict_schema(model)
    objects = _objects(schema)
    assert len(objects) >= 2
    for node in objects:
        assert node["additionalProperties"] is False
        assert node["required"] == list(node["properties"])


@pytest.mark.parametrize("model", [Answer, NotesAnswer])
def test_only_keywords_strict_mode_accepts(model: type[BaseModel]) -> None:
    schema = strict_schema(model)
    assert _keys(schema) <= ALLOWED
    assert "$ref" not in json.dumps(schema)  # definitions are inlined


def test_answer_has_the_reference_posts_parts_and_no_urls_or_topic_fields() -> None:
    properties = strict_schema(Answer)["properties"]
    assert list(properties) == [
        "trend_overview", "highlights", "analysis", "key_points", "implications", "tags", "ai_summary",
    ]  # fmt: skip
    highlight = properties["highlights"]["items"]["properties"]
    assert list(highlight) == ["story", "headline", "body", "source_ids"]
    assert highlight["source_ids"]["minItems"] == 1
    flat = json.dumps(properties)
    for field in ("url", "topic", "date", "sources", "model", "generator"):
        assert f'"{field}"' not in flat


def test_response_formats_per_mode() -> None:
    strict = response_format(Answer, "json_schema")
    assert strict is not None
    assert strict["type"] == "json_schema"
    assert strict["json_schema"]["name"] == "daily_digest"
    assert strict["json_schema"]["strict"] is True
    assert response_format(Answer, "json_object") == {"type": "json_object"}
    assert response_format(Answer, "none") is None
    notes = response_format(NotesAnswer, "json_schema")
    assert notes is not None and notes["json_schema"]["name"] == "story_notes"


def test_skeleton_shows_the_shape_for_json_mode_prompts() -> None:
    shape = json.loads(skeleton(Answer))
    assert shape["highlights"] == [{"story": 1, "headline": "…", "body": "…", "source_ids": [1]}]
    assert shape["implications"] == {"developers": ["…"], "users": ["…"]}
