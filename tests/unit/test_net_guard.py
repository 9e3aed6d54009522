"""The fetcher's address policy, decided without connecting anywhere (no sockets in this file)."""

from __future__ import annotations

import asyncio
import ipaddress
from collections.abc import Sequence
from typing import Any

import httpcore
import pytest

from dailydigest.errors import RefusedAddressError
from dailydigest.web.guard import (
    AllowList,
    IPAddress,
    address_problem,
    checked_addresses,
    decide,
)
from dailydigest.web.http import GuardedBackend


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("10.0.0.1", "private"),
        ("172.16.0.1", "private"),
        ("172.31.255.254", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "cloud metadata"),
        ("169.254.1.1", "link-local"),
        ("fd00:ec2::254", "cloud metadata"),
        ("100.64.0.1", "carrier-grade nat"),
        ("100.127.255.254", "carrier-grade nat"),
        ("224.0.0.1", "multicast"),
        ("239.255.255.250", "multicast"),
        ("0.0.0.0", "unspecified"),  # noqa: S104 - an address under test, not a bind
        ("240.0.0.1", "reserved"),
        ("255.255.255.255", "reserved"),
        ("127.0.0.1", "loopback"),
        ("127.0.0.2", "loopback"),
        ("192.0.2.1", "documentation"),
        ("198.18.0.1", "not a globally routable"),
        ("::1", "loopback"),
        ("::", "unspecified"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("fd12:3456::1", "private"),
        ("fec0::1", "site-local"),
        ("ff02::1", "multicast"),
        ("::ffff:127.0.0.1", "ipv4-mapped"),
        ("::ffff:10.0.0.1", "ipv4-mapped"),
        ("::ffff:8.8.8.8", "ipv4-mapped"),
        ("2001:db8::1", "documentation"),
        ("2002:a00:1::1", "embedding a refused ipv4"),  # 6to4 of 10.0.0.1
        ("64:ff9b::a9fe:a9fe", "embedding a refused ipv4"),  # NAT64 of 169.254.169.254
        ("2001::1", "teredo"),
    ],
)
def test_non_public_addresses_are_refused(address: str, reason: str) -> None:
    ip = ipaddress.ip_address(address)
    decision = decide(ip, "news.example", 443)
    assert not decision.allowed
    assert reason in decision.reason
    assert address_problem(ip) == decision.reason


@pytest.mark.parametrize(
    "address",
    [
        "8.8.8.8",
        "1.1.1.1",
        "93.184.215.14",
        "203.0.114.1",
        "2606:4700:4700::1111",
        "2a00:1450:4001:82b::200e",
    ],
)
def test_public_addresses_are_allowed(address: str) -> None:
    decision = decide(ipaddress.ip_address(address), "news.example", 443)
    assert decision.allowed
    assert address_problem(ipaddress.ip_address(address)) is None


def test_the_allow_list_opens_exactly_its_host_and_port() -> None:
    allow = AllowList.parse(["feeds.internal:8080", "10.0.0.5:443", "[::1]:9000"])
    private = ipaddress.ip_address("10.0.0.7")

    # By name: whatever the name resolves to, on that port only
    assert decide(private, "feeds.internal", 8080, allow).allowed
    assert decide(private, "FEEDS.internal.", 8080, allow).allowed
    assert not decide(private, "feeds.internal", 8081, allow).allowed
    # By address
    assert decide(ipaddress.ip_address("10.0.0.5"), "anything.example", 443, allow).allowed
    assert not decide(ipaddress.ip_address("10.0.0.5"), "anything.example", 80, allow).allowed
    assert decide(ipaddress.ip_address("::1"), "::1", 9000, allow).allowed
    # Other private addresses stay refused
    assert not decide(private, "other.internal", 8080, allow).allowed


@pytest.mark.parametrize(
    "entry", ["feeds.internal", "feeds.internal:0", "feeds.internal:70000", "::1:80", ":80", "a b:1"]
)
def test_allow_list_entries_must_be_host_and_port(entry: str) -> None:
    with pytest.raises(ValueError, match="host:port"):
        AllowList.parse([entry])


def _resolver(table: dict[str, list[str]]) -> Any:
    calls: list[str] = []

    async def resolve(host: str, port: int) -> Sequence[IPAddress]:
        calls.append(host)
        if host not in table:
            raise OSError("name or service not known")
        return [ipaddress.ip_address(a) for a in table[host]]

    resolve.calls = calls  # type: ignore[attr-defined]
    return resolve


def test_a_name_resolving_to_the_metadata_address_is_refused() -> None:
    resolver = _resolver({"metadata.example": ["169.254.169.254"]})
    with pytest.raises(RefusedAddressError, match="cloud metadata"):
        asyncio.run(checked_addresses("metadata.example", 80, AllowList(), resolver))


def test_a_name_with_one_private_answer_among_public_ones_is_refused() -> None:
    resolver = _resolver({"mixed.example": ["93.184.215.14", "10.0.0.1"]})
    with pytest.raises(RefusedAddressError, match="private"):
        asyncio.run(checked_addresses("mixed.example", 443, AllowList(), resolver))


def test_public_answers_are_returned_checked() -> None:
    resolver = _resolver({"news.example": ["93.184.215.14", "2606:4700:4700::1111"]})
    addresses = asyncio.run(checked_addresses("news.example", 443, AllowList(), resolver))
    assert [a.compressed for a in addresses] == ["93.184.215.14", "2606:4700:4700::1111"]


def test_ip_literals_are_not_resolved() -> None:
    resolver = _resolver({})
    with pytest.raises(RefusedAddressError, match="private"):
        asyncio.run(checked_addresses("192.168.1.1", 80, AllowList(), resolver))
    assert resolver.calls == []


def test_an_unresolvable_name_is_refused() -> None:
    with pytest.raises(RefusedAddressError, match="cannot resolve"):
        asyncio.run(checked_addresses("nowhere.example", 80, AllowList(), _resolver({})))


class RecordingBackend(httpcore.AsyncNetworkBackend):
    """Records what it is asked to dial and never opens a socket."""

    def __init__(self) -> None:
        self.dialled: list[tuple[str, int]] = []

    async def connect_tcp(
        self, host: str, port: int, *args: Any, **kwargs: Any
    ) -> httpcore.AsyncNetworkStream:
        self.dialled.append((host, port))
        raise httpcore.ConnectError("recording backend: not connecting")


def test_the_guard_dials_the_checked_address_never_the_name() -> None:
    inner = RecordingBackend()
    guard = GuardedBackend(AllowList(), _resolver({"news.example": ["93.184.215.14"]}), inner)

    with pytest.raises(httpcore.ConnectError):
        asyncio.run(guard.connect_tcp("news.example", 443, timeout=1))

    assert inner.dialled == [("93.184.215.14", 443)]


@pytest.mark.parametrize(
    ("host", "table"),
    [
        ("169.254.169.254", {}),
        ("metadata.example", {"metadata.example": ["169.254.169.254"]}),
        ("rebind.example", {"rebind.example": ["127.0.0.1"]}),
        ("::ffff:10.0.0.1", {}),
    ],
)
def test_the_guard_never_dials_a_refused_address(host: str, table: dict[str, list[str]]) -> None:
    inner = RecordingBackend()
    guard = GuardedBackend(AllowList(), _resolver(table), inner)

    with pytest.raises(RefusedAddressError):
        asyncio.run(guard.connect_tcp(host, 80, timeout=1))

    assert inner.dialled == []
