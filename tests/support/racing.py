"""Threads racing read-modify-write updates of one store key."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial

from dailydigest.ports import Store
from dailydigest.store.ops import update
from dailydigest.store.s3 import S3Store


def append_item(item: str) -> Callable[[bytes | None], bytes]:
    def change(current: bytes | None) -> bytes:
        items = json.loads(current) if current else []
        return json.dumps(sorted({*items, item})).encode()

    return change


def at_once(calls: Sequence[Callable[[], object]]) -> None:
    """Run each call in its own thread, all released at the same moment; none may raise."""
    start = threading.Barrier(len(calls))
    errors: list[BaseException] = []

    def run(call: Callable[[], object]) -> None:
        start.wait()
        try:
            call()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def race(store: Store, key: str, writers: int) -> None:
    """`writers` threads each adding their own item to one key at the same moment."""
    at_once(
        [
            partial(update, store, key, append_item(f"day-{n:02d}"), attempts=40, sleep=lambda _: None)
            for n in range(writers)
        ]
    )


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
