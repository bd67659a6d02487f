"""CSV export of signatures, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.db.models import QuerySet

from pledges.models import Signature

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = [
    ("id", lambda s: s.pk),
    ("pledge", lambda s: s.pledge.slug),
    ("name", lambda s: s.name),
    ("email", lambda s: s.email),
    ("role", lambda s: s.get_role_display()),
    ("school", lambda s: s.school.name if s.school else ""),
    ("urn", lambda s: s.school_id or ""),
    ("local_authority", lambda s: s.local_authority),
    ("region", lambda s: s.get_region_display()),
    ("appearance", lambda s: s.appearance),
    ("state", lambda s: s.state),
    ("wall", lambda s: s.wall),
    ("created_at", lambda s: s.created_at.isoformat()),
    ("confirmed_at", lambda s: s.confirmed_at.isoformat() if s.confirmed_at else ""),
]


def neutralise(value) -> str:
    """A cell a spreadsheet would run as a formula is prefixed with an apostrophe."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class Echo:
    def write(self, value: str) -> str:
        return value


PRIVATE_COLUMNS = {"email"}


def signature_rows(signatures: QuerySet[Signature], *, with_addresses: bool) -> Iterator[str]:
    """CSV lines; the address column only for staff allowed to see addresses (pledges.personal_data)."""
    columns = [(name, get) for name, get in COLUMNS if with_addresses or name not in PRIVATE_COLUMNS]
    writer = csv.writer(Echo())
    yield writer.writerow([name for name, _ in columns])
    for signature in signatures.select_related("pledge", "school").iterator(chunk_size=2000):
        yield writer.writerow([neutralise(get(signature)) for _, get in columns])
