"""LocalGitPublisher: one commit per real change, exactly the two files, nothing outside the repo."""

from __future__ import annotations

from pathlib import Path

import pytest
from dulwich.objects import Commit
from dulwich.repo import Repo

from dailydigest.errors import PublishError
from dailydigest.ports import PostFiles
from dailydigest.publish.git import SITE_FILES, LocalGitPublisher

POST = "_posts/2026-03-12-qwen-daily.md"
IMAGE = "assets/img/posts/2026-03-12-qwen-infographic.png"


def _files(text: str = "---\nlayout: post\n---\nhello\n", png: bytes = b"\x89PNG fake") -> PostFiles:
    return PostFiles(
        post_path=POST, post_text=text, image_path=IMAGE, image_png=png, message="qwen 2026-03-12"
    )


def _history(site: Path) -> list[Commit]:
    with Repo(str(site)) as repo:
        return [entry.commit for entry in repo.get_walker()]


def _tree_files(site: Path, commit: Commit) -> dict[str, bytes]:
    """Every file in a commit's tree, path -> content."""
    with Repo(str(site)) as repo:
        found: dict[str, bytes] = {}
        for entry in repo.object_store.iter_tree_contents(commit.tree):
            blob = repo[entry.sha]
            found[entry.path.decode()] = blob.as_raw_string()
        return found


def _changed_paths(site: Path, commit: Commit) -> set[str]:
    with Repo(str(site)) as repo:
        parent = repo[commit.parents[0]]
        assert isinstance(parent, Commit)
        changes = repo.object_store.tree_changes(parent.tree, commit.tree)
        return {path.decode() for paths, _, _ in changes for path in paths if path is not None}


def test_missing_site_is_created_as_a_jekyll_site_in_one_commit(tmp_path: Path) -> None:
    site = tmp_path / "blog"
    publisher = LocalGitPublisher(site)
    publisher.ensure_site()
    [initial] = _history(site)
    assert set(_tree_files(site, initial)) == set(SITE_FILES)
    assert (site / "_layouts" / "post.html").is_file()
    assert publisher.describe() == f"local git repository at {site.resolve()}"


def test_publish_commits_post_and_image_once(tmp_path: Path) -> None:
    # Given a fresh site
    site = tmp_path / "blog"
    publisher = LocalGitPublisher(site)
    # When a post is published
    result = publisher.publish(_files())
    # Then one commit on top of the initial one holds exactly the post and the image
    history = _history(site)
    assert len(history) == 2
    head = history[0]
    assert result.changed is True
    assert result.commit_sha == head.id.decode()
    assert result.location == str(site.resolve() / POST)
    assert _changed_paths(site, head) == {POST, IMAGE}
    files = _tree_files(site, head)
    assert files[POST] == _files().post_text.encode()
    assert files[IMAGE] == b"\x89PNG fake"
    assert head.message == b"qwen 2026-03-12\n"
    assert head.author == b"dailydigest <dailydigest@localhost>"


def test_publishing_the_same_content_again_makes_no_commit(tmp_path: Path) -> None:
    publisher = LocalGitPublisher(tmp_path / "blog")
    first = publisher.publish(_files())
    # When the identical post is published again (EventBridge delivers at least once)
    second = publisher.publish(_files())
    # Then nothing is committed and HEAD is reported
    assert second.changed is False
    assert second.commit_sha == first.commit_sha
    assert len(_history(tmp_path / "blog")) == 2


def test_changed_content_makes_a_second_commit(tmp_path: Path) -> None:
    site = tmp_path / "blog"
    publisher = LocalGitPublisher(site)
    first = publisher.publish(_files())
    # When only the image changes
    second = publisher.publish(_files(png=b"\x89PNG other"))
    # Then a new commit holds the new image, parented on the first
    history = _history(site)
    assert second.changed is True
    assert [commit.id.decode() for commit in history[:2]] == [second.commit_sha, first.commit_sha]
    assert _changed_paths(site, history[0]) == {IMAGE}
    assert (site / IMAGE).read_bytes() == b"\x89PNG other"


def test_unrelated_working_tree_files_are_never_committed(tmp_path: Path) -> None:
    site = tmp_path / "blog"
    publisher = LocalGitPublisher(site)
    publisher.ensure_site()
    # Given a draft lying in the working tree, and even staged in the index
    (site / "_drafts").mkdir()
    (site / "_drafts" / "wip.md").write_text("not ready\n")
    with Repo(str(site)) as repo:
        repo.get_worktree().stage(["_drafts/wip.md"])
    # When a post is published
    publisher.publish(_files())
    # Then the commit contains the post and image but not the draft
    head = _history(site)[0]
    assert _changed_paths(site, head) == {POST, IMAGE}
    assert "_drafts/wip.md" not in _tree_files(site, head)


def test_existing_directory_keeps_its_files(tmp_path: Path) -> None:
    # Given a directory (not yet a repository) with the user's own config
    site = tmp_path / "blog"
    site.mkdir()
    (site / "_config.yml").write_text("title: mine\n")
    # When the publisher sets it up
    LocalGitPublisher(site).ensure_site()
    # Then the user's file is untouched and not committed by us
    assert (site / "_config.yml").read_text() == "title: mine\n"
    [initial] = _history(site)
    assert "_config.yml" not in _tree_files(site, initial)


def test_an_existing_repository_is_used_as_is(tmp_path: Path) -> None:
    site = tmp_path / "blog"
    site.mkdir()
    Repo.init(str(site)).close()
    LocalGitPublisher(site).publish(_files())
    [only] = _history(site)
    assert set(_tree_files(site, only)) == {POST, IMAGE}


@pytest.mark.parametrize(
    "bad_path",
    [
        "../outside.md",
        "_posts/../../outside.md",
        "/etc/passwd",
        "",
        "_posts//x.md",
        "./_posts/x.md",
        ".git/config",
        ".GIT/hooks/pre-commit",
        "_posts\\..\\x.md",
        "_posts/x.md/",
    ],
)
def test_paths_escaping_the_repository_are_rejected(tmp_path: Path, bad_path: str) -> None:
    publisher = LocalGitPublisher(tmp_path / "blog")
    files = PostFiles(post_path=bad_path, post_text="x", image_path=IMAGE, image_png=b"x", message="m")
    with pytest.raises(PublishError, match="refusing path"):
        publisher.publish(files)
    assert not (tmp_path / "outside.md").exists()


def test_symlinked_directory_pointing_outside_is_rejected(tmp_path: Path) -> None:
    site = tmp_path / "blog"
    publisher = LocalGitPublisher(site)
    publisher.ensure_site()
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (site / "_posts").symlink_to(outside, target_is_directory=True)
    with pytest.raises(PublishError, match="resolves outside"):
        publisher.publish(_files())
    assert list(outside.iterdir()) == []
