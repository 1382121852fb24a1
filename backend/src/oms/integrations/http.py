"""Outbound HTTP for webhooks and warehouse calls: the `HttpSender` port and its adapter,
guarded against server-side request forgery.

The host is resolved once, every address is checked, and the request goes to the checked
address (with the original Host header and TLS server name), so a DNS answer that changes
between check and connect (rebinding) cannot redirect it. Redirects are never followed.
"""

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit, urlunsplit

import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class TargetRefused(Exception):
    """The URL may not be called: wrong scheme, or an internal address not allowed."""


@dataclass(frozen=True)
class HttpResult:
    status_code: int
    body_excerpt: str


def _is_internal(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def address_allowed(address: IPAddress, allowed: list[IPNetwork]) -> bool:
    if any(address in network for network in allowed):
        return True
    return not _is_internal(address)


def parse_networks(cidrs: list[str]) -> list[IPNetwork]:
    return [ipaddress.ip_network(cidr, strict=False) for cidr in cidrs]


async def resolve_checked(host: str, port: int, allowed: list[IPNetwork]) -> list[IPAddress]:
    """The addresses to connect to; refuses if any address the name resolves to is internal."""
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        addresses: list[IPAddress] = [literal]
    else:
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as error:
            raise TargetRefused(f"cannot resolve {host}: {error.strerror}") from error
        addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
        if not addresses:
            raise TargetRefused(f"{host} has no address")
    for address in addresses:
        if not address_allowed(address, allowed):
            raise TargetRefused(
                f"{host} resolves to {address}, an internal address; "
                "list its network in OMS_WEBHOOK_ALLOWED_NETWORKS to allow it"
            )
    return list(dict.fromkeys(addresses))


class HttpSender(Protocol):
    async def post_json(
        self, url: str, body: bytes, headers: dict[str, str], *, timeout_seconds: float
    ) -> HttpResult:
        """POST `body` as JSON; raises `TargetRefused` for a URL that may not be called."""

    async def close(self) -> None: ...


class GuardedHttp:
    """One pooled client for all of a process's actions; internal addresses are refused
    unless their network is in `allowed_cidrs`."""

    def __init__(self, allowed_cidrs: list[str]) -> None:
        self.allowed = parse_networks(allowed_cidrs)
        self.client = httpx.AsyncClient(
            follow_redirects=False,
            trust_env=False,
            limits=httpx.Limits(max_connections=32, max_keepalive_connections=32),
        )

    async def post_json(
        self, url: str, body: bytes, headers: dict[str, str], *, timeout_seconds: float
    ) -> HttpResult:
        return await post_json(
            self.client, url, body, headers, timeout_seconds=timeout_seconds, allowed=self.allowed
        )

    async def close(self) -> None:
        await self.client.aclose()


@dataclass(frozen=True)
class _PinnedUrl:
    """A URL whose host resolved to addresses the guard allows, once per address, so the
    request goes to an address that was checked (no second lookup can swap it)."""

    hostname: str
    host_header: str
    targets: list[str]


async def _pin(url: str, allowed: list[IPNetwork], *, verb: str) -> _PinnedUrl:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TargetRefused(f"only http and https URLs can be {verb}")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    targets = []
    for address in await resolve_checked(parts.hostname, port, allowed):
        host_for_url = f"[{address}]" if address.version == 6 else str(address)
        netloc = f"{host_for_url}:{port}"
        targets.append(urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, "")))
    host_header = parts.hostname if parts.port is None else f"{parts.hostname}:{parts.port}"
    return _PinnedUrl(parts.hostname, host_header, targets)


async def post_json(
    client: httpx.AsyncClient,
    url: str,
    body: bytes,
    headers: dict[str, str],
    *,
    timeout_seconds: float,
    allowed: list[IPNetwork],
) -> HttpResult:
    pinned = await _pin(url, allowed, verb="called")
    for index, target in enumerate(pinned.targets):
        try:
            response = await client.post(
                target,
                content=body,
                headers={**headers, "Host": pinned.host_header, "Content-Type": "application/json"},
                timeout=httpx.Timeout(timeout_seconds),
                follow_redirects=False,
                extensions={"sni_hostname": pinned.hostname},
            )
        except httpx.ConnectError:
            if index == len(pinned.targets) - 1:
                raise
            continue
        return HttpResult(status_code=response.status_code, body_excerpt=response.text[:200])
    raise TargetRefused(f"{pinned.hostname} has no address")


class TooLarge(Exception):
    """The answer is larger than the caller accepts."""


@dataclass(frozen=True)
class FetchedFile:
    content_type: str
    content: bytes


async def fetch_file(
    url: str, *, max_bytes: int, timeout_seconds: float, allowed: list[IPNetwork]
) -> FetchedFile:
    """GET `url` (the same guard as webhooks: checked address, no redirects), reading at
    most `max_bytes`; raises `TargetRefused`, `TooLarge` or `httpx.HTTPError`."""
    pinned = await _pin(url, allowed, verb="fetched")
    async with (
        httpx.AsyncClient(follow_redirects=False, trust_env=False) as client,
        client.stream(
            "GET",
            pinned.targets[0],
            headers={"Host": pinned.host_header},
            timeout=httpx.Timeout(timeout_seconds),
            extensions={"sni_hostname": pinned.hostname},
        ) as response,
    ):
        response.raise_for_status()
        content = bytearray()
        async for chunk in response.aiter_bytes():
            content.extend(chunk)
            if len(content) > max_bytes:
                raise TooLarge(f"more than {max_bytes:,} bytes")
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        return FetchedFile(content_type=content_type, content=bytes(content))
