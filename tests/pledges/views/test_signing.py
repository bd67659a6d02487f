from __future__ import annotations

import re

import pytest
from django.core import mail

from pledges.models import Email, Signature
from tests.pledges.conftest import confirm_link, form_data


def home_count(client, slug: str) -> int:
    page = client.get("/").content.decode()
    marker = f'data-count-for="{slug}">'
    return int(page.split(marker, 1)[1].split("<", 1)[0].replace(",", ""))


@pytest.mark.django_db
def test_it_shows_the_form_with_the_chosen_pledge_ticked(client, support):
    response = client.get("/sign/?pledge=support-the-pause")
    page = response.content.decode()
    assert response.status_code == 200
    assert f'value="{support.pk}"' in page
    assert "checked" in page.split(f'value="{support.pk}"', 1)[1].split(">", 1)[0]
    assert '<label class="label" for="id_name">Full name</label>' in page


@pytest.mark.django_db
def test_it_signs_confirms_and_counts_exactly_one(client, support, django_capture_on_commit_callbacks):
    assert home_count(client, "support-the-pause") == 0
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/sign/", form_data([support]))
    assert response.status_code == 302
    assert response["Location"] == "/sign/check-your-email/"
    assert "Check your email" in client.get(response["Location"]).content.decode()

    signature = Signature.objects.get()
    assert signature.state == Signature.State.PENDING
    assert home_count(client, "support-the-pause") == 0

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["jane@example.com"]
    assert message.subject == "Confirm your #PauseOfsted signature"
    html = message.alternatives[0][0]
    link = confirm_link(message)
    assert link in html
    assert Email.objects.get().state == Email.State.SENT

    page = client.get(link)
    assert page.status_code == 200
    assert "Confirm my signature" in page.content.decode()
    signature.refresh_from_db()
    assert signature.state == Signature.State.PENDING, "a GET (a mail scanner) must not confirm"

    confirmed = client.post(link)
    assert confirmed.status_code == 200
    assert "Signature confirmed" in confirmed.content.decode()
    signature.refresh_from_db()
    assert signature.state == Signature.State.CONFIRMED
    assert home_count(client, "support-the-pause") == 1


@pytest.mark.django_db
def test_it_counts_a_double_confirmation_once(client, support, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/sign/", form_data([support]))
    link = confirm_link(mail.outbox[0])
    client.post(link)
    again = client.post(link)
    assert again.status_code == 200
    assert home_count(client, "support-the-pause") == 1


@pytest.mark.django_db
def test_it_signs_several_pledges_with_one_email(client, support, stand_down, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/sign/", form_data([support, stand_down]))
    assert Signature.objects.count() == 2
    assert len(mail.outbox) == 1
    assert "Support the pause" in mail.outbox[0].body
    assert "Stand down as an Ofsted Inspector" in mail.outbox[0].body
    client.post(confirm_link(mail.outbox[0]))
    assert home_count(client, "support-the-pause") == 1
    assert home_count(client, "stand-down") == 1
    assert Signature.objects.get(pledge=stand_down).inspector_status == "unavailable"
    assert Signature.objects.get(pledge=support).inspector_status == ""


@pytest.mark.django_db
def test_it_takes_region_and_local_authority_from_the_school(client, support, django_capture_on_commit_callbacks):
    from tests.factories import SchoolFactory

    school = SchoolFactory(name="Kestrel Academy", la_name="Oxfordshire", region="J")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/sign/", form_data([support], school=str(school.urn), school_query="kestrel", region="")
        )
    assert response.status_code == 302
    signature = Signature.objects.get()
    assert (signature.school, signature.region, signature.local_authority) == (school, "J", "Oxfordshire")


@pytest.mark.django_db
@pytest.mark.parametrize("press", [{"find_school": "1"}, {"name": ""}], ids=["search", "an-error-elsewhere"])
def test_it_shows_the_one_school_a_search_found_as_ticked(client, support, press):
    from tests.factories import SchoolFactory

    school = SchoolFactory(name="Kestrel Academy", la_name="Oxfordshire", region="J")
    page = client.post("/sign/", {**form_data([support], school_query="kestrel", region=""), **press}).content.decode()
    assert re.search(rf'<input type="radio" name="school" value="{school.urn}"[^>]* checked', page)


@pytest.mark.django_db
def test_it_takes_the_one_school_a_search_found_even_unticked(client, support, django_capture_on_commit_callbacks):
    from tests.factories import SchoolFactory

    school = SchoolFactory(name="Kestrel Academy", la_name="Oxfordshire", region="J")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/sign/", form_data([support], school_query="kestrel", region=""))
    assert response.status_code == 302, "not 'select your region': the school was found"
    assert (Signature.objects.get().school, Signature.objects.get().region) == (school, "J")


@pytest.mark.django_db
def test_a_region_the_signer_chose_beats_a_search_they_left_unticked(
    client, support, django_capture_on_commit_callbacks
):
    from tests.factories import SchoolFactory

    SchoolFactory(name="Kestrel Academy", region="J")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/sign/", form_data([support], school_query="kestrel", region="H"))
    assert (Signature.objects.get().school, Signature.objects.get().region) == (None, "H")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("academy", "school", "Select your school from the search results, or clear the search"),
        ("no such school anywhere", "school_query", "No school matches that search"),
        ("", "region", "Select your region, or find your school"),
    ],
)
def test_it_puts_a_school_problem_on_the_field_that_has_it(client, support, query, field, message):
    from tests.factories import SchoolFactory

    SchoolFactory(name="Kestrel Academy")
    SchoolFactory(name="Heron Academy")
    response = client.post("/sign/", form_data([support], school_query=query, region=""))
    page = response.content.decode()
    assert response.status_code == 400
    assert f'<p id="id_{field}-error" class="error-message">' in page and message in page
    assert Signature.objects.count() == 0
    if field == "school_query":
        assert 'aria-describedby="id_school_query-hint id_school_query-error"' in page, "read with its error"
        assert 'class="input input--error" type="search" name="school_query"' in page


@pytest.mark.django_db
def test_it_finds_schools_without_javascript(client, support):
    from tests.factories import SchoolFactory

    SchoolFactory(name="Kestrel Academy", town="Banbury")
    response = client.post("/sign/", form_data([support], school_query="kestrel banbury", find_school="1"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Kestrel Academy, Banbury" in page
    assert "There is a problem" not in page
    assert Signature.objects.count() == 0
    assert 'value="Jane Head"' in page, "what was typed is kept"


@pytest.mark.django_db
def test_it_answers_the_type_ahead_search_with_json(client):
    from tests.factories import SchoolFactory

    school = SchoolFactory(name="Kestrel Academy", town="Banbury")
    by_name = client.get("/schools/search/?q=kestrel").json()
    by_urn = client.get(f"/schools/search/?q={school.urn}").json()
    assert by_name["results"][0]["urn"] == school.urn
    assert by_urn["results"][0]["name"] == "Kestrel Academy"
    assert client.get("/schools/search/?q=" + "x" * 5000).json() == {"results": []}


@pytest.mark.django_db
def test_it_keeps_union_only_with_its_own_consent(client, support, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post("/sign/", form_data([support], union="naht"))
    assert refused.status_code == 400
    assert "Tick the box to let us record your union" in refused.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/sign/", form_data([support], union="naht", union_consent="on"))
    signature = Signature.objects.get()
    assert (signature.union, signature.union_consent) == ("naht", True)


@pytest.mark.django_db
def test_it_refuses_a_pledge_not_meant_for_the_role(client, stand_down):
    response = client.post("/sign/", form_data([stand_down], role="parent"))
    assert response.status_code == 400
    assert "is not for your role" in response.content.decode()
    assert Signature.objects.count() == 0


@pytest.mark.django_db
def test_it_refuses_a_paused_pledge_with_a_message(client, support):
    support.is_paused = True
    support.save()
    response = client.post("/sign/", form_data([support]))
    assert response.status_code == 400
    assert "is not taking signatures at the moment" in response.content.decode()
