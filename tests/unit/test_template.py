"""What template.yaml promises about operations and security, checked on the document itself."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dailydigest.bus.template import load_template

FUNCTIONS = ("FetchFunction", "SummarizeFunction", "RenderFunction")


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return load_template(Path(__file__).resolve().parents[2] / "template.yaml")


def _resources(template: dict[str, Any], kind: str) -> dict[str, Any]:
    return {name: r for name, r in template["Resources"].items() if r["Type"] == kind}


def _statements(template: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for resource in template["Resources"].values():
        props = resource.get("Properties", {})
        for policy in props.get("Policies", []):
            if isinstance(policy, dict) and "Statement" in policy:
                found += policy["Statement"]
            if isinstance(policy, dict) and "PolicyDocument" in policy:
                found += policy["PolicyDocument"]["Statement"]
    return found


def test_no_wildcard_actions_or_resources(template: dict[str, Any]) -> None:
    for statement in _statements(template):
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        assert all("*" not in action for action in actions), statement
        resources = (
            statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
        )
        assert "*" not in resources, statement


def test_each_function_is_traced_logged_and_has_a_failure_destination(template: dict[str, Any]) -> None:
    globals_ = template["Globals"]["Function"]
    assert globals_["Tracing"] == "Active" and globals_["Runtime"] == "python3.11"
    assert globals_["EventInvokeConfig"]["DestinationConfig"]["OnFailure"]["Type"] == "SQS"
    groups = _resources(template, "AWS::Logs::LogGroup")
    for function in FUNCTIONS:
        assert function in template["Resources"]
        assert any(function in str(g["Properties"]["LogGroupName"]) for g in groups.values()), function
        assert f"{function}ErrorsAlarm" in template["Resources"]
    assert all("RetentionInDays" in g["Properties"] for g in groups.values())


def test_rules_retry_and_dead_letter(template: dict[str, Any]) -> None:
    rules = [
        event["Properties"]
        for r in _resources(template, "AWS::Serverless::Function").values()
        for event in r["Properties"].get("Events", {}).values()
        if event["Type"] == "EventBridgeRule"
    ]
    assert len(rules) == 2
    for rule in rules:
        assert rule["RetryPolicy"]["MaximumRetryAttempts"] >= 1
        assert rule["DeadLetterConfig"]["Arn"] == {"Fn::GetAtt": "EventDeadLetterQueue.Arn"}


def test_bucket_is_private_encrypted_and_versioned(template: dict[str, Any]) -> None:
    bucket = template["Resources"]["DigestBucket"]["Properties"]
    assert bucket["VersioningConfiguration"]["Status"] == "Enabled"
    assert bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert all(bucket["PublicAccessBlockConfiguration"].values())
    # Only CloudFront reads, and only the archive.
    statements = template["Resources"]["DigestBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    reads = [s for s in statements if s["Effect"] == "Allow"]
    assert [s["Resource"] for s in reads] == [{"Fn::Sub": "${DigestBucket.Arn}/archive/*"}]


def test_every_schedule_slot_has_a_zone_and_a_no_post_alarm(template: dict[str, Any]) -> None:
    for slot in range(1, 6):
        schedule = template["Resources"][f"Topic{slot}Schedule"]
        assert schedule["Condition"] == f"HasTopic{slot}"
        assert schedule["Properties"]["ScheduleExpressionTimezone"] == {"Ref": f"Topic{slot}TimeZone"}
        assert schedule["Properties"]["Target"]["DeadLetterConfig"]
        alarm = template["Resources"][f"Topic{slot}NoPostAlarm"]["Properties"]
        assert alarm["Period"] * alarm["EvaluationPeriods"] == 26 * 3600
        assert alarm["TreatMissingData"] == "breaching"
    assert template["Parameters"]["Topic1"]["Default"] == "qwen"


def test_a_fallback_to_the_extractive_digest_raises_an_alarm(template: dict[str, Any]) -> None:
    alarm = template["Resources"]["LlmFallbackAlarm"]["Properties"]
    summarize = template["Resources"]["SummarizeFunction"]["Properties"]["Environment"]["Variables"]
    assert (alarm["Namespace"], alarm["MetricName"]) == ("DailyDigest", "LlmFallbacks")
    assert alarm["Dimensions"] == [{"Name": "service", "Value": summarize["POWERTOOLS_SERVICE_NAME"]}]
    assert alarm["Threshold"] == 0 and alarm["ComparisonOperator"] == "GreaterThanThreshold"
    assert alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}]


def test_an_outage_raises_the_sources_down_alarm(template: dict[str, Any]) -> None:
    # The alarm watches the metric the fetch handler counts, under the fetch function's service name.
    alarm = template["Resources"]["SourcesDownAlarm"]["Properties"]
    fetch_env = template["Resources"]["FetchFunction"]["Properties"]["Environment"]["Variables"]
    assert (alarm["Namespace"], alarm["MetricName"]) == ("DailyDigest", "SourcesDown")
    assert alarm["Dimensions"] == [{"Name": "service", "Value": fetch_env["POWERTOOLS_SERVICE_NAME"]}]
    assert alarm["Threshold"] == 0 and alarm["ComparisonOperator"] == "GreaterThanThreshold"
    assert alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}]
    handler = (Path(__file__).resolve().parents[2] / "functions" / "fetch" / "app.py").read_text()
    assert 'count("SourcesDown")' in handler


def test_the_post_path_parameter_reaches_render(template: dict[str, Any]) -> None:
    import re

    from dailydigest.store.keys import DEFAULT_POST_PATH

    render_env = template["Resources"]["RenderFunction"]["Properties"]["Environment"]["Variables"]
    assert render_env["DIGEST_POST_PATH"] == {"Ref": "PostPath"}
    pattern = re.compile(template["Parameters"]["PostPath"]["AllowedPattern"])
    assert pattern.match("") and pattern.match(DEFAULT_POST_PATH)
    assert not pattern.match("/etc/{date}.md") and not pattern.match("_posts/{topic}.md")
