"""Signers' accounts: created when a signature is confirmed, holding only addresses their owner proved."""

from __future__ import annotations

import uuid

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from pledges.addresses import canonical_email
from pledges.models import Signature

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
