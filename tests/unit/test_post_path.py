"""The post's path in the blog: one file, and one address, per topic and day."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from dailydigest.errors import ConfigError
from dailydigest.settings import Settings
from dailydigest.store.keys import DEFAULT_POST_PATH, image_path, post_path

DAY = dt.date(2026, 11, 28)
# Jekyll's own file name rule for posts, and what each permalink style makes of it.
JEKYLL_POST_NAME = re.compile(r"^(?:.+/)*(\d{2,4}-\d{1,2}-\d{1,2})-(.*)(\.[^.]+)$")
PERMALINKS = {
    "chirpy": "/posts/{title}/",  # Chirpy's default `permalink: /posts/:title/`
    "pretty": "/{categories}/{year}/{month}/{day}/{title}/",
    "date": "/{categories}/{year}/{month}/{day}/{title}.html",
}


def _address(style: str, topic: str, day: dt.date) -> str:
    match = JEKYLL_POST_NAME.match(post_path(topic, day))
    assert match is not None, "Jekyll would not read the file as a post"
    return PERMALINKS[style].format(
        title=match[2],
        categories=f"{topic}/daily",
        year=day.year,
        month=f"{day.month:02d}",
        day=f"{day.day:02d}",
    )


def test_the_default_post_path_keeps_the_reference_image_path() -> None:
    assert post_path("qwen", DAY) == "_posts/2026-11-28-qwen-daily-2026-11-28.md"
    assert image_path("qwen", DAY) == "assets/img/posts/2026-11-28-qwen-infographic.png"


@pytest.mark.parametrize("style", sorted(PERMALINKS))
def test_every_day_and_topic_has_its_own_address_under_common_permalinks(style: str) -> None:
    days = [DAY + dt.timedelta(days=n) for n in range(-400, 400)]
    addresses = [_address(style, topic, day) for topic in ("qwen", "llama") for day in days]
    assert len(set(addresses)) == len(addresses)
    assert _address("chirpy", "qwen", DAY) == "/posts/qwen-daily-2026-11-28/"


def test_the_old_name_collided_under_chirpy() -> None:
    # What the fix is for: `_posts/{date}-{topic}-daily.md` made every day /posts/qwen-daily/.
    old = "_posts/{date}-{topic}-daily.md"
    titles = {JEKYLL_POST_NAME.match(post_path("qwen", DAY + dt.timedelta(days=n), old))[2] for n in range(3)}  # type: ignore[index]
    assert titles == {"qwen-daily"}


def test_a_configured_post_path() -> None:
    settings = Settings.from_env({"DIGEST_POST_PATH": "_posts/{date}-{topic}.md"})
    assert post_path("qwen", DAY, settings.publish.post_path) == "_posts/2026-11-28-qwen.md"
    assert Settings.from_env({}).publish.post_path == DEFAULT_POST_PATH


@pytest.mark.parametrize(
    ("template", "problem"),
    [
        ("_posts/{topic}-daily.md", "both {topic} and {date}"),  # every day one file
        ("_posts/{date}-daily.md", "both {topic} and {date}"),  # every topic one file
        ("_posts/{date}-{slug}.md", "placeholders"),
        ("_posts/{date}-{topic}.html", "Markdown"),
        ("/etc/{date}-{topic}.md", "inside the repository"),
        ("../{date}-{topic}.md", "inside the repository"),
        (".git/{date}-{topic}.md", "inside the repository"),
        ("_posts/{date}-{topic", "placeholders"),
    ],
)
def test_a_bad_post_path_is_refused_at_startup(template: str, problem: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(problem)):
        Settings.from_env({"DIGEST_POST_PATH": template})
