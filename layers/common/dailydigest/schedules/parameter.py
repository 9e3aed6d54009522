"""The topics parameter, read fresh: a sync triggered by a change must not see a cached value."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dailydigest.models.topic import TopicsFile
from dailydigest.topics import parse_topics

if TYPE_CHECKING:
    from mypy_boto3_ssm import SSMClient


def read_topics_parameter(name: str, client: SSMClient | None = None) -> TopicsFile | None:
    """The parsed topics, None when the parameter does not exist (deleted, or not yet created).

    Bad YAML or a bad topic is one ConfigError: the caller changes nothing then.
    """
    if client is None:
        import boto3

        client = boto3.client("ssm")
    try:
        value = client.get_parameter(Name=name)["Parameter"]["Value"]
    except client.exceptions.ParameterNotFound:
        return None
    return parse_topics(value, origin=f"ssm:{name}")
