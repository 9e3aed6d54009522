"""The deployed functions may do what the memory needs: fetch reads the ledger, render writes it
(conditionally), and render runs without a reserved concurrency of one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dailydigest.bus.template import load_template


@pytest.fixture(scope="module")
def resources() -> dict[str, Any]:
    template = load_template(Path(__file__).resolve().parents[2] / "template.yaml")
    found: dict[str, Any] = template["Resources"]
    return found


def _s3_actions_on(function: dict[str, Any], prefix: str) -> set[str]:
    actions: set[str] = set()
    for policy in function["Properties"].get("Policies", []):
        for statement in policy.get("Statement", []) if isinstance(policy, dict) else []:
            targets = (
                statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
            )
            if any(prefix in str(target) for target in targets):
                action = statement["Action"]
                actions.update(action if isinstance(action, list) else [action])
    return actions


def test_fetch_reads_the_ledger_and_render_writes_it(resources: dict[str, Any]) -> None:
    assert _s3_actions_on(resources["FetchFunction"], "/ledger/*") == {"s3:GetObject"}
    assert {"s3:GetObject", "s3:PutObject"} <= _s3_actions_on(resources["RenderFunction"], "/ledger/*")


def test_renders_may_run_at_once(resources: dict[str, Any]) -> None:
    assert "ReservedConcurrentExecutions" not in resources["RenderFunction"]["Properties"]
