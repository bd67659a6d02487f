"""Signings per hour by IP network and by email domain, above a threshold."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from pledges.addresses import common_domains
from pledges.models import Signature


def trending(hours: int = 1) -> dict[str, list[dict]]:
    since = timezone.now() - timedelta(hours=hours)
    recent = Signature.objects.filter(created_at__gte=since)
    threshold = settings.TRENDING_THRESHOLD_PER_HOUR * hours
    networks = (
        recent.exclude(network_hash="")
        .values("network_hash")
        .annotate(n=Count("id"))
        .filter(n__gte=threshold)
        .order_by("-n")[:50]
    )
    domains = (
        recent.exclude(email_domain__in=common_domains())
        .values("email_domain")
        .annotate(n=Count("id"))
        .filter(n__gte=threshold)
        .order_by("-n")[:50]
    )
    return {"networks": list(networks), "domains": list(domains), "threshold": threshold}
