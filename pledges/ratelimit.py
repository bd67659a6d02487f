"""Silent anti-abuse: the signer always sees the normal flow; staff see why it was held."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import time

from django.conf import settings
from django.core.cache import cache

from pledges.addresses import COMMON_DOMAINS, is_disposable
from pledges.models import BlockedDomain

WINDOW_SECONDS = 300


def hash_value(kind: str, value: str) -> str:
    key = hashlib.sha256(f"{settings.SECRET_KEY}:{kind}".encode()).digest()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def network_of(ip: str) -> str:
    address = ipaddress.ip_address(ip)
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def hit(bucket: str) -> int:
    """Count one event in the current window and return the window's total."""
    window = int(time.time() // WINDOW_SECONDS)
    key = f"rl:{bucket}:{window}"
    try:
        cache.add(key, 0, WINDOW_SECONDS * 2)
        return cache.incr(key)
    except Exception:  # noqa: BLE001 - a cache outage must not stop honest signers
        return 0


def blocked_domains() -> set[str]:
    domains = cache.get("blocked-domains")
    if domains is None:
        domains = set(BlockedDomain.objects.values_list("domain", flat=True))
        cache.set("blocked-domains", domains, 60)
    return domains


def fraud_reason(*, ip_hash: str, domain: str, honeypot: bool) -> str:
    """Why this signing should be held as fraudulent, or "" if it looks honest."""
    if honeypot:
        return "honeypot"
    if is_disposable(domain):
        return "disposable domain"
    if domain in blocked_domains():
        return "blocked domain"
    if hit(f"ip:{ip_hash}") > settings.SIGNING_RATE_PER_IP:
        return "ip rate"
    if domain not in COMMON_DOMAINS and hit(f"domain:{domain}") > settings.SIGNING_RATE_PER_DOMAIN:
        return "domain rate"
    return ""
