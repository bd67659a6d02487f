"""Every bad value gets a 400 with a message that names the problem, and nothing is stored."""

from __future__ import annotations

import pytest
from django.core import mail

from pledges.models import Email, Signature
from tests.pledges.conftest import form_data

CASES = [
    ({"name": ""}, "Enter your full name"),
    ({"name": "x" * 10_000}, "Full name must be 100 characters or fewer"),
    ({"name": "é" * 101}, "Full name must be 100 characters or fewer"),
    ({"name": "😀😀😀"}, "Full name must start with a letter"),
    ({"name": "\u0301\u0301\u0301"}, "Full name must start with a letter"),
    ({"name": "Bob\r\nBcc: v@example.com"}, "Full name must be on one line"),
    ({"name": '=HYPERLINK("http://x","c")'}, "Full name must start with a letter"),
    ({"name": "+cmd|' /C calc'!A0"}, "Full name must start with a letter"),
    ({"name": "@SUM(1)"}, "Full name must start with a letter"),
    ({"name": "-2+3"}, "Full name must start with a letter"),
    ({"name": "\u3164\u3164"}, "without special or hidden characters"),
    ({"name": "\u3164\u3164 \u3164"}, "without special or hidden characters"),
    ({"name": "Jo\u200bhn Smith"}, "without special or hidden characters"),
    ({"name": "John \u202eSmith"}, "without special or hidden characters"),
    ({"name": "\u2800\u2800 Smith"}, "without special or hidden characters"),
    ({"name": "Zo" + "\u0301" * 98}, "too many accents or marks on one letter"),
    ({"name": "\u0640" * 98}, "Enter your full name using letters"),
    ({"name": "jane@example.net"}, "Enter your name, not an email or web address"),
    ({"name": "Visit https://spam.example"}, "Enter your name, not an email or web address"),
    ({"name": "www.spam.example"}, "Enter your name, not an email or web address"),
    ({"name": "A" + "\u0640" * 98}, "Enter your full name using letters"),
    ({"name": "Anx" + "\u0300\u0301\u0302\u0303\u0304"}, "too many accents or marks on one letter"),
    ({"school": "²²", "school_query": "x"}, "Select your school from the search results"),
    ({"school": "٣٣", "school_query": "x"}, "Select your school from the search results"),
    ({"email": ""}, "Enter your email address"),
    ({"email": "not-an-email"}, "Enter an email address in the correct format"),
    ({"email": "a" * 290 + "@example.com"}, "Email address must be 254 characters or fewer"),
    ({"email": "a@b.com%0d%0aBcc:x"}, "Enter an email address in the correct format"),
    ({"email": "a@b.com\r\nBcc: x@y.com"}, "must not contain spaces, line breaks or hidden characters"),
    ({"pledges": None}, "Select at least one pledge"),
    ({"pledges": ["999999"]}, "Select a pledge from the list"),
    ({"pledges": ["abc"]}, "Select a pledge from the list"),
    ({"role": ""}, "Select your role"),
    ({"role": "emperor"}, "Select your role from the list"),
    ({"region": ""}, "Select your region, or find your school"),
    ({"region": "W"}, "Select your region from the list"),
    ({"school": "123456789", "school_query": "x"}, "Select your school from the search results"),
    ({"school": "abc"}, "Select your school from the search results"),
    ({"school_query": "q" * 500}, "Search for your school using 100 characters or fewer"),
    ({"appearance": "billboard"}, "Select an option"),
    ({"appearance": ""}, "Select how you want to appear"),
    ({"union": "magic-circle", "union_consent": "on"}, "Select your union from the list"),
    ({"consent": None}, "Tick the box to agree to us recording your support"),
    ({"inspector_status": "", "pledges": "STAND_DOWN"}, "Select whether you have made yourself unavailable"),
    ({"inspector_status": "sacked", "pledges": "STAND_DOWN"}, "Select what you have done from the list"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("overrides", "message"), CASES, ids=[str(i) for i in range(len(CASES))])
def test_it_refuses_a_bad_value_with_a_message(client, support, stand_down, overrides, message):
    if overrides.get("pledges") == "STAND_DOWN":
        overrides = {**overrides, "pledges": [str(stand_down.pk)]}
    response = client.post("/sign/", form_data([support], **overrides))
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page
    assert message in page
    assert page.count(message) == 2, "once in the error summary, once by the field"
    assert "<title>Error:" in page
    assert Signature.objects.count() == 0
    assert Email.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_it_accepts_names_in_any_script(client, support, django_capture_on_commit_callbacks):
    for number, name in enumerate(["Zoë O’Brien-Smith", "Siobhán Ní Bhriain", "李小龍", "Nguyễn Thị Minh"]):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/sign/", form_data([support], name=name, email=f"n{number}@example.org"))
        assert response.status_code == 302, name
    assert Signature.objects.count() == 4


@pytest.mark.django_db
@pytest.mark.parametrize("space", ["\u00a0", "\u2009", "\u202f", "\u3000"])
def test_it_takes_a_pasted_no_break_or_thin_space_as_a_space(
    client, support, django_capture_on_commit_callbacks, space
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/sign/", form_data([support], name=f"Jane{space}Doe"))
    assert response.status_code == 302
    assert Signature.objects.get().name == "Jane Doe"


@pytest.mark.django_db
def test_it_strips_a_leading_tab_from_a_name(client, support, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/sign/", form_data([support], name="\tTab Person"))
    assert Signature.objects.get().name == "Tab Person"


@pytest.mark.django_db
def test_it_refuses_a_huge_body_with_a_400(client, support):
    response = client.post("/sign/", form_data([support], name="A" * 100_000 + "b"))
    assert response.status_code == 400
    assert Signature.objects.count() == 0


@pytest.mark.django_db
def test_it_refuses_thousands_of_fields_with_a_400(client, support):
    data = form_data([support])
    data.update({f"f{i}": "x" for i in range(5000)})
    response = client.post("/sign/", data)
    assert response.status_code in {400, 413}
    assert Signature.objects.count() == 0


@pytest.mark.django_db
def test_it_refuses_a_post_without_a_csrf_token():
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/sign/", {"name": "x"})
    assert response.status_code == 403
    assert "Your form has timed out" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/confirm/%00/", "/confirm/" + "a" * 5000 + "/", "/my-signature/..%2f/"])
def test_it_answers_junk_tokens_with_a_4xx(client, path):
    assert 400 <= client.get(path).status_code < 500
    assert 400 <= client.post(path).status_code < 500


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["²²", "٣٣٣", "１２３", "9" * 30, "-1", "1e5"])
def test_it_searches_schools_with_digits_of_any_kind_without_a_500(client, query):
    response = client.get("/schools/search/", {"q": query})
    assert response.status_code == 200
    assert response.json() == {"results": []}


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["school_query", "name", "email", "school", "pledges", "find_school"])
def test_it_refuses_a_nul_byte_in_any_form_field_with_a_400(client, support, field):
    data = form_data([support], school_query="kestrel")
    data[field] = "ab\x00cd"
    for extra in ({}, {"find_school": "1"}) if field != "find_school" else ({},):
        response = client.post("/sign/", {**data, **extra})
        assert response.status_code == 400
    assert not Signature.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/news/notadate/x/", "/news/2026-02-30/x/", "/news/2026-13-01/x/", "/news/99999-01-01/x/"]
)
def test_it_answers_a_bad_date_in_an_address_with_a_404(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/sign/", "/confirm-link/resend/", "/accounts/login/", "/api/v1/counts"])
def test_it_refuses_a_large_file_part_before_reading_it(client, support, path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("big.bin", b"x" * (1024 * 1024), content_type="application/octet-stream")
    response = client.post(path, {**form_data([support]), "attachment": upload})
    assert response.status_code == 413
    assert not Signature.objects.exists()


def test_it_drops_a_small_file_part_unread():
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import RequestFactory

    upload = SimpleUploadedFile("small.txt", b"hello", content_type="text/plain")
    request = RequestFactory().post("/sign/", {"name": "Jane", "attachment": upload})
    assert request.POST["name"] == "Jane", "the form's fields are read as usual"
    assert len(request.FILES) == 0, "the file is neither kept in memory nor spooled to disk"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/wall/?q=%00", "/wall/?pledge=a%00b", "/schools/search/?q=x%00", "/admin/?q=%00", "/pledges/a%00b/"]
)
def test_it_refuses_a_nul_byte_in_the_address_with_a_400(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "There is a problem with your request" in response.content.decode()


@pytest.mark.django_db
def test_it_refuses_a_nul_byte_in_a_cookie_with_a_400(client):
    client.cookies["sessionid"] = "abcdefghij\x00klmnop"
    response = client.get("/my/pledges/")
    assert response.status_code == 400
