"""The real client address, believing X-Forwarded-For only from proxies the operator names.

TRUSTED_PROXIES lists the addresses or networks of the reverse proxies in front of
the site. A request whose socket peer is not one of them is answered with the peer's
own address, whatever headers it sent. Behind trusted proxies, X-Forwarded-For is
read from the right, skipping each trusted hop; the first address that is not a
trusted proxy is the client. Anything further left is whatever the client claimed.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

UNKNOWN = "0.0.0.0"  # noqa: S104 - an address, not a bind


@lru_cache(maxsize=8)
def trusted_networks(proxies: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def parse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.9:443"
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    return address.ipv4_mapped or address if isinstance(address, ipaddress.IPv6Address) else address


def is_trusted(address) -> bool:
    return any(address in network for network in trusted_networks(tuple(settings.TRUSTED_PROXIES)))


def client_ip(request: HttpRequest) -> str:
    peer = parse(request.META.get("REMOTE_ADDR", "") or "")
    if peer is None:
        return UNKNOWN
    if not is_trusted(peer):
        return str(peer)
    hops = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for hop in reversed(hops):
        address = parse(hop)
        if address is None:
            # A trusted proxy would never write this: what is left of it is the client's own claim.
            break
        if not is_trusted(address):
            return str(address)
        peer = address
    return str(peer)


def from_trusted_proxy(request: HttpRequest) -> bool:
    peer = parse(request.META.get("REMOTE_ADDR", "") or "")
    return peer is not None and is_trusted(peer)


def network_of(ip: str) -> str:
    """The /24 (IPv4) or /48 (IPv6) around an address: one household's or one office's range."""
    address = ipaddress.ip_address(ip)
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))
