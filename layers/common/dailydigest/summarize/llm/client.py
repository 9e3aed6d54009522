"""The chat completions endpoint: the SDK client, each request in the form the endpoint accepts, and
its reply reduced to what the checks and the ledger need.

The first request takes its form from the endpoint's preset (`presets`); what an endpoint accepts is
then learned from its 400 (or 422) answers and kept for the process's life, per model: a rejected
response format steps down json_schema -> json_object -> none once each (only in "auto" mode),
`max_tokens` becomes `max_completion_tokens` when the endpoint asks for that, and a rejected
temperature or preset field is left out. A reply's reasoning (a `reasoning_content`/`reasoning` field,
a `<think>` block) is set apart from its answer here.

The openai SDK is imported only when the first request is made (cold starts pay for it otherwise).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from dailydigest.errors import ModelUnavailable
from dailydigest.summarize.llm.answer_text import split_reasoning
from dailydigest.summarize.llm.budget import estimate_messages, estimate_tokens
from dailydigest.summarize.llm.presets import PresetName, preset_for
from dailydigest.summarize.llm.schema import AnswerModel, JsonMode, response_format, strict_schema

log = logging.getLogger(__name__)

Message = dict[str, str]
ConfiguredJsonMode = Literal["auto", "json_schema", "json_object", "none"]

# A dead endpoint fails in seconds, not after the whole read timeout (the SDK's default is 5 s).
CONNECT_SECONDS = 10.0
# Words of a 400/422 that rejects the response format: OpenAI and DashScope name the parameter,
# DeepSeek says "This response_format type is unavailable now" (422 "response_format.type
# `json_schema` is unavailable now" before), vLLM "The provided JSON schema contains features not
# supported by xgrammar", llama.cpp 'Either "json_schema" or "grammar" can be specified'.
_FORMAT_WORDS = (
    "response_format",
    "response format",
    "json_schema",
    "json schema",
    "json_object",
    "json mode",
)
_JSON_MODE_STEPS: dict[JsonMode, JsonMode] = {"json_schema": "json_object", "json_object": "none"}


@dataclass(frozen=True)
class Question:
    """What one request asks for: the messages, the model of the answer (its schema), the output cap."""

    messages: list[Message]
    answer_model: type[AnswerModel]
    max_tokens: int


@dataclass(frozen=True)
class Reply:
    """One chat completion, reduced to what the checks and the ledger need."""

    content: str
    """The answer, without the model's reasoning."""
    finish_reason: str
    refusal: str
    prompt_tokens: int
    completion_tokens: int
    reasoning: str = ""
    """What a reasoning model thought before answering (never part of the digest)."""


def call_timeout(seconds: float) -> Any:
    """The SDK timeout for one attempt: `seconds` to read the answer, less to connect."""
    import openai

    return openai.Timeout(seconds, connect=min(seconds, CONNECT_SECONDS))


@cache
def _schema_tokens(answer_model: type[AnswerModel]) -> int:
    return estimate_tokens(json.dumps(strict_schema(answer_model)))


class ChatEndpoint:
    """One OpenAI-compatible endpoint, and the form of request it has been found to accept."""

    def __init__(
        self,
        base_url: str | None,
        api_key: str | None,
        *,
        timeout: float,
        max_retries: int,
        json_mode: ConfiguredJsonMode,
        temperature: float | None,
        preset: PresetName = "auto",
    ) -> None:
        self._base_url = base_url
        self._api_key = api_key
        self._timeout = timeout
        self._max_retries = max_retries
        self._client: Any = None
        self._preset = preset
        # A mode the operator configured is kept even when rejected; only "auto" steps down.
        self._configured_json_mode = json_mode
        self._json_modes: dict[str, JsonMode] = {}
        self._extra_bodies: dict[str, dict[str, Any]] = {}
        self._length_parameter = "max_tokens"
        self._temperature = temperature

    def json_mode(self, model: str) -> JsonMode:
        """The response format this model is asked for (its preset's, until the endpoint refuses it)."""
        if model not in self._json_modes:
            configured = self._configured_json_mode
            preset = preset_for(self._preset, self._base_url, model)
            self._json_modes[model] = preset.json_mode if configured == "auto" else configured
            self._extra_bodies[model] = dict(preset.extra_body)
        return self._json_modes[model]

    def extra_body(self, model: str) -> dict[str, Any]:
        self.json_mode(model)
        return self._extra_bodies[model]

    def client(self) -> Any:
        """The SDK client, built on first use with deliberate timeouts and retries (the SDK's own
        default is a 10-minute timeout). The SDK retries 408/409/429/5xx and connection errors with
        backoff, honouring Retry-After up to two minutes."""
        if self._client is None:
            from openai import OpenAI

            self._client = OpenAI(
                base_url=self._base_url,
                # Self-hosted endpoints (vLLM, Ollama) accept any key; the SDK insists on one.
                api_key=self._api_key or "unused",
                timeout=call_timeout(self._timeout),
                max_retries=self._max_retries,
            )
        return self._client

    def estimate(self, model: str, question: Question) -> int:
        """The request's prompt tokens: the messages, plus the schema when it is sent along."""
        estimate = estimate_messages(question.messages)
        if self.json_mode(model) == "json_schema":
            estimate += _schema_tokens(question.answer_model)
        return estimate

    def request(self, model: str, question: Question) -> dict[str, Any]:
        """The chat completions request, in the form this endpoint has been found to accept."""
        request: dict[str, Any] = {
            "model": model,
            "messages": question.messages,
            self._length_parameter: question.max_tokens,
        }
        format_ = response_format(question.answer_model, self.json_mode(model))
        if format_ is not None:
            request["response_format"] = format_
        if self._temperature is not None:
            request["temperature"] = self._temperature
        extra = self.extra_body(model)
        if extra:
            request["extra_body"] = dict(extra)
        return request

    def complete(
        self, model: str, question: Question, *, prompt_estimate: int, attempt_seconds: Callable[[], float]
    ) -> Reply:
        """One chat completion. `attempt_seconds` is asked before every attempt, so a request resent
        after a downgrade gets only what is left of the run's time; `prompt_estimate` stands in for
        usage the endpoint does not report. Every failure is ModelUnavailable."""
        import openai

        client = self.client()
        for _ in range(6):  # at most one downgrade per adaptable parameter
            request = self.request(model, question)
            timeout = attempt_seconds()
            try:
                completion = client.chat.completions.create(**request, timeout=call_timeout(timeout))
            except (openai.BadRequestError, openai.UnprocessableEntityError) as exc:
                if self._adapt(model, exc):
                    continue
                raise ModelUnavailable(f"request rejected: {error_text(exc)}") from None
            except openai.APITimeoutError:
                raise ModelUnavailable(
                    f"timed out after {timeout:g}s ({self._max_retries} retries)"
                ) from None
            except openai.APIConnectionError as exc:
                raise ModelUnavailable(f"connection failed: {exc}") from None
            except openai.APIStatusError as exc:
                raise ModelUnavailable(f"HTTP {exc.status_code}: {error_text(exc)}") from None
            except ValueError:  # the SDK could not parse the body (a proxy's page, a cut connection)
                raise ModelUnavailable("unusable response: the reply is not JSON") from None
            except openai.OpenAIError as exc:
                raise ModelUnavailable(f"unusable response: {' '.join(str(exc).split())[:200]}") from None
            return parse_reply(completion, prompt_estimate)
        raise ModelUnavailable("the endpoint rejected every form of the request")

    def _adapt(self, model: str, exc: Exception) -> bool:
        """Fall back to what a 400 says the endpoint lacks; False when it names nothing we can drop."""
        text = error_text(exc).lower()
        extra = self.extra_body(model)
        named = [name for name in extra if name.lower() in text]
        if named:  # a preset field this endpoint or model refuses
            log.warning("llm endpoint refuses a request field", extra={"model": model, "fields": named})
            for name in named:
                extra.pop(name)
            return True
        mode = self.json_mode(model)
        if self._configured_json_mode == "auto" and mode != "none" and any(w in text for w in _FORMAT_WORDS):
            downgraded = _JSON_MODE_STEPS[mode]
            log.warning(
                "llm endpoint rejects the response format",
                extra={"model": model, "from": mode, "to": downgraded},
            )
            self._json_modes[model] = downgraded
            return True
        if (
            self._length_parameter == "max_tokens"
            and "max_tokens" in text
            and "max_completion_tokens" in text
        ):
            self._length_parameter = "max_completion_tokens"
            return True
        if self._temperature is not None and "temperature" in text:
            self._temperature = None
            return True
        return False


def parse_reply(completion: Any, prompt_estimate: int) -> Reply:
    """The reply's first choice; a body that is not a chat completion (a proxy's page, an error
    object sent with status 200) is the endpoint's failure, not a bad answer to repair."""
    choices = getattr(completion, "choices", None)
    choice = choices[0] if isinstance(choices, list) and choices else None
    message = getattr(choice, "message", None)
    content = getattr(message, "content", None)
    if not hasattr(message, "content") or not isinstance(content, str | None):
        extra = getattr(completion, "model_extra", None) or {}
        said = extra.get("error") if isinstance(extra, dict) else None
        if isinstance(said, dict):
            said = said.get("message") or said
        detail = f" (the endpoint says: {' '.join(str(said).split())[:200]})" if said else ""
        raise ModelUnavailable(f"unusable response: not a chat completion{detail}")
    raw = content or ""
    split = split_reasoning(raw, _reasoning_field(message))
    refusal = getattr(message, "refusal", None) or ""
    usage = getattr(completion, "usage", None)
    return Reply(
        content=split.answer,
        reasoning=split.reasoning,
        finish_reason=str(getattr(choice, "finish_reason", None) or ""),
        refusal=str(refusal),
        # Endpoints that report no usage (or nonsense) are billed by the estimate.
        prompt_tokens=_count(getattr(usage, "prompt_tokens", None), prompt_estimate),
        completion_tokens=_count(getattr(usage, "completion_tokens", None), estimate_tokens(raw)),
    )


def _reasoning_field(message: Any) -> str:
    """The thoughts a reasoning model's endpoint returns beside the answer: `reasoning_content`
    (DeepSeek, DashScope, vLLM before 0.10) or `reasoning` (vLLM, OpenRouter, Ollama)."""
    for name in ("reasoning_content", "reasoning"):
        value = getattr(message, name, None)
        if isinstance(value, str) and value.strip():
            return value
    return ""


def _count(value: object, estimate: int) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return estimate


def error_text(exc: Exception) -> str:
    """An SDK error's message (the endpoint's own words), one line, bounded."""
    message = getattr(exc, "message", None) or str(exc)
    body = getattr(exc, "body", None)
    if isinstance(body, dict) and body.get("message") and body["message"] not in message:
        message = f"{message} {body['message']}"
    return " ".join(str(message).split())[:300]
