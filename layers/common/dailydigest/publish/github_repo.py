"""Naming a GitHub repository: `owner/repo[@branch]` specs, branch names, and its web address."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from dailydigest.errors import ConfigError

_OWNER = r"[A-Za-z0-9_.-]+"
_REPO = r"[A-Za-z0-9_.-]+"
_BRANCH = r"[A-Za-z0-9_./-]+"
_SPEC = re.compile(rf"^(?P<owner>{_OWNER})/(?P<repo>{_REPO})(?:@(?P<branch>{_BRANCH}))?$")
_BRANCH_NAME = re.compile(rf"^{_BRANCH}$")


def parse_repo_spec(spec: str) -> tuple[str, str, str | None]:
    """`owner/repo[@branch]` as (owner, repo, branch or None for the repository's default)."""
    match = _SPEC.match(spec.strip())
    if match is None:
        raise ConfigError(f"GitHub repository must look like owner/repo[@branch], got {spec!r}")
    owner, repo, branch = match["owner"], match["repo"], match["branch"]
    if repo in (".", "..") or owner in (".", ".."):
        raise ConfigError(f"not a GitHub repository name: {spec!r}")
    if branch is not None and not valid_branch(branch):
        raise ConfigError(f"not a valid branch name in {spec!r}: {branch!r}")
    return owner, repo, branch


def valid_branch(branch: str) -> bool:
    """A safe subset of git's ref-name rules: plain characters, no `..`, no empty component."""
    return _BRANCH_NAME.match(branch) is not None and not (
        branch.startswith(("/", "-", "."))
        or branch.endswith(("/", ".", ".lock"))
        or ".." in branch
        or "//" in branch
        or "/." in branch
    )


def html_root(api_url: str) -> str:
    """The web root matching an API root: api.github.com → github.com, HOST/api/v3 → HOST."""
    parts = urlsplit(api_url.rstrip("/"))
    host, path = parts.netloc, parts.path
    if path.endswith("/api/v3"):  # GitHub Enterprise Server
        path = path.removesuffix("/api/v3")
    elif host.startswith("api."):  # github.com and GHE.com data residency (api.SUBDOMAIN.ghe.com)
        host = host.removeprefix("api.")
    return urlunsplit((parts.scheme, host, path, "", ""))
