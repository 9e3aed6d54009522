"""Settings, parsed once from the environment into a validated model."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    StringConstraints,
    ValidationError,
    field_validator,
)

from dailydigest.errors import ConfigError
from dailydigest.models.topic import describe_validation_error
from dailydigest.store.keys import DEFAULT_POST_PATH

GithubRepo = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(@[A-Za-z0-9_./-]+)?$")
]

# Environment variable -> settings field. Only these names are read.
ENV_NAMES: dict[str, str] = {
    "DIGEST_STORE": "store",
    "DIGEST_SITE": "site",
    "DIGEST_TOPICS": "topics_file",
    "DIGEST_GITHUB_REPO": "github_repo",
    "GITHUB_TOKEN": "github_token",
    "GITHUB_API_URL": "github_api_url",
    "OPENAI_BASE_URL": "openai_base_url",
    "OPENAI_API_KEY": "openai_api_key",
    "DIGEST_LLM_MODEL": "llm_model",
    "DIGEST_LLM_FALLBACK_MODELS": "llm_fallback_models",
    "DIGEST_LLM_TIMEOUT": "llm_timeout",
    "DIGEST_LLM_MAX_RETRIES": "llm_max_retries",
    "DIGEST_LLM_ON_FAILURE": "llm_on_failure",
    "DIGEST_LLM_CONTEXT_TOKENS": "llm_context_tokens",
    "DIGEST_LLM_MAX_OUTPUT_TOKENS": "llm_max_output_tokens",
    "DIGEST_LLM_ARTICLE_TOKENS": "llm_article_tokens",
    "DIGEST_LLM_PRICES": "llm_prices",
    "DIGEST_LLM_JSON_MODE": "llm_json_mode",
    "DIGEST_RUN_COST_CAP_USD": "run_cost_cap_usd",
    "DIGEST_LLM_RUN_SECONDS": "llm_run_seconds",
    "DIGEST_ALLOW_HOSTS": "allow_hosts",
    "DIGEST_MAX_FETCH_BYTES": "max_fetch_bytes",
    "DIGEST_FETCH_CONCURRENCY": "fetch_concurrency",
    "DIGEST_FETCH_PER_HOST": "fetch_per_host",
    "DIGEST_FETCH_CONNECT_TIMEOUT": "fetch_connect_timeout",
    "DIGEST_FETCH_READ_TIMEOUT": "fetch_read_timeout",
    "DIGEST_FETCH_DEADLINE": "fetch_deadline",
    "DIGEST_FETCH_MAX_REDIRECTS": "fetch_max_redirects",
    "DIGEST_GOOGLE_NEWS_URL": "google_news_url",
    "DIGEST_NEWS_API_KEY": "news_api_key",
    "DIGEST_NEWS_API_KEY_SECRET": "news_api_key_secret",
    "DIGEST_NEWS_API_URL": "news_api_url",
    "DIGEST_WEB_MIRROR": "web_mirror",
    "DIGEST_EVENT_BUS": "event_bus",
    "DIGEST_TEMPLATE": "template_file",
    "GITHUB_TOKEN_SECRET": "github_token_secret",
    "OPENAI_API_KEY_SECRET": "openai_api_key_secret",
    "DIGEST_ARCHIVE_URL": "archive_url",
    "DIGEST_BLOG_POST_URL": "blog_post_url",
    "DIGEST_POST_PATH": "post_path",
    "DIGEST_GIT_AUTHOR_NAME": "git_author_name",
    "DIGEST_GIT_AUTHOR_EMAIL": "git_author_email",
    "DIGEST_COMMIT_MESSAGE": "commit_message",
}


# USD per million (input, output) tokens, for the digest's cost figure and the per-run cost cap.
# List prices change: set DIGEST_LLM_PRICES='{"model": [input, output]}' for the models you use.
DEFAULT_LLM_PRICES: dict[str, tuple[float, float]] = {"gpt-4o-mini": (0.15, 0.60)}

Price = tuple[Annotated[float, Field(ge=0)], Annotated[float, Field(ge=0)]]


class Settings(BaseModel):
    """Everything configurable, with the local defaults a fresh clone runs on."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    store: Annotated[str, StringConstraints(min_length=1)] = "var/store"
    site: Path = Path("site")
    topics_file: Path = Path("topics.yaml")
    github_repo: GithubRepo | None = None
    github_token: SecretStr | None = None
    github_api_url: Annotated[str, StringConstraints(pattern=r"^https?://")] = "https://api.github.com"
    openai_base_url: str | None = None
    openai_api_key: SecretStr | None = None
    llm_model: str = "gpt-4o-mini"
    # The LLM summarizer (dailydigest.summarize): fallbacks, time and token budgets, prices, failure policy.
    llm_fallback_models: tuple[Annotated[str, StringConstraints(min_length=1, max_length=100)], ...] = ()
    llm_timeout: Annotated[float, Field(gt=0, le=900)] = 60.0
    llm_max_retries: Annotated[int, Field(ge=0, le=10)] = 2
    llm_on_failure: Literal["extractive", "fail"] = "extractive"
    llm_context_tokens: Annotated[int, Field(ge=2_000, le=2_000_000)] = 16_000
    llm_max_output_tokens: Annotated[int, Field(ge=256, le=100_000)] = 4_000
    llm_article_tokens: Annotated[int, Field(ge=50, le=20_000)] = 600
    llm_prices: dict[str, Price] = Field(default_factory=lambda: dict(DEFAULT_LLM_PRICES))
    llm_json_mode: Literal["auto", "json_schema", "json_object", "none"] = "auto"
    run_cost_cap_usd: Annotated[float, Field(ge=0)] | None = 0.50

    @field_validator("llm_prices", mode="before")
    @classmethod
    def _json_prices(cls, value: object) -> object:
        # From the environment: a JSON object merged over the defaults, e.g. {"qwen-plus": [0.4, 1.2]}.
        if isinstance(value, str):
            try:
                parsed = json.loads(value)
            except json.JSONDecodeError as exc:
                raise ValueError(f"not a JSON object of model prices ({exc.msg})") from None
            if not isinstance(parsed, dict):
                raise ValueError('expected a JSON object such as {"model": [input_per_1M, output_per_1M]}')
            return {**DEFAULT_LLM_PRICES, **parsed}
        return value

    # Wall-clock budget of one run's LLM calls; past it the run falls back (must end within Lambda's 900 s).
    llm_run_seconds: Annotated[float, Field(ge=10, le=900)] | None = 600.0

    allow_hosts: tuple[str, ...] = ()
    web_mirror: Path | None = None
    event_bus: str | None = None
    template_file: Path = Path("template.yaml")
    # Secrets Manager secret names/ARNs (or ssm:/name) resolved at first use in Lambda.
    github_token_secret: str | None = None
    openai_api_key_secret: str | None = None
    archive_url: Annotated[str, StringConstraints(pattern=r"^https?://")] | None = None
    # Where a post appears on the blog, e.g. https://me.github.io/posts/{topic}-daily-{date}/ (Chirpy's
    # default permalink with the default post path; Jekyll permalinks vary by theme); placeholders
    # {topic}, {date}, {year}, {month}, {day}. Unset: link the committed file.
    blog_post_url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$", max_length=500)] | None = None
    # The post's path in the blog repository; {date} and {topic} make it one file per topic and day.
    post_path: Annotated[str, StringConstraints(min_length=1, max_length=300)] = DEFAULT_POST_PATH
    git_author_name: Annotated[str, StringConstraints(min_length=1, max_length=100)] = "dailydigest"
    # Placeholders: {name} (display name), {topic} (slug), {date}.
    commit_message: Annotated[str, StringConstraints(min_length=1, max_length=200)] = (
        "{name} daily digest for {date}"
    )
    git_author_email: Annotated[str, StringConstraints(pattern=r"^[^@\s<>]+@[^@\s<>]+$")] = (
        "dailydigest@users.noreply.github.com"
    )
    max_fetch_bytes: Annotated[int, Field(ge=1024)] = 5_000_000
    # The network fetcher (adapters/web_http.py): concurrency caps, timeouts in seconds, redirects.
    fetch_concurrency: Annotated[int, Field(ge=1, le=256)] = 64
    fetch_per_host: Annotated[int, Field(ge=1, le=32)] = 6
    fetch_connect_timeout: Annotated[float, Field(gt=0, le=60)] = 5.0
    fetch_read_timeout: Annotated[float, Field(gt=0, le=120)] = 15.0
    fetch_deadline: Annotated[float, Field(gt=0, le=600)] = 30.0
    fetch_max_redirects: Annotated[int, Field(ge=0, le=10)] = 5
    # News sources besides the topic's feeds: Google News search (DIGEST_GOOGLE_NEWS_URL=off turns
    # it off) and, with a key, NewsAPI.org (the key directly, or a Secrets Manager / ssm: reference).
    google_news_url: Annotated[str, StringConstraints(pattern=r"^https?://")] | None = (
        "https://news.google.com"
    )
    news_api_key: SecretStr | None = None
    news_api_key_secret: str | None = None
    news_api_url: Annotated[str, StringConstraints(pattern=r"^https?://")] = "https://newsapi.org"

    @field_validator("llm_fallback_models", "allow_hosts", mode="before")
    @classmethod
    def _comma_list(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(item.strip() for item in value.split(",") if item.strip())
        return value

    @field_validator("run_cost_cap_usd", "llm_run_seconds", "google_news_url", mode="before")
    @classmethod
    def _off(cls, value: object) -> object:
        # `off` (or `none`) disables a cap, a budget or an optional source.
        return None if isinstance(value, str) and value.strip().lower() in ("off", "none") else value

    @field_validator("blog_post_url")
    @classmethod
    def _blog_placeholders(cls, value: str | None) -> str | None:
        if value is not None:
            _check_placeholders(value, "blog post URL", topic="t", date="d", year="y", month="m", day="d")
        return value

    @field_validator("post_path")
    @classmethod
    def _post_path_template(cls, value: str) -> str:
        check_post_path(value)
        return value

    @field_validator("commit_message")
    @classmethod
    def _message_placeholders(cls, value: str) -> str:
        _check_placeholders(value, "commit message", name="n", topic="t", date="d")
        return value

    @field_validator("allow_hosts")
    @classmethod
    def _host_port_entries(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        from dailydigest.web.guard import AllowList

        AllowList.parse(value)  # ValueError names the first entry that is not host:port
        return value

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        values: dict[str, object] = {}
        for env_name, field in ENV_NAMES.items():
            raw = environ.get(env_name, "").strip()
            if not raw:
                continue
            values[field] = raw
        try:
            return cls.model_validate(values)
        except ValidationError as exc:
            raise ConfigError(f"settings: {describe_validation_error(exc)}") from None

    @property
    def uses_s3(self) -> bool:
        return self.store.startswith("s3://")

    @property
    def publishes_to_site(self) -> bool:
        """False when DIGEST_SITE=none: posts stay in the store (Lambda without a blog repo)."""
        return str(self.site).lower() != "none"

    @property
    def uses_github(self) -> bool:
        return self.github_repo is not None

    @property
    def uses_llm(self) -> bool:
        return any(
            v is not None for v in (self.openai_base_url, self.openai_api_key, self.openai_api_key_secret)
        )


def _check_placeholders(template: str, what: str, **sample: str) -> None:
    """A template may use only the named placeholders: fail at startup, not at the first post."""
    try:
        template.format(**sample)
    except (KeyError, IndexError, ValueError) as exc:
        known = ", ".join("{" + name + "}" for name in sample)
        raise ValueError(f"{what} placeholders are {known} ({exc})") from None


def check_post_path(template: str) -> None:
    """A post path template names one Markdown file per topic and day inside the repository."""
    _check_placeholders(template, "post path", topic="t", date="d")
    if "{topic}" not in template or "{date}" not in template:
        raise ValueError("post path needs both {topic} and {date}, or days and topics would share a post")
    if not template.endswith((".md", ".markdown")):
        raise ValueError("post path must name a Markdown file (.md or .markdown)")
    from dailydigest.errors import PublishError
    from dailydigest.publish.paths import checked_path

    try:
        checked_path(template.format(topic="topic", date="2026-01-01"))
    except PublishError:
        raise ValueError("post path must be relative, inside the repository, without '..'") from None
