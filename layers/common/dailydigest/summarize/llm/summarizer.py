"""The LLM summarizer: any OpenAI-compatible chat endpoint writes the digest.

One run: look the digest up in the cache; else build the prompt material (numbered sources, trimmed
articles), choose one call or map-reduce by the token budget, ask for the answer in the strongest JSON
mode the endpoint supports, check it (citations, links, markup, injected text, schema), give the model
one repair round with the errors, and build the Digest from the answer plus the fetched set. A model
that cannot be reached is replaced by the next fallback model; an answer that still fails, or a run
about to pass its cost cap or its time budget, ends in the extractive digest (marked as a fallback)
or a clear error.

This module is that orchestration and its policies (cache, budgets, repair round, fallbacks). The
parts it drives: `client` (the endpoint, its quirks and its replies), `prompt_messages` (the plan
and each request's prompt), `outcome` (judging one reply), `assemble` (answer to Digest), `run_metrics`.

The openai SDK is imported only when the first request is made.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Literal, TypeVar
from urllib.parse import urlsplit

from dailydigest.errors import CostCapReached, DigestError, LlmError, ModelUnavailable, TimeBudgetSpent
from dailydigest.models.article import Story
from dailydigest.models.digest import Digest
from dailydigest.models.topic import Topic
from dailydigest.news.text import split_sentences
from dailydigest.ports import Store, Summarizer
from dailydigest.settings import LlmSettings
from dailydigest.summarize.llm import messages as prompt_messages
from dailydigest.summarize.llm import prompts
from dailydigest.summarize.llm.budget import Budget, Plan, UsageMeter
from dailydigest.summarize.llm.cache import DigestCache, cache_key
from dailydigest.summarize.llm.client import ChatEndpoint, Question, Reply
from dailydigest.summarize.llm.material import Material, PromptStory, build_material
from dailydigest.summarize.llm.messages import MAX_NOTES_PER_STORY
from dailydigest.summarize.llm.metrics import emit_run_metrics
from dailydigest.summarize.llm.outcome import Outcome, digest_outcome, notes_outcome
from dailydigest.summarize.llm.prompts import PROMPT_VERSION
from dailydigest.summarize.llm.schema import Answer, CitedPoint, NotesAnswer

log = logging.getLogger(__name__)

OnFailure = Literal["extractive", "fail"]
Value = TypeVar("Value")

# Below this, a call would most likely time out: the run falls back instead of trying.
MIN_CALL_SECONDS = 5.0


class _InvalidAnswer(Exception):
    """The answer failed the checks again after the repair round."""


class LlmSummarizer:
    """Summarizer backed by an OpenAI-compatible chat completions endpoint."""

    name = "llm"

    def __init__(
        self,
        *,
        model: str,
        base_url: str | None = None,
        api_key: str | None = None,
        fallback_models: Sequence[str] = (),
        options: LlmSettings | None = None,
        cache: Store | None = None,
        fallback: Summarizer | None = None,
        canaries: Sequence[str] = (),
    ) -> None:
        self.options = options or LlmSettings()
        self.budget = Budget.for_settings(self.options)
        self.models = tuple(dict.fromkeys([model, *fallback_models]))
        self.base_url = base_url
        self.fallback = fallback
        self.canaries = tuple(canaries)
        self.endpoint = ChatEndpoint(
            base_url,
            api_key,
            timeout=self.options.timeout,
            max_retries=self.options.max_retries,
            json_mode=self.options.json_mode,
            temperature=self.options.temperature,
            preset=self.options.preset,
        )
        self._cache = DigestCache(cache) if cache is not None else None

    @classmethod
    def from_settings(
        cls,
        settings: LlmSettings,
        *,
        api_key: str | None,
        cache: Store | None = None,
        fallback: Summarizer | None = None,
    ) -> LlmSummarizer:
        """The summarizer the settings describe; `api_key` as resolved from them (secrets.resolve_secret)."""
        return cls(
            model=settings.model,
            base_url=settings.base_url,
            api_key=api_key,
            fallback_models=settings.fallback_models,
            options=settings,
            cache=cache,
            fallback=fallback,
        )

    @property
    def host(self) -> str:
        """The endpoint's host (and port), never its credentials or path."""
        if not self.base_url:
            return "api.openai.com"
        return urlsplit(self.base_url).netloc.rpartition("@")[2] or self.base_url[:100]

    def describe(self) -> str:
        where = self.host if self.base_url else "the OpenAI API"
        return f"llm {' -> '.join(self.models)} at {where}"

    # --- the run ------------------------------------------------------------------------------------

    def summarize(self, topic: Topic, day: dt.date, stories: Sequence[Story]) -> Digest:
        if not stories:
            raise DigestError(f"no stories to summarize for {topic.slug} on {day.isoformat()}")
        key = cache_key(topic, day, stories, PROMPT_VERSION, self.models)
        if self._cache is not None:
            cached = self._cache.get(key)
            if cached is not None:
                log.info("llm digest from cache", extra={"topic": topic.slug, "key": key[:16]})
                emit_run_metrics(None, outcome="cached")
                usage = cached.usage.model_copy(update={"cached": True}) if cached.usage else None
                return cached.model_copy(update={"usage": usage})
        ledger = UsageMeter(
            self.options.prices, self.options.cost_cap_usd, run_seconds=self.options.run_seconds
        )
        material = build_material(stories)
        try:
            digest = self._write(topic, day, material, ledger)
        except CostCapReached as exc:
            emit_run_metrics(ledger, outcome="cost_cap")
            return self._fall_back(topic, day, stories, f"cost cap: {exc}", ledger)
        except TimeBudgetSpent as exc:
            emit_run_metrics(ledger, outcome="time_budget")
            return self._fall_back(topic, day, stories, f"time budget: {exc}", ledger)
        except (ModelUnavailable, _InvalidAnswer) as exc:
            emit_run_metrics(ledger, outcome="failed")
            return self._fall_back(topic, day, stories, str(exc), ledger)
        finally:
            if ledger.unpriced:
                log.warning(
                    "llm model has no price: no cost figure, no cost cap",
                    extra={"models": sorted(ledger.unpriced), "setting": "DIGEST_LLM_PRICES"},
                )
        digest = digest.model_copy(update={"usage": ledger.usage()})
        if self._cache is not None:
            self._cache.put(key, digest)
        emit_run_metrics(ledger, outcome="written")
        log.info(
            "llm digest written",
            extra={
                "topic": topic.slug,
                "model": digest.model,
                "calls": ledger.calls,
                "prompt_tokens": ledger.prompt_tokens,
                "completion_tokens": ledger.completion_tokens,
                "cost_usd": digest.usage.cost_usd if digest.usage else None,
                "grounding": digest.grounding,
            },
        )
        return digest

    def _fall_back(
        self, topic: Topic, day: dt.date, stories: Sequence[Story], reason: str, ledger: UsageMeter
    ) -> Digest:
        where = f"{topic.slug} {day.isoformat()}"
        # The reason names the model and the endpoint: the run's output and its record show it as is.
        said = f"{' '.join(reason.split())[:400]}; model {' -> '.join(self.models)} at {self.host}"
        if self.options.on_failure == "fail" or self.fallback is None:
            raise LlmError(f"llm summarizer could not write the digest for {where}: {said}")
        log.warning(
            "llm digest failed, writing the extractive digest", extra={"topic": topic.slug, "reason": said}
        )
        from dailydigest.observability import count

        count("LlmFallbacks")
        # The extractive summarizer leaves the articles' injection attempts, links and markup out itself.
        digest = self.fallback.summarize(topic, day, stories)
        return digest.model_copy(update={"fallback_reason": said[:500], "usage": ledger.usage()})

    def _write(self, topic: Topic, day: dt.date, material: Material, ledger: UsageMeter) -> Digest:
        plan = prompt_messages.plan(topic, day, material, self.budget)
        failures: list[str] = []
        for model in self.models:
            try:
                return self._write_with(model, plan, topic, day, material, ledger)
            except ModelUnavailable as exc:
                log.warning("llm model unavailable", extra={"model": model, "error": str(exc)})
                failures.append(f"{model}: {exc}")
        if len(failures) == 1:
            raise ModelUnavailable(failures[0].partition(": ")[2])
        raise ModelUnavailable("no model could answer (" + "; ".join(failures) + ")")

    def _write_with(
        self, model: str, plan: Plan, topic: Topic, day: dt.date, material: Material, ledger: UsageMeter
    ) -> Digest:
        budget = self.budget
        if plan.mode == "map_reduce":
            log.info("llm map-reduce", extra={"topic": topic.slug, "batches": len(plan.batches)})
            notes: dict[int, list[CitedPoint]] = {}
            for batch, size in zip(plan.batches, plan.batch_article_tokens, strict=True):
                notes.update(self._notes(model, topic, day, material, batch, size, ledger))
            messages = prompt_messages.reduce_messages(topic, day, material, notes, budget.input_tokens)
        else:
            stories = material.trimmed(range(len(material.stories)), plan.article_tokens)
            messages = prompt_messages.digest_messages(topic, day, material, stories)
        return self._ask(
            model,
            Question(messages, Answer, budget.max_output_tokens),
            topic.locale,
            ledger,
            lambda reply: digest_outcome(reply, topic, day, material, model, self.canaries),
        )

    def _notes(
        self,
        model: str,
        topic: Topic,
        day: dt.date,
        material: Material,
        batch: Sequence[int],
        article_tokens: int,
        ledger: UsageMeter,
    ) -> dict[int, list[CitedPoint]]:
        """The map step for one batch of stories; a story the model gives no usable notes for is
        represented by its articles' leading sentences."""
        stories = material.trimmed(batch, article_tokens)
        numbers = [story.number for story in stories]
        found: dict[int, list[CitedPoint]] = {}
        try:
            answer: NotesAnswer = self._ask(
                model,
                Question(
                    prompt_messages.notes_messages(topic, day, material, stories),
                    NotesAnswer,
                    self.budget.notes_output_tokens(len(stories)),
                ),
                topic.locale,
                ledger,
                lambda reply: notes_outcome(reply, material, numbers, self.canaries),
            )
            found = {entry.story: list(entry.facts) for entry in answer.stories}
        except _InvalidAnswer as exc:
            log.warning(
                "llm notes rejected, using article leads", extra={"stories": numbers, "error": str(exc)}
            )
        return {story.number: found.get(story.number) or _lead_notes(story) for story in stories}

    # --- one question, one repair round ---------------------------------------------------------------

    def _ask(
        self,
        model: str,
        question: Question,
        locale: str,
        ledger: UsageMeter,
        check: Callable[[Reply], Outcome[Value]],
    ) -> Value:
        first = self._complete(model, question, ledger)
        outcome = check(first)
        if outcome.value is not None and not outcome.errors:
            return outcome.value
        log.warning(
            "llm answer rejected, asking for a repair", extra={"model": model, "errors": outcome.errors[:5]}
        )
        repair = list(question.messages)
        if not outcome.truncated:
            repair.append({"role": "assistant", "content": first.content})
        repair.append(
            {
                "role": "user",
                "content": prompts.render_prompt(
                    "repair", locale, errors=outcome.errors, truncated=outcome.truncated
                ),
            }
        )
        second = self._complete(model, replace(question, messages=repair), ledger)
        retried = check(second)
        if retried.value is not None and not retried.errors:
            return retried.value
        summary = "; ".join(retried.errors[:3])
        what = question.answer_model.schema_name.replace("_", " ")
        raise _InvalidAnswer(f"{model} gave no valid {what} after one repair round ({summary})")

    # --- the endpoint, within the run's budgets -------------------------------------------------------

    def _complete(self, model: str, question: Question, ledger: UsageMeter) -> Reply:
        """One call, refused beforehand when its worst case would pass the cost cap, and recorded."""
        estimate = self.endpoint.estimate(model, question)
        ledger.ensure_room(model, estimate, question.max_tokens)
        reply = self.endpoint.complete(
            model,
            question,
            prompt_estimate=estimate,
            attempt_seconds=lambda: self._attempt_seconds(ledger),
        )
        ledger.record(model, reply.prompt_tokens, reply.completion_tokens)
        return reply

    def _attempt_seconds(self, ledger: UsageMeter) -> float:
        """One attempt's timeout: the configured one, shortened so that the SDK's attempts
        (1 + retries) fit the run's remaining time budget."""
        left = ledger.seconds_left(MIN_CALL_SECONDS)
        if left is None:
            return self.options.timeout
        share = left / (self.options.max_retries + 1)
        return max(round(min(self.options.timeout, share), 1), 0.1)


def _lead_notes(story: PromptStory) -> list[CitedPoint]:
    """A story's notes without the model: the leading sentences of its articles."""
    notes = []
    for source in story.sources:
        for sentence in split_sentences(source.text)[:2]:
            notes.append(CitedPoint(text=sentence[:1000], source_ids=[source.id]))
    return notes[:MAX_NOTES_PER_STORY] or [CitedPoint(text=story.title, source_ids=[story.sources[0].id])]
