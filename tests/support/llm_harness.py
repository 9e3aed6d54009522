"""The summarizer under test, wired to a FakeOpenAI server, and helpers to read what it wrote."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from dailydigest.models.digest import Digest
from dailydigest.settings import LlmSettings
from dailydigest.summarize.extractive import ExtractiveSummarizer
from dailydigest.summarize.llm.grounding import strings
from dailydigest.summarize.llm.summarizer import LlmSummarizer
from tests.conftest import REPO_ROOT
from tests.fakes import MemoryStore
from tests.support.fake_openai import FakeOpenAI
from tests.support.llm_fixtures import CANARY

PRICES = {"test-model": (1.0, 2.0), "backup-model": (0.5, 1.0)}


def make(
    server: FakeOpenAI,
    *,
    store: MemoryStore | None = None,
    fallback_models: tuple[str, ...] = (),
    with_fallback: bool = True,
    **options: Any,
) -> LlmSummarizer:
    """`test-model` at the server: short timeouts, one retry, priced, with the extractive fallback."""
    settings: dict[str, Any] = {"timeout": 5.0, "max_retries": 1, "prices": PRICES, **options}
    return LlmSummarizer(
        model="test-model",
        base_url=server.base_url,
        api_key="test",
        fallback_models=fallback_models,
        # Tests use budgets below the deployable minimums (a 5 s run), so no validation here.
        options=LlmSettings.model_construct(**settings),
        cache=store,
        fallback=ExtractiveSummarizer() if with_fallback else None,
        canaries=[CANARY],
    )


def texts(digest: Digest) -> list[str]:
    """Every prose string of a digest (not the sources' URLs)."""
    data = digest.model_dump(mode="json", exclude={"sources", "usage", "fallback_reason"})
    return [text for _, text in strings(data)]


def shown(digest: Digest) -> list[str]:
    """Every text a post shows: the prose and the sources' titles."""
    return [*texts(digest), *(source.title for source in digest.sources)]


def front_matter(post: str) -> dict[str, Any]:
    _, front, _ = post.split("---\n", 2)
    loaded = yaml.safe_load(front)
    assert isinstance(loaded, dict)
    return loaded


def run_dailydigest(
    cwd: Path, base_url: str, model: str, *args: str, **env: str
) -> subprocess.CompletedProcess[str]:
    """This venv's `dailydigest` command, offline on the samples' web mirror, with `model` at the
    endpoint `base_url` (and `env` on top)."""
    environment = {
        **os.environ,
        "DIGEST_WEB_MIRROR": str(REPO_ROOT / "samples" / "web"),
        "OPENAI_BASE_URL": base_url,
        "OPENAI_API_KEY": "test",
        "DIGEST_LLM_MODEL": model,
        **env,
    }
    return subprocess.run(
        [str(Path(sys.executable).parent / "dailydigest"), *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
