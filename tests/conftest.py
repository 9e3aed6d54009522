"""Shared fixtures: repository paths and a clean process-wide service registry."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(autouse=True)
def _no_installed_services() -> Iterator[None]:
    from dailydigest.wiring import install

    install(None)
    yield
    install(None)


@pytest.fixture(autouse=True)
def _no_cloud_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    # Any accidental real AWS call fails fast instead of leaving the machine.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
    monkeypatch.setenv("SAM_CLI_TELEMETRY", "0")
    # Every setting the pipeline reads, so the developer's own environment never leaks into a test.
    from dailydigest.settings import ENV_NAMES

    for name in (*ENV_NAMES, "OPENAI_API_KEY_SECRET", "GITHUB_TOKEN_SECRET"):
        monkeypatch.delenv(name, raising=False)
