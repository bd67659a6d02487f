"""Signed, expiring tokens for links in emails."""

from __future__ import annotations

from datetime import timedelta

from django.core import signing


class BadToken(Exception):
    pass


class ExpiredToken(BadToken):
    pass


def make_token(purpose: str, ids: list[int]) -> str:
    return signing.dumps(ids, salt=f"pledges.{purpose}", compress=True)


def read_token(purpose: str, token: str, max_age: timedelta | None) -> list[int]:
    try:
        ids = signing.loads(token, salt=f"pledges.{purpose}", max_age=max_age)
    except signing.SignatureExpired:
        try:
            return_ids = signing.loads(token, salt=f"pledges.{purpose}")
        except signing.BadSignature:
            raise BadToken from None
        raise ExpiredToken(return_ids) from None
    except signing.BadSignature:
        raise BadToken from None
    if not isinstance(ids, list) or not ids or not all(isinstance(i, int) for i in ids):
        raise BadToken
    return ids
