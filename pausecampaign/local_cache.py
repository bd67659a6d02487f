"""A few seconds of per-process memory for small values read on every request.

Site switches and the blocked-domain list change rarely; reading them from Redis
on every signing costs a round trip each. Staff changes reach every process within
LOCAL_SECONDS (and at once in the process that saved them).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from django.db import transaction

LOCAL_SECONDS = 2.0
_values: dict[str, tuple[float, Any]] = {}
_lock = threading.Lock()


def local_cached(key: str, load: Callable[[], Any], seconds: float = LOCAL_SECONDS) -> Any:
    now = time.monotonic()
    found = _values.get(key)
    if found and found[0] > now:
        return found[1]
    value = load()
    with _lock:
        _values[key] = (now + seconds, value)
    return value


def forget(key: str) -> None:
    """Now, and again once the current transaction commits (at once outside one).

    Staff saves run in a transaction: another thread of the process can load the old rows back
    between the save and its commit, and would keep them for LOCAL_SECONDS without the second forget.
    """
    _drop(key)
    transaction.on_commit(lambda: _drop(key))


def _drop(key: str) -> None:
    with _lock:
        _values.pop(key, None)


def forget_all() -> None:
    with _lock:
        _values.clear()
