"""Login, logout and password reset by email (through a real Celery worker and SMTP server)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests.conftest import wait_for
from tests.factories import UserFactory


def test_login_page_renders_without_demo_hints_outside_development(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert response.context["demo_logins"] == []
    assert "talentloop-demo" not in response.content.decode()


def test_login_page_lists_demo_logins_in_development(client, db, settings):
    settings.SHOW_DEMO_LOGINS = True
    response = client.get(reverse("login"))
    body = response.content.decode()
    for username in ("recruiter", "manager", "interviewer", "admin"):
        assert username in body
    assert "talentloop-demo" in body


def test_login_with_valid_credentials_lands_home(client, recruiter, password):
    response = client.post(
        reverse("login"), {"username": recruiter.username, "password": password}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert response.context["user"] == recruiter


def test_login_with_wrong_password_says_so_and_stays(client, recruiter):
    response = client.post(reverse("login"), {"username": recruiter.username, "password": "nope"})
    assert response.status_code == 200
    assert not response.context["user"].is_authenticated
    assert "correct username and password" in response.content.decode()


def test_login_redirects_to_next(client, recruiter, password):
    response = client.post(
        reverse("login") + "?next=/jobs/",
        {"username": recruiter.username, "password": password, "next": "/jobs/"},
    )
    assert response.url == "/jobs/"


def test_logout_requires_post_and_ends_the_session(client, recruiter):
    client.force_login(recruiter)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.url == reverse("login")
    assert client.get(reverse("home")).status_code == 302


def test_home_requires_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.django_db(transaction=True)
def test_password_reset_mail_is_sent_by_the_worker_and_the_link_works(
    client, celery_worker, smtp_server
):
    user = UserFactory(username="forgetful", email="forgetful@example.com")
    response = client.post(reverse("password_reset"), {"email": "Forgetful@Example.com"})
    assert response.url == reverse("password_reset_done")

    wait_for(lambda: smtp_server.messages)
    delivered = smtp_server.messages[0]
    assert delivered["to"] == ["forgetful@example.com"]
    assert delivered["message"]["Subject"] == "Reset your Talentloop password"
    body = delivered["message"].get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"https?://[^/\s]+(/password-reset/[^\s]+/)", body).group(1)

    confirm = client.get(link, follow=True)
    assert confirm.context["validlink"] is True
    set_url = confirm.redirect_chain[-1][0]
    done = client.post(
        set_url,
        {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"},
    )
    assert done.url == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password("a brand new passphrase")
    # The link is single-use.
    again = client.get(link, follow=True)
    assert again.context["validlink"] is False


@pytest.mark.django_db(transaction=True)
def test_password_reset_for_unknown_address_looks_the_same_and_sends_nothing(
    client, celery_worker, smtp_server
):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert response.url == reverse("password_reset_done")
    # A request for a real account afterwards arrives alone: the first one queued nothing.
    UserFactory(username="known", email="known@example.com")
    client.post(reverse("password_reset"), {"email": "known@example.com"})
    wait_for(lambda: smtp_server.messages)
    assert [m["to"] for m in smtp_server.messages] == [["known@example.com"]]
    assert get_user_model().objects.count() == 1


def _fail_logins(client, user, times):
    for _ in range(times):
        client.post(reverse("login"), {"username": user.username, "password": "bad"})


def test_repeated_failed_logins_are_throttled_even_with_the_right_password(
    client, recruiter, password, settings
):
    settings.LOGIN_FAILURE_LIMIT = 3
    _fail_logins(client, recruiter, 3)
    response = client.post(
        reverse("login"), {"username": recruiter.username.upper(), "password": password}
    )
    assert response.status_code == 200
    assert not response.context["user"].is_authenticated
    assert "Too many failed attempts" in response.content.decode()


def test_successful_login_clears_the_failure_count(client, recruiter, password, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(2):
        client.post(reverse("login"), {"username": recruiter.username, "password": "bad"})
    assert (
        client.post(
            reverse("login"), {"username": recruiter.username, "password": password}
        ).status_code
        == 302
    )
    client.post(reverse("logout"))
    for _ in range(2):
        client.post(reverse("login"), {"username": recruiter.username, "password": "bad"})
    assert (
        client.post(
            reverse("login"), {"username": recruiter.username, "password": password}
        ).status_code
        == 302
    )


def test_csrf_failure_shows_the_friendly_page(db):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()
