"""Running the deployed handlers locally: the same code, routed by template.yaml's rules."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dailydigest.errors import ConfigError
from dailydigest.settings import Settings


class BadInput(ConfigError):
    """Input the user can fix: reported as one line with exit code 2."""


def load_settings(topics: Path | None = None) -> Settings:
    settings = Settings.from_env(os.environ)
    if topics is not None:
        settings = settings.model_copy(update={"topics_file": topics})
    return settings


def quiet_observability(verbose: bool) -> None:
    """Logs go to stderr (stdout is the report); EMF metrics are for CloudWatch, not a terminal."""
    os.environ.setdefault("POWERTOOLS_SERVICE_NAME", "dailydigest")
    os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
    from dailydigest.observability import logger

    for handler in logger.handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(sys.stderr)
    logger.setLevel(logging.INFO if verbose else logging.WARNING)


@dataclass
class LocalPipeline:
    """Services wired for a local run, with the local bus that replays the template's rules."""

    settings: Settings
    template: Path
    services: Any
    bus: Any

    def invoke(self, function: str, event: dict[str, Any]) -> Any:
        from dailydigest.adapters.bus_local import LocalContext, load_handler
        from dailydigest.adapters.sam_template import function_entry

        code_dir, handler_name = function_entry(self.template, function)
        handler = load_handler(code_dir, handler_name, function)
        return handler(event, LocalContext(function))

    def drain(self) -> list[Any]:
        deliveries: list[Any] = self.bus.drain()
        return deliveries


@contextmanager
def local_pipeline(settings: Settings) -> Iterator[LocalPipeline]:
    from dailydigest.adapters.bus_local import LocalBus
    from dailydigest.wiring import Services, install, locate

    template = locate(settings.template_file, "template")
    bus = LocalBus(template)
    services = Services(settings, overrides={"bus": bus})
    install(services)
    try:
        yield LocalPipeline(settings, template, services, bus)
    finally:
        install(None)
