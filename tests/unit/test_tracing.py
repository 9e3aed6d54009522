"""X-Ray tracing is a setting, and a cold start that does not trace never imports the X-Ray SDK."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator

import pytest

from dailydigest import observability

CHECK = """
import json, sys
from dailydigest.observability import entrypoint

@entrypoint("probe")
def handler(event, context):
    return {"ok": True}

class Context:
    function_name = "probe"; memory_limit_in_mb = 128; aws_request_id = "r-1"
    invoked_function_arn = "arn:aws:lambda:local:000000000000:function:probe"

after_import = "aws_xray_sdk.core" in sys.modules
handler({}, Context())
print(json.dumps({"after_import": after_import, "after_call": "aws_xray_sdk.core" in sys.modules}))
"""


def xray_loaded(tracing: str | None) -> dict[str, bool]:
    env = {"POWERTOOLS_METRICS_DISABLED": "true", "POWERTOOLS_SERVICE_NAME": "probe"}
    if tracing is not None:
        env["DIGEST_TRACING"] = tracing
    proc = subprocess.run(
        [sys.executable, "-c", CHECK], env=env, capture_output=True, text=True, check=True, timeout=60
    )
    result: dict[str, bool] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


@pytest.mark.parametrize("tracing", [None, "", "off", "false"])
def test_without_tracing_the_xray_sdk_is_never_imported(tracing: str | None) -> None:
    assert xray_loaded(tracing) == {"after_import": False, "after_call": False}


def test_with_tracing_the_tracer_is_created_at_the_first_call_not_at_import() -> None:
    assert xray_loaded("on") == {"after_import": False, "after_call": True}


@pytest.fixture
def fresh_tracer() -> Iterator[None]:
    observability.tracer.cache_clear()
    yield
    observability.tracer.cache_clear()


@pytest.mark.usefixtures("fresh_tracer")
@pytest.mark.parametrize(("value", "traced"), [("true", True), ("ON", True), ("1", True), ("no", False)])
def test_the_setting_decides(monkeypatch: pytest.MonkeyPatch, value: str, traced: bool) -> None:
    monkeypatch.setenv("DIGEST_TRACING", value)
    assert (observability.tracer() is not None) is traced
