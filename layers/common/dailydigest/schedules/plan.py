"""The schedule plan: which schedules to create, update and delete so that the stack's schedule
group holds exactly one schedule per topic, each with the topic's own cron and time zone."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from dailydigest.errors import ConfigError, describe_validation_error
from dailydigest.models.topic import TopicsFile
from dailydigest.settings import DeploySettings

Arn = Annotated[str, StringConstraints(pattern=r"^arn:[a-z0-9-]+:[a-z0-9-]+:[a-z0-9-]*:\d{12}:\S+$")]
GroupName = Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z_.-]{1,64}$")]

# How Scheduler retries one firing before it goes to the dead-letter queue (as the stage rules do).
RETRY_ATTEMPTS = 3
RETRY_MAX_AGE_SECONDS = 3600


class ScheduleTarget(BaseModel):
    """What every topic's schedule invokes, and with which role and dead-letter queue."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    group: GroupName
    function_arn: Arn
    role_arn: Arn
    dead_letter_arn: Arn

    @classmethod
    def from_settings(cls, deploy: DeploySettings) -> ScheduleTarget:
        """From the sync function's settings (template.yaml: ScheduleSyncFunction's environment)."""
        values = {
            "group": deploy.schedule_group or "",
            "function_arn": deploy.schedule_target_arn or "",
            "role_arn": deploy.schedule_role_arn or "",
            "dead_letter_arn": deploy.schedule_dead_letter_arn or "",
        }
        try:
            return cls.model_validate(values)
        except ValidationError as exc:
            raise ConfigError(f"schedule settings: {describe_validation_error(exc)}") from None


class ScheduleSpec(BaseModel):
    """The managed fields of one schedule: a difference in any of them is an update."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z_.-]{1,64}$")]
    expression: Annotated[str, StringConstraints(pattern=r"^cron\(.+\)$")]
    timezone: Annotated[str, StringConstraints(min_length=1, max_length=50)]
    description: Annotated[str, StringConstraints(max_length=512)]
    state: Literal["ENABLED", "DISABLED"] = "ENABLED"
    function_arn: Arn
    role_arn: Arn
    input: str
    dead_letter_arn: Arn
    retry_attempts: Annotated[int, Field(ge=0, le=185)] = RETRY_ATTEMPTS
    retry_max_age_seconds: Annotated[int, Field(ge=60, le=86400)] = RETRY_MAX_AGE_SECONDS


@dataclass(frozen=True)
class SchedulePlan:
    create: tuple[ScheduleSpec, ...] = ()
    update: tuple[ScheduleSpec, ...] = ()
    delete: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()

    @property
    def changes(self) -> int:
        return len(self.create) + len(self.update) + len(self.delete)

    def summary(self) -> dict[str, int]:
        return {
            "created": len(self.create),
            "updated": len(self.update),
            "deleted": len(self.delete),
            "unchanged": len(self.unchanged),
        }


class Schedules(Protocol):
    """The stack's schedule group (EventBridge Scheduler, or a fake in tests)."""

    def existing(self) -> dict[str, ScheduleSpec]:
        """Every schedule in the group, by name."""
        ...

    def apply(self, plan: SchedulePlan) -> None:
        """Create, update and delete as planned."""
        ...


def desired_schedules(topics: TopicsFile | None, target: ScheduleTarget) -> dict[str, ScheduleSpec]:
    """One schedule per topic, named by its slug (slugs are valid schedule names), firing the fetch
    function with the same payload as a hand-made scheduled run: {"topic": slug}."""
    if topics is None:
        return {}
    return {
        slug: ScheduleSpec(
            name=slug,
            expression=topic.schedule.cron,
            timezone=topic.schedule.timezone,
            description=f"Daily digest for {slug}",
            function_arn=target.function_arn,
            role_arn=target.role_arn,
            input=json.dumps({"topic": slug}, separators=(",", ":")),
            dead_letter_arn=target.dead_letter_arn,
        )
        for slug, topic in sorted(topics.topics.items())
    }


def plan_schedules(desired: Mapping[str, ScheduleSpec], existing: Mapping[str, ScheduleSpec]) -> SchedulePlan:
    """Create what is missing, update what differs, delete what no topic asks for any more."""
    create = tuple(spec for name, spec in sorted(desired.items()) if name not in existing)
    update = tuple(
        spec for name, spec in sorted(desired.items()) if name in existing and _differs(spec, existing[name])
    )
    unchanged = tuple(
        name
        for name, spec in sorted(desired.items())
        if name in existing and not _differs(spec, existing[name])
    )
    delete = tuple(sorted(name for name in existing if name not in desired))
    return SchedulePlan(create=create, update=update, delete=delete, unchanged=unchanged)


def _differs(wanted: ScheduleSpec, found: ScheduleSpec) -> bool:
    # The input is JSON: compare it parsed, so key order or spacing written by hand is no change.
    return wanted.model_copy(update={"input": _canonical(wanted.input)}) != found.model_copy(
        update={"input": _canonical(found.input)}
    )


def _canonical(text: str) -> str:
    try:
        return json.dumps(json.loads(text), sort_keys=True, separators=(",", ":"))
    except ValueError:
        return text
