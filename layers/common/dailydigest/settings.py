"""Settings, parsed once from the environment into a validated model."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, SecretStr, StringConstraints, ValidationError

from dailydigest.errors import ConfigError
from dailydigest.models.topic import describe_validation_error

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
    "DIGEST_ALLOW_HOSTS": "allow_hosts",
    "DIGEST_WEB_MIRROR": "web_mirror",
    "DIGEST_EVENT_BUS": "event_bus",
    "DIGEST_TEMPLATE": "template_file",
}


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
    allow_hosts: tuple[str, ...] = ()
    web_mirror: Path | None = None
    event_bus: str | None = None
    template_file: Path = Path("template.yaml")
    max_fetch_bytes: Annotated[int, Field(ge=1024)] = 5_000_000

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        values: dict[str, object] = {}
        for env_name, field in ENV_NAMES.items():
            raw = environ.get(env_name, "").strip()
            if not raw:
                continue
            values[field] = (
                tuple(h.strip() for h in raw.split(",") if h.strip()) if field == "allow_hosts" else raw
            )
        try:
            return cls.model_validate(values)
        except ValidationError as exc:
            raise ConfigError(f"settings: {describe_validation_error(exc)}") from None

    @property
    def uses_s3(self) -> bool:
        return self.store.startswith("s3://")

    @property
    def uses_github(self) -> bool:
        return self.github_repo is not None

    @property
    def uses_llm(self) -> bool:
        return self.openai_base_url is not None or self.openai_api_key is not None
