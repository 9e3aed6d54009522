"""Import boundaries of the fetch code: the domain loads no SDK, and heavy parsers load only when used.

Each check runs in a fresh interpreter, so modules other tests imported cannot hide a violation.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

SDKS = ("httpx", "httpcore", "anyio", "boto3", "botocore", "openai")
HEAVY = ("trafilatura", "lxml", "charset_normalizer")


def _loaded_after(modules: list[str], watched: tuple[str, ...]) -> list[str]:
    script = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {watched!r})))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    loaded: list[str] = json.loads(done.stdout)
    return loaded


def test_the_fetch_domain_imports_no_sdk() -> None:
    domain = ["dailydigest.news.gather", "dailydigest.news.ledger", "dailydigest.news.text"]
    assert _loaded_after(domain, SDKS + HEAVY) == []


@pytest.mark.parametrize(
    "adapter",
    [
        "dailydigest.sources.feed",
        "dailydigest.sources.google_news",
        "dailydigest.sources.news_api",
        "dailydigest.web.charset",
        "dailydigest.web.mirror",
    ],
)
def test_page_extraction_and_charset_detection_load_only_when_used(adapter: str) -> None:
    assert _loaded_after([adapter], HEAVY) == []
