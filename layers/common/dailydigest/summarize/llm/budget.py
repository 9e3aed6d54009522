"""Token budgets: estimates, trimming, the single-call or map-reduce decision, prices and the cost cap.

Estimates need no tokenizer download: a CJK character (or full-width punctuation mark) counts as one
token, other text as one token per four characters. That is close to what BPE tokenizers of current
chat models produce for news prose, and errs high for Chinese, so budgets stay on the safe side.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from dailydigest.errors import CostCapReached, TimeBudgetSpent
from dailydigest.models.digest import Usage
from dailydigest.news.text import join_sentences, split_sentences

if TYPE_CHECKING:
    from dailydigest.settings import LlmSettings

# Han ideographs, kana, CJK punctuation and full-width forms: about one token each.
_WIDE = re.compile("[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
LATIN_CHARS_PER_TOKEN = 4
MESSAGE_OVERHEAD_TOKENS = 4  # role and separators of one chat message
REPLY_PRIMING_TOKENS = 3
MIN_ARTICLE_TOKENS = 120  # below this an article is a headline and a lead: switch to map-reduce instead
FOLLOWER_SHARE = 0.4  # later articles of a story mostly repeat its first one: less of the budget
# A one-call digest prompt is a briefing, not an archive: past this the model gains little (it writes
# at most eight highlights) and every extra token is paid for; more stories go through map-reduce.
PROMPT_TOKENS = 4_500
ELLIPSIS = "…"


def estimate_tokens(text: str) -> int:
    """Estimated tokens of text: wide (CJK) characters one each, the rest four characters a token."""
    return _tokens(len(_WIDE.findall(text)), len(text))


def _tokens(wide: int, length: int) -> int:
    """Estimated tokens of `length` characters, `wide` of them CJK."""
    return wide + math.ceil((length - wide) / LATIN_CHARS_PER_TOKEN)


def estimate_messages(messages: Sequence[Mapping[str, str]]) -> int:
    """Estimated prompt tokens of a chat request."""
    return REPLY_PRIMING_TOKENS + sum(
        MESSAGE_OVERHEAD_TOKENS + estimate_tokens(message["content"]) for message in messages
    )


def trim_to_tokens(text: str, budget: int, skip: set[str] | None = None) -> str:
    """The leading sentences of text that fit the budget (news leads carry the facts).

    Sentences in `skip` (already given by another article of the same story) are left out, and the
    ones kept are added to it. A first sentence longer than the budget is cut, with an ellipsis.
    """
    kept: list[str] = []
    joined, used, wide = "", 0, 0
    for sentence in _sentences(text):
        if skip is not None and sentence in skip:
            continue
        # Both the sentences' own estimates and the joined text's (joining adds spaces) must fit; the
        # joined text's is counted on from the sentences already kept, not re-estimated whole.
        sentence_wide = len(_WIDE.findall(sentence))
        cost = _tokens(sentence_wide, len(sentence))
        longer = join_sentences([joined, sentence])
        if used + cost > budget or _tokens(wide + sentence_wide, len(longer)) > budget:
            if not kept:
                joined = _cut(sentence, budget)
                kept.append(joined)
            break
        kept.append(sentence)
        joined, used, wide = longer, used + cost, wide + sentence_wide
    if skip is not None:
        skip.update(kept)
    return joined


@lru_cache(maxsize=512)
def _sentences(text: str) -> tuple[str, ...]:
    # Planning trims the same articles at many budgets: each is split once.
    return tuple(split_sentences(text))


def _cut(sentence: str, budget: int) -> str:
    cut = ""
    for char in sentence:
        if estimate_tokens(cut + char) > max(budget - 1, 1):
            break
        cut += char
    return cut.rstrip() + ELLIPSIS


@dataclass(frozen=True)
class Budget:
    """The token limits of one summarize run."""

    context_tokens: int
    max_output_tokens: int
    article_tokens: int
    min_article_tokens: int = MIN_ARTICLE_TOKENS
    prompt_tokens: int = PROMPT_TOKENS
    """What a single-call digest prompt may use at most (the context may allow more)."""

    @classmethod
    def for_settings(cls, llm: LlmSettings) -> Budget:
        return cls(llm.context_tokens, llm.max_output_tokens, llm.article_tokens)

    @property
    def input_tokens(self) -> int:
        """What a prompt may use: the context budget less the reserved answer."""
        return max(self.context_tokens - self.max_output_tokens, 0)

    @property
    def single_call_tokens(self) -> int:
        return min(self.input_tokens, self.prompt_tokens)

    def notes_output_tokens(self, stories: int) -> int:
        """Output cap of a map call: a few short facts per story."""
        return min(self.max_output_tokens, 200 + 300 * stories)


@dataclass(frozen=True)
class Plan:
    """How the stories reach the model: one call, or notes per batch of stories then the digest."""

    mode: Literal["single", "map_reduce"]
    article_tokens: int
    batches: tuple[tuple[int, ...], ...] = ()
    """Story indexes per map call (map-reduce only)."""
    batch_article_tokens: tuple[int, ...] = ()
    """The per-article budget of each map call (lower for a story too long for one call)."""


Measure = Callable[[Sequence[int], int], int]
"""Estimated prompt tokens for these story indexes at this per-article budget."""


def fit_article_tokens(measure: Measure, stories: Sequence[int], budget: Budget, limit: int) -> int | None:
    """The largest per-article budget (from the configured one down to the floor) whose prompt fits
    `limit`, or None when even the floor does not. `measure` grows with the article budget."""
    high = max(budget.article_tokens, 1)
    if measure(stories, high) <= limit:
        return high
    low = min(budget.min_article_tokens, high)
    if measure(stories, low) > limit:
        return None
    while high - low > 10:  # the prompt at `low` fits, at `high` it does not
        middle = (low + high) // 2
        if measure(stories, middle) <= limit:
            low = middle
        else:
            high = middle
    return low


def plan_digest(measure: Measure, measure_notes: Measure, story_count: int, budget: Budget) -> Plan:
    """One call when every story fits the single-call prompt budget (articles trimmed, down to the
    floor); past it, one call at the floor while that fits the context (one more call of notes per
    batch would cost more than the extra prompt); else map-reduce: batches of whole stories, each
    batch's prompt and notes within the budget. `measure` sizes the digest prompt, `measure_notes`
    the map step's prompt."""
    everything = list(range(story_count))
    single = fit_article_tokens(measure, everything, budget, budget.single_call_tokens)
    if single is not None:
        return Plan("single", single)
    floor = min(budget.min_article_tokens, budget.article_tokens)
    if measure(everything, floor) <= budget.input_tokens:
        return Plan("single", floor)
    batches: list[tuple[int, ...]] = []
    current: list[int] = []
    for index in everything:
        candidate = [*current, index]
        limit = budget.context_tokens - budget.notes_output_tokens(len(candidate))
        if current and measure_notes(candidate, budget.article_tokens) > limit:
            batches.append(tuple(current))
            candidate = [index]
        current = candidate
    if current:
        batches.append(tuple(current))
    sizes = tuple(
        fit_article_tokens(
            measure_notes, batch, budget, budget.context_tokens - budget.notes_output_tokens(len(batch))
        )
        or budget.min_article_tokens
        for batch in batches
    )
    return Plan("map_reduce", budget.article_tokens, tuple(batches), sizes)


# --- prices and the per-run cost cap ------------------------------------------------------------------


def price_for(model: str, prices: Mapping[str, tuple[float, float]]) -> tuple[float, float] | None:
    """USD per million (input, output) tokens: an exact entry, else the longest entry the model's
    name starts with (a dated snapshot such as `gpt-4o-mini-2024-07-18` takes `gpt-4o-mini`)."""
    if model in prices:
        return prices[model]
    prefixes = [name for name in prices if model.startswith(name)]
    return prices[max(prefixes, key=len)] if prefixes else None


def cost_usd(price: tuple[float, float], prompt_tokens: int, completion_tokens: int) -> float:
    return (prompt_tokens * price[0] + completion_tokens * price[1]) / 1_000_000


@dataclass
class UsageMeter:
    """Tokens, calls, cost and time of one summarize run, and the caps that stop a runaway one."""

    prices: Mapping[str, tuple[float, float]]
    cap_usd: float | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    calls: int = 0
    cost: float = 0.0
    unpriced: set[str] = field(default_factory=set)
    run_seconds: float | None = None
    """Wall-clock budget of the run's LLM calls (None: no limit)."""
    started: float = field(default_factory=time.monotonic)

    def seconds_left(self, minimum: float) -> float | None:
        """Seconds left for the next call; TimeBudgetSpent when fewer than `minimum` are."""
        if self.run_seconds is None:
            return None
        left = self.run_seconds - (time.monotonic() - self.started)
        if left < minimum:
            raise TimeBudgetSpent(
                f"the run's time budget of {self.run_seconds:g}s is spent "
                f"({max(left, 0):.0f}s left, a call needs at least {minimum:g}s)"
            )
        return left

    def ensure_room(self, model: str, prompt_tokens: int, max_output_tokens: int) -> None:
        """Raise CostCapReached when the worst case of the next call would pass the cap."""
        if self.cap_usd is None:
            return
        price = price_for(model, self.prices)
        if price is None:
            self.unpriced.add(model)
            return
        worst = cost_usd(price, prompt_tokens, max_output_tokens)
        if self.cost + worst > self.cap_usd:
            raise CostCapReached(
                f"per-run cost cap of ${self.cap_usd:.4f} reached: ${self.cost:.4f} spent, "
                f"the next call to {model} may cost up to ${worst:.4f}"
            )

    def record(self, model: str, prompt_tokens: int, completion_tokens: int) -> None:
        self.calls += 1
        self.prompt_tokens += prompt_tokens
        self.completion_tokens += completion_tokens
        price = price_for(model, self.prices)
        if price is None:
            self.unpriced.add(model)
        else:
            self.cost += cost_usd(price, prompt_tokens, completion_tokens)

    def usage(self) -> Usage:
        """The run's figures; cost is None when a model without a price was called."""
        priced = not self.unpriced or self.calls == 0
        return Usage(
            prompt_tokens=self.prompt_tokens,
            completion_tokens=self.completion_tokens,
            cost_usd=round(self.cost, 6) if priced else None,
            calls=self.calls,
        )
