"""The subject access export and erasure, both driven by the data map (pledges/data_map.py).

OWNERS says how to find one person's rows in each table; the map says which fields
go into the export and how each table is erased. A field added to the map with
export=True is in the next export; a table with an owner is erased with the rest.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from allauth.account.models import EmailAddress, EmailConfirmation
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from pledges.accounts import signatures_from
from pledges.addresses import canonical_email, mailbox_email
from pledges.data_map import MAP, Table
from pledges.hashing import recipient_hash, withdrawn_link
from pledges.models import (
    AuditEntry,
    BoardResolution,
    Email,
    EmailPreference,
    InspectorStatusChange,
    Invitation,
    PledgeCount,
    Signature,
    SignerAccount,
    StepStatus,
    log_action,
)

log = logging.getLogger(__name__)


@dataclass
class Person:
    user: Model
    addresses: list[str]
    canonicals: set[str]
    signature_ids: list[int]
    mailboxes: set[str]

    @classmethod
    def of(cls, user) -> Person:
        addresses = list(EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True))
        mailboxes = {mailbox_email(a) for a in addresses}
        # Rows kept by canonical address alone (step statuses, email choices, resolutions)
        # are this person's only where the canonical form is their own mailbox: jane+x@ at a domain
        # nobody knows counts as one signer with jane@, but it is not jane@ (addresses.mailbox_email).
        canonicals = {canonical_email(a) for a in addresses} & mailboxes
        ids = list(signatures_from(mailboxes).values_list("pk", flat=True))
        # Withdrawn signatures keep only a keyed hash of the mailbox (Signature.reduce).
        withdrawn = Q()
        for mailbox in mailboxes:
            withdrawn |= Q(canonical_email__startswith="removed:", canonical_email__endswith=withdrawn_link(mailbox))
        if mailboxes:
            ids += Signature.objects.filter(withdrawn).exclude(pk__in=ids).values_list("pk", flat=True)
        return cls(user=user, addresses=addresses, canonicals=canonicals, signature_ids=ids, mailboxes=mailboxes)

    @property
    def recipient_hashes(self) -> set[str]:
        return {recipient_hash(m) for m in self.mailboxes}


def user_sessions(person: Person) -> QuerySet[Session]:
    """Sessions that name this person: signed in as them, or part way through signing in as them."""
    keys = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        data = session.get_decoded()
        text = json.dumps(data, default=str).lower()
        if str(data.get("_auth_user_id")) == str(person.user.pk) or any(a.lower() in text for a in person.addresses):
            keys.append(session.session_key)
    return Session.objects.filter(session_key__in=keys)


OWNERS: dict[str, Callable[[Person], QuerySet]] = {
    "signatures": lambda p: Signature.objects.filter(pk__in=p.signature_ids).select_related("pledge", "school"),
    "emails": lambda p: Email.objects.filter(
        Q(signature_id__in=p.signature_ids) | Q(user=p.user) | Q(to_hash__in=p.recipient_hashes)
    ),
    "audit": lambda p: AuditEntry.objects.filter(Q(signature_id__in=p.signature_ids) | Q(actor=p.user)),
    "steps": lambda p: StepStatus.objects.filter(canonical_email__in=p.canonicals).select_related("step"),
    "preferences": lambda p: EmailPreference.objects.filter(canonical_email__in=p.canonicals),
    "invitations": lambda p: Invitation.objects.filter(signature_id__in=p.signature_ids),
    "status_history": lambda p: InspectorStatusChange.objects.filter(signature_id__in=p.signature_ids),
    "resolutions": lambda p: BoardResolution.objects.filter(recorder_canonical__in=p.canonicals),
    "signer_accounts": lambda p: SignerAccount.objects.filter(user=p.user),
    "user": lambda p: get_user_model().objects.filter(pk=p.user.pk),
    "addresses": lambda p: EmailAddress.objects.filter(user=p.user),
    "confirmations": lambda p: EmailConfirmation.objects.filter(email_address__user=p.user),
    "authenticators": lambda p: Authenticator.objects.filter(user=p.user),
    "sessions": user_sessions,
    "admin_log": lambda p: LogEntry.objects.filter(user=p.user),
}

# Erase in this order: rows that point at others first, the account last.
ERASE_ORDER = [
    "pledges.email",
    "pledges.inspectorstatuschange",
    "pledges.boardresolution",
    "pledges.invitation",
    "pledges.auditentry",
    "pledges.stepstatus",
    "pledges.emailpreference",
    "pledges.signature",
    "sessions.session",
    "mfa.authenticator",
    "account.emailconfirmation",
    "account.emailaddress",
    "pledges.signeraccount",
    "admin.logentry",
    "auth.user",
]


def owned_tables() -> list[tuple[str, Table]]:
    return [(label, table) for label, table in MAP.items() if table.owner]


def value(obj: Model, name: str):
    field = obj._meta.get_field(name)
    raw = getattr(obj, name)
    if field.is_relation:
        return str(raw) if raw is not None else None
    if getattr(field, "choices", None) and raw not in (None, ""):
        return str(getattr(obj, f"get_{name}_display")())
    if isinstance(raw, (datetime, date)):
        return raw.isoformat()
    return raw


def export_person(user) -> dict:
    """Everything held about this person, as the data map describes it."""
    person = Person.of(user)
    data: dict = {"exported_at": timezone.now().isoformat(), "about": {}, "tables": {}}
    for label, table in owned_tables():
        exported = [name for name, item in table.fields.items() if item.export]
        rows = OWNERS[table.owner](person)
        data["about"][label] = table.about
        data["tables"][label] = [{name: value(row, name) for name in exported} for row in rows]
    log_action("data export", actor=user, note=f"{len(person.signature_ids)} signatures exported")
    return data


def erase_person(user) -> int:
    """Delete or anonymise every row the data map says is this person's; returns signatures erased."""
    person = Person.of(user)
    with transaction.atomic():
        signatures = list(Signature.objects.select_for_update().filter(pk__in=person.signature_ids))
        for signature in signatures:
            if signature.state == Signature.State.CONFIRMED:
                PledgeCount.objects.adjust(signature.pledge_id, signature.region, -1)
        for label in ERASE_ORDER:
            table = MAP[label]
            rows = OWNERS[table.owner](person)
            if table.erase == "delete":
                rows.delete()
            elif table.erase == "anonymise":
                model = apps.get_model(label)
                rows.update(
                    **{name: blank(model, name) for name, item in table.fields.items() if item.erase == "blank"}
                )
        log_action("erasure", note=f"an account and {len(signatures)} signatures erased")
    return len(signatures)


def blank(model: type[Model], name: str):
    field = model._meta.get_field(name)
    if field.null:
        return None
    return "" if field.get_internal_type() in {"CharField", "TextField"} else field.get_default()
