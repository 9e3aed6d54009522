"""EMF metrics of one summarize run: how it ended, and its calls, tokens and cost."""

from __future__ import annotations

from typing import Literal

from dailydigest.summarize.llm.budget import UsageMeter

RunOutcome = Literal["written", "cached", "failed", "cost_cap", "time_budget"]

_OUTCOME_METRICS: dict[RunOutcome, str] = {
    "written": "LlmDigestsWritten",
    "cached": "LlmDigestCacheHits",
    "failed": "LlmFailures",
    "cost_cap": "LlmCostCapReached",
    "time_budget": "LlmTimeBudgetSpent",
}


def emit_run_metrics(ledger: UsageMeter | None, *, outcome: RunOutcome) -> None:
    """EMF metrics for this invocation: tokens, cost, calls and how the run ended."""
    # Powertools loads with the first metric, not with the summarizer.
    from aws_lambda_powertools.metrics import MetricUnit

    from dailydigest.observability import count, metrics

    count(_OUTCOME_METRICS[outcome])
    if ledger is None:
        return
    count("LlmCalls", ledger.calls)
    count("PromptTokens", ledger.prompt_tokens)
    count("CompletionTokens", ledger.completion_tokens)
    usage = ledger.usage()
    if usage.cost_usd is not None:
        metrics.add_metric(name="CostUsd", unit=MetricUnit.NoUnit, value=usage.cost_usd)
