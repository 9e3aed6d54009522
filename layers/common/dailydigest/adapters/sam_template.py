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


def routes(path: Path) -> list[Route]:
    """Every EventBridgeRule event source on every function of the template."""
    document = load_template(path)
    globals_ = document.get("Globals", {}).get("Function", {})
    found: list[Route] = []
    for logical_id, resource in document["Resources"].items():
        if resource.get("Type") != "AWS::Serverless::Function":
            continue
        props = resource.get("Properties", {})
        for event_id, source in (props.get("Events") or {}).items():
            if source.get("Type") != "EventBridgeRule":
                continue
            pattern = source.get("Properties", {}).get("Pattern")
            if not isinstance(pattern, dict) or not pattern:
                raise ConfigError(f"template: {logical_id}.{event_id} has no event pattern")
            code_uri = props.get("CodeUri", globals_.get("CodeUri"))
            handler = props.get("Handler", globals_.get("Handler"))
            if not isinstance(code_uri, str) or not isinstance(handler, str):
                raise ConfigError(f"template: {logical_id} needs a local CodeUri and a Handler")
            found.append(Route(event_id, logical_id, pattern, path.parent / code_uri, handler))
    return found


def function_entry(path: Path, logical_id: str) -> tuple[Path, str]:
    """The code directory and handler string of one function."""
    document = load_template(path)
    resource = document["Resources"].get(logical_id)
    if not resource or resource.get("Type") != "AWS::Serverless::Function":
        raise ConfigError(f"template has no function {logical_id}")
    globals_ = document.get("Globals", {}).get("Function", {})
    props = resource.get("Properties", {})
    return path.parent / props.get("CodeUri", globals_.get("CodeUri")), props.get(
        "Handler", globals_.get("Handler")
    )
