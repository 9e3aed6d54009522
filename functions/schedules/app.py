"""ScheduleSyncFunction: one EventBridge Scheduler schedule per topic of the topics parameter, each
with the topic's own cron and time zone, in the stack's schedule group.

Runs on the parameter's "Parameter Store Change" event (rule TopicsChangedRule), at deploy (custom
resource TopicSchedules), and on a direct invoke with `{}` to re-sync by hand. The parameter is read
fresh each time; a bad topics YAML changes no schedule and fails with one clear error.
"""

from __future__ import annotations

from typing import Any, Literal

from aws_lambda_powertools.utilities.parser.models import EventBridgeModel
from pydantic import BaseModel, ConfigDict

from dailydigest.boundary import parse_request
from dailydigest.errors import BadEventError, ConfigError
from dailydigest.handling import resolve
from dailydigest.observability import count, entrypoint, logger
from dailydigest.schedules import custom_resource
from dailydigest.schedules.parameter import read_topics_parameter
from dailydigest.schedules.plan import ScheduleTarget
from dailydigest.schedules.scheduler import EventBridgeSchedules
from dailydigest.settings import Settings
from dailydigest.stages.schedules import sync_schedules
from dailydigest.wiring import Services


class ParameterChange(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: str
    operation: str


class ParameterChangeEvent(EventBridgeModel):
    source: Literal["aws.ssm"]
    detail: ParameterChange


def sync(settings: Settings) -> dict[str, int]:
    target = ScheduleTarget.from_settings(settings.deploy)
    parameter = settings.topics_parameter
    if parameter is None:
        source = str(settings.topics_file)
        raise ConfigError(f"DIGEST_TOPICS must name the topics parameter as ssm:/name, not {source!r}")
    topics = read_topics_parameter(parameter)
    if topics is None:
        logger.warning("topics parameter not found: no topic is scheduled", parameter=parameter)
    plan = sync_schedules(topics, target, EventBridgeSchedules(target.group))
    summary = plan.summary()
    count("SchedulesChanged", plan.changes)
    # "created" is a LogRecord attribute: the counts go under their own key.
    logger.info("schedules in sync", group=target.group, schedules=summary)
    return summary


@entrypoint("schedules")
def lambda_handler(event: dict[str, Any], context: Any, services: Services | None = None) -> dict[str, Any]:
    settings = resolve(services).settings
    if custom_resource.is_custom_resource(event):
        request = parse_request(event, custom_resource.CustomResourceRequest)
        return custom_resource.handle(request, lambda: sync(settings))
    if isinstance(event, dict) and event.get("source") is not None:
        change = parse_request(event, ParameterChangeEvent).detail
        logger.info("topics parameter changed", parameter=change.name, operation=change.operation)
    elif event not in ({}, None):
        raise BadEventError("expected a Parameter Store Change event, a custom resource request or {}")
    return sync(settings)
