"""Where the fetcher may connect: only to globally routable addresses, unless explicitly allowed.

Two parts:

- `address_problem` / `decide`: a pure policy. Given an IP address (and the host:port it was asked
  for), say whether a connection is allowed and, if not, why. No I/O: the whole policy is tested on
  addresses like 169.254.169.254 without ever connecting to them.
- `checked_addresses`: the resolver step. Resolve a host name once, apply the policy to every
  address it resolves to, and return the checked addresses. The caller connects to one of *those*
  addresses (never resolving the name again), so a DNS answer that changes between the check and the
  connection (rebinding) cannot steer the connection to a private address.

`DIGEST_ALLOW_HOSTS` (`host:port` entries, a name or an IP literal) is the only way to reach a
non-public address, e.g. a feed on a private network, or a test server on loopback.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass

from dailydigest.errors import RefusedAddressError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[Sequence[IPAddress]]]

METADATA_ADDRESSES = frozenset(
    {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
)
"""Cloud instance metadata endpoints (AWS IMDS over IPv4 and IPv6)."""

_SHARED_ADDRESS_SPACE = ipaddress.ip_network("100.64.0.0/10")  # RFC 6598, carrier-grade NAT
_NAT64_PREFIXES = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_DOCUMENTATION = (
    ipaddress.ip_network("192.0.2.0/24"),
    ipaddress.ip_network("198.51.100.0/24"),
    ipaddress.ip_network("203.0.113.0/24"),
    ipaddress.ip_network("2001:db8::/32"),
    ipaddress.ip_network("3fff::/20"),
)
_PRIVATE = (
    ipaddress.ip_network("10.0.0.0/8"),
    ipaddress.ip_network("172.16.0.0/12"),
    ipaddress.ip_network("192.168.0.0/16"),
    ipaddress.ip_network("fc00::/7"),
)
_ENTRY = re.compile(r"^(?:\[(?P<v6>[0-9A-Fa-f:.]+)\]|(?P<host>[A-Za-z0-9._-]+)):(?P<port>\d{1,5})$")


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str


def address_problem(ip: IPAddress) -> str | None:
    """Why a connection to ip is refused (None when it is a globally routable unicast address)."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return "ipv4-mapped ipv6 address"
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            problem = address_problem(embedded)
            if problem is not None:
                return f"ipv6 address embedding a refused ipv4 address ({problem})"
        if ip.teredo is not None:
            return "teredo tunnel address"
        if ip.is_site_local:
            return "site-local address"
    if ip in METADATA_ADDRESSES:
        return "cloud metadata address"
    if ip.is_unspecified:
        return "unspecified address"
    if ip.is_loopback:
        return "loopback address"
    if ip.is_link_local:
        return "link-local address"
    if ip.is_multicast:
        return "multicast address"
    if isinstance(ip, ipaddress.IPv4Address) and ip in _SHARED_ADDRESS_SPACE:
        return "shared address space (carrier-grade nat)"
    if any(ip in network for network in _PRIVATE if network.version == ip.version):
        return "private address"
    if any(ip in network for network in _DOCUMENTATION if network.version == ip.version):
        return "documentation address"
    if ip.is_reserved:
        return "reserved address"
    if not ip.is_global:
        return "not a globally routable address"
    return None


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    # 6to4 (2002::/16) and NAT64 (64:ff9b::/96) addresses route to the IPv4 address they carry.
    if ip.sixtofour is not None:
        return ip.sixtofour
    if any(ip in prefix for prefix in _NAT64_PREFIXES):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


@dataclass(frozen=True)
class AllowList:
    """Explicit `host:port` entries that may be reached whatever their address."""

    entries: frozenset[tuple[str, int]] = frozenset()

    @classmethod
    def parse(cls, entries: Iterable[str]) -> AllowList:
        """From `host:port` strings (`feeds.internal:8080`, `10.0.0.5:443`, `[::1]:8080`)."""
        parsed = set()
        for entry in entries:
            match = _ENTRY.fullmatch(entry.strip())
            port = int(match.group("port")) if match else 0
            if match is None or not 0 < port < 65536:
                raise ValueError(f"allow-list entry {entry!r} is not host:port")
            host = match.group("v6") or match.group("host")
            parsed.add((_normal_host(host), port))
        return cls(frozenset(parsed))

    def permits(self, host: str, port: int, ip: IPAddress | None = None) -> bool:
        """Whether the entry for host:port (by name, or by the address it resolved to) is listed."""
        if (_normal_host(host), port) in self.entries:
            return True
        return ip is not None and (ip.compressed, port) in self.entries

    def __bool__(self) -> bool:
        return bool(self.entries)


def _normal_host(host: str) -> str:
    host = host.strip().strip("[]").rstrip(".").lower()
    literal = ip_literal(host)
    return literal.compressed if literal is not None else host


def decide(ip: IPAddress, host: str, port: int, allow: AllowList = AllowList()) -> Decision:
    """The policy for one connection: allow-listed host:port, else globally routable addresses only."""
    if allow.permits(host, port, ip):
        return Decision(True, "allow-listed")
    problem = address_problem(ip)
    if problem is not None:
        return Decision(False, problem)
    return Decision(True, "globally routable")


def ip_literal(host: str) -> IPAddress | None:
    """The address when host is an IP literal (brackets allowed), else None."""
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


async def system_resolver(host: str, port: int) -> list[IPAddress]:
    """The addresses host resolves to (getaddrinfo, off the event loop)."""
    import anyio

    infos = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        # Strip an IPv6 zone ("fe80::1%eth0"): the address itself decides.
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


async def checked_addresses(
    host: str, port: int, allow: AllowList = AllowList(), resolver: Resolver = system_resolver
) -> list[IPAddress]:
    """The addresses to connect to for host:port, all checked; RefusedAddressError otherwise.

    A name with any refused address is refused as a whole (unless allow-listed): a public name that
    also resolves to 10.0.0.1 is either misconfigured or an attack.
    """
    literal = ip_literal(host)
    if literal is not None:
        addresses: Sequence[IPAddress] = [literal]
    else:
        try:
            addresses = await resolver(host, port)
        except OSError as exc:
            raise RefusedAddressError(f"cannot resolve {host}: {exc}") from None
    if not addresses:
        raise RefusedAddressError(f"cannot resolve {host}: no addresses")
    for address in addresses:
        decision = decide(address, host, port, allow)
        if not decision.allowed:
            raise RefusedAddressError(f"refused {host}:{port} at {address}: {decision.reason}")
    return list(addresses)
