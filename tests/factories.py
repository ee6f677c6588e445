"""factory_boy factories shared by the tests."""

import importlib

import factory
from django.contrib.auth import get_user_model

from ats.models import OfferTemplate
from ats.services.applications import application_create
from ats.services.jobs import job_create
from config.core.roles import assign_roles
from crm.services.candidates import candidate_upsert

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            assign_roles(self, extracted)
        if create:
            self.save()


# --------------------------------------------------------------------------- crm + ats


def make_candidate(**data):
    """A person through the real intake service (as every intake does)."""
    seq = next(_seq)
    data = {
        "first_name": "Cand",
        "last_name": f"Idate{seq}",
        "email": f"cand{seq}@example.com",
    } | data
    return candidate_upsert(data=data, origin="recruiter").candidate


def make_job(*, actor=None, status="open", published=True, locations=None, **data):
    """A job through :func:`ats.services_jobs.job_create`, with the default pipeline."""
    seq = next(_seq)
    data = {"title": f"Engineer {seq}", "department": "Engineering", "published": published} | data
    data["status"] = status
    if locations is None:
        locations = [{"city": "Berlin", "country": "DE", "postal_code": "10115"}]
    return job_create(actor=actor, data=data, locations=locations)


def make_application(*, job=None, candidate=None, actor=None, **kwargs):
    return application_create(
        candidate=candidate or make_candidate(), job=job or make_job(), actor=actor, **kwargs
    )


def _counter():
    n = 0
    while True:
        n += 1
        yield n


_seq = _counter()


def standard_offer_template() -> OfferTemplate:
    """The "Standard offer" letter migration 0004 stores (a transactional test's flush removes
    the row, so tests that need it ask here)."""
    migration = importlib.import_module("ats.migrations.0004_default_plans_and_offer_template")
    return OfferTemplate.objects.get_or_create(
        name="Standard offer", defaults={"body": migration.OFFER_LETTER}
    )[0]
