"""The action plan's forms: inviting colleagues, and choosing emails from a link."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from pledges.addresses import clean_address


class InviteForm(forms.Form):
    emails = forms.CharField(
        label="Your colleagues' email addresses",
        help_text="Up to three, one on each line. We send each one short email naming you, and do not keep "
        "their addresses after sending.",
        max_length=800,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        error_messages={
            "required": "Enter at least one email address",
            "max_length": "Enter up to three email addresses",
        },
    )

    def clean_emails(self) -> list[str]:
        addresses = [line.strip() for line in self.cleaned_data["emails"].replace(",", "\n").splitlines()]
        addresses = [a for a in addresses if a]
        if not addresses:
            raise ValidationError("Enter at least one email address")
        if len(addresses) > 3:
            raise ValidationError("Enter up to three email addresses")
        for address in addresses:
            try:
                clean_address(address)
            except ValidationError:
                raise ValidationError(f"“{address[:60]}” is not an email address, like name@example.com") from None
        return addresses


class PreferencesForm(forms.Form):
    reminders = forms.BooleanField(label="Reminders about the campaign's four actions", required=False)
    updates = forms.BooleanField(label="Occasional updates from the campaign", required=False)
