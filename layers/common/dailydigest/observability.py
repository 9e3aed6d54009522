"""The one place Logger, Tracer and Metrics are created, and the decorator stack every handler uses."""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging.utils import copy_config_to_registered_loggers
from aws_lambda_powertools.metrics import MetricUnit

if TYPE_CHECKING:
    from aws_lambda_powertools import Tracer

NAMESPACE = "DailyDigest"

# Powertools reads POWERTOOLS_SERVICE_NAME itself: each function names its own service in
# template.yaml (e.g. dailydigest-render), the `service` key of its logs and dimension of its metrics.
logger = Logger()
metrics = Metrics(namespace=NAMESPACE)

# X-Ray tracing is on only with DIGEST_TRACING=true (template parameter XRayTracing). Constructing a
# Powertools Tracer imports aws_xray_sdk.core, and with it botocore, even as Tracer(disabled=True)
# (Tracer builds its X-Ray provider before it looks at `disabled`): that import was two thirds of a
# handler's cold start. So the Tracer is created at the first traced invocation, never at import.
TRACING_ENV = "DIGEST_TRACING"
_TRUTHY = frozenset({"1", "true", "yes", "on"})

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
    correlation id, metrics flushed once per invocation, and X-Ray tracing when it is on."""

    def decorate(handler: Handler) -> Handler:
        traced: list[Callable[..., Any]] = []  # the handler wrapped by the tracer, built once

        @logger.inject_lambda_context(correlation_id_path=RUN_ID_PATH, clear_state=True)
        @metrics.log_metrics(raise_on_empty_metrics=False)
        @functools.wraps(handler)
        def wrapped(event: Any, context: Any, **given: Any) -> Any:
            # `given` carries a caller's services (tests, the local bus) through to the handler.
            logger.append_keys(stage=stage)
            active = tracer()
            if active is None:
                return handler(event, context, **given)
            if not traced:
                traced.append(active.capture_lambda_handler(handler, capture_response=False))
            return traced[0](event, context, **given)

        return cast(Handler, wrapped)

    return decorate


@functools.cache
def tracer() -> Tracer | None:
    """The process's X-Ray tracer when DIGEST_TRACING is on (read at first use), else None."""
    if os.environ.get(TRACING_ENV, "").strip().lower() not in _TRUTHY:
        return None
    from aws_lambda_powertools import Tracer

    return Tracer()


def count(name: str, value: float = 1) -> None:
    """Add a Count metric for this invocation."""
    metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)


def set_run_id(run_id: str) -> None:
    """Use the run id as correlation id once it is known (fetch mints it)."""
    logger.set_correlation_id(run_id)
