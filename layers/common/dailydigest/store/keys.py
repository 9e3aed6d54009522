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


def run_record_key(topic: str, day: dt.date, run_id: str, stage: str) -> str:
    return f"runs/{topic}/{day.isoformat()}/{run_id}/{stage}.json"


def run_records_prefix(topic: str | None = None) -> str:
    return f"runs/{topic}/" if topic else "runs/"


def post_path(topic: str, day: dt.date) -> str:
    """Where the post lives in the blog repository (DESIGN.md contract)."""
    return f"_posts/{day.isoformat()}-{topic}-daily.md"


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
