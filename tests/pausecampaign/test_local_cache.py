"""The per-process cache: a staff save is never undone by a read made before it commits."""

from __future__ import annotations

import pytest
from django.db import transaction

from pausecampaign.local_cache import forget, local_cached


@pytest.mark.django_db
def test_a_value_read_back_between_a_save_and_its_commit_is_forgotten_at_the_commit(
    django_capture_on_commit_callbacks,
):
    local_cached("probe", lambda: "before the save")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        forget("probe")
        # Another thread of the process, still seeing the old rows, loads them back.
        assert local_cached("probe", lambda: "the old rows") == "the old rows"
    assert local_cached("probe", lambda: "after the commit") == "after the commit"


@pytest.mark.django_db
def test_outside_a_transaction_it_forgets_at_once():
    local_cached("probe", lambda: "kept")
    forget("probe")
    assert local_cached("probe", lambda: "read again") == "read again"
