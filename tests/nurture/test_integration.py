"""The nurture engine inside the rest of the product: the search's bulk bar and the demo."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from nurture.models import Enrollment
from tests.factories import make_candidate

pytestmark = pytest.mark.django_db


def test_candidate_search_offers_bulk_enroll_to_recruiters(client, recruiter, manager, password):
    make_candidate()
    client.login(username=recruiter.username, password=password)
    body = client.get(reverse("crm:candidates")).content.decode()
    assert f'formaction="{reverse("nurture:bulk-enroll")}"' in body
    client.login(username=manager.username, password=password)
    assert (
        reverse("nurture:bulk-enroll") not in client.get(reverse("crm:candidates")).content.decode()
    )


def test_demo_data_enrolls_people_in_the_builtin_sequences_once(capsys):
    call_command("load_demo_data")
    first = Enrollment.objects.count()
    call_command("load_demo_data")
    out = capsys.readouterr().out
    assert first > 0 and Enrollment.objects.count() == first
    assert "demo data (nurture): 0 enrollments created" in out
    built_in = Enrollment.objects.filter(sequence__builtin_key__isnull=False)
    keys = set(built_in.values_list("sequence__builtin_key", flat=True))
    assert keys == {"new_applicant_welcome", "silver_medalist", "passive_nurture", "job_alerts"}
