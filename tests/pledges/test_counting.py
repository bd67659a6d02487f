from __future__ import annotations

import logging

import pytest
from django.core.cache import cache

from pledges.counting import COUNTS_CACHE_KEY, current_counts, recount_all, total
from pledges.models import PledgeCount, Recount
from tests.factories import (
    ConfirmedSignatureFactory,
    FraudulentSignatureFactory,
    PendingSignatureFactory,
    WithdrawnSignatureFactory,
)


@pytest.mark.django_db
def test_it_counts_only_confirmed_signatures(support):
    ConfirmedSignatureFactory.create_batch(3, pledge=support, region="H")
    ConfirmedSignatureFactory(pledge=support, region="A")
    PendingSignatureFactory(pledge=support)
    FraudulentSignatureFactory(pledge=support)
    withdrawn = ConfirmedSignatureFactory(pledge=support)
    withdrawn.withdraw()
    counts = current_counts()
    assert total(counts, support.pk) == 4
    assert counts[support.pk] == {"H": 3, "A": 1}


@pytest.mark.django_db
def test_it_spreads_a_surge_over_shards(support, settings):
    ConfirmedSignatureFactory.create_batch(200, pledge=support, region="H")
    shards = PledgeCount.objects.filter(pledge=support, region="H", count__gt=0).count()
    assert shards > settings.COUNT_SHARDS // 2
    assert total(current_counts(), support.pk) == 200


@pytest.mark.django_db
def test_it_repairs_a_deliberately_broken_count_and_logs_it(support, caplog):
    ConfirmedSignatureFactory.create_batch(5, pledge=support, region="H")
    PledgeCount.objects.filter(pledge=support).update(count=1000)
    PledgeCount.objects.create(pledge=support, region="B", shard=3, count=-7)
    with caplog.at_level(logging.WARNING, logger="pledges.counting"):
        recount = recount_all()
    assert total(current_counts(), support.pk) == 5
    assert current_counts()[support.pk] == {"H": 5}
    assert recount.drift["support-the-pause"]["B"] == -7
    assert recount.drift["support-the-pause"]["H"] > 0
    assert "recount repaired drift on support-the-pause" in caplog.text
    assert Recount.objects.latest() == recount


@pytest.mark.django_db
def test_it_records_a_clean_recount_with_no_drift(support):
    ConfirmedSignatureFactory.create_batch(2, pledge=support)
    assert recount_all().drift == {}


@pytest.mark.django_db
def test_it_serves_counts_from_the_cache_for_a_moment(support, settings):
    settings.COUNTS_CACHE_SECONDS = 60
    ConfirmedSignatureFactory(pledge=support)
    assert total(current_counts(), support.pk) == 1
    ConfirmedSignatureFactory(pledge=support)
    assert total(current_counts(), support.pk) == 1, "a crowd reads the cached document"
    cache.delete(COUNTS_CACHE_KEY)
    assert total(current_counts(), support.pk) == 2


@pytest.mark.django_db
def test_it_never_counts_below_zero(support):
    WithdrawnSignatureFactory(pledge=support)
    PledgeCount.objects.create(pledge=support, region="H", shard=0, count=-3)
    assert total(current_counts(), support.pk) == 0
