"""The suite's safety net (conftest): nothing in a test may reach beyond loopback."""

from __future__ import annotations

import socket

import pytest


@pytest.mark.parametrize("address", [("192.0.2.1", 80), ("10.0.0.1", 443), ("169.254.169.254", 80)])
def test_connecting_off_loopback_fails_before_any_packet(address: tuple[str, int]) -> None:
    with (
        socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock,
        pytest.raises(AssertionError, match="loopback"),
    ):
        sock.connect(address)


def test_resolving_a_public_name_fails_before_any_query() -> None:
    with pytest.raises(AssertionError, match="loopback"):
        socket.getaddrinfo("news.example.org", 443)


def test_loopback_stays_reachable() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.create_connection(server.getsockname(), timeout=5):
            pass
