"""The topics files that ship: real topics at the root, the offline sample in samples/."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from dailydigest.topics import load_topics

GITHUB_RELEASES = re.compile(r"^https://github\.com/[A-Za-z0-9-]+/[A-Za-z0-9._-]+/releases\.atom$")


def test_the_root_file_holds_real_topics(repo_root: Path) -> None:
    topics = load_topics(repo_root / "topics.yaml").topics
    assert {"qwen", "deepseek", "llama"} <= set(topics)
    assert topics["qwen"].locale == "zh-TW" and topics["qwen"].queries == ("Qwen", "通義千問")
    assert topics["llama"].locale == "en"
    for topic in topics.values():
        # Every topic searches Google News and reads vendor feeds of its own
        assert topic.queries and topic.feeds, topic.slug
        for feed in topic.feeds:
            host = urlsplit(str(feed)).hostname or ""
            assert str(feed).startswith("https://") and not host.endswith(".example"), feed


@pytest.mark.parametrize("slug", ["qwen", "deepseek", "llama"])
def test_github_feeds_are_release_atom_feeds(repo_root: Path, slug: str) -> None:
    feeds = [str(feed) for feed in load_topics(repo_root / "topics.yaml").get(slug).feeds]
    github = [feed for feed in feeds if urlsplit(feed).hostname == "github.com"]
    assert github and all(GITHUB_RELEASES.match(feed) for feed in github)


def test_schedules_are_distinct_so_runs_do_not_pile_up(repo_root: Path) -> None:
    topics = load_topics(repo_root / "topics.yaml").topics.values()
    slots = [(topic.schedule.cron, topic.schedule.timezone) for topic in topics]
    assert len(set(slots)) == len(slots)


def test_the_sample_file_reads_only_the_offline_sample_web(repo_root: Path) -> None:
    qwen = load_topics(repo_root / "samples" / "topics.yaml").get("qwen")
    for feed in qwen.feeds:
        host = urlsplit(str(feed)).hostname or ""
        assert host.endswith(".example") and (repo_root / "samples" / "web" / host).is_dir()
