"""Keyed hashing: how the site remembers an address or an IP without keeping it.

Every hash is keyed with SECRET_KEY, so nobody without the key can test a guess
against a stored value, and salted by its kind, so an IP hash never matches an
email hash.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

from pledges.addresses import mailbox_email


def hash_value(kind: str, value: str) -> str:
    key = hashlib.sha256(f"{settings.SECRET_KEY}:{kind}".encode()).digest()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def signer_key(canonical: str) -> str:
    """A signer's part of an outbox key: stable, but no address in the clear for staff to read."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:signer:{canonical}".encode()).hexdigest()[:32]


def recipient_hash(address: str) -> str:
    """Kept after the address itself is removed: enough to answer "was it sent to me?".

    By mailbox: jane+x@ at a domain nobody knows may be someone other than jane@ (addresses.mailbox_email).
    """
    return hash_value("recipient", mailbox_email(address))


def withdrawn_link(address: str) -> str:
    """What a withdrawn signature keeps of its address (Signature.reduce): enough for its owner's export to find it."""
    return ":" + hash_value("withdrawn", mailbox_email(address))[:32]
