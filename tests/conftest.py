"""Shared fixtures: repository paths and a clean process-wide service registry."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(autouse=True)
def _no_installed_services() -> Iterator[None]:
    from dailydigest.wiring import install

    install(None)
    yield
    install(None)


@pytest.fixture(autouse=True)
def _no_cloud_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    # Any accidental real AWS call fails fast instead of leaving the machine.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
    monkeypatch.setenv("SAM_CLI_TELEMETRY", "0")
    # Every setting the pipeline reads, so the developer's own environment never leaks into a test.
    from dailydigest.settings import ENV_NAMES

    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)


def _loopback_only(address: object) -> None:
    """Refuse any destination outside 127.0.0.0/8 and ::1 (AF_UNIX paths are local too)."""
    import ipaddress

    if isinstance(address, (str, bytes)):
        return
    host = address[0] if isinstance(address, tuple) else None
    try:
        if host is not None and ipaddress.ip_address(host).is_loopback:
            return
    except ValueError:
        pass
    raise AssertionError(f"test tried to reach {address!r}: tests talk only to loopback")


@pytest.fixture(autouse=True)
def _tests_talk_only_to_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    # A safety net under every test in this process: connecting or resolving a name anywhere but
    # loopback fails the test instead of sending traffic off the machine.
    import socket

    real_connect, real_connect_ex, real_getaddrinfo = (
        socket.socket.connect,
        socket.socket.connect_ex,
        socket.getaddrinfo,
    )

    def connect(self: socket.socket, address: object) -> None:
        _loopback_only(address)
        real_connect(self, address)  # type: ignore[arg-type]

    def connect_ex(self: socket.socket, address: object) -> int:
        _loopback_only(address)
        return real_connect_ex(self, address)  # type: ignore[arg-type]

    def getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
        name = host.decode() if isinstance(host, bytes) else host
        if name not in (None, "localhost", "localhost.localdomain"):
            _loopback_only((name, 0))
        return real_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
