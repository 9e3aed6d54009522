from __future__ import annotations

import argparse
import io
import json
from typing import Any

import boto3
import pytest
from botocore.response import StreamingBody
from botocore.stub import Stubber

from dailydigest.commands.deploy_params import overrides
from dailydigest.commands.invoke import invoke_fetch
from dailydigest.commands.run import MAX_BACKFILL_DAYS, days_to_run
from dailydigest.errors import BadEventError, BadInput, DigestError


def _args(**values: Any) -> argparse.Namespace:
    return argparse.Namespace(**{"date": None, "start": None, "end": None, **values})


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({}, [None]),
        ({"date": "2026-11-28"}, ["2026-11-28"]),
        ({"start": "2026-11-27"}, ["2026-11-27"]),
        ({"start": "2026-02-27", "end": "2026-03-01"}, ["2026-02-27", "2026-02-28", "2026-03-01"]),
    ],
)
def test_backfill_days(values: dict[str, str], expected: list[str | None]) -> None:
    assert days_to_run(_args(**values)) == expected


@pytest.mark.parametrize(
    ("values", "fragment"),
    [
        ({"end": "2026-11-28"}, "--to needs --from"),
        ({"start": "2026-11-28", "end": "2026-11-27"}, "before --from"),
        ({"start": "2026-13-01"}, "bad date"),
        ({"start": "2025-01-01", "end": "2025-12-31"}, f"longer than {MAX_BACKFILL_DAYS}"),
    ],
)
def test_bad_backfill_ranges(values: dict[str, str], fragment: str) -> None:
    with pytest.raises(BadInput, match=fragment):
        days_to_run(_args(**values))


def test_deploy_params_fill_the_template_slots() -> None:
    pairs = overrides([("qwen", "Asia/Taipei"), ("llama", "America/New_York")])
    assert pairs[:4] == [
        "Topic1=qwen",
        "Topic1TimeZone=Asia/Taipei",
        "Topic2=llama",
        "Topic2TimeZone=America/New_York",
    ]
    assert "Topic5=" in pairs and len(pairs) == 10
    with pytest.raises(BadInput, match="at most 5"):
        overrides([(f"t{n}", "UTC") for n in range(6)])


def _clients() -> tuple[Any, Any, Stubber, Stubber]:
    cloudformation = boto3.client("cloudformation", region_name="us-east-1")
    lambda_client = boto3.client("lambda", region_name="us-east-1")
    return cloudformation, lambda_client, Stubber(cloudformation), Stubber(lambda_client)


def _stack_resource(stub: Stubber) -> None:
    stub.add_response(
        "describe_stack_resource",
        {
            "StackResourceDetail": {
                "LogicalResourceId": "FetchFunction",
                "PhysicalResourceId": "dailydigest-FetchFunction-abc",
                "ResourceType": "AWS::Serverless::Function",
                "LastUpdatedTimestamp": "2026-11-28T00:00:00Z",
                "ResourceStatus": "CREATE_COMPLETE",
            }
        },
        {"StackName": "dailydigest", "LogicalResourceId": "FetchFunction"},
    )


def _payload(body: Any) -> StreamingBody:
    raw = json.dumps(body).encode()
    return StreamingBody(io.BytesIO(raw), len(raw))


def test_invoke_finds_the_function_and_reports_its_answer() -> None:
    cloudformation, lambda_client, cfn_stub, lambda_stub = _clients()
    _stack_resource(cfn_stub)
    answer = {"outcome": "fetched", "run_id": "r-000001", "topic": "qwen", "date": "2026-11-28"}
    lambda_stub.add_response(
        "invoke",
        {"StatusCode": 200, "Payload": _payload(answer)},
        {
            "FunctionName": "dailydigest-FetchFunction-abc",
            "InvocationType": "RequestResponse",
            "Payload": b'{"topic":"qwen","date":"2026-11-28"}',
        },
    )
    with cfn_stub, lambda_stub:
        assert invoke_fetch("qwen", "2026-11-28", "dailydigest", cloudformation, lambda_client) == answer


def test_invoke_reports_a_function_error_in_one_line() -> None:
    cloudformation, lambda_client, cfn_stub, lambda_stub = _clients()
    _stack_resource(cfn_stub)
    lambda_stub.add_response(
        "invoke",
        {
            "StatusCode": 200,
            "FunctionError": "Unhandled",
            "Payload": _payload({"errorMessage": "unknown topic 'llama'", "errorType": "ConfigError"}),
        },
    )
    with cfn_stub, lambda_stub, pytest.raises(DigestError, match="failed: unknown topic 'llama'"):
        invoke_fetch("qwen", None, "dailydigest", cloudformation, lambda_client)


def test_invoke_without_the_stack() -> None:
    cloudformation, lambda_client, cfn_stub, _ = _clients()
    cfn_stub.add_client_error("describe_stack_resource", "ValidationError", "Stack 'nope' does not exist")
    with cfn_stub, pytest.raises(DigestError, match="stack 'nope' has no FetchFunction"):
        invoke_fetch("qwen", None, "nope", cloudformation, lambda_client)


@pytest.mark.parametrize(("topic", "date"), [("Bad Slug", None), ("qwen", "2026-02-30")])
def test_invoke_validates_before_calling_aws(topic: str, date: str | None) -> None:
    cloudformation, lambda_client, cfn_stub, lambda_stub = _clients()
    with cfn_stub, lambda_stub, pytest.raises(BadEventError):
        invoke_fetch(topic, date, "dailydigest", cloudformation, lambda_client)
