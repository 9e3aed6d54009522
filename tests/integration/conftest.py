"""Fixtures shared by the integration tests: loopback web servers (`web`, `elsewhere`) and an
OpenAI-compatible endpoint (`server`)."""

from collections.abc import Iterator

import pytest

from tests.support.fake_openai import FakeOpenAI
from tests.support.loopback_web import elsewhere_fixture, web_fixture

__all__ = ["elsewhere_fixture", "web_fixture"]


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    """A fake OpenAI-compatible endpoint on 127.0.0.1 (a test module may define its own `server`)."""
    with FakeOpenAI() as fake:
        yield fake
