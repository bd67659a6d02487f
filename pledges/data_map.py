"""The data map: every field of every table, what it holds, and how it is treated.

One entry per model, one item per field, for every installed app (Django's, allauth's
and ours). tests/pledges/test_data_map.py fails when a field is missing, so a new
field cannot go unclassified. docs/privacy.md is generated from this map
(`manage.py data_map`), and the subject access export and erasure
(pledges/subject_access.py) take their fields from it: adding a field here adds it
to both.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Lawful bases (UK GDPR)
CONSENT = "explicit consent, Art. 9(2)(a) and 6(1)(a)"
UNION_CONSENT = "separate explicit consent, Art. 9(2)(a)"
INTEREST = "legitimate interest in honest counts, Art. 6(1)(f)"
CONTRACT = "needed to run the account you asked for, Art. 6(1)(b)"
STAFF = "legitimate interest in running the campaign, Art. 6(1)(f)"
NONE = ""

# Who can see it
PUBLIC_BY_CHOICE = "the public, only if you chose to be named and staff approved it"
LEADS = "Campaign leads"
MODERATORS = "Moderators and Campaign leads"
YOU = "you (My data)"
NOBODY = "nobody (a keyed hash, or used by the code only)"
SUPERUSERS = "site administrators"

# How long
UNTIL_ERASED = "until you withdraw or erase it; all signer data goes RETAIN_AFTER_CAMPAIGN_DAYS after the campaign ends"
UNCONFIRMED = "unconfirmed: expires after 7 days, deleted EXPIRED_PURGED_AFTER later"
REFUSED = "held, rejected or invalidated signatures: deleted RETAIN_REFUSED_DAYS after the decision"
SENT_MAIL = "links and codes removed when sent; body and address removed RETAIN_SENT_EMAIL_DAYS after sending"
SESSION = "until the session expires (two weeks at most; staff sessions end sooner); expired ones cleared daily"


@dataclass(frozen=True)
class Item:
    """One field. `holds` is empty when the field holds no personal data."""

    holds: str = ""
    basis: str = NONE
    seen_by: str = ""
    kept: str = ""
    export: bool = False
    erase: str = "row"  # "row": goes with the row; "blank": emptied, row kept; "keep": not personal


@dataclass(frozen=True)
class Table:
    fields: dict[str, Item]
    about: str = ""
    owner: str = ""  # how to find one person's rows (pledges.subject_access.OWNERS); "" if never theirs
    erase: str = "none"  # "delete", "anonymise" (blank the "blank" items), or "none"
    personal: bool = field(default=True)


def plain(*names: str) -> dict[str, Item]:
    """Fields that hold no personal data."""
    return {name: Item(erase="keep") for name in names}


SIGNATURE_KEPT = UNTIL_ERASED + "; " + UNCONFIRMED + "; " + REFUSED

MAP: dict[str, Table] = {
    "pledges.signature": Table(
        about="One person's signature of one pledge.",
        owner="signatures",
        erase="delete",
        fields={
            **plain("id", "reminders_sent"),
            "version": Item("the words of the pledge you agreed to", CONSENT, MODERATORS, SIGNATURE_KEPT, export=True),
            "pledge": Item("which pledge you signed", CONSENT, PUBLIC_BY_CHOICE, SIGNATURE_KEPT, export=True),
            "state": Item("whether it is confirmed, withdrawn or held", CONSENT, MODERATORS, SIGNATURE_KEPT, True),
            "wall": Item("whether staff approved your name for the wall", CONSENT, MODERATORS, SIGNATURE_KEPT, True),
            "consent_version": Item("the version of this notice you agreed to", CONSENT, LEADS, SIGNATURE_KEPT, True),
            "name": Item("your name", CONSENT, PUBLIC_BY_CHOICE + "; " + MODERATORS, SIGNATURE_KEPT, export=True),
            "email": Item("your email address", CONSENT, LEADS, SIGNATURE_KEPT, export=True),
            "canonical_email": Item("your address in a standard form, to find repeats", CONSENT, LEADS, SIGNATURE_KEPT),
            "email_domain": Item("your address's domain, for fraud checks", INTEREST, LEADS, SIGNATURE_KEPT),
            "role": Item("your role", CONSENT, PUBLIC_BY_CHOICE + "; " + MODERATORS, SIGNATURE_KEPT, export=True),
            "school": Item("your school", CONSENT, PUBLIC_BY_CHOICE + "; " + MODERATORS, SIGNATURE_KEPT, export=True),
            "local_authority": Item("your school's local authority", CONSENT, MODERATORS, SIGNATURE_KEPT, export=True),
            "region": Item("your region", CONSENT, MODERATORS + "; in counts only as totals", SIGNATURE_KEPT, True),
            "union": Item(
                "your union",
                UNION_CONSENT,
                LEADS + "; in the union report only as totals",
                "until you withdraw it",
                export=True,
            ),
            "union_consent": Item(
                "whether you agreed to us keeping your union", UNION_CONSENT, LEADS, SIGNATURE_KEPT, True
            ),
            "inspector_status": Item(
                "whether you stood down as an inspector", CONSENT, MODERATORS, SIGNATURE_KEPT, True
            ),
            "stand_down_after": Item(
                "how many others in your region you chose to wait for", CONSENT, MODERATORS, SIGNATURE_KEPT, True
            ),
            "constituency": Item(
                "your parliamentary constituency (from your school, or the postcode you gave, which is not kept)",
                CONSENT,
                MODERATORS + "; in counts only as totals",
                SIGNATURE_KEPT,
                export=True,
            ),
            "source": Item(
                "the campaign link you came by (a share, an embed, a partner)",
                INTEREST,
                MODERATORS + "; only as totals",
                SIGNATURE_KEPT,
                export=True,
            ),
            "verified_school_address": Item(
                "whether you confirmed from an address at your school's domain",
                INTEREST,
                MODERATORS + "; in counts only as totals",
                SIGNATURE_KEPT,
                export=True,
            ),
            "commitment_active_at": Item(
                "when enough others had stood down", CONSENT, MODERATORS, SIGNATURE_KEPT, export=True
            ),
            "appearance": Item("how you chose to appear", CONSENT, MODERATORS, SIGNATURE_KEPT, export=True),
            "name_after": Item("when you chose to be named", CONSENT, MODERATORS, SIGNATURE_KEPT, export=True),
            "fraud_reason": Item("why a signing was held as suspect", INTEREST, MODERATORS, REFUSED, export=True),
            "ip_hash": Item("a keyed hash of your IP address", INTEREST, LEADS, SIGNATURE_KEPT, export=True),
            "network_hash": Item("a keyed hash of your IP network", INTEREST, LEADS, SIGNATURE_KEPT),
            "emails_sent": Item(
                "how many emails you were sent before confirming", INTEREST, MODERATORS, SIGNATURE_KEPT
            ),
            "created_at": Item("when you signed", CONSENT, MODERATORS, SIGNATURE_KEPT, export=True),
            "confirmed_at": Item("when you confirmed", CONSENT, MODERATORS, SIGNATURE_KEPT, export=True),
            "withdrawn_at": Item("when you withdrew", CONSENT, MODERATORS, SIGNATURE_KEPT, export=True),
            "withdraw_reason": Item("why you withdrew, if you said", CONSENT, LEADS, SIGNATURE_KEPT, export=True),
            "moderated_at": Item("when staff last decided on it", STAFF, MODERATORS, SIGNATURE_KEPT, export=True),
            "updated_at": Item("when it last changed", CONSENT, MODERATORS, SIGNATURE_KEPT, export=True),
        },
    ),
    "pledges.email": Table(
        about="An email we send you, from the outbox.",
        owner="emails",
        erase="delete",
        fields={
            **plain("id", "key", "state", "priority", "next_attempt_at", "claimed_by", "lease_until", "attempts"),
            **plain("scrub_after_send", "claimed_at", "failed_at", "template"),
            "context": Item(
                "your name and signature numbers, from which it is written as it is sent; emptied then",
                CONSENT,
                LEADS,
                SENT_MAIL,
            ),
            "to": Item("the address it goes to", CONSENT, LEADS, SENT_MAIL, export=True, erase="row"),
            "to_hash": Item("a keyed hash of the address, kept to answer 'was it sent?'", INTEREST, NOBODY, SENT_MAIL),
            "subject": Item("its subject", CONSENT, LEADS, SENT_MAIL, export=True),
            "text": Item("its text, without links or codes once sent", CONSENT, LEADS, SENT_MAIL, export=True),
            "html": Item("its HTML, without links or codes once sent", CONSENT, LEADS, SENT_MAIL),
            "headers": Item("its unsubscribe link", CONSENT, LEADS, SENT_MAIL),
            "signature": Item("the signature it is about", CONSENT, LEADS, SENT_MAIL),
            "user": Item("the account it is for (sign-in codes)", CONTRACT, LEADS, SENT_MAIL),
            "last_error": Item("the mail server's last reply", INTEREST, LEADS, SENT_MAIL, export=True),
            "created_at": Item("when it was queued", CONSENT, LEADS, SENT_MAIL, export=True),
            "sent_at": Item("when it was sent", CONSENT, LEADS, SENT_MAIL, export=True),
        },
    ),
    "pledges.auditentry": Table(
        about="A staff decision or a data request, and its reasons.",
        owner="audit",
        erase="anonymise",
        fields={
            **plain("id", "action"),
            "at": Item("when it happened", STAFF, MODERATORS, "while the campaign runs", export=True, erase="keep"),
            "actor": Item("the staff member (or you, for your own requests)", STAFF, MODERATORS, UNTIL_ERASED),
            "signature": Item("the signature it was about", STAFF, MODERATORS, UNTIL_ERASED, erase="blank"),
            "reason": Item(
                "the reason staff chose from a list", STAFF, MODERATORS, UNTIL_ERASED, export=True, erase="keep"
            ),
            "note": Item("what staff wrote about it", STAFF, MODERATORS, UNTIL_ERASED, export=True, erase="blank"),
        },
    ),
    "pledges.stepstatus": Table(
        about="Whether you were reminded of, or did, each of the campaign's actions.",
        owner="steps",
        erase="delete",
        fields={
            **plain("id"),
            "canonical_email": Item("your address in a standard form", CONSENT, LEADS, UNTIL_ERASED),
            "step": Item("which action", CONSENT, MODERATORS + "; in counts only as totals", UNTIL_ERASED, True),
            "reminded_at": Item("when we reminded you", CONSENT, LEADS, UNTIL_ERASED, export=True),
            "chased_at": Item("when we reminded you again, after it was due", CONSENT, LEADS, UNTIL_ERASED, True),
            "done_at": Item(
                "when you marked it done", CONSENT, LEADS + "; in counts only as totals", UNTIL_ERASED, True
            ),
        },
    ),
    "pledges.emailpreference": Table(
        about="Which emails you want.",
        owner="preferences",
        erase="delete",
        fields={
            **plain("id"),
            "canonical_email": Item("your address in a standard form", CONSENT, LEADS, UNTIL_ERASED),
            "reminders": Item("whether you want reminders", CONSENT, LEADS, UNTIL_ERASED, export=True),
            "updates": Item("whether you want updates", CONSENT, LEADS, UNTIL_ERASED, export=True),
            "changed_at": Item("when you last changed them", CONSENT, LEADS, UNTIL_ERASED, export=True),
        },
    ),
    "pledges.inspectorstatuschange": Table(
        about="Each change you made to what you have done as an inspector, with its date.",
        owner="status_history",
        erase="delete",
        fields={
            **plain("id"),
            "signature": Item("your signature", CONSENT, MODERATORS, UNTIL_ERASED),
            "status": Item(
                "what you had done (unavailable, resigned, waiting for others, returned)",
                CONSENT,
                MODERATORS + "; in the stand-down figures only as totals",
                UNTIL_ERASED,
                export=True,
            ),
            "previous": Item("what you had said before", CONSENT, MODERATORS, UNTIL_ERASED, export=True),
            "on": Item("the date you gave for it", CONSENT, MODERATORS, UNTIL_ERASED, export=True),
            "recorded_at": Item("when you recorded it", CONSENT, MODERATORS, UNTIL_ERASED, export=True),
        },
    ),
    "pledges.boardresolution": Table(
        about="A board resolution you recorded: the board's decision stays; your name and address go.",
        owner="resolutions",
        erase="anonymise",
        fields={
            **plain("id", "body", "school", "trust_name", "meeting_on", "named", "state"),
            **plain("created_at", "confirmed_at", "decided_at"),
            "recorder_name": Item(
                "your name, as the person recording it", CONSENT, MODERATORS, UNTIL_ERASED, True, "blank"
            ),
            "recorder_email": Item("your email address", CONSENT, LEADS, UNTIL_ERASED, export=True, erase="blank"),
            "recorder_canonical": Item("your address in a standard form", CONSENT, LEADS, UNTIL_ERASED, erase="blank"),
            "recorder_role": Item("your role", CONSENT, MODERATORS, UNTIL_ERASED, export=True, erase="keep"),
            "decided_by": Item(
                "the staff member who checked it", STAFF, MODERATORS, "while the campaign runs", erase="keep"
            ),
            "decision_note": Item("what staff wrote about it", STAFF, MODERATORS, UNTIL_ERASED, erase="keep"),
        },
    ),
    "pledges.postcodearea": Table(
        about="Postcode sectors and districts placed in constituencies, from the schools register.",
        personal=False,
        fields=plain("prefix", "constituency"),
    ),
    "pledges.schoolterm": Table(
        about="England's school terms, as staff enter them.",
        personal=False,
        fields=plain("id", "name", "starts_on", "half_term_starts_on", "returns_on", "ends_on"),
    ),
    "pledges.campaignsource": Table(
        about="A named campaign link staff hand to a union or partner.",
        personal=False,
        fields=plain("id", "slug", "name", "created_at"),
    ),
    "pledges.offlinesupport": Table(
        about="Support gathered on paper or at meetings, entered by staff as numbers.",
        personal=False,
        fields={
            **plain("id", "pledge", "region", "gathered_on", "count", "note", "created_at"),
            "recorded_by": Item(
                "the staff member who entered it", STAFF, MODERATORS, "while the campaign runs", erase="keep"
            ),
        },
    ),
    "pledges.invitation": Table(
        about="An invitation you sent a colleague; their address only as a keyed hash.",
        owner="invitations",
        erase="anonymise",
        fields={
            **plain("id"),
            "recipient_hash": Item(
                "a keyed hash of your colleague's address", INTEREST, NOBODY, "for good", erase="keep"
            ),
            "signature": Item("your signature, as the sender", CONSENT, LEADS, UNTIL_ERASED, erase="blank"),
            "created_at": Item("when you sent it", CONSENT, LEADS, UNTIL_ERASED, export=True, erase="keep"),
            "refused_at": Item("when the colleague asked for no more", INTEREST, LEADS, "for good", True, "keep"),
        },
    ),
    "auth.user": Table(
        about="Your account.",
        owner="user",
        erase="delete",
        fields={
            **plain("id", "is_superuser", "is_staff", "is_active", "groups", "user_permissions"),
            "password": Item("a hash of your password, if you set one", CONTRACT, NOBODY, UNTIL_ERASED),
            "last_login": Item("when you last signed in", CONTRACT, SUPERUSERS, UNTIL_ERASED, export=True),
            "username": Item("an internal account name", CONTRACT, SUPERUSERS, UNTIL_ERASED),
            "first_name": Item("unused for signers; a staff member's name", CONTRACT, SUPERUSERS, UNTIL_ERASED, True),
            "last_name": Item("unused for signers; a staff member's name", CONTRACT, SUPERUSERS, UNTIL_ERASED, True),
            "email": Item("your address", CONTRACT, SUPERUSERS, UNTIL_ERASED, export=True),
            "date_joined": Item("when your account was made", CONTRACT, SUPERUSERS, UNTIL_ERASED, export=True),
        },
    ),
    "pledges.signeraccount": Table(
        about="Which account holds your addresses: one per mailbox, however the address is spelt.",
        owner="signer_accounts",
        erase="delete",
        fields={
            **plain("id"),
            "mailbox": Item("your address in a standard form", CONTRACT, SUPERUSERS, UNTIL_ERASED, export=True),
            "user": Item("your account", CONTRACT, SUPERUSERS, UNTIL_ERASED),
        },
    ),
    "account.emailaddress": Table(
        about="Your account's address (allauth).",
        owner="addresses",
        erase="delete",
        fields={
            **plain("id", "primary"),
            "user": Item("your account", CONTRACT, SUPERUSERS, UNTIL_ERASED),
            "email": Item("your address", CONTRACT, SUPERUSERS, UNTIL_ERASED, export=True),
            "verified": Item("that you proved it", CONTRACT, SUPERUSERS, UNTIL_ERASED, export=True),
        },
    ),
    "account.emailconfirmation": Table(
        about="allauth's address confirmations (not used: addresses are proved by confirming a signature).",
        owner="confirmations",
        erase="delete",
        fields={
            **plain("id", "sent", "created"),
            "email_address": Item("your address", CONTRACT, NOBODY, UNTIL_ERASED),
            "key": Item("a one-time key", CONTRACT, NOBODY, UNTIL_ERASED),
        },
    ),
    "mfa.authenticator": Table(
        about="A staff member's second factor (allauth).",
        owner="authenticators",
        erase="delete",
        fields={
            **plain("id"),
            "user": Item("the account", CONTRACT, SUPERUSERS, UNTIL_ERASED),
            "type": Item("the kind of second factor", CONTRACT, SUPERUSERS, UNTIL_ERASED, export=True),
            "data": Item("its secret, encrypted by allauth", CONTRACT, NOBODY, UNTIL_ERASED),
            "created_at": Item("when it was added", CONTRACT, SUPERUSERS, UNTIL_ERASED, export=True),
            "last_used_at": Item("when it was last used", CONTRACT, SUPERUSERS, UNTIL_ERASED, export=True),
        },
    ),
    "sessions.session": Table(
        about="A signed-in browser's session, with allauth's record of how you signed in.",
        owner="sessions",
        erase="delete",
        fields={
            "session_key": Item("the session's secret key", CONTRACT, NOBODY, SESSION),
            "session_data": Item("your account id and how you signed in", CONTRACT, NOBODY, SESSION),
            "expire_date": Item("when it ends", CONTRACT, NOBODY, SESSION),
        },
    ),
    "admin.logentry": Table(
        about="Django's record of staff edits in the admin.",
        owner="admin_log",
        erase="delete",
        fields={
            **plain("id", "content_type", "object_id", "action_flag"),
            "action_time": Item(
                "when a staff member changed something", STAFF, SUPERUSERS, "while the campaign runs", True
            ),
            "user": Item("the staff member", STAFF, SUPERUSERS, "while the campaign runs"),
            "object_repr": Item("what was changed, by name", STAFF, SUPERUSERS, "while the campaign runs", True),
            "change_message": Item("which fields changed", STAFF, SUPERUSERS, "while the campaign runs", True),
        },
    ),
    "pledges.invalidation": Table(
        about="A staff job that invalidates signatures by criteria.",
        fields={
            **plain("id", "summary", "pledge", "state", "matched", "invalidated", "created_at"),
            **plain("started_at", "finished_at", "created_from", "created_to", "name_contains"),
            "ip_address": Item("an IP address staff are investigating", INTEREST, LEADS, "while the campaign runs"),
            "network": Item("an IP network staff are investigating", INTEREST, LEADS, "while the campaign runs"),
            "network_hash": Item("a hashed IP network", INTEREST, LEADS, "while the campaign runs"),
            "email_domain": Item("an email domain", INTEREST, LEADS, "while the campaign runs"),
            "created_by": Item("the staff member", STAFF, LEADS, "while the campaign runs"),
        },
    ),
    "pledges.broadcast": Table(
        about="An update staff send to signers.",
        fields={
            **plain("id", "subject", "body", "pledge", "region", "role", "step", "step_filter", "state"),
            **plain("audience_size", "queued", "created_at", "started_at", "finished_at"),
            "created_by": Item("the staff member", STAFF, LEADS, "while the campaign runs"),
        },
    ),
    "briefings.revision": Table(
        about="An earlier version of a page or news post.",
        fields={
            **plain("id", "content_type", "object_id", "data", "saved_at", "note"),
            "saved_by": Item("the staff member", STAFF, LEADS, "while the campaign runs"),
        },
    ),
    "pledges.siteswitches": Table(
        about="Switches staff flip without a deploy.",
        personal=False,
        fields=plain(
            "id", "signing_paused", "pause_message", "counts_frozen", "frozen_counts", "campaign_ended_on", "updated_at"
        ),
    ),
    "pledges.school": Table(
        about="The public schools register (no head teacher names are imported).",
        personal=False,
        fields=plain(
            "urn",
            "name",
            "town",
            "postcode",
            "la_code",
            "la_name",
            "region",
            "establishment_type",
            "type_group",
            "phase",
            "status",
            "constituency",
            "trust_name",
            "website_domain",
            "is_open",
            "is_state_funded",
            "search_text",
            "updated_at",
        ),
    ),
    "pledges.pledge": Table(
        about="A pledge.",
        personal=False,
        fields=plain(
            "id",
            "slug",
            "title",
            "statement",
            "summary",
            "roles",
            "asks_inspector_status",
            "opens_at",
            "closes_at",
            "threshold",
            "threshold_reached_at",
            "denominator_figure",
            "denominator_roles",
            "outcome",
            "is_paused",
            "position",
        ),
    ),
    "pledges.pledgeversion": Table(
        about="The words of a pledge as people signed them.",
        personal=False,
        fields=plain("id", "pledge", "number", "statement", "created_at"),
    ),
    "briefings.position": Table(
        about="Union positions.",
        personal=False,
        fields=plain("id", "organisation", "union", "date", "date_label", "stance", "summary", "source", "source_url"),
    ),
    "pledges.pledgecount": Table(
        about="Counts.", personal=False, fields=plain("id", "pledge", "region", "shard", "count")
    ),
    "pledges.recount": Table(about="Recount log.", personal=False, fields=plain("id", "ran_at", "drift")),
    "pledges.blockeddomain": Table(
        about="Domains staff block.", personal=False, fields=plain("id", "domain", "reason", "created_at")
    ),
    "pledges.mailserverstatus": Table(
        about="The mail server's state.",
        personal=False,
        fields=plain("id", "failures", "down_since", "retry_at", "last_error", "alerted_at"),
    ),
    "pledges.rejectionreason": Table(
        about="Reasons to choose from.", personal=False, fields=plain("id", "text", "position")
    ),
    "pledges.actionstep": Table(
        about="The campaign's actions.",
        personal=False,
        fields=plain(
            "id",
            "slug",
            "title",
            "what_to_do",
            "help_text",
            "template_letter",
            "due_after_days",
            "due_rule",
            "remind_days_before",
            "chase_days_after",
            "invites_colleagues",
            "position",
            "pledges",
        ),
    ),
    "auth.permission": Table(about="", personal=False, fields=plain("id", "name", "content_type", "codename")),
    "auth.group": Table(about="", personal=False, fields=plain("id", "name", "permissions")),
    "contenttypes.contenttype": Table(about="", personal=False, fields=plain("id", "app_label", "model")),
    "briefings.page": Table(
        about="Content.",
        personal=False,
        fields=plain(
            "id",
            "slug",
            "title",
            "summary",
            "body",
            "status",
            "publish_at",
            "nav_position",
            "show_sign_button",
            "updated_at",
        ),
    ),
    "briefings.newspost": Table(
        about="News.",
        personal=False,
        fields=plain("id", "slug", "title", "summary", "body", "status", "publish_at", "updated_at"),
    ),
    "briefings.figure": Table(
        about="Figures.",
        personal=False,
        fields=plain("id", "key", "label", "value", "number", "source", "source_url", "as_of", "show_on_counts"),
    ),
}

# Not tables, but on the map all the same.
OUTSIDE_THE_DATABASE = [
    (
        "Web server access log",
        "the time, method, address (with every token replaced by [token]), status, size and duration of each "
        "request; never the IP address",
        INTEREST,
        "the operator",
        "as the host keeps logs (rotate within 14 days)",
    ),
    (
        "Application log",
        "errors and counts of what the retention jobs removed; paths with every token replaced by [token]",
        INTEREST,
        "the operator",
        "as the host keeps logs (rotate within 14 days)",
    ),
    (
        "Cache (Redis)",
        "rate-limit counters keyed by hashed IP addresses and domains, and the public counts",
        INTEREST,
        NOBODY,
        "ten minutes at most",
    ),
]
