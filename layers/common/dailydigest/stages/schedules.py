"""The schedule sync: make the stack's schedule group hold one schedule per topic, as the topics
parameter says now. Idempotent: a second run with nothing changed plans no change."""

from __future__ import annotations

from dailydigest.models.topic import TopicsFile
from dailydigest.schedules.plan import (
    SchedulePlan,
    Schedules,
    ScheduleTarget,
    desired_schedules,
    plan_schedules,
)


def sync_schedules(topics: TopicsFile | None, target: ScheduleTarget, schedules: Schedules) -> SchedulePlan:
    """`topics` None (the parameter is gone) deletes every schedule of the group."""
    plan = plan_schedules(desired_schedules(topics, target), schedules.existing())
    if plan.changes:
        schedules.apply(plan)
    return plan
