"""Publisher adapter: commits the post and its image to a GitHub repository in one commit.

It speaks the Git Data API (blobs, trees, commits, refs), so both files land in a single commit and
the branch only ever moves by fast-forward (`force: false`). A publish that finds both files already
holding the same content sends no write at all: EventBridge delivers at least once. HTTP, retries and
error wording live in github_http; naming the repository in github_repo.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from urllib.parse import quote

import httpx
from pydantic import Field

from dailydigest.errors import ConfigError, PublishError
from dailydigest.ports import PostFiles, PublishResult
from dailydigest.publish.github_api import DEFAULT_TIMEOUT, ApiModel, GitHubClient, response_message
from dailydigest.publish.github_repo import html_root, parse_repo_spec, valid_branch
from dailydigest.publish.paths import checked_paths
from dailydigest.settings import PublishSettings

log = logging.getLogger(__name__)

_FILE_MODE = "100644"


def git_blob_sha(data: bytes) -> str:
    """The SHA-1 git (and GitHub) gives a file with this content."""
    header = f"blob {len(data)}\0".encode()
    return hashlib.sha1(header + data, usedforsecurity=False).hexdigest()


# The few fields of the Git Data and Contents API answers this adapter reads.
class _Repository(ApiModel):
    default_branch: str


_DEFAULTS = PublishSettings()


class _Sha(ApiModel):
    sha: str


class _Ref(ApiModel):
    target: _Sha = Field(alias="object")


class _Commit(ApiModel):
    sha: str
    tree: _Sha


class _TreeEntry(ApiModel):
    path: str
    mode: str
    type: str
    sha: str


class _Tree(ApiModel):
    sha: str
    tree: list[_TreeEntry]


class _ContentsWrite(ApiModel):
    commit: _Sha


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
        api_url: str = _DEFAULTS.github_api_url,
        branch: str | None = None,
        client: httpx.Client | None = None,
        author_name: str = _DEFAULTS.author_name,
        author_email: str = _DEFAULTS.author_email,
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
        self._owner, self._repo = owner, name
        self._branch = branch or spec_branch
        self._api = api_url.rstrip("/")
        self._web = html_root(self._api)
        self._author = {"name": author_name, "email": author_email}
        # The client also checks the token and max_attempts; it alone ever holds the token.
        self._http = GitHubClient(
            owner,
            name,
            token,
            self._api,
            client=client,
            sleep=sleep,
            clock=clock,
            max_attempts=max_attempts,
            max_wait=max_wait,
            retry_budget=retry_budget,
            timeout=timeout,
        )
        self._max_attempts = max_attempts
        self._default_branch: str | None = None

    def describe(self) -> str:
        branch = self._branch or "default branch"
        return f"GitHub repository {self._owner}/{self._repo} ({branch}) via {self._api}"

    def close(self) -> None:
        self._http.close()

    def publish(self, files: PostFiles) -> PublishResult:
        post_path, image_path = checked_paths(files)
        wanted = {post_path: files.post_text.encode(), image_path: files.image_png}
        self._http.reset_budget()
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
                        f"{self._http.name}: the repository is still empty after its first commit"
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
                    f"{self._http.name}: branch {branch} kept moving; gave up after {refused} attempts"
                )
            log.info("branch %s moved during the commit; rebuilding on the new head", branch)

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
            raise PublishError(f"{self._http.name}: nothing to point branch {branch} at")
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
        tree = self._http.json("POST", "/git/trees", _Sha, body=tree_body)
        commit_body = {
            "message": message,
            "tree": tree.sha,
            "parents": [parent] if parent else [],
            "author": self._author,
        }
        return self._http.json("POST", "/git/commits", _Sha, body=commit_body).sha

    def _move_branch(self, branch: str, sha: str, *, exists: bool) -> bool:
        """Point the branch at sha; False when GitHub refuses because the branch moved meanwhile."""
        if exists:
            # force: false makes GitHub refuse (422) anything but a fast-forward.
            route, method = f"/git/refs/heads/{quote(branch)}", "PATCH"
            body: dict[str, object] = {"sha": sha, "force": False}
        else:
            route, method = "/git/refs", "POST"
            body = {"ref": f"refs/heads/{branch}", "sha": sha}
        response = self._http.call(method, route, body=body, allow={409, 422})
        if response.status_code in (409, 422):
            log.info("%s refused (%s: %s)", method, response.status_code, response_message(response))
            return False
        return True

    def _repository_default(self) -> str:
        """The repository's default branch, read once; also proves the token can see the repository."""
        if self._default_branch is None:
            self._default_branch = self._http.json("GET", "", _Repository).default_branch
        return self._default_branch

    def _ref(self, branch: str) -> str | None:
        """The commit a branch points at; None when there is no such branch."""
        response = self._http.call("GET", f"/git/ref/heads/{quote(branch)}", allow={404, 409})
        if response.status_code == 409:  # "Git Repository is empty."
            raise _EmptyRepositoryError
        if response.status_code == 404:
            return None
        return self._http.parse(_Ref, response).target.sha

    def _head(self, branch: str) -> _Head:
        sha = self._ref(branch)
        if sha is not None:
            return _Head(parent=sha, branch_exists=True)
        # A new branch starts from the default branch (the site's layouts and config), if it has one.
        default = self._repository_default()
        parent = self._ref(default) if default != branch else None
        return _Head(parent=parent, branch_exists=False)

    def _commit_tree(self, commit: str) -> str:
        return self._http.json("GET", f"/git/commits/{commit}", _Commit).tree.sha

    def _blob_shas(self, root: str, wanted: Collection[str]) -> dict[str, str]:
        """The blob SHA at each path (when it is a regular file), walking one directory level per call.

        Per-level listings stay small however large the repository is; a recursive listing can be
        truncated by GitHub on big repositories.
        """
        listings: dict[str, dict[str, _TreeEntry]] = {}

        def entries(tree_sha: str) -> dict[str, _TreeEntry]:
            if tree_sha not in listings:
                tree = self._http.json("GET", f"/git/trees/{tree_sha}", _Tree)
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
        response = self._http.call("POST", "/git/blobs", body=body, allow={409})
        if response.status_code == 409:
            raise _EmptyRepositoryError
        blob = self._http.parse(_Sha, response)
        if blob.sha != expected:
            raise PublishError(
                f"{self._http.name}: GitHub stored {path} as blob {blob.sha}, expected {expected}"
            )

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
        response = self._http.call("PUT", f"/contents/{quote(path)}", body=body, allow={409, 422})
        if response.status_code < 300:
            self._http.parse(_ContentsWrite, response)
