"""Signatures: their states and transitions, and the sharded counts they move."""

from __future__ import annotations

import random

from django.conf import settings
from django.db import connection, models, router, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pledges.hashing import recipient_hash, withdrawn_link
from pledges.models.inserts import insert_skipping_conflicts, mark_stored
from pledges.models.moderation import AuditEntry, log_action
from pledges.models.outbox import Email
from pledges.models.pledges import OfstedRegion, Pledge, PledgeVersion, Region, Role, School, Union
from pledges.models.statements import select_by_pk, update_row_if


class SignatureQuerySet(models.QuerySet):
    def insert_unsigned(self, signatures: list[Signature], *, cap_first: int | None = None) -> list[Signature]:
        """Insert in one statement each signature whose address has not signed its pledge; return those.

        The unique constraint decides a repeat (ON CONFLICT DO NOTHING: no error, no savepoint).
        With `cap_first`, the first signature counts the confirmation email about to be queued,
        in the same statement, but only while the address's unconfirmed emails, across all its
        signatures, number fewer than the cap: its emails_sent comes back 1 if the email may go.
        """
        if not signatures:
            return []
        first_row_sql = None
        if cap_first is not None:
            prior = (
                'SELECT CASE WHEN COALESCE(SUM("emails_sent"), 0) < %s THEN 1 ELSE 0 END '
                'FROM "pledges_signature" WHERE "canonical_email" = %s'
            )
            first_row_sql = ("emails_sent", prior, [cap_first, signatures[0].canonical_email])
        rows = insert_skipping_conflicts(
            signatures, ("id", "pledge", "emails_sent"), using=self.db, first_row_sql=first_row_sql
        )
        inserted = {pledge_id: (pk, emails_sent) for pk, pledge_id, emails_sent in rows}
        new = []
        for signature in signatures:
            if signature.pledge_id in inserted:
                signature.pk, signature.emails_sent = inserted[signature.pledge_id]
                mark_stored(signature, self.db)
                new.append(signature)
        return new

    def behind_link(self, ids: list[int]) -> list[Signature]:
        """The signatures a confirmation link names, in primary key order, each with its pledge and school.

        The confirmation's read, on every press of the button: its text is built once per number of
        ids, the pledge comes from the process's copy (Pledge.by_id), and a school, when a signature
        has one, in one more query. No filter of this queryset applies: call it on the manager.
        """
        keys = sorted(set(ids))
        if not keys:
            return []
        signatures = list(self.raw(select_by_pk(self.model, len(keys), self.db), keys))
        pledges = Pledge.by_id()
        for signature in signatures:
            if signature.pledge_id in pledges:
                signature.pledge = pledges[signature.pledge_id]
        at_schools = {s.school_id for s in signatures if s.school_id is not None}
        if at_schools:
            schools = School.objects.using(self.db).in_bulk(at_schools)
            for signature in signatures:
                if signature.school_id in schools:
                    signature.school = schools[signature.school_id]
        return signatures

    def counted(self) -> SignatureQuerySet:
        return self.filter(state=Signature.State.CONFIRMED)

    def pending(self) -> SignatureQuerySet:
        return self.filter(state=Signature.State.PENDING)

    def public(self) -> SignatureQuerySet:
        """Named on the public wall: confirmed, chose to be named, and approved by staff."""
        return self.counted().filter(wall=Signature.Wall.APPROVED).exclude(appearance=Signature.Appearance.COUNTED)

    def named_now(self, counts: dict[int, dict[str, int]]) -> SignatureQuerySet:
        """Public, minus those waiting until enough others in their region have signed."""
        waiting = Q(name_after__isnull=False)
        for pledge_id, regions in counts.items():
            for region, count in regions.items():
                # "N others": the signer is one of `count`, so count - 1 others.
                waiting &= ~Q(pledge_id=pledge_id, region=region, name_after__lte=count - 1)
        return self.public().exclude(waiting)

    def awaiting_approval(self) -> SignatureQuerySet:
        return self.counted().filter(wall=Signature.Wall.AWAITING).exclude(appearance=Signature.Appearance.COUNTED)

    def hidden_from_wall(self) -> SignatureQuerySet:
        return self.counted().filter(wall=Signature.Wall.HIDDEN).exclude(appearance=Signature.Appearance.COUNTED)

    def inspectors(self) -> SignatureQuerySet:
        """Counted signatures of a pledge that asks inspectors what they have done."""
        return self.counted().filter(pledge__asks_inspector_status=True)

    def in_ofsted_region(self, ofsted_region: str) -> SignatureQuerySet:
        return self.filter(region__in=OfstedRegion(ofsted_region).regions())

    def stood_down(self) -> SignatureQuerySet:
        return self.inspectors().filter(inspector_status__in=Signature.STOOD_DOWN)

    def conditional_commitments(self) -> SignatureQuerySet:
        """Will stand down once enough others in their Ofsted region have: not yet activated."""
        conditional = Signature.InspectorStatus.CONDITIONAL
        return self.inspectors().filter(inspector_status=conditional, commitment_active_at__isnull=True)

    def active_commitments(self) -> SignatureQuerySet:
        """Their region reached their number; they have not yet said they stood down."""
        conditional = Signature.InspectorStatus.CONDITIONAL
        return self.inspectors().filter(inspector_status=conditional, commitment_active_at__isnull=False)

    def not_for_wall(self) -> SignatureQuerySet:
        """Never on the wall whatever staff decide: not counted, or the signer asked only to be counted."""
        return self.exclude(state=Signature.State.CONFIRMED) | self.filter(appearance=Signature.Appearance.COUNTED)


class Signature(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for email confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        REJECTED = "rejected", _("Rejected")
        FRAUDULENT = "fraudulent", _("Fraudulent")
        EXPIRED = "expired", _("Expired unconfirmed")
        INVALIDATED = "invalidated", _("Invalidated by staff")

    class Wall(models.TextChoices):
        AWAITING = "awaiting", _("Awaiting approval")
        APPROVED = "approved", _("Approved for the wall")
        HIDDEN = "hidden", _("Hidden from the wall")

    class Appearance(models.TextChoices):
        COUNTED = "counted", _("Count me, but do not show my name")
        NAME = "name", _("Show my name and role")
        NAME_SCHOOL = "name_school", _("Show my name, role and school")

    class InspectorStatus(models.TextChoices):
        UNAVAILABLE = "unavailable", _("I have made myself unavailable for inspections")
        RESIGNED = "resigned", _("I have resigned as an Ofsted Inspector")
        CONDITIONAL = "conditional", _("I will make myself unavailable once enough others in my Ofsted region have")
        RETURNED = "returned", _("I have returned to inspecting")

    # "Stood down" in every public figure: unavailable or resigned.
    STOOD_DOWN = (InspectorStatus.UNAVAILABLE, InspectorStatus.RESIGNED)
    # "Once N others in my Ofsted region have": the short list a signer chooses from.
    STAND_DOWN_AFTER = (5, 10, 25, 50)

    class Outcome(models.TextChoices):
        """What the signer is told about a signature (see outcome_for_signer)."""

        WAITING = "waiting", _("waiting for you to confirm")
        COUNTED = "counted", _("confirmed and counted")
        EXPIRED = "expired", _("not counted: the link expired before it was used")
        WITHDRAWN = "withdrawn", _("withdrawn: it no longer counts")
        NOT_COUNTED = "not_counted", _("not counted")
        CLOSED = "closed", _("not counted: the pledge closed before you confirmed")

    # Set by services.confirm_signatures on the signatures it confirmed in this request.
    just_confirmed = False

    # Every index is written on every signing, so each one here is one a query reads: no index of its
    # own for the pledge (the unique constraint leads with it) and none of Django's automatic "_like"
    # twins for LIKE 'prefix%', which nothing asks of these columns (Meta.indexes holds them plain).
    pledge = models.ForeignKey(Pledge, on_delete=models.PROTECT, related_name="signatures", db_index=False)
    version = models.ForeignKey(
        PledgeVersion,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signatures",
        help_text=_("The words this signer agreed to."),
    )
    name = models.CharField(max_length=100)
    email = models.EmailField(max_length=254)
    canonical_email = models.CharField(max_length=254, editable=False)
    role = models.CharField(max_length=20, choices=Role.choices)
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.SET_NULL)
    local_authority = models.CharField(max_length=100, blank=True)
    region = models.CharField(max_length=1, choices=Region.choices)
    union = models.CharField(max_length=20, choices=Union.choices, blank=True)
    union_consent = models.BooleanField(default=False)
    inspector_status = models.CharField(max_length=20, choices=InspectorStatus.choices, blank=True)
    stand_down_after = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        choices=[(n, str(n)) for n in STAND_DOWN_AFTER],
        help_text=_("A conditional commitment: stand down once this many others in my Ofsted region have."),
    )
    commitment_active_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When enough others in the region had stood down (told once, by email).")
    )
    constituency = models.CharField(
        max_length=120, blank=True, help_text=_("Parliamentary constituency: the school's, or from a postcode given.")
    )
    source = models.SlugField(
        max_length=40,
        blank=True,
        db_index=False,
        help_text=_("The campaign link (src=…) that brought the signer; never shown per person."),
    )
    verified_school_address = models.BooleanField(
        default=False, help_text=_("Confirmed from an address at the school's own domain (or its trust's).")
    )
    appearance = models.CharField(max_length=20, choices=Appearance.choices, default=Appearance.COUNTED)
    name_after = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("Name me only once this many others in my region have signed.")
    )
    consent_version = models.CharField(max_length=20)
    state = models.CharField(max_length=20, choices=State.choices, default=State.PENDING)
    fraud_reason = models.CharField(max_length=60, blank=True)
    ip_hash = models.CharField(max_length=64, blank=True)
    network_hash = models.CharField(max_length=64, blank=True)
    email_domain = models.CharField(max_length=254, blank=True, editable=False)
    emails_sent = models.PositiveSmallIntegerField(default=0)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdraw_reason = models.CharField(max_length=500, blank=True)
    wall = models.CharField(max_length=10, choices=Wall.choices, default=Wall.AWAITING)
    moderated_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SignatureQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pledge", "canonical_email"], name="one_signature_per_pledge_per_email"),
        ]
        indexes = [
            models.Index(fields=["pledge", "state", "confirmed_at"]),
            # The cap on emails to an unconfirmed mailbox sums over all of its signatures.
            models.Index(fields=["canonical_email"], name="signature_canonical_email"),
            models.Index(fields=["state"], name="signature_state"),
            models.Index(fields=["wall"], name="signature_wall"),
            models.Index(fields=["ip_hash"], name="signature_ip_hash"),
            models.Index(fields=["network_hash"], name="signature_network_hash"),
            models.Index(fields=["email_domain"], name="signature_email_domain"),
            models.Index(fields=["source"], name="signature_source"),
        ]
        permissions = [
            ("export_signatures", "Can export signatures as CSV"),
            ("view_signer_email", "Can see signers' email addresses and other private details"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.pledge_id}, {self.state})"

    def outcome_for_signer(self) -> Signature.Outcome:
        """What a page tells the signer. A fraud hold is silent, so it reads as counted (see docs/security.md)."""
        if self.state == self.State.PENDING and self.pledge.state == "closed":
            return self.Outcome.CLOSED
        return {
            self.State.PENDING: self.Outcome.WAITING,
            self.State.CONFIRMED: self.Outcome.COUNTED,
            self.State.FRAUDULENT: self.Outcome.COUNTED,
            self.State.EXPIRED: self.Outcome.EXPIRED,
            self.State.WITHDRAWN: self.Outcome.WITHDRAWN,
        }.get(self.state, self.Outcome.NOT_COUNTED)

    def _move(self, allowed: set[str], to: str, **fields) -> bool:
        """Move from one of `allowed` states to `to`, atomically: True if this call did it.

        A conditional UPDATE rather than read-then-save, so two confirmations
        arriving at once cannot both count.
        """
        won = update_row_if(self, "state", allowed, {"state": to, **fields}, using=router.db_for_write(Signature))
        if won:
            self.state = to
            for name, value in fields.items():
                setattr(self, name, value)
        else:
            # Another request moved it first: say what it is now, not what it was when read.
            self.refresh_from_db(fields=["state"])
        return bool(won)

    def confirm(self) -> bool:
        if self.state != self.State.PENDING:
            return False
        if self.pledge.state == "closed":
            return False  # a closed pledge's count is final: a late confirmation does not move it
        with transaction.atomic():
            # The address is proved: the cap on emails to unproved addresses starts again.
            moved = self._move({self.State.PENDING}, self.State.CONFIRMED, confirmed_at=timezone.now(), emails_sent=0)
            if moved:
                PledgeCount.objects.adjust(self.pledge_id, self.region, +1)
        return moved

    def withdraw(self, reason: str = "") -> bool:
        if self.state not in {self.State.PENDING, self.State.CONFIRMED}:
            return False
        was_counted = self.state == self.State.CONFIRMED
        with transaction.atomic():
            moved = self._move(
                {self.state}, self.State.WITHDRAWN, withdrawn_at=timezone.now(), withdraw_reason=reason[:500]
            )
            if moved and was_counted:
                PledgeCount.objects.adjust(self.pledge_id, self.region, -1)
            if moved:
                self.reduce()
        return moved

    def reduce(self, *, keep_link: bool = True) -> bool:
        """Keep only what counts and statistics need: no name, address, school, union or network.

        Withdrawn signatures are reduced at once. The row keeps a keyed hash of the address
        (`keep_link`), so the person's export still shows it and erasure still finds it,
        though nobody can read the address back. When the campaign's data is anonymised the
        link goes too. Signing again afterwards makes a new signature.
        """
        reduced_before = self.canonical_email.startswith("removed:")
        if reduced_before and (
            keep_link or (self.canonical_email == f"removed:{self.pk}" and not self.withdraw_reason)
        ):
            return False
        # The mailbox's hash, not the canonical address's: jane+x@ at an unknown domain is not jane@.
        link = withdrawn_link(self.email) if keep_link else ""
        reduced = {
            "name": "",
            "email": "",
            "canonical_email": f"removed:{self.pk}{link}",
            "email_domain": "",
            "school": None,
            "local_authority": "",
            "union": "",
            "union_consent": False,
            "inspector_status": "",
            "appearance": self.Appearance.COUNTED,
            "name_after": None,
            "ip_hash": "",
            "network_hash": "",
        }
        if not keep_link:
            reduced["withdraw_reason"] = ""
        # An email naming several of the mailbox's signatures (one link for all, one "already signed"
        # for all) is filed under the first: the mailbox's emails of those kinds may name this one too.
        # Only those sent: one still to go, or failed and so open to a staff retry, confirms or answers
        # the mailbox's other signatures and needs its address.
        several = (Q(key__startswith="already:") | Q(key__startswith="sig:", key__contains=":confirm:")) & Q(
            state=Email.State.SENT
        )
        mailbox = Q(to_hash=recipient_hash(self.email)) & several if not reduced_before else Q()
        Signature.objects.filter(pk=self.pk).update(**reduced)
        AuditEntry.objects.filter(signature_id=self.pk).update(note="")
        # Its emails named the signer: keep the key, subject, state and times, not the words.
        Email.objects.filter(Q(signature_id=self.pk) | mailbox).update(to="", text="", html="", headers={})
        for name, value in reduced.items():
            setattr(self, name, value)
        return True

    def reopen(self) -> bool:
        """A withdrawn or expired signer signs again: back to pending, to confirm afresh.

        A new created_at starts a new signing round (and so new email keys); the count of
        emails sent while unconfirmed is kept, so signing again cannot lift the cap.
        """
        if self.state not in {self.State.WITHDRAWN, self.State.EXPIRED}:
            return False
        return self._move(
            {self.State.WITHDRAWN, self.State.EXPIRED},
            self.State.PENDING,
            confirmed_at=None,
            withdrawn_at=None,
            created_at=timezone.now(),
            reminders_sent=0,
        )

    def expire(self) -> bool:
        if self.state != self.State.PENDING:
            return False
        return self._move({self.State.PENDING}, self.State.EXPIRED)

    # Staff decisions. Each writes its audit row; counts move with the state in one transaction.
    MODERATED = {State.PENDING, State.CONFIRMED}

    def approve(self, *, by, reason: str = "") -> bool:
        return self._set_wall(self.Wall.APPROVED, by=by, action="approve", reason=reason)

    def hide(self, *, by, reason: str = "") -> bool:
        return self._set_wall(self.Wall.HIDDEN, by=by, action="hide", reason=reason)

    def _set_wall(self, wall: str, *, by, action: str, reason: str) -> bool:
        if self.state != self.State.CONFIRMED or self.wall == wall:
            return False
        with transaction.atomic():
            Signature.objects.filter(pk=self.pk).update(wall=wall, moderated_at=timezone.now())
            self.wall = wall
            log_action(action, actor=by, signature=self, reason=reason)
        return True

    @property
    def ofsted_region(self) -> str:
        return OfstedRegion.of(self.region)

    def activate_commitment(self) -> bool:
        """Enough others in the region have stood down: the conditional commitment is now active, once."""
        if self.inspector_status != self.InspectorStatus.CONDITIONAL or self.commitment_active_at is not None:
            return False
        now = timezone.now()
        won = Signature.objects.filter(
            pk=self.pk, inspector_status=self.InspectorStatus.CONDITIONAL, commitment_active_at__isnull=True
        ).update(commitment_active_at=now)
        if won:
            self.commitment_active_at = now
        return bool(won)

    def wall_status(self) -> str:
        """The wall as it applies to this signature: a staff decision only for a counted, named signature."""
        if self.state != self.State.CONFIRMED:
            return "not counted"
        if self.appearance == self.Appearance.COUNTED:
            return "counted only"
        return self.get_wall_display()

    def moderation_steps(self) -> list[str]:
        """The staff decisions that would change this signature now: the buttons on its admin page."""
        steps = []
        named = self.state == self.State.CONFIRMED and self.appearance != self.Appearance.COUNTED
        if named and self.wall != self.Wall.APPROVED:
            steps.append("approve")
        if named and self.wall != self.Wall.HIDDEN:
            steps.append("hide")
        if self.state in self.MODERATED:
            steps += ["reject", "mark_fraudulent"]
        if self.state in {self.State.REJECTED, self.State.FRAUDULENT, self.State.INVALIDATED}:
            steps.append("restore")
        return steps

    def reject(self, *, by, reason: str, note: str = "") -> bool:
        return self._take_out(self.State.REJECTED, by=by, action="reject", reason=reason, note=note)

    def mark_fraudulent(self, *, by, reason: str = "", note: str = "") -> bool:
        return self._take_out(self.State.FRAUDULENT, by=by, action="mark fraudulent", reason=reason, note=note)

    def invalidate(self, *, by, reason: str) -> bool:
        return self._take_out(self.State.INVALIDATED, by=by, action="invalidate", reason=reason, note="")

    def _take_out(self, to: str, *, by, action: str, reason: str, note: str) -> bool:
        if self.state not in self.MODERATED:
            return False
        was_counted = self.state == self.State.CONFIRMED
        with transaction.atomic():
            moved = self._move({self.state}, to, moderated_at=timezone.now())
            if moved:
                if was_counted:
                    PledgeCount.objects.adjust(self.pledge_id, self.region, -1)
                log_action(action, actor=by, signature=self, reason=reason, note=note)
        return moved

    def restore(self, *, by, reason: str = "") -> bool:
        """Undo a rejection, a fraud mark or an invalidation: back to where it would have been."""
        if self.state not in {self.State.REJECTED, self.State.FRAUDULENT, self.State.INVALIDATED}:
            return False
        to = self.State.CONFIRMED if self.confirmed_at else self.State.PENDING
        with transaction.atomic():
            moved = self._move({self.state}, to, fraud_reason="", moderated_at=timezone.now())
            if moved:
                if to == self.State.CONFIRMED:
                    PledgeCount.objects.adjust(self.pledge_id, self.region, +1)
                log_action("restore", actor=by, signature=self, reason=reason)
        return moved

    def change_appearance(self, appearance: str, *, by) -> bool:
        """The signer chooses how they appear; a change to showing a name goes to staff first."""
        if self.state not in {self.State.PENDING, self.State.CONFIRMED} or self.appearance == appearance:
            return False
        fields = {"appearance": appearance}
        if appearance != self.Appearance.COUNTED and self.wall == self.Wall.APPROVED:
            fields["wall"] = self.Wall.AWAITING
        with transaction.atomic():
            Signature.objects.filter(pk=self.pk).update(**fields)
            log_action("change appearance", actor=by, signature=self, note=appearance)
        for name, value in fields.items():
            setattr(self, name, value)
        return True

    def note_email_sent(self) -> None:
        """Count one more email to this address while it is unconfirmed."""
        Signature.objects.filter(pk=self.pk).update(emails_sent=F("emails_sent") + 1)
        self.emails_sent += 1


class PledgeCountManager(models.Manager):
    def adjust(self, pledge_id: int, region: str, delta: int) -> None:
        """Add delta to one random shard, inside the caller's transaction (one upsert)."""
        shard = random.randrange(settings.COUNT_SHARDS)
        with connection.cursor() as cursor:
            cursor.execute(UPSERT, [pledge_id, region, shard, delta])


UPSERT = """
INSERT INTO pledges_pledgecount (pledge_id, region, shard, count) VALUES (%s, %s, %s, %s)
ON CONFLICT (pledge_id, region, shard) DO UPDATE SET count = pledges_pledgecount.count + EXCLUDED.count
"""


class PledgeCount(models.Model):
    """One shard of a pledge's confirmed count in one region.

    Confirmations add to a random shard, so a surge spreads its writes over
    COUNT_SHARDS rows per region instead of queueing on one hot row.
    """

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="count_shards")
    region = models.CharField(max_length=1, choices=Region.choices)
    shard = models.PositiveSmallIntegerField()
    count = models.BigIntegerField(default=0)

    objects = PledgeCountManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pledge", "region", "shard"], name="one_row_per_count_shard"),
        ]

    def __str__(self) -> str:
        return f"{self.pledge_id}/{self.region}/{self.shard}: {self.count}"


class Recount(models.Model):
    ran_at = models.DateTimeField(default=timezone.now, db_index=True)
    drift = models.JSONField(default=dict, help_text=_("pledge slug → {region: stored − actual} for what was repaired"))

    class Meta:
        ordering = ["-ran_at"]
        get_latest_by = "ran_at"

    def __str__(self) -> str:
        return f"Recount at {self.ran_at:%Y-%m-%d %H:%M}"
