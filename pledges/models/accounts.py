"""Which account holds a signer's addresses: one per mailbox, whatever the spelling."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SignerAccount(models.Model):
    """The one account for a mailbox (pledges.addresses.mailbox_email).

    janedoe@gmail.com and Jane.Doe@gmail.com reach one mailbox and so one person: the
    unique mailbox here makes them one account, so signing in, the export and the
    erasure each see the whole of that person, never half of them.
    """

    mailbox = models.CharField(max_length=254, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signer_accounts")

    def __str__(self) -> str:
        return f"account {self.user_id}"
