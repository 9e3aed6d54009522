"""A directory store with the same key layout as the S3 store."""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dailydigest.errors import ConfigError, NotFoundError

_TEMP_PREFIX = ".tmp-"
_LOCK_PREFIX = ".lock-"


class DirectoryStore:
    """Keys are relative paths under root; writes are atomic (temp file + rename).

    A key's version is the SHA-256 of its bytes. `put_if` compares and swaps under an exclusive
    `flock` on a lock file next to the key (`.lock-NAME`), so two processes (or threads) updating
    one key take turns; the lock files are never listed as keys.
    """

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def _path(self, key: str) -> Path:
        # Keys come from our own key layout, but a bad one must never write outside the root.
        if not key or key.startswith("/") or "\\" in key or any(p in ("", ".", "..") for p in key.split("/")):
            raise ConfigError(f"invalid store key: {key!r}")
        return self.root / key

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            raise NotFoundError(f"not in the store: {key}") from None

    def put(self, key: str, data: bytes, content_type: str) -> None:
        path = self._path(key)
        tmp = self._write_temp(path, data)
        os.replace(tmp, path)

    def create(self, key: str, data: bytes, content_type: str) -> bool:
        path = self._path(key)
        tmp = self._write_temp(path, data)
        try:
            # A hard link fails if the target exists: an atomic create-if-absent on POSIX.
            os.link(tmp, path)
        except FileExistsError:
            return False
        finally:
            tmp.unlink(missing_ok=True)
        return True

    def get_versioned(self, key: str) -> tuple[bytes, str] | None:
        try:
            data = self._path(key).read_bytes()
        except FileNotFoundError:
            return None
        return data, _version(data)

    def put_if(self, key: str, data: bytes, content_type: str, version: str | None) -> bool:
        path = self._path(key)
        tmp = self._write_temp(path, data)
        try:
            with _locked(path):
                try:
                    current: bytes | None = path.read_bytes()
                except FileNotFoundError:
                    current = None
                if version is None:
                    if current is not None:
                        return False
                    os.link(tmp, path)  # fails if a plain create() got there meanwhile
                    return True
                if current is None or _version(current) != version:
                    return False
                os.replace(tmp, path)
                return True
        except FileExistsError:
            return False
        finally:
            tmp.unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def list(self, prefix: str) -> list[str]:
        # Walk only the directory the prefix names, not the whole store (archive pages, run records...).
        base = self._path(prefix.rpartition("/")[0]) if "/" in prefix else self.root
        if not base.is_dir():
            return []
        keys = (p.relative_to(self.root).as_posix() for p in base.rglob("*") if p.is_file())
        return sorted(
            k
            for k in keys
            if k.startswith(prefix) and not Path(k).name.startswith((_TEMP_PREFIX, _LOCK_PREFIX))
        )

    def describe(self) -> str:
        return f"directory {self.root}"

    @staticmethod
    def _write_temp(path: Path, data: bytes) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=_TEMP_PREFIX, dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        return Path(name)


def _version(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive advisory lock on `path`'s lock file, held for the block (released on close,
    even if the process dies)."""
    with open(path.with_name(_LOCK_PREFIX + path.name), "a+b") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)
