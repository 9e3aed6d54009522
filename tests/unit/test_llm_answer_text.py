"""Reasoning set apart from the answer, the answer's JSON found and repaired, the presets, and
headlines sent without the outlet names feeds append to them."""

from __future__ import annotations

import pytest

from dailydigest.summarize.llm.answer_text import find_json, split_reasoning
from dailydigest.summarize.llm.material import without_outlet
from dailydigest.summarize.llm.presets import detect, preset_for

KEYS = ("trend_overview", "highlights")


@pytest.mark.parametrize(
    ("content", "field", "answer", "thought"),
    [
        ('<think>draft {"a": 1}</think>\n{"b": 2}', "", '{"b": 2}', 'draft {"a": 1}'),
        ('thinking {"a": 1}\n</think>\n\n{"b": 2}', "", '{"b": 2}', 'thinking {"a": 1}'),
        ('<think>never closed {"a": 1', "", "", "never closed"),
        ('{"b": 2}', "I thought {x}", '{"b": 2}', "I thought {x}"),
        ("<THINKING>x</THINKING>ok", "", "ok", "x"),
        ('{"b": 2}', "", '{"b": 2}', ""),
    ],
)
def test_reasoning_is_set_apart(content: str, field: str, answer: str, thought: str) -> None:
    split = split_reasoning(content, field)
    assert split.answer == answer
    assert thought in split.reasoning
    assert "think" not in split.answer.lower()


@pytest.mark.parametrize(
    ("text", "repaired"),
    [
        ('{"trend_overview": "t", "highlights": []}', False),
        (
            '好的，格式是 {"trend_overview": ...}。\n```json\n{"trend_overview": "t", "highlights": []}\n```',
            False,
        ),
        ('範例：{"highlights": []}\n答案：{"trend_overview": "t", "highlights": []} 以上', False),
        ("Sure:\n```json\n{'trend_overview': 't', 'highlights': [],}\n```", True),
        ('{\n  // comment\n  "trend_overview": "t",\n  "highlights": [],\n}', True),
        ('{"trend_overview": "t", "highlights": [', True),
        ('{"daily_digest": {"trend_overview": "t", "highlights": []}}', False),
    ],
)
def test_the_answers_object_is_found_and_repaired(text: str, repaired: bool) -> None:
    found = find_json(text, KEYS)
    assert found.error is None
    assert found.value == {"trend_overview": "t", "highlights": []}
    assert found.repaired is repaired


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", "empty"),
        ("沒有任何物件", "not a JSON object"),
        ("[1, 2]", "not a JSON object"),
        ("{ 未完", "not valid JSON"),
    ],
)
def test_no_object_is_one_clear_error(text: str, error: str) -> None:
    found = find_json(text, KEYS)
    assert found.value is None and found.error is not None and error in found.error


@pytest.mark.parametrize(
    ("url", "preset"),
    [
        (None, "openai"),
        ("https://api.openai.com/v1", "openai"),
        ("https://dashscope-intl.aliyuncs.com/compatible-mode/v1", "dashscope"),
        ("https://dashscope.aliyuncs.com/compatible-mode/v1", "dashscope"),
        ("https://api.deepseek.com", "deepseek"),
        ("http://localhost:11434/v1", "ollama"),
        ("http://gpu-box:8000/v1", "generic"),
    ],
)
def test_the_preset_is_told_from_the_address(url: str | None, preset: str) -> None:
    assert detect(url) == preset


@pytest.mark.parametrize(
    ("name", "model", "mode", "extra"),
    [
        ("dashscope", "qwen3-235b-a22b", "json_object", {"enable_thinking": False}),
        ("dashscope", "qwen-plus", "json_object", {"enable_thinking": False}),
        ("dashscope", "qwen3-235b-a22b-thinking-2507", "json_object", {}),
        ("dashscope", "qwq-plus", "json_object", {}),
        ("deepseek", "deepseek-reasoner", "json_object", {}),
        ("vllm", "Qwen/Qwen3-32B", "json_schema", {"chat_template_kwargs": {"enable_thinking": False}}),
        ("vllm", "deepseek-ai/DeepSeek-R1-Distill-Qwen-32B", "json_schema", {}),
        ("ollama", "qwen3:8b", "json_schema", {}),
        ("openai", "gpt-4o-mini", "json_schema", {}),
    ],
)
def test_presets_ask_each_endpoint_in_its_own_terms(name: str, model: str, mode: str, extra: object) -> None:
    preset = preset_for(name, None, model)  # type: ignore[arg-type]
    assert (preset.json_mode, dict(preset.extra_body)) == (mode, extra)


@pytest.mark.parametrize(
    ("title", "publishers", "expected"),
    [
        ("阿里雲調降 API 價格｜科技日報", ["科技日報"], "阿里雲調降 API 價格"),
        ("Qwen4 ships - The Verge", ["The Verge"], "Qwen4 ships"),
        ("Qwen4 ships - The Verge", ["Other"], "Qwen4 ships - The Verge"),
        ("科技日報", ["科技日報"], "科技日報"),
    ],
)
def test_a_headline_loses_the_outlet_name_appended_to_it(
    title: str, publishers: list[str], expected: str
) -> None:
    assert without_outlet(title, publishers) == expected
