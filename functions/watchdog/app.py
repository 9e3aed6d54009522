"""WatchdogFunction, hourly: every scheduled topic (an enabled schedule in the stack's group) must have
delivered a post within 26 hours. Counts the overdue topics into the TopicsWithoutPost metric (alarm
NoPostAlarm) and names them, with their latest run, in a message to the alarm topic when the set changes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dailydigest.errors import ConfigError
from dailydigest.handling import resolve
from dailydigest.observability import count, entrypoint, logger
from dailydigest.schedules.notify import SnsNotifier
from dailydigest.schedules.scheduler import EventBridgeSchedules
from dailydigest.stages.watchdog import watch_topics
from dailydigest.wiring import Services


@entrypoint("watchdog")
def lambda_handler(event: dict[str, Any], context: Any, services: Services | None = None) -> dict[str, Any]:
    deps = resolve(services)
    deploy = deps.settings.deploy
    if not deploy.schedule_group:
        raise ConfigError("DIGEST_SCHEDULE_GROUP is not set")
    scheduled = EventBridgeSchedules(deploy.schedule_group).enabled_since()
    notifier = SnsNotifier(deploy.alarm_topic_arn) if deploy.alarm_topic_arn else None
    overdue = watch_topics(scheduled, deps.store, notifier, dt.datetime.now(dt.UTC))
    for watch in overdue:
        logger.warning("no post in 26 hours", topic=watch.topic, detail=watch.describe())
    count("TopicsWithoutPost", len(overdue))
    logger.info("watchdog checked", scheduled=len(scheduled), overdue=len(overdue))
    return {"scheduled": len(scheduled), "overdue": [w.topic for w in overdue]}
