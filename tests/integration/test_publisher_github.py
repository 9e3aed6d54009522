"""GitHubPublisher against a fake GitHub API on loopback: one commit, no force, bounded retries."""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from dulwich.objects import Blob, Commit

from dailydigest.errors import ConfigError, PublishError
from dailydigest.ports import PostFiles
from dailydigest.publish.github import GitHubPublisher, git_blob_sha
from dailydigest.publish.github_repo import html_root, parse_repo_spec
from tests.support.fake_github import ANY_ROUTE, FakeGitHub, Fault

pytestmark = pytest.mark.integration

TOKEN = "ghp_fakeTOKENvalue1234567890"  # noqa: S105 - a fake credential for the fake server
OTHER_TOKEN = "ghp_someOTHERtoken"  # noqa: S105 - a fake credential
POST = "_posts/2026-03-12-qwen-daily.md"
IMAGE = "assets/img/posts/2026-03-12-qwen-infographic.png"
AUTHOR = b"dailydigest <dailydigest@users.noreply.github.com>"
NOW = 1_800_000_000.0


def _files(text: str = "---\nlayout: post\n---\n你好\n", png: bytes = b"\x89PNG\r\n\x1a\nfake") -> PostFiles:
    return PostFiles(
        post_path=POST, post_text=text, image_path=IMAGE, image_png=png, message="qwen 2026-03-12"
    )


class Sleeps(list[float]):
    """The injected sleep: records each delay instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def github(tmp_path: Path) -> Iterator[FakeGitHub]:
    with FakeGitHub(tmp_path / "remote.git", token=TOKEN) as fake:
        yield fake


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


PublisherFactory = Callable[..., GitHubPublisher]


@pytest.fixture
def make_publisher(sleeps: Sleeps) -> Iterator[PublisherFactory]:
    clients: list[httpx.Client] = []

    def make(fake: FakeGitHub, spec: str = "octo/blog", **kwargs: object) -> GitHubPublisher:
        client = httpx.Client(base_url=fake.api_url)
        clients.append(client)
        options: dict[str, object] = {"token": TOKEN, "sleep": sleeps, "clock": lambda: NOW, **kwargs}
        return GitHubPublisher(spec, api_url=fake.api_url, client=client, **options)  # type: ignore[arg-type]

    yield make
    for client in clients:
        client.close()


def _changed_paths(fake: FakeGitHub, commit: Commit) -> set[str]:
    parent = fake.commit(commit.parents[0].decode())
    changes = fake.repo.object_store.tree_changes(parent.tree, commit.tree)
    return {path.decode() for paths, _, _ in changes for path in paths if path is not None}


# -- the happy paths ---------------------------------------------------------------------------------


def test_first_publish_makes_one_commit_with_both_files(
    github: FakeGitHub, make_publisher: PublisherFactory
) -> None:
    # Given a repository with one commit on main
    [initial] = github.history()
    # When a post is published
    result = make_publisher(github).publish(_files())
    # Then exactly one commit on top of it holds the post and the image
    history = github.history()
    assert [c.id for c in history[1:]] == [initial.id]
    head = history[0]
    assert result.changed is True
    assert result.commit_sha == head.id.decode()
    assert result.location == f"{github.web_url}/octo/blog/blob/main/{POST}"
    assert _changed_paths(github, head) == {POST, IMAGE}
    files = github.files(head.id.decode())
    assert files[POST] == _files().post_text.encode()
    assert files[IMAGE] == _files().image_png
    assert files["_config.yml"] == b"title: blog\n"  # base_tree kept the rest of the site
    assert head.author == AUTHOR
    assert head.message == b"qwen 2026-03-12"


def test_requests_carry_the_api_headers_and_the_right_blob_encodings(
    github: FakeGitHub, make_publisher: PublisherFactory
) -> None:
    make_publisher(github).publish(_files())
    for call in github.calls:
        assert call.headers["authorization"] == f"Bearer {TOKEN}"
        assert call.headers["accept"] == "application/vnd.github+json"
        assert call.headers["x-github-api-version"] == "2022-11-28"
        assert call.headers["user-agent"].startswith("dailydigest")
    blobs = {
        call.body["encoding"]: call.body["content"] for call in github.requests("POST", "POST git/blobs")
    }
    assert blobs == {
        "utf-8": _files().post_text,
        "base64": base64.b64encode(_files().image_png).decode(),
    }
    [patch] = github.requests("PATCH")
    assert patch.body["force"] is False


@pytest.mark.parametrize("fresh", [False, True], ids=["same-publisher", "new-publisher"])
def test_publishing_the_same_content_again_writes_nothing(
    github: FakeGitHub, make_publisher: PublisherFactory, fresh: bool
) -> None:
    publisher = make_publisher(github)
    first = publisher.publish(_files())
    mark = len(github.calls)
    # When the identical post is published again (EventBridge delivers at least once), by the same
    # publisher or by a new one that has cached nothing
    again = (make_publisher(github) if fresh else publisher).publish(_files())
    # Then only reads were made, and the head is reported unchanged
    assert (again.changed, again.commit_sha) == (False, first.commit_sha)
    assert {c.method for c in github.requests(since=mark)} == {"GET"}
    assert len(github.history()) == 2


def test_changed_content_makes_a_second_commit_on_the_first(
    github: FakeGitHub, make_publisher: PublisherFactory
) -> None:
    publisher = make_publisher(github)
    first = publisher.publish(_files())
    mark = len(github.calls)
    # When only the image changes
    second = publisher.publish(_files(png=b"\x89PNG\r\n\x1a\nother"))
    # Then one new commit, parented on the first, changes the image only
    head = github.history()[0]
    assert second.changed is True
    assert head.id.decode() == second.commit_sha
    assert [p.decode() for p in head.parents] == [first.commit_sha]
    assert _changed_paths(github, head) == {IMAGE}
    assert len(github.requests("POST", "POST git/blobs", since=mark)) == 1


# -- branches ----------------------------------------------------------------------------------------


def test_branch_from_the_repo_spec_is_used(github: FakeGitHub, make_publisher: PublisherFactory) -> None:
    github.commit_files({"drafts.md": b"x"}, "start drafts", branch="drafts")
    drafts = github.head("drafts")
    main = github.head("main")
    result = make_publisher(github, "octo/blog@drafts").publish(_files())
    assert github.head("main") == main
    assert github.commit(result.commit_sha or "").parents[0].decode() == drafts
    assert result.location.endswith(f"/octo/blog/blob/drafts/{POST}")
    assert not github.requests("GET", "GET repo")  # the branch is known: no need to ask


def test_default_branch_is_looked_up_when_none_is_given(
    tmp_path: Path, make_publisher: PublisherFactory
) -> None:
    with FakeGitHub(tmp_path / "r.git", token=TOKEN, default_branch="gh-pages") as fake:
        result = make_publisher(fake).publish(_files())
        assert fake.head("gh-pages") == result.commit_sha
        assert result.location.endswith(f"/octo/blog/blob/gh-pages/{POST}")
        assert len(fake.requests("GET", "GET repo")) == 1


def test_a_missing_branch_is_created_from_the_default_branch(
    github: FakeGitHub, make_publisher: PublisherFactory
) -> None:
    main = github.head("main")
    result = make_publisher(github, "octo/blog@posts").publish(_files())
    # Then the branch is created (POST refs, not PATCH) with one commit on top of main
    assert github.head("posts") == result.commit_sha
    assert github.head("main") == main
    assert [p.decode() for p in github.commit(result.commit_sha or "").parents] == [main]
    [create] = github.requests("POST", "POST git/refs")
    assert create.body == {"ref": "refs/heads/posts", "sha": result.commit_sha}
    assert not github.requests("PATCH")


def test_without_any_base_the_first_commit_has_no_parent(
    tmp_path: Path, make_publisher: PublisherFactory
) -> None:
    # Given a repository whose only branch is not the default one
    with FakeGitHub(tmp_path / "r.git", token=TOKEN, empty=True) as fake:
        fake.commit_files({"old.md": b"old"}, "legacy", branch="legacy")
        result = make_publisher(fake).publish(_files())
        head = fake.commit(result.commit_sha or "")
        assert head.parents == []
        assert set(fake.files(result.commit_sha or "")) == {POST, IMAGE}
        assert len(fake.requests("POST", "POST git/refs")) == 1


# -- conflicts and the empty repository --------------------------------------------------------------


def test_a_concurrent_commit_is_not_overwritten(github: FakeGitHub, make_publisher: PublisherFactory) -> None:
    # Given another writer commits to main just before our ref update
    github.before("PATCH git/refs", lambda: github.commit_files({"about.md": b"about"}, "concurrent"))
    # When a post is published
    result = make_publisher(github).publish(_files())
    # Then the first update is refused (422), and the commit is rebuilt on the new head
    patches = github.requests("PATCH")
    assert [p.status for p in patches] == [422, 200]
    assert all(p.body["force"] is False for p in patches)
    head, concurrent = github.history()[:2]
    assert head.id.decode() == result.commit_sha
    assert concurrent.message == b"concurrent"
    assert head.parents == [concurrent.id]
    files = github.files(head.id.decode())
    assert (files["about.md"], files[POST], files[IMAGE]) == (
        b"about",
        _files().post_text.encode(),
        _files().image_png,
    )
    assert len(github.requests("POST", "POST git/blobs")) == 2  # blobs are not uploaded twice


def test_a_conflict_answered_with_409_is_retried_too(
    github: FakeGitHub, make_publisher: PublisherFactory
) -> None:
    github.fail("PATCH git/refs", 409, message="Reference update failed")
    result = make_publisher(github).publish(_files())
    assert github.head() == result.commit_sha
    assert [p.status for p in github.requests("PATCH")] == [409, 200]


def test_a_branch_that_keeps_moving_gives_up_after_max_attempts(
    github: FakeGitHub, make_publisher: PublisherFactory
) -> None:
    def other_writer(n: int) -> Callable[[], object]:
        return lambda: github.commit_files({f"n{n}.md": b"x"}, f"other {n}")

    for n in range(3):
        github.before("PATCH git/refs", other_writer(n))
    with pytest.raises(PublishError, match=r"branch main kept moving; gave up after 3 attempts"):
        make_publisher(github, max_attempts=3).publish(_files())
    assert github.history()[0].message == b"other 2"
    assert all(p.body["force"] is False for p in github.requests("PATCH"))


@pytest.mark.parametrize(
    ("spec", "route"), [("octo/blog", "PATCH git/refs"), ("octo/blog@posts", "POST git/refs")]
)
@pytest.mark.parametrize("lost", [Fault(status=502, applied=True), Fault(disconnect=True, applied=True)])
def test_a_ref_update_whose_answer_got_lost_is_recognised(
    github: FakeGitHub, make_publisher: PublisherFactory, spec: str, route: str, lost: Fault
) -> None:
    # Given GitHub moves the branch but the answer never arrives
    github.inject(route, lost)
    result = make_publisher(github, spec).publish(_files())
    # Then the retry finds our own commit on the branch: one commit, reported as the change
    branch = spec.partition("@")[2] or "main"
    assert result.changed is True
    assert github.head(branch) == result.commit_sha
    assert len(github.history(branch)) == 2


def test_an_empty_repository_gets_its_first_commit(tmp_path: Path, make_publisher: PublisherFactory) -> None:
    with FakeGitHub(tmp_path / "r.git", token=TOKEN, empty=True) as fake:
        # When a post is published into a repository without any commit
        result = make_publisher(fake).publish(_files())
        # Then the image goes in through the Contents API (Git Data writes get 409) ...
        [ref_read, *_] = fake.requests("GET", "GET git/ref")
        assert ref_read.status == 409
        [put] = fake.requests("PUT")
        assert put.path == f"/repos/octo/blog/contents/{IMAGE}"
        assert put.body["branch"] == "main"
        root, head = reversed(fake.history())
        assert root.parents == [] and head.parents == [root.id]
        assert fake.files(root.id.decode()) == {IMAGE: _files().image_png}
        # ... and the post lands in one Git Data commit that already holds its image
        assert _changed_paths(fake, head) == {POST}
        assert result.changed is True and result.commit_sha == head.id.decode()
        files = fake.files(head.id.decode())
        assert files == {POST: _files().post_text.encode(), IMAGE: _files().image_png}
        assert root.author == head.author == AUTHOR
        # And publishing again changes nothing
        again = make_publisher(fake).publish(_files())
        assert (again.changed, again.commit_sha) == (False, result.commit_sha)


def test_an_empty_repository_never_holds_a_post_without_its_image(
    tmp_path: Path, make_publisher: PublisherFactory, sleeps: Sleeps
) -> None:
    with FakeGitHub(tmp_path / "r.git", token=TOKEN, empty=True) as fake:
        # Given GitHub fails every commit creation right after the repository got its first file
        fake.fail("POST git/commits", 502, times=3, message="Bad Gateway")
        # When a post is published, Then it fails with one clear error
        with pytest.raises(PublishError, match=r"POST /git/commits still failing after 3 attempts"):
            make_publisher(fake, max_attempts=3).publish(_files())
        # And no commit holds the post: only the image went in
        assert [set(fake.files(c.id.decode())) for c in fake.history()] == [{IMAGE}]
        # When the publish is retried (EventBridge redelivers), Then the post lands with the image
        result = make_publisher(fake).publish(_files())
        assert set(fake.files(result.commit_sha or "")) == {POST, IMAGE}
        assert len(fake.history()) == 2


def test_an_empty_repository_answering_409_to_blobs_is_bootstrapped(
    tmp_path: Path, make_publisher: PublisherFactory
) -> None:
    # Given a server that reports the branch missing (404), yet refuses blobs because it is empty
    with FakeGitHub(tmp_path / "r.git", token=TOKEN, empty=True) as fake:
        fake.fail("GET git/ref", 404, message="Not Found")
        result = make_publisher(fake).publish(_files())
        assert [c.status for c in fake.requests("POST", "POST git/blobs")] == [409, 201]
        assert len(fake.requests("PUT")) == 1
        assert fake.head() == result.commit_sha
        assert set(fake.files(result.commit_sha or "")) == {POST, IMAGE}
        assert len(fake.history()) == 2


# -- rate limits, server errors, transport errors ----------------------------------------------------


@pytest.mark.parametrize(
    ("route", "status", "message", "headers", "expected"),
    [
        pytest.param(
            "POST git/commits",
            403,
            "You have exceeded a secondary rate limit",
            {"Retry-After": "2"},
            (2.0, 2.0),
            id="403-retry-after",
        ),
        pytest.param(
            "GET git/ref",
            429,
            "API rate limit exceeded",
            {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(NOW) + 7)},
            (8.0, 8.0),
            id="429-ratelimit-reset",
        ),
        pytest.param(
            "POST git/blobs",
            403,
            "API rate limit exceeded for user",
            {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(NOW) - 5)},
            (1.0, 1.0),
            id="403-reset-already-passed",
        ),
        pytest.param(
            "POST git/trees",
            403,
            "You have exceeded a secondary rate limit",
            {},
            (60.0, 75.0),
            id="403-secondary-no-headers",
        ),
        pytest.param("PATCH git/refs", 429, "Too many requests", {}, (60.0, 75.0), id="429-no-headers"),
    ],
)
def test_rate_limits_are_waited_out_as_announced(
    github: FakeGitHub,
    make_publisher: PublisherFactory,
    sleeps: Sleeps,
    route: str,
    status: int,
    message: str,
    headers: dict[str, str],
    expected: tuple[float, float],
) -> None:
    github.fail(route, status, message=message, headers=headers)
    result = make_publisher(github, max_wait=120.0).publish(_files())
    assert github.head() == result.commit_sha
    [delay] = sleeps
    assert expected[0] <= delay <= expected[1]
    assert [c.status for c in github.requests(route=route)][:2] == [
        status,
        200 if route.startswith(("GET", "PATCH")) else 201,
    ]


@pytest.mark.parametrize("status", [500, 502, 503, 504])
@pytest.mark.parametrize(
    "route", ["GET repo", "GET git/trees", "POST git/blobs", "POST git/commits", "PATCH git/refs"]
)
def test_server_errors_twice_then_success(
    github: FakeGitHub, make_publisher: PublisherFactory, sleeps: Sleeps, route: str, status: int
) -> None:
    github.fail(route, status, times=2, message="Server Error")
    result = make_publisher(github).publish(_files())
    assert github.head() == result.commit_sha and result.changed is True
    assert len(sleeps) == 2
    assert 1.0 <= sleeps[0] <= 1.25 and 2.0 <= sleeps[1] <= 2.5  # exponential, with jitter
    assert len(github.history()) == 2


def test_a_dropped_connection_is_retried(
    github: FakeGitHub, make_publisher: PublisherFactory, sleeps: Sleeps
) -> None:
    github.inject("POST git/trees", Fault(disconnect=True))
    result = make_publisher(github).publish(_files())
    assert github.head() == result.commit_sha
    assert len(sleeps) == 1
    assert [c.status for c in github.requests(route="POST git/trees")] == [0, 201]


def test_a_read_timeout_is_retried(
    github: FakeGitHub, make_publisher: PublisherFactory, sleeps: Sleeps
) -> None:
    # Given GitHub answers a commit creation well after the read timeout
    github.inject("POST git/commits", Fault(delay=1.0))
    publisher = make_publisher(github, timeout=httpx.Timeout(5.0, read=0.5))
    result = publisher.publish(_files())
    # Then the call is retried, and the branch gets exactly one commit. (At least: on a loaded
    # machine another call may time out too; counting exact retries would make the test flaky.)
    assert len(github.requests(route="POST git/commits")) >= 2
    assert sleeps
    assert github.head() == result.commit_sha
    assert len(github.history()) == 2


def test_retries_stop_at_the_retry_budget(
    github: FakeGitHub, make_publisher: PublisherFactory, sleeps: Sleeps
) -> None:
    github.fail("POST git/trees", 403, times=5, message="secondary rate limit", headers={"Retry-After": "50"})
    with pytest.raises(PublishError, match=r"gave up after waiting 100s of the 120s retry budget"):
        make_publisher(github, retry_budget=120.0).publish(_files())
    assert sleeps == [50.0, 50.0]


@pytest.mark.parametrize("route", ["POST git/blobs", "POST git/trees", "POST git/commits", "PATCH git/refs"])
def test_server_errors_forever_end_in_one_clear_error_and_no_ref_update(
    github: FakeGitHub, make_publisher: PublisherFactory, sleeps: Sleeps, route: str
) -> None:
    before = github.head()
    github.fail(route, 502, times=10, message="Bad Gateway from upstream")
    with pytest.raises(PublishError) as caught:
        make_publisher(github, max_attempts=3).publish(_files())
    message = str(caught.value)
    assert "\n" not in message
    assert "still failing after 3 attempts" in message
    assert "502: Bad Gateway from upstream" in message
    assert github.head() == before
    assert len(github.requests(route=route)) == 3
    assert len(sleeps) == 2
    if route != "PATCH git/refs":
        assert not github.requests("PATCH")


def test_a_rate_limit_wait_longer_than_allowed_fails_fast(
    github: FakeGitHub, make_publisher: PublisherFactory, sleeps: Sleeps
) -> None:
    reset = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(NOW) + 3600)}
    github.fail(ANY_ROUTE, 403, message="API rate limit exceeded", headers=reset)
    with pytest.raises(PublishError, match=r"rate limited \(403: API rate limit exceeded\).*3601s"):
        make_publisher(github).publish(_files())
    assert sleeps == []


# -- credentials, permissions, repository ------------------------------------------------------------


@pytest.mark.parametrize("where", ["wrong token", "POST git/blobs", "PATCH git/refs"])
def test_a_rejected_token_is_one_clear_error_without_the_token(
    github: FakeGitHub,
    make_publisher: PublisherFactory,
    sleeps: Sleeps,
    caplog: pytest.LogCaptureFixture,
    where: str,
) -> None:
    caplog.set_level(logging.DEBUG)
    before = github.head()
    if where == "wrong token":
        publisher = make_publisher(github, token=OTHER_TOKEN)
    else:
        github.fail(where, 401, message="Bad credentials")
        publisher = make_publisher(github)
    with pytest.raises(
        PublishError, match=r"rejected the token \(401: Bad credentials\); check GITHUB_TOKEN"
    ):
        publisher.publish(_files())
    assert sleeps == []
    assert github.head() == before
    for secret in (TOKEN, OTHER_TOKEN):
        assert secret not in caplog.text
        assert secret not in repr(publisher) + publisher.describe()


def test_a_missing_repository_says_so(github: FakeGitHub, make_publisher: PublisherFactory) -> None:
    with pytest.raises(
        PublishError, match=r"octo/nope: repository not found \(404: Not Found\); check DIGEST_GITHUB_REPO"
    ):
        make_publisher(github, "octo/nope").publish(_files())


def test_a_token_without_write_access_is_not_retried(
    github: FakeGitHub, make_publisher: PublisherFactory, sleeps: Sleeps
) -> None:
    github.fail("POST git/blobs", 403, message="Resource not accessible by personal access token")
    with pytest.raises(
        PublishError, match=r"POST /git/blobs refused \(403: Resource not accessible.*write access"
    ):
        make_publisher(github).publish(_files())
    assert sleeps == []


@pytest.mark.parametrize("route", ["GET git/ref", "GET git/commits", "POST git/trees", "POST git/commits"])
def test_a_malformed_answer_is_one_clear_error_and_moves_nothing(
    github: FakeGitHub, make_publisher: PublisherFactory, sleeps: Sleeps, route: str
) -> None:
    # Given GitHub answers 200/201 with a body that is not the object asked for
    before = github.head()
    github.fail(route, 201 if route.startswith("POST") else 200, message="not what you asked for")
    # When a post is published, Then one line names the call, and the branch stays where it was
    with pytest.raises(PublishError, match=r"^github octo/blog: unexpected answer from GitHub to /repos/"):
        make_publisher(github).publish(_files())
    assert github.head() == before
    assert not github.requests("PATCH")
    assert sleeps == []


# -- enterprise, paths, specs ------------------------------------------------------------------------


def test_enterprise_api_url_gives_an_enterprise_location(
    tmp_path: Path, make_publisher: PublisherFactory
) -> None:
    with FakeGitHub(tmp_path / "r.git", token=TOKEN, prefix="/api/v3") as fake:
        assert fake.api_url.endswith("/api/v3")
        result = make_publisher(fake).publish(_files())
        assert fake.head() == result.commit_sha
        assert result.location == f"{fake.web_url}/octo/blog/blob/main/{POST}"
        assert all(call.path.startswith("/api/v3/repos/octo/blog") for call in fake.calls)


@pytest.mark.parametrize(
    ("api_url", "web"),
    [
        ("https://api.github.com", "https://github.com"),
        ("https://api.github.com/", "https://github.com"),
        ("https://ghe.example.com/api/v3", "https://ghe.example.com"),
        ("https://ghe.example.com/api/v3/", "https://ghe.example.com"),
        ("https://api.acme.ghe.com", "https://acme.ghe.com"),
    ],
)
def test_html_root_follows_the_api_url(api_url: str, web: str) -> None:
    assert html_root(api_url) == web


@pytest.mark.parametrize(
    "bad_path",
    [
        "../outside.md",
        "_posts/../../x.md",
        "/etc/passwd",
        "",
        "_posts//x.md",
        "./x.md",
        ".git/config",
        "_posts\\x.md",
    ],
)
def test_paths_outside_the_repository_are_refused_before_any_request(
    github: FakeGitHub, make_publisher: PublisherFactory, bad_path: str
) -> None:
    files = PostFiles(post_path=bad_path, post_text="x", image_path=IMAGE, image_png=b"x", message="m")
    with pytest.raises(PublishError, match="refusing path"):
        make_publisher(github).publish(files)
    assert github.calls == []


@pytest.mark.parametrize(
    ("spec", "parsed"),
    [
        ("octo/blog", ("octo", "blog", None)),
        ("octo/blog@main", ("octo", "blog", "main")),
        ("my-org/my.site@release/2026", ("my-org", "my.site", "release/2026")),
    ],
)
def test_repo_specs_parse(spec: str, parsed: tuple[str, str, str | None]) -> None:
    assert parse_repo_spec(spec) == parsed


@pytest.mark.parametrize(
    "spec",
    [
        "octo",
        "octo/",
        "/blog",
        "octo/blog/x",
        "octo/..",
        "octo/blog@",
        "octo/blog@a..b",
        "octo/blog@-x",
        "octo/blog@x.lock",
    ],
)
def test_bad_repo_specs_are_config_errors(spec: str) -> None:
    with pytest.raises(ConfigError):
        parse_repo_spec(spec)


def test_a_blank_token_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="GITHUB_TOKEN"):
        GitHubPublisher("octo/blog", token=" \n")  # noqa: S106 - a blank token


@pytest.mark.parametrize("data", [b"", b"hello\n", "你好".encode(), bytes(range(256))])
def test_blob_sha_is_gits(data: bytes) -> None:
    assert git_blob_sha(data) == Blob.from_string(data).id.decode()
