"""Silent anti-abuse: held signatures look normal to the sender and never count."""

from __future__ import annotations

import pytest
from django.core import mail

from pledges.models import BlockedDomain, Signature
from tests.pledges.conftest import form_data


def sign(client, support, capture, **overrides):
    with capture(execute=True):
        return client.post("/sign/", form_data([support], **overrides), **overrides.pop("extra", {}))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"website": "http://spam.example"}, "honeypot"),
        ({"email": "someone@mailinator.com"}, "disposable domain"),
        ({"email": "someone@eu.yopmail.com"}, "disposable domain"),
    ],
)
def test_it_holds_a_suspect_signing_without_saying_so(
    client, support, django_capture_on_commit_callbacks, overrides, reason
):
    response = sign(client, support, django_capture_on_commit_callbacks, **overrides)
    assert response.status_code == 302
    assert response["Location"] == "/sign/check-your-email/"
    signature = Signature.objects.get()
    assert (signature.state, signature.fraud_reason) == (Signature.State.FRAUDULENT, reason)
    assert mail.outbox == []
    assert Signature.objects.counted().count() == 0


@pytest.mark.django_db
def test_it_holds_addresses_from_a_domain_staff_blocked(client, support, django_capture_on_commit_callbacks):
    BlockedDomain.objects.create(domain="@Spam.Example")
    sign(client, support, django_capture_on_commit_callbacks, email="x@spam.example")
    assert Signature.objects.get().fraud_reason == "blocked domain"


@pytest.mark.django_db
def test_it_holds_fifty_addresses_from_one_ip_past_the_limit(
    client, support, settings, django_capture_on_commit_callbacks
):
    settings.SIGNING_RATE_PER_IP = 20
    for number in range(50):
        response = sign(client, support, django_capture_on_commit_callbacks, email=f"p{number}@school{number}.org")
        assert response.status_code == 302
    states = list(Signature.objects.order_by("pk").values_list("state", flat=True))
    assert states[:20] == [Signature.State.PENDING] * 20
    assert states[20:] == [Signature.State.FRAUDULENT] * 30
    assert len(mail.outbox) == 20


@pytest.mark.django_db
def test_it_takes_the_ip_from_the_trusted_proxy_only(client, support, settings, django_capture_on_commit_callbacks):
    settings.SIGNING_RATE_PER_IP = 3
    settings.TRUSTED_PROXIES = ["127.0.0.0/8"]
    for number in range(6):
        # The client claims a new address each time; the proxy appended the real one last.
        forwarded = f"10.0.0.{number}, 203.0.113.7"
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                "/sign/", form_data([support], email=f"p{number}@x{number}.org"), HTTP_X_FORWARDED_FOR=forwarded
            )
    assert Signature.objects.filter(state=Signature.State.FRAUDULENT).count() == 3


@pytest.mark.django_db
def test_it_rate_limits_an_uncommon_domain_but_not_gmail(client, support, settings, django_capture_on_commit_callbacks):
    settings.SIGNING_RATE_PER_DOMAIN = 2
    settings.SIGNING_RATE_PER_IP = 1000
    for number in range(4):
        sign(client, support, django_capture_on_commit_callbacks, email=f"p{number}@bulk.example")
        sign(client, support, django_capture_on_commit_callbacks, email=f"p{number}@gmail.com")
    held = Signature.objects.filter(state=Signature.State.FRAUDULENT)
    assert sorted(held.values_list("email", flat=True)) == ["p2@bulk.example", "p3@bulk.example"]
