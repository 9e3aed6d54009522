"""Running the deployed handlers locally: the same code, routed by template.yaml's rules."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from dailydigest.errors import BadInput
from dailydigest.models.requests import FetchRequest
from dailydigest.settings import Settings

if TYPE_CHECKING:
    from dailydigest.bus.local import Delivery, LocalBus
    from dailydigest.wiring import Services


def request_for(topic: str, day: str | None) -> FetchRequest:
    """The run's request from the command line, or BadInput in the user's words (no model names)."""
    try:
        return FetchRequest.model_validate({"topic": topic, "date": day})
    except ValidationError as exc:
        problem = exc.errors()[0]
        field = str(problem["loc"][0]) if problem["loc"] else ""
        if field == "topic":
            raise BadInput(
                f"bad topic {topic!r}: a topic is a slug of lowercase letters, digits and dashes, e.g. qwen"
            ) from None
        if field == "date" and problem["type"] == "value_error":
            raise BadInput(str(problem["msg"]).removeprefix("Value error, ")) from None
        raise BadInput(f"bad date {day!r}: no such day (expected YYYY-MM-DD)") from None


def add_topics_option(parser: argparse.ArgumentParser) -> None:
    """The --topics FILE option of the commands that read topics (see load_settings)."""
    parser.add_argument(
        "--topics", metavar="FILE", help="topics file (default: $DIGEST_TOPICS or topics.yaml)"
    )


def load_settings(topics: str | None = None) -> Settings:
    """Settings from the environment; a --topics FILE option overrides DIGEST_TOPICS."""
    settings = Settings.from_env(os.environ)
    if topics:
        settings = settings.model_copy(update={"topics_file": Path(topics)})
    return settings


def quiet_observability(verbose: bool) -> None:
    """Logs go to stderr (stdout is the report); EMF metrics are for CloudWatch, not a terminal."""
    os.environ.setdefault("POWERTOOLS_SERVICE_NAME", "dailydigest")
    os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
    # No X-Ray daemon on a laptop; and an AWS profile that does not exist must not stop a local run.
    os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "true")
    from dailydigest.observability import logger, route_module_logs

    for handler in logger.handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(sys.stderr)
    # Without -v a run prints only its own report: warnings and errors reach the user through it.
    logger.setLevel(logging.INFO if verbose else logging.CRITICAL)
    route_module_logs()
    if not verbose:
        warnings.filterwarnings("ignore", module="aws_lambda_powertools")


@dataclass
class LocalPipeline:
    """Services wired for a local run, with the local bus that replays the template's rules."""

    services: Services
    bus: LocalBus

    def invoke(self, function: str, event: dict[str, Any]) -> Any:
        from dailydigest.bus.local import LocalContext

        return self.bus.handler(function)(event, LocalContext(function))

    def drain(self) -> list[Delivery]:
        return self.bus.drain()


@contextmanager
def local_pipeline(settings: Settings) -> Iterator[LocalPipeline]:
    from dailydigest.bus.local import LocalBus
    from dailydigest.wiring import Services, install, locate

    bus = LocalBus(locate(settings.template_file, "template"))
    services = Services(settings, bus=bus)
    install(services)
    try:
        yield LocalPipeline(services, bus)
    finally:
        install(None)
