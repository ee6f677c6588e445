"""The machine-readable career site: JobPosting JSON-LD on job pages, Indeed's XML feed, the
sitemap and the public job API."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from email.utils import parsedate_to_datetime

import pytest
from defusedxml import ElementTree as ET
from django.urls import reverse
from rest_framework.test import APIClient

from ats.services.jobs import job_set_status
from ats.views.feeds import cdata
from tests.factories import make_job

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def indeed(client) -> ET.Element:
    response = client.get(reverse("careers:indeed"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    return ET.fromstring(response.content)


def job_url(job) -> str:
    return reverse("careers:job", args=[job.slug])


def job_node(root: ET.Element, title: str) -> ET.Element:
    return next(job for job in root.iter("job") if job.findtext("title") == title)


# --------------------------------------------------------------------------- JSON-LD


def jsonld(html: str) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1, blocks
    return json.loads(blocks[0])


def test_job_page_has_jobposting_jsonld_for_an_onsite_job_with_salary(client, settings):
    job = make_job(
        title="Backend Engineer",
        department="Engineering",
        description="Build **APIs**.",
        employment_type="FULL_TIME",
        salary_min=Decimal("90000"),
        salary_max=Decimal("120000"),
        salary_currency="USD",
        salary_period="YEAR",
        valid_through=date(2030, 1, 31),
        locations=[{"city": "Austin", "region": "TX", "country": "US", "postal_code": "73301"}],
    )
    response = client.get(job_url(job))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Backend Engineer" in html and "<strong>APIs</strong>" in html
    assert "$90,000 - $120,000 per year" in html and 'name="robots"' not in html
    data = jsonld(html)
    assert data["@context"] == "https://schema.org/" and data["@type"] == "JobPosting"
    assert data["title"] == "Backend Engineer"
    assert data["description"] == job.description_html
    assert data["datePosted"] == job.opened_at.date().isoformat()
    assert data["validThrough"] == "2030-01-31"
    assert data["employmentType"] == "FULL_TIME"
    assert data["hiringOrganization"] == {
        "@type": "Organization",
        "name": settings.COMPANY_NAME,
        "sameAs": settings.COMPANY_URL,
    }
    assert data["jobLocation"] == [
        {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "addressLocality": "Austin",
                "addressRegion": "TX",
                "postalCode": "73301",
                "addressCountry": "US",
            },
        }
    ]
    assert "jobLocationType" not in data
    assert data["baseSalary"] == {
        "@type": "MonetaryAmount",
        "currency": "USD",
        "value": {
            "@type": "QuantitativeValue",
            "minValue": 90000,
            "maxValue": 120000,
            "unitText": "YEAR",
        },
    }
    assert data["identifier"] == {
        "@type": "PropertyValue",
        "name": settings.COMPANY_NAME,
        "value": job.reference,
    }
    assert data["directApply"] is True


def test_jsonld_of_a_remote_job_names_the_countries(client):
    job = make_job(remote_policy="remote", remote_countries=["DE", "FR"], locations=[])
    data = jsonld(client.get(job_url(job)).content.decode())
    assert data["jobLocationType"] == "TELECOMMUTE"
    assert data["applicantLocationRequirements"] == [
        {"@type": "Country", "name": "DE"},
        {"@type": "Country", "name": "FR"},
    ]
    assert "jobLocation" not in data and "baseSalary" not in data and "validThrough" not in data


def test_jsonld_of_a_remote_job_anywhere_has_no_country_requirement(client):
    job = make_job(remote_policy="remote", locations=[])
    data = jsonld(client.get(job_url(job)).content.decode())
    assert data["jobLocationType"] == "TELECOMMUTE"
    assert "applicantLocationRequirements" not in data


def test_jsonld_cannot_be_broken_out_of_by_the_title(client):
    title = 'Engineer </script><script>alert("x")</script> & co'
    job = make_job(title=title)
    html = client.get(job_url(job)).content.decode()
    assert "<script>alert" not in html
    assert jsonld(html)["title"] == title
    assert "\\u003c/script\\u003e" in html


# --------------------------------------------------------------------------- Indeed


def test_indeed_feed_lists_public_jobs_with_their_fields(client, settings):
    job = make_job(
        title="Backend Engineer",
        description="Build **APIs** & more.",
        employment_type="CONTRACTOR",
        salary_min=Decimal("90000"),
        salary_max=Decimal("120000"),
        salary_currency="USD",
        locations=[{"city": "Austin", "region": "TX", "country": "US", "postal_code": "73301"}],
    )
    root = indeed(client)
    assert root.tag == "source"
    assert root.findtext("publisher") == settings.COMPANY_NAME
    assert root.findtext("publisherurl") == settings.COMPANY_URL
    assert parsedate_to_datetime(root.findtext("lastBuildDate")) is not None
    node = job_node(root, "Backend Engineer")
    assert parsedate_to_datetime(node.findtext("date")) == job.opened_at.replace(microsecond=0)
    assert node.findtext("referencenumber") == job.reference
    assert node.findtext("requisitionid") == job.reference
    assert node.findtext("url") == f"http://testserver/careers/{job.slug}/"
    assert node.findtext("company") == settings.COMPANY_NAME
    assert [node.findtext(k) for k in ("city", "state", "country", "postalcode")] == [
        "Austin", "TX", "US", "73301",
    ]  # fmt: skip
    assert node.findtext("description") == job.description_html
    assert node.findtext("salary") == "$90,000 - $120,000 per year"
    assert node.findtext("jobtype") == "contract"
    assert node.find("remotetype") is None


def test_indeed_values_are_cdata_and_survive_a_terminator(client):
    job = make_job(title="Writer ]]> <Editor>", description="Use **bold** & <i>say</i> it.")
    body = client.get(reverse("careers:indeed")).content.decode()
    assert "<description><![CDATA[<p>Use <strong>bold</strong>" in body
    assert "<title><![CDATA[Writer ]]]]><![CDATA[> <Editor>]]></title>" in body
    node = job_node(ET.fromstring(body), "Writer ]]> <Editor>")
    assert node.findtext("description") == job.description_html


def test_cdata_splits_the_terminator_and_drops_forbidden_characters():
    assert cdata("a]]>b\x00c") == "<![CDATA[a]]]]><![CDATA[>bc]]>"
    assert ET.fromstring(f"<x>{cdata('a]]>b')}</x>").text == "a]]>b"


def test_indeed_feed_marks_remote_jobs_and_maps_job_types(client):
    make_job(
        title="Remote Intern",
        remote_policy="remote",
        remote_countries=["PT", "ES"],
        employment_type="INTERN",
        locations=[],
    )
    make_job(title="Part Timer", employment_type="PART_TIME", salary_min=Decimal("25"),
             salary_currency="EUR", salary_period="HOUR")  # fmt: skip
    root = indeed(client)
    remote = job_node(root, "Remote Intern")
    assert remote.findtext("remotetype") == "Fully remote"
    assert remote.findtext("jobtype") == "internship" and remote.find("city") is None
    assert remote.findtext("country") == "PT"  # where applicants must live
    part = job_node(root, "Part Timer")
    assert part.findtext("jobtype") == "parttime" and part.findtext("salary") == "From €25 per hour"


def test_indeed_feed_leaves_out_closed_draft_and_unpublished_jobs(client, recruiter):
    make_job(title="Open Role")
    closing = make_job(title="Closing Role")
    make_job(title="Draft Role", status="draft")
    make_job(title="Hidden Role", published=False)
    make_job(title="Paused Role", status="on_hold")
    assert {j.findtext("title") for j in indeed(client).iter("job")} == {
        "Open Role",
        "Closing Role",
    }
    job_set_status(job=closing, status="closed", actor=recruiter)
    assert [j.findtext("title") for j in indeed(client).iter("job")] == ["Open Role"]


def test_indeed_feed_stays_well_formed_with_awkward_text(client):
    make_job(title='Dev & "Ops" <Lead> \x07', department="R&D")
    node = job_node(indeed(client), 'Dev & "Ops" <Lead> ')
    assert node is not None


# --------------------------------------------------------------------------- sitemap


def test_sitemap_lists_the_career_page_and_public_jobs(client):
    job = make_job(title="Open Role")
    make_job(status="closed")
    make_job(status="draft")
    response = client.get(reverse("careers:sitemap"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{SITEMAP}urlset"
    entries = {
        url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod")
        for url in root.iter(f"{SITEMAP}url")
    }
    assert set(entries) == {
        "http://testserver/careers/",
        f"http://testserver/careers/{job.slug}/",
    }
    lastmod = entries[f"http://testserver/careers/{job.slug}/"]
    assert lastmod.startswith(job.updated_at.date().isoformat()) and lastmod.endswith("+00:00")


# --------------------------------------------------------------------------- public API


def test_public_api_lists_public_jobs_without_authentication(db):
    job = make_job(
        title="Backend Engineer",
        salary_min=Decimal("90000"),
        salary_max=Decimal("120000"),
        salary_currency="USD",
        locations=[{"city": "Austin", "region": "TX", "country": "US", "postal_code": "73301"}],
    )
    make_job(title="Closed Role", status="closed")
    make_job(title="Draft Role", status="draft")
    make_job(title="Hidden Role", published=False)
    response = APIClient().get(reverse("api:public-jobs"))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["results"][0]
    assert item == {
        "id": job.slug,
        "reference": job.reference,
        "title": "Backend Engineer",
        "department": "Engineering",
        "locations": [{"city": "Austin", "region": "TX", "country": "US", "postal_code": "73301"}],
        "remote_policy": "onsite",
        "employment_type": "FULL_TIME",
        "salary": {"min": "90000.00", "max": "120000.00", "currency": "USD", "period": "YEAR"},
        "description_html": job.description_html,
        "url": f"http://testserver/careers/{job.slug}/",
        "apply_url": f"http://testserver/careers/{job.slug}/#apply",
        "date_posted": job.opened_at.date().isoformat(),
        "valid_through": None,
    }


def test_public_api_filters(db):
    make_job(title="Analyst", department="Data", employment_type="PART_TIME")
    make_job(title="Designer", department="Design", remote_policy="remote",
             locations=[{"city": "Lisbon", "country": "PT"}])  # fmt: skip
    make_job(title="Platform Engineer", description="Kubernetes all day")
    client = APIClient()

    def titles(**query) -> set[str]:
        results = client.get(reverse("api:public-jobs"), query).json()["results"]
        return {row["title"] for row in results}

    assert titles(department="Data") == {"Analyst"}
    assert titles(remote="remote") == {"Designer"}
    assert titles(type="PART_TIME") == {"Analyst"}
    assert titles(q="kubernetes") == {"Platform Engineer"}
    assert titles(location="pt") == {"Designer"}
    assert titles(remote="remote", type="PART_TIME") == set()


def test_public_api_detail_and_not_found(db):
    job = make_job(title="Backend Engineer")
    closed = make_job(status="closed")
    draft = make_job(status="draft")
    client = APIClient()
    detail = client.get(reverse("api:public-job-detail", args=[job.slug]))
    assert detail.status_code == 200 and detail.json()["title"] == "Backend Engineer"
    assert detail.json()["salary"] is None
    for slug in (closed.slug, draft.slug, "no-such-job"):
        assert client.get(reverse("api:public-job-detail", args=[slug])).status_code == 404


def test_public_api_ignores_a_session_and_needs_no_csrf(client, recruiter):
    make_job()
    client.force_login(recruiter)
    assert client.get(reverse("api:public-jobs")).status_code == 200
    assert APIClient().post(reverse("api:public-jobs")).status_code == 405


def test_public_api_is_in_the_openapi_schema(recruiter):
    client = APIClient()
    client.force_authenticate(recruiter)
    schema = client.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    paths = schema.json()["paths"]
    assert "/api/v1/public/jobs/" in paths and "/api/v1/public/jobs/{slug}/" in paths
    assert paths["/api/v1/public/jobs/"]["get"]["security"] == [{}]
