"""Messages to the people watching (the stack's alarm topic)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from mypy_boto3_sns import SNSClient

SUBJECT_MAX = 100  # SNS limit for e-mail subjects


class Notifier(Protocol):
    def notify(self, subject: str, message: str) -> None: ...


class SnsNotifier:
    def __init__(self, topic_arn: str, client: SNSClient | None = None) -> None:
        if client is None:
            import boto3

            client = boto3.client("sns")
        self.client = client
        self.topic_arn = topic_arn

    def notify(self, subject: str, message: str) -> None:
        self.client.publish(TopicArn=self.topic_arn, Subject=subject[:SUBJECT_MAX], Message=message)
