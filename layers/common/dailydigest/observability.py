"""The one place Logger, Tracer and Metrics are created, and the decorator stack every handler uses."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar, cast

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.logging.utils import copy_config_to_registered_loggers
from aws_lambda_powertools.metrics import MetricUnit

NAMESPACE = "DailyDigest"

# Powertools reads POWERTOOLS_SERVICE_NAME itself: each function names its own service in
# template.yaml (e.g. dailydigest-render), the `service` key of its logs and dimension of its metrics.
logger = Logger()
tracer = Tracer()
metrics = Metrics(namespace=NAMESPACE)

PACKAGE = "dailydigest"


def route_module_logs() -> None:
    """Send every module's `logging.getLogger(__name__)` line through the Powertools logger: its JSON
    formatter, its level and its keys (run id as correlation id, stage). In Lambda the service is
    the function's own (dailydigest-fetch, ...), so the package's loggers are not its children."""
    logging.getLogger(PACKAGE)  # registered, so the copy below finds it
    if logger.name.split(".")[0] != PACKAGE:
        copy_config_to_registered_loggers(source_logger=logger, include={PACKAGE})


route_module_logs()

Handler = TypeVar("Handler", bound=Callable[..., Any])

# Pipeline events carry the run id in detail.run_id; direct invokes may carry it at the top level.
RUN_ID_PATH = "detail.run_id || run_id"


def entrypoint(stage: str) -> Callable[[Handler], Handler]:
    """Wrap a Lambda handler in the shared stack: context logging with the run id as
    correlation id, tracing, and metrics flushed once per invocation."""

    def decorate(handler: Handler) -> Handler:
        @logger.inject_lambda_context(correlation_id_path=RUN_ID_PATH, clear_state=True)
        @tracer.capture_lambda_handler(capture_response=False)
        @metrics.log_metrics(raise_on_empty_metrics=False)
        @functools.wraps(handler)
        def wrapped(event: Any, context: Any) -> Any:
            logger.append_keys(stage=stage)
            return handler(event, context)

        return cast(Handler, wrapped)

    return decorate


def count(name: str, value: float = 1) -> None:
    """Add a Count metric for this invocation."""
    metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)


def set_run_id(run_id: str) -> None:
    """Use the run id as correlation id once it is known (fetch mints it)."""
    logger.set_correlation_id(run_id)
