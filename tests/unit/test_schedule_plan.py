"""The schedule plan: one schedule per topic with its own cron and zone; changes update, removals delete."""

from __future__ import annotations

import json

import pytest

from dailydigest.errors import ConfigError
from dailydigest.models.topic import TopicsFile
from dailydigest.schedules.plan import (
    ScheduleSpec,
    ScheduleTarget,
    desired_schedules,
    plan_schedules,
)
from dailydigest.settings import Settings
from dailydigest.topics import parse_topics

TARGET = ScheduleTarget(
    group="dailydigest-prod",
    function_arn="arn:aws:lambda:us-east-1:123456789012:function:fetch",
    role_arn="arn:aws:iam::123456789012:role/scheduler",
    dead_letter_arn="arn:aws:sqs:us-east-1:123456789012:dlq",
)
ZONES = (
    "Asia/Taipei",
    "America/Los_Angeles",
    "Europe/Berlin",
    "UTC",
    "Asia/Tokyo",
    "Australia/Sydney",
    "America/Sao_Paulo",
    "Africa/Nairobi",
    "Asia/Kolkata",
    "Pacific/Auckland",
    "America/New_York",
    "Europe/London",
)


def twelve_topics() -> TopicsFile:
    # Each topic fires at its own minute and hour, in its own zone.
    lines = []
    for n, zone in enumerate(ZONES):
        lines += [
            f"topic-{n:02d}:",
            f"  queries: [Topic {n}]",
            f"  schedule: {{cron: 'cron({n * 5} {n + 6} * * ? *)', timezone: {zone}}}",
        ]
    return parse_topics("\n".join(lines))


def test_twelve_topics_each_with_its_own_cron_and_zone_plan_twelve_schedules() -> None:
    # Given 12 topics and an empty schedule group
    desired = desired_schedules(twelve_topics(), TARGET)
    # When the sync plans
    plan = plan_schedules(desired, existing={})
    # Then it creates 12 schedules, each with its topic's cron and zone, invoking fetch for it
    assert len(plan.create) == 12 and not plan.update and not plan.delete
    for n, spec in enumerate(plan.create):
        assert spec.name == f"topic-{n:02d}"
        assert spec.expression == f"cron({n * 5} {n + 6} * * ? *)"
        assert spec.timezone == ZONES[n]
        assert json.loads(spec.input) == {"topic": f"topic-{n:02d}"}
        assert spec.function_arn == TARGET.function_arn
        assert spec.role_arn == TARGET.role_arn
        assert spec.dead_letter_arn == TARGET.dead_letter_arn
    assert len({(s.expression, s.timezone) for s in plan.create}) == 12
    assert plan.summary() == {"created": 12, "updated": 0, "deleted": 0, "unchanged": 0}


def test_nothing_changed_plans_nothing() -> None:
    desired = desired_schedules(twelve_topics(), TARGET)
    plan = plan_schedules(desired, existing=desired)
    assert plan.changes == 0 and len(plan.unchanged) == 12


def test_a_changed_cron_or_zone_is_an_update_and_a_removed_topic_a_delete() -> None:
    existing = desired_schedules(twelve_topics(), TARGET)
    text = twelve_topics()
    topics = dict(text.topics)
    topics["topic-03"] = topics["topic-03"].model_copy(
        update={"schedule": topics["topic-03"].schedule.model_copy(update={"cron": "cron(30 9 * * ? *)"})}
    )
    topics["topic-04"] = topics["topic-04"].model_copy(
        update={"schedule": topics["topic-04"].schedule.model_copy(update={"timezone": "Asia/Seoul"})}
    )
    del topics["topic-11"]
    plan = plan_schedules(desired_schedules(TopicsFile(topics=topics), TARGET), existing)
    assert [s.name for s in plan.update] == ["topic-03", "topic-04"]
    assert plan.update[0].expression == "cron(30 9 * * ? *)"
    assert plan.update[1].timezone == "Asia/Seoul"
    assert plan.delete == ("topic-11",)
    assert not plan.create and len(plan.unchanged) == 9


def test_a_new_deploy_target_updates_every_schedule() -> None:
    existing = desired_schedules(twelve_topics(), TARGET)
    moved = TARGET.model_copy(update={"function_arn": TARGET.function_arn + "-v2"})
    plan = plan_schedules(desired_schedules(twelve_topics(), moved), existing)
    assert len(plan.update) == 12


def test_the_parameter_gone_deletes_every_schedule() -> None:
    existing = desired_schedules(twelve_topics(), TARGET)
    plan = plan_schedules(desired_schedules(None, TARGET), existing)
    assert len(plan.delete) == 12 and not plan.create and not plan.update


def test_input_written_with_other_spacing_or_key_order_is_no_change() -> None:
    desired = desired_schedules(parse_topics("qwen: {queries: [Qwen]}"), TARGET)
    existing = {"qwen": desired["qwen"].model_copy(update={"input": '{ "topic" : "qwen" }'})}
    assert plan_schedules(desired, existing).changes == 0


def test_a_disabled_schedule_is_enabled_again_the_parameter_is_the_truth() -> None:
    desired = desired_schedules(parse_topics("qwen: {queries: [Qwen]}"), TARGET)
    existing = {"qwen": desired["qwen"].model_copy(update={"state": "DISABLED"})}
    assert [s.state for s in plan_schedules(desired, existing).update] == ["ENABLED"]


def test_fifty_topics_plan_fifty_schedules() -> None:
    text = "\n".join(f"t{n}: {{queries: [T{n}]}}" for n in range(50))
    plan = plan_schedules(desired_schedules(parse_topics(text), TARGET), {})
    assert len(plan.create) == 50


@pytest.mark.parametrize(
    ("variable", "value", "fragment"),
    [
        ("DIGEST_SCHEDULE_GROUP", "", "group"),
        ("DIGEST_SCHEDULE_GROUP", "bad group!", "group"),
        ("DIGEST_SCHEDULE_TARGET_ARN", "fetch", "function_arn"),
        ("DIGEST_SCHEDULE_ROLE_ARN", "", "role_arn"),
        ("DIGEST_SCHEDULE_DEAD_LETTER_ARN", "arn:aws:sqs:x", "dead_letter_arn"),
    ],
)
def test_bad_sync_settings_are_one_clear_error(variable: str, value: str, fragment: str) -> None:
    environ = {
        "DIGEST_SCHEDULE_GROUP": TARGET.group,
        "DIGEST_SCHEDULE_TARGET_ARN": TARGET.function_arn,
        "DIGEST_SCHEDULE_ROLE_ARN": TARGET.role_arn,
        "DIGEST_SCHEDULE_DEAD_LETTER_ARN": TARGET.dead_letter_arn,
    }
    assert ScheduleTarget.from_settings(Settings.from_env(environ).deploy) == TARGET
    with pytest.raises(ConfigError, match=fragment):
        ScheduleTarget.from_settings(Settings.from_env({**environ, variable: value}).deploy)


def test_a_schedule_name_is_a_topic_slug() -> None:
    # Slugs (lowercase, digits, dashes, at most 40) are valid Scheduler names (at most 64).
    spec = desired_schedules(parse_topics(f"{'a' * 40}: {{queries: [A]}}"), TARGET)
    assert isinstance(spec["a" * 40], ScheduleSpec)
