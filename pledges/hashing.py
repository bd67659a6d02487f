"""Keyed hashing: how the site remembers an address or an IP without keeping it.

Every hash is keyed with SECRET_KEY, so nobody without the key can test a guess
against a stored value, and salted by its kind, so an IP hash never matches an
email hash.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings


def hash_value(kind: str, value: str) -> str:
    key = hashlib.sha256(f"{settings.SECRET_KEY}:{kind}".encode()).digest()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def signer_key(canonical: str) -> str:
    """A signer's part of an outbox key: stable, but no address in the clear for staff to read."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:signer:{canonical}".encode()).hexdigest()[:32]
