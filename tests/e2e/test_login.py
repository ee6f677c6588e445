"""Each demo role logs in through the real login page and lands on its home page."""

import pytest

from config.core.demo import DEMO_USERS, demo_users_load

HOME_HEADINGS = {
    "recruiter": "Recruiting home",
    "manager": "Hiring manager home",
    "interviewer": "Interviewer home",
    "admin": "Recruiting home",
}
NAV = {
    "recruiter": [
        "Candidates",
        "Jobs",
        "Interviews",
        "Offers",
        "Pools",
        "Sequences",
        "Tasks",
        "Analytics",
    ],
    "manager": ["Candidates", "Jobs", "Review", "Interviews", "Offers", "Analytics"],
    "interviewer": ["Interviews"],
    "admin": [
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
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("demo", DEMO_USERS, ids=lambda d: d.username)
def test_demo_role_logs_in_and_lands_home(live_server, page, screenshot_dir, demo):
    demo_users_load()
    page.goto(f"{live_server.url}/jobs/")
    assert page.url.startswith(f"{live_server.url}/login/")  # anonymous: sent to log in

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill(demo.username)
    page.get_by_label("Password").fill(demo.password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/")

    assert page.get_by_role("heading", level=1).inner_text() == HOME_HEADINGS[demo.username]
    nav = page.get_by_role("navigation", name="Main")
    assert nav.get_by_role("link").all_inner_texts() == NAV[demo.username]
    page.screenshot(path=str(screenshot_dir / f"home-{demo.username}.png"), full_page=True)
    # A CSP violation (inline script or style) shows up as a console error.
    assert page.console_errors == []

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{live_server.url}/login/")


@pytest.mark.django_db(transaction=True)
def test_wrong_password_shows_an_error_in_the_page(live_server, page, screenshot_dir):
    demo_users_load()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill("recruiter")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Log in").click()
    assert "correct username and password" in page.content()
    page.screenshot(path=str(screenshot_dir / "login-error.png"))
    assert page.url.startswith(f"{live_server.url}/login/")
