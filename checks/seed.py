"""Sample data for `make check`: signatures in every state the public pages show, and each email's HTML.

Run by checks/run.py with the site's settings, against the checks' own SQLite database.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pausecampaign.settings")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
django.setup()

from pledges import emails
from pledges.accounts import link_account
from pledges.models import ActionStep, Broadcast, Pledge, School, Signature
from pledges.outbox import render_email
from pledges.tokens import make_token
from tests.factories import ConfirmedSignatureFactory


def seed() -> None:
    support = Pledge.objects.get(slug="support-the-pause")
    stand_down = Pledge.objects.get(slug="stand-down")
    school = School.objects.filter(is_open=True).first()
    for number, region in enumerate("HHHHJJJKKKBBB"):
        named = ConfirmedSignatureFactory(
            pledge=support if number % 2 else stand_down,
            name=f"Sample Signer {number}",
            email=f"sample{number}@school.example",
            region=region,
            school=school if number % 3 == 0 else None,
            appearance="name_school" if number % 4 == 0 else "name",
            union="neu",
            union_consent=True,
        )
        named.approve(by=None)
    link_account("sample0@school.example")


def write_emails(folder: Path) -> None:
    """Every email template's HTML part, rendered with sample data, for the HTML checker."""
    folder.mkdir(parents=True, exist_ok=True)
    signature = Signature.objects.counted().select_related("pledge").first()
    step = ActionStep.objects.first()
    broadcast = Broadcast(subject="An update", body="**Next step:** read [the letter](/open-letter/).")
    footer = emails.footer_context(signature)
    link = emails.link
    contexts = {
        "confirm": {"name": signature.name, "signatures": [signature], "confirm_url": link("pledges:confirm", "t")},
        "confirm_reminder": {"signature": signature, "confirm_url": link("pledges:confirm", "t")},
        "already_signed": {"signature": signature, "manage_url": link("pledges:manage", "t")},
        "threshold_reached": {"signature": signature, "pledge": signature.pledge, "manage_url": "u", **footer},
        "step_reminder": {"signature": signature, "step": step, "step_url": link("pledges:step", "t"), **footer},
        "invitation": {
            "signature": signature,
            "sign_url": link("pledges:pledge", signature.pledge.slug),
            "refuse_url": link("pledges:refuse_invitations", make_token("invitee", [1])),
        },
        "broadcast": {"broadcast": broadcast, "signature": signature, **emails.broadcast_bodies(broadcast), **footer},
    }
    for template, context in contexts.items():
        _, _, html = render_email(template, context)
        (folder / f"email-{template}.html").write_text(html, encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1] == "seed":
        seed()
    else:
        write_emails(Path(sys.argv[2]))
