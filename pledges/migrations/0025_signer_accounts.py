"""One account per mailbox.

Before this, link_account keyed accounts on the lower-cased address, so
janedoe@gmail.com and Jane.Doe@gmail.com made two accounts for one person, and
erasing one left the other. Each canonical address now names one account
(SignerAccount). Existing accounts are keyed here; a signer's account that shares
a mailbox with an earlier one is folded into it (its addresses, outbox rows and
audit entries move across) and then deleted. Staff accounts are never folded.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from pledges.addresses import canonical_email


def key_accounts(apps, schema_editor):
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    EmailAddress = apps.get_model("account", "EmailAddress")
    SignerAccount = apps.get_model("pledges", "SignerAccount")
    Email = apps.get_model("pledges", "Email")
    AuditEntry = apps.get_model("pledges", "AuditEntry")

    owner: dict[str, int] = {}
    users = User.objects.filter(emailaddress__verified=True).distinct()
    for user in users.order_by("-is_superuser", "-is_staff", "date_joined", "pk"):
        emails = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
        canonicals = {canonical_email(e) for e in emails}
        taken = sorted({owner[c] for c in canonicals if c in owner})
        signer = not (user.is_staff or user.is_superuser) and user.password.startswith("!")
        if taken and signer:
            into = taken[0]
            EmailAddress.objects.filter(user=user, verified=False).delete()
            EmailAddress.objects.filter(user=user).update(user_id=into, primary=False)
            Email.objects.filter(user=user).update(user_id=into)
            AuditEntry.objects.filter(actor=user).update(actor_id=into)
            user.delete()
        else:
            into = user.pk
        for canonical in canonicals - owner.keys():
            owner[canonical] = into
            SignerAccount.objects.create(canonical_email=canonical, user_id=into)


class Migration(migrations.Migration):
    dependencies = [
        ("pledges", "0024_lean_write_indexes"),
        ("account", "0009_emailaddress_unique_primary_email"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SignerAccount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("canonical_email", models.CharField(max_length=254, unique=True)),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="signer_accounts",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
        ),
        migrations.RunPython(key_accounts, migrations.RunPython.noop),
    ]
