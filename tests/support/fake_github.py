"""A fake GitHub REST API on 127.0.0.1, backed by a real bare git repository (dulwich).

It serves the endpoints the GitHub publisher calls, with GitHub's semantics where they matter:
content-addressed blobs, trees built on a `base_tree`, commits, refs that only fast-forward unless
forced (422 otherwise), the 409 "Git Repository is empty." of a repository without a commit, and the
Contents API PUT that can give such a repository its first commit. Tests queue faults per route and
read the request log.

    with FakeGitHub(tmp_path / "remote.git") as github:
        github.fail("POST git/trees", 502, times=2)
        ...
        assert [c.route for c in github.calls] == [...]
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import stat
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qsl, unquote, urlsplit

from dulwich.errors import NotTreeError
from dulwich.graph import can_fast_forward
from dulwich.object_store import commit_tree_changes
from dulwich.objects import Blob, Commit, ObjectID, ShaFile, Tree
from dulwich.refs import Ref
from dulwich.repo import Repo

from tests.support.serving import serving

# Route names used for faults and in the request log.
ROUTES = (
    "GET repo",
    "GET git/ref",
    "GET git/commits",
    "GET git/trees",
    "POST git/blobs",
    "POST git/trees",
    "POST git/commits",
    "POST git/refs",
    "PATCH git/refs",
    "PUT contents",
)
ANY_ROUTE = "*"
_SUBROUTES: list[tuple[str, re.Pattern[str]]] = [
    ("GET repo", re.compile(r"")),
    ("GET git/ref", re.compile(r"/git/ref/heads/(?P<branch>.+)")),
    ("GET git/commits", re.compile(r"/git/commits/(?P<sha>[0-9a-f]{40})")),
    ("GET git/trees", re.compile(r"/git/trees/(?P<sha>[0-9a-f]{40})")),
    ("POST git/blobs", re.compile(r"/git/blobs")),
    ("POST git/trees", re.compile(r"/git/trees")),
    ("POST git/commits", re.compile(r"/git/commits")),
    ("POST git/refs", re.compile(r"/git/refs")),
    ("PATCH git/refs", re.compile(r"/git/refs/heads/(?P<branch>.+)")),
    ("PUT contents", re.compile(r"/contents/(?P<path>.+)")),
]
_MODES = {"100644", "100755", "040000", "160000", "120000"}
EMPTY = "Git Repository is empty."
FAKE_AUTHOR = b"fake-user <fake-user@example.com>"


@dataclass
class Fault:
    """One scripted answer: an action to run first, then a canned status or the normal answer."""

    status: int | None = None  # None: after the action, answer as GitHub would
    message: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)
    action: Callable[[], object] | None = None
    disconnect: bool = False  # close the connection without answering (a transport error)
    applied: bool = False  # do the work first, then answer with status: "the answer got lost"
    delay: float = 0.0  # seconds to wait before answering (other requests are not held up)


@dataclass(frozen=True)
class Call:
    """One request the fake received, and the status it answered (0: disconnected)."""

    method: str
    route: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any
    status: int


class ApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class FakeGitHub:
    """A GitHub REST API for one repository; a context manager that runs it on a loopback port."""

    def __init__(
        self,
        root: Path,
        *,
        owner: str = "octo",
        name: str = "blog",
        token: str = "test-token",  # noqa: S107 - a fake's fixed test credential
        default_branch: str = "main",
        prefix: str = "",
        empty: bool = False,
        can_push: bool = True,
    ) -> None:
        self.owner, self.name, self.token = owner, name, token
        # What GitHub reports in the repository's `permissions` for the token's user.
        self.can_push = can_push
        self.default_branch, self.prefix = default_branch, prefix.rstrip("/")
        self.repo = Repo.init_bare(str(root), mkdir=True, default_branch=default_branch.encode())
        self.calls: list[Call] = []
        self._faults: dict[str, deque[Fault]] = {}
        self._lock = threading.RLock()
        self._server: ThreadingHTTPServer | None = None
        self._running = ExitStack()
        if not empty:
            self.commit_files({"_config.yml": b"title: blog\n", "index.md": b"# blog\n"}, "initial commit")

    # -- lifecycle ---------------------------------------------------------------------------------

    def __enter__(self) -> Self:
        self._server = _QuietServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._running.enter_context(serving(self._server, "fake-github", poll=0.01))
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._running.close()
        self.repo.close()

    @property
    def web_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the fake is not running")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def api_url(self) -> str:
        return f"{self.web_url}{self.prefix}"

    # -- scripting ---------------------------------------------------------------------------------

    def inject(self, route: str, *faults: Fault) -> None:
        """Queue faults for the next requests on a route (or ANY_ROUTE), in order."""
        if route != ANY_ROUTE and route not in ROUTES:
            raise ValueError(f"unknown route {route!r}")
        with self._lock:
            self._faults.setdefault(route, deque()).extend(faults)

    def fail(
        self,
        route: str,
        status: int,
        *,
        times: int = 1,
        message: str = "",
        headers: Mapping[str, str] | None = None,
    ) -> None:
        fault = Fault(status=status, message=message or f"fake failure {status}", headers=headers or {})
        self.inject(route, *([fault] * times))

    def before(self, route: str, action: Callable[[], object]) -> None:
        """Run action just before the next request on route is answered normally."""
        self.inject(route, Fault(action=action))

    def requests(self, method: str | None = None, route: str | None = None, since: int = 0) -> list[Call]:
        with self._lock:
            return [
                call
                for call in self.calls[since:]
                if (method is None or call.method == method) and (route is None or call.route == route)
            ]

    # -- the repository, as tests see it -----------------------------------------------------------

    def head(self, branch: str | None = None) -> str | None:
        ref = _ref_name(branch or self.default_branch)
        with self._lock:
            return self.repo.refs[ref].decode() if ref in self.repo.refs else None

    def commit(self, sha: str) -> Commit:
        obj = self.repo.object_store[ObjectID(sha.encode())]
        assert isinstance(obj, Commit)
        return obj

    def history(self, branch: str | None = None) -> list[Commit]:
        head = self.head(branch)
        if head is None:
            return []
        return [entry.commit for entry in self.repo.get_walker(include=[ObjectID(head.encode())])]

    def files(self, commit_sha: str) -> dict[str, bytes]:
        """Every file in a commit's tree, path -> content."""
        found: dict[str, bytes] = {}
        for entry in self.repo.object_store.iter_tree_contents(self.commit(commit_sha).tree):
            blob = self.repo.object_store[entry.sha]
            assert isinstance(blob, Blob)
            found[entry.path.decode()] = blob.as_raw_string()
        return found

    def commit_files(
        self,
        files: Mapping[str, bytes],
        message: str,
        branch: str | None = None,
        author: bytes = b"someone else <someone@example.com>",
    ) -> str:
        """Commit straight into the repository, as another writer would (no request is logged)."""
        with self._lock:
            head = self.head(branch)
            base: ObjectID | Tree = self.commit(head).tree if head else Tree()
            changes = []
            for path, data in files.items():
                blob = Blob.from_string(data)
                self.repo.object_store.add_object(blob)
                changes.append((path.encode(), stat.S_IFREG | 0o644, blob.id))
            tree = commit_tree_changes(self.repo.object_store, base, changes)
            commit = self._new_commit(tree, [head] if head else [], message, author)
            self._set_ref(branch or self.default_branch, commit, head)
            return commit

    # -- request handling --------------------------------------------------------------------------

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        split = urlsplit(request.path)
        length = int(request.headers.get("Content-Length") or 0)
        raw = request.rfile.read(length) if length else b""
        headers = {key.lower(): value for key, value in request.headers.items()}
        route, params = self._route(request.command, split.path)
        status, payload = 500, _error("unset")
        extra: dict[str, str] = {}
        fault: Fault | None = None
        with self._lock:
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = raw.decode(errors="replace")
            authorized = headers.get("authorization") == f"Bearer {self.token}"
            fault = self._next_fault(route) if authorized else None
            canned = fault is not None and (fault.disconnect or fault.status is not None)
            if not authorized:
                status, payload = 401, _error("Bad credentials")
            elif fault is not None and canned and not fault.applied:
                status, payload, extra = _canned(fault)
            else:
                try:
                    status, payload = self._answer(route, params, body, split.query)
                except ApiError as exc:
                    status, payload = exc.status, _error(exc.message)
                if fault is not None and canned:
                    status, payload, extra = _canned(fault)
            query = dict(parse_qsl(split.query))
            self.calls.append(Call(request.command, route, split.path, query, headers, body, status))
        if fault is not None and fault.delay:
            time.sleep(fault.delay)
        if status == 0:
            request.close_connection = True
            return
        data = json.dumps(payload).encode()
        request.send_response(status)
        request.send_header("Content-Type", "application/json; charset=utf-8")
        request.send_header("Content-Length", str(len(data)))
        for key, value in extra.items():
            request.send_header(key, value)
        request.end_headers()
        request.wfile.write(data)

    def _route(self, method: str, path: str) -> tuple[str, dict[str, str]]:
        match = re.fullmatch(
            r"/repos/(?P<owner>[^/]+)/(?P<name>[^/]+)(?P<rest>/.*)?", path.removeprefix(self.prefix)
        )
        if not path.startswith(self.prefix) or match is None:
            return "?", {}
        for route, pattern in _SUBROUTES:
            found = pattern.fullmatch(match["rest"] or "")
            if found and route.startswith(f"{method} "):
                params = {key: unquote(value) for key, value in found.groupdict().items()}
                return route, {"owner": unquote(match["owner"]), "name": unquote(match["name"]), **params}
        return "?", {}

    def _next_fault(self, route: str) -> Fault | None:
        for key in (route, ANY_ROUTE):
            queue = self._faults.get(key)
            if queue:
                fault = queue.popleft()
                if fault.action is not None:
                    fault.action()
                return fault
        return None

    def _answer(self, route: str, params: dict[str, str], body: Any, query: str) -> tuple[int, Any]:
        if route == "?" or (params["owner"].lower(), params["name"].lower()) != (
            self.owner.lower(),
            self.name.lower(),
        ):
            raise ApiError(404, "Not Found")
        if route == "GET repo":
            return 200, self._repository()
        if route == "PUT contents":
            return self._put_contents(params["path"], _object(body))
        if self._is_empty():
            raise ApiError(409, EMPTY)
        if route == "GET git/ref":
            return 200, self._ref_json(params["branch"], self._existing_ref(params["branch"], 404))
        if route == "GET git/commits":
            return 200, self._commit_json(self._get(params["sha"], Commit, 404, "No commit found for SHA"))
        if route == "GET git/trees":
            tree = self._get(params["sha"], Tree, 404, "Not Found")
            return 200, self._tree_json(tree, recursive="recursive" in query)
        handlers: dict[str, Callable[[dict[str, Any]], tuple[int, Any]]] = {
            "POST git/blobs": self._create_blob,
            "POST git/trees": self._create_tree,
            "POST git/commits": self._create_commit,
            "POST git/refs": self._create_ref,
            "PATCH git/refs": lambda b: self._update_ref(params["branch"], b),
        }
        return handlers[route](_object(body))

    # -- endpoints ---------------------------------------------------------------------------------

    def _repository(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "full_name": f"{self.owner}/{self.name}",
            "private": True,
            "default_branch": self.default_branch,
            "size": 0 if self._is_empty() else 1,
            "html_url": f"{self.web_url}/{self.owner}/{self.name}",
            "permissions": {
                "admin": False,
                "maintain": False,
                "push": self.can_push,
                "triage": self.can_push,
                "pull": True,
            },
        }

    def _create_blob(self, body: dict[str, Any]) -> tuple[int, Any]:
        content, encoding = body.get("content"), body.get("encoding", "utf-8")
        if not isinstance(content, str):
            raise ApiError(422, 'Invalid request.\n\n"content" wasn\'t supplied.')
        if encoding == "utf-8":
            data = content.encode()
        elif encoding == "base64":
            data = _b64(content)
        else:
            raise ApiError(422, f"encoding {encoding!r} is not supported")
        blob = Blob.from_string(data)
        self.repo.object_store.add_object(blob)
        return 201, {"sha": blob.id.decode(), "url": f"{self.api_url}/git/blobs/{blob.id.decode()}"}

    def _create_tree(self, body: dict[str, Any]) -> tuple[int, Any]:
        entries, base_sha = body.get("tree"), body.get("base_tree")
        if not isinstance(entries, list):
            raise ApiError(422, 'Invalid request.\n\n"tree" wasn\'t supplied.')
        base: ObjectID | Tree = Tree()
        if base_sha is not None:
            base = self._get(str(base_sha), Tree, 422, "base_tree is not a valid tree oid").id
        changes: list[tuple[bytes, int | None, ObjectID | None]] = []
        for entry in entries:
            path, mode, sha = entry.get("path"), entry.get("mode"), entry.get("sha")
            if not isinstance(path, str) or not path or path.startswith("/") or mode not in _MODES:
                raise ApiError(422, f"tree entry is invalid: {entry!r}")
            if "content" in entry:
                blob = Blob.from_string(str(entry["content"]).encode())
                self.repo.object_store.add_object(blob)
                sha = blob.id.decode()
            elif sha is not None and ObjectID(str(sha).encode()) not in self.repo.object_store:
                raise ApiError(422, "GitRPC::BadObjectState")
            changes.append((path.encode(), int(mode, 8), ObjectID(sha.encode()) if sha else None))
        try:
            tree_id = commit_tree_changes(self.repo.object_store, base, changes)
        except (AssertionError, KeyError) as exc:
            raise ApiError(422, f"tree could not be built: {exc}") from None
        return 201, self._tree_json(self._get(tree_id.decode(), Tree, 500, "lost tree"), recursive=False)

    def _create_commit(self, body: dict[str, Any]) -> tuple[int, Any]:
        message, tree_sha, parents = body.get("message"), body.get("tree"), body.get("parents", [])
        if not isinstance(message, str) or not isinstance(tree_sha, str) or not isinstance(parents, list):
            raise ApiError(422, "Invalid request: message, tree and parents are required")
        tree = self._get(tree_sha, Tree, 422, "Tree SHA does not exist")
        for parent in parents:
            self._get(str(parent), Commit, 422, "Parent SHA does not exist or is not a commit object")
        commit = self._new_commit(tree.id, [str(p) for p in parents], message, _author(body))
        return 201, self._commit_json(self._get(commit, Commit, 500, "lost commit"))

    def _create_ref(self, body: dict[str, Any]) -> tuple[int, Any]:
        ref, sha = str(body.get("ref", "")), str(body.get("sha", ""))
        if not ref.startswith("refs/") or ref.count("/") < 2:
            raise ApiError(422, "Reference name must start with 'refs/' and have at least two slashes.")
        self._get(sha, Commit, 422, "Object does not exist")
        if not self.repo.refs.add_if_new(Ref(ref.encode()), ObjectID(sha.encode())):
            raise ApiError(422, "Reference already exists")
        return 201, self._ref_json(ref.removeprefix("refs/heads/"), sha)

    def _update_ref(self, branch: str, body: dict[str, Any]) -> tuple[int, Any]:
        sha, force = str(body.get("sha", "")), bool(body.get("force", False))
        current = self._existing_ref(branch, 422, "Reference does not exist")
        self._get(sha, Commit, 422, "Object does not exist")
        old, new = ObjectID(current.encode()), ObjectID(sha.encode())
        if not force and not can_fast_forward(self.repo, old, new):
            raise ApiError(422, "Update is not a fast forward")
        if not self.repo.refs.set_if_equals(_ref_name(branch), old, new):
            raise ApiError(409, "Reference update failed")
        return 200, self._ref_json(branch, sha)

    def _put_contents(self, path: str, body: dict[str, Any]) -> tuple[int, Any]:
        message, content = body.get("message"), body.get("content")
        if not isinstance(message, str) or not isinstance(content, str):
            raise ApiError(422, 'Invalid request.\n\n"message" and "content" are required.')
        branch = str(body.get("branch") or self.default_branch)
        head = self.head(branch)
        if head is None and not self._is_empty():
            raise ApiError(404, f"Branch {branch} not found")
        existing = self._blob_at(head, path) if head else None
        if existing is not None and body.get("sha") is None:
            raise ApiError(422, 'Invalid request.\n\n"sha" wasn\'t supplied.')
        if existing is not None and body.get("sha") != existing:
            raise ApiError(409, f"{path} does not match {body.get('sha')}")
        data = _b64(content)
        commit = self.commit_files({path: data}, message, branch, _author(body))
        sha = Blob.from_string(data).id.decode()
        content_json = {"name": path.rsplit("/", 1)[-1], "path": path, "sha": sha}
        return 201, {"content": content_json, "commit": self._commit_json(self.commit(commit))}

    # -- helpers -----------------------------------------------------------------------------------

    def _is_empty(self) -> bool:
        return not self.repo.refs.as_dict(Ref(b"refs/heads"))

    def _existing_ref(self, branch: str, status: int, message: str = "Not Found") -> str:
        sha = self.head(branch)
        if sha is None:
            raise ApiError(status, message)
        return sha

    def _get(self, sha: str, kind: type[ShaFile], status: int, message: str) -> Any:
        try:
            obj = self.repo.object_store[ObjectID(sha.encode())]
        except (KeyError, ValueError):
            raise ApiError(status, message) from None
        if not isinstance(obj, kind):
            raise ApiError(status, message)
        return obj

    def _blob_at(self, commit_sha: str, path: str) -> str | None:
        tree = self._get(self.commit(commit_sha).tree.decode(), Tree, 500, "lost tree")
        try:
            _mode, sha = tree.lookup_path(self.repo.object_store.__getitem__, path.encode())
        except (KeyError, NotTreeError):
            return None
        return str(sha.decode())

    def _new_commit(self, tree: ObjectID, parents: list[str], message: str, author: bytes) -> str:
        commit = Commit()
        commit.tree = tree
        commit.parents = [ObjectID(p.encode()) for p in parents]
        commit.author = commit.committer = author
        commit.author_time = commit.commit_time = int(time.time())
        commit.author_timezone = commit.commit_timezone = 0
        commit.message = message.encode()
        self.repo.object_store.add_object(commit)
        return str(commit.id.decode())

    def _set_ref(self, branch: str, new: str, old: str | None) -> None:
        ref, new_id = _ref_name(branch), ObjectID(new.encode())
        if old is None:
            self.repo.refs.add_if_new(ref, new_id)
        else:
            self.repo.refs.set_if_equals(ref, ObjectID(old.encode()), new_id)

    def _ref_json(self, branch: str, sha: str) -> dict[str, Any]:
        return {"ref": f"refs/heads/{branch}", "object": {"sha": sha, "type": "commit"}}

    def _commit_json(self, commit: Commit) -> dict[str, Any]:
        name, _, email = commit.author.decode().partition(" <")
        person = {"name": name, "email": email.rstrip(">"), "date": _iso(commit.author_time)}
        return {
            "sha": commit.id.decode(),
            "tree": {"sha": commit.tree.decode()},
            "parents": [{"sha": parent.decode()} for parent in commit.parents],
            "message": commit.message.decode(),
            "author": person,
            "committer": person,
        }

    def _tree_json(self, tree: Tree, *, recursive: bool) -> dict[str, Any]:
        return {"sha": tree.id.decode(), "tree": list(self._entries(tree, "", recursive)), "truncated": False}

    def _entries(self, tree: Tree, prefix: str, recursive: bool) -> Iterator[dict[str, Any]]:
        for item in tree.items():
            path = prefix + item.path.decode()
            kind = "tree" if stat.S_ISDIR(item.mode) else "commit" if item.mode == 0o160000 else "blob"
            yield {"path": path, "mode": f"{item.mode:06o}", "type": kind, "sha": item.sha.decode()}
            if recursive and kind == "tree":
                yield from self._entries(self._get(item.sha.decode(), Tree, 500, "lost"), f"{path}/", True)


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (a timeout test) is expected; anything else is still reported."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def _handler_for(fake: FakeGitHub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out in two writes; with Nagle each keep-alive answer waits ~40 ms.
        disable_nagle_algorithm = True

        def do_GET(self) -> None:
            fake.handle(self)

        do_POST = do_PATCH = do_PUT = do_DELETE = do_GET

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the request log is on the fake."""

    return Handler


def _canned(fault: Fault) -> tuple[int, Any, dict[str, str]]:
    """The scripted answer; status 0 means: drop the connection."""
    status = 0 if fault.disconnect else fault.status or 0
    return status, _error(fault.message), dict(fault.headers)


def _ref_name(branch: str) -> Ref:
    return Ref(f"refs/heads/{branch}".encode())


def _error(message: str) -> dict[str, str]:
    return {"message": message, "documentation_url": "https://docs.github.com/rest"}


def _object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise ApiError(400, "Problems parsing JSON")
    return body


def _b64(content: str) -> bytes:
    try:
        return base64.b64decode(content, validate=True)
    except (binascii.Error, ValueError):
        raise ApiError(422, "content is not valid Base64") from None


def _author(body: dict[str, Any]) -> bytes:
    """The commit's author: the body's author, else its committer, else the token's user."""
    person = body.get("author") or body.get("committer")
    if not person:
        return FAKE_AUTHOR
    if not isinstance(person, dict) or not person.get("name") or not person.get("email"):
        raise ApiError(422, "author and committer need a name and an email")
    return f"{person['name']} <{person['email']}>".encode()


def _iso(epoch: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))
