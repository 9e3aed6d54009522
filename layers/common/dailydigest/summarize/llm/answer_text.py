"""The answer inside a reply: reasoning set apart, the JSON object found and, when sloppy, repaired.

Models people run today wrap their answer in habits of their own:
- reasoning models think aloud first. DeepSeek's API and vLLM/SGLang with a reasoning parser return the
  thoughts in a `reasoning_content` (or, newer vLLM and OpenRouter, `reasoning`) field beside
  `content`; served without a parser (Ollama before it learnt to split them, llama.cpp, a plain vLLM),
  Qwen3 and DeepSeek-R1 put them in `content` as a `<think>…</think>` block, and R1's chat template
  opens the block itself, so the content may hold only the closing `</think>`. The thoughts often hold
  braces and a draft of the JSON; only what follows them is the answer.
- small local models add a preamble ("Here is the JSON:"), a Markdown code fence, trailing commas,
  single quotes or comments.

The JSON object is the candidate that holds most of the keys the answer must have (a draft or an
example in the preamble loses to the answer itself); strict JSON first, then `json-repair` (a
well-kept repairer) before the model is ever asked again.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

_THINK_BLOCK = re.compile(r"<(think|thinking|reasoning)>.*?</\1>", re.S | re.I)
_THINK_CLOSE = re.compile(r"</(?:think|thinking|reasoning)>", re.I)
_THINK_OPEN = re.compile(r"<(?:think|thinking|reasoning)>", re.I)
_FENCED = re.compile(r"```[ \t]*(?:json|JSON|javascript|js)?[ \t]*\n(.*?)(?:\n[ \t]*```|$)", re.S)
# Where an object may start: a brace followed by a key in either quote (or an empty object).
_OBJECT_START = re.compile(r"\{\s*(?:[\"'\u201c]|\})")
MAX_CANDIDATES = 24


@dataclass(frozen=True)
class SplitReply:
    answer: str
    reasoning: str


def split_reasoning(content: str, reasoning_field: str = "") -> SplitReply:
    """The answer without the model's thinking: `<think>` blocks removed, and everything up to a
    closing tag whose opening the chat template wrote (R1). An unclosed block is all thinking (the
    answer was cut off, or never came)."""
    thoughts = [reasoning_field] if reasoning_field else []
    thoughts.extend(match.group(0) for match in _THINK_BLOCK.finditer(content))
    answer = _THINK_BLOCK.sub("", content)
    closing = list(_THINK_CLOSE.finditer(answer))
    if closing:
        cut = closing[-1]
        thoughts.append(answer[: cut.start()])
        answer = answer[cut.end() :]
    opening = _THINK_OPEN.search(answer)
    if opening:
        thoughts.append(answer[opening.start() :])
        answer = answer[: opening.start()]
    return SplitReply(answer.strip(), "\n".join(t for t in thoughts if t.strip()))


@dataclass(frozen=True)
class FoundJson:
    value: Any
    error: str | None = None
    repaired: bool = False
    """The object needed json-repair (trailing commas, single quotes, a missing brace…)."""


def find_json(text: str, expected: Collection[str] = ()) -> FoundJson:
    """The JSON object in an answer: strict parse of the whole, of a fenced block, or of any object
    in the text, preferring the one with most `expected` keys; else the same places repaired."""
    body = text.strip()
    if not body:
        return FoundJson(None, "the answer is empty")
    spans = _spans(body)
    strict = [value for span in spans if (value := _strict(span)) is not None]
    strict.extend(_embedded_objects(body))
    best = _best(strict, expected)
    if best is not None and _score(best, expected) == len(expected):
        return FoundJson(best)
    repaired = _best([value for span in spans if (value := _repaired(span)) is not None], expected)
    if repaired is not None and (best is None or _score(repaired, expected) > _score(best, expected)):
        return FoundJson(repaired, repaired=True)
    if best is not None:
        return FoundJson(best)
    if "{" not in body:
        return FoundJson(None, "the answer is not a JSON object")
    return FoundJson(None, "the answer is not valid JSON, even after repair")


def _spans(body: str) -> list[str]:
    """Texts that may be the answer's object: the whole, each fenced block, then the text from each
    place an object may start to the last closing brace (or to the end: a cut-off object)."""
    spans = [body]
    spans.extend(match.group(1) for match in _FENCED.finditer(body))
    end = body.rfind("}")
    for match in list(_OBJECT_START.finditer(body))[:MAX_CANDIDATES]:
        start = match.start()
        spans.append(body[start : end + 1] if end > start else body[start:])
    return list(dict.fromkeys(span.strip() for span in spans if span.strip()))


def _strict(span: str) -> Any:
    try:
        value = json.loads(span)
    except json.JSONDecodeError:
        return None
    return _unwrap(value)


def _embedded_objects(body: str) -> list[Any]:
    """Every strictly valid object that starts at a plausible brace, whatever follows it."""
    decoder = json.JSONDecoder()
    found = []
    for match in list(_OBJECT_START.finditer(body))[:MAX_CANDIDATES]:
        try:
            value, _ = decoder.raw_decode(body, match.start())
        except json.JSONDecodeError:
            continue
        found.append(_unwrap(value))
    return [value for value in found if value is not None]


def _repaired(span: str) -> Any:
    import json_repair  # loaded only for an answer that needs it

    try:
        value = json_repair.loads(span)
    except (ValueError, RecursionError):
        return None
    return _unwrap(value)


def _unwrap(value: Any) -> Any:
    """The object itself: not a list of one object, not `{"daily_digest": {...}}`."""
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if isinstance(value, dict) and len(value) == 1:
        (inner,) = value.values()
        if isinstance(inner, dict) and len(inner) > 1:
            return inner
    return value if isinstance(value, dict) else None


def _score(value: Any, expected: Collection[str]) -> int:
    if not isinstance(value, dict):
        return -1
    return sum(1 for key in expected if key in value)


def _best(values: list[Any], expected: Collection[str]) -> Any:
    """Most expected keys, then the largest (the answer, not an example of a field)."""
    if not values:
        return None
    return max(values, key=lambda v: (_score(v, expected), len(json.dumps(v, ensure_ascii=False))))
