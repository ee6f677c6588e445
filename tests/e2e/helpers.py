"""Steps the browser tests share."""

DEMO_PASSWORD = "talentloop-demo"


def log_in(page, base_url: str, username: str = "recruiter") -> None:
    """Log in through the login form as one of the demo users and land on the home page."""
    page.goto(f"{base_url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base_url}/")
