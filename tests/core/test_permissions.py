"""Every page states its roles: the allowed roles get it, others 403, anonymous goes to login."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIRequestFactory

from config.core.roles import (
    Role,
    api_role_permission,
    ensure_role,
    has_role,
    role_labels,
    role_required,
    roles_of,
)

ALLOWED = {
    "crm:candidates": {"recruiter", "manager", "admin"},
    "crm:pools": {"recruiter", "admin"},
    "ats:jobs": {"recruiter", "manager", "admin"},
    "ats:interviews": {"recruiter", "interviewer", "manager", "admin"},
    "ats:review": {"manager", "admin"},
    "nurture:sequences": {"recruiter", "admin"},
    "nurture:tasks": {"recruiter", "admin"},
    "analytics:dashboard": {"recruiter", "manager", "admin"},
}
ROLES = ["recruiter", "manager", "interviewer", "outsider", "admin"]


@pytest.mark.parametrize("url_name", sorted(ALLOWED))
@pytest.mark.parametrize("who", ROLES)
def test_section_pages_enforce_roles(client, users, url_name, who):
    client.force_login(users[who])
    response = client.get(reverse(url_name))
    expected = 200 if who in ALLOWED[url_name] else 403
    assert response.status_code == expected


@pytest.mark.parametrize("url_name", sorted(ALLOWED))
def test_section_pages_send_anonymous_to_login(client, db, url_name):
    url = reverse(url_name)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


def test_forbidden_page_is_the_friendly_403(client, outsider):
    client.force_login(outsider)
    response = client.get(reverse("nurture:sequences"))
    assert response.status_code == 403
    assert "403.html" in [template.name for template in response.templates]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (
            "recruiter",
            [
                "Candidates",
                "Jobs",
                "Interviews",
                "Offers",
                "Pools",
                "Sequences",
                "Tasks",
                "Analytics",
            ],
        ),
        ("manager", ["Candidates", "Jobs", "Review", "Interviews", "Offers", "Analytics"]),
        ("interviewer", ["Interviews"]),
        ("outsider", []),
        (
            "admin",
            [
                "Candidates",
                "Jobs",
                "Review",
                "Interviews",
                "Offers",
                "Pools",
                "Sequences",
                "Tasks",
                "Analytics",
            ],
        ),
    ],
)
def test_navigation_shows_each_role_only_what_it_may_use(client, users, who, expected):
    client.force_login(users[who])
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert [item.label for item in response.context["nav_items"]] == expected
    html = response.content.decode()
    for label, url_name in [
        ("Sequences", "nurture:sequences"),
        ("Pools", "crm:pools"),
        ("Interviews", "ats:interviews"),
    ]:
        assert (f'href="{reverse(url_name)}"' in html) == (label in expected)


def test_active_nav_item_is_marked_current(client, recruiter):
    client.force_login(recruiter)
    response = client.get(reverse("ats:jobs"))
    active = [item.label for item in response.context["nav_items"] if item.active]
    assert active == ["Jobs"]
    assert 'aria-current="page"' in response.content.decode()


def test_roles_helpers(users):
    assert roles_of(users["recruiter"]) == {Role.RECRUITER}
    assert has_role(users["manager"], Role.HIRING_MANAGER, Role.RECRUITER)
    assert not has_role(users["interviewer"], Role.RECRUITER)
    assert not has_role(users["outsider"], *Role.ALL)
    assert has_role(users["admin"], *Role.ALL)
    assert role_labels(users["admin"]) == ["Admin"]
    assert role_labels(users["manager"]) == ["Hiring manager"]


def test_inactive_user_holds_no_role(recruiter):
    recruiter.is_active = False
    assert roles_of(recruiter) == frozenset()


def test_role_groups_come_from_the_data_migration(db):
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.ALL)


def test_home_page_per_role(client, users):
    headings = {
        "recruiter": "Recruiting home",
        "manager": "Hiring manager home",
        "interviewer": "Interviewer home",
    }
    for who, heading in headings.items():
        client.force_login(users[who])
        response = client.get(reverse("home"))
        assert response.context["heading"] == heading
        assert heading in response.content.decode()
    client.force_login(users["outsider"])
    response = client.get(reverse("home"))
    assert response.context["cards"] == []
    assert "no role yet" in response.content.decode()


def test_home_query_count_does_not_depend_on_group_count(
    client, recruiter, django_assert_max_num_queries
):
    client.force_login(recruiter)
    with django_assert_max_num_queries(8) as first:
        response = client.get(reverse("home"))
    assert response.status_code == 200 and "Recruiting home" in response.content.decode()
    for n in range(20):
        recruiter.groups.add(Group.objects.create(name=f"extra-{n}"))
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get(reverse("home"))
    assert response.status_code == 200 and "Recruiting home" in response.content.decode()


def test_ensure_role_for_services(users):

    ensure_role(users["recruiter"], Role.RECRUITER)
    with pytest.raises(PermissionDenied):
        ensure_role(users["interviewer"], Role.RECRUITER)


def test_api_role_permission(users):

    permission = api_role_permission(Role.RECRUITER, Role.HIRING_MANAGER)()
    request = APIRequestFactory().get("/")
    for who, allowed in [
        ("recruiter", True),
        ("manager", True),
        ("interviewer", False),
        ("outsider", False),
        ("admin", True),
    ]:
        request.user = users[who]
        assert permission.has_permission(request, None) is allowed, who
    assert "Recruiter" in permission.message


# --------------------------------------------------------------------------- the access decorator

THINGS = {7: "seven"}


def _load(user, pk):
    """A selector that shows recruiters thing 7 only."""
    return THINGS.get(pk) if has_role(user, Role.RECRUITER) else None


@role_required(Role.RECRUITER, Role.HIRING_MANAGER, hide=True, load=_load)
def _thing_view(request, thing, extra=""):
    return HttpResponse(f"{thing}{extra}")


@role_required(
    Role.RECRUITER, load=_load, on_missing=lambda request, pk: HttpResponse(f"moved {pk}")
)
def _thing_view_following(request, thing):
    return HttpResponse(thing)


def _call(view, user, **kwargs):
    request = RequestFactory().get("/things/")
    request.user = user
    return view(request, **kwargs)


def test_role_required_loads_the_object_the_user_may_see(users):
    response = _call(_thing_view, users["recruiter"], pk=7, extra="!")
    assert response.status_code == 200 and response.content == b"seven!"


def test_role_required_answers_404_alike_for_hidden_and_missing_objects(users):
    # the manager holds a role but the selector shows them nothing; the recruiter asks for a
    # missing id; the outsider holds no role: one answer for all three
    for user, pk in ((users["manager"], 7), (users["recruiter"], 8), (users["outsider"], 7)):
        with pytest.raises(Http404):
            _call(_thing_view, user, pk=pk)


def test_role_required_sends_anonymous_users_to_login(db):
    response = _call(_thing_view, AnonymousUser(), pk=7)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_role_required_on_missing_may_answer_instead_of_404(users):
    assert _call(_thing_view_following, users["recruiter"], pk=7).content == b"seven"
    assert _call(_thing_view_following, users["recruiter"], pk=9).content == b"moved 9"
