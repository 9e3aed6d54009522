"""Threads racing read-modify-write updates of one store key."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from dailydigest.ports import Store
from dailydigest.store.ops import update
from dailydigest.store.s3 import S3Store


def append_item(item: str) -> Callable[[bytes | None], bytes]:
    def change(current: bytes | None) -> bytes:
        items = json.loads(current) if current else []
        return json.dumps(sorted({*items, item})).encode()

    return change


def race(store: Store, key: str, writers: int) -> None:
    """`writers` threads each adding their own item to one key at the same moment."""
    start = threading.Barrier(writers)
    errors: list[BaseException] = []

    def writer(number: int) -> None:
        start.wait()
        try:
            update(store, key, append_item(f"day-{number:02d}"), attempts=40, sleep=lambda _: None)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


class AtomicRequests:
    """A boto3 client whose requests moto serves one at a time.

    S3 serves each request atomically; moto does not when two threads write one key at once (it
    closes the replaced object's buffer under the other request). Requests still interleave
    freely between each other, which is what the races exercise."""

    def __init__(self, client: object) -> None:
        self._client = client
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> object:
        attribute = getattr(self._client, name)
        if name == "exceptions" or not callable(attribute):
            return attribute

        def call(*args: object, **kwargs: object) -> object:
            with self._lock:
                return attribute(*args, **kwargs)

        return call


@contextmanager
def racing_s3_store(bucket: str = "digest-bucket") -> Iterator[S3Store]:
    """An S3 store on a moto bucket whose client serves one request at a time (AtomicRequests)."""
    import boto3
    from moto import mock_aws

    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=bucket)
        yield S3Store(bucket, "", AtomicRequests(client))  # type: ignore[arg-type]
