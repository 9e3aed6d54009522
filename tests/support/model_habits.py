"""What real models and endpoints do to an answer, as scripted replies for FakeOpenAI.

The habits are written after the documented behaviour of each (DeepSeek's API guide for
deepseek-reasoner, vLLM's reasoning outputs and structured outputs, Ollama's OpenAI compatibility,
DashScope's compatible mode) and the issue threads where users met them:

- a reasoning model that thinks aloud in `content` (Qwen3, DeepSeek-R1 without a reasoning parser): a
  `<think>` block holding braces and a draft of the JSON, then the answer in a code fence;
- R1 served with its chat template opening the block itself: only the closing `</think>` shows;
- DeepSeek's reasoner: the thoughts in `reasoning_content`, the answer in `content`;
- a small local model: a preamble, a code fence, single-quoted keys, trailing commas, a comment;
- endpoints that refuse a request form the way the real ones answer: DeepSeek's 400 for
  `json_schema` ("This response_format type is unavailable now") or its older 422, vLLM's 400 for a
  schema its grammar backend cannot compile, DashScope's 400 for a Qwen3 call that leaves thinking on.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from tests.support.fake_openai import Answer, chat, error

Scripted = Callable[[dict[str, Any]], Answer]


def think_block(answer: dict[str, Any]) -> str:
    """Qwen3 / R1 thinking aloud in content: braces, a draft JSON, then the real answer fenced."""
    draft = {"trend_overview": "草稿", "highlights": [{"story": 1, "headline": "待定"}]}
    return (
        "<think>\n好的，使用者要我依照資料寫出今天的摘要，"
        '輸出格式是 {"trend_overview": ..., "highlights": [...]}。'
        f"先擬一個草稿：{json.dumps(draft, ensure_ascii=False)}，再確認每則焦點的 source_ids，"
        "例如 {1, 2} 屬於事件 1。草稿太短，重寫。\n</think>\n\n"
        f"```json\n{json.dumps(answer, ensure_ascii=False, indent=2)}\n```"
    )


def opened_by_template(answer: dict[str, Any]) -> str:
    """R1 whose chat template wrote `<think>`: the content starts inside the thoughts."""
    return (
        'The user wants a digest in JSON like {"highlights": []}. Let me check the sources first. '
        "S1 and S2 are the same story.\n</think>\n\n" + json.dumps(answer, ensure_ascii=False)
    )


def sloppy(answer: dict[str, Any]) -> str:
    """A small local model's JSON: preamble, code fence, single-quoted keys, trailing commas, a comment."""
    return (
        "Sure! Here is the daily digest in JSON format:\n\n```json\n"
        f"{_loose(answer, 0)}\n```\n\nLet me know if you want any changes."
    )


def _loose(value: Any, depth: int) -> str:
    pad, inner = "  " * depth, "  " * (depth + 1)
    if isinstance(value, dict):
        items = "".join(f"{inner}'{key}': {_loose(item, depth + 1)},\n" for key, item in value.items())
        comment = f"{inner}// the digest\n" if depth == 0 else ""
        return "{\n" + comment + items + pad + "}"
    if isinstance(value, list):
        items = "".join(f"{inner}{_loose(item, depth + 1)},\n" for item in value)
        return "[\n" + items + pad + "]"
    return json.dumps(value, ensure_ascii=False)


def deepseek_endpoint(reply: Callable[[dict[str, Any]], Answer], *, legacy: bool = False) -> Scripted:
    """DeepSeek's chat completions: `json_schema` refused (400, or 422 from older versions)."""

    def answer(body: dict[str, Any]) -> Answer:
        if (body.get("response_format") or {}).get("type") == "json_schema":
            if legacy:
                return error(
                    422,
                    "Failed to deserialize the JSON body into the target type: response_format: "
                    "response_format.type `json_schema` is unavailable now at line 1 column 9517",
                )
            return error(400, "This response_format type is unavailable now")
        return reply(body)

    return answer


def vllm_xgrammar_endpoint(reply: Callable[[dict[str, Any]], Answer]) -> Scripted:
    """vLLM whose grammar backend cannot compile the schema: a 400 that never says response_format."""

    def answer(body: dict[str, Any]) -> Answer:
        if (body.get("response_format") or {}).get("type") == "json_schema":
            return Answer(
                400,
                {
                    "object": "error",
                    "message": "The provided JSON schema contains features not supported by xgrammar.",
                    "type": "BadRequestError",
                    "param": None,
                    "code": 400,
                },
            )
        return reply(body)

    return answer


def dashscope_endpoint(reply: Callable[[dict[str, Any]], Answer]) -> Scripted:
    """DashScope's compatible mode with an open Qwen3 model: thinking must be switched off for a
    non-streaming call; `json_schema` is not one of its response formats."""

    def answer(body: dict[str, Any]) -> Answer:
        if str(body.get("model", "")).startswith("qwen3") and body.get("enable_thinking") is not False:
            return error(400, "parameter.enable_thinking must be set to false for non-streaming calls")
        if (body.get("response_format") or {}).get("type") == "json_schema":
            return error(400, "'response_format.type' must be one of 'text' or 'json_object'")
        return reply(body)

    return answer


def reasoner(answer: dict[str, Any]) -> Answer:
    """deepseek-reasoner: thoughts (with braces) in `reasoning_content`, the JSON in `content`."""
    return chat(
        json.dumps(answer, ensure_ascii=False),
        reasoning_content='使用者要 JSON。草稿：{"trend_overview": "x"}。檢查來源 {1,2,3}。',
        model="deepseek-reasoner",
    )
