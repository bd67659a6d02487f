"""The silent fraud verdict: the signer always sees the normal flow; staff see why a signing was held."""

from __future__ import annotations

from django.conf import settings

from pausecampaign.local_cache import local_cached
from pledges.addresses import common_domains, is_disposable
from pledges.models import BlockedDomain
from pledges.ratelimit import hits


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
