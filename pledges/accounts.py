"""Signers' accounts: created when a signature is confirmed, holding only addresses their owner proved."""

from __future__ import annotations

import uuid

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from pledges.addresses import canonical_email, mailbox_email
from pledges.models import Signature, SignerAccount

User = get_user_model()


def link_account(email: str):
    """The account for a just-confirmed address, created if needed, with the address verified.

    One account per mailbox: a new spelling of an address the account already holds
    (Jane.Doe@gmail.com after janedoe@gmail.com) joins that account, so the person
    finds every signature in one place and an erasure leaves nothing behind. Only a
    spelling that surely reaches the same mailbox joins (addresses.mailbox_email):
    jane+x@ at a domain nobody knows gets an account of its own, never jane@'s.

    Only an address someone has proved can join an account. Any unproved claim on
    this address (a row another account added by hand, before adding by hand was
    turned off) is dropped: the person who proved the address gets it, never the
    person who typed it first.
    """
    email = email.lower()  # as every address row is stored (create_staff too): matched exactly, never by
    # the database's UPPER(), which makes ſam@ (a long s) into SAM@
    mailbox = mailbox_email(email)
    EmailAddress.objects.filter(email=email, verified=False).delete()
    for _ in range(2):
        try:
            with transaction.atomic():
                return _account_for(email, mailbox)
        except IntegrityError:
            # Links for one mailbox confirmed at once: another made the account, then maybe this spelling.
            continue
    with transaction.atomic():
        return _account_for(email, mailbox)


def _account_for(email: str, mailbox: str):
    owner = SignerAccount.objects.filter(mailbox=mailbox).select_related("user").first()
    proved = EmailAddress.objects.filter(email=email, verified=True).select_related("user").first()
    if owner is not None:
        user = owner.user
    else:
        # A staff account, or one made before accounts were keyed by mailbox, may hold it already.
        user = proved.user if proved is not None else _new_account(email)
        SignerAccount.objects.create(mailbox=mailbox, user=user)
    if proved is None:
        first = not EmailAddress.objects.filter(user=user).exists()
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=first)
    return user


def _new_account(email: str):
    user = User.objects.create_user(username=f"signer-{uuid.uuid4().hex}", email=email)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return user


def signer_mailboxes(user) -> set[str]:
    emails = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    return {mailbox_email(e) for e in emails}


def signatures_of(user) -> QuerySet[Signature]:
    return signatures_from(signer_mailboxes(user)).exclude(
        state__in=[Signature.State.FRAUDULENT, Signature.State.EXPIRED]
    )


def signatures_from(mailboxes: set[str]) -> QuerySet[Signature]:
    """Every signature made from these mailboxes, in any state.

    Found by canonical address (indexed), then kept only where the address reaches one
    of the mailboxes: jane+x@ at an unknown domain is one signer with jane@ for
    counting, but it is not her, and sees nothing of hers.
    """
    candidates = Signature.objects.filter(canonical_email__in={canonical_email(m) for m in mailboxes})
    ids = [pk for pk, email in candidates.values_list("pk", "email") if mailbox_email(email) in mailboxes]
    return Signature.objects.filter(pk__in=ids)
