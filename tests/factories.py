from __future__ import annotations

import factory
from django.utils import timezone

from pledges.addresses import canonical_email, domain_of
from pledges.models import Pledge, PledgeCount, Region, Role, School, Signature


class PledgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pledge

    slug = factory.Sequence(lambda n: f"pledge-{n}")
    title = factory.Sequence(lambda n: f"Test pledge {n}")
    statement = "I will do the thing."


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    urn = factory.Sequence(lambda n: 800000 + n)
    name = factory.Sequence(lambda n: f"Test School {n}")
    town = "Testtown"
    la_name = "Testshire"
    region = Region.SOUTH_WEST
    search_text = factory.LazyAttribute(lambda s: f"{s.name} {s.town}".lower())


class PendingSignatureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signature

    pledge = factory.SubFactory(PledgeFactory)
    name = factory.Sequence(lambda n: f"Signer {n}")
    email = factory.Sequence(lambda n: f"signer{n}@example.org")
    canonical_email = factory.LazyAttribute(lambda s: canonical_email(s.email))
    email_domain = factory.LazyAttribute(lambda s: domain_of(s.email))
    role = Role.HEADTEACHER
    region = Region.LONDON
    consent_version = "test"
    state = Signature.State.PENDING


class ConfirmedSignatureFactory(PendingSignatureFactory):
    class Meta:
        skip_postgeneration_save = True

    state = Signature.State.CONFIRMED
    confirmed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def counted(obj, create, extracted, **kwargs):
        # A confirmed signature is in the stored counts, as confirm() would leave it.
        if create:
            PledgeCount.objects.adjust(obj.pledge_id, obj.region, +1)


class WithdrawnSignatureFactory(PendingSignatureFactory):
    state = Signature.State.WITHDRAWN


class FraudulentSignatureFactory(PendingSignatureFactory):
    state = Signature.State.FRAUDULENT
    fraud_reason = "ip rate"
