"""The GitHub REST client the publisher speaks through: one repository, retries, clear errors.

It retries what waiting can fix (rate limits, 5xx, dropped connections) within a per-publish time
budget, turns everything else into one PublishError that says what to check, and keeps the token
out of every log line and error message.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Collection
from typing import TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ConfigDict, ValidationError

from dailydigest.errors import ConfigError, PublishError

log = logging.getLogger(__name__)

API_VERSION = "2022-11-28"
USER_AGENT = "dailydigest-publisher/1"
# Connecting should be quick; writing a tree or a commit on a large repository can take a while.
DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=30.0, write=30.0, pool=5.0)
# GitHub: without retry-after or a reset time, wait at least a minute after a secondary rate limit.
_RATE_LIMIT_BACKOFF = 60.0
_SERVER_BACKOFF = 1.0


class ApiModel(BaseModel):
    """Base for the few fields of GitHub's responses we read; everything else is ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


_Model = TypeVar("_Model", bound=BaseModel)


class _ErrorBody(ApiModel):
    message: str = ""


class GitHubClient:
    """Calls under one repository's API root (`/repos/OWNER/REPO`), retried and budgeted."""

    def __init__(
        self,
        owner: str,
        repo: str,
        token: str,
        api_url: str,
        *,
        client: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        max_attempts: int = 5,
        max_wait: float = 60.0,
        retry_budget: float = 180.0,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
    ) -> None:
        # Secrets read from SSM or a file often end in a newline, which no HTTP header may carry.
        secret = token.strip()
        if not secret:
            raise ConfigError("GITHUB_TOKEN is required to publish to GitHub")
        if max_attempts < 1:
            raise ConfigError("max_attempts must be at least 1")
        self._owner, self._repo = owner, repo
        self._route = f"/repos/{owner}/{repo}"  # for messages only; the URL below is quoted
        self._repo_url = f"{api_url.rstrip('/')}/repos/{quote(owner, safe='')}/{quote(repo, safe='')}"
        self._sleep, self._clock = sleep, clock
        self._max_attempts, self._max_wait = max_attempts, max_wait
        # Total sleep per publish: the render Lambda must end with a clear error, not a timeout.
        self._retry_budget, self._waited = retry_budget, 0.0
        self._timeout = timeout
        self._owns_client = client is None
        self._client = client or httpx.Client(timeout=timeout, follow_redirects=True)
        # The token stays in these private fields: logs and errors never show it.
        self._headers = api_headers(secret)
        self._secret = secret
        self._jitter = random.Random()  # noqa: S311 - backoff jitter, not cryptography

    @property
    def name(self) -> str:
        """How errors and logs name the repository."""
        return f"github {self._owner}/{self._repo}"

    def close(self) -> None:
        if self._owns_client:
            self._client.close()

    def reset_budget(self) -> None:
        """Start a new publish: the retry budget counts sleeps per publish, not per client."""
        self._waited = 0.0

    def json(self, method: str, route: str, model: type[_Model], body: object = None) -> _Model:
        """A call that must succeed, its answer read as `model`."""
        return self.parse(model, self.call(method, route, body=body))

    def parse(self, model: type[_Model], response: httpx.Response) -> _Model:
        """The answer as `model`; one PublishError (not a pydantic dump) when GitHub says otherwise."""
        try:
            return model.model_validate_json(response.content)
        except ValidationError:
            route = response.request.url.path
            raise PublishError(
                f"{self.name}: unexpected answer from GitHub to {route} ({response.status_code})"
            ) from None

    def call(
        self, method: str, route: str, *, body: object = None, allow: Collection[int] = ()
    ) -> httpx.Response:
        """One API call, retried on rate limits, 5xx and transport errors.

        `route` is relative to the repository ("" is the repository itself). Returns 2xx responses
        and those whose status is in `allow`; raises PublishError otherwise.
        """
        url = f"{self._repo_url}{route}"
        label = f"{method} {route or self._route}"
        for attempt in range(1, self._max_attempts + 1):
            try:
                response = self._client.request(
                    method,
                    url,
                    json=body,
                    headers=self._headers,
                    timeout=self._timeout,
                    follow_redirects=True,
                )
            except httpx.TransportError as exc:
                failure = f"{type(exc).__name__}: {self._scrub(str(exc)) or 'no detail'}"
                delay = self._backoff(attempt, _SERVER_BACKOFF)
            else:
                if response.is_success or response.status_code in allow:
                    return response
                failure = f"{response.status_code}: {self._scrub(response_message(response))}"
                wait = self._retry_delay(response, attempt, label, failure)
                if wait is None:
                    raise PublishError(self._explain(response.status_code, method, route, failure))
                delay = wait
            if attempt == self._max_attempts:
                break
            log.warning("%s %s failed (%s); retrying in %.1fs", self.name, label, failure, delay)
            if self._waited + delay > self._retry_budget:
                raise PublishError(
                    f"{self.name}: {label} failing ({failure}); gave up after waiting "
                    f"{self._waited:.0f}s of the {self._retry_budget:.0f}s retry budget"
                )
            self._waited += delay
            self._sleep(delay)
        raise PublishError(
            f"{self.name}: {label} still failing after {self._max_attempts} attempts ({failure})"
        )

    def _retry_delay(self, response: httpx.Response, attempt: int, label: str, failure: str) -> float | None:
        """Seconds to wait before trying again, or None when retrying cannot help."""
        status = response.status_code
        if status >= 500:
            return self._backoff(attempt, _SERVER_BACKOFF)
        if status not in (403, 429):
            return None
        headers = response.headers
        announced: float | None = None
        retry_after = headers.get("retry-after", "").strip()
        reset = headers.get("x-ratelimit-reset", "").strip()
        if retry_after.isdigit():
            announced = float(retry_after)
        elif headers.get("x-ratelimit-remaining") == "0" and reset.isdigit():
            # Epoch seconds; one more second absorbs clock skew between us and GitHub.
            announced = max(0.0, int(reset) - self._clock()) + 1.0
        if announced is not None:
            if announced > self._max_wait:
                raise PublishError(
                    f"{self.name}: {label} rate limited ({failure}); GitHub asks to wait "
                    f"{announced:.0f}s, more than the {self._max_wait:.0f}s allowed"
                )
            return announced
        if status == 429 or "rate limit" in failure.lower():
            return self._backoff(attempt, _RATE_LIMIT_BACKOFF)
        return None  # a 403 that is no rate limit: the token lacks a permission

    def _backoff(self, attempt: int, base: float) -> float:
        """Exponential backoff with up to 25% jitter, never above max_wait."""
        delay = base * 2.0 ** (attempt - 1)
        return min(self._max_wait, delay * (1 + 0.25 * self._jitter.random()))

    def _explain(self, status: int, method: str, route: str, failure: str) -> str:
        """One line saying what went wrong and what to check."""
        label = f"{method} {route}" if route else "the repository"
        if status == 401:
            return f"{self.name}: GitHub rejected the token ({failure}); check GITHUB_TOKEN"
        if status == 404 and not route:
            return (
                f"{self.name}: repository not found ({failure}); check DIGEST_GITHUB_REPO and that the "
                "token can read it"
            )
        if status == 403 or (status == 404 and method != "GET"):
            # GitHub answers 404 rather than 403 to some tokens that may read but not write.
            return (
                f"{self.name}: {label} refused ({failure}); the token needs write access to the "
                "repository contents"
            )
        return f"{self.name}: {label} failed ({failure})"

    def _scrub(self, text: str) -> str:
        return text.replace(self._secret, "***")


def api_headers(token: str, user_agent: str = USER_AGENT) -> dict[str, str]:
    """The headers of every REST call: the token, GitHub's JSON media type and the pinned API version."""
    return {
        "Authorization": f"Bearer {token}",
        "Accept": "application/vnd.github+json",
        "X-GitHub-Api-Version": API_VERSION,
        "User-Agent": user_agent,
    }


def response_message(response: httpx.Response) -> str:
    """GitHub's `message`, else the start of the body, else the reason phrase; on one line."""
    try:
        text = _ErrorBody.model_validate_json(response.content).message
    except ValidationError:
        text = response.text[:200]
    return " ".join(text.split()) or response.reason_phrase
