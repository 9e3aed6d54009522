"""Reading the topics file (YAML): from a path, or from text (an SSM parameter in Lambda)."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from dailydigest.errors import ConfigError, describe_validation_error
from dailydigest.models.topic import TopicsFile


def parse_topics(text: str, origin: str = "topics file") -> TopicsFile:
    """Parse and validate a topics YAML document; any problem is one ConfigError line."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{origin}: not valid YAML ({_first_line(exc)})") from None
    if not isinstance(raw, dict) or not raw:
        raise ConfigError(f"{origin}: expected a mapping of topic slugs to settings")
    entries: dict[str, object] = {}
    for slug, body in raw.items():
        if body is None:
            body = {}
        if not isinstance(body, dict):
            raise ConfigError(f"{origin}: topic {slug!r} must be a mapping")
        entries[str(slug)] = {"slug": str(slug), **body}
    try:
        return TopicsFile.model_validate({"topics": entries})
    except ValidationError as exc:
        raise ConfigError(f"{origin}: {describe_validation_error(exc)}") from None


def load_topics(path: Path) -> TopicsFile:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"topics file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"topics file unreadable: {path} ({exc})") from None
    return parse_topics(text, origin=str(path))


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
