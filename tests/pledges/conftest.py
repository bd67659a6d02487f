from __future__ import annotations

import re

from django.core import mail

from pledges.models import Pledge


def form_data(chosen: list[Pledge], **overrides) -> dict:
    data = {
        "pledges": [str(p.pk) for p in chosen],
        "name": "Jane Head",
        "email": "jane@example.com",
        "role": "head",
        "region": "H",
        "appearance": "counted",
        "consent": "on",
        "inspector_status": "unavailable",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def confirm_link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/confirm/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def last_link(path_prefix: str) -> str:
    match = re.search(rf"https?://[^/\s]+({path_prefix}[^\s]+/)", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)
