"""The signing form's fields are shared between requests: only what one request changes is its own."""

from __future__ import annotations

import copy
from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from pledges.forms import SignForm
from tests.factories import PledgeFactory, SchoolFactory


def state_of(field) -> tuple:
    """What a request could change in place on a field or its widget (copied, so a change shows)."""
    choices = [] if hasattr(field, "queryset") else list(getattr(field, "choices", []))
    return copy.deepcopy(
        (
            field.widget.attrs,
            choices,
            list(getattr(field.widget, "choices", [])) if not hasattr(field, "queryset") else [],
            {key: str(value) for key, value in field.error_messages.items()},
            field.required,
            field.initial,
            field.label,
            field.help_text,
            field.widget.is_required,
            field.widget.is_localized,
        )
    )


@pytest.mark.django_db
def test_it_never_lets_one_signers_schools_reach_another_form():
    kestrel = SchoolFactory(name="Kestrel Academy")
    searched = SignForm(schools=[kestrel])
    fresh = SignForm()
    assert [urn for urn, _ in searched.fields["school"].choices] == [kestrel.urn]
    assert list(fresh.fields["school"].choices) == []
    assert searched.fields["name"] is fresh.fields["name"], "the fields nobody changes are shared"


@pytest.mark.django_db
def test_it_leaves_the_shared_fields_as_they_were_after_a_form_is_judged_and_shown(support, rf):
    before = {name: state_of(field) for name, field in SignForm.base_fields.items()}
    bad = SignForm({"pledges": [str(support.pk), "999"], "name": "=1+1", "email": "not an address", "name_after": "x"})
    assert not bad.is_valid()
    page = render_to_string("pledges/sign.html", {"form": bad, "union_positions": {}}, request=rf.get("/sign/"))
    assert "Full name must start with a letter" in page and support.title in page
    after = {name: state_of(field) for name, field in SignForm.base_fields.items()}
    assert after == before


@pytest.mark.django_db
def test_it_offers_the_pledges_open_at_the_moment_the_page_is_shown(client, support, stand_down):
    page = client.get("/sign/").content.decode()
    assert support.title in page and stand_down.title in page
    stand_down.is_paused = True
    stand_down.save()
    later = PledgeFactory(title="Opened a moment ago", opens_at=timezone.now() - timedelta(seconds=1))
    page = client.get("/sign/").content.decode()
    assert support.title in page and later.title in page and stand_down.title not in page
