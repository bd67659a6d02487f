"""Invalidation by criteria, as a cancellable background job that keeps counts exact."""

from __future__ import annotations

import ipaddress

from django.db.models import QuerySet
from django.utils import timezone

from pausecampaign.client_ip import network_of
from pledges.hashing import hash_value
from pledges.models import Invalidation, Signature


def matching(invalidation: Invalidation) -> QuerySet[Signature]:
    """Signatures the invalidation would catch: pending ones included. No criteria, no match."""
    filters: dict = {}
    if invalidation.pledge_id:
        filters["pledge_id"] = invalidation.pledge_id
    if invalidation.ip_address:
        filters["ip_hash"] = hash_value("ip", str(ipaddress.ip_address(invalidation.ip_address)))
    if invalidation.network:
        address = ipaddress.ip_network(invalidation.network, strict=False).network_address
        filters["network_hash"] = hash_value("network", network_of(str(address)))
    if invalidation.network_hash:
        filters["network_hash"] = invalidation.network_hash
    if invalidation.email_domain:
        filters["email_domain"] = invalidation.email_domain.strip().lower().lstrip("@")
    if invalidation.name_contains:
        filters["name__icontains"] = invalidation.name_contains
    if invalidation.created_from:
        filters["created_at__gte"] = invalidation.created_from
    if invalidation.created_to:
        filters["created_at__lte"] = invalidation.created_to
    if not filters or list(filters) == ["pledge_id"]:
        return Signature.objects.none()
    return Signature.objects.filter(state__in=Signature.MODERATED, **filters)


def run_invalidation(invalidation_id: int, batch_size: int = 500) -> int:
    """Invalidate in batches until done or cancelled; progress is saved after each batch."""
    done = 0
    while True:
        invalidation = Invalidation.objects.select_related("created_by").get(pk=invalidation_id)
        if invalidation.state != Invalidation.State.RUNNING:
            return done
        batch = list(matching(invalidation).order_by("pk")[:batch_size])
        if not batch:
            Invalidation.objects.filter(pk=invalidation_id, state=Invalidation.State.RUNNING).update(
                state=Invalidation.State.DONE, finished_at=timezone.now()
            )
            return done
        reason = f"Invalidation #{invalidation.pk}: {invalidation.summary}"[:200]
        count = sum(s.invalidate(by=invalidation.created_by, reason=reason) for s in batch)
        done += count
        Invalidation.objects.filter(pk=invalidation_id).update(invalidated=invalidation.invalidated + count)
