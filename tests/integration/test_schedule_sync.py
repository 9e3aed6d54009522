"""The schedule sync and the watchdog against moto (EventBridge Scheduler, SSM, SNS): the plan applied,
the handler on each of its triggers, the deploy-time custom resource answering a loopback server."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from dailydigest.bus.local import LocalContext, load_handler
from dailydigest.errors import BadEventError, ConfigError
from dailydigest.runs.records import StageRecord
from dailydigest.schedules.plan import ScheduleTarget
from dailydigest.schedules.scheduler import EventBridgeSchedules
from dailydigest.settings import Settings
from dailydigest.stages.schedules import sync_schedules
from dailydigest.store import keys
from dailydigest.store.local import DirectoryStore
from dailydigest.topics import parse_topics
from dailydigest.wiring import Services, install
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.integration

GROUP = "dailydigest-test"
PARAMETER = "/dailydigest/topics"
ACCOUNT = "123456789012"
TARGET = ScheduleTarget(
    group=GROUP,
    function_arn=f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:fetch",
    role_arn=f"arn:aws:iam::{ACCOUNT}:role/scheduler",
    dead_letter_arn=f"arn:aws:sqs:us-east-1:{ACCOUNT}:dlq",
)
ZONES = ("Asia/Taipei", "America/Los_Angeles", "Europe/Berlin", "UTC", "Asia/Kolkata")


def topics_yaml(count: int, hour: int = 7) -> str:
    return "\n".join(
        f"topic-{n:02d}: {{queries: [T{n}], schedule: {{cron: 'cron({n % 60} {hour} * * ? *)', "
        f"timezone: {ZONES[n % len(ZONES)]}}}}}"
        for n in range(count)
    )


@pytest.fixture
def scheduler() -> Iterator[Any]:
    with mock_aws():
        client = boto3.client("scheduler", region_name="us-east-1")
        client.create_schedule_group(Name=GROUP)
        yield client


def described(client: Any) -> dict[str, dict[str, Any]]:
    names = [s["Name"] for s in client.list_schedules(GroupName=GROUP, MaxResults=100)["Schedules"]]
    return {name: client.get_schedule(Name=name, GroupName=GROUP) for name in names}


def test_fifty_topics_get_fifty_schedules_then_changes_update_and_removals_delete(scheduler: Any) -> None:
    schedules = EventBridgeSchedules(GROUP, scheduler)
    # Given 50 topics, each with its own minute and zone: 50 schedules
    plan = sync_schedules(parse_topics(topics_yaml(50)), TARGET, schedules)
    assert plan.summary() == {"created": 50, "updated": 0, "deleted": 0, "unchanged": 0}
    found = described(scheduler)
    assert len(found) == 50
    seven = found["topic-07"]
    assert seven["ScheduleExpression"] == "cron(7 7 * * ? *)"
    assert seven["ScheduleExpressionTimezone"] == ZONES[7 % len(ZONES)]
    assert json.loads(seven["Target"]["Input"]) == {"topic": "topic-07"}
    assert seven["Target"]["Arn"] == TARGET.function_arn
    assert seven["Target"]["DeadLetterConfig"]["Arn"] == TARGET.dead_letter_arn
    assert seven["FlexibleTimeWindow"] == {"Mode": "OFF"}

    # When nothing changed, the next sync changes nothing (what it reads back equals what it wrote)
    assert sync_schedules(parse_topics(topics_yaml(50)), TARGET, schedules).changes == 0

    # When every topic moves to 09:xx and ten topics go, 40 updates and 10 deletes
    plan = sync_schedules(parse_topics(topics_yaml(40, hour=9)), TARGET, schedules)
    assert plan.summary() == {"created": 0, "updated": 40, "deleted": 10, "unchanged": 0}
    found = described(scheduler)
    assert sorted(found) == [f"topic-{n:02d}" for n in range(40)]
    assert found["topic-07"]["ScheduleExpression"] == "cron(7 9 * * ? *)"

    # When the parameter is gone, no schedule is left
    assert sync_schedules(None, TARGET, schedules).summary()["deleted"] == 40
    assert described(scheduler) == {}


def test_a_schedule_set_by_hand_in_the_group_is_replaced(scheduler: Any) -> None:
    scheduler.create_schedule(
        Name="topic-00",
        GroupName=GROUP,
        ScheduleExpression="rate(5 minutes)",
        FlexibleTimeWindow={"Mode": "OFF"},
        Target={"Arn": TARGET.function_arn, "RoleArn": TARGET.role_arn},
    )
    plan = sync_schedules(parse_topics(topics_yaml(1)), TARGET, EventBridgeSchedules(GROUP, scheduler))
    assert [s.name for s in plan.update] == ["topic-00"]
    assert described(scheduler)["topic-00"]["ScheduleExpression"] == "cron(0 7 * * ? *)"


# ------------------------------------------------------------------ the handler on its triggers


@pytest.fixture
def sync_handler(scheduler: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("DIGEST_TOPICS", f"ssm:{PARAMETER}")
    monkeypatch.setenv("DIGEST_SCHEDULE_GROUP", GROUP)
    monkeypatch.setenv("DIGEST_SCHEDULE_TARGET_ARN", TARGET.function_arn)
    monkeypatch.setenv("DIGEST_SCHEDULE_ROLE_ARN", TARGET.role_arn)
    monkeypatch.setenv("DIGEST_SCHEDULE_DEAD_LETTER_ARN", TARGET.dead_letter_arn)
    handler = load_handler(REPO_ROOT / "functions" / "schedules", "app.lambda_handler", "ScheduleSync")
    return lambda event: handler(event, LocalContext("ScheduleSyncFunction"))


def parameter_change(operation: str = "Update") -> dict[str, Any]:
    return {
        "version": "0",
        "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
        "detail-type": "Parameter Store Change",
        "source": "aws.ssm",
        "account": ACCOUNT,
        "time": "2026-12-03T10:00:00Z",
        "region": "us-east-1",
        "resources": [f"arn:aws:ssm:us-east-1:{ACCOUNT}:parameter{PARAMETER}"],
        "detail": {"operation": operation, "name": PARAMETER, "type": "String", "description": ""},
    }


def test_the_change_event_syncs_from_the_parameter_read_fresh(sync_handler: Any, scheduler: Any) -> None:
    ssm = boto3.client("ssm", region_name="us-east-1")
    ssm.put_parameter(Name=PARAMETER, Type="String", Value=topics_yaml(3))
    assert sync_handler(parameter_change("Create"))["created"] == 3
    # A second change a moment later: the handler must not answer from a cached parameter value
    ssm.put_parameter(Name=PARAMETER, Type="String", Value=topics_yaml(5), Overwrite=True)
    assert sync_handler(parameter_change())["created"] == 2
    ssm.delete_parameter(Name=PARAMETER)
    assert sync_handler(parameter_change("Delete"))["deleted"] == 5
    assert described(scheduler) == {}


def test_a_bad_topics_parameter_changes_no_schedule(sync_handler: Any, scheduler: Any) -> None:
    ssm = boto3.client("ssm", region_name="us-east-1")
    ssm.put_parameter(Name=PARAMETER, Type="String", Value=topics_yaml(3))
    sync_handler({})
    ssm.put_parameter(Name=PARAMETER, Type="String", Value="topic-00: [not, a, mapping]", Overwrite=True)
    with pytest.raises(ConfigError, match="must be a mapping"):
        sync_handler(parameter_change())
    assert len(described(scheduler)) == 3


@pytest.mark.parametrize(
    "event",
    [
        {"source": "aws.ssm", "detail-type": "Parameter Store Change"},
        {"action": "delete-everything"},
        {**parameter_change(), "source": "aws.events"},
    ],
)
def test_an_unknown_event_is_rejected(sync_handler: Any, event: dict[str, Any]) -> None:
    with pytest.raises(BadEventError):
        sync_handler(event)


class CloudFormation:
    """A loopback stand-in for the pre-signed ResponseURL: records each PUT."""

    def __init__(self) -> None:
        self.responses: list[dict[str, Any]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_PUT(self) -> None:
                length = int(self.headers["Content-Length"])
                owner.responses.append(json.loads(self.rfile.read(length)))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/response?X-Amz-Signature=abc"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def cloudformation() -> Iterator[CloudFormation]:
    server = CloudFormation()
    yield server
    server.close()


def custom_resource(kind: str, url: str) -> dict[str, Any]:
    event = {
        "RequestType": kind,
        "ServiceToken": f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:sync",
        "ResponseURL": url,
        "StackId": f"arn:aws:cloudformation:us-east-1:{ACCOUNT}:stack/digest/1",
        "RequestId": "c7e3a6a4-0d3a-4e25-9d87-2f5c1d4c1a10",
        "LogicalResourceId": "TopicSchedules",
        "ResourceType": "Custom::TopicSchedules",
        "ResourceProperties": {"ScheduleGroup": GROUP},
    }
    if kind != "Create":
        event["PhysicalResourceId"] = "TopicSchedules-schedules"
    return event


def test_the_deploy_run_schedules_the_topics_and_answers_cloudformation(
    sync_handler: Any, scheduler: Any, cloudformation: CloudFormation
) -> None:
    boto3.client("ssm", region_name="us-east-1").put_parameter(
        Name=PARAMETER, Type="String", Value=topics_yaml(12)
    )
    result = sync_handler(custom_resource("Create", cloudformation.url))
    assert result["status"] == "SUCCESS" and result["created"] == 12
    (answer,) = cloudformation.responses
    assert answer["Status"] == "SUCCESS"
    assert answer["PhysicalResourceId"] == "TopicSchedules-schedules"
    assert answer["RequestId"] == "c7e3a6a4-0d3a-4e25-9d87-2f5c1d4c1a10"
    assert answer["Data"]["created"] == 12
    assert len(described(scheduler)) == 12
    # Delete leaves the schedules to the group's own deletion, and still answers
    sync_handler(custom_resource("Delete", cloudformation.url))
    assert cloudformation.responses[-1]["Status"] == "SUCCESS"
    assert len(described(scheduler)) == 12


def test_a_failed_deploy_run_answers_failed_with_the_reason(
    sync_handler: Any, cloudformation: CloudFormation
) -> None:
    boto3.client("ssm", region_name="us-east-1").put_parameter(
        Name=PARAMETER, Type="String", Value="topic-00: {schedule: {timezone: Mars/Olympus}}"
    )
    result = sync_handler(custom_resource("Update", cloudformation.url))
    assert result["status"] == "FAILED"
    (answer,) = cloudformation.responses
    assert answer["Status"] == "FAILED" and "unknown time zone" in answer["Reason"]


def test_no_parameter_yet_at_deploy_schedules_nothing_and_succeeds(
    sync_handler: Any, cloudformation: CloudFormation
) -> None:
    result = sync_handler(custom_resource("Create", cloudformation.url))
    assert result["status"] == "SUCCESS" and result["created"] == 0


# ------------------------------------------------------------------ the watchdog


class Notes:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def notify(self, subject: str, message: str) -> None:
        self.sent.append((subject, message))


def record(store: DirectoryStore, topic: str, stage: str, outcome: str, started: dt.datetime) -> None:
    run_id = started.strftime("%Y%m%dT%H%M%SZ") + "-test0001"
    entry = StageRecord(
        run_id=run_id,
        stage=stage,
        topic=topic,
        date=started.date(),
        started=started,
        outcome=outcome,  # type: ignore[arg-type]
    )
    store.put(keys.run_record_key(topic, started.date(), run_id, stage), entry.model_dump_json().encode(), "")


def test_the_watchdog_names_each_scheduled_topic_without_a_post_once(
    scheduler: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given three scheduled topics: one posted 20 h ago, one failed in summarize, one never ran
    sync_schedules(parse_topics(topics_yaml(3)), TARGET, EventBridgeSchedules(GROUP, scheduler))
    store = DirectoryStore(tmp_path / "store")
    created = dt.datetime.now(dt.UTC)
    now = created + dt.timedelta(hours=40)
    record(store, "topic-00", "fetch", "ok", now - dt.timedelta(hours=20, minutes=5))
    record(store, "topic-00", "render", "published", now - dt.timedelta(hours=20))
    record(store, "topic-01", "fetch", "ok", now - dt.timedelta(hours=3))
    record(store, "topic-01", "summarize", "failed", now - dt.timedelta(hours=3))
    record(store, "topic-01", "render", "published", now - dt.timedelta(hours=27))

    from dailydigest.stages.watchdog import watch_topics

    notes = Notes()
    scheduled = EventBridgeSchedules(GROUP, scheduler).enabled_since()
    assert sorted(scheduled) == ["topic-00", "topic-01", "topic-02"]
    overdue = watch_topics(scheduled, store, notes, now)
    assert [w.topic for w in overdue] == ["topic-01", "topic-02"]
    ((subject, message),) = notes.sent
    assert "2 topic(s) with no post in 26 hours" in subject
    assert "topic-01: last post" in message and "failed in summarize" in message
    assert "topic-02: last post never, latest run no run" in message
    # The same set an hour later: no second message
    watch_topics(scheduled, store, notes, now + dt.timedelta(hours=1))
    assert len(notes.sent) == 1
    # A schedule created 2 hours ago is not overdue yet
    assert watch_topics(scheduled, store, notes, created + dt.timedelta(hours=2)) == []
    assert "every scheduled topic has a post again" in notes.sent[-1][0]


def test_the_watchdog_handler_counts_and_messages_through_sns(
    scheduler: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sync_schedules(parse_topics(topics_yaml(2)), TARGET, EventBridgeSchedules(GROUP, scheduler))
    sns = boto3.client("sns", region_name="us-east-1")
    topic_arn = sns.create_topic(Name="alarms")["TopicArn"]
    environment = {
        "DIGEST_STORE": str(tmp_path / "store"),
        "DIGEST_SCHEDULE_GROUP": GROUP,
        "DIGEST_ALARM_TOPIC_ARN": topic_arn,
    }
    install(Services(Settings.from_env(environment)))
    handler = load_handler(REPO_ROOT / "functions" / "watchdog", "app.lambda_handler", "Watchdog")
    # Just created: nothing overdue yet, and nothing to say
    assert handler({}, LocalContext("WatchdogFunction")) == {"scheduled": 2, "overdue": []}
    state = DirectoryStore(tmp_path / "store")
    assert not state.exists(keys.watchdog_state_key())
