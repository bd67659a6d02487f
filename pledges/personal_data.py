"""Who may see signers' private details in the admin, decided once.

Names, roles, schools and regions are what moderation is about; everyone with
access to signatures sees them. Addresses, and the details that point to a
person or to special category data (union membership, why they withdrew, the
hashed network they signed from), are for roles holding one permission. Every
admin page that can reveal a field (lists, search, filters, lookups in the query
string, the change form, autocomplete, exports) asks these two functions.
"""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model

SEE_PRIVATE_DETAILS = "pledges.view_signer_email"

# Keyed by "app_label.model_name": the fields only SEE_PRIVATE_DETAILS may see.
PRIVATE_FIELDS: dict[str, frozenset[str]] = {
    "pledges.signature": frozenset(
        {
            "email",
            "canonical_email",
            "email_domain",
            "ip_hash",
            "network_hash",
            "union",
            "union_consent",
            "withdraw_reason",
        }
    ),
    "pledges.email": frozenset({"to", "text", "html", "headers"}),
    "pledges.stepstatus": frozenset({"canonical_email"}),
    "pledges.emailpreference": frozenset({"canonical_email"}),
    "pledges.invitation": frozenset({"recipient_hash"}),
    "pledges.boardresolution": frozenset({"recorder_email", "recorder_canonical"}),
    "pledges.invalidation": frozenset({"ip_address", "network", "network_hash", "email_domain"}),
    "account.emailaddress": frozenset({"email"}),
    "auth.user": frozenset({"email", "username"}),
}


def can_see_private_details(user) -> bool:
    return bool(user and user.is_active and user.has_perm(SEE_PRIVATE_DETAILS))


def private_fields(model: type[Model]) -> frozenset[str]:
    return PRIVATE_FIELDS.get(model._meta.label_lower, frozenset())


def reveals_private(model: type[Model], lookup: str) -> bool:
    """Does a field path such as `signature__email__startswith` pass through a private field?"""
    for part in lookup.lstrip("=^@").split("__"):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False  # the rest is a lookup or transform, not a field
        if part in private_fields(model) or field.name in private_fields(model):
            return True
        if not field.is_relation or field.related_model is None:
            return False
        model = field.related_model
    return False
