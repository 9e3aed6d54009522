"""One reply judged: the value it yields, or the errors the repair round sends back to the model.

A refusal, a cut-off or filtered answer and an empty one fail before the content is read; the content
then goes through the grounding checks, and a digest answer must also build a valid Digest.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import ValidationError

from dailydigest.models.digest import Digest
from dailydigest.models.topic import Topic
from dailydigest.summarize.llm.assemble import build_digest
from dailydigest.summarize.llm.client import Reply
from dailydigest.summarize.llm.grounding import check_answer, check_notes
from dailydigest.summarize.llm.material import Material
from dailydigest.summarize.llm.schema import NotesAnswer, describe_errors

log = logging.getLogger(__name__)

Value = TypeVar("Value")


@dataclass
class Outcome(Generic[Value]):
    value: Value | None
    errors: list[str]
    truncated: bool = False
    """The answer hit the output limit: the repair round leaves the cut-off text out of the conversation."""


def reply_problem(reply: Reply) -> Outcome[Any] | None:
    if reply.refusal:
        return Outcome(None, [f"the model refused: {reply.refusal[:200]}"])
    if reply.finish_reason == "length":
        return Outcome(
            None, ["the answer was cut off at the output limit (finish_reason length)"], truncated=True
        )
    if reply.finish_reason == "content_filter":
        return Outcome(None, ["the answer was withheld by the endpoint's content filter"])
    if not reply.content.strip():
        if reply.reasoning:  # a reasoning model that thought and never answered (or was cut off thinking)
            return Outcome(None, ["the reply held only reasoning and no answer: reply with the JSON object"])
        return Outcome(None, ["the answer was empty"])
    return None


def digest_outcome(
    reply: Reply, topic: Topic, day: dt.date, material: Material, model: str, canaries: Sequence[str]
) -> Outcome[Digest]:
    problem = reply_problem(reply)
    if problem is not None:
        return problem
    checked = check_answer(reply.content, material, canaries)
    if checked.dropped:
        log.info("llm answer adjusted", extra={"model": model, "dropped": checked.dropped[:10]})
    if checked.value is None or checked.errors:
        return Outcome(None, checked.errors)
    try:
        digest = build_digest(topic, day, material, checked.value, model, checked.grounding)
    except ValidationError as exc:
        return Outcome(None, describe_errors(exc))
    return Outcome(digest, [])


def notes_outcome(
    reply: Reply, material: Material, numbers: Sequence[int], canaries: Sequence[str]
) -> Outcome[NotesAnswer]:
    problem = reply_problem(reply)
    if problem is not None:
        return problem
    checked = check_notes(reply.content, material, numbers, canaries)
    return Outcome(checked.value, checked.errors)
