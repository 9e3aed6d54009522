"""Settings, parsed once from the environment into validated models grouped by concern.

Each field's environment name is its alias: the names are the deploy contract (README, template.yaml)
and are read from nowhere else. Every default is stated once, here; the adapters take their group
(`FetchSettings`, `LlmSettings`, `PublishSettings`, `ArchiveSettings`) as it is.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from dailydigest.errors import ConfigError, describe_validation_error
from dailydigest.store.keys import DEFAULT_POST_PATH

GithubRepo = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(@[A-Za-z0-9_./-]+)?$")
]
HttpUrl = Annotated[str, StringConstraints(pattern=r"^https?://")]
Name = Annotated[str, StringConstraints(min_length=1, max_length=100)]
PostUrl = Annotated[str, StringConstraints(pattern=r"^https?://\S+$", max_length=500)]
Email = Annotated[str, StringConstraints(pattern=r"^[^@\s<>]+@[^@\s<>]+$")]

# USD per million (input, output) tokens, for the digest's cost figure and the per-run cost cap.
# List prices change: set DIGEST_LLM_PRICES='{"model": [input, output]}' for the models you use.
DEFAULT_LLM_PRICES: dict[str, tuple[float, float]] = {"gpt-4o-mini": (0.15, 0.60)}

Price = tuple[Annotated[float, Field(ge=0)], Annotated[float, Field(ge=0)]]


def setting(name: str, default: Any = None, **constraints: Any) -> Any:
    """A field read from the environment variable `name`, with its one default and constraints."""
    return Field(default, validation_alias=AliasChoices(name), **constraints)


class _Group(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @field_validator("*", mode="before")
    @classmethod
    def _off(cls, value: object, info: ValidationInfo) -> object:
        # `off` (or `none`) disables an optional cap, budget or source: any field that may be None.
        field = cls.model_fields[str(info.field_name)]
        if (
            isinstance(value, str)
            and value.strip().lower() in ("off", "none")
            and _optional(field.annotation)
        ):
            return None
        return value


def _optional(annotation: Any) -> bool:
    return type(None) in getattr(annotation, "__args__", ())


def _comma_list(value: object) -> object:
    if isinstance(value, str):
        return tuple(item.strip() for item in value.split(",") if item.strip())
    return value


class FetchSettings(_Group):
    """The fetcher and the news sources: what it may reach, how hard and how long it tries."""

    allow_hosts: tuple[str, ...] = setting("DIGEST_ALLOW_HOSTS", ())
    """Explicit host:port entries the SSRF guard lets through (a private feed)."""
    web_mirror: Path | None = setting("DIGEST_WEB_MIRROR")
    """Answer every URL from this directory tree instead of the network (the offline demo)."""
    max_bytes: int = setting("DIGEST_MAX_FETCH_BYTES", 5_000_000, ge=1024)
    """Largest body accepted (after decompression); larger ones are aborted mid-stream."""
    concurrency: int = setting("DIGEST_FETCH_CONCURRENCY", 64, ge=1, le=256)
    """Requests in flight at once, across all hosts."""
    per_host: int = setting("DIGEST_FETCH_PER_HOST", 6, ge=1, le=32)
    """Requests in flight to one host:port (what browsers allow)."""
    connect_timeout: float = setting("DIGEST_FETCH_CONNECT_TIMEOUT", 5.0, gt=0, le=60)
    read_timeout: float = setting("DIGEST_FETCH_READ_TIMEOUT", 15.0, gt=0, le=120)
    """Longest wait for any single read (headers or a chunk of the body)."""
    deadline: float = setting("DIGEST_FETCH_DEADLINE", 30.0, gt=0, le=600)
    """Longest time for one URL, redirects included, from when it first gets a slot."""
    max_redirects: int = setting("DIGEST_FETCH_MAX_REDIRECTS", 5, ge=0, le=10)
    # News sources besides the topic's feeds: Google News search (DIGEST_GOOGLE_NEWS_URL=off turns
    # it off) and, with a key, NewsAPI.org (the key directly, or a Secrets Manager / ssm: reference).
    google_news_url: HttpUrl | None = setting("DIGEST_GOOGLE_NEWS_URL", "https://news.google.com")
    news_api_key: SecretStr | None = setting("DIGEST_NEWS_API_KEY")
    news_api_key_secret: str | None = setting("DIGEST_NEWS_API_KEY_SECRET")
    news_api_url: HttpUrl = setting("DIGEST_NEWS_API_URL", "https://newsapi.org")

    @field_validator("allow_hosts", mode="before")
    @classmethod
    def _hosts_list(cls, value: object) -> object:
        return _comma_list(value)

    @field_validator("allow_hosts")
    @classmethod
    def _host_port_entries(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        from dailydigest.web.guard import AllowList

        AllowList.parse(value)  # ValueError names the first entry that is not host:port
        return value


class LlmSettings(_Group):
    """The LLM summarizer: endpoint, models, time and token budgets, prices and the failure policy."""

    base_url: str | None = setting("OPENAI_BASE_URL")
    api_key: SecretStr | None = setting("OPENAI_API_KEY")
    api_key_secret: str | None = setting("OPENAI_API_KEY_SECRET")
    """A Secrets Manager secret name/ARN (or ssm:/name) resolved at first use in Lambda."""
    model: Name = setting("DIGEST_LLM_MODEL", "gpt-4o-mini")
    fallback_models: tuple[Name, ...] = setting("DIGEST_LLM_FALLBACK_MODELS", ())
    timeout: float = setting("DIGEST_LLM_TIMEOUT", 60.0, gt=0, le=900)
    """Seconds per call (not the SDK's 10 minutes)."""
    max_retries: int = setting("DIGEST_LLM_MAX_RETRIES", 2, ge=0, le=10)
    on_failure: Literal["extractive", "fail"] = setting("DIGEST_LLM_ON_FAILURE", "extractive")
    context_tokens: int = setting("DIGEST_LLM_CONTEXT_TOKENS", 16_000, ge=2_000, le=2_000_000)
    max_output_tokens: int = setting("DIGEST_LLM_MAX_OUTPUT_TOKENS", 4_000, ge=256, le=100_000)
    article_tokens: int = setting("DIGEST_LLM_ARTICLE_TOKENS", 600, ge=50, le=20_000)
    prices: dict[str, Price] = Field(
        default_factory=lambda: dict(DEFAULT_LLM_PRICES), validation_alias=AliasChoices("DIGEST_LLM_PRICES")
    )
    json_mode: Literal["auto", "json_schema", "json_object", "none"] = setting("DIGEST_LLM_JSON_MODE", "auto")
    preset: Literal["auto", "openai", "dashscope", "deepseek", "ollama", "vllm", "generic"] = setting(
        "DIGEST_LLM_PRESET", "auto"
    )
    """The kind of endpoint (summarize/llm/presets.py); `auto` tells it from the address."""
    temperature: float | None = setting("DIGEST_LLM_TEMPERATURE", 0.3, ge=0, le=2)
    cost_cap_usd: float | None = setting("DIGEST_RUN_COST_CAP_USD", 0.50, ge=0)
    run_seconds: float | None = setting("DIGEST_LLM_RUN_SECONDS", 600.0, ge=10, le=900)
    """Wall-clock budget of one run's calls. Each call may take (retries + 1) x timeout plus the
    SDK's waits (Retry-After is honoured up to 120 s); without a run budget a few slow calls, a
    repair and a fallback model pass the Lambda's 900 s limit, and the run dies before the
    extractive fallback can write. Calls are shortened to fit what is left."""

    @field_validator("fallback_models", mode="before")
    @classmethod
    def _models_list(cls, value: object) -> object:
        return _comma_list(value)

    @field_validator("prices", mode="before")
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

    @property
    def enabled(self) -> bool:
        """An endpoint or a key is configured: the LLM writes the digest."""
        return any(v is not None for v in (self.base_url, self.api_key, self.api_key_secret))

    @property
    def endpoint(self) -> str:
        """Where the calls go, in the words of the CLI's reports."""
        return self.base_url or "the OpenAI API"


class PublishSettings(_Group):
    """Where posts are committed: a GitHub repository, a local git repository, or nowhere (store only)."""

    site: Path = setting("DIGEST_SITE", Path("site"))
    """A local git repository (a Jekyll site); `none` keeps posts in the store only."""
    github_repo: GithubRepo | None = setting("DIGEST_GITHUB_REPO")
    github_token: SecretStr | None = setting("GITHUB_TOKEN")
    github_token_secret: str | None = setting("GITHUB_TOKEN_SECRET")
    github_api_url: HttpUrl = setting("GITHUB_API_URL", "https://api.github.com")
    author_name: Name = setting("DIGEST_GIT_AUTHOR_NAME", "dailydigest")
    author_email: Email = setting("DIGEST_GIT_AUTHOR_EMAIL", "dailydigest@users.noreply.github.com")
    commit_message: Annotated[str, StringConstraints(min_length=1, max_length=200)] = setting(
        "DIGEST_COMMIT_MESSAGE", "{name} daily digest for {date}"
    )
    """Placeholders: {name} (display name), {topic} (slug), {date}."""
    post_path: Annotated[str, StringConstraints(min_length=1, max_length=300)] = setting(
        "DIGEST_POST_PATH", DEFAULT_POST_PATH
    )
    """The post's path in the blog repository; {date} and {topic} make it one file per topic and day."""

    @field_validator("commit_message")
    @classmethod
    def _message_placeholders(cls, value: str) -> str:
        _check_placeholders(value, "commit message", name="n", topic="t", date="d")
        return value

    @field_validator("post_path")
    @classmethod
    def _post_path_template(cls, value: str) -> str:
        check_post_path(value)
        return value

    @property
    def uses_github(self) -> bool:
        return self.github_repo is not None

    @property
    def to_site(self) -> bool:
        """False when DIGEST_SITE=none: posts stay in the store (Lambda without a blog repo)."""
        return str(self.site).lower() != "none"

    @property
    def author(self) -> str:
        return f"{self.author_name} <{self.author_email}>"


class ArchiveSettings(_Group):
    """The browsable archive's public address and where its pages link a post on the blog."""

    archive_url: HttpUrl | None = setting("DIGEST_ARCHIVE_URL")
    blog_post_url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$", max_length=500)] | None = (
        setting("DIGEST_BLOG_POST_URL")
    )
    """Where a post appears on the blog, e.g. https://me.github.io/posts/{topic}-daily-{date}/ (Chirpy's
    default permalink with the default post path; Jekyll permalinks vary by theme); placeholders
    {topic}, {date}, {year}, {month}, {day}. Unset: link the committed file."""

    @field_validator("blog_post_url")
    @classmethod
    def _blog_placeholders(cls, value: str | None) -> str | None:
        if value is not None:
            _check_placeholders(value, "blog post URL", topic="t", date="d", year="y", month="m", day="d")
        return value


class DeploySettings(_Group):
    """What the deployed stack tells its schedule-sync and watchdog functions (template.yaml sets them)."""

    schedule_group: str | None = setting("DIGEST_SCHEDULE_GROUP")
    schedule_target_arn: str | None = setting("DIGEST_SCHEDULE_TARGET_ARN")
    """The function every topic's schedule invokes (FetchFunction)."""
    schedule_role_arn: str | None = setting("DIGEST_SCHEDULE_ROLE_ARN")
    schedule_dead_letter_arn: str | None = setting("DIGEST_SCHEDULE_DEAD_LETTER_ARN")
    alarm_topic_arn: str | None = setting("DIGEST_ALARM_TOPIC_ARN")
    """Where the watchdog names the topics with no post in 26 hours."""


class Settings(_Group):
    """Everything configurable, with the local defaults a fresh clone runs on."""

    store: Annotated[str, StringConstraints(min_length=1)] = setting("DIGEST_STORE", "var/store")
    """A directory, or s3://bucket/prefix."""
    topics_file: Path = setting("DIGEST_TOPICS", Path("topics.yaml"))
    """A YAML file, or ssm:/name of a parameter holding it (Lambda)."""
    template_file: Path = setting("DIGEST_TEMPLATE", Path("template.yaml"))
    """The SAM template whose rules the local bus routes by."""
    event_bus: str | None = setting("DIGEST_EVENT_BUS")
    """An EventBridge bus name: publish there instead of routing locally."""
    fetch: FetchSettings = FetchSettings()
    llm: LlmSettings = LlmSettings()
    publish: PublishSettings = PublishSettings()
    archive: ArchiveSettings = ArchiveSettings()
    deploy: DeploySettings = DeploySettings()

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        """Only the documented names are read; an empty value counts as unset."""
        values: dict[str, Any] = {}
        groups: dict[str, dict[str, str]] = {name: {} for name in GROUPS}
        for name, group, field in _env_fields():
            raw = environ.get(name, "").strip()
            if raw:
                (groups[group] if group else values)[field] = raw
        try:
            for group, model in GROUPS.items():
                values[group] = model.model_validate(groups[group])
            return cls.model_validate(values)
        except ValidationError as exc:
            # Name the environment variable the user set, not the field it fills.
            raise ConfigError(f"settings: {describe_validation_error(exc, _ENV_OF_FIELD)}") from None

    @property
    def uses_s3(self) -> bool:
        return self.store.startswith("s3://")

    @property
    def topics_parameter(self) -> str | None:
        """The SSM parameter holding the topics (DIGEST_TOPICS=ssm:/name); None for a file."""
        source = str(self.topics_file)
        return source.removeprefix("ssm:") if source.startswith("ssm:") else None


GROUPS: dict[str, type[_Group]] = {
    "fetch": FetchSettings,
    "llm": LlmSettings,
    "publish": PublishSettings,
    "archive": ArchiveSettings,
    "deploy": DeploySettings,
}


def _env_fields() -> Iterator[tuple[str, str, str]]:
    """(environment name, group or "", field name) for every setting."""
    models: list[tuple[str, type[_Group]]] = [("", Settings), *GROUPS.items()]
    for group, model in models:
        for field_name, field in model.model_fields.items():
            alias = field.validation_alias
            if isinstance(alias, AliasChoices):
                yield str(alias.choices[0]), group, field_name


ENV_NAMES: tuple[str, ...] = tuple(name for name, _, _ in _env_fields())
"""Every environment name the settings read (derived from the field aliases)."""
_ENV_OF_FIELD: dict[str, str] = {field: name for name, _, field in _env_fields()}


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
