"""Adapter choice follows the settings, and Lambda-side secrets and topics come from
Secrets Manager / SSM through Powertools parameters (moto stands in for AWS)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from dailydigest.errors import ConfigError
from dailydigest.secrets import resolve_secret
from dailydigest.settings import Settings
from dailydigest.wiring import Services

pytestmark = pytest.mark.integration


@pytest.fixture
def aws() -> Iterator[None]:
    from aws_lambda_powertools.utilities import parameters

    parameters.clear_caches()
    with mock_aws():
        yield
    parameters.clear_caches()


def test_local_defaults(tmp_path: Path) -> None:
    services = Services(
        Settings.from_env({"DIGEST_STORE": str(tmp_path / "s"), "DIGEST_SITE": str(tmp_path / "x")})
    )
    described = services.describe()
    assert described["store"].startswith("directory")
    assert described["summarizer"] == "extractive"
    assert described["publisher"].startswith("local git repository")


def test_site_none_keeps_posts_in_the_store() -> None:
    services = Services(Settings.from_env({"DIGEST_SITE": "none"}))
    assert services.publisher.describe().startswith("none")


def test_github_repo_without_token_is_a_clear_error() -> None:
    services = Services(Settings.from_env({"DIGEST_GITHUB_REPO": "octo/blog"}))
    with pytest.raises(ConfigError, match="no GITHUB_TOKEN"):
        _ = services.publisher


def test_github_publisher_from_a_secret(aws: None) -> None:
    arn = boto3.client("secretsmanager").create_secret(Name="blog-token", SecretString="ghp_fromsecret")[
        "ARN"
    ]
    services = Services(
        Settings.from_env({"DIGEST_GITHUB_REPO": "octo/blog@main", "GITHUB_TOKEN_SECRET": arn})
    )
    assert "octo/blog" in services.publisher.describe()
    assert "ghp_fromsecret" not in services.publisher.describe()


def test_secret_precedence_and_failures(aws: None) -> None:
    from pydantic import SecretStr

    boto3.client("ssm").put_parameter(Name="/dd/key", Value="from-ssm", Type="SecureString")
    assert resolve_secret(SecretStr("direct"), "ignored", "key") == "direct"
    assert resolve_secret(None, "ssm:/dd/key", "key") == "from-ssm"
    assert resolve_secret(None, None, "key") is None
    with pytest.raises(ConfigError, match="cannot read secret 'missing-secret'"):
        resolve_secret(None, "missing-secret", "LLM key")


def test_topics_from_an_ssm_parameter(aws: None, repo_root: Path) -> None:
    boto3.client("ssm").put_parameter(
        Name="/dailydigest/topics", Value=(repo_root / "topics.yaml").read_text(), Type="String"
    )
    services = Services(Settings.from_env({"DIGEST_TOPICS": "ssm:/dailydigest/topics"}))
    assert services.topics.get("qwen").name == "QWEN"


def test_missing_topics_parameter_is_a_clear_error(aws: None) -> None:
    services = Services(Settings.from_env({"DIGEST_TOPICS": "ssm:/nope"}))
    with pytest.raises(ConfigError, match="cannot read parameter '/nope'"):
        _ = services.topics
