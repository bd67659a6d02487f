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


def sign_and_confirm(client, pledges, capture, **overrides) -> None:
    with capture(execute=True):
        client.post("/sign/", form_data(pledges, **overrides))
    with capture(execute=True):
        client.post(confirm_link(mail.outbox[-1]))


def log_in_by_code(client, email: str, capture) -> None:
    with capture(execute=True):
        response = client.post("/accounts/login/code/", {"email": email})
    assert response.status_code == 302
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", mail.outbox[-1].body, re.M).group(1)
    confirmed = client.post(response["Location"], {"code": code})
    assert confirmed.status_code == 302, confirmed.content.decode()[:2000]
