"""EventBridge PutEvents: one entry per pipeline event; any failed entry raises."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from dailydigest.errors import PublishError
from dailydigest.models.events import EVENT_SOURCE, PipelineEvent

if TYPE_CHECKING:
    from mypy_boto3_events import EventBridgeClient


class EventBridgeBus:
    def __init__(self, bus_name: str, client: EventBridgeClient | None = None) -> None:
        if client is None:
            import boto3

            client = boto3.client("events")
        self.client = client
        self.bus_name = bus_name

    def publish(self, event: PipelineEvent) -> None:
        response = self.client.put_events(
            Entries=[
                {
                    "Source": EVENT_SOURCE,
                    "DetailType": event.DETAIL_TYPE,
                    "Detail": event.model_dump_json(),
                    "EventBusName": self.bus_name,
                }
            ]
        )
        # PutEvents answers 200 even when an entry was rejected: check every entry.
        if response.get("FailedEntryCount", 0):
            entry: Mapping[str, Any] = next((e for e in response["Entries"] if e.get("ErrorCode")), {})
            reason = f"{entry.get('ErrorCode')} {entry.get('ErrorMessage')}"
            raise PublishError(f"eventbridge rejected {event.DETAIL_TYPE}: {reason}")

    def describe(self) -> str:
        return f"eventbridge bus {self.bus_name}"
