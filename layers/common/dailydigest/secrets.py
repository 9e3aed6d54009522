"""Secrets: a value given directly (local runs), else fetched by reference through Powertools
parameters (Secrets Manager, or SSM with `ssm:/name`), cached for the life of the container."""

from __future__ import annotations

from pydantic import SecretStr

from dailydigest.errors import ConfigError

CACHE_SECONDS = 300


def resolve_secret(direct: SecretStr | None, reference: str | None, what: str) -> str | None:
    if direct is not None:
        return direct.get_secret_value()
    if not reference:
        return None
    from aws_lambda_powertools.utilities import parameters

    try:
        if reference.startswith("ssm:"):
            value = parameters.get_parameter(reference[4:], decrypt=True, max_age=CACHE_SECONDS)
        else:
            value = parameters.get_secret(reference, max_age=CACHE_SECONDS)
    except parameters.exceptions.GetParameterError as exc:
        # The exception text names the secret, never its value.
        raise ConfigError(f"{what}: cannot read secret {reference!r} ({exc})") from None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{what}: secret {reference!r} is empty")
    return value.strip()


def load_text_parameter(name: str, max_age: int = CACHE_SECONDS) -> str:
    """A plain SSM parameter's text (the topics YAML in Lambda), cached for `max_age` seconds."""
    from aws_lambda_powertools.utilities import parameters

    try:
        value = parameters.get_parameter(name, max_age=max_age)
    except parameters.exceptions.GetParameterError as exc:
        raise ConfigError(f"cannot read parameter {name!r} ({exc})") from None
    return str(value)
