"""Security fixes to existing data.

1. Addresses added to accounts by hand and never proved are claims, not ownership:
   delete them, so confirming a signature can never hand them to the wrong account.
2. Canonical addresses are recomputed under the new rules (IDNA on the wire,
   provider plus-tag rules). A row whose new canonical form would collide with
   another signature of the same pledge keeps its old form and is logged for staff.
"""

import logging

from django.db import IntegrityError, migrations, transaction

from pledges.addresses import canonical_email, domain_of

log = logging.getLogger(__name__)


def drop_unproved(apps, schema_editor):
    EmailAddress = apps.get_model("account", "EmailAddress")
    EmailAddress.objects.filter(verified=False).delete()


def recanonicalise(apps, schema_editor):
    Signature = apps.get_model("pledges", "Signature")
    for signature in Signature.objects.all().iterator():
        canonical, domain = canonical_email(signature.email), domain_of(signature.email)
        if (canonical, domain) == (signature.canonical_email, signature.email_domain):
            continue
        try:
            with transaction.atomic():
                Signature.objects.filter(pk=signature.pk).update(canonical_email=canonical, email_domain=domain)
        except IntegrityError:
            log.warning("signature %s: another signature of its pledge has the same canonical address", signature.pk)
    for model in ("StepStatus", "EmailPreference"):
        Model = apps.get_model("pledges", model)
        for row in Model.objects.all().iterator():
            canonical = canonical_email(row.canonical_email)
            if canonical == row.canonical_email:
                continue
            try:
                with transaction.atomic():
                    Model.objects.filter(pk=row.pk).update(canonical_email=canonical)
            except IntegrityError:
                pass  # the row under the new form already says the same


class Migration(migrations.Migration):
    dependencies = [
        ("pledges", "0009_invitations_and_private_details"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]
    operations = [
        migrations.RunPython(drop_unproved, migrations.RunPython.noop),
        migrations.RunPython(recanonicalise, migrations.RunPython.noop),
    ]
