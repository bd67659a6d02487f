"""Rate counters: how many times something happened in the current window, on Redis in one round trip."""

from __future__ import annotations

import time

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache

WINDOW_SECONDS = 300
_client = None


def redis_client():
    """One client per process for the counters. Django's Redis cache builds a new client object on
    every access (hundreds of dictionary writes each time); the connection pool is the same."""
    global _client
    if _client is None:
        _client = caches["default"]._cache.get_client(write=True)
    return _client


def hits(*buckets: str, window_seconds: int = WINDOW_SECONDS) -> list[int]:
    """Count one event in each bucket's current window; return the windows' totals.

    On Redis this is one round trip (INCR and EXPIRE for every bucket in a pipeline):
    it runs on every signing.
    """
    window = int(time.time() // window_seconds)
    keys = [cache.make_and_validate_key(f"rl:{bucket}:{window}") for bucket in buckets]
    try:
        # `cache` is a proxy; the backend behind it says whether this is Redis.
        if isinstance(caches["default"], RedisCache):
            pipe = redis_client().pipeline(transaction=False)
            for key in keys:
                pipe.incr(key)
                pipe.expire(key, window_seconds * 2)
            return pipe.execute()[::2]
        totals = []
        for bucket in buckets:
            key = f"rl:{bucket}:{window}"
            cache.add(key, 0, window_seconds * 2)
            totals.append(cache.incr(key))
        return totals
    except Exception:  # noqa: BLE001 - a cache outage must not stop honest signers
        return [0] * len(buckets)


def hit(bucket: str, window_seconds: int = WINDOW_SECONDS) -> int:
    return hits(bucket, window_seconds=window_seconds)[0]
