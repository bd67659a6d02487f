"""Signers' accounts: created on confirmation, and the subject access export and erasure."""

from __future__ import annotations

import uuid

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from pledges.addresses import canonical_email
from pledges.counting import adjust_count
from pledges.models import Email, EmailPreference, Signature, StepStatus, log_action

User = get_user_model()


def link_account(email: str):
    """The account for a just-confirmed address, created if needed, with the address verified.

    Only an address someone has proved can join an account. Any unproved claim on
    this address (a row another account added by hand, before adding by hand was
    turned off) is dropped: the person who proved the address gets it, never the
    person who typed it first.
    """
    email = email.lower()
    with transaction.atomic():
        EmailAddress.objects.filter(email__iexact=email, verified=False).delete()
        address = EmailAddress.objects.filter(email__iexact=email, verified=True).select_related("user").first()
    if address is not None:
        return address.user
    try:
        with transaction.atomic():
            user = User.objects.create_user(username=f"signer-{uuid.uuid4().hex}", email=email)
            user.set_unusable_password()
            user.save(update_fields=["password"])
            address = EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    except IntegrityError:
        # Two links for one address confirmed at once: the other request made the account.
        address = EmailAddress.objects.select_related("user").get(email__iexact=email, verified=True)
    return address.user


def signer_canonicals(user) -> set[str]:
    emails = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    return {canonical_email(e) for e in emails}


def signatures_of(user) -> QuerySet[Signature]:
    return Signature.objects.filter(canonical_email__in=signer_canonicals(user)).exclude(
        state__in=[Signature.State.FRAUDULENT, Signature.State.EXPIRED]
    )


def export_data(user) -> dict:
    """Everything stored about this person, as a subject access export."""
    canonicals = signer_canonicals(user)
    signatures = Signature.objects.filter(canonical_email__in=canonicals).select_related("pledge", "school")
    addresses = list(EmailAddress.objects.filter(user=user).values("email", "verified", "primary"))
    data = {
        "exported_at": timezone.now().isoformat(),
        "account": {"email_addresses": addresses, "joined": user.date_joined.isoformat()},
        "signatures": [
            {
                "pledge": s.pledge.title,
                "name": s.name,
                "email": s.email,
                "role": s.get_role_display(),
                "school": str(s.school) if s.school else None,
                "school_urn": s.school_id,
                "local_authority": s.local_authority,
                "region": s.get_region_display(),
                "union": s.get_union_display() if s.union else None,
                "union_consent": s.union_consent,
                "inspector_status": s.get_inspector_status_display() if s.inspector_status else None,
                "appearance": s.get_appearance_display(),
                "consent_version": s.consent_version,
                "state": s.get_state_display(),
                "created_at": s.created_at.isoformat(),
                "confirmed_at": s.confirmed_at.isoformat() if s.confirmed_at else None,
                "withdrawn_at": s.withdrawn_at.isoformat() if s.withdrawn_at else None,
                "withdraw_reason": s.withdraw_reason,
                "ip_address_hash": s.ip_hash,
            }
            for s in signatures
        ],
        "actions": [
            {"step": status.step.title, "reminded_at": stamp(status.reminded_at), "done_at": stamp(status.done_at)}
            for status in StepStatus.objects.filter(canonical_email__in=canonicals).select_related("step")
        ],
        "email_preferences": list(
            EmailPreference.objects.filter(canonical_email__in=canonicals).values("reminders", "updates")
        ),
        "emails_sent": [
            {"subject": e.subject, "created_at": e.created_at.isoformat(), "state": e.state}
            for e in Email.objects.filter(signature__in=signatures).order_by("created_at")
        ],
    }
    log_action("data export", actor=user, note=f"{len(data['signatures'])} signatures exported")
    return data


def stamp(value) -> str | None:
    return value.isoformat() if value else None


def erase_signer(user) -> int:
    """Delete the account, every signature of its addresses and any email still waiting."""
    canonicals = signer_canonicals(user)
    addresses = list(EmailAddress.objects.filter(user=user).values_list("email", flat=True))
    with transaction.atomic():
        signatures = list(Signature.objects.select_for_update().filter(canonical_email__in=canonicals))
        for signature in signatures:
            if signature.state == Signature.State.CONFIRMED:
                adjust_count(signature.pledge_id, signature.region, -1)
        Email.objects.filter(to__in=addresses).delete()
        StepStatus.objects.filter(canonical_email__in=canonicals).delete()
        EmailPreference.objects.filter(canonical_email__in=canonicals).delete()
        Signature.objects.filter(pk__in=[s.pk for s in signatures]).delete()
        user.delete()
        log_action("erasure", note=f"an account and {len(signatures)} signatures erased")
    return len(signatures)
