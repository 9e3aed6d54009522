"""The S3 store and the EventBridge bus against moto; routing checked with an SQS tap on the
template's own rule patterns (moto cannot deliver to Lambda targets)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from dailydigest.bus.eventbridge import EventBridgeBus
from dailydigest.bus.template import routes
from dailydigest.errors import ConfigError, NotFoundError, PublishError
from dailydigest.models.events import ArticlesFetched, DigestWritten, PostPublished
from dailydigest.store.s3 import S3Store, parse_s3_url
from tests.support.racing import AtomicRequests, race

pytestmark = pytest.mark.integration

RUN = "20261128T000000Z-moto0001"
DAY = dt.date(2026, 11, 28)


@pytest.fixture
def aws() -> Iterator[None]:
    with mock_aws():
        yield


@pytest.fixture
def s3_store(aws: None) -> S3Store:
    client = boto3.client("s3", region_name="us-east-1")
    client.create_bucket(Bucket="digest-bucket")
    return S3Store("digest-bucket", "env/", client)


def test_s3_create_if_absent(s3_store: S3Store) -> None:
    assert s3_store.create("data/qwen/2026-11-28/stories.json", b"first", "application/json") is True
    assert s3_store.create("data/qwen/2026-11-28/stories.json", b"second", "application/json") is False
    assert s3_store.get("data/qwen/2026-11-28/stories.json") == b"first"


def test_s3_put_get_list_exists(s3_store: S3Store) -> None:
    s3_store.put("data/a.json", b"1", "application/json")
    s3_store.put("data/b.json", b"2", "application/json")
    s3_store.put("other/c.json", b"3", "application/json")
    assert s3_store.list("data/") == ["data/a.json", "data/b.json"]
    assert s3_store.exists("data/a.json") and not s3_store.exists("data/z.json")
    raw = s3_store.client.get_object(Bucket="digest-bucket", Key="env/data/a.json")
    assert raw["ContentType"] == "application/json"  # the prefix is applied on S3, not on our keys


def test_s3_missing_key(s3_store: S3Store) -> None:
    with pytest.raises(NotFoundError):
        s3_store.get("nope")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("s3://b", ("b", "")),
        ("s3://b/", ("b", "")),
        ("s3://b/p/q/", ("b", "p/q/")),
        ("s3://b/p", ("b", "p/")),
    ],
)
def test_s3_urls(url: str, expected: tuple[str, str]) -> None:
    assert parse_s3_url(url) == expected


@pytest.mark.parametrize("url", ["s3://", "s3:///prefix", "file:///tmp"])
def test_bad_s3_urls(url: str) -> None:
    with pytest.raises(ConfigError):
        parse_s3_url(url)


def _events() -> list[Any]:
    return [
        ArticlesFetched(
            run_id=RUN, topic="qwen", date=DAY, stories_key="data/s.json", article_count=3, story_count=2
        ),
        DigestWritten(run_id=RUN, topic="qwen", date=DAY, digest_key="data/d.json", generator="extractive"),
        PostPublished(
            run_id=RUN,
            topic="qwen",
            date=DAY,
            post_path="_posts/p.md",
            image_path="i.png",
            post_key="data/p.md",
            image_key="data/i.png",
            changed=True,
        ),
    ]


def test_template_rules_route_each_event_to_its_stage(aws: None, repo_root: Path) -> None:
    # Given the template's own rules on a bus, each with an SQS tap queue as its target
    events = boto3.client("events", region_name="us-east-1")
    sqs = boto3.client("sqs", region_name="us-east-1")
    events.create_event_bus(Name="digest-bus")
    queues: dict[str, str] = {}
    for route in routes(repo_root / "template.yaml"):
        url = sqs.create_queue(QueueName=f"tap-{route.function}")["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        events.put_rule(Name=route.rule, EventBusName="digest-bus", EventPattern=json.dumps(route.pattern))
        events.put_targets(Rule=route.rule, EventBusName="digest-bus", Targets=[{"Id": "tap", "Arn": arn}])
        queues[route.function] = url

    # When the adapter publishes each pipeline event
    bus = EventBridgeBus("digest-bus", events)
    for event in _events():
        bus.publish(event)

    # Then each stage's queue holds exactly the event that stage consumes
    received: dict[str, list[str]] = {}
    for function, url in queues.items():
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        received[function] = [json.loads(m["Body"])["detail-type"] for m in messages]
        for message in messages:
            assert json.loads(message["Body"])["detail"]["run_id"] == RUN
    assert received == {"SummarizeFunction": ["ArticlesFetched"], "RenderFunction": ["DigestWritten"]}


class _RejectingEvents:
    """PutEvents answering 200 with one failed entry, as EventBridge does when throttled."""

    def put_events(self, Entries: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "FailedEntryCount": 1,
            "Entries": [{"ErrorCode": "ThrottlingException", "ErrorMessage": "slow down"}],
        }


def test_failed_entry_raises() -> None:
    bus = EventBridgeBus("digest-bus", _RejectingEvents())  # type: ignore[arg-type]
    with pytest.raises(PublishError, match="ThrottlingException slow down"):
        bus.publish(_events()[0])


def test_s3_compare_and_swap_on_the_etag(s3_store: S3Store) -> None:
    # Given a key created conditionally, read with its ETag
    assert s3_store.put_if("ledger/qwen.json", b"v1", "application/json", None) is True
    assert s3_store.put_if("ledger/qwen.json", b"v1b", "application/json", None) is False
    data, etag = s3_store.get_versioned("ledger/qwen.json") or (b"", "")
    assert data == b"v1" and etag
    # When one writer swaps it, a second writer holding the same ETag loses (412)
    assert s3_store.put_if("ledger/qwen.json", b"v2", "application/json", etag) is True
    assert s3_store.put_if("ledger/qwen.json", b"v3", "application/json", etag) is False
    assert s3_store.get("ledger/qwen.json") == b"v2"
    assert s3_store.get_versioned("ledger/absent.json") is None
    # An IfMatch on a key that is gone writes nothing either
    assert s3_store.put_if("ledger/absent.json", b"x", "application/json", etag) is False
    assert not s3_store.exists("ledger/absent.json")


def test_threads_racing_update_on_s3_lose_nothing(s3_store: S3Store) -> None:
    store = S3Store(s3_store.bucket, s3_store.prefix, AtomicRequests(s3_store.client))  # type: ignore[arg-type]
    race(store, "ledger/qwen.json", 6)
    assert json.loads(store.get("ledger/qwen.json")) == [f"day-{n:02d}" for n in range(6)]


def test_s3_conditional_write_on_an_sdk_without_it_is_one_clear_error(s3_store: S3Store) -> None:
    from botocore.exceptions import ParamValidationError

    class OldClient:
        """A client whose botocore predates IfMatch (it validates parameters before sending)."""

        exceptions = s3_store.client.exceptions

        def put_object(self, **params: object) -> None:
            raise ParamValidationError(report='Unknown parameter in input: "IfMatch"')

    old = S3Store("digest-bucket", "", OldClient())  # type: ignore[arg-type]
    with pytest.raises(
        ConfigError, match=r"cannot make S3 conditional writes \(needs botocore >= 1\.35\.69\)"
    ):
        old.put_if("ledger/qwen.json", b"x", "application/json", '"etag"')
