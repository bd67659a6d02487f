"""What the privacy notice and the footer state, read from the settings the code itself obeys.

The notice's retention periods come from the same settings the retention jobs use, and
the controller from the settings production refuses to start without, so the notice
cannot drift from what the site does. Staff write the rest of the notice in the admin
and place these blocks with [[controller]] and [[retention]].
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import SafeString


def controller() -> dict:
    return {
        "name": settings.CONTROLLER_NAME,
        "address": settings.CONTROLLER_ADDRESS,
        "email": settings.CONTROLLER_EMAIL,
        "dpo_name": settings.DPO_NAME,
        "dpo_email": settings.DPO_EMAIL,
    }


def retention_periods() -> list[tuple[str, str]]:
    """The retention periods as the privacy notice shows them: read from the settings the jobs use."""
    unconfirmed = settings.UNCONFIRMED_EXPIRES_AFTER.days
    purged = settings.EXPIRED_PURGED_AFTER.days
    refused = settings.RETAIN_REFUSED.days
    sent = settings.RETAIN_SENT_EMAIL.days
    after = settings.RETAIN_AFTER_CAMPAIGN.days
    return [
        ("Signatures never confirmed", f"{unconfirmed} days, then deleted {purged} days after signing"),
        ("Signatures held as suspect, rejected or invalidated by staff", f"{refused} days after the decision"),
        (
            "Your name, email, school and union on a withdrawn signature",
            "deleted as soon as you withdraw; the row keeps only the pledge, region, role, dates and any reason",
        ),
        ("Your union", "until you withdraw that consent (deleted at once), the signature, or all your data"),
        ("Links and sign-in codes in emails we sent", "removed as soon as the email is sent"),
        ("The rest of an email we sent, and the address it went to", f"{sent} days after sending"),
        (
            "Colleagues' addresses you gave us to invite",
            "deleted once the invitation is sent; a keyed hash stays so nobody can invite them twice",
        ),
        ("Signed-in sessions", "until they expire; expired ones are cleared daily"),
        ("Everything else about signers", f"until you erase it, or {after} days after the campaign ends"),
    ]


BLOCKS = {
    "controller": lambda: render_to_string("includes/controller.html", {"controller": controller()}),
    "retention": lambda: render_to_string("includes/retention.html", {"periods": retention_periods()}),
}


def block(name: str) -> SafeString | None:
    """The HTML for [[name]] in a page's Markdown, or None for an unknown name."""
    render = BLOCKS.get(name)
    return SafeString(render()) if render else None
