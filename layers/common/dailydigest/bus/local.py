"""A local event bus that routes by the rules in template.yaml and calls the same handlers.

Events are queued and delivered in order by `drain()`, like an asynchronous bus: a handler
that publishes does not re-enter the bus. A wrong pattern in the template breaks local runs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import sys
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import ModuleType
from typing import Any

from dailydigest.bus.pattern import matches
from dailydigest.bus.template import Route, SamTemplate
from dailydigest.errors import DeliveryError, DigestError
from dailydigest.models.events import EVENT_SOURCE, PipelineEvent

MAX_DELIVERIES = 100  # a routing loop in the template must not spin forever


@dataclass(frozen=True)
class Delivery:
    envelope: dict[str, Any]
    targets: tuple[str, ...]


@dataclass
class LocalContext:
    """The subset of the Lambda context object the handlers (and Powertools) read."""

    function_name: str
    memory_limit_in_mb: int = 512
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:local:000000000000:function:{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return 900_000


def envelope_for(event: PipelineEvent) -> dict[str, Any]:
    """The event as EventBridge delivers it to a target."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": event.DETAIL_TYPE,
        "source": EVENT_SOURCE,
        "account": "000000000000",
        "time": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": "local",
        "resources": [],
        "detail": event.model_dump(mode="json"),
    }


def load_handler(code_dir: Path, handler: str, name: str) -> Callable[..., Any]:
    """Import `module.function` from a function's code directory without touching sys.path."""
    module_name, _, function_name = handler.rpartition(".")
    source = code_dir / f"{module_name.replace('.', '/')}.py"
    # One module per source file: two templates may both name a function "Sink".
    digest = hashlib.sha1(str(source.resolve()).encode(), usedforsecurity=False).hexdigest()[:10]
    unique = f"dailydigest_local_{name}_{digest}"
    module: ModuleType | None = sys.modules.get(unique)
    if module is None:
        spec = importlib.util.spec_from_file_location(unique, source)
        if spec is None or spec.loader is None:
            raise DigestError(f"cannot load handler {handler} from {code_dir}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[unique] = module
        spec.loader.exec_module(module)
    target: Callable[..., Any] = getattr(module, function_name)
    return target


class LocalBus:
    def __init__(self, template: Path) -> None:
        self.template = template.resolve()
        self._queue: deque[dict[str, Any]] = deque()
        self.deliveries: list[Delivery] = []

    @cached_property
    def sam(self) -> SamTemplate:
        """The template, parsed on first use and once: rules and handler entries both come from it."""
        return SamTemplate(self.template)

    @cached_property
    def routes(self) -> list[Route]:
        return self.sam.routes()

    def handler(self, function: str) -> Callable[..., Any]:
        """A function's handler as the template declares it, e.g. the entry point FetchFunction."""
        code_dir, handler = self.sam.entry(function)
        return load_handler(code_dir, handler, function)

    def publish(self, event: PipelineEvent) -> None:
        self._queue.append(envelope_for(event))

    def drain(self) -> list[Delivery]:
        """Deliver queued events (and the events their handlers publish) until none is left."""
        delivered: list[Delivery] = []
        while self._queue:
            if len(self.deliveries) >= MAX_DELIVERIES:
                raise DeliveryError(f"more than {MAX_DELIVERIES} local deliveries: routing loop?")
            envelope = self._queue.popleft()
            targets = [route for route in self.routes if matches(route.pattern, envelope)]
            delivery = Delivery(envelope, tuple(route.function for route in targets))
            self.deliveries.append(delivery)
            delivered.append(delivery)
            for route in targets:
                self._invoke(route, envelope)
        return delivered

    def _invoke(self, route: Route, envelope: dict[str, Any]) -> None:
        handler = load_handler(route.code_dir, route.handler, route.function)
        try:
            handler(envelope, LocalContext(function_name=route.function))
        except DigestError as exc:
            raise DeliveryError(f"{route.function} failed on {envelope['detail-type']}: {exc}") from exc

    def describe(self) -> str:
        return f"local bus routing by {self.template}"
