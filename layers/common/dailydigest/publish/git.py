"""Publisher adapter: commits the post and its image to a local git repository (a Jekyll site).

Used locally and in tests (dulwich, no git binary). The commit is built from HEAD's tree plus the
two files, so nothing else in the working tree or the index ever ends up in it.
"""

from __future__ import annotations

import logging
import stat
import time
from pathlib import Path

from dulwich.errors import NotGitRepository, NotTreeError
from dulwich.object_store import commit_tree_changes
from dulwich.objects import Blob, Commit, ObjectID, Tree
from dulwich.refs import HEADREF
from dulwich.repo import Repo

from dailydigest.errors import PublishError
from dailydigest.ports import PostFiles, PublishResult
from dailydigest.publish.paths import checked_paths

log = logging.getLogger(__name__)

DEFAULT_AUTHOR = b"dailydigest <dailydigest@localhost>"
_FILE_MODE = stat.S_IFREG | 0o644

# A minimal Jekyll site: no theme gem, no plugins, so `jekyll build` works offline.
SITE_FILES: dict[str, str] = {
    "_config.yml": """\
# A minimal local blog created by dailydigest. No theme gem or plugin: builds offline.
title: dailydigest
description: One cited news digest per topic per day.
lang: zh-TW
permalink: /:year/:month/:day/:title/
markdown: kramdown
# A post dated "today" in Asia/Taipei is still "tomorrow" on a UTC machine; publish it anyway.
future: true
exclude: [README.md]
""",
    ".gitignore": "_site/\n.jekyll-cache/\n.jekyll-metadata\n",
    "_layouts/default.html": """\
<!DOCTYPE html>
<html lang="{{ site.lang | default: 'en' }}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{% if page.title %}{{ page.title | escape }} | {% endif %}{{ site.title | escape }}</title>
</head>
<body>
  <header><a href="{{ '/' | relative_url }}">{{ site.title | escape }}</a></header>
  <main>
{{ content }}
  </main>
</body>
</html>
""",
    "_layouts/post.html": """\
---
layout: default
---
<article>
  <h1>{{ page.title | escape }}</h1>
  {% if page.tagline %}<p class="tagline">{{ page.tagline | escape }}</p>{% endif %}
  <p><time datetime="{{ page.date | date_to_xmlschema }}">{{ page.date | date: '%Y-%m-%d' }}</time></p>
  {% assign image_src = page.image.path | default: page.image %}\
{% assign image_alt = page.image.alt | default: page.title %}
  {% if image_src %}<img src="{{ image_src | relative_url }}" alt="{{ image_alt | escape }}" \
width="1200" height="630">{% endif %}
{{ content }}
</article>
""",
    "index.html": """\
---
layout: default
---
<h1>{{ site.title | escape }}</h1>
<ul>
{% for post in site.posts %}
  <li><a href="{{ post.url | relative_url }}">{{ post.title | escape }}</a>
    <small>{{ post.tagline | escape }}</small></li>
{% endfor %}
</ul>
""",
}


class LocalGitPublisher:
    """The Publisher port over a local git repository, created as a Jekyll site if missing."""

    def __init__(self, site: Path, author: bytes = DEFAULT_AUTHOR) -> None:
        self._site = site.expanduser().resolve()
        self._author = author

    @property
    def site(self) -> Path:
        return self._site

    def describe(self) -> str:
        return f"local git repository at {self._site}"

    def ensure_site(self) -> None:
        """Create the repository (a minimal Jekyll site, one initial commit) unless it exists."""
        try:
            Repo(str(self._site)).close()
            return
        except NotGitRepository:
            pass
        if self._site.exists() and not self._site.is_dir():
            raise PublishError(f"site {self._site} exists and is not a directory")
        self._site.mkdir(parents=True, exist_ok=True)
        with Repo.init(str(self._site), default_branch=b"main") as repo:
            # Never overwrite what a user already keeps in the directory.
            missing = [path for path in SITE_FILES if not (self._site / path).exists()]
            files = {path: SITE_FILES[path].encode() for path in missing}
            self._commit(repo, files, "create jekyll site")
        log.info("created jekyll site repository at %s", self._site)

    def publish(self, files: PostFiles) -> PublishResult:
        post_path, image_path = checked_paths(files)
        for path in (post_path, image_path):
            # On disk, a symlinked directory inside the site could still point elsewhere.
            if not (self._site / path).resolve().is_relative_to(self._site):
                raise PublishError(f"refusing path that resolves outside the repository: {path!r}")
        self.ensure_site()
        location = str(self._site / post_path)
        content = {post_path: files.post_text.encode(), image_path: files.image_png}
        with Repo(str(self._site)) as repo:
            sha = self._commit(repo, content, files.message)
            if sha is None:
                log.info("post unchanged at %s", location)
                return PublishResult(commit_sha=_head(repo), changed=False, location=location)
        log.info("committed post %s as %s", post_path, sha)
        return PublishResult(commit_sha=sha, changed=True, location=location)

    def _commit(self, repo: Repo, files: dict[str, bytes], message: str) -> str | None:
        """Write files, then commit exactly them on top of HEAD; None when HEAD already has them."""
        head = _head(repo)
        base = _head_tree(repo, head) if head else Tree()
        blobs = {path: Blob.from_string(data) for path, data in files.items()}
        self._write(files)
        changes = [
            (path.encode(), _FILE_MODE, blob.id)
            for path, blob in blobs.items()
            if _blob_id(repo, base, path) != blob.id
        ]
        if not changes:
            return None
        for blob in blobs.values():
            repo.object_store.add_object(blob)
        commit = Commit()
        # By id when it is HEAD's tree: commit_tree_changes edits a Tree object it is given.
        commit.tree = commit_tree_changes(repo.object_store, base.id if head else base, changes)
        commit.parents = [ObjectID(head.encode())] if head else []
        commit.author = commit.committer = self._author
        commit.author_time = commit.commit_time = int(time.time())
        commit.author_timezone = commit.commit_timezone = 0
        commit.message = message.encode() + (b"" if message.endswith("\n") else b"\n")
        repo.object_store.add_object(commit)
        # Compare-and-swap: a concurrent commit makes this fail instead of being overwritten.
        if head:
            moved = not repo.refs.set_if_equals(HEADREF, ObjectID(head.encode()), commit.id)
        else:
            moved = not repo.refs.add_if_new(HEADREF, commit.id)
        if moved:
            raise PublishError(f"{self.describe()}: HEAD moved during the commit; try again")
        # Keep the index in step for these paths only, so `git status` stays clean.
        repo.get_worktree().stage(list(files))
        return commit.id.decode()

    def _write(self, files: dict[str, bytes]) -> None:
        for path, data in files.items():
            target = self._site / path
            if target.is_file() and target.read_bytes() == data:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)


def _head(repo: Repo) -> str | None:
    try:
        return repo.head().decode()
    except KeyError:  # an unborn branch: no commit yet
        return None


def _head_tree(repo: Repo, head: str) -> Tree:
    commit = repo[ObjectID(head.encode())]
    tree = repo[commit.tree] if isinstance(commit, Commit) else None
    if not isinstance(tree, Tree):
        raise PublishError(f"HEAD {head} of {repo.path} is not a commit with a tree")
    return tree


def _blob_id(repo: Repo, tree: Tree, path: str) -> bytes | None:
    try:
        _mode, sha = tree.lookup_path(repo.object_store.__getitem__, path.encode())
    except (KeyError, NotTreeError):
        return None
    return sha
