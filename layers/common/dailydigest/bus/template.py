"""Reads the event routing out of template.yaml, the single source of truth for routing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from dailydigest.errors import ConfigError


class _CfnLoader(yaml.SafeLoader):
    """SafeLoader that accepts CloudFormation short-form tags (!Ref, !GetAtt, !Sub, ...)."""


def _construct_tag(loader: yaml.SafeLoader, tag_suffix: str, node: yaml.Node) -> dict[str, Any]:
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    name = "Ref" if tag_suffix == "Ref" else f"Fn::{tag_suffix}"
    return {name: value}


_CfnLoader.add_multi_constructor("!", _construct_tag)


@dataclass(frozen=True)
class Route:
    """One EventBridge rule: events matching `pattern` go to a function's handler."""

    rule: str
    function: str
    pattern: dict[str, Any]
    code_dir: Path
    handler: str


def load_template(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"template not readable: {path} ({exc.strerror})") from None
    try:
        document = yaml.load(text, Loader=_CfnLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        raise ConfigError(f"template is not valid YAML: {path}") from exc
    if not isinstance(document, dict) or not isinstance(document.get("Resources"), dict):
        raise ConfigError(f"template has no Resources: {path}")
    return document


class SamTemplate:
    """template.yaml parsed once: its functions' code entries and its EventBridge rules."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.document = load_template(path)
        self._globals: dict[str, Any] = self.document.get("Globals", {}).get("Function", {})

    def entry(self, logical_id: str) -> tuple[Path, str]:
        """The code directory and handler string of one function (Globals fill what it omits)."""
        resource = self.document["Resources"].get(logical_id)
        if not isinstance(resource, dict) or resource.get("Type") != "AWS::Serverless::Function":
            raise ConfigError(f"template has no function {logical_id}")
        props = resource.get("Properties", {})
        code_uri = props.get("CodeUri", self._globals.get("CodeUri"))
        handler = props.get("Handler", self._globals.get("Handler"))
        if not isinstance(code_uri, str) or not isinstance(handler, str):
            raise ConfigError(f"template: {logical_id} needs a local CodeUri and a Handler")
        return self.path.parent / code_uri, handler

    def routes(self) -> list[Route]:
        """Every EventBridgeRule event source on every function."""
        found: list[Route] = []
        for logical_id, resource in self.document["Resources"].items():
            if resource.get("Type") != "AWS::Serverless::Function":
                continue
            for event_id, source in (resource.get("Properties", {}).get("Events") or {}).items():
                if source.get("Type") != "EventBridgeRule":
                    continue
                pattern = source.get("Properties", {}).get("Pattern")
                if not isinstance(pattern, dict) or not pattern:
                    raise ConfigError(f"template: {logical_id}.{event_id} has no event pattern")
                code_dir, handler = self.entry(logical_id)
                found.append(Route(event_id, logical_id, pattern, code_dir, handler))
        return found


def routes(path: Path) -> list[Route]:
    """Every EventBridgeRule event source on every function of the template at path."""
    return SamTemplate(path).routes()
