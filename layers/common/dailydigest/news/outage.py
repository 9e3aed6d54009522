"""Telling an outage from a quiet day.

A day with too few articles is NoNews only when the sources answered: when every source failed,
or nearly every request got no answer (DNS, connection refused, timeouts, 5xx), the fetch failed
and says why. The web client reports each answer to a FetchTally; sources keep reporting their
own failures as they always have (a log line, an exception caught by gather).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

OUTAGE_SHARE = 0.9
"""Share of requests without an answer from which the day counts as an outage, not a quiet day."""
MAX_REASONS = 5
_TOO_MANY_REQUESTS = 429


@dataclass
class FetchTally:
    """What the web answered during one gather: requests made, requests without an answer, why."""

    requests: int = 0
    failed: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    on_batch: Callable[[int, int], None] | None = None
    """Told (answered, asked) after each batch of requests: the CLI's progress line."""

    def reset(self) -> None:
        self.requests, self.failed = 0, 0
        self.reasons.clear()

    def answered(self, url: str, status: int) -> bool:
        """Count an HTTP answer; a 5xx or 429 is the server being down, not an answer. True if usable."""
        if status == _TOO_MANY_REQUESTS or status >= 500:
            return self.unanswered(url, f"http status {status}")
        self.requests += 1
        return True

    def unanswered(self, url: str, reason: str) -> bool:
        self.requests += 1
        self.failed += 1
        host = urlsplit(url).hostname or url[:60]
        self.reasons[f"{host}: {reason[:120]}"] += 1
        return False

    def batch_done(self, answered: int, asked: int) -> None:
        if self.on_batch is not None:
            self.on_batch(answered, asked)


def outage_reasons(sources: int, failed_sources: Sequence[str], tally: FetchTally | None) -> list[str] | None:
    """Why the day's fetch counts as failed, or None when the sources answered (however little)."""
    if sources and len(failed_sources) >= sources:
        return [f"every source failed ({len(failed_sources)} of {sources})", *failed_sources[:MAX_REASONS]]
    if tally is None or not tally.requests or tally.failed < OUTAGE_SHARE * tally.requests:
        return None
    common = [f"{reason} ({n}x)" if n > 1 else reason for reason, n in tally.reasons.most_common(MAX_REASONS)]
    summary = f"{tally.failed} of {tally.requests} requests got no answer"
    return [summary, *failed_sources[:MAX_REASONS], *common]
