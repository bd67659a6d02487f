"""allauth, adapted: it names people by their address, never by the internal username."""

from __future__ import annotations

from html import unescape

import pytest

from tests.pledges.conftest import log_in_by_code, sign_and_confirm


@pytest.mark.django_db
def test_it_names_a_signed_in_signer_by_address_not_username(client, support, django_capture_on_commit_callbacks):
    sign_and_confirm(client, [support], django_capture_on_commit_callbacks)
    client.logout()
    log_in_by_code(client, "jane@example.com", django_capture_on_commit_callbacks)
    page = unescape(client.get("/my/pledges/").content.decode())
    assert "signed in as jane@example.com" in page
    assert "signer-" not in page
