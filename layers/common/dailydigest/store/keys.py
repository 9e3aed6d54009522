"""The store's key layout, shared by the S3 and the directory store."""

from __future__ import annotations

import datetime as dt
import hashlib


def day_prefix(topic: str, day: dt.date) -> str:
    return f"data/{topic}/{day.isoformat()}/"


def stories_key(topic: str, day: dt.date) -> str:
    return day_prefix(topic, day) + "stories.json"


def digest_key(topic: str, day: dt.date) -> str:
    return day_prefix(topic, day) + "digest.json"


def digest_claim_key(topic: str, day: dt.date, generation: int = 1) -> str:
    """The claim a summarize delivery writes (create-if-absent) before it pays for the digest; a
    stale claim is taken over by creating the next generation."""
    suffix = "" if generation == 1 else f".{generation}"
    return day_prefix(topic, day) + f"digest.claim{suffix}"


def post_key(topic: str, day: dt.date) -> str:
    return day_prefix(topic, day) + "post.md"


def placement_key(topic: str, day: dt.date) -> str:
    """Where in the blog repository the day's post was placed (so a rerun finds it there)."""
    return day_prefix(topic, day) + "placement.json"


def image_key(topic: str, day: dt.date) -> str:
    return day_prefix(topic, day) + "infographic.png"


def ledger_key(topic: str) -> str:
    """The topic's memory of stories covered on earlier days."""
    return f"ledger/{topic}.json"


def google_news_link_key(item_id: str) -> str:
    """A Google News item's resolved publisher URL (kept across runs: it never changes)."""
    return f"cache/google-news/{hashlib.sha256(item_id.encode()).hexdigest()[:40]}.json"


def google_news_penalty_key() -> str:
    """Until when Google asked us (a 429 with Retry-After) to send it nothing."""
    return "cache/google-news/penalty.json"


def run_record_key(topic: str, day: dt.date, run_id: str, stage: str, attempt: str = "") -> str:
    """One record per attempt of a stage: `attempt` (its start time) keeps a retry beside the first
    try. Records written before attempts were kept have none: `.../{stage}.json`."""
    return f"runs/{topic}/{day.isoformat()}/{run_id}/{stage}{'-' + attempt if attempt else ''}.json"


def run_records_prefix(topic: str | None = None) -> str:
    return f"runs/{topic}/" if topic else "runs/"


# Jekyll takes a post's date from the file name's `YYYY-MM-DD-` prefix and `:title` from the rest.
# Under Chirpy's default `permalink: /posts/:title/` only `:title` is in the address, so the
# date is in the title part too: /posts/qwen-daily-2026-11-28/ (and, under `pretty` or `date`,
# /qwen/daily/2026/11/28/qwen-daily-2026-11-28/). Each day's post has its own address.
DEFAULT_POST_PATH = "_posts/{date}-{topic}-daily-{date}.md"
# The one post path before DIGEST_POST_PATH existed: days rendered then are still found there.
LEGACY_POST_PATH = "_posts/{date}-{topic}-daily.md"


def post_path(topic: str, day: dt.date, template: str = DEFAULT_POST_PATH) -> str:
    """Where the post lives in the blog repository: DIGEST_POST_PATH, placeholders {date}, {topic}.

    A pure function of (topic, date), so a rerun of a day writes to the post it wrote before.
    """
    return template.format(topic=topic, date=day.isoformat())


def image_path(topic: str, day: dt.date) -> str:
    """Where the infographic lives in the blog repository (DESIGN.md contract)."""
    return f"assets/img/posts/{day.isoformat()}-{topic}-infographic.png"


def blog_post_url(template: str, topic: str, day: dt.date) -> str:
    """The post's address on the blog, from the DIGEST_BLOG_POST_URL template."""
    return template.format(
        topic=topic,
        date=day.isoformat(),
        year=f"{day.year:04d}",
        month=f"{day.month:02d}",
        day=f"{day.day:02d}",
    )


def watchdog_state_key() -> str:
    """The topics the watchdog last reported overdue (so it reports a change once, not hourly)."""
    return "watchdog/overdue.json"
