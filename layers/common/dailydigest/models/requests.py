"""Inputs that start a run: the schedule's payload or a direct invoke."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from dailydigest.models.types import DigestDate, RunId, Slug


class FetchRequest(BaseModel):
    """`{"topic": "qwen"}` from the schedule, or `{"topic": "qwen", "date": "2025-12-24"}` on demand."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    topic: Slug
    date: DigestDate | None = None
    run_id: RunId | None = None
