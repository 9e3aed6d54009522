"""The LLM settings, the summarizer the wiring builds from them, and the fallback's front matter."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from dailydigest.errors import ConfigError
from dailydigest.render.post import render_post
from dailydigest.settings import DEFAULT_LLM_PRICES, Settings
from dailydigest.summarize.llm.summarizer import LlmSummarizer
from dailydigest.wiring import Services
from tests.factories import make_digest
from tests.fakes import MemoryStore
from tests.support.llm_harness import front_matter


def test_llm_settings_from_the_environment() -> None:
    settings = Settings.from_env(
        {
            "OPENAI_BASE_URL": "http://127.0.0.1:9/v1",
            "DIGEST_LLM_MODEL": "qwen-plus",
            "DIGEST_LLM_FALLBACK_MODELS": "qwen-turbo, qwen-max ,",
            "DIGEST_LLM_TIMEOUT": "30",
            "DIGEST_LLM_MAX_RETRIES": "1",
            "DIGEST_LLM_ON_FAILURE": "fail",
            "DIGEST_LLM_CONTEXT_TOKENS": "32000",
            "DIGEST_LLM_MAX_OUTPUT_TOKENS": "3000",
            "DIGEST_LLM_ARTICLE_TOKENS": "400",
            "DIGEST_LLM_PRICES": '{"qwen-plus": [0.4, 1.2]}',
            "DIGEST_LLM_JSON_MODE": "json_object",
            "DIGEST_RUN_COST_CAP_USD": "0.2",
        }
    )
    options = settings.llm
    assert settings.llm.fallback_models == ("qwen-turbo", "qwen-max")
    assert options.prices == {**DEFAULT_LLM_PRICES, "qwen-plus": (0.4, 1.2)}
    assert (options.timeout, options.max_retries, options.on_failure) == (30.0, 1, "fail")
    assert (options.context_tokens, options.max_output_tokens, options.article_tokens) == (32000, 3000, 400)
    assert (options.json_mode, options.cost_cap_usd) == ("json_object", 0.2)


def test_llm_defaults_are_deliberate() -> None:
    settings = Settings.from_env({})
    assert settings.llm.timeout == 60.0  # not the SDK's 10 minutes
    assert settings.llm.max_retries == 2
    assert settings.llm.on_failure == "extractive"
    assert settings.llm.cost_cap_usd == 0.5
    assert Settings.from_env({"DIGEST_RUN_COST_CAP_USD": "off"}).llm.cost_cap_usd is None


@pytest.mark.parametrize(
    ("environment", "read", "connect", "retries"),
    [({}, 60.0, 10.0, 2), ({"DIGEST_LLM_TIMEOUT": "4", "DIGEST_LLM_MAX_RETRIES": "0"}, 4.0, 4.0, 0)],
)
def test_the_sdk_client_gets_the_configured_timeouts_and_retries(
    environment: dict[str, str], read: float, connect: float, retries: int
) -> None:
    settings = Settings.from_env({"OPENAI_BASE_URL": "http://127.0.0.1:9/v1", **environment})
    client = LlmSummarizer.from_settings(settings.llm, api_key=None).endpoint.client()
    # Not the SDK's 10-minute default; a dead endpoint fails at connect time.
    assert (client.timeout.read, client.timeout.connect, client.max_retries) == (read, connect, retries)
    assert str(client.base_url) == "http://127.0.0.1:9/v1/"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DIGEST_LLM_PRICES", "{nope", "DIGEST_LLM_PRICES: Value error, not a JSON object of model prices"),
        ("DIGEST_LLM_PRICES", '{"m": [1]}', "DIGEST_LLM_PRICES.m"),
        ("DIGEST_LLM_ON_FAILURE", "ignore", "DIGEST_LLM_ON_FAILURE"),
        ("DIGEST_LLM_JSON_MODE", "xml", "DIGEST_LLM_JSON_MODE"),
        ("DIGEST_LLM_TIMEOUT", "0", "DIGEST_LLM_TIMEOUT"),
    ],
)
def test_bad_llm_settings_are_one_clear_line(name: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Settings.from_env({name: value})


def test_wiring_builds_the_llm_summarizer_with_fallback_and_cache() -> None:
    settings = Settings.from_env({"OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "OPENAI_API_KEY": "k"})
    store = MemoryStore()
    summarizer = Services(settings, store=store).summarizer
    assert isinstance(summarizer, LlmSummarizer)
    assert summarizer.name == "llm"
    assert summarizer.fallback is not None and summarizer.fallback.name == "extractive"
    assert summarizer.models == ("gpt-4o-mini",)
    assert summarizer.describe() == "llm gpt-4o-mini at 127.0.0.1:9"


def test_building_the_summarizer_loads_no_sdk_template_engine_or_converter() -> None:
    # A fresh interpreter: the summarize function's cold start pays for these only when it uses them.
    script = (
        "import json, sys\n"
        "from dailydigest.settings import Settings\n"
        "from dailydigest.wiring import Services\n"
        "Services(Settings.from_env({'OPENAI_BASE_URL': 'http://127.0.0.1:9/v1'})).summarizer\n"
        "heavy = ('openai', 'opencc', 'jinja2', 'PIL')\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in heavy)))\n"
    )
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "DIGEST_"))}
    command = [sys.executable, "-c", script]
    done = subprocess.run(command, capture_output=True, text=True, check=True, timeout=60, env=environment)
    assert json.loads(done.stdout) == []


def test_without_an_endpoint_the_extractive_summarizer_runs() -> None:
    assert Services(Settings.from_env({})).summarizer.name == "extractive"


def test_front_matter_says_when_the_llm_did_not_write_the_post() -> None:
    llm = front_matter(render_post(make_digest()))
    assert "generator" not in llm and "llm_fallback" not in llm
    extractive = front_matter(render_post(make_digest(generator="extractive")))
    assert extractive["generator"] == "extractive" and "llm_fallback" not in extractive
    post = render_post(make_digest(generator="extractive", fallback_reason="HTTP 500: boom"))
    fallback = front_matter(post)
    assert list(fallback)[-2:] == ["generator", "llm_fallback"]
    assert fallback["llm_fallback"] is True
    assert "boom" not in post
