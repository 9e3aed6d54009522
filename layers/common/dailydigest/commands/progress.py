"""Progress lines on a terminal during long runs: each stage started and finished, pages fetched,
the LLM asked. Written to stderr, and only when stderr is a terminal (never into a pipe or a log)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TextIO

from dailydigest.runs.records import StageRecord, watching_stages

if TYPE_CHECKING:
    from dailydigest.wiring import Services


class Progress:
    """Writes `dailydigest: …` progress lines to a terminal; silent otherwise."""

    def __init__(self, stream: TextIO | None = None, enabled: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.pages_asked = 0
        self.pages_answered = 0

    def line(self, text: str) -> None:
        if self.enabled:
            print(f"  … {text}", file=self.stream, flush=True)

    def stage(self, record: StageRecord, event: str, llm: str = "") -> None:
        if event == "started":
            self.pages_asked = self.pages_answered = 0
            self.line(
                f"{record.stage} started"
                + (f": asking {llm}" if llm and record.stage in ("summarize", "replay") else "")
            )
            return
        seconds = record.duration_ms / 1000
        self.line(f"{record.stage} {record.outcome} in {seconds:.1f}s")

    def pages(self, answered: int, asked: int) -> None:
        self.pages_asked += asked
        self.pages_answered += answered
        self.line(f"fetched {self.pages_answered}/{self.pages_asked} pages")


@contextmanager
def showing_progress(services: Services, progress: Progress | None = None) -> Iterator[Progress]:
    """Progress lines for whatever runs inside: stage records and the fetch tally report to it."""
    progress = progress or Progress()
    if not progress.enabled:
        yield progress
        return
    settings = services.settings.llm
    llm = ""
    if settings.enabled:
        llm = f"the LLM ({settings.model} at {settings.endpoint})"
    tally = services.fetch_tally
    tally.on_batch = progress.pages
    try:
        with watching_stages(lambda record, event: progress.stage(record, event, llm)):
            yield progress
    finally:
        tally.on_batch = None
