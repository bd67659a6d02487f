from __future__ import annotations

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pledges.addresses import wire_domain
from pledges.hashing import hash_value


class Region(models.TextChoices):
    # Codes are the schools register's GOR codes, so a school's region maps directly.
    NORTH_EAST = "A", _("North East")
    NORTH_WEST = "B", _("North West")
    YORKSHIRE = "D", _("Yorkshire and the Humber")
    EAST_MIDLANDS = "E", _("East Midlands")
    WEST_MIDLANDS = "F", _("West Midlands")
    EAST = "G", _("East of England")
    LONDON = "H", _("London")
    SOUTH_EAST = "J", _("South East")
    SOUTH_WEST = "K", _("South West")
    OUTSIDE = "X", _("Outside England")


class Role(models.TextChoices):
    HEADTEACHER = "head", _("Headteacher or principal")
    SENIOR_LEADER = "senior_leader", _("Deputy, assistant head or other senior leader")
    TEACHER = "teacher", _("Teacher")
    SCHOOL_STAFF = "school_staff", _("Other school staff")
    GOVERNOR = "governor", _("Governor")
    TRUSTEE = "trustee", _("Trustee or trust director")
    TRUST_LEADER = "trust_leader", _("Trust chief executive or leader")
    PARENT = "parent", _("Parent or carer")
    OTHER = "other", _("Someone else who supports the pause")


class Union(models.TextChoices):
    NAHT = "naht", "NAHT"
    ASCL = "ascl", "ASCL"
    NEU = "neu", "NEU"
    NASUWT = "nasuwt", "NASUWT"
    COMMUNITY = "community", "Community"
    OTHER = "other", _("Another union or association")
    NONE = "none", _("I am not in a union")


class PledgeQuerySet(models.QuerySet):
    def open(self) -> PledgeQuerySet:
        now = timezone.now()
        return self.filter(Q(opens_at__lte=now), Q(closes_at__isnull=True) | Q(closes_at__gt=now))


class Pledge(models.Model):
    slug = models.SlugField(unique=True, max_length=60)
    title = models.CharField(max_length=120)
    statement = models.TextField(help_text=_("What the signer commits to, in the first person."))
    summary = models.CharField(max_length=300, blank=True)
    roles = models.JSONField(
        default=list, blank=True, help_text=_("Role codes this pledge is for; empty means anyone may sign.")
    )
    asks_inspector_status = models.BooleanField(
        default=False, help_text=_("Ask whether the signer has made themselves unavailable or resigned as an OI.")
    )
    opens_at = models.DateTimeField(default=timezone.now)
    closes_at = models.DateTimeField(null=True, blank=True)
    threshold = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("'I will do this only if N others do too.' Leave empty for none.")
    )
    threshold_reached_at = models.DateTimeField(null=True, blank=True, editable=False)
    denominator = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("For display: e.g. the number of school-based OIs.")
    )
    denominator_label = models.CharField(max_length=120, blank=True)
    denominator_source = models.CharField(max_length=300, blank=True)
    is_paused = models.BooleanField(default=False, help_text=_("Stop new signatures without closing the pledge."))
    position = models.PositiveSmallIntegerField(default=0)

    objects = PledgeQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title

    def is_open(self) -> bool:
        now = timezone.now()
        return self.opens_at <= now and (self.closes_at is None or self.closes_at > now)

    def accepts_signatures(self) -> bool:
        return self.is_open() and not self.is_paused

    def reach_threshold(self) -> bool:
        """Mark the threshold reached; True only for the one caller that did it."""
        if self.threshold is None or self.threshold_reached_at is not None:
            return False
        now = timezone.now()
        won = Pledge.objects.filter(pk=self.pk, threshold_reached_at__isnull=True).update(threshold_reached_at=now)
        if won:
            self.threshold_reached_at = now
        return bool(won)


class School(models.Model):
    urn = models.PositiveIntegerField(primary_key=True, verbose_name="URN")
    name = models.CharField(max_length=200)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    la_code = models.CharField(max_length=10, blank=True)
    la_name = models.CharField(max_length=100, blank=True)
    region = models.CharField(max_length=1, choices=Region.choices, blank=True)
    establishment_type = models.CharField(max_length=120, blank=True)
    type_group = models.CharField(max_length=120, blank=True)
    phase = models.CharField(max_length=60, blank=True)
    status = models.CharField(max_length=60, blank=True)
    constituency = models.CharField(max_length=120, blank=True)
    trust_name = models.CharField(max_length=200, blank=True)
    is_open = models.BooleanField(default=True)
    is_state_funded = models.BooleanField(default=True)
    search_text = models.CharField(max_length=400, blank=True, db_index=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.town}" if self.town else self.name


class SignatureQuerySet(models.QuerySet):
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

    class Outcome(models.TextChoices):
        """What the signer is told about a signature (see outcome_for_signer)."""

        WAITING = "waiting", _("waiting for you to confirm")
        COUNTED = "counted", _("confirmed and counted")
        EXPIRED = "expired", _("not counted: the link expired before it was used")
        WITHDRAWN = "withdrawn", _("withdrawn: it no longer counts")
        NOT_COUNTED = "not_counted", _("not counted")

    pledge = models.ForeignKey(Pledge, on_delete=models.PROTECT, related_name="signatures")
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
    appearance = models.CharField(max_length=20, choices=Appearance.choices, default=Appearance.COUNTED)
    name_after = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("Name me only once this many others in my region have signed.")
    )
    consent_version = models.CharField(max_length=20)
    state = models.CharField(max_length=20, choices=State.choices, default=State.PENDING, db_index=True)
    fraud_reason = models.CharField(max_length=60, blank=True)
    ip_hash = models.CharField(max_length=64, blank=True, db_index=True)
    network_hash = models.CharField(max_length=64, blank=True, db_index=True)
    email_domain = models.CharField(max_length=254, blank=True, db_index=True, editable=False)
    emails_sent = models.PositiveSmallIntegerField(default=0)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdraw_reason = models.CharField(max_length=500, blank=True)
    wall = models.CharField(max_length=10, choices=Wall.choices, default=Wall.AWAITING, db_index=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SignatureQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pledge", "canonical_email"], name="one_signature_per_pledge_per_email"),
        ]
        indexes = [models.Index(fields=["pledge", "state", "confirmed_at"])]
        permissions = [
            ("export_signatures", "Can export signatures as CSV"),
            ("view_signer_email", "Can see signers' email addresses and other private details"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.pledge_id}, {self.state})"

    def outcome_for_signer(self) -> Signature.Outcome:
        """What a page tells the signer. A fraud hold is silent, so it reads as counted (see docs/security.md)."""
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
        won = Signature.objects.filter(pk=self.pk, state__in=allowed).update(state=to, **fields)
        if won:
            self.state = to
            for name, value in fields.items():
                setattr(self, name, value)
        return bool(won)

    def confirm(self) -> bool:
        if self.state != self.State.PENDING:
            return False
        from pledges.counting import adjust_count

        with transaction.atomic():
            # The address is proved: the cap on emails to unproved addresses starts again.
            moved = self._move({self.State.PENDING}, self.State.CONFIRMED, confirmed_at=timezone.now(), emails_sent=0)
            if moved:
                adjust_count(self.pledge_id, self.region, +1)
        return moved

    def withdraw(self, reason: str = "") -> bool:
        if self.state not in {self.State.PENDING, self.State.CONFIRMED}:
            return False
        from pledges.counting import adjust_count

        was_counted = self.state == self.State.CONFIRMED
        with transaction.atomic():
            moved = self._move(
                {self.state}, self.State.WITHDRAWN, withdrawn_at=timezone.now(), withdraw_reason=reason[:500]
            )
            if moved and was_counted:
                adjust_count(self.pledge_id, self.region, -1)
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
        link = f":{hash_value('withdrawn', self.canonical_email)[:32]}" if keep_link else ""
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
        Signature.objects.filter(pk=self.pk).update(**reduced)
        AuditEntry.objects.filter(signature_id=self.pk).update(note="")
        # Its emails named the signer: keep the key, subject, state and times, not the words.
        Email.objects.filter(signature_id=self.pk).update(to="", text="", html="", headers={})
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

    def reject(self, *, by, reason: str, note: str = "") -> bool:
        return self._take_out(self.State.REJECTED, by=by, action="reject", reason=reason, note=note)

    def mark_fraudulent(self, *, by, reason: str = "", note: str = "") -> bool:
        return self._take_out(self.State.FRAUDULENT, by=by, action="mark fraudulent", reason=reason, note=note)

    def invalidate(self, *, by, reason: str) -> bool:
        return self._take_out(self.State.INVALIDATED, by=by, action="invalidate", reason=reason, note="")

    def _take_out(self, to: str, *, by, action: str, reason: str, note: str) -> bool:
        if self.state not in self.MODERATED:
            return False
        from pledges.counting import adjust_count

        was_counted = self.state == self.State.CONFIRMED
        with transaction.atomic():
            moved = self._move({self.state}, to, moderated_at=timezone.now())
            if moved:
                if was_counted:
                    adjust_count(self.pledge_id, self.region, -1)
                log_action(action, actor=by, signature=self, reason=reason, note=note)
        return moved

    def restore(self, *, by, reason: str = "") -> bool:
        """Undo a rejection, a fraud mark or an invalidation: back to where it would have been."""
        if self.state not in {self.State.REJECTED, self.State.FRAUDULENT, self.State.INVALIDATED}:
            return False
        from pledges.counting import adjust_count

        to = self.State.CONFIRMED if self.confirmed_at else self.State.PENDING
        with transaction.atomic():
            moved = self._move({self.state}, to, fraud_reason="", moderated_at=timezone.now())
            if moved:
                if to == self.State.CONFIRMED:
                    adjust_count(self.pledge_id, self.region, +1)
                log_action("restore", actor=by, signature=self, reason=reason)
        return moved

    def note_email_sent(self) -> None:
        """Count one more email to this address while it is unconfirmed."""
        Signature.objects.filter(pk=self.pk).update(emails_sent=F("emails_sent") + 1)
        self.emails_sent += 1


class PledgeCount(models.Model):
    """One shard of a pledge's confirmed count in one region.

    Confirmations add to a random shard, so a surge spreads its writes over
    COUNT_SHARDS rows per region instead of queueing on one hot row.
    """

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="count_shards")
    region = models.CharField(max_length=1, choices=Region.choices)
    shard = models.PositiveSmallIntegerField()
    count = models.BigIntegerField(default=0)

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


class BlockedDomain(models.Model):
    domain = models.CharField(max_length=254, unique=True)
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.domain

    def save(self, *args, **kwargs) -> None:
        from pausecampaign.local_cache import forget

        self.domain = wire_domain(self.domain.strip().lstrip("@"))
        super().save(*args, **kwargs)
        forget("blocked-domains")


class Email(models.Model):
    """An email that must be sent: the outbox.

    Written in the same transaction as its cause; the broker only nudges the
    sender, and a periodic sweep delivers whatever the nudge did not.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting to send")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    class Priority(models.IntegerChoices):
        # Lower goes first: a broadcast to every signer never holds up a confirmation.
        TRANSACTIONAL = 0, _("Transactional: confirmations, sign-in codes, replies")
        BULK = 1, _("Bulk: reminders, broadcasts, invitations")

    key = models.CharField(max_length=200, unique=True, help_text=_("One message per key, ever."))
    to = models.EmailField(max_length=254, blank=True)
    to_hash = models.CharField(
        max_length=64, blank=True, db_index=True, help_text=_("A keyed hash of the address, kept after it is removed.")
    )
    subject = models.CharField(max_length=300)
    text = models.TextField()
    html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    signature = models.ForeignKey(Signature, null=True, blank=True, on_delete=models.CASCADE, related_name="emails")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="outbox_emails"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.TRANSACTIONAL)
    next_attempt_at = models.DateTimeField(default=timezone.now, help_text=_("Not tried again before this."))
    claimed_by = models.CharField(max_length=100, blank=True, help_text=_("The worker that holds this message."))
    lease_until = models.DateTimeField(
        null=True, blank=True, help_text=_("The worker's hold ends then, unless it renews it.")
    )
    failed_at = models.DateTimeField(null=True, blank=True)
    scrub_after_send = models.BooleanField(
        default=False, help_text=_("Forget the address and content once sent (invitations to colleagues).")
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["state", "created_at"]),
            models.Index(fields=["state", "priority", "next_attempt_at"], name="outbox_claim_order"),
        ]
        permissions = [("retry_email", "Can send failed email again")]

    def __str__(self) -> str:
        return self.key

    def retry(self) -> bool:
        """A failed message back into the queue, as if new (staff, after mending its cause)."""
        if self.state != self.State.FAILED:
            return False
        won = Email.objects.filter(pk=self.pk, state=self.State.FAILED).update(
            state=self.State.PENDING,
            attempts=0,
            next_attempt_at=timezone.now(),
            failed_at=None,
            created_at=timezone.now(),
        )
        if won:
            self.state = self.State.PENDING
        return bool(won)


class MailServerStatus(models.Model):
    """One row: whether the mail server is refusing us, and when to try it again.

    A refused connection is the server's state, not any one message's: while it lasts,
    workers wait and probe with one message instead of spending every message's tries.
    """

    failures = models.PositiveIntegerField(default=0)
    down_since = models.DateTimeField(null=True, blank=True)
    retry_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    alerted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "mail server status"

    def __str__(self) -> str:
        return "Mail server: down" if self.down_since else "Mail server: up"


class AuditEntry(models.Model):
    """Who did what, when and why: staff decisions and signers' data requests.

    Data requests are logged without their content: an erasure keeps no trace of who was erased.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit_entries"
    )
    action = models.CharField(max_length=40, db_index=True)
    signature = models.ForeignKey(
        Signature, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit_entries"
    )
    reason = models.CharField(max_length=200, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


def log_action(action: str, *, actor=None, signature: Signature | None = None, reason: str = "", note: str = ""):
    """The one way to write an audit row."""
    return AuditEntry.objects.create(action=action, actor=actor, signature=signature, reason=reason, note=note)


class RejectionReason(models.Model):
    text = models.CharField(max_length=200, unique=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "text"]

    def __str__(self) -> str:
        return self.text


class Invalidation(models.Model):
    """Staff invalidate every signature matching some criteria, as a cancellable background job."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft: check the count, then start")
        RUNNING = "running", _("Running")
        CANCELLED = "cancelled", _("Cancelled")
        DONE = "done", _("Done")

    summary = models.CharField(max_length=200, help_text=_("Why: shown in every signature's audit trail."))
    pledge = models.ForeignKey(Pledge, null=True, blank=True, on_delete=models.CASCADE)
    ip_address = models.GenericIPAddressField(null=True, blank=True, verbose_name="IP address")
    network = models.CharField(
        max_length=50, blank=True, help_text=_("Any address in the network, e.g. 203.0.113.0/24 (IPv4 /24, IPv6 /48).")
    )
    network_hash = models.CharField(max_length=64, blank=True, help_text=_("Filled in from the trending page."))
    email_domain = models.CharField(max_length=254, blank=True)
    name_contains = models.CharField(max_length=100, blank=True)
    created_from = models.DateTimeField(null=True, blank=True)
    created_to = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    matched = models.PositiveIntegerField(default=0, editable=False)
    invalidated = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invalidation #{self.pk}: {self.summary}"

    def start(self) -> bool:
        if self.state != self.State.DRAFT:
            return False
        won = Invalidation.objects.filter(pk=self.pk, state=self.State.DRAFT).update(
            state=self.State.RUNNING, started_at=timezone.now()
        )
        self.refresh_from_db()
        return bool(won)

    def cancel(self) -> bool:
        if self.state not in {self.State.DRAFT, self.State.RUNNING}:
            return False
        won = Invalidation.objects.filter(pk=self.pk, state__in=[self.State.DRAFT, self.State.RUNNING]).update(
            state=self.State.CANCELLED, finished_at=timezone.now()
        )
        self.refresh_from_db()
        return bool(won)


class SiteSwitches(models.Model):
    """Switches staff flip without a deploy. One row."""

    signing_paused = models.BooleanField(default=False, help_text=_("Stop all new signatures."))
    pause_message = models.TextField(
        blank=True, default="Signing is paused for a short while. Please come back later: nothing you sent is lost."
    )
    counts_frozen = models.BooleanField(default=False, help_text=_("Show the public the counts as they were."))
    campaign_ended_on = models.DateField(
        null=True,
        blank=True,
        help_text=_(
            "Set when the campaign ends. Every signer's personal data is deleted or anonymised "
            "RETAIN_AFTER_CAMPAIGN_DAYS after this date, as the privacy notice promises."
        ),
    )
    frozen_counts = models.JSONField(default=dict, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "site switches"

    def __str__(self) -> str:
        return "Site switches"

    def save(self, *args, **kwargs) -> None:
        from django.core.cache import cache

        from pausecampaign.local_cache import forget
        from pledges.counting import COUNTS_CACHE_KEY, stored_counts

        # Freezing keeps a snapshot: the public sees it until staff unfreeze.
        self.frozen_counts = {str(k): v for k, v in stored_counts().items()} if self.counts_frozen else {}
        super().save(*args, **kwargs)
        forget("site-switches")
        cache.delete(COUNTS_CACHE_KEY)

    @classmethod
    def current(cls) -> SiteSwitches:
        from pausecampaign.local_cache import local_cached

        return local_cached("site-switches", lambda: cls.objects.get_or_create(pk=1)[0])


class ActionStep(models.Model):
    """One of the campaign's actions, reminded a set time after a signature is confirmed."""

    slug = models.SlugField(unique=True, max_length=60)
    title = models.CharField(max_length=160)
    what_to_do = models.TextField()
    help_text = models.TextField(blank=True)
    template_letter = models.TextField(
        blank=True, help_text=_("Optional. {name}, {school}, {role}, {pledges} and {union} are filled in.")
    )
    pledges = models.ManyToManyField(Pledge, related_name="action_steps")
    due_after_days = models.PositiveSmallIntegerField(help_text=_("Days after confirmation when the reminder goes."))
    invites_colleagues = models.BooleanField(default=False, help_text=_("Offer the invite-colleagues form."))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "due_after_days"]

    def __str__(self) -> str:
        return self.title


class StepStatus(models.Model):
    """Per signer (canonical email) and step: reminded once, done once. The unique row is the guarantee."""

    canonical_email = models.CharField(max_length=254)
    step = models.ForeignKey(ActionStep, on_delete=models.CASCADE, related_name="statuses")
    reminded_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["canonical_email", "step"], name="one_status_per_signer_step")]
        verbose_name_plural = "step statuses"

    def __str__(self) -> str:
        return f"{self.step_id}: reminded {self.reminded_at}, done {self.done_at}"


class EmailPreference(models.Model):
    canonical_email = models.CharField(max_length=254, unique=True)
    reminders = models.BooleanField(default=True)
    updates = models.BooleanField(default=True)
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"reminders={self.reminders} updates={self.updates}"


class Invitation(models.Model):
    """A signer's invitation to a colleague: one per recipient, ever.

    The recipient's address is kept only as a keyed hash (pledges.hashing.hash_value),
    enough to refuse a second invitation to them and to honour their "no more" click.
    """

    recipient_hash = models.CharField(max_length=64, unique=True)
    signature = models.ForeignKey(
        Signature, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    refused_at = models.DateTimeField(
        null=True, blank=True, help_text=_("The recipient asked never to be invited again.")
    )

    def __str__(self) -> str:
        return f"Invitation {self.pk}"

    def refuse(self) -> bool:
        if self.refused_at is not None:
            return False
        return bool(Invitation.objects.filter(pk=self.pk, refused_at__isnull=True).update(refused_at=timezone.now()))


class Broadcast(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    class StepFilter(models.TextChoices):
        ANY = "any", _("Whether or not they have done it")
        DONE = "done", _("Only those who have done it")
        NOT_DONE = "not_done", _("Only those who have not")

    subject = models.CharField(max_length=150)
    body = models.TextField(help_text=_("Markdown. Keep it short; an unsubscribe link is added for you."))
    pledge = models.ForeignKey(Pledge, null=True, blank=True, on_delete=models.PROTECT)
    region = models.CharField(max_length=1, choices=Region.choices, blank=True)
    role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    step = models.ForeignKey(ActionStep, null=True, blank=True, on_delete=models.PROTECT)
    step_filter = models.CharField(max_length=10, choices=StepFilter.choices, default=StepFilter.ANY)
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT, editable=False)
    audience_size = models.PositiveIntegerField(default=0, editable=False)
    queued = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        permissions = [("send_broadcast", "Can send a broadcast")]

    def __str__(self) -> str:
        return self.subject

    def start(self) -> bool:
        """Draft to sending, once; a restart of a send in progress is allowed."""
        if self.state == self.State.SENT:
            return False
        Broadcast.objects.filter(pk=self.pk, state=self.State.DRAFT).update(
            state=self.State.SENDING, started_at=timezone.now()
        )
        self.refresh_from_db()
        return self.state == self.State.SENDING
