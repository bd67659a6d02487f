"""Property-based: whatever anyone sends to a form or an API parameter, the answer is 2xx/3xx or 4xx, never 500."""

from __future__ import annotations

import os
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pledges.emails import signer_token
from pledges.models import ActionStep, Pledge
from pledges.tokens import make_token
from tests.factories import ConfirmedSignatureFactory

# In CI the examples are fixed (derandomised) so a run is repeatable; locally they vary and explore.
FAST = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    derandomize=bool(os.environ.get("CI")),
)
anything = st.one_of(st.text(max_size=300), st.sampled_from(["", " ", "\x00", "0", "-1", "99999999999999999999"]))
form_value = st.one_of(anything, st.lists(st.text(max_size=20), max_size=3))


def answered(response) -> bool:
    return response.status_code < 500


@pytest.mark.django_db
@FAST
@given(
    data=st.fixed_dictionaries(
        {},
        optional={
            name: form_value
            for name in [
                "pledges", "name", "email", "role", "school_query", "school", "region", "inspector_status",
                "appearance", "name_after", "union_consent", "union", "consent", "website", "find_school",
            ]
        },
    )
)  # fmt: skip
def test_it_answers_any_signing_form_without_a_500(client, data):
    response = client.post("/sign/", data)
    assert answered(response)
    if response.status_code == 400:
        assert "There is a problem" in response.content.decode()


@pytest.mark.django_db
@FAST
@given(valid=st.booleans(), name=st.text(min_size=1, max_size=200), email=st.emails())
def test_it_answers_plausible_signings_with_a_redirect_or_a_message(client, valid, name, email):
    pledge = Pledge.objects.get(slug="support-the-pause")
    data = {"pledges": [pledge.pk], "name": name, "email": email, "role": "teacher", "region": "H",
            "appearance": "counted", "consent": "on"}  # fmt: skip
    response = client.post("/sign/", data)
    assert response.status_code in {302, 400}
    if response.status_code == 400:
        assert "There is a problem" in response.content.decode()


@pytest.mark.django_db
@FAST
@given(
    path=st.sampled_from(["/schools/search/", "/wall/", "/api/v1/counts", "/api/v1/counts.csv", "/counts/", "/news/"]),
    params=st.dictionaries(st.sampled_from(["q", "region", "pledge", "page", "format"]), anything, max_size=4),
)
def test_it_answers_any_query_parameter(client, path, params):
    assert answered(client.get(path, params))


@pytest.mark.django_db
@FAST
@given(
    prefix=st.sampled_from(
        ["/confirm/", "/my-signature/", "/actions/", "/unsubscribe/", "/email-preferences/", "/embed/", "/pledges/",
         "/api/v1/pledges/", "/news/2026-01-01/"]
    ),
    segment=st.text(min_size=1, max_size=300),
    method=st.sampled_from(["get", "post"]),
)  # fmt: skip
def test_it_answers_any_token_or_slug_in_a_path(client, prefix, segment, method):
    response = getattr(client, method)(prefix + quote(segment, safe="") + "/")
    assert answered(response)


@pytest.mark.django_db
@FAST
@given(header=st.text(max_size=200))
def test_it_answers_any_if_none_match(client, header):
    response = client.get("/api/v1/counts", HTTP_IF_NONE_MATCH=header.encode("ascii", "ignore").decode())
    assert response.status_code in {200, 304}


@pytest.mark.django_db
@FAST
@given(emails=form_value, action=st.sampled_from(["invite", "done", "", "other"]))
def test_it_answers_any_step_form(client, emails, action):
    signer = ConfirmedSignatureFactory(pledge=Pledge.objects.get(slug="stand-down"))
    step = ActionStep.objects.get(slug="contact-colleagues")
    response = client.post(
        f"/actions/{make_token('step', [signer.pk, step.pk])}/", {"action": action, "emails": emails}
    )
    assert answered(response)
    preferences = client.post(f"/email-preferences/{signer_token(signer)}/", {"reminders": emails, "updates": action})
    assert answered(preferences)


@pytest.mark.django_db
@FAST
@given(email=anything, code=anything)
def test_it_answers_any_sign_in_attempt(client, email, code):
    assert answered(client.post("/accounts/login/code/", {"email": email}))
    assert answered(client.post("/accounts/login/", {"login": email, "password": code}))
    assert answered(client.post("/accounts/password/reset/", {"email": email}))
