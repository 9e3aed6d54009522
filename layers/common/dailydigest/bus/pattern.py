"""EventBridge event-pattern matching, for the local bus that replays the template's rules.

Supports exact values, prefix, suffix, anything-but, exists, equals-ignore-case and nested
objects. An operator it does not know raises, so a template that uses one fails loudly locally.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dailydigest.errors import UnsupportedPatternError

_MISSING = object()


def matches(pattern: Mapping[str, Any], event: Mapping[str, Any]) -> bool:
    for field, expected in pattern.items():
        value = event.get(field, _MISSING) if isinstance(event, Mapping) else _MISSING
        if isinstance(expected, Mapping):
            if not isinstance(value, Mapping) or not matches(expected, value):
                return False
        elif isinstance(expected, list):
            if not _matches_any(expected, value):
                return False
        else:
            raise UnsupportedPatternError(f"pattern field {field!r} must be a list or an object")
    return True


def _matches_any(matchers: list[Any], value: Any) -> bool:
    # An array value matches when any of its elements matches (EventBridge semantics).
    values = value if isinstance(value, list) else [value]
    return any(_matches_one(m, v, value is _MISSING) for m in matchers for v in values)


def _matches_one(matcher: Any, value: Any, missing: bool) -> bool:
    if not isinstance(matcher, Mapping):
        return not missing and value == matcher
    if len(matcher) != 1:
        raise UnsupportedPatternError(f"content filter must have one operator: {dict(matcher)}")
    ((op, arg),) = matcher.items()
    if op == "exists":
        return bool(arg) != missing
    if missing:
        return False
    if op == "prefix":
        return isinstance(value, str) and value.startswith(arg)
    if op == "suffix":
        return isinstance(value, str) and value.endswith(arg)
    if op == "equals-ignore-case":
        return isinstance(value, str) and value.lower() == str(arg).lower()
    if op == "anything-but":
        excluded = arg if isinstance(arg, list) else [arg]
        return value not in excluded
    raise UnsupportedPatternError(f"unsupported pattern operator {op!r}")
