"""The stack's schedule group in EventBridge Scheduler: read every schedule back, apply a plan."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from dailydigest.observability import logger
from dailydigest.schedules.plan import SchedulePlan, ScheduleSpec

if TYPE_CHECKING:
    from mypy_boto3_scheduler import EventBridgeSchedulerClient


class EventBridgeSchedules:
    """Every schedule of one group is ours: the group belongs to the stack."""

    def __init__(self, group: str, client: EventBridgeSchedulerClient | None = None) -> None:
        if client is None:
            import boto3
            from botocore.config import Config

            # 50 topics are 50 calls in a burst: the standard retry mode rides out throttling.
            client = boto3.client("scheduler", config=Config(retries={"mode": "standard", "max_attempts": 8}))
        self.client = client
        self.group = group

    def existing(self) -> dict[str, ScheduleSpec]:
        names: list[str] = []
        paginator = self.client.get_paginator("list_schedules")
        for page in paginator.paginate(GroupName=self.group):
            names += [summary["Name"] for summary in page.get("Schedules", [])]
        found: dict[str, ScheduleSpec] = {}
        for name in names:
            try:
                described = self.client.get_schedule(Name=name, GroupName=self.group)
            except self.client.exceptions.ResourceNotFoundException:
                continue  # deleted between the listing and now
            found[name] = _spec_of(described)
        return found

    def enabled_since(self) -> dict[str, dt.datetime]:
        """Every enabled schedule (= scheduled topic) and when it was created or last changed."""
        found: dict[str, dt.datetime] = {}
        paginator = self.client.get_paginator("list_schedules")
        for page in paginator.paginate(GroupName=self.group, State="ENABLED"):
            for summary in page.get("Schedules", []):
                changed = summary.get("LastModificationDate") or summary.get("CreationDate")
                found[summary["Name"]] = _aware(changed) if changed else dt.datetime.now(dt.UTC)
        return found

    def apply(self, plan: SchedulePlan) -> None:
        for spec in plan.create:
            try:
                self.client.create_schedule(**self._request(spec))
            except self.client.exceptions.ConflictException:
                # Created since we listed (an overlapping sync): make it what we want.
                self.client.update_schedule(**self._request(spec))
            logger.info("schedule created", schedule=spec.name, cron=spec.expression, timezone=spec.timezone)
        for spec in plan.update:
            try:
                self.client.update_schedule(**self._request(spec))
            except self.client.exceptions.ResourceNotFoundException:
                self.client.create_schedule(**self._request(spec))
            logger.info("schedule updated", schedule=spec.name, cron=spec.expression, timezone=spec.timezone)
        for name in plan.delete:
            # Already gone is fine: the plan's outcome holds.
            with contextlib.suppress(self.client.exceptions.ResourceNotFoundException):
                self.client.delete_schedule(Name=name, GroupName=self.group)
            logger.info("schedule deleted", schedule=name)

    def _request(self, spec: ScheduleSpec) -> dict[str, Any]:
        return {
            "Name": spec.name,
            "GroupName": self.group,
            "ScheduleExpression": spec.expression,
            "ScheduleExpressionTimezone": spec.timezone,
            "Description": spec.description,
            "State": spec.state,
            "FlexibleTimeWindow": {"Mode": "OFF"},
            "Target": {
                "Arn": spec.function_arn,
                "RoleArn": spec.role_arn,
                "Input": spec.input,
                "RetryPolicy": {
                    "MaximumRetryAttempts": spec.retry_attempts,
                    "MaximumEventAgeInSeconds": spec.retry_max_age_seconds,
                },
                "DeadLetterConfig": {"Arn": spec.dead_letter_arn},
            },
        }

    def describe(self) -> str:
        return f"eventbridge scheduler group {self.group}"


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _spec_of(described: Any) -> ScheduleSpec:
    """A schedule as the API describes it, reduced to the fields a plan manages."""
    target = described.get("Target", {})
    retry = target.get("RetryPolicy", {})
    try:
        return ScheduleSpec(
            name=described["Name"],
            expression=described.get("ScheduleExpression", ""),
            timezone=described.get("ScheduleExpressionTimezone") or "UTC",
            description=described.get("Description", ""),
            state=described.get("State", "ENABLED"),
            function_arn=target.get("Arn", ""),
            role_arn=target.get("RoleArn", ""),
            input=target.get("Input", ""),
            dead_letter_arn=target.get("DeadLetterConfig", {}).get("Arn", ""),
            retry_attempts=retry.get("MaximumRetryAttempts", 185),
            retry_max_age_seconds=retry.get("MaximumEventAgeInSeconds", 86400),
        )
    except ValidationError:
        # Not the shape we write (e.g. a rate() expression set by hand): a placeholder that differs
        # from every wanted spec, so the plan replaces it, or deletes it when no topic has its name.
        return ScheduleSpec.model_construct(
            name=described["Name"],
            expression="",
            timezone="",
            description="",
            function_arn="",
            role_arn="",
            input="",
            dead_letter_arn="",
        )
