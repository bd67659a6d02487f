"""One account per mailbox.

Before this, link_account keyed accounts on the lower-cased address, so
janedoe@gmail.com and Jane.Doe@gmail.com made two accounts for one person, and
erasing one left the other. Each mailbox (pledges.addresses.mailbox_email) now
names one account (SignerAccount). Existing accounts are keyed here: active ones
first, staff before signers, older before newer. A signer's account that shares a
mailbox with one keyed before it is folded into that one (its addresses, outbox
rows, audit entries and second factors move across) and then deleted. Staff
accounts are never folded, nor a signer's whose second factor the other account
has a kind of already: those keep their own addresses, unkeyed.
"""

import logging

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from pledges.addresses import mailbox_email

log = logging.getLogger(__name__)


def key_accounts(apps, schema_editor):
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    EmailAddress = apps.get_model("account", "EmailAddress")
    Authenticator = apps.get_model("mfa", "Authenticator")
    SignerAccount = apps.get_model("pledges", "SignerAccount")
    Email = apps.get_model("pledges", "Email")
    AuditEntry = apps.get_model("pledges", "AuditEntry")

    owner: dict[str, int] = {}
    users = User.objects.filter(emailaddress__verified=True).distinct()
    for user in users.order_by("-is_active", "-is_superuser", "-is_staff", "date_joined", "pk"):
        emails = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
        mailboxes = {mailbox_email(e) for e in emails}
        taken = sorted({owner[m] for m in mailboxes if m in owner})
        into = user.pk
        if taken and not (user.is_staff or user.is_superuser):
            kinds = set(Authenticator.objects.filter(user=user).values_list("type", flat=True))
            if kinds & set(Authenticator.objects.filter(user_id=taken[0]).values_list("type", flat=True)):
                log.warning("account %s shares a mailbox with account %s; both have a second factor", user.pk, taken[0])
                continue
            into = taken[0]
            EmailAddress.objects.filter(user=user, verified=False).delete()
            EmailAddress.objects.filter(user=user).update(user_id=into, primary=False)
            Email.objects.filter(user=user).update(user_id=into)
            AuditEntry.objects.filter(actor=user).update(actor_id=into)
            Authenticator.objects.filter(user=user).update(user_id=into)
            user.delete()
        for mailbox in mailboxes - owner.keys():
            owner[mailbox] = into
            SignerAccount.objects.create(mailbox=mailbox, user_id=into)


class Migration(migrations.Migration):
    dependencies = [
        ("pledges", "0024_lean_write_indexes"),
        ("account", "0009_emailaddress_unique_primary_email"),
        ("mfa", "0003_authenticator_type_uniq"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SignerAccount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("mailbox", models.CharField(max_length=254, unique=True)),
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
