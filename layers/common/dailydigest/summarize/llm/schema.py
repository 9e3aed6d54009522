"""What the LLM writes: the answer models and their strict JSON schemas.

The answer is not the Digest. The model writes the prose parts and cites sources by number; the code
adds topic, date, sources, URLs and provenance from the fetched set. The schemas follow the subset
that strict structured output accepts (every object closed with `additionalProperties: false`, every
property required, no string length keywords, definitions inlined); lengths are checked by pydantic.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from dailydigest.models.types import Paragraph, ShortText, SourceId

MAX_HIGHLIGHTS = 10
MAX_KEY_POINTS = 10
MAX_TAGS = 8

Sentence = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
TagText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AnswerModel(_Closed):
    """A model the LLM answers in: its own request schema."""

    schema_name: ClassVar[str]
    """The schema's name in the request (and, spaced, in errors)."""


class AnswerHighlight(_Closed):
    story: Annotated[int, Field(ge=1, le=500, description="the story number: E3 is 3")]
    headline: ShortText
    body: Paragraph
    source_ids: Annotated[list[SourceId], Field(min_length=1, max_length=20)]


class CitedPoint(_Closed):
    text: Sentence
    source_ids: Annotated[list[SourceId], Field(min_length=1, max_length=20)]


class AnswerAnalysis(_Closed):
    significance: Paragraph
    comparison: Paragraph
    market_impact: Paragraph


class AnswerImplications(_Closed):
    developers: Annotated[list[Sentence], Field(min_length=1, max_length=4)]
    users: Annotated[list[Sentence], Field(min_length=1, max_length=4)]


class Answer(AnswerModel):
    """The digest as the model writes it."""

    schema_name = "daily_digest"

    trend_overview: Paragraph
    highlights: Annotated[list[AnswerHighlight], Field(min_length=1, max_length=MAX_HIGHLIGHTS)]
    analysis: AnswerAnalysis
    key_points: Annotated[list[CitedPoint], Field(min_length=1, max_length=MAX_KEY_POINTS)]
    implications: AnswerImplications
    tags: Annotated[list[TagText], Field(max_length=MAX_TAGS)]
    ai_summary: Paragraph


class StoryNotes(_Closed):
    story: Annotated[int, Field(ge=1, le=500)]
    facts: Annotated[list[CitedPoint], Field(min_length=1, max_length=8)]


class NotesAnswer(AnswerModel):
    """The map step's answer: cited facts per story."""

    schema_name = "story_notes"

    stories: Annotated[list[StoryNotes], Field(min_length=1, max_length=50)]


JsonMode = Literal["json_schema", "json_object", "none"]

# Keywords strict mode accepts; anything else (titles, defaults, string lengths) is dropped.
_KEPT = frozenset(
    {
        "type",
        "properties",
        "required",
        "additionalProperties",
        "items",
        "enum",
        "const",
        "description",
        "anyOf",
        "minItems",
        "maxItems",
        "minimum",
        "maximum",
    }
)


@cache
def strict_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON schema in the strict structured-output subset (built once per model, and
    shared: do not modify it)."""
    raw = model.model_json_schema()
    definitions: dict[str, Any] = raw.get("$defs", {})
    strict: dict[str, Any] = _strict(raw, definitions)
    return strict


def _strict(node: Any, definitions: dict[str, Any]) -> Any:
    if isinstance(node, list):
        return [_strict(item, definitions) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        return _strict(definitions[name], definitions)
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key not in _KEPT:
            continue
        if key == "properties":
            out[key] = {name: _strict(sub, definitions) for name, sub in value.items()}
        elif key in ("items", "anyOf"):
            out[key] = _strict(value, definitions)
        else:
            out[key] = value
    if out.get("type") == "object":
        out["additionalProperties"] = False
        out["required"] = list(out.get("properties", {}))
    return out


def response_format(model: type[AnswerModel], mode: JsonMode) -> dict[str, Any] | None:
    """The request's `response_format` for a JSON mode (None: plain text, JSON asked for in the prompt)."""
    if mode == "json_schema":
        return {
            "type": "json_schema",
            "json_schema": {"name": model.schema_name, "strict": True, "schema": strict_schema(model)},
        }
    if mode == "json_object":
        return {"type": "json_object"}
    return None


@cache
def skeleton(model: type[BaseModel]) -> str:
    """A compact example of the answer's shape, for prompts sent without a schema-enforcing mode."""
    return json.dumps(_example(strict_schema(model)), ensure_ascii=False, separators=(", ", ": "))


def _example(node: dict[str, Any]) -> Any:
    kind = node.get("type")
    if kind == "object":
        return {name: _example(sub) for name, sub in node.get("properties", {}).items()}
    if kind == "array":
        return [_example(node.get("items", {}))]
    if kind == "integer":
        return 1
    if kind == "number":
        return 1.0
    if kind == "boolean":
        return True
    return "…"


def describe_errors(exc: ValidationError, limit: int = 8) -> list[str]:
    """Validation errors as short lines a model can act on: `path: message`."""
    lines = []
    for error in exc.errors()[:limit]:
        where = ".".join(str(part) for part in error["loc"]) or "answer"
        lines.append(f"{where}: {error['msg']}")
    if exc.error_count() > limit:
        lines.append(f"… and {exc.error_count() - limit} more problems")
    return lines
