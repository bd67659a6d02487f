"""Workflows that touch several models. Each raises SigningError with a message fit to show."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from pausecampaign import jobs
from pausecampaign.client_ip import network_of
from pledges import emails, ledger
from pledges.abuse import fraud_reason
from pledges.accounts import link_account
from pledges.addresses import canonical_email, domain_of, is_at_domain, mailbox_email, shared_parents
from pledges.aggregates import UNION_REPORT_KEY
from pledges.counting import actual_counts
from pledges.hashing import hash_value
from pledges.models import InspectorStatusChange, Pledge, PledgeCount, School, Signature, log_action

log = logging.getLogger(__name__)

CONSENT_VERSION = "2026-11"


class SigningError(Exception):
    pass


GONE = "This link is no longer valid. The signature may have been withdrawn or erased."


@dataclass
class Signer:
    name: str
    email: str
    role: str
    region: str
    school: School | None = None
    union: str = ""
    union_consent: bool = False
    inspector_status: str = ""
    appearance: str = Signature.Appearance.COUNTED
    name_after: int | None = None
    stand_down_after: int | None = None
    source: str = ""
    constituency: str = ""


def sign_pledges(
    signer: Signer, pledges: list[Pledge], *, ip: str, honeypot: bool = False, verified: bool = False
) -> list[Signature]:
    """Record a signing of one or more pledges and queue what must be emailed.

    `verified` means the signer is signed in with this address: nothing to prove by email.

    The caller always shows the same "check your email" page: whether these are
    new signatures, repeats or held as fraudulent is never revealed to the sender.
    """
    closed = [p.title for p in pledges if not p.accepts_signatures()]
    if closed:
        raise SigningError(f"“{closed[0]}” is not taking signatures at the moment.")
    ip_hash = hash_value("ip", ip)
    domain = domain_of(signer.email)
    fraud = fraud_reason(ip_hash=ip_hash, domain=domain, honeypot=honeypot)
    fields = {
        "name": signer.name,
        "email": signer.email,
        "canonical_email": canonical_email(signer.email),
        "email_domain": domain,
        "role": signer.role,
        "school": signer.school,
        "local_authority": signer.school.la_name if signer.school else "",
        "region": signer.school.region if signer.school and signer.school.region else signer.region,
        "union": signer.union if signer.union_consent else "",
        "union_consent": signer.union_consent,
        "appearance": signer.appearance,
        "name_after": signer.name_after if signer.appearance != Signature.Appearance.COUNTED else None,
        "consent_version": CONSENT_VERSION,
        "source": signer.source,
        "constituency": signer.constituency[:120],
        "ip_hash": ip_hash,
        "network_hash": hash_value("network", network_of(ip)),
        "state": Signature.State.FRAUDULENT if fraud else Signature.State.PENDING,
        "fraud_reason": fraud,
    }
    state = fields["state"]
    # The first new signature counts its confirmation email as it is inserted, within the cap.
    cap = settings.MAX_EMAILS_BEFORE_CONFIRMATION if state == Signature.State.PENDING and not verified else None
    now = timezone.now()
    rows = []
    for pledge in pledges:
        status = signer.inspector_status if pledge.asks_inspector_status else ""
        after = signer.stand_down_after if status == Signature.InspectorStatus.CONDITIONAL else None
        rows.append(
            Signature(
                pledge=pledge,
                version=pledge.current_version(),
                inspector_status=status,
                stand_down_after=after,
                created_at=now,
                **fields,
            )
        )
    # One transaction: a signature is never stored without its confirmation email.
    with transaction.atomic():
        created = Signature.objects.insert_unsigned(rows, cap_first=cap)
        new_pledges = {s.pledge_id for s in created}
        again: list[Signature] = []
        waiting: list[Signature] = []  # repeats still waiting for their link: one email for all of them
        counted_already: list[Signature] = []  # repeats of confirmed ones: one "already signed" for all
        for pledge in pledges:
            if pledge.pk not in new_pledges:
                # The unique constraint, not a lookup, decided that this is a repeat.
                repeat = answer_repeat(
                    pledge,
                    fields["canonical_email"],
                    mailbox=mailbox_email(signer.email),
                    verified=verified,
                    waiting=waiting,
                    confirmed=counted_already,
                )
                if repeat is not None:
                    again.append(repeat)
        if counted_already:
            emails.send_already_signed(counted_already)
        fresh = [s for s in created if s.state == Signature.State.PENDING] + again
        # The cap was applied as the first row went in only if the first row went in (not a repeat).
        counted = cap is not None and bool(created) and created[0] is rows[0]
        if fresh and verified:
            confirm_signatures([s.pk for s in fresh])
        elif fresh and counted:
            if created[0].emails_sent:
                emails.send_confirmation(fresh + waiting, counted=True)
        elif fresh:
            emails.send_confirmation(fresh + waiting)
        elif waiting:
            emails.send_confirmation(waiting, repeat=True)
    if fraud:
        log.info("held %d signature(s) as fraudulent: %s", len(created), fraud)
    return created


def answer_repeat(
    pledge: Pledge,
    canonical: str,
    *,
    mailbox: str,
    verified: bool = False,
    waiting: list[Signature] | None = None,
    confirmed: list[Signature] | None = None,
) -> Signature | None:
    """Someone signed again with an address that has signed: tell that inbox, nobody else.

    Returns the signature when it is to be confirmed with this signing's new ones: a
    withdrawn or expired one starting a new round, or, for a signer already signed in
    with this address, one still waiting for its link. One still waiting for its link
    otherwise goes on `waiting`, for the caller to send one link for all of them (or,
    without `waiting`, gets its own). A confirmed one goes on `confirmed`, for the caller
    to send one "already signed" email for all of them (or, without it, gets its own).

    All of that only for a signature from this signing's own mailbox. jane+x@ at a domain
    nobody knows is one signer with jane@ for counting, but maybe another person: a row
    of hers is answered at her own address, on its own, and only her own click confirms it.
    """
    existing = Signature.objects.get(pledge=pledge, canonical_email=canonical)
    if mailbox_email(existing.email) != mailbox:
        answer_elsewhere(existing)
        return None
    if existing.state == Signature.State.PENDING:
        if verified:
            return existing
        if waiting is not None:
            waiting.append(existing)
        else:
            emails.send_confirmation([existing], repeat=True)
    elif existing.state == Signature.State.CONFIRMED:
        if verified:
            pass  # signed in with this address: the page says so, no email
        elif confirmed is not None:
            confirmed.append(existing)
        else:
            emails.send_already_signed([existing])
    elif existing.state in {Signature.State.WITHDRAWN, Signature.State.EXPIRED} and existing.reopen():
        return existing
    # Rejected and fraudulent signatures get nothing: silence is the point.
    return None


def answer_elsewhere(existing: Signature) -> None:
    """A signing again that reached another mailbox's signature: tell that mailbox alone."""
    if existing.state == Signature.State.PENDING:
        emails.send_confirmation([existing], repeat=True)
    elif existing.state == Signature.State.CONFIRMED:
        emails.send_already_signed([existing])
    elif existing.state == Signature.State.EXPIRED and existing.reopen():
        emails.send_confirmation([existing])


def confirm_signatures(ids: list[int], signatures: list[Signature] | None = None) -> list[Signature]:
    """Confirm the pending signatures behind a link; return every signature it names.

    Each returned signature's `just_confirmed` says whether this call confirmed it, so a
    second press of the button (or a race lost to another) reads "already confirmed".
    `signatures` are the rows for `ids` if the caller has read them already (with their pledges).
    """
    if signatures is None:
        signatures = Signature.objects.behind_link(ids)
    if not signatures:
        raise SigningError(GONE)
    for signature in signatures:
        signature.just_confirmed = signature.confirm()
        if signature.just_confirmed:
            check_threshold(signature.pledge)
            after_inspector_change(signature)
            note_school_address(signature)
    # Confirming proves the address: it becomes a verified account the signer can log in to by code.
    # After commit, by the worker (in-process without one): off the confirmation's own path, and
    # gathered with others confirmed at the same moment. A nudge lost to a broker outage or to a
    # process that stopped is made good by the sweep (link_missing_accounts).
    for email in {s.email for s in signatures if s.state == Signature.State.CONFIRMED and s.just_confirmed}:
        transaction.on_commit(lambda email=email: queue_account(email))
    return signatures


# Under a surge, one message per process every tenth of a second links every address confirmed in it.
accounts_to_link = jobs.Gathered("pledges.tasks.link_accounts")


def queue_account(email: str) -> None:
    accounts_to_link.add(email)


def link_missing_accounts(batch: int = 500) -> int:
    """Every confirmed address has its account: the backstop for a lost nudge."""
    proved = EmailAddress.objects.filter(verified=True).values("email")
    missing = (
        Signature.objects.counted()
        .annotate(address=Lower("email"))
        .exclude(address__in=proved)
        .values_list("address", flat=True)
        .distinct()[:batch]
    )
    emails = list(missing)
    for email in emails:
        link_account(email)
    return len(emails)


def note_school_address(signature: Signature) -> bool:
    """Confirmed from an address at the school's own domain, or its trust's: counted as a verified school address."""
    if signature.school_id is None:
        return False  # no school, nothing to read (the rows come with their school when they have one)
    school = signature.school
    if not school.website_domain:
        return False
    domains = {school.website_domain}
    if school.trust_name:
        in_trust = School.objects.filter(trust_name=school.trust_name).exclude(website_domain="")
        domains |= shared_parents(list(in_trust.values_list("website_domain", flat=True)))
    if not any(is_at_domain(signature.email_domain, domain) for domain in domains):
        return False
    Signature.objects.filter(pk=signature.pk).update(verified_school_address=True)
    signature.verified_school_address = True
    return True


def after_inspector_change(signature: Signature) -> None:
    """An inspector who stood down may complete others' commitments in their region: check once it commits.

    After commit, so two confirmations at once are both visible to at least one of the checks.
    """
    if not signature.pledge.asks_inspector_status:
        return
    # A conditional signer's own commitment may be met already, by those who stood down before them.
    counts = (*Signature.STOOD_DOWN, Signature.InspectorStatus.CONDITIONAL)
    if signature.inspector_status in counts and signature.ofsted_region:
        region = signature.ofsted_region
        transaction.on_commit(lambda: jobs.enqueue("pledges.tasks.activate_commitments", region))
    transaction.on_commit(ledger.forget)


def change_inspector_status(signature: Signature, status: str, *, on, by, stand_down_after: int | None = None) -> bool:
    """The signer says what they have done now (unavailable, resigned, returned, or conditional), dated."""
    if status not in Signature.InspectorStatus.values:
        raise SigningError("Select what you have done from the list")
    if on > timezone.localdate():
        raise SigningError("The date must be today or in the past")
    if not signature.pledge.asks_inspector_status or signature.state not in Signature.MODERATED:
        raise SigningError("This signature does not record what you have done as an inspector")
    conditional = status == Signature.InspectorStatus.CONDITIONAL
    if conditional and stand_down_after not in Signature.STAND_DOWN_AFTER:
        raise SigningError("Select how many others in your region must stand down first")
    if conditional and not signature.ofsted_region:
        raise SigningError(
            "A commitment that waits for others needs your region in England: correct it in your details"
        )
    # A history reads in order: no change dates from before the signature, or before the last change.
    earliest = timezone.localtime(signature.confirmed_at or signature.created_at).date()
    last = signature.status_changes.order_by("-recorded_at").values_list("on", flat=True).first()
    earliest = max(earliest, last) if last else earliest
    if on < earliest:
        raise SigningError(f"The date must be on or after {earliest:%-d %B %Y}, when you last told us")
    after = stand_down_after if conditional else None
    if status == signature.inspector_status and after == signature.stand_down_after:
        return False
    with transaction.atomic():
        # A new conditional commitment waits afresh; any other status ends the commitment.
        moved = Signature.objects.filter(pk=signature.pk, inspector_status=signature.inspector_status).update(
            inspector_status=status, stand_down_after=after, commitment_active_at=None
        )
        if not moved:
            raise SigningError("Your status changed in another window: reload the page and try again")
        InspectorStatusChange.objects.create(
            signature=signature, status=status, previous=signature.inspector_status, on=on
        )
        log_action("change inspector status", actor=by, signature=signature, note=f"{status} from {on}")
        signature.inspector_status, signature.stand_down_after, signature.commitment_active_at = status, after, None
        after_inspector_change(signature)
    return True


def check_threshold(pledge: Pledge) -> None:
    if pledge.threshold is None or pledge.threshold_reached_at is not None:
        return
    if sum(actual_counts(pledge).values()) >= pledge.threshold and pledge.reach_threshold():
        transaction.on_commit(lambda: jobs.enqueue("pledges.tasks.notify_threshold", pledge.pk))


def notify_threshold_reached(pledge: Pledge, batch: int = 500) -> int:
    """Queue the "it is happening" email to every confirmed signer; each gets it once (unique key)."""
    queued = 0
    signatures = Signature.objects.counted().filter(pledge=pledge).order_by("pk")
    for signature in signatures.iterator(chunk_size=batch):
        with transaction.atomic():
            queued += emails.send_threshold_reached(signature, pledge)
    return queued


def resend_confirmation(ids: list[int]) -> None:
    """A new link for an expired one, within the email cap; an expired signature starts a new round."""
    with transaction.atomic():
        signatures = list(Signature.objects.filter(pk__in=ids).order_by("pk"))
        for signature in signatures:
            if signature.state == Signature.State.EXPIRED:
                signature.reopen()
        pending = [s for s in signatures if s.state == Signature.State.PENDING]
        if pending:
            emails.send_confirmation(pending, repeat=True)


def remind_unconfirmed(now=None) -> int:
    now = now or timezone.now()
    sent = 0
    for number, after in enumerate(settings.UNCONFIRMED_REMINDER_AFTER, start=1):
        due = Signature.objects.pending().filter(reminders_sent=number - 1, created_at__lt=now - after)
        for signature in due.order_by("pk")[:1000]:
            with transaction.atomic():
                if Signature.objects.filter(pk=signature.pk, reminders_sent=number - 1).update(reminders_sent=number):
                    sent += emails.send_unconfirmed_reminder(signature, number)
    return sent


def expire_and_purge(now=None) -> tuple[int, int]:
    now = now or timezone.now()
    expired = 0
    for signature in Signature.objects.pending().filter(created_at__lt=now - settings.UNCONFIRMED_EXPIRES_AFTER):
        expired += signature.expire()
    purged, _ = Signature.objects.filter(
        state=Signature.State.EXPIRED, created_at__lt=now - settings.EXPIRED_PURGED_AFTER
    ).delete()
    return expired, purged


# A signer's own changes, from My pledges. Each is audited; the audit rows are for staff only.


def withdraw_union_consent(signatures: list[Signature], *, by) -> int:
    """The union goes at once, from every signature of this person."""
    changed = 0
    with transaction.atomic():
        for signature in signatures:
            if signature.union or signature.union_consent:
                Signature.objects.filter(pk=signature.pk).update(union="", union_consent=False)
                log_action("withdraw union consent", actor=by, signature=signature)
                changed += 1
    # "Deleted at once" includes the public report's one-minute cache.
    cache.delete(UNION_REPORT_KEY)
    return changed


def correct_details(signatures: list[Signature], *, by, name: str, role: str, school, region: str) -> list[str]:
    """Correct a signer's name, role, school and region on each current signature; returns what changed.

    A new name goes back to staff before the wall shows it; a new region moves the count.
    """
    new = {
        "name": name,
        "role": role,
        "school": school,
        "local_authority": school.la_name if school else "",
        "region": school.region if school and school.region else region,
    }
    for signature in signatures:
        if role and signature.pledge.roles and role not in signature.pledge.roles:
            raise SigningError(f"“{signature.pledge.title}” is not for that role. Withdraw from it first.")
    changed: set[str] = set()
    with transaction.atomic():
        for signature in Signature.objects.select_for_update().filter(pk__in=[s.pk for s in signatures]):
            fields = {k: v for k, v in new.items() if getattr(signature, k) != v}
            if not fields:
                continue
            if "name" in fields and signature.wall == Signature.Wall.APPROVED:
                fields["wall"] = Signature.Wall.AWAITING
            if "region" in fields and signature.state == Signature.State.CONFIRMED:
                PledgeCount.objects.adjust(signature.pledge_id, signature.region, -1)
                PledgeCount.objects.adjust(signature.pledge_id, fields["region"], +1)
            Signature.objects.filter(pk=signature.pk).update(**fields)
            changed |= set(fields) - {"wall", "local_authority"}
            log_action("correct details", actor=by, signature=signature, note=", ".join(sorted(fields)))
    return sorted(changed)
