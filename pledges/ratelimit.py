"""Silent anti-abuse: the signer always sees the normal flow; staff see why it was held."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import time

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache

from pausecampaign.local_cache import local_cached
from pledges.addresses import common_domains, is_disposable
from pledges.models import BlockedDomain

WINDOW_SECONDS = 300


def hash_value(kind: str, value: str) -> str:
    key = hashlib.sha256(f"{settings.SECRET_KEY}:{kind}".encode()).digest()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def network_of(ip: str) -> str:
    address = ipaddress.ip_address(ip)
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def hits(*buckets: str, window_seconds: int = WINDOW_SECONDS) -> list[int]:
    """Count one event in each bucket's current window; return the windows' totals.

    On Redis this is one round trip (INCR and EXPIRE for every bucket in a pipeline):
    it runs on every signing.
    """
    window = int(time.time() // window_seconds)
    keys = [cache.make_and_validate_key(f"rl:{bucket}:{window}") for bucket in buckets]
    try:
        if isinstance(cache, RedisCache):
            pipe = cache._cache.get_client(write=True).pipeline(transaction=False)
            for key in keys:
                pipe.incr(key)
                pipe.expire(key, window_seconds * 2)
            return pipe.execute()[::2]
        totals = []
        for bucket in buckets:
            key = f"rl:{bucket}:{window}"
            cache.add(key, 0, window_seconds * 2)
            totals.append(cache.incr(key))
        return totals
    except Exception:  # noqa: BLE001 - a cache outage must not stop honest signers
        return [0] * len(buckets)


def hit(bucket: str, window_seconds: int = WINDOW_SECONDS) -> int:
    return hits(bucket, window_seconds=window_seconds)[0]


def blocked_domains() -> set[str]:
    return local_cached("blocked-domains", lambda: set(BlockedDomain.objects.values_list("domain", flat=True)))


def fraud_reason(*, ip_hash: str, domain: str, honeypot: bool) -> str:
    """Why this signing should be held as fraudulent, or "" if it looks honest."""
    if honeypot:
        return "honeypot"
    if is_disposable(domain):
        return "disposable domain"
    parts = domain.split(".")
    if any(".".join(parts[i:]) in blocked_domains() for i in range(len(parts))):
        return "blocked domain"
    rated_domain = domain not in common_domains()
    totals = hits(f"ip:{ip_hash}", f"domain:{domain}") if rated_domain else [*hits(f"ip:{ip_hash}"), 0]
    if totals[0] > settings.SIGNING_RATE_PER_IP:
        return "ip rate"
    if totals[1] > settings.SIGNING_RATE_PER_DOMAIN:
        return "domain rate"
    return ""
