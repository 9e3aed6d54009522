"""What template.yaml promises about operations and security, checked on the document itself."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dailydigest.bus.template import load_template

FUNCTIONS = (
    "FetchFunction",
    "SummarizeFunction",
    "RenderFunction",
    "ScheduleSyncFunction",
    "WatchdogFunction",
)
# Actions IAM cannot scope to a resource (the service authorization reference lists none for them).
UNSCOPED_ACTIONS = {"scheduler:ListSchedules"}


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
        assert "*" not in resources or set(actions) <= UNSCOPED_ACTIONS, statement


def test_each_function_is_traced_logged_and_has_a_failure_destination(template: dict[str, Any]) -> None:
    globals_ = template["Globals"]["Function"]
    # X-Ray is a setting: Active tracing and the in-code tracer both follow the XRayTracing parameter.
    assert globals_["Tracing"] == {"Fn::If": ["TracingOn", "Active", "PassThrough"]}
    assert globals_["Environment"]["Variables"]["DIGEST_TRACING"] == {"Ref": "XRayTracing"}
    assert template["Parameters"]["XRayTracing"]["Default"] == "off"
    assert globals_["Runtime"] == "python3.11"
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


def test_no_topic_slots_schedules_come_from_the_topics_parameter(template: dict[str, Any]) -> None:
    # No per-topic parameters, schedules or alarms: the sync function owns the schedules.
    assert not any(name.startswith("Topic") and name[5:6].isdigit() for name in template["Parameters"])
    assert not _resources(template, "AWS::Scheduler::Schedule")
    assert "ScheduleCron" not in template["Parameters"]
    sync = template["Resources"]["ScheduleSyncFunction"]["Properties"]
    variables = sync["Environment"]["Variables"]
    assert variables["DIGEST_SCHEDULE_GROUP"] == {"Ref": "DigestScheduleGroup"}
    assert variables["DIGEST_SCHEDULE_TARGET_ARN"] == {"Fn::GetAtt": "FetchFunction.Arn"}
    # Triggered by the parameter's change event, and once at deploy.
    rule = template["Resources"]["TopicsChangedRule"]["Properties"]
    assert rule["EventPattern"]["source"] == ["aws.ssm"]
    assert rule["EventPattern"]["detail"]["name"] == [{"Ref": "TopicsParameterName"}]
    assert rule["Targets"][0]["Arn"] == {"Fn::GetAtt": "ScheduleSyncFunction.Arn"}
    assert rule["Targets"][0]["DeadLetterConfig"]
    custom = template["Resources"]["TopicSchedules"]
    assert custom["Type"].startswith("Custom::")
    assert custom["Properties"]["ServiceToken"] == {"Fn::GetAtt": "ScheduleSyncFunction.Arn"}


def test_one_no_post_alarm_covers_every_scheduled_topic(template: dict[str, Any]) -> None:
    watchdog = template["Resources"]["WatchdogFunction"]["Properties"]
    assert watchdog["Events"]["Hourly"]["Type"] == "ScheduleV2"
    alarm = template["Resources"]["NoPostAlarm"]["Properties"]
    assert alarm["MetricName"] == "TopicsWithoutPost"
    assert alarm["Dimensions"] == [{"Name": "service", "Value": "dailydigest-watchdog"}]
    # A silent watchdog alarms too.
    assert alarm["TreatMissingData"] == "breaching"
    alarms = [name for name in template["Resources"] if name.endswith("NoPostAlarm")]
    assert alarms == ["NoPostAlarm"]


def test_each_pipeline_function_has_its_own_layer_over_the_common_one(template: dict[str, Any]) -> None:
    assert template["Globals"]["Function"]["Layers"] == [{"Ref": "CommonLayer"}]
    for stage in ("Fetch", "Summarize", "Render"):
        function = template["Resources"][f"{stage}Function"]["Properties"]
        assert function["Layers"] == [{"Ref": f"{stage}Layer"}]
        layer = template["Resources"][f"{stage}Layer"]
        assert layer["Metadata"]["BuildMethod"] == "makefile"
        assert (Path(__file__).resolve().parents[2] / "layers" / stage.lower() / "requirements.txt").is_file()


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


def test_alarms_can_publish_to_the_encrypted_alarm_topic(template: dict[str, Any]) -> None:
    # The AWS-managed SNS key does not let CloudWatch encrypt to a topic: its alarms would never arrive.
    topic = template["Resources"]["AlarmTopic"]["Properties"]
    assert topic["KmsMasterKeyId"] == {"Ref": "AlarmTopicKey"}
    statements = template["Resources"]["AlarmTopicKey"]["Properties"]["KeyPolicy"]["Statement"]
    cloudwatch = [s for s in statements if s["Principal"].get("Service") == "cloudwatch.amazonaws.com"]
    assert cloudwatch and {"kms:Decrypt", "kms:GenerateDataKey"} <= set(cloudwatch[0]["Action"])
