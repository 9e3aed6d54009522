"""`dailydigest check [TOPIC]`: what a run would use, and whether each part answers.

Shows the adapters, the model and its endpoint, and the blog repository; then probes each feed of
the topic (all topics without one), the LLM endpoint (its model list, else a one-token call) and
the repository's permissions (GitHub `GET /repos/{owner}/{repo}` → `permissions.push`). Nothing is
written and no run is recorded. Exit 0 when every probe passed, 1 otherwise.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

from dailydigest.commands.local import add_topics_option, load_settings
from dailydigest.errors import DigestError
from dailydigest.models.topic import Topic
from dailydigest.ports import BatchWebClient, FetchFailure, WebClient, WebRequest, WebResponse
from dailydigest.settings import LlmSettings, PublishSettings

PROBE_TIMEOUT = 10.0  # seconds for the LLM and GitHub probes: a check should answer quickly


def add_parser(commands: Any) -> None:
    check = commands.add_parser(
        "check",
        help="show the configuration and probe the feeds, the LLM endpoint and the blog repository",
        description="Show the adapters, model, endpoint and repository a run would use, and probe each "
        "feed, the LLM endpoint and the repository's permissions. Writes nothing.",
    )
    check.add_argument("topic", metavar="TOPIC", nargs="?", help="only this topic's feeds (default: all)")
    add_topics_option(check)
    check.set_defaults(handler=command)


@dataclass(frozen=True)
class Probe:
    what: str
    target: str
    ok: bool
    detail: str

    def line(self) -> str:
        return f"  {'ok  ' if self.ok else 'FAIL'} {self.what:<10} {self.target}: {self.detail}"


def command(args: argparse.Namespace) -> int:
    from dailydigest.wiring import Services

    settings = load_settings(args.topics)
    services = Services(settings)
    topics = [services.topics.get(args.topic)] if args.topic else list(services.topics.topics.values())
    print("configuration")
    for port, describe in _ports(services).items():
        print(f"  {port:<10} {_safely(describe)}")
    print(f"  {'model':<10} {_model(settings.llm)}")
    print(f"  {'repository':<10} {_repository(settings.publish)}")
    probes = [
        *(probe for topic in topics for probe in feed_probes(services.web, topic)),
        *([llm_probe(settings.llm)] if settings.llm.enabled else []),
        *([github_probe(settings.publish)] if settings.publish.uses_github else []),
    ]
    print("probes" if probes else "probes: nothing to probe")
    for probe in probes:
        print(probe.line())
    failed = [probe for probe in probes if not probe.ok]
    print(f"{len(probes) - len(failed)} of {len(probes)} probes passed")
    return 1 if failed else 0


def _ports(services: Any) -> dict[str, Callable[[], str]]:
    return {
        "store": lambda: services.store.describe(),
        "bus": lambda: services.bus.describe(),
        "web": lambda: services.web.describe(),
        "summarizer": lambda: services.summarizer.name,
        "publisher": lambda: services.publisher.describe(),
    }


def _safely(describe: Callable[[], str]) -> str:
    """An adapter that cannot be built (a missing token, say) is shown as the problem, not a crash."""
    try:
        return describe()
    except DigestError as exc:
        return f"not usable: {exc}"


def _model(llm: LlmSettings) -> str:
    if not llm.enabled:
        return "none (extractive summarizer; set OPENAI_BASE_URL or OPENAI_API_KEY for an LLM)"
    fallbacks = f", then {', '.join(llm.fallback_models)}" if llm.fallback_models else ""
    return f"{llm.model}{fallbacks} at {llm.endpoint}"


def _repository(publish: PublishSettings) -> str:
    if publish.github_repo:
        return f"github {publish.github_repo} via {publish.github_api_url}"
    if publish.to_site:
        return f"local git repository {publish.site}"
    return "none: posts stay in the store"


def _fetch(web: WebClient, requests: list[WebRequest]) -> list[WebResponse | FetchFailure]:
    if isinstance(web, BatchWebClient):
        return web.get_many(requests)
    results: list[WebResponse | FetchFailure] = []
    for request in requests:
        try:
            results.append(web.get(request.url))
        except Exception as exc:  # a probe reports every failure, whatever raised it
            results.append(FetchFailure(request.url, str(exc) or type(exc).__name__))
    return results


def feed_probes(web: WebClient, topic: Topic) -> list[Probe]:
    """Each of the topic's feeds: answered, and a feed with entries."""
    from dailydigest.sources.feed import FEED_TYPES, feed_articles

    urls = [str(url) for url in topic.feeds]
    probes = []
    for url, result in zip(urls, _fetch(web, [WebRequest(url, FEED_TYPES) for url in urls]), strict=True):
        what = f"feed {topic.slug}"
        if isinstance(result, FetchFailure):
            probes.append(Probe(what, url, False, result.reason))
        elif result.status != 200:
            probes.append(Probe(what, url, False, f"http status {result.status}"))
        else:
            entries = len(feed_articles(result.body, url))
            probes.append(
                Probe(
                    what,
                    url,
                    entries > 0,
                    f"{entries} entries" if entries else "answered, but no feed entries",
                )
            )
    return probes


def llm_probe(llm: LlmSettings, client: Any = None) -> Probe:
    """The endpoint's model list (free); where it has none, a one-token chat call (a fraction of a cent)."""
    import openai

    from dailydigest.secrets import resolve_secret

    target = llm.endpoint
    if client is None:
        key = resolve_secret(llm.api_key, llm.api_key_secret, "OpenAI API key")
        client = openai.OpenAI(
            base_url=llm.base_url, api_key=key or "unset", timeout=PROBE_TIMEOUT, max_retries=0
        )
    model = llm.model
    try:
        listed = {item.id for item in client.models.list()}
    except openai.NotFoundError:
        listed = None  # an endpoint without /models: ask the model itself
    except openai.AuthenticationError:
        return Probe("llm", target, False, "the API key was refused (401)")
    except openai.APIStatusError as exc:
        return Probe("llm", target, False, f"http status {exc.status_code}")
    except openai.OpenAIError as exc:
        return Probe(
            "llm", target, False, f"no answer ({type(exc).__name__}: {' '.join(str(exc).split())[:150]})"
        )
    if listed is not None:
        if model in listed:
            return Probe("llm", target, True, f"answers; model {model} is listed")
        return Probe(
            "llm", target, False, f"answers, but model {model} is not among its {len(listed)} models"
        )
    try:
        client.chat.completions.create(
            model=model, messages=[{"role": "user", "content": "ok"}], max_tokens=1
        )
    except openai.OpenAIError as exc:
        return Probe("llm", target, False, f"a one-token call to {model} failed ({type(exc).__name__})")
    return Probe("llm", target, True, f"model {model} answered a one-token call")


def github_probe(publish: PublishSettings, http: Any = None) -> Probe:
    """Whether the token can see the repository and push to it (`permissions.push`)."""
    import httpx

    from dailydigest.publish.github_api import api_headers
    from dailydigest.publish.github_repo import parse_repo_spec
    from dailydigest.secrets import resolve_secret

    spec = publish.github_repo or ""
    owner, repo, _ = parse_repo_spec(spec)
    target = f"github {owner}/{repo}"
    token = resolve_secret(publish.github_token, publish.github_token_secret, "GitHub token")
    if not token:
        return Probe("repository", target, False, "no GITHUB_TOKEN (or GITHUB_TOKEN_SECRET) is set")
    url = f"{publish.github_api_url.rstrip('/')}/repos/{owner}/{repo}"
    headers = api_headers(token, user_agent="dailydigest-check/1")
    try:
        # A caller's client is borrowed: nullcontext leaves it open.
        with httpx.Client(timeout=PROBE_TIMEOUT) if http is None else nullcontext(http) as client:
            response = client.get(url, headers=headers)
    except httpx.HTTPError as exc:
        return Probe("repository", target, False, f"no answer ({type(exc).__name__})")
    if response.status_code == 401:
        return Probe("repository", target, False, "the token was refused (401: expired or revoked?)")
    if response.status_code in (403, 404):
        return Probe(
            "repository",
            target,
            False,
            f"{response.status_code}: no such repository, or the token cannot see it",
        )
    if response.status_code != 200:
        return Probe("repository", target, False, f"http status {response.status_code}")
    try:
        permissions = response.json().get("permissions") or {}
    except ValueError:
        return Probe("repository", target, False, "the answer is not JSON")
    if permissions.get("push") is True:
        return Probe("repository", target, True, "the token can push (permissions.push)")
    return Probe(
        "repository", target, False, "read only: the token cannot push (needs Contents: read and write)"
    )
