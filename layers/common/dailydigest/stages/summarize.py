"""The summarize stage: one digest per (topic, date), paid for once, created once and reused, then
announced.

Idempotent and paid once: before the summarizer is called (an LLM call costs money), the delivery
writes a claim with create-if-absent (`digest.claim` beside the digest). A second delivery of the same
event, at the same moment or later, finds the claim and waits for the digest instead of paying again;
it ends as a duplicate once the digest is there (the holder announces it). A claim lives until its
holder's deadline (the function's remaining time when it claimed): a holder that crashed leaves a stale
claim, which the next delivery takes over by creating the claim's next generation, so exactly one
delivery retries the call.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from dailydigest.errors import DigestInProgress
from dailydigest.models.digest import Digest
from dailydigest.models.events import ArticlesFetched, DigestWritten
from dailydigest.models.types import RunId
from dailydigest.ports import Bus, Store, Summarizer
from dailydigest.store import keys
from dailydigest.store.ops import JSON, load_bundle, read_if_present

log = logging.getLogger(__name__)

# A summarize function runs 900 s at most: a claim older than that has no living holder.
CLAIM_SECONDS = 900.0
# Leave the waiting delivery this long to end cleanly before its own deadline.
DEADLINE_MARGIN_SECONDS = 30.0


@dataclass(frozen=True)
class Summarized:
    """The announced event and the digest it points at (so callers need not read it back)."""

    event: DigestWritten
    digest: Digest
    duplicate: bool = False
    """Another delivery wrote (and announced) this digest; this one published nothing."""


class Claim(BaseModel):
    """Who is paying for a digest, and until when the claim holds."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    schema_version: int = 1
    run_id: RunId
    claimed_at: dt.datetime
    expires_at: dt.datetime
    holder: Annotated[str, StringConstraints(max_length=300)] = ""
    """The process that holds it (`host:pid`), for a policy that can tell whether it still runs."""


@dataclass(frozen=True)
class ClaimPolicy:
    """How long a claim holds and how long a second delivery waits (clock and sleep for tests)."""

    hold_seconds: float = CLAIM_SECONDS
    """Until when a new claim holds: the holder's deadline."""
    wait_seconds: float = CLAIM_SECONDS - DEADLINE_MARGIN_SECONDS
    """How long a delivery that finds a live claim waits for the digest."""
    poll_seconds: float = 1.0
    clock: Callable[[], dt.datetime] = field(default=lambda: dt.datetime.now(dt.UTC))
    sleep: Callable[[float], None] = time.sleep
    holder: str = ""
    """This process, as a claim names it."""
    alive: Callable[[str], bool | None] = lambda holder: None
    """Whether a claim's holder still runs: False ends its claim early (a local run stopped with
    Ctrl-C); None when it cannot be told (another Lambda sandbox), and the claim holds until it expires."""

    @classmethod
    def within(cls, remaining_seconds: float, *, same_machine: bool = False) -> ClaimPolicy:
        """A policy for an invocation with this much time left: the claim holds until then, and a
        waiting delivery gives up (to be retried) just before it. On one machine (local runs) a claim
        whose process is gone is taken over at once."""
        hold = max(min(remaining_seconds, CLAIM_SECONDS), 1.0)
        policy = cls(hold_seconds=hold, wait_seconds=max(hold - DEADLINE_MARGIN_SECONDS, 0.0))
        if same_machine:
            policy = replace(policy, holder=this_process(), alive=process_alive)
        return policy


def this_process() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def process_alive(holder: str) -> bool | None:
    """Whether the claim's process still runs on this machine (None: another machine, or unknown)."""
    host, _, pid = holder.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return None
    try:
        os.kill(int(pid), 0)  # signal 0 only asks whether the process exists (this one does)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    return True


def summarize_stage(
    fetched: ArticlesFetched,
    store: Store,
    summarizer: Summarizer,
    bus: Bus,
    claim: ClaimPolicy | None = None,
) -> Summarized:
    policy = claim or ClaimPolicy()
    key = keys.digest_key(fetched.topic, fetched.date)
    stored = read_if_present(store, key)
    if stored is not None:
        digest = Digest.model_validate_json(stored)
    elif _claim_or_wait(fetched, key, store, policy):
        bundle = load_bundle(store, fetched.stories_key)
        digest = summarizer.summarize(bundle.topic, fetched.date, bundle.stories)
        if not store.create(key, digest.model_dump_json(indent=1).encode(), JSON):
            digest = Digest.model_validate_json(store.get(key))
    else:
        digest = Digest.model_validate_json(store.get(key))
        log.info("digest written by another delivery", extra={"topic": fetched.topic, "key": key})
        return Summarized(_announcement(fetched, key, digest), digest, duplicate=True)
    event = _announcement(fetched, key, digest)
    bus.publish(event)
    return Summarized(event, digest)


def _announcement(fetched: ArticlesFetched, key: str, digest: Digest) -> DigestWritten:
    return DigestWritten(
        run_id=fetched.run_id,
        topic=fetched.topic,
        date=fetched.date,
        digest_key=key,
        generator=digest.generator,
    )


def _claim_or_wait(fetched: ArticlesFetched, digest_key: str, store: Store, policy: ClaimPolicy) -> bool:
    """True when this delivery holds the claim (and pays); False when the digest another delivery
    wrote is now at `digest_key`. DigestInProgress when neither happened within the wait."""
    started: dt.datetime | None = None  # when this delivery first found a live claim
    while True:
        generation, current = _latest_claim(store, fetched)
        now = policy.clock()
        if current is None or current.expires_at <= now or policy.alive(current.holder) is False:
            if current is not None:
                log.warning(
                    "stale digest claim taken over",
                    extra={
                        "topic": fetched.topic,
                        "holder": current.run_id,
                        "expired": str(current.expires_at),
                    },
                )
            mine = Claim(
                run_id=fetched.run_id,
                claimed_at=now,
                expires_at=now + dt.timedelta(seconds=policy.hold_seconds),
                holder=policy.holder,
            )
            next_key = keys.digest_claim_key(fetched.topic, fetched.date, generation + 1)
            if store.create(next_key, mine.model_dump_json().encode(), JSON):
                return True
            continue  # another delivery claimed it first: read its claim
        if store.exists(digest_key):
            return False
        if started is None:
            started = now
            log.info(
                "digest claimed by another delivery, waiting",
                extra={"topic": fetched.topic, "holder": current.run_id},
            )
        waited = (now - started).total_seconds()
        if waited >= policy.wait_seconds:
            raise DigestInProgress(
                f"the digest for {fetched.topic} {fetched.date.isoformat()} is being written by run "
                f"{current.run_id} (claimed {current.claimed_at:%H:%M:%S}Z, holds until "
                f"{current.expires_at:%H:%M:%S}Z); this delivery waited {waited:.0f}s and will be retried"
            )
        policy.sleep(min(policy.poll_seconds, max(policy.wait_seconds - waited, 0.01)))


def _latest_claim(store: Store, fetched: ArticlesFetched) -> tuple[int, Claim | None]:
    """The newest claim generation and its claim (0, None when nobody claimed). An unreadable claim
    counts as expired: it cannot say it is alive."""
    prefix = keys.digest_claim_key(fetched.topic, fetched.date)
    generations = [_generation(k, prefix) for k in store.list(prefix)]
    latest = max((g for g in generations if g), default=0)
    if not latest:
        return 0, None
    data = read_if_present(store, keys.digest_claim_key(fetched.topic, fetched.date, latest))
    try:
        return latest, Claim.model_validate_json(data or b"")
    except ValidationError:
        epoch = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
        return latest, Claim(run_id=fetched.run_id, claimed_at=epoch, expires_at=epoch)


def _generation(key: str, prefix: str) -> int:
    if key == prefix:
        return 1
    suffix = key[len(prefix) :]
    return int(suffix[1:]) if suffix.startswith(".") and suffix[1:].isdigit() else 0
