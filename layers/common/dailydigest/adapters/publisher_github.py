"""Publisher adapter: commits the post and its image to a GitHub repository in one commit.

It speaks the Git Data API (blobs, trees, commits, refs) over httpx, so both files land in a single
commit and the branch only ever moves by fast-forward (`force: false`). A publish that finds both
files already holding the same content sends no write at all: EventBridge delivers at least once.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import random
import re
import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import quote, urlsplit, urlunsplit

import httpx
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from dailydigest.errors import ConfigError, PublishError
from dailydigest.ports import PostFiles, PublishResult

log = logging.getLogger(__name__)

API_VERSION = "2022-11-28"
USER_AGENT = "dailydigest-publisher/1"
# Connecting should be quick; writing a tree or a commit on a large repository can take a while.
DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=30.0, write=30.0, pool=5.0)
_FILE_MODE = "100644"
# GitHub: without retry-after or a reset time, wait at least a minute after a secondary rate limit.
_RATE_LIMIT_BACKOFF = 60.0
_SERVER_BACKOFF = 1.0

_OWNER = r"[A-Za-z0-9_.-]+"
_REPO = r"[A-Za-z0-9_.-]+"
_BRANCH = r"[A-Za-z0-9_./-]+"
_SPEC = re.compile(rf"^(?P<owner>{_OWNER})/(?P<repo>{_REPO})(?:@(?P<branch>{_BRANCH}))?$")
_BRANCH_NAME = re.compile(rf"^{_BRANCH}$")

_Model = TypeVar("_Model", bound=BaseModel)


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


def git_blob_sha(data: bytes) -> str:
    """The SHA-1 git (and GitHub) gives a file with this content."""
    header = f"blob {len(data)}\0".encode()
    return hashlib.sha1(header + data, usedforsecurity=False).hexdigest()


def html_root(api_url: str) -> str:
    """The web root matching an API root: api.github.com → github.com, HOST/api/v3 → HOST."""
    parts = urlsplit(api_url.rstrip("/"))
    host, path = parts.netloc, parts.path
    if path.endswith("/api/v3"):  # GitHub Enterprise Server
        path = path.removesuffix("/api/v3")
    elif host.startswith("api."):  # github.com and GHE.com data residency (api.SUBDOMAIN.ghe.com)
        host = host.removeprefix("api.")
    return urlunsplit((parts.scheme, host, path, "", ""))


def checked_path(path: str) -> str:
    """A repository-relative POSIX path: no absolute path, no `..`, nothing inside .git."""
    parts = path.split("/")
    if (
        not path
        or "\\" in path
        or "\x00" in path
        or path.startswith("/")
        or any(part in ("", ".", "..") for part in parts)
        or parts[0].lower() == ".git"
    ):
        raise PublishError(f"refusing path outside the repository: {path!r}")
    return path


# The few fields of GitHub's responses this adapter reads; everything else is ignored.
class _Response(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


class _Repository(_Response):
    default_branch: str


class _Sha(_Response):
    sha: str


class _Ref(_Response):
    target: _Sha = Field(alias="object")


class _Commit(_Response):
    sha: str
    tree: _Sha


class _TreeEntry(_Response):
    path: str
    mode: str
    type: str
    sha: str


class _Tree(_Response):
    sha: str
    tree: list[_TreeEntry]


class _ContentsWrite(_Response):
    commit: _Sha


class _ErrorBody(_Response):
    message: str = ""


class _EmptyRepositoryError(Exception):
    """GitHub answered 409: the repository has no commit yet, and the Git Data API refuses writes."""


@dataclass(frozen=True)
class _Head:
    """Where the commit goes: the parent (None for a root commit) and whether the branch exists."""

    parent: str | None
    branch_exists: bool


class GitHubPublisher:
    """The Publisher port over the GitHub REST API (github.com or GitHub Enterprise)."""

    def __init__(
        self,
        repo: str,
        token: str,
        api_url: str = "https://api.github.com",
        branch: str | None = None,
        client: httpx.Client | None = None,
        author_name: str = "dailydigest",
        author_email: str = "dailydigest@users.noreply.github.com",
        sleep: Callable[[float], None] = time.sleep,
        max_attempts: int = 5,
        *,
        clock: Callable[[], float] = time.time,
        max_wait: float = 60.0,
        retry_budget: float = 180.0,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
    ) -> None:
        owner, name, spec_branch = parse_repo_spec(repo)
        if branch is not None and not valid_branch(branch):
            raise ConfigError(f"not a valid branch name: {branch!r}")
        # Secrets read from SSM or a file often end in a newline, which no HTTP header may carry.
        secret = token.strip()
        if not secret:
            raise ConfigError("GITHUB_TOKEN is required to publish to GitHub")
        if max_attempts < 1:
            raise ConfigError("max_attempts must be at least 1")
        self._owner, self._repo = owner, name
        self._branch = branch or spec_branch
        self._api = api_url.rstrip("/")
        self._repo_url = f"{self._api}/repos/{quote(owner, safe='')}/{quote(name, safe='')}"
        self._web = html_root(self._api)
        self._author = {"name": author_name, "email": author_email}
        self._sleep, self._clock = sleep, clock
        self._max_attempts, self._max_wait = max_attempts, max_wait
        # Total sleep per publish: the render Lambda must end with a clear error, not a timeout.
        self._retry_budget, self._waited = retry_budget, 0.0
        self._timeout = timeout
        self._owns_client = client is None
        self._client = client or httpx.Client(timeout=timeout, follow_redirects=True)
        # The token stays in these private fields: describe(), logs and errors never show it.
        self._headers = {
            "Authorization": f"Bearer {secret}",
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": API_VERSION,
            "User-Agent": USER_AGENT,
        }
        self._secret = secret
        self._default_branch: str | None = None
        self._jitter = random.Random()  # noqa: S311 - backoff jitter, not cryptography

    def describe(self) -> str:
        branch = self._branch or "default branch"
        return f"GitHub repository {self._owner}/{self._repo} ({branch}) via {self._api}"

    def close(self) -> None:
        if self._owns_client:
            self._client.close()

    def publish(self, files: PostFiles) -> PublishResult:
        post_path, image_path = checked_path(files.post_path), checked_path(files.image_path)
        if post_path == image_path:
            raise PublishError(f"post and image share one path: {post_path}")
        wanted = {post_path: files.post_text.encode(), image_path: files.image_png}
        self._waited = 0.0
        branch = self._branch or self._repository_default()
        location = (
            f"{self._web}/{quote(self._owner)}/{quote(self._repo)}/blob/{quote(branch)}/{quote(post_path)}"
        )
        ours: set[str] = set()
        uploaded: set[str] = set()
        bootstrapped = False
        refused = 0
        while True:
            try:
                result = self._attempt(branch, wanted, files, location, ours, uploaded)
            except _EmptyRepositoryError:
                if bootstrapped:
                    raise PublishError(
                        f"{self._name}: the repository is still empty after its first commit"
                    ) from None
                # The image goes first: no commit ever holds a post whose image is missing.
                self._bootstrap(branch, image_path, wanted[image_path], files.message)
                bootstrapped = True
                continue
            if result is not None:
                if bootstrapped and not result.changed:
                    return PublishResult(commit_sha=result.commit_sha, changed=True, location=location)
                return result
            refused += 1
            if refused >= self._max_attempts:
                raise PublishError(
                    f"{self._name}: branch {branch} kept moving; gave up after {refused} attempts"
                )
            log.info("branch %s moved during the commit; rebuilding on the new head", branch)

    @property
    def _name(self) -> str:
        return f"github {self._owner}/{self._repo}"

    def _attempt(
        self,
        branch: str,
        wanted: Mapping[str, bytes],
        files: PostFiles,
        location: str,
        ours: set[str],
        uploaded: set[str],
    ) -> PublishResult | None:
        """One read-build-update round; None when the branch moved under us (try again)."""
        head = self._head(branch)
        if head.branch_exists and head.parent in ours:
            # A retried ref update that had in fact gone through: the branch holds our commit.
            return PublishResult(commit_sha=head.parent, changed=True, location=location)
        base_tree = self._commit_tree(head.parent) if head.parent else None
        current = self._blob_shas(base_tree, wanted) if base_tree else {}
        shas = {path: git_blob_sha(data) for path, data in wanted.items()}
        changed = [path for path in wanted if current.get(path) != shas[path]]
        if not changed and head.branch_exists:
            log.info("post unchanged at %s", location)
            return PublishResult(commit_sha=head.parent, changed=False, location=location)
        target = head.parent
        if changed:
            for path in changed:
                if shas[path] not in uploaded:
                    self._upload_blob(path, wanted[path], shas[path], text=path == files.post_path)
                    uploaded.add(shas[path])
            target = self._create_commit(base_tree, head.parent, changed, shas, files.message)
            ours.add(target)
        # Else a new branch whose base already holds both files: it can point at that commit.
        if target is None:  # unreachable: with no parent every file counts as changed
            raise PublishError(f"{self._name}: nothing to point branch {branch} at")
        if not self._move_branch(branch, target, exists=head.branch_exists):
            return None
        log.info("committed %s to %s as %s", ", ".join(changed) or "nothing new", branch, target)
        return PublishResult(commit_sha=target, changed=True, location=location)

    def _create_commit(
        self,
        base_tree: str | None,
        parent: str | None,
        paths: list[str],
        shas: Mapping[str, str],
        message: str,
    ) -> str:
        entries = [{"path": path, "mode": _FILE_MODE, "type": "blob", "sha": shas[path]} for path in paths]
        tree_body: dict[str, object] = {"tree": entries}
        if base_tree:
            # Entries replace the base tree's files at the same paths; everything else is kept.
            tree_body["base_tree"] = base_tree
        tree = self._json("POST", "/git/trees", _Sha, body=tree_body)
        commit_body = {
            "message": message,
            "tree": tree.sha,
            "parents": [parent] if parent else [],
            "author": self._author,
        }
        return self._json("POST", "/git/commits", _Sha, body=commit_body).sha

    def _move_branch(self, branch: str, sha: str, *, exists: bool) -> bool:
        """Point the branch at sha; False when GitHub refuses because the branch moved meanwhile."""
        if exists:
            # force: false makes GitHub refuse (422) anything but a fast-forward.
            route, method = f"/git/refs/heads/{quote(branch)}", "PATCH"
            body: dict[str, object] = {"sha": sha, "force": False}
        else:
            route, method = "/git/refs", "POST"
            body = {"ref": f"refs/heads/{branch}", "sha": sha}
        response = self._call(method, route, body=body, allow={409, 422})
        if response.status_code in (409, 422):
            log.info("%s refused (%s: %s)", method, response.status_code, _message(response))
            return False
        return True

    def _repository_default(self) -> str:
        """The repository's default branch, read once; also proves the token can see the repository."""
        if self._default_branch is None:
            self._default_branch = self._json("GET", "", _Repository).default_branch
        return self._default_branch

    def _ref(self, branch: str) -> str | None:
        """The commit a branch points at; None when there is no such branch."""
        response = self._call("GET", f"/git/ref/heads/{quote(branch)}", allow={404, 409})
        if response.status_code == 409:  # "Git Repository is empty."
            raise _EmptyRepositoryError
        if response.status_code == 404:
            return None
        return _parse(_Ref, response, self._name).target.sha

    def _head(self, branch: str) -> _Head:
        sha = self._ref(branch)
        if sha is not None:
            return _Head(parent=sha, branch_exists=True)
        # A new branch starts from the default branch (the site's layouts and config), if it has one.
        default = self._repository_default()
        parent = self._ref(default) if default != branch else None
        return _Head(parent=parent, branch_exists=False)

    def _commit_tree(self, commit: str) -> str:
        return self._json("GET", f"/git/commits/{commit}", _Commit).tree.sha

    def _blob_shas(self, root: str, wanted: Collection[str]) -> dict[str, str]:
        """The blob SHA at each path (when it is a regular file), walking one directory level per call.

        Per-level listings stay small however large the repository is; a recursive listing can be
        truncated by GitHub on big repositories.
        """
        listings: dict[str, dict[str, _TreeEntry]] = {}

        def entries(tree_sha: str) -> dict[str, _TreeEntry]:
            if tree_sha not in listings:
                tree = self._json("GET", f"/git/trees/{tree_sha}", _Tree)
                listings[tree_sha] = {entry.path: entry for entry in tree.tree}
            return listings[tree_sha]

        found: dict[str, str] = {}
        for path in wanted:
            tree_sha, *parents, name = [root, *path.split("/")]
            for part in parents:
                entry = entries(tree_sha).get(part)
                if entry is None or entry.type != "tree":
                    break
                tree_sha = entry.sha
            else:
                leaf = entries(tree_sha).get(name)
                if leaf is not None and leaf.type == "blob" and leaf.mode == _FILE_MODE:
                    found[path] = leaf.sha
        return found

    def _upload_blob(self, path: str, data: bytes, expected: str, *, text: bool) -> None:
        if text:
            body = {"content": data.decode(), "encoding": "utf-8"}
        else:
            body = {"content": base64.b64encode(data).decode(), "encoding": "base64"}
        response = self._call("POST", "/git/blobs", body=body, allow={409})
        if response.status_code == 409:
            raise _EmptyRepositoryError
        blob = _parse(_Sha, response, self._name)
        if blob.sha != expected:
            raise PublishError(f"{self._name}: GitHub stored {path} as blob {blob.sha}, expected {expected}")

    def _bootstrap(self, branch: str, path: str, data: bytes, message: str) -> None:
        """Give an empty repository its first commit through the Contents API.

        GitHub refuses every Git Data API write (blobs, trees, commits, refs) on a repository with no
        commit yet, answering 409 "Git Repository is empty." The Contents API does accept the first
        file and creates the branch with it. The caller sends the image that way, so the publish then
        carries on with the Git Data API and the post lands in a commit that already holds its image:
        a build of any commit is whole, and a failure in between leaves no post with a broken image.
        Only the very first publish into an empty repository takes two commits.
        """
        log.info(
            "repository %s/%s is empty; creating %s through the Contents API", self._owner, self._repo, path
        )
        body = {
            "message": message,
            "content": base64.b64encode(data).decode(),
            "branch": branch,
            "author": self._author,
            "committer": self._author,
        }
        # 409/422: someone else gave the repository its first commit meanwhile; the next round sees it.
        response = self._call("PUT", f"/contents/{quote(path)}", body=body, allow={409, 422})
        if response.status_code < 300:
            _parse(_ContentsWrite, response, self._name)

    def _json(self, method: str, route: str, model: type[_Model], body: object = None) -> _Model:
        return _parse(model, self._call(method, route, body=body), self._name)

    def _call(
        self, method: str, route: str, *, body: object = None, allow: Collection[int] = ()
    ) -> httpx.Response:
        """One API call, retried on rate limits, 5xx and transport errors.

        Returns 2xx responses and those whose status is in `allow`; raises PublishError otherwise.
        """
        url = f"{self._repo_url}{route}"
        label = f"{method} {route or f'/repos/{self._owner}/{self._repo}'}"
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
                failure = f"{response.status_code}: {self._scrub(_message(response))}"
                wait = self._retry_delay(response, attempt, label, failure)
                if wait is None:
                    raise PublishError(self._explain(response.status_code, method, route, failure))
                delay = wait
            if attempt == self._max_attempts:
                break
            log.warning("%s %s failed (%s); retrying in %.1fs", self._name, label, failure, delay)
            if self._waited + delay > self._retry_budget:
                raise PublishError(
                    f"{self._name}: {label} failing ({failure}); gave up after waiting "
                    f"{self._waited:.0f}s of the {self._retry_budget:.0f}s retry budget"
                )
            self._waited += delay
            self._sleep(delay)
        raise PublishError(
            f"{self._name}: {label} still failing after {self._max_attempts} attempts ({failure})"
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
                    f"{self._name}: {label} rate limited ({failure}); GitHub asks to wait "
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
            return f"{self._name}: GitHub rejected the token ({failure}); check GITHUB_TOKEN"
        if status == 404 and not route:
            return (
                f"{self._name}: repository not found ({failure}); check DIGEST_GITHUB_REPO and that the "
                "token can read it"
            )
        if status == 403 or (status == 404 and method != "GET"):
            # GitHub answers 404 rather than 403 to some tokens that may read but not write.
            return (
                f"{self._name}: {label} refused ({failure}); the token needs write access to the "
                "repository contents"
            )
        return f"{self._name}: {label} failed ({failure})"

    def _scrub(self, text: str) -> str:
        return text.replace(self._secret, "***")


def _message(response: httpx.Response) -> str:
    """GitHub's `message`, else the start of the body, else the reason phrase; on one line."""
    try:
        text = _ErrorBody.model_validate_json(response.content).message
    except ValidationError:
        text = response.text[:200]
    return " ".join(text.split()) or response.reason_phrase


def _parse(model: type[_Model], response: httpx.Response, name: str) -> _Model:
    try:
        return model.model_validate_json(response.content)
    except ValidationError:
        route = response.request.url.path
        raise PublishError(
            f"{name}: unexpected answer from GitHub to {route} ({response.status_code})"
        ) from None
