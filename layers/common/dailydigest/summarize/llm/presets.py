"""What each kind of OpenAI-compatible endpoint needs, so that the first request is already right.

A preset is chosen by DIGEST_LLM_PRESET, or (`auto`) from the endpoint's address. It gives the
strongest response format worth trying first and the extra request fields a model needs; whatever
a preset gets wrong, the endpoint's 400 answer corrects once (see `client.ChatEndpoint`).

- openai: strict `json_schema` structured output.
- dashscope (Alibaba Cloud Model Studio, OpenAI-compatible mode): JSON mode (`json_object`); its Qwen3
  and hybrid-thinking models think unless told not to, and a non-streaming call must say
  `enable_thinking: false` (DashScope answers 400 "parameter.enable_thinking must be set to false for
  non-streaming calls" otherwise), so the preset sends it.
- deepseek: `json_object` only (DeepSeek answers `json_schema` with 400 "This response_format type is
  unavailable now", older versions with 422); deepseek-reasoner returns its thoughts in
  `reasoning_content`, which `answer_text` sets apart.
- ollama: `json_schema` (Ollama 0.5+ turns it into a grammar; older versions ignore it and the answer
  is repaired); thinking models answer with a `reasoning` field or a `<think>` block.
- vllm: `json_schema` through guided decoding; Qwen3's thinking is switched off with
  `chat_template_kwargs: {enable_thinking: false}` (thinking is kept apart anyway when left on).
- generic: `json_schema`, downgraded on the first 400 that names it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

from dailydigest.summarize.llm.schema import JsonMode

PresetName = Literal["auto", "openai", "dashscope", "deepseek", "ollama", "vllm", "generic"]

OLLAMA_PORT = 11434
# Model families that think unless told otherwise, by name prefix (DashScope and vLLM spellings).
_HYBRID_THINKERS = ("qwen3", "qwen-plus", "qwen-flash", "qwen-turbo", "qwen/qwen3")
# Models that only think: a switch to turn it off is refused or ignored, so none is sent.
_THINKING_ONLY = ("thinking", "qwq", "qvq", "-r1", "reasoner")


@dataclass(frozen=True)
class Preset:
    name: str
    json_mode: JsonMode
    """The response format tried first."""
    extra_body: Mapping[str, Any] = field(default_factory=dict)
    """Fields added to every request (the SDK's `extra_body`)."""


def detect(base_url: str | None) -> PresetName:
    """The preset an endpoint's address points to (`generic` when it tells nothing)."""
    if not base_url:
        return "openai"
    parts = urlsplit(base_url)
    host = (parts.hostname or "").lower()
    if host == "api.openai.com":
        return "openai"
    if host.startswith("dashscope") and host.endswith(".aliyuncs.com"):
        return "dashscope"
    if host == "api.deepseek.com":
        return "deepseek"
    if parts.port == OLLAMA_PORT:
        return "ollama"
    return "generic"


def preset_for(name: PresetName, base_url: str | None, model: str) -> Preset:
    """The request settings for this model at this endpoint."""
    chosen = detect(base_url) if name == "auto" else name
    lowered = model.lower()
    hybrid = lowered.startswith(_HYBRID_THINKERS) and not any(tag in lowered for tag in _THINKING_ONLY)
    if chosen == "dashscope":
        return Preset(chosen, "json_object", {"enable_thinking": False} if hybrid else {})
    if chosen == "deepseek":
        return Preset(chosen, "json_object")
    if chosen == "vllm":
        extra = {"chat_template_kwargs": {"enable_thinking": False}} if hybrid else {}
        return Preset(chosen, "json_schema", extra)
    return Preset(chosen, "json_schema")
