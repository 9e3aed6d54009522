"""The LLM summarizer: any OpenAI-compatible chat endpoint writes the digest.

One run: look the digest up in the cache; else build the prompt material (numbered sources, trimmed
articles), choose one call or map-reduce by the token budget, ask for the answer in the strongest JSON
mode the endpoint supports, check it (citations, links, markup, injected text, schema), give the model
one repair round with the errors, and build the Digest from the answer plus the fetched set. A model
that cannot be reached is replaced by the next fallback model; an answer that still fails, or a run
about to pass its cost cap or its time budget, ends in the extractive digest (marked as a fallback)
or a clear error.

The openai SDK is imported only when the first request is made.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar
from urllib.parse import urlsplit

from pydantic import BaseModel, ValidationError

from dailydigest.domain.text import normalize, split_sentences
from dailydigest.errors import DigestError
from dailydigest.models.article import Story
from dailydigest.models.digest import Analysis, Digest, Highlight, Implications, Source
from dailydigest.models.topic import Topic
from dailydigest.ports import Store, Summarizer
from dailydigest.summarize import prompts
from dailydigest.summarize.budget import (
    Budget,
    CostCapReached,
    Ledger,
    Plan,
    TimeBudgetSpent,
    estimate_messages,
    estimate_tokens,
    notes_output_tokens,
    plan_digest,
)
from dailydigest.summarize.cache import DigestCache, cache_key
from dailydigest.summarize.grounding import check_answer, check_notes
from dailydigest.summarize.material import Material, PromptStory, build_material
from dailydigest.summarize.prompts import PROMPT_VERSION
from dailydigest.summarize.schema import (
    Answer,
    CitedPoint,
    JsonMode,
    NotesAnswer,
    describe_errors,
    response_format,
    skeleton,
    strict_schema,
)

if TYPE_CHECKING:
    from dailydigest.settings import Settings

log = logging.getLogger(__name__)

OnFailure = Literal["extractive", "fail"]
Message = dict[str, str]
Value = TypeVar("Value")

MAX_HIGHLIGHTS = 8
MAX_TAGS = 5
MAX_NOTES_PER_STORY = 6
# A dead endpoint fails in seconds, not after the whole read timeout (the SDK's default is 5 s).
CONNECT_SECONDS = 10.0
# Below this, a call would most likely time out: the run falls back instead of trying.
MIN_CALL_SECONDS = 5.0
_FIXED_TAGS = frozenset({"ai", "digest"})
_UPDATE_PREFIX = re.compile(
    r"^\s*(?:[（(【\[]\s*(?:更新|update)\s*[）)】\]]|(?:更新|update)\s*[:：])\s*", re.I
)
_MARKDOWN_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")


class LlmError(DigestError):
    """The LLM could not write a publishable digest, and the run is configured to fail on that."""


class _Unavailable(Exception):
    """The model could not be reached or refused the request (after the SDK's own retries)."""


class _Invalid(Exception):
    """The answer failed the checks again after the repair round."""


@dataclass(frozen=True)
class LlmOptions:
    """Timeouts, retries, budgets, prices and the failure policy (see Settings for the env names)."""

    timeout: float = 60.0
    max_retries: int = 2
    on_failure: OnFailure = "extractive"
    context_tokens: int = 16_000
    max_output_tokens: int = 4_000
    article_tokens: int = 600
    prices: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    cost_cap_usd: float | None = 0.50
    json_mode: Literal["auto", "json_schema", "json_object", "none"] = "auto"
    temperature: float | None = 0.3
    run_seconds: float | None = 600.0
    """Wall-clock budget of one run's calls. Each call may take (retries + 1) x timeout plus the
    SDK's waits (Retry-After is honoured up to 120 s); without a run budget a few slow calls, a
    repair and a fallback model pass the Lambda's 900 s limit, and the run dies before the
    extractive fallback can write. Calls are shortened to fit what is left."""

    @classmethod
    def from_settings(cls, settings: Settings) -> LlmOptions:
        return cls(
            timeout=settings.llm_timeout,
            max_retries=settings.llm_max_retries,
            on_failure=settings.llm_on_failure,
            context_tokens=settings.llm_context_tokens,
            max_output_tokens=settings.llm_max_output_tokens,
            article_tokens=settings.llm_article_tokens,
            prices=dict(settings.llm_prices),
            cost_cap_usd=settings.run_cost_cap_usd,
            json_mode=settings.llm_json_mode,
            run_seconds=settings.llm_run_seconds,
        )

    @property
    def budget(self) -> Budget:
        return Budget(self.context_tokens, self.max_output_tokens, self.article_tokens)


@dataclass(frozen=True)
class Reply:
    """One chat completion, reduced to what the checks and the ledger need."""

    content: str
    finish_reason: str
    refusal: str
    prompt_tokens: int
    completion_tokens: int


@dataclass
class _Outcome(Generic[Value]):
    value: Value | None
    errors: list[str]
    truncated: bool = False


ClientFactory = Callable[[], Any]


def openai_client_factory(
    base_url: str | None, api_key: str | None, timeout: float, max_retries: int
) -> ClientFactory:
    """Builds the SDK client on first use, with deliberate timeouts and retries (the SDK's own
    default is a 10-minute timeout). The SDK retries 408/409/429/5xx and connection errors with
    backoff, honouring Retry-After up to two minutes."""

    def build() -> Any:
        from openai import OpenAI

        # Self-hosted endpoints (vLLM, Ollama) accept any key; the SDK insists on one.
        return OpenAI(
            base_url=base_url,
            api_key=api_key or "unused",
            timeout=call_timeout(timeout),
            max_retries=max_retries,
        )

    return build


def call_timeout(seconds: float) -> Any:
    """The SDK timeout for one attempt: `seconds` to read the answer, less to connect."""
    import openai

    return openai.Timeout(seconds, connect=min(seconds, CONNECT_SECONDS))


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
        options: LlmOptions | None = None,
        client_factory: ClientFactory | None = None,
        cache: Store | None = None,
        fallback: Summarizer | None = None,
        canaries: Sequence[str] = (),
    ) -> None:
        self.options = options or LlmOptions()
        self.models = tuple(dict.fromkeys([model, *fallback_models]))
        self.base_url = base_url
        self.fallback = fallback
        self.canaries = tuple(canaries)
        self._factory = client_factory or openai_client_factory(
            base_url, api_key, self.options.timeout, self.options.max_retries
        )
        self._client: Any = None
        self._cache = DigestCache(cache) if cache is not None else None
        # What the endpoint accepts, learned from its 400 answers and kept for the process's life.
        self.json_mode: JsonMode = (
            "json_schema" if self.options.json_mode == "auto" else self.options.json_mode
        )
        self._length_parameter = "max_tokens"
        self._temperature = self.options.temperature

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        api_key: str | None = None,
        cache: Store | None = None,
        fallback: Summarizer | None = None,
        client_factory: ClientFactory | None = None,
    ) -> LlmSummarizer:
        if api_key is None and settings.openai_api_key is not None:
            api_key = settings.openai_api_key.get_secret_value()
        return cls(
            model=settings.llm_model,
            base_url=settings.openai_base_url,
            api_key=api_key,
            fallback_models=settings.llm_fallback_models,
            options=LlmOptions.from_settings(settings),
            client_factory=client_factory,
            cache=cache,
            fallback=fallback,
        )

    def describe(self) -> str:
        where = urlsplit(self.base_url).netloc if self.base_url else "the OpenAI API"
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
                _emit_metrics(None, outcome="cached")
                usage = cached.usage.model_copy(update={"cached": True}) if cached.usage else None
                return cached.model_copy(update={"usage": usage})
        ledger = Ledger(self.options.prices, self.options.cost_cap_usd, run_seconds=self.options.run_seconds)
        material = build_material(stories)
        try:
            digest = self._write(topic, day, material, ledger)
        except CostCapReached as exc:
            _emit_metrics(ledger, outcome="cost_cap")
            return self._fall_back(topic, day, stories, f"cost cap: {exc}", ledger)
        except TimeBudgetSpent as exc:
            _emit_metrics(ledger, outcome="time_budget")
            return self._fall_back(topic, day, stories, f"time budget: {exc}", ledger)
        except (_Unavailable, _Invalid) as exc:
            _emit_metrics(ledger, outcome="failed")
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
        _emit_metrics(ledger, outcome="written")
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
        self, topic: Topic, day: dt.date, stories: Sequence[Story], reason: str, ledger: Ledger
    ) -> Digest:
        where = f"{topic.slug} {day.isoformat()}"
        if self.options.on_failure == "fail" or self.fallback is None:
            raise LlmError(f"llm summarizer could not write the digest for {where}: {reason}")
        log.warning(
            "llm digest failed, writing the extractive digest", extra={"topic": topic.slug, "reason": reason}
        )
        # The extractive summarizer leaves the articles' injection attempts, links and markup out itself.
        digest = self.fallback.summarize(topic, day, stories)
        return digest.model_copy(update={"fallback_reason": reason[:500], "usage": ledger.usage()})

    def _write(self, topic: Topic, day: dt.date, material: Material, ledger: Ledger) -> Digest:
        failures: list[str] = []
        for model in self.models:
            try:
                return self._write_with(model, topic, day, material, ledger)
            except _Unavailable as exc:
                log.warning("llm model unavailable", extra={"model": model, "error": str(exc)})
                failures.append(f"{model}: {exc}")
        raise _Unavailable("no model could answer (" + "; ".join(failures) + ")")

    def _write_with(
        self, model: str, topic: Topic, day: dt.date, material: Material, ledger: Ledger
    ) -> Digest:
        plan = self.plan(topic, day, material)
        notes: dict[int, list[CitedPoint]] | None = None
        if plan.mode == "map_reduce":
            log.info("llm map-reduce", extra={"topic": topic.slug, "batches": len(plan.batches)})
            notes = {}
            for batch, size in zip(plan.batches, plan.batch_article_tokens, strict=True):
                notes.update(self._notes(model, topic, day, material, batch, size, ledger))
            messages = self._reduce_messages(topic, day, material, notes)
        else:
            stories = material.trimmed(range(len(material.stories)), plan.article_tokens)
            messages = self.digest_messages(topic, day, material, stories)
        return self._ask(
            model,
            messages,
            "daily_digest",
            Answer,
            self.options.max_output_tokens,
            topic.locale,
            ledger,
            lambda reply: self._check_digest(reply, topic, day, material, model),
        )

    # --- prompts and plan ---------------------------------------------------------------------------

    def plan(self, topic: Topic, day: dt.date, material: Material) -> Plan:
        """One call or map-reduce, and the per-article budget, for this material."""

        def measure(indexes: Sequence[int], article_tokens: int) -> int:
            stories = material.trimmed(indexes, article_tokens)
            return estimate_messages(self.digest_messages(topic, day, material, stories))

        def measure_notes(indexes: Sequence[int], article_tokens: int) -> int:
            stories = material.trimmed(indexes, article_tokens)
            return estimate_messages(self.notes_messages(topic, day, material, stories))

        ceiling = self.options.max_output_tokens
        return plan_digest(
            measure,
            measure_notes,
            len(material.stories),
            self.options.budget,
            lambda count: notes_output_tokens(count, ceiling),
        )

    def _context(
        self, topic: Topic, day: dt.date, material: Material, stories: Sequence[PromptStory]
    ) -> dict[str, Any]:
        return {
            "topic_name": topic.display_name,
            "date": day.isoformat(),
            "nonce": material.nonce,
            "stories": stories,
            "source_count": sum(len(story.sources) for story in stories),
            "min_highlights": min(3, len(stories)),
            "max_highlights": min(MAX_HIGHLIGHTS, len(stories)),
            "notes_mode": False,
            "notes": {},
        }

    def digest_messages(
        self,
        topic: Topic,
        day: dt.date,
        material: Material,
        stories: Sequence[PromptStory],
        notes: Mapping[int, Sequence[CitedPoint]] | None = None,
    ) -> list[Message]:
        """The system and user messages that ask for the digest (from articles, or from notes)."""
        context = self._context(topic, day, material, stories)
        context.update(schema_text=skeleton(Answer))
        if notes is not None:
            context.update(notes_mode=True, notes=notes)
        return [
            {"role": "system", "content": prompts.render("system", topic.locale, **context)},
            {"role": "user", "content": prompts.render("digest", topic.locale, **context)},
        ]

    def notes_messages(
        self, topic: Topic, day: dt.date, material: Material, stories: Sequence[PromptStory]
    ) -> list[Message]:
        context = self._context(topic, day, material, stories)
        return [
            {"role": "system", "content": prompts.render("system", topic.locale, **context)},
            {"role": "user", "content": prompts.render("notes", topic.locale, **context)},
        ]

    def _reduce_messages(
        self, topic: Topic, day: dt.date, material: Material, notes: Mapping[int, Sequence[CitedPoint]]
    ) -> list[Message]:
        """The digest prompt over the notes, with fewer notes per story until it fits the budget."""
        messages: list[Message] = []
        for per_story in range(MAX_NOTES_PER_STORY, 0, -1):
            kept = {number: list(facts)[:per_story] for number, facts in notes.items()}
            messages = self.digest_messages(topic, day, material, material.stories, kept)
            if estimate_messages(messages) <= self.options.budget.input_tokens:
                break
        return messages

    def _notes(
        self,
        model: str,
        topic: Topic,
        day: dt.date,
        material: Material,
        batch: Sequence[int],
        article_tokens: int,
        ledger: Ledger,
    ) -> dict[int, list[CitedPoint]]:
        """The map step for one batch of stories; a story the model gives no usable notes for is
        represented by its articles' leading sentences."""
        stories = material.trimmed(batch, article_tokens)
        numbers = [story.number for story in stories]
        found: dict[int, list[CitedPoint]] = {}
        try:
            answer: NotesAnswer = self._ask(
                model,
                self.notes_messages(topic, day, material, stories),
                "story_notes",
                NotesAnswer,
                notes_output_tokens(len(stories), self.options.max_output_tokens),
                topic.locale,
                ledger,
                lambda reply: _notes_outcome(reply, material, numbers, self.canaries),
            )
            found = {entry.story: list(entry.facts) for entry in answer.stories}
        except _Invalid as exc:
            log.warning(
                "llm notes rejected, using article leads", extra={"stories": numbers, "error": str(exc)}
            )
        return {story.number: found.get(story.number) or _lead_notes(story) for story in stories}

    # --- one question, one repair round ---------------------------------------------------------------

    def _ask(
        self,
        model: str,
        messages: list[Message],
        schema_name: str,
        answer_model: type[BaseModel],
        max_tokens: int,
        locale: str,
        ledger: Ledger,
        check: Callable[[Reply], _Outcome[Value]],
    ) -> Value:
        first = self._complete(model, messages, schema_name, answer_model, max_tokens, ledger)
        outcome = check(first)
        if outcome.value is not None and not outcome.errors:
            return outcome.value
        log.warning(
            "llm answer rejected, asking for a repair", extra={"model": model, "errors": outcome.errors[:5]}
        )
        repair = list(messages)
        if not outcome.truncated:
            repair.append({"role": "assistant", "content": first.content})
        repair.append(
            {
                "role": "user",
                "content": prompts.render(
                    "repair", locale, errors=outcome.errors, truncated=outcome.truncated
                ),
            }
        )
        second = self._complete(model, repair, schema_name, answer_model, max_tokens, ledger)
        retried = check(second)
        if retried.value is not None and not retried.errors:
            return retried.value
        summary = "; ".join(retried.errors[:3])
        raise _Invalid(
            f"{model} gave no valid {schema_name.replace('_', ' ')} after one repair round ({summary})"
        )

    def _check_digest(
        self, reply: Reply, topic: Topic, day: dt.date, material: Material, model: str
    ) -> _Outcome[Digest]:
        problem = _reply_problem(reply)
        if problem is not None:
            return problem
        checked = check_answer(reply.content, material, self.canaries)
        if checked.dropped:
            log.info("llm answer adjusted", extra={"model": model, "dropped": checked.dropped[:10]})
        if checked.value is None or checked.errors:
            return _Outcome(None, checked.errors)
        try:
            digest = build_digest(topic, day, material, checked.value, model, checked.grounding)
        except ValidationError as exc:
            return _Outcome(None, describe_errors(exc))
        return _Outcome(digest, [])

    # --- the endpoint ----------------------------------------------------------------------------------

    def _client_instance(self) -> Any:
        if self._client is None:
            self._client = self._factory()
        return self._client

    def request(
        self,
        model: str,
        messages: list[Message],
        schema_name: str,
        answer_model: type[BaseModel],
        max_tokens: int,
    ) -> dict[str, Any]:
        """The chat completions request, in the form this endpoint has been found to accept."""
        request: dict[str, Any] = {"model": model, "messages": messages, self._length_parameter: max_tokens}
        format_ = response_format(schema_name, answer_model, self.json_mode)
        if format_ is not None:
            request["response_format"] = format_
        if self._temperature is not None:
            request["temperature"] = self._temperature
        return request

    def _complete(
        self,
        model: str,
        messages: list[Message],
        schema_name: str,
        answer_model: type[BaseModel],
        max_tokens: int,
        ledger: Ledger,
    ) -> Reply:
        import openai

        estimate = estimate_messages(messages)
        if self.json_mode == "json_schema":
            estimate += estimate_tokens(json.dumps(strict_schema(answer_model)))
        ledger.ensure_room(model, estimate, max_tokens)
        client = self._client_instance()
        for _ in range(4):  # at most one downgrade per adaptable parameter
            request = self.request(model, messages, schema_name, answer_model, max_tokens)
            timeout = self._attempt_seconds(ledger)
            try:
                completion = client.chat.completions.create(**request, timeout=call_timeout(timeout))
            except openai.BadRequestError as exc:
                if self._adapt(exc):
                    continue
                raise _Unavailable(f"request rejected: {_error_text(exc)}") from None
            except openai.APITimeoutError:
                raise _Unavailable(
                    f"timed out after {timeout:g}s ({self.options.max_retries} retries)"
                ) from None
            except openai.APIConnectionError as exc:
                raise _Unavailable(f"connection failed: {exc}") from None
            except openai.APIStatusError as exc:
                raise _Unavailable(f"HTTP {exc.status_code}: {_error_text(exc)}") from None
            except ValueError:  # the SDK could not parse the body (a proxy's page, a cut connection)
                raise _Unavailable("unusable response: the reply is not JSON") from None
            except openai.OpenAIError as exc:
                raise _Unavailable(f"unusable response: {' '.join(str(exc).split())[:200]}") from None
            reply = _reply(completion, estimate)
            ledger.record(model, reply.prompt_tokens, reply.completion_tokens)
            return reply
        raise _Unavailable("the endpoint rejected every form of the request")

    def _attempt_seconds(self, ledger: Ledger) -> float:
        """One attempt's timeout: the configured one, shortened so that the SDK's attempts
        (1 + retries) fit the run's remaining time budget."""
        left = ledger.seconds_left(MIN_CALL_SECONDS)
        if left is None:
            return self.options.timeout
        share = left / (self.options.max_retries + 1)
        return max(round(min(self.options.timeout, share), 1), 0.1)

    def _adapt(self, exc: Exception) -> bool:
        """Fall back to what a 400 says the endpoint lacks; False when it names nothing we can drop."""
        text = _error_text(exc).lower()
        if (
            self.options.json_mode == "auto"
            and self.json_mode != "none"
            and any(
                word in text for word in ("response_format", "json_schema", "json_object", "response format")
            )
        ):
            downgraded: JsonMode = "json_object" if self.json_mode == "json_schema" else "none"
            log.warning(
                "llm endpoint rejects the response format", extra={"from": self.json_mode, "to": downgraded}
            )
            self.json_mode = downgraded
            return True
        if (
            self._length_parameter == "max_tokens"
            and "max_tokens" in text
            and "max_completion_tokens" in text
        ):
            self._length_parameter = "max_completion_tokens"
            return True
        if self._temperature is not None and "temperature" in text:
            self._temperature = None
            return True
        return False


# --- building the digest ------------------------------------------------------------------------------


def build_digest(
    topic: Topic, day: dt.date, material: Material, answer: Answer, model: str, grounding: float | None
) -> Digest:
    """The Digest: the answer's prose (in Taiwan Traditional Chinese for zh-TW) plus topic, date,
    sources and provenance from the fetched set. Highlights of stories fetch marked as updates are
    updates; a second highlight of one story is dropped."""
    if topic.locale == "zh-TW":
        from dailydigest.summarize.chinese import to_taiwan

        local: Callable[[str], str] = to_taiwan
    else:

        def local(text: str) -> str:
            return text

    def prose(text: str) -> str:
        return local(_MARKDOWN_EMPHASIS.sub(r"\2", text)).strip()

    source_story = material.source_story
    updates = {story.number for story in material.stories if story.is_update}
    highlights = []
    covered: set[int] = set()
    for item in answer.highlights:
        # The cited sources say which story a highlight is about (and so whether it is an update)
        # when the number the model gave is not one of theirs.
        cited = [source_story[i] for i in item.source_ids]
        story = item.story if item.story in cited else Counter(cited).most_common(1)[0][0]
        if story in covered:  # the prompt asks for one highlight per story
            log.info("llm highlight dropped", extra={"story": story, "reason": "story already covered"})
            continue
        covered.add(story)
        is_update = story in updates
        # Fetch decides what is an update; the post adds the marker itself.
        headline = _UPDATE_PREFIX.sub("", item.headline)
        highlights.append(
            Highlight(
                headline=prose(headline) or prose(item.headline),
                body=prose(item.body),
                source_ids=tuple(item.source_ids),
                is_update=is_update,
            )
        )
    return Digest(
        topic=topic.slug,
        display_name=topic.display_name,
        date=day,
        locale=topic.locale,
        trend_overview=prose(answer.trend_overview),
        highlights=tuple(highlights),
        analysis=Analysis(
            significance=prose(answer.analysis.significance),
            comparison=prose(answer.analysis.comparison),
            market_impact=prose(answer.analysis.market_impact),
        ),
        key_points=tuple(prose(point.text) for point in answer.key_points),
        implications=Implications(
            developers=tuple(prose(text) for text in answer.implications.developers),
            users=tuple(prose(text) for text in answer.implications.users),
        ),
        tags=_tags(answer.tags, topic, prose),
        ai_summary=prose(answer.ai_summary),
        sources=tuple(
            Source(id=source.id, title=local(source.title)[:300], url=source.url, publisher=source.publisher)
            for source in material.sources
        ),
        generator="llm",
        model=model[:100],
        grounding=grounding,
        prompt_version=PROMPT_VERSION,
    )


def _tags(tags: Sequence[str], topic: Topic, prose: Callable[[str], str]) -> tuple[str, ...]:
    """The answer's tags without duplicates or the ones the post adds itself (display name, AI, Digest)."""
    excluded = {normalize(topic.display_name), *_FIXED_TAGS}
    kept: dict[str, str] = {}
    for tag in tags:
        text = prose(tag)
        key = normalize(text)
        if text and key not in excluded and key not in kept:
            kept[key] = text
    return tuple(kept.values())[:MAX_TAGS]


def _lead_notes(story: PromptStory) -> list[CitedPoint]:
    """A story's notes without the model: the leading sentences of its articles."""
    notes = []
    for source in story.sources:
        for sentence in split_sentences(source.text)[:2]:
            notes.append(CitedPoint(text=sentence[:1000], source_ids=[source.id]))
    return notes[:MAX_NOTES_PER_STORY] or [CitedPoint(text=story.title, source_ids=[story.sources[0].id])]


# --- replies ---------------------------------------------------------------------------------------------


def _reply(completion: Any, estimate: int) -> Reply:
    """The reply's first choice; a body that is not a chat completion (a proxy's page, an error
    object sent with status 200) is the endpoint's failure, not a bad answer to repair."""
    choices = getattr(completion, "choices", None)
    choice = choices[0] if isinstance(choices, list) and choices else None
    message = getattr(choice, "message", None)
    content = getattr(message, "content", None)
    if not hasattr(message, "content") or not isinstance(content, str | None):
        extra = getattr(completion, "model_extra", None) or {}
        said = extra.get("error") if isinstance(extra, dict) else None
        if isinstance(said, dict):
            said = said.get("message") or said
        detail = f" (the endpoint says: {' '.join(str(said).split())[:200]})" if said else ""
        raise _Unavailable(f"unusable response: not a chat completion{detail}")
    content = content or ""
    refusal = getattr(message, "refusal", None) or ""
    usage = getattr(completion, "usage", None)
    return Reply(
        content=content,
        finish_reason=str(getattr(choice, "finish_reason", None) or ""),
        refusal=str(refusal),
        # Endpoints that report no usage (or nonsense) are billed by the estimate.
        prompt_tokens=_count(getattr(usage, "prompt_tokens", None), estimate),
        completion_tokens=_count(getattr(usage, "completion_tokens", None), estimate_tokens(content)),
    )


def _count(value: object, estimate: int) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return estimate


def _reply_problem(reply: Reply) -> _Outcome[Any] | None:
    if reply.refusal:
        return _Outcome(None, [f"the model refused: {reply.refusal[:200]}"])
    if reply.finish_reason == "length":
        return _Outcome(
            None, ["the answer was cut off at the output limit (finish_reason length)"], truncated=True
        )
    if reply.finish_reason == "content_filter":
        return _Outcome(None, ["the answer was withheld by the endpoint's content filter"])
    if not reply.content.strip():
        return _Outcome(None, ["the answer was empty"])
    return None


def _notes_outcome(
    reply: Reply, material: Material, numbers: Sequence[int], canaries: Sequence[str]
) -> _Outcome[NotesAnswer]:
    problem = _reply_problem(reply)
    if problem is not None:
        return problem
    checked = check_notes(reply.content, material, numbers, canaries)
    return _Outcome(checked.value, checked.errors)


def _error_text(exc: Exception) -> str:
    """An SDK error's message (the endpoint's own words), one line, bounded."""
    message = getattr(exc, "message", None) or str(exc)
    body = getattr(exc, "body", None)
    if isinstance(body, dict) and body.get("message") and body["message"] not in message:
        message = f"{message} {body['message']}"
    return " ".join(str(message).split())[:300]


_OUTCOME_METRICS = {
    "written": "LlmDigestsWritten",
    "cached": "LlmDigestCacheHits",
    "failed": "LlmFailures",
    "cost_cap": "LlmCostCapReached",
    "time_budget": "LlmTimeBudgetSpent",
}


def _emit_metrics(ledger: Ledger | None, *, outcome: str) -> None:
    """EMF metrics for this invocation: tokens, cost, calls and how the run ended."""
    from aws_lambda_powertools.metrics import MetricUnit

    from dailydigest.observability import metrics

    metrics.add_metric(name=_OUTCOME_METRICS[outcome], unit=MetricUnit.Count, value=1)
    if ledger is None:
        return
    metrics.add_metric(name="LlmCalls", unit=MetricUnit.Count, value=ledger.calls)
    metrics.add_metric(name="PromptTokens", unit=MetricUnit.Count, value=ledger.prompt_tokens)
    metrics.add_metric(name="CompletionTokens", unit=MetricUnit.Count, value=ledger.completion_tokens)
    usage = ledger.usage()
    if usage.cost_usd is not None:
        metrics.add_metric(name="CostUsd", unit=MetricUnit.NoUnit, value=usage.cost_usd)
