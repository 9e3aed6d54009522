"""Parsing at the handler boundary: every inbound event becomes a validated model or one clear error."""

from __future__ import annotations

from typing import Any, TypeVar

from aws_lambda_powertools.utilities.parser import parse
from aws_lambda_powertools.utilities.parser.models import EventBridgeModel
from pydantic import BaseModel, ValidationError

from dailydigest.errors import BadEventError, describe_validation_error
from dailydigest.models.events import EVENT_SOURCE, ArticlesFetched, DigestWritten, PipelineEvent

Model = TypeVar("Model", bound=BaseModel)
Detail = TypeVar("Detail", bound=PipelineEvent)


class ArticlesFetchedEvent(EventBridgeModel):
    detail: ArticlesFetched


class DigestWrittenEvent(EventBridgeModel):
    detail: DigestWritten


def parse_request(event: Any, model: type[Model]) -> Model:
    """A direct-invoke or schedule payload."""
    if not isinstance(event, dict):
        raise BadEventError(f"expected a JSON object, got {type(event).__name__}")
    try:
        return parse(event=event, model=model)
    except ValidationError as exc:
        raise BadEventError(f"bad {_label(model)}: {describe_validation_error(exc)}") from None


def _label(model: type[BaseModel]) -> str:
    """What the caller sent, in its words: "run request", "ArticlesFetched event"."""
    if issubclass(model, EventBridgeModel):
        return model.__name__.removesuffix("Event") + " event"
    return "run request" if model.__name__.endswith("Request") else model.__name__


def parse_pipeline_event(event: Any, envelope: type[EventBridgeModel], detail: type[Detail]) -> Detail:
    """An EventBridge delivery of one of our own events, checked for source and detail-type."""
    parsed = parse_request(event, envelope)
    if parsed.source != EVENT_SOURCE or parsed.detail_type != detail.DETAIL_TYPE:
        raise BadEventError(
            f"expected {EVENT_SOURCE}/{detail.DETAIL_TYPE}, got {parsed.source}/{parsed.detail_type}"
        )
    value: Detail = parsed.detail  # type: ignore[assignment]
    return value
